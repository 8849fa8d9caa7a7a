/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The upload copy's colour conversions against the same conversions in
 * doubles: YCbCr through RGB, for every Cb and Cr with many Y, in the
 * matrices and ranges cameras send, at widths that are and are not whole
 * steps; and 32-bit RGB in each byte order, at odd sizes. */

#include <gst/video/video.h>
#include <math.h>
#include <string.h>

#include "clarifaicolour.h"
#include "clarifairgb.h"

/* What JPEG's Y'CbCr of the pixel (@y, @cb, @cr) in @c is, in doubles. */
static void
expected (const GstVideoColorimetry * c, guint8 y, guint8 cb, guint8 cr,
    gdouble out[3])
{
  gboolean limited = c->range != GST_VIDEO_COLOR_RANGE_0_255;
  gdouble kr, kb, kr601, kb601, yn, pb, pr, r, g, b;

  g_assert_true (gst_video_color_matrix_get_Kr_Kb (c->matrix, &kr, &kb));
  gst_video_color_matrix_get_Kr_Kb (GST_VIDEO_COLOR_MATRIX_BT601, &kr601,
      &kb601);
  yn = limited ? (y - 16) / 219.0 : y / 255.0;
  pb = (cb - 128) / (limited ? 224.0 : 255.0);
  pr = (cr - 128) / (limited ? 224.0 : 255.0);
  r = yn + 2 * (1 - kr) * pr;
  b = yn + 2 * (1 - kb) * pb;
  g = (yn - kr * r - kb * b) / (1 - kr - kb);
  yn = kr601 * r + (1 - kr601 - kb601) * g + kb601 * b;
  out[0] = 255 * yn;
  out[1] = 128 + 255 * (b - yn) / (2 * (1 - kb601));
  out[2] = 128 + 255 * (r - yn) / (2 * (1 - kr601));
}

static void
check (GstVideoColorMatrix matrix, GstVideoColorRange range, guint w)
{
  const guint h = 2 * 256;      /* each chroma row one Cb, each column one Cr */
  GstVideoInfo info;
  GstVideoFrame f;
  GstBuffer *buf;
  ClarifaiColour colour;
  gdouble worst[3] = { 0, 0, 0 };
  guint x, y, i;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, w, h);
  info.colorimetry.matrix = matrix;
  info.colorimetry.range = range;
  buf = gst_buffer_new_allocate (NULL, info.size, NULL);
  g_assert_true (gst_video_frame_map (&f, &info, buf, GST_MAP_READWRITE));
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&f, 0))[y *
          GST_VIDEO_FRAME_COMP_STRIDE (&f, 0) + x] = (x * 7 + y * 3) & 0xff;
  for (y = 0; y < h / 2; y++)
    for (x = 0; x < (w + 1) / 2; x++) {
      ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&f, 1))[y *
          GST_VIDEO_FRAME_COMP_STRIDE (&f, 1) + x] = y;
      ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&f, 2))[y *
          GST_VIDEO_FRAME_COMP_STRIDE (&f, 2) + x] = (x * 37) & 0xff;
    }

  clarifai_colour_init (&colour, &info.colorimetry, w);
  g_assert_true (colour.active);
  clarifai_colour_run (&colour, &f);
  clarifai_colour_clear (&colour);

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      guint8 yi = (x * 7 + y * 3) & 0xff, cb = y / 2, cr = (x / 2 * 37) & 0xff;
      gdouble want[3];
      guint8 got[3];

      expected (&info.colorimetry, yi, cb, cr, want);
      got[0] = ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&f, 0))[y *
          GST_VIDEO_FRAME_COMP_STRIDE (&f, 0) + x];
      got[1] = ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&f, 1))[y / 2 *
          GST_VIDEO_FRAME_COMP_STRIDE (&f, 1) + x / 2];
      got[2] = ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&f, 2))[y / 2 *
          GST_VIDEO_FRAME_COMP_STRIDE (&f, 2) + x / 2];
      for (i = 0; i < 3; i++)
        worst[i] = MAX (worst[i], fabs (got[i] - CLAMP (want[i], 0, 255)));
    }
  g_test_message ("matrix %d range %d width %u: worst %.2f %.2f %.2f",
      matrix, range, w, worst[0], worst[1], worst[2]);
  for (i = 0; i < 3; i++)
    g_assert_cmpfloat (worst[i], <, 1.5);
  gst_video_frame_unmap (&f);
  gst_buffer_unref (buf);
}

static void
test_matrices (void)
{
  static const GstVideoColorMatrix matrices[] = { GST_VIDEO_COLOR_MATRIX_BT709,
    GST_VIDEO_COLOR_MATRIX_BT601, GST_VIDEO_COLOR_MATRIX_BT2020,
    GST_VIDEO_COLOR_MATRIX_SMPTE240M, GST_VIDEO_COLOR_MATRIX_FCC
  };
  static const guint widths[] = { 512, 97, 33, 2, 1 };
  guint m, w;

  for (m = 0; m < G_N_ELEMENTS (matrices); m++)
    for (w = 0; w < G_N_ELEMENTS (widths); w++) {
      check (matrices[m], GST_VIDEO_COLOR_RANGE_16_235, widths[w]);
      if (matrices[m] != GST_VIDEO_COLOR_MATRIX_BT601)
        check (matrices[m], GST_VIDEO_COLOR_RANGE_0_255, widths[w]);
    }
}

/* JPEG's own colours need no pass. */
static void
test_inactive (void)
{
  GstVideoColorimetry c = { GST_VIDEO_COLOR_RANGE_0_255,
    GST_VIDEO_COLOR_MATRIX_BT601, GST_VIDEO_TRANSFER_SRGB,
    GST_VIDEO_COLOR_PRIMARIES_BT709
  };
  ClarifaiColour colour;

  clarifai_colour_init (&colour, &c, 640);
  g_assert_false (colour.active);
  clarifai_colour_clear (&colour);
}

/* JPEG's YCbCr of RGB, in doubles (JFIF's BT.601 equations). */
static void
jfif (gdouble r, gdouble g, gdouble b, gdouble out[3])
{
  out[0] = 0.299 * r + 0.587 * g + 0.114 * b;
  out[1] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
  out[2] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
}

static guint8
component (guint x, guint y, guint c)
{
  return (x * (13 + 7 * c) + y * (29 + 5 * c) + 60 * c) & 0xff;
}

/* Every 32-bit RGB layout, at an odd size: luma per pixel, chroma as the
 * mean of each 2x2 block's RGB (the edge pixels doubled). */
static void
test_rgb (void)
{
  static const GstVideoFormat formats[] = { GST_VIDEO_FORMAT_BGRx,
    GST_VIDEO_FORMAT_BGRA, GST_VIDEO_FORMAT_RGBx, GST_VIDEO_FORMAT_RGBA,
    GST_VIDEO_FORMAT_xRGB, GST_VIDEO_FORMAT_ARGB, GST_VIDEO_FORMAT_xBGR,
    GST_VIDEO_FORMAT_ABGR
  };
  const guint w = 99, h = 37;
  guint i;

  g_assert_false (clarifai_rgb_supported (GST_VIDEO_FORMAT_RGB));
  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    GstVideoInfo in_info, out_info;
    GstBuffer *in = NULL, *out;
    GstVideoFrame fi, fo;
    gdouble worst[3] = { 0, 0, 0 };
    guint x, y, c, k;

    g_assert_true (clarifai_rgb_supported (formats[i]));
    gst_video_info_set_format (&in_info, formats[i], w, h);
    gst_video_info_set_format (&out_info, GST_VIDEO_FORMAT_I420, w, h);
    in = gst_buffer_new_allocate (NULL, in_info.size, NULL);
    out = gst_buffer_new_allocate (NULL, out_info.size, NULL);
    g_assert_true (gst_video_frame_map (&fi, &in_info, in, GST_MAP_WRITE));
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        guint8 *p = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fi, 0) +
            y * GST_VIDEO_FRAME_PLANE_STRIDE (&fi, 0) + 4 * x;

        /* The alpha or padding byte is noise: it must not count. */
        memset (p, x * y + 77, 4);
        for (c = 0; c < 3; c++)
          p[GST_VIDEO_FORMAT_INFO_POFFSET (fi.info.finfo, c)] =
              component (x, y, c);
      }
    g_assert_true (gst_video_frame_map (&fo, &out_info, out, GST_MAP_WRITE));
    clarifai_rgb_to_i420 (&fi, &fo);

    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        gdouble want[3];
        guint8 got = ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&fo, 0))[y *
            GST_VIDEO_FRAME_COMP_STRIDE (&fo, 0) + x];

        jfif (component (x, y, 0), component (x, y, 1), component (x, y, 2),
            want);
        worst[0] = MAX (worst[0], fabs (got - want[0]));
      }
    for (y = 0; y < (h + 1) / 2; y++)
      for (x = 0; x < (w + 1) / 2; x++) {
        gdouble rgb[3] = { 0, 0, 0 }, want[3];

        for (k = 0; k < 4; k++)
          for (c = 0; c < 3; c++)
            rgb[c] += component (MIN (2 * x + k % 2, w - 1),
                MIN (2 * y + k / 2, h - 1), c) / 4.0;
        jfif (rgb[0], rgb[1], rgb[2], want);
        for (c = 1; c < 3; c++)
          worst[c] = MAX (worst[c], fabs (((guint8 *)
                      GST_VIDEO_FRAME_COMP_DATA (&fo, c))[y *
                      GST_VIDEO_FRAME_COMP_STRIDE (&fo, c) + x] -
                  CLAMP (want[c], 0, 255)));
      }
    g_test_message ("%s: worst %.2f %.2f %.2f",
        gst_video_format_to_string (formats[i]), worst[0], worst[1], worst[2]);
    for (c = 0; c < 3; c++)
      g_assert_cmpfloat (worst[c], <, 1.0);
    gst_video_frame_unmap (&fo);
    gst_video_frame_unmap (&fi);
    gst_buffer_unref (out);
    gst_buffer_unref (in);
  }
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/colour/matrices", test_matrices);
  g_test_add_func ("/colour/inactive", test_inactive);
  g_test_add_func ("/colour/rgb", test_rgb);
  return g_test_run ();
}
