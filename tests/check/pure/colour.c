/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The upload copy's colour conversion against the same conversion in
 * doubles, through RGB, for every Cb and Cr with many Y, in the matrices
 * and ranges cameras send, at widths that are and are not whole steps. */

#include <gst/video/video.h>
#include <math.h>

#include "clarifaicolour.h"

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

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/colour/matrices", test_matrices);
  g_test_add_func ("/colour/inactive", test_inactive);
  return g_test_run ();
}
