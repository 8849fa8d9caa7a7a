/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* B1 and B2: what the element costs per buffer and per sampled frame. */

#include "bench.h"

/* ---- B1: pass-through cost ---- */

static gboolean
remove_meta (GstBuffer * buf, GstMeta ** meta, gpointer user_data)
{
  *meta = NULL;
  return TRUE;
}

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
    /* the element's metas stay on the buffer it is pushed again with */
    if (meta_out && *meta_out == NULL
        && (meta = gst_buffer_get_custom_meta (buf, "ClarifaiTagMeta")))
      *meta_out = gst_structure_copy (gst_custom_meta_get_structure (meta));
    gst_buffer_foreach_meta (buf, remove_meta, NULL);
  }
  start = wall () - start;
  gst_buffer_unref (buf);
  gst_harness_teardown (h);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  return start;
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

void
bench_b1 (void)
{
  ServerProcess sp;
  gboolean up = server_spawn (&sp, NULL);

  bench_b1_size (1920, 1080, 5000, up ? sp.url : NULL);
  bench_b1_size (64, 48, 20000, up ? sp.url : NULL);
  if (up)
    server_kill (&sp);
}

/* ---- B13: attaching a result with boxes to every buffer ---- */

/* Ten white 120x120 boxes on @frame (I420), apart: ten blobs for the
 * reference detector. */
static void
draw_ten_boxes (GstBuffer * frame, const GstVideoInfo * info)
{
  GstVideoFrame vf;
  guint b, x, y;

  gst_video_frame_map (&vf, info, frame, GST_MAP_WRITE);
  for (b = 0; b < 10; b++)
    for (y = 200 + (b / 5) * 400; y < 320 + (b / 5) * 400; y++)
      for (x = 100 + (b % 5) * 360; x < 220 + (b % 5) * 360; x++) {
        ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&vf, 0))[y *
            GST_VIDEO_FRAME_COMP_STRIDE (&vf, 0) + x] = 235;
        ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&vf, 1))[y / 2 *
            GST_VIDEO_FRAME_COMP_STRIDE (&vf, 1) + x / 2] = 128;
        ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&vf, 2))[y / 2 *
            GST_VIDEO_FRAME_COMP_STRIDE (&vf, 2) + x / 2] = 128;
      }
  gst_video_frame_unmap (&vf);
}

void
bench_b13 (void)
{
  ServerProcess sp;
  GstVideoInfo info;
  GstBuffer *frame;
  g_autofree gchar *all = NULL, *custom = NULL;
  GstStructure *meta = NULL;
  guint n = 5000, rounds = 7, r;
  gdouble t_id[7], t_all[7], t_custom[7], m_id, m_all, m_custom;

  if (!server_spawn (&sp, NULL)) {
    printf ("B13: no reference server\n");
    return;
  }
  frame = test_frame (GST_VIDEO_FORMAT_I420, 1920, 1080, 0x3070a0, 1920, 0,
      &info);
  draw_ten_boxes (frame, &info);
  all = g_strdup_printf ("clarifaitag api-url=%s api-key=test-api-key "
      "model=general-image-detection interval=18446744073709551615", sp.url);
  custom = g_strconcat (all, " standard-meta=false", NULL);
  run_passthrough ("identity", frame, &info, n / 10, FALSE, NULL);
  for (r = 0; r < rounds; r++) {
    t_id[r] = run_passthrough ("identity", frame, &info, n, FALSE, NULL);
    t_all[r] = run_passthrough (all, frame, &info, n, TRUE,
        r == 0 ? &meta : NULL);
    t_custom[r] = run_passthrough (custom, frame, &info, n, TRUE, NULL);
  }
  m_id = median (t_id, rounds);
  m_all = median (t_all, rounds);
  m_custom = median (t_custom, rounds);
  printf ("B13 a result with %u boxes on every buffer, 1080p I420, %u "
      "buffers, median of %u rounds (%s, analytics metas %s):\n"
      "   identity %.2f us/buffer; clarifaitag %.2f us/buffer: %.2f us above "
      "(goal <= 2 us)\n"
      "   of which ClarifaiTagMeta %.2f us (standard-meta=false) and the "
      "standard metas %.2f us\n", meta ? gst_value_array_get_size
      (gst_structure_get_value (meta, "regions")) : 0, n, rounds,
      gst_version_string (),
#ifdef HAVE_GST_ANALYTICS
      "on",
#else
      "not built",
#endif
      m_id / n * 1e6, m_all / n * 1e6, (m_all - m_id) / n * 1e6,
      (m_custom - m_id) / n * 1e6, (m_all - m_custom) / n * 1e6);
  if (meta) {
    bench_meta_floor (frame, meta, n);
    gst_structure_free (meta);
  }
  gst_buffer_unref (frame);
  server_kill (&sp);
}

/* ---- B2: sampled-frame cost ---- */

gdouble
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
gdouble
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
void
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

void
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
