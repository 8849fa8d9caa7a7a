/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Change-driven sampling (change-threshold, max-interval) and alerts
 * (alert-classes, alert-threshold, alert-hold) against the reference
 * server: the messages, the stats and the requests the server saw. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <math.h>

#include "clarifaiserver.h"
#include "fixture.h"
#include "testutil.h"

#define WAIT (20 * GST_SECOND)
#define FPS 10
#define FRAME (GST_SECOND / FPS)

typedef struct
{
  GstHarness *h;
  GstElement *el;
  GstBus *bus;
} Tagger;

/* A v2 tagger of 64x48 I420 (or @caps) frames with @props. */
static Tagger *
tagger_new (const gchar * props, const gchar * caps)
{
  Tagger *t = g_new0 (Tagger, 1);
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag api-url=%s "
      "api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY " queue-size=256 %s",
      clarifai_server_get_url (fixture_server), props);

  t->el = gst_parse_launch (desc, NULL);
  fail_unless (t->el != NULL);
  t->h = fixture_harness_new (gst_object_ref (t->el), &t->bus, caps ? caps :
      "video/x-raw,format=I420,width=64,height=48,framerate=10/1");
  return t;
}

static void
tagger_free (Tagger * t)
{
  fixture_harness_free (t->h, t->bus);
  gst_object_unref (t->el);
  g_free (t);
}

static void
push (Tagger * t, GstBuffer * buf, guint index)
{
  GST_BUFFER_PTS (buf) = index * FRAME;
  GST_BUFFER_DURATION (buf) = FRAME;
  fail_unless_equals_int (gst_harness_push (t->h, buf), GST_FLOW_OK);
  gst_buffer_unref (gst_harness_pull (t->h));
}

static GstBuffer *
solid (guint32 rgb)
{
  GstVideoInfo info;

  return test_frame (GST_VIDEO_FORMAT_I420, 64, 48, rgb, 64, rgb, &info);
}

/* All the clarifai-tags messages of the @n sampled frames. */
static GPtrArray *
take_tags (Tagger * t, guint n)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  GstMessage *msg;

  while (all->len < n) {
    msg = gst_bus_timed_pop_filtered (t->bus, WAIT, GST_MESSAGE_ELEMENT);
    fail_unless (msg != NULL, "%u of %u messages", all->len, n);
    if (gst_message_has_name (msg, "clarifai-tags"))
      g_ptr_array_add (all,
          gst_structure_copy (gst_message_get_structure (msg)));
    gst_message_unref (msg);
  }
  /* and no more */
  msg = gst_bus_timed_pop_filtered (t->bus, 200 * GST_MSECOND,
      GST_MESSAGE_ELEMENT);
  fail_unless (msg == NULL, "a message too many");
  return all;
}

static guint64
stat (Tagger * t, const gchar * field)
{
  GstStructure *st = NULL;
  guint64 v = 0;

  g_object_get (t->el, "stats", &st, NULL);
  fail_unless (gst_structure_get_uint64 (st, field, &v));
  gst_structure_free (st);
  return v;
}

static guint64
timestamp (GPtrArray * tags, guint i)
{
  guint64 v = 0;

  gst_structure_get_uint64 (tags->pdata[i], "timestamp", &v);
  return v;
}

static const gchar *
first_class (GPtrArray * tags, guint i)
{
  return g_value_get_string (gst_value_array_get_value
      (gst_structure_get_value (tags->pdata[i], "classes"), 0));
}

static guint
server_requests (void)
{
  g_autoptr (GPtrArray) requests =
      clarifai_server_get_tag_requests (fixture_server);

  return requests->len;
}

static const guint32 tour[] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffff00,
  0xffffff
};

static const gchar *tour_names[] = { "red", "green", "blue", "yellow",
  "white"
};

/* Five colours, each held 3 s at 10 fps; returns the tagger, stopped. */
static GPtrArray *
run_tour (const gchar * props, guint expected, guint64 * unchanged)
{
  Tagger *t = tagger_new (props, NULL);
  GPtrArray *tags;
  guint c, i;

  for (c = 0; c < G_N_ELEMENTS (tour); c++)
    for (i = 0; i < 3 * FPS; i++)
      push (t, solid (tour[c]), c * 3 * FPS + i);
  tags = take_tags (t, expected);
  fail_unless_equals_uint64 (stat (t, "sampled"), expected);
  *unchanged = stat (t, "unchanged");
  tagger_free (t);
  return tags;
}

/* Every change of colour is tagged within one interval of it, once; the
 * service sees one request per colour against one per interval without
 * change detection. */
GST_START_TEST (test_change_tour)
{
  g_autoptr (GPtrArray) all = NULL, tags = NULL;
  guint64 unchanged, none;
  guint requests_all, requests_change, c;

  all = run_tour ("interval=200000000", 75, &none);
  requests_all = server_requests ();
  fail_unless_equals_uint64 (none, 0);

  tags = run_tour ("interval=200000000 change-threshold=0.05", 5, &unchanged);
  requests_change = server_requests () - requests_all;
  for (c = 0; c < G_N_ELEMENTS (tour); c++) {
    guint64 change = c * 3 * GST_SECOND;

    fail_unless_equals_string (first_class (tags, c), tour_names[c]);
    fail_unless (timestamp (tags, c) >= change
        && timestamp (tags, c) <= change + 200 * GST_MSECOND,
        "colour %u tagged at %" GST_TIME_FORMAT, c,
        GST_TIME_ARGS (timestamp (tags, c)));
  }
  /* due every 200 ms: 75 frames due, 5 sent */
  fail_unless_equals_uint64 (unchanged, 70);
  fail_unless_equals_int (requests_all, 75);
  fail_unless_equals_int (requests_change, 5);
  fail_unless (requests_all >= 5 * requests_change);
}

GST_END_TEST;

/* A still picture is tagged again once max-interval has passed. */
GST_START_TEST (test_change_max_interval)
{
  Tagger *t = tagger_new ("interval=200000000 change-threshold=0.05 "
      "max-interval=1000000000", NULL);
  g_autoptr (GPtrArray) tags = NULL;
  guint i;

  for (i = 0; i < 32; i++)
    push (t, solid (0x00ff00), i);
  tags = take_tags (t, 4);
  for (i = 0; i < 4; i++)
    fail_unless_equals_uint64 (timestamp (tags, i), i * GST_SECOND);
  fail_unless_equals_uint64 (stat (t, "unchanged"), 16 - 4);
  tagger_free (t);
}

GST_END_TEST;

/* A luma pattern that moves half a pixel per frame: each frame differs a
 * little from the one before it.  The difference adds up from the last
 * sampled frame until it reaches the threshold: fewer samples than frames
 * (an equality test would take every frame), more than one, and fewer
 * again with a higher threshold. */
static guint
run_drift (const gchar * threshold, guint frames)
{
  g_autofree gchar *props = g_strdup_printf ("interval=0 change-threshold=%s",
      threshold);
  Tagger *t = tagger_new (props, NULL);
  GstVideoInfo info;
  guint i, x, y, sampled;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 64, 48);
  for (i = 0; i < frames; i++) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, info.size, NULL);
    GstVideoFrame f;

    gst_video_frame_map (&f, &info, buf, GST_MAP_WRITE);
    for (y = 0; y < 48; y++)
      for (x = 0; x < 64; x++)
        ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0))[y *
            GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0) + x] =
            128 + 50 * sin (2 * G_PI * (x + i * 0.5) / 64);
    memset (GST_VIDEO_FRAME_PLANE_DATA (&f, 1), 128,
        GST_VIDEO_FRAME_PLANE_STRIDE (&f, 1) * 24);
    memset (GST_VIDEO_FRAME_PLANE_DATA (&f, 2), 128,
        GST_VIDEO_FRAME_PLANE_STRIDE (&f, 2) * 24);
    gst_video_frame_unmap (&f);
    push (t, buf, i);
  }
  sampled = stat (t, "sampled");
  fail_unless_equals_uint64 (stat (t, "unchanged") + sampled, frames);
  g_ptr_array_unref (take_tags (t, sampled));
  tagger_free (t);
  return sampled;
}

GST_START_TEST (test_change_drift)
{
  guint low = run_drift ("0.05", 80), high = run_drift ("0.15", 80);

  GST_INFO ("drift: %u samples at 0.05, %u at 0.15, of 80 frames", low, high);
  fail_unless (low > 4 && low < 40, "%u samples at 0.05", low);
  fail_unless (high > 1 && high < low, "%u samples at 0.15", high);
}

GST_END_TEST;

/* image/jpeg input: the thumbnail comes from a reduced-size decode. */
GST_START_TEST (test_change_jpeg)
{
  Tagger *t = tagger_new ("interval=0 change-threshold=0.05",
      "image/jpeg,width=64,height=48,framerate=10/1");
  g_autoptr (GPtrArray) tags = NULL;
  guint c, i;

  for (c = 0; c < 3; c++) {
    g_autoptr (GBytes) jpeg = test_jpeg (64, 48, tour[c]);

    for (i = 0; i < 10; i++)
      push (t, gst_buffer_new_wrapped_bytes (jpeg), c * 10 + i);
  }
  tags = take_tags (t, 3);
  for (c = 0; c < 3; c++) {
    fail_unless_equals_string (first_class (tags, c), tour_names[c]);
    fail_unless_equals_uint64 (timestamp (tags, c), c * GST_SECOND);
  }
  fail_unless_equals_uint64 (stat (t, "unchanged"), 27);
  tagger_free (t);
}

GST_END_TEST;

/* A flush and a caps change forget the last frame: the next due frame is
 * sampled though it looks the same. */
GST_START_TEST (test_change_forget)
{
  Tagger *t = tagger_new ("interval=0 change-threshold=0.05", NULL);
  g_autoptr (GPtrArray) tags = NULL;
  GstVideoInfo info;
  GstSegment segment;

  push (t, solid (0xff0000), 0);
  push (t, solid (0xff0000), 1);
  fail_unless (gst_harness_push_event (t->h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (t->h, gst_event_new_flush_stop (FALSE)));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (t->h, gst_event_new_segment (&segment)));
  push (t, solid (0xff0000), 2);
  push (t, solid (0xff0000), 3);
  gst_harness_set_src_caps_str (t->h,
      "video/x-raw,format=I420,width=32,height=24,framerate=10/1");
  push (t, test_frame (GST_VIDEO_FORMAT_I420, 32, 24, 0xff0000, 32, 0xff0000,
          &info), 4);
  tags = take_tags (t, 3);
  fail_unless_equals_uint64 (timestamp (tags, 1), 2 * FRAME);
  fail_unless_equals_uint64 (timestamp (tags, 2), 4 * FRAME);
  fail_unless_equals_uint64 (stat (t, "unchanged"), 2);
  tagger_free (t);
}

GST_END_TEST;

/* ---- alerts ---- */

/* Every element message, in the order posted, as "tags:<first class or
 * status>" and "alert:<class>:<state>@<timestamp in tenths of s>", until
 * @n tags messages have come. */
static gchar *
take_sequence (Tagger * t, guint n)
{
  GString *seq = g_string_new (NULL);
  GstMessage *msg;

  while (n > 0 || (msg = gst_bus_timed_pop_filtered (t->bus,
              200 * GST_MSECOND, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s;
    guint64 ts = 0;

    if (n > 0) {
      msg = gst_bus_timed_pop_filtered (t->bus, WAIT, GST_MESSAGE_ELEMENT);
      fail_unless (msg != NULL, "%u tags messages missing", n);
    }
    s = gst_message_get_structure (msg);
    gst_structure_get_uint64 (s, "timestamp", &ts);
    if (gst_structure_has_name (s, "clarifai-tags")) {
      const GValue *classes = gst_structure_get_value (s, "classes");
      const gchar *status = gst_structure_get_string (s, "status");

      g_string_append_printf (seq, "tags:%s ", g_str_equal (status, "OK")
          && gst_value_array_get_size (classes) ?
          g_value_get_string (gst_value_array_get_value (classes, 0)) : status);
      if (n > 0)
        n--;
    } else if (gst_structure_has_name (s, "clarifai-alert")) {
      gdouble p = -1;

      gst_structure_get_double (s, "probability", &p);
      fail_unless (p >= 0 && p <= 1);
      g_string_append_printf (seq, "alert:%s:%s@%" G_GUINT64_FORMAT " ",
          gst_structure_get_string (s, "class"),
          gst_structure_get_string (s, "state"), ts / (GST_SECOND / 10));
    }
    gst_message_unref (msg);
  }
  return g_string_free (seq, FALSE);
}

/* One frame of @rgb at @index, and its message, before the next. */
static void
push_one (Tagger * t, guint32 rgb, guint index)
{
  push (t, solid (rgb), index);
}

/* red appears with the first result that has it, and is gone once it has
 * been missing for alert-hold; each alert right after its result. */
GST_START_TEST (test_alert_appear_gone)
{
  Tagger *t = tagger_new ("interval=500000000 max-in-flight=1 "
      "alert-classes=red alert-hold=1000000000", NULL);
  g_autofree gchar *seq = NULL;
  guint i;

  /* blue 0-1 s, red 1-3 s, blue 3-6 s; sampled every 500 ms */
  for (i = 0; i < 60; i++)
    push (t, solid (i >= 10 && i < 30 ? 0xff0000 : 0x0000ff), i);
  seq = take_sequence (t, 12);
  /* red last seen at 2.5 s: gone with the blue frame of 3.5 s */
  fail_unless_equals_string (seq, "tags:blue tags:blue tags:red "
      "alert:red:appeared@10 tags:red tags:red tags:red tags:blue tags:blue "
      "alert:red:gone@35 tags:blue tags:blue tags:blue tags:blue ");
  tagger_free (t);
}

GST_END_TEST;

/* Pushes a frame and waits until its result, if it was sampled, is in:
 * what the element decides for the next frame may depend on it. */
static void
push_settled (Tagger * t, GstBuffer * buf, guint index)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  push (t, buf, index);
  while (stat (t, "pending") > 0) {
    fail_unless (g_get_monotonic_time () < end, "no result in 10 s");
    g_usleep (5000);
  }
}

/* With change-driven sampling a static scene makes no samples; while a
 * watched class is present a due frame is sampled at least every
 * alert-hold all the same, so that a class that leaves is declared gone
 * within about alert-hold + interval of its last sighting (not at
 * max-interval), and one that leaves and comes back gives three alerts,
 * not one. */
GST_START_TEST (test_alert_change_threshold)
{
  Tagger *t = tagger_new ("interval=500000000 max-in-flight=1 "
      "change-threshold=0.05 alert-classes=red alert-hold=1000000000", NULL);
  g_autofree gchar *seq = NULL;
  guint i;

  /* red 1.0-1.5 s and 4.0-4.5 s, blue otherwise */
  for (i = 0; i < 60; i++)
    push_settled (t, solid ((i >= 10 && i < 15) || (i >= 40 && i < 45) ?
            0xff0000 : 0x0000ff), i);
  seq = take_sequence (t, 7);
  fail_unless_equals_string (seq, "tags:blue tags:red alert:red:appeared@10 "
      "tags:blue tags:blue alert:red:gone@25 tags:red alert:red:appeared@40 "
      "tags:blue tags:blue alert:red:gone@55 ");
  tagger_free (t);
}

GST_END_TEST;

/* A class missing from one result, and watched by its concept id: no
 * flapping. */
GST_START_TEST (test_alert_no_flapping)
{
  Tagger *t = tagger_new ("interval=500000000 max-in-flight=1 "
      "alert-classes=\"ai_red, person\" alert-hold=1000000000", NULL);
  g_autofree gchar *seq = NULL;
  guint i;

  for (i = 0; i < 30; i++)
    push (t, solid (i == 15 ? 0x00ff00 : 0xff0000), i);
  seq = take_sequence (t, 6);
  fail_unless_equals_string (seq, "tags:red alert:ai_red:appeared@0 "
      "tags:red tags:red tags:green tags:red tags:red ");
  tagger_free (t);
}

GST_END_TEST;

/* Failed results neither make nor end a presence; at EOS nothing is
 * declared gone. */
GST_START_TEST (test_alert_failed_results)
{
  Tagger *t = tagger_new ("interval=0 max-in-flight=1 retries=0 "
      "alert-classes=red alert-hold=0", NULL);
  g_autofree gchar *seq1 = NULL, *seq2 = NULL, *seq3 = NULL;

  /* red, but the answers are garbage: no presence */
  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_MALFORMED,
      2, 0);
  push_one (t, 0xff0000, 0);
  push_one (t, 0xff0000, 1);
  seq1 = take_sequence (t, 2);
  fail_unless_equals_string (seq1, "tags:BAD_RESPONSE tags:BAD_RESPONSE ");

  /* red answered: present; blue not answered: still present */
  push_one (t, 0xff0000, 2);
  seq2 = take_sequence (t, 1);
  fail_unless_equals_string (seq2, "tags:red alert:red:appeared@2 ");
  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_MALFORMED,
      2, 0);
  push_one (t, 0x0000ff, 3);
  push_one (t, 0x0000ff, 4);
  push_one (t, 0xff0000, 5);
  fail_unless (gst_harness_push_event (t->h, gst_event_new_eos ()));
  seq3 = take_sequence (t, 3);
  fail_unless_equals_string (seq3, "tags:BAD_RESPONSE tags:BAD_RESPONSE "
      "tags:red ");
  tagger_free (t);
}

GST_END_TEST;

static Suite *
clarifaichange_suite (void)
{
  Suite *s = suite_create ("clarifaichange");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, fixture_server_setup, fixture_server_teardown);
  tcase_add_test (tc, test_change_tour);
  tcase_add_test (tc, test_change_max_interval);
  tcase_add_test (tc, test_change_drift);
  tcase_add_test (tc, test_change_jpeg);
  tcase_add_test (tc, test_change_forget);
  tcase_add_test (tc, test_alert_appear_gone);
  tcase_add_test (tc, test_alert_change_threshold);
  tcase_add_test (tc, test_alert_no_flapping);
  tcase_add_test (tc, test_alert_failed_results);
  return s;
}

GST_CHECK_MAIN (clarifaichange);
