/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Resampling of 8-bit planes (one or more interleaved components) for the
 * upload copy, in 8-bit fixed point, 32 bytes at a time through the
 * compiler's generic vectors (SSE2, AVX2 or NEON, whatever the target
 * has).  Shrinking, each output pixel is the mean of the input area it
 * covers, parts of pixels included (an area filter: 40.4 dB against
 * Lanczos on tests/check/pure/scaler.c's picture, where a tent as wide as
 * the scale gave 37.8 and GstVideoConverter's linear method 36.3);
 * enlarging, it is bilinear.
 *
 * Rows are filtered first, 32 output rows at a time, which is plain
 * vector work along a row.  Each 16x16 tile of that is transposed into a
 * column buffer, so that filtering along the row is plain vector work too
 * (32 rows per column), and transposed back on the way out. */

#include "clarifairesample.h"
#include "clarifaivector.h"

#include <math.h>
#include <string.h>

/* Past this, 8-bit weights get too coarse: GstVideoConverter does it. */
#define MAX_RATIO 8
#define TILE 16                 /* the side of a transposed tile */
#define LANE 32                 /* the bytes of one vector operation */

typedef guint8 Lane __attribute__((vector_size (LANE)));
/* The same 32 bytes as 16 pairs: the even bytes are the low halves. */
typedef guint16 Pairs __attribute__((vector_size (LANE)));

/* Per output position: where its taps start and their weights (summing
 * to 256, so that 255 × 256 fits 16 bits), each in every lane of a vector:
 * building them at each use costs SSE2 a trip through memory. */
typedef struct
{
  guint taps;
  gint32 *first;
  Pairs *weights;
} Filter;

struct _ClarifaiResampler
{
  guint in_bytes, in_height, out_bytes, out_height, channels;
  Filter rows;                  /* per output row: input rows */
  Filter cols;                  /* per output byte: input bytes, channels apart */
  guint8 *rows_out;             /* LANE rows of in_bytes, filtered */
  Lane *columns;                /* in_bytes columns of LANE rows */
};

static void
filter_init (Filter * f, guint in, guint out, guint channels)
{
  gdouble ratio = (gdouble) in / out;
  /* How far from a position an input pixel's centre may be and still
   * count: half the covered area and half a pixel, or a pixel. */
  gdouble radius = ratio > 1 ? ratio / 2 + 0.5 : 1.0;
  /* The taps: the pixels within @radius of a position, at most this many. */
  guint full = (guint) ceil (2 * radius);
  guint taps = MIN (full, in);
  gdouble *w = g_new (gdouble, taps);
  guint j, k, c;

  f->taps = taps;
  f->first = g_new (gint32, (gsize) out * channels);
  f->weights = g_aligned_alloc ((gsize) out * channels * taps, sizeof (Pairs),
      sizeof (Pairs));
  for (j = 0; j < out; j++) {
    gdouble centre = (j + 0.5) * ratio - 0.5, sum = 0;
    gint start = (gint) floor (centre - radius) + 1;
    gint first = CLAMP (start, 0, (gint) (in - taps));
    guint16 iw[2 * MAX_RATIO];
    guint isum = 0, big = 0;

    g_assert (taps <= G_N_ELEMENTS (iw));
    memset (w, 0, taps * sizeof (gdouble));
    /* Taps past an edge count for the edge pixel. */
    for (k = 0; k < full; k++) {
      gint i = start + (gint) k;
      /* The part of pixel i the output covers, or the tent's height. */
      gdouble d = ratio > 1 ? MIN (i + 0.5, centre + ratio / 2) - MAX (i - 0.5,
          centre - ratio / 2) : 1 - fabs (i - centre);

      if (d <= 0)
        continue;
      w[CLAMP (i, 0, (gint) in - 1) - first] += d;
      sum += d;
    }
    for (k = 0; k < taps; k++) {
      iw[k] = (guint16) lround (256 * w[k] / sum);
      isum += iw[k];
      if (iw[k] > iw[big])
        big = k;
    }
    iw[big] += 256 - (gint) isum;
    for (c = 0; c < channels; c++) {
      f->first[j * channels + c] = first * (gint) channels + (gint) c;
      for (k = 0; k < taps; k++)
        f->weights[((gsize) j * channels + c) * taps + k] =
            CLARIFAI_SPLAT (Pairs, iw[k]);
    }
  }
  g_free (w);
}

static void
filter_clear (Filter * f)
{
  g_free (f->first);
  g_aligned_free (f->weights);
}

/**
 * clarifai_resampler_new:
 * @channels: interleaved components per pixel
 *
 * Returns: (transfer full) (nullable): a resampler between these sizes,
 * or %NULL when a side is too small for its blocks or the scale is more
 * than MAX_RATIO to one (the caller uses GstVideoConverter then)
 */
ClarifaiResampler *
clarifai_resampler_new (guint in_width, guint in_height, guint out_width,
    guint out_height, guint channels)
{
  ClarifaiResampler *r;

  if (channels == 0 || in_width * channels < LANE || in_height == 0
      || out_width * channels < TILE || out_height < LANE
      || in_width > MAX_RATIO * out_width || in_height > MAX_RATIO * out_height)
    return NULL;
  r = g_new0 (ClarifaiResampler, 1);
  r->in_bytes = in_width * channels;
  r->in_height = in_height;
  r->out_bytes = out_width * channels;
  r->out_height = out_height;
  r->channels = channels;
  filter_init (&r->rows, in_height, out_height, 1);
  filter_init (&r->cols, in_width, out_width, channels);
  r->rows_out = g_malloc ((gsize) LANE * r->in_bytes);
  r->columns = g_aligned_alloc (r->in_bytes, sizeof (Lane), sizeof (Lane));
  return r;
}

void
clarifai_resampler_free (ClarifaiResampler * r)
{
  if (r == NULL)
    return;
  filter_clear (&r->rows);
  filter_clear (&r->cols);
  g_free (r->rows_out);
  g_aligned_free (r->columns);
  g_free (r);
}

/* Weighted sums of 32 bytes in 16-bit lanes, the even bytes and the odd
 * ones apart (no widening shuffles); macros, as a function taking a
 * 32-byte vector has an ABI of its own where AVX is not enabled. */
#define SUM_FIRST(even, odd, v, w) G_STMT_START { \
  Pairs v_ = (v); \
  even = (v_ & 0xff) * (w); \
  odd = (v_ >> 8) * (w); \
} G_STMT_END
#define SUM_ADD(even, odd, v, w) G_STMT_START { \
  Pairs v_ = (v); \
  even += (v_ & 0xff) * (w); \
  odd += (v_ >> 8) * (w); \
} G_STMT_END
/* The sums over 256, rounded, back to bytes. */
#define SUM_BYTES(even, odd) \
  ((Lane) ((((even) + 128) >> 8) | (((odd) + 128) & 0xff00)))

#define LOAD(v, p) memcpy (&(v), (p), sizeof (v))


/* Transposes two 16x16 tiles at once, one in each half of the vectors.
 * Four rounds of interleaving row i with row i + 8 (within each half, as
 * AVX2's unpack instructions do) move bit 3 of the row number to bit 0 of
 * the column number each time: after four, rows are columns. */
G_ALWAYS_INLINE static inline void
transpose (Lane m[TILE])
{
  Lane t[TILE];
  guint round, i;

#pragma GCC unroll 4
  for (round = 0; round < 4; round++) {
#pragma GCC unroll 8
    for (i = 0; i < TILE / 2; i++) {
      t[2 * i] = __builtin_shufflevector (m[i], m[i + 8],
          0, 32, 1, 33, 2, 34, 3, 35, 4, 36, 5, 37, 6, 38, 7, 39,
          16, 48, 17, 49, 18, 50, 19, 51, 20, 52, 21, 53, 22, 54, 23, 55);
      t[2 * i + 1] = __builtin_shufflevector (m[i], m[i + 8],
          8, 40, 9, 41, 10, 42, 11, 43, 12, 44, 13, 45, 14, 46, 15, 47,
          24, 56, 25, 57, 26, 58, 27, 59, 28, 60, 29, 61, 30, 62, 31, 63);
    }
    memcpy (m, t, sizeof t);
  }
}

/* The start of the block after @at: blocks of @size, the last one moved
 * back to end at @end (it recomputes a few outputs, with the same
 * values). */
G_ALWAYS_INLINE static inline guint
block_start (guint at, guint size, guint end)
{
  return at + size > end ? end - size : at;
}

/* Output rows @y0 .. @y0 + LANE - 1, filtered along the columns, into
 * r->columns, transposed: column x holds their byte x.  Each output row is
 * made whole first, from whole input rows, which the prefetcher follows. */
G_ALWAYS_INLINE static inline void
filter_rows (ClarifaiResampler * r, const guint8 * src, gint stride, guint y0)
{
  const guint taps = r->rows.taps, n = r->in_bytes;
  Lane tile[TILE];
  guint x0, x, i, k, tr;

  for (i = 0; i < LANE; i++) {
    const guint8 *row = src + (gsize) r->rows.first[y0 + i] * stride;
    const Pairs *w = r->rows.weights + (gsize) (y0 + i) * taps;
    guint8 *out_row = r->rows_out + (gsize) i * n;

    for (x = 0; x < n; x += LANE) {
      const guint8 *p = row + block_start (x, LANE, n);
      Pairs v, even, odd;
      Lane out;

      LOAD (v, p);
      SUM_FIRST (even, odd, v, w[0]);
      for (k = 1; k < taps; k++) {
        LOAD (v, p + (gsize) k * stride);
        SUM_ADD (even, odd, v, w[k]);
      }
      out = SUM_BYTES (even, odd);
      memcpy (out_row + block_start (x, LANE, n), &out, LANE);
    }
  }
  /* Tiles in pairs: columns x0 .. x0 + 15 and the next 16 side by side. */
  for (x = 0; x < n; x += LANE) {
    x0 = block_start (x, LANE, n);
    for (tr = 0; tr < LANE / TILE; tr++) {
      for (i = 0; i < TILE; i++)
        memcpy (&tile[i], r->rows_out + (gsize) (tr * TILE + i) * n + x0, LANE);
      transpose (tile);
      for (i = 0; i < TILE; i++) {
        memcpy ((guint8 *) (r->columns + x0 + i) + tr * TILE, &tile[i], TILE);
        memcpy ((guint8 *) (r->columns + x0 + TILE + i) + tr * TILE,
            (guint8 *) & tile[i] + TILE, TILE);
      }
    }
  }
}

/* Output bytes @j0 .. @j0 + TILE - 1 of the LANE rows in r->columns,
 * filtered along the rows; @rows gets them as rows: row i in its first
 * half, row i + 16 in its second. */
G_ALWAYS_INLINE static inline void
filter_columns (ClarifaiResampler * r, guint j0, Lane rows[TILE])
{
  const guint taps = r->cols.taps, step = r->channels;
  guint i, k;

  for (i = 0; i < TILE; i++) {
    const Lane *c = r->columns + r->cols.first[j0 + i];
    const Pairs *w = r->cols.weights + (gsize) (j0 + i) * taps;
    Pairs even, odd;

    SUM_FIRST (even, odd, (Pairs) c[0], w[0]);
    for (k = 1; k < taps; k++)
      SUM_ADD (even, odd, (Pairs) c[k * step], w[k]);
    rows[i] = SUM_BYTES (even, odd);
  }
  transpose (rows);
}

/* Stores a block of output: rows @y0 .. @y0 + LANE - 1, bytes @j0 ..
 * @j0 + TILE - 1, as filter_columns() left them in @rows: into @dst0, or,
 * with @dst1, the first component of each pair into @dst0 and the second
 * into @dst1. */
G_ALWAYS_INLINE static inline void
store_block (const Lane rows[TILE], guint y0, guint j0, guint8 * dst0,
    gint stride0, guint8 * dst1, gint stride1)
{
  guint i, half;

  for (i = 0; i < TILE; i++) {
    /* Each half's first components, then its second ones. */
    Lane s = dst1 ? __builtin_shufflevector (rows[i], rows[i],
        0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15,
        16, 18, 20, 22, 24, 26, 28, 30, 17, 19, 21, 23, 25, 27, 29, 31)
        : rows[i];
    const guint8 *b = (const guint8 *) &s;

    for (half = 0; half < 2; half++) {
      gsize row = y0 + half * TILE + i;

      if (dst1) {
        memcpy (dst0 + row * stride0 + j0 / 2, b + half * TILE, TILE / 2);
        memcpy (dst1 + row * stride1 + j0 / 2, b + half * TILE + TILE / 2,
            TILE / 2);
      } else {
        memcpy (dst0 + row * stride0 + j0, b + half * TILE, TILE);
      }
    }
  }
}

G_ALWAYS_INLINE static inline void
run (ClarifaiResampler * r, const guint8 * src, gint src_stride,
    guint8 * dst0, gint stride0, guint8 * dst1, gint stride1)
{
  Lane rows[TILE];
  guint y, y0, j, j0;

  for (y = 0; y < r->out_height; y += LANE) {
    y0 = block_start (y, LANE, r->out_height);
    filter_rows (r, src, src_stride, y0);
    for (j = 0; j < r->out_bytes; j += TILE) {
      /* (even, as out_bytes is, when splitting) */
      j0 = block_start (j, TILE, r->out_bytes);
      filter_columns (r, j0, rows);
      store_block (rows, y0, j0, dst0, stride0, dst1, stride1);
    }
  }
}

/**
 * clarifai_resampler_run:
 *
 * Resamples the plane at @src into the plane at @dst.
 */
CLARIFAI_TARGET_CLONES void
clarifai_resampler_run (ClarifaiResampler * r, const guint8 * src,
    gint src_stride, guint8 * dst, gint dst_stride)
{
  run (r, src, src_stride, dst, dst_stride, NULL, 0);
}

/**
 * clarifai_resampler_run_split:
 *
 * Resamples a plane of two interleaved components (NV12's chroma) into
 * two planes, the first component into @dst0.
 */
CLARIFAI_TARGET_CLONES void
clarifai_resampler_run_split (ClarifaiResampler * r, const guint8 * src,
    gint src_stride, guint8 * dst0, gint dst0_stride, guint8 * dst1,
    gint dst1_stride)
{
  g_return_if_fail (r->channels == 2);
  run (r, src, src_stride, dst0, dst0_stride, dst1, dst1_stride);
}
