/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* B3 to B7: throughput, memory, tokens, many streams and outages, against the reference server. */

#include "bench.h"

/* ---- B3: end-to-end throughput ---- */


/* Every frame sampled, through the element; returns frames/s, and the
 * process CPU seconds per 1000 tagged frames in @cpu_per_k. */
static gdouble
run_element (const gchar * url, gboolean v2, GstBuffer * frame, guint n,
    gdouble * cpu_per_k)
{
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag name=tag api-url=%s "
      "%s interval=0 batch-size=8 max-in-flight=4 queue-size=4096 "
      "batch-timeout=20000000", url, v2 ? "api-key=test-api-key" :
      "client-id=" ID " client-secret=" SECRET);
  g_autofree gchar *caps = video_caps ("I420", 640, 360);
  TaggedRun run;
  gdouble t0, c0;
  gint tagged;
  guint i;

  tagged_run_start (&run, desc, caps);
  t0 = wall ();
  c0 = cpu ();
  for (i = 0; i < n; i++)
    tagged_run_push (&run, frame, i);
  gst_harness_push_event (run.h, gst_event_new_eos ());
  t0 = wall () - t0;
  tagged = g_atomic_int_get (&run.tagged);
  *cpu_per_k = (cpu () - c0) / tagged * 1000;
  if ((guint) tagged != n)
    printf ("   (element: only %d of %u frames tagged)\n", tagged, n);
  tagged_run_stop (&run);
  return n / t0;
}

static gchar *
naive_token (const gchar * url)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree gchar *uri = g_strconcat (url, "/v1/token/", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr (GBytes) body = g_bytes_new_static ("grant_type=client_"
      "credentials&client_id=" ID "&client_secret=" SECRET,
      strlen ("grant_type=client_credentials&client_id=" ID
          "&client_secret=" SECRET));
  g_autoptr (GBytes) answer = NULL;
  const gchar *data, *start, *end;

  soup_message_set_request_body_from_bytes (msg,
      "application/x-www-form-urlencoded", body);
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  data = g_bytes_get_data (answer, NULL);
  start = strstr (data, "\"access_token\":\"") + 16;
  end = strchr (start, '"');
  return g_strndup (start, end - start);
}

/* The simple design of other cloud-vision elements: one frame per request,
 * one request at a time, a new connection for each; in v2 the body is
 * built with printf around a base64 copy. */
static gdouble
run_naive (const gchar * url, gboolean v2, GstBuffer * frame, guint n,
    gdouble * cpu_per_k)
{
  g_autofree gchar *token = v2 ? NULL : naive_token (url);
  g_autofree gchar *auth = v2 ? g_strdup ("Key test-api-key") :
      g_strconcat ("Bearer ", token, NULL);
  g_autofree gchar *uri = g_strconcat (url, v2 ? V2_PATH : "/v1/tag/", NULL);
  GstVideoInfo info;
  ClarifaiEncoder *enc = clarifai_encoder_new ();
  gdouble t0 = wall (), c0 = cpu ();
  guint i, ok = 0;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 640, 360);
  for (i = 0; i < n; i++) {
    g_autoptr (SoupSession) session = soup_session_new ();
    ClarifaiImage image = { info, frame };
    g_autoptr (GBytes) jpeg = clarifai_encoder_encode (enc, &image, 90, NULL);
    g_autoptr (SoupMessage) msg = NULL;
    g_autoptr (GBytes) answer = NULL;

    if (v2) {
      g_autofree gchar *b64 = g_base64_encode (g_bytes_get_data (jpeg, NULL),
          g_bytes_get_size (jpeg));
      gchar *json = g_strdup_printf ("{\"inputs\":[{\"id\":\"f%u\","
          "\"data\":{\"image\":{\"base64\":\"%s\"}}}]}", i, b64);
      g_autoptr (GBytes) body = g_bytes_new_take (json, strlen (json));

      msg = soup_message_new ("POST", uri);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    } else {
      SoupMultipart *mp = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);

      soup_multipart_append_form_file (mp, "encoded_data", "frame.jpg",
          "application/octet-stream", jpeg);
      msg = soup_message_new_from_multipart (uri, mp);
      soup_multipart_free (mp);
    }
    soup_message_headers_replace (soup_message_get_request_headers (msg),
        "Authorization", auth);
    answer = soup_session_send_and_read (session, msg, NULL, NULL);
    if (answer && g_strstr_len (g_bytes_get_data (answer, NULL),
            g_bytes_get_size (answer), v2 ? "\"code\":10000" : "\"OK\""))
      ok++;
  }
  t0 = wall () - t0;
  *cpu_per_k = (cpu () - c0) / MAX (ok, 1) * 1000;
  clarifai_encoder_free (enc);
  return ok / t0;
}

void
bench_b3 (void)
{
  const gchar *extra[] = { "--delay-ms=50", NULL };
  ServerProcess sp;
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, 640, 360, 0x3070a0,
      320, 0xc04020, &info);
  gdouble ours, naive, cpu_ours, cpu_naive;
  guint n = 800, n_naive = 60;
  gboolean v2;

  if (!server_spawn (&sp, extra)) {
    printf ("B3 skipped: cannot start the reference server (set "
        "CLARIFAI_REFERENCE_SERVER)\n");
    return;
  }
  printf ("B3 end-to-end, 640x360, every frame, server answers after 50 ms "
      "(loopback, its own process):\n");
  for (v2 = 0; v2 <= 1; v2++) {
    ours = run_element (sp.url, v2, frame, n, &cpu_ours);
    naive = run_naive (sp.url, v2, frame, n_naive, &cpu_naive);
    printf ("   %s: clarifaitag batch-size=8 max-in-flight=4: %.1f frames/s, "
        "%.2f CPU-s per 1000 frames (%u frames)\n"
        "       naive (1 frame/request, 1 at a time, new connection): %.1f "
        "frames/s, %.2f CPU-s per 1000 frames (%u frames)\n"
        "       throughput ratio %.1fx (goal >= 10), CPU per frame ratio "
        "naive/clarifaitag %.2fx\n", v2 ? "v2" : "v1", ours, cpu_ours, n,
        naive, cpu_naive, n_naive, ours / naive, cpu_naive / cpu_ours);
  }
  server_kill (&sp);
  gst_buffer_unref (frame);
}

/* ---- B4: memory ---- */

static guint64
rss_kb (void)
{
  g_autofree gchar *status = NULL;
  const gchar *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static void
run_memory (const gchar * label, const gchar * url, guint n)
{
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag name=tag api-url=%s "
      "client-id=" ID " client-secret=" SECRET " interval=0 batch-size=16 "
      "max-in-flight=4 queue-size=64 timeout=2000000000 retries=1", url);
  g_autofree gchar *caps = video_caps ("I420", 320, 240);
  g_autofree gchar *stats_text = NULL;
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, 320, 240, 0x3070a0,
      160, 0xc04020, &info);
  GstStructure *stats = NULL;
  guint64 warm = 0, peak = 0, rss;
  guint i, warmup = n / 10;
  TaggedRun run;
  gdouble t0;

  tagged_run_start (&run, desc, caps);
  t0 = wall ();
  for (i = 0; i < n; i++) {
    tagged_run_push (&run, frame, i);
    if (i % 1000 == 999) {
      rss = rss_kb ();
      if (i + 1 == warmup)
        warm = rss;
      else if (i + 1 > warmup)
        peak = MAX (peak, rss);
    }
  }
  gst_harness_push_event (run.h, gst_event_new_eos ());
  g_object_get (run.tag, "stats", &stats, NULL);
  stats_text = gst_structure_to_string (stats);
  printf ("   %s: %u frames in %.1f s, RSS after warm-up (%u frames) %.1f "
      "MB, peak after %.1f MB, growth %.2f MB (goal < 5)\n"
      "      %s\n", label, n, wall () - t0, warmup, warm / 1024.0,
      peak / 1024.0, ((gdouble) peak - (gdouble) warm) / 1024.0, stats_text);
  gst_structure_free (stats);
  tagged_run_stop (&run);
  gst_buffer_unref (frame);
}

void
bench_b4 (void)
{
  const gchar *env = g_getenv ("CLARIFAI_BENCH_FRAMES");
  guint n = env ? atoi (env) : 100000;
  ServerProcess sp;

  printf ("B4 memory, %u frames of 320x240, every frame sampled:\n", n);
  /* nothing listens on the discard port of loopback */
  run_memory ("server down", "http://127.0.0.1:9", n);
  if (!server_spawn (&sp, NULL)) {
    printf ("   server up: skipped (cannot start the reference server)\n");
    return;
  }
  run_memory ("server up", sp.url, n);
  server_kill (&sp);
}

/* ---- B5: tokens ---- */

void
bench_b5 (void)
{
  ClarifaiServer *srv = clarifai_server_new ();
  const guint n_elements = 16;
  const gdouble ttl = 3.0, run = 6.5;
  GstHarness *h[16];
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, 64, 48, 0xff0000, 64,
      0, &info);
  gdouble t0;
  guint i, k = 0, expected;

  clarifai_server_set_token_ttl (srv, ttl);
  clarifai_server_start (srv, "127.0.0.1", 0, NULL);
  for (i = 0; i < n_elements; i++) {
    g_autofree gchar *desc = g_strdup_printf ("clarifaitag api-url=%s "
        "client-id=" ID " client-secret=" SECRET " interval=0",
        clarifai_server_get_url (srv));

    h[i] = gst_harness_new_parse (desc);
    gst_harness_set_src_caps_str (h[i],
        "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  }
  t0 = wall ();
  while (wall () - t0 < run) {
    for (i = 0; i < n_elements; i++) {
      GstBuffer *buf = gst_buffer_copy (frame);

      GST_BUFFER_PTS (buf) = k * GST_SECOND / 10;
      gst_buffer_unref (gst_harness_push_and_pull (h[i], buf));
    }
    k++;
    g_usleep (100 * 1000);
  }
  for (i = 0; i < n_elements; i++)
    gst_harness_teardown (h[i]);
  /* renewed a fifth of the lifetime before expiry */
  expected = 1 + (guint) (run / (ttl * 0.8));
  printf ("B5 tokens, %u elements, one account, %.1f s with a %.0f s token "
      "lifetime:\n   token requests %u (goal: 1 + 1 per renewal = %u); "
      "without sharing it would be %u\n", n_elements, run, ttl,
      clarifai_server_get_token_requests (srv), expected,
      n_elements * expected);
  clarifai_server_free (srv);
  gst_buffer_unref (frame);
}

/* ---- B6: many streams ---- */

/* Established TCP connections to 127.0.0.1:@port, from /proc/net/tcp. */
static guint
connections_to (guint port)
{
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree gchar *remote = g_strdup_printf ("0100007F:%04X", port);
  guint i, n = 0;

  if (!g_file_get_contents ("/proc/net/tcp", &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (i = 1; lines[i]; i++) {
    g_auto (GStrv) f = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
    guint k, col = 0;
    const gchar *rem = NULL, *state = NULL;

    for (k = 0; f[k]; k++) {
      if (*f[k] == '\0')
        continue;
      if (col == 2)
        rem = f[k];
      else if (col == 3)
        state = f[k];
      col++;
    }
    if (rem && state && g_str_equal (rem, remote) && g_str_equal (state, "01"))
      n++;
  }
  return n;
}

/* @streams live 720p30 sources, each into fakesink, through clarifaitag
 * (v1, interval 1 s) when @url is set, for @seconds; returns the process
 * CPU seconds, and the peak of connections to the server and the token
 * requests of the account. */
static gdouble
run_streams (const gchar * url, guint port, guint streams, guint seconds,
    guint * peak, guint64 * tokens)
{
  GString *desc = g_string_new (NULL);
  GstElement *pipeline, *tag;
  gdouble c0, used;
  guint i, t;

  for (i = 0; i < streams; i++) {
    g_string_append_printf (desc, "videotestsrc is-live=true pattern=ball ! "
        "video/x-raw,format=I420,width=1280,height=720,framerate=30/1 ! ");
    if (url)
      g_string_append_printf (desc, "clarifaitag name=t%u api-url=%s "
          "client-id=" ID " client-secret=" SECRET " interval=1000000000 ! ",
          i, url);
    g_string_append (desc, "fakesink sync=true ");
  }
  pipeline = gst_parse_launch (desc->str, NULL);
  g_string_free (desc, TRUE);
  c0 = cpu ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  *peak = 0;
  for (t = 0; t < seconds * 4; t++) {
    g_usleep (G_USEC_PER_SEC / 4);
    if (url)
      *peak = MAX (*peak, connections_to (port));
  }
  used = cpu () - c0;
  tag = gst_bin_get_by_name (GST_BIN (pipeline), "t0");
  *tokens = 0;
  if (tag) {
    GstStructure *st = NULL;

    g_object_get (tag, "stats", &st, NULL);
    gst_structure_get_uint64 (st, "token-requests", tokens);
    gst_structure_free (st);
    gst_object_unref (tag);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return used;
}

void
bench_b6 (void)
{
  ServerProcess sp;
  guint streams = 8, seconds = 20, peak, peak0, port;
  guint64 tokens, tokens0;
  gdouble with, without, per_stream;

  if (!server_spawn (&sp, NULL)) {
    printf ("B6 skipped: cannot start the reference server\n");
    return;
  }
  port = atoi (strrchr (sp.url, ':') + 1);
  without = run_streams (NULL, port, streams, seconds, &peak0, &tokens0);
  with = run_streams (sp.url, port, streams, seconds, &peak, &tokens);
  per_stream = (with - without) / streams / seconds * 100;
  printf ("B6 many streams: %u live 720p30 sources in one process, %u s, "
      "clarifaitag interval 1 s (v1, max-in-flight 2):\n"
      "   process CPU %.2f s with clarifaitag, %.2f s without: %.3f%% of one "
      "core per stream (goal < 1%%)\n"
      "   token requests for the account: %" G_GUINT64_FORMAT " (goal 1); "
      "connections to the service at most %u at once, for %u elements "
      "(goal <= 2 each)\n", streams, seconds, with, without, per_stream,
      tokens, peak, streams);
  server_kill (&sp);
}

/* ---- B7: an outage's cost ---- */

static GstBusSyncReply
count_outage (GstBus * bus, GstMessage * msg, gpointer data)
{
  gint *counts = data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING)
    g_atomic_int_inc (&counts[1]);
  else if (gst_message_has_name (msg, "clarifai-tags"))
    g_atomic_int_inc (&counts[0]);
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

/* The first minute of an outage: a v1 element (token, info and tags all
 * go to the service) sampling a live stream every 200 ms, against a
 * listener that closes every connection; counts the connections. */
void
bench_b7 (void)
{
  guint port, i, n = 0;
  TestCloser *closer = test_closer_new (&port);
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag name=tag "
      "api-url=http://127.0.0.1:%u client-id=" ID " client-secret=" SECRET
      " interval=0", port);
  GstHarness *h = gst_harness_new_parse (desc);
  GstElement *tag = gst_bin_get_by_name (GST_BIN (h->element), "tag");
  GstBus *bus = gst_bus_new ();
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, 64, 48, 0x3070a0, 32,
      0, &info);
  guint marks[4] = { 10, 20, 30, 60 }, at[4];
  gint counts[2] = { 0, 0 };
  gint64 start = g_get_monotonic_time ();

  gst_bus_set_sync_handler (bus, count_outage, counts, NULL);
  gst_element_set_bus (tag, bus);
  gst_harness_set_src_caps_str (h, "video/x-raw,format=I420,width=64,"
      "height=48,framerate=30/1");
  for (i = 0; i < G_N_ELEMENTS (marks); i++) {
    while (g_get_monotonic_time () - start < marks[i] * G_USEC_PER_SEC) {
      GstBuffer *buf = gst_buffer_copy (frame);

      GST_BUFFER_PTS (buf) = n++ * 200 * GST_MSECOND;
      gst_buffer_unref (gst_harness_push_and_pull (h, buf));
      g_usleep (200 * 1000);
    }
    at[i] = test_closer_count (closer);
  }
  gst_harness_teardown (h);
  printf ("B7 outage, v1 (token, info and tags), a live stream sampled every "
      "200 ms, a listener that closes every connection:\n"
      "   connections after 10/20/30/60 s: %u/%u/%u/%u (goal <= 12 in the "
      "first minute); %u frames, %d messages, %d warning(s)\n", at[0], at[1],
      at[2], at[3], n, g_atomic_int_get (&counts[0]),
      g_atomic_int_get (&counts[1]));
  gst_object_unref (tag);
  gst_object_unref (bus);
  gst_buffer_unref (frame);
  test_closer_free (closer);
}
