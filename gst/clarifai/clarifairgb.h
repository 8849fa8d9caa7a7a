/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_RGB_H__
#define __CLARIFAI_RGB_H__

#include <gst/video/video.h>

G_BEGIN_DECLS

gboolean clarifai_rgb_supported (GstVideoFormat format);
void clarifai_rgb_to_i420 (const GstVideoFrame * in, GstVideoFrame * out);

G_END_DECLS

#endif /* __CLARIFAI_RGB_H__ */
