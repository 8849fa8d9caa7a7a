/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_THUMB_H__
#define __CLARIFAI_THUMB_H__

#include <gst/gst.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/* A frame's luma at about 64 pixels on its longest side, aspect kept: what
 * change-driven sampling compares. */
#define CLARIFAI_THUMB_SIDE 64

typedef struct
{
  guint width;
  guint height;
  guint8 luma[CLARIFAI_THUMB_SIDE * CLARIFAI_THUMB_SIDE];
} ClarifaiThumb;

gboolean clarifai_thumb_from_frame (ClarifaiThumb * thumb,
    const GstVideoFrame * frame);
gboolean clarifai_thumb_from_gray (ClarifaiThumb * thumb, const guint8 * gray,
    guint width, guint height, guint stride);
gdouble clarifai_thumb_difference (const ClarifaiThumb * a,
    const ClarifaiThumb * b);

/* JPEG input: decoded at 1/8 of its size, in grey. */
typedef struct _ClarifaiThumbDecoder ClarifaiThumbDecoder;

ClarifaiThumbDecoder *clarifai_thumb_decoder_new (void);
void clarifai_thumb_decoder_free (ClarifaiThumbDecoder * decoder);
gboolean clarifai_thumb_from_jpeg (ClarifaiThumb * thumb,
    ClarifaiThumbDecoder * decoder, const guint8 * data, gsize size);

G_END_DECLS

#endif /* __CLARIFAI_THUMB_H__ */
