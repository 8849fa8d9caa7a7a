/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Packed 32-bit RGB to JPEG's I420 (full-range BT.601, each chroma sample
 * the mean of its 2x2 block), for the upload copy at its small size.  The
 * loops are plain C with the byte offsets of each layout constant, which
 * the compiler vectorises (-O3 here), built for AVX2 and the baseline. */

#include "clarifairgb.h"
#include "clarifaivector.h"

/* Q8 coefficients of ITU-R BT.601 as JFIF uses them; each row sums to 256
 * or 0, so white and grey come out exact. */
#define Y_R 77
#define Y_G 150
#define Y_B 29
#define CB_R -43
#define CB_G -85
#define CB_B 128
#define CR_R 128
#define CR_G -107
#define CR_B -21

/* The component in byte @k of a pixel read as a 32-bit word. */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define COMPONENT(px, k) (((px) >> (8 * (k))) & 0xff)
#else
#define COMPONENT(px, k) (((px) >> (8 * (3 - (k)))) & 0xff)
#endif

static inline guint8
limit (gint v)
{
  return (guint8) CLAMP (v, 0, 255);
}

/* Rows @a and @b (the same row at the bottom of an odd frame) of @w
 * pixels, with red, green and blue at byte @R, @G and @B of each: their
 * luma into @ya and @yb, the chroma of their 2x2 blocks into @u and @v.
 * Pixels are read as 32-bit words, which vectorises where bytes 4 apart
 * do not. */
G_ALWAYS_INLINE static inline void
row_pair (const guint32 * restrict a, const guint32 * restrict b, guint w,
    guint8 * restrict ya, guint8 * restrict yb, guint8 * restrict u,
    guint8 * restrict v, const guint R, const guint G, const guint B)
{
  guint x;

  for (x = 0; x < w; x++) {
    ya[x] = (Y_R * COMPONENT (a[x], R) + Y_G * COMPONENT (a[x], G) +
        Y_B * COMPONENT (a[x], B) + 128) >> 8;
    yb[x] = (Y_R * COMPONENT (b[x], R) + Y_G * COMPONENT (b[x], G) +
        Y_B * COMPONENT (b[x], B) + 128) >> 8;
  }
  for (x = 0; x < (w + 1) / 2; x++) {
    /* An odd width: the last pixel is its block's two columns. */
    guint x1 = MIN (2 * x + 1, w - 1);
    guint32 p = a[2 * x], q = b[2 * x], p1 = a[x1], q1 = b[x1];
    gint r = COMPONENT (p, R) + COMPONENT (p1, R) + COMPONENT (q, R) +
        COMPONENT (q1, R);
    gint g = COMPONENT (p, G) + COMPONENT (p1, G) + COMPONENT (q, G) +
        COMPONENT (q1, G);
    gint bl = COMPONENT (p, B) + COMPONENT (p1, B) + COMPONENT (q, B) +
        COMPONENT (q1, B);

    u[x] = limit (((CB_R * r + CB_G * g + CB_B * bl + 512) >> 10) + 128);
    v[x] = limit (((CR_R * r + CR_G * g + CR_B * bl + 512) >> 10) + 128);
  }
}

G_ALWAYS_INLINE static inline void
convert (const GstVideoFrame * in, GstVideoFrame * out, const guint R,
    const guint G, const guint B)
{
  guint w = GST_VIDEO_FRAME_WIDTH (in), h = GST_VIDEO_FRAME_HEIGHT (in), y;
  const guint8 *src = GST_VIDEO_FRAME_PLANE_DATA (in, 0);
  gint ss = GST_VIDEO_FRAME_PLANE_STRIDE (in, 0);
  guint8 *yp = GST_VIDEO_FRAME_COMP_DATA (out, 0);
  guint8 *up = GST_VIDEO_FRAME_COMP_DATA (out, 1);
  guint8 *vp = GST_VIDEO_FRAME_COMP_DATA (out, 2);
  gint ys = GST_VIDEO_FRAME_COMP_STRIDE (out, 0);
  gint us = GST_VIDEO_FRAME_COMP_STRIDE (out, 1);
  gint vs = GST_VIDEO_FRAME_COMP_STRIDE (out, 2);

  for (y = 0; y < h; y += 2) {
    /* An odd height: the last row is its blocks' two rows. */
    guint y1 = MIN (y + 1, h - 1);

    row_pair ((const guint32 *) (src + (gsize) y * ss),
        (const guint32 *) (src + (gsize) y1 * ss), w,
        yp + (gsize) y * ys, yp + (gsize) y1 * ys, up + (gsize) (y / 2) * us,
        vp + (gsize) (y / 2) * vs, R, G, B);
  }
}

/**
 * clarifai_rgb_supported:
 *
 * Returns: whether clarifai_rgb_to_i420() converts @format
 */
gboolean
clarifai_rgb_supported (GstVideoFormat format)
{
  switch (format) {
    case GST_VIDEO_FORMAT_BGRx:
    case GST_VIDEO_FORMAT_BGRA:
    case GST_VIDEO_FORMAT_RGBx:
    case GST_VIDEO_FORMAT_RGBA:
    case GST_VIDEO_FORMAT_xRGB:
    case GST_VIDEO_FORMAT_ARGB:
    case GST_VIDEO_FORMAT_xBGR:
    case GST_VIDEO_FORMAT_ABGR:
      return TRUE;
    default:
      return FALSE;
  }
}

/**
 * clarifai_rgb_to_i420:
 * @in: a frame of a format clarifai_rgb_supported() accepts (alpha is
 *   ignored, as a JPEG has none)
 * @out: an I420 frame of the same size
 */
CLARIFAI_TARGET_CLONES __attribute__((optimize ("O3")))
     void clarifai_rgb_to_i420 (const GstVideoFrame * in, GstVideoFrame * out)
{
  switch (GST_VIDEO_FRAME_FORMAT (in)) {
    case GST_VIDEO_FORMAT_BGRx:
    case GST_VIDEO_FORMAT_BGRA:
      convert (in, out, 2, 1, 0);
      break;
    case GST_VIDEO_FORMAT_RGBx:
    case GST_VIDEO_FORMAT_RGBA:
      convert (in, out, 0, 1, 2);
      break;
    case GST_VIDEO_FORMAT_xRGB:
    case GST_VIDEO_FORMAT_ARGB:
      convert (in, out, 1, 2, 3);
      break;
    case GST_VIDEO_FORMAT_xBGR:
    case GST_VIDEO_FORMAT_ABGR:
      convert (in, out, 3, 2, 1);
      break;
    default:
      g_return_if_reached ();
  }
}
