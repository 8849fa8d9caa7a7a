/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_HOLD_H__
#define __CLARIFAI_HOLD_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* The buffers clarifaitag holds in `sync` mode: a queue in stream order,
 * released by a thread of its own.  A sampled frame leaves once its result
 * is known or its deadline has passed; the buffers behind it wait for it.
 * The streaming thread never waits for a result: it only queues. */
typedef struct _ClarifaiHold ClarifaiHold;

/* Sends @buf downstream with @result (nullable: the frame's own result
 * when it was known and OK, else the last one of a frame before it; the
 * caller's, opaque to the hold) on the hold's thread; returns the flow.
 * @generation: pass it to clarifai_hold_is_current() to tell a buffer that
 * a flush made stale while it was on its way. */
typedef GstFlowReturn (*ClarifaiHoldPush) (GstBuffer * buf,
    gpointer result, guint generation, gpointer user_data);

ClarifaiHold *clarifai_hold_new (const gchar * name, ClarifaiHoldPush push,
    GBoxedCopyFunc ref, GDestroyNotify unref, gpointer user_data);
void clarifai_hold_free (ClarifaiHold * hold);

void clarifai_hold_set_limit (ClarifaiHold * hold, guint limit,
    gboolean wait_for_room);
GstFlowReturn clarifai_hold_add (ClarifaiHold * hold, GstBuffer * buf,
    gboolean sampled, guint64 sample_id, gint64 deadline);
gboolean clarifai_hold_is_busy (ClarifaiHold * hold);
GstFlowReturn clarifai_hold_get_flow (ClarifaiHold * hold);
gboolean clarifai_hold_is_current (ClarifaiHold * hold, guint generation);
void clarifai_hold_resolve (ClarifaiHold * hold, guint64 sample_id,
    gpointer result);
GstFlowReturn clarifai_hold_drain (ClarifaiHold * hold);
void clarifai_hold_set_flushing (ClarifaiHold * hold, gboolean flushing);

G_END_DECLS

#endif /* __CLARIFAI_HOLD_H__ */
