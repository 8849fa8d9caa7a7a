/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* clarifaitag benchmarks.  Each figure is measured against a baseline in the
 * same run and printed with the ratio; absolute times are context only.
 *
 *   clarifai-bench [b1|b2|b3|b4|b5|b6|b7|b8|b9|b10|b11|all]
 *
 * B9 compares publishing to a file and to mosquitto with none.
 *
 * B2 includes the cost of building a v2 request per frame; B3 runs for v1
 * and for v2; B7 (a minute) counts an outage's connections.
 *
 * See docs/performance.md for what each figure means and the goals. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <turbojpeg.h>
#include <time.h>
#include <math.h>
#ifdef HAVE_MQTT
#include <mosquitto.h>
#endif

#include "clarifaiencoder.h"
#include "clarifaimeta.h"
#include "clarifaiserver.h"
#include "clarifaithumb.h"
#include "clarifaiv2.h"
#include "testutil.h"

#define ID "test-client-id"
#define SECRET "test-client-secret"
#define V2_PATH "/v2/users/clarifai/apps/main/models/general-image-recognition" \
    "/outputs"

static gdouble
wall (void)
{
  return g_get_monotonic_time () / 1e6;
}

static gdouble
cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static gint
cmp_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return (x > y) - (x < y);
}

static gdouble
median (gdouble * v, guint n)
{
  qsort (v, n, sizeof (gdouble), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static gchar *
video_caps (const gchar * format, guint w, guint h)
{
  return g_strdup_printf ("video/x-raw,format=%s,width=%u,height=%u,"
      "framerate=30/1", format, w, h);
}

/* ---- B1: pass-through cost ---- */

/* Pushes the same buffer @n times: the element hands it back, writable,
 * so neither side copies anything.  With @result, the timing starts once
 * the first frame's result is known, so that every buffer gets the meta. */
static gdouble
run_passthrough (const gchar * desc, GstBuffer * frame,
    const GstVideoInfo * info, guint n, gboolean result,
    GstStructure ** meta_out)
{
  GstHarness *h = gst_harness_new_parse (desc);
  g_autofree gchar *caps = video_caps ("I420", GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info));
  GstBuffer *buf = gst_buffer_copy (frame);
  GstBus *bus = gst_bus_new ();
  GstCustomMeta *meta;
  gdouble start;
  guint i;

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, caps);
  /* The first frame is always sampled (its copy is B2's business). */
  GST_BUFFER_PTS (buf) = 0;
  gst_harness_push (h, buf);
  buf = gst_harness_pull (h);
  if (result) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
        GST_MESSAGE_ELEMENT);

    if (msg == NULL)
      printf ("   (no result: the timing is without the meta)\n");
    gst_clear_message (&msg);
  }
  start = wall ();
  for (i = 1; i <= n; i++) {
    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i, GST_SECOND, 30);
    gst_harness_push (h, buf);
    buf = gst_harness_pull (h);
    /* the element's meta stays on the buffer it is pushed again with */
    if (meta_out && *meta_out == NULL
        && (meta = gst_buffer_get_custom_meta (buf, "ClarifaiTagMeta")))
      *meta_out = gst_structure_copy (gst_custom_meta_get_structure (meta));
    while ((meta = gst_buffer_get_custom_meta (buf, "ClarifaiTagMeta")))
      gst_buffer_remove_meta (buf, (GstMeta *) meta);
  }
  start = wall () - start;
  gst_buffer_unref (buf);
  gst_harness_teardown (h);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  return start;
}

/* ---- B2: sampled-frame cost ---- */

static gdouble
run_ours (GstVideoFormat format, GstBuffer * frame, const GstVideoInfo * info,
    guint tw, guint th, guint n, gdouble * copy_time)
{
  ClarifaiScaler *scaler = clarifai_scaler_new (info, tw, th);
  ClarifaiEncoder *enc = clarifai_encoder_new ();
  gdouble start, copy = 0;
  guint i;

  start = wall ();
  for (i = 0; i < n; i++) {
    GstVideoFrame vf;
    ClarifaiImage *image;
    GBytes *jpeg;
    gdouble t0 = wall ();

    gst_video_frame_map (&vf, info, frame, GST_MAP_READ);
    image = clarifai_scaler_process (scaler, &vf);
    gst_video_frame_unmap (&vf);
    copy += wall () - t0;
    jpeg = clarifai_encoder_encode (enc, image, 90, NULL);
    g_bytes_unref (jpeg);
    clarifai_image_free (image);
  }
  start = wall () - start;
  clarifai_scaler_free (scaler);
  clarifai_encoder_free (enc);
  *copy_time = copy / n;
  return start / n;
}

/* GStreamer's own pipeline @desc on @frame of @caps, @n times after a
 * warm-up; seconds per frame. */
static gdouble
run_gst_pipeline (const gchar * desc, const gchar * caps, GstBuffer * frame,
    guint n)
{
  GstHarness *h = gst_harness_new_parse (desc);
  gdouble start;
  guint i;

  gst_harness_set_src_caps_str (h, caps);
  for (i = 0; i < 5; i++)
    gst_buffer_unref (gst_harness_push_and_pull (h, gst_buffer_ref (frame)));
  start = wall ();
  for (i = 0; i < n; i++)
    gst_buffer_unref (gst_harness_push_and_pull (h, gst_buffer_ref (frame)));
  start = wall () - start;
  gst_harness_teardown (h);
  return start / n;
}

static gdouble
run_gst_jpegenc (const gchar * format, GstBuffer * frame, guint tw, guint th,
    guint n)
{
  g_autofree gchar *desc = g_strdup_printf ("videoconvert ! videoscale ! "
      "video/x-raw,format=I420,width=%u,height=%u ! jpegenc quality=90", tw,
      th);
  g_autofree gchar *caps = video_caps (format, 1920, 1080);

  return run_gst_pipeline (desc, caps, frame, n);
}

/* A plain copy of @frame's bytes, per frame. */
static gdouble
run_memcpy (GstBuffer * frame, guint n)
{
  GstMapInfo map;
  guint8 *dst;
  gdouble start;
  guint i;

  gst_buffer_map (frame, &map, GST_MAP_READ);
  dst = g_malloc (map.size);
  memcpy (dst, map.data, map.size);
  start = wall ();
  for (i = 0; i < n; i++) {
    memcpy (dst, map.data, map.size);
    /* so that the copies are not merged */
    dst[i % map.size] ^= 1;
  }
  start = wall () - start;
  g_free (dst);
  gst_buffer_unmap (frame, &map);
  return start / n;
}

/* The floor: libturbojpeg alone on a frame already at the upload size. */
static gdouble
run_floor (guint tw, guint th, guint n)
{
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, tw, th, 0x3070a0,
      tw / 2, 0xc04020, &info);
  tjhandle tj = tjInitCompress ();
  GstVideoFrame vf;
  const guint8 *planes[3];
  gint strides[3], p;
  gdouble start;
  guint i;

  gst_video_frame_map (&vf, &info, frame, GST_MAP_READ);
  for (p = 0; p < 3; p++) {
    planes[p] = GST_VIDEO_FRAME_PLANE_DATA (&vf, p);
    strides[p] = GST_VIDEO_FRAME_PLANE_STRIDE (&vf, p);
  }
  start = wall ();
  for (i = 0; i < n; i++) {
    guchar *jpeg = NULL;
    unsigned long size = 0;

    tjCompressFromYUVPlanes (tj, planes, tw, strides, th, TJSAMP_420, &jpeg,
        &size, 90, TJFLAG_FASTDCT);
    tjFree (jpeg);
  }
  start = wall () - start;
  gst_video_frame_unmap (&vf);
  tjDestroy (tj);
  gst_buffer_unref (frame);
  return start / n;
}

/* Texture on the luma of @frame (a gradient with deterministic noise), so
 * that its JPEG is as large as a camera's, not a flat test card's. */
static void
add_texture (GstBuffer * frame, const GstVideoInfo * info)
{
  GstVideoFrame vf;
  guint32 seed = 12345;
  gint x, y;

  gst_video_frame_map (&vf, info, frame, GST_MAP_WRITE);
  for (y = 0; y < GST_VIDEO_INFO_HEIGHT (info); y++) {
    guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&vf, 0) +
        y * GST_VIDEO_FRAME_PLANE_STRIDE (&vf, 0);

    for (x = 0; x < GST_VIDEO_INFO_WIDTH (info); x++) {
      seed = seed * 1103515245 + 12345;
      row[x] = (guint8) ((x / 4 + y / 3) + ((seed >> 16) & 0x3f));
    }
  }
  gst_video_frame_unmap (&vf);
}

/* What v2 adds per sampled frame: base64 and JSON around the JPEG, next to
 * what encoding that JPEG costs; on a flat frame and a textured one. */
static void
bench_v2_body (guint tw, guint th, guint n, gboolean textured)
{
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, tw, th, 0x3070a0,
      tw / 2, 0xc04020, &info);
  ClarifaiImage image = { info, frame };
  ClarifaiEncoder *enc = clarifai_encoder_new ();
  ClarifaiDialectSettings ds = { 0, };
  ClarifaiDialect *v2;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) jpegs = g_ptr_array_new_with_free_func
      ((GDestroyNotify) g_bytes_unref);
  gdouble t_enc, t_one, t_batch;
  guint i, k, batch = 8;

  ds.api_url = "https://api.clarifai.com";
  ds.api_key = "bench";
  ds.threshold = 0.5;
  ds.max_tags = 10;
  v2 = clarifai_dialect_v2_new (&ds);
  if (textured)
    add_texture (frame, &info);

  t_enc = wall ();
  for (i = 0; i < n; i++)
    g_bytes_unref (clarifai_encoder_encode (enc, &image, 90, NULL));
  t_enc = (wall () - t_enc) / n;
  for (k = 0; k < batch; k++) {
    g_ptr_array_add (ids, g_strdup_printf ("frame-%u", 1000000 + k));
    g_ptr_array_add (jpegs, clarifai_encoder_encode (enc, &image, 90, NULL));
  }
  g_ptr_array_set_size (ids, 1);
  g_ptr_array_set_size (jpegs, 1);
  t_one = wall ();
  for (i = 0; i < n * 4; i++)
    clarifai_http_request_free (v2->klass->build (v2, ids, jpegs));
  t_one = (wall () - t_one) / (n * 4);
  for (k = 1; k < batch; k++) {
    g_ptr_array_add (ids, g_strdup_printf ("frame-%u", 1000000 + k));
    g_ptr_array_add (jpegs, clarifai_encoder_encode (enc, &image, 90, NULL));
  }
  t_batch = wall ();
  for (i = 0; i < n; i++)
    clarifai_http_request_free (v2->klass->build (v2, ids, jpegs));
  t_batch = (wall () - t_batch) / n / batch;
  printf ("   v2 request body (base64 + JSON) per frame, %s %ux%u JPEG of %"
      G_GSIZE_FORMAT " bytes: %.3f ms alone, %.3f ms in a batch of %u;\n"
      "         JPEG encode %.2f ms; body/encode %.1f%% and %.1f%% (goal "
      "<= 10%%)\n", textured ? "textured" : "flat", tw, th,
      g_bytes_get_size (jpegs->pdata[0]), t_one * 1e3, t_batch * 1e3, batch,
      t_enc * 1e3, t_one / t_enc * 100, t_batch / t_enc * 100);
  clarifai_dialect_free (v2);
  clarifai_encoder_free (enc);
  gst_buffer_unref (frame);
}

static void
bench_b2 (void)
{
  const GstVideoFormat formats[] = { GST_VIDEO_FORMAT_I420,
    GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_BGRx
  };
  guint n = 60, i, tw = 1024, th = 576;
  gdouble floor_t = run_floor (tw, th, n);

  printf ("B2 sampled-frame cost, 1080p to %ux%u, quality 90, %u frames:\n"
      "   floor (libturbojpeg alone, frame already %ux%u I420): %.2f ms\n",
      tw, th, n, tw, th, floor_t * 1e3);
  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    GstVideoInfo info;
    GstBuffer *frame = test_frame (formats[i], 1920, 1080, 0x3070a0, 960,
        0xc04020, &info);
    const gchar *name = gst_video_format_to_string (formats[i]);
    gdouble goal = formats[i] == GST_VIDEO_FORMAT_BGRx ? 2.0 : 1.6;
    gdouble copy, ours, gst, flat;

    run_ours (formats[i], frame, &info, tw, th, 5, &copy);
    ours = run_ours (formats[i], frame, &info, tw, th, n, &copy);
    gst = run_gst_jpegenc (name, frame, tw, th, n);
    flat = run_memcpy (frame, n);
    printf ("   %-5s clarifaitag %.2f ms (streaming thread %.2f ms), "
        "videoconvert ! videoscale ! jpegenc %.2f ms\n"
        "         speed-up over GStreamer %.2fx (goal >= 1.3), cost over "
        "floor %.2fx (goal <= %.1f)\n", name, ours * 1e3, copy * 1e3,
        gst * 1e3, gst / ours, ours / floor_t, goal);
    /* What the goal leaves the scaled copy, next to a plain copy of the
     * frame: reading the frame is most of that already. */
    printf ("         the goal leaves the scaled copy %.2f ms; memcpy of "
        "the %" G_GSIZE_FORMAT "-byte frame takes %.2f ms\n",
        (goal - 1) * floor_t * 1e3, gst_buffer_get_size (frame), flat * 1e3);
    gst_buffer_unref (frame);
  }
  bench_v2_body (tw, th, n, FALSE);
  bench_v2_body (tw, th, n, TRUE);
}

/* ---- a reference server in its own process ---- */

typedef struct
{
  GPid pid;
  gchar *url;
} ServerProcess;

static gboolean
server_spawn (ServerProcess * sp, const gchar * const *extra)
{
  const gchar *exe = g_getenv ("CLARIFAI_REFERENCE_SERVER");
  GPtrArray *argv = g_ptr_array_new ();
  gint out_fd;
  gchar line[256];
  gssize n;
  gsize got = 0;

  g_ptr_array_add (argv, (gpointer) (exe ? exe :
          "build/tests/server/clarifai-reference-server"));
  g_ptr_array_add (argv, (gpointer) "--port=0");
  for (; extra && *extra; extra++)
    g_ptr_array_add (argv, (gpointer) * extra);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_async_with_pipes (NULL, (gchar **) argv->pdata, NULL,
          G_SPAWN_DEFAULT, NULL, NULL, &sp->pid, NULL, &out_fd, NULL, NULL)) {
    g_ptr_array_unref (argv);
    return FALSE;
  }
  g_ptr_array_unref (argv);
  while (got < sizeof (line) - 1 && (n = read (out_fd, line + got, 1)) > 0
      && line[got] != '\n')
    got++;
  line[got] = '\0';
  close (out_fd);
  sp->url = g_strdup (line);
  return g_str_has_prefix (line, "http");
}

static void
server_kill (ServerProcess * sp)
{
  kill (sp->pid, SIGTERM);
  waitpid (sp->pid, NULL, 0);
  g_spawn_close_pid (sp->pid);
  g_free (sp->url);
}

/* What the contract costs per buffer after the first result: a custom meta
 * whose structure holds the result's fields.  Measured alone, with the
 * result the element attached (@result), against adding the meta empty
 * and copying the structure: the floor. */
static void
bench_meta_floor (GstBuffer * frame, const GstStructure * result, guint n)
{
  GstBuffer *buf = gst_buffer_new ();
  gdouble t_empty, t_copy, t_ours;
  GstCustomMeta *meta;
  guint i;

  t_empty = wall ();
  for (i = 0; i < n; i++) {
    meta = gst_buffer_add_custom_meta (buf, "ClarifaiTagMeta");
    gst_buffer_remove_meta (buf, (GstMeta *) meta);
  }
  t_empty = (wall () - t_empty) / n;
  t_copy = wall ();
  for (i = 0; i < n; i++)
    gst_structure_free (gst_structure_copy (result));
  t_copy = (wall () - t_copy) / n;
  t_ours = wall ();
  for (i = 0; i < n; i++) {
    clarifai_tag_meta_add (buf, result);
    gst_buffer_remove_meta (buf, (GstMeta *) gst_buffer_get_custom_meta (buf,
            "ClarifaiTagMeta"));
  }
  t_ours = (wall () - t_ours) / n;
  printf ("   the meta alone (%d fields): clarifai_tag_meta_add %.2f us; an "
      "empty custom meta %.2f us + a copy of the structure %.2f us = %.2f us "
      "(the floor)\n", gst_structure_n_fields (result), t_ours * 1e6,
      t_empty * 1e6, t_copy * 1e6, (t_empty + t_copy) * 1e6);
  gst_buffer_unref (buf);
}

/* B1 for one frame size: identity, then clarifaitag before its first
 * result (passthrough) and after it (a meta on every buffer). */
static void
bench_b1_size (guint w, guint hgt, guint n, const gchar * url)
{
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, w, hgt, 0x3070a0, w,
      0, &info);
  /* nothing due for sampling after the first frame; before a result the
   * service is not there, and that is the worker's business */
  const gchar *before = "clarifaitag api-url=http://127.0.0.1:9 "
      "access-token=unused interval=18446744073709551615";
  g_autofree gchar *after = g_strdup_printf ("clarifaitag api-url=%s "
      "api-key=test-api-key interval=18446744073709551615", url);
  guint rounds = 7, r;
  gdouble t_id[7], t_before[7], t_after[7], m_id, m_before, m_after;
  GstStructure *meta = NULL;

  run_passthrough ("identity", frame, &info, n / 10, FALSE, NULL);
  run_passthrough (before, frame, &info, n / 10, FALSE, NULL);
  for (r = 0; r < rounds; r++) {
    t_id[r] = run_passthrough ("identity", frame, &info, n, FALSE, NULL);
    t_before[r] = run_passthrough (before, frame, &info, n, FALSE, NULL);
    t_after[r] = url ? run_passthrough (after, frame, &info, n, TRUE,
        &meta) : 0;
  }
  m_id = median (t_id, rounds);
  m_before = median (t_before, rounds);
  m_after = median (t_after, rounds);
  printf ("B1 pass-through, %ux%u I420, %u buffers, median of %u rounds:\n"
      "   identity %.2f us/buffer\n"
      "   clarifaitag before its first result %.2f us/buffer: ratio %.3f "
      "(goal <= 1.02)\n", w, hgt, n, rounds, m_id / n * 1e6,
      m_before / n * 1e6, m_before / m_id);
  if (url)
    printf ("   clarifaitag after it (ClarifaiTagMeta on every buffer) %.2f "
        "us/buffer: ratio %.3f%s\n", m_after / n * 1e6, m_after / m_id,
        w >= 1920 ? " (goal <= 1.1)" : "");
  if (meta) {
    bench_meta_floor (frame, meta, n);
    gst_structure_free (meta);
  }
  gst_buffer_unref (frame);
}

static void
bench_b1 (void)
{
  ServerProcess sp;
  gboolean up = server_spawn (&sp, NULL);

  bench_b1_size (1920, 1080, 5000, up ? sp.url : NULL);
  bench_b1_size (64, 48, 20000, up ? sp.url : NULL);
  if (up)
    server_kill (&sp);
}

/* ---- B3: end-to-end throughput ---- */

static GstBusSyncReply
count_tagged (GstBus * bus, GstMessage * msg, gpointer data)
{
  const GstStructure *s = gst_message_get_structure (msg);

  if (s && gst_structure_has_name (s, "clarifai-tags")
      && g_str_equal (gst_structure_get_string (s, "status"), "OK"))
    g_atomic_int_inc ((gint *) data);
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

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
  GstHarness *h = gst_harness_new_parse (desc);
  g_autofree gchar *caps = video_caps ("I420", 640, 360);
  GstElement *tag = gst_bin_get_by_name (GST_BIN (h->element), "tag");
  GstBus *bus = gst_bus_new ();
  gint tagged = 0;
  gdouble t0, c0;
  guint i;

  gst_bus_set_sync_handler (bus, count_tagged, &tagged, NULL);
  gst_element_set_bus (tag, bus);
  gst_harness_set_src_caps_str (h, caps);
  /* let v1's token and /v1/info/ be fetched first */
  g_usleep (200 * 1000);
  t0 = wall ();
  c0 = cpu ();
  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_buffer_copy (frame);

    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i, GST_SECOND, 30);
    gst_buffer_unref (gst_harness_push_and_pull (h, buf));
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  t0 = wall () - t0;
  *cpu_per_k = (cpu () - c0) / g_atomic_int_get (&tagged) * 1000;
  if ((guint) g_atomic_int_get (&tagged) != n)
    printf ("   (element: only %d of %u frames tagged)\n", tagged, n);
  gst_harness_teardown (h);
  gst_clear_object (&tag);
  gst_object_unref (bus);
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

static void
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

static void
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
  GstHarness *h = gst_harness_new_parse (desc);
  g_autofree gchar *caps = video_caps ("I420", 320, 240);
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, 320, 240, 0x3070a0,
      160, 0xc04020, &info);
  GstBus *bus = gst_bus_new ();
  GstElement *tag = gst_bin_get_by_name (GST_BIN (h->element), "tag");
  GstStructure *stats = NULL;
  guint64 warm = 0, peak = 0, rss;
  gint tagged = 0;
  guint i, warmup = n / 10;
  gdouble t0 = wall ();

  gst_bus_set_sync_handler (bus, count_tagged, &tagged, NULL);
  gst_element_set_bus (tag, bus);
  gst_harness_set_src_caps_str (h, caps);
  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_buffer_copy (frame);

    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i, GST_SECOND, 30);
    gst_buffer_unref (gst_harness_push_and_pull (h, buf));
    if (i % 1000 == 999) {
      rss = rss_kb ();
      if (i + 1 == warmup)
        warm = rss;
      else if (i + 1 > warmup)
        peak = MAX (peak, rss);
    }
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  g_object_get (tag, "stats", &stats, NULL);
  printf ("   %s: %u frames in %.1f s, RSS after warm-up (%u frames) %.1f "
      "MB, peak after %.1f MB, growth %.2f MB (goal < 5)\n"
      "      %s\n", label, n, wall () - t0, warmup, warm / 1024.0,
      peak / 1024.0, ((gdouble) peak - (gdouble) warm) / 1024.0,
      gst_structure_to_string (stats));
  gst_structure_free (stats);
  gst_harness_teardown (h);
  gst_clear_object (&tag);
  gst_object_unref (bus);
  gst_buffer_unref (frame);
}

static void
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

static void
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
static void
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

static void
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
  GstHarness *h = gst_harness_new_parse (desc);
  g_autofree gchar *caps = video_caps ("I420", 640, 360);
  GstElement *tag = gst_bin_get_by_name (GST_BIN (h->element), "tag");
  GstBus *bus = gst_bus_new ();
  GstStructure *stats = NULL;
  guint64 published = 0;
  gint tagged = 0;
  gdouble t0, c0, used;
  guint i;

  gst_bus_set_sync_handler (bus, count_tagged, &tagged, NULL);
  gst_element_set_bus (tag, bus);
  gst_harness_set_src_caps_str (h, caps);
  g_usleep (200 * 1000);
  t0 = wall ();
  c0 = cpu ();
  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_buffer_copy (frame);
    gdouble due = t0 + i / 30.0 - wall ();

    if (due > 0)
      g_usleep ((gulong) (due * 1e6));
    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i, GST_SECOND, 30);
    gst_buffer_unref (gst_harness_push_and_pull (h, buf));
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  used = cpu () - c0;
  /* the thread lives until the element stops */
  *thread_per_k = thread_cpu ("clarifai-pub") / MAX (tagged, 1) * 1000;
  g_object_get (tag, "stats", &stats, NULL);
  gst_structure_get_uint64 (stats, "published", &published);
  gst_structure_free (stats);
  if ((guint) g_atomic_int_get (&tagged) != n || (*extra && published != n))
    printf ("   (%s: %d tagged, %" G_GUINT64_FORMAT " published of %u)\n",
        extra, tagged, published, n);
  gst_harness_teardown (h);
  gst_clear_object (&tag);
  gst_object_unref (bus);
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

static void
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

/* ---- B10: MJPEG over the size limit (issue 11's "B7") ---- */

/* `jpegdec ! videoscale ! jpegenc` on @jpeg, @n times; seconds per frame. */
static gdouble
run_gst_mjpeg (GBytes * jpeg, guint tw, guint th, guint n)
{
  g_autofree gchar *desc = g_strdup_printf ("jpegdec ! videoconvert ! "
      "videoscale ! video/x-raw,format=I420,width=%u,height=%u ! jpegenc "
      "quality=90", tw, th);
  GstBuffer *frame = gst_buffer_new_wrapped_bytes (jpeg);
  gdouble t = run_gst_pipeline (desc, "image/jpeg,width=1920,height=1080,"
      "framerate=30/1", frame, n);

  gst_buffer_unref (frame);
  return t;
}

/* Closer to a camera's frame than add_texture()'s noise: gradients,
 * shapes and a little sensor noise, in luma and chroma (I420). */
static void
add_scene (GstBuffer * frame, const GstVideoInfo * info)
{
  GstVideoFrame vf;
  guint32 seed = 777;
  gint x, y, p;

  gst_video_frame_map (&vf, info, frame, GST_MAP_WRITE);
  for (p = 0; p < 3; p++) {
    gint w = GST_VIDEO_FRAME_COMP_WIDTH (&vf, p);
    gint h = GST_VIDEO_FRAME_COMP_HEIGHT (&vf, p);

    for (y = 0; y < h; y++) {
      guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&vf, p) +
          y * GST_VIDEO_FRAME_PLANE_STRIDE (&vf, p);

      for (x = 0; x < w; x++) {
        gdouble v = p ? 128 + 40 * sin (x * 0.004 * (p + 1) + y * 0.003) :
            60 + 0.05 * x + 0.06 * y + 50 * sin (x * 0.02) * cos (y * 0.015)
            + ((x / 97 + y / 61) % 2) * 30;

        seed = seed * 1103515245 + 12345;
        row[x] = CLAMP ((gint) v + (gint) ((seed >> 16) & 7) - 3, 0, 255);
      }
    }
  }
  gst_video_frame_unmap (&vf);
}

/* libjpeg-turbo alone decoding @jpeg into I420 planes at @w x @h, @n
 * times: the floor under any path that reads the JPEG; seconds each. */
static gdouble
run_decode_floor (GBytes * jpeg, guint w, guint h, guint n)
{
  tjhandle tj = tjInitDecompress ();
  gsize size;
  const guchar *data = g_bytes_get_data (jpeg, &size);
  guchar *buf = g_malloc ((gsize) w * h * 2);
  guchar *planes[3] = { buf, buf + w * h, buf + w * h + (w / 2) * (h / 2) };
  int strides[3] = { (int) w, (int) w / 2, (int) w / 2 };
  gdouble t = wall ();
  guint i;

  for (i = 0; i < n; i++)
    tjDecompressToYUVPlanes (tj, data, size, planes, w, strides, h, 0);
  t = (wall () - t) / n;
  g_free (buf);
  tjDestroy (tj);
  return t;
}

/* add_scene()'s picture in @format, converted from I420. */
static GstBuffer *
scene_frame (GstVideoFormat format, guint w, guint h, GstVideoInfo * info)
{
  GstVideoInfo i420;
  GstBuffer *src = test_frame (GST_VIDEO_FORMAT_I420, w, h, 0, w, 0, &i420);
  GstBuffer *out;
  GstVideoConverter *conv;
  GstVideoFrame a, b;

  add_scene (src, &i420);
  gst_video_info_set_format (info, format, w, h);
  out = gst_buffer_new_allocate (NULL, info->size, NULL);
  conv = gst_video_converter_new (&i420, info, NULL);
  gst_video_frame_map (&a, &i420, src, GST_MAP_READ);
  gst_video_frame_map (&b, info, out, GST_MAP_WRITE);
  gst_video_converter_frame (conv, &a, &b);
  gst_video_frame_unmap (&b);
  gst_video_frame_unmap (&a);
  gst_video_converter_free (conv);
  gst_buffer_unref (src);
  return out;
}

static void
bench_b10 (void)
{
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, 1920, 1080, 0x3070a0,
      960, 0xc04020, &info);
  ClarifaiImage image = { info, frame };
  ClarifaiEncoder *enc = clarifai_encoder_new ();
  ClarifaiSizeLimits limits = { 1024, 0, 0 };
  g_autoptr (GBytes) jpeg = NULL;
  gdouble ours[5], gst[5], m_ours, m_gst, t;
  guint n = 100, rounds = 5, r, i, w = 0, h = 0;

  add_scene (frame, &info);
  jpeg = clarifai_encoder_encode (enc, &image, 90, NULL);
  for (r = 0; r < rounds; r++) {
    t = wall ();
    for (i = 0; i < n; i++) {
      GBytes *out = clarifai_encoder_fit_jpeg (enc, jpeg, &limits, 90, NULL);

      if (i == 0)
        clarifai_encoder_read_header (enc, out, &w, &h, NULL);
      g_bytes_unref (out);
    }
    ours[r] = (wall () - t) / n;
    gst[r] = run_gst_mjpeg (jpeg, 1024, 576, n);
  }
  m_ours = median (ours, rounds);
  m_gst = median (gst, rounds);
  t = run_decode_floor (jpeg, 1920, 1080, n);
  printf ("B10 MJPEG over the limit: a camera-like 1080p 4:2:0 JPEG of %"
      G_GSIZE_FORMAT " bytes, service limit 1024 px, %u frames, median of %u "
      "rounds:\n   clarifaitag (decoded at a reduced size, uploaded at "
      "%ux%u) %.2f ms, jpegdec ! videoscale ! jpegenc (to 1024x576) %.2f ms\n"
      "   ratio %.2f (goal <= 0.5)\n"
      "   libjpeg-turbo's decode alone, into I420 planes: %.2f ms at 1920x1080,"
      " %.2f ms at %ux%u (the entropy decoding no scaling makes shorter)\n",
      g_bytes_get_size (jpeg), n, rounds, w, h, m_ours * 1e3, m_gst * 1e3,
      m_ours / m_gst, t * 1e3, run_decode_floor (jpeg, w, h, n) * 1e3, w, h);
  clarifai_encoder_free (enc);
  gst_buffer_unref (frame);
}

/* ---- B11: change-driven sampling ---- */

/* Five colours held 3 s each at 10 fps, interval 200 ms, through a v2
 * tagger with @props; returns the requests the server saw. */
static guint
b11_tour (const gchar * props)
{
  static const guint32 tour[] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffff00,
    0xffffff
  };
  ClarifaiServer *server = clarifai_server_new ();
  g_autofree gchar *desc = NULL;
  g_autoptr (GPtrArray) requests = NULL;
  GstHarness *h;
  GstElement *tag;
  guint c, i;

  clarifai_server_start (server, "127.0.0.1", 0, NULL);
  desc = g_strdup_printf ("clarifaitag name=tag api-url=%s api-key="
      CLARIFAI_SERVER_DEFAULT_API_KEY " interval=200000000 queue-size=256 %s",
      clarifai_server_get_url (server), props);
  h = gst_harness_new_parse (desc);
  tag = gst_bin_get_by_name (GST_BIN (h->element), "tag");
  gst_harness_set_src_caps_str (h, "video/x-raw,format=I420,width=64,"
      "height=48,framerate=10/1");
  for (c = 0; c < G_N_ELEMENTS (tour); c++)
    for (i = 0; i < 30; i++) {
      GstVideoInfo info;
      GstBuffer *buf = test_frame (GST_VIDEO_FORMAT_I420, 64, 48, tour[c],
          64, tour[c], &info);

      GST_BUFFER_PTS (buf) = (c * 30 + i) * GST_SECOND / 10;
      gst_buffer_unref (gst_harness_push_and_pull (h, buf));
    }
  gst_harness_push_event (h, gst_event_new_eos ());
  requests = clarifai_server_get_tag_requests (server);
  gst_object_unref (tag);
  gst_harness_teardown (h);
  clarifai_server_free (server);
  return requests->len;
}

static void
bench_b11 (void)
{
  const GstVideoFormat formats[] = { GST_VIDEO_FORMAT_I420,
    GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_BGRx
  };
  ClarifaiEncoder *enc = clarifai_encoder_new ();
  ClarifaiThumbDecoder *dec = clarifai_thumb_decoder_new ();
  ClarifaiSizeLimits limits = { 1024, 0, 0 };
  ClarifaiThumb last, thumb;
  guint n = 200, i, f;
  gdouble t, sampled, copy, diff = 0;

  printf ("B11 change detection per due frame at 1080p (thumbnail and "
      "difference), against a sampled frame, %u frames:\n", n);
  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    GstVideoInfo info;
    GstBuffer *frame = scene_frame (formats[f], 1920, 1080, &info);
    GstVideoFrame vf;

    gst_video_frame_map (&vf, &info, frame, GST_MAP_READ);
    clarifai_thumb_from_frame (&last, &vf);
    t = wall ();
    for (i = 0; i < n; i++) {
      clarifai_thumb_from_frame (&thumb, &vf);
      diff += clarifai_thumb_difference (&thumb, &last);
    }
    t = (wall () - t) / n;
    gst_video_frame_unmap (&vf);
    sampled = run_ours (formats[f], frame, &info, 1024, 576, 30, &copy);
    printf ("   %-5s %.1f us; a sampled frame %.2f ms (streaming thread %.2f "
        "ms): %.2f%% (goal < 5%%)\n", gst_video_format_to_string
        (formats[f]), t * 1e6, sampled * 1e3, copy * 1e3, t / sampled * 100);
    gst_buffer_unref (frame);
  }
  {
    GstVideoInfo info;
    GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, 1920, 1080,
        0x3070a0, 960, 0xc04020, &info);
    ClarifaiImage image = { info, frame };
    g_autoptr (GBytes) jpeg = NULL;
    gsize size;
    const guint8 *data;

    add_scene (frame, &info);
    jpeg = clarifai_encoder_encode (enc, &image, 90, NULL);
    data = g_bytes_get_data (jpeg, &size);
    t = wall ();
    for (i = 0; i < n; i++) {
      clarifai_thumb_from_jpeg (&thumb, dec, data, size);
      diff += clarifai_thumb_difference (&thumb, &last);
    }
    t = (wall () - t) / n;
    sampled = wall ();
    for (i = 0; i < 30; i++)
      g_bytes_unref (clarifai_encoder_fit_jpeg (enc, jpeg, &limits, 90, NULL));
    sampled = (wall () - sampled) / 30;
    printf ("   MJPEG %.1f us (a 1/8 grey decode of a %" G_GSIZE_FORMAT
        "-byte JPEG); a sampled frame over the 1024 px limit %.2f ms: %.1f%% "
        "(goal < 5%%)\n", t * 1e6, size, sampled * 1e3, t / sampled * 100);
    gst_buffer_unref (frame);
  }
  printf ("   five colours held 3 s each, interval 200 ms: %u requests "
      "without change detection, %u with change-threshold=0.05\n",
      b11_tour (""), b11_tour ("change-threshold=0.05"));
  if (diff < 0)
    printf ("unreachable\n");
  clarifai_thumb_decoder_free (dec);
  clarifai_encoder_free (enc);
}

int
main (int argc, char **argv)
{
  const gchar *which = argc > 1 ? argv[1] : "all";
  gboolean all = g_str_equal (which, "all");

  gst_init (&argc, &argv);
  if (all || g_str_equal (which, "b1"))
    bench_b1 ();
  if (all || g_str_equal (which, "b2"))
    bench_b2 ();
  if (all || g_str_equal (which, "b3"))
    bench_b3 ();
  if (all || g_str_equal (which, "b4"))
    bench_b4 ();
  if (all || g_str_equal (which, "b5"))
    bench_b5 ();
  if (all || g_str_equal (which, "b6"))
    bench_b6 ();
  if (all || g_str_equal (which, "b7"))
    bench_b7 ();
  if (all || g_str_equal (which, "b8"))
    bench_b8 ();
  if (all || g_str_equal (which, "b9"))
    bench_b9 ();
  if (all || g_str_equal (which, "b10"))
    bench_b10 ();
  if (all || g_str_equal (which, "b11"))
    bench_b11 ();
  return 0;
}
