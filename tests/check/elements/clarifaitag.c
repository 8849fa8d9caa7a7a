/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* clarifaitag against the in-process reference server on an ephemeral
 * loopback port.  The server tags each image with its dominant colours, so
 * a red frame must come back as "red": what the tests check is what the
 * element produced, frame by frame. */

#include <gst/check/gstcheck.h>
#include <libsoup/soup.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "clarifaiserver.h"
#include "fixture.h"
#include "testutil.h"

#define RED 0xff0000
#define GREEN 0x00ff00
#define BLUE 0x0000ff
#define WHITE 0xffffff
#define ID "test-client-id"
#define SECRET "test-client-secret"
#define WAIT (20 * GST_SECOND)

/* ---- helpers ---- */

static GstElement *
make_tagger (const gchar * extra)
{
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag api-url=%s "
      "client-id=" ID " client-secret=" SECRET " %s",
      clarifai_server_get_url (fixture_server), extra ? extra : "");
  GError *err = NULL;
  GstElement *el = gst_parse_launch (desc, &err);

  fail_unless (el != NULL, "%s", err ? err->message : "");
  return el;
}

/* A v2 element: the API key alone picks the dialect. */
static GstElement *
make_v2_tagger (const gchar * extra)
{
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag api-url=%s "
      "api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY " %s",
      clarifai_server_get_url (fixture_server), extra ? extra : "");
  GError *err = NULL;
  GstElement *el = gst_parse_launch (desc, &err);

  fail_unless (el != NULL, "%s", err ? err->message : "");
  return el;
}

static GstHarness *
tagger_harness (const gchar * extra, GstBus ** bus)
{
  return fixture_harness_new (make_tagger (extra), bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
}

static GstHarness *
v2_harness (const gchar * extra, GstBus ** bus)
{
  return fixture_harness_new (make_v2_tagger (extra), bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
}

static GstBuffer *
frame (guint32 rgb, guint index)
{
  GstVideoInfo info;
  GstBuffer *buf = test_frame (GST_VIDEO_FORMAT_I420, 64, 48, rgb, 64, rgb,
      &info);

  GST_BUFFER_PTS (buf) = gst_util_uint64_scale (index, GST_SECOND, 30);
  GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (index + 1, GST_SECOND,
      30) - GST_BUFFER_PTS (buf);
  return buf;
}

static GstBuffer *
jpeg_frame (guint width, guint height, guint32 rgb, GstClockTime pts)
{
  g_autoptr (GBytes) jpeg = test_jpeg (width, height, rgb);
  GstBuffer *buf = gst_buffer_new_wrapped_bytes (jpeg);

  GST_BUFFER_PTS (buf) = pts;
  return buf;
}

static void
push_frame (GstHarness * h, guint32 rgb, guint index)
{
  fail_unless_equals_int (gst_harness_push (h, frame (rgb, index)),
      GST_FLOW_OK);
  gst_buffer_unref (gst_harness_pull (h));
}

/* Waits for the next clarifai-tags message; NULL after @timeout. */
static GstStructure *
next_tags (GstBus * bus, GstClockTime timeout)
{
  GstMessage *msg;
  GstStructure *s = NULL;

  while ((msg = gst_bus_timed_pop_filtered (bus, timeout, GST_MESSAGE_ELEMENT))) {
    const GstStructure *ms = gst_message_get_structure (msg);

    if (gst_structure_has_name (ms, "clarifai-tags"))
      s = gst_structure_copy (ms);
    gst_message_unref (msg);
    if (s)
      break;
  }
  return s;
}

static gint
by_sample_id (gconstpointer a, gconstpointer b)
{
  guint64 x = 0, y = 0;

  gst_structure_get_uint64 (*(GstStructure **) a, "sample-id", &x);
  gst_structure_get_uint64 (*(GstStructure **) b, "sample-id", &y);
  return (x > y) - (x < y);
}

static void
assert_in_sampling_order (GPtrArray * tags)
{
  guint i;

  for (i = 1; i < tags->len; i++)
    fail_unless (by_sample_id (&tags->pdata[i - 1], &tags->pdata[i]) < 0,
        "message %u is out of sampling order", i);
}

/* The next @n clarifai-tags messages, which come in sampling order even
 * when requests in flight at once are answered in another. */
static GPtrArray *
take_tags (GstBus * bus, guint n)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);

  while (all->len < n) {
    GstStructure *s = next_tags (bus, WAIT);

    fail_unless (s != NULL, "got %u of %u messages", all->len, n);
    g_ptr_array_add (all, s);
  }
  assert_in_sampling_order (all);
  return all;
}

static void
assert_no_more_tags (GstBus * bus)
{
  GstStructure *s = next_tags (bus, 300 * GST_MSECOND);

  fail_unless (s == NULL, "unexpected message %" GST_PTR_FORMAT, s);
}

static const gchar *
str (const GstStructure * s, const gchar * field)
{
  const gchar *v = gst_structure_get_string (s, field);

  fail_unless (v != NULL, "no %s in %" GST_PTR_FORMAT, field, s);
  return v;
}

static guint64
u64 (const GstStructure * s, const gchar * field)
{
  guint64 v;

  fail_unless (gst_structure_get_uint64 (s, field, &v), "no %s", field);
  return v;
}

static guint
n_tags (const GstStructure * s)
{
  return gst_value_array_get_size (gst_structure_get_value (s, "classes"));
}

static const gchar *
tag_class (const GstStructure * s, guint i)
{
  return g_value_get_string (gst_value_array_get_value
      (gst_structure_get_value (s, "classes"), i));
}

static gdouble
tag_prob (const GstStructure * s, guint i)
{
  return g_value_get_double (gst_value_array_get_value
      (gst_structure_get_value (s, "probabilities"), i));
}

static void
assert_tagged (const GstStructure * s, const gchar * colour)
{
  fail_unless (g_str_equal (str (s, "status"), "OK"), "status %s: %s",
      str (s, "status"), str (s, "status-msg"));
  fail_unless (n_tags (s) > 0);
  fail_unless_equals_string (tag_class (s, 0), colour);
}

static GstStructure *
get_stats (GstElement * el)
{
  GstStructure *stats = NULL;

  g_object_get (el, "stats", &stats, NULL);
  fail_unless (stats != NULL);
  return stats;
}

static void
assert_invariant (const GstStructure * st)
{
  fail_unless_equals_uint64 (u64 (st, "sampled"), u64 (st, "tagged") +
      u64 (st, "failed") + u64 (st, "dropped") + u64 (st, "pending"));
}

/* Runs @desc to EOS; returns the clarifai-tags structures posted before
 * EOS (messages after EOS would be a failure of the drain). */
static GPtrArray *
run_pipeline (const gchar * desc, guint * n_warnings)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);
  GstBus *bus;
  GPtrArray *tags = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  gboolean eos = FALSE;

  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  bus = gst_element_get_bus (pipeline);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  if (n_warnings)
    *n_warnings = 0;
  while (!eos) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS | GST_MESSAGE_ERROR |
        GST_MESSAGE_WARNING);

    fail_unless (msg != NULL, "pipeline timed out");
    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_EOS:
        eos = TRUE;
        break;
      case GST_MESSAGE_ERROR:{
        GError *e = NULL;

        gst_message_parse_error (msg, &e, NULL);
        fail ("error: %s", e->message);
        break;
      }
      case GST_MESSAGE_WARNING:
        if (n_warnings)
          (*n_warnings)++;
        break;
      default:
        if (gst_structure_has_name (gst_message_get_structure (msg),
                "clarifai-tags"))
          g_ptr_array_add (tags,
              gst_structure_copy (gst_message_get_structure (msg)));
        break;
    }
    gst_message_unref (msg);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  return tags;
}

static gchar *
source_pipeline (const gchar * format, guint w, guint h, guint n,
    const gchar * extra)
{
  return g_strdup_printf ("videotestsrc num-buffers=%u pattern=solid-color "
      "foreground-color=0xffff0000 ! video/x-raw,format=%s,width=%u,"
      "height=%u,framerate=30/1 ! clarifaitag api-url=%s client-id=" ID
      " client-secret=" SECRET " interval=0 %s ! fakesink", n, format, w, h,
      clarifai_server_get_url (fixture_server), extra ? extra : "");
}

/* ---- tests ---- */

/* A red frame comes back as "red", with every field of the message. */
GST_START_TEST (test_message_fields)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  const GstStructure *s;
  const GValue *ids;

  push_frame (h, RED, 3);
  tags = take_tags (bus, 1);
  s = tags->pdata[0];
  assert_tagged (s, "red");
  fail_unless (tag_prob (s, 0) > 0.9);
  fail_unless_equals_uint64 (u64 (s, "timestamp"), 100 * GST_MSECOND);
  fail_unless_equals_uint64 (u64 (s, "running-time"), 100 * GST_MSECOND);
  fail_unless_equals_uint64 (u64 (s, "stream-time"), 100 * GST_MSECOND);
  fail_unless_equals_uint64 (u64 (s, "duration"),
      gst_util_uint64_scale (4, GST_SECOND, 30) - 100 * GST_MSECOND);
  fail_unless_equals_uint64 (u64 (s, "sample-id"), 0);
  fail_unless (u64 (s, "latency") > 0);
  fail_unless (u64 (s, "latency") < 10 * GST_SECOND);
  fail_unless_equals_string (str (s, "status-msg"), "OK");
  fail_unless_equals_string (str (s, "model"), "general-v1.3");
  fail_unless (strlen (str (s, "docid")) >= 16);
  ids = gst_structure_get_value (s, "concept-ids");
  fail_unless_equals_int (gst_value_array_get_size (ids), n_tags (s));
  fail_unless_equals_string (g_value_get_string (gst_value_array_get_value
          (ids, 0)), "ai_red");
  fail_unless_equals_int (gst_value_array_get_size (gst_structure_get_value
          (s, "probabilities")), n_tags (s));
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* interval=1s on a 30 fps stream samples frames 0, 30 and 60 of 90;
 * interval=0 samples all of them.  /v1/info/ is read once per start. */
GST_START_TEST (test_sampling_interval)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=1000000000", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) all = NULL;
  guint i;

  for (i = 0; i < 90; i++)
    push_frame (h, RED, i);
  gst_harness_push_event (h, gst_event_new_eos ());
  tags = take_tags (bus, 3);
  assert_no_more_tags (bus);
  fail_unless_equals_int (clarifai_server_get_info_requests (fixture_server),
      1);
  for (i = 0; i < 3; i++) {
    fail_unless_equals_uint64 (u64 (tags->pdata[i], "timestamp"),
        i * GST_SECOND);
    fail_unless_equals_uint64 (u64 (tags->pdata[i], "sample-id"), i);
  }
  fixture_harness_free (h, bus);

  h = tagger_harness ("interval=0 batch-size=5", &bus);
  for (i = 0; i < 30; i++)
    push_frame (h, RED, i);
  gst_harness_push_event (h, gst_event_new_eos ());
  all = take_tags (bus, 30);
  assert_no_more_tags (bus);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A frame without a timestamp is sampled only when interval is 0. */
GST_START_TEST (test_sampling_no_timestamp)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=1000000000", &bus);
  GstBuffer *buf;
  g_autoptr (GPtrArray) tags = NULL;

  buf = frame (RED, 0);
  GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
  gst_harness_push (h, buf);
  gst_buffer_unref (gst_harness_pull (h));
  assert_no_more_tags (bus);
  fixture_harness_free (h, bus);

  h = tagger_harness ("interval=0", &bus);
  buf = frame (RED, 0);
  GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
  gst_harness_push (h, buf);
  gst_buffer_unref (gst_harness_pull (h));
  tags = take_tags (bus, 1);
  assert_tagged (tags->pdata[0], "red");
  fail_unless_equals_uint64 (u64 (tags->pdata[0], "timestamp"),
      GST_CLOCK_TIME_NONE);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* batch-size=4: the server sees 4 encoded_data parts per request, each
 * with its own non-empty local_id; the EOS drain sends the partial rest. */
GST_START_TEST (test_batching)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0 batch-size=4 "
      "batch-timeout=60000000000", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) reqs = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint i, j;

  for (i = 0; i < 10; i++)
    push_frame (h, RED, i);
  gst_harness_push_event (h, gst_event_new_eos ());
  tags = take_tags (bus, 10);
  assert_no_more_tags (bus);

  /* two batches of 4, then the rest; the server may see the rest before
   * the second 4 when the first's answer comes first */
  reqs = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_int (reqs->len, 3);
  fail_unless_equals_int (((ClarifaiServerRequest *) reqs->pdata[0])->n_images,
      4);
  fail_unless_equals_int (((ClarifaiServerRequest *) reqs->pdata[1])->n_images
      + ((ClarifaiServerRequest *) reqs->pdata[2])->n_images, 6);
  for (i = 0; i < reqs->len; i++) {
    ClarifaiServerRequest *r = reqs->pdata[i];

    fail_unless_equals_int (g_strv_length (r->local_ids), r->n_images);
    fail_unless (g_str_has_prefix (r->authorization, "Bearer "));
    fail_unless (g_str_has_prefix (r->content_type, "multipart/form-data"));
    for (j = 0; r->local_ids[j]; j++) {
      fail_unless (*r->local_ids[j] != '\0');
      fail_unless (g_hash_table_add (seen, r->local_ids[j]), "local_id %s "
          "used twice", r->local_ids[j]);
    }
  }
  for (i = 0; i < 10; i++)
    assert_tagged (tags->pdata[i], "red");
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A partial batch goes up after batch-timeout, without EOS. */
GST_START_TEST (test_batch_timeout)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0 batch-size=8 "
      "batch-timeout=100000000", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) reqs = NULL;

  push_frame (h, RED, 0);
  push_frame (h, RED, 1);
  tags = take_tags (bus, 2);
  reqs = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_int (reqs->len, 1);
  fail_unless_equals_int (((ClarifaiServerRequest *) reqs->pdata[0])->n_images,
      2);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Results are matched to frames by local_id: four colours in one batch
 * come back on the right frames. */
GST_START_TEST (test_local_id_mapping)
{
  const guint32 colours[] = { RED, GREEN, BLUE, WHITE };
  const gchar *names[] = { "red", "green", "blue", "white" };
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0 batch-size=4 "
      "batch-timeout=60000000000", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  guint i;

  for (i = 0; i < 4; i++)
    push_frame (h, colours[i], i);
  tags = take_tags (bus, 4);
  for (i = 0; i < 4; i++) {
    const GstStructure *s = tags->pdata[i];
    guint64 id = u64 (s, "sample-id");

    fail_unless (id < 4);
    assert_tagged (s, names[id]);
    fail_unless_equals_uint64 (u64 (s, "timestamp"),
        gst_util_uint64_scale (id, GST_SECOND, 30));
  }
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Messages come in sampling order even when a later request is answered
 * first; each latency is that of its own answer. */
GST_START_TEST (test_message_order)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0 max-in-flight=2", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) reqs = NULL;

  clarifai_server_set_delay (fixture_server, 2000);
  push_frame (h, RED, 0);
  /* wait until the slow request has reached the server */
  while ((reqs = clarifai_server_get_tag_requests (fixture_server))->len < 1) {
    g_ptr_array_unref (reqs);
    g_usleep (10 * 1000);
  }
  clarifai_server_set_delay (fixture_server, 0);
  push_frame (h, BLUE, 1);
  tags = take_tags (bus, 2);
  assert_tagged (tags->pdata[0], "red");
  assert_tagged (tags->pdata[1], "blue");
  fail_unless (u64 (tags->pdata[0], "latency") >= 2000 * GST_MSECOND);
  fail_unless (u64 (tags->pdata[1], "latency") < 1500 * GST_MSECOND);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Buffers carry the newest OK result as ClarifaiTagMeta once there is
 * one; its timestamp names the frame it describes. */
GST_START_TEST (test_meta)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=1000000000", &bus);
  GstBuffer *out;
  GstCustomMeta *meta;
  const GstStructure *s;
  g_autoptr (GPtrArray) tags = NULL;

  gst_harness_push (h, frame (GREEN, 0));
  out = gst_harness_pull (h);
  fail_unless (gst_buffer_get_custom_meta (out, "ClarifaiTagMeta") == NULL);
  gst_buffer_unref (out);
  tags = take_tags (bus, 1);

  gst_harness_push (h, frame (RED, 1));
  out = gst_harness_pull (h);
  meta = gst_buffer_get_custom_meta (out, "ClarifaiTagMeta");
  fail_unless (meta != NULL);
  s = gst_custom_meta_get_structure (meta);
  fail_unless (gst_structure_has_name (s, "ClarifaiTagMeta"));
  assert_tagged (s, "green");
  fail_unless_equals_uint64 (u64 (s, "timestamp"), 0);
  fail_unless_equals_uint64 (u64 (s, "sample-id"), 0);
  fail_unless_equals_string (str (s, "docid"), str (tags->pdata[0], "docid"));
  fail_unless (gst_structure_has_field (s, "probabilities"));
  fail_unless (gst_structure_has_field (s, "concept-ids"));
  fail_unless (gst_structure_has_field (s, "latency"));
  gst_buffer_unref (out);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A 10-frame file at interval 0 yields 10 messages, all before EOS, even
 * with a slow service: decoded to raw video, and as MJPEG straight into
 * the element. */
GST_START_TEST (test_eos_drain)
{
  g_autofree gchar *dir = g_dir_make_tmp ("clarifaitag-XXXXXX", NULL);
  g_autofree gchar *file = g_build_filename (dir, "ten.avi", NULL);
  g_autofree gchar *make = g_strdup_printf ("videotestsrc num-buffers=10 "
      "pattern=solid-color foreground-color=0xffff0000 ! video/x-raw,"
      "width=64,height=48,framerate=30/1 ! jpegenc ! avimux ! "
      "filesink location=%s", file);
  const gchar *decoders[] = { "jpegdec !", "" };
  guint i, k;

  g_ptr_array_unref (run_pipeline (make, NULL));
  clarifai_server_set_delay (fixture_server, 200);
  for (k = 0; k < G_N_ELEMENTS (decoders); k++) {
    g_autofree gchar *desc = g_strdup_printf ("filesrc location=%s ! "
        "avidemux ! %s clarifaitag api-url=%s client-id=" ID
        " client-secret=" SECRET " interval=0 batch-size=3 "
        "batch-timeout=60000000000 ! fakesink", file, decoders[k],
        clarifai_server_get_url (fixture_server));
    g_autoptr (GPtrArray) tags = run_pipeline (desc, NULL);

    fail_unless_equals_int (tags->len, 10);
    assert_in_sampling_order (tags);
    for (i = 0; i < 10; i++) {
      assert_tagged (tags->pdata[i], "red");
      fail_unless_equals_uint64 (u64 (tags->pdata[i], "sample-id"), i);
      fail_unless (u64 (tags->pdata[i], "latency") >= 200 * GST_MSECOND);
    }
  }
  g_unlink (file);
  g_rmdir (dir);
}

GST_END_TEST;

/* In a live pipeline sampling follows the running time too: 1.5 s of a
 * live source at interval 500 ms gives the frames at 0, 0.5 and 1 s. */
GST_START_TEST (test_sampling_live)
{
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc is-live=true "
      "num-buffers=45 ! video/x-raw,width=64,height=48,framerate=30/1 ! "
      "clarifaitag api-url=%s client-id=" ID " client-secret=" SECRET
      " interval=500000000 ! fakesink",
      clarifai_server_get_url (fixture_server));
  g_autoptr (GPtrArray) tags = run_pipeline (desc, NULL);
  guint i;

  fail_unless_equals_int (tags->len, 3);
  assert_in_sampling_order (tags);
  for (i = 0; i < 3; i++) {
    guint64 rt = u64 (tags->pdata[i], "running-time");

    fail_unless_equals_string (str (tags->pdata[i], "status"), "OK");
    /* the first frame at or after each 500 ms step of the first sample */
    fail_unless (rt >= i * 500 * GST_MSECOND + u64 (tags->pdata[0],
            "running-time"));
    fail_unless (rt < i * 500 * GST_MSECOND + u64 (tags->pdata[0],
            "running-time") + GST_SECOND / 30 + GST_MSECOND);
  }
}

GST_END_TEST;

/* FLUSH_START abandons queued and in-flight frames (DROPPED, at once),
 * pre-flush results are not attached after the flush, and sampling starts
 * afresh. */
GST_START_TEST (test_flush)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=1000000000", &bus);
  g_autoptr (GPtrArray) before = NULL, dropped = NULL, after = NULL;
  GstSegment segment;
  GstBuffer *out;
  GstStructure *stats;
  gint64 start;
  guint i;

  push_frame (h, GREEN, 0);
  before = take_tags (bus, 1);
  assert_tagged (before->pdata[0], "green");

  clarifai_server_set_delay (fixture_server, 3000);
  push_frame (h, RED, 30);
  push_frame (h, RED, 60);
  start = g_get_monotonic_time ();
  gst_harness_push_event (h, gst_event_new_flush_start ());
  gst_harness_push_event (h, gst_event_new_flush_stop (TRUE));
  dropped = take_tags (bus, 2);
  fail_unless (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC);
  for (i = 0; i < 2; i++) {
    fail_unless_equals_string (str (dropped->pdata[i], "status"), "DROPPED");
    fail_unless_equals_string (str (dropped->pdata[i], "status-msg"),
        "flushed");
  }

  clarifai_server_set_delay (fixture_server, 0);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_harness_push_event (h, gst_event_new_segment (&segment));
  /* Running time restarts at 0: sampled although the last sampled frame
   * was at 2 s. */
  gst_harness_push (h, frame (BLUE, 0));
  out = gst_harness_pull (h);
  fail_unless (gst_buffer_get_custom_meta (out, "ClarifaiTagMeta") == NULL);
  gst_buffer_unref (out);
  after = take_tags (bus, 1);
  assert_tagged (after->pdata[0], "blue");
  fail_unless_equals_uint64 (u64 (after->pdata[0], "sample-id"), 3);
  assert_no_more_tags (bus);

  stats = get_stats (h->element);
  assert_invariant (stats);
  fail_unless_equals_uint64 (u64 (stats, "dropped"), 2);
  fail_unless_equals_uint64 (u64 (stats, "tagged"), 2);
  fail_unless_equals_uint64 (u64 (stats, "pending"), 0);
  gst_structure_free (stats);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A slow service and a small queue: the oldest waiting frames are
 * DROPPED, every frame still gets exactly one message, and the stats add
 * up at every moment. */
GST_START_TEST (test_queue_drop_and_stats)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0 queue-size=2 max-in-flight=1",
      &bus);
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new (NULL, NULL);
  GstStructure *stats;
  guint i, n_dropped = 0, n_ok = 0;

  clarifai_server_set_delay (fixture_server, 300);
  for (i = 0; i < 10; i++) {
    push_frame (h, RED, i);
    stats = get_stats (h->element);
    assert_invariant (stats);
    gst_structure_free (stats);
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  tags = take_tags (bus, 10);
  assert_no_more_tags (bus);
  for (i = 0; i < 10; i++) {
    const gchar *status = str (tags->pdata[i], "status");

    fail_unless (g_hash_table_add (ids, GSIZE_TO_POINTER (u64 (tags->pdata[i],
                    "sample-id") + 1)));
    if (g_str_equal (status, "DROPPED")) {
      n_dropped++;
      fail_unless (strstr (str (tags->pdata[i], "status-msg"), "queue full"));
    } else {
      assert_tagged (tags->pdata[i], "red");
      n_ok++;
    }
  }
  fail_unless (n_dropped >= 5, "only %u dropped", n_dropped);

  stats = get_stats (h->element);
  assert_invariant (stats);
  fail_unless_equals_uint64 (u64 (stats, "sampled"), 10);
  fail_unless_equals_uint64 (u64 (stats, "dropped"), n_dropped);
  fail_unless_equals_uint64 (u64 (stats, "tagged"), n_ok);
  fail_unless_equals_uint64 (u64 (stats, "failed"), 0);
  fail_unless_equals_uint64 (u64 (stats, "pending"), 0);
  fail_unless_equals_uint64 (u64 (stats, "requests"), n_ok);
  fail_unless_equals_uint64 (u64 (stats, "token-requests"), 1);
  fail_unless_equals_uint64 (u64 (stats, "retries"), 0);
  fail_unless_equals_uint64 (u64 (stats, "throttled"), 0);
  gst_structure_free (stats);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Two elements with the same account share one token request. */
GST_START_TEST (test_token_shared)
{
  GstBus *bus1, *bus2;
  GstHarness *h1 = tagger_harness ("interval=0", &bus1);
  GstHarness *h2 = tagger_harness ("interval=0", &bus2);
  g_autoptr (GPtrArray) t1 = NULL, t2 = NULL;
  GstStructure *stats;

  push_frame (h1, RED, 0);
  push_frame (h2, BLUE, 0);
  t1 = take_tags (bus1, 1);
  t2 = take_tags (bus2, 1);
  assert_tagged (t1->pdata[0], "red");
  assert_tagged (t2->pdata[0], "blue");
  fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
      1);
  stats = get_stats (h2->element);
  fail_unless_equals_uint64 (u64 (stats, "token-requests"), 1);
  gst_structure_free (stats);
  fixture_harness_free (h1, bus1);
  fixture_harness_free (h2, bus2);
}

GST_END_TEST;

/* With a 1 s token lifetime, a 2.5 s stream renews the token before it
 * expires: every frame is tagged, and more than one token was fetched. */
GST_START_TEST (test_token_renewal)
{
  GstBus *bus;
  GstHarness *h;
  GstStructure *stats;
  guint i;

  clarifai_server_set_token_ttl (fixture_server, 1.0);
  h = tagger_harness ("interval=0", &bus);
  for (i = 0; i < 10; i++) {
    GstStructure *s;

    push_frame (h, RED, i);
    s = next_tags (bus, WAIT);
    fail_unless (s != NULL);
    assert_tagged (s, "red");
    gst_structure_free (s);
    g_usleep (250 * 1000);
  }
  fail_unless (clarifai_server_get_token_requests (fixture_server) >= 2);
  stats = get_stats (h->element);
  fail_unless_equals_uint64 (u64 (stats, "token-requests"),
      clarifai_server_get_token_requests (fixture_server));
  fail_unless_equals_uint64 (u64 (stats, "tagged"), 10);
  gst_structure_free (stats);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A token the service refuses mid-stream (401 TOKEN_EXPIRED) is dropped,
 * a new one fetched and the request retried once: the frame is tagged. */
GST_START_TEST (test_token_expired_retry)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0", &bus);
  g_autoptr (GPtrArray) earlier = NULL, later = NULL;
  GstStructure *stats;

  push_frame (h, RED, 0);
  earlier = take_tags (bus, 1);
  clarifai_server_revoke_tokens (fixture_server);
  push_frame (h, GREEN, 1);
  later = take_tags (bus, 1);
  assert_tagged (later->pdata[0], "green");
  fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
      2);
  stats = get_stats (h->element);
  fail_unless_equals_uint64 (u64 (stats, "requests"), 3);
  fail_unless_equals_uint64 (u64 (stats, "retries"), 1);
  fail_unless_equals_uint64 (u64 (stats, "token-requests"), 2);
  gst_structure_free (stats);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Settings that can never work fail the state change with an element
 * error that says what is wrong. */
static void
assert_start_fails (GstElement * el, const gchar * expect)
{
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;

  gst_element_set_bus (el, bus);
  fail_unless_equals_int (gst_element_set_state (el, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), "%s", err->message);
  fail_unless (strstr (err->message, expect) || strstr (debug, expect),
      "'%s' / '%s' does not say '%s'", err->message, debug, expect);
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);
  gst_element_set_state (el, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (el);
}

GST_START_TEST (test_startup_errors)
{
  GstElement *el;

  el = gst_element_factory_make ("clarifaitag", NULL);
  assert_start_fails (el, "credentials");

  el = gst_element_factory_make ("clarifaitag", NULL);
  g_object_set (el, "client-id", ID, NULL);
  assert_start_fails (el, "client-secret");

  el = make_tagger (NULL);
  g_object_set (el, "api-url", "ftp://example.com", NULL);
  assert_start_fails (el, "api-url");

  el = make_tagger (NULL);
  g_object_set (el, "api-url", "not a url", NULL);
  assert_start_fails (el, "api-url");

  el = make_tagger (NULL);
  g_object_set (el, "api-url", "", NULL);
  assert_start_fails (el, "api-url");

  /* Never contacted: the check is made before any connection. */
  el = make_tagger (NULL);
  g_object_set (el, "api-url", "http://192.0.2.1", NULL);
  assert_start_fails (el, "allow-insecure-http");
}

GST_END_TEST;

/* The next error is @code, its text or debug names @expect, and its
 * details carry the service's @status and @http_status (NULL: not
 * checked). */
static void
assert_error_details (GstBus * bus, GstResourceError code,
    const gchar * expect, const gchar * status, guint http_status)
{
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, WAIT, GST_MESSAGE_ERROR);
  const GstStructure *details = NULL;
  GError *err = NULL;
  gchar *debug = NULL;
  guint got = 0;

  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR, code), "%s",
      err->message);
  if (expect)
    fail_unless (strstr (err->message, expect) || strstr (debug, expect),
        "'%s' / '%s' does not say '%s'", err->message, debug, expect);
  if (status) {
    gst_message_parse_error_details (msg, &details);
    fail_unless (details != NULL, "no details");
    fail_unless_equals_string (gst_structure_get_string (details, "status"),
        status);
    fail_unless (gst_structure_get_uint (details, "http-status", &got));
    fail_unless_equals_int (got, http_status);
  }
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);
}

static void
assert_error_says (GstBus * bus, GstResourceError code, const gchar * expect)
{
  assert_error_details (bus, code, expect, NULL, 0);
}

static void
assert_error (GstBus * bus, GstResourceError code)
{
  assert_error_says (bus, code, NULL);
}

/* The video never waits for the service: with every answer 6 s late, 90
 * sampled frames go through the element at once; the queue drops the
 * oldest instead. */
GST_START_TEST (test_never_stalls)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0 queue-size=4 max-in-flight=1",
      &bus);
  g_autoptr (GPtrArray) tags = NULL;
  gint64 start;
  guint i, n_ok = 0;

  /* No push may wait for an answer: all 90 are done before the first
   * answer can come.  The delay leaves valgrind room to encode them. */
  clarifai_server_set_delay (fixture_server, 6000);
  start = g_get_monotonic_time ();
  for (i = 0; i < 90; i++)
    push_frame (h, RED, i);
  fail_unless (g_get_monotonic_time () - start < 6 * G_USEC_PER_SEC,
      "pushing took %" G_GINT64_FORMAT " ms",
      (g_get_monotonic_time () - start) / 1000);
  clarifai_server_set_delay (fixture_server, 0);
  gst_harness_push_event (h, gst_event_new_eos ());
  tags = take_tags (bus, 90);
  for (i = 0; i < 90; i++) {
    const gchar *status = str (tags->pdata[i], "status");

    if (g_str_equal (status, "OK"))
      n_ok++;
    else
      fail_unless_equals_string (status, "DROPPED");
  }
  /* one in flight and the queue's four reach the service */
  fail_unless (n_ok >= 1 && n_ok <= 5, "%u tagged", n_ok);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Credentials the service rejects (TOKEN_APP_INVALID) are an element
 * error RESOURCE/NOT_AUTHORIZED, and frames fail with that status. */
GST_START_TEST (test_rejected_credentials)
{
  GstElement *el = make_tagger ("interval=0 client-secret=wrong");
  GstBus *bus;
  GstHarness *h = fixture_harness_new (el, &bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  g_autoptr (GPtrArray) tags = NULL;

  assert_error_details (bus, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
      "client-secret", "TOKEN_APP_INVALID", 401);
  push_frame (h, RED, 0);
  tags = take_tags (bus, 1);
  fail_unless_equals_string (str (tags->pdata[0], "status"),
      "TOKEN_APP_INVALID");
  fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
      1);
  fail_unless_equals_int (gst_bus_have_pending (bus) ? 1 : 0, 0);
  fixture_harness_free (h, bus);

  /* the same from the server's side: right credentials, refused */
  clarifai_server_add_fault (fixture_server,
      CLARIFAI_SERVER_FAULT_TOKEN_APP_INVALID, 0, 0);
  h = tagger_harness ("interval=0", &bus);
  assert_error (bus, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  push_frame (h, RED, 0);
  g_ptr_array_unref (tags);
  tags = take_tags (bus, 1);
  fail_unless_equals_string (str (tags->pdata[0], "status"),
      "TOKEN_APP_INVALID");
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Credentials from the environment; properties win over it, and an
 * access token wins over client credentials. */
GST_START_TEST (test_env_credentials)
{
  GstBus *bus;
  GstHarness *h;
  GstElement *el;
  g_autoptr (GPtrArray) tags = NULL, tags2 = NULL, tags3 = NULL;
  g_autofree gchar *token = clarifai_server_issue_token (fixture_server);
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag interval=0 "
      "api-url=%s", clarifai_server_get_url (fixture_server));

  g_setenv ("CLARIFAI_CLIENT_ID", ID, TRUE);
  g_setenv ("CLARIFAI_CLIENT_SECRET", SECRET, TRUE);
  h = fixture_harness_new (gst_parse_launch (desc, NULL), &bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  push_frame (h, RED, 0);
  tags = take_tags (bus, 1);
  assert_tagged (tags->pdata[0], "red");
  fixture_harness_free (h, bus);

  g_setenv ("CLARIFAI_CLIENT_SECRET", "wrong", TRUE);
  h = tagger_harness ("interval=0", &bus);
  push_frame (h, RED, 0);
  tags2 = take_tags (bus, 1);
  assert_tagged (tags2->pdata[0], "red");
  fixture_harness_free (h, bus);

  g_setenv ("CLARIFAI_ACCESS_TOKEN", token, TRUE);
  el = make_tagger ("interval=0 client-secret=wrong");
  h = fixture_harness_new (el, &bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  push_frame (h, BLUE, 0);
  tags3 = take_tags (bus, 1);
  assert_tagged (tags3->pdata[0], "blue");
  fixture_harness_free (h, bus);

  g_unsetenv ("CLARIFAI_CLIENT_ID");
  g_unsetenv ("CLARIFAI_CLIENT_SECRET");
  g_unsetenv ("CLARIFAI_ACCESS_TOKEN");
  fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
      1);
}

GST_END_TEST;

/* access-token bypasses the token manager. */
GST_START_TEST (test_access_token)
{
  g_autofree gchar *token = clarifai_server_issue_token (fixture_server);
  g_autofree gchar *props = g_strdup_printf ("interval=0 access-token=%s",
      token);
  GstBus *bus;
  GstHarness *h = tagger_harness (props, &bus);
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) reqs = NULL;
  g_autofree gchar *expect = g_strconcat ("Bearer ", token, NULL);
  GParamSpec *pspec;

  push_frame (h, RED, 0);
  tags = take_tags (bus, 1);
  assert_tagged (tags->pdata[0], "red");
  fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
      0);
  reqs = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_string (((ClarifaiServerRequest *) reqs->pdata[0])->
      authorization, expect);

  /* A fixed token cannot be renewed: once refused, it is an element
   * error, and frames fail with the service's code. */
  clarifai_server_revoke_tokens (fixture_server);
  push_frame (h, RED, 1);
  /* The frame's message comes before the error that may stop the
   * pipeline. */
  g_ptr_array_unref (tags);
  tags = take_tags (bus, 1);
  fail_unless_equals_string (str (tags->pdata[0], "status"), "TOKEN_EXPIRED");
  assert_error (bus, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
      0);

  /* Secrets cannot be read back. */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (h->element),
      "access-token");
  fail_if (pspec->flags & G_PARAM_READABLE);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (h->element),
      "client-secret");
  fail_if (pspec->flags & G_PARAM_READABLE);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* image/jpeg within the limits goes up byte for byte (the service's docid
 * is the MD5 of what it received); a JPEG over max-size is scaled. */
GST_START_TEST (test_jpeg_input)
{
  GstBus *bus;
  GstHarness *h =
      fixture_harness_new (make_tagger ("interval=0 max-size=512"), &bus,
      "image/jpeg,width=64,height=48,framerate=30/1");
  g_autoptr (GBytes) small = test_jpeg (64, 48, BLUE);
  g_autoptr (GBytes) large = test_jpeg (1200, 300, RED);
  g_autofree gchar *docid = test_docid (small);
  g_autofree gchar *large_docid = test_docid (large);
  g_autoptr (GPtrArray) tags = NULL;
  GstBuffer *buf;

  buf = gst_buffer_new_wrapped_bytes (small);
  GST_BUFFER_PTS (buf) = 0;
  gst_harness_push (h, buf);
  gst_buffer_unref (gst_harness_pull (h));
  buf = gst_buffer_new_wrapped_bytes (large);
  GST_BUFFER_PTS (buf) = GST_SECOND;
  gst_harness_push (h, buf);
  gst_buffer_unref (gst_harness_pull (h));
  tags = take_tags (bus, 2);

  assert_tagged (tags->pdata[0], "blue");
  fail_unless_equals_string (str (tags->pdata[0], "docid"), docid);
  assert_tagged (tags->pdata[1], "red");
  fail_if (g_str_equal (str (tags->pdata[1], "docid"), large_docid));
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Corrupt image/jpeg data, and an empty buffer (no critical: the checks
 * make criticals fatal), fail that frame with a clear status; the stream
 * goes on. */
GST_START_TEST (test_jpeg_corrupt)
{
  GstBus *bus;
  GstHarness *h =
      fixture_harness_new (make_tagger ("interval=0 max-size=32"), &bus,
      "image/jpeg,width=64,height=48,framerate=30/1");
  g_autoptr (GPtrArray) tags = NULL;
  GstBuffer *buf;

  buf = gst_buffer_new_wrapped (g_strdup ("\xff\xd8 garbage"), 10);
  GST_BUFFER_PTS (buf) = 0;
  gst_harness_push (h, buf);
  gst_buffer_unref (gst_harness_pull (h));
  buf = gst_buffer_new ();
  GST_BUFFER_PTS (buf) = GST_SECOND / 2;
  gst_harness_push (h, buf);
  gst_buffer_unref (gst_harness_pull (h));
  buf = jpeg_frame (64, 48, GREEN, GST_SECOND);
  gst_harness_push (h, buf);
  gst_buffer_unref (gst_harness_pull (h));
  tags = take_tags (bus, 3);
  fail_unless_equals_string (str (tags->pdata[0], "status"), "CLIENT_ERROR");
  fail_unless (strstr (str (tags->pdata[0], "status-msg"), "JPEG"));
  fail_unless_equals_string (str (tags->pdata[1], "status"), "CLIENT_ERROR");
  fail_unless (strstr (str (tags->pdata[1], "status-msg"), "empty"), "%s",
      str (tags->pdata[1], "status-msg"));
  assert_tagged (tags->pdata[2], "green");
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* One bad frame fails alone: JPEG frames whose header bytes are mutated
 * (or whose SOF says height 0), each followed by a valid one, which must
 * be tagged; the JPEG decoder is not left poisoned by the bad frame.  The
 * valid frames are over max-size, so they are decoded, not sent as they
 * are. */
GST_START_TEST (test_jpeg_mutated_headers)
{
  GstBus *bus;
  GstHarness *h =
      fixture_harness_new (make_tagger ("interval=0 max-size=32 "
          "queue-size=100"), &bus,
      "image/jpeg,width=64,height=48,framerate=30/1");
  g_autoptr (GBytes) good = test_jpeg (64, 48, GREEN);
  g_autoptr (GPtrArray) tags = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (good, &size);
  GRand *rand = g_rand_new_with_seed (18);
  guint i, j, n = 40, sof = 0, bad_ok = 0;
  GstBuffer *buf;

  for (j = 2; j + 9 < size && !sof; j++)
    if (data[j] == 0xff && data[j + 1] == 0xc0)
      sof = j;
  fail_unless (sof > 0, "no SOF0 in the test JPEG");
  for (i = 0; i < n; i++) {
    guint8 *bad = g_memdup2 (data, size);
    guint k, mutations = 1 + g_rand_int_range (rand, 0, 4);

    if (i == 0) {
      /* SOF with height 0 */
      bad[sof + 5] = bad[sof + 6] = 0;
    } else {
      /* 1-4 bytes of the headers before the scan data */
      for (k = 0; k < mutations; k++)
        bad[g_rand_int_range (rand, 2, MIN (size, 620))] =
            g_rand_int_range (rand, 0, 256);
    }
    buf = gst_buffer_new_wrapped (bad, size);
    GST_BUFFER_PTS (buf) = 2 * i * GST_MSECOND;
    gst_harness_push (h, buf);
    gst_buffer_unref (gst_harness_pull (h));
    gst_harness_push (h, jpeg_frame (64, 48, GREEN, (2 * i + 1) * GST_MSECOND));
    gst_buffer_unref (gst_harness_pull (h));
  }
  tags = take_tags (bus, 2 * n);
  for (i = 0; i < n; i++) {
    const GstStructure *bad = tags->pdata[2 * i];

    if (g_str_equal (str (bad, "status"), "OK"))
      bad_ok++;
    else {
      fail_unless_equals_string (str (bad, "status"), "CLIENT_ERROR");
      fail_unless (strstr (str (bad, "status-msg"), "JPEG"), "%s",
          str (bad, "status-msg"));
    }
    fail_unless (g_str_equal (str (tags->pdata[2 * i + 1], "status"), "OK"),
        "the valid frame after bad frame %u: %s: %s", i,
        str (tags->pdata[2 * i + 1], "status"),
        str (tags->pdata[2 * i + 1], "status-msg"));
    assert_tagged (tags->pdata[2 * i + 1], "green");
  }
  GST_INFO ("%u of %u mutated frames still decoded", bad_ok, n);
  fail_unless (bad_ok < n, "no mutation made a frame fail");
  g_rand_free (rand);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Raw formats and odd sizes, from a real source through the element. */
GST_START_TEST (test_formats)
{
  const struct
  {
    const gchar *format;
    guint w, h;
    const gchar *colour;
  } cases[] = {
    {"I420", 320, 240, "red"},
    {"NV12", 320, 240, "red"},
    {"RGB", 320, 240, "red"},
    {"BGRx", 320, 240, "red"},
    {"GRAY8", 320, 240, "gray"},
    {"YUY2", 320, 240, "red"},
    {"I420", 33, 17, "red"},
    {"NV12", 1, 1, "red"},
    {"I420", 4097, 3, "red"},
    {"BGRx", 1920, 1080, "red"},
    /* shrunk by clarifairesample.c: a swapped chroma plane or byte order
     * would not stay red */
    {"NV21", 1280, 720, "red"},
    {"Y444", 1280, 720, "red"},
    {"xRGB", 1280, 720, "red"},
    {"RGB", 1281, 721, "red"},
    {"I420", 1921, 1081, "red"},
  };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree gchar *desc = source_pipeline (cases[i].format, cases[i].w,
        cases[i].h, 2, NULL);
    g_autoptr (GPtrArray) tags = run_pipeline (desc, NULL);

    fail_unless_equals_int (tags->len, 2);
    for (j = 0; j < tags->len; j++)
      assert_tagged (tags->pdata[j], cases[i].colour);
  }
}

GST_END_TEST;

/* /v1/info/ limits: batches are capped at max_batch_size, uploads shrunk
 * to max_image_size and enlarged to min_image_size (the server refuses
 * anything else); a server without /v1/info/ works too. */
GST_START_TEST (test_info_limits)
{
  g_autofree gchar *desc = source_pipeline ("I420", 320, 240, 6,
      "batch-size=8 batch-timeout=60000000000");
  g_autofree gchar *small = source_pipeline ("I420", 16, 12, 2, NULL);
  g_autoptr (GPtrArray) tags = NULL, tags2 = NULL, tags3 = NULL;
  g_autoptr (GPtrArray) reqs = NULL;
  guint i, total = 0;

  clarifai_server_set_info (fixture_server, TRUE, 2, 64, 0, 10485760);
  tags = run_pipeline (desc, NULL);
  fail_unless_equals_int (tags->len, 6);
  for (i = 0; i < 6; i++)
    assert_tagged (tags->pdata[i], "red");
  reqs = clarifai_server_get_tag_requests (fixture_server);
  for (i = 0; i < reqs->len; i++) {
    guint n = ((ClarifaiServerRequest *) reqs->pdata[i])->n_images;

    fail_unless (n <= 2);
    total += n;
  }
  fail_unless_equals_int (total, 6);

  clarifai_server_set_info (fixture_server, TRUE, 128, 1024, 32, 10485760);
  tags2 = run_pipeline (small, NULL);
  for (i = 0; i < tags2->len; i++)
    assert_tagged (tags2->pdata[i], "red");

  clarifai_server_set_info (fixture_server, FALSE, 128, 1024, 0, 10485760);
  tags3 = run_pipeline (small, NULL);
  fail_unless_equals_int (tags3->len, 2);
  assert_tagged (tags3->pdata[0], "red");
}

GST_END_TEST;

/* model, language and select_classes reach the server; the message names
 * the model the service used. */
GST_START_TEST (test_request_fields)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0 model=general-v1.1 "
      "language=ja select-classes=blue,green", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) reqs = NULL;
  ClarifaiServerRequest *r;
  GstVideoInfo info;
  GstBuffer *buf;

  buf = test_frame (GST_VIDEO_FORMAT_I420, 64, 48, RED, 40, BLUE, &info);
  GST_BUFFER_PTS (buf) = 0;
  gst_harness_push (h, buf);
  gst_buffer_unref (gst_harness_pull (h));
  tags = take_tags (bus, 1);
  assert_tagged (tags->pdata[0], "blue");
  fail_unless_equals_int (n_tags (tags->pdata[0]), 1);
  fail_unless_equals_string (str (tags->pdata[0], "model"), "general-v1.1");
  reqs = clarifai_server_get_tag_requests (fixture_server);
  r = reqs->pdata[0];
  fail_unless_equals_string (r->model, "general-v1.1");
  fail_unless_equals_string (r->language, "ja");
  fail_unless_equals_string (r->select_classes, "blue,green");
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* threshold and max-tags cut the tags, most probable first. */
GST_START_TEST (test_threshold_max_tags)
{
  const gchar *props[] = { "", "threshold=0.5", "max-tags=1" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (props); i++) {
    g_autofree gchar *extra = g_strdup_printf ("interval=0 %s", props[i]);
    GstBus *bus;
    GstHarness *h = tagger_harness (extra, &bus);
    g_autoptr (GPtrArray) tags = NULL;
    GstVideoInfo info;
    GstBuffer *buf;
    const GstStructure *s;

    buf = test_frame (GST_VIDEO_FORMAT_I420, 64, 48, RED, 44, BLUE, &info);
    GST_BUFFER_PTS (buf) = 0;
    gst_harness_push (h, buf);
    gst_buffer_unref (gst_harness_pull (h));
    tags = take_tags (bus, 1);
    s = tags->pdata[0];
    assert_tagged (s, "red");
    fail_unless (tag_prob (s, 0) > 0.55 && tag_prob (s, 0) < 0.8);
    if (i == 0) {
      fail_unless (n_tags (s) >= 2);
      fail_unless_equals_string (tag_class (s, 1), "blue");
      fail_unless (tag_prob (s, 1) <= tag_prob (s, 0));
    } else {
      fail_unless_equals_int (n_tags (s), 1);
    }
    fixture_harness_free (h, bus);
  }
}

GST_END_TEST;

/* PARTIAL_ERROR (200) and ALL_ERROR (400) answers: per-frame statuses
 * from the service's items. */
GST_START_TEST (test_service_errors)
{
  GstBus *bus;
  GstHarness *h;
  g_autoptr (GPtrArray) tags = NULL, tags2 = NULL;
  GstBuffer *buf;
  guint i;

  /* Without /v1/info/ the element cannot know the service's minimum. */
  clarifai_server_set_info (fixture_server, FALSE, 128, 0, 32, 10485760);
  h = fixture_harness_new (make_tagger ("interval=0 batch-size=2 "
          "batch-timeout=60000000000"), &bus,
      "image/jpeg,width=64,height=48,framerate=30/1");
  buf = jpeg_frame (16, 16, RED, 0);
  gst_harness_push (h, buf);
  buf = jpeg_frame (64, 64, GREEN, GST_SECOND);
  gst_harness_push (h, buf);
  tags = take_tags (bus, 2);
  for (i = 0; i < 2; i++) {
    const GstStructure *s = tags->pdata[i];

    if (u64 (s, "sample-id") == 0) {
      fail_unless_equals_string (str (s, "status"), "CLIENT_ERROR");
      fail_unless (strstr (str (s, "status-msg"), "min dim 16"));
      fail_unless_equals_int (n_tags (s), 0);
    } else {
      assert_tagged (s, "green");
    }
  }

  buf = jpeg_frame (8, 8, RED, 2 * GST_SECOND);
  gst_harness_push (h, buf);
  buf = jpeg_frame (8, 8, RED, 3 * GST_SECOND);
  gst_harness_push (h, buf);
  tags2 = take_tags (bus, 2);
  for (i = 0; i < 2; i++)
    fail_unless_equals_string (str (tags2->pdata[i], "status"), "CLIENT_ERROR");
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A service that does not answer in time: frames end NETWORK_ERROR after
 * the timeout, and EOS is not held back longer than that. */
GST_START_TEST (test_timeout)
{
  GstBus *bus;
  /* (2 s: the first, prompt answer must fit under valgrind too) */
  GstHarness *h = tagger_harness ("interval=0 timeout=2000000000 retries=0",
      &bus);
  g_autoptr (GPtrArray) tags = NULL;
  gint64 start;

  push_frame (h, RED, 0);
  tags = take_tags (bus, 1);
  assert_tagged (tags->pdata[0], "red");
  clarifai_server_set_delay (fixture_server, 20000);
  push_frame (h, RED, 1);
  start = g_get_monotonic_time ();
  gst_harness_push_event (h, gst_event_new_eos ());
  fail_unless (g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC);
  g_ptr_array_unref (tags);
  tags = take_tags (bus, 1);
  fail_unless_equals_string (str (tags->pdata[0], "status"), "NETWORK_ERROR");
  fail_unless (strstr (str (tags->pdata[0], "status-msg"), "2000 ms"));
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* An unreachable service is not a start-up error: frames end with
 * NETWORK_ERROR, and one warning is posted for the outage, not one per
 * frame. */
GST_START_TEST (test_unreachable)
{
  g_autofree gchar *url = NULL;
  g_autofree gchar *desc = NULL;
  g_autoptr (GPtrArray) tags = NULL;
  guint i, warnings = 0;

  url = g_strdup (clarifai_server_get_url (fixture_server));
  fixture_server_teardown ();
  desc = g_strdup_printf ("videotestsrc num-buffers=4 ! video/x-raw,"
      "width=64,height=48 ! clarifaitag api-url=%s client-id=" ID
      " client-secret=" SECRET " interval=0 retries=1 ! fakesink", url);
  tags = run_pipeline (desc, &warnings);
  fail_unless_equals_int (tags->len, 4);
  for (i = 0; i < 4; i++)
    fail_unless_equals_string (str (tags->pdata[i], "status"), "NETWORK_ERROR");
  fail_unless_equals_int (warnings, 1);
  fixture_server_setup ();
}

GST_END_TEST;

/* ---- the fault matrix ---- */

typedef struct
{
  const gchar *name;
  ClarifaiServerFault fault;
  guint count;                  /* 0: until the first round is over */
  guint param;
  const gchar *props;
  guint frames;                 /* in the faulty round */
  const gchar *status[2];       /* of its first two frames; the rest: [0] */
  const gchar *detail;          /* in the first frame's status-msg */
  gboolean outage;              /* one outage warning expected */
} FaultCase;

#define BATCH2 "batch-size=2 batch-timeout=60000000000"

static const FaultCase fault_cases[] = {
  {"throttle", CLARIFAI_SERVER_FAULT_THROTTLE, 1, 1, "retries=2", 1,
      {"OK"}, NULL, FALSE},
  {"throttle-no-header", CLARIFAI_SERVER_FAULT_THROTTLE_NO_HEADER, 1, 0,
      "retries=0", 1, {"HTTP_ERROR"}, "429", FALSE},
  {"token-expired", CLARIFAI_SERVER_FAULT_TOKEN_EXPIRED, 1, 0, "", 1,
      {"OK"}, NULL, FALSE},
  {"token-invalid", CLARIFAI_SERVER_FAULT_TOKEN_INVALID, 1, 0, "", 1,
      {"OK"}, NULL, FALSE},
  {"vision-error-retried", CLARIFAI_SERVER_FAULT_VISION_ERROR, 1, 0,
      "retries=2", 1, {"OK"}, NULL, FALSE},
  {"vision-error", CLARIFAI_SERVER_FAULT_VISION_ERROR, 2, 0, "retries=1", 1,
      {"VISION_ERROR"}, "failed to run", TRUE},
  {"unavailable", CLARIFAI_SERVER_FAULT_UNAVAILABLE, 0, 0, "retries=1", 3,
      {"HTTP_ERROR"}, "503", TRUE},
  {"slow", CLARIFAI_SERVER_FAULT_SLOW, 1, 4000,
      "timeout=1500000000 retries=0", 1, {"NETWORK_ERROR"}, "1500 ms", TRUE},
  {"close", CLARIFAI_SERVER_FAULT_CLOSE, 1, 0, "retries=0", 1,
      {"NETWORK_ERROR"}, NULL, TRUE},
  {"close-retried", CLARIFAI_SERVER_FAULT_CLOSE, 1, 0, "retries=1", 1,
      {"OK"}, NULL, FALSE},
  {"malformed", CLARIFAI_SERVER_FAULT_MALFORMED, 1, 0, "", 1,
      {"BAD_RESPONSE"}, "not JSON", FALSE},
  {"truncated", CLARIFAI_SERVER_FAULT_TRUNCATED, 1, 0, "", 1,
      {"BAD_RESPONSE"}, "not JSON", FALSE},
  {"huge", CLARIFAI_SERVER_FAULT_HUGE, 1, 0, "", 1, {"BAD_RESPONSE"},
      "larger than", FALSE},
  {"wrong-content-type", CLARIFAI_SERVER_FAULT_WRONG_CONTENT_TYPE, 1, 0, "",
      1, {"BAD_RESPONSE"}, "not JSON", FALSE},
  {"missing-result", CLARIFAI_SERVER_FAULT_MISSING_RESULT, 1, 0, BATCH2, 2,
      {"OK", "BAD_RESPONSE"}, NULL, FALSE},
  {"wrong-ids", CLARIFAI_SERVER_FAULT_WRONG_IDS, 1, 0, BATCH2, 2,
      {"BAD_RESPONSE", "BAD_RESPONSE"}, "no result", FALSE},
  {"no-ids", CLARIFAI_SERVER_FAULT_NO_IDS, 1, 0, BATCH2, 2, {"OK", "OK"},
      NULL, FALSE},
  {"partial", CLARIFAI_SERVER_FAULT_PARTIAL, 1, 0, BATCH2, 2,
      {"CLIENT_ERROR", "OK"}, "injected", FALSE},
  {"non-utf8", CLARIFAI_SERVER_FAULT_NON_UTF8, 1, 0, "", 1, {"OK"}, NULL,
      FALSE},
};

/* Pops @n clarifai-tags messages, counting the warnings on the way. */
static GPtrArray *
collect (GstBus * bus, guint n, guint * warnings)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);

  while (all->len < n) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, WAIT,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_WARNING | GST_MESSAGE_ERROR);

    fail_unless (msg != NULL, "got %u of %u messages", all->len, n);
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING)
      (*warnings)++;
    else if (gst_message_has_name (msg, "clarifai-tags"))
      g_ptr_array_add (all,
          gst_structure_copy (gst_message_get_structure (msg)));
    gst_message_unref (msg);
  }
  assert_in_sampling_order (all);
  return all;
}

/* The same faults against v2, in v2's terms (clarifai-v2-api.md 6-7):
 * throttling is 429 CONN_THROTTLED with Retry-After; TRY_AGAIN and
 * internal codes are retried; a garbled 200 is tried once more; outputs
 * are matched by input id, whatever their order; per-output failures are
 * those frames' statuses; an unknown code is CODE_<n>. */
static const FaultCase v2_fault_cases[] = {
  {"throttle", CLARIFAI_SERVER_FAULT_THROTTLE, 1, 1, "retries=2", 1,
      {"OK"}, NULL, FALSE},
  {"throttle-exhausted", CLARIFAI_SERVER_FAULT_THROTTLE_NO_HEADER, 1, 0,
      "retries=0", 1, {"CONN_THROTTLED"}, "too many", FALSE},
  {"try-again-retried", CLARIFAI_SERVER_FAULT_TRY_AGAIN, 1, 0, "retries=2",
      1, {"OK"}, NULL, FALSE},
  {"try-again", CLARIFAI_SERVER_FAULT_TRY_AGAIN, 2, 0, "retries=1", 1,
      {"TRY_AGAIN"}, "Try again", TRUE},
  {"internal", CLARIFAI_SERVER_FAULT_VISION_ERROR, 2, 0, "retries=1", 1,
      {"CODE_98001"}, "Internal error", TRUE},
  {"unavailable", CLARIFAI_SERVER_FAULT_UNAVAILABLE, 0, 0, "retries=1", 3,
      {"HTTP_ERROR"}, "503", TRUE},
  {"slow", CLARIFAI_SERVER_FAULT_SLOW, 1, 4000,
      "timeout=1500000000 retries=0", 1, {"NETWORK_ERROR"}, "1500 ms", TRUE},
  {"close", CLARIFAI_SERVER_FAULT_CLOSE, 1, 0, "retries=0", 1,
      {"NETWORK_ERROR"}, NULL, TRUE},
  {"close-retried", CLARIFAI_SERVER_FAULT_CLOSE, 1, 0, "retries=1", 1,
      {"OK"}, NULL, FALSE},
  {"malformed-retried", CLARIFAI_SERVER_FAULT_MALFORMED, 1, 0, "", 1,
      {"OK"}, NULL, FALSE},
  {"malformed", CLARIFAI_SERVER_FAULT_MALFORMED, 0, 0, "retries=1", 1,
      {"BAD_RESPONSE"}, "not JSON", FALSE},
  {"truncated", CLARIFAI_SERVER_FAULT_TRUNCATED, 0, 0, "retries=0", 1,
      {"BAD_RESPONSE"}, "not JSON", FALSE},
  {"huge", CLARIFAI_SERVER_FAULT_HUGE, 1, 0, "", 1, {"BAD_RESPONSE"},
      "larger than", FALSE},
  {"wrong-content-type", CLARIFAI_SERVER_FAULT_WRONG_CONTENT_TYPE, 0, 0,
      "retries=0", 1, {"BAD_RESPONSE"}, "not JSON", FALSE},
  {"missing-output", CLARIFAI_SERVER_FAULT_MISSING_RESULT, 1, 0, BATCH2, 2,
      {"OK", "BAD_RESPONSE"}, NULL, FALSE},
  {"wrong-ids", CLARIFAI_SERVER_FAULT_WRONG_IDS, 1, 0, BATCH2, 2,
      {"BAD_RESPONSE", "BAD_RESPONSE"}, "no result", FALSE},
  {"no-ids", CLARIFAI_SERVER_FAULT_NO_IDS, 1, 0, BATCH2, 2, {"OK", "OK"},
      NULL, FALSE},
  {"reverse", CLARIFAI_SERVER_FAULT_REVERSE, 1, 0, BATCH2, 2, {"OK", "OK"},
      NULL, FALSE},
  {"mixed-status", CLARIFAI_SERVER_FAULT_PARTIAL, 1, 0, BATCH2, 2,
      {"INPUT_FAILED", "OK"}, "injected", FALSE},
  {"non-utf8", CLARIFAI_SERVER_FAULT_NON_UTF8, 1, 0, "", 1, {"OK"}, NULL,
      FALSE},
  {"unknown-code", CLARIFAI_SERVER_FAULT_UNKNOWN_CODE, 1, 12345, "retries=2",
      1, {"CODE_12345"}, "does not know", FALSE},
};

/* The wait a failing frame announces ("next attempt in N ms"). */
static guint
announced_wait (const GstStructure * s)
{
  const gchar *next = strstr (str (s, "status-msg"), "next attempt in ");
  guint wait_ms = 0;

  fail_unless (next != NULL && sscanf (next, "next attempt in %u ms",
          &wait_ms) == 1, "%s", str (s, "status-msg"));
  return wait_ms;
}

/* After an outage the account's gate reopens when the frames failing
 * meanwhile say it will: pushes a frame every 200 ms, from index @first,
 * until one is tagged, which must be within @within of the opening the
 * first failing frame announced (its wait goes to @announced); returns how
 * many it pushed.  The ones before fail at once, as the outage did.  The
 * deadline follows the gate's own clock, not the test's: on a loaded
 * machine the probes of an outage come late and the steps add up. */
static guint
push_until_tagged (GstHarness * h, GstBus * bus, guint first, guint * warnings,
    GstClockTime within, guint * announced)
{
  gint64 deadline = 0;
  guint n = 0;

  for (;;) {
    g_autoptr (GPtrArray) got = NULL;
    const GstStructure *s;
    guint wait_ms;

    push_frame (h, GREEN, first + n++);
    got = collect (bus, 1, warnings);
    s = got->pdata[0];
    if (g_str_equal (str (s, "status"), "OK"))
      break;
    /* a frame in the outage is not sent: it says when the next is */
    wait_ms = announced_wait (s);
    if (deadline == 0) {
      deadline = g_get_monotonic_time () + wait_ms * 1000 + within /
          GST_USECOND;
      if (announced)
        *announced = wait_ms;
    }
    fail_unless (g_get_monotonic_time () < deadline,
        "not tagged again within %" G_GUINT64_FORMAT " ms of the gate's "
        "opening", within / GST_MSECOND);
    g_usleep (200 * 1000);
  }
  return n;
}

/* Each fault: the faulty round of frames ends with the expected statuses,
 * one message per frame; after the fault, frames are tagged again; EOS
 * goes through; the stats add up. */
static void
run_fault_case (const FaultCase * fc, gboolean v2)
{
  const guint32 colours[] = { RED, BLUE, GREEN };
  g_autofree gchar *props = g_strdup_printf ("interval=0 max-in-flight=1 %s",
      fc->props);
  GstBus *bus;
  GstHarness *h = v2 ? v2_harness (props, &bus) : tagger_harness (props, &bus);
  g_autoptr (GPtrArray) faulty = NULL, after = NULL;
  GstStructure *stats;
  GstEvent *event;
  guint i, warnings = 0, n_after = MAX (fc->frames, 1), probes = 0;

  GST_INFO ("%s fault case %s", v2 ? "v2" : "v1", fc->name);
  clarifai_server_add_fault (fixture_server, fc->fault, fc->count, fc->param);
  for (i = 0; i < fc->frames; i++)
    push_frame (h, colours[i % 3], i);
  faulty = collect (bus, fc->frames, &warnings);
  for (i = 0; i < fc->frames; i++) {
    const GstStructure *s = faulty->pdata[i];
    const gchar *want = fc->status[i < 2 && fc->status[i] ? i : 0];

    fail_unless (g_str_equal (str (s, "status"), want),
        "%s: frame %u is %s (%s), not %s", fc->name, i, str (s, "status"),
        str (s, "status-msg"), want);
    if (fc->fault == CLARIFAI_SERVER_FAULT_NON_UTF8) {
      fail_unless (g_str_has_prefix (tag_class (s, 0), "red"));
      fail_unless (g_utf8_validate (tag_class (s, 0), -1, NULL));
    } else if (g_str_equal (want, "OK"))
      assert_tagged (s, i % 3 == 0 ? "red" : i % 3 == 1 ? "blue" : "green");
    else
      fail_unless_equals_int (n_tags (s), 0);
    fail_unless (g_utf8_validate (str (s, "status-msg"), -1, NULL));
  }
  if (fc->detail)
    fail_unless (strstr (str (faulty->pdata[0], "status-msg"), fc->detail),
        "%s: '%s' does not say '%s'", fc->name,
        str (faulty->pdata[0], "status-msg"), fc->detail);

  /* After the fault: tags flow again, after an outage once the account's
   * gate reopens. */
  clarifai_server_clear_faults (fixture_server);
  if (fc->outage)
    probes = push_until_tagged (h, bus, fc->frames, &warnings, 3 * GST_SECOND,
        NULL);
  for (i = 0; i < n_after; i++)
    push_frame (h, GREEN, fc->frames + probes + i);
  after = collect (bus, n_after, &warnings);
  for (i = 0; i < n_after; i++)
    assert_tagged (after->pdata[i], "green");

  fail_unless_equals_int (gst_harness_push_event (h, gst_event_new_eos ()),
      TRUE);
  while ((event = gst_harness_try_pull_event (h))) {
    gboolean eos = GST_EVENT_TYPE (event) == GST_EVENT_EOS;

    gst_event_unref (event);
    if (eos)
      break;
  }
  fail_unless_equals_int (warnings, fc->outage ? 1 : 0);

  stats = get_stats (h->element);
  assert_invariant (stats);
  fail_unless_equals_uint64 (u64 (stats, "pending"), 0);
  fail_unless_equals_uint64 (u64 (stats, "sampled"), fc->frames + probes +
      n_after);
  if (fc->fault == CLARIFAI_SERVER_FAULT_THROTTLE) {
    fail_unless_equals_uint64 (u64 (stats, "throttled"), 1);
    fail_unless_equals_uint64 (u64 (stats, "retries"), 1);
    fail_unless (u64 (faulty->pdata[0], "latency") >= GST_SECOND);
  }
  if (fc->fault == CLARIFAI_SERVER_FAULT_THROTTLE_NO_HEADER && !v2)
    /* the account waited the default 10 s before the next request */
    fail_unless (u64 (after->pdata[0], "latency") >= 9 * GST_SECOND);
  if (fc->fault == CLARIFAI_SERVER_FAULT_TOKEN_EXPIRED
      || fc->fault == CLARIFAI_SERVER_FAULT_TOKEN_INVALID)
    fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
        2);
  if (v2) {
    g_autoptr (GPtrArray) reqs =
        clarifai_server_get_tag_requests (fixture_server);
    guint k;

    fail_unless_equals_uint64 (u64 (stats, "token-requests"), 0);
    for (k = 0; k < reqs->len; k++)
      fail_unless_equals_int (((ClarifaiServerRequest *) reqs->pdata[k])->api,
          2);
  }
  gst_structure_free (stats);
  fixture_harness_free (h, bus);
}

GST_START_TEST (test_fault_matrix)
{
  run_fault_case (&fault_cases[__i__], FALSE);
}

GST_END_TEST;

GST_START_TEST (test_v2_fault_matrix)
{
  run_fault_case (&v2_fault_cases[__i__], TRUE);
}

GST_END_TEST;

/* A 429 pauses the whole account: a second element with the same
 * credentials waits out the first one's throttling too. */
GST_START_TEST (test_throttle_shared)
{
  GstBus *bus1, *bus2;
  GstHarness *h1 = tagger_harness ("interval=0 retries=0", &bus1);
  GstHarness *h2 = tagger_harness ("interval=0 retries=0", &bus2);
  g_autoptr (GPtrArray) throttled = NULL, waited = NULL;
  guint warnings = 0;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_THROTTLE, 1,
      2);
  push_frame (h1, RED, 0);
  throttled = collect (bus1, 1, &warnings);
  fail_unless_equals_string (str (throttled->pdata[0], "status"), "HTTP_ERROR");
  push_frame (h2, BLUE, 0);
  waited = collect (bus2, 1, &warnings);
  assert_tagged (waited->pdata[0], "blue");
  fail_unless (u64 (waited->pdata[0], "latency") >= GST_SECOND,
      "the second element did not wait: %" G_GUINT64_FORMAT " ms",
      u64 (waited->pdata[0], "latency") / GST_MSECOND);
  fixture_harness_free (h1, bus1);
  fixture_harness_free (h2, bus2);
}

GST_END_TEST;

/* The server goes down mid-stream and comes back on the same port: frames
 * fail with NETWORK_ERROR meanwhile (the first after trying, the others at
 * once), one warning is posted, and tags flow again within the account's
 * backoff step (with a new token: the restarted server forgot the old
 * one). */
GST_START_TEST (test_server_restart)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0 max-in-flight=1 retries=0",
      &bus);
  g_autoptr (GPtrArray) before = NULL, down = NULL, back = NULL;
  g_autoptr (GUri) uri = g_uri_parse (clarifai_server_get_url (fixture_server),
      G_URI_FLAGS_NONE, NULL);
  guint i, warnings = 0;
  GError *err = NULL;

  push_frame (h, RED, 0);
  before = collect (bus, 1, &warnings);
  assert_tagged (before->pdata[0], "red");

  clarifai_server_stop (fixture_server);
  for (i = 1; i <= 3; i++)
    push_frame (h, RED, i);
  down = collect (bus, 3, &warnings);
  for (i = 0; i < 3; i++)
    fail_unless_equals_string (str (down->pdata[i], "status"), "NETWORK_ERROR");
  fail_unless_equals_int (warnings, 1);

  fail_unless (clarifai_server_start (fixture_server, "127.0.0.1",
          g_uri_get_port (uri), &err));
  /* noticed within the gate's step: 1 s after the one failed request */
  i = push_until_tagged (h, bus, 4, &warnings, 3 * GST_SECOND, NULL);
  push_frame (h, BLUE, 4 + i);
  back = collect (bus, 1, &warnings);
  assert_tagged (back->pdata[0], "blue");
  fail_unless_equals_int (warnings, 1);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* `retries` holds for transient errors: a TRY_AGAIN, then a 503 text
 * page, then the service is fine.  The first frame's request is retried
 * as the gate's probes (1 s, then 2 s apart) and the frames that arrive
 * meanwhile wait for it: all four are tagged, with two retries. */
GST_START_TEST (test_transient_retries)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("interval=0 retries=3 max-in-flight=1", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  GstStructure *stats;
  guint i, warnings = 0;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_TRY_AGAIN,
      1, 0);
  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_UNAVAILABLE,
      1, 0);
  for (i = 0; i < 4; i++)
    push_frame (h, i % 2 ? BLUE : RED, i);
  tags = collect (bus, 4, &warnings);
  for (i = 0; i < 4; i++)
    assert_tagged (tags->pdata[i], i % 2 ? "blue" : "red");
  /* the gate's steps: 1 s after the TRY_AGAIN, 2 s after the 503 */
  fail_unless (u64 (tags->pdata[0], "latency") >= 3 * GST_SECOND - 100 *
      GST_MSECOND, "latency %" G_GUINT64_FORMAT " ms",
      u64 (tags->pdata[0], "latency") / GST_MSECOND);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  stats = get_stats (h->element);
  fail_unless_equals_uint64 (u64 (stats, "tagged"), 4);
  fail_unless_equals_uint64 (u64 (stats, "retries"), 2);
  fail_unless_equals_uint64 (u64 (stats, "requests"), 6);
  gst_structure_free (stats);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A blip does not take an account's cameras offline: 8 elements on one
 * key, a service answering in 1.5 s, restarted within half a second.  The
 * 16 requests in flight at the restart close the account's gate for one
 * step, not 16 doublings of it: every element has a frame tagged again
 * within 6 s of the restart (before: 30 s). */
#define BLIP_ELEMENTS 8

/* Reads the elements' messages until @until; notes when each was tagged
 * again after @restarted (0: not yet).  Returns how many were, newly. */
static guint
note_tagged_again (GstBus ** bus, gint64 * back_at, gint64 restarted,
    gint64 until)
{
  guint i, n = 0;
  GstMessage *msg;

  while (g_get_monotonic_time () < until) {
    for (i = 0; i < BLIP_ELEMENTS; i++) {
      while ((msg = gst_bus_pop_filtered (bus[i], GST_MESSAGE_ELEMENT))) {
        const GstStructure *ms = gst_message_get_structure (msg);

        if (restarted && !back_at[i]
            && gst_structure_has_name (ms, "clarifai-tags")
            && g_str_equal (gst_structure_get_string (ms, "status"), "OK")) {
          back_at[i] = g_get_monotonic_time ();
          n++;
        }
        gst_message_unref (msg);
      }
    }
    g_usleep (20 * 1000);
  }
  return n;
}

GST_START_TEST (test_blip_many_elements)
{
  GstHarness *h[BLIP_ELEMENTS];
  GstBus *bus[BLIP_ELEMENTS];
  gint64 back_at[BLIP_ELEMENTS] = { 0, }, restarted = 0, slowest = 0;
  g_autoptr (GUri) uri = g_uri_parse (clarifai_server_get_url (fixture_server),
      G_URI_FLAGS_NONE, NULL);
  guint i, k, index = 0, n_back = 0;
  GError *err = NULL;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_SLOW, 0,
      1500);
  for (i = 0; i < BLIP_ELEMENTS; i++)
    h[i] = v2_harness ("interval=0", &bus[i]);

  /* a frame a second to each element, 3 s before the blip, 12 s after */
  for (k = 0; k < 15 && n_back < BLIP_ELEMENTS; k++, index++) {
    if (k == 3) {
      clarifai_server_stop (fixture_server);
      g_usleep (500 * 1000);
      fail_unless (clarifai_server_start (fixture_server, "127.0.0.1",
              g_uri_get_port (uri), &err));
      restarted = g_get_monotonic_time ();
    }
    for (i = 0; i < BLIP_ELEMENTS; i++)
      push_frame (h[i], GREEN, index);
    n_back += note_tagged_again (bus, back_at, restarted,
        g_get_monotonic_time () + G_USEC_PER_SEC);
  }
  for (i = 0; i < BLIP_ELEMENTS; i++) {
    fail_unless (back_at[i] != 0, "element %u not tagged again in 12 s", i);
    slowest = MAX (slowest, back_at[i] - restarted);
  }
  GST_INFO ("every element tagged again %" G_GINT64_FORMAT " ms after the "
      "restart", slowest / 1000);
  fail_unless (slowest < 6 * G_USEC_PER_SEC, "%" G_GINT64_FORMAT " ms",
      slowest / 1000);
  for (i = 0; i < BLIP_ELEMENTS; i++)
    fixture_harness_free (h[i], bus[i]);
}

GST_END_TEST;

/* A file (a stream that is not live) is tagged completely against a
 * service slower than sampling: with leaky=auto the streaming thread waits
 * for room in the queue, so no frame is dropped and two runs post the same
 * messages.  leaky=downstream drops, as a live stream does. */
GST_START_TEST (test_file_not_dropped)
{
  const gchar *leaky[] = { "auto", "auto", "downstream" };
  g_autoptr (GString) run0 = g_string_new (NULL);
  guint run, i;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_SLOW, 0,
      300);
  for (run = 0; run < G_N_ELEMENTS (leaky); run++) {
    g_autofree gchar *desc = g_strdup_printf ("videotestsrc num-buffers=75 "
        "pattern=smpte ! video/x-raw,width=64,height=48,framerate=15/1 ! "
        "clarifaitag api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY
        " interval=200000000 queue-size=4 leaky=%s ! fakesink",
        clarifai_server_get_url (fixture_server), leaky[run]);
    g_autoptr (GPtrArray) tags = run_pipeline (desc, NULL);
    g_autoptr (GString) seen = g_string_new (NULL);
    guint dropped = 0;

    fail_unless_equals_int (tags->len, 25);
    for (i = 0; i < tags->len; i++) {
      const GstStructure *t = tags->pdata[i];

      dropped += g_str_equal (str (t, "status"), "DROPPED");
      g_string_append_printf (seen, "%" G_GUINT64_FORMAT " %s %s\n",
          u64 (t, "timestamp"), str (t, "status"),
          n_tags (t) ? tag_class (t, 0) : "-");
    }
    GST_INFO ("leaky=%s: %u of 25 dropped", leaky[run], dropped);
    if (run < 2) {
      fail_unless_equals_int (dropped, 0);
      if (run == 0)
        g_string_assign (run0, seen->str);
      else
        fail_unless_equals_string (seen->str, run0->str);
    } else {
      fail_unless (dropped > 0, "leaky=downstream dropped nothing");
    }
  }
}

GST_END_TEST;

static GstBusSyncReply
count_tags (GstBus * bus, GstMessage * msg, gpointer counter)
{
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT
      && gst_message_has_name (msg, "clarifai-tags"))
    g_atomic_int_inc ((gint *) counter);
  /* a sync handler that drops a message owns it */
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

typedef struct
{
  GstElement *element;
  gint stop;
  guint reads;
} Poller;

/* Reads every readable property of the element, over and over, until told
 * to stop: property reads must be safe at any moment. */
static gpointer
poll_properties (gpointer data)
{
  Poller *p = data;
  guint n, i;
  GParamSpec **specs =
      g_object_class_list_properties (G_OBJECT_GET_CLASS (p->element), &n);

  while (!g_atomic_int_get (&p->stop)) {
    for (i = 0; i < n; i++) {
      GValue v = G_VALUE_INIT;

      if (!(specs[i]->flags & G_PARAM_READABLE))
        continue;
      g_value_init (&v, specs[i]->value_type);
      g_object_get_property (G_OBJECT (p->element), specs[i]->name, &v);
      g_value_unset (&v);
    }
    p->reads++;
    /* without a pause it would take a core from the pipeline it races */
    g_usleep (1000);
  }
  g_free (specs);
  return NULL;
}

typedef struct
{
  GstPad *pad;
  gint stop;
} Flusher;

/* Flushes, as fast as they go, until told to stop. */
static gpointer
send_flushes (gpointer data)
{
  Flusher *f = data;

  while (!g_atomic_int_get (&f->stop)) {
    gst_pad_send_event (f->pad, gst_event_new_flush_start ());
    gst_pad_send_event (f->pad, gst_event_new_flush_stop (TRUE));
  }
  return NULL;
}

static GstPadProbeReturn
count_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  g_atomic_int_inc ((gint *) data);
  return GST_PAD_PROBE_OK;
}

/* Which activation of the pipeline, and which flush within it, a buffer
 * was made after, stamped on it at the source and checked where it leaves
 * the tagger, against the flushes that went through there: one of an
 * earlier activation, or of before a flush that already went through, or
 * one that comes out while the tagger's source pad is not active, crossed
 * the source pad when it should not have (a push outside the pad's life,
 * or of a buffer the flush dropped). */
typedef struct
{
  gint cycle;
  gint src_flushes;             /* FLUSH_STOPs out of the source this cycle */
  gint sink_flushes;            /* and into the sink */
  gint stamped;
  gint stale;
  gint inactive;
  GstPad *tag_src;
} Activations;

#define FLUSHES_PER_CYCLE 1000

static GstStaticCaps cycle_caps =
GST_STATIC_CAPS ("timestamp/x-clarifai-test-cycle");

/* Whether the probe saw a flush event rather than a buffer; a FLUSH_STOP
 * is counted in @flushes. */
static gboolean
count_flush (GstPadProbeInfo * info, gint * flushes)
{
  if (!(info->type & GST_PAD_PROBE_TYPE_EVENT_FLUSH))
    return FALSE;
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_FLUSH_STOP)
    g_atomic_int_inc (flushes);
  return TRUE;
}

static GstPadProbeReturn
stamp_cycle (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Activations *a = data;
  GstBuffer *buf;

  if (count_flush (info, &a->src_flushes))
    return GST_PAD_PROBE_OK;
  buf = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  gst_buffer_add_reference_timestamp_meta (buf,
      gst_static_caps_get (&cycle_caps), g_atomic_int_get (&a->cycle) *
      FLUSHES_PER_CYCLE + g_atomic_int_get (&a->src_flushes),
      GST_CLOCK_TIME_NONE);
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
check_cycle (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Activations *a = data;
  GstReferenceTimestampMeta *meta;

  if (count_flush (info, &a->sink_flushes))
    return GST_PAD_PROBE_OK;
  meta = gst_buffer_get_reference_timestamp_meta (GST_PAD_PROBE_INFO_BUFFER
      (info), gst_static_caps_get (&cycle_caps));
  if (!GST_PAD_IS_ACTIVE (a->tag_src))
    g_atomic_int_inc (&a->inactive);
  if (meta) {
    g_atomic_int_inc (&a->stamped);
    if ((gint) meta->timestamp != g_atomic_int_get (&a->cycle) *
        FLUSHES_PER_CYCLE + g_atomic_int_get (&a->sink_flushes))
      g_atomic_int_inc (&a->stale);
  }
  return GST_PAD_PROBE_OK;
}

static void
watch_activations (GstElement * pipeline, GstElement * tag, Activations * a)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstPadProbeType types = GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_FLUSH;
  GstPad *pad;

  a->tag_src = gst_element_get_static_pad (tag, "src");
  pad = gst_element_get_static_pad (src, "src");
  gst_pad_add_probe (pad, types, stamp_cycle, a, NULL);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, types, check_cycle, a, NULL);
  gst_object_unref (pad);
  gst_object_unref (src);
  gst_object_unref (sink);
}

/* A new activation: nothing flows while the pipeline is in NULL. */
static void
next_activation (Activations * a, gint cycle)
{
  g_atomic_int_set (&a->src_flushes, 0);
  g_atomic_int_set (&a->sink_flushes, 0);
  g_atomic_int_set (&a->cycle, cycle);
}

/* 200 PLAYING -> NULL cycles of a live source into a tagger with @props,
 * each after at least one frame reached it, with requests in flight, while another thread reads every property, and
 * a flushing seek every 4th cycle if @seeks: every cycle's messages are
 * posted before the state change returns, one per sampled frame, and none
 * comes later; with publish set, every result is published or counted as
 * dropped; no buffer crosses the tagger's source pad once it was
 * deactivated (Activations).  (Counted in a sync handler: the bus of a
 * pipeline in NULL drops what is queued.) */
static void
run_lifecycle (const gchar * props, guint fps, guint delay_ms, gboolean seeks)
{
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc name=src "
      "is-live=true ! video/x-raw,width=64,height=48,framerate=%u/1 ! "
      "clarifaitag name=tag api-url=%s %s ! fakesink name=sink", fps,
      clarifai_server_get_url (fixture_server), props);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *tag = gst_bin_get_by_name (GST_BIN (pipeline), "tag");
  GstBus *bus = gst_element_get_bus (pipeline);
  const gchar *env = g_getenv ("CLARIFAI_TEST_CYCLES");
  gboolean publishing = strstr (props, "publish=") != NULL;
  guint cycles = env ? atoi (env) : 200;
  guint i, total = 0;
  gint counted = 0, arrived = 0;
  GstPad *sink = gst_element_get_static_pad (tag, "sink");

  Poller poller = { tag, 0, 0 };
  Activations activations = { 0, };
  GThread *reader;

  watch_activations (pipeline, tag, &activations);
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, &arrived,
      NULL);
  gst_object_unref (sink);
  gst_bus_set_sync_handler (bus, count_tags, &counted, NULL);
  clarifai_server_set_delay (fixture_server, delay_ms);
  reader = g_thread_new ("poller", poll_properties, &poller);
  for (i = 0; i < cycles; i++) {
    GstStructure *stats;
    guint n;
    gint64 deadline;

    g_atomic_int_set (&arrived, 0);
    next_activation (&activations, i);
    fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
        GST_STATE_CHANGE_FAILURE);
    /* valgrind can take longer to start a cycle than the sleep below */
    deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    while (g_atomic_int_get (&arrived) == 0
        && g_get_monotonic_time () < deadline)
      g_usleep (1000);
    g_usleep (g_random_int_range (0, 40) * 1000);
    if (seeks && i % 4 == 1)
      gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH, 0);
    fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    n = g_atomic_int_and ((guint *) & counted, 0);
    stats = get_stats (tag);
    assert_invariant (stats);
    fail_unless_equals_uint64 (u64 (stats, "pending"), 0);
    fail_unless_equals_uint64 (u64 (stats, "sampled"), n);
    if (publishing) {
      fail_unless_equals_uint64 (u64 (stats, "publish-pending"), 0);
      fail_unless_equals_uint64 (u64 (stats, "published") +
          u64 (stats, "publish-dropped"), n);
    }
    gst_structure_free (stats);
    total += n;
  }
  g_atomic_int_set (&poller.stop, 1);
  g_thread_join (reader);
  fail_unless (poller.reads > cycles, "only %u rounds of reads", poller.reads);
  fail_unless (total >= cycles, "only %u frames sampled in %u cycles", total,
      cycles);
  g_usleep (300 * 1000);
  fail_unless_equals_int (g_atomic_int_get (&counted), 0);
  /* under valgrind, sync mode may let none out before the cycles end */
  GST_INFO ("%d buffers came out stamped", activations.stamped);
  fail_unless_equals_int (activations.stale, 0);
  fail_unless_equals_int (activations.inactive, 0);
  gst_object_unref (activations.tag_src);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  gst_object_unref (bus);
  gst_object_unref (tag);
  gst_object_unref (pipeline);
}

GST_START_TEST (test_lifecycle)
{
  run_lifecycle ("client-id=" ID " client-secret=" SECRET " interval=0 "
      "max-in-flight=2 queue-size=4", 200, 20, FALSE);
}

GST_END_TEST;

/* Publishing and alerts too: the publisher thread starts and stops with
 * the element, the results of every cycle are written or counted. */
GST_START_TEST (test_publish_lifecycle)
{
  g_autofree gchar *dir = g_dir_make_tmp ("clarifai-lifecycle-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "results.jsonl", NULL);
  g_autofree gchar *props = g_strdup_printf ("api-key="
      CLARIFAI_SERVER_DEFAULT_API_KEY " interval=0 max-in-flight=2 "
      "queue-size=4 alert-classes=white,yellow,cyan alert-threshold=0.1 "
      "publish=file://%s",
      path);

  run_lifecycle (props, 200, 20, TRUE);
  test_remove_dir (dir);
}

GST_END_TEST;

/* Caps change mid-stream through every raw format GstVideoConverter
 * handles (and image/jpeg); each frame is tagged. */
GST_START_TEST (test_renegotiation_all_formats)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0", &bus);
  const GstVideoFormat *formats;
  guint n_formats, i, tried = 0;
  g_autoptr (GPtrArray) tags = NULL;
  GstBuffer *buf;

  formats = gst_video_formats_raw (&n_formats);
  for (i = 0; i < n_formats; i++) {
    const GstVideoFormatInfo *finfo = gst_video_format_get_info (formats[i]);
    GstVideoInfo rgb, info;
    GstVideoConverter *probe;
    GstCaps *caps;
    /* A tiled format comes from a hardware decoder in whole tiles (the
     * largest are 8x128 and 64x32); GstVideoConverter 1.26 unpacks a
     * partial tile from lines it never wrote (MT2110R: memcheck). */
    guint w = GST_VIDEO_FORMAT_INFO_IS_TILED (finfo) ? 128 : 34;
    guint hgt = GST_VIDEO_FORMAT_INFO_IS_TILED (finfo) ? 128 : 18;

    gst_video_info_set_format (&rgb, GST_VIDEO_FORMAT_RGB, w, hgt);
    gst_video_info_set_format (&info, formats[i], w, hgt);
    /* formats the converter cannot write, the test cannot make */
    probe = gst_video_converter_new (&rgb, &info, NULL);
    if (probe == NULL)
      continue;
    gst_video_converter_free (probe);
    caps = gst_video_info_to_caps (&info);
    gst_caps_set_simple (caps, "framerate", GST_TYPE_FRACTION, 30, 1, NULL);
    gst_harness_set_src_caps (h, caps);
    buf = test_frame (formats[i], w, hgt, RED, w, RED, &info);
    GST_BUFFER_PTS (buf) = tried * GST_SECOND;
    fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
    gst_buffer_unref (gst_harness_pull (h));
    tags = take_tags (bus, 1);
    fail_unless (g_str_equal (str (tags->pdata[0], "status"), "OK"),
        "%s: %s", gst_video_format_to_string (formats[i]),
        str (tags->pdata[0], "status-msg"));
    fail_unless (n_tags (tags->pdata[0]) > 0);
    g_clear_pointer (&tags, g_ptr_array_unref);
    tried++;
  }
  fail_unless (tried > 50, "only %u formats", tried);

  gst_harness_set_src_caps_str (h, "image/jpeg,width=64,height=48");
  buf = jpeg_frame (64, 48, BLUE, tried * GST_SECOND);
  gst_harness_push (h, buf);
  gst_buffer_unref (gst_harness_pull (h));
  tags = take_tags (bus, 1);
  assert_tagged (tags->pdata[0], "blue");
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Out-of-range property values are refused when set; the value stays. */
/* GObject refuses an out-of-range value with a g_warning up to GLib 2.82
 * and a g_critical from 2.84 (Debian 13) on: either will do. */
#define ASSERT_REFUSED(code)                                    \
G_STMT_START {                                                  \
  _gst_check_expecting_log = TRUE;                              \
  _gst_check_raised_warning = FALSE;                            \
  _gst_check_raised_critical = FALSE;                           \
  code;                                                         \
  fail_unless (_gst_check_raised_warning                        \
      || _gst_check_raised_critical, "the value was not refused"); \
  _gst_check_expecting_log = FALSE;                             \
} G_STMT_END

GST_START_TEST (test_property_validation)
{
  GstElement *el = gst_element_factory_make ("clarifaitag", NULL);
  /* out of range: refused by GObject, the value kept */
  const gchar *bad[][2] = {
    {"jpeg-quality", "0"}, {"jpeg-quality", "101"}, {"threshold", "1.5"},
    {"threshold", "-0.1"}, {"batch-size", "0"}, {"batch-size", "1025"},
    {"max-in-flight", "0"}, {"queue-size", "0"}, {"retries", "100"},
    {"timeout", "0"},
    /* an hour and a nanosecond: longer waits would overflow the EOS drain
     * bound and GLib's millisecond timers */
    {"timeout", "3600000000001"}, {"batch-timeout", "3600000000001"},
    {"batch-timeout", "4320000000000000"},
  };
  /* the limits themselves are accepted */
  const gchar *good[][2] = {
    {"jpeg-quality", "1"}, {"jpeg-quality", "100"}, {"threshold", "1"},
    {"batch-size", "1024"}, {"retries", "16"}, {"timeout", "1000000"},
    {"timeout", "3600000000000"}, {"batch-timeout", "3600000000000"},
    {"interval", "18446744073709551615"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (el),
        bad[i][0]);
    GValue v = G_VALUE_INIT, before = G_VALUE_INIT, after = G_VALUE_INIT;

    g_value_init (&v, pspec->value_type);
    g_value_init (&before, pspec->value_type);
    g_value_init (&after, pspec->value_type);
    fail_unless (gst_value_deserialize (&v, bad[i][1]));
    g_object_get_property (G_OBJECT (el), bad[i][0], &before);
    ASSERT_REFUSED (g_object_set_property (G_OBJECT (el), bad[i][0], &v));
    g_object_get_property (G_OBJECT (el), bad[i][0], &after);
    fail_unless (gst_value_compare (&before, &after) == GST_VALUE_EQUAL,
        "%s=%s changed the value", bad[i][0], bad[i][1]);
    g_value_unset (&v);
    g_value_unset (&before);
    g_value_unset (&after);
  }
  for (i = 0; i < G_N_ELEMENTS (good); i++) {
    GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (el),
        good[i][0]);
    GValue v = G_VALUE_INIT, after = G_VALUE_INIT;

    g_value_init (&v, pspec->value_type);
    g_value_init (&after, pspec->value_type);
    fail_unless (gst_value_deserialize (&v, good[i][1]));
    g_object_set_property (G_OBJECT (el), good[i][0], &v);
    g_object_get_property (G_OBJECT (el), good[i][0], &after);
    fail_unless (gst_value_compare (&v, &after) == GST_VALUE_EQUAL,
        "%s=%s was not kept", good[i][0], good[i][1]);
    g_value_unset (&v);
    g_value_unset (&after);
  }
  gst_object_unref (el);
}

GST_END_TEST;

/* A gap event and a buffer without a timestamp in a stream do not break
 * sampling. */
GST_START_TEST (test_gap_and_missing_pts)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=500000000", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  GstBuffer *buf;

  push_frame (h, RED, 0);
  gst_harness_push_event (h, gst_event_new_gap (GST_SECOND / 30, GST_SECOND));
  buf = frame (RED, 31);
  GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
  gst_harness_push (h, buf);
  gst_buffer_unref (gst_harness_pull (h));
  push_frame (h, BLUE, 45);
  tags = take_tags (bus, 2);
  fail_unless_equals_uint64 (u64 (tags->pdata[1], "timestamp"),
      gst_util_uint64_scale (45, GST_SECOND, 30));
  assert_tagged (tags->pdata[1], "blue");
  assert_no_more_tags (bus);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

static void
assert_secret_absent (const gchar * where, const gchar * text,
    const gchar * secret)
{
  fail_if (strstr (text, secret) != NULL, "%s holds the secret '%s'", where,
      secret);
}

/* With every debug category at level 9, a run with client credentials, one
 * with an access token and one with a v2 API key leave neither the secret,
 * the key nor any token in the log or in the messages. */
GST_START_TEST (test_secrets_not_logged)
{
  const gchar *secret = "S3cr3t-n0t-f0r-l0gs";
  const gchar *pat = "P4T-n0t-f0r-l0gs-either";
  const gchar *url_password = "UrL-pa55w0rd-n0t-f0r-l0gs";
  g_autofree gchar *fixed = NULL;
  g_auto (GStrv) tokens = NULL;
  GString *messages = g_string_new (NULL);
  g_autofree gchar *log = NULL;
  guint run, i;

  clarifai_server_set_credentials (fixture_server, ID, secret);
  clarifai_server_set_api_key (fixture_server, pat);
  fixed = clarifai_server_issue_token (fixture_server);
  fixture_log_start ("*:9");

  for (run = 0; run < 4; run++) {
    GstBus *bus;
    GstHarness *h;
    g_autoptr (GPtrArray) tags = NULL;

    GstElement *el = gst_element_factory_make ("clarifaitag", NULL);

    /* Set directly: a launch line would be logged by the parser. */
    g_object_set (el, "api-url", clarifai_server_get_url (fixture_server),
        "interval", (guint64) 0, NULL);
    if (run == 0)
      g_object_set (el, "client-id", ID, "client-secret", secret, NULL);
    else if (run == 1)
      g_object_set (el, "client-id", ID, "access-token", fixed, NULL);
    else
      g_object_set (el, "api-key", pat, NULL);
    if (run == 3) {
      /* a password in the URL's user info; the base as Clarifai's docs
       * write it, with the version */
      g_autoptr (GUri) uri =
          g_uri_parse (clarifai_server_get_url (fixture_server),
          G_URI_FLAGS_NONE, NULL);
      g_autofree gchar *url = g_strdup_printf ("http://user:%s@127.0.0.1:%d"
          "/v2", url_password, g_uri_get_port (uri));

      g_object_set (el, "api-url", url, NULL);
    }
    h = fixture_harness_new (el, &bus,
        "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
    push_frame (h, RED, 0);
    tags = take_tags (bus, 1);
    assert_tagged (tags->pdata[0], "red");
    for (i = 0; i < tags->len; i++) {
      g_autofree gchar *text = gst_structure_to_string (tags->pdata[i]);

      g_string_append (messages, text);
    }
    fixture_harness_free (h, bus);
  }

  log = fixture_log_stop ();

  tokens = clarifai_server_get_issued_tokens (fixture_server);
  assert_secret_absent ("the log", log, secret);
  assert_secret_absent ("a message", messages->str, secret);
  assert_secret_absent ("the log", log, pat);
  assert_secret_absent ("a message", messages->str, pat);
  assert_secret_absent ("the log", log, url_password);
  assert_secret_absent ("a message", messages->str, url_password);
  fail_unless (g_strv_length (tokens) >= 2);
  fail_unless (strlen (log) > 100000, "log too short to mean anything");
  for (i = 0; tokens[i]; i++) {
    assert_secret_absent ("the log", log, tokens[i]);
    assert_secret_absent ("a message", messages->str, tokens[i]);
  }
  g_string_free (messages, TRUE);
}

GST_END_TEST;

/* https:// certificates are verified: a self-signed server is refused
 * with an element error unless ca-file names its certificate. */
GST_START_TEST (test_tls)
{
  const gchar *dir = g_getenv ("CLARIFAI_TEST_CERTS");
  g_autofree gchar *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree gchar *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree gchar *ca = NULL;
  GError *err = NULL;
  GstBus *bus;
  GstHarness *h;
  GstElement *el;
  g_autoptr (GPtrArray) refused = NULL, trusted = NULL;

  fail_unless (dir != NULL);
  clarifai_server_stop (fixture_server);
  fail_unless (clarifai_server_set_tls (fixture_server, cert, key, &err));
  fail_unless (clarifai_server_start (fixture_server, "127.0.0.1", 0, &err));
  fail_unless (g_str_has_prefix (clarifai_server_get_url (fixture_server),
          "https://"));

  h = tagger_harness ("interval=0", &bus);
  assert_error (bus, GST_RESOURCE_ERROR_OPEN_READ_WRITE);
  push_frame (h, RED, 0);
  refused = take_tags (bus, 1);
  fail_unless_equals_string (str (refused->pdata[0], "status"),
      "NETWORK_ERROR");
  fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
      0);
  fixture_harness_free (h, bus);

  ca = g_strdup_printf ("interval=0 ca-file=%s", cert);
  h = tagger_harness (ca, &bus);
  push_frame (h, RED, 0);
  trusted = take_tags (bus, 1);
  assert_tagged (trusted->pdata[0], "red");
  fixture_harness_free (h, bus);

  el = make_tagger ("ca-file=/nonexistent/ca.pem");
  assert_start_fails (el, "ca-file");
}

GST_END_TEST;

/* https:// to a plain http:// server: the frame ends NETWORK_ERROR saying
 * that the TLS handshake failed, in seconds, not after the whole timeout
 * (30 s). */
GST_START_TEST (test_https_to_plain_http)
{
  g_autoptr (GUri) uri = g_uri_parse (clarifai_server_get_url (fixture_server),
      G_URI_FLAGS_NONE, NULL);
  g_autofree gchar *props = g_strdup_printf ("interval=0 retries=0 "
      "timeout=30000000000 api-url=https://127.0.0.1:%d",
      g_uri_get_port (uri));
  GstBus *bus;
  GstHarness *h = v2_harness (props, &bus);
  g_autoptr (GPtrArray) tags = NULL;
  gint64 start = g_get_monotonic_time ();

  push_frame (h, RED, 0);
  tags = take_tags (bus, 1);
  fail_unless_equals_string (str (tags->pdata[0], "status"), "NETWORK_ERROR");
  fail_unless (strstr (str (tags->pdata[0], "status-msg"), "TLS handshake"),
      "%s", str (tags->pdata[0], "status-msg"));
  fail_unless (g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* ---- v2 ---- */

static const ClarifaiServerRequest *
request_at (GPtrArray * reqs, guint i)
{
  fail_unless (i < reqs->len, "only %u requests", reqs->len);
  return reqs->pdata[i];
}

/* A red frame through v2: the same message fields as v1, filled from the
 * output (docid is the output id, concept-ids the concept ids), one JSON
 * request to the documented path with the key, no token. */
GST_START_TEST (test_v2_message_fields)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("interval=0", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) reqs = NULL;
  const ClarifaiServerRequest *r;
  const GstStructure *s;
  GstStructure *stats;

  push_frame (h, RED, 3);
  tags = take_tags (bus, 1);
  s = tags->pdata[0];
  assert_tagged (s, "red");
  fail_unless_equals_uint64 (u64 (s, "timestamp"),
      gst_util_uint64_scale (3, GST_SECOND, 30));
  fail_unless_equals_uint64 (u64 (s, "sample-id"), 0);
  fail_unless_equals_string (str (s, "model"), "general-image-recognition");
  fail_unless_equals_int (strlen (str (s, "docid")), 32);
  fail_unless_equals_string (g_value_get_string (gst_value_array_get_value
          (gst_structure_get_value (s, "concept-ids"), 0)), "ai_red");
  fail_unless (tag_prob (s, 0) > 0.9);

  reqs = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_int (reqs->len, 1);
  r = request_at (reqs, 0);
  fail_unless_equals_int (r->api, 2);
  fail_unless_equals_string (r->authorization,
      "Key " CLARIFAI_SERVER_DEFAULT_API_KEY);
  fail_unless_equals_string (r->content_type, "application/json");
  fail_unless_equals_string (r->user_id, "clarifai");
  fail_unless_equals_string (r->app_id, "main");
  fail_unless_equals_string (r->model, "general-image-recognition");
  fail_unless (r->model_version == NULL);
  fail_unless_equals_int (r->n_images, 1);
  fail_unless_equals_string (r->local_ids[0], "frame-0");
  /* nothing to filter: no output_config */
  fail_unless (r->language == NULL && r->select_classes == NULL);
  fail_unless (r->max_concepts == -1 && r->min_value == -1);

  /* after EOS every frame is counted */
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  stats = get_stats (h->element);
  fail_unless_equals_uint64 (u64 (stats, "token-requests"), 0);
  fail_unless_equals_uint64 (u64 (stats, "requests"), 1);
  fail_unless_equals_uint64 (u64 (stats, "tagged"), 1);
  assert_invariant (stats);
  gst_structure_free (stats);
  fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
      0);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* user-id, app-id, model and model-version make the path; language,
 * select-classes, threshold and max-tags go as output_config, and the
 * element still applies threshold and max-tags to what comes back. */
GST_START_TEST (test_v2_request_fields)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("interval=0 user-id=clarifai app-id=main "
      "model=aaa03c23b3724a16a56b629203edc62c "
      "model-version=aa7f35c01e0642fda5cf400f543e7c40 language=de "
      "select-classes=red,blue,gray threshold=0.1 max-tags=3", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) reqs = NULL;
  const ClarifaiServerRequest *r;
  GstVideoInfo info;
  GstBuffer *buf;

  /* Three quarters red, a quarter blue: "rot" then "blau". */
  buf = test_frame (GST_VIDEO_FORMAT_I420, 64, 48, RED, 48, BLUE, &info);
  GST_BUFFER_PTS (buf) = 0;
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  gst_buffer_unref (gst_harness_pull (h));
  tags = take_tags (bus, 1);
  fail_unless_equals_string (str (tags->pdata[0], "status"), "OK");
  fail_unless_equals_int (n_tags (tags->pdata[0]), 2);
  fail_unless_equals_string (tag_class (tags->pdata[0], 0), "rot");
  fail_unless_equals_string (tag_class (tags->pdata[0], 1), "blau");

  reqs = clarifai_server_get_tag_requests (fixture_server);
  r = request_at (reqs, 0);
  fail_unless_equals_string (r->model, "aaa03c23b3724a16a56b629203edc62c");
  fail_unless_equals_string (r->model_version,
      "aa7f35c01e0642fda5cf400f543e7c40");
  fail_unless_equals_string (r->language, "de");
  fail_unless_equals_string (r->select_classes, "red,blue,gray");
  fail_unless_equals_int (r->max_concepts, 3);
  fail_unless (r->min_value > 0.0999 && r->min_value < 0.1001);
  fixture_harness_free (h, bus);

  /* max-tags above what the service documents is sent as its maximum;
   * the element still cuts to max-tags. */
  h = v2_harness ("interval=0 max-tags=500", &bus);
  push_frame (h, GREEN, 0);
  g_ptr_array_unref (tags);
  tags = take_tags (bus, 1);
  assert_tagged (tags->pdata[0], "green");
  g_ptr_array_unref (reqs);
  reqs = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_int (request_at (reqs, 1)->max_concepts, 200);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* One connection serves request after request: POST is not re-sent on a
 * fresh connection each time (a TCP and TLS handshake per request). */
GST_START_TEST (test_connection_reuse)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("interval=0 max-in-flight=1", &bus);
  g_autoptr (GPtrArray) requests = NULL;
  guint i;

  for (i = 0; i < 10; i++) {
    GstStructure *s;

    push_frame (h, RED, i);
    s = next_tags (bus, WAIT);
    fail_unless (s != NULL);
    assert_tagged (s, "red");
    gst_structure_free (s);
  }
  fixture_harness_free (h, bus);
  requests = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_int (requests->len, 10);
  /* the model probe at start has a connection of its own */
  for (i = 1; i < requests->len; i++)
    fail_unless_equals_int (((ClarifaiServerRequest *) requests->
            pdata[i])->client_port,
        ((ClarifaiServerRequest *) requests->pdata[0])->client_port);
  fail_unless_equals_int (clarifai_server_get_model_requests (fixture_server),
      1);
}

GST_END_TEST;

/* batch-size is capped at v2's 128 inputs per request; the EOS drain sends
 * the rest, and every frame gets its message in order. */
GST_START_TEST (test_v2_batch_limit)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("interval=0 batch-size=200 queue-size=300 "
      "max-in-flight=1 batch-timeout=60000000000", &bus);
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) reqs = NULL;
  GstStructure *stats;
  guint i;

  for (i = 0; i < 130; i++)
    push_frame (h, i % 2 ? BLUE : RED, i);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  tags = take_tags (bus, 130);
  for (i = 0; i < 130; i++)
    assert_tagged (tags->pdata[i], i % 2 ? "blue" : "red");
  reqs = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_int (reqs->len, 2);
  fail_unless_equals_int (request_at (reqs, 0)->n_images, 128);
  fail_unless_equals_int (request_at (reqs, 1)->n_images, 2);
  fail_unless_equals_string (request_at (reqs, 1)->local_ids[1], "frame-129");
  stats = get_stats (h->element);
  assert_invariant (stats);
  fail_unless_equals_uint64 (u64 (stats, "tagged"), 130);
  gst_structure_free (stats);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A key the service does not know (found by the model probe at start),
 * and a key revoked mid-stream, are the element error
 * RESOURCE/NOT_AUTHORIZED naming api-key; frames end with the service's
 * status and no request is made after the refusal. */
GST_START_TEST (test_v2_rejected_key)
{
  GstBus *bus;
  GstHarness *h;
  GstElement *el;
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag api-url=%s "
      "api-key=wrong-key interval=0", clarifai_server_get_url (fixture_server));
  g_autoptr (GPtrArray) tags = NULL, more = NULL, revoked = NULL;
  g_autoptr (GPtrArray) reqs = NULL;

  el = gst_parse_launch (desc, NULL);
  h = fixture_harness_new (el, &bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  /* the model probe finds the key wrong before any frame */
  assert_error_details (bus, GST_RESOURCE_ERROR_NOT_AUTHORIZED, "api-key",
      "CONN_KEY_NOT_FOUND", 401);
  push_frame (h, RED, 0);
  tags = take_tags (bus, 1);
  fail_unless_equals_string (str (tags->pdata[0], "status"),
      "CONN_KEY_NOT_FOUND");
  push_frame (h, RED, 1);
  more = take_tags (bus, 1);
  fail_unless_equals_string (str (more->pdata[0], "status"),
      "CONN_KEY_NOT_FOUND");
  reqs = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_int (reqs->len, 0);
  fixture_harness_free (h, bus);

  /* accepted twice, then revoked */
  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_KEY_REVOKED,
      1, 2);
  h = v2_harness ("interval=0 max-in-flight=1", &bus);
  push_frame (h, RED, 0);
  push_frame (h, BLUE, 1);
  g_ptr_array_unref (tags);
  tags = take_tags (bus, 2);
  assert_tagged (tags->pdata[0], "red");
  assert_tagged (tags->pdata[1], "blue");
  push_frame (h, GREEN, 2);
  revoked = take_tags (bus, 1);
  fail_unless_equals_string (str (revoked->pdata[0], "status"),
      "CONN_KEY_NOT_FOUND");
  assert_error_says (bus, GST_RESOURCE_ERROR_NOT_AUTHORIZED, "api-key");
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A model, version or app that does not exist is RESOURCE/NOT_FOUND,
 * naming the settings to check, posted when the element starts (the model
 * probe), not at the first frame. */
GST_START_TEST (test_v2_not_found)
{
  const gchar *cases[][2] = {
    {"model=no-such-model", "MODEL_DOES_NOT_EXIST"},
    {"model-version=0123456789abcdef", "MODEL_DOES_NOT_EXIST"},
    {"app-id=no-such-app", "CONN_DOES_NOT_EXIST"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree gchar *props = g_strdup_printf ("interval=0 %s", cases[i][0]);
    GstBus *bus;
    GstHarness *h = v2_harness (props, &bus);
    g_autoptr (GPtrArray) tags = NULL;

    /* the model probe at start tells, before any frame */
    assert_error_details (bus, GST_RESOURCE_ERROR_NOT_FOUND, "model-version",
        cases[i][1], 404);
    push_frame (h, RED, 0);
    tags = take_tags (bus, 1);
    fail_unless_equals_string (str (tags->pdata[0], "status"), cases[i][1]);
    fixture_harness_free (h, bus);
  }
}

GST_END_TEST;

/* Settings the service refuses for every frame (MODEL_INVALID_ARGUMENT:
 * no selected concept exists) are an element error that names the
 * setting, after the frame's message. */
GST_START_TEST (test_v2_refused_settings)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("interval=0 select-classes=no-such-class",
      &bus);
  g_autoptr (GPtrArray) tags = NULL;

  push_frame (h, RED, 0);
  tags = take_tags (bus, 1);
  fail_unless_equals_string (str (tags->pdata[0], "status"),
      "MODEL_INVALID_ARGUMENT");
  assert_error_details (bus, GST_RESOURCE_ERROR_SETTINGS, "select-classes",
      "MODEL_INVALID_ARGUMENT", 400);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Settings of the other version, or no key, are start-up errors that
 * name the settings. */
GST_START_TEST (test_v2_startup_errors)
{
  GstElement *el;

  el = gst_element_factory_make ("clarifaitag", NULL);
  g_object_set (el, "api", 2, NULL);
  assert_start_fails (el, "api-key");

  el = make_v2_tagger ("client-id=" ID);
  assert_start_fails (el, "client-id");

  el = make_v2_tagger ("api=v2 access-token=abc");
  assert_start_fails (el, "access-token");

  el = make_tagger ("api=v1 api-key=abc");
  assert_start_fails (el, "api-key");

  el = make_tagger ("model-version=aa7f35c01e0642fda5cf400f543e7c40");
  assert_start_fails (el, "model-version");

  /* lists that name nothing */
  el = make_v2_tagger ("select-classes=\",, ,\"");
  assert_start_fails (el, "select-classes");
  el = make_v2_tagger ("alert-classes=,,,");
  assert_start_fails (el, "alert-classes");

  /* The key is write-only. */
  el = gst_element_factory_make ("clarifaitag", NULL);
  fail_if (g_object_class_find_property (G_OBJECT_GET_CLASS (el),
          "api-key")->flags & G_PARAM_READABLE);
  gst_object_unref (el);
}

GST_END_TEST;

/* CLARIFAI_PAT alone makes the element speak v2; api=v1 keeps v1 with it
 * set. */
GST_START_TEST (test_v2_env_key)
{
  GstBus *bus;
  GstHarness *h;
  g_autoptr (GPtrArray) tags = NULL, tags2 = NULL;
  g_autoptr (GPtrArray) reqs = NULL;
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag interval=0 "
      "api-url=%s", clarifai_server_get_url (fixture_server));

  g_setenv ("CLARIFAI_PAT", CLARIFAI_SERVER_DEFAULT_API_KEY, TRUE);
  h = fixture_harness_new (gst_parse_launch (desc, NULL), &bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  push_frame (h, RED, 0);
  tags = take_tags (bus, 1);
  assert_tagged (tags->pdata[0], "red");
  fixture_harness_free (h, bus);

  h = tagger_harness ("interval=0 api=v1", &bus);
  push_frame (h, BLUE, 0);
  tags2 = take_tags (bus, 1);
  assert_tagged (tags2->pdata[0], "blue");
  fixture_harness_free (h, bus);
  g_unsetenv ("CLARIFAI_PAT");

  reqs = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_int (request_at (reqs, 0)->api, 2);
  fail_unless_equals_int (request_at (reqs, 1)->api, 1);
}

GST_END_TEST;

/* Throttling pauses the account (api-url and key): a second v2 element
 * with the same key waits out the Retry-After the first one got. */
GST_START_TEST (test_v2_throttle_shared)
{
  GstBus *bus1, *bus2;
  GstHarness *h1 = v2_harness ("interval=0 retries=0", &bus1);
  GstHarness *h2 = v2_harness ("interval=0 retries=0", &bus2);
  g_autoptr (GPtrArray) throttled = NULL, waited = NULL;
  guint warnings = 0;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_THROTTLE, 1,
      2);
  push_frame (h1, RED, 0);
  throttled = collect (bus1, 1, &warnings);
  fail_unless_equals_string (str (throttled->pdata[0], "status"),
      "CONN_THROTTLED");
  push_frame (h2, BLUE, 0);
  waited = collect (bus2, 1, &warnings);
  assert_tagged (waited->pdata[0], "blue");
  fail_unless (u64 (waited->pdata[0], "latency") >= GST_SECOND,
      "the second element did not wait: %" G_GUINT64_FORMAT " ms",
      u64 (waited->pdata[0], "latency") / GST_MSECOND);
  fixture_harness_free (h1, bus1);
  fixture_harness_free (h2, bus2);
}

GST_END_TEST;

/* POSTs @body to the server's @path with @auth; returns the HTTP status and
 * the answer in @answer. */
static guint
server_post (const gchar * path, const gchar * auth, const gchar * body,
    gchar ** answer)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree gchar *uri =
      g_strconcat (clarifai_server_get_url (fixture_server), path,
      NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (body ? "POST" : "GET", uri);
  g_autoptr (GBytes) out = NULL;

  if (body) {
    g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));

    soup_message_set_request_body_from_bytes (msg, "application/json", b);
  }
  if (auth)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
        "Authorization", auth);
  out = soup_session_send_and_read (session, msg, NULL, NULL);
  fail_unless (out != NULL);
  *answer = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  return soup_message_get_status (msg);
}

/* The reference server speaks the documented v2 beyond what the element
 * sends: the path without users/apps, with user_app_id in the body;
 * lowerCamelCase fields; URL-safe unpadded base64; and the documented
 * answers to a missing key, another method, too many inputs, an unknown
 * app, concepts that do not exist and an input without bytes. */
GST_START_TEST (test_v2_server_paths)
{
  const gchar *key = "Key " CLARIFAI_SERVER_DEFAULT_API_KEY;
  g_autoptr (GBytes) jpeg = test_jpeg (64, 48, RED);
  g_autofree gchar *b64 = g_base64_encode (g_bytes_get_data (jpeg, NULL),
      g_bytes_get_size (jpeg));
  g_autofree gchar *body = NULL, *answer = NULL, *many = NULL;
  g_autoptr (GPtrArray) reqs = NULL;
  GString *inputs = g_string_new (NULL);
  const ClarifaiServerRequest *r;
  gchar *c;
  guint i;

  /* URL-safe alphabet, no padding */
  for (c = b64; *c; c++)
    *c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
  while (b64[0] && b64[strlen (b64) - 1] == '=')
    b64[strlen (b64) - 1] = '\0';
  body = g_strdup_printf ("{\"userAppId\":{\"userId\":\"clarifai\","
      "\"appId\":\"main\"},\"inputs\":[{\"id\":\"a\",\"data\":{\"image\":"
      "{\"base64\":\"%s\"}}}],\"model\":{\"outputInfo\":{\"outputConfig\":"
      "{\"maxConcepts\":1,\"selectConcepts\":[{\"id\":\"ai_red\"}]}}}}", b64);
  fail_unless_equals_int (server_post ("/v2/models/general-image-recognition"
          "/outputs", key, body, &answer), 200);
  fail_unless (strstr (answer, "\"code\":10000"), "%s", answer);
  fail_unless (strstr (answer, "\"name\":\"red\""), "%s", answer);
  fail_unless (strstr (answer, "\"input\":{\"id\":\"a\""), "%s", answer);
  reqs = clarifai_server_get_tag_requests (fixture_server);
  r = request_at (reqs, 0);
  fail_unless_equals_int (r->api, 2);
  fail_unless_equals_string (r->user_id, "clarifai");
  fail_unless_equals_string (r->app_id, "main");
  fail_unless_equals_int (r->max_concepts, 1);
  fail_unless_equals_string (r->select_classes, "ai_red");

  g_free (answer);
  fail_unless_equals_int (server_post ("/v2/models/general-image-recognition"
          "/versions/aa7f35c01e0642fda5cf400f543e7c40/outputs", key, body,
          &answer), 200);
  g_free (answer);
  fail_unless_equals_int (server_post ("/v2/models/general-image-recognition"
          "/outputs", NULL, body, &answer), 401);
  fail_unless (strstr (answer, "\"code\":11102"), "%s", answer);
  g_free (answer);
  fail_unless_equals_int (server_post ("/v2/models/general-image-recognition"
          "/outputs", key, NULL, &answer), 405);
  g_free (answer);
  fail_unless_equals_int (server_post ("/v2/users/clarifai/apps/other/models/"
          "general-image-recognition/outputs", key, body, &answer), 404);
  fail_unless (strstr (answer, "\"code\":11101"), "%s", answer);

  g_free (body);
  body = g_strdup_printf ("{\"inputs\":[{\"id\":\"a\",\"data\":{\"image\":"
      "{\"base64\":\"%s\"}}}],\"model\":{\"output_info\":{\"output_config\":"
      "{\"select_concepts\":[{\"name\":\"unicorn\"}]}}}}", b64);
  g_free (answer);
  fail_unless_equals_int (server_post ("/v2/models/general-image-recognition"
          "/outputs", key, body, &answer), 400);
  fail_unless (strstr (answer, "\"code\":21202"), "%s", answer);

  g_free (body);
  body = g_strdup_printf ("{\"inputs\":[{\"id\":\"a\",\"data\":{\"image\":"
      "{\"base64\":\"%s\"}}},{\"id\":\"b\",\"data\":{}}]}", b64);
  g_free (answer);
  fail_unless_equals_int (server_post ("/v2/models/general-image-recognition"
          "/outputs", key, body, &answer), 207);
  fail_unless (strstr (answer, "\"code\":10010"), "%s", answer);
  fail_unless (strstr (answer, "\"code\":30104"), "%s", answer);

  for (i = 0; i < 129; i++)
    g_string_append_printf (inputs, "%s{\"id\":\"%u\",\"data\":{\"image\":"
        "{\"base64\":\"%s\"}}}", i ? "," : "", i, b64);
  many = g_strdup_printf ("{\"inputs\":[%s]}", inputs->str);
  g_string_free (inputs, TRUE);
  g_free (answer);
  fail_unless_equals_int (server_post ("/v2/models/general-image-recognition"
          "/outputs", key, many, &answer), 400);
  fail_unless (strstr (answer, "\"code\":11100"), "%s", answer);
}

GST_END_TEST;

/* Flushes sent without pause from another thread while the element stops
 * with requests in flight: events are safe at any moment, every sampled
 * frame still gets exactly one message, and the stats add up. */
GST_START_TEST (test_flush_races_stop)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=0 max-in-flight=2", &bus);
  GstPad *sinkpad = gst_element_get_static_pad (h->element, "sink");
  const gchar *env = g_getenv ("CLARIFAI_TEST_CYCLES");
  guint cycles = env ? atoi (env) : 200;
  guint i;
  gint counted = 0;

  gst_bus_set_sync_handler (bus, count_tags, &counted, NULL);
  clarifai_server_set_delay (fixture_server, 5);
  for (i = 0; i < cycles; i++) {
    Flusher f = { sinkpad, 0 };
    GThread *flusher;
    GstStructure *stats;

    push_frame (h, RED, 2 * i);
    push_frame (h, BLUE, 2 * i + 1);
    flusher = g_thread_new ("flusher", send_flushes, &f);
    g_usleep (g_random_int_range (0, 3000));
    fail_unless_equals_int (gst_element_set_state (h->element,
            GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
    g_atomic_int_set (&f.stop, 1);
    g_thread_join (flusher);
    stats = get_stats (h->element);
    assert_invariant (stats);
    fail_unless_equals_uint64 (u64 (stats, "pending"), 0);
    fail_unless_equals_uint64 (u64 (stats, "sampled"),
        g_atomic_int_and ((guint *) & counted, 0));
    gst_structure_free (stats);
    /* A flush cut short by the state change can leave the harness's own
     * sink pad flushing; the element's pads are reset by the restart. */
    gst_pad_set_active (h->sinkpad, FALSE);
    gst_pad_set_active (h->sinkpad, TRUE);
    gst_harness_play (h);
    gst_harness_set_src_caps_str (h,
        "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  }
  gst_object_unref (sinkpad);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A result that arrives as a flush clears it must not leave the element
 * out of passthrough: after the flush there is no result to attach, so
 * buffers need not be made writable.  Many rounds of a frame whose result
 * lands around the moment of a flush. */
GST_START_TEST (test_passthrough_after_flush)
{
  GstBus *bus;
  GstHarness *h = tagger_harness ("interval=3600000000000", &bus);
  GstBaseTransform *trans = GST_BASE_TRANSFORM (h->element);
  const gchar *env = g_getenv ("CLARIFAI_TEST_CYCLES");
  guint rounds = env ? atoi (env) * 5 : 1000;
  guint i, stuck = 0;
  GstSegment segment;

  gst_segment_init (&segment, GST_FORMAT_TIME);
  clarifai_server_set_delay (fixture_server, 1);
  for (i = 0; i < rounds; i++) {
    GstStructure *s;

    /* the first frame after a flush is sampled */
    push_frame (h, RED, i);
    g_usleep (g_random_int_range (1000, 3000));
    fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
    fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
    s = next_tags (bus, WAIT);
    fail_unless (s != NULL);
    gst_structure_free (s);
    if (!gst_base_transform_is_passthrough (trans))
      stuck++;
    fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  }
  fail_unless_equals_int (stuck, 0);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* The official v1 Python client ends its multipart body right after the
 * closing boundary, without a CRLF, as RFC 2046 allows: the reference
 * server tags it like any other. */
GST_START_TEST (test_server_multipart_without_crlf)
{
  g_autofree gchar *token = clarifai_server_issue_token (fixture_server);
  g_autofree gchar *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree gchar *uri = g_strconcat (clarifai_server_get_url (fixture_server),
      "/v1/tag/", NULL);
  g_autoptr (GBytes) jpeg = test_jpeg (64, 48, RED);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr (GBytes) body = NULL, answer = NULL;
  GByteArray *b = g_byte_array_new ();
  const gchar *head = "--XyZ\r\nContent-Disposition: form-data; "
      "name=\"encoded_data\"; filename=\"a.jpg\"\r\nContent-Type: "
      "application/octet-stream\r\n\r\n";
  const gchar *tail = "\r\n--XyZ--";
  g_autofree gchar *text = NULL;

  g_byte_array_append (b, (const guint8 *) head, strlen (head));
  g_byte_array_append (b, g_bytes_get_data (jpeg, NULL),
      g_bytes_get_size (jpeg));
  g_byte_array_append (b, (const guint8 *) tail, strlen (tail));
  body = g_byte_array_free_to_bytes (b);
  soup_message_set_request_body_from_bytes (msg,
      "multipart/form-data; boundary=XyZ", body);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
      "Authorization", auth);
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  fail_unless (answer != NULL);
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  fail_unless_equals_int (soup_message_get_status (msg), 200);
  fail_unless (strstr (text, "\"status_code\":\"OK\""), "%s", text);
  fail_unless (strstr (text, "\"classes\":[\"red\""), "%s", text);
}

GST_END_TEST;

/* The client's and the requests' logs name the element they work for, so
 * that the logs of many elements can be told apart. */
GST_START_TEST (test_logs_name_element)
{
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag name=tagger-a "
      "api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY " interval=0 "
      "retries=1", clarifai_server_get_url (fixture_server));
  GstBus *bus;
  GstHarness *h;
  g_autoptr (GPtrArray) tags = NULL;
  g_autofree gchar *log = NULL;

  fixture_log_start ("clarifaiclient:5");
  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_TRY_AGAIN, 1,
      0);
  h = fixture_harness_new (gst_parse_launch (desc, NULL), &bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  push_frame (h, RED, 0);
  tags = take_tags (bus, 1);
  assert_tagged (tags->pdata[0], "red");
  fixture_harness_free (h, bus);
  log = fixture_log_stop ();

  fail_unless (strstr (log, "clarifaiclient ")
      && strstr (log, "[tagger-a] request failed (TRY_AGAIN"), "%s", log);
}

GST_END_TEST;

/* Pushes a frame every 200 ms for @seconds; returns how many. */
static guint
stream_for (GstHarness * h, guint first, guint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint n = 0;

  while (g_get_monotonic_time () < end) {
    push_frame (h, RED, first + n++);
    g_usleep (200 * 1000);
  }
  return n;
}

/* Every message of an outage: one per frame, each a failure, one
 * warning.  Frames that waited in the queue behind the requests that wait
 * for the account's gate (within their retry budget) may be pushed out of
 * it: DROPPED. */
static void
assert_outage_messages (GstBus * bus, guint n, const gchar * status)
{
  guint i, warnings = 0, failed = 0;
  g_autoptr (GPtrArray) tags = collect (bus, n, &warnings);

  for (i = 0; i < n; i++) {
    const gchar *got = str (tags->pdata[i], "status");

    fail_unless (g_str_equal (got, status) || g_str_equal (got, "DROPPED"),
        "frame %u: %s", i, got);
    failed += g_str_equal (got, status);
  }
  fail_unless (failed > 0);
  fail_unless_equals_int (warnings, 1);
}

/* An outage costs a few requests, not several per sampled frame: a live
 * stream sampled every 200 ms against a service that closes every
 * connection makes at most 5 requests in its first 8 s (the account's gate
 * opens after 1, 2, 4 s: requests at about 0, 1, 3 and 7 s), every frame
 * still gets its message, one warning is posted, and once the service is
 * back the next probe finds it, when the failing frames said it would come
 * (a step of at most 8 s by then). */
GST_START_TEST (test_outage_polite)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("interval=0 retries=1", &bus);
  g_autoptr (GPtrArray) reqs = NULL;
  guint n, probes, warnings = 0, wait = 0;
  gint64 back;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_CLOSE, 0, 0);
  n = stream_for (h, 0, 8);
  reqs = clarifai_server_get_tag_requests (fixture_server);
  GST_INFO ("%u frames, %u requests in 8 s of outage", n, reqs->len);
  fail_unless (reqs->len >= 3 && reqs->len <= 5, "%u requests in 8 s",
      reqs->len);
  assert_outage_messages (bus, n, "NETWORK_ERROR");

  /* back: the gate's step is 8 s by now */
  clarifai_server_clear_faults (fixture_server);
  back = g_get_monotonic_time ();
  probes = push_until_tagged (h, bus, n, &warnings, 3 * GST_SECOND, &wait);
  GST_INFO ("noticed after %" G_GINT64_FORMAT " ms, %u frames; the gate "
      "announced %u ms", (g_get_monotonic_time () - back) / 1000, probes, wait);
  fail_unless (wait <= 8000, "the gate's step grew past 8 s: %u ms", wait);
  fail_unless_equals_int (warnings, 0);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* An element that starts during an outage finds the model's probe in the
 * process's cache: no news of the service, so it must not end the
 * outage.  Its first frame is then the account's next probe, and that
 * failing doubles the step (1 s to 2 s); were the cached probe taken for
 * an answer, the outage would start over at 1 s. */
GST_START_TEST (test_cached_probe_in_outage)
{
  GstBus *bus1, *bus2;
  GstHarness *h1 = v2_harness ("interval=0 retries=0", &bus1), *h2;
  guint warnings1 = 0, warnings2 = 0, wait;
  GPtrArray *got;

  push_frame (h1, RED, 0);
  got = collect (bus1, 1, &warnings1);
  assert_tagged (got->pdata[0], "red");
  g_ptr_array_unref (got);

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_CLOSE, 0, 0);
  push_frame (h1, RED, 1);
  got = collect (bus1, 1, &warnings1);
  fail_unless_equals_string (str (got->pdata[0], "status"), "NETWORK_ERROR");
  g_ptr_array_unref (got);

  /* the gate opens after its first step (1 s) */
  g_usleep (1200 * 1000);
  h2 = v2_harness ("interval=0 retries=0", &bus2);
  push_frame (h2, RED, 0);
  got = collect (bus2, 1, &warnings2);
  fail_unless_equals_string (str (got->pdata[0], "status"), "NETWORK_ERROR");
  g_ptr_array_unref (got);

  push_frame (h1, RED, 2);
  got = collect (bus1, 1, &warnings1);
  wait = announced_wait (got->pdata[0]);
  GST_INFO ("after the second element's probe: next attempt in %u ms", wait);
  fail_unless (wait > 1200, "the outage started over: next attempt in %u ms",
      wait);
  g_ptr_array_unref (got);
  fail_unless_equals_int (warnings1, 1);
  fixture_harness_free (h2, bus2);
  fixture_harness_free (h1, bus1);
}

GST_END_TEST;

/* v1: the token, info and tag endpoints of an account back off together.
 * Against a listener that closes every connection, 8 s of a stream
 * sampled every 200 ms cost at most 5 connections, whichever endpoint they
 * were for. */
GST_START_TEST (test_outage_polite_v1)
{
  g_autofree gchar *desc = NULL;
  TestCloser *closer;
  GstBus *bus;
  GstHarness *h;
  guint n, port;

  closer = test_closer_new (&port);
  desc = g_strdup_printf ("clarifaitag api-url=http://127.0.0.1:%u "
      "client-id=" ID " client-secret=" SECRET " interval=0 retries=1", port);
  h = fixture_harness_new (gst_parse_launch (desc, NULL), &bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  n = stream_for (h, 0, 8);
  GST_INFO ("%u frames, %u connections in 8 s of outage", n,
      test_closer_count (closer));
  fail_unless (test_closer_count (closer) >= 3
      && test_closer_count (closer) <= 5, "%u connections in 8 s",
      test_closer_count (closer));
  assert_outage_messages (bus, n, "NETWORK_ERROR");
  fixture_harness_free (h, bus);
  test_closer_free (closer);
}

GST_END_TEST;

/* Waits up to @ms for the server to have seen at least @n tag requests. */
static gboolean
wait_tag_requests (guint n, guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  for (;;) {
    g_autoptr (GPtrArray) reqs =
        clarifai_server_get_tag_requests (fixture_server);

    if (reqs->len >= n)
      return TRUE;
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (10 * 1000);
  }
}

/* Nothing on the worker blocks: while a token renewal hangs (every
 * /v1/token/ answer after the first held for 20 s), the frames that come
 * meanwhile are still sent with the token, still valid, and their batch
 * timer fires; a flush ends the waiting frame at once; and stop() returns
 * within 1 s. */
GST_START_TEST (test_token_renewal_hangs)
{
  GstBus *bus;
  GstHarness *h;
  g_autoptr (GPtrArray) tagged = NULL;
  gint64 issued, start;
  g_autoptr (GPtrArray) reqs = NULL;
  guint sent;

  /* renewed 3 s before it expires: from 12 s on (of the element's clock,
   * which starts when the answer is read: later than the server's under
   * valgrind) */
  clarifai_server_set_token_ttl (fixture_server, 15);
  h = tagger_harness ("interval=0 max-in-flight=4 batch-size=2 "
      "batch-timeout=100000000", &bus);
  /* the element fetches its token as it starts */
  while (clarifai_server_get_token_requests (fixture_server) == 0)
    g_usleep (1000);
  issued = g_get_monotonic_time ();
  push_frame (h, RED, 0);
  tagged = take_tags (bus, 1);
  assert_tagged (tagged->pdata[0], "red");
  fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
      1);

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_TOKEN_SLOW,
      0, 20000);
  g_usleep (MAX (issued + 12900 * 1000 - g_get_monotonic_time (), 0));
  /* this one's request renews the token, and hangs with it */
  push_frame (h, RED, 1);
  start = g_get_monotonic_time ();
  while (clarifai_server_get_token_requests (fixture_server) < 2
      && g_get_monotonic_time () - start < G_USEC_PER_SEC)
    g_usleep (1000);
  fail_unless_equals_int (clarifai_server_get_token_requests (fixture_server),
      2);
  reqs = clarifai_server_get_tag_requests (fixture_server);
  sent = reqs->len;
  /* these go with the token that is still valid, a lone one by the batch
   * timer */
  push_frame (h, BLUE, 2);
  fail_unless (wait_tag_requests (sent + 1, 1000),
      "a frame waited for the hung renewal");

  /* a flush is not held back either: it ends the frame whose request
   * waits for the renewal at once */
  start = g_get_monotonic_time ();
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  g_ptr_array_unref (tagged);
  tagged = take_tags (bus, 2);
  fail_unless_equals_string (str (tagged->pdata[0], "status"), "DROPPED");
  fail_unless (g_get_monotonic_time () - start < G_USEC_PER_SEC,
      "the flush took %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () -
          start) / 1000);

  start = g_get_monotonic_time ();
  fail_unless_equals_int (gst_element_set_state (h->element, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (g_get_monotonic_time () - start < G_USEC_PER_SEC,
      "stop took %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () -
          start) / 1000);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* An info request that hangs at start holds the first frames back for a
 * short while only (2 s): then they go with the element's own limits; and
 * stop() returns within 1 s while it still hangs. */
GST_START_TEST (test_info_hangs)
{
  GstBus *bus;
  GstHarness *h;
  g_autoptr (GPtrArray) tags = NULL;
  gint64 start;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_INFO_SLOW, 0,
      20000);
  h = tagger_harness ("interval=0", &bus);
  start = g_get_monotonic_time ();
  push_frame (h, RED, 0);
  tags = take_tags (bus, 1);
  assert_tagged (tags->pdata[0], "red");
  fail_unless (g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC,
      "tagged after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () -
          start) / 1000);
  fail_unless_equals_int (clarifai_server_get_info_requests (fixture_server),
      1);

  start = g_get_monotonic_time ();
  fail_unless_equals_int (gst_element_set_state (h->element, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (g_get_monotonic_time () - start < G_USEC_PER_SEC,
      "stop took %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () -
          start) / 1000);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* ---- sync ---- */

static GstClockTime
meta_timestamp (GstBuffer * buf)
{
  GstCustomMeta *meta = gst_buffer_get_custom_meta (buf, "ClarifaiTagMeta");
  guint64 ts = GST_CLOCK_TIME_NONE;

  if (meta)
    gst_structure_get_uint64 (gst_custom_meta_get_structure (meta),
        "timestamp", &ts);
  return ts;
}

/* Every sampled frame leaves carrying its own result, in order: one frame
 * per request, several requests in flight, batches, and a sampling
 * interval (the frames between samples carry the newest result). */
GST_START_TEST (test_sync_exact_frames)
{
  static const gchar *variants[] = { "interval=0",
    "interval=0 batch-size=4 batch-timeout=50000000 max-in-flight=2",
    "interval=100000000",
  };
  g_autofree gchar *props = g_strdup_printf ("sync=true queue-size=64 %s",
      variants[__i__]);
  GstBus *bus;
  GstHarness *h = v2_harness (props, &bus);
  GPtrArray *tags;
  guint i, own = 0, n = 24;
  /* interval 100 ms at 30 fps: frames 0, 3, 6 ... */
  guint sampled = __i__ == 2 ? n / 3 : n;

  for (i = 0; i < n; i++)
    fail_unless_equals_int (gst_harness_push (h, frame (i % 2 ? RED : BLUE,
                i)), GST_FLOW_OK);
  for (i = 0; i < n; i++) {
    GstBuffer *out = gst_harness_pull (h);

    fail_unless (out != NULL, "buffer %u did not come", i);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out),
        gst_util_uint64_scale (i, GST_SECOND, 30));
    if (meta_timestamp (out) == GST_BUFFER_PTS (out))
      own++;
    gst_buffer_unref (out);
  }
  fail_unless_equals_int (own, sampled);
  tags = take_tags (bus, sampled);
  for (i = 0; i < sampled; i++)
    assert_tagged (g_ptr_array_index (tags, i), i % 2 ? "red" : "blue");
  g_ptr_array_unref (tags);
  assert_no_more_tags (bus);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A server slower than max-latency: the frame leaves at the deadline,
 * without its result, and its message still comes. */
GST_START_TEST (test_sync_deadline)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("sync=true interval=0 max-latency=200000000",
      &bus);
  GstStructure *s;
  GstBuffer *out;
  gint64 start, waited;

  /* The answer takes 2 s; the frame's release is bounded well below that
   * but above the 200 ms deadline, with room for valgrind's first encode. */
  clarifai_server_set_delay (fixture_server, 2000);
  start = g_get_monotonic_time ();
  fail_unless_equals_int (gst_harness_push (h, frame (RED, 0)), GST_FLOW_OK);
  out = gst_harness_pull (h);
  waited = g_get_monotonic_time () - start;
  fail_unless (waited >= 190 * 1000 && waited < 1600 * 1000,
      "released after %" G_GINT64_FORMAT " µs", waited);
  fail_unless (gst_buffer_get_custom_meta (out, "ClarifaiTagMeta") == NULL);
  gst_buffer_unref (out);
  s = next_tags (bus, WAIT);
  fail_unless (s != NULL);
  assert_tagged (s, "red");
  fail_unless_equals_uint64 (u64 (s, "sample-id"), 0);
  gst_structure_free (s);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_sync_latency_query)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("sync=true max-latency=300000000", &bus);

  gst_harness_set_upstream_latency (h, 10 * GST_MSECOND);
  fail_unless_equals_uint64 (gst_harness_query_latency (h), 310 * GST_MSECOND);
  fixture_harness_free (h, bus);

  h = v2_harness ("max-latency=300000000", &bus);
  gst_harness_set_upstream_latency (h, 10 * GST_MSECOND);
  fail_unless_equals_uint64 (gst_harness_query_latency (h), 10 * GST_MSECOND);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* A flush drops what is held: no held frame comes out after it, each
 * sampled frame still gets one message, and the stream goes on. */
GST_START_TEST (test_sync_flush)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("sync=true interval=0 max-latency=5000000000",
      &bus);
  GstStructure *stats;
  GstBuffer *out;
  GstSegment segment;
  guint i;

  clarifai_server_set_delay (fixture_server, 500);
  for (i = 0; i < 4; i++)
    fail_unless_equals_int (gst_harness_push (h, frame (RED, i)), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  clarifai_server_set_delay (fixture_server, 0);
  fail_unless_equals_int (gst_harness_push (h, frame (BLUE, 10)), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out),
      gst_util_uint64_scale (10, GST_SECOND, 30));
  fail_unless_equals_uint64 (meta_timestamp (out), GST_BUFFER_PTS (out));
  gst_buffer_unref (out);
  fail_unless (gst_harness_try_pull (h) == NULL);
  g_ptr_array_unref (take_tags (bus, 5));
  stats = get_stats (h->element);
  assert_invariant (stats);
  fail_unless_equals_uint64 (u64 (stats, "sampled"), 5);
  fail_unless_equals_uint64 (u64 (stats, "dropped"), 4);
  gst_structure_free (stats);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Start and stop with frames held, flushing seeks included: nothing leaks
 * (memcheck), nothing hangs, and every sampled frame gets one message. */
GST_START_TEST (test_sync_lifecycle)
{
  run_lifecycle ("api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY " interval=0 "
      "sync=true max-latency=100000000", 100, 30, TRUE);
}

GST_END_TEST;

/* Directly: no buffer crosses the tagger's source pad outside the pad's
 * life or across a flush (Activations), in sync mode with frames held,
 * through a burst of flushing seeks and READY -> PLAYING cycles, as
 * gst-validate's change_state_intensive and scrubbing do. */
GST_START_TEST (test_sync_pushes_within_pad_life)
{
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc name=src "
      "is-live=false ! video/x-raw,width=64,height=48,framerate=100/1 ! "
      "clarifaitag name=tag api-url=%s api-key="
      CLARIFAI_SERVER_DEFAULT_API_KEY " interval=0 sync=true "
      "max-latency=200000000 ! fakesink name=sink sync=true",
      clarifai_server_get_url (fixture_server));
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *tag = gst_bin_get_by_name (GST_BIN (pipeline), "tag");
  Activations activations = { 0, };
  guint cycle, i;

  clarifai_server_set_delay (fixture_server, 15);
  watch_activations (pipeline, tag, &activations);
  for (cycle = 0; cycle < 10; cycle++) {
    next_activation (&activations, cycle);
    fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
        GST_STATE_CHANGE_FAILURE);
    fail_if (gst_element_get_state (pipeline, NULL, NULL, 10 * GST_SECOND)
        == GST_STATE_CHANGE_FAILURE);
    for (i = 0; i < 10; i++) {
      g_usleep (g_random_int_range (5, 40) * 1000);
      gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH, g_random_int_range (0, 10) * GST_SECOND / 10);
    }
    g_usleep (50 * 1000);
    fail_unless_equals_int (gst_element_set_state (pipeline,
            GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  GST_INFO ("%d buffers came out stamped", activations.stamped);
  fail_unless (activations.stamped > 10, "only %d buffers came out",
      activations.stamped);
  fail_unless_equals_int (activations.stale, 0);
  fail_unless_equals_int (activations.inactive, 0);
  gst_object_unref (activations.tag_src);
  gst_object_unref (tag);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A live source draws from a pool of @pool_size buffers and drops a frame
 * when the pool is empty, as a camera does; frames are made every 20 ms in
 * real time and what comes out is taken at once.  Returns the frames the
 * source dropped. */
static guint
run_small_pool (guint pool_size, guint n, GstHarness * h)
{
  GstVideoInfo info;
  GstBufferPool *pool = gst_buffer_pool_new ();
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstCaps *caps = gst_caps_from_string ("video/x-raw,format=I420,width=64,"
      "height=48,framerate=50/1");
  guint i, dropped = 0, out = 0, pushed = 0;
  GstBuffer *buf;

  gst_video_info_from_caps (&info, caps);
  gst_buffer_pool_config_set_params (config, caps, info.size, pool_size,
      pool_size);
  fail_unless (gst_buffer_pool_set_config (pool, config));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  for (i = 0; i < n; i++) {
    GstBufferPoolAcquireParams params = {.flags =
          GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT
    };

    if (gst_buffer_pool_acquire_buffer (pool, &buf, &params) == GST_FLOW_OK) {
      gst_buffer_memset (buf, 0, 0x80, info.size);
      GST_BUFFER_PTS (buf) = i * 20 * GST_MSECOND;
      fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
      pushed++;
    } else {
      dropped++;
    }
    while ((buf = gst_harness_try_pull (h))) {
      gst_buffer_unref (buf);
      out++;
    }
    g_usleep (20 * 1000);
  }
  while (out < pushed) {
    gst_buffer_unref (gst_harness_pull (h));
    out++;
  }
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_caps_unref (caps);
  return dropped;
}

/* What holding does to a live source's pool, and the sizing the element
 * asks for in the allocation query: with it, no frame is lost. */
GST_START_TEST (test_sync_small_pool)
{
  GstBus *bus;
  GstHarness *h = fixture_harness_new (make_v2_tagger ("sync=true interval=0 "
          "max-latency=300000000"), &bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=50/1");
  GstCaps *caps = gst_caps_from_string ("video/x-raw,format=I420,width=64,"
      "height=48,framerate=50/1");
  GstQuery *query = gst_query_new_allocation (caps, TRUE);
  guint min = 0, lost;
  GstStructure *stats;

  /* 300 ms at 50 fps: 15 frames, plus the one being sampled. */
  fail_unless (gst_pad_peer_query (h->srcpad, query));
  fail_unless (gst_query_get_n_allocation_pools (query) > 0);
  gst_query_parse_nth_allocation_pool (query, 0, NULL, NULL, &min, NULL);
  fail_unless (min >= 16, "the element asked for %u buffers", min);
  gst_query_unref (query);
  gst_caps_unref (caps);

  clarifai_server_set_delay (fixture_server, 200);
  lost = run_small_pool (4, 40, h);
  GST_INFO ("pool of 4: %u of 40 frames lost", lost);
  fail_unless (lost > 5, "a pool of 4 lost only %u frames", lost);

  lost = run_small_pool (min + 1, 40, h);
  fail_unless_equals_int (lost, 0);

  stats = get_stats (h->element);
  g_ptr_array_unref (take_tags (bus, u64 (stats, "sampled")));
  gst_structure_free (stats);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

static gpointer
flush_soon (gpointer h)
{
  g_usleep (300 * 1000);
  gst_harness_push_event (h, gst_event_new_flush_start ());
  return NULL;
}

static gpointer
stop_soon (gpointer h)
{
  g_usleep (300 * 1000);
  gst_element_set_state (((GstHarness *) h)->element, GST_STATE_READY);
  return NULL;
}

/* Pushes a frame that has to wait for room (leaky=no, one frame in
 * flight for 10 s, one queued) while @unblock runs on another thread;
 * returns how long the push took. */
static gint64
push_blocked (GstHarness * h, GThreadFunc unblock)
{
  GThread *thread;
  gint64 start;
  GstBuffer *out;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_SLOW, 0,
      10000);
  push_frame (h, RED, 0);
  fail_unless (wait_tag_requests (1, 5000));
  push_frame (h, RED, 1);
  start = g_get_monotonic_time ();
  thread = g_thread_new ("unblock", unblock, h);
  gst_harness_push (h, frame (RED, 2));
  g_thread_join (thread);
  if ((out = gst_harness_try_pull (h)))
    gst_buffer_unref (out);
  return g_get_monotonic_time () - start;
}

/* A streaming thread waiting for room is let go at once by a flush and by
 * a state change, not when the service answers: the frame it carried ends
 * DROPPED. */
GST_START_TEST (test_wait_for_room_unblocks)
{
  const gchar *props = "interval=0 queue-size=1 max-in-flight=1 leaky=no";
  GstBus *bus;
  GstHarness *h = v2_harness (props, &bus);
  g_autoptr (GPtrArray) tags = NULL;
  gint64 took;
  guint i;

  took = push_blocked (h, flush_soon);
  fail_unless (took < 3 * G_USEC_PER_SEC, "the flush ended the wait after %"
      G_GINT64_FORMAT " ms", took / 1000);
  tags = take_tags (bus, 3);
  for (i = 0; i < 3; i++)
    fail_unless_equals_string (str (tags->pdata[i], "status"), "DROPPED");
  fail_unless_equals_string (str (tags->pdata[2], "status-msg"), "flushed");
  fixture_harness_free (h, bus);

  clarifai_server_clear_faults (fixture_server);
  h = v2_harness (props, &bus);
  took = push_blocked (h, stop_soon);
  fail_unless (took < 3 * G_USEC_PER_SEC, "the state change ended the wait "
      "after %" G_GINT64_FORMAT " ms", took / 1000);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* image/jpeg frames that keep failing to decode: one warning, however
 * many frames fail. */
GST_START_TEST (test_jpeg_undecodable_warning)
{
  GstBus *bus;
  GstHarness *h =
      fixture_harness_new (make_v2_tagger ("interval=0 queue-size=100"), &bus,
      "image/jpeg,width=64,height=48,framerate=30/1");
  guint i, warnings = 0;
  g_autoptr (GPtrArray) tags = NULL;

  for (i = 0; i < 25; i++) {
    GstBuffer *buf = gst_buffer_new_wrapped (g_strdup ("\xff\xd8 garbage"),
        10);

    GST_BUFFER_PTS (buf) = i * GST_MSECOND;
    gst_harness_push (h, buf);
    gst_buffer_unref (gst_harness_pull (h));
  }
  tags = collect (bus, 25, &warnings);
  for (i = 0; i < 25; i++)
    fail_unless_equals_string (str (tags->pdata[i], "status"), "CLIENT_ERROR");
  assert_no_more_tags (bus);
  fail_unless_equals_int (warnings, 1);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* Frames dropped for room for over a quarter of a minute: one warning
 * that names the settings to change, not one per frame. */
GST_START_TEST (test_sustained_loss_warning)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("interval=0 queue-size=1 max-in-flight=1 "
      "leaky=downstream", &bus);
  guint i, tags = 0, dropped = 0, warnings = 0;
  GstMessage *msg;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_SLOW, 0,
      300);
  for (i = 0; i < 30; i++)
    push_frame (h, RED, i);
  while (tags < 30 && (msg = gst_bus_timed_pop_filtered (bus, WAIT,
              GST_MESSAGE_ELEMENT | GST_MESSAGE_WARNING))) {
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING) {
      GError *err = NULL;
      gchar *debug = NULL;

      gst_message_parse_warning (msg, &err, &debug);
      fail_unless (strstr (err->message, "does not keep up"), "%s",
          err->message);
      fail_unless (strstr (debug, "interval") && strstr (debug, "queue-size")
          && strstr (debug, "max-size"), "%s", debug);
      warnings++;
      g_error_free (err);
      g_free (debug);
    } else if (gst_message_has_name (msg, "clarifai-tags")) {
      tags++;
      dropped += g_str_equal (str (gst_message_get_structure (msg),
              "status"), "DROPPED");
    }
    gst_message_unref (msg);
  }
  fail_unless_equals_int (tags, 30);
  fail_unless (dropped > 20, "%u dropped", dropped);
  fail_unless_equals_int (warnings, 1);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* stats-interval: clarifai-stats messages while running, and one at EOS
 * after the last result, with the stats' fields.  leaky=no: under valgrind
 * the live source outruns the element, and no frame may be dropped. */
GST_START_TEST (test_stats_interval)
{
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc is-live=true "
      "num-buffers=20 ! video/x-raw,width=64,height=48,framerate=20/1 ! "
      "clarifaitag api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY
      " interval=0 leaky=no stats-interval=200000000 ! fakesink",
      clarifai_server_get_url (fixture_server));
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstStructure *last = NULL;
  guint n_stats = 0, n_tags = 0;
  gboolean eos = FALSE;
  GstMessage *msg;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!eos && (msg = gst_bus_timed_pop (bus, WAIT))) {
    const GstStructure *s = gst_message_get_structure (msg);

    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
    eos = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
    if (s && gst_structure_has_name (s, "clarifai-tags"))
      n_tags++;
    if (s && gst_structure_has_name (s, "clarifai-stats")) {
      n_stats++;
      g_clear_pointer (&last, gst_structure_free);
      last = gst_structure_copy (s);
      assert_invariant (last);
    }
    gst_message_unref (msg);
  }
  fail_unless (eos);
  fail_unless (n_stats >= 4, "%u clarifai-stats messages in 1 s", n_stats);
  fail_unless_equals_int (n_tags, 20);
  /* the one of EOS: every result in */
  fail_unless_equals_uint64 (u64 (last, "sampled"), 20);
  fail_unless_equals_uint64 (u64 (last, "tagged"), 20);
  fail_unless_equals_uint64 (u64 (last, "pending"), 0);
  gst_structure_free (last);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* sync=true never attaches a result from the future: every buffer, held
 * behind a sampled frame or not, carries the result of a frame at or
 * before its own pts (before: frame 1 left with frame 3's result in 3 of
 * 4 runs).  Requests go two at a time, so that a later frame's result can
 * come before an earlier frame leaves. */
GST_START_TEST (test_sync_no_future_results)
{
  GstBus *bus;
  GstHarness *h = v2_harness ("sync=true interval=100000000 queue-size=64 "
      "max-in-flight=4", &bus);
  guint i, with_meta = 0, n = 30;

  /* the first answer comes last: the results of frames 3, 6, 9 are
   * delivered right after frame 0's, while frames 1 and 2 wait behind it */
  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_SLOW, 1,
      300);
  for (i = 0; i < n; i++)
    fail_unless_equals_int (gst_harness_push (h, frame (i % 2 ? RED : BLUE,
                i)), GST_FLOW_OK);
  for (i = 0; i < n; i++) {
    GstBuffer *out = gst_harness_pull (h);
    GstClockTime ts;

    fail_unless (out != NULL, "buffer %u did not come", i);
    ts = meta_timestamp (out);
    if (GST_CLOCK_TIME_IS_VALID (ts)) {
      with_meta++;
      fail_unless (ts <= GST_BUFFER_PTS (out), "buffer %u (pts %"
          GST_TIME_FORMAT ") carries the result of %" GST_TIME_FORMAT, i,
          GST_TIME_ARGS (GST_BUFFER_PTS (out)), GST_TIME_ARGS (ts));
    }
    gst_buffer_unref (out);
  }
  fail_unless_equals_int (with_meta, n);
  fixture_harness_free (h, bus);
}

GST_END_TEST;

/* sync=true on a source that is not live: the element holds at most the
 * frames of max-latency (2 s at 30 fps: 61), and the source waits for the
 * service instead of running ahead into the hold (before: a 20 s file ran
 * 18 s ahead), whether the client's queue waits for room too (leaky=auto)
 * or not (downstream); every sampled frame gets its message, EOS comes. */
GST_START_TEST (test_sync_not_live_bounded)
{
  const gchar *leaky[] = { "auto", "downstream" };
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc num-buffers=150 ! "
      "video/x-raw,width=64,height=48,framerate=30/1 ! clarifaitag name=t "
      "api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY " sync=true "
      "interval=100000000 leaky=%s ! fakesink sync=false",
      clarifai_server_get_url (fixture_server), leaky[__i__]);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *t = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  GstBus *bus = gst_element_get_bus (pipeline);
  FixtureFlight flight;
  guint tags = 0;
  GstMessage *msg;
  gboolean eos = FALSE;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_SLOW, 0,
      300);
  fixture_flight_watch (t, &flight);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!eos && (msg = gst_bus_timed_pop (bus, 60 * GST_SECOND))) {
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
    eos = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
    if (gst_message_has_name (msg, "clarifai-tags"))
      tags++;
    gst_message_unref (msg);
  }
  fail_unless (eos, "no EOS");
  GST_INFO ("at most %d buffers held", flight.most);
  /* 61 held, one on its way out, one waiting to come in */
  fail_unless (flight.most <= 63, "%d buffers held at once", flight.most);
  fail_unless_equals_int (flight.out, 150);
  fail_unless_equals_int (tags, 50);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (t);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* sync=true stops pushing once downstream answered EOS: identity ends the
 * stream after 5 buffers, and no more than the one that got EOS come to
 * it (before: the held buffers kept coming, gst-validate's
 * buffer::after-eos). */
GST_START_TEST (test_sync_stops_after_eos)
{
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc is-live=true "
      "num-buffers=60 ! video/x-raw,width=64,height=48,framerate=30/1 ! "
      "clarifaitag api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY
      " sync=true interval=0 ! identity name=id eos-after=5 ! fakesink",
      clarifai_server_get_url (fixture_server));
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *id = gst_bin_get_by_name (GST_BIN (pipeline), "id");
  GstPad *sink = gst_element_get_static_pad (id, "sink");
  GstBus *bus = gst_element_get_bus (pipeline);
  gint arrived = 0;
  GstMessage *msg;

  clarifai_server_add_fault (fixture_server, CLARIFAI_SERVER_FAULT_SLOW, 0,
      100);
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, &arrived,
      NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_EOS |
      GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  /* what the hold still had could come now */
  g_usleep (1500 * 1000);
  fail_unless (g_atomic_int_get (&arrived) <= 6, "%d buffers after EOS",
      g_atomic_int_get (&arrived) - 6);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (id);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
clarifaitag_suite (void)
{
  Suite *s = suite_create ("clarifaitag");
  TCase *tc = tcase_create ("general");

  tcase_add_checked_fixture (tc, fixture_server_setup, fixture_server_teardown);
  tcase_add_test (tc, test_message_fields);
  tcase_add_test (tc, test_sampling_interval);
  tcase_add_test (tc, test_sampling_no_timestamp);
  tcase_add_test (tc, test_batching);
  tcase_add_test (tc, test_batch_timeout);
  tcase_add_test (tc, test_local_id_mapping);
  tcase_add_test (tc, test_message_order);
  tcase_add_test (tc, test_meta);
  tcase_add_test (tc, test_eos_drain);
  tcase_add_test (tc, test_sampling_live);
  tcase_add_test (tc, test_flush);
  tcase_add_test (tc, test_queue_drop_and_stats);
  tcase_add_test (tc, test_token_shared);
  tcase_add_test (tc, test_token_renewal);
  tcase_add_test (tc, test_token_expired_retry);
  tcase_add_test (tc, test_startup_errors);
  tcase_add_test (tc, test_rejected_credentials);
  tcase_add_test (tc, test_never_stalls);
  tcase_add_test (tc, test_env_credentials);
  tcase_add_test (tc, test_access_token);
  tcase_add_test (tc, test_jpeg_input);
  tcase_add_test (tc, test_jpeg_corrupt);
  tcase_add_test (tc, test_jpeg_mutated_headers);
  tcase_add_test (tc, test_formats);
  tcase_add_test (tc, test_info_limits);
  tcase_add_test (tc, test_request_fields);
  tcase_add_test (tc, test_threshold_max_tags);
  tcase_add_test (tc, test_service_errors);
  tcase_add_test (tc, test_timeout);
  tcase_add_test (tc, test_unreachable);
  tcase_add_loop_test (tc, test_fault_matrix, 0, G_N_ELEMENTS (fault_cases));
  tcase_add_loop_test (tc, test_v2_fault_matrix, 0,
      G_N_ELEMENTS (v2_fault_cases));
  tcase_add_test (tc, test_server_restart);
  tcase_add_test (tc, test_transient_retries);
  tcase_add_test (tc, test_file_not_dropped);
  tcase_add_test (tc, test_wait_for_room_unblocks);
  tcase_add_test (tc, test_sustained_loss_warning);
  tcase_add_test (tc, test_jpeg_undecodable_warning);
  tcase_add_test (tc, test_stats_interval);
  tcase_add_test (tc, test_sync_no_future_results);
  tcase_add_loop_test (tc, test_sync_not_live_bounded, 0, 2);
  tcase_add_test (tc, test_sync_stops_after_eos);
  tcase_add_test (tc, test_blip_many_elements);
  tcase_add_test (tc, test_throttle_shared);
  tcase_add_test (tc, test_lifecycle);
  tcase_add_test (tc, test_publish_lifecycle);
  tcase_add_test (tc, test_flush_races_stop);
  tcase_add_test (tc, test_passthrough_after_flush);
  tcase_add_test (tc, test_renegotiation_all_formats);
  tcase_add_test (tc, test_property_validation);
  tcase_add_test (tc, test_gap_and_missing_pts);
  tcase_add_test (tc, test_secrets_not_logged);
  tcase_add_test (tc, test_tls);
  tcase_add_test (tc, test_https_to_plain_http);
  tcase_add_test (tc, test_v2_message_fields);
  tcase_add_test (tc, test_v2_request_fields);
  tcase_add_test (tc, test_v2_batch_limit);
  tcase_add_test (tc, test_connection_reuse);
  tcase_add_test (tc, test_v2_rejected_key);
  tcase_add_test (tc, test_v2_not_found);
  tcase_add_test (tc, test_v2_refused_settings);
  tcase_add_test (tc, test_v2_startup_errors);
  tcase_add_test (tc, test_v2_env_key);
  tcase_add_test (tc, test_v2_throttle_shared);
  tcase_add_test (tc, test_v2_server_paths);
  tcase_add_test (tc, test_server_multipart_without_crlf);
  tcase_add_test (tc, test_logs_name_element);
  tcase_add_test (tc, test_outage_polite);
  tcase_add_test (tc, test_outage_polite_v1);
  tcase_add_test (tc, test_cached_probe_in_outage);
  tcase_add_test (tc, test_token_renewal_hangs);
  tcase_add_test (tc, test_info_hangs);
  tcase_add_loop_test (tc, test_sync_exact_frames, 0, 3);
  tcase_add_test (tc, test_sync_deadline);
  tcase_add_test (tc, test_sync_latency_query);
  tcase_add_test (tc, test_sync_flush);
  tcase_add_test (tc, test_sync_lifecycle);
  tcase_add_test (tc, test_sync_pushes_within_pad_life);
  tcase_add_test (tc, test_sync_small_pool);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (clarifaitag);
