/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The reference server's fault injection: the list of faults to apply,
 * and the broken answers that every endpoint shares (a closed connection,
 * a late answer, 503 text, broken or huge bodies).  Each endpoint gives
 * the faults that have a shape of its own their own answer
 * (clarifaiserverv1.c, clarifaiserverv2.c). */

#include "clarifaiserver-private.h"

#include <string.h>

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
  {CLARIFAI_SERVER_FAULT_TOKEN_SLOW, "token-slow"},
  {CLARIFAI_SERVER_FAULT_INFO_SLOW, "info-slow"},
  {CLARIFAI_SERVER_FAULT_BOXES_IN_PIXELS, "boxes-in-pixels"},
  {CLARIFAI_SERVER_FAULT_BOXES_OUT_OF_RANGE, "boxes-out-of-range"},
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

/* Which endpoint a fault is for. */
static ClarifaiServerEndpoint
fault_endpoint (ClarifaiServerFault fault)
{
  switch (fault) {
    case CLARIFAI_SERVER_FAULT_TOKEN_APP_INVALID:
    case CLARIFAI_SERVER_FAULT_TOKEN_SLOW:
      return CLARIFAI_SERVER_ENDPOINT_TOKEN;
    case CLARIFAI_SERVER_FAULT_INFO_SLOW:
      return CLARIFAI_SERVER_ENDPOINT_INFO;
    default:
      return CLARIFAI_SERVER_ENDPOINT_TAG;
  }
}

/* The next fault queued for @endpoint, counted as applied. */
ClarifaiServerFault
clarifai_server_take_fault (ClarifaiServer * srv,
    ClarifaiServerEndpoint endpoint, guint * param)
{
  ClarifaiServerFault fault = CLARIFAI_SERVER_FAULT_NONE;
  GList *l;

  g_mutex_lock (&srv->lock);
  for (l = srv->faults.head; l; l = l->next) {
    Fault *f = l->data;

    if (fault_endpoint (f->fault) != endpoint)
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

/* Answers a well-formed request with a broken answer: the faults whose
 * answer is the same in v1 and v2 (the others are each endpoint's). */
void
clarifai_server_break_answer (SoupServerMessage * msg,
    ClarifaiServerFault fault, guint param)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr (GBytes) whole = NULL;
  GString *huge;
  gsize len;

  switch (fault) {
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
      len = huge->len;
      soup_server_message_set_response (msg, "application/json",
          SOUP_MEMORY_TAKE, g_string_free (huge, FALSE), len);
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

/**
 * clarifai_server_apply_fault:
 * @delay_ms: the server's delay, read before the request was recorded
 * @break_answer: the endpoint's own broken answers (which fall back on
 *   clarifai_server_break_answer())
 *
 * Turns the answer an endpoint made into the one @fault asks for: the
 * connection closed half-way, a broken answer, or the answer late.
 */
void
clarifai_server_apply_fault (ClarifaiServer * srv, SoupServerMessage * msg,
    ClarifaiServerFault fault, guint param, guint delay_ms,
    ClarifaiServerBreakFunc break_answer)
{
  if (fault == CLARIFAI_SERVER_FAULT_CLOSE) {
    clarifai_server_close_mid_answer (msg);
    return;
  }
  break_answer (msg, fault, param);
  if (fault == CLARIFAI_SERVER_FAULT_SLOW)
    delay_ms = param;
  if (delay_ms)
    clarifai_server_delay_answer (srv, msg, delay_ms);
}
