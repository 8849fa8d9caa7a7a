/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Upload size arithmetic, scaling from several formats, and the JPEG
 * encoder: what comes out decodes to the expected size and colour. */

#include <gst/gst.h>
#include <turbojpeg.h>

#include "clarifaiencoder.h"
#include "testutil.h"

typedef struct
{
  guint w, h, max_side, min_side, want_w, want_h;
} SizeCase;

static void
test_target_size (void)
{
  static const SizeCase cases[] = {
    {1920, 1080, 1024, 0, 1024, 576},
    {1080, 1920, 1024, 0, 576, 1024},
    {100, 50, 1024, 0, 100, 50},
    {100, 50, 1024, 224, 448, 224},
    {100, 50, 300, 224, 300, 150},
    {1, 1, 1024, 0, 1, 1},
    {1920, 1080, 0, 0, 1920, 1080},
    {4097, 3, 1024, 0, 1024, 1},
    {641, 481, 320, 0, 320, 240},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    ClarifaiSizeLimits limits = { cases[i].max_side, cases[i].min_side, 0 };
    guint w, h;

    clarifai_target_size (cases[i].w, cases[i].h, &limits, &w, &h);
    g_assert_cmpuint (w, ==, cases[i].want_w);
    g_assert_cmpuint (h, ==, cases[i].want_h);
  }
}

/* Decodes @jpeg and checks its size and the colour of its centre pixel. */
static void
assert_jpeg (GBytes * jpeg, guint w, guint h, guint8 r, guint8 g, guint8 b)
{
  tjhandle tj = tjInitDecompress ();
  gsize size;
  const guchar *data = g_bytes_get_data (jpeg, &size);
  int jw, jh, subsamp, cs;
  guint8 *rgb;
  guint8 *px;

  g_assert_cmpint (tjDecompressHeader3 (tj, data, size, &jw, &jh, &subsamp,
          &cs), ==, 0);
  g_assert_cmpint (jw, ==, w);
  g_assert_cmpint (jh, ==, h);
  rgb = g_malloc ((gsize) jw * jh * 3);
  g_assert_cmpint (tjDecompress2 (tj, data, size, rgb, jw, jw * 3, jh,
          TJPF_RGB, 0), ==, 0);
  px = rgb + 3 * ((jh / 2) * jw + jw / 2);
  g_assert_cmpint (ABS (px[0] - r), <=, 12);
  g_assert_cmpint (ABS (px[1] - g), <=, 12);
  g_assert_cmpint (ABS (px[2] - b), <=, 12);
  g_free (rgb);
  tjDestroy (tj);
}

static GBytes *
scale_and_encode (GstVideoFormat format, guint w, guint h, guint tw,
    guint th, guint8 r, guint8 g, guint8 b)
{
  GstVideoInfo info;
  GstBuffer *buf = test_frame (format, w, h, (r << 16) | (g << 8) | b, w, 0,
      &info);
  ClarifaiScaler *scaler = clarifai_scaler_new (&info, tw, th);
  ClarifaiEncoder *enc = clarifai_encoder_new ();
  g_autoptr (GError) err = NULL;
  GstVideoFrame frame;
  ClarifaiImage *image;
  GBytes *jpeg;

  g_assert_nonnull (scaler);
  g_assert_true (clarifai_scaler_matches (scaler, &info, tw, th));
  g_assert_false (clarifai_scaler_matches (scaler, &info, tw + 1, th));
  g_assert_true (gst_video_frame_map (&frame, &info, buf, GST_MAP_READ));
  image = clarifai_scaler_process (scaler, &frame);
  gst_video_frame_unmap (&frame);
  gst_buffer_unref (buf);
  g_assert_nonnull (image);
  g_assert_cmpint (GST_VIDEO_INFO_WIDTH (&image->info), ==, tw);
  g_assert_cmpint (GST_VIDEO_INFO_HEIGHT (&image->info), ==, th);

  jpeg = clarifai_encoder_encode (enc, image, 90, &err);
  g_assert_no_error (err);
  clarifai_image_free (image);
  clarifai_scaler_free (scaler);
  clarifai_encoder_free (enc);
  return jpeg;
}

/* Each format is scaled and encoded to a JPEG of the requested size and
 * the frame's colour (full-range: pure red stays pure red). */
static void
test_formats (void)
{
  static const GstVideoFormat formats[] = {
    GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_RGB,
    GST_VIDEO_FORMAT_BGRx, GST_VIDEO_FORMAT_YUY2, GST_VIDEO_FORMAT_RGBA,
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    g_autoptr (GBytes) jpeg = scale_and_encode (formats[i], 640, 480, 320,
        240, 255, 0, 0);

    assert_jpeg (jpeg, 320, 240, 255, 0, 0);
  }
}

/* HD frames are BT.709 and limited range: their colours survive the
 * conversion to JPEG's full-range BT.601. */
static void
test_hd_colours (void)
{
  static const guint32 colours[] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffffff,
    0x808080, 0xffa500
  };
  static const GstVideoFormat formats[] = { GST_VIDEO_FORMAT_I420,
    GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_BGRx
  };
  guint i, f;

  for (f = 0; f < G_N_ELEMENTS (formats); f++)
    for (i = 0; i < G_N_ELEMENTS (colours); i++) {
      guint32 c = colours[i];
      g_autoptr (GBytes) jpeg = scale_and_encode (formats[f], 1280, 720, 640,
          360, c >> 16, (c >> 8) & 0xff, c & 0xff);

      assert_jpeg (jpeg, 640, 360, c >> 16, (c >> 8) & 0xff, c & 0xff);
    }
}

static void
test_gray (void)
{
  g_autoptr (GBytes) jpeg = scale_and_encode (GST_VIDEO_FORMAT_GRAY8, 64, 48,
      64, 48, 200, 0, 0);
  guint8 y = 0.299 * 200 + 0.5;

  assert_jpeg (jpeg, 64, 48, y, y, y);
}

/* Odd sizes, including ones whose chroma planes round up. */
static void
test_odd_sizes (void)
{
  g_autoptr (GBytes) a = scale_and_encode (GST_VIDEO_FORMAT_I420, 33, 17, 33,
      17, 0, 0, 255);
  g_autoptr (GBytes) b = scale_and_encode (GST_VIDEO_FORMAT_NV12, 1, 1, 1,
      1, 0, 255, 0);
  g_autoptr (GBytes) c = scale_and_encode (GST_VIDEO_FORMAT_I420, 4097, 3,
      1024, 1, 255, 255, 255);

  assert_jpeg (a, 33, 17, 0, 0, 255);
  assert_jpeg (b, 1, 1, 0, 255, 0);
  assert_jpeg (c, 1024, 1, 255, 255, 255);
}

/* The colour of @jpeg at (@fx, 1/2) of its width and height. */
static guint32
jpeg_colour_at (GBytes * jpeg, gdouble fx)
{
  tjhandle tj = tjInitDecompress ();
  gsize size;
  const guchar *data = g_bytes_get_data (jpeg, &size);
  int w, h, subsamp, cs;
  guint8 *rgb, *px;
  guint32 c;

  g_assert_cmpint (tjDecompressHeader3 (tj, data, size, &w, &h, &subsamp,
          &cs), ==, 0);
  rgb = g_malloc ((gsize) w * h * 3);
  g_assert_cmpint (tjDecompress2 (tj, data, size, rgb, w, w * 3, h,
          TJPF_RGB, 0), ==, 0);
  px = rgb + 3 * ((h / 2) * w + (guint) (fx * w));
  c = (px[0] << 16) | (px[1] << 8) | px[2];
  g_free (rgb);
  tjDestroy (tj);
  return c;
}

static gboolean
near_colour (guint32 a, guint32 b)
{
  return ABS ((gint) (a >> 16) - (gint) (b >> 16)) <= 12
      && ABS ((gint) ((a >> 8) & 0xff) - (gint) ((b >> 8) & 0xff)) <= 12
      && ABS ((gint) (a & 0xff) - (gint) (b & 0xff)) <= 12;
}

/* Over-limit JPEGs are decoded at a reduced size (libjpeg-turbo's M/8
 * factors): as they are when that size fits and keeps 3/4 of the target,
 * else at the smallest that covers it, scaled the rest of the way.  4:2:0
 * goes through YUV planes, 4:4:4 and 4:2:2 through RGB; the picture stays
 * where it was. */
static void
test_fit_jpeg_reduced (void)
{
  static const struct
  {
    guint w, h, max_side, want_w, want_h;
    int subsamp;
  } cases[] = {
    {1920, 1080, 1024, 960, 540, TJSAMP_420},   /* 1/2, nothing after */
    {1920, 1080, 1024, 960, 540, TJSAMP_444},
    {1920, 1080, 1024, 960, 540, TJSAMP_422},
    {4000, 3000, 1024, 1000, 750, TJSAMP_420},  /* 1/4 */
    {1100, 1100, 1024, 963, 963, TJSAMP_420},   /* 7/8 */
    {2001, 1001, 1024, 1001, 501, TJSAMP_420},  /* odd: 1/2 rounds up */
    {5000, 2500, 1000, 1000, 500, TJSAMP_420},  /* 1/4 = 1250, scaled on */
    {5000, 2500, 1000, 1000, 500, TJSAMP_444},
  };
  ClarifaiEncoder *enc = clarifai_encoder_new ();
  guint i, round;

  /* twice: the second time with the buffer and scaler of the first */
  for (round = 0; round < 2; round++)
    for (i = 0; i < G_N_ELEMENTS (cases); i++) {
      /* red left of the middle, blue right of it */
      g_autoptr (GBytes) jpeg = test_split_jpeg (cases[i].w, cases[i].h,
          0xff0000, cases[i].w / 2, 0x0000ff, cases[i].subsamp);
      ClarifaiSizeLimits limits = { cases[i].max_side, 0, 0 };
      g_autoptr (GError) err = NULL;
      g_autoptr (GBytes) fitted = clarifai_encoder_fit_jpeg (enc, jpeg,
          &limits, 90, &err);
      guint w, h;

      g_assert_no_error (err);
      g_assert_true (clarifai_encoder_read_header (enc, fitted, &w, &h, NULL));
      g_assert_cmpuint (w, ==, cases[i].want_w);
      g_assert_cmpuint (h, ==, cases[i].want_h);
      g_assert_true (near_colour (jpeg_colour_at (fitted, 0.25), 0xff0000));
      g_assert_true (near_colour (jpeg_colour_at (fitted, 0.75), 0x0000ff));
    }
  clarifai_encoder_free (enc);
}

/* JPEG input within the limits is sent as it is: the very same bytes. */
static void
test_fit_jpeg (void)
{
  g_autoptr (GBytes) jpeg = scale_and_encode (GST_VIDEO_FORMAT_RGB, 64, 48,
      64, 48, 0, 255, 0);
  ClarifaiEncoder *enc = clarifai_encoder_new ();
  ClarifaiSizeLimits roomy = { 1024, 0, 0 };
  ClarifaiSizeLimits small = { 32, 0, 0 };
  ClarifaiSizeLimits few_bytes = { 1024, 0, 16 };
  g_autoptr (GBytes) same = NULL, smaller = NULL, recoded = NULL;
  guint w, h;

  same = clarifai_encoder_fit_jpeg (enc, jpeg, &roomy, 90, NULL);
  g_assert_true (same == jpeg);
  smaller = clarifai_encoder_fit_jpeg (enc, jpeg, &small, 90, NULL);
  g_assert_nonnull (smaller);
  assert_jpeg (smaller, 32, 24, 0, 255, 0);
  recoded = clarifai_encoder_fit_jpeg (enc, jpeg, &few_bytes, 50, NULL);
  g_assert_true (recoded != jpeg);
  g_assert_true (clarifai_encoder_read_header (enc, recoded, &w, &h, NULL));
  g_assert_cmpuint (w, ==, 64);
  g_assert_cmpuint (h, ==, 48);
  clarifai_encoder_free (enc);
}

/* Data that is not a JPEG fails with CORRUPT. */
static void
test_corrupt (void)
{
  ClarifaiEncoder *enc = clarifai_encoder_new ();
  ClarifaiSizeLimits limits = { 1024, 0, 0 };
  g_autoptr (GBytes) junk = g_bytes_new_static ("\xff\xd8 not a jpeg", 14);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GError) err = NULL, err2 = NULL;

  g_assert_null (clarifai_encoder_fit_jpeg (enc, junk, &limits, 90, &err));
  g_assert_error (err, CLARIFAI_ENCODER_ERROR, CLARIFAI_ENCODER_ERROR_CORRUPT);
  g_assert_null (clarifai_encoder_fit_jpeg (enc, empty, &limits, 90, &err2));
  g_assert_error (err2, CLARIFAI_ENCODER_ERROR, CLARIFAI_ENCODER_ERROR_CORRUPT);
  clarifai_encoder_free (enc);
}

/* A copy made before the service's limits were known is rescaled. */
static void
test_fit_image (void)
{
  GstVideoInfo info;
  GstBuffer *buf = test_frame (GST_VIDEO_FORMAT_I420, 200, 100, 0, 200, 0,
      &info);
  ClarifaiImage image = { info, buf };
  ClarifaiSizeLimits roomy = { 1024, 0, 0 };
  ClarifaiSizeLimits small = { 50, 0, 0 };
  g_autoptr (ClarifaiImage) fitted = NULL;

  g_assert_null (clarifai_encoder_fit_image (&image, &roomy));
  fitted = clarifai_encoder_fit_image (&image, &small);
  g_assert_nonnull (fitted);
  g_assert_cmpint (GST_VIDEO_INFO_WIDTH (&fitted->info), ==, 50);
  g_assert_cmpint (GST_VIDEO_INFO_HEIGHT (&fitted->info), ==, 25);
  gst_buffer_unref (buf);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/encoder/target-size", test_target_size);
  g_test_add_func ("/encoder/formats", test_formats);
  g_test_add_func ("/encoder/gray", test_gray);
  g_test_add_func ("/encoder/hd-colours", test_hd_colours);
  g_test_add_func ("/encoder/odd-sizes", test_odd_sizes);
  g_test_add_func ("/encoder/fit-jpeg", test_fit_jpeg);
  g_test_add_func ("/encoder/fit-jpeg-reduced", test_fit_jpeg_reduced);
  g_test_add_func ("/encoder/corrupt", test_corrupt);
  g_test_add_func ("/encoder/fit-image", test_fit_image);
  return g_test_run ();
}
