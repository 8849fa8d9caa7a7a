/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "clarifaihealth.h"

#include <string.h>

/* The last minute, a bucket a second. */
#define BUCKETS 60

typedef struct
{
  gint64 second;                /* monotonic, in s; whose counts these are */
  guint frames;
  guint dropped;
} Bucket;

struct _ClarifaiHealth
{
  Bucket buckets[BUCKETS];
  gboolean losing;              /* warned, not recovered yet */
  guint undecodable;            /* image/jpeg failures in a row */
  gboolean undecodable_warned;
};

ClarifaiHealth *
clarifai_health_new (void)
{
  return g_new0 (ClarifaiHealth, 1);
}

void
clarifai_health_free (ClarifaiHealth * health)
{
  g_free (health);
}

/* The counts of the last minute up to @second. */
static void
sum_minute (ClarifaiHealth * h, gint64 second, guint * frames, guint * dropped)
{
  guint i;

  *frames = *dropped = 0;
  for (i = 0; i < BUCKETS; i++) {
    const Bucket *b = &h->buckets[i];

    if (b->second > second - BUCKETS && b->second <= second) {
      *frames += b->frames;
      *dropped += b->dropped;
    }
  }
}

/* A frame pushed out of the queue for a newer one: the service did not
 * keep up.  A flush or a stop drops frames too, for other reasons. */
static gboolean
dropped_for_room (const gchar * status, const gchar * status_msg)
{
  return g_str_equal (status, "DROPPED") && status_msg
      && g_str_has_prefix (status_msg, "queue full");
}

static ClarifaiHealthEvents
observe_loss (ClarifaiHealth * h, gint64 now_us, gboolean dropped)
{
  gint64 second = now_us / G_USEC_PER_SEC;
  Bucket *b = &h->buckets[second % BUCKETS];
  guint frames, lost;

  if (b->second != second) {
    b->second = second;
    b->frames = b->dropped = 0;
  }
  b->frames++;
  b->dropped += dropped;

  sum_minute (h, second, &frames, &lost);
  if (frames < CLARIFAI_HEALTH_LOSS_MIN_FRAMES)
    return CLARIFAI_HEALTH_FINE;
  if (!h->losing && lost > frames * CLARIFAI_HEALTH_LOSS_WARN) {
    h->losing = TRUE;
    return CLARIFAI_HEALTH_SUSTAINED_LOSS;
  }
  if (h->losing && lost < frames * CLARIFAI_HEALTH_LOSS_RECOVERED)
    h->losing = FALSE;
  return CLARIFAI_HEALTH_FINE;
}

/**
 * clarifai_health_observe:
 * @now_us: monotonic time of the outcome
 * @service_up: %FALSE in an outage of the service: frames dropped then
 *   are the outage's, which has a warning of its own
 *
 * Returns: what to report now, each once per episode
 */
ClarifaiHealthEvents
clarifai_health_observe (ClarifaiHealth * h, gint64 now_us,
    const gchar * status, const gchar * status_msg, gboolean service_up)
{
  ClarifaiHealthEvents events;

  events = observe_loss (h, now_us, service_up
      && dropped_for_room (status, status_msg));
  if (g_str_equal (status, "CLIENT_ERROR") && status_msg
      && strstr (status_msg, "JPEG input")) {
    if (++h->undecodable >= CLARIFAI_HEALTH_UNDECODABLE_RUN
        && !h->undecodable_warned) {
      h->undecodable_warned = TRUE;
      events |= CLARIFAI_HEALTH_UNDECODABLE;
    }
  } else if (g_str_equal (status, "OK")) {
    h->undecodable = 0;
    h->undecodable_warned = FALSE;
  }
  return events;
}

/**
 * clarifai_health_get_loss:
 *
 * The last minute's frames, and how many of them were dropped for room,
 * for the warning's text.
 */
void
clarifai_health_get_loss (ClarifaiHealth * h, guint * dropped, guint * frames)
{
  gint64 second = 0;
  guint i;

  for (i = 0; i < BUCKETS; i++)
    second = MAX (second, h->buckets[i].second);
  sum_minute (h, second, frames, dropped);
}
