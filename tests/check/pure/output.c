/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the v2 reader makes of every kind of visual model's answer
 * (clarifai-v2-models.md; design.md section 13), and what `threshold`,
 * `max-tags` and `select-classes` keep of boxes. */

#include <string.h>

#include "clarifaiv2.h"

#define OK_STATUS "\"status\": {\"code\": 10000, \"description\": \"Ok\"}"

static ClarifaiTagResponse *
parse (const gchar * outputs)
{
  g_autofree gchar *body = g_strdup_printf ("{" OK_STATUS ", \"outputs\": "
      "[%s]}", outputs);
  g_autoptr (GError) err = NULL;
  ClarifaiTagResponse *r = clarifai_v2_response_parse (body, strlen (body),
      &err);

  g_assert_no_error (err);
  g_assert_nonnull (r);
  return r;
}

static ClarifaiItemResult *
only_item (ClarifaiTagResponse * r)
{
  g_assert_cmpuint (r->items->len, ==, 1);
  return g_ptr_array_index (r->items, 0);
}

static const ClarifaiRegion *
region (ClarifaiItemResult * item, guint i)
{
  g_assert_cmpuint (i, <, item->regions->len);
  return g_ptr_array_index (item->regions, i);
}

static const ClarifaiLimits keep_all = { 0.0, 0, NULL };

/* The face detector's answer as captured in 2024 (models doc 1.1). */
static void
test_detector (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{\"id\": \"o\", " OK_STATUS
      ", \"model\": {\"id\": \"face-detection\", \"model_type_id\": "
      "\"visual-detector\"}, \"input\": {\"id\": \"frame-1\"}, \"data\": "
      "{\"regions\": [{\"id\": \"09d3ae\", \"region_info\": {\"bounding_box\":"
      " {\"top_row\": 0.16418046, \"left_col\": 0.25184146, \"bottom_row\": "
      "0.8389962, \"right_col\": 0.75013465}}, \"data\": {\"concepts\": "
      "[{\"id\": \"ai_b1b1b1b1\", \"name\": \"BINARY_POSITIVE\", \"value\": "
      "1, \"app_id\": \"main\"}]}, \"value\": 0.97}]}}");
  ClarifaiItemResult *item = only_item (r);
  const ClarifaiRegion *box;

  clarifai_item_result_apply_limits (item, &keep_all);
  g_assert_cmpuint (item->tags.len, ==, 0);
  g_assert_cmpstr (item->text, ==, "");
  box = region (item, 0);
  g_assert_cmpfloat_with_epsilon (box->x, 0.25184146, 1e-9);
  g_assert_cmpfloat_with_epsilon (box->y, 0.16418046, 1e-9);
  g_assert_cmpfloat_with_epsilon (box->width, 0.75013465 - 0.25184146, 1e-9);
  g_assert_cmpfloat_with_epsilon (box->height, 0.8389962 - 0.16418046, 1e-9);
  g_assert_cmpstr (box->label, ==, "BINARY_POSITIVE");
  g_assert_cmpstr (box->concept_id, ==, "ai_b1b1b1b1");
  /* the region's own value, not its concept's */
  g_assert_cmpfloat (box->probability, ==, 0.97);
  g_assert_cmpuint (box->concepts.len, ==, 1);
  g_assert_null (box->text);
  g_assert_null (box->track_id);
}

/* A detector uploaded with the SDK: no region value, concepts in any
 * order, a zero edge left out, camelCase from a gateway. */
static void
test_pythonic_detector (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{" OK_STATUS ", \"data\": "
      "{\"regions\": [{\"region_info\": {\"boundingBox\": {\"bottomRow\": 0.5,"
      " \"rightCol\": 0.25}}, \"track_id\": \"t7\", \"data\": {\"concepts\": "
      "[{\"id\": \"cat\", \"name\": \"cat\", \"value\": 0.4}, {\"id\": \"dog\","
      " \"name\": \"dog\", \"value\": 0.8}]}}]}}");
  ClarifaiItemResult *item = only_item (r);
  const ClarifaiRegion *box;

  clarifai_item_result_apply_limits (item, &keep_all);
  box = region (item, 0);
  g_assert_cmpfloat (box->x, ==, 0.0);
  g_assert_cmpfloat (box->y, ==, 0.0);
  g_assert_cmpfloat (box->width, ==, 0.25);
  g_assert_cmpfloat (box->height, ==, 0.5);
  g_assert_cmpstr (box->label, ==, "dog");
  g_assert_cmpfloat (box->probability, ==, 0.8);
  g_assert_cmpstr (box->concepts.classes[1], ==, "cat");
  g_assert_cmpstr (box->track_id, ==, "t7");
}

/* Scene OCR (models doc 2.2): one box per line with its text, no concepts
 * and no page text; the page is the lines in the service's order. */
static void
test_ocr_lines (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{" OK_STATUS ", \"data\": "
      "{\"regions\": [{\"region_info\": {\"bounding_box\": {\"top_row\": 0.1, "
      "\"left_col\": 0.1, \"bottom_row\": 0.2, \"right_col\": 0.3}}, \"data\":"
      " {\"text\": {\"raw\": \"DIGGING\", \"text_info\": {\"encoding\": "
      "\"UnknownTextEnc\"}}}, \"value\": 0.6}, {\"region_info\": "
      "{\"bounding_box\": {\"top_row\": 0.3, \"left_col\": 0.1, "
      "\"bottom_row\": 0.4, \"right_col\": 0.3}}, \"data\": {\"text\": "
      "{\"raw\": \"DEEP\"}}, \"value\": 0.9}]}}");
  ClarifaiItemResult *item = only_item (r);

  clarifai_item_result_apply_limits (item, &keep_all);
  g_assert_cmpstr (item->text, ==, "DIGGING\nDEEP");
  /* boxes highest first; a line is labelled with its text */
  g_assert_cmpstr (region (item, 0)->label, ==, "DEEP");
  g_assert_cmpstr (region (item, 0)->text, ==, "DEEP");
  g_assert_cmpfloat (region (item, 0)->probability, ==, 0.9);
  g_assert_cmpstr (region (item, 1)->label, ==, "DIGGING");
}

/* A legacy captioner: text.raw only. */
static void
test_caption (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{" OK_STATUS ", \"data\": "
      "{\"text\": {\"raw\": \"a photograph of a train station\", "
      "\"text_info\": {\"encoding\": \"UnknownTextEnc\"}}}}");
  ClarifaiItemResult *item = only_item (r);

  g_assert_cmpstr (item->text, ==, "a photograph of a train station");
  g_assert_cmpuint (item->tags.len, ==, 0);
  g_assert_cmpuint (item->regions->len, ==, 0);
  g_assert_cmpint (item->prompt_tokens, ==, -1);
  g_assert_cmpint (item->completion_tokens, ==, -1);
}

/* A pythonic VLM (models doc 3.2): the answer in the part named return,
 * whichever place it has; token counts as numbers or numeric strings. */
static void
test_parts_vlm (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{" OK_STATUS ", \"data\": "
      "{\"parts\": [{\"id\": \"echo\", \"data\": {\"string_value\": "
      "\"not this\"}}, {\"id\": \"return\", \"data\": {\"string_value\": "
      "\"train, platform, person\"}}]}, \"prompt_tokens\": 1234, "
      "\"completion_tokens\": \"9\"}");
  ClarifaiItemResult *item = only_item (r);

  g_assert_cmpstr (item->text, ==, "train, platform, person");
  g_assert_cmpint (item->prompt_tokens, ==, 1234);
  g_assert_cmpint (item->completion_tokens, ==, 9);
  /* prose is not tags */
  g_assert_cmpuint (item->tags.len, ==, 0);
}

/* Asked for JSON, a VLM answers tags as text, often in a code fence; a
 * nested part (a tuple's) is read too. */
static void
test_json_tags (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{" OK_STATUS ", \"data\": "
      "{\"parts\": [{\"data\": {\"parts\": [{\"id\": \"return\", \"data\": "
      "{\"text\": {\"raw\": \"```json\\n[\\\"red\\\", {\\\"name\\\": "
      "\\\"ball\\\", \\\"value\\\": 0.8, \\\"id\\\": \\\"b\\\"}, 7, "
      "{\\\"value\\\": 1}]\\n```\"}}}]}}]}}");
  ClarifaiItemResult *item = only_item (r);

  clarifai_item_result_apply_limits (item, &keep_all);
  g_assert_cmpuint (item->tags.len, ==, 2);
  g_assert_cmpstr (item->tags.classes[0], ==, "red");
  g_assert_cmpfloat (item->tags.probs[0], ==, 1.0);
  g_assert_cmpstr (item->tags.classes[1], ==, "ball");
  g_assert_cmpfloat (item->tags.probs[1], ==, 0.8);
  g_assert_cmpstr (item->tags.concept_ids[1], ==, "b");
}

/* Text that is not a JSON array, or is two of them, gives no tags. */
static void
test_json_tags_refused (void)
{
  const gchar *texts[] = { "[\"a\"] [\"b\"]", "{\"name\": \"a\"}", "[",
    "```\n```", "[\"a\"", "```json [\"a\"]```",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (texts); i++) {
    g_autoptr (ClarifaiItemResult) item = clarifai_item_result_new ();

    g_free (item->text);
    item->text = g_strdup (texts[i]);
    g_assert_false (clarifai_item_result_tags_from_text (item));
    g_assert_cmpuint (item->tags.len, ==, 0);
  }
}

/* Boxes in pixels, far outside, upside down or without area are dropped
 * and counted; a box a little outside is clamped. */
static void
test_bad_boxes (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{" OK_STATUS ", \"data\": "
      "{\"regions\": ["
      "{\"region_info\": {\"bounding_box\": {\"top_row\": 12, \"left_col\": "
      "40, \"bottom_row\": 300, \"right_col\": 200}}, \"value\": 0.9},"
      "{\"region_info\": {\"bounding_box\": {\"top_row\": 0.5, \"left_col\": "
      "0.1, \"bottom_row\": 0.5, \"right_col\": 0.3}}, \"value\": 0.9},"
      "{\"region_info\": {\"bounding_box\": {\"top_row\": 0.6, \"left_col\": "
      "0.1, \"bottom_row\": 0.2, \"right_col\": 0.3}}, \"value\": 0.9},"
      "{\"region_info\": {\"bounding_box\": {\"top_row\": \"x\", "
      "\"left_col\": 0.1, \"bottom_row\": 0.2, \"right_col\": 0.3}}},"
      "{\"region_info\": {\"mask\": {}}, \"value\": 0.9},"
      "{\"region_info\": {\"bounding_box\": {\"top_row\": -0.1, \"left_col\": "
      "0.5, \"bottom_row\": 1.2, \"right_col\": 1.1}}, \"value\": 0.9}]}}");
  ClarifaiItemResult *item = only_item (r);
  const ClarifaiRegion *box;

  g_assert_cmpuint (item->dropped_regions, ==, 4);
  g_assert_nonnull (strstr (item->status_msg, "4 boxes outside the frame"));
  g_assert_cmpuint (item->regions->len, ==, 1);
  box = region (item, 0);
  g_assert_cmpfloat (box->x, ==, 0.5);
  g_assert_cmpfloat (box->y, ==, 0.0);
  g_assert_cmpfloat (box->width, ==, 0.5);
  g_assert_cmpfloat (box->height, ==, 1.0);
}

#define BOX(label, value) "{\"region_info\": {\"bounding_box\": {\"top_row\": " \
  "0.1, \"left_col\": 0.1, \"bottom_row\": 0.2, \"right_col\": 0.3}}, " \
  "\"data\": {\"concepts\": [{\"id\": \"id-" label "\", \"name\": \"" label \
  "\", \"value\": " value "}, {\"name\": \"other\", \"value\": 0.05}]}}"

/* threshold, max-tags and select-classes apply to the boxes by their top
 * concept, and to each box's concepts. */
static void
test_region_limits (void)
{
  const gchar *answer = "{" OK_STATUS ", \"data\": {\"concepts\": "
      "[{\"name\": \"street\", \"value\": 0.7}], \"regions\": [" BOX ("car",
      "0.6") "," BOX ("person", "0.9") "," BOX ("dog", "0.3") ","
      BOX ("bike", "0.8") "]}}";
  gchar *only_people[] = { "person", "id-bike", NULL };
  ClarifaiLimits limits = { 0.5, 0, NULL };
  ClarifaiItemResult *item;
  ClarifaiTagResponse *r = parse (answer);

  item = only_item (r);
  clarifai_item_result_apply_limits (item, &limits);
  g_assert_cmpuint (item->regions->len, ==, 3);
  g_assert_cmpstr (region (item, 0)->label, ==, "person");
  g_assert_cmpstr (region (item, 1)->label, ==, "bike");
  g_assert_cmpstr (region (item, 2)->label, ==, "car");
  /* the box's weak second concept is below the threshold */
  g_assert_cmpuint (region (item, 0)->concepts.len, ==, 1);
  clarifai_tag_response_free (r);

  r = parse (answer);
  item = only_item (r);
  limits.threshold = 0.0;
  limits.max_tags = 2;
  clarifai_item_result_apply_limits (item, &limits);
  g_assert_cmpuint (item->regions->len, ==, 2);
  g_assert_cmpstr (region (item, 0)->label, ==, "person");
  g_assert_cmpstr (region (item, 1)->label, ==, "bike");
  g_assert_cmpuint (region (item, 1)->concepts.len, ==, 2);
  clarifai_tag_response_free (r);

  r = parse (answer);
  item = only_item (r);
  limits.max_tags = 0;
  limits.select = only_people;
  clarifai_item_result_apply_limits (item, &limits);
  g_assert_cmpuint (item->regions->len, ==, 2);
  g_assert_cmpstr (region (item, 0)->label, ==, "person");
  g_assert_cmpstr (region (item, 1)->concept_id, ==, "id-bike");
  g_assert_cmpuint (item->tags.len, ==, 0);
  clarifai_tag_response_free (r);
}

/* Outputs of a model that echoes no input ids pair with the frames by
 * position, only when there is one output per frame. */
static void
test_no_ids (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{" OK_STATUS ", \"data\": "
      "{\"parts\": [{\"id\": \"return\", \"data\": {\"string_value\": "
      "\"one\"}}]}}, {" OK_STATUS ", \"data\": {\"parts\": [{\"id\": "
      "\"return\", \"data\": {\"string_value\": \"two\"}}]}}");

  g_assert_cmpstr (clarifai_item_result_find (r, "frame-1", 1, 2)->text, ==,
      "two");
  g_assert_null (clarifai_item_result_find (r, "frame-1", 1, 3));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/output/detector", test_detector);
  g_test_add_func ("/output/pythonic-detector", test_pythonic_detector);
  g_test_add_func ("/output/ocr-lines", test_ocr_lines);
  g_test_add_func ("/output/caption", test_caption);
  g_test_add_func ("/output/parts-vlm", test_parts_vlm);
  g_test_add_func ("/output/json-tags", test_json_tags);
  g_test_add_func ("/output/json-tags-refused", test_json_tags_refused);
  g_test_add_func ("/output/bad-boxes", test_bad_boxes);
  g_test_add_func ("/output/region-limits", test_region_limits);
  g_test_add_func ("/output/no-ids", test_no_ids);
  return g_test_run ();
}
