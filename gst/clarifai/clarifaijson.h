/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Reading the service's JSON defensively: every value is checked for its
 * JSON type before use, and strings are made valid UTF-8.  Shared by the
 * v1 and v2 parsers; implemented in clarifaiprotocol.c. */

#ifndef __CLARIFAI_JSON_H__
#define __CLARIFAI_JSON_H__

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode *clarifai_json_parse (const gchar * data, gsize len,
    JsonNodeType type, GError ** error);
JsonNode *clarifai_json_parse_root (const gchar * data, gsize len,
    GError ** error);
JsonObject *clarifai_json_object (JsonObject * obj, const gchar * name);
JsonArray *clarifai_json_array (JsonObject * obj, const gchar * name);
JsonObject *clarifai_json_find (JsonArray * array, const gchar * member,
    const gchar * value);
gchar *clarifai_json_value_utf8 (JsonNode * node);
gchar *clarifai_json_utf8 (JsonObject * obj, const gchar * name);
gboolean clarifai_json_double (JsonNode * node, gdouble * out);
gchar *clarifai_json_id (JsonNode * node);

G_END_DECLS

#endif /* __CLARIFAI_JSON_H__ */
