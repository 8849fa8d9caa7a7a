/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_RESULT_H__
#define __CLARIFAI_RESULT_H__

#include <glib.h>

G_BEGIN_DECLS

/* Concepts as three arrays of one length: names, values and ids ("" where
 * the service gave no id).  Names and ids are interned strings
 * (clarifai_name_keep()): a model's vocabulary, which every message and
 * buffer meta then shares instead of copying; past the process's budget
 * of names they are copies in `spill`. */
typedef struct
{
  guint len;
  const gchar **classes;
  gdouble *probs;
  const gchar **concept_ids;
  guint size;                   /* the room in the arrays, one block */
  GStringChunk *spill;          /* NULL while every string is interned */
} ClarifaiConcepts;

/* One box of a detector or OCR model, in fractions of the frame (origin
 * top-left).  label, probability and concept_id are those of the top
 * concept; probability is the region's own value where it has one.  An
 * OCR line without concepts has its text as label.  label and concept_id
 * point into the region's own strings, which they do not outlive. */
typedef struct
{
  gdouble x, y, width, height;
  gboolean has_value;           /* the service gave the region a value */
  gdouble value;
  const gchar *label;
  gdouble probability;
  const gchar *concept_id;
  ClarifaiConcepts concepts;
  gchar *text;                  /* NULL when none */
  gchar *track_id;              /* NULL when none */
} ClarifaiRegion;

/* One image's outcome.  Shared read-only between threads once complete
 * (clarifai_item_result_ref()). */
typedef struct
{
  gchar *local_id;              /* NULL when the service echoed none */
  gchar *status_code;
  gchar *status_msg;
  gchar *docid;                 /* "" when absent */
  ClarifaiConcepts tags;        /* whole-frame */
  GPtrArray *regions;           /* ClarifaiRegion, highest first */
  gchar *text;                  /* whole-frame text, "" when none */
  gint64 prompt_tokens;         /* -1 when the service did not say */
  gint64 completion_tokens;
  guint dropped_regions;        /* boxes outside the frame or degenerate */
} ClarifaiItemResult;

/* What the element keeps of an answer: `threshold`, `max-tags` and
 * `select-classes` (names or concept ids; NULL keeps every class). */
typedef struct
{
  gdouble threshold;
  guint max_tags;
  GStrv select;
} ClarifaiLimits;

ClarifaiItemResult *clarifai_item_result_new (void);
ClarifaiItemResult *clarifai_item_result_ref (ClarifaiItemResult * item);
void clarifai_item_result_unref (ClarifaiItemResult * item);

void clarifai_item_result_add_tag (ClarifaiItemResult * item,
    const gchar * name, gdouble value, const gchar * concept_id);
ClarifaiRegion *clarifai_item_result_add_region (ClarifaiItemResult * item,
    gdouble top, gdouble left, gdouble bottom, gdouble right);
void clarifai_item_result_finish_text (ClarifaiItemResult * item);
gboolean clarifai_item_result_tags_from_text (ClarifaiItemResult * item);
void clarifai_item_result_apply_limits (ClarifaiItemResult * item,
    const ClarifaiLimits * limits);

void clarifai_concepts_add (ClarifaiConcepts * concepts, const gchar * name,
    gdouble value, const gchar * concept_id);

GStrv clarifai_names_from_list (const gchar * list);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClarifaiItemResult, clarifai_item_result_unref)

G_END_DECLS

#endif /* __CLARIFAI_RESULT_H__ */
