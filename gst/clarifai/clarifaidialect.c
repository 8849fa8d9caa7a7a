/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the dialects share: requests, answers and verdicts. */

#include "clarifaidialect.h"

#include <string.h>

/* Spelled out: gst-indent would put spaces into G_DEFINE_QUARK's string. */
GQuark
clarifai_dialect_error_quark (void)
{
  return g_quark_from_static_string ("clarifai-dialect-error-quark");
}

GQuark
clarifai_http_error_quark (void)
{
  return g_quark_from_static_string ("clarifai-http-error-quark");
}

/**
 * clarifai_secret_clear:
 *
 * Frees a secret or a token after overwriting it, so that it does not
 * linger in freed memory (and core dumps).
 */
void
clarifai_secret_clear (gchar ** secret)
{
  if (*secret)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

void
clarifai_dialect_free (ClarifaiDialect * dialect)
{
  if (dialect == NULL)
    return;
  g_free (dialect->account);
  dialect->klass->free (dialect);
}

/**
 * clarifai_endpoint:
 * @path: begins with '/', already percent-encoded
 *
 * Returns: (transfer full) (nullable): @api_url, less its trailing
 * slashes, followed by @path
 */
GUri *
clarifai_endpoint (const gchar * api_url, const gchar * path)
{
  gsize n = strlen (api_url);
  g_autofree gchar *s = NULL;

  while (n > 0 && api_url[n - 1] == '/')
    n--;
  s = g_strdup_printf ("%.*s%s", (int) n, api_url, path);
  return g_uri_parse (s, G_URI_FLAGS_ENCODED, NULL);
}

/**
 * clarifai_account_digest:
 *
 * Returns: (transfer full): a SHA-256 digest naming the account of
 * @secret at @api_url in @dialect, to key what is shared per account
 */
gchar *
clarifai_account_digest (const gchar * dialect, const gchar * api_url,
    const gchar * secret)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  gchar *digest;

  g_checksum_update (sum, (const guchar *) dialect, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) api_url, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) (secret ? secret : ""), -1);
  digest = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
  return digest;
}

ClarifaiHttpRequest *
clarifai_http_request_new (const gchar * method, GUri * uri)
{
  ClarifaiHttpRequest *request = g_new0 (ClarifaiHttpRequest, 1);

  request->method = method;
  request->uri = g_uri_ref (uri);
  return request;
}

/**
 * clarifai_http_request_set_body:
 * @pieces: (transfer full): GBytes sent back to back
 */
void
clarifai_http_request_set_body (ClarifaiHttpRequest * request,
    const gchar * content_type, GPtrArray * pieces)
{
  guint i;

  request->content_type = g_strdup (content_type);
  request->body = pieces;
  request->body_length = 0;
  for (i = 0; i < pieces->len; i++)
    request->body_length += g_bytes_get_size (g_ptr_array_index (pieces, i));
}

void
clarifai_http_request_free (ClarifaiHttpRequest * request)
{
  if (request == NULL)
    return;
  g_uri_unref (request->uri);
  g_free (request->content_type);
  g_clear_pointer (&request->body, g_ptr_array_unref);
  clarifai_secret_clear (&request->authorization);
  g_free (request);
}

const gchar *
clarifai_http_answer_header (const ClarifaiHttpAnswer * answer,
    const gchar * name)
{
  return answer->headers ? g_hash_table_lookup (answer->headers, name) : NULL;
}

void
clarifai_verdict_set (ClarifaiVerdict * verdict, ClarifaiVerdictKind kind,
    const gchar * status, const gchar * status_msg)
{
  verdict->kind = kind;
  g_free (verdict->status);
  g_free (verdict->status_msg);
  verdict->status = g_strdup (status);
  verdict->status_msg = g_strdup (status_msg ? status_msg : "");
  verdict->wait_us = -1;
}

void
clarifai_verdict_set_fatal (ClarifaiVerdict * verdict,
    ClarifaiDialectError code, const gchar * status, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  g_clear_error (&verdict->error);
  verdict->error = g_error_new_valist (CLARIFAI_DIALECT_ERROR, code, format,
      args);
  va_end (args);
  clarifai_verdict_set (verdict, CLARIFAI_VERDICT_FATAL, status,
      verdict->error->message);
}

/**
 * clarifai_verdict_from_error:
 * @error: a transport error
 *
 * What a request that got no answer means: the frames are dropped when the
 * element stops, fail for good when the certificate is not trusted, end
 * as BAD_RESPONSE for an oversized answer, and are retried otherwise.
 */
void
clarifai_verdict_from_error (ClarifaiVerdict * verdict, const GError * error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_FAIL, "DROPPED",
        "element stopped");
  } else if (g_error_matches (error, CLARIFAI_HTTP_ERROR,
          CLARIFAI_HTTP_ERROR_TLS)) {
    clarifai_verdict_set_fatal (verdict, CLARIFAI_DIALECT_ERROR_UNTRUSTED,
        "NETWORK_ERROR", "%s", error->message);
  } else if (g_error_matches (error, CLARIFAI_HTTP_ERROR,
          CLARIFAI_HTTP_ERROR_TOO_LARGE)) {
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_FAIL, "BAD_RESPONSE",
        error->message);
  } else {
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_RETRY, "NETWORK_ERROR",
        error->message);
    verdict->outage = TRUE;
  }
}

void
clarifai_verdict_clear (ClarifaiVerdict * verdict)
{
  g_free (verdict->status);
  g_free (verdict->status_msg);
  clarifai_tag_response_free (verdict->response);
  g_clear_error (&verdict->error);
  memset (verdict, 0, sizeof (*verdict));
}
