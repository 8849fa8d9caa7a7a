/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The vector resampler against the same filter computed in floating point,
 * pixel by pixel: sizes that are and are not multiples of its blocks, up
 * and down, one to four interleaved components, and the split into two
 * planes. */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "clarifairesample.h"

/* The filter of clarifairesample.c, in doubles: the weight of input @i
 * for output @j (the part of it the output covers when shrinking, a tent
 * one pixel wide when enlarging), edges clamped; @lo and @hi bound each
 * output's inputs. */
static void
reference_weights (guint in, guint out, gdouble * w, guint * lo, guint * hi)
{
  gdouble ratio = (gdouble) in / out;
  guint j;
  gint i;

  for (j = 0; j < out; j++) {
    gdouble centre = (j + 0.5) * ratio - 0.5, sum = 0;
    gdouble *row = w + (gsize) j * in;

    for (i = (gint) floor (centre) - (gint) ratio - 2;
        i <= (gint) ceil (centre) + (gint) ratio + 2; i++) {
      gdouble d;

      if (ratio > 1)
        d = MIN (i + 0.5, centre + ratio / 2) - MAX (i - 0.5,
            centre - ratio / 2);
      else
        d = 1 - fabs (i - centre);
      if (d > 0) {
        row[CLAMP (i, 0, (gint) in - 1)] += d;
        sum += d;
      }
    }
    lo[j] = in;
    hi[j] = 0;
    for (i = 0; i < (gint) in; i++) {
      row[i] /= sum;
      if (row[i] != 0) {
        lo[j] = MIN (lo[j], (guint) i);
        hi[j] = i + 1;
      }
    }
  }
}

static guint8 *
reference (const guint8 * src, guint w, guint h, guint ow, guint oh, guint ch)
{
  gdouble *wh = g_new0 (gdouble, (gsize) ow * w);
  gdouble *wv = g_new0 (gdouble, (gsize) oh * h);
  gdouble *mid = g_new0 (gdouble, (gsize) oh * w * ch);
  guint8 *out = g_new (guint8, (gsize) oh * ow * ch);
  guint *lo = g_new (guint, MAX (ow, oh)), *hi = g_new (guint, MAX (ow, oh));
  guint x, y, i, c;

  reference_weights (h, oh, wv, lo, hi);
  for (y = 0; y < oh; y++)
    for (i = lo[y]; i < hi[y]; i++)
      for (x = 0; x < w * ch; x++)
        mid[(gsize) y * w * ch + x] += wv[y * h + i] * src[i * w * ch + x];
  reference_weights (w, ow, wh, lo, hi);
  for (y = 0; y < oh; y++)
    for (x = 0; x < ow; x++)
      for (c = 0; c < ch; c++) {
        gdouble v = 0;

        for (i = lo[x]; i < hi[x]; i++)
          v += wh[x * w + i] * mid[(gsize) y * w * ch + i * ch + c];
        out[((gsize) y * ow + x) * ch + c] = (guint8) CLAMP (lround (v), 0,
            255);
      }
  g_free (wh);
  g_free (wv);
  g_free (mid);
  g_free (lo);
  g_free (hi);
  return out;
}

/* Noise on a slope: every byte differs, so a wrong offset shows. */
static guint8 *
picture (guint w, guint h, guint ch, guint32 seed)
{
  guint8 *p = g_new (guint8, (gsize) w * h * ch);
  gsize i;

  for (i = 0; i < (gsize) w * h * ch; i++) {
    seed = seed * 1103515245 + 12345;
    p[i] = (guint8) ((i % (w * ch)) * 97 / (w * ch) + (i / (w * ch)) * 61 / h
        + ((seed >> 16) % 96));
  }
  return p;
}

static void
check_size (guint w, guint h, guint ow, guint oh, guint ch)
{
  ClarifaiResampler *r = clarifai_resampler_new (w, h, ow, oh, ch);
  guint8 *src = picture (w, h, ch, w * 31 + h);
  guint8 *ref = reference (src, w, h, ow, oh, ch);
  /* Strides wider than the rows, so that rows are not read as one. */
  gint sstride = w * ch + 7, dstride = ow * ch + 9;
  guint8 *s = g_malloc0 ((gsize) sstride * h);
  guint8 *d = g_malloc0 ((gsize) dstride * oh);
  guint x, y, worst = 0;
  gdouble total = 0;

  g_assert_nonnull (r);
  for (y = 0; y < h; y++)
    memcpy (s + (gsize) y * sstride, src + (gsize) y * w * ch, w * ch);
  clarifai_resampler_run (r, s, sstride, d, dstride);
  for (y = 0; y < oh; y++)
    for (x = 0; x < ow * ch; x++) {
      guint diff = ABS (d[(gsize) y * dstride + x] - ref[(gsize) y * ow * ch +
              x]);

      worst = MAX (worst, diff);
      total += diff;
    }
  g_test_message ("%ux%u -> %ux%u, %u components: worst %u, mean %.3f", w, h,
      ow, oh, ch, worst, total / (ow * ch * oh));
  /* 8-bit weights and a rounding between the passes; past 2:1 more
   * weights are rounded. */
  g_assert_cmpuint (worst, <=, w > 2 * ow || h > 2 * oh ? 2 : 1);
  g_assert_cmpfloat (total / (ow * ch * oh), <, 0.25);

  if (ch == 2) {
    /* Split: the same bytes, in two planes. */
    guint8 *a = g_malloc0 ((gsize) ow * oh), *b = g_malloc0 ((gsize) ow * oh);

    clarifai_resampler_run_split (r, s, sstride, a, ow, b, ow);
    for (y = 0; y < oh; y++)
      for (x = 0; x < ow; x++) {
        g_assert_cmpuint (a[y * ow + x], ==, d[(gsize) y * dstride + 2 * x]);
        g_assert_cmpuint (b[y * ow + x], ==, d[(gsize) y * dstride + 2 * x +
                1]);
      }
    g_free (a);
    g_free (b);
  }
  g_free (s);
  g_free (d);
  g_free (ref);
  g_free (src);
  clarifai_resampler_free (r);
}

static void
test_sizes (void)
{
  static const guint sizes[][4] = {
    {1920, 1080, 1024, 576}, {641, 479, 321, 239}, {960, 540, 512, 288},
    {100, 77, 33, 32}, {40, 40, 97, 61}, {333, 65, 333, 65},
    {4096, 40, 600, 33},
  };
  guint i, ch;

  for (ch = 1; ch <= 4; ch++)
    for (i = 0; i < G_N_ELEMENTS (sizes); i++)
      check_size (sizes[i][0], sizes[i][1], sizes[i][2], sizes[i][3], ch);
}

/* Sizes below one block and large scales are the converter's (clarifai_scaler_new falls
 * back). */
static void
test_too_small (void)
{
  g_assert_null (clarifai_resampler_new (1920, 1080, 1024, 31, 1));
  g_assert_null (clarifai_resampler_new (31, 1080, 16, 576, 1));
  g_assert_null (clarifai_resampler_new (1920, 1080, 15, 576, 1));
  g_assert_null (clarifai_resampler_new (1920, 0, 1024, 576, 1));
  /* and so are scales past 8 to 1 */
  g_assert_null (clarifai_resampler_new (4096, 40, 511, 33, 1));
  g_assert_null (clarifai_resampler_new (1024, 600, 1024, 74, 1));
  /* The smallest there is: 32 bytes in, 16 out, 32 rows out. */
  check_size (16, 1, 8, 32, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/resample/sizes", test_sizes);
  g_test_add_func ("/resample/too-small", test_too_small);
  return g_test_run ();
}
