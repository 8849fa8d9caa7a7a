/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* B8 and B9: drawing the tags and publishing them. */

#include "bench.h"

/* ---- B8: overlay cost per frame ---- */

static const gchar *b8_names[] = { "person", "street", "car", "city",
  "outdoors"
};

/* The meta clarifaitag would attach: five tags, of sample @sample_id. */
static GstStructure *
b8_result (guint sample_id)
{
  GstStructure *s = gst_structure_new ("ClarifaiTagMeta", "sample-id",
      G_TYPE_UINT64, (guint64) sample_id, "timestamp", G_TYPE_UINT64,
      (guint64) 0, "running-time", G_TYPE_UINT64, (guint64) 0, NULL);
  GValue classes = G_VALUE_INIT, probs = G_VALUE_INIT, v = G_VALUE_INIT;
  guint i;

  gst_value_array_init (&classes, 5);
  gst_value_array_init (&probs, 5);
  for (i = 0; i < 5; i++) {
    g_value_init (&v, G_TYPE_STRING);
    g_value_take_string (&v, g_strdup_printf ("%s%u", b8_names[i],
            sample_id % 10));
    gst_value_array_append_and_take_value (&classes, &v);
    memset (&v, 0, sizeof (v));
    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, 0.99 - i * 0.05);
    gst_value_array_append_and_take_value (&probs, &v);
    memset (&v, 0, sizeof (v));
  }
  gst_structure_take_value (s, "classes", &classes);
  gst_structure_take_value (s, "probabilities", &probs);
  return s;
}

static gchar *
b8_text (guint sample_id)
{
  GString *t = g_string_new (NULL);
  guint i;

  for (i = 0; i < 5; i++)
    g_string_append_printf (t, "%s%s%u %.2f", i ? "\n" : "", b8_names[i],
        sample_id % 10, 0.99 - i * 0.05);
  return g_string_free (t, FALSE);
}

/* @n frames of 1080p I420 through @desc, each with the meta of sample 0,
 * or of a new sample every frame when @changing (textoverlay gets the
 * matching text as a property). */
static gdouble
run_overlay (const gchar * desc, gboolean text_property, gboolean changing,
    GstBuffer * frame, guint n)
{
  GstHarness *h = gst_harness_new_parse (desc);
  g_autofree gchar *caps = video_caps ("I420", 1920, 1080);
  GstBuffer *buf = gst_buffer_copy_deep (frame);
  GstElement *el = gst_bin_get_by_name (GST_BIN (h->element), "o");
  gdouble start = 0;
  guint i;

  gst_harness_set_src_caps_str (h, caps);
  for (i = 0; i <= n; i++) {
    guint sample = changing ? i : 0;
    GstStructure *result = b8_result (sample);
    GstCustomMeta *meta = gst_buffer_add_custom_meta (buf, "ClarifaiTagMeta");

    if (i == 1)
      start = wall ();
    gst_structure_set_value (gst_custom_meta_get_structure (meta), "classes",
        gst_structure_get_value (result, "classes"));
    gst_structure_set_value (gst_custom_meta_get_structure (meta),
        "probabilities", gst_structure_get_value (result, "probabilities"));
    gst_structure_set (gst_custom_meta_get_structure (meta), "sample-id",
        G_TYPE_UINT64, (guint64) sample, NULL);
    gst_structure_free (result);
    if (text_property && (changing || i == 0)) {
      g_autofree gchar *text = b8_text (sample);

      g_object_set (el, "text", text, NULL);
    }
    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i, GST_SECOND, 30);
    gst_harness_push (h, buf);
    buf = gst_harness_pull (h);
    while ((meta = gst_buffer_get_custom_meta (buf, "ClarifaiTagMeta")))
      gst_buffer_remove_meta (buf, (GstMeta *) meta);
  }
  start = wall () - start;
  gst_buffer_unref (buf);
  gst_object_unref (el);
  gst_harness_teardown (h);
  return start;
}

void
bench_b8 (void)
{
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, 1920, 1080, 0x3070a0,
      1920, 0, &info);
  /* The same size and look: Sans at 45 px (1080 / 24), 5 lines, top left,
   * on a dark box. */
  const gchar *ours = "clarifaioverlay name=o";
  const gchar *theirs = "textoverlay name=o font-desc=\"Sans 34\" "
      "valignment=top halignment=left shaded-background=true";
  guint n = 300, rounds = 5, r, c;

  if (!gst_registry_check_feature_version (gst_registry_get (), "textoverlay",
          1, 0, 0)) {
    printf ("B8 overlay: textoverlay (gstreamer1.0-x) is missing\n");
    gst_buffer_unref (frame);
    return;
  }
  for (c = 0; c < 2; c++) {
    gdouble t_ours[5], t_theirs[5], m_ours, m_theirs;

    run_overlay (ours, FALSE, c, frame, 30);
    run_overlay (theirs, TRUE, c, frame, 30);
    for (r = 0; r < rounds; r++) {
      t_ours[r] = run_overlay (ours, FALSE, c, frame, n);
      t_theirs[r] = run_overlay (theirs, TRUE, c, frame, n);
    }
    m_ours = median (t_ours, rounds);
    m_theirs = median (t_theirs, rounds);
    printf ("B8 overlay, 1080p I420, 5 lines, text %s, %u frames, median of "
        "%u rounds:\n   textoverlay %.1f us/frame, clarifaioverlay %.1f "
        "us/frame\n   ratio clarifaioverlay/textoverlay %.2f (goal <= 1.0)\n",
        c ? "changing every frame" : "unchanged", n, rounds,
        m_theirs / n * 1e6, m_ours / n * 1e6, m_ours / m_theirs);
  }
  gst_buffer_unref (frame);
}

/* ---- B9: publishing ---- */

/* CPU seconds the live thread named @name has used (the scheduler's
 * sum_exec_runtime, to the ns), or -1 if there is none or the kernel does
 * not tell. */
static gdouble
thread_cpu (const gchar * name)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const gchar *tid;

  while (dir && (tid = g_dir_read_name (dir))) {
    g_autofree gchar *comm_path = g_strdup_printf ("/proc/self/task/%s/comm",
        tid);
    g_autofree gchar *sched_path =
        g_strdup_printf ("/proc/self/task/%s/sched", tid);
    g_autofree gchar *comm = NULL, *sched = NULL;
    const gchar *line;

    if (!g_file_get_contents (comm_path, &comm, NULL, NULL)
        || !g_str_has_prefix (comm, name)
        || !g_file_get_contents (sched_path, &sched, NULL, NULL)
        || !(line = strstr (sched, "se.sum_exec_runtime")))
      continue;
    return g_ascii_strtod (strchr (line, ':') + 1, NULL) / 1e3;
  }
  return -1;
}

/* v2, every frame sampled, pushed at 30 fps in real time, with @extra
 * properties; returns the process CPU seconds per 1000 tagged frames,
 * EOS included (which waits until everything is published), and the
 * publishing thread's in @thread_per_k. */
static gdouble
run_paced (const gchar * url, GstBuffer * frame, guint n, const gchar * extra,
    gdouble * thread_per_k)
{
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag name=tag api-url=%s "
      "api-key=test-api-key interval=0 batch-size=8 max-in-flight=4 "
      "queue-size=4096 batch-timeout=20000000 %s", url, extra);
  g_autofree gchar *caps = video_caps ("I420", 640, 360);
  GstStructure *stats = NULL;
  guint64 published = 0;
  TaggedRun run;
  gdouble t0, c0, used;
  gint tagged;
  guint i;

  tagged_run_start (&run, desc, caps);
  t0 = wall ();
  c0 = cpu ();
  for (i = 0; i < n; i++) {
    gdouble due = t0 + i / 30.0 - wall ();

    if (due > 0)
      g_usleep ((gulong) (due * 1e6));
    tagged_run_push (&run, frame, i);
  }
  gst_harness_push_event (run.h, gst_event_new_eos ());
  tagged = g_atomic_int_get (&run.tagged);
  used = cpu () - c0;
  /* the thread lives until the element stops */
  *thread_per_k = thread_cpu ("clarifai-pub") / MAX (tagged, 1) * 1000;
  g_object_get (run.tag, "stats", &stats, NULL);
  gst_structure_get_uint64 (stats, "published", &published);
  gst_structure_free (stats);
  if ((guint) tagged != n || (*extra && published != n))
    printf ("   (%s: %d tagged, %" G_GUINT64_FORMAT " published of %u)\n",
        extra, tagged, published, n);
  tagged_run_stop (&run);
  return used / MAX (tagged, 1) * 1000;
}

typedef struct
{
  GSubprocess *process;
  gchar *dir;
  guint port;
} Broker;

/* Debian's mosquitto on a free loopback port. */
static gboolean
broker_spawn (Broker * b)
{
  g_autoptr (GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4,
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo =
      g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree gchar *conf = NULL, *text = NULL;
  const gchar *exe = g_file_test ("/usr/sbin/mosquitto", G_FILE_TEST_EXISTS) ?
      "/usr/sbin/mosquitto" : "mosquitto";
  guint tries;

  if (!g_socket_bind (sock, any, FALSE, NULL))
    return FALSE;
  bound = g_socket_get_local_address (sock, NULL);
  b->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (sock, NULL);
  b->dir = g_dir_make_tmp ("clarifai-bench-XXXXXX", NULL);
  conf = g_build_filename (b->dir, "mosquitto.conf", NULL);
  text = g_strdup_printf ("listener %u 127.0.0.1\nallow_anonymous true\n"
      "user %s\n", b->port, g_get_user_name ());
  g_file_set_contents (conf, text, -1, NULL);
  b->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
      G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL, exe, "-c", conf, NULL);
  for (tries = 0; b->process && tries < 200; tries++) {
    g_autoptr (GSocketClient) client = g_socket_client_new ();
    g_autoptr (GSocketConnection) conn =
        g_socket_client_connect_to_host (client, "127.0.0.1", b->port, NULL,
        NULL);

    if (conn)
      return TRUE;
    g_usleep (20000);
  }
  return FALSE;
}

static void
broker_kill (Broker * b)
{
  g_autofree gchar *conf = g_build_filename (b->dir, "mosquitto.conf", NULL);

  if (b->process) {
    g_subprocess_force_exit (b->process);
    g_subprocess_wait (b->process, NULL, NULL);
    g_object_unref (b->process);
  }
  g_unlink (conf);
  g_rmdir (b->dir);
  g_free (b->dir);
}

#ifdef HAVE_MQTT
static gint floor_acked;

static void
floor_on_publish (struct mosquitto *mosq, void *data, int mid)
{
  floor_acked++;
}

/* The floor under any publisher: libmosquitto alone, one thread, a
 * 420-byte QoS 1 message and its acknowledgement, @n times, every
 * @period_us (0: back to back); returns the thread's CPU µs per message. */
static gdouble
mqtt_floor (guint port, guint n, gulong period_us)
{
  struct mosquitto *mosq = mosquitto_new (NULL, true, NULL);
  gchar payload[420];
  struct timespec t0, t1;
  guint i;

  memset (payload, 'x', sizeof (payload));
  mosquitto_publish_callback_set (mosq, floor_on_publish);
  if (mosquitto_connect (mosq, "127.0.0.1", (gint) port, 10) !=
      MOSQ_ERR_SUCCESS) {
    mosquitto_destroy (mosq);
    return -1;
  }
  for (i = 0; i < 10; i++)
    mosquitto_loop (mosq, 10, 1);
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t0);
  for (i = 0; i < n; i++) {
    gint want = floor_acked + 1;

    if (period_us)
      g_usleep (period_us);
    mosquitto_publish (mosq, NULL, "bench/floor", sizeof (payload), payload,
        1, false);
    while (floor_acked < want
        && mosquitto_loop (mosq, 1000, 1) == MOSQ_ERR_SUCCESS);
  }
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t1);
  mosquitto_disconnect (mosq);
  mosquitto_destroy (mosq);
  return ((t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3) / n;
}
#endif

void
bench_b9 (void)
{
  const gchar *extra[] = { "--delay-ms=50", NULL };
  const gchar *names[] =
      { "no publishing", "publish=file://", "publish=mqtt://" };
  ServerProcess sp;
  Broker broker = { 0 };
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, 640, 360, 0x3070a0,
      320, 0xc04020, &info);
  g_autofree gchar *file = g_build_filename (g_get_tmp_dir (),
      "clarifai-bench-b9.jsonl", NULL);
  g_autofree gchar *file_uri = g_filename_to_uri (file, NULL, NULL);
  gchar *props[3];
  gdouble per_k[3][6], thread_k[3][6], m[3], unused;
  guint n = 200, rounds = 6, r, v, i;

  if (!server_spawn (&sp, extra) || !broker_spawn (&broker)) {
    printf ("B9 skipped: cannot start the reference server or mosquitto\n");
    return;
  }
  props[0] = g_strdup ("");
  props[1] = g_strdup_printf ("publish=%s", file_uri);
  props[2] = g_strdup_printf ("publish=mqtt://127.0.0.1:%u/bench/b9",
      broker.port);
  /* A run costs a few percent more than the one before it in the same
   * process, whatever it does; a warm-up run, and each variant first,
   * second and third in as many rounds, even that out. */
  run_paced (sp.url, frame, n, props[0], &unused);
  for (r = 0; r < rounds; r++)
    for (i = 0; i < 3; i++) {
      v = (r + i) % 3;
      per_k[v][r] = run_paced (sp.url, frame, n, props[v], &thread_k[v][r]);
      g_unlink (file);
    }
  printf ("B9 publishing, B3's setup (640x360, every frame, v2, server "
      "answers after 50 ms) at 30 fps, %u frames, median of %u rounds in "
      "rotating order, CPU-s per 1000 frames (broker and server not "
      "counted):\n", n, rounds);
  for (v = 0; v < 3; v++) {
    gdouble lo = per_k[v][0], hi = per_k[v][0];

    for (r = 1; r < rounds; r++) {
      lo = MIN (lo, per_k[v][r]);
      hi = MAX (hi, per_k[v][r]);
    }
    m[v] = median (per_k[v], rounds);
    if (v == 0) {
      printf ("   %-16s process %.3f (rounds %.3f-%.3f)\n", names[v], m[v],
          lo, hi);
    } else {
      gdouble t = median (thread_k[v], rounds);

      printf ("   %-16s process %.3f (rounds %.3f-%.3f): %+.1f%%\n"
          "   %-16s its publishing thread %.4f: %.2f%% of the cost without "
          "publishing (goal <= 5%%)\n", names[v], m[v], lo, hi,
          (m[v] / m[0] - 1) * 100, "", t, t / m[0] * 100);
    }
  }
#ifdef HAVE_MQTT
  mosquitto_lib_init ();
  printf ("   the floor on this machine, libmosquitto alone, a QoS 1 message "
      "and its ack: %.1f us back to back, %.1f us one every 33 ms (a "
      "thread woken from sleep)\n", mqtt_floor (broker.port, 1000, 0),
      mqtt_floor (broker.port, 200, 33333));
#endif
  for (v = 0; v < 3; v++)
    g_free (props[v]);
  broker_kill (&broker);
  server_kill (&sp);
  gst_buffer_unref (frame);
}
