/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* One reader for what any visual model answers in a v2 output
 * (clarifai-v2-models.md 7.3): a classifier's concepts, a detector's or
 * scene OCR's regions, a captioner's or VLM's text, in the classic shape
 * or in the `parts` of a model uploaded since 2025.  Fields it does not
 * know are ignored, so that a new kind of answer gives what it can. */

#include "clarifaioutput.h"
#include "clarifaijson.h"

#include <math.h>

/* parts may nest (a tuple's fields are parts again); a hostile answer
 * cannot make the walk deep. */
#define MAX_PARTS_DEPTH 4

/* An int64 comes as a number or, in protobuf's JSON, a numeric string. */
static gboolean
json_count (JsonObject * obj, const gchar * snake, const gchar * camel,
    gint64 * out)
{
  JsonNode *node = obj ? json_object_get_member (obj, snake) : NULL;
  g_autofree gchar *s = NULL;
  gdouble d;
  gchar *end;

  if (node == NULL && obj)
    node = json_object_get_member (obj, camel);
  if (clarifai_json_double (node, &d)) {
    if (!(d >= 0 && d <= G_MAXINT32))
      return FALSE;
    *out = (gint64) d;
    return TRUE;
  }
  s = clarifai_json_value_utf8 (node);
  if (s == NULL || *s == '\0')
    return FALSE;
  *out = g_ascii_strtoll (s, &end, 10);
  return *end == '\0' && *out >= 0 && *out <= G_MAXINT32;
}

static void
read_concepts (ClarifaiConcepts * concepts, JsonArray * array)
{
  guint i;

  for (i = 0; array && i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);
    JsonObject *concept;
    gchar *name;
    gdouble value;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      continue;
    concept = json_node_get_object (node);
    name = clarifai_json_utf8 (concept, "name");
    if (name == NULL || !clarifai_json_double (json_object_get_member
            (concept, "value"), &value) || !isfinite (value)) {
      g_free (name);
      continue;
    }
    clarifai_concepts_add (concepts, name, value,
        clarifai_json_id (json_object_get_member (concept, "id")));
  }
}

/* text.raw, else string_value (a pythonic model's str), else NULL. */
static gchar *
read_text (JsonObject * data)
{
  gchar *text = clarifai_json_utf8 (clarifai_json_object (data, "text"),
      "raw");

  if (text == NULL)
    text = clarifai_json_utf8 (data, "string_value");
  return text;
}

/* An edge; absent is 0 (protobuf's JSON leaves zeros out). */
static gdouble
edge (JsonObject * box, const gchar * snake, const gchar * camel)
{
  JsonNode *node = json_object_get_member (box, snake);
  gdouble v = 0.0;

  if (node == NULL)
    node = json_object_get_member (box, camel);
  if (node && !clarifai_json_double (node, &v))
    v = NAN;
  return v;
}

/* Boxes only: a segmenter's masks and a keypoint model's points have no
 * box to report, and are left out. */
static void
read_regions (ClarifaiItemResult * item, JsonArray * array)
{
  guint i;

  for (i = 0; array && i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);
    JsonObject *obj, *info, *box, *data;
    ClarifaiRegion *region;
    g_autofree gchar *text = NULL;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      continue;
    obj = json_node_get_object (node);
    info = clarifai_json_object (obj, "region_info");
    box = clarifai_json_object (info, "bounding_box");
    if (box == NULL)
      box = clarifai_json_object (info, "boundingBox");
    if (box == NULL)
      continue;
    region = clarifai_item_result_add_region (item,
        edge (box, "top_row", "topRow"), edge (box, "left_col", "leftCol"),
        edge (box, "bottom_row", "bottomRow"),
        edge (box, "right_col", "rightCol"));
    if (region == NULL)
      continue;
    region->has_value = clarifai_json_double (json_object_get_member (obj,
            "value"), &region->value) && isfinite (region->value);
    data = clarifai_json_object (obj, "data");
    read_concepts (&region->concepts, clarifai_json_array (data, "concepts"));
    if ((text = read_text (data))) {
      g_free (region->text);
      region->text = g_steal_pointer (&text);
    }
    if ((text = clarifai_json_utf8 (obj, "track_id"))) {
      g_free (region->track_id);
      region->track_id = g_steal_pointer (&text);
    }
  }
}

/**
 * clarifai_output_read:
 * @output: one member of a v2 answer's `outputs`, whose status is OK
 *
 * Adds what @output's data says to @item: concepts as whole-frame tags,
 * boxes, the whole-frame text (else the boxes' lines), token counts, and,
 * when the model answered tags as JSON text (a VLM asked for them), those
 * as tags.
 */
void
clarifai_output_read (ClarifaiItemResult * item, JsonObject * output)
{
  JsonObject *data = clarifai_json_object (output, "data");
  JsonArray *parts;
  gchar *text;
  guint depth;

  json_count (output, "prompt_tokens", "promptTokens", &item->prompt_tokens);
  json_count (output, "completion_tokens", "completionTokens",
      &item->completion_tokens);
  for (depth = 0; depth < MAX_PARTS_DEPTH; depth++) {
    JsonObject *part;

    /* a pythonic model answers in the part "return", else the first */
    parts = clarifai_json_array (data, "parts");
    if ((part = clarifai_json_find (parts, "id", "return")) == NULL)
      break;
    data = clarifai_json_object (part, "data");
  }
  read_concepts (&item->tags, clarifai_json_array (data, "concepts"));
  read_regions (item, clarifai_json_array (data, "regions"));
  if ((text = read_text (data))) {
    g_free (item->text);
    item->text = text;
  }
  clarifai_item_result_finish_text (item);
  clarifai_item_result_tags_from_text (item);
}
