/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The line is written straight into a GString: one object a frame, with a
 * fixed set of members, does not need a document tree, and a tree of
 * GValues cost the publisher's thread several times more per line (B9). */

#include "clarifairecord.h"

#include <math.h>
#include <string.h>

/* @fields: (transfer full) */
ClarifaiRecord *
clarifai_record_new (GstStructure * fields, gint64 wall_time)
{
  ClarifaiRecord *record = g_new (ClarifaiRecord, 1);

  record->fields = fields;
  record->wall_time = wall_time;
  record->counted = !gst_structure_has_name (fields, "clarifai-alert");
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

/* A JSON string (RFC 8259): quotes, backslashes and control characters
 * escaped, text that is not UTF-8 made valid first. */
static void
append_string (GString * out, const gchar * text)
{
  g_autofree gchar *valid = NULL;
  const guchar *p;

  if (text == NULL)
    text = "";
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  g_string_append_c (out, '"');
  for (p = (const guchar *) text; *p; p++) {
    switch (*p) {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\r':
        g_string_append (out, "\\r");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      default:
        if (*p < 0x20)
          g_string_append_printf (out, "\\u%04x", *p);
        else
          g_string_append_c (out, (gchar) * p);
        break;
    }
  }
  g_string_append_c (out, '"');
}

/* The shorter of %.15g and %.17g that reads back as @v, with a fraction
 * part; a JSON number always (no inf or nan). */
static void
append_double (GString * out, gdouble v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    v = 0.0;
  g_ascii_formatd (buf, sizeof (buf), "%.15g", v);
  if (g_ascii_strtod (buf, NULL) != v)
    g_ascii_formatd (buf, sizeof (buf), "%.17g", v);
  g_string_append (out, buf);
  /* 1.0, not 1: readers that type numbers see a probability as a float */
  if (strpbrk (buf, ".e") == NULL)
    g_string_append (out, ".0");
}

static void
append_member (GString * out, const gchar * name)
{
  if (out->len > 1)
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":");
}

static void
add_time (GString * out, const gchar * member, const GstStructure * s,
    const gchar * field)
{
  guint64 t = GST_CLOCK_TIME_NONE;

  append_member (out, member);
  if (gst_structure_get_uint64 (s, field, &t) && GST_CLOCK_TIME_IS_VALID (t))
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, t);
  else
    g_string_append (out, "null");
}

static void
add_string (GString * out, const gchar * member, const GstStructure * s,
    const gchar * field)
{
  append_member (out, member);
  append_string (out, gst_structure_get_string (s, field));
}

static const GValue *
array_item (const GValue * array, guint i)
{
  return array && i < gst_value_array_get_size (array) ?
      gst_value_array_get_value (array, i) : NULL;
}

/* "tags": the concepts of @s, a frame's or a box's */
static void
add_tags (GString * out, const GstStructure * s)
{
  const GValue *classes = gst_structure_get_value (s, "classes");
  const GValue *probs = gst_structure_get_value (s, "probabilities");
  const GValue *ids = gst_structure_get_value (s, "concept-ids");
  guint i, n = classes ? gst_value_array_get_size (classes) : 0;

  append_member (out, "tags");
  g_string_append_c (out, '[');
  for (i = 0; i < n; i++) {
    const GValue *p = array_item (probs, i), *id = array_item (ids, i);

    g_string_append (out, i ? ",{\"name\":" : "{\"name\":");
    append_string (out,
        g_value_get_string (gst_value_array_get_value (classes, i)));
    g_string_append (out, ",\"value\":");
    append_double (out, p ? g_value_get_double (p) : 0.0);
    g_string_append (out, ",\"concept_id\":");
    append_string (out, id ? g_value_get_string (id) : "");
    g_string_append_c (out, '}');
  }
  g_string_append_c (out, ']');
}

static gdouble
get_double (const GstStructure * s, const gchar * field)
{
  gdouble v = 0.0;

  gst_structure_get_double (s, field, &v);
  return v;
}

/* "regions": [{"box": {x, y, w, h}, label, value, concept_id, tags, text,
 * track_id}] */
static void
add_regions (GString * out, const GstStructure * s)
{
  const GValue *regions = gst_structure_get_value (s, "regions");
  guint i, n = regions ? gst_value_array_get_size (regions) : 0;

  append_member (out, "regions");
  g_string_append_c (out, '[');
  for (i = 0; i < n; i++) {
    const GstStructure *r =
        gst_value_get_structure (gst_value_array_get_value (regions, i));
    GString *region = g_string_new ("{");

    g_string_append (region, "\"box\":{\"x\":");
    append_double (region, get_double (r, "x"));
    g_string_append (region, ",\"y\":");
    append_double (region, get_double (r, "y"));
    g_string_append (region, ",\"w\":");
    append_double (region, get_double (r, "width"));
    g_string_append (region, ",\"h\":");
    append_double (region, get_double (r, "height"));
    g_string_append_c (region, '}');
    add_string (region, "label", r, "label");
    append_member (region, "value");
    append_double (region, get_double (r, "probability"));
    add_string (region, "concept_id", r, "concept-id");
    add_tags (region, r);
    add_string (region, "text", r, "text");
    add_string (region, "track_id", r, "track-id");
    g_string_append_c (region, '}');
    if (i)
      g_string_append_c (out, ',');
    g_string_append_len (out, region->str, region->len);
    g_string_free (region, TRUE);
  }
  g_string_append_c (out, ']');
}

static void
add_count (GString * out, const gchar * member, const GstStructure * s,
    const gchar * field)
{
  guint64 v;

  if (!gst_structure_get_uint64 (s, field, &v))
    return;
  append_member (out, member);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, v);
}

/* {"source", "wall_time", "alert": {class, state, probability, sample_id,
 * pts}} */
static gchar *
alert_to_json (const ClarifaiRecord * record, const gchar * source,
    gsize * length)
{
  const GstStructure *s = record->fields;
  GString *out = g_string_sized_new (256);
  g_autofree gchar *wall = clarifai_format_wall_time (record->wall_time);
  gdouble probability = 0.0;
  guint64 sample_id = 0;

  gst_structure_get_double (s, "probability", &probability);
  gst_structure_get_uint64 (s, "sample-id", &sample_id);
  g_string_append_c (out, '{');
  append_member (out, "source");
  append_string (out, source);
  append_member (out, "wall_time");
  append_string (out, wall);
  g_string_append (out, ",\"alert\":{\"class\":");
  append_string (out, gst_structure_get_string (s, "class"));
  g_string_append (out, ",\"state\":");
  append_string (out, gst_structure_get_string (s, "state"));
  g_string_append (out, ",\"probability\":");
  append_double (out, probability);
  g_string_append_printf (out, ",\"sample_id\":%" G_GUINT64_FORMAT, sample_id);
  add_time (out, "pts", s, "timestamp");
  g_string_append (out, "}}");
  if (length)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/**
 * clarifai_record_to_json:
 * @source: the `source` member
 * @api: `v1` or `v2`
 * @length: (out) (optional): of the returned text
 *
 * Returns: (transfer full): the object of the publishing contract (a
 * result's or an alert's), on one line, without a newline
 */
gchar *
clarifai_record_to_json (const ClarifaiRecord * record, const gchar * source,
    const gchar * api, gsize * length)
{
  const GstStructure *s = record->fields;
  GString *out;
  g_autofree gchar *wall = NULL;
  guint64 sample_id = 0;

  if (!record->counted)
    return alert_to_json (record, source, length);
  out = g_string_sized_new (512);
  wall = clarifai_format_wall_time (record->wall_time);
  gst_structure_get_uint64 (s, "sample-id", &sample_id);
  g_string_append_c (out, '{');
  append_member (out, "source");
  append_string (out, source);
  append_member (out, "sample_id");
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, sample_id);
  add_time (out, "pts", s, "timestamp");
  add_time (out, "stream_time", s, "stream-time");
  add_time (out, "running_time", s, "running-time");
  add_time (out, "duration", s, "duration");
  append_member (out, "wall_time");
  append_string (out, wall);
  add_string (out, "status", s, "status");
  add_string (out, "status_msg", s, "status-msg");
  add_string (out, "docid", s, "docid");
  add_string (out, "model", s, "model");
  append_member (out, "api");
  append_string (out, api);
  add_time (out, "latency", s, "latency");
  add_tags (out, s);
  add_regions (out, s);
  add_string (out, "text", s, "text");
  add_count (out, "prompt_tokens", s, "prompt-tokens");
  add_count (out, "completion_tokens", s, "completion-tokens");
  g_string_append_c (out, '}');
  if (length)
    *length = out->len;
  return g_string_free (out, FALSE);
}
