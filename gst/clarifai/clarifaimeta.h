/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_META_H__
#define __CLARIFAI_META_H__

#include <gst/gst.h>

#include "clarifaiclient.h"

G_BEGIN_DECLS

#define CLARIFAI_TAG_META_NAME "ClarifaiTagMeta"
#define CLARIFAI_TAGS_MESSAGE_NAME "clarifai-tags"
#define CLARIFAI_REGION_STRUCTURE_NAME "clarifai-region"

gboolean clarifai_tag_meta_register (void);
void clarifai_quarks_intern (gsize * done, const gchar * const *names,
    GQuark * out, guint n);
void clarifai_structure_set_string (GstStructure * s, GQuark field,
    const gchar * text, gboolean interned);
GstStructure *clarifai_result_to_structure (const ClarifaiResult * result);
void clarifai_tag_meta_add (GstBuffer * buffer, const GstStructure * result);

G_END_DECLS

#endif /* __CLARIFAI_META_H__ */
