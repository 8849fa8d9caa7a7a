/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The v2 dialect (clarifai-v2-api.md, clarifai-v2-models.md): one JSON
 * POST per batch to a model's outputs endpoint with `Authorization: Key
 * …`, each frame an input with its own id and base64 JPEG bytes (and, for
 * a model that answers a prompt, the prompt in the shape the model takes),
 * and what a v2 answer means for the frames.  The parser and the
 * classification do no I/O, so they are unit-tested and fuzzed on bytes
 * alone; the one exchange the dialect runs itself is the model probe at
 * start, on a thread of its own. */

#include "config.h"

#include "clarifaiv2.h"
#include "clarifaihttp.h"
#include "clarifaijsondoc.h"
#include "clarifaimodel.h"
#include "clarifaioutput.h"

#include <gst/gst.h>
#include <string.h>

/* The most concepts the service is documented to return (PY22: 0–200). */
#define MAX_CONCEPTS 200
/* "Each image under 20 MB": read as 10^6 bytes, the smaller of the two. */
#define MAX_IMAGE_BYTES (20 * 1000 * 1000)

typedef struct
{
  ClarifaiDialect parent;
  gchar *log_id;
  gint64 timeout_us;
  GTlsDatabase *tls_database;   /* NULL: the system's */
  GUri *outputs_uri;
  GUri *model_uri;
  gchar *api_key;
  gchar *model;
  gchar *model_version;
  gchar *user_id;
  gchar *app_id;
  gchar *prompt;
  guint max_tokens;
  gdouble temperature;
  gchar *language;
  gchar *select_classes;
  gdouble threshold;
  guint max_tags;
  /* What the model probe found; NULL until then, or when it could not
   * tell.  The request's shape follows from it: */
  ClarifaiModelInfo *info;
  gchar *input_head;            /* an input's JSON between id and base64 */
  gchar *input_tail;            /* and after the base64 */
  gchar *model_member;          /* `,"model":{…}` or "" */
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
  {21313, "MODEL_PREDICTION_FAILED"},
  {21351, "MODEL_DEPLOYING"},
  {21354, "MODEL_BUSY_PLEASE_RETRY"},
  {21353, "MODEL_NOT_DEPLOYED"},
  {21355, "MODEL_LOADING"},
  {25900, "DEPLOYMENT_DOES_NOT_EXIST"},
  {25903, "DEPLOYMENT_DISABLED"},
  {30002, "INPUT_FAILED"},
  {30101, "INPUT_UNSUPPORTED_FORMAT"},
  {30104, "INPUT_INVALID_ARGUMENT"},
  {30105, "INPUT_OVER_LIMIT"},
  {30300, "ALL_INPUT_INVALID_BYTES"},
  {40001, "PREDICT_INVALID_REQUEST"},
  {40030, "RPC_REQUEST_QUEUE_FULL"},
  {40031, "RPC_SERVER_UNAVAILABLE"},
  {40032, "RPC_REQUEST_TIMEOUT"},
  {69001, "BILLING_MISSING_TOKENS"},
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
status_code (const ClarifaiJsonDoc * doc, gint status, gint64 * code)
{
  gint node = clarifai_json_doc_member (doc, status, "code");
  g_autofree gchar *s = NULL;

  if (clarifai_json_doc_count (doc, node, code))
    return *code < G_MAXINT32;
  s = clarifai_json_doc_string (doc, node);
  if (s == NULL || *s == '\0' || g_ascii_isdigit (*s))
    return FALSE;
  return code_from_name (s, code);
}

/* "description: details", or whichever of them there is. */
static gchar *
status_text (const ClarifaiJsonDoc * doc, gint status)
{
  g_autofree gchar *description = clarifai_json_doc_member_string (doc,
      status, "description");
  g_autofree gchar *details = clarifai_json_doc_member_string (doc, status,
      "details");

  if (description && *description && details && *details)
    return g_strdup_printf ("%s: %s", description, details);
  if (details && *details)
    return g_steal_pointer (&details);
  return description ? g_steal_pointer (&description) : g_strdup ("");
}

/* ---- the answer ---- */

static ClarifaiItemResult *
parse_output (const ClarifaiJsonDoc * doc, gint output)
{
  ClarifaiItemResult *item = clarifai_item_result_new ();
  gint status = clarifai_json_doc_object (doc, output, "status");
  gint64 code = 10000;

  item->local_id = clarifai_json_doc_member_string (doc,
      clarifai_json_doc_object (doc, output, "input"), "id");
  item->docid = clarifai_json_doc_member_string (doc, output, "id");
  if (item->docid == NULL)
    item->docid = g_strdup ("");
  /* An output without a status carries its concepts. */
  if (status >= 0 && !status_code (doc, status, &code))
    code = 0;
  item->status_code = status >= 0 ? clarifai_v2_status_name (code) :
      g_strdup ("OK");
  item->status_msg = status >= 0 ? status_text (doc, status) : g_strdup ("");
  if (code == 10000)
    clarifai_output_read (item, doc, output);
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
  g_autoptr (ClarifaiJsonDoc) doc = clarifai_json_doc_parse (data, len, error);
  ClarifaiTagResponse *response;
  gint status, output;
  gint64 code;

  if (doc == NULL)
    return NULL;
  status = clarifai_json_doc_object (doc, 0, "status");
  if (!status_code (doc, status, &code)) {
    g_set_error_literal (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "body has no status code");
    return NULL;
  }

  response = g_new0 (ClarifaiTagResponse, 1);
  response->code = code;
  response->status_code = clarifai_v2_status_name (code);
  response->status_msg = status_text (doc, status);
  response->items = g_ptr_array_new_with_free_func ((GDestroyNotify)
      clarifai_item_result_unref);
  for (output = clarifai_json_doc_first (doc, clarifai_json_doc_array (doc, 0,
              "outputs")); output >= 0;
      output = clarifai_json_doc_next (doc, output)) {
    if (clarifai_json_doc_type (doc, output) != CLARIFAI_JSON_OBJECT)
      continue;
    if (response->model == NULL)
      response->model = clarifai_json_doc_member_string (doc,
          clarifai_json_doc_object (doc, output, "model"), "id");
    g_ptr_array_add (response->items, parse_output (doc, output));
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

/* The `model` member with output_config (and, for a prompt in the classic
 * shape, the params a wrapped VLM reads), or "" when nothing is asked:
 * the service then filters nothing.  Every filter is applied again to the
 * answer (clarifai_item_result_apply_limits()): models uploaded since 2025
 * ignore output_config. */
static gchar *
model_member (const ClarifaiV2 * v2, gboolean params)
{
  GString *config = g_string_new (NULL);
  GString *out;
  gchar num[G_ASCII_DTOSTR_BUF_SIZE];

  if (v2->select_classes) {
    g_auto (GStrv) names = clarifai_names_from_list (v2->select_classes);
    guint i;

    g_string_append (config, "\"select_concepts\":[");
    for (i = 0; names[i]; i++) {
      g_string_append (config, i ? ",{\"name\":" : "{\"name\":");
      append_json_string (config, names[i]);
      g_string_append_c (config, '}');
    }
    g_string_append_c (config, ']');
  }
  if (v2->max_tags)
    g_string_append_printf (config, "%s\"max_concepts\":%u",
        config->len ? "," : "", MIN (v2->max_tags, MAX_CONCEPTS));
  if (v2->threshold > 0)
    g_string_append_printf (config, "%s\"min_value\":%s",
        config->len ? "," : "", g_ascii_dtostr (num, sizeof (num),
            v2->threshold));
  if (v2->language) {
    g_string_append (config, config->len ? ",\"language\":" : "\"language\":");
    append_json_string (config, v2->language);
  }
  if (config->len == 0 && !params)
    return g_string_free (config, FALSE);
  /* model.output_info is deprecated (clarifai-v2-models.md 5) */
  out = g_string_new (",\"model\":{\"model_version\":{\"output_info\":{");
  if (config->len)
    g_string_append_printf (out, "\"output_config\":{%s}", config->str);
  if (params) {
    g_string_append_printf (out, "%s\"params\":{\"temperature\":%s",
        config->len ? "," : "", g_ascii_dtostr (num, sizeof (num),
            v2->temperature));
    if (v2->max_tokens)
      g_string_append_printf (out, ",\"max_tokens\":%u", v2->max_tokens);
    g_string_append_c (out, '}');
  }
  g_string_append (out, "}}}");
  g_string_free (config, TRUE);
  return g_string_free (out, FALSE);
}

/* Model kinds that take no text: a prompt sent to them would be noise. */
static gboolean
takes_no_text (const ClarifaiModelInfo * info)
{
  static const gchar *const kinds[] = { "visual-classifier",
    "visual-detector", "visual-segmenter", "visual-embedder", NULL
  };

  return info && !info->pythonic && g_strv_contains (kinds, info->type_id);
}

/* The JSON around each input's base64: the classic shape (the image, and
 * a prompt as text.raw, which a pythonic model's runner also maps to its
 * text argument), or a pythonic model's parts, one per argument of its
 * predict method that the element fills. */
static void
shape_requests (ClarifaiV2 * v2)
{
  const ClarifaiModelInfo *info = v2->info;
  const gchar *prompt = takes_no_text (info) ? NULL : v2->prompt;
  GString *head = g_string_new (NULL), *tail = g_string_new (NULL);
  gchar num[G_ASCII_DTOSTR_BUF_SIZE];

  if (info && info->pythonic) {
    g_string_append (head, ",\"data\":{\"metadata\":{\"_method_name\":"
        "\"predict\"},\"parts\":[{\"id\":");
    append_json_string (head, info->image_arg);
    g_string_append (head, ",\"data\":{\"image\":{\"base64\":\"");
    g_string_append (tail, "\"}}}");
    if (prompt && info->prompt_arg) {
      g_string_append (tail, ",{\"id\":");
      append_json_string (tail, info->prompt_arg);
      g_string_append (tail, ",\"data\":{\"string_value\":");
      append_json_string (tail, prompt);
      g_string_append (tail, "}}");
    }
    if (info->max_tokens_arg && v2->max_tokens)
      g_string_append_printf (tail, ",{\"id\":\"max_tokens\",\"data\":"
          "{\"int_value\":%u}}", v2->max_tokens);
    if (info->temperature_arg)
      g_string_append_printf (tail, ",{\"id\":\"temperature\",\"data\":"
          "{\"float_value\":%s}}", g_ascii_dtostr (num, sizeof (num),
              v2->temperature));
    g_string_append (tail, "]}}");
  } else {
    g_string_append (head, ",\"data\":{\"image\":{\"base64\":\"");
    g_string_append (tail, "\"}");
    if (prompt) {
      g_string_append (tail, ",\"text\":{\"raw\":");
      append_json_string (tail, prompt);
      g_string_append_c (tail, '}');
    }
    g_string_append (tail, "}}");
  }
  g_free (v2->input_head);
  g_free (v2->input_tail);
  g_free (v2->model_member);
  v2->input_head = g_string_free (head, FALSE);
  v2->input_tail = g_string_free (tail, FALSE);
  v2->model_member = model_member (v2, prompt && !(info && info->pythonic));
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
  gsize size = 64 + strlen (v2->model_member);
  gsize per_input = strlen (v2->input_head) + strlen (v2->input_tail) + 8;
  GString *body;
  guint i;

  b64_init ();
  for (i = 0; i < ids->len; i++)
    size += per_input + strlen (ids->pdata[i]) * 6 +
        B64_LEN (g_bytes_get_size (jpegs->pdata[i]));
  body = g_string_sized_new (size);
  g_string_append (body, "{\"inputs\":[");
  for (i = 0; i < ids->len; i++) {
    gsize n, at;
    const guint8 *jpeg = g_bytes_get_data (jpegs->pdata[i], &n);

    if (i)
      g_string_append_c (body, ',');
    g_string_append (body, "{\"id\":");
    append_json_string (body, ids->pdata[i]);
    g_string_append (body, v2->input_head);
    at = body->len;
    g_string_set_size (body, at + B64_LEN (n));
    b64_encode (jpeg, n, body->str + at);
    g_string_append (body, v2->input_tail);
  }
  g_string_append_c (body, ']');
  g_string_append (body, v2->model_member);
  g_string_append_c (body, '}');
  g_ptr_array_add (pieces, g_string_free_to_bytes (body));
  clarifai_http_request_set_body (request, "application/json", pieces);
  return request;
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

static gboolean
is_deployment_code (gint64 code)
{
  /* MODEL_NOT_DEPLOYED, DEPLOYMENT_DOES_NOT_EXIST, DEPLOYMENT_DISABLED */
  return code == 21353 || code == 25900 || code == 25903;
}

static void
set_key_rejected (ClarifaiV2 * v2, ClarifaiVerdict * verdict,
    const gchar * status, const gchar * detail)
{
  clarifai_verdict_set_fatal (verdict, CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED,
      status, "the service rejected the API key (%s); check api-key (or %s), "
      "and that user-id \"%s\" and app-id \"%s\" are the key's", detail,
      "CLARIFAI_PAT", v2->user_id, v2->app_id);
}

static void
set_needs_deployment (ClarifaiV2 * v2, ClarifaiVerdict * verdict,
    const gchar * status, const gchar * detail)
{
  clarifai_verdict_set_fatal (verdict, CLARIFAI_DIALECT_ERROR_NOT_FOUND,
      status, "model \"%s\" of app \"%s\" of user \"%s\" needs a "
      "deployment (%s): since 2025-12-31 only Clarifai's featured models run "
      "on its shared compute; deploy the model to a nodepool of your own, or "
      "choose another model", v2->model, v2->app_id, v2->user_id, detail);
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
    set_key_rejected (v2, verdict, r->status_code, detail);
  } else if (code == 21200 || code == 11101 || http == 404) {
    clarifai_verdict_set_fatal (verdict, CLARIFAI_DIALECT_ERROR_NOT_FOUND,
        r->status_code, "no model \"%s\"%s%s%s in app \"%s\" of user \"%s\" "
        "(%s); check model, model-version, app-id and user-id", v2->model,
        v2->model_version ? " version \"" : "",
        v2->model_version ? v2->model_version : "",
        v2->model_version ? "\"" : "", v2->app_id, v2->user_id, detail);
  } else if (is_deployment_code (code)) {
    set_needs_deployment (v2, verdict, r->status_code, detail);
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

/* ---- the model probe ---- */

/* What probes found, per account and model, for the process's life: the
 * elements of one camera wall on one model ask once. */
static GMutex probe_lock;
static GHashTable *probe_cache;

static gchar *
probe_key (ClarifaiV2 * v2)
{
  g_autofree gchar *uri = g_uri_to_string (v2->model_uri);

  return g_strconcat (v2->parent.account, " ", uri, NULL);
}

static ClarifaiModelInfo *
probe_cached (ClarifaiV2 * v2)
{
  g_autofree gchar *key = probe_key (v2);
  ClarifaiModelInfo *info;

  g_mutex_lock (&probe_lock);
  info = probe_cache ? g_hash_table_lookup (probe_cache, key) : NULL;
  info = info ? clarifai_model_info_copy (info) : NULL;
  g_mutex_unlock (&probe_lock);
  return info;
}

static void
probe_remember (ClarifaiV2 * v2, const ClarifaiModelInfo * info)
{
  g_mutex_lock (&probe_lock);
  if (probe_cache == NULL)
    probe_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        (GDestroyNotify) clarifai_model_info_free);
  g_hash_table_replace (probe_cache, probe_key (v2),
      clarifai_model_info_copy (info));
  g_mutex_unlock (&probe_lock);
}

typedef struct
{
  ClarifaiV2 *v2;
  ClarifaiInfo *limits;
  ClarifaiDialectDone done;
  gpointer user_data;
  gboolean ok;
  ClarifaiModelInfo *info;
  ClarifaiVerdict verdict;
} Probe;

static void
probe_free (gpointer data)
{
  Probe *p = data;

  clarifai_model_info_free (p->info);
  clarifai_verdict_clear (&p->verdict);
  g_free (p);
}

/* What an answer to the probe that is not the model says. */
static void
probe_refused (ClarifaiV2 * v2, const ClarifaiExchange * x, Probe * p)
{
  gsize len;
  const gchar *data = g_bytes_get_data (x->body, &len);
  g_autoptr (ClarifaiTagResponse) r = clarifai_v2_response_parse (data, len,
      NULL);
  g_autofree gchar *detail = NULL;
  gint64 code = r ? r->code : 0;
  const gchar *status = r ? r->status_code : "HTTP_ERROR";

  detail = r ? g_strdup_printf ("%s (%" G_GINT64_FORMAT "): %s",
      r->status_code, code, r->status_msg) : g_strdup_printf ("HTTP %u %s",
      x->status, x->reason);
  p->verdict.http_status = x->status;
  if (is_auth_code (code) || x->status == 401) {
    set_key_rejected (v2, &p->verdict, status, detail);
  } else if (is_deployment_code (code)) {
    set_needs_deployment (v2, &p->verdict, status, detail);
  } else if (code == 21200 || code == 11101 || code == 11007
      || x->status == 404 || x->status == 403) {
    clarifai_verdict_set_fatal (&p->verdict,
        CLARIFAI_DIALECT_ERROR_NOT_FOUND, status, "model \"%s\"%s%s%s of "
        "app \"%s\" of user \"%s\" is not there for this key (%s): it does "
        "not exist, or it is private (Clarifai made most of its legacy "
        "models private, decommissioned, on 2025-12-31); check model, "
        "model-version, app-id and user-id", v2->model,
        v2->model_version ? " version \"" : "",
        v2->model_version ? v2->model_version : "",
        v2->model_version ? "\"" : "", v2->app_id, v2->user_id, detail);
  } else if (code == 11005 || x->status == 429) {
    clarifai_verdict_set (&p->verdict, CLARIFAI_VERDICT_RETRY, status, detail);
  } else if (is_retry_code (code) || x->status >= 500) {
    clarifai_verdict_set (&p->verdict, CLARIFAI_VERDICT_RETRY, status, detail);
    p->verdict.outage = TRUE;
  } else {
    /* A service that does not describe models: requests keep the
     * classic shape. */
    GST_INFO_ID (v2->log_id, "model probe answered %s; using the classic "
        "request shape", detail);
    p->ok = TRUE;
  }
}

static void
probe_thread (GTask * task, gpointer source, gpointer data,
    GCancellable * cancellable)
{
  Probe *p = data;
  ClarifaiV2 *v2 = p->v2;
  ClarifaiHttp *http = clarifai_http_new (1, v2->timeout_us,
      v2->tls_database);
  g_autoptr (ClarifaiHttpRequest) request =
      clarifai_http_request_new ("GET", v2->model_uri);
  g_autoptr (GError) err = NULL;
  ClarifaiExchange x = { 0, };

  request->authorization = g_strconcat ("Key ", v2->api_key, NULL);
  clarifai_http_exchange (http, request, cancellable, &x);
  if (x.error) {
    clarifai_verdict_from_error (&p->verdict, x.error);
    GST_INFO_ID (v2->log_id, "no model probe answer yet: %s", x.error->message);
  } else if (x.status == 200) {
    gsize len;
    const gchar *body = g_bytes_get_data (x.body, &len);

    p->ok = TRUE;
    p->info = clarifai_model_info_parse (body, len, &err);
    if (p->info == NULL)
      GST_WARNING_ID (v2->log_id, "ignoring the model probe's answer: %s",
          err->message);
  } else {
    probe_refused (v2, &x, p);
  }
  clarifai_exchange_clear (&x);
  clarifai_http_free (http);
  g_task_return_boolean (task, TRUE);
}

/* The model as the probe found it: the request shape, and what cannot
 * work with the element's settings. */
static gboolean
probe_apply (ClarifaiV2 * v2, ClarifaiModelInfo * info,
    ClarifaiVerdict * verdict)
{
  clarifai_model_info_free (v2->info);
  v2->info = info;
  if (info && info->pythonic && info->prompt_required && v2->prompt == NULL) {
    clarifai_verdict_set_fatal (verdict, CLARIFAI_DIALECT_ERROR_SETTINGS,
        "PROMPT_REQUIRED", "model \"%s\" answers a prompt about each image "
        "(its predict method takes a required \"%s\"); set prompt, for "
        "example prompt=\"Describe the picture in one sentence\"", v2->model,
        info->prompt_arg);
    return FALSE;
  }
  if (v2->prompt && (takes_no_text (info) || (info && info->pythonic
              && info->prompt_arg == NULL)))
    GST_WARNING_ID (v2->log_id, "model \"%s\" (%s) takes no text: prompt is "
        "not sent", v2->model, info->type_id);
  if (info)
    GST_INFO_ID (v2->log_id, "model \"%s\": %s, %s requests", v2->model,
        *info->type_id ? info->type_id : "kind not said",
        info->pythonic ? "parts" : "classic");
  shape_requests (v2);
  return TRUE;
}

static void
probe_finish (ClarifaiV2 * v2, ClarifaiInfo * limits)
{
  memset (limits, 0, sizeof (*limits));
  /* A prompted model answers in seconds and bills per token: one frame
   * per request (clarifai-v2-models.md 7.12). */
  limits->max_batch_size = v2->prompt && !takes_no_text (v2->info) ? 1 :
      CLARIFAI_V2_MAX_INPUTS;
  limits->max_image_bytes = MAX_IMAGE_BYTES;
}

/* Back on the context the probe was started from. */
static void
probe_done (GObject * source, GAsyncResult * result, gpointer data)
{
  Probe *p = g_task_get_task_data (G_TASK (result));

  if (p->ok) {
    if (p->info)
      probe_remember (p->v2, p->info);
    p->ok = probe_apply (p->v2, g_steal_pointer (&p->info), &p->verdict);
    probe_finish (p->v2, p->limits);
  }
  p->done (p->ok ? NULL : &p->verdict, p->user_data);
}

/* The probe, unless the model's answer is known already: a cached answer
 * is no news of the service, and must not end an outage of the account. */
static gboolean
v2_setup_sends (ClarifaiDialect * dialect)
{
  g_autoptr (ClarifaiModelInfo) cached = probe_cached ((ClarifaiV2 *) dialect);

  return cached == NULL;
}

/* Asks the service what the model is (once per account and model); a
 * model that does not exist, is private or needs a deployment is an
 * error before any frame is sent, and a service that cannot be reached
 * is asked again later while frames go in the classic shape. */
static void
v2_setup (ClarifaiDialect * dialect, GCancellable * cancellable,
    ClarifaiInfo * limits, ClarifaiDialectDone done, gpointer user_data)
{
  ClarifaiV2 *v2 = (ClarifaiV2 *) dialect;
  ClarifaiModelInfo *cached = probe_cached (v2);
  ClarifaiVerdict verdict = { 0, };
  Probe *p;
  GTask *task;

  if (cached) {
    gboolean ok = probe_apply (v2, cached, &verdict);

    probe_finish (v2, limits);
    done (ok ? NULL : &verdict, user_data);
    clarifai_verdict_clear (&verdict);
    return;
  }
  p = g_new0 (Probe, 1);
  p->v2 = v2;
  p->limits = limits;
  p->done = done;
  p->user_data = user_data;
  task = g_task_new (NULL, cancellable, probe_done, NULL);
  g_task_set_task_data (task, p, probe_free);
  g_task_run_in_thread (task, probe_thread);
  g_object_unref (task);
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
  g_uri_unref (v2->model_uri);
  g_free (v2->log_id);
  g_clear_object (&v2->tls_database);
  clarifai_secret_clear (&v2->api_key);
  g_free (v2->prompt);
  g_free (v2->language);
  g_free (v2->select_classes);
  clarifai_model_info_free (v2->info);
  g_free (v2->input_head);
  g_free (v2->input_tail);
  g_free (v2->model_member);
  g_free (v2->model);
  g_free (v2->model_version);
  g_free (v2->user_id);
  g_free (v2->app_id);
  g_free (v2);
}

static const ClarifaiDialectClass v2_class = {
  "v2", v2_setup_sends, v2_setup, v2_build, v2_authorize, v2_classify,
  v2_token_requests,
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
  g_autofree gchar *path = NULL, *outputs = NULL;

  v2->parent.klass = &v2_class;
  v2->api_key = g_strdup (s->api_key);
  v2->user_id = g_strdup (s->user_id ? s->user_id : "clarifai");
  v2->app_id = g_strdup (s->app_id ? s->app_id : "main");
  v2->model = g_strdup (s->model ? s->model : CLARIFAI_V2_DEFAULT_MODEL);
  v2->model_version = g_strdup (s->model_version);
  v2->log_id = g_strdup (s->log_id);
  v2->timeout_us = s->timeout_us;
  v2->tls_database = s->tls_database ? g_object_ref (s->tls_database) : NULL;
  v2->prompt = g_strdup (s->prompt);
  v2->max_tokens = s->max_tokens;
  v2->temperature = s->temperature;
  v2->language = g_strdup (s->language);
  v2->select_classes = g_strdup (s->select_classes);
  v2->threshold = s->threshold;
  v2->max_tags = s->max_tags;
  shape_requests (v2);

  user = escape (v2->user_id);
  app = escape (v2->app_id);
  model = escape (v2->model);
  version = v2->model_version ? escape (v2->model_version) : NULL;
  path = g_strdup_printf ("/v2/users/%s/apps/%s/models/%s%s%s", user, app,
      model, version ? "/versions/" : "", version ? version : "");
  v2->model_uri = clarifai_endpoint (s->api_url, path);
  outputs = g_strconcat (path, "/outputs", NULL);
  v2->outputs_uri = clarifai_endpoint (s->api_url, outputs);
  v2->parent.account = clarifai_account_digest ("v2", s->api_url, s->api_key);
  return &v2->parent;
}
