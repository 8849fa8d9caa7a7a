/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Thumbnails for change-driven sampling: sizes, the same picture in every
 * readable format, JPEG, and the difference's scale. */

#include <gst/gst.h>
#include <gst/video/video.h>

#include "clarifaithumb.h"
#include "testutil.h"

static gboolean
thumb_of (GstVideoFormat format, guint w, guint h, guint32 rgb, guint split,
    guint32 rgb2, ClarifaiThumb * thumb)
{
  GstVideoInfo info;
  GstBuffer *buf = test_frame (format, w, h, rgb, split, rgb2, &info);
  GstVideoFrame frame;
  gboolean ok;

  g_assert_true (gst_video_frame_map (&frame, &info, buf, GST_MAP_READ));
  ok = clarifai_thumb_from_frame (thumb, &frame);
  gst_video_frame_unmap (&frame);
  gst_buffer_unref (buf);
  return ok;
}

static void
test_sizes (void)
{
  static const guint sizes[][4] = {
    {1920, 1080, 64, 36}, {1080, 1920, 36, 64}, {64, 48, 64, 48},
    {33, 17, 33, 17}, {1, 1, 1, 1}, {4097, 3, 64, 1},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    ClarifaiThumb t;

    g_assert_true (thumb_of (GST_VIDEO_FORMAT_I420, sizes[i][0], sizes[i][1],
            0x808080, sizes[i][0], 0, &t));
    g_assert_cmpuint (t.width, ==, sizes[i][2]);
    g_assert_cmpuint (t.height, ==, sizes[i][3]);
  }
}

/* A picture half black, half white: the same thumbnail, near enough, in
 * every format, 8-bit or 16-bit, planar or packed, YUV or RGB. */
static void
test_formats (void)
{
  static const GstVideoFormat formats[] = { GST_VIDEO_FORMAT_I420,
    GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_YUY2, GST_VIDEO_FORMAT_UYVY,
    GST_VIDEO_FORMAT_AYUV, GST_VIDEO_FORMAT_BGRx, GST_VIDEO_FORMAT_RGBA,
    GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_GRAY8, GST_VIDEO_FORMAT_I420_10LE,
    GST_VIDEO_FORMAT_P010_10LE, GST_VIDEO_FORMAT_GRAY16_BE,
  };
  ClarifaiThumb ref;
  guint i;

  g_assert_true (thumb_of (GST_VIDEO_FORMAT_I420, 640, 480, 0, 320,
          0xffffff, &ref));
  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    ClarifaiThumb t;
    gdouble d;

    g_assert_true (thumb_of (formats[i], 640, 480, 0, 320, 0xffffff, &t));
    d = clarifai_thumb_difference (&t, &ref);
    g_test_message ("%s: %.4f", gst_video_format_to_string (formats[i]), d);
    /* limited range (YUV) and full range (RGB) differ by 16 and 20 levels
     * at black and white; the element never compares across formats */
    g_assert_cmpfloat (d, <, 0.08);
    /* left black, right white */
    g_assert_cmpuint (t.luma[t.width / 4], <, 40);
    g_assert_cmpuint (t.luma[3 * t.width / 4], >, 215);
  }
}

/* Formats it cannot read say so, and count as changed. */
static void
test_unreadable (void)
{
  ClarifaiThumb t;

  g_assert_false (thumb_of (GST_VIDEO_FORMAT_v210, 64, 48, 0, 64, 0, &t));
  g_assert_false (thumb_of (GST_VIDEO_FORMAT_RGB16, 64, 48, 0, 64, 0, &t));
}

static void
test_difference (void)
{
  ClarifaiThumb black, white, grey, small;

  thumb_of (GST_VIDEO_FORMAT_RGBA, 64, 48, 0, 64, 0, &black);
  thumb_of (GST_VIDEO_FORMAT_RGBA, 64, 48, 0xffffff, 64, 0, &white);
  thumb_of (GST_VIDEO_FORMAT_RGBA, 64, 48, 0x808080, 64, 0, &grey);
  thumb_of (GST_VIDEO_FORMAT_RGBA, 32, 48, 0, 32, 0, &small);
  g_assert_cmpfloat (clarifai_thumb_difference (&black, &black), ==, 0.0);
  g_assert_cmpfloat (clarifai_thumb_difference (&black, &white), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (clarifai_thumb_difference (&black, &grey),
      128 / 255.0, 0.01);
  g_assert_cmpfloat (clarifai_thumb_difference (&black, &small), ==, 1.0);
}

/* A JPEG's thumbnail, from its 1/8 decode, matches the raw frame's. */
static void
test_from_jpeg (void)
{
  ClarifaiThumbDecoder *d = clarifai_thumb_decoder_new ();
  g_autoptr (GBytes) jpeg = test_jpeg (1920, 1080, 0x3070a0);
  ClarifaiThumb from_jpeg, raw;
  gsize size;
  const guint8 *data = g_bytes_get_data (jpeg, &size);

  g_assert_true (clarifai_thumb_from_jpeg (&from_jpeg, d, data, size));
  g_assert_true (thumb_of (GST_VIDEO_FORMAT_RGB, 1920, 1080, 0x3070a0, 1920,
          0, &raw));
  g_assert_cmpuint (from_jpeg.width, ==, 64);
  g_assert_cmpuint (from_jpeg.height, ==, 36);
  g_assert_cmpfloat (clarifai_thumb_difference (&from_jpeg, &raw), <, 0.02);
  g_assert_false (clarifai_thumb_from_jpeg (&from_jpeg, d, data, 10));
  clarifai_thumb_decoder_free (d);
}

/* A JPEG whose header does not parse fails alone: the decoder reads the
 * next, valid one (libjpeg-turbo 2.1 keeps a failed handle's error). */
static void
test_jpeg_after_corrupt (void)
{
  ClarifaiThumbDecoder *d = clarifai_thumb_decoder_new ();
  g_autoptr (GBytes) jpeg = test_jpeg (64, 48, 0x3070a0);
  ClarifaiThumb thumb;
  gsize size, i;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  g_autofree guint8 *bad = g_memdup2 (data, size);

  /* SOF0's height: 0 */
  for (i = 2; i + 6 < size; i++)
    if (bad[i] == 0xff && bad[i + 1] == 0xc0)
      break;
  g_assert_cmpuint (i + 6, <, size);
  bad[i + 5] = bad[i + 6] = 0;
  g_assert_false (clarifai_thumb_from_jpeg (&thumb, d, bad, size));
  g_assert_true (clarifai_thumb_from_jpeg (&thumb, d, data, size));
  /* the 1/8 decode of 64 x 48 */
  g_assert_cmpuint (thumb.width, ==, 8);
  clarifai_thumb_decoder_free (d);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/thumb/sizes", test_sizes);
  g_test_add_func ("/thumb/formats", test_formats);
  g_test_add_func ("/thumb/unreadable", test_unreadable);
  g_test_add_func ("/thumb/difference", test_difference);
  g_test_add_func ("/thumb/jpeg", test_from_jpeg);
  g_test_add_func ("/thumb/jpeg-after-corrupt", test_jpeg_after_corrupt);
  return g_test_run ();
}
