/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The two public shapes of a result: the `clarifai-tags` element message
 * and the `ClarifaiTagMeta` custom buffer meta, which carry the same
 * fields. */

#include "clarifaimeta.h"

/**
 * clarifai_tag_meta_register:
 *
 * Registers `ClarifaiTagMeta` as a custom meta without tags, so that
 * elements which keep untagged metas (most do) pass it downstream.
 */
gboolean
clarifai_tag_meta_register (void)
{
  static const gchar *tags[] = { NULL };

  return gst_meta_register_custom (CLARIFAI_TAG_META_NAME, tags, NULL, NULL,
      NULL) != NULL;
}

/* Field names as quarks, looked up once: a result with fifty boxes has
 * some six hundred fields (B12). */
enum
{
  Q_REGION, Q_X, Q_Y, Q_WIDTH, Q_HEIGHT, Q_LABEL, Q_PROBABILITY,
  Q_CONCEPT_ID, Q_CLASSES, Q_PROBABILITIES, Q_CONCEPT_IDS, Q_TEXT,
  Q_TRACK_ID, Q_REGIONS, Q_EMPTY, N_QUARKS
};

static GQuark quarks[N_QUARKS];

/**
 * clarifai_quarks_intern:
 * @done: the caller's guard, a static 0
 * @names: (array length=n): static field names
 *
 * Fills @out with the quarks of @names, the first time only.
 */
void
clarifai_quarks_intern (gsize * done, const gchar * const *names,
    GQuark * out, guint n)
{
  guint i;

  if (!g_once_init_enter (done))
    return;
  for (i = 0; i < n; i++)
    out[i] = g_quark_from_static_string (names[i]);
  g_once_init_leave (done, 1);
}

static void
init_quarks (void)
{
  static const gchar *const names[N_QUARKS] = {
    CLARIFAI_REGION_STRUCTURE_NAME, "x", "y", "width", "height", "label",
    "probability", "concept-id", "classes", "probabilities", "concept-ids",
    "text", "track-id", "regions", ""
  };
  static gsize done = 0;

  clarifai_quarks_intern (&done, names, quarks, N_QUARKS);
}

/**
 * clarifai_structure_set_string:
 * @interned: whether @text is interned (g_intern_string())
 *
 * Sets @field to @text; an interned text is shared, not copied, by the
 * structure and every copy of it (a buffer's meta, a message's).
 */
void
clarifai_structure_set_string (GstStructure * s, GQuark field,
    const gchar * text, gboolean interned)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  if (interned)
    g_value_set_interned_string (&v, text);
  else
    g_value_set_string (&v, text);
  gst_structure_id_take_value (s, field, &v);
}

/* Names or ids of concepts, shared where they are interned
 * (clarifairesult.h). */
static void
set_string_array (GstStructure * s, GQuark field,
    const gchar * const *strings, guint n, gboolean interned)
{
  GValue array = G_VALUE_INIT;
  guint i;

  gst_value_array_init (&array, n);
  for (i = 0; i < n; i++) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_STRING);
    if (interned)
      g_value_set_interned_string (&v, strings[i]);
    else
      g_value_set_string (&v, strings[i]);
    gst_value_array_append_and_take_value (&array, &v);
  }
  gst_structure_id_take_value (s, field, &array);
}

static void
set_double_array (GstStructure * s, GQuark field, const gdouble * doubles,
    guint n)
{
  GValue array = G_VALUE_INIT;
  guint i;

  gst_value_array_init (&array, n);
  for (i = 0; i < n; i++) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, doubles[i]);
    gst_value_array_append_and_take_value (&array, &v);
  }
  gst_structure_id_take_value (s, field, &array);
}

/* classes, probabilities and concept-ids; empty without @concepts */
static void
set_concepts (GstStructure * s, const ClarifaiConcepts * concepts)
{
  guint n = concepts ? concepts->len : 0;
  gboolean interned = n == 0 || concepts->spill == NULL;

  set_string_array (s, quarks[Q_CLASSES], n ? concepts->classes : NULL, n,
      interned);
  set_double_array (s, quarks[Q_PROBABILITIES], n ? concepts->probs : NULL, n);
  set_string_array (s, quarks[Q_CONCEPT_IDS], n ? concepts->concept_ids :
      NULL, n, interned);
}

/* An optional string: "" (interned) when there is none. */
static void
set_optional (GstStructure * s, GQuark field, const gchar * text)
{
  clarifai_structure_set_string (s, field,
      text ? text : g_quark_to_string (quarks[Q_EMPTY]), text == NULL);
}

static GstStructure *
region_to_structure (const ClarifaiRegion * r)
{
  GstStructure *s = gst_structure_new_id (quarks[Q_REGION],
      quarks[Q_X], G_TYPE_DOUBLE, r->x,
      quarks[Q_Y], G_TYPE_DOUBLE, r->y,
      quarks[Q_WIDTH], G_TYPE_DOUBLE, r->width,
      quarks[Q_HEIGHT], G_TYPE_DOUBLE, r->height,
      NULL);
  gboolean interned = r->concepts.spill == NULL;

  /* the top concept's name, or an OCR line's text */
  if (r->concepts.len > 0)
    clarifai_structure_set_string (s, quarks[Q_LABEL], r->label, interned);
  else
    set_optional (s, quarks[Q_LABEL], r->text);
  gst_structure_id_set (s, quarks[Q_PROBABILITY], G_TYPE_DOUBLE,
      r->probability, NULL);
  clarifai_structure_set_string (s, quarks[Q_CONCEPT_ID], r->concept_id,
      interned);
  set_concepts (s, &r->concepts);
  set_optional (s, quarks[Q_TEXT], r->text);
  set_optional (s, quarks[Q_TRACK_ID], r->track_id);
  return s;
}

static void
set_regions (GstStructure * s, GPtrArray * regions)
{
  GValue array = G_VALUE_INIT;
  guint i;

  gst_value_array_init (&array, regions ? regions->len : 0);
  for (i = 0; regions && i < regions->len; i++) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, region_to_structure (g_ptr_array_index (regions,
                i)));
    gst_value_array_append_and_take_value (&array, &v);
  }
  gst_structure_id_take_value (s, quarks[Q_REGIONS], &array);
}

/**
 * clarifai_result_to_structure:
 *
 * Returns: (transfer full): a `clarifai-tags` structure with every field
 * of the message contract
 */
GstStructure *
clarifai_result_to_structure (const ClarifaiResult * result)
{
  const ClarifaiFrame *f = result->frame;
  const ClarifaiItemResult *item = result->item;
  GstStructure *s;

  init_quarks ();
  s = gst_structure_new (CLARIFAI_TAGS_MESSAGE_NAME,
      "timestamp", G_TYPE_UINT64, f->pts,
      "stream-time", G_TYPE_UINT64, f->stream_time,
      "running-time", G_TYPE_UINT64, f->running_time,
      "duration", G_TYPE_UINT64, f->duration,
      "sample-id", G_TYPE_UINT64, f->sample_id,
      "status", G_TYPE_STRING, result->status,
      "status-msg", G_TYPE_STRING, result->status_msg,
      "docid", G_TYPE_STRING, result->docid,
      "model", G_TYPE_STRING, result->model,
      "latency", G_TYPE_UINT64, result->latency, NULL);
  set_concepts (s, item ? &item->tags : NULL);
  set_regions (s, item ? item->regions : NULL);
  gst_structure_id_set (s, quarks[Q_TEXT], G_TYPE_STRING, item ? item->text :
      "", NULL);
  if (item && item->prompt_tokens >= 0)
    gst_structure_set (s, "prompt-tokens", G_TYPE_UINT64,
        (guint64) item->prompt_tokens, NULL);
  if (item && item->completion_tokens >= 0)
    gst_structure_set (s, "completion-tokens", G_TYPE_UINT64,
        (guint64) item->completion_tokens, NULL);
  return s;
}

static gboolean
copy_field (GQuark field, const GValue * value, gpointer dest)
{
  gst_structure_id_set_value (dest, field, value);
  return TRUE;
}

/**
 * clarifai_tag_meta_add:
 * @result: a structure from clarifai_result_to_structure()
 *
 * Attaches @result's fields to @buffer as a `ClarifaiTagMeta`.
 */
void
clarifai_tag_meta_add (GstBuffer * buffer, const GstStructure * result)
{
  GstCustomMeta *meta = gst_buffer_add_custom_meta (buffer,
      CLARIFAI_TAG_META_NAME);

  gst_structure_foreach (result, copy_field,
      gst_custom_meta_get_structure (meta));
}
