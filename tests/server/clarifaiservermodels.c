/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The reference server's v2 models (design.md section 13,
 * clarifai-v2-models.md), each answering deterministically from the
 * pixels: a classifier (the colours), a detector (a box per blob), a
 * captioner (a sentence), and vision-language models in the newer `parts`
 * shape with method signatures, whose answer depends on the prompt.  Also
 * a model made private and one that needs a deployment, as Clarifai's
 * legacy and community models are since 2025-12-31. */

#include "clarifaiserver-private.h"

#include <string.h>

/* German colour names, so that `language` shows in the answer. */
static const gchar *german[CLARIFAI_SERVER_N_COLOURS] = {
  "schwarz", "weiß", "grau", "rot", "orange", "gelb", "grün", "cyan",
  "blau", "lila", "magenta",
};

/* A VLM's one method as the SDK's signature JSON gives it
 * (clarifai-v2-models.md 3.2), plus a streaming one it does not use. */
#define VLM_SIGNATURES "[{\"name\":\"predict\",\"method_type\":" \
  "\"UNARY_UNARY\",\"description\":\"Answers a prompt about an image.\"," \
  "\"input_fields\":[{\"name\":\"prompt\",\"type\":\"STR\",\"required\":true}," \
  "{\"name\":\"image\",\"type\":\"IMAGE\"},{\"name\":\"chat_history\"," \
  "\"type\":\"LIST\",\"type_args\":[{\"type\":\"JSON_DATA\"}]},{\"name\":" \
  "\"max_tokens\",\"type\":\"INT\",\"default\":\"512\",\"is_param\":true}," \
  "{\"name\":\"temperature\",\"type\":\"FLOAT\",\"default\":\"0.7\"," \
  "\"is_param\":true}],\"output_fields\":[{\"name\":\"return\",\"type\":" \
  "\"STR\"}]},{\"name\":\"generate\",\"method_type\":\"UNARY_STREAMING\"," \
  "\"input_fields\":[{\"name\":\"prompt\",\"type\":\"STR\"}]," \
  "\"output_fields\":[{\"name\":\"return\",\"type\":\"STR\"," \
  "\"iterator\":true}]}]"

static const ServerModel models[] = {
  {"clarifai", "main", "general-image-recognition",
        "aaa03c23b3724a16a56b629203edc62c", "aa7f35c01e0642fda5cf400f543e7c40",
        "Image Recognition", "visual-classifier", SERVER_KIND_CLASSIFIER,
      SERVER_MODEL_SERVED, NULL},
  {"clarifai", "main", "general-image-detection", NULL,
        "1580bb1932594c93b7e2e04456af7c6f", "Image Detection",
        "visual-detector", SERVER_KIND_DETECTOR, SERVER_MODEL_SERVED,
      NULL},
  {"salesforce", "blip", "general-english-image-caption-blip", NULL,
        "cdb690f13e62470ea6723642044f95e4", "BLIP caption", "image-to-text",
      SERVER_KIND_CAPTIONER, SERVER_MODEL_SERVED, NULL},
  {"qwen", "qwen-VL", "Qwen2_5-VL-7B-Instruct", NULL,
        "9d4a7f3c2b1e4d5f8a6b0c7e1f2d3a4b", "Qwen2.5-VL-7B-Instruct",
        "multimodal-to-text", SERVER_KIND_VLM, SERVER_MODEL_SERVED,
      VLM_SIGNATURES},
  {"deepseek-ai", "deepseek-ocr", "DeepSeek-OCR", NULL,
        "0c1d2e3f4a5b4c6d8e7f9a0b1c2d3e4f", "DeepSeek-OCR",
        "multimodal-to-text", SERVER_KIND_VLM, SERVER_MODEL_SERVED,
      VLM_SIGNATURES},
  {"clarifai", "main", "ocr-scene-english-paddleocr", NULL,
        "46e99516c2d94f58baf2bcaf5a6a53a9", "OCR", "image-to-text",
      SERVER_KIND_CAPTIONER, SERVER_MODEL_PRIVATE, NULL},
  {"openbmb", "miniCPM", "MiniCPM-o-2_6-language", NULL,
        "7e6d5c4b3a2f4e1d9c8b7a6f5e4d3c2b", "MiniCPM-o-2.6",
        "multimodal-to-text", SERVER_KIND_VLM, SERVER_MODEL_UNDEPLOYED,
      VLM_SIGNATURES},
};

/**
 * clarifai_server_find_model:
 * @user_id, @app_id: %NULL for the key's own app, clarifai/main
 * @app_known: (out): whether any model lives in that user's app
 *
 * Returns: (nullable): the model of that id (or older id) in that app
 */
const ServerModel *
clarifai_server_find_model (const gchar * user_id, const gchar * app_id,
    const gchar * id, gboolean * app_known)
{
  guint i;

  *app_known = FALSE;
  for (i = 0; i < G_N_ELEMENTS (models); i++) {
    const ServerModel *m = &models[i];

    if (!g_str_equal (user_id ? user_id : "clarifai", m->user_id)
        || !g_str_equal (app_id ? app_id : "main", m->app_id))
      continue;
    *app_known = TRUE;
    if (g_str_equal (id, m->id) || g_strcmp0 (id, m->alt_id) == 0)
      return m;
  }
  return NULL;
}

guint
clarifai_server_colour_index (const gchar * name)
{
  guint i;

  for (i = 0; i < CLARIFAI_SERVER_N_COLOURS; i++)
    if (g_str_equal (clarifai_server_colour_names[i], name))
      break;
  return i;
}

/* The `model` object of outputs and of GET …/models/{id}. */
void
clarifai_server_model_describe (GString * out, const ServerModel * m,
    gboolean signatures)
{
  g_string_append (out, "{\"id\":");
  clarifai_server_json_string (out, m->id);
  g_string_append (out, ",\"name\":");
  clarifai_server_json_string (out, m->name);
  g_string_append (out, ",\"created_at\":\"2025-06-01T00:00:00.000000Z\","
      "\"app_id\":");
  clarifai_server_json_string (out, m->app_id);
  g_string_append (out, ",\"user_id\":");
  clarifai_server_json_string (out, m->user_id);
  g_string_append (out, ",\"model_type_id\":");
  clarifai_server_json_string (out, m->type_id);
  g_string_append (out, ",\"model_version\":{\"id\":");
  clarifai_server_json_string (out, m->version);
  g_string_append (out, ",\"status\":{\"code\":21100,\"description\":"
      "\"Model is trained and ready\"}");
  if (signatures && m->signatures)
    g_string_append_printf (out, ",\"method_signatures\":%s", m->signatures);
  g_string_append (out, "}}");
}

/* A part's data by the part's id, else NULL. */
static JsonObject *
part_data (JsonArray * parts, const gchar * id)
{
  guint i;

  for (i = 0; parts && i < json_array_get_length (parts); i++) {
    JsonNode *node = json_array_get_element (parts, i);
    JsonObject *part = JSON_NODE_HOLDS_OBJECT (node) ?
        json_node_get_object (node) : NULL;

    if (part && g_strcmp0 (clarifai_server_string (part, "id"), id) == 0)
      return clarifai_server_object (part, "data", NULL);
  }
  return NULL;
}

/**
 * clarifai_server_read_input:
 * @data: an input's `data`
 *
 * Reads an input in either shape: the classic one (`image`, and a prompt
 * as `text.raw`) or the `parts` of a pythonic model's method.
 */
void
clarifai_server_read_input (JsonObject * data, ServerInput * in)
{
  JsonNode *node = clarifai_server_member (data, "parts", NULL);
  JsonArray *parts = node && JSON_NODE_HOLDS_ARRAY (node) ?
      json_node_get_array (node) : NULL;
  JsonObject *metadata = clarifai_server_object (data, "metadata", NULL);
  gdouble d;

  in->max_tokens = -1;
  in->temperature = -1;
  in->method = clarifai_server_string (metadata, "_method_name");
  if (parts == NULL) {
    in->shape = "image";
    in->image = clarifai_server_string (clarifai_server_object (data, "image",
            NULL), "base64");
    in->prompt = clarifai_server_string (clarifai_server_object (data, "text",
            NULL), "raw");
    if (in->prompt)
      in->shape = "text";
    return;
  }
  in->shape = "parts";
  in->image = clarifai_server_string (clarifai_server_object (part_data (parts,
              "image"), "image", NULL), "base64");
  in->prompt = clarifai_server_string (part_data (parts, "prompt"),
      "string_value");
  if (clarifai_server_number (part_data (parts, "max_tokens"), "int_value",
          "intValue", &d))
    in->max_tokens = (gint64) d;
  if (clarifai_server_number (part_data (parts, "temperature"),
          "float_value", "floatValue", &d))
    in->temperature = d;
}

static gboolean
colour_selected (const ServerConfig * config, const gchar * name)
{
  g_autofree gchar *id = g_strconcat ("ai_", name, NULL);

  return config->names == NULL
      || g_strv_contains ((const gchar * const *) config->names, name)
      || g_strv_contains ((const gchar * const *) config->names, id);
}

static void
append_concept (GString * out, guint colour, gdouble value,
    const ServerConfig * config, ClarifaiServerFault fault)
{
  const gchar *name = clarifai_server_colour_names[colour];
  g_autofree gchar *id = g_strconcat ("ai_", name, NULL);
  gchar num[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, "{\"id\":");
  clarifai_server_json_string (out, id);
  g_string_append (out, ",\"name\":");
  clarifai_server_json_string (out, config->german ? german[colour] : name);
  if (fault == CLARIFAI_SERVER_FAULT_NON_UTF8)
    g_string_insert (out, out->len - 1, "\xff\xfe");
  g_string_append_printf (out, ",\"value\":%s,\"app_id\":\"main\"}",
      g_ascii_formatd (num, sizeof (num), "%.4f", value));
}

static void
append_concepts (GString * out, const ServerImage * img,
    const ServerConfig * config, ClarifaiServerFault fault)
{
  guint i, n = 0;

  g_string_append (out, "\"concepts\":[");
  for (i = 0; i < CLARIFAI_SERVER_N_COLOURS && img->bins[i].count; i++) {
    gdouble value = (gdouble) img->bins[i].count / img->total;

    if (!colour_selected (config, img->bins[i].name)
        || value < config->min_value || (gint64) n >= config->max_concepts)
      continue;
    if (n++)
      g_string_append_c (out, ',');
    append_concept (out, clarifai_server_colour_index (img->bins[i].name),
        value, config, fault);
  }
  g_string_append_c (out, ']');
}

static void
append_box (GString * out, gdouble top, gdouble left, gdouble bottom,
    gdouble right)
{
  gchar t[G_ASCII_DTOSTR_BUF_SIZE], l[G_ASCII_DTOSTR_BUF_SIZE];
  gchar b[G_ASCII_DTOSTR_BUF_SIZE], r[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "\"region_info\":{\"bounding_box\":{"
      "\"top_row\":%s,\"left_col\":%s,\"bottom_row\":%s,\"right_col\":%s}}",
      g_ascii_formatd (t, sizeof (t), "%.6f", top),
      g_ascii_formatd (l, sizeof (l), "%.6f", left),
      g_ascii_formatd (b, sizeof (b), "%.6f", bottom),
      g_ascii_formatd (r, sizeof (r), "%.6f", right));
}

/* One region per blob, labelled with its colour, its value the share of
 * its box it fills.  The faults make boxes a client must not trust:
 * pixels instead of fractions, or a box far outside and one without
 * area. */
static void
append_regions (GString * out, const ServerImage * img, const gchar * seed,
    const ServerConfig * config, ClarifaiServerFault fault)
{
  gdouble sx = fault == CLARIFAI_SERVER_FAULT_BOXES_IN_PIXELS ? img->width : 1;
  gdouble sy = fault == CLARIFAI_SERVER_FAULT_BOXES_IN_PIXELS ? img->height : 1;
  gchar num[G_ASCII_DTOSTR_BUF_SIZE];
  guint i, n = 0;

  g_string_append (out, "\"regions\":[");
  for (i = 0; i < img->n_blobs; i++) {
    const ServerBlob *b = &img->blobs[i];
    g_autofree gchar *key = NULL, *id = NULL;

    if (!colour_selected (config, clarifai_server_colour_names[b->colour])
        || b->fill < config->min_value)
      continue;
    key = g_strdup_printf ("%s-%u", seed, i);
    id = g_compute_checksum_for_string (G_CHECKSUM_MD5, key, -1);
    if (n++)
      g_string_append_c (out, ',');
    g_string_append (out, "{\"id\":");
    clarifai_server_json_string (out, id);
    g_string_append_c (out, ',');
    if (fault == CLARIFAI_SERVER_FAULT_BOXES_OUT_OF_RANGE && n == 1)
      append_box (out, b->top, b->left, 2.0, b->right);
    else
      append_box (out, b->top * sy, b->left * sx, b->bottom * sy,
          b->right * sx);
    g_string_append (out, ",\"data\":{\"concepts\":[");
    append_concept (out, b->colour, b->fill, config, fault);
    g_string_append_printf (out, "]},\"value\":%s}",
        g_ascii_formatd (num, sizeof (num), "%.4f", b->fill));
  }
  if (fault == CLARIFAI_SERVER_FAULT_BOXES_OUT_OF_RANGE) {
    g_string_append (out, n ? ",{" : "{");
    append_box (out, 0.5, 0.1, 0.5, 0.4);
    g_string_append (out, ",\"value\":0.9}");
  }
  g_string_append_c (out, ']');
}

/* "a black image with a white blob and a red blob" */
static gchar *
caption (const ServerImage * img)
{
  GString *s = g_string_new ("a ");
  guint i;

  g_string_append (s, img->bins[0].name);
  g_string_append (s, " image");
  for (i = 0; i < img->n_blobs; i++) {
    g_string_append (s, i ? " and a " : " with a ");
    g_string_append (s, clarifai_server_colour_names[img->blobs[i].colour]);
    g_string_append (s, " blob");
  }
  return g_string_free (s, FALSE);
}

static guint
count_words (const gchar * text)
{
  g_auto (GStrv) words = g_strsplit_set (text ? text : "", " \n\t", -1);
  guint i, n = 0;

  for (i = 0; words[i]; i++)
    n += *words[i] != '\0';
  return n;
}

/* Asked for JSON, the colours of at least 1% of the image, most first, in a code fence as VLMs write it; asked to read, the
 * blobs' colours in capitals, one line each from the top; otherwise a
 * sentence.  At most @max_tokens words. */
static gchar *
vlm_answer (const ServerImage * img, const ServerInput * in)
{
  g_autofree gchar *lower = g_ascii_strdown (in->prompt, -1);
  g_auto (GStrv) words = NULL;
  GString *s;
  guint i;

  if (strstr (lower, "json")) {
    s = g_string_new ("```json\n[");
    for (i = 0; i < CLARIFAI_SERVER_N_COLOURS; i++) {
      if (img->bins[i].count * 100 < img->total)
        break;
      g_string_append_printf (s, "%s\"%s\"", i ? ", " : "", img->bins[i].name);
    }
    g_string_append (s, "]\n```");
  } else if (strstr (lower, "read") || strstr (lower, "text")) {
    s = g_string_new (NULL);
    for (i = 0; i < img->n_blobs; i++) {
      g_autofree gchar *up = g_ascii_strup (clarifai_server_colour_names
          [img->blobs[i].colour], -1);

      g_string_append_printf (s, "%s%s", i ? "\n" : "", up);
    }
  } else {
    g_autofree gchar *what = caption (img);

    s = g_string_new ("The picture shows ");
    g_string_append_printf (s, "%s.", what);
  }
  if (in->max_tokens > 0 && count_words (s->str) > in->max_tokens) {
    words = g_strsplit (s->str, " ", in->max_tokens + 1);
    g_free (words[in->max_tokens]);
    words[in->max_tokens] = NULL;
    g_string_free (s, TRUE);
    return g_strjoinv (" ", words);
  }
  return g_string_free (s, FALSE);
}

/**
 * clarifai_server_append_data:
 * @seed: makes region ids unique per image
 *
 * Appends, to an output object whose status is OK, what @m answers for
 * @img: `"data":{…}` and, for a VLM, the token counts.
 */
void
clarifai_server_append_data (GString * out, const ServerModel * m,
    const ServerImage * img, const ServerInput * in, const gchar * seed,
    const ServerConfig * config, ClarifaiServerFault fault)
{
  g_autofree gchar *text = NULL;

  g_string_append (out, ",\"data\":{");
  switch (m->kind) {
    case SERVER_KIND_CLASSIFIER:
      append_concepts (out, img, config, fault);
      g_string_append_c (out, '}');
      return;
    case SERVER_KIND_DETECTOR:
      append_regions (out, img, seed, config, fault);
      g_string_append_c (out, '}');
      return;
    case SERVER_KIND_CAPTIONER:
      text = caption (img);
      g_string_append (out, "\"text\":{\"raw\":");
      clarifai_server_json_string (out, text);
      g_string_append (out, ",\"text_info\":{\"encoding\":"
          "\"UnknownTextEnc\"}}}");
      return;
    case SERVER_KIND_VLM:
      text = vlm_answer (img, in);
      if (g_str_equal (in->shape, "parts")) {
        g_string_append (out, "\"parts\":[{\"id\":\"return\",\"data\":{"
            "\"string_value\":");
        clarifai_server_json_string (out, text);
        g_string_append (out, "}}]}");
      } else {
        /* the runner's shim answers the classic shape in both places */
        g_string_append (out, "\"text\":{\"raw\":");
        clarifai_server_json_string (out, text);
        g_string_append (out, "},\"string_value\":");
        clarifai_server_json_string (out, text);
        g_string_append_c (out, '}');
      }
      g_string_append_printf (out, ",\"prompt_tokens\":\"%u\","
          "\"completion_tokens\":%u", count_words (in->prompt) + 64,
          count_words (text));
      return;
  }
}
