/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The local reference server.  It speaks the v1 API as documented in
 * docs/reference-server.md: /v1/token/ (form-encoded client credentials),
 * /v1/tag/ (multipart `encoded_data` parts, `local_id`, `model`,
 * `language`, `select_classes`) and /v1/info/, with token expiry and the
 * status codes and answer shapes of the real service.  It is a test double:
 * it only listens on loopback. */

#include "clarifaiserver-private.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>
#include <turbojpeg.h>

#define DEFAULT_CLIENT_ID "test-client-id"
#define DEFAULT_CLIENT_SECRET "test-client-secret"
#define DEFAULT_MODEL "general-v1.3"

/* ---- JSON output ---- */

void
clarifai_server_json_string (GString * out, const gchar * s)
{
  g_string_append_c (out, '"');
  for (; s && *s; s++) {
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

void
clarifai_server_set_json (SoupServerMessage * msg, guint status, GString * body)
{
  /* set_response() appends to what an earlier answer left. */
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json",
      SOUP_MEMORY_COPY, body->str, body->len);
  g_string_free (body, TRUE);
}

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

/* ---- the tagger: dominant colours ---- */

const gchar *clarifai_server_colour_names[CLARIFAI_SERVER_N_COLOURS] = {
  "black", "white", "gray", "red", "orange", "yellow", "green", "cyan",
  "blue", "purple", "magenta",
};

static guint
classify_pixel (guint8 r, guint8 g, guint8 b)
{
  gint max = MAX (r, MAX (g, b)), min = MIN (r, MIN (g, b));
  gdouble v = max / 255.0, s = max ? (max - min) / (gdouble) max : 0, h;

  if (v < 0.2)
    return 0;
  if (s < 0.2)
    return v > 0.8 ? 1 : 2;
  if (max == r)
    h = fmod (60.0 * (g - b) / (max - min) + 360.0, 360.0);
  else if (max == g)
    h = 60.0 * (b - r) / (max - min) + 120.0;
  else
    h = 60.0 * (r - g) / (max - min) + 240.0;
  if (h < 15 || h >= 345)
    return 3;
  if (h < 45)
    return 4;
  if (h < 70)
    return 5;
  if (h < 160)
    return 6;
  if (h < 200)
    return 7;
  if (h < 260)
    return 8;
  if (h < 290)
    return 9;
  return 10;
}

static gint
compare_bins (gconstpointer a, gconstpointer b)
{
  const ColourBin *x = a, *y = b;

  return (x->count < y->count) - (x->count > y->count);
}

/* Decodes @jpeg and fills @bins with the share of each colour; returns an
 * error text for undecodable data. */
gchar *
clarifai_server_tag_image (const guint8 * jpeg, gsize size, guint * width,
    guint * height, ColourBin * bins, guint64 * total)
{
  tjhandle tj = tjInitDecompress ();
  int w, h, subsamp, cs;
  guint8 *rgb;
  gsize i;
  gchar *error = NULL;

  if (tjDecompressHeader3 (tj, jpeg, size, &w, &h, &subsamp, &cs) != 0) {
    error = g_strdup_printf ("not a JPEG image: %s", tjGetErrorStr2 (tj));
    tjDestroy (tj);
    return error;
  }
  rgb = g_malloc ((gsize) w * h * 3);
  if (tjDecompress2 (tj, jpeg, size, rgb, w, w * 3, h, TJPF_RGB, 0) != 0
      && tjGetErrorCode (tj) != TJERR_WARNING) {
    error = g_strdup_printf ("cannot decode the image: %s",
        tjGetErrorStr2 (tj));
  } else {
    for (i = 0; i < G_N_ELEMENTS (clarifai_server_colour_names); i++) {
      bins[i].name = clarifai_server_colour_names[i];
      bins[i].count = 0;
    }
    for (i = 0; i < (gsize) w * h; i++)
      bins[classify_pixel (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2])].count++;
    qsort (bins, G_N_ELEMENTS (clarifai_server_colour_names),
        sizeof (ColourBin), compare_bins);
    *total = (guint64) w *h;
    *width = w;
    *height = h;
  }
  g_free (rgb);
  tjDestroy (tj);
  return error;
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
  ColourBin bins[G_N_ELEMENTS (clarifai_server_colour_names)];
  guint w = 0, h = 0, i, n = 0;
  guint64 total = 0;
  g_autofree gchar *error = NULL;
  GString *classes, *ids, *probs;

  g_mutex_lock (&srv->lock);
  if (srv->max_image_bytes && size > srv->max_image_bytes)
    error = g_strdup_printf ("Image of %" G_GSIZE_FORMAT " bytes is above "
        "the max allowed %" G_GUINT64_FORMAT " bytes", size,
        srv->max_image_bytes);
  g_mutex_unlock (&srv->lock);
  if (error == NULL)
    error = clarifai_server_tag_image (data, size, &w, &h, bins, &total);
  g_mutex_lock (&srv->lock);
  if (error == NULL && srv->min_image_size && MIN (w, h) < srv->min_image_size)
    error = g_strdup_printf ("Image of min dim %u is below min allowed "
        "dimension of %u", MIN (w, h), srv->min_image_size);
  if (error == NULL && srv->max_image_size && MAX (w, h) > srv->max_image_size)
    error = g_strdup_printf ("Image of max dim %u is above max allowed "
        "dimension of %u", MAX (w, h), srv->max_image_size);
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
            (gdouble) bins[i].count / total));
  }
  g_string_append_printf (out, "%s],%s],%s]}}}", classes->str, ids->str,
      probs->str);
  g_string_free (classes, TRUE);
  g_string_free (ids, TRUE);
  g_string_free (probs, TRUE);
  return TRUE;
}

/* ---- tokens ---- */

static void
issued_token_free (IssuedToken * t)
{
  g_free (t->token);
  g_free (t);
}

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

void
clarifai_server_request_free (ClarifaiServerRequest * request)
{
  clarifai_server_request_clear (request);
  g_free (request);
}

/* Frees what a record holds, not the record: for one on the stack. */
void
clarifai_server_request_clear (ClarifaiServerRequest * request)
{
  g_free (request->user_id);
  g_free (request->app_id);
  g_free (request->model_version);
  g_strfreev (request->local_ids);
  g_free (request->model);
  g_free (request->language);
  g_free (request->select_classes);
  g_free (request->authorization);
  g_free (request->content_type);
}

ClarifaiServerRequest *
clarifai_server_request_copy (const ClarifaiServerRequest * r)
{
  ClarifaiServerRequest *copy = g_new0 (ClarifaiServerRequest, 1);

  copy->api = r->api;
  copy->user_id = g_strdup (r->user_id);
  copy->app_id = g_strdup (r->app_id);
  copy->model_version = g_strdup (r->model_version);
  copy->max_concepts = r->max_concepts;
  copy->min_value = r->min_value;
  copy->n_images = r->n_images;
  copy->local_ids = g_strdupv (r->local_ids);
  copy->model = g_strdup (r->model);
  copy->language = g_strdup (r->language);
  copy->select_classes = g_strdup (r->select_classes);
  copy->authorization = g_strdup (r->authorization);
  copy->content_type = g_strdup (r->content_type);
  return copy;
}

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

/* ---- injected faults ---- */

static const struct
{
  ClarifaiServerFault fault;
  const gchar *name;
} fault_names[] = {
  {CLARIFAI_SERVER_FAULT_THROTTLE, "throttle"},
  {CLARIFAI_SERVER_FAULT_THROTTLE_NO_HEADER, "throttle-no-header"},
  {CLARIFAI_SERVER_FAULT_TOKEN_EXPIRED, "token-expired"},
  {CLARIFAI_SERVER_FAULT_TOKEN_INVALID, "token-invalid"},
  {CLARIFAI_SERVER_FAULT_TOKEN_APP_INVALID, "token-app-invalid"},
  {CLARIFAI_SERVER_FAULT_VISION_ERROR, "vision-error"},
  {CLARIFAI_SERVER_FAULT_UNAVAILABLE, "unavailable"},
  {CLARIFAI_SERVER_FAULT_SLOW, "slow"},
  {CLARIFAI_SERVER_FAULT_CLOSE, "close"},
  {CLARIFAI_SERVER_FAULT_MALFORMED, "malformed"},
  {CLARIFAI_SERVER_FAULT_TRUNCATED, "truncated"},
  {CLARIFAI_SERVER_FAULT_HUGE, "huge"},
  {CLARIFAI_SERVER_FAULT_WRONG_CONTENT_TYPE, "wrong-content-type"},
  {CLARIFAI_SERVER_FAULT_MISSING_RESULT, "missing-result"},
  {CLARIFAI_SERVER_FAULT_WRONG_IDS, "wrong-ids"},
  {CLARIFAI_SERVER_FAULT_NO_IDS, "no-ids"},
  {CLARIFAI_SERVER_FAULT_PARTIAL, "partial"},
  {CLARIFAI_SERVER_FAULT_NON_UTF8, "non-utf8"},
  {CLARIFAI_SERVER_FAULT_TRY_AGAIN, "try-again"},
  {CLARIFAI_SERVER_FAULT_REVERSE, "reverse"},
  {CLARIFAI_SERVER_FAULT_KEY_REVOKED, "key-revoked"},
  {CLARIFAI_SERVER_FAULT_UNKNOWN_CODE, "unknown-code"},
};

/**
 * clarifai_server_fault_from_name:
 *
 * Returns: the fault named @name (as in --fault), or
 * %CLARIFAI_SERVER_FAULT_NONE
 */
ClarifaiServerFault
clarifai_server_fault_from_name (const gchar * name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (g_strcmp0 (fault_names[i].name, name) == 0)
      return fault_names[i].fault;
  return CLARIFAI_SERVER_FAULT_NONE;
}

/**
 * clarifai_server_add_fault:
 * @count: how many requests it applies to; 0 for every one until
 *   clarifai_server_clear_faults()
 * @param: seconds for THROTTLE, milliseconds for SLOW, else unused
 *
 * Queues a fault for the next /v1/tag/ requests (/v1/token/ requests for
 * TOKEN_APP_INVALID).  Faults apply in the order they were added.
 */
void
clarifai_server_add_fault (ClarifaiServer * srv, ClarifaiServerFault fault,
    guint count, guint param)
{
  Fault *f = g_new0 (Fault, 1);

  f->fault = fault;
  f->remaining = count;
  f->param = param;
  g_mutex_lock (&srv->lock);
  g_queue_push_tail (&srv->faults, f);
  g_mutex_unlock (&srv->lock);
}

void
clarifai_server_clear_faults (ClarifaiServer * srv)
{
  g_mutex_lock (&srv->lock);
  g_queue_clear_full (&srv->faults, g_free);
  g_mutex_unlock (&srv->lock);
}

ClarifaiServerFault
clarifai_server_take_fault (ClarifaiServer * srv, gboolean token_endpoint,
    guint * param)
{
  ClarifaiServerFault fault = CLARIFAI_SERVER_FAULT_NONE;
  GList *l;

  g_mutex_lock (&srv->lock);
  for (l = srv->faults.head; l; l = l->next) {
    Fault *f = l->data;

    if ((f->fault == CLARIFAI_SERVER_FAULT_TOKEN_APP_INVALID) != token_endpoint)
      continue;
    fault = f->fault;
    *param = f->param;
    if (f->remaining && --f->remaining == 0) {
      g_queue_delete_link (&srv->faults, l);
      g_free (f);
    }
    break;
  }
  g_mutex_unlock (&srv->lock);
  return fault;
}

void
clarifai_server_set_text (SoupServerMessage * msg, guint status,
    const gchar * type, const gchar * text)
{
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, text,
      strlen (text));
}

/* Answers a well-formed request with a broken answer. */
void
clarifai_server_break_answer (SoupServerMessage * msg,
    ClarifaiServerFault fault, guint param)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr (GBytes) whole = NULL;
  g_autofree gchar *wait = NULL;
  GString *huge;

  switch (fault) {
    case CLARIFAI_SERVER_FAULT_THROTTLE:
      wait = g_strdup_printf ("%u", param);
      soup_message_headers_replace (headers, "X-Throttle-Wait-Seconds", wait);
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
    case CLARIFAI_SERVER_FAULT_UNAVAILABLE:
      clarifai_server_set_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
          "text/plain", "Service Temporarily Unavailable");
      break;
    case CLARIFAI_SERVER_FAULT_MALFORMED:
      clarifai_server_set_text (msg, SOUP_STATUS_OK, "application/json",
          "{\"status_code\": \"OK\", \"results\": [{\"local_id\" 12,]");
      break;
    case CLARIFAI_SERVER_FAULT_TRUNCATED:
      whole = soup_message_body_flatten (body);
      soup_message_body_truncate (body);
      soup_message_body_append (body, SOUP_MEMORY_COPY,
          g_bytes_get_data (whole, NULL), g_bytes_get_size (whole) / 2);
      break;
    case CLARIFAI_SERVER_FAULT_HUGE:
      /* Valid JSON, but 32 MiB of it. */
      huge = g_string_sized_new (32 * 1024 * 1024 + 64);
      g_string_append (huge, "{\"status_code\":\"OK\",\"results\":[],"
          "\"padding\":\"");
      while (huge->len < 32 * 1024 * 1024)
        g_string_append (huge, "0123456789abcdef");
      g_string_append (huge, "\"}");
      soup_message_body_truncate (body);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json",
          SOUP_MEMORY_TAKE, huge->str, huge->len);
      g_string_free (huge, FALSE);
      break;
    case CLARIFAI_SERVER_FAULT_WRONG_CONTENT_TYPE:
      clarifai_server_set_text (msg, SOUP_STATUS_OK, "text/html",
          "<html><body><h1>Welcome to our proxy</h1></body></html>");
      break;
    default:
      break;
  }
}

static gboolean
resume_delayed (gpointer data)
{
  ClarifaiServer *srv = g_object_get_data (data, "clarifai-server");

  srv->delayed = g_list_remove (srv->delayed, g_main_current_source ());
  soup_server_message_unpause (data);
  return G_SOURCE_REMOVE;
}

/* Held-back answers are tracked so that stopping the server drops them
 * instead of leaving timers that would touch a server that is gone. */
void
clarifai_server_delay_answer (ClarifaiServer * srv, SoupServerMessage * msg,
    guint delay_ms)
{
  GSource *source = g_timeout_source_new (delay_ms);

  soup_server_message_pause (msg);
  g_object_set_data (G_OBJECT (msg), "clarifai-server", srv);
  g_source_set_callback (source, resume_delayed, g_object_ref (msg),
      g_object_unref);
  g_source_attach (source, srv->context);
  srv->delayed = g_list_prepend (srv->delayed, source);
  g_source_unref (source);
}

/* Takes the connection over and closes it half-way through the answer. */
void
clarifai_server_close_mid_answer (SoupServerMessage * msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);
  const gchar *partial = "HTTP/1.1 200 OK\r\nContent-Type: application/json"
      "\r\nContent-Length: 4000\r\n\r\n{\"status_code\": \"OK\", \"res";

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), partial,
      strlen (partial), NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

static void
handle (SoupServer * soup, SoupServerMessage * msg, const gchar * path,
    GHashTable * query, gpointer data)
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
    if (clarifai_server_take_fault (srv, TRUE,
            &param) != CLARIFAI_SERVER_FAULT_NONE) {
      g_mutex_lock (&srv->lock);
      srv->token_requests++;
      g_mutex_unlock (&srv->lock);
      set_status_json (msg, SOUP_STATUS_UNAUTHORIZED, "TOKEN_APP_INVALID",
          "Application for this token is not valid.");
    } else {
      handle_token (srv, msg);
    }
    return;
  }
  if (g_str_equal (p, "/v1/info")) {
    handle_info (srv, msg);
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
  fault = clarifai_server_take_fault (srv, FALSE, &param);
  handle_tag (srv, msg, fault);

  if (fault == CLARIFAI_SERVER_FAULT_CLOSE) {
    clarifai_server_close_mid_answer (msg);
    return;
  }
  clarifai_server_break_answer (msg, fault, param);
  if (fault == CLARIFAI_SERVER_FAULT_SLOW)
    delay = param;
  if (delay)
    clarifai_server_delay_answer (srv, msg, delay);
}

/* ---- lifecycle ---- */

ClarifaiServer *
clarifai_server_new (void)
{
  ClarifaiServer *srv = g_new0 (ClarifaiServer, 1);

  g_mutex_init (&srv->lock);
  g_cond_init (&srv->cond);
  srv->client_id = g_strdup (DEFAULT_CLIENT_ID);
  srv->client_secret = g_strdup (DEFAULT_CLIENT_SECRET);
  srv->api_key = g_strdup (CLARIFAI_SERVER_DEFAULT_API_KEY);
  srv->key_requests_left = -1;
  srv->token_ttl = 36000;
  srv->info_enabled = TRUE;
  srv->max_batch_size = 128;
  srv->max_image_size = 1024;
  srv->min_image_size = 0;
  srv->max_image_bytes = 10485760;
  srv->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify)
      issued_token_free);
  srv->tag_requests = g_ptr_array_new_with_free_func ((GDestroyNotify)
      clarifai_server_request_free);
  srv->context = g_main_context_new ();
  srv->loop = g_main_loop_new (srv->context, FALSE);
  return srv;
}

typedef struct
{
  ClarifaiServer *srv;
  gchar *address;
  guint port;
} StartArgs;

static gpointer
server_thread (gpointer data)
{
  StartArgs *args = data;
  ClarifaiServer *srv = args->srv;
  g_autoptr (GInetAddress) addr = g_inet_address_new_from_string
      (args->address);
  GError *err = NULL;

  g_main_context_push_thread_default (srv->context);
  srv->soup = soup_server_new ("server-header",
      "clarifai-reference-server ", "tls-certificate", srv->tls, NULL);
  soup_server_add_handler (srv->soup, "/v1", handle, srv, NULL);
  soup_server_add_handler (srv->soup, "/v2", clarifai_server_handle_v2, srv,
      NULL);

  if (addr == NULL || !g_inet_address_get_is_loopback (addr)) {
    err = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "%s is not a loopback address; the reference server is a test "
        "double and only listens on loopback", args->address);
  } else {
    g_autoptr (GSocketAddress) sa = g_inet_socket_address_new (addr,
        args->port);

    if (soup_server_listen (srv->soup, sa,
            srv->tls ? SOUP_SERVER_LISTEN_HTTPS : 0, &err)) {
      GSList *uris = soup_server_get_uris (srv->soup);
      g_autofree gchar *s = g_uri_to_string (uris->data);

      /* Without the trailing slash, so that "{api-url}/v1/..." reads well. */
      g_free (srv->url);
      srv->url = g_strndup (s, strlen (s) - (g_str_has_suffix (s, "/")));
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }
  }

  g_mutex_lock (&srv->lock);
  srv->start_error = err;
  srv->running = TRUE;
  g_cond_broadcast (&srv->cond);
  g_mutex_unlock (&srv->lock);

  if (err == NULL)
    g_main_loop_run (srv->loop);

  g_list_free_full (g_steal_pointer (&srv->delayed),
      (GDestroyNotify) g_source_destroy);
  soup_server_disconnect (srv->soup);
  g_clear_object (&srv->soup);
  g_main_context_pop_thread_default (srv->context);
  g_free (args->address);
  g_free (args);
  return NULL;
}

/**
 * clarifai_server_start:
 * @address: a loopback address, "127.0.0.1" or "::1"
 * @port: 0 for an ephemeral port
 *
 * Starts serving on a thread of its own.  The URL to use as `api-url` is
 * then clarifai_server_get_url().
 */
gboolean
clarifai_server_start (ClarifaiServer * srv, const gchar * address,
    guint port, GError ** error)
{
  StartArgs *args = g_new0 (StartArgs, 1);

  args->srv = srv;
  args->address = g_strdup (address ? address : "127.0.0.1");
  args->port = port;
  srv->thread = g_thread_new ("clarifai-server", server_thread, args);

  g_mutex_lock (&srv->lock);
  while (!srv->running)
    g_cond_wait (&srv->cond, &srv->lock);
  g_mutex_unlock (&srv->lock);

  if (srv->start_error) {
    g_propagate_error (error, g_steal_pointer (&srv->start_error));
    g_thread_join (srv->thread);
    srv->thread = NULL;
    return FALSE;
  }
  return TRUE;
}

const gchar *
clarifai_server_get_url (ClarifaiServer * srv)
{
  return srv->url;
}

static gboolean
quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/**
 * clarifai_server_stop:
 *
 * Stops serving, as a server that goes down: open connections are closed
 * and the tokens issued so far are forgotten.  clarifai_server_start()
 * serves again, on the same port if it is given.
 */
void
clarifai_server_stop (ClarifaiServer * srv)
{
  GSource *source;

  if (srv->thread == NULL)
    return;
  source = g_idle_source_new ();
  g_source_set_callback (source, quit, srv->loop, NULL);
  g_source_attach (source, srv->context);
  g_source_unref (source);
  g_thread_join (srv->thread);
  srv->thread = NULL;
  g_mutex_lock (&srv->lock);
  srv->running = FALSE;
  g_ptr_array_set_size (srv->tokens, 0);
  g_mutex_unlock (&srv->lock);
}

void
clarifai_server_free (ClarifaiServer * srv)
{
  clarifai_server_stop (srv);
  g_main_loop_unref (srv->loop);
  g_main_context_unref (srv->context);
  g_free (srv->url);
  g_free (srv->client_id);
  g_free (srv->client_secret);
  g_free (srv->api_key);
  g_ptr_array_unref (srv->tokens);
  g_ptr_array_unref (srv->tag_requests);
  g_queue_clear_full (&srv->faults, g_free);
  g_clear_object (&srv->tls);
  g_mutex_clear (&srv->lock);
  g_cond_clear (&srv->cond);
  g_free (srv);
}

/* ---- settings and records ---- */

/**
 * clarifai_server_set_tls:
 *
 * Serves https:// with this certificate and key (PEM files) from the next
 * clarifai_server_start() on.
 */
gboolean
clarifai_server_set_tls (ClarifaiServer * srv, const gchar * cert_file,
    const gchar * key_file, GError ** error)
{
  GTlsCertificate *cert = g_tls_certificate_new_from_files (cert_file,
      key_file, error);

  if (cert == NULL)
    return FALSE;
  g_clear_object (&srv->tls);
  srv->tls = cert;
  return TRUE;
}

void
clarifai_server_set_credentials (ClarifaiServer * srv, const gchar * client_id,
    const gchar * client_secret)
{
  g_mutex_lock (&srv->lock);
  g_free (srv->client_id);
  g_free (srv->client_secret);
  srv->client_id = g_strdup (client_id);
  srv->client_secret = g_strdup (client_secret);
  g_mutex_unlock (&srv->lock);
}

/* The v2 key (personal access token) the server accepts. */
void
clarifai_server_set_api_key (ClarifaiServer * srv, const gchar * api_key)
{
  g_mutex_lock (&srv->lock);
  g_free (srv->api_key);
  srv->api_key = g_strdup (api_key);
  srv->key_requests_left = -1;
  g_mutex_unlock (&srv->lock);
}

void
clarifai_server_set_token_ttl (ClarifaiServer * srv, gdouble seconds)
{
  g_mutex_lock (&srv->lock);
  srv->token_ttl = seconds;
  g_mutex_unlock (&srv->lock);
}

/* Every /v1/tag/ answer is held back this long. */
void
clarifai_server_set_delay (ClarifaiServer * srv, guint delay_ms)
{
  g_mutex_lock (&srv->lock);
  srv->delay_ms = delay_ms;
  g_mutex_unlock (&srv->lock);
}

/* @enabled FALSE answers /v1/info/ with 404, as a server without it. */
void
clarifai_server_set_info (ClarifaiServer * srv, gboolean enabled,
    guint max_batch_size, guint max_image_size, guint min_image_size,
    guint64 max_image_bytes)
{
  g_mutex_lock (&srv->lock);
  srv->info_enabled = enabled;
  srv->max_batch_size = max_batch_size;
  srv->max_image_size = max_image_size;
  srv->min_image_size = min_image_size;
  srv->max_image_bytes = max_image_bytes;
  g_mutex_unlock (&srv->lock);
}

/* Expires every token issued so far: their next use is answered with 401
 * TOKEN_EXPIRED. */
void
clarifai_server_revoke_tokens (ClarifaiServer * srv)
{
  guint i;

  g_mutex_lock (&srv->lock);
  for (i = 0; i < srv->tokens->len; i++)
    ((IssuedToken *) g_ptr_array_index (srv->tokens, i))->expires_at = 0;
  g_mutex_unlock (&srv->lock);
}

/**
 * clarifai_server_get_issued_tokens:
 *
 * Returns: (transfer full): every token issued since the server started
 */
gchar **
clarifai_server_get_issued_tokens (ClarifaiServer * srv)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  gchar **tokens;
  guint i;

  g_mutex_lock (&srv->lock);
  for (i = 0; i < srv->tokens->len; i++)
    g_strv_builder_add (builder,
        ((IssuedToken *) g_ptr_array_index (srv->tokens, i))->token);
  g_mutex_unlock (&srv->lock);
  tokens = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return tokens;
}

guint
clarifai_server_get_token_requests (ClarifaiServer * srv)
{
  guint n;

  g_mutex_lock (&srv->lock);
  n = srv->token_requests;
  g_mutex_unlock (&srv->lock);
  return n;
}

guint
clarifai_server_get_info_requests (ClarifaiServer * srv)
{
  guint n;

  g_mutex_lock (&srv->lock);
  n = srv->info_requests;
  g_mutex_unlock (&srv->lock);
  return n;
}

/**
 * clarifai_server_get_tag_requests:
 *
 * Returns: (transfer full): a copy of the records of every /v1/tag/
 * request so far, oldest first
 */
GPtrArray *
clarifai_server_get_tag_requests (ClarifaiServer * srv)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify)
      clarifai_server_request_free);
  guint i;

  g_mutex_lock (&srv->lock);
  for (i = 0; i < srv->tag_requests->len; i++)
    g_ptr_array_add (copy,
        clarifai_server_request_copy (g_ptr_array_index (srv->tag_requests,
                i)));
  g_mutex_unlock (&srv->lock);
  return copy;
}
