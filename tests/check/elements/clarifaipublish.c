/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* publish=file://...: the lines clarifaitag appends to a real file,
 * against the messages it posted, and URIs that cannot work. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clarifaiserver.h"
#include "fixture.h"
#include "testutil.h"

#define WAIT (20 * GST_SECOND)

static gchar *tmpdir;

static void
tmpdir_setup (void)
{
  tmpdir = g_dir_make_tmp ("clarifai-publish-XXXXXX", NULL);
  fail_unless (tmpdir != NULL);
}

static void
tmpdir_teardown (void)
{
  test_remove_dir (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

static gchar *
tmp_uri (const gchar * name)
{
  g_autofree gchar *path = g_build_filename (tmpdir, name, NULL);

  return g_filename_to_uri (path, NULL, NULL);
}

typedef struct
{
  GPtrArray *tags;              /* clarifai-tags structures, posted order */
  guint warnings;
  GError *error;
  gchar *debug;
  GstStructure *stats[2];       /* of the elements named a and b */
  GstStructure *eos_stats;      /* of a, when EOS reached the bus */
} Run;

static void
run_clear (Run * run)
{
  g_clear_pointer (&run->tags, g_ptr_array_unref);
  g_clear_error (&run->error);
  g_clear_pointer (&run->debug, g_free);
  g_clear_pointer (&run->stats[0], gst_structure_free);
  g_clear_pointer (&run->stats[1], gst_structure_free);
  g_clear_pointer (&run->eos_stats, gst_structure_free);
}

/* Runs @desc to EOS (or an error); the stats are read once it is back in
 * READY, when stop() has counted everything. */
static void
run_pipeline (const gchar * desc, Run * run)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);
  g_autoptr (GstBus) bus = NULL;
  GstElement *el;
  GstMessage *msg;
  gboolean done = FALSE;
  guint i;

  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  memset (run, 0, sizeof (*run));
  run->tags = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!done) {
    msg = gst_bus_timed_pop (bus, WAIT);
    fail_unless (msg != NULL, "no EOS");
    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_ELEMENT:
        if (gst_message_has_name (msg, "clarifai-tags"))
          g_ptr_array_add (run->tags,
              gst_structure_copy (gst_message_get_structure (msg)));
        break;
      case GST_MESSAGE_WARNING:
        run->warnings++;
        break;
      case GST_MESSAGE_ERROR:
        gst_message_parse_error (msg, &run->error, &run->debug);
        done = TRUE;
        break;
      case GST_MESSAGE_EOS:
        el = gst_bin_get_by_name (GST_BIN (pipeline), "a");
        if (el) {
          g_object_get (el, "stats", &run->eos_stats, NULL);
          gst_object_unref (el);
        }
        done = TRUE;
        break;
      default:
        break;
    }
    gst_message_unref (msg);
  }
  /* stop() warns about what it could not publish; NULL would flush the
   * bus */
  gst_element_set_state (pipeline, GST_STATE_READY);
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING))) {
    run->warnings++;
    gst_message_unref (msg);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  for (i = 0; i < 2; i++) {
    el = gst_bin_get_by_name (GST_BIN (pipeline), i ? "b" : "a");
    if (el) {
      g_object_get (el, "stats", &run->stats[i], NULL);
      gst_object_unref (el);
    }
  }
  gst_object_unref (pipeline);
}

static guint64
u64 (const GstStructure * s, const gchar * field)
{
  guint64 v;

  fail_unless (gst_structure_get_uint64 (s, field, &v), "no %s", field);
  return v;
}

/* published + publish-dropped + publish-pending == tagged + failed +
 * dropped, with everything accounted for once stopped. */
static void
assert_all_published (const GstStructure * st)
{
  fail_unless_equals_uint64 (u64 (st, "publish-pending"), 0);
  fail_unless_equals_uint64 (u64 (st, "publish-dropped"), 0);
  fail_unless_equals_uint64 (u64 (st, "published"), u64 (st, "sampled"));
  fail_unless_equals_uint64 (u64 (st, "published"), u64 (st, "tagged") +
      u64 (st, "failed") + u64 (st, "dropped"));
}

/* Every line of @uri's file, parsed; each must be a whole JSON object. */
static GPtrArray *
read_lines (const gchar * uri)
{
  g_autofree gchar *path = g_filename_from_uri (uri, NULL, NULL);
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify)
      json_node_unref);
  gsize length;
  guint i;

  fail_unless (g_file_get_contents (path, &text, &length, NULL));
  fail_unless (length == 0 || text[length - 1] == '\n',
      "the file does not end with a whole line");
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i] && lines[i + 1]; i++) {
    g_autoptr (JsonParser) parser = json_parser_new ();
    GError *err = NULL;

    fail_unless (json_parser_load_from_data (parser, lines[i], -1, &err),
        "line %u is not JSON (%s): %s", i + 1, err ? err->message : "",
        lines[i]);
    fail_unless (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)),
        "line %u is not an object", i + 1);
    g_ptr_array_add (objects, json_node_ref (json_parser_get_root (parser)));
  }
  return objects;
}

static JsonObject *
obj (GPtrArray * lines, guint i)
{
  return json_node_get_object (g_ptr_array_index (lines, i));
}

/* A member of the contract, of the right JSON type. */
static JsonNode *
member (JsonObject * o, const gchar * name, GType type)
{
  JsonNode *n = json_object_get_member (o, name);

  fail_unless (n != NULL, "no \"%s\"", name);
  if (type == G_TYPE_NONE)
    fail_unless (JSON_NODE_HOLDS_NULL (n), "\"%s\" is not null", name);
  else if (type == JSON_TYPE_ARRAY)
    fail_unless (JSON_NODE_HOLDS_ARRAY (n), "\"%s\" is not an array", name);
  else
    fail_unless (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) ==
        type, "\"%s\" is not a %s", name, g_type_name (type));
  return n;
}

static gint64
int_member (JsonObject * o, const gchar * name)
{
  return json_node_get_int (member (o, name, G_TYPE_INT64));
}

static const gchar *
str_member (JsonObject * o, const gchar * name)
{
  return json_node_get_string (member (o, name, G_TYPE_STRING));
}

/* Every member of the contract, and each as its message says. */
static void
assert_matches_message (JsonObject * o, const GstStructure * msg,
    const gchar * source, const gchar * api)
{
  const GValue *classes = gst_structure_get_value (msg, "classes");
  const GValue *probs = gst_structure_get_value (msg, "probabilities");
  const GValue *ids = gst_structure_get_value (msg, "concept-ids");
  JsonArray *tags;
  guint i, n;
  g_autoptr (GRegex) iso = g_regex_new ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:"
      "\\d\\d:\\d\\d\\.\\d{3}Z$", 0, 0, NULL);

  fail_unless_equals_string (str_member (o, "source"), source);
  fail_unless_equals_uint64 (int_member (o, "sample_id"),
      u64 (msg, "sample-id"));
  fail_unless_equals_uint64 (int_member (o, "pts"), u64 (msg, "timestamp"));
  fail_unless_equals_uint64 (int_member (o, "stream_time"),
      u64 (msg, "stream-time"));
  fail_unless_equals_uint64 (int_member (o, "running_time"),
      u64 (msg, "running-time"));
  if (GST_CLOCK_TIME_IS_VALID (u64 (msg, "duration"))) {
    fail_unless_equals_uint64 (int_member (o, "duration"),
        u64 (msg, "duration"));
  } else {
    member (o, "duration", G_TYPE_NONE);
  }
  fail_unless (g_regex_match (iso, str_member (o, "wall_time"), 0, NULL),
      "wall_time %s", str_member (o, "wall_time"));
  fail_unless_equals_string (str_member (o, "status"),
      gst_structure_get_string (msg, "status"));
  fail_unless_equals_string (str_member (o, "status_msg"),
      gst_structure_get_string (msg, "status-msg"));
  fail_unless_equals_string (str_member (o, "docid"),
      gst_structure_get_string (msg, "docid"));
  fail_unless_equals_string (str_member (o, "model"),
      gst_structure_get_string (msg, "model"));
  fail_unless_equals_string (str_member (o, "api"), api);
  fail_unless_equals_uint64 (int_member (o, "latency"), u64 (msg, "latency"));

  tags = json_node_get_array (member (o, "tags", JSON_TYPE_ARRAY));
  n = classes ? gst_value_array_get_size (classes) : 0;
  fail_unless_equals_int (json_array_get_length (tags), n);
  for (i = 0; i < n; i++) {
    JsonObject *t = json_array_get_object_element (tags, i);

    fail_unless_equals_string (str_member (t, "name"),
        g_value_get_string (gst_value_array_get_value (classes, i)));
    fail_unless_equals_float (json_node_get_double (member (t, "value",
                G_TYPE_DOUBLE)),
        g_value_get_double (gst_value_array_get_value (probs, i)));
    fail_unless_equals_string (str_member (t, "concept_id"),
        g_value_get_string (gst_value_array_get_value (ids, i)));
  }
  fail_unless_equals_int (json_array_get_length (json_node_get_array (member
              (o, "regions", JSON_TYPE_ARRAY))),
      gst_value_array_get_size (gst_structure_get_value (msg, "regions")));
  fail_unless_equals_string (str_member (o, "text"),
      gst_structure_get_string (msg, "text"));
  fail_unless_equals_int (json_object_get_size (o), 16);
}

/* One line per sampled frame, in sampling order, each with every member
 * of the contract and the values of the frame's message; v2. */
GST_START_TEST (test_publish_file_schema)
{
  g_autofree gchar *uri = tmp_uri ("results.jsonl");
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc num-buffers=30 "
      "pattern=red ! video/x-raw,width=64,height=48,framerate=30/1 ! "
      "clarifaitag name=a api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY
      " interval=100000000 source-id=cam-1 publish=%s ! fakesink",
      clarifai_server_get_url (fixture_server), uri);
  g_autoptr (GPtrArray) lines = NULL;
  Run run;
  guint i;

  run_pipeline (desc, &run);
  fail_unless (run.error == NULL, "%s", run.error ? run.error->message : "");
  lines = read_lines (uri);
  fail_unless_equals_int (run.tags->len, 10);
  fail_unless_equals_int (lines->len, run.tags->len);
  for (i = 0; i < lines->len; i++) {
    assert_matches_message (obj (lines, i), run.tags->pdata[i], "cam-1", "v2");
    fail_unless_equals_string (str_member (obj (lines, i), "status"), "OK");
    fail_unless_equals_string (str_member (json_array_get_object_element
            (json_object_get_array_member (obj (lines, i), "tags"), 0),
            "name"), "red");
  }
  assert_all_published (run.stats[0]);
  /* EOS waited until everything was published */
  assert_all_published (run.eos_stats);
  run_clear (&run);
}

GST_END_TEST;

/* v1, frames without a duration (null), failed frames published too, and
 * the element's name as the source by default; a second run appends. */
GST_START_TEST (test_publish_file_v1)
{
  g_autofree gchar *uri = tmp_uri ("v1.jsonl");
  g_autofree gchar *desc = g_strdup_printf ("appsrc name=src format=time ! "
      "video/x-raw,format=I420,width=64,height=48,framerate=30/1 ! "
      "clarifaitag name=a api-url=%s client-id=test-client-id "
      "client-secret=test-client-secret interval=0 "
      "publish=%s ! fakesink", clarifai_server_get_url (fixture_server), uri);
  g_autoptr (GPtrArray) lines = NULL;
  guint round, i;

  for (round = 0; round < 2; round++) {
    GError *err = NULL;
    GstElement *pipeline = gst_parse_launch (desc, &err);
    GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
    g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
    GstFlowReturn ret;
    GstMessage *msg;

    gst_element_set_state (pipeline, GST_STATE_PLAYING);
    for (i = 0; i < 3; i++) {
      GstBuffer *buf = gst_buffer_new_allocate (NULL, 64 * 48 * 3 / 2, NULL);

      gst_buffer_memset (buf, 0, 0x80, 64 * 48 * 3 / 2);
      GST_BUFFER_PTS (buf) = i * GST_SECOND;
      g_signal_emit_by_name (src, "push-buffer", buf, &ret);
      gst_buffer_unref (buf);
      fail_unless_equals_int (ret, GST_FLOW_OK);
    }
    g_signal_emit_by_name (src, "end-of-stream", &ret);
    msg = gst_bus_timed_pop_filtered (bus, WAIT, GST_MESSAGE_EOS |
        GST_MESSAGE_ERROR);
    fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
    gst_message_unref (msg);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (src);
    gst_object_unref (pipeline);
  }

  lines = read_lines (uri);
  fail_unless_equals_int (lines->len, 6);
  for (i = 0; i < lines->len; i++) {
    JsonObject *o = obj (lines, i);

    fail_unless_equals_string (str_member (o, "api"), "v1");
    fail_unless_equals_string (str_member (o, "source"), "a");
    fail_unless_equals_int (int_member (o, "sample_id"), i % 3);
    fail_unless_equals_int (int_member (o, "pts"), (i % 3) * GST_SECOND);
    member (o, "duration", G_TYPE_NONE);
    fail_unless_equals_string (str_member (o, "status"), "OK");
  }
}

GST_END_TEST;

/* Two elements append to one file at full speed: whole lines only, all of
 * them, whatever the interleaving. */
GST_START_TEST (test_publish_file_two_writers)
{
  g_autofree gchar *uri = tmp_uri ("shared.jsonl");
  g_autofree gchar *tagger = g_strdup_printf ("clarifaitag api-url=%s "
      "api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY " interval=0 batch-size=8 "
      "max-in-flight=4 queue-size=64 publish=%s",
      clarifai_server_get_url (fixture_server), uri);
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc num-buffers=300 "
      "pattern=ball ! video/x-raw,width=64,height=48,framerate=30/1 ! tee "
      "name=t t. ! queue ! %s name=a source-id=first ! fakesink t. ! queue "
      "! %s name=b source-id=second ! fakesink", tagger, tagger);
  g_autoptr (GPtrArray) lines = NULL;
  guint seen[2] = { 0, 0 }, i;
  Run run;

  run_pipeline (desc, &run);
  fail_unless (run.error == NULL, "%s", run.error ? run.error->message : "");
  lines = read_lines (uri);
  fail_unless_equals_int (lines->len, 600);
  for (i = 0; i < lines->len; i++) {
    const gchar *source = str_member (obj (lines, i), "source");
    guint which = g_str_equal (source, "second");

    fail_unless (which || g_str_equal (source, "first"));
    /* each element's lines keep its sampling order */
    fail_unless_equals_int (int_member (obj (lines, i), "sample_id"),
        seen[which]++);
  }
  fail_unless_equals_int (seen[0], 300);
  fail_unless_equals_int (seen[1], 300);
  assert_all_published (run.stats[0]);
  assert_all_published (run.stats[1]);
  run_clear (&run);
}

GST_END_TEST;

/* A file that takes nothing (/dev/full): one warning for the outage, the
 * queue keeps the newest publish-queue-size results, the rest are counted
 * as dropped, and at stop what is left is dropped too, with a warning. */
GST_START_TEST (test_publish_file_full_disk)
{
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc num-buffers=10 ! "
      "video/x-raw,width=64,height=48,framerate=30/1 ! clarifaitag name=a "
      "api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY " interval=0 "
      "publish=file:///dev/full publish-queue-size=3 ! fakesink",
      clarifai_server_get_url (fixture_server));
  Run run;

  run_pipeline (desc, &run);
  fail_unless (run.error == NULL);
  fail_unless_equals_int (run.tags->len, 10);
  /* the outage, and what stop() could not publish */
  fail_unless_equals_int (run.warnings, 2);
  fail_unless_equals_uint64 (u64 (run.stats[0], "published"), 0);
  fail_unless_equals_uint64 (u64 (run.stats[0], "publish-pending"), 0);
  fail_unless_equals_uint64 (u64 (run.stats[0], "publish-dropped"), 10);
  run_clear (&run);
}

GST_END_TEST;

/* Reads the FIFO until its first line, then goes away, as `| head -1`
 * does. */
static gpointer
read_one_line (gpointer path)
{
  gint fd = open (path, O_RDONLY);
  gchar c = 0;

  while (fd >= 0 && read (fd, &c, 1) == 1 && c != '\n');
  if (fd >= 0)
    close (fd);
  return GINT_TO_POINTER (c == '\n');
}

/* A pipe whose reader is gone (EPIPE) is an element error, once, and the
 * pipeline stops; the process is not killed by SIGPIPE. */
GST_START_TEST (test_publish_reader_gone)
{
  g_autofree gchar *path = g_build_filename (tmpdir, "fifo", NULL);
  g_autofree gchar *uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc is-live=true "
      "num-buffers=60 ! video/x-raw,width=64,height=48,framerate=30/1 ! "
      "clarifaitag name=a api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY
      " interval=0 publish=%s ! fakesink",
      clarifai_server_get_url (fixture_server), uri);
  GThread *reader;
  Run run;

  fail_unless (mkfifo (path, 0600) == 0);
  reader = g_thread_new ("reader", read_one_line, path);
  run_pipeline (desc, &run);
  fail_unless (g_thread_join (reader), "the reader got no line");
  fail_unless (run.error != NULL, "no error after the reader went away");
  fail_unless (g_error_matches (run.error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_WRITE), "%s", run.error->message);
  fail_unless (strstr (run.debug, "reader is gone"), "%s", run.debug);
  fail_unless (run.tags->len < 60, "the pipeline ran on to the end");
  run_clear (&run);
}

GST_END_TEST;

/* Alerts are published too, each right after the result that decided it,
 * as {"source", "wall_time", "alert": {...}}; they are not results, and
 * the stats count results only. */
GST_START_TEST (test_publish_alerts)
{
  g_autofree gchar *uri = tmp_uri ("alerts.jsonl");
  g_autofree gchar *desc = g_strdup_printf ("videotestsrc num-buffers=40 "
      "pattern=red ! video/x-raw,width=64,height=48,framerate=10/1 ! "
      "clarifaitag name=a api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY
      " interval=1000000000 source-id=door alert-classes=red,blue "
      "publish=%s ! fakesink", clarifai_server_get_url (fixture_server), uri);
  g_autoptr (GPtrArray) lines = NULL;
  JsonObject *alert;
  Run run;
  guint i;

  run_pipeline (desc, &run);
  fail_unless (run.error == NULL, "%s", run.error ? run.error->message : "");
  lines = read_lines (uri);
  /* 4 results (one a second), and red appearing after the first */
  fail_unless_equals_int (lines->len, 5);
  fail_unless (json_object_has_member (obj (lines, 0), "tags"));
  alert = json_object_get_object_member (obj (lines, 1), "alert");
  fail_unless (alert != NULL);
  fail_unless_equals_int (json_object_get_size (obj (lines, 1)), 3);
  fail_unless_equals_string (str_member (obj (lines, 1), "source"), "door");
  member (obj (lines, 1), "wall_time", G_TYPE_STRING);
  fail_unless_equals_int (json_object_get_size (alert), 5);
  fail_unless_equals_string (str_member (alert, "class"), "red");
  fail_unless_equals_string (str_member (alert, "state"), "appeared");
  fail_unless (json_node_get_double (member (alert, "probability",
              G_TYPE_DOUBLE)) >= 0.5);
  fail_unless_equals_int (int_member (alert, "sample_id"), 0);
  fail_unless_equals_int (int_member (alert, "pts"), 0);
  for (i = 2; i < lines->len; i++)
    fail_unless_equals_int (int_member (obj (lines, i), "sample_id"), i - 1);
  assert_all_published (run.stats[0]);
  fail_unless_equals_uint64 (u64 (run.stats[0], "published"), 4);
  run_clear (&run);
}

GST_END_TEST;

/* Runs a tagger that publishes to @uri into PAUSED, and returns the error
 * it posted. */
static GError *
start_error (const gchar * uri, gchar ** debug)
{
  GstElement *el = gst_element_factory_make ("clarifaitag", NULL);
  g_autoptr (GstBus) bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  g_object_set (el, "api-url", clarifai_server_get_url (fixture_server),
      "api-key", CLARIFAI_SERVER_DEFAULT_API_KEY, "publish", uri, NULL);
  gst_element_set_bus (el, bus);
  fail_unless_equals_int (gst_element_set_state (el, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error for %s", uri);
  gst_message_parse_error (msg, &err, debug);
  gst_message_unref (msg);
  gst_element_set_state (el, GST_STATE_NULL);
  /* the messages left hold the element, which holds the bus */
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (el);
  return err;
}

static void
assert_start_error (const gchar * uri, GQuark domain, gint code,
    const gchar * says)
{
  g_autofree gchar *debug = NULL;
  g_autoptr (GError) err = start_error (uri, &debug);

  fail_unless (g_error_matches (err, domain, code), "%s: %s", uri,
      err->message);
  fail_unless (debug && strstr (debug, says), "%s: \"%s\" does not say "
      "\"%s\"", uri, debug, says);
}

/* A publish URI that cannot work is an error at start-up, that says why;
 * a password in an MQTT URI is refused, and not repeated. */
GST_START_TEST (test_publish_bad_uri)
{
  g_autofree gchar *dir_uri = g_filename_to_uri (tmpdir, NULL, NULL);
  g_autofree gchar *missing = tmp_uri ("no-such-dir/results.jsonl");
  g_autofree gchar *debug = NULL;
  g_autoptr (GError) err = NULL;

  assert_start_error (missing, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_OPEN_WRITE, "No such file or directory");
  assert_start_error (dir_uri, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_OPEN_WRITE, "Is a directory");
  assert_start_error ("http://127.0.0.1/results", GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "unsupported scheme \"http\"");
  assert_start_error ("results.jsonl", GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "not a URI");
  assert_start_error ("file://otherhost/results.jsonl", GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "local absolute path");
#ifdef HAVE_MQTT
  assert_start_error ("mqtt://127.0.0.1:1883", GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "names no topic");
  assert_start_error ("mqtt://127.0.0.1/a/+/b", GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "not a topic one can publish to");
  assert_start_error ("mqtt://127.0.0.1/cams/#", GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS,
      "\"cams/#\" is not a topic one can publish to");
  err = start_error ("mqtt://cam:hunter2@127.0.0.1/t", &debug);
  fail_unless (strstr (debug, "CLARIFAI_MQTT_PASSWORD") != NULL);
  fail_unless (strstr (debug, "hunter2") == NULL);
  fail_unless (strstr (err->message, "hunter2") == NULL);
#else
  assert_start_error ("mqtt://127.0.0.1/t", GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "\"mqtt\" feature");
#endif
}

GST_END_TEST;

static Suite *
clarifaipublish_suite (void)
{
  Suite *s = suite_create ("clarifaipublish");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, fixture_server_setup, fixture_server_teardown);
  tcase_add_checked_fixture (tc, tmpdir_setup, tmpdir_teardown);
  tcase_add_test (tc, test_publish_file_schema);
  tcase_add_test (tc, test_publish_file_v1);
  tcase_add_test (tc, test_publish_file_two_writers);
  tcase_add_test (tc, test_publish_file_full_disk);
  tcase_add_test (tc, test_publish_reader_gone);
  tcase_add_test (tc, test_publish_bad_uri);
  tcase_add_test (tc, test_publish_alerts);
  return s;
}

GST_CHECK_MAIN (clarifaipublish);
