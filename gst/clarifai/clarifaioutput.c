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

#include <math.h>

/* parts may nest (a tuple's fields are parts again); a hostile answer
 * cannot make the walk deep. */
#define MAX_PARTS_DEPTH 4

/* A count under either spelling of its name. */
static gboolean
json_count (const ClarifaiJsonDoc * doc, gint obj, const gchar * snake,
    const gchar * camel, gint64 * out)
{
  gint node = clarifai_json_doc_member (doc, obj, snake);

  if (node < 0)
    node = clarifai_json_doc_member (doc, obj, camel);
  return clarifai_json_doc_count (doc, node, out);
}

static void
read_concepts (ClarifaiConcepts * concepts, const ClarifaiJsonDoc * doc,
    gint array)
{
  static const gchar *const names[] = { "value", "name", "id" };
  gint concept;

  for (concept = clarifai_json_doc_first (doc, array); concept >= 0;
      concept = clarifai_json_doc_next (doc, concept)) {
    gint m[G_N_ELEMENTS (names)];
    const gchar *name;
    gdouble value;

    clarifai_json_doc_members (doc, concept, names, m, G_N_ELEMENTS (names));
    if (!clarifai_json_doc_double (doc, m[0], &value) || !isfinite (value))
      continue;
    name = clarifai_json_doc_intern (doc, m[1], &concepts->spill);
    if (name == NULL)
      continue;
    clarifai_concepts_add (concepts, name, value, clarifai_json_doc_id (doc,
            m[2], &concepts->spill));
  }
}

/* text.raw, else string_value (a pythonic model's str), else NULL. */
static gchar *
read_text (const ClarifaiJsonDoc * doc, gint data)
{
  gchar *text = clarifai_json_doc_member_string (doc,
      clarifai_json_doc_object (doc, data, "text"), "raw");

  if (text == NULL)
    text = clarifai_json_doc_member_string (doc, data, "string_value");
  return text;
}

/* An edge; absent is 0 (protobuf's JSON leaves zeros out). */
static gdouble
edge (const ClarifaiJsonDoc * doc, gint snake, gint camel)
{
  gint node = snake >= 0 ? snake : camel;
  gdouble v = 0.0;

  if (node >= 0 && !clarifai_json_doc_double (doc, node, &v))
    v = NAN;
  return v;
}

/* Boxes only: a segmenter's masks and a keypoint model's points have no
 * box to report, and are left out. */
static void
read_regions (ClarifaiItemResult * item, const ClarifaiJsonDoc * doc,
    gint array)
{
  static const gchar *const region_names[] = { "region_info", "value",
    "data", "track_id"
  };
  static const gchar *const info_names[] = { "bounding_box", "boundingBox" };
  static const gchar *const box_names[] = { "top_row", "left_col",
    "bottom_row", "right_col", "topRow", "leftCol", "bottomRow", "rightCol"
  };
  gint r;

  for (r = clarifai_json_doc_first (doc, array); r >= 0;
      r = clarifai_json_doc_next (doc, r)) {
    gint m[G_N_ELEMENTS (region_names)], info[G_N_ELEMENTS (info_names)];
    gint e[G_N_ELEMENTS (box_names)];
    gint box, data;
    ClarifaiRegion *region;
    gchar *text;

    clarifai_json_doc_members (doc, r, region_names, m,
        G_N_ELEMENTS (region_names));
    if (clarifai_json_doc_type (doc, m[0]) != CLARIFAI_JSON_OBJECT)
      continue;
    clarifai_json_doc_members (doc, m[0], info_names, info,
        G_N_ELEMENTS (info_names));
    box = clarifai_json_doc_type (doc, info[0]) == CLARIFAI_JSON_OBJECT ?
        info[0] : info[1];
    if (clarifai_json_doc_type (doc, box) != CLARIFAI_JSON_OBJECT)
      continue;
    clarifai_json_doc_members (doc, box, box_names, e,
        G_N_ELEMENTS (box_names));
    region = clarifai_item_result_add_region (item, edge (doc, e[0], e[4]),
        edge (doc, e[1], e[5]), edge (doc, e[2], e[6]), edge (doc, e[3], e[7]));
    if (region == NULL)
      continue;
    region->has_value = clarifai_json_doc_double (doc, m[1], &region->value)
        && isfinite (region->value);
    data = clarifai_json_doc_type (doc, m[2]) == CLARIFAI_JSON_OBJECT ?
        m[2] : -1;
    read_concepts (&region->concepts, doc, clarifai_json_doc_array (doc, data,
            "concepts"));
    if ((text = read_text (doc, data))) {
      g_free (region->text);
      region->text = text;
    }
    if ((text = clarifai_json_doc_string (doc, m[3]))) {
      g_free (region->track_id);
      region->track_id = text;
    }
  }
}

/* The part with id "return", else the first object: where a pythonic
 * model puts its answer. */
static gint
answer_part (const ClarifaiJsonDoc * doc, gint parts)
{
  gint part, first = -1;

  for (part = clarifai_json_doc_first (doc, parts); part >= 0;
      part = clarifai_json_doc_next (doc, part)) {
    if (clarifai_json_doc_type (doc, part) != CLARIFAI_JSON_OBJECT)
      continue;
    if (first < 0)
      first = part;
    if (clarifai_json_doc_string_is (doc, clarifai_json_doc_member (doc, part,
                "id"), "return"))
      return part;
  }
  return first;
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
clarifai_output_read (ClarifaiItemResult * item, const ClarifaiJsonDoc * doc,
    gint output)
{
  gint data = clarifai_json_doc_object (doc, output, "data");
  gint part;
  gchar *text;
  guint depth;

  json_count (doc, output, "prompt_tokens", "promptTokens",
      &item->prompt_tokens);
  json_count (doc, output, "completion_tokens", "completionTokens",
      &item->completion_tokens);
  for (depth = 0; depth < MAX_PARTS_DEPTH; depth++) {
    part = answer_part (doc, clarifai_json_doc_array (doc, data, "parts"));
    if (part < 0)
      break;
    data = clarifai_json_doc_object (doc, part, "data");
  }
  read_concepts (&item->tags, doc, clarifai_json_doc_array (doc, data,
          "concepts"));
  read_regions (item, doc, clarifai_json_doc_array (doc, data, "regions"));
  if ((text = read_text (doc, data))) {
    g_free (item->text);
    item->text = text;
  }
  clarifai_item_result_finish_text (item);
  clarifai_item_result_tags_from_text (item);
}
