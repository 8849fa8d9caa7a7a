/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The JPEG side of an upload: encoding the scaled copy, and checking,
 * decoding and re-encoding JPEG input.  This is the only file of the plugin
 * that includes turbojpeg.h. */

#include "clarifaiencoder.h"

#include <turbojpeg.h>

/* Spelled out: gst-indent would put spaces into G_DEFINE_QUARK's string. */
GQuark
clarifai_encoder_error_quark (void)
{
  return g_quark_from_static_string ("clarifai-encoder-error-quark");
}

struct _ClarifaiEncoder
{
  tjhandle compress;
  tjhandle decompress;
  /* over-limit JPEG input: the last decode size's buffer and the scaler of
   * what remains after a reduced-size decode, kept for the next frame of
   * the stream */
  GstVideoInfo decoded_info;
  GstBuffer *decoded;
  ClarifaiScaler *scaler;
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
  if (encoder->decoded)
    gst_buffer_unref (encoder->decoded);
  clarifai_scaler_free (encoder->scaler);
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

/* libjpeg-turbo 2.1 leaves a decompressor that failed mid-header in that
 * state, and every later stream fails with the same error: a handle that
 * failed is replaced before the next frame.  Keeps the error's text. */
static gchar *
decompress_failed (ClarifaiEncoder * encoder)
{
  gchar *why = g_strdup (tjGetErrorStr2 (encoder->decompress));
  tjhandle fresh = tjInitDecompress ();

  if (fresh) {
    tjDestroy (encoder->decompress);
    encoder->decompress = fresh;
  }
  return why;
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
  g_autofree gchar *why = NULL;

  if (size == 0) {
    why = g_strdup ("empty buffer");
  } else if (size > G_MAXULONG) {
    why = g_strdup ("too large");
  } else if (tjDecompressHeader3 (encoder->decompress, data, size, &w, &h,
          &subsamp, &colorspace) != 0) {
    why = decompress_failed (encoder);
  } else if (w <= 0 || h <= 0) {
    why = g_strdup ("no image dimensions");
  }
  if (why) {
    g_set_error (error, CLARIFAI_ENCODER_ERROR, CLARIFAI_ENCODER_ERROR_CORRUPT,
        "JPEG input has no readable header: %s", why);
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

/* The size to decode a @w x @h JPEG at, with libjpeg-turbo's scaling
 * factors (1/8 to 1), which cost a fraction of a full decode: the largest
 * that fits @limits as it is, when it keeps at least 3/4 of the target's
 * longest side; otherwise the smallest that still covers the target
 * (@tw x @th), which is then scaled the rest of the way.
 *
 * Returns: whether the decode size fits as it is
 */
static gboolean
decode_size (guint w, guint h, guint tw, guint th,
    const ClarifaiSizeLimits * limits, guint * dw, guint * dh)
{
  gint n, i;
  tjscalingfactor *factors = tjGetScalingFactors (&n);
  guint fit_w = 0, fit_h = 0, cover_w = w, cover_h = h;

  for (i = 0; factors && i < n; i++) {
    tjscalingfactor f = factors[i];
    guint sw, sh, fw, fh;

    if (f.num > f.denom)
      continue;
    sw = TJSCALED ((gint) w, f);
    sh = TJSCALED ((gint) h, f);
    clarifai_target_size (sw, sh, limits, &fw, &fh);
    if (fw == sw && fh == sh && (guint64) MAX (sw, sh) * 4 >=
        (guint64) MAX (tw, th) * 3 && sw > fit_w) {
      fit_w = sw;
      fit_h = sh;
    }
    if (sw >= tw && sh >= th && sw < cover_w) {
      cover_w = sw;
      cover_h = sh;
    }
  }
  *dw = fit_w ? fit_w : cover_w;
  *dh = fit_w ? fit_h : cover_h;
  return fit_w != 0;
}

/* libturbojpeg reads past the pixels of an image it encodes (stride
 * padding, rows of its last MCU): the buffer is zeroed when it is made, so
 * that the output never depends on undefined bytes, and kept while the
 * size stays. */
static void
prepare_decoded (ClarifaiEncoder * encoder, GstVideoFormat format, guint w,
    guint h)
{
  GstVideoInfo info;

  gst_video_info_set_format (&info, format, w, h);
  if (format == GST_VIDEO_FORMAT_I420) {
    info.colorimetry.range = GST_VIDEO_COLOR_RANGE_0_255;
    info.colorimetry.matrix = GST_VIDEO_COLOR_MATRIX_BT601;
    info.chroma_site = GST_VIDEO_CHROMA_SITE_JPEG;
  }
  if (encoder->decoded && gst_video_info_is_equal (&info,
          &encoder->decoded_info))
    return;
  if (encoder->decoded)
    gst_buffer_unref (encoder->decoded);
  encoder->decoded_info = info;
  encoder->decoded = gst_buffer_new_allocate (NULL, info.size, NULL);
  gst_buffer_memset (encoder->decoded, 0, 0, info.size);
}

/* Decodes at @w x @h (a size decode_size() chose): 4:2:0 straight into
 * I420 planes, JPEG's own YCbCr, with no colour conversion either way;
 * other subsamplings into RGB. */
static gboolean
decode_scaled (ClarifaiEncoder * encoder, const guchar * data, gsize size,
    guint w, guint h, GError ** error)
{
  int jw, jh, subsamp, colorspace, ret;
  g_autofree gchar *why = NULL;
  GstVideoInfo *info = &encoder->decoded_info;
  GstMapInfo map;

  if (tjDecompressHeader3 (encoder->decompress, data, size, &jw, &jh,
          &subsamp, &colorspace) != 0)
    goto corrupt;
  prepare_decoded (encoder, subsamp == TJSAMP_420 && colorspace == TJCS_YCbCr
      ? GST_VIDEO_FORMAT_I420 : GST_VIDEO_FORMAT_RGB, w, h);
  gst_buffer_map (encoder->decoded, &map, GST_MAP_WRITE);
  if (GST_VIDEO_INFO_FORMAT (info) == GST_VIDEO_FORMAT_I420) {
    guchar *planes[3];
    int strides[3], i;

    for (i = 0; i < 3; i++) {
      planes[i] = map.data + GST_VIDEO_INFO_PLANE_OFFSET (info, i);
      strides[i] = GST_VIDEO_INFO_PLANE_STRIDE (info, i);
    }
    /* The accurate IDCT: libjpeg-turbo 2.1's fast one, scaled to 1/2,
     * shifts the colour of 4:2:0 chroma (saturated red decoded with a
     * green of 29). */
    ret = tjDecompressToYUVPlanes (encoder->decompress, data, size, planes,
        w, strides, h, 0);
  } else {
    ret = tjDecompress2 (encoder->decompress, data, size, map.data, w,
        GST_VIDEO_INFO_PLANE_STRIDE (info, 0), h, TJPF_RGB, TJFLAG_FASTDCT);
  }
  gst_buffer_unmap (encoder->decoded, &map);
  if (ret != 0)
    goto corrupt;
  return TRUE;

corrupt:
  why = decompress_failed (encoder);
  g_set_error (error, CLARIFAI_ENCODER_ERROR, CLARIFAI_ENCODER_ERROR_CORRUPT,
      "JPEG input cannot be decoded: %s", why);
  return FALSE;
}

/* Scales with the scaler of the last call when the sizes are the same: a
 * stream's frames all are. */
static ClarifaiImage *
scale_cached (ClarifaiEncoder * encoder, const ClarifaiImage * image,
    guint width, guint height)
{
  GstVideoFrame frame;
  ClarifaiImage *out = NULL;

  if (encoder->scaler == NULL || !clarifai_scaler_matches (encoder->scaler,
          &image->info, width, height)) {
    clarifai_scaler_free (encoder->scaler);
    encoder->scaler = clarifai_scaler_new (&image->info, width, height);
  }
  if (encoder->scaler && gst_video_frame_map (&frame, &image->info,
          image->buffer, GST_MAP_READ)) {
    out = clarifai_scaler_process (encoder->scaler, &frame);
    gst_video_frame_unmap (&frame);
  }
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
  guint w, h, tw, th, dw, dh;
  gsize size;
  const guchar *data = g_bytes_get_data (jpeg, &size);
  g_autoptr (ClarifaiImage) scaled = NULL;
  ClarifaiImage decoded;

  if (!clarifai_encoder_read_header (encoder, jpeg, &w, &h, error))
    return NULL;
  clarifai_target_size (w, h, limits, &tw, &th);
  if (tw == w && th == h && (limits->max_bytes == 0
          || size <= limits->max_bytes))
    return g_bytes_ref (jpeg);

  /* a decode size that fits is uploaded as it is */
  if (decode_size (w, h, tw, th, limits, &dw, &dh)) {
    tw = dw;
    th = dh;
  }
  if (!decode_scaled (encoder, data, size, dw, dh, error))
    return NULL;
  decoded.info = encoder->decoded_info;
  decoded.buffer = encoder->decoded;
  if (dw == tw && dh == th
      && GST_VIDEO_INFO_FORMAT (&decoded.info) == GST_VIDEO_FORMAT_I420)
    return clarifai_encoder_encode (encoder, &decoded, quality, error);

  scaled = scale_cached (encoder, &decoded, tw, th);
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
