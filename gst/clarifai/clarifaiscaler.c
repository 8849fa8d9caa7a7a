/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* From a sampled frame to its upload copy, cheaply.  The frame is first
 * scaled in its own format and colours (no colour work at full size):
 * 8-bit planar and semi-planar YUV and packed RGB by clarifairesample.c,
 * other formats by GstVideoConverter.  It is then repacked to I420 at the
 * upload size where it is not I420 already, and last a lookup-table pass
 * turns its YCbCr into JPEG's (full range, BT.601) on the small image.
 * Copies come from a buffer pool, so a steady stream allocates nothing
 * here. */

#include "clarifaiscaler.h"
#include "clarifairesample.h"

#include <math.h>
#include <string.h>

static guint
scale_side (guint side, guint64 num, guint64 den)
{
  guint64 v = (side * num + den / 2) / den;

  return v ? (guint) v : 1;
}

/**
 * clarifai_target_size:
 *
 * Computes the size a frame is uploaded at: shrunk, aspect kept, so that its
 * longest side fits @limits->max_side; otherwise enlarged so that its
 * shortest side reaches @limits->min_side (as the official clients did),
 * never past max_side.
 */
void
clarifai_target_size (guint width, guint height,
    const ClarifaiSizeLimits * limits, guint * out_width, guint * out_height)
{
  guint longest = MAX (width, height);
  guint shortest = MIN (width, height);
  guint64 num = 1, den = 1;

  if (limits->max_side && longest > limits->max_side) {
    num = limits->max_side;
    den = longest;
  } else if (limits->min_side && shortest && shortest < limits->min_side) {
    num = limits->min_side;
    den = shortest;
    if (limits->max_side && longest * num > limits->max_side * den) {
      num = limits->max_side;
      den = longest;
    }
  }
  *out_width = scale_side (width, num, den);
  *out_height = scale_side (height, num, den);
}

void
clarifai_image_free (ClarifaiImage * image)
{
  if (image == NULL)
    return;
  gst_buffer_unref (image->buffer);
  g_free (image);
}

/* Y' = y[Y] + y_cb[Cb] + y_cr[Cr]; Cb' = 128 + cb_cb[Cb] + cb_cr[Cr];
 * Cr' = 128 + cr_cb[Cb] + cr_cr[Cr]: any YCbCr matrix and range to
 * full-range BT.601.  (A change of matrix leaves grey grey, so Cb' and Cr'
 * do not depend on Y.) */
typedef struct
{
  gboolean active;
  gint16 y[256], y_cb[256], y_cr[256];
  gint16 cb_cb[256], cb_cr[256], cr_cb[256], cr_cr[256];
} ColourPass;

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
lut_value (gdouble v)
{
  return (gint16) lround (v);
}

static void
colour_pass_init (ColourPass * pass, const GstVideoColorimetry * in)
{
  gdouble kr, kb, kr601, kb601, a[3][3];
  gboolean limited = in->range != GST_VIDEO_COLOR_RANGE_0_255;
  gint i, j;

  gst_video_color_matrix_get_Kr_Kb (GST_VIDEO_COLOR_MATRIX_BT601, &kr601,
      &kb601);
  if (!gst_video_color_matrix_get_Kr_Kb (in->matrix, &kr, &kb)) {
    kr = kr601;
    kb = kb601;
  }
  pass->active = limited || kr != kr601 || kb != kb601;
  if (!pass->active)
    return;

  /* The columns of A = M601 · M_in⁻¹, on normalised YCbCr. */
  for (j = 0; j < 3; j++) {
    gdouble unit[3] = { j == 0, j == 1, j == 2 }, rgb[3], out[3];

    rgb_from_ycbcr (kr, kb, unit, rgb);
    ycbcr_from_rgb (kr601, kb601, rgb, out);
    for (i = 0; i < 3; i++)
      a[i][j] = out[i];
  }
  for (i = 0; i < 256; i++) {
    gdouble y = limited ? (i - 16) / 219.0 : i / 255.0;
    gdouble c = limited ? (i - 128) / 224.0 : (i - 128) / 255.0;

    pass->y[i] = lut_value (255 * a[0][0] * y);
    pass->y_cb[i] = lut_value (255 * a[0][1] * c);
    pass->y_cr[i] = lut_value (255 * a[0][2] * c);
    pass->cb_cb[i] = lut_value (255 * a[1][1] * c);
    pass->cb_cr[i] = lut_value (255 * a[1][2] * c);
    pass->cr_cb[i] = lut_value (255 * a[2][1] * c);
    pass->cr_cr[i] = lut_value (255 * a[2][2] * c);
  }
}

/* clamp[v + CLAMP_BIAS] is v limited to 0..255, for the sums the tables
 * can make. */
#define CLAMP_BIAS 512
static guint8 clamp_table[1536];

static void
init_clamp_table (void)
{
  static gsize done = 0;
  gint i;

  if (g_once_init_enter (&done)) {
    for (i = 0; i < 1536; i++)
      clamp_table[i] = CLAMP (i - CLAMP_BIAS, 0, 255);
    g_once_init_leave (&done, 1);
  }
}

/* In place on an I420 frame; each 2x2 block of luma uses its chroma.  The
 * chroma's share of luma is summed once per chroma sample, so a luma pixel
 * costs two lookups. */
static void
colour_pass_run (const ColourPass * pass, GstVideoFrame * f, gint16 * offsets)
{
  guint w = GST_VIDEO_FRAME_WIDTH (f), h = GST_VIDEO_FRAME_HEIGHT (f);
  guint cw = (w + 1) / 2, ch = (h + 1) / 2;
  gint ys = GST_VIDEO_FRAME_PLANE_STRIDE (f, 0);
  gint us = GST_VIDEO_FRAME_PLANE_STRIDE (f, 1);
  gint vs = GST_VIDEO_FRAME_PLANE_STRIDE (f, 2);
  guint8 *yp = GST_VIDEO_FRAME_PLANE_DATA (f, 0);
  guint8 *up = GST_VIDEO_FRAME_PLANE_DATA (f, 1);
  guint8 *vp = GST_VIDEO_FRAME_PLANE_DATA (f, 2);
  const guint8 *clamp = clamp_table + CLAMP_BIAS;
  guint x, y, r;

  for (y = 0; y < ch; y++) {
    guint8 *u = up + y * us, *v = vp + y * vs;

    for (x = 0; x < cw; x++) {
      guint8 cb = u[x], cr = v[x];

      offsets[x] = pass->y_cb[cb] + pass->y_cr[cr];
      u[x] = clamp[128 + pass->cb_cb[cb] + pass->cb_cr[cr]];
      v[x] = clamp[128 + pass->cr_cb[cb] + pass->cr_cr[cr]];
    }
    for (r = 2 * y; r < MIN (2 * y + 2, h); r++) {
      guint8 *row = yp + r * ys;

      for (x = 0; x + 1 < w; x += 2) {
        gint off = offsets[x / 2];

        row[x] = clamp[pass->y[row[x]] + off];
        row[x + 1] = clamp[pass->y[row[x + 1]] + off];
      }
      if (x < w)
        row[x] = clamp[pass->y[row[x]] + offsets[x / 2]];
    }
  }
}

/* libturbojpeg reads past the pixels of an image (stride padding, rows of
 * its last MCU), which nothing writes.  A pool buffer is zeroed once, when
 * it is new, so the encoder's output never depends on undefined bytes. */
static void
zero_when_new (GstBuffer * buffer)
{
  static GQuark zeroed = 0;

  if (zeroed == 0)
    zeroed = g_quark_from_static_string ("clarifai-zeroed");
  if (gst_mini_object_get_qdata (GST_MINI_OBJECT (buffer), zeroed))
    return;
  gst_buffer_memset (buffer, 0, 0, gst_buffer_get_size (buffer));
  gst_mini_object_set_qdata (GST_MINI_OBJECT (buffer), zeroed,
      GINT_TO_POINTER (1), NULL);
}

/* How the frame is scaled. */
typedef enum
{
  SCALE_NONE,                   /* same size */
  SCALE_CONVERTER,              /* GstVideoConverter, in the input's format */
  SCALE_PLANES,                 /* one resampler per component, into I420 */
  SCALE_SEMI_PLANAR,            /* luma, and chroma split into two planes */
  SCALE_PACKED,                 /* one resampler, in the input's format */
} ScalePath;

struct _ClarifaiScaler
{
  ScalePath path;
  ClarifaiResampler *planes[3];
  guint chroma_first;           /* SCALE_SEMI_PLANAR: the component stored first */
  GstVideoInfo in_info;
  GstVideoInfo mid_info;        /* the input's format, at the upload size */
  GstVideoInfo out_info;        /* I420 before the colour pass */
  GstVideoInfo jpeg_info;       /* I420 after it */
  GstVideoConverter *scale;     /* SCALE_CONVERTER */
  GstVideoConverter *repack;    /* NULL: the scale writes I420 already */
  GstBuffer *mid;
  GstBufferPool *pool;
  ColourPass pass;
  gint16 *offsets;              /* one chroma row's share of luma */
};

static GstVideoConverter *
converter_new (const GstVideoInfo * in, const GstVideoInfo * out)
{
  /* Bilinear without dithering: the copy is only seen by the tagger. */
  return gst_video_converter_new ((GstVideoInfo *) in, (GstVideoInfo *) out,
      gst_structure_new ("clarifai-scaler",
          GST_VIDEO_CONVERTER_OPT_RESAMPLER_METHOD,
          GST_TYPE_VIDEO_RESAMPLER_METHOD, GST_VIDEO_RESAMPLER_METHOD_LINEAR,
          GST_VIDEO_CONVERTER_OPT_DITHER_METHOD, GST_TYPE_VIDEO_DITHER_METHOD,
          GST_VIDEO_DITHER_NONE, NULL));
}

static void
set_size (GstVideoInfo * info, const GstVideoInfo * like,
    GstVideoFormat format, guint width, guint height)
{
  gst_video_info_set_interlaced_format (info, format,
      GST_VIDEO_INFO_INTERLACE_MODE (like), width, height);
  GST_VIDEO_INFO_FPS_N (info) = GST_VIDEO_INFO_FPS_N (like);
  GST_VIDEO_INFO_FPS_D (info) = GST_VIDEO_INFO_FPS_D (like);
  GST_VIDEO_INFO_FIELD_ORDER (info) = GST_VIDEO_INFO_FIELD_ORDER (like);
  info->colorimetry = like->colorimetry;
  info->chroma_site = like->chroma_site;
}

static void
resamplers_free (ClarifaiScaler * s)
{
  /* Shared between components on the semi-planar and packed paths. */
  if (s->planes[2] != s->planes[1])
    clarifai_resampler_free (s->planes[2]);
  if (s->planes[1] != s->planes[0])
    clarifai_resampler_free (s->planes[1]);
  clarifai_resampler_free (s->planes[0]);
  memset (s->planes, 0, sizeof (s->planes));
}

/* The resamplers for @in_info's components, to I420 of @out (the
 * planar and semi-planar paths) or to its own format at @out's size (the
 * packed path); SCALE_CONVERTER when the format or size is not theirs. */
static ScalePath
resamplers_new (ClarifaiScaler * s, const GstVideoInfo * in_info,
    const GstVideoInfo * out)
{
  const GstVideoFormatInfo *f = in_info->finfo;
  guint n = GST_VIDEO_INFO_N_PLANES (in_info), c;
  ScalePath path;

  if (GST_VIDEO_INFO_INTERLACE_MODE (in_info) !=
      GST_VIDEO_INTERLACE_MODE_PROGRESSIVE
      || GST_VIDEO_FORMAT_INFO_IS_COMPLEX (f)
      || GST_VIDEO_FORMAT_INFO_HAS_PALETTE (f)
      || GST_VIDEO_FORMAT_INFO_DEPTH (f, 0) != 8
      || GST_VIDEO_FORMAT_INFO_BITS (f) != 8)
    return SCALE_CONVERTER;

  if (GST_VIDEO_INFO_IS_YUV (in_info) && GST_VIDEO_INFO_N_COMPONENTS (in_info)
      == 3 && n == 3 && GST_VIDEO_FORMAT_INFO_PSTRIDE (f, 1) == 1) {
    path = SCALE_PLANES;
    for (c = 0; c < 3; c++)
      s->planes[c] = clarifai_resampler_new (GST_VIDEO_INFO_COMP_WIDTH
          (in_info, c), GST_VIDEO_INFO_COMP_HEIGHT (in_info, c),
          GST_VIDEO_INFO_COMP_WIDTH (out, c), GST_VIDEO_INFO_COMP_HEIGHT (out,
              c), 1);
  } else if (GST_VIDEO_INFO_IS_YUV (in_info) && n == 2
      && GST_VIDEO_FORMAT_INFO_PSTRIDE (f, 1) == 2) {
    path = SCALE_SEMI_PLANAR;
    s->chroma_first = GST_VIDEO_FORMAT_INFO_POFFSET (f, 1) == 0 ? 1 : 2;
    s->planes[0] = clarifai_resampler_new (GST_VIDEO_INFO_WIDTH (in_info),
        GST_VIDEO_INFO_HEIGHT (in_info), GST_VIDEO_INFO_WIDTH (out),
        GST_VIDEO_INFO_HEIGHT (out), 1);
    s->planes[1] = clarifai_resampler_new (GST_VIDEO_INFO_COMP_WIDTH (in_info,
            1), GST_VIDEO_INFO_COMP_HEIGHT (in_info, 1),
        GST_VIDEO_INFO_COMP_WIDTH (out, 1), GST_VIDEO_INFO_COMP_HEIGHT (out,
            1), 2);
    s->planes[2] = s->planes[1];
  } else if (GST_VIDEO_INFO_IS_RGB (in_info) && n == 1
      && GST_VIDEO_FORMAT_INFO_PSTRIDE (f, 0) >= 3) {
    path = SCALE_PACKED;
    s->planes[0] = s->planes[1] = s->planes[2] =
        clarifai_resampler_new (GST_VIDEO_INFO_WIDTH (in_info),
        GST_VIDEO_INFO_HEIGHT (in_info), GST_VIDEO_INFO_WIDTH (out),
        GST_VIDEO_INFO_HEIGHT (out), GST_VIDEO_FORMAT_INFO_PSTRIDE (f, 0));
  } else {
    return SCALE_CONVERTER;
  }
  if (s->planes[0] && s->planes[1] && s->planes[2])
    return path;
  resamplers_free (s);
  return SCALE_CONVERTER;
}

/**
 * clarifai_scaler_new:
 *
 * Prepares the conversion of frames of @in_info to upload copies of the
 * given size.
 *
 * Returns: (transfer full) (nullable): the scaler, or %NULL if
 * GstVideoConverter cannot read the format
 */
ClarifaiScaler *
clarifai_scaler_new (const GstVideoInfo * in_info, guint out_width,
    guint out_height)
{
  ClarifaiScaler *s = g_new0 (ClarifaiScaler, 1);
  gboolean resize = GST_VIDEO_INFO_WIDTH (in_info) != (gint) out_width
      || GST_VIDEO_INFO_HEIGHT (in_info) != (gint) out_height;
  gboolean yuv = GST_VIDEO_INFO_IS_YUV (in_info);
  gboolean i420 = GST_VIDEO_INFO_FORMAT (in_info) == GST_VIDEO_FORMAT_I420;
  gboolean repack;
  GstStructure *config;

  s->in_info = *in_info;
  set_size (&s->mid_info, in_info, GST_VIDEO_INFO_FORMAT (in_info), out_width,
      out_height);
  /* YUV keeps its own colours until the pass; anything else becomes
   * JPEG's YCbCr in the repack. */
  set_size (&s->out_info, in_info, GST_VIDEO_FORMAT_I420, out_width,
      out_height);
  if (!yuv) {
    s->out_info.colorimetry.range = GST_VIDEO_COLOR_RANGE_0_255;
    s->out_info.colorimetry.matrix = GST_VIDEO_COLOR_MATRIX_BT601;
    s->out_info.chroma_site = GST_VIDEO_CHROMA_SITE_JPEG;
  }
  colour_pass_init (&s->pass, &s->out_info.colorimetry);
  init_clamp_table ();
  s->offsets = g_new (gint16, (out_width + 1) / 2);
  s->jpeg_info = s->out_info;
  s->jpeg_info.colorimetry.range = GST_VIDEO_COLOR_RANGE_0_255;
  s->jpeg_info.colorimetry.matrix = GST_VIDEO_COLOR_MATRIX_BT601;

  s->path = resize ? resamplers_new (s, in_info, &s->out_info) : SCALE_NONE;
  /* The planar paths write I420 themselves. */
  repack = !i420 && s->path != SCALE_PLANES && s->path != SCALE_SEMI_PLANAR;
  if (s->path == SCALE_CONVERTER)
    s->scale = converter_new (in_info, i420 ? &s->out_info : &s->mid_info);
  if (repack)
    s->repack = converter_new (resize ? &s->mid_info : in_info, &s->out_info);
  if (repack && resize)
    s->mid = gst_buffer_new_allocate (NULL, s->mid_info.size, NULL);
  if ((s->path == SCALE_CONVERTER && s->scale == NULL)
      || (repack && s->repack == NULL)) {
    clarifai_scaler_free (s);
    return NULL;
  }

  s->pool = gst_buffer_pool_new ();
  config = gst_buffer_pool_get_config (s->pool);
  gst_buffer_pool_config_set_params (config, NULL, s->out_info.size, 0, 0);
  gst_buffer_pool_set_config (s->pool, config);
  gst_buffer_pool_set_active (s->pool, TRUE);
  return s;
}

gboolean
clarifai_scaler_matches (ClarifaiScaler * scaler, const GstVideoInfo * in_info,
    guint out_width, guint out_height)
{
  return gst_video_info_is_equal (&scaler->in_info, in_info)
      && GST_VIDEO_INFO_WIDTH (&scaler->out_info) == (gint) out_width
      && GST_VIDEO_INFO_HEIGHT (&scaler->out_info) == (gint) out_height;
}

/* The scale of the converter and packed paths, into @dst in the input's
 * format (or I420 for I420 input on the converter path). */
static void
scale (ClarifaiScaler * s, const GstVideoFrame * src, GstVideoFrame * dst)
{
  if (s->path == SCALE_PACKED)
    clarifai_resampler_run (s->planes[0], GST_VIDEO_FRAME_PLANE_DATA (src, 0),
        GST_VIDEO_FRAME_PLANE_STRIDE (src, 0),
        GST_VIDEO_FRAME_PLANE_DATA (dst, 0),
        GST_VIDEO_FRAME_PLANE_STRIDE (dst, 0));
  else
    gst_video_converter_frame (s->scale, src, dst);
}

/**
 * clarifai_scaler_process:
 *
 * Returns: (transfer full) (nullable): the upload copy of @frame; @frame is
 * not referenced afterwards
 */
ClarifaiImage *
clarifai_scaler_process (ClarifaiScaler * s, const GstVideoFrame * frame)
{
  ClarifaiImage *image;
  GstBuffer *buffer = NULL;
  GstVideoFrame out, mid;
  guint c;

  if (gst_buffer_pool_acquire_buffer (s->pool, &buffer, NULL) != GST_FLOW_OK)
    return NULL;
  zero_when_new (buffer);
  if (!gst_video_frame_map (&out, &s->out_info, buffer, GST_MAP_WRITE)) {
    gst_buffer_unref (buffer);
    return NULL;
  }

  switch (s->path) {
    case SCALE_NONE:
      if (s->repack)
        gst_video_converter_frame (s->repack, frame, &out);
      else
        gst_video_frame_copy (&out, frame);
      break;
    case SCALE_CONVERTER:
    case SCALE_PACKED:
      if (s->repack) {
        gst_video_frame_map (&mid, &s->mid_info, s->mid, GST_MAP_READWRITE);
        scale (s, frame, &mid);
        gst_video_converter_frame (s->repack, &mid, &out);
        gst_video_frame_unmap (&mid);
      } else {
        scale (s, frame, &out);
      }
      break;
    case SCALE_PLANES:
      for (c = 0; c < 3; c++)
        clarifai_resampler_run (s->planes[c],
            GST_VIDEO_FRAME_COMP_DATA (frame, c),
            GST_VIDEO_FRAME_COMP_STRIDE (frame, c),
            GST_VIDEO_FRAME_COMP_DATA (&out, c),
            GST_VIDEO_FRAME_COMP_STRIDE (&out, c));
      break;
    case SCALE_SEMI_PLANAR:
      clarifai_resampler_run (s->planes[0], GST_VIDEO_FRAME_PLANE_DATA (frame,
              0), GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0),
          GST_VIDEO_FRAME_COMP_DATA (&out, 0),
          GST_VIDEO_FRAME_COMP_STRIDE (&out, 0));
      clarifai_resampler_run_split (s->planes[1],
          GST_VIDEO_FRAME_PLANE_DATA (frame, 1),
          GST_VIDEO_FRAME_PLANE_STRIDE (frame, 1),
          GST_VIDEO_FRAME_COMP_DATA (&out, s->chroma_first),
          GST_VIDEO_FRAME_COMP_STRIDE (&out, s->chroma_first),
          GST_VIDEO_FRAME_COMP_DATA (&out, 3 - s->chroma_first),
          GST_VIDEO_FRAME_COMP_STRIDE (&out, 3 - s->chroma_first));
      break;
  }
  if (s->pass.active)
    colour_pass_run (&s->pass, &out, s->offsets);
  gst_video_frame_unmap (&out);

  image = g_new0 (ClarifaiImage, 1);
  image->info = s->jpeg_info;
  image->buffer = buffer;
  return image;
}

void
clarifai_scaler_free (ClarifaiScaler * scaler)
{
  if (scaler == NULL)
    return;
  resamplers_free (scaler);
  if (scaler->scale)
    gst_video_converter_free (scaler->scale);
  if (scaler->repack)
    gst_video_converter_free (scaler->repack);
  if (scaler->mid)
    gst_buffer_unref (scaler->mid);
  g_free (scaler->offsets);
  /* Copies still queued keep the pool alive; they are freed, not
   * returned, once it is inactive. */
  if (scaler->pool) {
    gst_buffer_pool_set_active (scaler->pool, FALSE);
    gst_object_unref (scaler->pool);
  }
  g_free (scaler);
}
