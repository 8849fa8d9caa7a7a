/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_JSON_DOC_H__
#define __CLARIFAI_JSON_DOC_H__

#include <glib.h>

G_BEGIN_DECLS

/* A JSON text read in one pass into a flat array of tokens, without a
 * node, a hash table or a string copy per value: what the v2 answers,
 * read once per request, are parsed with (B12).  Values are named by
 * their token's index; -1 is "none", which every accessor takes. */

typedef struct _ClarifaiJsonDoc ClarifaiJsonDoc;

typedef enum
{
  CLARIFAI_JSON_NONE,
  CLARIFAI_JSON_OBJECT,
  CLARIFAI_JSON_ARRAY,
  CLARIFAI_JSON_STRING,
  CLARIFAI_JSON_NUMBER,
  CLARIFAI_JSON_TRUE,
  CLARIFAI_JSON_FALSE,
  CLARIFAI_JSON_NULL,
} ClarifaiJsonType;

ClarifaiJsonDoc *clarifai_json_doc_parse (const gchar * data, gsize len,
    GError ** error);
void clarifai_json_doc_free (ClarifaiJsonDoc * doc);

ClarifaiJsonType clarifai_json_doc_type (const ClarifaiJsonDoc * doc,
    gint value);
gint clarifai_json_doc_member (const ClarifaiJsonDoc * doc, gint object,
    const gchar * name);
void clarifai_json_doc_members (const ClarifaiJsonDoc * doc, gint object,
    const gchar * const *names, gint * values, guint n);
gint clarifai_json_doc_object (const ClarifaiJsonDoc * doc, gint object,
    const gchar * name);
gint clarifai_json_doc_array (const ClarifaiJsonDoc * doc, gint object,
    const gchar * name);
gint clarifai_json_doc_first (const ClarifaiJsonDoc * doc, gint array);
gint clarifai_json_doc_next (const ClarifaiJsonDoc * doc, gint element);
gchar *clarifai_json_doc_string (const ClarifaiJsonDoc * doc, gint value);
gchar *clarifai_json_doc_member_string (const ClarifaiJsonDoc * doc,
    gint object, const gchar * name);
gboolean clarifai_json_doc_string_is (const ClarifaiJsonDoc * doc,
    gint value, const gchar * s);
gboolean clarifai_json_doc_double (const ClarifaiJsonDoc * doc, gint value,
    gdouble * out);
gboolean clarifai_json_doc_count (const ClarifaiJsonDoc * doc, gint value,
    gint64 * out);
const gchar *clarifai_json_doc_intern (const ClarifaiJsonDoc * doc,
    gint value, GStringChunk ** spill);
const gchar *clarifai_json_doc_id (const ClarifaiJsonDoc * doc, gint value,
    GStringChunk ** spill);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClarifaiJsonDoc, clarifai_json_doc_free)

G_END_DECLS

#endif /* __CLARIFAI_JSON_DOC_H__ */
