/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The reference server's v2 endpoint, as docs/reference-server.md and
 * clarifai-v2-api.md describe it: POST
 * /v2[/users/{u}/apps/{a}]/models/{m}[/versions/{v}]/outputs with
 * `Authorization: Key …` and a JSON body of base64 inputs; the same colour
 * tagger as v1; output_config; the documented answers for a bad key, an
 * unknown model or app, and partial failures; and the v2 faults. */

#include "clarifaiserver-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define DEFAULT_MAX_CONCEPTS 20

typedef struct
{
  gchar *user_id;
  gchar *app_id;
  gchar *model;
  gchar *version;
  gboolean outputs;             /* …/outputs, else the model itself */
  const ServerModel *m;
} Target;

static void
target_clear (Target * t)
{
  g_free (t->user_id);
  g_free (t->app_id);
  g_free (t->model);
  g_free (t->version);
}

/* Both path styles; FALSE for anything else. */
static gboolean
parse_path (const gchar * path, Target * t)
{
  g_auto (GStrv) seg = g_strsplit (path, "/", -1);
  guint n = g_strv_length (seg), i = 2;

  /* seg[0] is "" and seg[1] "v2". */
  if (n > 2 && g_str_equal (seg[2], "users")) {
    if (n < 6 || !g_str_equal (seg[4], "apps"))
      return FALSE;
    t->user_id = g_uri_unescape_string (seg[3], NULL);
    t->app_id = g_uri_unescape_string (seg[5], NULL);
    i = 6;
  }
  if (n < i + 2 || !g_str_equal (seg[i], "models"))
    return FALSE;
  t->model = g_uri_unescape_string (seg[i + 1], NULL);
  i += 2;
  if (n >= i + 2 && g_str_equal (seg[i], "versions")) {
    t->version = g_uri_unescape_string (seg[i + 1], NULL);
    i += 2;
  }
  if (t->model == NULL)
    return FALSE;
  t->outputs = n == i + 1 && g_str_equal (seg[i], "outputs");
  return t->outputs || n == i;
}

static void
set_status (SoupServerMessage * msg, guint http, gint code,
    const gchar * description, const gchar * details)
{
  GString *out = g_string_new (NULL);
  g_autofree gchar *req_id = g_uuid_string_random ();

  g_string_append_printf (out, "{\"status\":{\"code\":%d,\"description\":",
      code);
  clarifai_server_json_string (out, description);
  if (details) {
    g_string_append (out, ",\"details\":");
    clarifai_server_json_string (out, details);
  }
  g_string_append (out, ",\"req_id\":");
  clarifai_server_json_string (out, req_id);
  g_string_append (out, "},\"outputs\":[]}");
  clarifai_server_set_json (msg, http, out);
}


static void
append_output_head (GString * out, const gchar * output_id,
    const gchar * input_id, const Target * t, gint code,
    const gchar * description, const gchar * details)
{
  g_string_append (out, "{\"id\":");
  clarifai_server_json_string (out, output_id);
  g_string_append_printf (out, ",\"status\":{\"code\":%d,\"description\":",
      code);
  clarifai_server_json_string (out, description);
  if (details) {
    g_string_append (out, ",\"details\":");
    clarifai_server_json_string (out, details);
  }
  g_string_append (out, "},\"created_at\":\"2026-11-30T00:00:00.000000Z\","
      "\"model\":");
  clarifai_server_model_describe (out, t->m, FALSE);
  /* a pythonic model's runner echoes no input */
  if (input_id && t->m->signatures == NULL) {
    g_string_append (out, ",\"input\":{\"id\":");
    clarifai_server_json_string (out, input_id);
    g_string_append (out, ",\"data\":{\"image\":{\"base64\":\"dHJ1ZQ==\"}}}");
  }
}

/* Appends one output; returns TRUE if the input was tagged. */
static gboolean
append_output (GString * out, const ServerInput * in, const gchar * input_id,
    const Target * t, const ServerConfig * config, ClarifaiServerFault fault,
    gboolean first)
{
  g_autofree guchar *jpeg = NULL;
  g_autofree gchar *error = NULL;
  ServerImage img = { 0, };
  gsize len = 0;
  GChecksum *md5;

  if (in->image)
    jpeg = clarifai_server_decode_base64 (in->image, &len);
  if (jpeg == NULL || len == 0) {
    g_autofree gchar *id = g_uuid_string_random ();

    append_output_head (out, id, input_id, t, 30104,
        "Invalid input argument", "input has no image bytes");
    g_string_append (out, ",\"data\":{}}");
    return FALSE;
  }
  md5 = g_checksum_new (G_CHECKSUM_MD5);
  g_checksum_update (md5, jpeg, len);
  error = clarifai_server_analyse_image (jpeg, len, &img);
  if (error == NULL && fault == CLARIFAI_SERVER_FAULT_PARTIAL && first)
    error = g_strdup ("could not process the bytes (injected fault)");
  if (error) {
    append_output_head (out, g_checksum_get_string (md5), input_id, t, 30002,
        "Download failed or we could not process it. Check URL or bytes.",
        error);
    g_string_append (out, ",\"data\":{}}");
    g_checksum_free (md5);
    return FALSE;
  }
  append_output_head (out, g_checksum_get_string (md5), input_id, t, 10000,
      "Ok", NULL);
  clarifai_server_append_data (out, t->m, &img, in,
      g_checksum_get_string (md5), config, fault);
  g_string_append_c (out, '}');
  g_checksum_free (md5);
  return TRUE;
}

/* The key check: NULL when the request may go on. */
static gboolean
refuse_key (ClarifaiServer * srv, SoupServerMessage * msg, const gchar * auth)
{
  gboolean known, revoked = FALSE;

  if (auth == NULL || !g_str_has_prefix (auth, "Key ") || auth[4] == '\0') {
    set_status (msg, SOUP_STATUS_UNAUTHORIZED, 11102, "Invalid request",
        "Empty or malformed authorization header. Please provide an API "
        "key or session token.");
    return TRUE;
  }
  g_mutex_lock (&srv->lock);
  known = g_strcmp0 (auth + 4, srv->api_key) == 0;
  if (known && srv->key_requests_left == 0)
    revoked = TRUE;
  else if (known && srv->key_requests_left > 0)
    srv->key_requests_left--;
  g_mutex_unlock (&srv->lock);
  if (!known || revoked) {
    set_status (msg, SOUP_STATUS_UNAUTHORIZED, 11009, "API key not found",
        revoked ? "key revoked" : "invalid key");
    return TRUE;
  }
  return FALSE;
}

static gboolean
read_config (JsonObject * body, ServerConfig * config,
    ClarifaiServerRequest * rec)
{
  JsonObject *model = clarifai_server_object (body, "model", NULL);
  JsonObject *info =
      clarifai_server_object (clarifai_server_object (model, "model_version",
          "modelVersion"),
      "output_info", "outputInfo");
  JsonObject *oc;
  JsonNode *select;
  const gchar *language;
  gdouble d;

  /* the deprecated place too: the docs' curl pages still use it */
  if (info == NULL)
    info = clarifai_server_object (model, "output_info", "outputInfo");
  oc = clarifai_server_object (info, "output_config", "outputConfig");

  select = clarifai_server_member (oc, "select_concepts", "selectConcepts");
  language = clarifai_server_string (oc, "language");
  config->max_concepts = DEFAULT_MAX_CONCEPTS;
  config->min_value = 0;
  if (clarifai_server_number (oc, "max_concepts", "maxConcepts", &d)) {
    rec->max_concepts = (gint64) d;
    if (d > 0)
      config->max_concepts = (gint64) d;
  }
  if (clarifai_server_number (oc, "min_value", "minValue", &d))
    config->min_value = rec->min_value = d;
  if (language) {
    rec->language = g_strdup (language);
    config->german = g_str_equal (language, "de");
  }
  if (select && JSON_NODE_HOLDS_ARRAY (select)) {
    JsonArray *array = json_node_get_array (select);
    GStrvBuilder *names = g_strv_builder_new ();
    gboolean any = FALSE;
    guint i;

    for (i = 0; i < json_array_get_length (array); i++) {
      JsonNode *node = json_array_get_element (array, i);
      const gchar *name = JSON_NODE_HOLDS_OBJECT (node) ?
          clarifai_server_string (json_node_get_object (node), "name") : NULL;
      const gchar *id = JSON_NODE_HOLDS_OBJECT (node) ?
          clarifai_server_string (json_node_get_object (node), "id") : NULL;

      if (name)
        g_strv_builder_add (names, name);
      if (id)
        g_strv_builder_add (names, id);
      if ((name
              && clarifai_server_colour_index (name) <
              CLARIFAI_SERVER_N_COLOURS)
          || (id && g_str_has_prefix (id, "ai_")
              && clarifai_server_colour_index (id + 3) <
              CLARIFAI_SERVER_N_COLOURS))
        any = TRUE;
    }
    config->names = g_strv_builder_end (names);
    g_strv_builder_unref (names);
    rec->select_classes = g_strjoinv (",", config->names);
    /* None of the selected concepts exists: the request is refused. */
    return any;
  }
  return TRUE;
}

static void
answer (ClarifaiServer * srv, SoupServerMessage * msg, JsonObject * body,
    const Target * t, ClarifaiServerRequest * rec, ClarifaiServerFault fault,
    guint param)
{
  JsonNode *inputs_node = clarifai_server_member (body, "inputs", NULL);
  JsonArray *inputs = inputs_node && JSON_NODE_HOLDS_ARRAY (inputs_node) ?
      json_node_get_array (inputs_node) : NULL;
  ServerConfig config = { 0, };
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GString *outputs = g_string_new (NULL);
  guint i, n = inputs ? json_array_get_length (inputs) : 0, ok = 0, max;
  g_autofree ServerInput *in = g_new0 (ServerInput, MAX (n, 1));
  gint code;
  guint http;
  GString *out;

  g_mutex_lock (&srv->lock);
  max = srv->max_batch_size ? srv->max_batch_size : 128;
  g_mutex_unlock (&srv->lock);
  for (i = 0; i < n; i++) {
    JsonNode *node = json_array_get_element (inputs, i);
    const gchar *id = JSON_NODE_HOLDS_OBJECT (node) ?
        clarifai_server_string (json_node_get_object (node), "id") : NULL;

    g_ptr_array_add (ids, g_strdup (id ? id : ""));
    clarifai_server_read_input (JSON_NODE_HOLDS_OBJECT (node) ?
        clarifai_server_object (json_node_get_object (node), "data", NULL) :
        NULL, &in[i]);
  }
  if (n) {
    rec->shape = g_strdup (in[0].shape);
    rec->prompt = g_strdup (in[0].prompt);
    rec->method = g_strdup (in[0].method);
    rec->max_tokens = in[0].max_tokens;
    rec->temperature = in[0].temperature;
  }
  rec->n_images = n;
  g_ptr_array_add (ids, NULL);
  rec->local_ids = g_strdupv ((gchar **) ids->pdata);
  g_ptr_array_unref (ids);

  if (!read_config (body, &config, rec)) {
    set_status (msg, SOUP_STATUS_BAD_REQUEST, 21202,
        "Invalid model argument", "none of the selected concepts exists");
    goto done;
  }
  if (n == 0 || n > max) {
    g_autofree gchar *why = n ? g_strdup_printf ("at most %u inputs per "
        "request", max) : g_strdup ("the request has no inputs");

    set_status (msg, SOUP_STATUS_BAD_REQUEST, 11100, "Bad request format", why);
    goto done;
  }
  /* A pythonic runner's errors: the whole request fails, with the
   * Python exception as details (clarifai-v2-models.md 3.2). */
  if (t->m->kind == SERVER_KIND_VLM && in[0].method
      && !g_str_equal (in[0].method, "predict")) {
    g_autofree gchar *why = g_strdup_printf ("Model has no method '%s'",
        in[0].method);

    set_status (msg, SOUP_STATUS_BAD_REQUEST, 10020, "Failure", why);
    goto done;
  }
  if (t->m->kind == SERVER_KIND_VLM && in[0].prompt == NULL) {
    set_status (msg, SOUP_STATUS_BAD_REQUEST, 10020, "Failure",
        "TypeError: predict() missing 1 required positional argument: "
        "'prompt'");
    goto done;
  }

  for (i = 0; i < n; i++) {
    guint k = fault == CLARIFAI_SERVER_FAULT_REVERSE ? n - 1 - i : i;
    g_autofree gchar *id = NULL;

    if (fault == CLARIFAI_SERVER_FAULT_MISSING_RESULT && k + 1 == n) {
      ok++;
      continue;
    }
    if (fault == CLARIFAI_SERVER_FAULT_WRONG_IDS)
      id = g_strdup_printf ("bogus-%u", k);
    else if (fault != CLARIFAI_SERVER_FAULT_NO_IDS)
      id = g_strdup (rec->local_ids[k][0] ? rec->local_ids[k] : NULL);
    if (id == NULL && fault != CLARIFAI_SERVER_FAULT_NO_IDS)
      id = g_uuid_string_random ();
    if (outputs->len)
      g_string_append_c (outputs, ',');
    if (append_output (outputs, &in[k], id, t, &config, fault, k == 0))
      ok++;
  }
  if (ok == n) {
    http = SOUP_STATUS_OK;
    code = 10000;
  } else if (ok > 0) {
    http = 207;
    code = 10010;
  } else {
    http = SOUP_STATUS_BAD_REQUEST;
    code = 10020;
  }
  out = g_string_new (NULL);
  g_string_append_printf (out, "{\"status\":{\"code\":%d,\"description\":"
      "\"%s\",\"req_id\":\"%08x\"},\"outputs\":[%s]}", code,
      code == 10000 ? "Ok" : code == 10010 ? "Mixed Success" : "Failure",
      g_random_int (), outputs->str);
  clarifai_server_set_json (msg, http, out);

done:
  g_string_free (outputs, TRUE);
  g_strfreev (config.names);
}

/* The v2 shapes of the faults that have one; the others are shared with
 * v1. */
static void
break_v2 (SoupServerMessage * msg, ClarifaiServerFault fault, guint param)
{
  g_autofree gchar *wait = NULL;

  switch (fault) {
    case CLARIFAI_SERVER_FAULT_THROTTLE:
      wait = g_strdup_printf ("%u", param);
      soup_message_headers_replace (soup_server_message_get_response_headers
          (msg), "Retry-After", wait);
      /* fall through */
    case CLARIFAI_SERVER_FAULT_THROTTLE_NO_HEADER:
      set_status (msg, 429, 11005, "Making too many requests",
          "exceeded limit of 15 requests per second");
      break;
    case CLARIFAI_SERVER_FAULT_TRY_AGAIN:
      set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, 10030, "Try again",
          "the model is busy (injected fault)");
      break;
    case CLARIFAI_SERVER_FAULT_VISION_ERROR:
      set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, 98001,
          "Internal error", "injected fault");
      break;
    case CLARIFAI_SERVER_FAULT_UNKNOWN_CODE:
      set_status (msg, SOUP_STATUS_BAD_REQUEST, param ? param : 12345,
          "A status this client does not know", "injected fault");
      break;
    default:
      clarifai_server_break_answer (msg, fault, param);
      break;
  }
}

/* Which model the request names, or the answer that says why none:
 * user and app, then model and version, then whether it may be run. */
static gboolean
find_target (SoupServerMessage * msg, Target * t, const gchar * user_id,
    const gchar * app_id)
{
  gboolean app_known;

  t->m = clarifai_server_find_model (user_id, app_id, t->model, &app_known);
  if (!app_known) {
    set_status (msg, SOUP_STATUS_NOT_FOUND, 11101, "Resource does not exist",
        "no such user or app");
    return FALSE;
  }
  if (t->m == NULL || (t->version && !g_str_equal (t->version, t->m->version))) {
    set_status (msg, SOUP_STATUS_NOT_FOUND, 21200, "Model does not exist",
        "no such model or version");
    return FALSE;
  }
  if (t->m->state == SERVER_MODEL_PRIVATE) {
    set_status (msg, SOUP_STATUS_NOT_FOUND, 21200, "Model does not exist",
        "the model is private: it was decommissioned on 2025-12-31");
    return FALSE;
  }
  if (t->m->state == SERVER_MODEL_UNDEPLOYED && t->outputs) {
    set_status (msg, SOUP_STATUS_BAD_REQUEST, 21353, "Model is not deployed",
        "this model runs only on a deployment of your own compute: create "
        "one and send its id");
    return FALSE;
  }
  return TRUE;
}

/* GET …/models/{id}[/versions/{v}]: the model with its method
 * signatures, as the SDKs fetch them. */
static void
describe_model (ClarifaiServer * srv, SoupServerMessage * msg, Target * t,
    const gchar * auth)
{
  GString *out;

  g_mutex_lock (&srv->lock);
  srv->model_requests++;
  g_mutex_unlock (&srv->lock);
  if (refuse_key (srv, msg, auth) || !find_target (msg, t, t->user_id,
          t->app_id))
    return;
  out = g_string_new ("{\"status\":{\"code\":10000,\"description\":"
      "\"Ok\"},\"model\":");
  clarifai_server_model_describe (out, t->m, TRUE);
  g_string_append_c (out, '}');
  clarifai_server_set_json (msg, SOUP_STATUS_OK, out);
}

/**
 * clarifai_server_handle_v2:
 *
 * The SoupServer handler of "/v2".
 */
void
clarifai_server_handle_v2 (SoupServer * soup, SoupServerMessage * msg,
    const gchar * path, GHashTable * query, gpointer data)
{
  ClarifaiServer *srv = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  ClarifaiServerRequest rec = { 0, };
  Target t = { 0, };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GBytes) bytes = NULL;
  JsonObject *body = NULL, *user_app;
  ClarifaiServerFault fault;
  guint delay, param = 0;

  if (!parse_path (path, &t)) {
    set_status (msg, SOUP_STATUS_NOT_FOUND, 11101, "Resource does not exist",
        "no such endpoint");
    target_clear (&t);
    return;
  }
  if (!t.outputs && soup_server_message_get_method (msg) == SOUP_METHOD_GET) {
    describe_model (srv, msg, &t, soup_message_headers_get_one (headers,
            "Authorization"));
    target_clear (&t);
    return;
  }
  if (!t.outputs || soup_server_message_get_method (msg) != SOUP_METHOD_POST) {
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    target_clear (&t);
    return;
  }

  g_mutex_lock (&srv->lock);
  delay = srv->delay_ms;
  g_mutex_unlock (&srv->lock);
  fault = clarifai_server_take_fault (srv, CLARIFAI_SERVER_ENDPOINT_TAG,
      &param);
  if (fault == CLARIFAI_SERVER_FAULT_KEY_REVOKED) {
    g_mutex_lock (&srv->lock);
    srv->key_requests_left = param;
    g_mutex_unlock (&srv->lock);
    fault = CLARIFAI_SERVER_FAULT_NONE;
  }

  rec.api = 2;
  rec.client_port = clarifai_server_client_port (msg);
  rec.max_concepts = -1;
  rec.min_value = -1;
  rec.authorization = g_strdup (soup_message_headers_get_one (headers,
          "Authorization"));
  rec.content_type = g_strdup (soup_message_headers_get_one (headers,
          "Content-Type"));
  rec.model = g_strdup (t.model);
  rec.model_version = g_strdup (t.version);
  bytes = soup_message_body_flatten (soup_server_message_get_request_body
      (msg));
  rec.body_size = g_bytes_get_size (bytes);
  if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
          g_bytes_get_size (bytes), NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    body = json_node_get_object (json_parser_get_root (parser));
  user_app = clarifai_server_object (body, "user_app_id", "userAppId");
  rec.user_id =
      g_strdup (t.user_id ? t.user_id : clarifai_server_string (user_app,
          "user_id") ? clarifai_server_string (user_app,
          "user_id") : clarifai_server_string (user_app, "userId"));
  rec.app_id =
      g_strdup (t.app_id ? t.app_id : clarifai_server_string (user_app,
          "app_id") ? clarifai_server_string (user_app,
          "app_id") : clarifai_server_string (user_app, "appId"));

  if (refuse_key (srv, msg, rec.authorization)) {
  } else if (body == NULL) {
    set_status (msg, SOUP_STATUS_BAD_REQUEST, 11100, "Bad request format",
        "the body is not a JSON object");
  } else if (find_target (msg, &t, rec.user_id, rec.app_id)) {
    answer (srv, msg, body, &t, &rec, fault, param);
    clarifai_server_apply_fault (srv, msg, fault, param, delay, break_v2);
  }

  g_mutex_lock (&srv->lock);
  g_ptr_array_add (srv->tag_requests, clarifai_server_request_copy (&rec));
  g_mutex_unlock (&srv->lock);
  clarifai_server_request_clear (&rec);
  target_clear (&t);
}
