/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* A frame's outcome as every model kind gives it: whole-frame tags, boxes
 * and text, and what the element's settings keep of them.  The rules are
 * design.md section 13's; the dialects fill it, the client shares it. */

#include "clarifairesult.h"
#include "clarifaijson.h"
#include "clarifainames.h"

#include <math.h>
#include <string.h>

/* A box edge further out than this is not a fraction of the frame: the
 * model answered in pixels, or garbage (clarifai-v2-models.md 1.1). */
#define MAX_OUTSIDE 0.5

/* No concepts; an array is made with the first. */
static void
concepts_init (ClarifaiConcepts * c)
{
  memset (c, 0, sizeof (*c));
}

static void
concepts_clear (ClarifaiConcepts * c)
{
  g_free (c->probs);
  if (c->spill)
    g_string_chunk_free (c->spill);
  concepts_init (c);
}

/* Room for @size concepts: the three arrays in one block, values first
 * for their alignment (a box has one or two concepts: one allocation). */
static void
concepts_grow (ClarifaiConcepts * c, guint size)
{
  gdouble *probs = g_malloc (size * (sizeof (gdouble) + 2 * sizeof (gchar *)));
  const gchar **classes = (const gchar **) (probs + size);
  const gchar **ids = classes + size;

  if (c->len) {
    memcpy (probs, c->probs, c->len * sizeof (gdouble));
    memcpy (classes, c->classes, c->len * sizeof (gchar *));
    memcpy (ids, c->concept_ids, c->len * sizeof (gchar *));
  }
  g_free (c->probs);
  c->probs = probs;
  c->classes = classes;
  c->concept_ids = ids;
  c->size = size;
}

/**
 * clarifai_concepts_add:
 * @name: interned, or in @concepts' spill
 * @concept_id: interned, or in @concepts' spill
 */
void
clarifai_concepts_add (ClarifaiConcepts * concepts, const gchar * name,
    gdouble value, const gchar * concept_id)
{
  if (concepts->len == concepts->size)
    concepts_grow (concepts, MAX (4, concepts->size * 2));
  concepts->probs[concepts->len] = value;
  concepts->classes[concepts->len] = name;
  concepts->concept_ids[concepts->len] = concept_id;
  concepts->len++;
}

static void
region_free (ClarifaiRegion * region)
{
  concepts_clear (&region->concepts);
  g_free (region->text);
  g_free (region->track_id);
  g_free (region);
}

static void
item_clear (ClarifaiItemResult * item)
{
  g_free (item->local_id);
  g_free (item->status_code);
  g_free (item->status_msg);
  g_free (item->docid);
  concepts_clear (&item->tags);
  g_ptr_array_unref (item->regions);
  g_free (item->text);
}

/**
 * clarifai_item_result_new:
 *
 * Returns: (transfer full): an outcome without tags, boxes or strings
 */
ClarifaiItemResult *
clarifai_item_result_new (void)
{
  ClarifaiItemResult *item = g_atomic_rc_box_new0 (ClarifaiItemResult);

  concepts_init (&item->tags);
  item->regions = g_ptr_array_new_with_free_func ((GDestroyNotify)
      region_free);
  item->text = g_strdup ("");
  item->prompt_tokens = item->completion_tokens = -1;
  return item;
}

ClarifaiItemResult *
clarifai_item_result_ref (ClarifaiItemResult * item)
{
  return g_atomic_rc_box_acquire (item);
}

void
clarifai_item_result_unref (ClarifaiItemResult * item)
{
  if (item)
    g_atomic_rc_box_release_full (item, (GDestroyNotify) item_clear);
}

/**
 * clarifai_item_result_add_tag:
 * @concept_id: (nullable): %NULL for ""
 *
 * Adds a whole-frame tag, its name and id kept as clarifai_name_keep()
 * does.
 */
void
clarifai_item_result_add_tag (ClarifaiItemResult * item, const gchar * name,
    gdouble value, const gchar * concept_id)
{
  ClarifaiConcepts *tags = &item->tags;

  clarifai_concepts_add (tags, clarifai_name_keep (name, &tags->spill), value,
      clarifai_name_keep (concept_id ? concept_id : "", &tags->spill));
}

static gboolean
edge_ok (gdouble v)
{
  return isfinite (v) && v >= -MAX_OUTSIDE && v <= 1.0 + MAX_OUTSIDE;
}

/**
 * clarifai_item_result_add_region:
 * @top, @left, @bottom, @right: the box's edges, fractions of the frame
 *
 * Adds a box, clamped to the frame.  A box far outside the frame, or with
 * no area once clamped, is not added but counted in `dropped_regions`.
 *
 * Returns: (transfer none) (nullable): the region, to be filled in
 */
ClarifaiRegion *
clarifai_item_result_add_region (ClarifaiItemResult * item, gdouble top,
    gdouble left, gdouble bottom, gdouble right)
{
  ClarifaiRegion *region;

  if (!edge_ok (top) || !edge_ok (left) || !edge_ok (bottom)
      || !edge_ok (right)) {
    item->dropped_regions++;
    return NULL;
  }
  top = CLAMP (top, 0.0, 1.0);
  left = CLAMP (left, 0.0, 1.0);
  bottom = CLAMP (bottom, 0.0, 1.0);
  right = CLAMP (right, 0.0, 1.0);
  if (bottom <= top || right <= left) {
    item->dropped_regions++;
    return NULL;
  }
  region = g_new0 (ClarifaiRegion, 1);
  region->x = left;
  region->y = top;
  region->width = right - left;
  region->height = bottom - top;
  concepts_init (&region->concepts);
  g_ptr_array_add (item->regions, region);
  return region;
}

/**
 * clarifai_item_result_finish_text:
 *
 * Where the model gave no whole-frame text but its boxes carry text (a
 * scene OCR model: one box per line), the page is the lines in the order
 * the model gave them.
 */
void
clarifai_item_result_finish_text (ClarifaiItemResult * item)
{
  GString *page;
  guint i;

  if (*item->text != '\0')
    return;
  page = g_string_new (NULL);
  for (i = 0; i < item->regions->len; i++) {
    ClarifaiRegion *region = g_ptr_array_index (item->regions, i);

    if (region->text == NULL || *region->text == '\0')
      continue;
    if (page->len)
      g_string_append_c (page, '\n');
    g_string_append (page, region->text);
  }
  g_free (item->text);
  item->text = g_string_free (page, FALSE);
}

/* The answer without a Markdown code fence around it: VLMs often put
 * one around the JSON they were asked for. */
static gchar *
strip_fence (const gchar * text)
{
  g_autofree gchar *s = g_strstrip (g_strdup (text));
  gchar *nl, *end;

  if (!g_str_has_prefix (s, "```"))
    return g_steal_pointer (&s);
  nl = strchr (s, '\n');
  end = g_strrstr (s + 3, "```");
  if (nl == NULL || end == NULL || end < nl)
    return g_steal_pointer (&s);
  *end = '\0';
  return g_strdup (nl + 1);
}

/**
 * clarifai_item_result_tags_from_text:
 *
 * A VLM asked for JSON answers with tags as text: a JSON array of strings,
 * or of objects with `name` and, optionally, `value` (1 when absent) and
 * `id`, with or without a code fence around it.  Where the item has no
 * tags yet, those become its tags.
 *
 * Returns: whether tags were added
 */
gboolean
clarifai_item_result_tags_from_text (ClarifaiItemResult * item)
{
  g_autofree gchar *json = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonArray *array;
  guint i, before = item->tags.len;

  if (before > 0 || *item->text == '\0')
    return FALSE;
  json = strip_fence (item->text);
  root = clarifai_json_parse (json, strlen (json), JSON_NODE_ARRAY, NULL);
  if (root == NULL)
    return FALSE;
  array = json_node_get_array (root);
  for (i = 0; i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);
    JsonObject *obj;
    g_autofree gchar *name = NULL, *id = NULL;
    gdouble value = 1.0;

    if (JSON_NODE_HOLDS_OBJECT (node)) {
      obj = json_node_get_object (node);
      name = clarifai_json_utf8 (obj, "name");
      if (name == NULL)
        continue;
      if (clarifai_json_double (json_object_get_member (obj, "value"), &value)
          && !isfinite (value))
        value = 1.0;
      id = clarifai_json_utf8 (obj, "id");
      clarifai_item_result_add_tag (item, name, value, id);
    } else if ((name = clarifai_json_value_utf8 (node))) {
      clarifai_item_result_add_tag (item, name, value, NULL);
    }
  }
  return item->tags.len > before;
}

static gboolean
selected (const ClarifaiLimits * limits, const gchar * name, const gchar * id)
{
  return limits->select == NULL
      || g_strv_contains ((const gchar * const *) limits->select, name)
      || (*id && g_strv_contains ((const gchar * const *) limits->select, id));
}

/* Whether @c is already what concepts_limit() would make of it: most
 * answers are (one concept a box, or sorted, none to leave out). */
static gboolean
concepts_settled (const ClarifaiConcepts * c, const ClarifaiLimits * limits)
{
  guint i, n = c->len;

  if (limits->max_tags && n > limits->max_tags)
    return FALSE;
  for (i = 0; i < n; i++) {
    gdouble p = c->probs[i];

    if (p < limits->threshold || (i > 0 && c->probs[i - 1] < p)
        || !selected (limits, c->classes[i], c->concept_ids[i]))
      return FALSE;
  }
  return TRUE;
}

/* Highest value first (equal values keep the service's order), then
 * threshold, select and max-tags. */
static void
concepts_limit (ClarifaiConcepts * c, const ClarifaiLimits * limits)
{
  guint n = c->len;
  guint i, j, kept = 0;
  g_autofree guint *order = NULL;
  ClarifaiConcepts out;

  if (concepts_settled (c, limits))
    return;
  order = g_new (guint, n ? n : 1);
  /* Insertion sort: a few dozen concepts at most. */
  for (i = 0; i < n; i++) {
    gdouble p = c->probs[i];

    for (j = i; j > 0 && c->probs[order[j - 1]] < p; j--)
      order[j] = order[j - 1];
    order[j] = i;
  }
  concepts_init (&out);
  for (i = 0; i < n; i++) {
    guint k = order[i];
    gdouble p = c->probs[k];

    if (p < limits->threshold || (limits->max_tags && kept == limits->max_tags)
        || !selected (limits, c->classes[k], c->concept_ids[k]))
      continue;
    clarifai_concepts_add (&out, c->classes[k], p, c->concept_ids[k]);
    kept++;
  }
  out.spill = g_steal_pointer (&c->spill);
  concepts_clear (c);
  *c = out;
}

/* Label and probability from the region's top concept, once its concepts
 * are limited; FALSE when every concept it had was filtered out. */
static gboolean
region_settle (ClarifaiRegion * region, const ClarifaiLimits * limits)
{
  gboolean had = region->concepts.len > 0;

  concepts_limit (&region->concepts, limits);
  if (region->concepts.len > 0) {
    region->label = region->concepts.classes[0];
    region->concept_id = region->concepts.concept_ids[0];
    region->probability = region->has_value ? region->value :
        region->concepts.probs[0];
  } else if (had) {
    return FALSE;
  } else {
    /* An OCR line: its text names it.  A box with neither value nor
     * concept was reported without a confidence: it is kept. */
    region->label = region->text ? region->text : "";
    region->concept_id = g_intern_static_string ("");
    region->probability = region->has_value ? region->value : 1.0;
  }
  return region->probability >= limits->threshold;
}

/* Highest probability first; equal ones keep the service's order. */
static void
sort_regions (GPtrArray * regions)
{
  guint i, j;

  for (i = 1; i < regions->len; i++) {
    ClarifaiRegion *r = regions->pdata[i];

    for (j = i;
        j > 0
        && ((ClarifaiRegion *) regions->pdata[j - 1])->probability <
        r->probability; j--)
      regions->pdata[j] = regions->pdata[j - 1];
    regions->pdata[j] = r;
  }
}

/**
 * clarifai_item_result_apply_limits:
 *
 * Orders the tags and the boxes by probability, highest first, and keeps
 * what the element's `threshold`, `max-tags` and `select-classes` keep:
 * of the whole-frame tags, of each box's concepts, and of the boxes by
 * their top concept.
 */
void
clarifai_item_result_apply_limits (ClarifaiItemResult * item,
    const ClarifaiLimits * limits)
{
  guint i;

  concepts_limit (&item->tags, limits);
  for (i = 0; i < item->regions->len;) {
    if (region_settle (g_ptr_array_index (item->regions, i), limits))
      i++;
    else
      g_ptr_array_remove_index (item->regions, i);
  }
  sort_regions (item->regions);
  if (limits->max_tags && item->regions->len > limits->max_tags)
    g_ptr_array_set_size (item->regions, limits->max_tags);
}

/**
 * clarifai_names_from_list:
 * @list: (nullable): comma-separated class names or concept ids, as
 *   `select-classes` and `alert-classes` take them
 *
 * Returns: (transfer full): the names, without the blanks around them and
 * without empty ones; an empty vector when there are none
 */
GStrv
clarifai_names_from_list (const gchar * list)
{
  g_auto (GStrv) parts = g_strsplit (list ? list : "", ",", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv names;
  guint i;

  for (i = 0; parts[i]; i++)
    if (*g_strstrip (parts[i]) != '\0')
      g_strv_builder_add (builder, parts[i]);
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}
