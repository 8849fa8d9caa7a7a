/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Everything between a sampled frame and the JPEG bytes that go up: the
 * upload size, the scaled private copy, and libturbojpeg.  This is the only
 * file of the plugin that includes turbojpeg.h. */

#include "clarifaiencoder.h"

#include <turbojpeg.h>

/* Spelled out: gst-indent would put spaces into G_DEFINE_QUARK's string. */
GQuark
clarifai_encoder_error_quark (void)
{
  return g_quark_from_static_string ("clarifai-encoder-error-quark");
}

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

static ClarifaiImage *
clarifai_image_new (const GstVideoInfo * info)
{
  ClarifaiImage *image = g_new0 (ClarifaiImage, 1);

  image->info = *info;
  image->buffer = gst_buffer_new_allocate (NULL, info->size, NULL);
  /* libturbojpeg reads the stride padding, which the converter leaves
   * unwritten; zeroed, the encoder's output depends on nothing undefined. */
  gst_buffer_memset (image->buffer, 0, 0, info->size);
  return image;
}

/* The copy is what a JPEG holds: I420, BT.601 YCbCr with centred chroma,
 * so its planes go to the encoder as they are.  Frame rate, interlacing,
 * transfer and primaries follow the input, so the converter does no more
 * than scale, subsample and change the matrix.  The range of YUV input is
 * kept: GstVideoConverter (1.22) leaves a YUV-to-YUV range change undone,
 * so the scaler expands limited range itself afterwards. */
static void
upload_info (const GstVideoInfo * in_info, guint width, guint height,
    GstVideoInfo * out_info)
{
  gst_video_info_set_interlaced_format (out_info, GST_VIDEO_FORMAT_I420,
      GST_VIDEO_INFO_INTERLACE_MODE (in_info), width, height);
  GST_VIDEO_INFO_FPS_N (out_info) = GST_VIDEO_INFO_FPS_N (in_info);
  GST_VIDEO_INFO_FPS_D (out_info) = GST_VIDEO_INFO_FPS_D (in_info);
  GST_VIDEO_INFO_FIELD_ORDER (out_info) = GST_VIDEO_INFO_FIELD_ORDER (in_info);
  out_info->colorimetry.range = GST_VIDEO_INFO_IS_YUV (in_info)
      && in_info->colorimetry.range != GST_VIDEO_COLOR_RANGE_0_255 ?
      GST_VIDEO_COLOR_RANGE_16_235 : GST_VIDEO_COLOR_RANGE_0_255;
  out_info->colorimetry.matrix = GST_VIDEO_COLOR_MATRIX_BT601;
  out_info->colorimetry.transfer = in_info->colorimetry.transfer;
  out_info->colorimetry.primaries = in_info->colorimetry.primaries;
  out_info->chroma_site = GST_VIDEO_CHROMA_SITE_JPEG;
}

static guint8 luma_lut[256];
static guint8 chroma_lut[256];

static void
init_range_luts (void)
{
  static gsize done = 0;
  gint i;

  if (g_once_init_enter (&done)) {
    for (i = 0; i < 256; i++) {
      luma_lut[i] = CLAMP ((i - 16) * 255 / 219.0 + 0.5, 0, 255);
      chroma_lut[i] = CLAMP ((i - 128) * 255 / 224.0 + 128.5, 0, 255);
    }
    g_once_init_leave (&done, 1);
  }
}

/* Limited (16-235/240) to full range, in place. */
static void
expand_range (GstVideoFrame * frame)
{
  guint p, x, y;

  for (p = 0; p < 3; p++) {
    const guint8 *lut = p == 0 ? luma_lut : chroma_lut;
    guint w = GST_VIDEO_FRAME_COMP_WIDTH (frame, p);
    guint h = GST_VIDEO_FRAME_COMP_HEIGHT (frame, p);

    for (y = 0; y < h; y++) {
      guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (frame, p) +
          y * GST_VIDEO_FRAME_PLANE_STRIDE (frame, p);

      for (x = 0; x < w; x++)
        row[x] = lut[row[x]];
    }
  }
}

struct _ClarifaiScaler
{
  GstVideoInfo in_info;
  GstVideoInfo out_info;
  GstVideoConverter *convert;
};

/**
 * clarifai_scaler_new:
 *
 * Makes a converter from @in_info to I420 at the given size.  Bilinear
 * scaling without dithering: the copy is only looked at by the tagger, and
 * this keeps the streaming thread's share of a sampled frame small.
 */
ClarifaiScaler *
clarifai_scaler_new (const GstVideoInfo * in_info, guint out_width,
    guint out_height)
{
  ClarifaiScaler *scaler = g_new0 (ClarifaiScaler, 1);

  init_range_luts ();
  scaler->in_info = *in_info;
  upload_info (in_info, out_width, out_height, &scaler->out_info);
  scaler->convert = gst_video_converter_new (&scaler->in_info,
      &scaler->out_info, gst_structure_new ("clarifai-scaler",
          GST_VIDEO_CONVERTER_OPT_RESAMPLER_METHOD,
          GST_TYPE_VIDEO_RESAMPLER_METHOD, GST_VIDEO_RESAMPLER_METHOD_LINEAR,
          GST_VIDEO_CONVERTER_OPT_DITHER_METHOD, GST_TYPE_VIDEO_DITHER_METHOD,
          GST_VIDEO_DITHER_NONE, NULL));
  if (scaler->convert == NULL) {
    g_free (scaler);
    return NULL;
  }
  return scaler;
}

gboolean
clarifai_scaler_matches (ClarifaiScaler * scaler, const GstVideoInfo * in_info,
    guint out_width, guint out_height)
{
  return gst_video_info_is_equal (&scaler->in_info, in_info)
      && GST_VIDEO_INFO_WIDTH (&scaler->out_info) == (gint) out_width
      && GST_VIDEO_INFO_HEIGHT (&scaler->out_info) == (gint) out_height;
}

/**
 * clarifai_scaler_process:
 *
 * Returns: (transfer full): a new I420 image holding @frame scaled to the
 * scaler's output size; @frame is not referenced afterwards.
 */
ClarifaiImage *
clarifai_scaler_process (ClarifaiScaler * scaler, const GstVideoFrame * frame)
{
  ClarifaiImage *image = clarifai_image_new (&scaler->out_info);
  GstVideoFrame out;

  if (!gst_video_frame_map (&out, &image->info, image->buffer, GST_MAP_WRITE)) {
    clarifai_image_free (image);
    return NULL;
  }
  gst_video_converter_frame (scaler->convert, frame, &out);
  if (image->info.colorimetry.range == GST_VIDEO_COLOR_RANGE_16_235) {
    expand_range (&out);
    image->info.colorimetry.range = GST_VIDEO_COLOR_RANGE_0_255;
  }
  gst_video_frame_unmap (&out);
  return image;
}

void
clarifai_scaler_free (ClarifaiScaler * scaler)
{
  if (scaler == NULL)
    return;
  gst_video_converter_free (scaler->convert);
  g_free (scaler);
}

struct _ClarifaiEncoder
{
  tjhandle compress;
  tjhandle decompress;
};

ClarifaiEncoder *
clarifai_encoder_new (void)
{
  ClarifaiEncoder *encoder = g_new0 (ClarifaiEncoder, 1);

  encoder->compress = tjInitCompress ();
  encoder->decompress = tjInitDecompress ();
  if (encoder->compress == NULL || encoder->decompress == NULL) {
    clarifai_encoder_free (encoder);
    return NULL;
  }
  return encoder;
}

void
clarifai_encoder_free (ClarifaiEncoder * encoder)
{
  if (encoder == NULL)
    return;
  if (encoder->compress)
    tjDestroy (encoder->compress);
  if (encoder->decompress)
    tjDestroy (encoder->decompress);
  g_free (encoder);
}

/**
 * clarifai_encoder_encode:
 * @quality: JPEG quality, 1 to 100
 *
 * Compresses an I420 image straight from its planes (no colour conversion:
 * I420 is JPEG's own 4:2:0 YCbCr).
 *
 * Returns: (transfer full): the JPEG bytes
 */
GBytes *
clarifai_encoder_encode (ClarifaiEncoder * encoder,
    const ClarifaiImage * image, gint quality, GError ** error)
{
  GstMapInfo map;
  const guint8 *planes[3];
  gint strides[3];
  guchar *jpeg = NULL;
  unsigned long jpeg_size = 0;
  gint i, ret;

  if (!gst_buffer_map (image->buffer, &map, GST_MAP_READ)) {
    g_set_error_literal (error, CLARIFAI_ENCODER_ERROR,
        CLARIFAI_ENCODER_ERROR_FAILED, "cannot map the frame copy");
    return NULL;
  }
  for (i = 0; i < 3; i++) {
    planes[i] = map.data + GST_VIDEO_INFO_PLANE_OFFSET (&image->info, i);
    strides[i] = GST_VIDEO_INFO_PLANE_STRIDE (&image->info, i);
  }
  ret = tjCompressFromYUVPlanes (encoder->compress, planes,
      GST_VIDEO_INFO_WIDTH (&image->info), strides,
      GST_VIDEO_INFO_HEIGHT (&image->info), TJSAMP_420, &jpeg, &jpeg_size,
      CLAMP (quality, 1, 100), TJFLAG_FASTDCT);
  gst_buffer_unmap (image->buffer, &map);

  if (ret != 0) {
    g_set_error (error, CLARIFAI_ENCODER_ERROR, CLARIFAI_ENCODER_ERROR_FAILED,
        "JPEG encoding failed: %s", tjGetErrorStr2 (encoder->compress));
    tjFree (jpeg);
    return NULL;
  }
  return g_bytes_new_with_free_func (jpeg, jpeg_size, (GDestroyNotify) tjFree,
      jpeg);
}

/**
 * clarifai_encoder_read_header:
 *
 * Reads the dimensions of a JPEG image without decoding it.
 */
gboolean
clarifai_encoder_read_header (ClarifaiEncoder * encoder, GBytes * jpeg,
    guint * width, guint * height, GError ** error)
{
  gsize size;
  const guchar *data = g_bytes_get_data (jpeg, &size);
  /* libjpeg-turbo 2.1 answers a tables-only stream (SOI, then nothing
   * usable) with success and the dimensions unset. */
  int w = 0, h = 0, subsamp, colorspace;

  if (size == 0 || size > G_MAXULONG
      || tjDecompressHeader3 (encoder->decompress, data, size, &w, &h,
          &subsamp, &colorspace) != 0 || w <= 0 || h <= 0) {
    g_set_error (error, CLARIFAI_ENCODER_ERROR, CLARIFAI_ENCODER_ERROR_CORRUPT,
        "JPEG input has no readable header: %s",
        size ? tjGetErrorStr2 (encoder->decompress) : "empty buffer");
    return FALSE;
  }
  *width = w;
  *height = h;
  return TRUE;
}

static ClarifaiImage *
scale_image (const GstVideoInfo * in_info, GstBuffer * in, guint width,
    guint height)
{
  ClarifaiScaler *scaler = clarifai_scaler_new (in_info, width, height);
  ClarifaiImage *out = NULL;
  GstVideoFrame frame;

  if (scaler == NULL)
    return NULL;
  if (gst_video_frame_map (&frame, in_info, in, GST_MAP_READ)) {
    out = clarifai_scaler_process (scaler, &frame);
    gst_video_frame_unmap (&frame);
  }
  clarifai_scaler_free (scaler);
  return out;
}

/**
 * clarifai_encoder_fit_jpeg:
 *
 * JPEG input goes up as it is when its dimensions and byte size fit
 * @limits (MJPEG cameras cost no decode); otherwise it is decoded, scaled
 * and encoded again.
 *
 * Returns: (transfer full): @jpeg itself, referenced, or the new JPEG
 */
GBytes *
clarifai_encoder_fit_jpeg (ClarifaiEncoder * encoder, GBytes * jpeg,
    const ClarifaiSizeLimits * limits, gint quality, GError ** error)
{
  guint w, h, tw, th;
  gsize size;
  const guchar *data = g_bytes_get_data (jpeg, &size);
  GstVideoInfo rgb;
  GstBuffer *pixels;
  GstMapInfo map;
  g_autoptr (ClarifaiImage) scaled = NULL;
  gint ret;

  if (!clarifai_encoder_read_header (encoder, jpeg, &w, &h, error))
    return NULL;
  clarifai_target_size (w, h, limits, &tw, &th);
  if (tw == w && th == h && (limits->max_bytes == 0
          || size <= limits->max_bytes))
    return g_bytes_ref (jpeg);

  gst_video_info_set_format (&rgb, GST_VIDEO_FORMAT_RGB, w, h);
  pixels = gst_buffer_new_allocate (NULL, rgb.size, NULL);
  gst_buffer_map (pixels, &map, GST_MAP_WRITE);
  ret = tjDecompress2 (encoder->decompress, data, size, map.data, w,
      GST_VIDEO_INFO_PLANE_STRIDE (&rgb, 0), h, TJPF_RGB, TJFLAG_FASTDCT);
  gst_buffer_unmap (pixels, &map);
  if (ret != 0) {
    g_set_error (error, CLARIFAI_ENCODER_ERROR, CLARIFAI_ENCODER_ERROR_CORRUPT,
        "JPEG input cannot be decoded: %s",
        tjGetErrorStr2 (encoder->decompress));
    gst_buffer_unref (pixels);
    return NULL;
  }
  scaled = scale_image (&rgb, pixels, tw, th);
  gst_buffer_unref (pixels);
  if (scaled == NULL) {
    g_set_error_literal (error, CLARIFAI_ENCODER_ERROR,
        CLARIFAI_ENCODER_ERROR_FAILED, "cannot scale the decoded JPEG");
    return NULL;
  }
  return clarifai_encoder_encode (encoder, scaled, quality, error);
}

/**
 * clarifai_encoder_fit_image:
 *
 * Frames copied before the service's limits were known may be larger than
 * they allow.
 *
 * Returns: (transfer full) (nullable): a new, rescaled image, or %NULL when
 * @image already fits
 */
ClarifaiImage *
clarifai_encoder_fit_image (ClarifaiImage * image,
    const ClarifaiSizeLimits * limits)
{
  guint w = GST_VIDEO_INFO_WIDTH (&image->info);
  guint h = GST_VIDEO_INFO_HEIGHT (&image->info);
  guint tw, th;

  clarifai_target_size (w, h, limits, &tw, &th);
  if (tw == w && th == h)
    return NULL;
  return scale_image (&image->info, image->buffer, tw, th);
}
