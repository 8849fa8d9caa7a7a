/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Names that results make last as long as the process (interned strings,
 * quarks) are bounded: a VLM that answers new words every frame, or a
 * faulty service, must not grow the process without end.  Past the
 * budget, every name still reaches the message and ClarifaiTagMeta.
 * The budget is the process's: one test spends it, in this binary of its
 * own. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/gst.h>
#include <gst/video/video.h>
#ifdef HAVE_GST_ANALYTICS
#include <gst/analytics/analytics.h>
#endif

#include "clarifainames.h"
#include "clarifaimeta.h"
#include "clarifaistdmeta.h"
#include "clarifaiv2.h"

#define OK_STATUS "\"status\": {\"code\": 10000, \"description\": \"Ok\"}"

/* The message structure of an answer with a whole-frame concept @tag
 * (and "red") and a box labelled @label. */
static GstStructure *
read_answer (const gchar * tag, const gchar * label)
{
  g_autofree gchar *body = g_strdup_printf ("{" OK_STATUS ", \"outputs\": "
      "[{" OK_STATUS ", \"input\": {\"id\": \"f\"}, \"data\": {\"concepts\": "
      "[{\"id\": \"%s-id\", \"name\": \"%s\", \"value\": 0.9}, {\"id\": "
      "\"r\", \"name\": \"red\", \"value\": 0.5}], \"regions\": "
      "[{\"region_info\": {\"bounding_box\": {\"top_row\": 0.25, "
      "\"left_col\": 0.25, \"bottom_row\": 0.75, \"right_col\": 0.5}}, "
      "\"data\": {\"concepts\": [{\"id\": \"%s-id\", \"name\": \"%s\", "
      "\"value\": 0.8}]}}]}}]}", tag, tag, label, label);
  g_autoptr (GError) err = NULL;
  ClarifaiTagResponse *r = clarifai_v2_response_parse (body, strlen (body),
      &err);
  ClarifaiLimits limits = { 0.0, 0, NULL };
  /* a frame on the stack: clarifai_frame_new() would link the client in,
   * which ASan's run loads again with the plugin */
  ClarifaiFrame frame = { 0, };
  ClarifaiResult result = { &frame, "OK", "", "", "m", NULL, 0 };
  ClarifaiItemResult *item;
  GstStructure *s;

  g_assert_no_error (err);
  g_assert_cmpuint (r->items->len, ==, 1);
  item = g_ptr_array_index (r->items, 0);
  clarifai_item_result_apply_limits (item, &limits);
  result.item = item;
  s = clarifai_result_to_structure (&result);
  /* the structure outlives the answer it was read from */
  clarifai_tag_response_free (r);
  return s;
}

static const gchar *
array_string (const GstStructure * s, const gchar * field, guint i)
{
  const GValue *a = gst_structure_get_value (s, field);

  g_assert_nonnull (a);
  g_assert_cmpuint (i, <, gst_value_array_get_size (a));
  return g_value_get_string (gst_value_array_get_value (a, i));
}

static const GstStructure *
first_region (const GstStructure * s)
{
  const GValue *regions = gst_structure_get_value (s, "regions");

  g_assert_cmpuint (gst_value_array_get_size (regions), ==, 1);
  return gst_value_get_structure (gst_value_array_get_value (regions, 0));
}

#ifdef HAVE_GST_ANALYTICS
/* The whole frame's ClsMtd, the first one attached. */
static void
check_frame_classes (GstBuffer * buf, const gchar * const *classes)
{
  GstAnalyticsRelationMeta *rmeta = gst_buffer_get_analytics_relation_meta
      (buf);
  GstAnalyticsClsMtd cls;
  gpointer state = NULL;
  guint i;

  g_assert_nonnull (rmeta);
  g_assert_true (gst_analytics_relation_meta_iterate (rmeta, &state,
          gst_analytics_cls_mtd_get_mtd_type (), (GstAnalyticsMtd *) & cls));
  g_assert_cmpuint (gst_analytics_cls_mtd_get_length (&cls), ==,
      g_strv_length ((gchar **) classes));
  for (i = 0; classes[i]; i++)
    g_assert_cmpstr (g_quark_to_string (gst_analytics_cls_mtd_get_quark (&cls,
                i)), ==, classes[i]);
}
#endif

/* The ROI that clarifai_std_meta_attach() gives a buffer for @s, and with
 * analytics the whole frame's @classes. */
static void
check_roi (const GstStructure * s, const gchar * type, const gchar * label,
    const gchar * const *classes)
{
  ClarifaiStdMeta *std = clarifai_std_meta_new (s);
  GstBuffer *buf = gst_buffer_new ();
  GstVideoRegionOfInterestMeta *roi;
  GstStructure *detection;

  clarifai_std_meta_attach (std, buf, 640, 480);
#ifdef HAVE_GST_ANALYTICS
  check_frame_classes (buf, classes);
#endif
  roi = (GstVideoRegionOfInterestMeta *) gst_buffer_get_meta (buf,
      GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE);
  g_assert_nonnull (roi);
  g_assert_cmpstr (g_quark_to_string (roi->roi_type), ==, type);
  g_assert_cmpuint (roi->x, ==, 160);
  g_assert_cmpuint (roi->w, ==, 160);
  detection = gst_video_region_of_interest_meta_get_param (roi,
      CLARIFAI_STD_META_DETECTION_PARAM);
  g_assert_nonnull (detection);
  g_assert_cmpstr (gst_structure_get_string (detection, "label"), ==, label);
  gst_buffer_unref (buf);
  clarifai_std_meta_free (std);
}

static void
test_budget (void)
{
  g_autofree gchar *pad = g_strnfill (200, 'p');
  g_autofree gchar *long_name = g_strnfill (CLARIFAI_NAMES_MAX_LEN, 'l');
  g_autofree gchar *tag = NULL, *label = NULL, *tag_id = NULL;
  const gchar *const green_red[] = { "green", "red", NULL };
  const gchar *const red[] = { "red", NULL };
  GStringChunk *spill = NULL;
  const gchar *kept;
  GstStructure *s;
  guint n;

  /* Known names cost nothing and stay shared. */
  s = read_answer ("green", "ball");
  g_assert_true (array_string (s, "classes", 0) == g_intern_string ("green"));
  check_roi (s, "ball", "ball", green_red);
  gst_structure_free (s);

  /* Prose is never made a quark, even within the budget. */
  g_assert_null (clarifai_name_intern (long_name));
  g_assert_cmpuint (g_quark_try_string (long_name), ==, 0);
  kept = clarifai_name_keep (long_name, &spill);
  g_assert_cmpstr (kept, ==, long_name);
  g_assert_true (clarifai_name_keep (long_name, &spill) == kept);
  g_string_chunk_free (spill);

  /* Spend the budget: names of 211 bytes cost 244 each. */
  for (n = 0;; n++) {
    g_autofree gchar *name = g_strdup_printf ("%s-%010u", pad, n);

    if (clarifai_name_intern (name) == NULL)
      break;
    g_assert_cmpuint (n, <, CLARIFAI_NAMES_BUDGET / 200);
  }
  g_test_message ("%u names of 211 bytes interned within the budget", n);
  g_assert_cmpuint (n, >=, CLARIFAI_NAMES_BUDGET / 250);
  /* and the rest, down to less than a short name's cost */
  for (n = 0;; n++) {
    g_autofree gchar *name = g_strdup_printf ("s%06u", n);

    if (clarifai_name_intern (name) == NULL)
      break;
    g_assert_cmpuint (n, <, 10);
  }

  /* Past it, new names are copies that die with their result. */
  tag = g_strdup ("a brand new word");
  tag_id = g_strdup_printf ("%s-id", tag);
  label = g_strdup ("another new word");
  s = read_answer (tag, label);
  g_assert_cmpstr (array_string (s, "classes", 0), ==, tag);
  g_assert_cmpstr (array_string (s, "concept-ids", 0), ==, tag_id);
  g_assert_cmpstr (array_string (s, "classes", 1), ==, "red");
  g_assert_cmpstr (gst_structure_get_string (first_region (s), "label"), ==,
      label);
  g_assert_cmpstr (array_string (first_region (s), "classes", 0), ==, label);
  g_assert_cmpuint (g_quark_try_string (tag), ==, 0);
  g_assert_cmpuint (g_quark_try_string (tag_id), ==, 0);
  g_assert_cmpuint (g_quark_try_string (label), ==, 0);

  /* The ROI is typed "clarifai-other" and keeps the label as text, and a
   * ClsMtd leaves the new tag out: no quark is made for either. */
  check_roi (s, CLARIFAI_STD_META_OTHER_TYPE, label, red);
  g_assert_cmpuint (g_quark_try_string (tag), ==, 0);
  g_assert_cmpuint (g_quark_try_string (label), ==, 0);

  /* A copy of the structure (a buffer's meta) holds its own copies. */
  {
    GstStructure *copy = gst_structure_copy (s);

    gst_structure_free (s);
    g_assert_cmpstr (array_string (copy, "classes", 0), ==, tag);
    gst_structure_free (copy);
  }

  /* Names interned before the budget ran out are still shared. */
  s = read_answer ("green", "ball");
  check_roi (s, "ball", "ball", green_red);
  gst_structure_free (s);
}

/* A VLM's JSON tags are kept the same way. */
static void
test_vlm_tags_past_budget (void)
{
  g_autoptr (ClarifaiItemResult) item = clarifai_item_result_new ();

  /* test_budget ran first and spent the budget */
  g_assert_null (clarifai_name_intern ("a third new word"));
  g_free (item->text);
  item->text = g_strdup ("[\"a third new word\", \"red\"]");
  g_assert_true (clarifai_item_result_tags_from_text (item));
  g_assert_cmpuint (item->tags.len, ==, 2);
  g_assert_cmpstr (item->tags.classes[0], ==, "a third new word");
  g_assert_nonnull (item->tags.spill);
  g_assert_true (item->tags.classes[1] == g_intern_string ("red"));
  g_assert_cmpuint (g_quark_try_string ("a third new word"), ==, 0);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/names/budget", test_budget);
  g_test_add_func ("/names/vlm-tags-past-budget", test_vlm_tags_past_budget);
  return g_test_run ();
}
