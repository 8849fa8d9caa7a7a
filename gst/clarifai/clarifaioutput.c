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
  gint concept;

  for (concept = clarifai_json_doc_first (doc, array); concept >= 0;
      concept = clarifai_json_doc_next (doc, concept)) {
    gchar *name;
    gdouble value;

    if (!clarifai_json_doc_double (doc, clarifai_json_doc_member (doc,
                concept, "value"), &value) || !isfinite (value))
      continue;
    name = clarifai_json_doc_member_string (doc, concept, "name");
    if (name == NULL)
      continue;
    clarifai_concepts_add (concepts, name, value, clarifai_json_doc_id (doc,
            clarifai_json_doc_member (doc, concept, "id")));
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
edge (const ClarifaiJsonDoc * doc, gint box, const gchar * snake,
    const gchar * camel)
{
  gint node = clarifai_json_doc_member (doc, box, snake);
  gdouble v = 0.0;

  if (node < 0)
    node = clarifai_json_doc_member (doc, box, camel);
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
  gint r;

  for (r = clarifai_json_doc_first (doc, array); r >= 0;
      r = clarifai_json_doc_next (doc, r)) {
    gint info = clarifai_json_doc_object (doc, r, "region_info");
    gint box = clarifai_json_doc_object (doc, info, "bounding_box");
    gint data;
    ClarifaiRegion *region;
    gchar *text;

    if (box < 0)
      box = clarifai_json_doc_object (doc, info, "boundingBox");
    if (box < 0)
      continue;
    region = clarifai_item_result_add_region (item,
        edge (doc, box, "top_row", "topRow"),
        edge (doc, box, "left_col", "leftCol"),
        edge (doc, box, "bottom_row", "bottomRow"),
        edge (doc, box, "right_col", "rightCol"));
    if (region == NULL)
      continue;
    region->has_value = clarifai_json_doc_double (doc,
        clarifai_json_doc_member (doc, r, "value"), &region->value)
        && isfinite (region->value);
    data = clarifai_json_doc_object (doc, r, "data");
    read_concepts (&region->concepts, doc, clarifai_json_doc_array (doc, data,
            "concepts"));
    if ((text = read_text (doc, data))) {
      g_free (region->text);
      region->text = text;
    }
    if ((text = clarifai_json_doc_member_string (doc, r, "track_id"))) {
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
