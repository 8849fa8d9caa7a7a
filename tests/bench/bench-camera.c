/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* B10 and B11: MJPEG cameras over the size limit, and change detection. */

#include "bench.h"

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
void
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
GstBuffer *
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

void
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

static volatile gdouble bench_sink;

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

void
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
  /* The sums are used, so that the timed loops are not optimised away. */
  bench_sink = diff;
  clarifai_thumb_decoder_free (dec);
  clarifai_encoder_free (enc);
}
