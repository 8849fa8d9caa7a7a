/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_RESAMPLE_H__
#define __CLARIFAI_RESAMPLE_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ClarifaiResampler ClarifaiResampler;

ClarifaiResampler *clarifai_resampler_new (guint in_width, guint in_height,
    guint out_width, guint out_height, guint channels);
void clarifai_resampler_run (ClarifaiResampler * r, const guint8 * src,
    gint src_stride, guint8 * dst, gint dst_stride);
void clarifai_resampler_run_split (ClarifaiResampler * r, const guint8 * src,
    gint src_stride, guint8 * dst0, gint dst0_stride, guint8 * dst1,
    gint dst1_stride);
void clarifai_resampler_free (ClarifaiResampler * r);

G_END_DECLS

#endif /* __CLARIFAI_RESAMPLE_H__ */
