/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* One tag request's life: encoding its frames into a multipart body, the
 * token, each attempt and its answer (read with a size cap), retries with
 * backoff, throttling, and what the answer means for each frame.  Also the
 * blocking token and /v1/info/ exchanges.  Runs on the client's worker
 * thread; see clarifaiclient.c for the threads and the lock. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifaiclient-private.h"

#include <string.h>

#define GST_CAT_DEFAULT clarifai_client_debug

static void attempt (ClarifaiRequest * req);

/* ---- requests ---- */

ClarifaiRequest *
clarifai_request_new (ClarifaiClient * c, guint n)
{
  ClarifaiRequest *req = g_new0 (ClarifaiRequest, 1);

  req->client = c;
  req->frames = g_ptr_array_new_full (n, (GDestroyNotify) clarifai_frame_free);
  req->done = g_new0 (gboolean, n);
  req->sent = g_array_new (FALSE, FALSE, sizeof (guint));
  return req;
}

static void
request_free (ClarifaiRequest * req)
{
  clarifai_source_clear (&req->timer);
  g_ptr_array_unref (req->frames);
  g_free (req->done);
  g_array_unref (req->sent);
  clarifai_form_free (req->body);
  g_free (req->token);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->msg);
  g_clear_object (&req->answer);
  g_clear_pointer (&req->received, g_byte_array_unref);
  g_free (req);
}

static void
set_timer (ClarifaiRequest * req, gint64 delay_us, GSourceFunc func)
{
  clarifai_source_clear (&req->timer);
  req->timer = g_timeout_source_new (MAX (delay_us, 0) / 1000);
  g_source_set_callback (req->timer, func, req, NULL);
  g_source_attach (req->timer, req->client->context);
}

/* Ends a request on the worker thread; every frame not yet completed gets
 * @status. */
void
clarifai_request_finish (ClarifaiRequest * req, const gchar * status,
    const gchar * status_msg)
{
  ClarifaiClient *c = req->client;
  GQueue completions = G_QUEUE_INIT;
  guint i;

  g_mutex_lock (&c->lock);
  for (i = 0; i < req->frames->len; i++) {
    ClarifaiCompletion *done =
        clarifai_client_complete_locked (req, i, status, status_msg);

    if (done)
      g_queue_push_tail (&completions, done);
  }
  c->requests = g_list_remove (c->requests, req);
  clarifai_client_wake_locked (c);
  g_mutex_unlock (&c->lock);

  clarifai_client_deliver (c, &completions);
  request_free (req);
}

static gboolean
is_abandoned (ClarifaiRequest * req)
{
  gboolean abandoned;

  g_mutex_lock (&req->client->lock);
  abandoned = req->abandoned;
  g_mutex_unlock (&req->client->lock);
  return abandoned;
}

static void
set_outage (ClarifaiClient * c, gboolean outage, const gchar * why)
{
  g_autoptr (GError) err = NULL;

  if (c->outage == outage)
    return;
  c->outage = outage;
  if (outage)
    err = g_error_new (CLARIFAI_CLIENT_ERROR, CLARIFAI_CLIENT_ERROR_NETWORK,
        "Clarifai service unavailable: %s", why);
  c->on_event (outage ? CLARIFAI_CLIENT_EVENT_OUTAGE :
      CLARIFAI_CLIENT_EVENT_RECOVERED, err, c->user_data);
}

static gboolean
on_retry_timer (gpointer data)
{
  ClarifaiRequest *req = data;

  g_clear_pointer (&req->timer, g_source_unref);
  attempt (req);
  return G_SOURCE_REMOVE;
}

/* A transient failure: try again after @delay_us (negative: exponential
 * backoff with jitter) while the retry budget lasts. */
static void
retry_or_fail (ClarifaiRequest * req, const gchar * status,
    const gchar * status_msg, gint64 delay_us, gboolean outage)
{
  ClarifaiClient *c = req->client;

  if (req->transient_retries < c->s.retries) {
    req->transient_retries++;
    if (delay_us < 0) {
      gint64 d = MIN (BACKOFF_BASE_US << (req->transient_retries - 1),
          BACKOFF_MAX_US);

      delay_us = d / 2 + g_random_int_range (0, d / 2 + 1);
    }
    GST_DEBUG ("request failed (%s: %s), retry %u in %" G_GINT64_FORMAT
        " ms", status, status_msg, req->transient_retries, delay_us / 1000);
    set_timer (req, delay_us, on_retry_timer);
    return;
  }
  if (outage)
    set_outage (c, TRUE, status_msg);
  clarifai_request_finish (req, status, status_msg);
}

/* The credentials were rejected, or the service's certificate is not
 * trusted: every frame from now on fails with @status, and the element is
 * told once. */
static void
set_fatal (ClarifaiClient * c, const gchar * status, const GError * error)
{
  ClarifaiClientEvent event = g_error_matches (error, CLARIFAI_CLIENT_ERROR,
      CLARIFAI_CLIENT_ERROR_TLS) ? CLARIFAI_CLIENT_EVENT_UNTRUSTED :
      CLARIFAI_CLIENT_EVENT_NOT_AUTHORIZED;
  gboolean first;

  g_mutex_lock (&c->lock);
  first = c->fatal_status == NULL;
  if (first) {
    c->fatal_status = g_strdup (status);
    c->fatal_msg = g_strdup (error->message);
  }
  g_mutex_unlock (&c->lock);
  if (first)
    c->on_event (event, error, c->user_data);
}

/* ---- blocking calls: the token and /v1/info/ ---- */

static GError *
answer_too_large (void)
{
  return g_error_new (CLARIFAI_CLIENT_ERROR, CLARIFAI_CLIENT_ERROR_HTTP,
      "the answer is larger than %u bytes", MAX_ANSWER_BYTES);
}

/* Blocking request and read, with the shutdown cancellable and a cap on
 * the body's size. */
static GBytes *
send_sync (ClarifaiClient * c, SoupMessage * msg, GError ** error)
{
  GError *err = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GByteArray) body = g_byte_array_new ();

  stream = soup_session_send (c->session, msg, c->shutdown, &err);
  while (stream) {
    g_autoptr (GBytes) chunk = g_input_stream_read_bytes (stream, READ_CHUNK,
        c->shutdown, &err);

    if (chunk == NULL || g_bytes_get_size (chunk) == 0)
      break;
    g_byte_array_append (body, g_bytes_get_data (chunk, NULL),
        g_bytes_get_size (chunk));
    if (body->len > MAX_ANSWER_BYTES) {
      g_propagate_error (error, answer_too_large ());
      return NULL;
    }
  }
  if (err == NULL)
    return g_byte_array_free_to_bytes (g_steal_pointer (&body));
  if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_propagate_error (error, err);
  } else {
    g_set_error (error, CLARIFAI_CLIENT_ERROR, err->domain == G_TLS_ERROR ?
        CLARIFAI_CLIENT_ERROR_TLS : CLARIFAI_CLIENT_ERROR_NETWORK, "%s",
        err->message);
    g_error_free (err);
  }
  return NULL;
}

static void
secret_free (gpointer secret)
{
  gchar *s = secret;

  clarifai_secret_clear (&s);
}

/* Every call but /v1/token/ carries the token; the header's copy of it is
 * wiped as soon as libsoup has its own. */
static void
set_bearer (SoupMessage * msg, const gchar * token)
{
  gchar *auth = g_strconcat ("Bearer ", token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg),
      "Authorization", auth);
  clarifai_secret_clear (&auth);
}

static gchar *
fetch_token (const gchar * client_id, const gchar * client_secret,
    gint64 * expires_in, gpointer user_data, GCancellable * cancellable,
    GError ** error)
{
  ClarifaiClient *c = user_data;
  g_autoptr (SoupMessage) msg = soup_message_new_from_uri ("POST",
      c->token_uri);
  gchar *form = soup_form_encode ("grant_type", "client_credentials",
      "client_id", client_id, "client_secret", client_secret, NULL);
  g_autoptr (GBytes) request = g_bytes_new_with_free_func (form,
      strlen (form), secret_free, form);
  g_autoptr (GBytes) body = NULL;
  g_autofree gchar *code = NULL, *text = NULL;
  gchar *token = NULL;
  gsize len;
  const gchar *data;
  guint status;

  soup_message_set_request_body_from_bytes (msg,
      "application/x-www-form-urlencoded", request);

  body = send_sync (c, msg, error);
  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &len);
  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_OK) {
    GError *err = NULL;

    if (!clarifai_token_response_parse (data, len, &token, expires_in, &err)) {
      g_set_error (error, CLARIFAI_CLIENT_ERROR, CLARIFAI_CLIENT_ERROR_HTTP,
          "unreadable token answer: %s", err->message);
      g_error_free (err);
    }
    return token;
  }
  if (!clarifai_status_parse (data, len, &code, &text)) {
    code = g_strdup ("HTTP_ERROR");
    text = g_strdup (soup_message_get_reason_phrase (msg));
  }
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN
      || g_str_has_prefix (code, "TOKEN_"))
    g_set_error (error, CLARIFAI_CLIENT_ERROR,
        CLARIFAI_CLIENT_ERROR_NOT_AUTHORIZED,
        "the service rejected the client credentials (%s: %s)", code, text);
  else
    g_set_error (error, CLARIFAI_CLIENT_ERROR,
        status >= 500 ? CLARIFAI_CLIENT_ERROR_NETWORK :
        CLARIFAI_CLIENT_ERROR_HTTP, "token request failed: HTTP %u (%s: %s)",
        status, code, text);
  return NULL;
}

static gchar *
get_token (ClarifaiClient * c, GError ** error)
{
  return clarifai_token_manager_get_token (c->tokens, fetch_token, c,
      c->shutdown, error);
}

/* Reads the service's limits.  A server without /v1/info/ (any HTTP error)
 * is taken at its word and not asked again; an unreachable one is. */
void
clarifai_client_fetch_info (ClarifaiClient * c)
{
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) err = NULL;
  g_autofree gchar *token = NULL;
  ClarifaiInfo info = { 0, };
  const gchar *data;
  gsize len;

  c->info_next_try = g_get_monotonic_time () + INFO_RETRY_US;
  token = get_token (c, &err);
  if (token == NULL) {
    if (g_error_matches (err, CLARIFAI_CLIENT_ERROR,
            CLARIFAI_CLIENT_ERROR_NOT_AUTHORIZED))
      set_fatal (c, "TOKEN_APP_INVALID", err);
    else if (g_error_matches (err, CLARIFAI_CLIENT_ERROR,
            CLARIFAI_CLIENT_ERROR_TLS))
      set_fatal (c, "NETWORK_ERROR", err);
    return;
  }
  msg = soup_message_new_from_uri ("GET", c->info_uri);
  set_bearer (msg, token);
  body = send_sync (c, msg, &err);
  if (body == NULL) {
    if (g_error_matches (err, CLARIFAI_CLIENT_ERROR, CLARIFAI_CLIENT_ERROR_TLS))
      set_fatal (c, "NETWORK_ERROR", err);
    else
      GST_INFO ("no /v1/info/ answer yet: %s", err->message);
    return;
  }
  data = g_bytes_get_data (body, &len);
  if (soup_message_get_status (msg) == SOUP_STATUS_UNAUTHORIZED) {
    /* A renewable token is fetched again next time; a fixed one never
     * becomes valid. */
    if (!clarifai_token_manager_invalidate (c->tokens, token)) {
      g_autofree gchar *code = NULL, *text = NULL;
      g_autoptr (GError) rejected = NULL;

      if (!clarifai_status_parse (data, len, &code, &text)) {
        code = g_strdup ("HTTP_ERROR");
        text = g_strdup ("HTTP 401");
      }
      rejected = g_error_new (CLARIFAI_CLIENT_ERROR,
          CLARIFAI_CLIENT_ERROR_NOT_AUTHORIZED,
          "the service rejected the access token (%s: %s)", code, text);
      set_fatal (c, code, rejected);
    }
    return;
  }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK) {
    GST_INFO ("service has no usable /v1/info/ (HTTP %u), using defaults",
        soup_message_get_status (msg));
  } else if (!clarifai_info_response_parse (data, len, &info, &err)) {
    GST_WARNING ("ignoring /v1/info/: %s", err->message);
  } else {
    GST_INFO ("service limits: max_batch_size %u, max_image_size %u, "
        "min_image_size %u, max_image_bytes %" G_GUINT64_FORMAT,
        info.max_batch_size, info.max_image_size, info.min_image_size,
        info.max_image_bytes);
    if (info.max_batch_size && c->s.batch_size > info.max_batch_size)
      GST_INFO ("batch-size %u is above the service's max_batch_size, "
          "using %u", c->s.batch_size, info.max_batch_size);
  }
  g_mutex_lock (&c->lock);
  c->info = info;
  c->info_known = TRUE;
  g_mutex_unlock (&c->lock);
}

/* ---- the tag request ---- */

static void
dispatch_response (ClarifaiRequest * req, ClarifaiTagResponse * response)
{
  ClarifaiClient *c = req->client;
  GQueue completions = G_QUEUE_INIT;
  guint k;

  g_mutex_lock (&c->lock);
  for (k = 0; k < req->sent->len; k++) {
    guint i = g_array_index (req->sent, guint, k);
    g_autofree gchar *id =
        clarifai_frame_local_id (g_ptr_array_index (req->frames, i));
    ClarifaiItemResult *item = clarifai_item_result_find (response, id, k,
        req->sent->len);
    ClarifaiCompletion *done;

    if (item) {
      done =
          clarifai_client_complete_locked (req, i, item->status_code,
          item->status_msg);
      if (done == NULL)
        continue;
      clarifai_item_result_apply_limits (item, c->s.threshold, c->s.max_tags);
      g_free (done->docid);
      done->docid = g_strdup (item->docid);
      done->item = g_new0 (ClarifaiItemResult, 1);
      done->item->classes = g_ptr_array_ref (item->classes);
      done->item->probs = g_array_ref (item->probs);
      done->item->concept_ids = g_ptr_array_ref (item->concept_ids);
    } else if (response->items->len == 0
        && g_strcmp0 (response->status_code, "OK") != 0) {
      done = clarifai_client_complete_locked (req, i, response->status_code,
          response->status_msg);
    } else {
      g_autofree gchar *why =
          g_strdup_printf ("the answer has no result for local_id %s", id);

      done = clarifai_client_complete_locked (req, i, "BAD_RESPONSE", why);
    }
    if (done) {
      g_free (done->model);
      done->model = g_strdup (response->model);
      g_queue_push_tail (&completions, done);
    }
  }
  g_mutex_unlock (&c->lock);
  clarifai_client_deliver (c, &completions);
}

static gint64
throttle_wait_us (SoupMessage * msg)
{
  const gchar *header =
      soup_message_headers_get_one (soup_message_get_response_headers (msg),
      "X-Throttle-Wait-Seconds");
  gdouble wait = header ? g_ascii_strtod (header, NULL) : 0;

  if (!(wait > 0) || wait > 3600)
    wait = DEFAULT_THROTTLE_WAIT_S;
  return (gint64) (wait * G_USEC_PER_SEC);
}

/* An error answer in a few words, and its v1 status_code (or HTTP_ERROR
 * when the body has none). */
static gchar *
describe_error (SoupMessage * msg, const gchar * data, gsize len, gchar ** code)
{
  guint status = soup_message_get_status (msg);
  g_autofree gchar *text = NULL;

  if (clarifai_status_parse (data, len, code, &text))
    return g_strdup_printf ("HTTP %u: %s", status, text);
  *code = g_strdup ("HTTP_ERROR");
  return g_strdup_printf ("HTTP %u %s", status,
      soup_message_get_reason_phrase (msg));
}

static void
handle_answer (ClarifaiRequest * req, SoupMessage * msg, GBytes * body)
{
  ClarifaiClient *c = req->client;
  guint status = soup_message_get_status (msg);
  gsize len;
  const gchar *data = g_bytes_get_data (body, &len);
  g_autofree gchar *code = NULL, *detail = NULL;

  /* libsoup 3.2 has no name for 429. */
  if (status == 429) {
    gint64 wait = throttle_wait_us (msg);

    detail = describe_error (msg, data, len, &code);
    clarifai_stats_throttled (c->stats);
    clarifai_token_manager_throttle (c->tokens, g_get_monotonic_time () + wait);
    GST_INFO ("throttled by the service for %" G_GINT64_FORMAT " ms",
        wait / 1000);
    retry_or_fail (req, code, detail, wait, FALSE);
  } else if (status == SOUP_STATUS_UNAUTHORIZED) {
    detail = describe_error (msg, data, len, &code);
    if (!clarifai_token_manager_invalidate (c->tokens, req->token)) {
      g_autoptr (GError) refused = g_error_new (CLARIFAI_CLIENT_ERROR,
          CLARIFAI_CLIENT_ERROR_NOT_AUTHORIZED,
          "the service refused the access token (%s)", detail);

      /* A fixed access-token will not become valid again. */
      set_fatal (c, code, refused);
    } else if ((!g_strcmp0 (code, "TOKEN_EXPIRED")
            || !g_strcmp0 (code, "TOKEN_INVALID")) && !req->token_retried) {
      req->token_retried = TRUE;
      attempt (req);
      return;
    }
    clarifai_request_finish (req, code, detail);
  } else if (status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT) {
    detail = describe_error (msg, data, len, &code);
    retry_or_fail (req, code, detail, -1, TRUE);
  } else if (SOUP_STATUS_IS_SUCCESSFUL (status) || status >= 400) {
    /* A tag answer, OK or not: its body is read once, here. */
    g_autoptr (GError) err = NULL;
    g_autoptr (ClarifaiTagResponse) response =
        clarifai_tag_response_parse (data, len, &err);

    set_outage (c, FALSE, NULL);
    if (response == NULL) {
      detail = g_strdup_printf ("HTTP %u, %s", status, err->message);
      clarifai_request_finish (req, "BAD_RESPONSE", detail);
      return;
    }
    dispatch_response (req, response);
    clarifai_request_finish (req, "BAD_RESPONSE", "no result for this frame");
  } else {
    detail = g_strdup_printf ("HTTP %u %s", status,
        soup_message_get_reason_phrase (msg));
    clarifai_request_finish (req, "HTTP_ERROR", detail);
  }
}

/* The end of an attempt: @body is the whole answer, or NULL with @err. */
static void
attempt_done (ClarifaiRequest * req, GBytes * body, GError * err)
{
  req->op_pending = FALSE;
  clarifai_source_clear (&req->timer);
  g_clear_object (&req->answer);

  if (is_abandoned (req)) {
    clarifai_request_finish (req, "DROPPED", "abandoned");
  } else if (body) {
    handle_answer (req, req->msg, body);
  } else if (g_error_matches (err, CLARIFAI_CLIENT_ERROR,
          CLARIFAI_CLIENT_ERROR_HTTP)) {
    clarifai_request_finish (req, "BAD_RESPONSE", err->message);
  } else if (err->domain == G_TLS_ERROR) {
    g_autoptr (GError) untrusted = g_error_new (CLARIFAI_CLIENT_ERROR,
        CLARIFAI_CLIENT_ERROR_TLS, "%s", err->message);

    set_fatal (req->client, "NETWORK_ERROR", untrusted);
    clarifai_request_finish (req, "NETWORK_ERROR", err->message);
  } else {
    g_autofree gchar *why = req->timed_out ?
        g_strdup_printf ("no answer within %" G_GUINT64_FORMAT " ms",
        req->client->s.timeout / GST_MSECOND) : g_strdup (err->message);

    retry_or_fail (req, "NETWORK_ERROR", why, -1, TRUE);
  }
}

static void
on_answer_read (GObject * source, GAsyncResult * res, gpointer data)
{
  ClarifaiRequest *req = data;
  g_autoptr (GError) err = NULL;
  g_autoptr (GBytes) chunk = g_input_stream_read_bytes_finish
      (G_INPUT_STREAM (source), res, &err);
  g_autoptr (GBytes) body = NULL;

  if (chunk == NULL) {
    attempt_done (req, NULL, err);
    return;
  }
  if (g_bytes_get_size (chunk) == 0) {
    body = g_byte_array_free_to_bytes (g_steal_pointer (&req->received));
    attempt_done (req, body, NULL);
    return;
  }
  g_byte_array_append (req->received, g_bytes_get_data (chunk, NULL),
      g_bytes_get_size (chunk));
  if (req->received->len > MAX_ANSWER_BYTES) {
    g_autoptr (GError) too_large = answer_too_large ();

    attempt_done (req, NULL, too_large);
    return;
  }
  g_input_stream_read_bytes_async (req->answer, READ_CHUNK,
      G_PRIORITY_DEFAULT, req->cancellable, on_answer_read, req);
}

static void
on_answer_headers (GObject * source, GAsyncResult * res, gpointer data)
{
  ClarifaiRequest *req = data;
  g_autoptr (GError) err = NULL;
  goffset length;

  req->answer = soup_session_send_finish (SOUP_SESSION (source), res, &err);
  if (req->answer == NULL) {
    attempt_done (req, NULL, err);
    return;
  }
  length = soup_message_headers_get_content_length
      (soup_message_get_response_headers (req->msg));
  if (length > MAX_ANSWER_BYTES) {
    g_autoptr (GError) too_large = answer_too_large ();

    attempt_done (req, NULL, too_large);
    return;
  }
  g_clear_pointer (&req->received, g_byte_array_unref);
  req->received = g_byte_array_new ();
  g_input_stream_read_bytes_async (req->answer, READ_CHUNK,
      G_PRIORITY_DEFAULT, req->cancellable, on_answer_read, req);
}

static gboolean
on_attempt_timeout (gpointer data)
{
  ClarifaiRequest *req = data;

  g_clear_pointer (&req->timer, g_source_unref);
  req->timed_out = TRUE;
  g_cancellable_cancel (req->cancellable);
  return G_SOURCE_REMOVE;
}

static void
attempt (ClarifaiRequest * req)
{
  ClarifaiClient *c = req->client;
  g_autoptr (GError) err = NULL;
  g_autoptr (SoupMessage) msg = NULL;

  if (is_abandoned (req)) {
    clarifai_request_finish (req, "DROPPED", "abandoned");
    return;
  }
  g_free (req->token);
  req->token = get_token (c, &err);
  if (req->token == NULL) {
    if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      clarifai_request_finish (req, "DROPPED", "element stopped");
    } else if (g_error_matches (err, CLARIFAI_CLIENT_ERROR,
            CLARIFAI_CLIENT_ERROR_NOT_AUTHORIZED)) {
      set_fatal (c, "TOKEN_APP_INVALID", err);
      clarifai_request_finish (req, "TOKEN_APP_INVALID", err->message);
    } else if (g_error_matches (err, CLARIFAI_CLIENT_ERROR,
            CLARIFAI_CLIENT_ERROR_TLS)) {
      set_fatal (c, "NETWORK_ERROR", err);
      clarifai_request_finish (req, "NETWORK_ERROR", err->message);
    } else {
      retry_or_fail (req, g_error_matches (err, CLARIFAI_CLIENT_ERROR,
              CLARIFAI_CLIENT_ERROR_NETWORK) ? "NETWORK_ERROR" : "HTTP_ERROR",
          err->message, -1, TRUE);
    }
    return;
  }
  if (is_abandoned (req)) {
    clarifai_request_finish (req, "DROPPED", "abandoned");
    return;
  }

  msg = soup_message_new_from_uri ("POST", c->tag_uri);
  {
    g_autoptr (GInputStream) body = clarifai_form_open (req->body);

    soup_message_set_request_body (msg,
        clarifai_form_get_content_type (req->body), body,
        clarifai_form_get_length (req->body));
  }
  set_bearer (msg, req->token);

  clarifai_stats_request (c->stats, req->attempts > 0);
  req->attempts++;
  g_clear_object (&req->cancellable);
  req->cancellable = g_cancellable_new ();
  req->timed_out = FALSE;
  req->op_pending = TRUE;
  g_clear_object (&req->msg);
  req->msg = g_object_ref (msg);
  set_timer (req, c->s.timeout / GST_USECOND, on_attempt_timeout);
  soup_session_send_async (c->session, msg, G_PRIORITY_DEFAULT,
      req->cancellable, on_answer_headers, req);
}

/* Encodes the batch and builds the multipart body it is sent (and resent)
 * with: a `local_id` then an `encoded_data` file part for each frame, then
 * the optional model, language and select_classes fields.  The body refers
 * to the JPEG bytes; they are not copied into it. */
void
clarifai_request_start (ClarifaiRequest * req)
{
  ClarifaiClient *c = req->client;
  ClarifaiForm *form = clarifai_form_new ();
  GQueue failures = G_QUEUE_INIT;
  ClarifaiSizeLimits limits;
  guint i;

  clarifai_client_get_limits (c, &limits);
  for (i = 0; i < req->frames->len; i++) {
    ClarifaiFrame *frame = g_ptr_array_index (req->frames, i);
    g_autoptr (GError) err = NULL;
    g_autofree gchar *id = clarifai_frame_local_id (frame);
    g_autofree gchar *filename = g_strconcat (id, ".jpg", NULL);
    GBytes *jpeg;

    if (frame->image) {
      g_autoptr (ClarifaiImage) fitted =
          clarifai_encoder_fit_image (frame->image, &limits);

      jpeg = clarifai_encoder_encode (c->encoder,
          fitted ? fitted : frame->image, c->s.jpeg_quality, &err);
      g_clear_pointer (&frame->image, clarifai_image_free);
    } else {
      jpeg = clarifai_encoder_fit_jpeg (c->encoder, frame->jpeg, &limits,
          c->s.jpeg_quality, &err);
    }
    if (jpeg == NULL) {
      ClarifaiCompletion *done;

      g_mutex_lock (&c->lock);
      done =
          clarifai_client_complete_locked (req, i, "CLIENT_ERROR",
          err->message);
      g_mutex_unlock (&c->lock);
      if (done)
        g_queue_push_tail (&failures, done);
      continue;
    }
    if (frame->jpeg)
      g_bytes_unref (frame->jpeg);
    frame->jpeg = jpeg;
    clarifai_form_add_field (form, "local_id", id);
    clarifai_form_add_file (form, "encoded_data", filename,
        "application/octet-stream", jpeg);
    g_array_append_val (req->sent, i);
  }
  clarifai_client_deliver (c, &failures);

  if (c->s.model)
    clarifai_form_add_field (form, "model", c->s.model);
  if (c->s.language)
    clarifai_form_add_field (form, "language", c->s.language);
  if (c->s.select_classes)
    clarifai_form_add_field (form, "select_classes", c->s.select_classes);
  clarifai_form_finish (form);
  req->body = form;

  if (req->sent->len == 0)
    clarifai_request_finish (req, "CLIENT_ERROR", "no frame could be encoded");
  else
    attempt (req);
}
