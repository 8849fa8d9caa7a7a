/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_ENCODER_H__
#define __CLARIFAI_ENCODER_H__

#include <gst/gst.h>
#include <gst/video/video.h>

#include "clarifaiscaler.h"

G_BEGIN_DECLS

#define CLARIFAI_ENCODER_ERROR (clarifai_encoder_error_quark ())
GQuark clarifai_encoder_error_quark (void);

/**
 * ClarifaiEncoderError:
 * @CLARIFAI_ENCODER_ERROR_CORRUPT: JPEG input that cannot be decoded
 * @CLARIFAI_ENCODER_ERROR_FAILED: the encoder itself failed
 */
typedef enum
{
  CLARIFAI_ENCODER_ERROR_CORRUPT,
  CLARIFAI_ENCODER_ERROR_FAILED,
} ClarifaiEncoderError;

typedef struct _ClarifaiEncoder ClarifaiEncoder;

ClarifaiEncoder *clarifai_encoder_new (void);
void clarifai_encoder_free (ClarifaiEncoder * encoder);

GBytes *clarifai_encoder_encode (ClarifaiEncoder * encoder,
    const ClarifaiImage * image, gint quality, GError ** error);
gboolean clarifai_encoder_read_header (ClarifaiEncoder * encoder,
    GBytes * jpeg, guint * width, guint * height, GError ** error);
GBytes *clarifai_encoder_fit_jpeg (ClarifaiEncoder * encoder, GBytes * jpeg,
    const ClarifaiSizeLimits * limits, gint quality, GError ** error);
ClarifaiImage *clarifai_encoder_fit_image (ClarifaiImage * image,
    const ClarifaiSizeLimits * limits);

G_END_DECLS

#endif /* __CLARIFAI_ENCODER_H__ */
