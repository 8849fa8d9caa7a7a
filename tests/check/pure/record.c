/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The published line, read back by json-glib: escaping, nulls, numbers. */

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include "clarifaimeta.h"
#include "clarifairecord.h"

static GstStructure *
result (const gchar * status_msg, const gchar * name, gdouble value,
    guint64 duration)
{
  GstStructure *s = gst_structure_new ("clarifai-tags",
      "timestamp", G_TYPE_UINT64, G_GUINT64_CONSTANT (9223372036854775000),
      "stream-time", G_TYPE_UINT64, GST_CLOCK_TIME_NONE,
      "running-time", G_TYPE_UINT64, (guint64) 0,
      "duration", G_TYPE_UINT64, duration,
      "sample-id", G_TYPE_UINT64, (guint64) 7,
      "status", G_TYPE_STRING, "OK",
      "status-msg", G_TYPE_STRING, status_msg,
      "docid", G_TYPE_STRING, "d",
      "model", G_TYPE_STRING, "m",
      "latency", G_TYPE_UINT64, (guint64) 123, NULL);
  GValue classes = G_VALUE_INIT, probs = G_VALUE_INIT, ids = G_VALUE_INIT;
  GValue v = G_VALUE_INIT;

  gst_value_array_init (&classes, 1);
  gst_value_array_init (&probs, 1);
  gst_value_array_init (&ids, 1);
  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, name);
  gst_value_array_append_value (&classes, &v);
  g_value_set_string (&v, "ai_1");
  gst_value_array_append_value (&ids, &v);
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, value);
  gst_value_array_append_value (&probs, &v);
  g_value_unset (&v);
  gst_structure_take_value (s, "classes", &classes);
  gst_structure_take_value (s, "probabilities", &probs);
  gst_structure_take_value (s, "concept-ids", &ids);
  return s;
}

static JsonObject *
parse (JsonParser * parser, GstStructure * s, const gchar * source)
{
  ClarifaiRecord *record = clarifai_record_new (s,
      G_GINT64_CONSTANT (1796018270123456));
  gsize length;
  g_autofree gchar *line = clarifai_record_to_json (record, source, "v2",
      &length);
  GError *err = NULL;

  clarifai_record_free (record);
  g_assert_cmpuint (strlen (line), ==, length);
  g_assert_null (strchr (line, '\n'));
  g_assert_true (json_parser_load_from_data (parser, line, -1, &err));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_members (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = parse (parser, result ("Ok", "red", 0.9, 40000000), "cam");
  JsonObject *tag;

  g_assert_cmpuint (json_object_get_size (o), ==, 16);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o,
              "regions")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "text"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "cam");
  g_assert_cmpint (json_object_get_int_member (o, "sample_id"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (o, "pts"), ==,
      G_GINT64_CONSTANT (9223372036854775000));
  g_assert_true (json_object_get_null_member (o, "stream_time"));
  g_assert_cmpint (json_object_get_int_member (o, "running_time"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "duration"), ==, 40000000);
  g_assert_cmpstr (json_object_get_string_member (o, "wall_time"), ==,
      "2026-11-30T05:57:50.123Z");
  g_assert_cmpstr (json_object_get_string_member (o, "api"), ==, "v2");
  g_assert_cmpint (json_object_get_int_member (o, "latency"), ==, 123);
  tag = json_array_get_object_element (json_object_get_array_member (o,
          "tags"), 0);
  g_assert_cmpstr (json_object_get_string_member (tag, "name"), ==, "red");
  g_assert_cmpfloat (json_object_get_double_member (tag, "value"), ==, 0.9);
  g_assert_cmpstr (json_object_get_string_member (tag, "concept_id"), ==,
      "ai_1");

  o = parse (parser, result ("Ok", "red", 1.0, GST_CLOCK_TIME_NONE), "cam");
  g_assert_true (json_object_get_null_member (o, "duration"));
}

/* Text from the service and the user is escaped; a source-id that is not
 * UTF-8 comes out valid. */
static void
test_escaping (void)
{
  const gchar *texts[] = { "say \"hi\"", "back\\slash", "two\nlines\r\t",
    "bell\x01 and \x1f", "caf\xc3\xa9 \xe2\x9c\x93", "</script>"
  };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (texts); i++) {
    o = parse (parser, result (texts[i], texts[i], 0.5, 0), texts[i]);
    g_assert_cmpstr (json_object_get_string_member (o, "status_msg"), ==,
        texts[i]);
    g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, texts[i]);
    g_assert_cmpstr (json_object_get_string_member
        (json_array_get_object_element (json_object_get_array_member (o,
                    "tags"), 0), "name"), ==, texts[i]);
  }
  /* a structure holds UTF-8 only; the source-id property may not */
  o = parse (parser, result ("Ok", "x", 0.5, 0), "bad \xff\xfe utf-8");
  g_assert_true (g_utf8_validate (json_object_get_string_member (o,
              "source"), -1, NULL));
}

/* Probabilities read back exactly, short when they can be. */
static void
test_numbers (void)
{
  const gdouble values[] = { 0.0, 1.0, 0.1, 0.98765432, 1.0 / 3.0, 1e-300,
    0.30000000000000004
  };
  g_autoptr (JsonParser) parser = json_parser_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (values); i++) {
    JsonObject *o = parse (parser, result ("Ok", "x", values[i], 0), "c");
    JsonObject *tag = json_array_get_object_element
        (json_object_get_array_member (o, "tags"), 0);

    g_assert_cmpfloat (json_object_get_double_member (tag, "value"), ==,
        values[i]);
    g_assert_cmpint (json_node_get_value_type (json_object_get_member (tag,
                "value")), ==, G_TYPE_DOUBLE);
  }
}

/* A detector's or VLM's result, from the client's outcome through the
 * message structure to the line: boxes, text and token counts. */
static void
test_regions (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (ClarifaiItemResult) item = clarifai_item_result_new ();
  ClarifaiFrame frame = { 0, };
  ClarifaiResult r = { 0, };
  ClarifaiRegion *region;
  ClarifaiLimits limits = { 0.0, 0, NULL };
  JsonObject *o, *box, *first;

  region = clarifai_item_result_add_region (item, 0.25, 0.5, 0.75, 1.0);
  clarifai_concepts_add (&region->concepts, g_intern_static_string ("dog"),
      0.8, g_intern_static_string ("ai_dog"));
  region->track_id = g_strdup ("t1");
  g_free (item->text);
  item->text = g_strdup ("a dog \"on\" a sofa");
  item->prompt_tokens = 70;
  item->completion_tokens = 5;
  clarifai_item_result_apply_limits (item, &limits);
  frame.pts = frame.duration = frame.running_time = frame.stream_time =
      GST_CLOCK_TIME_NONE;
  r.frame = &frame;
  r.status = "OK";
  r.status_msg = "";
  r.docid = "";
  r.model = "m";
  r.item = item;
  o = parse (parser, clarifai_result_to_structure (&r), "cam");

  g_assert_cmpuint (json_object_get_size (o), ==, 18);
  g_assert_cmpstr (json_object_get_string_member (o, "text"), ==,
      "a dog \"on\" a sofa");
  g_assert_cmpint (json_object_get_int_member (o, "prompt_tokens"), ==, 70);
  g_assert_cmpint (json_object_get_int_member (o, "completion_tokens"), ==, 5);
  first = json_array_get_object_element (json_object_get_array_member (o,
          "regions"), 0);
  box = json_object_get_object_member (first, "box");
  g_assert_cmpfloat (json_object_get_double_member (box, "x"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (box, "y"), ==, 0.25);
  g_assert_cmpfloat (json_object_get_double_member (box, "w"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (box, "h"), ==, 0.5);
  g_assert_cmpstr (json_object_get_string_member (first, "label"), ==, "dog");
  g_assert_cmpfloat (json_object_get_double_member (first, "value"), ==, 0.8);
  g_assert_cmpstr (json_object_get_string_member (first, "concept_id"), ==,
      "ai_dog");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element
          (json_object_get_array_member (first, "tags"), 0), "name"), ==,
      "dog");
  g_assert_cmpstr (json_object_get_string_member (first, "text"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (first, "track_id"), ==, "t1");
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/record/members", test_members);
  g_test_add_func ("/record/escaping", test_escaping);
  g_test_add_func ("/record/numbers", test_numbers);
  g_test_add_func ("/record/regions", test_regions);
  return g_test_run ();
}
