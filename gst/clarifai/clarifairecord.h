/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_RECORD_H__
#define __CLARIFAI_RECORD_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* What the element publishes: a frame's result (the fields of its
 * `clarifai-tags` message) or an alert (of its `clarifai-alert` message),
 * turned into one line of JSON by the publisher's thread, not by the
 * thread that made it.  Results are counted in the stats, alerts not. */
typedef struct
{
  GstStructure *fields;
  gint64 wall_time;             /* µs since the epoch, when it happened */
  gboolean counted;             /* a result */
} ClarifaiRecord;

ClarifaiRecord *clarifai_record_new (GstStructure * fields, gint64 wall_time);
void clarifai_record_free (ClarifaiRecord * record);
gchar *clarifai_record_to_json (const ClarifaiRecord * record,
    const gchar * source, const gchar * api, gsize * length);
gchar *clarifai_format_wall_time (gint64 wall_time);

G_END_DECLS

#endif /* __CLARIFAI_RECORD_H__ */
