/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_STATS_H__
#define __CLARIFAI_STATS_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* The element's counters.  One lock covers them all so that a reader always
 * sees sampled == tagged + failed + dropped + pending, and, when results are
 * published, tagged + failed + dropped == published + publish_dropped +
 * publish_pending. */
typedef struct
{
  GMutex lock;
  GCond idle;
  guint64 sampled;
  guint64 tagged;
  guint64 failed;
  guint64 dropped;
  guint64 pending;
  guint64 requests;
  guint64 retries;
  guint64 throttled;
  guint64 published;
  guint64 publish_dropped;
  guint64 publish_pending;
  guint64 unchanged;
} ClarifaiStats;

typedef enum
{
  CLARIFAI_OUTCOME_TAGGED,
  CLARIFAI_OUTCOME_FAILED,
  CLARIFAI_OUTCOME_DROPPED,
} ClarifaiOutcome;

void clarifai_stats_init (ClarifaiStats * stats);
void clarifai_stats_clear (ClarifaiStats * stats);
void clarifai_stats_reset (ClarifaiStats * stats);
guint64 clarifai_stats_sample (ClarifaiStats * stats);
void clarifai_stats_complete (ClarifaiStats * stats, ClarifaiOutcome outcome,
    gboolean publish);
void clarifai_stats_publish_done (ClarifaiStats * stats, guint64 published,
    guint64 dropped);
guint64 clarifai_stats_get_publish_pending (ClarifaiStats * stats);
void clarifai_stats_request (ClarifaiStats * stats, gboolean retry);
void clarifai_stats_throttled (ClarifaiStats * stats);
void clarifai_stats_unchanged (ClarifaiStats * stats);
gboolean clarifai_stats_wait_idle (ClarifaiStats * stats, gint64 end_time);
GstStructure *clarifai_stats_to_structure (ClarifaiStats * stats,
    guint64 token_requests);

G_END_DECLS

#endif /* __CLARIFAI_STATS_H__ */
