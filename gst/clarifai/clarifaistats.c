/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "clarifaistats.h"

#include <string.h>

void
clarifai_stats_init (ClarifaiStats * stats)
{
  memset (stats, 0, sizeof (*stats));
  g_mutex_init (&stats->lock);
  g_cond_init (&stats->idle);
}

void
clarifai_stats_clear (ClarifaiStats * stats)
{
  g_mutex_clear (&stats->lock);
  g_cond_clear (&stats->idle);
}

void
clarifai_stats_reset (ClarifaiStats * stats)
{
  g_mutex_lock (&stats->lock);
  stats->sampled = stats->tagged = stats->failed = stats->dropped = 0;
  stats->pending = stats->requests = stats->retries = stats->throttled = 0;
  stats->published = stats->publish_dropped = stats->publish_pending = 0;
  stats->unchanged = 0;
  g_mutex_unlock (&stats->lock);
}

/* Returns: the new frame's sample-id. */
guint64
clarifai_stats_sample (ClarifaiStats * stats)
{
  guint64 id;

  g_mutex_lock (&stats->lock);
  id = stats->sampled++;
  stats->pending++;
  g_mutex_unlock (&stats->lock);
  return id;
}

/* @publish: the result goes on to be published; it is counted as
 * publish-pending in the same step, so the publishing invariant never
 * breaks. */
void
clarifai_stats_complete (ClarifaiStats * stats, ClarifaiOutcome outcome,
    gboolean publish)
{
  g_mutex_lock (&stats->lock);
  if (publish)
    stats->publish_pending++;
  g_assert (stats->pending > 0);
  stats->pending--;
  switch (outcome) {
    case CLARIFAI_OUTCOME_TAGGED:
      stats->tagged++;
      break;
    case CLARIFAI_OUTCOME_FAILED:
      stats->failed++;
      break;
    case CLARIFAI_OUTCOME_DROPPED:
      stats->dropped++;
      break;
  }
  if (stats->pending == 0)
    g_cond_broadcast (&stats->idle);
  g_mutex_unlock (&stats->lock);
}

void
clarifai_stats_publish_done (ClarifaiStats * stats, guint64 published,
    guint64 dropped)
{
  g_mutex_lock (&stats->lock);
  g_assert (stats->publish_pending >= published + dropped);
  stats->publish_pending -= published + dropped;
  stats->published += published;
  stats->publish_dropped += dropped;
  g_mutex_unlock (&stats->lock);
}

guint64
clarifai_stats_get_publish_pending (ClarifaiStats * stats)
{
  guint64 n;

  g_mutex_lock (&stats->lock);
  n = stats->publish_pending;
  g_mutex_unlock (&stats->lock);
  return n;
}

void
clarifai_stats_request (ClarifaiStats * stats, gboolean retry)
{
  g_mutex_lock (&stats->lock);
  stats->requests++;
  if (retry)
    stats->retries++;
  g_mutex_unlock (&stats->lock);
}

/* A due frame that looked like the last sampled one and was not sent. */
void
clarifai_stats_unchanged (ClarifaiStats * stats)
{
  g_mutex_lock (&stats->lock);
  stats->unchanged++;
  g_mutex_unlock (&stats->lock);
}

void
clarifai_stats_throttled (ClarifaiStats * stats)
{
  g_mutex_lock (&stats->lock);
  stats->throttled++;
  g_mutex_unlock (&stats->lock);
}

/**
 * clarifai_stats_wait_idle:
 * @end_time: monotonic deadline (µs)
 *
 * Waits until every sampled frame has its message.
 *
 * Returns: %FALSE if the deadline passed first
 */
gboolean
clarifai_stats_wait_idle (ClarifaiStats * stats, gint64 end_time)
{
  gboolean idle;

  g_mutex_lock (&stats->lock);
  while (stats->pending > 0)
    if (!g_cond_wait_until (&stats->idle, &stats->lock, end_time))
      break;
  idle = stats->pending == 0;
  g_mutex_unlock (&stats->lock);
  return idle;
}

GstStructure *
clarifai_stats_to_structure (ClarifaiStats * stats, guint64 token_requests)
{
  GstStructure *s;

  g_mutex_lock (&stats->lock);
  s = gst_structure_new ("clarifaitag-stats",
      "sampled", G_TYPE_UINT64, stats->sampled,
      "tagged", G_TYPE_UINT64, stats->tagged,
      "failed", G_TYPE_UINT64, stats->failed,
      "dropped", G_TYPE_UINT64, stats->dropped,
      "pending", G_TYPE_UINT64, stats->pending,
      "requests", G_TYPE_UINT64, stats->requests,
      "token-requests", G_TYPE_UINT64, token_requests,
      "retries", G_TYPE_UINT64, stats->retries,
      "throttled", G_TYPE_UINT64, stats->throttled,
      "published", G_TYPE_UINT64, stats->published,
      "publish-dropped", G_TYPE_UINT64, stats->publish_dropped,
      "publish-pending", G_TYPE_UINT64, stats->publish_pending,
      "unchanged", G_TYPE_UINT64, stats->unchanged, NULL);
  g_mutex_unlock (&stats->lock);
  return s;
}
