/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_STD_META_H__
#define __CLARIFAI_STD_META_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* roi_type (and ODMtd type) of a box that has text but no concepts (an
 * OCR line): free text would make a quark per distinct line, and GLib
 * never frees quarks. */
#define CLARIFAI_STD_META_TEXT_TYPE "clarifai-text"
/* roi_type (and ODMtd type) of a box whose label is not a quark and may
 * not become one: the process's budget of names is spent (clarifainames.h).
 * The `detection` param's `label` still names it. */
#define CLARIFAI_STD_META_OTHER_TYPE "clarifai-other"
#define CLARIFAI_STD_META_DETECTION_PARAM "detection"

typedef struct _ClarifaiStdMeta ClarifaiStdMeta;

ClarifaiStdMeta *clarifai_std_meta_new (const GstStructure * result);
void clarifai_std_meta_free (ClarifaiStdMeta * std);
void clarifai_std_meta_attach (const ClarifaiStdMeta * std,
    GstBuffer * buffer, guint width, guint height);

G_END_DECLS

#endif /* __CLARIFAI_STD_META_H__ */
