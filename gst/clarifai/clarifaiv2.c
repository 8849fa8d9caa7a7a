/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The v2 dialect (clarifai-v2-api.md): one JSON POST per batch to a
 * model's outputs endpoint with `Authorization: Key …`, each frame an
 * input with its own id and base64 JPEG bytes, and what a v2 answer means
 * for the frames.  Pure: no I/O, so the parser and the classification are
 * unit-tested and fuzzed on bytes alone. */

#include "clarifaiv2.h"
#include "clarifaijson.h"
#include "clarifaioutput.h"

#include <string.h>

/* The most concepts the service is documented to return (PY22: 0–200). */
#define MAX_CONCEPTS 200
/* "Each image under 20 MB": read as 10^6 bytes, the smaller of the two. */
#define MAX_IMAGE_BYTES (20 * 1000 * 1000)

typedef struct
{
  ClarifaiDialect parent;
  GUri *outputs_uri;
  gchar *api_key;
  gchar *model;
  gchar *model_version;
  gchar *user_id;
  gchar *app_id;
  gchar *output_config;         /* JSON, "" when empty */
} ClarifaiV2;

/* ---- status codes ---- */

typedef struct
{
  gint64 code;
  const gchar *name;
} StatusName;

/* clarifai-v2-api.md section 6; success is the contract's "OK". */
static const StatusName status_names[] = {
  {10000, "OK"},
  {10010, "MIXED_STATUS"},
  {10020, "FAILURE"},
  {10030, "TRY_AGAIN"},
  {11001, "CONN_TOKEN_INVALID"},
  {11003, "CONN_EXCEED_HOURLY_LIMIT"},
  {11004, "CONN_EXCEED_MONTHLY_LIMIT"},
  {11005, "CONN_THROTTLED"},
  {11007, "CONN_INSUFFICIENT_SCOPES"},
  {11008, "CONN_KEY_INVALID"},
  {11009, "CONN_KEY_NOT_FOUND"},
  {11100, "CONN_BAD_REQUEST_FORMAT"},
  {11101, "CONN_DOES_NOT_EXIST"},
  {11102, "CONN_INVALID_REQUEST"},
  {21200, "MODEL_DOES_NOT_EXIST"},
  {21202, "MODEL_INVALID_ARGUMENT"},
  {21351, "MODEL_DEPLOYING"},
  {21354, "MODEL_BUSY_PLEASE_RETRY"},
  {21355, "MODEL_LOADING"},
  {30002, "INPUT_FAILED"},
  {30101, "INPUT_UNSUPPORTED_FORMAT"},
  {30104, "INPUT_INVALID_ARGUMENT"},
  {30105, "INPUT_OVER_LIMIT"},
  {30300, "ALL_INPUT_INVALID_BYTES"},
  {40001, "PREDICT_INVALID_REQUEST"},
  {40030, "RPC_REQUEST_QUEUE_FULL"},
  {40031, "RPC_SERVER_UNAVAILABLE"},
  {40032, "RPC_REQUEST_TIMEOUT"},
};

/**
 * clarifai_v2_status_name:
 *
 * Returns: (transfer full): the status name of @code as the API doc names
 * it, `OK` for success, or `CODE_<n>` for a code the element does not know
 */
gchar *
clarifai_v2_status_name (gint64 code)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (status_names[i].code == code)
      return g_strdup (status_names[i].name);
  return g_strdup_printf ("CODE_%" G_GINT64_FORMAT, code);
}

static gboolean
code_from_name (const gchar * name, gint64 * code)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (status_names[i].name, name)) {
      *code = status_names[i].code;
      return TRUE;
    }
  /* The one name the API spells differently from the contract's OK. */
  if (g_str_equal (name, "SUCCESS")) {
    *code = 10000;
    return TRUE;
  }
  return FALSE;
}

/* A status code as a number, a numeric string (protobuf JSON allows both)
 * or, as one docs page prints it, the code's name. */
static gboolean
status_code (JsonObject * status, gint64 * code)
{
  JsonNode *node = status ? json_object_get_member (status, "code") : NULL;
  g_autofree gchar *s = NULL;
  gdouble d;
  gchar *end;

  if (clarifai_json_double (node, &d)) {
    if (!(d >= 0 && d < G_MAXINT32))
      return FALSE;
    *code = (gint64) d;
    return TRUE;
  }
  s = clarifai_json_value_utf8 (node);
  if (s == NULL || *s == '\0')
    return FALSE;
  *code = g_ascii_strtoll (s, &end, 10);
  if (*end == '\0')
    return *code >= 0 && *code < G_MAXINT32;
  return code_from_name (s, code);
}

/* "description: details", or whichever of them there is. */
static gchar *
status_text (JsonObject * status)
{
  g_autofree gchar *description = clarifai_json_utf8 (status, "description");
  g_autofree gchar *details = clarifai_json_utf8 (status, "details");

  if (description && *description && details && *details)
    return g_strdup_printf ("%s: %s", description, details);
  if (details && *details)
    return g_steal_pointer (&details);
  return description ? g_steal_pointer (&description) : g_strdup ("");
}

/* ---- the answer ---- */

static ClarifaiItemResult *
parse_output (JsonObject * output)
{
  ClarifaiItemResult *item = clarifai_item_result_new ();
  JsonObject *status = clarifai_json_object (output, "status");
  gint64 code = 10000;

  item->local_id = clarifai_json_utf8 (clarifai_json_object (output,
          "input"), "id");
  item->docid = clarifai_json_utf8 (output, "id");
  if (item->docid == NULL)
    item->docid = g_strdup ("");
  /* An output without a status carries its concepts. */
  if (status && !status_code (status, &code))
    code = 0;
  item->status_code = status ? clarifai_v2_status_name (code) : g_strdup ("OK");
  item->status_msg = status ? status_text (status) : g_strdup ("");
  if (code == 10000)
    clarifai_output_read (item, output);
  if (item->dropped_regions > 0) {
    gchar *msg = g_strdup_printf ("%s%s%u boxes outside the frame dropped",
        item->status_msg, *item->status_msg ? "; " : "",
        item->dropped_regions);

    g_free (item->status_msg);
    item->status_msg = msg;
  }
  return item;
}

/**
 * clarifai_v2_response_parse:
 * @data: the body of a v2 answer, whatever its HTTP status
 *
 * Returns: (transfer full): the answer: its top-level status (`code`, and
 * its name as `status_code`), one item per output with the output's input
 * id as `local_id`, and the model id of the first output; %NULL if the
 * body is not a JSON object with a status code
 */
ClarifaiTagResponse *
clarifai_v2_response_parse (const gchar * data, gsize len, GError ** error)
{
  g_autoptr (JsonNode) root = clarifai_json_parse_root (data, len, error);
  ClarifaiTagResponse *response;
  JsonObject *obj, *status;
  JsonArray *outputs;
  gint64 code;
  guint i;

  if (root == NULL)
    return NULL;
  obj = json_node_get_object (root);
  status = clarifai_json_object (obj, "status");
  if (!status_code (status, &code)) {
    g_set_error_literal (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "body has no status code");
    return NULL;
  }

  response = g_new0 (ClarifaiTagResponse, 1);
  response->code = code;
  response->status_code = clarifai_v2_status_name (code);
  response->status_msg = status_text (status);
  response->items = g_ptr_array_new_with_free_func ((GDestroyNotify)
      clarifai_item_result_unref);
  outputs = clarifai_json_array (obj, "outputs");
  for (i = 0; outputs && i < json_array_get_length (outputs); i++) {
    JsonNode *node = json_array_get_element (outputs, i);
    JsonObject *output;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      continue;
    output = json_node_get_object (node);
    if (response->model == NULL)
      response->model = clarifai_json_utf8 (clarifai_json_object (output,
              "model"), "id");
    g_ptr_array_add (response->items, parse_output (output));
  }
  if (response->model == NULL)
    response->model = g_strdup ("");
  return response;
}

/* ---- the request ---- */

static void
append_json_string (GString * out, const gchar * s)
{
  g_string_append_c (out, '"');
  for (; *s; s++) {
    guchar c = *s;

    if (c == '"' || c == '\\')
      g_string_append_printf (out, "\\%c", c);
    else if (c < 0x20)
      g_string_append_printf (out, "\\u%04x", c);
    else
      g_string_append_c (out, c);
  }
  g_string_append_c (out, '"');
}

/* The `model` member with output_config, or "" when nothing is asked:
 * the service then filters nothing.  Every filter is applied again to
 * the answer (clarifai_item_result_apply_limits()): models uploaded since
 * 2025 ignore output_config. */
static gchar *
output_config (const ClarifaiDialectSettings * s)
{
  GString *config = g_string_new (NULL);
  gchar num[G_ASCII_DTOSTR_BUF_SIZE];

  if (s->select_classes) {
    g_auto (GStrv) names = g_strsplit (s->select_classes, ",", -1);
    guint i, n = 0;

    g_string_append (config, "\"select_concepts\":[");
    for (i = 0; names[i]; i++) {
      g_strstrip (names[i]);
      if (*names[i] == '\0')
        continue;
      g_string_append (config, n++ ? ",{\"name\":" : "{\"name\":");
      append_json_string (config, names[i]);
      g_string_append_c (config, '}');
    }
    g_string_append_c (config, ']');
  }
  if (s->max_tags)
    g_string_append_printf (config, "%s\"max_concepts\":%u",
        config->len ? "," : "", MIN (s->max_tags, MAX_CONCEPTS));
  if (s->threshold > 0)
    g_string_append_printf (config, "%s\"min_value\":%s",
        config->len ? "," : "", g_ascii_dtostr (num, sizeof (num),
            s->threshold));
  if (s->language) {
    g_string_append (config, config->len ? ",\"language\":" : "\"language\":");
    append_json_string (config, s->language);
  }
  if (config->len == 0)
    return g_string_free (config, FALSE);
  /* model.output_info is deprecated (clarifai-v2-models.md 5) */
  g_string_prepend (config,
      ",\"model\":{\"model_version\":{\"output_info\":{\"output_config\":{");
  g_string_append (config, "}}}}");
  return g_string_free (config, FALSE);
}

/* Standard base64 (RFC 4648 4), padded, no line breaks.  Two output
 * characters per table lookup, 12 input bits each: twice as fast as
 * GLib's encoder on a large JPEG, which keeps the body's cost a small
 * share of the JPEG encode's. */
static const gchar b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static guint16 b64_pairs[4096];

static void
b64_init (void)
{
  static gsize done = 0;
  guint i;

  if (!g_once_init_enter (&done))
    return;
  for (i = 0; i < 4096; i++) {
    gchar pair[2] = { b64_alphabet[i >> 6], b64_alphabet[i & 63] };

    memcpy (&b64_pairs[i], pair, 2);
  }
  g_once_init_leave (&done, 1);
}

#define B64_LEN(n) (((n) + 2) / 3 * 4)

/* Writes B64_LEN (@n) characters at @out. */
static void
b64_encode (const guint8 * in, gsize n, gchar * out)
{
  gsize i;

  for (i = 0; i + 3 <= n; i += 3, out += 4) {
    guint32 v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];

    memcpy (out, &b64_pairs[v >> 12], 2);
    memcpy (out + 2, &b64_pairs[v & 0xfff], 2);
  }
  if (i < n) {
    guint32 v = in[i] << 16 | (i + 1 < n ? in[i + 1] << 8 : 0);

    out[0] = b64_alphabet[v >> 18];
    out[1] = b64_alphabet[(v >> 12) & 63];
    out[2] = i + 1 < n ? b64_alphabet[(v >> 6) & 63] : '=';
    out[3] = '=';
  }
}

#define INPUT_HEAD "{\"id\":"
#define INPUT_DATA ",\"data\":{\"image\":{\"base64\":\""
#define INPUT_TAIL "\"}}}"

/* One JSON body for the batch, base64 encoded straight into it: its size
 * is known before a byte is written, so it is allocated once and the
 * JPEG bytes are read once. */
static ClarifaiHttpRequest *
v2_build (ClarifaiDialect * dialect, GPtrArray * ids, GPtrArray * jpegs)
{
  ClarifaiV2 *v2 = (ClarifaiV2 *) dialect;
  ClarifaiHttpRequest *request = clarifai_http_request_new ("POST",
      v2->outputs_uri);
  GPtrArray *pieces = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  gsize size = 64 + strlen (v2->output_config);
  GString *body;
  guint i;

  b64_init ();
  for (i = 0; i < ids->len; i++)
    size += strlen (INPUT_HEAD INPUT_DATA INPUT_TAIL) + 4 +
        strlen (ids->pdata[i]) * 6 +
        B64_LEN (g_bytes_get_size (jpegs->pdata[i]));
  body = g_string_sized_new (size);
  g_string_append (body, "{\"inputs\":[");
  for (i = 0; i < ids->len; i++) {
    gsize n, at;
    const guint8 *jpeg = g_bytes_get_data (jpegs->pdata[i], &n);

    if (i)
      g_string_append_c (body, ',');
    g_string_append (body, INPUT_HEAD);
    append_json_string (body, ids->pdata[i]);
    g_string_append (body, INPUT_DATA);
    at = body->len;
    g_string_set_size (body, at + B64_LEN (n));
    b64_encode (jpeg, n, body->str + at);
    g_string_append (body, INPUT_TAIL);
  }
  g_string_append_c (body, ']');
  g_string_append (body, v2->output_config);
  g_string_append_c (body, '}');
  g_ptr_array_add (pieces, g_string_free_to_bytes (body));
  clarifai_http_request_set_body (request, "application/json", pieces);
  return request;
}

static void
v2_setup (ClarifaiDialect * dialect, GCancellable * cancellable,
    ClarifaiInfo * limits, ClarifaiDialectDone done, gpointer user_data)
{
  memset (limits, 0, sizeof (*limits));
  limits->max_batch_size = CLARIFAI_V2_MAX_INPUTS;
  limits->max_image_bytes = MAX_IMAGE_BYTES;
  done (NULL, user_data);
}

static void
v2_authorize (ClarifaiDialect * dialect, ClarifaiHttpRequest * request,
    GCancellable * cancellable, ClarifaiDialectDone done, gpointer user_data)
{
  if (request->authorization == NULL)
    request->authorization = g_strconcat ("Key ",
        ((ClarifaiV2 *) dialect)->api_key, NULL);
  done (NULL, user_data);
}

static gboolean
is_auth_code (gint64 code)
{
  return code == 11001 || code == 11007 || code == 11008 || code == 11009
      || code == 11102;
}

/* Transient by the API doc: try again, model warming up or busy, RPC
 * "please try again", internal faults. */
static gboolean
is_retry_code (gint64 code)
{
  return code == 10030 || code == 21351 || code == 21354 || code == 21355
      || (code >= 40030 && code <= 40032) || code / 1000 == 98
      || code / 1000 == 99;
}

static void
v2_classify (ClarifaiDialect * dialect, const ClarifaiHttpRequest * request,
    const ClarifaiHttpAnswer * answer, ClarifaiVerdict * verdict)
{
  ClarifaiV2 *v2 = (ClarifaiV2 *) dialect;
  guint http = answer->status;
  g_autoptr (GError) err = NULL;
  g_autoptr (ClarifaiTagResponse) r = NULL;
  g_autofree gchar *detail = NULL;
  gint64 code;

  /* The body decides, whatever the HTTP status: errors carry a status
   * too.  Without one, the HTTP status is all there is. */
  r = clarifai_v2_response_parse (answer->data, answer->len, &err);
  if (r == NULL) {
    g_autofree gchar *said = NULL;

    /* A 2xx that does not parse: the parser says where.  An error page:
     * what it says. */
    if (http < 200 || http >= 300)
      said = clarifai_body_excerpt (answer->data, answer->len);
    detail = g_strdup_printf ("HTTP %u %s: %s", http, answer->reason,
        said ? said : err->message);
    if (http == 429) {
      clarifai_verdict_set (verdict, CLARIFAI_VERDICT_THROTTLE, "HTTP_ERROR",
          detail);
      verdict->wait_us = answer->retry_after_us;
    } else if (http >= 500 || http == 408) {
      clarifai_verdict_set (verdict, CLARIFAI_VERDICT_RETRY, "HTTP_ERROR",
          detail);
      verdict->wait_us = answer->retry_after_us;
      verdict->outage = TRUE;
    } else if (http >= 200 && http < 300) {
      /* A truncated or garbled answer is worth one more try. */
      clarifai_verdict_set (verdict, CLARIFAI_VERDICT_RETRY, "BAD_RESPONSE",
          detail);
    } else {
      clarifai_verdict_set (verdict, CLARIFAI_VERDICT_FAIL, http >= 400 ?
          "BAD_RESPONSE" : "HTTP_ERROR", detail);
    }
    return;
  }

  /* An answer without outputs names no model: it is the one asked. */
  if (*r->model == '\0') {
    g_free (r->model);
    r->model = g_strdup (v2->model);
  }
  code = r->code;
  detail = g_strdup_printf ("%s (%" G_GINT64_FORMAT "): %s", r->status_code,
      code, r->status_msg);
  if (code == 10000 || code == 10010) {
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_RESULTS, "BAD_RESPONSE",
        "the answer has no output for this frame");
    verdict->response = g_steal_pointer (&r);
  } else if (is_auth_code (code) || http == 401 || http == 403) {
    clarifai_verdict_set_fatal (verdict,
        CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED, r->status_code,
        "the service rejected the API key (%s); check api-key (or %s), and "
        "that user-id \"%s\" and app-id \"%s\" are the key's", detail,
        "CLARIFAI_PAT", v2->user_id, v2->app_id);
  } else if (code == 21200 || code == 11101 || http == 404) {
    clarifai_verdict_set_fatal (verdict, CLARIFAI_DIALECT_ERROR_NOT_FOUND,
        r->status_code, "no model \"%s\"%s%s%s in app \"%s\" of user \"%s\" "
        "(%s); check model, model-version, app-id and user-id", v2->model,
        v2->model_version ? " version \"" : "",
        v2->model_version ? v2->model_version : "",
        v2->model_version ? "\"" : "", v2->app_id, v2->user_id, detail);
  } else if (code == 21202) {
    /* the output_config: no frame will ever be tagged with it */
    clarifai_verdict_set_fatal (verdict, CLARIFAI_DIALECT_ERROR_SETTINGS,
        r->status_code, "the service refuses the model's settings (%s); "
        "check select-classes (the names must exist in model \"%s\", "
        "exactly), language, threshold and max-tags", detail, v2->model);
  } else if (code == 11005 || code == 11003 || http == 429) {
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_THROTTLE, r->status_code,
        detail);
    verdict->wait_us = answer->retry_after_us;
  } else if (is_retry_code (code) || http >= 500) {
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_RETRY, r->status_code,
        detail);
    verdict->wait_us = answer->retry_after_us;
    verdict->outage = TRUE;
  } else if (r->items->len > 0) {
    /* FAILURE and the like: the outputs say why, frame by frame. */
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_RESULTS, r->status_code,
        detail);
    verdict->response = g_steal_pointer (&r);
  } else {
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_FAIL, r->status_code,
        detail);
  }
}

static guint64
v2_token_requests (ClarifaiDialect * dialect)
{
  return 0;
}

static void
v2_free (ClarifaiDialect * dialect)
{
  ClarifaiV2 *v2 = (ClarifaiV2 *) dialect;

  g_uri_unref (v2->outputs_uri);
  clarifai_secret_clear (&v2->api_key);
  g_free (v2->model);
  g_free (v2->model_version);
  g_free (v2->user_id);
  g_free (v2->app_id);
  g_free (v2->output_config);
  g_free (v2);
}

static const ClarifaiDialectClass v2_class = {
  "v2", FALSE, v2_setup, v2_build, v2_authorize, v2_classify, v2_token_requests,
  v2_free,
};

static gchar *
escape (const gchar * segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/**
 * clarifai_dialect_v2_new:
 * @s: with an API key; model, user and app default to Clarifai's public
 *   general model
 */
ClarifaiDialect *
clarifai_dialect_v2_new (const ClarifaiDialectSettings * s)
{
  ClarifaiV2 *v2 = g_new0 (ClarifaiV2, 1);
  g_autofree gchar *user = NULL, *app = NULL, *model = NULL, *version = NULL;
  g_autofree gchar *path = NULL;

  v2->parent.klass = &v2_class;
  v2->api_key = g_strdup (s->api_key);
  v2->user_id = g_strdup (s->user_id ? s->user_id : "clarifai");
  v2->app_id = g_strdup (s->app_id ? s->app_id : "main");
  v2->model = g_strdup (s->model ? s->model : CLARIFAI_V2_DEFAULT_MODEL);
  v2->model_version = g_strdup (s->model_version);
  v2->output_config = output_config (s);

  user = escape (v2->user_id);
  app = escape (v2->app_id);
  model = escape (v2->model);
  version = v2->model_version ? escape (v2->model_version) : NULL;
  path = g_strdup_printf ("/v2/users/%s/apps/%s/models/%s%s%s/outputs", user,
      app, model, version ? "/versions/" : "", version ? version : "");
  v2->outputs_uri = clarifai_endpoint (s->api_url, path);
  v2->parent.account = clarifai_account_digest ("v2", s->api_url, s->api_key);
  return &v2->parent;
}
