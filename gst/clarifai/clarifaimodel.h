/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_MODEL_H__
#define __CLARIFAI_MODEL_H__

#include <glib.h>

G_BEGIN_DECLS

/* What a v2 model says of itself (GET …/models/{id}): its kind, and for
 * a model uploaded with the SDK since 2025 (one with method signatures),
 * the arguments of its `predict` method the element can fill. */
typedef struct
{
  gchar *type_id;               /* model_type_id, "" when not said */
  gboolean pythonic;            /* requests go as parts */
  gchar *image_arg;             /* the image argument's name */
  gchar *prompt_arg;            /* the text argument's, NULL when none */
  gboolean prompt_required;
  gboolean max_tokens_arg;
  gboolean temperature_arg;
} ClarifaiModelInfo;

ClarifaiModelInfo *clarifai_model_info_parse (const gchar * data, gsize len,
    GError ** error);
ClarifaiModelInfo *clarifai_model_info_copy (const ClarifaiModelInfo * info);
void clarifai_model_info_free (ClarifaiModelInfo * info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClarifaiModelInfo, clarifai_model_info_free)

G_END_DECLS

#endif /* __CLARIFAI_MODEL_H__ */
