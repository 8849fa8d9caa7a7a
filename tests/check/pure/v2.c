/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The v2 dialect on bytes alone: the answer parser on the documented
 * shapes, the request it builds, and what each kind of answer means. */

#include <json-glib/json-glib.h>
#include <string.h>

#include "clarifaimodel.h"
#include "clarifaiv2.h"

/* Abridged from the API doc's example answer (clarifai-v2-api.md 4). */
static const gchar ok_answer[] =
    "{\"status\": {\"code\": 10000, \"description\": \"Ok\", \"req_id\": "
    "\"20ab5bcf\"}, \"outputs\": [{\"id\": \"a03a4b32\", \"status\": "
    "{\"code\": 10000, \"description\": \"Ok\"}, \"created_at\": "
    "\"2025-02-28T09:41:55.568082659Z\", \"model\": {\"id\": "
    "\"general-image-recognition\", \"name\": \"Image Recognition\", "
    "\"app_id\": \"main\", \"user_id\": \"clarifai\", \"model_version\": "
    "{\"id\": \"aa7f35c01e0642fda5cf400f543e7c40\", \"status\": {\"code\": "
    "21100}}}, \"input\": {\"id\": \"frame-17\", \"data\": {\"image\": "
    "{\"base64\": \"dHJ1ZQ==\"}}}, \"data\": {\"concepts\": [{\"id\": "
    "\"ai_HLmqFqBf\", \"name\": \"train\", \"value\": 0.99960595, "
    "\"app_id\": \"main\", \"user_id\": \"clarifai\"}, {\"id\": \"ai_x\", "
    "\"name\": \"railway\", \"value\": 0.5}]}}]}";

static const gchar mixed_answer[] =
    "{\"status\": {\"code\": 10010, \"description\": \"Mixed Success\"}, "
    "\"outputs\": [{\"id\": \"o1\", \"status\": {\"code\": 30002, "
    "\"description\": \"Download failed\", \"details\": \"bad bytes\"}, "
    "\"input\": {\"id\": \"frame-1\"}, \"data\": {}}, {\"id\": \"o2\", "
    "\"status\": {\"code\": 10000, \"description\": \"Ok\"}, \"input\": "
    "{\"id\": \"frame-2\"}, \"data\": {\"concepts\": [{\"id\": \"c\", "
    "\"name\": \"dog\", \"value\": 0.9}]}}]}";

static void
test_parse_ok (void)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (ClarifaiTagResponse) r =
      clarifai_v2_response_parse (ok_answer, strlen (ok_answer), &err);
  ClarifaiItemResult *item;

  g_assert_no_error (err);
  g_assert_cmpint (r->code, ==, 10000);
  g_assert_cmpstr (r->status_code, ==, "OK");
  g_assert_cmpstr (r->model, ==, "general-image-recognition");
  g_assert_cmpuint (r->items->len, ==, 1);
  item = g_ptr_array_index (r->items, 0);
  g_assert_cmpstr (item->local_id, ==, "frame-17");
  g_assert_cmpstr (item->docid, ==, "a03a4b32");
  g_assert_cmpstr (item->status_code, ==, "OK");
  g_assert_cmpuint (item->tags.len, ==, 2);
  g_assert_cmpstr (item->tags.classes[0], ==, "train");
  g_assert_cmpstr (item->tags.concept_ids[0], ==, "ai_HLmqFqBf");
  g_assert_cmpfloat_with_epsilon (item->tags.probs[0], 0.99960595, 1e-9);
  g_assert_true (clarifai_item_result_find (r, "frame-17", 0, 1) == item);
}

static void
test_parse_mixed (void)
{
  g_autoptr (ClarifaiTagResponse) r =
      clarifai_v2_response_parse (mixed_answer, strlen (mixed_answer), NULL);
  ClarifaiItemResult *failed, *ok;

  g_assert_cmpstr (r->status_code, ==, "MIXED_STATUS");
  failed = clarifai_item_result_find (r, "frame-1", 0, 2);
  ok = clarifai_item_result_find (r, "frame-2", 1, 2);
  g_assert_cmpstr (failed->status_code, ==, "INPUT_FAILED");
  g_assert_cmpstr (failed->status_msg, ==, "Download failed: bad bytes");
  g_assert_cmpuint (failed->tags.len, ==, 0);
  g_assert_cmpstr (ok->status_code, ==, "OK");
  g_assert_cmpstr (ok->tags.classes[0], ==, "dog");
}

/* Codes as numbers, numeric strings or names; unknown codes by number;
 * bodies without a status are refused. */
static void
test_parse_codes (void)
{
  const struct
  {
    const gchar *body;
    const gchar *name;
  } cases[] = {
    {"{\"status\":{\"code\":\"11005\"}}", "CONN_THROTTLED"},
    {"{\"status\":{\"code\":\"CONN_THROTTLED\"}}", "CONN_THROTTLED"},
    {"{\"status\":{\"code\":\"SUCCESS\"},\"outputs\":[]}", "OK"},
    {"{\"status\":{\"code\":12345}}", "CODE_12345"},
    {"{\"status\":{\"code\":21200,\"description\":\"Model does not "
          "exist\"}}", "MODEL_DOES_NOT_EXIST"},
    {"{\"status\":{}}", NULL},
    {"{\"status\":{\"code\":-4}}", NULL},
    {"{\"status\":{\"code\":1e300}}", NULL},
    {"{\"outputs\":[]}", NULL},
    {"[1,2]", NULL},
    {"<html>", NULL},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) err = NULL;
    g_autoptr (ClarifaiTagResponse) r =
        clarifai_v2_response_parse (cases[i].body, strlen (cases[i].body),
        &err);

    if (cases[i].name) {
      g_assert_nonnull (r);
      g_assert_cmpstr (r->status_code, ==, cases[i].name);
    } else {
      g_assert_null (r);
      g_assert_error (err, CLARIFAI_PROTOCOL_ERROR,
          CLARIFAI_PROTOCOL_ERROR_MALFORMED);
    }
  }
}

static void
authorized (const ClarifaiVerdict * verdict, gpointer data)
{
  g_assert_null (verdict);
  *(gboolean *) data = TRUE;
}

static ClarifaiDialect *
dialect (const gchar * model, const gchar * select, gdouble threshold,
    guint max_tags, const gchar * language)
{
  ClarifaiDialectSettings s = { 0, };

  s.api_url = "https://api.example.com/";
  s.api_key = "k3y";
  s.model = model;
  s.model_version = model ? "v 1" : NULL;
  s.select_classes = select;
  s.threshold = threshold;
  s.max_tags = max_tags;
  s.language = language;
  return clarifai_dialect_v2_new (&s);
}

static gchar *
body_text (const ClarifaiHttpRequest * req)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < req->body->len; i++) {
    gsize n;
    const gchar *d = g_bytes_get_data (req->body->pdata[i], &n);

    g_string_append_len (s, d, n);
  }
  g_assert_cmpuint (s->len, ==, req->body_length);
  return g_string_free (s, FALSE);
}

/* The JSON body: each frame an input with its id and the JPEG's bytes in
 * standard, padded base64, one line (GLib's encoding exactly, for every
 * length modulo 3); output_config from the settings. */
static void
test_build (void)
{
  ClarifaiDialect *d = dialect ("my/model", " red , \"blue\" ,", 0.25, 500,
      "de");
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) jpegs = g_ptr_array_new_with_free_func
      ((GDestroyNotify) g_bytes_unref);
  g_autoptr (ClarifaiHttpRequest) req = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree gchar *text = NULL, *uri = NULL;
  JsonObject *root, *config, *input;
  JsonArray *inputs, *select;
  guint8 bytes[256];
  gboolean done = FALSE;
  guint i, n;

  for (i = 0; i < sizeof (bytes); i++)
    bytes[i] = i;
  for (n = 0; n < 4; n++) {
    g_ptr_array_add (ids, g_strdup_printf ("frame-%u", n));
    g_ptr_array_add (jpegs, g_bytes_new (bytes, 253 + n));
  }
  req = d->klass->build (d, ids, jpegs);
  uri = g_uri_to_string (req->uri);
  g_assert_cmpstr (uri, ==, "https://api.example.com/v2/users/clarifai/apps/"
      "main/models/my%2Fmodel/versions/v%201/outputs");
  g_assert_cmpstr (req->method, ==, "POST");
  g_assert_cmpstr (req->content_type, ==, "application/json");
  d->klass->authorize (d, req, NULL, authorized, &done);
  g_assert_true (done);
  g_assert_cmpstr (req->authorization, ==, "Key k3y");

  text = body_text (req);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  inputs = json_object_get_array_member (root, "inputs");
  g_assert_cmpuint (json_array_get_length (inputs), ==, 4);
  for (n = 0; n < 4; n++) {
    gsize len;
    g_autofree guchar *decoded = NULL;
    g_autofree gchar *want = NULL;
    const gchar *b64;

    input = json_array_get_object_element (inputs, n);
    g_assert_cmpstr (json_object_get_string_member (input, "id"), ==,
        ids->pdata[n]);
    b64 = json_object_get_string_member (json_object_get_object_member
        (json_object_get_object_member (input, "data"), "image"), "base64");
    want = g_base64_encode (bytes, 253 + n);
    g_assert_cmpstr (b64, ==, want);
    decoded = g_base64_decode (b64, &len);
    g_assert_cmpmem (decoded, len, bytes, 253 + n);
  }
  config = json_object_get_object_member (json_object_get_object_member
      (json_object_get_object_member (json_object_get_object_member (root,
                  "model"), "model_version"), "output_info"), "output_config");
  select = json_object_get_array_member (config, "select_concepts");
  g_assert_cmpuint (json_array_get_length (select), ==, 2);
  g_assert_cmpstr (json_object_get_string_member
      (json_array_get_object_element (select, 0), "name"), ==, "red");
  g_assert_cmpstr (json_object_get_string_member
      (json_array_get_object_element (select, 1), "name"), ==, "\"blue\"");
  g_assert_cmpint (json_object_get_int_member (config, "max_concepts"), ==,
      200);
  g_assert_cmpfloat (json_object_get_double_member (config, "min_value"), ==,
      0.25);
  g_assert_cmpstr (json_object_get_string_member (config, "language"), ==,
      "de");
  clarifai_dialect_free (d);

  /* Nothing asked: no model member at all, and the public general model. */
  d = dialect (NULL, NULL, 0, 0, NULL);
  g_clear_pointer (&req, clarifai_http_request_free);
  req = d->klass->build (d, ids, jpegs);
  g_free (uri);
  uri = g_uri_to_string (req->uri);
  g_assert_cmpstr (uri, ==, "https://api.example.com/v2/users/clarifai/apps/"
      "main/models/general-image-recognition/outputs");
  g_free (text);
  text = body_text (req);
  g_assert_null (strstr (text, "\"model\""));
  clarifai_dialect_free (d);
}

typedef struct
{
  guint http;
  const gchar *body;
  gint64 retry_after_us;
  ClarifaiVerdictKind kind;
  const gchar *status;
  gint error_code;              /* FATAL's; -1 otherwise */
  gint64 wait_us;
  gboolean outage;
} ClassifyCase;

static void
test_classify (void)
{
  const ClassifyCase cases[] = {
    {200, ok_answer, -1, CLARIFAI_VERDICT_RESULTS, "BAD_RESPONSE", -1, -1,
        FALSE},
    {207, mixed_answer, -1, CLARIFAI_VERDICT_RESULTS, "BAD_RESPONSE", -1, -1,
        FALSE},
    {401, "{\"status\":{\"code\":11009,\"description\":\"API key not "
          "found\"},\"outputs\":[]}", -1, CLARIFAI_VERDICT_FATAL,
        "CONN_KEY_NOT_FOUND", CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED, -1, FALSE},
    {401, "{\"status\":{\"code\":11102}}", -1, CLARIFAI_VERDICT_FATAL,
          "CONN_INVALID_REQUEST", CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED, -1,
        FALSE},
    {404, "{\"status\":{\"code\":21200}}", -1, CLARIFAI_VERDICT_FATAL,
        "MODEL_DOES_NOT_EXIST", CLARIFAI_DIALECT_ERROR_NOT_FOUND, -1, FALSE},
    {404, "{\"status\":{\"code\":11101}}", -1, CLARIFAI_VERDICT_FATAL,
        "CONN_DOES_NOT_EXIST", CLARIFAI_DIALECT_ERROR_NOT_FOUND, -1, FALSE},
    {429, "{\"status\":{\"code\":11005}}", 3000000, CLARIFAI_VERDICT_THROTTLE,
        "CONN_THROTTLED", -1, 3000000, FALSE},
    {429, "Too Many Requests", -1, CLARIFAI_VERDICT_THROTTLE, "HTTP_ERROR",
        -1, -1, FALSE},
    {200, "{\"status\":{\"code\":11003}}", -1, CLARIFAI_VERDICT_THROTTLE,
        "CONN_EXCEED_HOURLY_LIMIT", -1, -1, FALSE},
    {503, "Service Unavailable", -1, CLARIFAI_VERDICT_RETRY, "HTTP_ERROR",
        -1, -1, TRUE},
    {503, "{\"status\":{\"code\":10030}}", -1, CLARIFAI_VERDICT_RETRY,
        "TRY_AGAIN", -1, -1, TRUE},
    {200, "{\"status\":{\"code\":21355}}", -1, CLARIFAI_VERDICT_RETRY,
        "MODEL_LOADING", -1, -1, TRUE},
    {500, "{\"status\":{\"code\":98001}}", 2000000, CLARIFAI_VERDICT_RETRY,
        "CODE_98001", -1, 2000000, TRUE},
    {200, "{\"status\": {\"code\": 100", -1, CLARIFAI_VERDICT_RETRY,
        "BAD_RESPONSE", -1, -1, FALSE},
    {400, "<html>", -1, CLARIFAI_VERDICT_FAIL, "BAD_RESPONSE", -1, -1, FALSE},
    {400, "{\"status\":{\"code\":10020},\"outputs\":[{\"status\":{\"code\":"
          "30104},\"input\":{\"id\":\"frame-1\"},\"data\":{}}]}", -1,
        CLARIFAI_VERDICT_RESULTS, "FAILURE", -1, -1, FALSE},
    {400, "{\"status\":{\"code\":21202}}", -1, CLARIFAI_VERDICT_FATAL,
        "MODEL_INVALID_ARGUMENT", CLARIFAI_DIALECT_ERROR_SETTINGS, -1, FALSE},
    {400, "{\"status\":{\"code\":54321}}", -1, CLARIFAI_VERDICT_FAIL,
        "CODE_54321", -1, -1, FALSE},
    {200, "{\"status\":{\"code\":11004}}", -1, CLARIFAI_VERDICT_FAIL,
        "CONN_EXCEED_MONTHLY_LIMIT", -1, -1, FALSE},
  };
  ClarifaiDialect *d = dialect (NULL, NULL, 0, 0, NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    ClarifaiHttpAnswer answer = { 0, };
    ClarifaiVerdict v = { 0, };

    answer.status = cases[i].http;
    answer.reason = "Reason";
    answer.retry_after_us = cases[i].retry_after_us;
    answer.data = cases[i].body;
    answer.len = strlen (cases[i].body);
    d->klass->classify (d, NULL, &answer, &v);
    g_test_message ("case %u: %s", i, v.status_msg);
    g_assert_cmpint (v.kind, ==, cases[i].kind);
    g_assert_cmpstr (v.status, ==, cases[i].status);
    if (cases[i].error_code >= 0) {
      g_assert_error (v.error, CLARIFAI_DIALECT_ERROR, cases[i].error_code);
      g_assert_nonnull (strstr (v.error->message,
              cases[i].error_code == CLARIFAI_DIALECT_ERROR_NOT_FOUND ?
              "model-version" : cases[i].error_code ==
              CLARIFAI_DIALECT_ERROR_SETTINGS ? "select-classes" : "api-key"));
    }
    if (cases[i].kind == CLARIFAI_VERDICT_RETRY
        || cases[i].kind == CLARIFAI_VERDICT_THROTTLE)
      g_assert_cmpint (v.wait_us, ==, cases[i].wait_us);
    g_assert_cmpint (v.outage, ==, cases[i].outage);
    /* an error page is shown as it reads, not as the JSON parser's error */
    if (cases[i].body[0] != '{' && (cases[i].http < 200
            || cases[i].http >= 300))
      g_assert_nonnull (strstr (v.status_msg, cases[i].body));
    g_assert_true (v.kind != CLARIFAI_VERDICT_RESULTS || v.response);
    if (v.response)
      g_assert_cmpstr (v.response->model, ==, "general-image-recognition");
    clarifai_verdict_clear (&v);
  }
  clarifai_dialect_free (d);
}

/* What a model says of itself: a legacy model's kind, and a pythonic
 * model's arguments by type name, or by argument name where the types
 * come as numbers. */
static void
test_model_info (void)
{
  const gchar *legacy = "{\"status\": {\"code\": 10000}, \"model\": "
      "{\"id\": \"general-image-detection\", \"model_type_id\": "
      "\"visual-detector\", \"model_version\": {\"id\": \"v\"}}}";
  const gchar *vlm = "{\"model\": {\"model_type_id\": "
      "\"multimodal-to-text\", \"model_version\": {\"method_signatures\": "
      "[{\"name\": \"generate\", \"input_fields\": [{\"name\": \"q\", "
      "\"type\": \"STR\"}]}, {\"name\": \"predict\", \"input_fields\": "
      "[{\"name\": \"question\", \"type\": \"STR\", \"required\": true}, "
      "{\"name\": \"picture\", \"type\": \"IMAGE\"}, {\"name\": "
      "\"max_tokens\", \"type\": \"INT\"}]}]}}}";
  const gchar *numeric = "{\"model\": {\"model_version\": "
      "{\"method_signatures\": [{\"name\": \"predict\", \"input_fields\": "
      "[{\"name\": \"prompt\", \"type\": 1}, {\"name\": \"image\", "
      "\"type\": 9}, {\"name\": \"temperature\", \"type\": 4}]}]}}}";
  g_autoptr (ClarifaiModelInfo) a = NULL, b = NULL, c = NULL;
  g_autoptr (GError) err = NULL;

  a = clarifai_model_info_parse (legacy, strlen (legacy), &err);
  g_assert_no_error (err);
  g_assert_cmpstr (a->type_id, ==, "visual-detector");
  g_assert_false (a->pythonic);
  g_assert_null (a->prompt_arg);

  b = clarifai_model_info_parse (vlm, strlen (vlm), &err);
  g_assert_true (b->pythonic);
  g_assert_cmpstr (b->prompt_arg, ==, "question");
  g_assert_true (b->prompt_required);
  g_assert_cmpstr (b->image_arg, ==, "picture");
  g_assert_true (b->max_tokens_arg);
  g_assert_false (b->temperature_arg);

  c = clarifai_model_info_parse (numeric, strlen (numeric), &err);
  g_assert_cmpstr (c->type_id, ==, "");
  g_assert_cmpstr (c->prompt_arg, ==, "prompt");
  g_assert_false (c->prompt_required);
  g_assert_cmpstr (c->image_arg, ==, "image");
  g_assert_true (c->temperature_arg);

  g_assert_null (clarifai_model_info_parse ("{\"status\": {}}", 14, &err));
  g_assert_error (err, CLARIFAI_PROTOCOL_ERROR,
      CLARIFAI_PROTOCOL_ERROR_MALFORMED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/v2/parse-ok", test_parse_ok);
  g_test_add_func ("/v2/parse-mixed", test_parse_mixed);
  g_test_add_func ("/v2/parse-codes", test_parse_codes);
  g_test_add_func ("/v2/build", test_build);
  g_test_add_func ("/v2/classify", test_classify);
  g_test_add_func ("/v2/model-info", test_model_info);
  return g_test_run ();
}
