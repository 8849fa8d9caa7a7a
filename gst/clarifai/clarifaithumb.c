/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Each thumbnail pixel is the mean of a grid of up to 4x4 luma samples
 * spread over its block of the frame: a box filter that reads a few
 * thousand pixels of a 1080p frame, not two million, so that it costs a
 * small fraction of a sampled frame (B11). */

#include "clarifaithumb.h"

#include <turbojpeg.h>

#define GRID 4

static void
thumb_size (ClarifaiThumb * thumb, guint width, guint height)
{
  if (width >= height) {
    thumb->width = MIN (width, CLARIFAI_THUMB_SIDE);
    thumb->height = MAX (1, (guint) ((guint64) height * thumb->width / width));
  } else {
    thumb->height = MIN (height, CLARIFAI_THUMB_SIDE);
    thumb->width = MAX (1, (guint) ((guint64) width * thumb->height / height));
  }
}

static guint
comp_value (const GstVideoFrame * frame, guint comp, guint x, guint y)
{
  const GstVideoFormatInfo *finfo = frame->info.finfo;
  guint cx = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, comp, x);
  guint cy = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, comp, y);
  const guint8 *p = (const guint8 *) GST_VIDEO_FRAME_COMP_DATA (frame, comp)
      + cy * GST_VIDEO_FRAME_COMP_STRIDE (frame, comp)
      + cx * GST_VIDEO_FRAME_COMP_PSTRIDE (frame, comp);
  guint depth = GST_VIDEO_FRAME_COMP_DEPTH (frame, comp);
  guint v;

  if (depth <= 8)
    return p[0];
  v = GST_VIDEO_FORMAT_INFO_IS_LE (finfo) ? GST_READ_UINT16_LE (p) :
      GST_READ_UINT16_BE (p);
  return (v >> GST_VIDEO_FORMAT_INFO_SHIFT (finfo, comp)) >> (depth - 8);
}

static guint
luma_yuv (const GstVideoFrame * frame, guint x, guint y)
{
  return comp_value (frame, GST_VIDEO_COMP_Y, x, y);
}

/* BT.601's weights; the colour matrix hardly matters to a difference. */
static guint
luma_rgb (const GstVideoFrame * frame, guint x, guint y)
{
  return (77 * comp_value (frame, GST_VIDEO_COMP_R, x, y) +
      150 * comp_value (frame, GST_VIDEO_COMP_G, x, y) +
      29 * comp_value (frame, GST_VIDEO_COMP_B, x, y)) >> 8;
}

/* Formats whose components are whole bytes or 16-bit words: the others
 * (v210, RGB16, ...) are not read here. */
static gboolean
readable (const GstVideoFormatInfo * finfo)
{
  guint i;

  if (GST_VIDEO_FORMAT_INFO_HAS_PALETTE (finfo)
      || GST_VIDEO_FORMAT_INFO_IS_TILED (finfo)
      || GST_VIDEO_FORMAT_INFO_N_COMPONENTS (finfo) == 0)
    return FALSE;
  for (i = 0; i < GST_VIDEO_FORMAT_INFO_N_COMPONENTS (finfo); i++) {
    guint depth = GST_VIDEO_FORMAT_INFO_DEPTH (finfo, i);
    gint pstride = GST_VIDEO_FORMAT_INFO_PSTRIDE (finfo, i);

    if ((depth != 8 && (depth <= 8 || depth > 16)) || pstride <= 0
        || (depth > 8 && pstride < 2) || GST_VIDEO_FORMAT_INFO_BITS (finfo) >
        16)
      return FALSE;
  }
  return TRUE;
}

/* Where the samples of each block are: GRID per block, spread evenly,
 * in the middle of their cells. */
static void
sample_positions (guint * pos, guint thumb_side, guint side)
{
  guint t, i;

  for (t = 0; t < thumb_side; t++) {
    guint a = (guint) ((guint64) t * side / thumb_side);
    guint b = (guint) ((guint64) (t + 1) * side / thumb_side);

    for (i = 0; i < GRID; i++)
      pos[t * GRID + i] = MIN (a + i * (b - a) / GRID + (b - a) / (2 * GRID),
          b - 1);
  }
}

/* 8-bit components read straight from memory: a component's byte at
 * (x, y) is base[y * stride + x * pstride] (Y is never subsampled; R, G
 * and B never are). */
typedef struct
{
  const guint8 *base;
  gint stride;
  gint pstride;
} Comp8;

static void
comp8 (Comp8 * c, const GstVideoFrame * frame, guint comp)
{
  c->base = GST_VIDEO_FRAME_COMP_DATA (frame, comp);
  c->stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, comp);
  c->pstride = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, comp);
}

/**
 * clarifai_thumb_from_frame:
 *
 * Returns: %FALSE for a format it cannot read (its frames count as
 * changed)
 */
gboolean
clarifai_thumb_from_frame (ClarifaiThumb * thumb, const GstVideoFrame * frame)
{
  const GstVideoFormatInfo *finfo = frame->info.finfo;
  guint w = GST_VIDEO_FRAME_WIDTH (frame), h = GST_VIDEO_FRAME_HEIGHT (frame);
  guint xs[CLARIFAI_THUMB_SIDE * GRID], ys[CLARIFAI_THUMB_SIDE * GRID];
  gboolean rgb, wide;
  Comp8 c[3];
  guint tx, ty, i, j;

  if (w == 0 || h == 0 || !readable (finfo))
    return FALSE;
  if (GST_VIDEO_FORMAT_INFO_IS_YUV (finfo)
      || GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo))
    rgb = FALSE;
  else if (GST_VIDEO_FORMAT_INFO_IS_RGB (finfo))
    rgb = TRUE;
  else
    return FALSE;
  wide = GST_VIDEO_FORMAT_INFO_DEPTH (finfo, 0) > 8;

  thumb_size (thumb, w, h);
  sample_positions (xs, thumb->width, w);
  sample_positions (ys, thumb->height, h);
  for (i = 0; i < (rgb ? 3u : 1u); i++)
    comp8 (&c[i], frame, i);

  for (ty = 0; ty < thumb->height; ty++)
    for (tx = 0; tx < thumb->width; tx++) {
      guint sum = 0;

      for (j = 0; j < GRID; j++) {
        guint y = ys[ty * GRID + j];

        for (i = 0; i < GRID; i++) {
          guint x = xs[tx * GRID + i];

          if (wide)
            sum += rgb ? luma_rgb (frame, x, y) : luma_yuv (frame, x, y);
          else if (rgb)
            sum += (77 * c[0].base[y * c[0].stride + x * c[0].pstride] +
                150 * c[1].base[y * c[1].stride + x * c[1].pstride] +
                29 * c[2].base[y * c[2].stride + x * c[2].pstride]) >> 8;
          else
            sum += c[0].base[y * c[0].stride + x * c[0].pstride];
        }
      }
      thumb->luma[ty * thumb->width + tx] = sum / (GRID * GRID);
    }
  return TRUE;
}

/**
 * clarifai_thumb_from_gray:
 *
 * From a grey image already small (a JPEG decoded at 1/8).
 */
gboolean
clarifai_thumb_from_gray (ClarifaiThumb * thumb, const guint8 * gray,
    guint w, guint h, guint stride)
{
  guint tx, ty;

  if (w == 0 || h == 0)
    return FALSE;
  thumb_size (thumb, w, h);
  for (ty = 0; ty < thumb->height; ty++) {
    guint y0 = (guint) ((guint64) ty * h / thumb->height);
    guint y1 = MAX (y0 + 1, (guint) ((guint64) (ty + 1) * h / thumb->height));

    for (tx = 0; tx < thumb->width; tx++) {
      guint x0 = (guint) ((guint64) tx * w / thumb->width);
      guint x1 = MAX (x0 + 1, (guint) ((guint64) (tx + 1) * w / thumb->width));
      guint sum = 0, x, y;

      for (y = y0; y < y1; y++)
        for (x = x0; x < x1; x++)
          sum += gray[y * stride + x];
      thumb->luma[ty * thumb->width + tx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return TRUE;
}

/**
 * clarifai_thumb_difference:
 *
 * Returns: the mean absolute difference of the two thumbnails' luma, 0
 * to 1; 1 when their sizes differ
 */
gdouble
clarifai_thumb_difference (const ClarifaiThumb * a, const ClarifaiThumb * b)
{
  guint i, n = a->width * a->height;
  guint64 sum = 0;

  if (a->width != b->width || a->height != b->height || n == 0)
    return 1.0;
  for (i = 0; i < n; i++)
    sum += ABS ((gint) a->luma[i] - (gint) b->luma[i]);
  return sum / (255.0 * n);
}

struct _ClarifaiThumbDecoder
{
  tjhandle tj;
  guint8 *gray;
  gsize size;
};

ClarifaiThumbDecoder *
clarifai_thumb_decoder_new (void)
{
  ClarifaiThumbDecoder *d = g_new0 (ClarifaiThumbDecoder, 1);

  d->tj = tjInitDecompress ();
  if (d->tj == NULL) {
    g_free (d);
    return NULL;
  }
  return d;
}

void
clarifai_thumb_decoder_free (ClarifaiThumbDecoder * d)
{
  if (d == NULL)
    return;
  tjDestroy (d->tj);
  g_free (d->gray);
  g_free (d);
}

/* A decompressor that failed is replaced: libjpeg-turbo 2.1 would fail
 * every later frame with the same error. */
static gboolean
decoder_failed (ClarifaiThumbDecoder * d)
{
  tjhandle fresh = tjInitDecompress ();

  if (fresh) {
    tjDestroy (d->tj);
    d->tj = fresh;
  }
  return FALSE;
}

/**
 * clarifai_thumb_from_jpeg:
 *
 * Returns: %FALSE for data that does not decode (counts as changed)
 */
gboolean
clarifai_thumb_from_jpeg (ClarifaiThumb * thumb, ClarifaiThumbDecoder * d,
    const guint8 * data, gsize size)
{
  tjscalingfactor eighth = { 1, 8 };
  /* libjpeg-turbo 2.1 answers a tables-only stream with success and the
   * dimensions unset */
  int w = 0, h = 0, subsamp, colorspace, sw, sh;

  if (size == 0 || size > G_MAXULONG)
    return FALSE;
  if (tjDecompressHeader3 (d->tj, data, size, &w, &h, &subsamp,
          &colorspace) != 0)
    return decoder_failed (d);
  if (w <= 0 || h <= 0)
    return FALSE;
  sw = TJSCALED (w, eighth);
  sh = TJSCALED (h, eighth);
  if (d->size < (gsize) sw * sh) {
    g_free (d->gray);
    d->size = (gsize) sw *sh;
    d->gray = g_malloc (d->size);
  }
  if (tjDecompress2 (d->tj, data, size, d->gray, sw, sw, sh, TJPF_GRAY, 0))
    return decoder_failed (d);
  return clarifai_thumb_from_gray (thumb, d->gray, sw, sh, sw);
}
