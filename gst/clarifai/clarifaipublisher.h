/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_PUBLISHER_H__
#define __CLARIFAI_PUBLISHER_H__

#include "clarifairecord.h"
#include "clarifaisink.h"
#include "clarifaistats.h"

G_BEGIN_DECLS

/* Delivers records to a sink from a thread of its own, so that neither the
 * streaming thread nor the HTTP worker ever waits for a file or a broker.
 * Records wait in a bounded queue, the oldest dropped when it is full; the
 * counts go to the element's stats (published, publish-dropped,
 * publish-pending). */
typedef struct _ClarifaiPublisher ClarifaiPublisher;

/* @error: the destination became unreachable; %NULL: reachable again */
typedef void (*ClarifaiPublisherOutageFunc) (const GError * error,
    gpointer user_data);

ClarifaiPublisher *clarifai_publisher_new (ClarifaiSink * sink,
    const gchar * source, const gchar * api, guint queue_size,
    ClarifaiStats * stats, ClarifaiPublisherOutageFunc on_outage,
    gpointer user_data);
void clarifai_publisher_push (ClarifaiPublisher * publisher,
    ClarifaiRecord * record);
gboolean clarifai_publisher_flush (ClarifaiPublisher * publisher,
    gint64 end_time);
guint64 clarifai_publisher_free (ClarifaiPublisher * publisher);

G_END_DECLS

#endif /* __CLARIFAI_PUBLISHER_H__ */
