/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_NAMES_H__
#define __CLARIFAI_NAMES_H__

#include <glib.h>

G_BEGIN_DECLS

/* Concept names and ids are interned, so that every message and meta
 * shares them, and GstAnalytics takes class names as quarks: both live as
 * long as the process.  A model's vocabulary bounds them; a VLM's free
 * answers and a faulty service do not, so what the process newly interns
 * for results is bounded. */

/* Bytes that names newly interned for results may take, all elements of
 * the process together (the fuzzers build with less). */
#ifndef CLARIFAI_NAMES_BUDGET
#define CLARIFAI_NAMES_BUDGET (4 * 1024 * 1024)
#endif

/* Names this long or longer are prose, not a vocabulary: never newly
 * interned. */
#define CLARIFAI_NAMES_MAX_LEN 256

const gchar *clarifai_name_intern (const gchar * text);
GQuark clarifai_name_quark (const gchar * text);
const gchar *clarifai_name_keep (const gchar * text, GStringChunk ** spill);

G_END_DECLS

#endif /* __CLARIFAI_NAMES_H__ */
