/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* publish=mqtt://... against Debian's mosquitto broker, run on a free
 * loopback port: what a subscriber receives, through broker outages,
 * restarts, TLS and passwords. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <json-glib/json-glib.h>

#include "broker.h"
#include "clarifaiserver.h"
#include "fixture.h"
#include "testutil.h"

#define WAIT (20 * GST_SECOND)
#define WAIT_MS 20000
#define TOPIC "cams/one"

typedef struct
{
  GstHarness *h;
  GstElement *el;
  GstBus *bus;
  guint next;                   /* the next frame's index */
  GPtrArray *warnings;          /* debug strings of the warnings */
} Tagger;

/* A v2 tagger that samples every frame, tags every one of them (its queue
 * holds all the frames a check pushes), and publishes to @uri. */
static Tagger *
tagger_new (const gchar * uri, const gchar * extra)
{
  Tagger *t = g_new0 (Tagger, 1);
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag api-url=%s "
      "api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY " interval=0 queue-size=64 "
      "source-id=one "
      "publish=%s %s", clarifai_server_get_url (fixture_server), uri,
      extra ? extra : "");
  GError *err = NULL;

  t->el = gst_parse_launch (desc, &err);
  fail_unless (t->el != NULL, "%s", err ? err->message : "");
  t->h = fixture_harness_new (gst_object_ref (t->el), &t->bus,
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  t->warnings = g_ptr_array_new_with_free_func (g_free);
  return t;
}

static void
tagger_free (Tagger * t)
{
  fixture_harness_free (t->h, t->bus);
  gst_object_unref (t->el);
  g_ptr_array_unref (t->warnings);
  g_free (t);
}

static void
push_frames (Tagger * t, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    GstVideoInfo info;
    GstBuffer *buf = test_frame (GST_VIDEO_FORMAT_I420, 64, 48, 0xff0000, 64,
        0xff0000, &info);

    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (t->next++, GST_SECOND, 30);
    fail_unless_equals_int (gst_harness_push (t->h, buf), GST_FLOW_OK);
  }
}

static void
take_message (Tagger * t, GstMessage * msg)
{
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING) {
    GError *err = NULL;
    gchar *debug = NULL;

    gst_message_parse_warning (msg, &err, &debug);
    g_ptr_array_add (t->warnings, g_strdup_printf ("%s | %s", err->message,
            debug ? debug : ""));
    g_error_free (err);
    g_free (debug);
  }
}

/* Waits for @n clarifai-tags messages. */
static void
wait_messages (Tagger * t, guint n)
{
  while (n > 0) {
    GstMessage *msg = gst_bus_timed_pop (t->bus, WAIT);

    fail_unless (msg != NULL, "%u messages missing", n);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT
        && gst_message_has_name (msg, "clarifai-tags"))
      n--;
    take_message (t, msg);
    gst_message_unref (msg);
  }
}

/* Waits until the tagger has posted @n warnings. */
static void
wait_warnings (Tagger * t, guint n)
{
  while (t->warnings->len < n) {
    GstMessage *msg = gst_bus_timed_pop (t->bus, WAIT);

    fail_unless (msg != NULL, "%u warnings, not %u", t->warnings->len, n);
    take_message (t, msg);
    gst_message_unref (msg);
  }
}

static guint64
stat (Tagger * t, const gchar * field)
{
  GstStructure *st = NULL;
  guint64 v = 0, outcomes, published;

  g_object_get (t->el, "stats", &st, NULL);
  fail_unless (gst_structure_get_uint64 (st, field, &v), "no %s", field);
  /* the publishing invariant, at every reading */
  gst_structure_get_uint64 (st, "tagged", &outcomes);
  gst_structure_get_uint64 (st, "failed", &published);
  outcomes += published;
  gst_structure_get_uint64 (st, "dropped", &published);
  outcomes += published;
  gst_structure_get_uint64 (st, "published", &published);
  gst_structure_get_uint64 (st, "publish-dropped", &v);
  published += v;
  gst_structure_get_uint64 (st, "publish-pending", &v);
  published += v;
  fail_unless_equals_uint64 (published, outcomes);
  gst_structure_get_uint64 (st, field, &v);
  gst_structure_free (st);
  return v;
}

static void
wait_stat (Tagger * t, const gchar * field, guint64 value)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * 1000;

  while (stat (t, field) != value) {
    fail_unless (g_get_monotonic_time () < end, "%s is %" G_GUINT64_FORMAT
        ", not %" G_GUINT64_FORMAT, field, stat (t, field), value);
    g_usleep (10000);
  }
}

static gchar *
broker_uri (TestBroker * b, const gchar * scheme, const gchar * user)
{
  return g_strdup_printf ("%s://%s%s127.0.0.1:%u/" TOPIC, scheme,
      user ? user : "", user ? "@" : "", test_broker_port (b));
}

/* The sample ids of the objects received; each object has the fields of
 * the contract. */
static GArray *
sample_ids (GPtrArray * payloads)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i;

  for (i = 0; i < payloads->len; i++) {
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *o;
    gint64 id;

    fail_unless (json_parser_load_from_data (parser, payloads->pdata[i], -1,
            NULL), "not JSON: %s", (gchar *) payloads->pdata[i]);
    o = json_node_get_object (json_parser_get_root (parser));
    fail_unless_equals_int (json_object_get_size (o), 16);
    fail_unless_equals_string (json_object_get_string_member (o, "source"),
        "one");
    fail_unless_equals_string (json_object_get_string_member (o, "api"), "v2");
    fail_unless_equals_string (json_object_get_string_member (o, "status"),
        "OK");
    fail_unless (json_array_get_length (json_object_get_array_member (o,
                "tags")) > 0);
    id = json_object_get_int_member (o, "sample_id");
    fail_unless_equals_int64 (json_object_get_int_member (o, "pts"),
        gst_util_uint64_scale (id, GST_SECOND, 30));
    g_array_append_val (ids, id);
  }
  return ids;
}

/* Each of the ids first..last arrived, once unless @repeats_ok (QoS 1
 * delivers at least once: what the broker got just before it died may
 * come again), and nothing else. */
static void
assert_ids (GPtrArray * payloads, gint64 first, gint64 last,
    gboolean repeats_ok)
{
  g_autoptr (GArray) ids = sample_ids (payloads);
  g_autofree guint *seen = g_new0 (guint, last - first + 1);
  guint i;

  for (i = 0; i < ids->len; i++) {
    gint64 id = g_array_index (ids, gint64, i);

    fail_unless (id >= first && id <= last, "unexpected sample %"
        G_GINT64_FORMAT, id);
    seen[id - first]++;
  }
  for (i = 0; i <= last - first; i++) {
    fail_unless (seen[i] > 0, "sample %" G_GINT64_FORMAT " never arrived",
        first + i);
    fail_unless (repeats_ok || seen[i] == 1, "sample %" G_GINT64_FORMAT
        " arrived %u times", first + i, seen[i]);
  }
}

/* A broker, its URI for the element, and a subscriber to TOPIC. */
typedef struct
{
  TestBroker *broker;
  TestSubscriber *sub;
  gchar *uri;
} Site;

/* With @up FALSE the broker is down when this returns: the subscriber's
 * persistent session comes back with it. */
static Site *
site_new (TestBrokerFlags flags, const gchar * user, gboolean up)
{
  Site *site = g_new0 (Site, 1);

  site->broker = test_broker_new (flags);
  site->uri = broker_uri (site->broker, flags & TEST_BROKER_TLS ? "mqtts" :
      "mqtt", user);
  test_broker_start (site->broker);
  site->sub = test_subscriber_new (site->broker, TOPIC);
  if (!up) {
    /* the broker saves the session on the change; give it the moment */
    g_usleep (300000);
    test_broker_kill (site->broker);
  }
  return site;
}

static void
site_free (Site * site)
{
  test_subscriber_free (site->sub);
  test_broker_free (site->broker);
  g_free (site->uri);
  g_free (site);
}

/* Every sampled frame's object arrives once, with the fields of the
 * contract; nothing is dropped or left pending. */
GST_START_TEST (test_mqtt_each_once)
{
  Site *site = site_new (TEST_BROKER_PLAIN, NULL, TRUE);
  Tagger *t = tagger_new (site->uri, NULL);
  g_autoptr (GPtrArray) got = NULL;

  push_frames (t, 20);
  wait_messages (t, 20);
  wait_stat (t, "published", 20);
  got = test_subscriber_wait (site->sub, 20, WAIT_MS);
  /* and no more after a while */
  g_usleep (300000);
  fail_unless_equals_int (test_subscriber_count (site->sub), 20);
  assert_ids (got, 0, 19, FALSE);
  fail_unless_equals_uint64 (stat (t, "publish-pending"), 0);
  fail_unless_equals_uint64 (stat (t, "publish-dropped"), 0);
  fail_unless_equals_int (t->warnings->len, 0);

  tagger_free (t);
  site_free (site);
}

GST_END_TEST;

/* Alerts go to the broker after their result; each result and alert is
 * acknowledged on its own, and only results are counted. */
GST_START_TEST (test_mqtt_alerts)
{
  Site *site = site_new (TEST_BROKER_PLAIN, NULL, TRUE);
  Tagger *t = tagger_new (site->uri, "alert-classes=red");
  g_autoptr (GPtrArray) got = NULL;
  guint i, alerts = 0, results = 0;

  push_frames (t, 5);
  wait_messages (t, 5);
  wait_stat (t, "published", 5);
  got = test_subscriber_wait (site->sub, 6, WAIT_MS);
  g_usleep (300000);
  fail_unless_equals_int (test_subscriber_count (site->sub), 6);
  for (i = 0; i < got->len; i++) {
    if (strstr (got->pdata[i], "\"alert\":{\"class\":\"red\","
            "\"state\":\"appeared\"")) {
      /* right after the first result */
      fail_unless_equals_int (i, 1);
      alerts++;
    } else {
      results++;
    }
  }
  fail_unless_equals_int (alerts, 1);
  fail_unless_equals_int (results, 5);
  fail_unless_equals_uint64 (stat (t, "publish-pending"), 0);
  tagger_free (t);
  site_free (site);
}

GST_END_TEST;

/* The broker is down when the element starts: not an error; one warning;
 * the results wait, and all arrive once the broker is up. */
GST_START_TEST (test_mqtt_broker_late)
{
  Site *site = site_new (TEST_BROKER_PLAIN, NULL, FALSE);
  Tagger *t = tagger_new (site->uri, NULL);
  g_autoptr (GPtrArray) got = NULL;

  push_frames (t, 10);
  wait_messages (t, 10);
  wait_warnings (t, 1);
  fail_unless (strstr (t->warnings->pdata[0], "Connection refused"),
      "%s", (gchar *) t->warnings->pdata[0]);
  wait_stat (t, "publish-pending", 10);
  fail_unless_equals_uint64 (stat (t, "published"), 0);
  /* retried with backoff, without a warning per attempt */
  g_usleep (1500000);
  fail_unless_equals_int (t->warnings->len, 1);

  test_broker_start (site->broker);
  wait_stat (t, "published", 10);
  got = test_subscriber_wait (site->sub, 10, WAIT_MS);
  assert_ids (got, 0, 9, FALSE);
  fail_unless_equals_uint64 (stat (t, "publish-dropped"), 0);

  tagger_free (t);
  site_free (site);
}

GST_END_TEST;

/* The broker is killed mid-stream and started again: nothing is lost
 * while the queue has room, and the outage is one warning. */
GST_START_TEST (test_mqtt_broker_restart)
{
  Site *site = site_new (TEST_BROKER_PLAIN, NULL, TRUE);
  Tagger *t = tagger_new (site->uri, NULL);
  g_autoptr (GPtrArray) got = NULL;

  push_frames (t, 10);
  wait_messages (t, 10);
  wait_stat (t, "published", 10);
  g_ptr_array_unref (test_subscriber_wait (site->sub, 10, WAIT_MS));

  test_broker_kill (site->broker);
  push_frames (t, 10);
  wait_messages (t, 10);
  wait_warnings (t, 1);
  wait_stat (t, "publish-pending", 10);

  test_broker_start (site->broker);
  wait_stat (t, "published", 20);
  got = test_subscriber_wait (site->sub, 20, WAIT_MS);
  assert_ids (got, 0, 19, TRUE);
  fail_unless_equals_uint64 (stat (t, "publish-dropped"), 0);
  fail_unless_equals_int (t->warnings->len, 1);

  tagger_free (t);
  site_free (site);
}

GST_END_TEST;

/* More results than the queue holds while the broker is down: the oldest
 * go, counted; the newest arrive. */
GST_START_TEST (test_mqtt_overflow)
{
  Site *site = site_new (TEST_BROKER_PLAIN, NULL, FALSE);
  Tagger *t = tagger_new (site->uri, "publish-queue-size=4");
  g_autoptr (GPtrArray) got = NULL;

  push_frames (t, 12);
  wait_messages (t, 12);
  wait_stat (t, "publish-dropped", 8);
  fail_unless_equals_uint64 (stat (t, "publish-pending"), 4);

  test_broker_start (site->broker);
  wait_stat (t, "published", 4);
  got = test_subscriber_wait (site->sub, 4, WAIT_MS);
  g_usleep (300000);
  fail_unless_equals_int (test_subscriber_count (site->sub), 4);
  assert_ids (got, 8, 11, FALSE);

  tagger_free (t);
  site_free (site);
}

GST_END_TEST;

/* mqtts: the broker's certificate is verified against ca-file; without
 * it (the system's authorities do not know the test CA) nothing goes. */
GST_START_TEST (test_mqtts)
{
  Site *site = site_new (TEST_BROKER_TLS, NULL, TRUE);
  g_autofree gchar *ca = g_build_filename (g_getenv ("CLARIFAI_TEST_CERTS"),
      "cert.pem", NULL);
  g_autofree gchar *extra = g_strdup_printf ("ca-file=%s", ca);
  g_autoptr (GPtrArray) got = NULL;
  Tagger *t = tagger_new (site->uri, extra);

  push_frames (t, 5);
  wait_messages (t, 5);
  wait_stat (t, "published", 5);
  got = test_subscriber_wait (site->sub, 5, WAIT_MS);
  assert_ids (got, 0, 4, FALSE);
  fail_unless_equals_int (t->warnings->len, 0);
  tagger_free (t);

  t = tagger_new (site->uri, NULL);
  push_frames (t, 3);
  wait_messages (t, 3);
  wait_warnings (t, 1);
  fail_unless (strstr (t->warnings->pdata[0], "TLS"), "%s",
      (gchar *) t->warnings->pdata[0]);
  fail_unless (strstr (t->warnings->pdata[0], "certificate verify failed"),
      "%s", (gchar *) t->warnings->pdata[0]);
  g_usleep (500000);
  fail_unless_equals_uint64 (stat (t, "published"), 0);
  wait_stat (t, "publish-pending", 3);
  fail_unless_equals_int (test_subscriber_count (site->sub), 5);
  tagger_free (t);
  site_free (site);
}

GST_END_TEST;

/* The password comes from CLARIFAI_MQTT_PASSWORD and is accepted; it is
 * in no log at level 9; a wrong one is an outage that says why. */
GST_START_TEST (test_mqtt_password)
{
  Site *site = site_new (TEST_BROKER_PASSWORD, TEST_BROKER_USER, TRUE);
  g_autoptr (GPtrArray) got = NULL;
  g_autofree gchar *log = NULL;
  Tagger *t;

  fixture_log_start ("*:9");
  g_setenv ("CLARIFAI_MQTT_PASSWORD", TEST_BROKER_PASSWORD_TEXT, TRUE);
  t = tagger_new (site->uri, NULL);
  push_frames (t, 5);
  wait_messages (t, 5);
  wait_stat (t, "published", 5);
  got = test_subscriber_wait (site->sub, 5, WAIT_MS);
  assert_ids (got, 0, 4, FALSE);
  tagger_free (t);
  log = fixture_log_stop ();

  /* a real level-9 log of the element, without the password */
  fail_unless (strlen (log) > 10000, "only %" G_GSIZE_FORMAT " bytes of log",
      strlen (log));
  fail_unless (strstr (log, "gstclarifaitag.c") != NULL);
  fail_unless (strstr (log, TEST_BROKER_PASSWORD_TEXT) == NULL,
      "the password is in the log");

  g_setenv ("CLARIFAI_MQTT_PASSWORD", "not-the-password", TRUE);
  t = tagger_new (site->uri, NULL);
  push_frames (t, 2);
  wait_messages (t, 2);
  wait_warnings (t, 1);
  fail_unless (strstr (t->warnings->pdata[0], "not authorised"), "%s",
      (gchar *) t->warnings->pdata[0]);
  fail_unless_equals_uint64 (stat (t, "published"), 0);
  tagger_free (t);
  g_unsetenv ("CLARIFAI_MQTT_PASSWORD");
  site_free (site);
}

GST_END_TEST;

static Suite *
clarifaipublishmqtt_suite (void)
{
  Suite *s = suite_create ("clarifaipublishmqtt");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, fixture_server_setup, fixture_server_teardown);
  tcase_add_test (tc, test_mqtt_each_once);
  tcase_add_test (tc, test_mqtt_broker_late);
  tcase_add_test (tc, test_mqtt_broker_restart);
  tcase_add_test (tc, test_mqtt_overflow);
  tcase_add_test (tc, test_mqtts);
  tcase_add_test (tc, test_mqtt_password);
  tcase_add_test (tc, test_mqtt_alerts);
  return s;
}

GST_CHECK_MAIN (clarifaipublishmqtt);
