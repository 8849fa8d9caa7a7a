/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Parsers for the bodies the Clarifai v1 service answers with.  They do no
 * I/O and hold no state, so they are unit-tested and fuzzed on bytes alone.
 * Every value read from the service is checked for its JSON type before
 * use: json-glib's typed getters warn on a mismatch, and a hostile body must
 * not be able to make the plugin print criticals. */

#include "clarifaiprotocol.h"
#include "clarifaijson.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Spelled out: gst-indent would put spaces into G_DEFINE_QUARK's string. */
GQuark
clarifai_protocol_error_quark (void)
{
  return g_quark_from_static_string ("clarifai-protocol-error-quark");
}

typedef enum
{
  BODY_ONE_VALUE,
  BODY_NOT_JSON,
  BODY_OTHER_TYPE,
  BODY_TRAILING,
} BodyShape;

/* Whether @data is one JSON object (or array: @open) and nothing after it
 * but white space,
 * as far as brackets and strings tell (the parser judges the rest): a
 * body of two JSON values makes json-glib 1.10's immutable parser abort
 * the process, and 1.6's mutable one leak the first, so no parser sees
 * one. */
static BodyShape
body_shape (const gchar * data, gsize len, gchar open)
{
  gboolean in_string = FALSE, escaped = FALSE;
  gint depth = 0;
  gsize i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  if (i == len || !strchr ("{[\"-0123456789tfn", data[i]))
    return BODY_NOT_JSON;
  if (data[i] != open)
    return BODY_OTHER_TYPE;
  for (; i < len; i++) {
    gchar c = data[i];

    if (in_string) {
      if (escaped)
        escaped = FALSE;
      else if (c == '\\')
        escaped = TRUE;
      else if (c == '"')
        in_string = FALSE;
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      break;
    }
  }
  for (i++; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return BODY_TRAILING;
  return BODY_ONE_VALUE;
}

/**
 * clarifai_json_parse:
 * @type: %JSON_NODE_OBJECT or %JSON_NODE_ARRAY
 *
 * Parses text that must hold one JSON value of @type, and nothing after
 * it.
 */
JsonNode *
clarifai_json_parse (const gchar * data, gsize len, JsonNodeType type,
    GError ** error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) err = NULL;
  g_autofree gchar *valid = NULL;
  const gchar *what = type == JSON_NODE_OBJECT ? "object" : "array";
  JsonNode *root;

  if (data == NULL || len == 0) {
    g_set_error_literal (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "empty body");
    return NULL;
  }
  switch (len <= G_MAXSSIZE ? body_shape (data, len,
          type == JSON_NODE_OBJECT ? '{' : '[') : BODY_ONE_VALUE) {
    case BODY_NOT_JSON:
      g_set_error_literal (error, CLARIFAI_PROTOCOL_ERROR,
          CLARIFAI_PROTOCOL_ERROR_MALFORMED, "body is not JSON");
      return NULL;
    case BODY_OTHER_TYPE:
      g_set_error (error, CLARIFAI_PROTOCOL_ERROR,
          CLARIFAI_PROTOCOL_ERROR_MALFORMED, "body is not a JSON %s", what);
      return NULL;
    case BODY_TRAILING:
      g_set_error_literal (error, CLARIFAI_PROTOCOL_ERROR,
          CLARIFAI_PROTOCOL_ERROR_MALFORMED,
          "body holds more than one JSON value");
      return NULL;
    case BODY_ONE_VALUE:
      break;
  }
  parser = json_parser_new ();

  /* json-glib refuses a whole document for one stray byte in a string;
   * the service's strings are replaced where they are not UTF-8 instead. */
  if (len <= G_MAXSSIZE && !g_utf8_validate_len (data, len, NULL)) {
    valid = g_utf8_make_valid (data, len);
    data = valid;
    len = strlen (valid);
  }
  if (len > G_MAXSSIZE || !json_parser_load_from_data (parser, data, len, &err)) {
    g_set_error (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "body is not JSON: %s",
        err ? err->message : "too large");
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (root == NULL || JSON_NODE_TYPE (root) != type) {
    g_set_error (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "body is not a JSON %s", what);
    return NULL;
  }
  return json_node_ref (root);
}

/**
 * clarifai_json_parse_root:
 *
 * Parses a body that must hold one JSON object, and nothing after it.
 */
JsonNode *
clarifai_json_parse_root (const gchar * data, gsize len, GError ** error)
{
  return clarifai_json_parse (data, len, JSON_NODE_OBJECT, error);
}

/**
 * clarifai_body_excerpt:
 *
 * Returns: (transfer full): what an answer that is not JSON says, for a
 * status message: its first 200 printable characters, white space
 * folded, or "empty body".
 */
gchar *
clarifai_body_excerpt (const gchar * data, gsize len)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  gsize i;

  for (i = 0; data && i < len && out->len < 200; i++) {
    guchar c = data[i];

    if (g_ascii_isspace (c) || !g_ascii_isprint (c)) {
      space = out->len > 0;
      continue;
    }
    if (space)
      g_string_append_c (out, ' ');
    space = FALSE;
    g_string_append_c (out, c);
  }
  if (out->len == 0)
    g_string_append (out, "empty body");
  return g_string_free (out, FALSE);
}

static JsonNode *
member (JsonObject * obj, const gchar * name, JsonNodeType type)
{
  JsonNode *node;

  if (obj == NULL)
    return NULL;
  node = json_object_get_member (obj, name);
  if (node == NULL || JSON_NODE_TYPE (node) != type)
    return NULL;
  return node;
}

JsonObject *
clarifai_json_object (JsonObject * obj, const gchar * name)
{
  JsonNode *node = member (obj, name, JSON_NODE_OBJECT);

  return node ? json_node_get_object (node) : NULL;
}

JsonArray *
clarifai_json_array (JsonObject * obj, const gchar * name)
{
  JsonNode *node = member (obj, name, JSON_NODE_ARRAY);

  return node ? json_node_get_array (node) : NULL;
}

/**
 * clarifai_json_find:
 *
 * Returns: (nullable): the object of @array whose @member is the string
 *   @value, else its first object
 */
JsonObject *
clarifai_json_find (JsonArray * array, const gchar * member,
    const gchar * value)
{
  JsonObject *first = NULL;
  guint i;

  for (i = 0; array && i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);
    JsonObject *obj;
    JsonNode *m;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      continue;
    obj = json_node_get_object (node);
    if (first == NULL)
      first = obj;
    m = json_object_get_member (obj, member);
    if (m && JSON_NODE_HOLDS_VALUE (m)
        && json_node_get_value_type (m) == G_TYPE_STRING
        && g_strcmp0 (json_node_get_string (m), value) == 0)
      return obj;
  }
  return first;
}

/* The service's strings are not trusted to be UTF-8; GstStructure fields
 * must be. */
gchar *
clarifai_json_value_utf8 (JsonNode * node)
{
  const gchar *s;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  s = json_node_get_string (node);
  return g_utf8_make_valid (s, -1);
}

gchar *
clarifai_json_utf8 (JsonObject * obj, const gchar * name)
{
  return obj ? clarifai_json_value_utf8 (json_object_get_member (obj,
          name)) : NULL;
}

gboolean
clarifai_json_double (JsonNode * node, gdouble * out)
{
  GType t;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  if (t == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else if (t == G_TYPE_INT64)
    *out = (gdouble) json_node_get_int (node);
  else
    return FALSE;
  return TRUE;
}

/* Ids come as strings (`concept_ids`) or, in older models, as numeric
 * strings or numbers (`catids`). */
gchar *
clarifai_json_id (JsonNode * node)
{
  gchar *s = clarifai_json_value_utf8 (node);

  if (s == NULL && node && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64)
    s = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return s ? s : g_strdup ("");
}

static void
parse_tags (ClarifaiItemResult * item, JsonObject * tag)
{
  JsonArray *classes = clarifai_json_array (tag, "classes");
  JsonArray *probs = clarifai_json_array (tag, "probs");
  JsonArray *ids = clarifai_json_array (tag, "concept_ids");
  guint i, n;

  if (ids == NULL)
    ids = clarifai_json_array (tag, "catids");
  if (classes == NULL || probs == NULL)
    return;

  /* Arrays of unequal length are cut to the shortest rather than padded
   * with invented probabilities. */
  n = MIN (json_array_get_length (classes), json_array_get_length (probs));
  for (i = 0; i < n; i++) {
    g_autofree gchar *name =
        clarifai_json_value_utf8 (json_array_get_element (classes, i));
    g_autofree gchar *id = NULL;
    gdouble prob;

    if (name == NULL
        || !clarifai_json_double (json_array_get_element (probs, i), &prob))
      continue;
    if (ids && i < json_array_get_length (ids))
      id = clarifai_json_id (json_array_get_element (ids, i));
    clarifai_item_result_add_tag (item, name, prob, id);
  }
}

static ClarifaiItemResult *
parse_item (JsonObject * obj)
{
  ClarifaiItemResult *item = clarifai_item_result_new ();
  JsonObject *result = clarifai_json_object (obj, "result");
  JsonObject *tag = clarifai_json_object (result, "tag");
  g_autofree gchar *detail = clarifai_json_utf8 (result, "error");
  g_autofree gchar *msg = clarifai_json_utf8 (obj, "status_msg");

  item->local_id = clarifai_json_utf8 (obj, "local_id");
  item->status_code = clarifai_json_utf8 (obj, "status_code");
  if (item->status_code == NULL)
    item->status_code = g_strdup (tag ? "OK" : "SERVER_ERROR");
  item->docid = clarifai_json_utf8 (obj, "docid_str");
  if (item->docid == NULL)
    item->docid = g_strdup ("");

  if (detail && msg)
    item->status_msg = g_strdup_printf ("%s: %s", msg, detail);
  else
    item->status_msg = g_strdup (detail ? detail : msg ? msg : "");

  if (tag)
    parse_tags (item, tag);
  return item;
}

/**
 * clarifai_tag_response_parse:
 * @data: the body of a /v1/tag/ answer
 * @len: its length in bytes
 * @error: return location for a #CLARIFAI_PROTOCOL_ERROR
 *
 * Parses an OK, PARTIAL_ERROR or ALL_ERROR body.  `results` may be an array
 * of per-image outcomes or, for a request the service could not read at
 * all, a string; the latter gives a response without items.
 *
 * Returns: (transfer full): the response, or %NULL if the body is not a
 * JSON object with a `status_code`.
 */
ClarifaiTagResponse *
clarifai_tag_response_parse (const gchar * data, gsize len, GError ** error)
{
  g_autoptr (JsonNode) root = clarifai_json_parse_root (data, len, error);
  ClarifaiTagResponse *response;
  JsonObject *obj, *tag_meta;
  JsonArray *results;
  gchar *status;
  guint i;

  if (root == NULL)
    return NULL;
  obj = json_node_get_object (root);

  status = clarifai_json_utf8 (obj, "status_code");
  if (status == NULL) {
    g_set_error_literal (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "body has no status_code");
    return NULL;
  }

  response = g_new0 (ClarifaiTagResponse, 1);
  response->status_code = status;
  response->status_msg = clarifai_json_utf8 (obj, "status_msg");
  if (response->status_msg == NULL)
    response->status_msg = g_strdup ("");
  tag_meta = clarifai_json_object (clarifai_json_object (obj, "meta"), "tag");
  response->model = clarifai_json_utf8 (tag_meta, "model");
  if (response->model == NULL)
    response->model = g_strdup ("");
  response->items = g_ptr_array_new_with_free_func ((GDestroyNotify)
      clarifai_item_result_unref);

  results = clarifai_json_array (obj, "results");
  if (results) {
    for (i = 0; i < json_array_get_length (results); i++) {
      JsonNode *node = json_array_get_element (results, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (response->items,
            parse_item (json_node_get_object (node)));
    }
  } else {
    g_autofree gchar *why = clarifai_json_utf8 (obj, "results");

    /* A malformed request is answered with the reason as `results`. */
    if (why && *why) {
      gchar *msg = g_strdup_printf ("%s%s%s", response->status_msg,
          *response->status_msg ? ": " : "", why);

      g_free (response->status_msg);
      response->status_msg = msg;
    }
  }
  return response;
}

void
clarifai_tag_response_free (ClarifaiTagResponse * response)
{
  if (response == NULL)
    return;
  g_free (response->status_code);
  g_free (response->status_msg);
  g_free (response->model);
  g_ptr_array_unref (response->items);
  g_free (response);
}

/**
 * clarifai_token_response_parse:
 * @access_token: (out): the token
 * @expires_in: (out): its lifetime in seconds, or 0 when not given
 *
 * Parses a /v1/token/ answer.
 */
gboolean
clarifai_token_response_parse (const gchar * data, gsize len,
    gchar ** access_token, gint64 * expires_in, GError ** error)
{
  g_autoptr (JsonNode) root = clarifai_json_parse_root (data, len, error);
  JsonObject *obj;
  gchar *token;
  gdouble ttl = 0;

  if (root == NULL)
    return FALSE;
  obj = json_node_get_object (root);
  token = clarifai_json_utf8 (obj, "access_token");
  if (token == NULL || *token == '\0') {
    g_free (token);
    g_set_error_literal (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "token answer has no access_token");
    return FALSE;
  }
  /* Some servers send expires_in as a string. */
  if (!clarifai_json_double (json_object_get_member (obj, "expires_in"), &ttl)) {
    g_autofree gchar *s = clarifai_json_utf8 (obj, "expires_in");

    ttl = s ? g_ascii_strtod (s, NULL) : 0;
  }
  *access_token = token;
  *expires_in = (ttl > 0 && ttl < G_MAXINT32) ? (gint64) ttl : 0;
  return TRUE;
}

static guint64
results_uint (JsonObject * results, const gchar * name)
{
  gdouble v;

  if (!clarifai_json_double (json_object_get_member (results, name), &v)
      || v < 0)
    return 0;
  return v > (gdouble) G_MAXUINT32 ? G_MAXUINT32 : (guint64) v;
}

/**
 * clarifai_info_response_parse:
 * @info: (out caller-allocates): the limits; fields the service did not
 *   give are 0
 *
 * Parses a /v1/info/ answer.
 */
gboolean
clarifai_info_response_parse (const gchar * data, gsize len,
    ClarifaiInfo * info, GError ** error)
{
  g_autoptr (JsonNode) root = clarifai_json_parse_root (data, len, error);
  JsonObject *results;

  if (root == NULL)
    return FALSE;
  results = clarifai_json_object (json_node_get_object (root), "results");
  if (results == NULL) {
    g_set_error_literal (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "info answer has no results object");
    return FALSE;
  }
  info->max_batch_size = results_uint (results, "max_batch_size");
  info->max_image_size = results_uint (results, "max_image_size");
  info->min_image_size = results_uint (results, "min_image_size");
  info->max_image_bytes = results_uint (results, "max_image_bytes");
  return TRUE;
}

/**
 * clarifai_status_parse:
 * @status_code: (out): the envelope's status_code
 * @status_msg: (out): its status_msg, "" when absent
 *
 * Reads the status of any v1 envelope, e.g. the body of a 401 or 500.
 *
 * Returns: %TRUE if the body is a JSON object with a string status_code.
 */
gboolean
clarifai_status_parse (const gchar * data, gsize len, gchar ** status_code,
    gchar ** status_msg)
{
  g_autoptr (JsonNode) root = clarifai_json_parse_root (data, len, NULL);
  JsonObject *obj;
  gchar *code;

  if (root == NULL)
    return FALSE;
  obj = json_node_get_object (root);
  code = clarifai_json_utf8 (obj, "status_code");
  if (code == NULL)
    return FALSE;
  *status_code = code;
  *status_msg = clarifai_json_utf8 (obj, "status_msg");
  if (*status_msg == NULL)
    *status_msg = g_strdup ("");
  return TRUE;
}

/**
 * clarifai_item_result_find:
 * @local_id: the id the frame was sent with
 * @position: the frame's place in the request
 * @n_requested: how many frames the request carried
 *
 * Finds a frame's outcome: by `local_id`, or by position when the service
 * echoed no `local_id` at all and answered once per frame.
 *
 * Returns: (transfer none) (nullable): the outcome, or %NULL if the answer
 * has none for this frame
 */
ClarifaiItemResult *
clarifai_item_result_find (ClarifaiTagResponse * response,
    const gchar * local_id, guint position, guint n_requested)
{
  gboolean any_id = FALSE;
  guint i;

  for (i = 0; i < response->items->len; i++) {
    ClarifaiItemResult *item = g_ptr_array_index (response->items, i);

    if (item->local_id == NULL || *item->local_id == '\0')
      continue;
    any_id = TRUE;
    if (strcmp (item->local_id, local_id) == 0)
      return item;
  }
  if (!any_id && response->items->len == n_requested && position < n_requested)
    return g_ptr_array_index (response->items, position);
  return NULL;
}

struct _ClarifaiForm
{
  gchar *boundary;
  gchar *content_type;
  GPtrArray *pieces;            /* GBytes */
};

static void
form_append (ClarifaiForm * form, GBytes * piece)
{
  g_ptr_array_add (form->pieces, piece);
}

static void
form_append_text (ClarifaiForm * form, gchar * text)
{
  gsize len = strlen (text);

  form_append (form, g_bytes_new_take (text, len));
}

/**
 * clarifai_form_new:
 *
 * Starts a multipart/form-data body (RFC 7578) with a random boundary.
 */
ClarifaiForm *
clarifai_form_new (void)
{
  ClarifaiForm *form = g_new0 (ClarifaiForm, 1);
  g_autofree gchar *uuid = g_uuid_string_random ();
  GString *boundary = g_string_new ("clarifaitag-");
  const gchar *c;

  for (c = uuid; *c; c++)
    if (*c != '-')
      g_string_append_c (boundary, *c);
  form->boundary = g_string_free (boundary, FALSE);
  form->content_type = g_strdup_printf ("multipart/form-data; boundary=\"%s\"",
      form->boundary);
  form->pieces = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  return form;
}

void
clarifai_form_free (ClarifaiForm * form)
{
  if (form == NULL)
    return;
  g_free (form->boundary);
  g_free (form->content_type);
  g_ptr_array_unref (form->pieces);
  g_free (form);
}

void
clarifai_form_add_field (ClarifaiForm * form, const gchar * name,
    const gchar * value)
{
  form_append_text (form, g_strdup_printf ("--%s\r\nContent-Disposition: "
          "form-data; name=\"%s\"\r\n\r\n%s\r\n", form->boundary, name, value));
}

/**
 * clarifai_form_add_file:
 * @data: the file's bytes, referenced, not copied
 */
void
clarifai_form_add_file (ClarifaiForm * form, const gchar * name,
    const gchar * filename, const gchar * content_type, GBytes * data)
{
  form_append_text (form, g_strdup_printf ("--%s\r\nContent-Disposition: "
          "form-data; name=\"%s\"; filename=\"%s\"\r\nContent-Type: %s\r\n"
          "\r\n", form->boundary, name, filename, content_type));
  form_append (form, g_bytes_ref (data));
  form_append (form, g_bytes_new_static ("\r\n", 2));
}

void
clarifai_form_finish (ClarifaiForm * form)
{
  form_append_text (form, g_strdup_printf ("--%s--\r\n", form->boundary));
}

const gchar *
clarifai_form_get_content_type (ClarifaiForm * form)
{
  return form->content_type;
}

/**
 * clarifai_form_ref_pieces:
 *
 * Returns: (transfer full): the finished body's pieces (GBytes), to be
 * sent back to back
 */
GPtrArray *
clarifai_form_ref_pieces (ClarifaiForm * form)
{
  return g_ptr_array_ref (form->pieces);
}
