/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The reference server's v1 endpoints, as docs/reference-server.md
 * documents them: /v1/token/ (form-encoded client credentials), /v1/tag/
 * (multipart `encoded_data` parts, `local_id`, `model`, `language`,
 * `select_classes`) and /v1/info/, with token expiry and the status codes
 * and answer shapes of the real service. */

#include "clarifaiserver-private.h"

#include <string.h>

#define DEFAULT_MODEL "general-v1.3"

static void
set_status_json (SoupServerMessage * msg, guint status, const gchar * code,
    const gchar * text)
{
  GString *out = g_string_new ("{\"status_code\":");

  clarifai_server_json_string (out, code);
  g_string_append (out, ",\"status_msg\":");
  clarifai_server_json_string (out, text);
  g_string_append (out, "}");
  clarifai_server_set_json (msg, status, out);
}

/* The service's docid is the MD5 of the bytes: docid_str its hex without
 * leading zeros, docid the same 128-bit number in decimal. */
static void
append_docids (GString * out, const guint8 * data, gsize size)
{
  guint8 digest[16];
  gsize digest_len = sizeof (digest);
  GChecksum *md5 = g_checksum_new (G_CHECKSUM_MD5);
  guint8 num[16];
  gchar dec[48];
  gint n = 0, i, first = 0;
  gboolean zero;
  const gchar *hex;

  g_checksum_update (md5, data, size);
  g_checksum_get_digest (md5, digest, &digest_len);
  hex = g_checksum_get_string (md5);
  while (hex[first] == '0' && hex[first + 1])
    first++;

  /* Repeated division by ten of a big-endian 128-bit number. */
  memcpy (num, digest, 16);
  do {
    guint rem = 0;

    zero = TRUE;
    for (i = 0; i < 16; i++) {
      guint cur = rem * 256 + num[i];

      num[i] = cur / 10;
      rem = cur % 10;
      if (num[i])
        zero = FALSE;
    }
    dec[n++] = '0' + rem;
  } while (!zero);

  g_string_append (out, "\"docid\":");
  for (i = n - 1; i >= 0; i--)
    g_string_append_c (out, dec[i]);
  g_string_append (out, ",\"docid_str\":");
  clarifai_server_json_string (out, hex + first);
  g_checksum_free (md5);
}

static gboolean
class_selected (const gchar * name, gchar ** selected)
{
  return selected == NULL || g_strv_contains ((const gchar * const *)
      selected, name);
}

/* Appends one result item; returns TRUE if the image was tagged. */
static gboolean
append_item (ClarifaiServer * srv, GString * out, GBytes * image,
    const gchar * local_id, gchar ** selected, ClarifaiServerFault fault)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);
  ServerImage img = { 0, };
  ColourBin *bins = img.bins;
  guint i, n = 0;
  g_autofree gchar *error = NULL;
  GString *classes, *ids, *probs;

  g_mutex_lock (&srv->lock);
  if (srv->max_image_bytes && size > srv->max_image_bytes)
    error = g_strdup_printf ("Image of %" G_GSIZE_FORMAT " bytes is above "
        "the max allowed %" G_GUINT64_FORMAT " bytes", size,
        srv->max_image_bytes);
  g_mutex_unlock (&srv->lock);
  if (error == NULL)
    error = clarifai_server_analyse_image (data, size, &img);
  g_mutex_lock (&srv->lock);
  if (error == NULL && srv->min_image_size
      && MIN (img.width, img.height) < srv->min_image_size)
    error =
        g_strdup_printf ("Image of min dim %u is below min allowed "
        "dimension of %u", MIN (img.width, img.height), srv->min_image_size);
  if (error == NULL && srv->max_image_size
      && MAX (img.width, img.height) > srv->max_image_size)
    error =
        g_strdup_printf ("Image of max dim %u is above max allowed "
        "dimension of %u", MAX (img.width, img.height), srv->max_image_size);
  g_mutex_unlock (&srv->lock);
  if (error == NULL && fault == CLARIFAI_SERVER_FAULT_PARTIAL)
    error = g_strdup ("Image could not be decoded (injected fault)");

  g_string_append (out, "{");
  if (error) {
    g_string_append (out, "\"local_id\":");
    clarifai_server_json_string (out, local_id);
    g_string_append (out, ",\"status_code\":\"CLIENT_ERROR\","
        "\"status_msg\":\"Data loading failed, see results.\","
        "\"result\":{\"error\":");
    clarifai_server_json_string (out, error);
    g_string_append (out, "}}");
    return FALSE;
  }

  append_docids (out, data, size);
  g_string_append (out, ",\"url\":\"\",\"local_id\":");
  clarifai_server_json_string (out, local_id);
  g_string_append (out, ",\"status_code\":\"OK\",\"status_msg\":\"OK\","
      "\"result\":{\"tag\":{");
  classes = g_string_new ("\"classes\":[");
  ids = g_string_new ("\"concept_ids\":[");
  probs = g_string_new ("\"probs\":[");
  for (i = 0; i < G_N_ELEMENTS (clarifai_server_colour_names) && bins[i].count;
      i++) {
    g_autofree gchar *id = g_strconcat ("ai_", bins[i].name, NULL);
    gchar num[G_ASCII_DTOSTR_BUF_SIZE];

    if (!class_selected (bins[i].name, selected))
      continue;
    if (n++) {
      g_string_append_c (classes, ',');
      g_string_append_c (ids, ',');
      g_string_append_c (probs, ',');
    }
    clarifai_server_json_string (classes, bins[i].name);
    if (fault == CLARIFAI_SERVER_FAULT_NON_UTF8)
      g_string_insert (classes, classes->len - 1, "\xff\xfe");
    clarifai_server_json_string (ids, id);
    g_string_append (probs, g_ascii_formatd (num, sizeof (num), "%.4f",
            (gdouble) bins[i].count / img.total));
  }
  g_string_append_printf (out, "%s],%s],%s]}}}", classes->str, ids->str,
      probs->str);
  g_string_free (classes, TRUE);
  g_string_free (ids, TRUE);
  g_string_free (probs, TRUE);
  return TRUE;
}

/* ---- tokens ---- */

/* Checks the bearer token.  Returns NULL when it is valid, else the v1
 * status code to answer with. */
static const gchar *
check_token (ClarifaiServer * srv, SoupServerMessage * msg)
{
  const gchar *auth =
      soup_message_headers_get_one (soup_server_message_get_request_headers
      (msg), "Authorization");
  const gchar *result = "TOKEN_INVALID";
  guint i;

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer "))
    return "TOKEN_NONE";
  g_mutex_lock (&srv->lock);
  for (i = 0; i < srv->tokens->len; i++) {
    IssuedToken *t = g_ptr_array_index (srv->tokens, i);

    if (g_str_equal (t->token, auth + 7)) {
      result = g_get_monotonic_time () < t->expires_at ? NULL : "TOKEN_EXPIRED";
      break;
    }
  }
  g_mutex_unlock (&srv->lock);
  return result;
}

static gboolean
refuse_token (ClarifaiServer * srv, SoupServerMessage * msg)
{
  const gchar *code = check_token (srv, msg);

  if (code == NULL)
    return FALSE;
  set_status_json (msg, SOUP_STATUS_UNAUTHORIZED, code,
      g_str_equal (code, "TOKEN_EXPIRED") ? "Token is expired." :
      g_str_equal (code, "TOKEN_NONE") ? "Authorization header missing." :
      "Token is not valid.");
  return TRUE;
}

/**
 * clarifai_server_issue_token:
 *
 * Issues a token as /v1/token/ would, e.g. for a test of `access-token`.
 *
 * Returns: (transfer full): the token
 */
gchar *
clarifai_server_issue_token (ClarifaiServer * srv)
{
  IssuedToken *t = g_new0 (IssuedToken, 1);
  gchar *copy;

  g_mutex_lock (&srv->lock);
  t->token = g_strdup_printf ("ref%08" G_GINT64_MODIFIER "x%08x",
      ++srv->token_serial, g_random_int ());
  t->expires_at = g_get_monotonic_time () +
      (gint64) (srv->token_ttl * G_USEC_PER_SEC);
  g_ptr_array_add (srv->tokens, t);
  copy = g_strdup (t->token);
  g_mutex_unlock (&srv->lock);
  return copy;
}

static void
handle_token (ClarifaiServer * srv, SoupServerMessage * msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  g_autofree gchar *form_text = NULL;
  GHashTable *form;
  const gchar *grant, *id, *secret;
  gboolean ok;
  GString *out;
  gchar ttl[G_ASCII_DTOSTR_BUF_SIZE];

  g_mutex_lock (&srv->lock);
  srv->token_requests++;
  g_mutex_unlock (&srv->lock);

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST) {
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    return;
  }
  form_text = g_strndup (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes));
  form = soup_form_decode (form_text);
  grant = g_hash_table_lookup (form, "grant_type");
  id = g_hash_table_lookup (form, "client_id");
  secret = g_hash_table_lookup (form, "client_secret");

  g_mutex_lock (&srv->lock);
  ok = g_strcmp0 (id, srv->client_id) == 0
      && g_strcmp0 (secret, srv->client_secret) == 0;
  g_mutex_unlock (&srv->lock);

  if (g_strcmp0 (grant, "client_credentials") != 0) {
    set_status_json (msg, SOUP_STATUS_BAD_REQUEST, "TOKEN_INVALID",
        "grant_type must be client_credentials");
  } else if (!ok) {
    set_status_json (msg, SOUP_STATUS_UNAUTHORIZED, "TOKEN_APP_INVALID",
        "Application for this token is not valid. Please ensure that you "
        "are using ID and SECRET from same application.");
  } else {
    g_autofree gchar *token = clarifai_server_issue_token (srv);

    g_mutex_lock (&srv->lock);
    g_ascii_formatd (ttl, sizeof (ttl), "%g", srv->token_ttl);
    g_mutex_unlock (&srv->lock);
    out = g_string_new ("{\"access_token\":");
    clarifai_server_json_string (out, token);
    g_string_append_printf (out, ",\"expires_in\":%s,\"scope\":"
        "\"api_access\",\"token_type\":\"Bearer\"}", ttl);
    soup_message_headers_replace (soup_server_message_get_response_headers
        (msg), "Cache-Control", "no-store");
    clarifai_server_set_json (msg, SOUP_STATUS_OK, out);
  }
  g_hash_table_destroy (form);
}

static void
handle_info (ClarifaiServer * srv, SoupServerMessage * msg)
{
  GString *out;
  gboolean enabled;

  g_mutex_lock (&srv->lock);
  srv->info_requests++;
  enabled = srv->info_enabled;
  g_mutex_unlock (&srv->lock);

  if (!enabled) {
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    return;
  }
  if (refuse_token (srv, msg))
    return;
  g_mutex_lock (&srv->lock);
  out = g_string_new (NULL);
  g_string_append_printf (out, "{\"status_code\":\"OK\",\"status_msg\":"
      "\"All images in request have completed successfully. \","
      "\"results\":{\"max_batch_size\":%u,\"max_image_size\":%u,"
      "\"min_image_size\":%u,\"max_image_bytes\":%" G_GUINT64_FORMAT ","
      "\"max_video_size\":1024,\"min_video_size\":1,\"max_video_bytes\":"
      "104857600,\"max_video_duration\":1800,\"max_video_batch_size\":1,"
      "\"default_model\":\"" DEFAULT_MODEL "\",\"default_language\":\"en\","
      "\"embed_allowed\":false,\"api_version\":0.1}}",
      srv->max_batch_size, srv->max_image_size, srv->min_image_size,
      srv->max_image_bytes);
  g_mutex_unlock (&srv->lock);
  clarifai_server_set_json (msg, SOUP_STATUS_OK, out);
}

/* ---- /v1/tag/ ---- */

static gchar *
part_text (GBytes * body)
{
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* Reads the multipart body into its images and fields. */
static gboolean
read_tag_form (SoupServerMessage * msg, GPtrArray * images,
    GPtrArray * local_ids, ClarifaiServerRequest * rec)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  gsize n;
  const guint8 *data = g_bytes_get_data (bytes, &n);
  SoupMultipart *multipart;
  gint i;

  /* RFC 2046 5.1.1 makes the CRLF after the closing delimiter optional,
   * and the official v1 Python client leaves it out; libsoup 3.2's parser
   * wants it, so it gets one. */
  if (n >= 2 && memcmp (data + n - 2, "\r\n", 2) != 0) {
    GByteArray *fixed = g_byte_array_sized_new (n + 2);

    g_byte_array_append (fixed, data, n);
    g_byte_array_append (fixed, (const guint8 *) "\r\n", 2);
    g_bytes_unref (bytes);
    bytes = g_byte_array_free_to_bytes (fixed);
  }
  multipart =
      soup_multipart_new_from_message (soup_server_message_get_request_headers
      (msg), bytes);
  if (multipart == NULL)
    return FALSE;
  for (i = 0; i < soup_multipart_get_length (multipart); i++) {
    SoupMessageHeaders *headers;
    GBytes *part;
    g_autofree gchar *disposition = NULL;
    GHashTable *params = NULL;
    const gchar *name;

    if (!soup_multipart_get_part (multipart, i, &headers, &part)
        || !soup_message_headers_get_content_disposition (headers,
            &disposition, &params))
      continue;
    name = g_hash_table_lookup (params, "name");
    if (!g_strcmp0 (name, "encoded_data") || !g_strcmp0 (name, "encoded_image"))
      g_ptr_array_add (images, g_bytes_ref (part));
    else if (!g_strcmp0 (name, "local_id"))
      g_ptr_array_add (local_ids, part_text (part));
    else if (!g_strcmp0 (name, "model"))
      g_free (rec->model), rec->model = part_text (part);
    else if (!g_strcmp0 (name, "language"))
      g_free (rec->language), rec->language = part_text (part);
    else if (!g_strcmp0 (name, "select_classes"))
      g_free (rec->select_classes), rec->select_classes = part_text (part);
    g_hash_table_destroy (params);
  }
  soup_multipart_free (multipart);
  return TRUE;
}

static void
handle_tag (ClarifaiServer * srv, SoupServerMessage * msg,
    ClarifaiServerFault fault)
{
  ClarifaiServerRequest rec = { 0, };
  g_autoptr (GPtrArray) images =
      g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) selected = NULL;
  SoupMessageHeaders *req_headers =
      soup_server_message_get_request_headers (msg);
  const gchar *ctype = soup_message_headers_get_one (req_headers,
      "Content-Type");
  guint i, ok = 0, max_batch;
  GString *out;

  rec.api = 1;
  rec.max_concepts = -1;
  rec.min_value = -1;
  rec.authorization =
      g_strdup (soup_message_headers_get_one (req_headers, "Authorization"));
  rec.content_type = g_strdup (ctype);
  if (soup_server_message_get_method (msg) == SOUP_METHOD_POST && ctype
      && g_str_has_prefix (ctype, "multipart/form-data"))
    read_tag_form (msg, images, ids, &rec);

  /* One comma-joined local_id field for a batch, as the Python client
   * sent it, is accepted too. */
  if (ids->len == 1 && images->len > 1 && strchr (ids->pdata[0], ',')) {
    gchar **split = g_strsplit (ids->pdata[0], ",", -1);

    g_ptr_array_set_size (ids, 0);
    for (i = 0; split[i]; i++)
      g_ptr_array_add (ids, g_strdup (split[i]));
    g_strfreev (split);
  }
  rec.n_images = images->len;
  g_ptr_array_add (ids, NULL);
  rec.local_ids = g_strdupv ((gchar **) ids->pdata);
  g_ptr_array_set_size (ids, ids->len - 1);

  g_mutex_lock (&srv->lock);
  g_ptr_array_add (srv->tag_requests, clarifai_server_request_copy (&rec));
  max_batch = srv->max_batch_size;
  g_mutex_unlock (&srv->lock);

  if (refuse_token (srv, msg))
    goto done;

  if (images->len == 0 || (max_batch && images->len > max_batch)) {
    out = g_string_new ("{\"status_code\":\"ALL_ERROR\",\"status_msg\":"
        "\"Error processing request.\",\"results\":");
    clarifai_server_json_string (out,
        images->len ? "Too many images in the request." :
        "Request must provide exactly one of url or encoded_data.");
    g_string_append (out, "}");
    clarifai_server_set_json (msg, SOUP_STATUS_BAD_REQUEST, out);
    goto done;
  }

  if (rec.select_classes)
    selected = g_strsplit (rec.select_classes, ",", -1);
  out = g_string_new (NULL);
  g_string_append (out, "{\"results\":[");
  for (i = 0; i < images->len; i++) {
    g_autofree gchar *id = g_strdup (i < ids->len ? ids->pdata[i] : "");

    if (fault == CLARIFAI_SERVER_FAULT_MISSING_RESULT && i + 1 == images->len) {
      ok++;
      break;
    }
    if (fault == CLARIFAI_SERVER_FAULT_WRONG_IDS) {
      g_free (id);
      id = g_strdup_printf ("bogus-%u", i);
    } else if (fault == CLARIFAI_SERVER_FAULT_NO_IDS) {
      g_free (id);
      id = g_strdup ("");
    }
    if (i)
      g_string_append_c (out, ',');
    if (append_item (srv, out, images->pdata[i], id, selected,
            i == 0 ? fault : fault == CLARIFAI_SERVER_FAULT_NON_UTF8 ?
            fault : CLARIFAI_SERVER_FAULT_NONE))
      ok++;
  }
  g_string_append (out, "],\"meta\":{\"tag\":{\"timestamp\":");
  g_string_append_printf (out, "%" G_GINT64_FORMAT ".0,\"model\":",
      g_get_real_time () / G_USEC_PER_SEC);
  clarifai_server_json_string (out, rec.model ? rec.model : DEFAULT_MODEL);
  g_string_append (out, ",\"config\":null}},\"status_code\":");
  if (ok == images->len) {
    g_string_append (out, "\"OK\",\"status_msg\":\"All images in request "
        "have completed successfully. \"}");
    clarifai_server_set_json (msg, SOUP_STATUS_OK, out);
  } else if (ok > 0) {
    g_string_append (out, "\"PARTIAL_ERROR\",\"status_msg\":\"Some images "
        "in request have failed. Please review the error messages.\"}");
    clarifai_server_set_json (msg, SOUP_STATUS_OK, out);
  } else {
    g_string_append (out, "\"ALL_ERROR\",\"status_msg\":\"No data could be "
        "loaded or is valid. \"}");
    clarifai_server_set_json (msg, SOUP_STATUS_BAD_REQUEST, out);
  }

done:
  clarifai_server_request_clear (&rec);
}

/* The v1 shapes of the faults that have one; the others are shared with
 * v2. */
static void
break_v1 (SoupServerMessage * msg, ClarifaiServerFault fault, guint param)
{
  g_autofree gchar *wait = NULL;

  switch (fault) {
    case CLARIFAI_SERVER_FAULT_THROTTLE:
      wait = g_strdup_printf ("%u", param);
      soup_message_headers_replace (soup_server_message_get_response_headers
          (msg), "X-Throttle-Wait-Seconds", wait);
      clarifai_server_set_text (msg, 429, "text/plain", "Too Many Requests");
      break;
    case CLARIFAI_SERVER_FAULT_THROTTLE_NO_HEADER:
      clarifai_server_set_text (msg, 429, "text/plain", "Too Many Requests");
      break;
    case CLARIFAI_SERVER_FAULT_TOKEN_EXPIRED:
      set_status_json (msg, SOUP_STATUS_UNAUTHORIZED, "TOKEN_EXPIRED",
          "Token is expired.");
      break;
    case CLARIFAI_SERVER_FAULT_TOKEN_INVALID:
      set_status_json (msg, SOUP_STATUS_UNAUTHORIZED, "TOKEN_INVALID",
          "Token is not valid.");
      break;
    case CLARIFAI_SERVER_FAULT_VISION_ERROR:
      set_status_json (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "VISION_ERROR",
          "Server failed to run system on data in request.");
      break;
    default:
      clarifai_server_break_answer (msg, fault, param);
      break;
  }
}

/**
 * clarifai_server_handle_v1:
 *
 * The SoupServer handler of "/v1".
 */
void
clarifai_server_handle_v1 (SoupServer * soup, SoupServerMessage * msg,
    const gchar * path, GHashTable * query, gpointer data)
{
  ClarifaiServer *srv = data;
  g_autofree gchar *p = g_strdup (path);
  gsize n = strlen (p);
  ClarifaiServerFault fault;
  guint delay, param = 0;

  /* Clients used the paths with and without the trailing slash. */
  if (n > 1 && p[n - 1] == '/')
    p[n - 1] = '\0';

  if (g_str_equal (p, "/v1/token")) {
    fault = clarifai_server_take_fault (srv, CLARIFAI_SERVER_ENDPOINT_TOKEN,
        &param);
    if (fault == CLARIFAI_SERVER_FAULT_TOKEN_APP_INVALID) {
      g_mutex_lock (&srv->lock);
      srv->token_requests++;
      g_mutex_unlock (&srv->lock);
      set_status_json (msg, SOUP_STATUS_UNAUTHORIZED, "TOKEN_APP_INVALID",
          "Application for this token is not valid.");
    } else {
      handle_token (srv, msg);
      if (fault == CLARIFAI_SERVER_FAULT_TOKEN_SLOW)
        clarifai_server_delay_answer (srv, msg, param);
    }
    return;
  }
  if (g_str_equal (p, "/v1/info")) {
    handle_info (srv, msg);
    if (clarifai_server_take_fault (srv, CLARIFAI_SERVER_ENDPOINT_INFO,
            &param) == CLARIFAI_SERVER_FAULT_INFO_SLOW)
      clarifai_server_delay_answer (srv, msg, param);
    return;
  }
  if (!g_str_equal (p, "/v1/tag")) {
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    return;
  }

  /* Read before the request is recorded, so that a test which sees the
   * record knows which delay and fault apply. */
  g_mutex_lock (&srv->lock);
  delay = srv->delay_ms;
  g_mutex_unlock (&srv->lock);
  fault = clarifai_server_take_fault (srv, CLARIFAI_SERVER_ENDPOINT_TAG,
      &param);
  handle_tag (srv, msg, fault);
  clarifai_server_apply_fault (srv, msg, fault, param, delay, break_v1);
}
