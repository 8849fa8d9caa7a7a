/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Every kind of Clarifai visual model through the element, against the
 * reference server's models (design.md section 13): a detector's boxes,
 * a captioner's text, a VLM's answer to a prompt in the parts shape, the
 * model probe at start, and what a model that cannot be used says. */

#include "config.h"

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#ifdef HAVE_GST_ANALYTICS
#include <gst/analytics/analytics.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "clarifaiserver.h"
#include "fixture.h"

#define WAIT (20 * GST_SECOND)
#define WIDTH 320
#define HEIGHT 240
#define BLACK 0x000000
#define RED 0xff0000
#define BLUE 0x0000ff

#define DETECTOR "model=general-image-detection"
#define CAPTIONER "user-id=salesforce app-id=blip " \
  "model=general-english-image-caption-blip"
#define VLM "user-id=qwen app-id=qwen-VL model=Qwen2_5-VL-7B-Instruct"
#define JSON_PROMPT "prompt=\"List the colours you see as a JSON array\""

typedef struct
{
  GstHarness *h;
  GstElement *el;
  GstBus *bus;
  guint pushed;
} Tagger;

/* A tagger on RGB frames of WIDTH x HEIGHT; @before and @after (or NULL)
 * are elements around it in one bin, as "videoconvert ! video/x-raw,
 * format=I420". */
static Tagger *
tagger_new_in (const gchar * props, const gchar * before, const gchar * after)
{
  Tagger *t = g_new0 (Tagger, 1);
  g_autofree gchar *desc = g_strdup_printf ("%s%s clarifaitag name=tagger "
      "api-url=%s api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY " interval=0 %s "
      "%s%s", before ? before : "", before ? " !" : "",
      clarifai_server_get_url (fixture_server), props, after ? "! " : "",
      after ? after : "");
  GError *err = NULL;

  t->el = gst_parse_bin_from_description (desc, TRUE, &err);
  fail_unless (t->el != NULL, "%s: %s", desc, err ? err->message : "");
  t->h = fixture_harness_new (gst_object_ref (t->el), &t->bus,
      "video/x-raw,format=RGB,width=320,height=240,framerate=10/1");
  return t;
}

static Tagger *
tagger_new (const gchar * props)
{
  return tagger_new_in (props, NULL, NULL);
}

static void
tagger_free (Tagger * t)
{
  fixture_harness_free (t->h, t->bus);
  gst_object_unref (t->el);
  g_free (t);
}

static void
fill (GstVideoFrame * f, guint32 rgb, guint x0, guint y0, guint w, guint h)
{
  guint x, y;

  for (y = y0; y < y0 + h; y++) {
    guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (f, 0) +
        y * GST_VIDEO_FRAME_PLANE_STRIDE (f, 0);

    for (x = x0; x < x0 + w; x++) {
      row[3 * x] = rgb >> 16;
      row[3 * x + 1] = rgb >> 8;
      row[3 * x + 2] = rgb;
    }
  }
}

/* A black RGB frame with a red box of 96x72 at (64, 48), that is x, y, w,
 * h = 0.2, 0.2, 0.3, 0.3, and, if @second, a smaller blue one lower
 * right. */
static GstBuffer *
boxes_frame (gboolean second)
{
  GstVideoInfo info;
  GstVideoFrame f;
  GstBuffer *buf;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, WIDTH, HEIGHT);
  buf = gst_buffer_new_allocate (NULL, info.size, NULL);
  fail_unless (gst_video_frame_map (&f, &info, buf, GST_MAP_WRITE));
  fill (&f, BLACK, 0, 0, WIDTH, HEIGHT);
  fill (&f, RED, 64, 48, 96, 72);
  if (second)
    fill (&f, BLUE, 224, 168, 48, 40);
  gst_video_frame_unmap (&f);
  return buf;
}

/* Pushes a frame; returns the buffer that came out. */
static GstBuffer *
push (Tagger * t, GstBuffer * buf)
{
  GST_BUFFER_PTS (buf) = t->pushed * GST_SECOND / 10;
  GST_BUFFER_DURATION (buf) = GST_SECOND / 10;
  t->pushed++;
  fail_unless_equals_int (gst_harness_push (t->h, buf), GST_FLOW_OK);
  return gst_harness_pull (t->h);
}

static void
push_drop (Tagger * t, GstBuffer * buf)
{
  gst_buffer_unref (push (t, buf));
}

/* The next message named @name; NULL when none comes. */
static GstStructure *
next_message (Tagger * t, const gchar * name)
{
  GstMessage *msg;

  while ((msg = gst_bus_timed_pop_filtered (t->bus, WAIT, GST_MESSAGE_ELEMENT))) {
    GstStructure *s = gst_message_has_name (msg, name) ?
        gst_structure_copy (gst_message_get_structure (msg)) : NULL;

    gst_message_unref (msg);
    if (s)
      return s;
  }
  return NULL;
}

static GstStructure *
next_tags (Tagger * t)
{
  GstStructure *s = next_message (t, "clarifai-tags");

  fail_unless (s != NULL, "no clarifai-tags message");
  return s;
}

static const GValue *
array (const GstStructure * s, const gchar * field)
{
  const GValue *v = gst_structure_get_value (s, field);

  fail_unless (v != NULL && GST_VALUE_HOLDS_ARRAY (v), "no array %s", field);
  return v;
}

static const gchar *
string_at (const GstStructure * s, const gchar * field, guint i)
{
  return g_value_get_string (gst_value_array_get_value (array (s, field), i));
}

static const GstStructure *
region_at (const GstStructure * s, guint i)
{
  return gst_value_get_structure (gst_value_array_get_value (array (s,
              "regions"), i));
}

static gdouble
dbl (const GstStructure * s, const gchar * field)
{
  gdouble v = -1;

  fail_unless (gst_structure_get_double (s, field, &v), "no %s", field);
  return v;
}

static void
assert_near (gdouble got, gdouble want, const gchar * what)
{
  /* a cell of the server's grid is 4 px: 0.0125 of 320, and JPEG blurs */
  fail_unless (fabs (got - want) < 0.04, "%s %f, not about %f", what, got,
      want);
}

/* The red box, where it was drawn. */
static void
assert_red_box (const GstStructure * r)
{
  fail_unless_equals_string (gst_structure_get_string (r, "label"), "red");
  fail_unless_equals_string (gst_structure_get_string (r, "concept-id"),
      "ai_red");
  assert_near (dbl (r, "x"), 0.2, "x");
  assert_near (dbl (r, "y"), 0.2, "y");
  assert_near (dbl (r, "width"), 0.3, "width");
  assert_near (dbl (r, "height"), 0.3, "height");
  fail_unless (dbl (r, "probability") > 0.5 && dbl (r, "probability") <= 1.0);
  fail_unless_equals_string (string_at (r, "classes", 0), "red");
  fail_unless_equals_string (gst_structure_get_string (r, "text"), "");
  fail_unless_equals_string (gst_structure_get_string (r, "track-id"), "");
}

static ClarifaiServerRequest *
request_at (GPtrArray * requests, guint i)
{
  fail_unless (i < requests->len);
  return g_ptr_array_index (requests, i);
}

/* A detector's box is in the message and in the meta of the buffers that
 * follow, at the fractions of the frame where the blob was drawn; the
 * detector gives no whole-frame tags or text. */
GST_START_TEST (test_detector_regions)
{
  Tagger *t = tagger_new (DETECTOR);
  g_autoptr (GPtrArray) requests = NULL;
  GstStructure *s;
  GstBuffer *out;
  GstCustomMeta *meta;

  push_drop (t, boxes_frame (FALSE));
  s = next_tags (t);
  fail_unless_equals_string (gst_structure_get_string (s, "status"), "OK");
  fail_unless_equals_string (gst_structure_get_string (s, "model"),
      "general-image-detection");
  fail_unless_equals_int (gst_value_array_get_size (array (s, "classes")), 0);
  fail_unless_equals_string (gst_structure_get_string (s, "text"), "");
  fail_if (gst_structure_has_field (s, "prompt-tokens"));
  fail_unless_equals_int (gst_value_array_get_size (array (s, "regions")), 1);
  assert_red_box (region_at (s, 0));
  gst_structure_free (s);

  out = push (t, boxes_frame (FALSE));
  meta = gst_buffer_get_custom_meta (out, "ClarifaiTagMeta");
  fail_unless (meta != NULL);
  assert_red_box (region_at (gst_custom_meta_get_structure (meta), 0));
  gst_buffer_unref (out);
  s = next_tags (t);
  gst_structure_free (s);

  requests = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_string (request_at (requests, 0)->shape, "image");
  fail_unless (request_at (requests, 0)->prompt == NULL);
  tagger_free (t);
}

GST_END_TEST;

/* max-tags keeps the most probable boxes, on the element's side: the
 * service answers both. */
GST_START_TEST (test_detector_max_tags)
{
  Tagger *t = tagger_new (DETECTOR " max-tags=1");
  GstStructure *s;

  push_drop (t, boxes_frame (TRUE));
  s = next_tags (t);
  fail_unless_equals_int (gst_value_array_get_size (array (s, "regions")), 1);
  assert_red_box (region_at (s, 0));
  gst_structure_free (s);
  tagger_free (t);

  t = tagger_new (DETECTOR " select-classes=blue");
  push_drop (t, boxes_frame (TRUE));
  s = next_tags (t);
  fail_unless_equals_int (gst_value_array_get_size (array (s, "regions")), 1);
  fail_unless_equals_string (gst_structure_get_string (region_at (s, 0),
          "label"), "blue");
  assert_near (dbl (region_at (s, 0), "x"), 0.7, "x");
  gst_structure_free (s);
  tagger_free (t);
}

GST_END_TEST;

/* Boxes in pixels, far outside the frame or without area are left out,
 * and the status message counts them; the frame is still OK. */
GST_START_TEST (test_detector_bad_boxes)
{
  Tagger *t = tagger_new (DETECTOR " max-in-flight=1");
  GstStructure *s;

  clarifai_server_add_fault (fixture_server,
      CLARIFAI_SERVER_FAULT_BOXES_IN_PIXELS, 1, 0);
  push_drop (t, boxes_frame (FALSE));
  s = next_tags (t);
  fail_unless_equals_string (gst_structure_get_string (s, "status"), "OK");
  fail_unless_equals_int (gst_value_array_get_size (array (s, "regions")), 0);
  fail_unless (strstr (gst_structure_get_string (s, "status-msg"),
          "1 boxes outside the frame dropped"), "%s",
      gst_structure_get_string (s, "status-msg"));
  gst_structure_free (s);

  clarifai_server_add_fault (fixture_server,
      CLARIFAI_SERVER_FAULT_BOXES_OUT_OF_RANGE, 1, 0);
  push_drop (t, boxes_frame (FALSE));
  s = next_tags (t);
  fail_unless_equals_int (gst_value_array_get_size (array (s, "regions")), 0);
  fail_unless (strstr (gst_structure_get_string (s, "status-msg"),
          "2 boxes outside the frame dropped"), "%s",
      gst_structure_get_string (s, "status-msg"));
  gst_structure_free (s);

  push_drop (t, boxes_frame (FALSE));
  s = next_tags (t);
  assert_red_box (region_at (s, 0));
  fail_unless_equals_string (gst_structure_get_string (s, "status-msg"), "Ok");
  gst_structure_free (s);
  tagger_free (t);
}

GST_END_TEST;

/* A captioner's sentence is the result's text; with a prompt, a legacy
 * model gets it as text.raw beside the image. */
GST_START_TEST (test_caption)
{
  Tagger *t = tagger_new (CAPTIONER);
  g_autoptr (GPtrArray) requests = NULL;
  GstStructure *s;

  push_drop (t, boxes_frame (FALSE));
  s = next_tags (t);
  fail_unless_equals_string (gst_structure_get_string (s, "status"), "OK");
  fail_unless_equals_string (gst_structure_get_string (s, "text"),
      "a black image with a red blob");
  fail_unless_equals_int (gst_value_array_get_size (array (s, "classes")), 0);
  fail_unless_equals_int (gst_value_array_get_size (array (s, "regions")), 0);
  gst_structure_free (s);
  tagger_free (t);

  t = tagger_new (CAPTIONER " prompt=\"a photograph of\"");
  push_drop (t, boxes_frame (FALSE));
  s = next_tags (t);
  fail_unless_equals_string (gst_structure_get_string (s, "text"),
      "a black image with a red blob");
  gst_structure_free (s);
  requests = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_string (request_at (requests, 1)->shape, "text");
  fail_unless_equals_string (request_at (requests, 1)->prompt,
      "a photograph of");
  tagger_free (t);
}

GST_END_TEST;

/* A VLM with method signatures gets parts (prompt, image, max_tokens,
 * temperature) one frame per request; its JSON answer, in a code fence,
 * is the text and gives the tags; token counts come with it. */
GST_START_TEST (test_vlm_parts)
{
  Tagger *t = tagger_new (VLM " " JSON_PROMPT " max-tokens=100 "
      "temperature=0.5 batch-size=4 batch-timeout=2000000000");
  g_autoptr (GPtrArray) requests = NULL;
  ClarifaiServerRequest *r;
  GstStructure *s;
  guint64 tokens = 0;
  guint i;

  push_drop (t, boxes_frame (FALSE));
  push_drop (t, boxes_frame (FALSE));
  for (i = 0; i < 2; i++) {
    s = next_tags (t);
    fail_unless_equals_string (gst_structure_get_string (s, "status"), "OK");
    fail_unless (g_str_has_prefix (gst_structure_get_string (s, "text"),
            "```json\n[\"black\", \"red\"]"), "%s",
        gst_structure_get_string (s, "text"));
    fail_unless_equals_int (gst_value_array_get_size (array (s, "classes")), 2);
    fail_unless_equals_string (string_at (s, "classes", 0), "black");
    fail_unless_equals_string (string_at (s, "classes", 1), "red");
    fail_unless_equals_float (g_value_get_double (gst_value_array_get_value
            (array (s, "probabilities"), 1)), 1.0);
    /* 9 words of prompt and the image's 64 */
    fail_unless (gst_structure_get_uint64 (s, "prompt-tokens", &tokens));
    fail_unless_equals_uint64 (tokens, 73);
    fail_unless (gst_structure_get_uint64 (s, "completion-tokens", &tokens));
    fail_unless (tokens > 0);
    gst_structure_free (s);
  }
  requests = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_int (requests->len, 2);
  r = request_at (requests, 0);
  fail_unless_equals_int (r->n_images, 1);
  fail_unless_equals_string (r->shape, "parts");
  fail_unless_equals_string (r->method, "predict");
  fail_unless_equals_string (r->prompt,
      "List the colours you see as a JSON array");
  fail_unless_equals_int (r->max_tokens, 100);
  fail_unless_equals_float (r->temperature, 0.5);
  tagger_free (t);
}

GST_END_TEST;

/* Alerts watch a box's label and a VLM's tags as they watch a
 * classifier's. */
GST_START_TEST (test_alerts_on_boxes_and_answers)
{
  const gchar *configs[] = { DETECTOR, VLM " " JSON_PROMPT };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (configs); i++) {
    g_autofree gchar *props = g_strdup_printf ("%s alert-classes=red "
        "alert-threshold=0.5", configs[i]);
    Tagger *t = tagger_new (props);
    GstStructure *alert;

    push_drop (t, boxes_frame (FALSE));
    alert = next_message (t, "clarifai-alert");
    fail_unless (alert != NULL, "no alert with %s", configs[i]);
    fail_unless_equals_string (gst_structure_get_string (alert, "class"),
        "red");
    fail_unless_equals_string (gst_structure_get_string (alert, "state"),
        "appeared");
    gst_structure_free (alert);
    tagger_free (t);
  }
}

GST_END_TEST;

/* The next error is @domain/@code and says @says. */
static void
assert_error (Tagger * t, GQuark domain, gint code, const gchar * says)
{
  GstMessage *msg = gst_bus_timed_pop_filtered (t->bus, WAIT,
      GST_MESSAGE_ERROR);
  g_autoptr (GError) err = NULL;
  g_autofree gchar *debug = NULL;

  fail_unless (msg != NULL, "no error");
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (g_error_matches (err, domain, code), "%s", err->message);
  fail_unless (strstr (err->message, says) || strstr (debug, says),
      "\"%s\" not in %s: %s", says, err->message, debug);
  gst_message_unref (msg);
}

/* A model that requires a prompt, without one, is a start-up error that
 * names the setting; no frame is sent. */
GST_START_TEST (test_vlm_needs_prompt)
{
  Tagger *t = tagger_new (VLM);
  g_autoptr (GPtrArray) requests = NULL;
  GstStructure *s;

  assert_error (t, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
      "set prompt");
  push_drop (t, boxes_frame (FALSE));
  s = next_tags (t);
  fail_unless_equals_string (gst_structure_get_string (s, "status"),
      "PROMPT_REQUIRED");
  gst_structure_free (s);
  requests = clarifai_server_get_tag_requests (fixture_server);
  fail_unless_equals_int (requests->len, 0);
  tagger_free (t);
}

GST_END_TEST;

/* A model made private (decommissioned) fails at start-up, before any
 * frame, and says so; one that needs a deployment fails at its first
 * request, saying that. */
GST_START_TEST (test_model_unavailable)
{
  Tagger *t = tagger_new ("model=ocr-scene-english-paddleocr");
  GstStructure *s;

  assert_error (t, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND, "private");
  push_drop (t, boxes_frame (FALSE));
  s = next_tags (t);
  fail_unless_equals_string (gst_structure_get_string (s, "status"),
      "MODEL_DOES_NOT_EXIST");
  gst_structure_free (s);
  tagger_free (t);

  t = tagger_new ("user-id=openbmb app-id=miniCPM "
      "model=MiniCPM-o-2_6-language prompt=\"What is there?\"");
  push_drop (t, boxes_frame (FALSE));
  s = next_tags (t);
  fail_unless_equals_string (gst_structure_get_string (s, "status"),
      "MODEL_NOT_DEPLOYED");
  gst_structure_free (s);
  assert_error (t, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND,
      "needs a deployment");
  tagger_free (t);
}

GST_END_TEST;

/* The probe asks once per account and model, however many elements. */
GST_START_TEST (test_probe_once)
{
  Tagger *a = tagger_new (VLM " " JSON_PROMPT);
  Tagger *b;
  GstStructure *s;

  push_drop (a, boxes_frame (FALSE));
  s = next_tags (a);
  gst_structure_free (s);
  b = tagger_new (VLM " " JSON_PROMPT);
  push_drop (b, boxes_frame (FALSE));
  s = next_tags (b);
  fail_unless_equals_string (string_at (s, "classes", 1), "red");
  gst_structure_free (s);
  fail_unless_equals_int (clarifai_server_get_model_requests (fixture_server),
      1);
  tagger_free (a);
  tagger_free (b);
}

GST_END_TEST;

/* The standard metas of @buf, in the order they were added. */
static GPtrArray *
rois (GstBuffer * buf)
{
  GPtrArray *all = g_ptr_array_new ();
  gpointer state = NULL;
  GstMeta *meta;

  while ((meta = gst_buffer_iterate_meta_filtered (buf, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
    g_ptr_array_add (all, meta);
  return all;
}

/* Where a fraction of the frame starts and ends in pixels of @extent. */
static void
expect_span (gdouble from, gdouble size, guint extent, guint * pos, guint * len)
{
  *pos = (guint) lround (from * extent);
  *len = (guint) lround ((from + size) * extent) - *pos;
}

/* Each ROI meta of @buf is the region of @tags at its index, in pixels of
 * a @width x @height frame: its label as roi_type, and, unless @scaled
 * (a scaler drops the params), the `detection` and `clarifai-region`
 * params. */
static void
assert_rois (GstBuffer * buf, const GstStructure * tags, guint width,
    guint height, gboolean scaled)
{
  g_autoptr (GPtrArray) got = rois (buf);
  guint i, n = gst_value_array_get_size (array (tags, "regions"));
  gint slack = scaled ? 2 : 0;

  fail_unless_equals_int (got->len, n);
  for (i = 0; i < n; i++) {
    GstVideoRegionOfInterestMeta *roi = g_ptr_array_index (got, i);
    const GstStructure *r = region_at (tags, i), *det, *own;
    guint x, y, w, h, j;
    gint label_id;

    expect_span (dbl (r, "x"), dbl (r, "width"), width, &x, &w);
    expect_span (dbl (r, "y"), dbl (r, "height"), height, &y, &h);
    fail_unless_equals_string (g_quark_to_string (roi->roi_type),
        gst_structure_get_string (r, "label"));
    /* scaled: twice the pixels rounded once, not the fraction rounded */
    fail_unless (abs ((gint) roi->x - (gint) x) <= slack
        && abs ((gint) roi->y - (gint) y) <= slack
        && abs ((gint) roi->w - (gint) w) <= slack
        && abs ((gint) roi->h - (gint) h) <= slack,
        "box %u at %u,%u %ux%u, not %u,%u %ux%u", i, roi->x, roi->y, roi->w,
        roi->h, x, y, w, h);
    fail_unless_equals_int (roi->parent_id, -1);
    for (j = 0; j < i; j++)
      fail_if (((GstVideoRegionOfInterestMeta *) g_ptr_array_index (got,
                  j))->id == roi->id, "two boxes with id %d", roi->id);

    det = gst_video_region_of_interest_meta_get_param (roi, "detection");
    own = gst_video_region_of_interest_meta_get_param (roi, "clarifai-region");
    if (scaled) {
      fail_unless (det == NULL && own == NULL);
      continue;
    }
    fail_unless (det != NULL && own != NULL);
    fail_unless_equals_float (dbl (det, "x_min"), dbl (r, "x"));
    fail_unless_equals_float (dbl (det, "y_min"), dbl (r, "y"));
    fail_unless_equals_float (dbl (det, "x_max"), dbl (r, "x") +
        dbl (r, "width"));
    fail_unless_equals_float (dbl (det, "y_max"), dbl (r, "y") +
        dbl (r, "height"));
    fail_unless_equals_float (dbl (det, "confidence"), dbl (r, "probability"));
    fail_unless_equals_string (gst_structure_get_string (det, "label"),
        gst_structure_get_string (r, "label"));
    fail_unless (gst_structure_get_int (det, "label_id", &label_id));
    fail_unless_equals_int (label_id, (gint) roi->roi_type);
    fail_unless_equals_string (gst_structure_get_string (own, "model"),
        gst_structure_get_string (tags, "model"));
    fail_unless_equals_string (string_at (own, "classes", 0),
        string_at (r, "classes", 0));
    fail_unless_equals_float (dbl (own, "probability"), dbl (r, "probability"));
  }
}

/* The tagged frame's result and the next buffer out, which carries it. */
static GstBuffer *
tag_boxes (Tagger * t, GstStructure ** tags)
{
  GstBuffer *out;

  push_drop (t, boxes_frame (TRUE));
  *tags = next_tags (t);
  fail_unless_equals_string (gst_structure_get_string (*tags, "status"), "OK");
  fail_unless_equals_int (gst_value_array_get_size (array (*tags,
              "regions")), 2);
  out = push (t, boxes_frame (TRUE));
  gst_structure_free (next_tags (t));
  return out;
}

/* Each box is also a region-of-interest meta, for elements that know
 * nothing of this project, on I420 as on RGB and JPEG (whose caps give the
 * size), in sync mode as without:
 * in the buffer's pixels, on the blob that was drawn (the red one is
 * 96x72 at 64,48), labelled in roi_type, with DL Streamer's `detection`
 * param and our own. */
GST_START_TEST (test_roi_meta)
{
  const gchar *cases[][2] = { {"RGB", ""}, {"I420", ""},
  {"I420", "sync=true"}, {"JPEG", ""}
  };
  guint c;

  for (c = 0; c < G_N_ELEMENTS (cases); c++) {
    g_autofree gchar *convert = g_str_equal (cases[c][0], "JPEG") ?
        g_strdup ("jpegenc") : g_strdup_printf ("videoconvert ! "
        "video/x-raw,format=%s", cases[c][0]);
    g_autofree gchar *props = g_strconcat (DETECTOR " ", cases[c][1], NULL);
    Tagger *t = tagger_new_in (props, convert, NULL);
    GstStructure *tags;
    GstBuffer *out = tag_boxes (t, &tags);
    GstVideoRegionOfInterestMeta *red;
    g_autoptr (GPtrArray) got = rois (out);

    GST_INFO ("%s %s: %u boxes", cases[c][0], cases[c][1], got->len);
    assert_rois (out, tags, WIDTH, HEIGHT, FALSE);
    red = g_ptr_array_index (got, 0);
    fail_unless_equals_string (g_quark_to_string (red->roi_type), "red");
    fail_unless (abs ((gint) red->x - 64) <= 8 && abs ((gint) red->y - 48) <= 8
        && abs ((gint) red->w - 96) <= 8 && abs ((gint) red->h - 72) <= 8,
        "%s: red at %u,%u %ux%u", cases[c][0], red->x, red->y, red->w, red->h);
    gst_buffer_unref (out);
    gst_structure_free (tags);
    tagger_free (t);
  }
}

GST_END_TEST;

/* A scaler after the element moves the boxes with the frame (GStreamer's
 * ROI meta transform), and drops the params: the label stays, in
 * roi_type. */
GST_START_TEST (test_roi_meta_scaled)
{
  Tagger *t = tagger_new_in (DETECTOR, "videoconvert ! video/x-raw,"
      "format=I420", "videoscale ! capsfilter caps=video/x-raw,width=640,"
      "height=480");
  GstStructure *tags;
  GstBuffer *out = tag_boxes (t, &tags);

  assert_rois (out, tags, 2 * WIDTH, 2 * HEIGHT, TRUE);
  gst_buffer_unref (out);
  gst_structure_free (tags);
  tagger_free (t);
}

GST_END_TEST;

/* standard-meta=false: ClarifaiTagMeta only. */
GST_START_TEST (test_roi_meta_off)
{
  Tagger *t = tagger_new (DETECTOR " standard-meta=false");
  GstStructure *tags;
  GstBuffer *out = tag_boxes (t, &tags);
  g_autoptr (GPtrArray) got = rois (out);

  fail_unless_equals_int (got->len, 0);
  fail_unless (gst_buffer_get_custom_meta (out, "ClarifaiTagMeta") != NULL);
  gst_buffer_unref (out);
  gst_structure_free (tags);
  tagger_free (t);
}

GST_END_TEST;

#ifdef HAVE_GST_ANALYTICS

/* Built against GStreamer >= 1.24: the whole frame's tags are one ClsMtd,
 * highest first, related to nothing. */
GST_START_TEST (test_analytics_classes)
{
  Tagger *t = tagger_new ("");
  GstStructure *tags;
  GstBuffer *out;
  GstAnalyticsRelationMeta *rmeta;
  GstAnalyticsClsMtd cls;
  gpointer state = NULL;
  guint i, n;

  push_drop (t, boxes_frame (FALSE));
  tags = next_tags (t);
  n = gst_value_array_get_size (array (tags, "classes"));
  fail_unless (n >= 2, "%u tags", n);
  out = push (t, boxes_frame (FALSE));
  gst_structure_free (next_tags (t));

  rmeta = gst_buffer_get_analytics_relation_meta (out);
  fail_unless (rmeta != NULL);
  fail_unless_equals_int (gst_analytics_relation_get_length (rmeta), 1);
  fail_unless (gst_analytics_relation_meta_iterate (rmeta, &state,
          gst_analytics_cls_mtd_get_mtd_type (), (GstAnalyticsMtd *) & cls));
  fail_unless_equals_int (gst_analytics_cls_mtd_get_length (&cls), n);
  for (i = 0; i < n; i++) {
    fail_unless_equals_string (g_quark_to_string
        (gst_analytics_cls_mtd_get_quark (&cls, i)), string_at (tags,
            "classes", i));
    fail_unless (fabs (gst_analytics_cls_mtd_get_level (&cls, i) -
            g_value_get_double (gst_value_array_get_value (array (tags,
                        "probabilities"), i))) < 1e-6);
  }
  fail_unless (gst_analytics_cls_mtd_get_level (&cls, 0) >=
      gst_analytics_cls_mtd_get_level (&cls, 1));
  gst_buffer_unref (out);
  gst_structure_free (tags);
  tagger_free (t);
}

GST_END_TEST;

/* Each box is an ODMtd (its label as type, its box as the ROI meta's, its
 * probability as confidence) with a ClsMtd of its concepts that it
 * CONTAINs and RELATEs_TO, and that IS_PART_OF it; the ROI meta of the box
 * has the ODMtd's id. */
GST_START_TEST (test_analytics_boxes)
{
  Tagger *t = tagger_new_in (DETECTOR, "videoconvert ! video/x-raw,"
      "format=I420", NULL);
  GstStructure *tags;
  GstBuffer *out = tag_boxes (t, &tags);
  GstAnalyticsRelationMeta *rmeta = gst_buffer_get_analytics_relation_meta
      (out);
  GstAnalyticsODMtd od;
  gpointer state = NULL;
  guint n = 0;

  fail_unless (rmeta != NULL);
  while (gst_analytics_relation_meta_iterate (rmeta, &state,
          gst_analytics_od_mtd_get_mtd_type (), &od)) {
    const GstStructure *r = region_at (tags, n++);
    GstVideoRegionOfInterestMeta *roi;
    GstAnalyticsClsMtd cls;
    gpointer rel_state = NULL;
    gint x, y, w, h;
    gfloat conf;

    fail_unless_equals_string (g_quark_to_string
        (gst_analytics_od_mtd_get_obj_type (&od)),
        gst_structure_get_string (r, "label"));
    roi = gst_buffer_get_video_region_of_interest_meta_id (out, od.id);
    fail_unless (roi != NULL, "no ROI meta with the ODMtd's id %u", od.id);
    fail_unless (gst_analytics_od_mtd_get_location (&od, &x, &y, &w, &h,
            &conf));
    fail_unless (x == (gint) roi->x && y == (gint) roi->y && w == (gint) roi->w
        && h == (gint) roi->h);
    fail_unless (fabs (conf - dbl (r, "probability")) < 1e-6);

    fail_unless (gst_analytics_relation_meta_get_direct_related (rmeta, od.id,
            GST_ANALYTICS_REL_TYPE_RELATE_TO,
            gst_analytics_cls_mtd_get_mtd_type (), &rel_state, &cls));
    fail_unless_equals_string (g_quark_to_string
        (gst_analytics_cls_mtd_get_quark (&cls, 0)),
        gst_structure_get_string (r, "label"));
    fail_unless (gst_analytics_relation_meta_get_relation (rmeta, od.id,
            cls.id) & GST_ANALYTICS_REL_TYPE_CONTAIN);
    fail_unless_equals_int (gst_analytics_relation_meta_get_relation (rmeta,
            cls.id, od.id), GST_ANALYTICS_REL_TYPE_IS_PART_OF);
  }
  fail_unless_equals_int (n, 2);
  gst_buffer_unref (out);
  gst_structure_free (tags);
  tagger_free (t);
}

GST_END_TEST;

/* objectdetectionoverlay, which knows nothing of this project, draws the
 * boxes from the analytics metas: its outline runs along the red blob's
 * edges (the blob is 96x72 at 64,48), and the inside and the background
 * keep their colours. */
GST_START_TEST (test_analytics_overlay)
{
  Tagger *t = tagger_new_in (DETECTOR, "videoconvert ! video/x-raw,"
      "format=I420", "objectdetectionoverlay draw-labels=false "
      "object-detection-outline-color=0xff00ff00 ! videoconvert ! "
      "capsfilter caps=video/x-raw,format=RGB");
  GstStructure *tags;
  GstBuffer *out = tag_boxes (t, &tags);
  GstVideoInfo info;
  GstVideoFrame f;
  const guint edges[][2] = { {112, 48}, {112, 48 + 72}, {64, 84},
  {64 + 96, 84}
  };
  guint e;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, WIDTH, HEIGHT);
  fail_unless (gst_video_frame_map (&f, &info, out, GST_MAP_READ));
  for (e = 0; e < G_N_ELEMENTS (edges); e++) {
    gboolean green = FALSE;
    gint d;

    /* the outline is a few pixels wide, the blob's edge within the
     * detector's 4 px grid */
    for (d = -4; d <= 4 && !green; d++) {
      guint x = edges[e][0] + (e < 2 ? 0 : d);
      guint y = edges[e][1] + (e < 2 ? d : 0);
      const guint8 *p = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0) +
          y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0) + 3 * x;

      green = p[0] < 100 && p[1] > 150 && p[2] < 100;
    }
    fail_unless (green, "no outline near %u,%u", edges[e][0], edges[e][1]);
  }
  {
    const guint8 *inside = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f,
        0) + 84 * GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0) + 3 * 112;
    const guint8 *background = (const guint8 *)
        GST_VIDEO_FRAME_PLANE_DATA (&f, 0) + 10 *
        GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0) + 3 * 10;

    fail_unless (inside[0] > 150 && inside[1] < 100, "inside %u,%u,%u",
        inside[0], inside[1], inside[2]);
    fail_unless (background[0] < 50 && background[1] < 50
        && background[2] < 50);
  }
  gst_video_frame_unmap (&f);
  gst_buffer_unref (out);
  gst_structure_free (tags);
  tagger_free (t);
}

GST_END_TEST;

#endif

static Suite *
clarifaimodels_suite (void)
{
  Suite *s = suite_create ("clarifaimodels");
  TCase *tc = tcase_create ("general");
#ifdef HAVE_GST_ANALYTICS
  TCase *analytics = tcase_create ("analytics");
#endif

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, fixture_server_setup, fixture_server_teardown);
  tcase_add_test (tc, test_detector_regions);
  tcase_add_test (tc, test_detector_max_tags);
  tcase_add_test (tc, test_detector_bad_boxes);
  tcase_add_test (tc, test_caption);
  tcase_add_test (tc, test_vlm_parts);
  tcase_add_test (tc, test_alerts_on_boxes_and_answers);
  tcase_add_test (tc, test_vlm_needs_prompt);
  tcase_add_test (tc, test_model_unavailable);
  tcase_add_test (tc, test_probe_once);
  tcase_add_test (tc, test_roi_meta);
  tcase_add_test (tc, test_roi_meta_scaled);
  tcase_add_test (tc, test_roi_meta_off);
#ifdef HAVE_GST_ANALYTICS
  /* meson registers these checks only when the analytics library is
   * found */
  suite_add_tcase (s, analytics);
  tcase_set_timeout (analytics, 120);
  tcase_add_checked_fixture (analytics, fixture_server_setup,
      fixture_server_teardown);
  tcase_add_test (analytics, test_analytics_classes);
  tcase_add_test (analytics, test_analytics_boxes);
  tcase_add_test (analytics, test_analytics_overlay);
#endif
  return s;
}

GST_CHECK_MAIN (clarifaimodels);
