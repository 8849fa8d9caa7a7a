/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The v1 response parsers, on bodies shaped like the service's. */

#include <libsoup/soup.h>
#include <string.h>

#include "clarifaiprotocol.h"

#define TAGS_OK \
  "{\"status_code\":\"OK\",\"status_msg\":\"All images in request have " \
  "completed successfully. \",\"meta\":{\"tag\":{\"timestamp\":1443807051.15," \
  "\"model\":\"general-v1.3\",\"config\":\"0b2b7436987dd912e077ff576731f8b7\"}}," \
  "\"results\":[{\"docid\":66449437084412855146942959894443488019," \
  "\"docid_str\":\"31fdb2316ff87fb5d747554ba5267313\",\"url\":\"\"," \
  "\"local_id\":\"frame-0\",\"status_code\":\"OK\",\"status_msg\":\"OK\"," \
  "\"result\":{\"tag\":{\"classes\":[\"railway\",\"train\"]," \
  "\"concept_ids\":[\"ai_B\",\"ai_A\"],\"probs\":[0.9950,0.9994]}}}]}"

static ClarifaiTagResponse *
parse (const gchar * body)
{
  g_autoptr (GError) err = NULL;
  ClarifaiTagResponse *r = clarifai_tag_response_parse (body, strlen (body),
      &err);

  g_assert_no_error (err);
  g_assert_nonnull (r);
  return r;
}

/* An OK answer: envelope, model, per-item fields, and the 128-bit docid
 * read from docid_str, never from the number. */
static void
test_tag_ok (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse (TAGS_OK);
  ClarifaiItemResult *item;

  g_assert_cmpstr (r->status_code, ==, "OK");
  g_assert_cmpstr (r->model, ==, "general-v1.3");
  g_assert_cmpuint (r->items->len, ==, 1);
  item = g_ptr_array_index (r->items, 0);
  g_assert_cmpstr (item->local_id, ==, "frame-0");
  g_assert_cmpstr (item->status_code, ==, "OK");
  g_assert_cmpstr (item->docid, ==, "31fdb2316ff87fb5d747554ba5267313");
  g_assert_cmpuint (item->tags.len, ==, 2);
  g_assert_cmpstr (item->tags.classes[0], ==, "railway");
  g_assert_cmpstr (item->tags.concept_ids[1], ==, "ai_A");
  g_assert_cmpfloat (item->tags.probs[1], ==, 0.9994);
}

/* Limits sort by probability, then cut by threshold and count. */
static void
test_apply_limits (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse (TAGS_OK);
  ClarifaiItemResult *item = g_ptr_array_index (r->items, 0);
  ClarifaiLimits limits = { 0.0, 0, NULL };

  clarifai_item_result_apply_limits (item, &limits);
  g_assert_cmpstr (item->tags.classes[0], ==, "train");
  g_assert_cmpstr (item->tags.concept_ids[0], ==, "ai_A");
  g_assert_cmpfloat (item->tags.probs[0], ==, 0.9994);
  g_assert_cmpuint (item->tags.len, ==, 2);

  limits.threshold = 0.999;
  limits.max_tags = 0;
  clarifai_item_result_apply_limits (item, &limits);
  g_assert_cmpuint (item->tags.len, ==, 1);
  g_assert_cmpstr (item->tags.classes[0], ==, "train");
  g_assert_cmpuint (item->tags.len, ==, 1);
  g_assert_cmpuint (item->tags.len, ==, 1);
}

static void
test_max_tags (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse (TAGS_OK);
  ClarifaiItemResult *item = g_ptr_array_index (r->items, 0);
  ClarifaiLimits limits = { 0.0, 1, NULL };

  clarifai_item_result_apply_limits (item, &limits);
  g_assert_cmpuint (item->tags.len, ==, 1);
  g_assert_cmpstr (item->tags.classes[0], ==, "train");
}

/* PARTIAL_ERROR: per-item CLIENT_ERROR with the detail from result.error,
 * no docid_str, and an OK item beside it. */
static void
test_partial_error (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{\"status_code\":"
      "\"PARTIAL_ERROR\",\"status_msg\":\"Some images in request have "
      "failed.\",\"results\":[{\"local_id\":\"a\",\"status_code\":"
      "\"CLIENT_ERROR\",\"status_msg\":\"Data loading failed, see results.\","
      "\"result\":{\"error\":\"Image of min dim 165 is below min allowed "
      "dimension of 224\"}},{\"local_id\":\"b\",\"status_code\":\"OK\","
      "\"docid_str\":\"ab\",\"result\":{\"tag\":{\"classes\":[\"x\"],"
      "\"probs\":[0.5]}}}]}");
  ClarifaiItemResult *bad, *good;

  g_assert_cmpstr (r->status_code, ==, "PARTIAL_ERROR");
  g_assert_cmpstr (r->model, ==, "");
  bad = clarifai_item_result_find (r, "a", 0, 2);
  good = clarifai_item_result_find (r, "b", 1, 2);
  g_assert_nonnull (bad);
  g_assert_nonnull (good);
  g_assert_cmpstr (bad->status_code, ==, "CLIENT_ERROR");
  g_assert_nonnull (strstr (bad->status_msg, "min dim 165"));
  g_assert_cmpstr (bad->docid, ==, "");
  g_assert_cmpuint (bad->tags.len, ==, 0);
  g_assert_cmpstr (good->status_code, ==, "OK");
  g_assert_cmpstr (good->tags.concept_ids[0], ==, "");
}

/* ALL_ERROR for a malformed request: results is a string, kept in the
 * message. */
static void
test_all_error_string (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{\"status_code\":"
      "\"ALL_ERROR\",\"status_msg\":\"Error processing request.\","
      "\"results\":\"Request must provide exactly one of url or "
      "encoded_data.\"}");

  g_assert_cmpstr (r->status_code, ==, "ALL_ERROR");
  g_assert_cmpuint (r->items->len, ==, 0);
  g_assert_nonnull (strstr (r->status_msg, "exactly one of url"));
  g_assert_null (clarifai_item_result_find (r, "frame-0", 0, 1));
}

/* Older models answer catids, numeric strings or numbers. */
static void
test_catids (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{\"status_code\":\"OK\","
      "\"results\":[{\"docid_str\":\"1\",\"status_code\":\"OK\",\"result\":"
      "{\"tag\":{\"classes\":[\"a\",\"b\"],\"catids\":[\"16394\",42],"
      "\"probs\":[0.9,0.8]}}}]}");
  ClarifaiItemResult *item = g_ptr_array_index (r->items, 0);

  g_assert_cmpstr (item->tags.concept_ids[0], ==, "16394");
  g_assert_cmpstr (item->tags.concept_ids[1], ==, "42");
  g_assert_null (item->local_id);
}

/* Position is used only when no local_id comes back at all and the count
 * matches. */
static void
test_find_by_position (void)
{
  g_autoptr (ClarifaiTagResponse) r = parse ("{\"status_code\":\"OK\","
      "\"results\":[{\"local_id\":\"\",\"docid_str\":\"1\"},"
      "{\"local_id\":\"\",\"docid_str\":\"2\"}]}");
  g_autoptr (ClarifaiTagResponse) other = parse ("{\"status_code\":\"OK\","
      "\"results\":[{\"local_id\":\"x\",\"docid_str\":\"1\"},"
      "{\"local_id\":\"\",\"docid_str\":\"2\"}]}");

  g_assert_cmpstr (clarifai_item_result_find (r, "frame-7", 1, 2)->docid, ==,
      "2");
  g_assert_null (clarifai_item_result_find (r, "frame-7", 1, 3));
  g_assert_null (clarifai_item_result_find (other, "frame-7", 1, 2));
}

/* Bodies that are not the service's shape are errors, not crashes or
 * criticals (the tests run with fatal criticals). */
static void
test_malformed (void)
{
  const gchar *bodies[] = {
    "", "not json", "[1,2]", "{\"results\":[]}", "{\"status_code\":5}",
    "{\"status_code\":\"OK\",\"results\":[{\"result\":{\"tag\":"
        "{\"classes\":\"x\",\"probs\":{}}}}]}", "{\"status_code\":\"OK\"",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bodies); i++) {
    g_autoptr (GError) err = NULL;
    g_autoptr (ClarifaiTagResponse) r =
        clarifai_tag_response_parse (bodies[i], strlen (bodies[i]), &err);

    if (i == 5) {
      g_assert_nonnull (r);
      g_assert_cmpuint (((ClarifaiItemResult *) r->items->pdata[0])->tags.len,
          ==, 0);
    } else {
      g_assert_null (r);
      g_assert_error (err, CLARIFAI_PROTOCOL_ERROR,
          CLARIFAI_PROTOCOL_ERROR_MALFORMED);
    }
  }
}

/* An empty body says so (no critical: NULL data, as libsoup gives for
 * no body, included); a body of two JSON values is an error, not an abort
 * (json-glib 1.10's immutable parser aborts on it). */
static void
test_empty_and_two_values (void)
{
  const gchar *two[] = { "{}{}", "{\"status\":{}} {\"a\":1}", "{} 1",
    "[] {}", "1 2", " {\"a\":\"}\"}}",
  };
  const gchar *one = "{\"status_code\": \"O}K\\\"{\", \"status_msg\": \"]\"} "
      "\r\n";
  g_autoptr (GError) err = NULL;
  g_autofree gchar *code = NULL, *msg = NULL;
  guint i;

  g_assert_null (clarifai_tag_response_parse (NULL, 0, &err));
  g_assert_error (err, CLARIFAI_PROTOCOL_ERROR,
      CLARIFAI_PROTOCOL_ERROR_MALFORMED);
  g_assert_cmpstr (err->message, ==, "empty body");
  for (i = 0; i < G_N_ELEMENTS (two); i++) {
    g_autoptr (GError) e = NULL;

    g_assert_null (clarifai_tag_response_parse (two[i], strlen (two[i]), &e));
    g_assert_nonnull (e);
  }
  /* brackets inside strings are not the object's end */
  g_assert_true (clarifai_status_parse (one, strlen (one), &code, &msg));
  g_assert_cmpstr (code, ==, "O}K\"{");
}

/* An error page is shown by its first 200 printable characters. */
static void
test_body_excerpt (void)
{
  const gchar *html = "<html>\r\n  <h1>503 Service\tUnavailable</h1>\x01\n"
      "</html>\n";
  g_autofree gchar *empty = clarifai_body_excerpt (NULL, 0);
  g_autofree gchar *page = clarifai_body_excerpt (html, strlen (html));
  g_autofree gchar *long_body = g_strnfill (500, 'x');
  g_autofree gchar *cut = clarifai_body_excerpt (long_body, 500);

  g_assert_cmpstr (empty, ==, "empty body");
  g_assert_cmpstr (page, ==, "<html> <h1>503 Service Unavailable</h1> </html>");
  g_assert_cmpuint (strlen (cut), ==, 200);
}

/* A body with bytes that are not UTF-8 is read, its strings made valid. */
static void
test_invalid_utf8 (void)
{
  const gchar body[] = "{\"status_code\":\"OK\",\"results\":[{\"status_code\":"
      "\"OK\",\"local_id\":\"a\",\"result\":{\"tag\":{\"classes\":[\"bad\xff"
      "\xfe\"],\"probs\":[1]}}}]}";
  g_autoptr (GError) err = NULL;
  g_autoptr (ClarifaiTagResponse) r =
      clarifai_tag_response_parse (body, sizeof (body) - 1, &err);
  ClarifaiItemResult *item;

  g_assert_no_error (err);
  item = g_ptr_array_index (r->items, 0);
  g_assert_true (g_str_has_prefix (item->tags.classes[0], "bad"));
  g_assert_true (g_utf8_validate (item->tags.classes[0], -1, NULL));
}

static void
test_token (void)
{
  const gchar *ok = "{\"access_token\":\"U5j3rECLLZ86pWRjK35g489QJ4zrQI\","
      "\"expires_in\":36000,\"scope\":\"api_access\",\"token_type\":\"Bearer\"}";
  const gchar *bad = "{\"status_code\":\"TOKEN_APP_INVALID\"}";
  g_autofree gchar *token = NULL;
  g_autoptr (GError) err = NULL;
  gint64 ttl = 0;

  g_assert_true (clarifai_token_response_parse (ok, strlen (ok), &token, &ttl,
          NULL));
  g_assert_cmpstr (token, ==, "U5j3rECLLZ86pWRjK35g489QJ4zrQI");
  g_assert_cmpint (ttl, ==, 36000);
  g_assert_false (clarifai_token_response_parse (bad, strlen (bad), &token,
          &ttl, &err));
  g_assert_error (err, CLARIFAI_PROTOCOL_ERROR,
      CLARIFAI_PROTOCOL_ERROR_MALFORMED);
}

static void
test_info (void)
{
  const gchar *body = "{\"status_code\":\"OK\",\"results\":{"
      "\"max_batch_size\":128,\"max_image_size\":1024,\"min_image_size\":224,"
      "\"max_image_bytes\":10485760,\"api_version\":0.1}}";
  ClarifaiInfo info = { 0, };

  g_assert_true (clarifai_info_response_parse (body, strlen (body), &info,
          NULL));
  g_assert_cmpuint (info.max_batch_size, ==, 128);
  g_assert_cmpuint (info.max_image_size, ==, 1024);
  g_assert_cmpuint (info.min_image_size, ==, 224);
  g_assert_cmpuint (info.max_image_bytes, ==, 10485760);
  g_assert_false (clarifai_info_response_parse ("{}", 2, &info, NULL));
}

static void
test_status (void)
{
  const gchar *body = "{\"status_code\":\"TOKEN_EXPIRED\",\"status_msg\":"
      "\"Token is expired.\"}";
  g_autofree gchar *code = NULL, *msg = NULL;

  g_assert_true (clarifai_status_parse (body, strlen (body), &code, &msg));
  g_assert_cmpstr (code, ==, "TOKEN_EXPIRED");
  g_assert_cmpstr (msg, ==, "Token is expired.");
  g_assert_false (clarifai_status_parse ("Service Temporarily Unavailable",
          31, &code, &msg));
}

/* The form body, its pieces sent back to back as the transport sends
 * them, is read back by libsoup's own multipart parser: fields, file parts
 * with their name, filename and type, and the bytes intact, referenced
 * rather than copied. */
static void
test_form (void)
{
  g_autoptr (ClarifaiForm) form = clarifai_form_new ();
  g_autoptr (GBytes) jpeg = g_bytes_new_static ("\xff\xd8\r\n--x\0\xff\xd9",
      10);
  g_autoptr (GPtrArray) pieces = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GByteArray) all = g_byte_array_new ();
  SoupMessageHeaders *headers =
      soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  SoupMultipart *mp;
  SoupMessageHeaders *part_headers;
  GBytes *part;
  g_autofree gchar *disposition = NULL;
  GHashTable *params = NULL;
  gboolean referenced = FALSE;
  guint i;

  clarifai_form_add_field (form, "local_id", "frame-7");
  clarifai_form_add_file (form, "encoded_data", "frame-7.jpg",
      "application/octet-stream", jpeg);
  clarifai_form_add_field (form, "model", "general-v1.3");
  clarifai_form_finish (form);

  pieces = clarifai_form_ref_pieces (form);
  for (i = 0; i < pieces->len; i++) {
    gsize n;
    const guint8 *d = g_bytes_get_data (pieces->pdata[i], &n);

    referenced |= pieces->pdata[i] == jpeg;
    g_byte_array_append (all, d, n);
  }
  g_assert_true (referenced);
  body = g_byte_array_free_to_bytes (g_steal_pointer (&all));

  soup_message_headers_replace (headers, "Content-Type",
      clarifai_form_get_content_type (form));
  mp = soup_multipart_new_from_message (headers, body);
  g_assert_nonnull (mp);
  g_assert_cmpint (soup_multipart_get_length (mp), ==, 3);

  g_assert_true (soup_multipart_get_part (mp, 1, &part_headers, &part));
  g_assert_true (soup_message_headers_get_content_disposition (part_headers,
          &disposition, &params));
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, "encoded_data");
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, "frame-7.jpg");
  g_assert_cmpstr (soup_message_headers_get_content_type (part_headers, NULL),
      ==, "application/octet-stream");
  g_assert_true (g_bytes_equal (part, jpeg));
  g_hash_table_destroy (params);

  g_assert_true (soup_multipart_get_part (mp, 0, &part_headers, &part));
  g_assert_cmpmem (g_bytes_get_data (part, NULL), g_bytes_get_size (part),
      "frame-7", 7);
  soup_multipart_free (mp);
  soup_message_headers_unref (headers);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/tag-ok", test_tag_ok);
  g_test_add_func ("/protocol/apply-limits", test_apply_limits);
  g_test_add_func ("/protocol/max-tags", test_max_tags);
  g_test_add_func ("/protocol/partial-error", test_partial_error);
  g_test_add_func ("/protocol/all-error-string", test_all_error_string);
  g_test_add_func ("/protocol/catids", test_catids);
  g_test_add_func ("/protocol/find-by-position", test_find_by_position);
  g_test_add_func ("/protocol/malformed", test_malformed);
  g_test_add_func ("/protocol/empty-and-two-values", test_empty_and_two_values);
  g_test_add_func ("/protocol/body-excerpt", test_body_excerpt);
  g_test_add_func ("/protocol/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/protocol/token", test_token);
  g_test_add_func ("/protocol/info", test_info);
  g_test_add_func ("/protocol/status", test_status);
  g_test_add_func ("/protocol/form", test_form);
  return g_test_run ();
}
