/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_SCALER_H__
#define __CLARIFAI_SCALER_H__

#include <gst/gst.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/* Limits on an uploaded image: the longest side at most max_side (0: no
 * limit), the shortest side at least min_side (0: no minimum). */
typedef struct
{
  guint max_side;
  guint min_side;
  guint64 max_bytes;
} ClarifaiSizeLimits;

void clarifai_target_size (guint width, guint height,
    const ClarifaiSizeLimits * limits, guint * out_width, guint * out_height);

/* A private copy of a sampled frame at its upload size: I420, full-range
 * BT.601 YCbCr, what a JPEG holds. */
typedef struct
{
  GstVideoInfo info;
  GstBuffer *buffer;
} ClarifaiImage;

void clarifai_image_free (ClarifaiImage * image);

typedef struct _ClarifaiScaler ClarifaiScaler;

ClarifaiScaler *clarifai_scaler_new (const GstVideoInfo * in_info,
    guint out_width, guint out_height);
gboolean clarifai_scaler_matches (ClarifaiScaler * scaler,
    const GstVideoInfo * in_info, guint out_width, guint out_height);
ClarifaiImage *clarifai_scaler_process (ClarifaiScaler * scaler,
    const GstVideoFrame * frame);
void clarifai_scaler_free (ClarifaiScaler * scaler);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClarifaiImage, clarifai_image_free)

G_END_DECLS

#endif /* __CLARIFAI_SCALER_H__ */
