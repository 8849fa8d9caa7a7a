/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "clarifairecord.h"

#include <json-glib/json-glib.h>

/* @fields: (transfer full) */
ClarifaiRecord *
clarifai_record_new (GstStructure * fields, gint64 wall_time)
{
  ClarifaiRecord *record = g_new (ClarifaiRecord, 1);

  record->fields = fields;
  record->wall_time = wall_time;
  return record;
}

void
clarifai_record_free (ClarifaiRecord * record)
{
  if (record == NULL)
    return;
  gst_structure_free (record->fields);
  g_free (record);
}

/* UTC ISO 8601 with milliseconds: 2026-11-30T05:46:36.123Z */
gchar *
clarifai_format_wall_time (gint64 wall_time)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (wall_time /
      G_USEC_PER_SEC);
  g_autofree gchar *seconds = NULL;

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  seconds = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", seconds,
      (gint) ((wall_time % G_USEC_PER_SEC) / 1000));
}

static void
add_time (JsonBuilder * b, const gchar * member, const GstStructure * s,
    const gchar * field)
{
  guint64 t = GST_CLOCK_TIME_NONE;

  json_builder_set_member_name (b, member);
  if (gst_structure_get_uint64 (s, field, &t) && GST_CLOCK_TIME_IS_VALID (t))
    json_builder_add_int_value (b, (gint64) t);
  else
    json_builder_add_null_value (b);
}

static void
add_string (JsonBuilder * b, const gchar * member, const GstStructure * s,
    const gchar * field)
{
  const gchar *v = gst_structure_get_string (s, field);

  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, v ? v : "");
}

static const GValue *
array_item (const GValue * array, guint i)
{
  return array && i < gst_value_array_get_size (array) ?
      gst_value_array_get_value (array, i) : NULL;
}

static void
add_tags (JsonBuilder * b, const GstStructure * s)
{
  const GValue *classes = gst_structure_get_value (s, "classes");
  const GValue *probs = gst_structure_get_value (s, "probabilities");
  const GValue *ids = gst_structure_get_value (s, "concept-ids");
  guint i, n = classes ? gst_value_array_get_size (classes) : 0;

  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (i = 0; i < n; i++) {
    const GValue *p = array_item (probs, i), *id = array_item (ids, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b,
        g_value_get_string (gst_value_array_get_value (classes, i)));
    json_builder_set_member_name (b, "value");
    json_builder_add_double_value (b, p ? g_value_get_double (p) : 0.0);
    json_builder_set_member_name (b, "concept_id");
    json_builder_add_string_value (b, id ? g_value_get_string (id) : "");
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
}

/**
 * clarifai_record_to_json:
 * @source: the `source` member
 * @api: `v1` or `v2`
 * @length: (out) (optional): of the returned text
 *
 * Returns: (transfer full): the object of the publishing contract, on one
 * line, without a newline
 */
gchar *
clarifai_record_to_json (const ClarifaiRecord * record, const gchar * source,
    const gchar * api, gsize * length)
{
  const GstStructure *s = record->fields;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *wall = clarifai_format_wall_time (record->wall_time);
  guint64 sample_id = 0;

  gst_structure_get_uint64 (s, "sample-id", &sample_id);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, source);
  json_builder_set_member_name (b, "sample_id");
  json_builder_add_int_value (b, (gint64) sample_id);
  add_time (b, "pts", s, "timestamp");
  add_time (b, "stream_time", s, "stream-time");
  add_time (b, "running_time", s, "running-time");
  add_time (b, "duration", s, "duration");
  json_builder_set_member_name (b, "wall_time");
  json_builder_add_string_value (b, wall);
  add_string (b, "status", s, "status");
  add_string (b, "status_msg", s, "status-msg");
  add_string (b, "docid", s, "docid");
  add_string (b, "model", s, "model");
  json_builder_set_member_name (b, "api");
  json_builder_add_string_value (b, api);
  add_time (b, "latency", s, "latency");
  add_tags (b, s);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, length);
}
