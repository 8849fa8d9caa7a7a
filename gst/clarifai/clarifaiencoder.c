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
