/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_CLARIFAI_TAG_H__
#define __GST_CLARIFAI_TAG_H__

#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

typedef enum
{
  GST_CLARIFAI_TAG_LEAKY_AUTO,
  GST_CLARIFAI_TAG_LEAKY_NO,
  GST_CLARIFAI_TAG_LEAKY_DOWNSTREAM,
} GstClarifaiTagLeaky;

#define GST_TYPE_CLARIFAI_TAG (gst_clarifai_tag_get_type ())
G_DECLARE_FINAL_TYPE (GstClarifaiTag, gst_clarifai_tag, GST, CLARIFAI_TAG,
    GstBaseTransform)

GST_ELEMENT_REGISTER_DECLARE (clarifaitag);

G_END_DECLS

#endif /* __GST_CLARIFAI_TAG_H__ */
