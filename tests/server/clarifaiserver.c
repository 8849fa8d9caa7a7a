/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The local reference server: a test double of the Clarifai v2 and v1
 * APIs (docs/reference-server.md) that only listens on loopback.  This file
 * holds its life (a SoupServer on a thread of its own), its settings, the
 * records of what it saw, and the output helpers every endpoint uses.  The
 * endpoints are clarifaiserverv1.c and clarifaiserverv2.c, the tagger
 * clarifaiservertagger.c, the fault injection clarifaiserverfaults.c. */

#include "clarifaiserver-private.h"

#include <string.h>

#define DEFAULT_CLIENT_ID "test-client-id"
#define DEFAULT_CLIENT_SECRET "test-client-secret"

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

/* ---- records ---- */

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
  g_free (request->shape);
  g_free (request->prompt);
  g_free (request->method);
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
  copy->shape = g_strdup (r->shape);
  copy->prompt = g_strdup (r->prompt);
  copy->method = g_strdup (r->method);
  copy->max_tokens = r->max_tokens;
  copy->temperature = r->temperature;
  copy->client_port = r->client_port;
  copy->body_size = r->body_size;
  return copy;
}

/* ---- lifecycle ---- */

static void
issued_token_free (IssuedToken * t)
{
  g_free (t->token);
  g_free (t);
}

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
  srv->client_ports = g_hash_table_new (NULL, NULL);
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

/* The client's port: it names the connection. */
guint
clarifai_server_client_port (SoupServerMessage * msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (remote) ?
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)) : 0;
}

/* Counts connections: each has a client port of its own. */
static void
on_request_started (SoupServer * soup, SoupServerMessage * msg, gpointer data)
{
  ClarifaiServer *srv = data;
  guint port = clarifai_server_client_port (msg);

  if (port == 0)
    return;
  g_mutex_lock (&srv->lock);
  g_hash_table_add (srv->client_ports, GUINT_TO_POINTER (port));
  g_mutex_unlock (&srv->lock);
}

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
  soup_server_add_handler (srv->soup, "/v1", clarifai_server_handle_v1, srv,
      NULL);
  soup_server_add_handler (srv->soup, "/v2", clarifai_server_handle_v2, srv,
      NULL);
  g_signal_connect (srv->soup, "request-started",
      G_CALLBACK (on_request_started), srv);

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
  g_hash_table_unref (srv->client_ports);
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
 * clarifai_server_get_model_requests:
 *
 * Returns: how many v2 GETs of a model the server answered
 */
guint
clarifai_server_get_model_requests (ClarifaiServer * srv)
{
  guint n;

  g_mutex_lock (&srv->lock);
  n = srv->model_requests;
  g_mutex_unlock (&srv->lock);
  return n;
}

/**
 * clarifai_server_get_connections:
 *
 * Returns: how many connections have made requests so far
 */
guint
clarifai_server_get_connections (ClarifaiServer * srv)
{
  guint n;

  g_mutex_lock (&srv->lock);
  n = g_hash_table_size (srv->client_ports);
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
