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
 * upload size where it is not I420 already (32-bit RGB by clarifairgb.c,
 * the rest by GstVideoConverter), and last clarifaicolour.c
 * turns its YCbCr into JPEG's (full range, BT.601) on the small image.
 * Copies come from a buffer pool, so a steady stream allocates nothing
 * here. */

#include "clarifaiscaler.h"
#include "clarifaicolour.h"
#include "clarifairesample.h"
#include "clarifairgb.h"
#include "clarifaivector.h"

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
  gboolean repack;              /* the scale does not write I420 */
  GstVideoConverter *repacker;  /* repacks what clarifairgb.c does not */
  GstBuffer *mid;
  GstBufferPool *pool;
  ClarifaiColour colour;
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
      || GST_VIDEO_FORMAT_INFO_IS_TILED (f)
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
      && GST_VIDEO_FORMAT_INFO_PSTRIDE (f, 0) >= 3
      && clarifai_vector_is_wide ()) {
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
  gboolean rgb = clarifai_rgb_supported (GST_VIDEO_INFO_FORMAT (in_info));
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
  clarifai_colour_init (&s->colour, &s->out_info.colorimetry, out_width);
  s->jpeg_info = s->out_info;
  s->jpeg_info.colorimetry.range = GST_VIDEO_COLOR_RANGE_0_255;
  s->jpeg_info.colorimetry.matrix = GST_VIDEO_COLOR_MATRIX_BT601;

  s->path = resize ? resamplers_new (s, in_info, &s->out_info) : SCALE_NONE;
  /* The planar paths write I420 themselves. */
  s->repack = !i420 && s->path != SCALE_PLANES && s->path != SCALE_SEMI_PLANAR;
  if (s->path == SCALE_CONVERTER)
    s->scale = converter_new (in_info, i420 ? &s->out_info : &s->mid_info);
  if (s->repack && !rgb)
    s->repacker = converter_new (resize ? &s->mid_info : in_info, &s->out_info);
  if (s->repack && resize)
    s->mid = gst_buffer_new_allocate (NULL, s->mid_info.size, NULL);
  if ((s->path == SCALE_CONVERTER && s->scale == NULL)
      || (s->repack && !rgb && s->repacker == NULL)) {
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

/* To I420 at the upload size, JPEG's colours for RGB. */
static void
repack (ClarifaiScaler * s, const GstVideoFrame * src, GstVideoFrame * dst)
{
  if (s->repacker)
    gst_video_converter_frame (s->repacker, src, dst);
  else
    clarifai_rgb_to_i420 (src, dst);
}

/* The pixels only: gst_video_frame_copy() also copies the source's row
 * padding (GStreamer 1.26 does), whose bytes nobody wrote, and the
 * encoder reads that padding (its last MCU), so the JPEG would depend on
 * them. */
static void
copy_visible (GstVideoFrame * dst, const GstVideoFrame * src)
{
  guint c, y;

  for (c = 0; c < GST_VIDEO_FRAME_N_COMPONENTS (src); c++) {
    gsize bytes = (gsize) GST_VIDEO_FRAME_COMP_WIDTH (src, c) *
        GST_VIDEO_FRAME_COMP_PSTRIDE (src, c);

    for (y = 0; y < (guint) GST_VIDEO_FRAME_COMP_HEIGHT (src, c); y++)
      memcpy ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (dst, c) +
          y * GST_VIDEO_FRAME_COMP_STRIDE (dst, c),
          (const guint8 *) GST_VIDEO_FRAME_COMP_DATA (src, c) +
          y * GST_VIDEO_FRAME_COMP_STRIDE (src, c), bytes);
  }
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
        repack (s, frame, &out);
      else
        copy_visible (&out, frame);
      break;
    case SCALE_CONVERTER:
    case SCALE_PACKED:
      if (s->repack) {
        gst_video_frame_map (&mid, &s->mid_info, s->mid, GST_MAP_READWRITE);
        scale (s, frame, &mid);
        repack (s, &mid, &out);
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
  if (s->colour.active)
    clarifai_colour_run (&s->colour, &out);
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
  if (scaler->repacker)
    gst_video_converter_free (scaler->repacker);
  if (scaler->mid)
    gst_buffer_unref (scaler->mid);
  clarifai_colour_clear (&scaler->colour);
  /* Copies still queued keep the pool alive; they are freed, not
   * returned, once it is inactive. */
  if (scaler->pool) {
    gst_buffer_pool_set_active (scaler->pool, FALSE);
    gst_object_unref (scaler->pool);
  }
  g_free (scaler);
}
