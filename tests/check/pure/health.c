/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Trouble that lasts: once per episode, again only after recovery. */

#include "clarifaihealth.h"

#define S G_USEC_PER_SEC

/* @n outcomes, @dropped of them pushed out of the queue (spread evenly),
 * from @t on, 10 a second, the service @up or not; returns how many raised
 * events. */
static guint
feed_up (ClarifaiHealth * h, gint64 * t, guint n, guint dropped,
    gboolean up, ClarifaiHealthEvents * events)
{
  guint i, raised = 0;

  *events = 0;
  for (i = 0; i < n; i++) {
    gboolean drop = (i + 1) * dropped / n > i * dropped / n;
    ClarifaiHealthEvents e = clarifai_health_observe (h, *t,
        drop ? "DROPPED" : "OK", drop ? "queue full (queue-size 4)" : "",
        up);

    raised += e != 0;
    *events |= e;
    *t += S / 10;
  }
  return raised;
}

static guint
feed (ClarifaiHealth * h, gint64 * t, guint n, guint dropped,
    ClarifaiHealthEvents * events)
{
  return feed_up (h, t, n, dropped, TRUE, events);
}

static void
test_sustained_loss (void)
{
  ClarifaiHealth *h = clarifai_health_new ();
  ClarifaiHealthEvents events;
  gint64 t = 1000 * S;
  guint dropped, frames;

  /* a few drops among many frames, and frames dropped by a flush: fine */
  g_assert_cmpuint (feed (h, &t, 100, 20, &events), ==, 0);
  g_assert_cmpint (clarifai_health_observe (h, t, "DROPPED", "flushed",
          TRUE), ==, 0);
  /* nine tenths of 20 s dropped, over a quarter of the minute: one
   * warning, not one per frame */
  g_assert_cmpuint (feed (h, &t, 400, 0, &events), ==, 0);
  g_assert_cmpuint (feed (h, &t, 200, 180, &events), ==, 1);
  g_assert_cmpint (events, ==, CLARIFAI_HEALTH_SUSTAINED_LOSS);
  clarifai_health_get_loss (h, &dropped, &frames);
  g_assert_cmpuint (frames, >=, 600);
  g_assert_cmpuint (frames, <=, 601);
  g_assert_cmpuint (dropped, >, 150);
  g_assert_cmpuint (feed (h, &t, 200, 100, &events), ==, 0);
  /* a minute without drops: recovered; the next episode warns again */
  g_assert_cmpuint (feed (h, &t, 700, 0, &events), ==, 0);
  g_assert_cmpuint (feed (h, &t, 400, 300, &events), ==, 1);
  /* in an outage, drops are the outage's */
  g_assert_cmpuint (feed (h, &t, 700, 0, &events), ==, 0);
  g_assert_cmpuint (feed_up (h, &t, 400, 300, FALSE, &events), ==, 0);
  /* a handful of frames cannot tell */
  clarifai_health_free (h);
  h = clarifai_health_new ();
  g_assert_cmpuint (feed (h, &t, CLARIFAI_HEALTH_LOSS_MIN_FRAMES - 1,
          CLARIFAI_HEALTH_LOSS_MIN_FRAMES - 1, &events), ==, 0);
  clarifai_health_free (h);
}

static void
test_undecodable (void)
{
  ClarifaiHealth *h = clarifai_health_new ();
  guint i, raised = 0;
  gint64 t = 0;

  for (i = 0; i < 3 * CLARIFAI_HEALTH_UNDECODABLE_RUN; i++)
    raised += clarifai_health_observe (h, t += S, "CLIENT_ERROR",
        "JPEG input has no readable header: Bogus marker length", TRUE) ==
        CLARIFAI_HEALTH_UNDECODABLE;
  g_assert_cmpuint (raised, ==, 1);
  /* one good frame ends the run; the next run warns again */
  g_assert_cmpint (clarifai_health_observe (h, t += S, "OK", "", TRUE), ==, 0);
  for (i = 0, raised = 0; i < CLARIFAI_HEALTH_UNDECODABLE_RUN; i++)
    raised += clarifai_health_observe (h, t += S, "CLIENT_ERROR",
        "JPEG input cannot be decoded: x", TRUE) == CLARIFAI_HEALTH_UNDECODABLE;
  g_assert_cmpuint (raised, ==, 1);
  clarifai_health_free (h);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/health/sustained-loss", test_sustained_loss);
  g_test_add_func ("/health/undecodable", test_undecodable);
  return g_test_run ();
}
