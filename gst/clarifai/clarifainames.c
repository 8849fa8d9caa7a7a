/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "clarifainames.h"

#include <string.h>

/* What a quark costs beside its text: its slot in GLib's quark array and
 * its hash table entry. */
#define ENTRY_COST 32

static gint spent;

/**
 * clarifai_name_quark:
 *
 * Returns: @text's quark, made if the budget allows; 0 when @text has none
 *   and the budget (or its length) does not allow one
 */
GQuark
clarifai_name_quark (const gchar * text)
{
  GQuark q = g_quark_try_string (text);
  gsize len;
  gint cost;

  if (q != 0)
    return q;
  len = strlen (text);
  if (len >= CLARIFAI_NAMES_MAX_LEN)
    return 0;
  cost = (gint) len + 1 + ENTRY_COST;
  /* Two threads may both pass the check for their last few bytes: the
   * budget is overrun by a name or two at most. */
  if (g_atomic_int_get (&spent) > CLARIFAI_NAMES_BUDGET - cost)
    return 0;
  g_atomic_int_add (&spent, cost);
  return g_quark_from_string (text);
}

/**
 * clarifai_name_intern:
 *
 * Returns: (nullable): @text interned, or %NULL when clarifai_name_quark()
 *   refuses it
 */
const gchar *
clarifai_name_intern (const gchar * text)
{
  GQuark q = clarifai_name_quark (text);

  return q ? g_quark_to_string (q) : NULL;
}

/**
 * clarifai_name_keep:
 * @spill: (inout): where a name past the budget is copied, made at need
 *
 * Returns: (transfer none): @text interned, else its copy in @spill
 */
const gchar *
clarifai_name_keep (const gchar * text, GStringChunk ** spill)
{
  const gchar *interned = clarifai_name_intern (text);

  if (interned)
    return interned;
  if (*spill == NULL)
    *spill = g_string_chunk_new (256);
  return g_string_chunk_insert_const (*spill, text);
}
