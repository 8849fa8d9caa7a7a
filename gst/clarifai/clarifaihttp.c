/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The transport: sends a ClarifaiHttpRequest with libsoup and reads the
 * whole answer with a size cap and a timeout.  It knows nothing of the API:
 * dialects describe requests and read answers, the client decides what to
 * do with them.  The only file of the plugin that includes libsoup.  Runs
 * on the thread whose thread-default context was current at
 * clarifai_http_new(). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifaihttp.h"
#include "clarifaitime.h"

#include <libsoup/soup.h>
#include <string.h>

#define READ_CHUNK 65536
/* A TLS handshake takes a round trip or two; one that gets no answer for
 * this long is with a server that does not speak TLS (https:// to a plain
 * http:// port), which would otherwise hold the request for its whole
 * timeout. */
#define HANDSHAKE_TIMEOUT_US (5 * G_USEC_PER_SEC)

struct _ClarifaiHttp
{
  SoupSession *session;
  GMainContext *context;
  gint64 timeout_us;
};

typedef struct
{
  ClarifaiHttp *http;
  SoupMessage *msg;
  GCancellable *cancellable;    /* ours: the caller's, or the timeout */
  GCancellable *caller;
  gulong caller_handler;
  GSource *timer;
  GSource *handshake_timer;
  GInputStream *answer;
  GByteArray *received;
  gboolean timed_out;
  gboolean handshake_timed_out;
  ClarifaiHttpDoneFunc done;
  gpointer user_data;
} Op;

/**
 * clarifai_http_new:
 * @max_conns: connections kept to the service at most
 * @timeout_us: the longest one exchange may take, answer read included
 * @tls_database: (nullable): the authorities to trust; NULL: the system's
 */
ClarifaiHttp *
clarifai_http_new (guint max_conns, gint64 timeout_us,
    GTlsDatabase * tls_database)
{
  ClarifaiHttp *http = g_new0 (ClarifaiHttp, 1);
  guint timeout_s = (guint) MIN ((timeout_us + G_USEC_PER_SEC - 1) /
      G_USEC_PER_SEC, G_MAXUINT);

  http->session = soup_session_new_with_options ("user-agent",
      "clarifaitag/" PACKAGE_VERSION " ", "max-conns", max_conns,
      "max-conns-per-host", max_conns, "timeout", timeout_s,
      "tls-database", tls_database, NULL);
  http->context = g_main_context_ref_thread_default ();
  http->timeout_us = timeout_us;
  return http;
}

void
clarifai_http_free (ClarifaiHttp * http)
{
  if (http == NULL)
    return;
  soup_session_abort (http->session);
  g_object_unref (http->session);
  g_main_context_unref (http->context);
  g_free (http);
}

static SoupMessage *
message_new (const ClarifaiHttpRequest * request)
{
  SoupMessage *msg = soup_message_new_from_uri (request->method,
      request->uri);

  /* libsoup opens a new connection for every POST unless told that it may
   * be sent again: a prediction changes nothing on the service, and a
   * request lost on a connection the service had just closed is retried
   * like any other.  Without it, every request paid a TCP and TLS
   * handshake, and each element kept up to max-in-flight + 2 idle
   * connections open (B6). */
  soup_message_set_flags (msg, SOUP_MESSAGE_IDEMPOTENT);

  if (request->body) {
    GInputStream *stream = g_memory_input_stream_new ();
    guint i;

    for (i = 0; i < request->body->len; i++)
      g_memory_input_stream_add_bytes (G_MEMORY_INPUT_STREAM (stream),
          g_ptr_array_index (request->body, i));
    soup_message_set_request_body (msg, request->content_type, stream,
        request->body_length);
    g_object_unref (stream);
  }
  /* libsoup keeps its own copy of the header value. */
  if (request->authorization)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
        "Authorization", request->authorization);
  return msg;
}

static void
add_header (const char *name, const char *value, gpointer table)
{
  g_hash_table_replace (table, g_ascii_strdown (name, -1), g_strdup (value));
}

/* Retry-After is seconds or an HTTP date (RFC 9110 10.2.3). */
static gint64
retry_after_us (SoupMessageHeaders * headers)
{
  const gchar *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) now = NULL;
  gchar *end;
  guint64 seconds;

  if (value == NULL)
    return -1;
  if (g_ascii_isdigit (*value)) {
    seconds = g_ascii_strtoull (value, &end, 10);
    if (*end == '\0' && seconds <= 24 * 3600)
      return (gint64) seconds *G_USEC_PER_SEC;
    return -1;
  }
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (g_date_time_difference (when, now), 0);
}

static void
deliver (SoupMessage * msg, GBytes * body, const GError * error,
    ClarifaiHttpDoneFunc done, gpointer user_data)
{
  ClarifaiHttpAnswer answer = { 0, };
  SoupMessageHeaders *headers;
  g_autoptr (GHashTable) table = NULL;

  if (error) {
    done (NULL, error, user_data);
    return;
  }
  headers = soup_message_get_response_headers (msg);
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_message_headers_foreach (headers, add_header, table);
  answer.status = soup_message_get_status (msg);
  answer.reason = soup_message_get_reason_phrase (msg);
  answer.headers = table;
  answer.retry_after_us = retry_after_us (headers);
  answer.data = g_bytes_get_data (body, &answer.len);
  done (&answer, NULL, user_data);
}

static GError *
too_large (void)
{
  return g_error_new (CLARIFAI_HTTP_ERROR, CLARIFAI_HTTP_ERROR_TOO_LARGE,
      "the answer is larger than %u bytes", CLARIFAI_HTTP_MAX_ANSWER_BYTES);
}

/* A libsoup or GIO error in the transport's terms. */
static GError *
transport_error (const GError * err, gboolean timed_out, gint64 timeout_us)
{
  if (timed_out)
    return g_error_new (CLARIFAI_HTTP_ERROR, CLARIFAI_HTTP_ERROR_TIMED_OUT,
        "no answer within %" G_GINT64_FORMAT " ms", timeout_us / 1000);
  if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || err->domain == CLARIFAI_HTTP_ERROR)
    return g_error_copy (err);
  return g_error_new (CLARIFAI_HTTP_ERROR, err->domain == G_TLS_ERROR ?
      CLARIFAI_HTTP_ERROR_TLS : CLARIFAI_HTTP_ERROR_NETWORK, "%s",
      err->message);
}

/* ---- asynchronous ---- */

static void
op_finish (Op * op, GBytes * body, const GError * err)
{
  g_autoptr (GError) error = NULL;

  if (err && op->handshake_timed_out) {
    g_autofree gchar *host = g_uri_to_string_partial (soup_message_get_uri
        (op->msg), G_URI_HIDE_USERINFO | G_URI_HIDE_PASSWORD |
        G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);

    error = g_error_new (CLARIFAI_HTTP_ERROR, CLARIFAI_HTTP_ERROR_NETWORK,
        "TLS handshake failed: %s gave no TLS answer within %" G_GINT64_FORMAT
        " ms; is it an http:// server?", host, MIN (HANDSHAKE_TIMEOUT_US,
            op->http->timeout_us) / 1000);
  } else if (err) {
    error = transport_error (err, op->timed_out, op->http->timeout_us);
  }
  if (op->caller)
    g_cancellable_disconnect (op->caller, op->caller_handler);
  clarifai_source_clear (&op->timer);
  clarifai_source_clear (&op->handshake_timer);
  g_signal_handlers_disconnect_by_data (op->msg, op);
  deliver (op->msg, body, error, op->done, op->user_data);
  g_clear_object (&op->caller);
  g_object_unref (op->cancellable);
  g_object_unref (op->msg);
  g_clear_object (&op->answer);
  g_clear_pointer (&op->received, g_byte_array_unref);
  g_free (op);
}

static void
on_read (GObject * source, GAsyncResult * res, gpointer data)
{
  Op *op = data;
  g_autoptr (GError) err = NULL;
  g_autoptr (GBytes) chunk = g_input_stream_read_bytes_finish
      (G_INPUT_STREAM (source), res, &err);
  g_autoptr (GBytes) body = NULL;

  if (chunk == NULL) {
    op_finish (op, NULL, err);
    return;
  }
  if (g_bytes_get_size (chunk) == 0) {
    body = g_byte_array_free_to_bytes (g_steal_pointer (&op->received));
    op_finish (op, body, NULL);
    return;
  }
  g_byte_array_append (op->received, g_bytes_get_data (chunk, NULL),
      g_bytes_get_size (chunk));
  if (op->received->len > CLARIFAI_HTTP_MAX_ANSWER_BYTES) {
    g_autoptr (GError) large = too_large ();

    op_finish (op, NULL, large);
    return;
  }
  g_input_stream_read_bytes_async (op->answer, READ_CHUNK,
      G_PRIORITY_DEFAULT, op->cancellable, on_read, op);
}

static void
on_headers (GObject * source, GAsyncResult * res, gpointer data)
{
  Op *op = data;
  g_autoptr (GError) err = NULL;

  op->answer = soup_session_send_finish (SOUP_SESSION (source), res, &err);
  if (op->answer == NULL) {
    op_finish (op, NULL, err);
    return;
  }
  if (soup_message_headers_get_content_length
      (soup_message_get_response_headers (op->msg)) >
      CLARIFAI_HTTP_MAX_ANSWER_BYTES) {
    g_autoptr (GError) large = too_large ();

    op_finish (op, NULL, large);
    return;
  }
  op->received = g_byte_array_new ();
  g_input_stream_read_bytes_async (op->answer, READ_CHUNK,
      G_PRIORITY_DEFAULT, op->cancellable, on_read, op);
}

/* The exchange's timeout, or its TLS handshake's. */
static gboolean
on_timeout (gpointer data)
{
  Op *op = data;

  if (g_main_current_source () == op->handshake_timer)
    op->handshake_timed_out = TRUE;
  else
    op->timed_out = TRUE;
  g_cancellable_cancel (op->cancellable);
  return G_SOURCE_REMOVE;
}

/* The connection's steps: a TLS handshake gets a deadline of its own. */
static void
on_network_event (SoupMessage * msg, GSocketClientEvent event,
    GIOStream * connection, gpointer data)
{
  Op *op = data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && op->handshake_timer == NULL) {
    op->handshake_timer = clarifai_timeout_source_new (MIN
        (HANDSHAKE_TIMEOUT_US, op->http->timeout_us));
    g_source_set_callback (op->handshake_timer, on_timeout, op, NULL);
    g_source_attach (op->handshake_timer, op->http->context);
  } else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED) {
    clarifai_source_clear (&op->handshake_timer);
  }
}

/* May run on any thread: the one that cancels the caller's cancellable. */
static void
on_caller_cancelled (GCancellable * caller, gpointer data)
{
  g_cancellable_cancel (data);
}

/**
 * clarifai_http_send_async:
 * @cancellable: (nullable): cancels the exchange from any thread
 * @done: called once, on the transport's thread, with the whole answer or
 *   an error: %CLARIFAI_HTTP_ERROR or %G_IO_ERROR_CANCELLED
 */
void
clarifai_http_send_async (ClarifaiHttp * http,
    const ClarifaiHttpRequest * request, GCancellable * cancellable,
    ClarifaiHttpDoneFunc done, gpointer user_data)
{
  Op *op = g_new0 (Op, 1);

  op->http = http;
  op->msg = message_new (request);
  op->cancellable = g_cancellable_new ();
  op->done = done;
  op->user_data = user_data;
  if (cancellable) {
    op->caller = g_object_ref (cancellable);
    op->caller_handler = g_cancellable_connect (cancellable,
        G_CALLBACK (on_caller_cancelled), op->cancellable, NULL);
  }
  op->timer = clarifai_timeout_source_new (http->timeout_us);
  g_source_set_callback (op->timer, on_timeout, op, NULL);
  g_source_attach (op->timer, http->context);
  g_signal_connect (op->msg, "network-event", G_CALLBACK (on_network_event),
      op);
  soup_session_send_async (http->session, op->msg, G_PRIORITY_DEFAULT,
      op->cancellable, on_headers, op);
}

/* ---- blocking ---- */

/**
 * clarifai_http_send_sync:
 *
 * Sends and reads the answer before returning; @done is called before it
 * returns.  The session's I/O timeout bounds each wait.
 */
void
clarifai_http_send_sync (ClarifaiHttp * http,
    const ClarifaiHttpRequest * request, GCancellable * cancellable,
    ClarifaiHttpDoneFunc done, gpointer user_data)
{
  g_autoptr (SoupMessage) msg = message_new (request);
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GByteArray) received = g_byte_array_new ();
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) err = NULL;
  g_autoptr (GError) error = NULL;

  stream = soup_session_send (http->session, msg, cancellable, &err);
  while (stream) {
    g_autoptr (GBytes) chunk = g_input_stream_read_bytes (stream, READ_CHUNK,
        cancellable, &err);

    if (chunk == NULL || g_bytes_get_size (chunk) == 0)
      break;
    g_byte_array_append (received, g_bytes_get_data (chunk, NULL),
        g_bytes_get_size (chunk));
    if (received->len > CLARIFAI_HTTP_MAX_ANSWER_BYTES) {
      err = too_large ();
      break;
    }
  }
  if (err)
    error = transport_error (err, FALSE, http->timeout_us);
  else
    body = g_byte_array_free_to_bytes (g_steal_pointer (&received));
  deliver (msg, body, error, done, user_data);
}

static void
exchange_done (const ClarifaiHttpAnswer * answer, const GError * error,
    gpointer data)
{
  ClarifaiExchange *x = data;

  if (error) {
    x->error = g_error_copy (error);
    return;
  }
  x->status = answer->status;
  x->reason = g_strdup (answer->reason);
  x->body = g_bytes_new (answer->data, answer->len);
}

/**
 * clarifai_http_exchange:
 *
 * Sends @request and waits for its answer, for the dialects' exchanges
 * that run on a thread of their own (v1's token and limits, v2's model
 * probe).
 */
void
clarifai_http_exchange (ClarifaiHttp * http,
    const ClarifaiHttpRequest * request, GCancellable * cancellable,
    ClarifaiExchange * exchange)
{
  clarifai_http_send_sync (http, request, cancellable, exchange_done, exchange);
}

void
clarifai_exchange_clear (ClarifaiExchange * exchange)
{
  g_free (exchange->reason);
  if (exchange->body)
    g_bytes_unref (exchange->body);
  g_clear_error (&exchange->error);
}
