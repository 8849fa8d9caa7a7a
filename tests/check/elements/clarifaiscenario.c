/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What gst-validate's stock scenarios do to an element, as checks: seeks
 * forward and backward, a burst of flushing seeks (scrubbing), fast
 * forward, reverse playback and state changes, on raw, JPEG and demuxed
 * (Matroska) input, with and without `sync`, against a healthy, a slow and
 * a stalled reference server.  Each step must end in time, the buffers in
 * the element stay bounded, and the stream reaches EOS.  They run outside
 * valgrind and ASan (suite "scenarios"): a minute of pipelines there would
 * take ten. */

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "clarifaiserver.h"
#include "fixture.h"

#define STEP (10 * GST_SECOND)

static gchar *mkv;

/* A 1.5 s Matroska file of JPEG frames, for each check. */
static void
make_file (void)
{
  g_autofree gchar *desc = NULL;
  GstElement *pipeline;
  GstMessage *msg;
  GstBus *bus;
  gint fd = g_file_open_tmp ("clarifai-scenario-XXXXXX.mkv", &mkv, NULL);

  fail_unless (fd >= 0);
  close (fd);
  desc = g_strdup_printf ("videotestsrc num-buffers=45 pattern=ball ! "
      "video/x-raw,width=64,height=48,framerate=30/1 ! jpegenc ! "
      "matroskamux ! filesink location=%s", mkv);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, STEP, GST_MESSAGE_EOS |
      GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

static void
remove_file (void)
{
  g_unlink (mkv);
  g_clear_pointer (&mkv, g_free);
}

/* Waits for the pipeline to settle after a step: fails on an error or
 * when it takes longer than STEP. */
static void
settle (GstElement * pipeline, const gchar * what)
{
  GstStateChangeReturn ret = gst_element_get_state (pipeline, NULL, NULL,
      STEP);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (msg) {
    GError *err = NULL;
    gchar *debug = NULL;

    gst_message_parse_error (msg, &err, &debug);
    fail ("error after %s: %s (%s)", what, err->message, debug);
  }
  fail_unless (ret == GST_STATE_CHANGE_SUCCESS
      || ret == GST_STATE_CHANGE_NO_PREROLL, "%s did not settle in %"
      GST_TIME_FORMAT, what, GST_TIME_ARGS (STEP));
  gst_object_unref (bus);
}

static void
seek (GstElement * pipeline, gdouble rate, GstClockTime start,
    GstClockTime stop, const gchar * what)
{
  gboolean done = gst_element_seek (pipeline, rate, GST_FORMAT_TIME,
      GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET, start,
      stop == GST_CLOCK_TIME_NONE ? GST_SEEK_TYPE_NONE : GST_SEEK_TYPE_SET,
      stop);

  /* a source may refuse a rate (reverse playback): then nothing to wait
   * for */
  if (done)
    settle (pipeline, what);
  else
    GST_INFO ("%s refused by the source", what);
}

static void
set_state (GstElement * pipeline, GstState state)
{
  fail_if (gst_element_set_state (pipeline, state) == GST_STATE_CHANGE_FAILURE);
  settle (pipeline, gst_element_state_get_name (state));
}

/* The demuxer's pad comes again after each READY: gst-parse links the
 * first one only. */
static void
link_again (GstElement * demux, GstPad * pad, gpointer dec)
{
  GstPad *sink = gst_element_get_static_pad (dec, "sink");

  if (!gst_pad_is_linked (sink))
    gst_pad_link (pad, sink);
  gst_object_unref (sink);
}

/* Raw, JPEG or demuxed, 1.5 s each. */
static gchar *
input_desc (guint input)
{
  if (input == 2)
    return g_strdup_printf ("filesrc location=%s ! matroskademux name=d ! "
        "jpegdec name=dec", mkv);
  return g_strdup_printf ("videotestsrc num-buffers=45 pattern=ball ! "
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1%s",
      input == 1 ? " ! jpegenc" : "");
}

static const gchar *servers[] = { "healthy", "slow", "stalled" };

/* Input @input, with `sync` or not, against server @server (0 healthy, 1
 * answers in 300 ms, 2 stalls for 20 s, with a 1 s timeout).  With `sync`
 * the queue of frames to send drops rather than waits (leaky=downstream),
 * so that what bounds the element is its hold alone: the frames of
 * max-latency, 0.5 s here (16). */
static void
run_scenarios (guint input, gboolean sync, guint server)
{
  g_autofree gchar *source = input_desc (input);
  g_autofree gchar *desc = g_strdup_printf ("%s ! clarifaitag name=t "
      "api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY
      " interval=100000000 " "sync=%s %s ! fakesink sync=false", source,
      clarifai_server_get_url (fixture_server),
      sync ? "true leaky=downstream max-latency=500000000" : "false",
      server == 2 ? "timeout=1000000000 retries=0" : "");
  GstElement *pipeline, *t;
  GstBus *bus;
  GstMessage *msg;
  FixtureFlight flight;
  guint i;

  GST_INFO ("input %u, sync %d, %s server", input, sync, servers[server]);
  if (server)
    clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_SLOW, 0,
        server == 1 ? 300 : 20000);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  t = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  if (input == 2) {
    GstElement *d = gst_bin_get_by_name (GST_BIN (pipeline), "d");
    GstElement *dec = gst_bin_get_by_name (GST_BIN (pipeline), "dec");

    g_signal_connect (d, "pad-added", G_CALLBACK (link_again), dec);
    gst_object_unref (d);
    gst_object_unref (dec);
  }
  fixture_flight_watch (t, &flight);
  bus = gst_element_get_bus (pipeline);

  set_state (pipeline, GST_STATE_PAUSED);
  seek (pipeline, 1.0, GST_SECOND, GST_CLOCK_TIME_NONE, "seek forward");
  seek (pipeline, 1.0, GST_SECOND / 4, GST_CLOCK_TIME_NONE, "seek backward");
  /* scrubbing: a burst of flushing seeks, the last one must settle */
  for (i = 0; i < 20; i++)
    gst_element_seek_simple (pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH,
        (i % 5) * GST_SECOND / 4);
  settle (pipeline, "a burst of 20 flushing seeks");
  set_state (pipeline, GST_STATE_PLAYING);
  seek (pipeline, 2.0, 0, GST_CLOCK_TIME_NONE, "fast forward");
  seek (pipeline, -1.0, 0, GST_SECOND, "reverse playback");
  for (i = 0; i < 5; i++) {
    set_state (pipeline, GST_STATE_PAUSED);
    set_state (pipeline, GST_STATE_PLAYING);
  }
  for (i = 0; i < 3; i++) {
    set_state (pipeline, GST_STATE_READY);
    /* The bound is checked on the last pass, from the start to EOS: what
     * the element held was dropped here, and flushes drop buffers on
     * either side of the counts. */
    fixture_flight_reset (&flight);
    set_state (pipeline, GST_STATE_PLAYING);
  }

  /* and to the end */
  msg = gst_bus_timed_pop_filtered (bus, 6 * STEP, GST_MESSAGE_EOS |
      GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no EOS");
  fail_unless (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS, "an error");
  gst_message_unref (msg);
  /* held: the frames of max-latency at most, one on its way out and one
   * coming in; without sync, the one on its way through */
  GST_INFO ("at most %d buffers in the element", flight.most);
  fail_unless (flight.most <= (sync ? 18 : 2), "%d buffers in the element",
      flight.most);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (t);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

/* __i__: 0-5: server (healthy, slow, stalled) without and with sync */
GST_START_TEST (test_scenarios_raw)
{
  run_scenarios (0, __i__ % 2, __i__ / 2);
}

GST_END_TEST;

GST_START_TEST (test_scenarios_jpeg)
{
  run_scenarios (1, __i__ % 2, __i__ / 2);
}

GST_END_TEST;

GST_START_TEST (test_scenarios_demuxed)
{
  run_scenarios (2, __i__ % 2, __i__ / 2);
}

GST_END_TEST;

static Suite *
clarifaiscenario_suite (void)
{
  Suite *s = suite_create ("clarifaiscenario");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 300);
  tcase_add_checked_fixture (tc, fixture_server_setup, fixture_server_teardown);
  tcase_add_checked_fixture (tc, make_file, remove_file);
  tcase_add_loop_test (tc, test_scenarios_raw, 0, 6);
  tcase_add_loop_test (tc, test_scenarios_jpeg, 0, 6);
  tcase_add_loop_test (tc, test_scenarios_demuxed, 0, 6);
  return s;
}

GST_CHECK_MAIN (clarifaiscenario);
