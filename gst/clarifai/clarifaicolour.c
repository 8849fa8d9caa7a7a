/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The upload copy's colours: its I420 YCbCr, in whatever matrix and range
 * the input had, made JPEG's (full-range BT.601) in place, on the small
 * image, 32 bytes at a time in 16-bit lanes of the compiler's generic
 * vectors (the even bytes and the odd ones apart, so that nothing is
 * widened or narrowed with shuffles). */

#include "clarifaicolour.h"
#include "clarifaivector.h"

#include <math.h>
#include <string.h>

#define Q 7                     /* the coefficients' fraction bits */
#define N 16                    /* 16-bit lanes in a vector */
/* Added to each luma sum (in units of the result), so that it is never
 * negative: the largest share of chroma, 128 × (0.11 + 0.22) × 255 / 224
 * for BT.709 input, is 48. */
#define LUMA_BIAS 64

static void
ycbcr_from_rgb (gdouble kr, gdouble kb, const gdouble rgb[3], gdouble out[3])
{
  gdouble y = kr * rgb[0] + (1 - kr - kb) * rgb[1] + kb * rgb[2];

  out[0] = y;
  out[1] = (rgb[2] - y) / (2 * (1 - kb));
  out[2] = (rgb[0] - y) / (2 * (1 - kr));
}

static void
rgb_from_ycbcr (gdouble kr, gdouble kb, const gdouble ycc[3], gdouble out[3])
{
  gdouble r = ycc[0] + 2 * (1 - kr) * ycc[2];
  gdouble b = ycc[0] + 2 * (1 - kb) * ycc[1];

  out[0] = r;
  out[1] = (ycc[0] - kr * r - kb * b) / (1 - kr - kb);
  out[2] = b;
}

static gint16
fixed (gdouble v)
{
  return (gint16) lround (v * (1 << Q));
}

/**
 * clarifai_colour_init:
 *
 * Sets @colour up for frames @width wide in YCbCr of @in; colour->active
 * is %FALSE when @in is JPEG's already.  clarifai_colour_clear() frees
 * what it holds.
 */
void
clarifai_colour_init (ClarifaiColour * colour, const GstVideoColorimetry * in,
    guint width)
{
  gdouble kr, kb, kr601, kb601, a[3][3], ky, kc, y0;
  gboolean limited = in->range != GST_VIDEO_COLOR_RANGE_0_255;
  gint i, j;

  memset (colour, 0, sizeof (*colour));
  gst_video_color_matrix_get_Kr_Kb (GST_VIDEO_COLOR_MATRIX_BT601, &kr601,
      &kb601);
  if (!gst_video_color_matrix_get_Kr_Kb (in->matrix, &kr, &kb)) {
    kr = kr601;
    kb = kb601;
  }
  colour->active = limited || kr != kr601 || kb != kb601;
  if (!colour->active)
    return;
  /* Whole vectors of shares, for the last luma pixels too. */
  colour->shares = g_new0 (guint16, (width + 1) / 2 + 2 * N);

  /* The columns of A = M601 · M_in⁻¹, on normalised YCbCr. */
  for (j = 0; j < 3; j++) {
    gdouble unit[3] = { j == 0, j == 1, j == 2 }, rgb[3], out[3];

    rgb_from_ycbcr (kr, kb, unit, rgb);
    ycbcr_from_rgb (kr601, kb601, rgb, out);
    for (i = 0; i < 3; i++)
      a[i][j] = out[i];
  }
  /* Normalised: y = (Y - y0) / ky, c = (C - 128) / kc. */
  ky = limited ? 219 : 255;
  kc = limited ? 224 : 255;
  y0 = limited ? 16 : 0;
  colour->y = fixed (255 * a[0][0] / ky);
  colour->y_cb = fixed (255 * a[0][1] / kc);
  colour->y_cr = fixed (255 * a[0][2] / kc);
  colour->y_0 = fixed (LUMA_BIAS + 0.5 - 255 * a[0][0] * y0 / ky);
  colour->cb_cb = fixed (255 * a[1][1] / kc);
  colour->cb_cr = fixed (255 * a[1][2] / kc);
  colour->cr_cb = fixed (255 * a[2][1] / kc);
  colour->cr_cr = fixed (255 * a[2][2] / kc);
  /* What the 16-bit lanes hold: luma sums from 0 to 65535, chroma ones
   * within ±32767.  True of every matrix GStreamer knows. */
  g_assert (colour->y_0 - 128 * (ABS (colour->y_cb) + ABS (colour->y_cr))
      >= 0);
  g_assert (255 * colour->y + colour->y_0 + 128 * (ABS (colour->y_cb) +
          ABS (colour->y_cr)) <= G_MAXUINT16);
  g_assert (128 * MAX (ABS (colour->cb_cb) + ABS (colour->cb_cr),
          ABS (colour->cr_cb) + ABS (colour->cr_cr)) + (1 << (Q - 1))
      <= G_MAXINT16);
}

void
clarifai_colour_clear (ClarifaiColour * colour)
{
  g_clear_pointer (&colour->shares, g_free);
}

typedef gint16 Shorts __attribute__((vector_size (2 * N)));
typedef guint8 Lane __attribute__((vector_size (2 * N)));
/* The same 32 bytes as 16 pairs: the even bytes are the low halves. */
typedef guint16 Pairs __attribute__((vector_size (2 * N)));

/* Macros, not functions: a function taking or returning a 32-byte vector
 * has an ABI of its own where AVX is not enabled. */
#define LOAD(v, p) memcpy (&(v), (p), sizeof (v))
#define STORE(p, v) memcpy ((p), &(v), sizeof (v))
/* Signed 16-bit lanes limited to 0 .. 255 with shifts and masks (SSE2
 * has no comparison it would use): negatives to 0, and past 255 all ones,
 * masked to 255. */
#define LIMIT(v) ({ \
      Shorts v_ = (v); \
      v_ &= ~(v_ >> 15); \
      (v_ | ((255 - v_) >> 15)) & 0xff; \
    })
/* A chroma sum in Q7 around 0, as a byte around 128. */
#define CHROMA(v) LIMIT ((((v) + (1 << (Q - 1))) >> Q) + 128)

/* One chroma row of @n samples (a multiple of 2 N), the even samples and
 * the odd ones apart, as in luma_row(): its two planes converted, and its
 * share of luma (biased, as in luma_row()) into @shares, in order. */
G_ALWAYS_INLINE static inline void
chroma_row (const ClarifaiColour * c, guint8 * u, guint8 * v, guint n,
    guint16 * shares)
{
  const Shorts y_cb = CLARIFAI_SPLAT (Shorts, c->y_cb);
  const Shorts y_cr = CLARIFAI_SPLAT (Shorts, c->y_cr);
  const Shorts y_0 = CLARIFAI_SPLAT (Shorts, c->y_0);
  const Shorts cb_cb = CLARIFAI_SPLAT (Shorts, c->cb_cb);
  const Shorts cb_cr = CLARIFAI_SPLAT (Shorts, c->cb_cr);
  const Shorts cr_cb = CLARIFAI_SPLAT (Shorts, c->cr_cb);
  const Shorts cr_cr = CLARIFAI_SPLAT (Shorts, c->cr_cr);
  guint x;

  for (x = 0; x < n; x += 2 * N) {
    Pairs pu, pv;
    Shorts cb[2], cr[2], share[2], ordered, out[2];
    Lane bytes;
    guint i;

    LOAD (pu, u + x);
    LOAD (pv, v + x);
    cb[0] = (Shorts) (pu & 0xff) - 128;
    cb[1] = (Shorts) (pu >> 8) - 128;
    cr[0] = (Shorts) (pv & 0xff) - 128;
    cr[1] = (Shorts) (pv >> 8) - 128;
    for (i = 0; i < 2; i++)
      share[i] = cb[i] * y_cb + cr[i] * y_cr + y_0;
    /* Back in order: sample 2k's share, then 2k + 1's. */
    ordered = __builtin_shufflevector (share[0], share[1], 0, 16, 1, 17, 2,
        18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    STORE (shares + x, ordered);
    ordered = __builtin_shufflevector (share[0], share[1], 8, 24, 9, 25, 10,
        26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    STORE (shares + x + N, ordered);
    for (i = 0; i < 2; i++)
      out[i] = CHROMA (cb[i] * cb_cb + cr[i] * cb_cr);
    bytes = (Lane) (out[0] | out[1] << 8);
    STORE (u + x, bytes);
    for (i = 0; i < 2; i++)
      out[i] = CHROMA (cb[i] * cr_cb + cr[i] * cr_cr);
    bytes = (Lane) (out[0] | out[1] << 8);
    STORE (v + x, bytes);
  }
}

/* One luma row of @n pixels (a multiple of 2 N), each pair with its
 * chroma sample's share: the even pixels and the odd ones apart, each in
 * the 16-bit lane of their share.  The shares carry a bias that keeps the
 * sums positive: unsigned 16-bit lanes hold them. */
G_ALWAYS_INLINE static inline void
luma_row (const ClarifaiColour * c, guint8 * row, guint n,
    const guint16 * shares)
{
  const Pairs y = CLARIFAI_SPLAT (Pairs, (guint16) c->y);
  guint x;

  for (x = 0; x < n; x += 2 * N) {
    Pairs p, share;
    Shorts even, odd;
    Lane out;

    LOAD (p, row + x);
    LOAD (share, shares + x / 2);
    /* Shifted unsigned, then small enough for signed lanes. */
    even = (Shorts) (((p & 0xff) * y + share) >> Q);
    odd = (Shorts) (((p >> 8) * y + share) >> Q);
    even = LIMIT (even - LUMA_BIAS);
    odd = LIMIT (odd - LUMA_BIAS);
    out = (Lane) (even | odd << 8);
    STORE (row + x, out);
  }
}

/**
 * clarifai_colour_run:
 *
 * Converts the I420 @frame (of the width given to clarifai_colour_init())
 * in place; each 2x2 block of luma takes its chroma sample's share.
 */
CLARIFAI_TARGET_CLONES void
clarifai_colour_run (const ClarifaiColour * c, GstVideoFrame * f)
{
  guint w = GST_VIDEO_FRAME_WIDTH (f), h = GST_VIDEO_FRAME_HEIGHT (f);
  guint cw = (w + 1) / 2, ch = (h + 1) / 2, y, r;
  /* Whole steps; the rest goes through a padded copy. */
  guint cn = cw / (2 * N) * (2 * N), n = w / (2 * N) * (2 * N);
  gint ys = GST_VIDEO_FRAME_COMP_STRIDE (f, 0);
  gint us = GST_VIDEO_FRAME_COMP_STRIDE (f, 1);
  gint vs = GST_VIDEO_FRAME_COMP_STRIDE (f, 2);
  guint8 *yp = GST_VIDEO_FRAME_COMP_DATA (f, 0);
  guint8 *up = GST_VIDEO_FRAME_COMP_DATA (f, 1);
  guint8 *vp = GST_VIDEO_FRAME_COMP_DATA (f, 2);
  guint8 tail_u[2 * N] = { 0 }, tail_v[2 * N] = { 0 }, tail_y[2 * N] = { 0 };

  for (y = 0; y < ch; y++) {
    guint8 *u = up + (gsize) y * us, *v = vp + (gsize) y *vs;

    chroma_row (c, u, v, cn, c->shares);
    if (cn < cw) {
      memcpy (tail_u, u + cn, cw - cn);
      memcpy (tail_v, v + cn, cw - cn);
      chroma_row (c, tail_u, tail_v, 2 * N, c->shares + cn);
      memcpy (u + cn, tail_u, cw - cn);
      memcpy (v + cn, tail_v, cw - cn);
    }
    for (r = 2 * y; r < MIN (2 * y + 2, h); r++) {
      guint8 *row = yp + (gsize) r * ys;

      luma_row (c, row, n, c->shares);
      if (n < w) {
        memcpy (tail_y, row + n, w - n);
        luma_row (c, tail_y, 2 * N, c->shares + n / 2);
        memcpy (row + n, tail_y, w - n);
      }
    }
  }
}
