/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_CLARIFAI_OVERLAY_H__
#define __GST_CLARIFAI_OVERLAY_H__

#include <gst/video/gstvideofilter.h>

G_BEGIN_DECLS

#define GST_TYPE_CLARIFAI_OVERLAY (gst_clarifai_overlay_get_type ())
G_DECLARE_FINAL_TYPE (GstClarifaiOverlay, gst_clarifai_overlay, GST,
    CLARIFAI_OVERLAY, GstVideoFilter)

GST_ELEMENT_REGISTER_DECLARE (clarifaioverlay);

G_END_DECLS

#endif /* __GST_CLARIFAI_OVERLAY_H__ */
