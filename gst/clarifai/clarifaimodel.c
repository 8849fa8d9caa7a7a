/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Reads a model's description (clarifai-v2-models.md 0 and 3.2): its
 * model_type_id and, where it has method signatures, which argument of
 * `predict` takes the image, which the prompt, and whether it takes
 * max_tokens and temperature.  Whether the REST JSON gives the argument
 * types as names or numbers is not documented [U]: names are read, and
 * where a type is not a name, the argument's name decides. */

#include "clarifaimodel.h"
#include "clarifaijson.h"
#include "clarifaiprotocol.h"

#include <string.h>

static gboolean
field_is (JsonObject * field, const gchar * type, const gchar * name)
{
  g_autofree gchar *t = clarifai_json_utf8 (field, "type");
  g_autofree gchar *n = clarifai_json_utf8 (field, "name");

  if (t && *t && !g_ascii_isdigit (*t))
    return g_str_equal (t, type);
  return g_strcmp0 (n, name) == 0;
}

static gboolean
json_true (JsonObject * obj, const gchar * name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_BOOLEAN
      && json_node_get_boolean (node);
}

static void
read_signature (ClarifaiModelInfo * info, JsonObject * method)
{
  JsonArray *fields = clarifai_json_array (method, "input_fields");
  guint i;

  info->pythonic = TRUE;
  for (i = 0; fields && i < json_array_get_length (fields); i++) {
    JsonNode *node = json_array_get_element (fields, i);
    JsonObject *field;
    g_autofree gchar *name = NULL;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      continue;
    field = json_node_get_object (node);
    name = clarifai_json_utf8 (field, "name");
    if (name == NULL || *name == '\0')
      continue;
    if (info->image_arg == NULL && field_is (field, "IMAGE", "image")) {
      info->image_arg = g_steal_pointer (&name);
    } else if (info->prompt_arg == NULL && field_is (field, "STR", "prompt")) {
      info->prompt_required = json_true (field, "required");
      info->prompt_arg = g_steal_pointer (&name);
    } else if (g_str_equal (name, "max_tokens")) {
      info->max_tokens_arg = TRUE;
    } else if (g_str_equal (name, "temperature")) {
      info->temperature_arg = TRUE;
    }
  }
}

/**
 * clarifai_model_info_parse:
 * @data: the body of a successful GET of a model
 *
 * Returns: (transfer full): the model's kind and arguments; %NULL if the
 * body is not a JSON object with a `model`
 */
ClarifaiModelInfo *
clarifai_model_info_parse (const gchar * data, gsize len, GError ** error)
{
  g_autoptr (JsonNode) root = clarifai_json_parse_root (data, len, error);
  JsonObject *model, *version, *method;
  ClarifaiModelInfo *info;

  if (root == NULL)
    return NULL;
  model = clarifai_json_object (json_node_get_object (root), "model");
  if (model == NULL) {
    g_set_error_literal (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "body has no model");
    return NULL;
  }
  info = g_new0 (ClarifaiModelInfo, 1);
  info->type_id = clarifai_json_utf8 (model, "model_type_id");
  if (info->type_id == NULL)
    info->type_id = g_strdup ("");
  version = clarifai_json_object (model, "model_version");
  /* the method requests are sent to: predict, else the first */
  method = clarifai_json_find (clarifai_json_array (version,
          "method_signatures"), "name", "predict");
  if (method)
    read_signature (info, method);
  if (info->image_arg == NULL)
    info->image_arg = g_strdup ("image");
  return info;
}

ClarifaiModelInfo *
clarifai_model_info_copy (const ClarifaiModelInfo * info)
{
  ClarifaiModelInfo *copy = g_memdup2 (info, sizeof (*info));

  copy->type_id = g_strdup (info->type_id);
  copy->image_arg = g_strdup (info->image_arg);
  copy->prompt_arg = g_strdup (info->prompt_arg);
  return copy;
}

void
clarifai_model_info_free (ClarifaiModelInfo * info)
{
  if (info == NULL)
    return;
  g_free (info->type_id);
  g_free (info->image_arg);
  g_free (info->prompt_arg);
  g_free (info);
}
