/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The upload copy against a reference made by GstVideoConverter with its
 * best resampler (Lanczos), in the same colours (JPEG's full-range BT.601
 * I420): PSNR per plane, on a natural-looking frame, so that speed cannot
 * come from aliasing or from wrong colours. */

#include <gst/gst.h>
#include <gst/video/video.h>
#include <math.h>

#include "clarifaiscaler.h"

#define GOAL_DB 35.0

/* What photographs look like to a scaler: as much energy in each octave
 * of spatial frequency (1/f noise), made of sinusoids in random directions
 * with periods from 1000 down to 3 pixels, in colours that vary much less
 * than their brightness.  Separable per component, so quick to make. */
static GstBuffer *
natural_rgb (guint w, guint h, gdouble shortest, GstVideoInfo * info)
{
  const guint n = 40;
  GRand *rand = g_rand_new_with_seed (1857);
  gfloat *acc = g_new0 (gfloat, (gsize) w * h * 3);
  gfloat *cx = g_new (gfloat, w), *sx = g_new (gfloat, w);
  gfloat *cy = g_new (gfloat, h), *sy = g_new (gfloat, h);
  GstBuffer *buf;
  GstMapInfo map;
  guint k, x, y, c;

  for (k = 0; k < n; k++) {
    gdouble period = 1000.0 * pow (shortest / 1000.0, k / (gdouble) (n - 1));
    gdouble theta = g_rand_double_range (rand, 0, G_PI);
    gdouble phase = g_rand_double_range (rand, 0, 2 * G_PI);
    gdouble fx = 2 * G_PI / period * cos (theta);
    gdouble fy = 2 * G_PI / period * sin (theta);
    gdouble amp = 12.0;
    gdouble weight[3];

    for (c = 0; c < 3; c++)
      weight[c] = amp * g_rand_double_range (rand, 0.8, 1.0);
    for (x = 0; x < w; x++) {
      cx[x] = cos (fx * x + phase);
      sx[x] = sin (fx * x + phase);
    }
    for (y = 0; y < h; y++) {
      cy[y] = cos (fy * y);
      sy[y] = sin (fy * y);
    }
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        gfloat v = sx[x] * cy[y] + cx[x] * sy[y];
        gfloat *p = acc + 3 * ((gsize) y * w + x);

        for (c = 0; c < 3; c++)
          p[c] += weight[c] * v;
      }
  }

  gst_video_info_set_format (info, GST_VIDEO_FORMAT_RGB, w, h);
  buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (y = 0; y < h; y++)
    for (x = 0; x < w * 3; x++)
      map.data[y * GST_VIDEO_INFO_PLANE_STRIDE (info, 0) + x] =
          CLAMP (lrint (128 + acc[(gsize) y * w * 3 + x]), 0, 255);
  gst_buffer_unmap (buf, &map);
  g_free (acc);
  g_free (cx);
  g_free (sx);
  g_free (cy);
  g_free (sy);
  g_rand_free (rand);
  return buf;
}

static GstBuffer *
convert (GstBuffer * in, const GstVideoInfo * in_info,
    const GstVideoInfo * out_info, GstVideoResamplerMethod method)
{
  GstVideoConverter *conv = gst_video_converter_new ((GstVideoInfo *) in_info,
      (GstVideoInfo *) out_info, gst_structure_new ("test",
          GST_VIDEO_CONVERTER_OPT_RESAMPLER_METHOD,
          GST_TYPE_VIDEO_RESAMPLER_METHOD, method,
          GST_VIDEO_CONVERTER_OPT_CHROMA_RESAMPLER_METHOD,
          GST_TYPE_VIDEO_RESAMPLER_METHOD, method,
          GST_VIDEO_CONVERTER_OPT_DITHER_METHOD, GST_TYPE_VIDEO_DITHER_METHOD,
          GST_VIDEO_DITHER_NONE, NULL));
  GstBuffer *out = gst_buffer_new_allocate (NULL, out_info->size, NULL);
  GstVideoFrame fi, fo;

  g_assert_nonnull (conv);
  g_assert_true (gst_video_frame_map (&fi, in_info, in, GST_MAP_READ));
  g_assert_true (gst_video_frame_map (&fo, out_info, out, GST_MAP_WRITE));
  gst_video_converter_frame (conv, &fi, &fo);
  gst_video_frame_unmap (&fo);
  gst_video_frame_unmap (&fi);
  gst_video_converter_free (conv);
  return out;
}

/* @rgb in @format, with the colorimetry GStreamer gives that size by
 * default (BT.709 limited range for HD YUV). */
static GstBuffer *
in_format (GstBuffer * rgb, const GstVideoInfo * rgb_info,
    GstVideoFormat format, GstVideoInfo * info)
{
  gst_video_info_set_format (info, format, GST_VIDEO_INFO_WIDTH (rgb_info),
      GST_VIDEO_INFO_HEIGHT (rgb_info));
  return convert (rgb, rgb_info, info, GST_VIDEO_RESAMPLER_METHOD_LANCZOS);
}

/* What the upload copy is: I420, full-range BT.601, JPEG siting. */
static void
jpeg_info (GstVideoInfo * info, guint w, guint h)
{
  gst_video_info_set_format (info, GST_VIDEO_FORMAT_I420, w, h);
  info->colorimetry.range = GST_VIDEO_COLOR_RANGE_0_255;
  info->colorimetry.matrix = GST_VIDEO_COLOR_MATRIX_BT601;
  info->chroma_site = GST_VIDEO_CHROMA_SITE_JPEG;
}

/* The picture @rgb downscaled with @method in RGB, then in the upload
 * copy's colours: with Lanczos, what the copy should be. */
static GstBuffer *
reference (GstBuffer * rgb, const GstVideoInfo * rgb_info, guint ow,
    guint oh, GstVideoResamplerMethod method, GstVideoInfo * ref_info)
{
  GstVideoInfo small_info;
  GstBuffer *small, *out;

  gst_video_info_set_format (&small_info, GST_VIDEO_FORMAT_RGB, ow, oh);
  small = convert (rgb, rgb_info, &small_info, method);
  jpeg_info (ref_info, ow, oh);
  out = convert (small, &small_info, ref_info, method);
  gst_buffer_unref (small);
  return out;
}

static gdouble
plane_psnr (const GstVideoFrame * a, const GstVideoFrame * b, guint plane)
{
  guint w = GST_VIDEO_FRAME_COMP_WIDTH (a, plane);
  guint h = GST_VIDEO_FRAME_COMP_HEIGHT (a, plane);
  const guint8 *pa = GST_VIDEO_FRAME_PLANE_DATA (a, plane);
  const guint8 *pb = GST_VIDEO_FRAME_PLANE_DATA (b, plane);
  gint sa = GST_VIDEO_FRAME_PLANE_STRIDE (a, plane);
  gint sb = GST_VIDEO_FRAME_PLANE_STRIDE (b, plane);
  gdouble sum = 0;
  guint x, y;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      gint d = pa[y * sa + x] - pb[y * sb + x];

      sum += d * d;
    }
  if (sum == 0)
    return 99.0;
  return 10 * log10 (255.0 * 255.0 / (sum / (w * h)));
}

/* The worst plane's PSNR of the upload copy of @frame against @reference. */
static gdouble
upload_psnr (GstBuffer * frame, const GstVideoInfo * info, guint ow,
    guint oh, GstBuffer * reference, const GstVideoInfo * ref_info)
{
  ClarifaiScaler *scaler = clarifai_scaler_new (info, ow, oh);
  GstVideoFrame in, a, b;
  ClarifaiImage *image;
  gdouble worst = 99.0;
  guint p;

  g_assert_nonnull (scaler);
  g_assert_true (gst_video_frame_map (&in, info, frame, GST_MAP_READ));
  image = clarifai_scaler_process (scaler, &in);
  gst_video_frame_unmap (&in);
  g_assert_nonnull (image);
  g_assert_cmpint (GST_VIDEO_INFO_FORMAT (&image->info), ==,
      GST_VIDEO_FORMAT_I420);
  g_assert_true (gst_video_frame_map (&a, &image->info, image->buffer,
          GST_MAP_READ));
  g_assert_true (gst_video_frame_map (&b, ref_info, reference, GST_MAP_READ));
  for (p = 0; p < 3; p++)
    worst = MIN (worst, plane_psnr (&a, &b, p));
  gst_video_frame_unmap (&a);
  gst_video_frame_unmap (&b);
  clarifai_image_free (image);
  clarifai_scaler_free (scaler);
  return worst;
}

/* Each format through the scaler, against the picture downscaled with
 * Lanczos in RGB: at least GOAL_DB in every plane.  The same picture
 * downscaled by nearest neighbour is not, so the check tells aliasing. */
static void
test_quality (void)
{
  /* clarifairesample.c's planar, semi-planar and packed paths, and
   * GstVideoConverter's (YUY2, GRAY8 aside). */
  static const GstVideoFormat formats[] = { GST_VIDEO_FORMAT_I420,
    GST_VIDEO_FORMAT_YV12, GST_VIDEO_FORMAT_Y42B, GST_VIDEO_FORMAT_Y444,
    GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_NV21, GST_VIDEO_FORMAT_NV16,
    GST_VIDEO_FORMAT_BGRx, GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_xRGB,
    GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_BGR, GST_VIDEO_FORMAT_YUY2
  };
  const guint w = 1280, h = 720, ow = 683, oh = 384;
  GstVideoInfo rgb_info, ref_info, near_info;
  GstBuffer *rgb = natural_rgb (w, h, 3.0, &rgb_info);
  GstBuffer *ref = reference (rgb, &rgb_info, ow, oh,
      GST_VIDEO_RESAMPLER_METHOD_LANCZOS, &ref_info);
  GstBuffer *nearest = reference (rgb, &rgb_info, ow, oh,
      GST_VIDEO_RESAMPLER_METHOD_NEAREST, &near_info);
  GstVideoFrame a, b;
  gdouble near_db = 99.0;
  guint i, p;

  g_assert_true (gst_video_frame_map (&a, &near_info, nearest, GST_MAP_READ));
  g_assert_true (gst_video_frame_map (&b, &ref_info, ref, GST_MAP_READ));
  for (p = 0; p < 3; p++)
    near_db = MIN (near_db, plane_psnr (&a, &b, p));
  gst_video_frame_unmap (&a);
  gst_video_frame_unmap (&b);
  g_test_message ("nearest neighbour: %.1f dB", near_db);
  g_assert_cmpfloat (near_db, <, GOAL_DB);

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    GstVideoInfo info;
    GstBuffer *frame = in_format (rgb, &rgb_info, formats[i], &info);
    gdouble ours = upload_psnr (frame, &info, ow, oh, ref, &ref_info);

    g_test_message ("%s: %.1f dB", gst_video_format_to_string (formats[i]),
        ours);
    g_assert_cmpfloat (ours, >=, GOAL_DB);
    gst_buffer_unref (frame);
  }
  gst_buffer_unref (nearest);
  gst_buffer_unref (ref);
  gst_buffer_unref (rgb);
}

/* Sizes whose chroma rounds up, scaled down and up and not at all, large
 * enough for clarifairesample.c's blocks and too small for them, and a
 * frame of one pixel, on a smoother picture (periods of 40 pixels and
 * more): a wrong plane, stride or edge shows, the filter does not. */
static void
test_odd_sizes (void)
{
  static const GstVideoFormat formats[] = { GST_VIDEO_FORMAT_I420,
    GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_NV21, GST_VIDEO_FORMAT_BGRx,
    GST_VIDEO_FORMAT_BGRA, GST_VIDEO_FORMAT_RGBx, GST_VIDEO_FORMAT_RGBA,
    GST_VIDEO_FORMAT_RGB
  };
  static const guint sizes[][4] = {
    {641, 479, 321, 239}, {641, 479, 641, 479}, {97, 33, 31, 11},
    {1, 1, 1, 1}, {4097, 3, 1024, 1}, {1281, 721, 1023, 575},
    {67, 67, 129, 65},
  };
  guint i, j;

  /* One picture and one reference per size, for every format. */
  for (j = 0; j < G_N_ELEMENTS (sizes); j++) {
    GstVideoInfo rgb_info, ref_info;
    GstBuffer *rgb = natural_rgb (sizes[j][0], sizes[j][1], 40.0, &rgb_info);
    GstBuffer *ref = reference (rgb, &rgb_info, sizes[j][2], sizes[j][3],
        GST_VIDEO_RESAMPLER_METHOD_LANCZOS, &ref_info);

    for (i = 0; i < G_N_ELEMENTS (formats); i++) {
      GstVideoInfo info;
      GstBuffer *frame = in_format (rgb, &rgb_info, formats[i], &info);
      gdouble db = upload_psnr (frame, &info, sizes[j][2], sizes[j][3], ref,
          &ref_info);

      g_test_message ("%s %ux%u -> %ux%u: %.1f dB",
          gst_video_format_to_string (formats[i]), sizes[j][0], sizes[j][1],
          sizes[j][2], sizes[j][3], db);
      g_assert_cmpfloat (db, >=, GOAL_DB);
      gst_buffer_unref (frame);
    }
    gst_buffer_unref (ref);
    gst_buffer_unref (rgb);
  }
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scaler/quality", test_quality);
  g_test_add_func ("/scaler/odd-sizes", test_odd_sizes);
  return g_test_run ();
}
