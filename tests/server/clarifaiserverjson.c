/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Reading v2 request bodies as lenient as the service is: members by
 * either spelling, numbers as numbers or strings, base64 in either
 * alphabet. */

#include "clarifaiserver-private.h"

/* A member by its snake_case name or its lowerCamelCase one, as protobuf
 * JSON parsers accept both. */
JsonNode *
clarifai_server_member (JsonObject * obj, const gchar * snake,
    const gchar * camel)
{
  if (obj == NULL)
    return NULL;
  if (json_object_has_member (obj, snake))
    return json_object_get_member (obj, snake);
  return camel ? json_object_get_member (obj, camel) : NULL;
}

JsonObject *
clarifai_server_object (JsonObject * obj, const gchar * snake,
    const gchar * camel)
{
  JsonNode *node = clarifai_server_member (obj, snake, camel);

  return node && JSON_NODE_HOLDS_OBJECT (node) ?
      json_node_get_object (node) : NULL;
}

const gchar *
clarifai_server_string (JsonObject * obj, const gchar * name)
{
  JsonNode *node = clarifai_server_member (obj, name, NULL);

  return node && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING ?
      json_node_get_string (node) : NULL;
}

gboolean
clarifai_server_number (JsonObject * obj, const gchar * snake,
    const gchar * camel, gdouble * out)
{
  JsonNode *node = clarifai_server_member (obj, snake, camel);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    *out = g_ascii_strtod (json_node_get_string (node), NULL);
  else
    *out = json_node_get_double (node);
  return TRUE;
}

/* Standard or URL-safe alphabet, padded or not. */
guchar *
clarifai_server_decode_base64 (const gchar * text, gsize * len)
{
  GString *s = g_string_new (text);
  guint i;

  for (i = 0; i < s->len; i++)
    if (s->str[i] == '-')
      s->str[i] = '+';
    else if (s->str[i] == '_')
      s->str[i] = '/';
  while (s->len % 4)
    g_string_append_c (s, '=');
  *len = 0;
  if (s->len == 0) {
    g_string_free (s, TRUE);
    return NULL;
  }
  return (guchar *) g_base64_decode_inplace (g_string_free (s, FALSE), len);
}
