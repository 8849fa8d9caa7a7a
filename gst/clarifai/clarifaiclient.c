/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The HTTP side of the element: a worker thread with its own GMainContext
 * and SoupSession that groups queued frames into batches, encodes them,
 * posts them to /v1/tag/ and hands each frame's outcome back.
 *
 * Threads: the streaming thread pushes frames; flushes, the EOS drain and
 * shutdown may abandon work from any thread.  Everything shared lives under
 * client->lock, and a frame is completed under that lock exactly once, by
 * whichever thread gets there first; the outcome is delivered outside the
 * lock.  libsoup objects and timers are only touched on the worker thread.
 * One request's exchanges with the service are in clarifairequest.c; these
 * two files, through clarifaiclient-private.h, are the only ones of the
 * plugin that include libsoup. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifaiclient-private.h"

#include <string.h>

GST_DEBUG_CATEGORY (clarifai_client_debug);
#define GST_CAT_DEFAULT clarifai_client_debug

/* Spelled out: gst-indent would put spaces into G_DEFINE_QUARK's string. */
GQuark
clarifai_client_error_quark (void)
{
  return g_quark_from_static_string ("clarifai-client-error-quark");
}

static gboolean pump (gpointer data);

/* Stops a timer of the worker's and forgets it. */
void
clarifai_source_clear (GSource ** source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

ClarifaiFrame *
clarifai_frame_new (void)
{
  ClarifaiFrame *frame = g_new0 (ClarifaiFrame, 1);

  frame->pts = frame->duration = GST_CLOCK_TIME_NONE;
  frame->running_time = frame->stream_time = GST_CLOCK_TIME_NONE;
  return frame;
}

void
clarifai_frame_free (ClarifaiFrame * frame)
{
  if (frame == NULL)
    return;
  clarifai_image_free (frame->image);
  if (frame->jpeg)
    g_bytes_unref (frame->jpeg);
  g_free (frame);
}

gchar *
clarifai_frame_local_id (const ClarifaiFrame * frame)
{
  return g_strdup_printf ("frame-%" G_GUINT64_FORMAT, frame->sample_id);
}

/* ---- completions ---- */

static void
completion_free (ClarifaiCompletion * done)
{
  g_free (done->status);
  g_free (done->status_msg);
  g_free (done->docid);
  g_free (done->model);
  if (done->item) {
    g_ptr_array_unref (done->item->classes);
    g_array_unref (done->item->probs);
    g_ptr_array_unref (done->item->concept_ids);
    g_free (done->item);
  }
  g_free (done);
}

static ClarifaiCompletion *
completion_new (const ClarifaiFrame * frame, const gchar * status,
    const gchar * status_msg)
{
  ClarifaiCompletion *done = g_new0 (ClarifaiCompletion, 1);

  /* Field by field: the worker may be replacing the payload of this very
   * frame while another thread abandons it. */
  done->frame.sample_id = frame->sample_id;
  done->frame.epoch = frame->epoch;
  done->frame.pts = frame->pts;
  done->frame.duration = frame->duration;
  done->frame.running_time = frame->running_time;
  done->frame.stream_time = frame->stream_time;
  done->frame.sampled_at = frame->sampled_at;
  done->known_at = g_get_monotonic_time ();
  done->status = g_strdup (status);
  done->status_msg = g_strdup (status_msg ? status_msg : "");
  done->docid = g_strdup ("");
  done->model = g_strdup ("");
  return done;
}

static void
emit (ClarifaiClient * c, ClarifaiCompletion * done)
{
  ClarifaiResult result = { 0, };

  result.frame = &done->frame;
  result.status = done->status;
  result.status_msg = done->status_msg;
  result.docid = done->docid;
  result.model = done->model;
  if (done->item) {
    result.classes = done->item->classes;
    result.probs = done->item->probs;
    result.concept_ids = done->item->concept_ids;
  }
  result.latency = (done->known_at - done->frame.sampled_at) * GST_USECOND;
  c->on_result (&result, c->user_data);
}

/* Hands outcomes to the element in sampling order, whichever thread or
 * request completed them, so that the bus shows sample-id 0, 1, 2 ...; an
 * outcome waits at most until every earlier frame has its own, which the
 * timeout and retry settings bound.  Latency is measured when the result
 * was known, not when its turn came. */
void
clarifai_client_deliver (ClarifaiClient * c, GQueue * completions)
{
  ClarifaiCompletion *done;

  g_mutex_lock (&c->deliver_lock);
  while ((done = g_queue_pop_head (completions)))
    g_hash_table_insert (c->ready, &done->frame.sample_id, done);
  while ((done = g_hash_table_lookup (c->ready, &c->next_sample_id))) {
    g_hash_table_steal (c->ready, &c->next_sample_id);
    c->next_sample_id++;
    emit (c, done);
    completion_free (done);
  }
  g_mutex_unlock (&c->deliver_lock);
}

/* Takes the frame out of a request's care.  Called with the lock held.
 * Returns NULL if another thread completed it already. */
ClarifaiCompletion *
clarifai_client_complete_locked (ClarifaiRequest * req, guint i,
    const gchar * status, const gchar * status_msg)
{
  if (req->done[i])
    return NULL;
  req->done[i] = TRUE;
  return completion_new (g_ptr_array_index (req->frames, i), status,
      status_msg);
}

static void run_on_worker (ClarifaiClient * c, GSourceFunc func);

void
clarifai_client_wake_locked (ClarifaiClient * c)
{
  if (c->wake_pending || c->stopping)
    return;
  c->wake_pending = TRUE;
  run_on_worker (c, pump);
}

/* Not g_main_context_invoke(): that runs the function right here when the
 * worker does not hold its context at this moment. */
static void
run_on_worker (ClarifaiClient * c, GSourceFunc func)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, func, c, NULL);
  g_source_attach (source, c->context);
  g_source_unref (source);
}

static void
wake (ClarifaiClient * c)
{
  g_mutex_lock (&c->lock);
  clarifai_client_wake_locked (c);
  g_mutex_unlock (&c->lock);
}

/* ---- the worker ---- */

static guint
batch_size_locked (ClarifaiClient * c)
{
  if (c->info.max_batch_size && c->info.max_batch_size < c->s.batch_size)
    return c->info.max_batch_size;
  return c->s.batch_size;
}

static gboolean
on_batch_timer (gpointer data)
{
  ClarifaiClient *c = data;

  g_clear_pointer (&c->batch_timer, g_source_unref);
  return pump (c);
}

static void
arm_batch_timer (ClarifaiClient * c, gint64 deadline)
{
  gint64 delay = deadline - g_get_monotonic_time ();

  clarifai_source_clear (&c->batch_timer);
  c->batch_timer = g_timeout_source_new (MAX (delay, 0) / 1000 + 1);
  g_source_set_callback (c->batch_timer, on_batch_timer, c, NULL);
  g_source_attach (c->batch_timer, c->context);
}

/* Forms the batches that are due.  Called with the lock held. */
static GPtrArray *
take_batches_locked (ClarifaiClient * c)
{
  GPtrArray *batches = g_ptr_array_new ();
  gint64 now = g_get_monotonic_time ();
  gint64 throttled_until = clarifai_token_manager_get_throttled_until
      (c->tokens);

  while (g_queue_get_length (&c->queue) > 0
      && g_list_length (c->requests) < c->s.max_in_flight) {
    ClarifaiFrame *head = g_queue_peek_head (&c->queue);
    gint64 due = head->sampled_at + c->s.batch_timeout / GST_USECOND;
    guint n = batch_size_locked (c);
    ClarifaiRequest *req;

    if (now < throttled_until) {
      arm_batch_timer (c, throttled_until);
      break;
    }
    if (g_queue_get_length (&c->queue) < n && !c->draining && now < due) {
      arm_batch_timer (c, due);
      break;
    }
    n = MIN (n, g_queue_get_length (&c->queue));
    req = clarifai_request_new (c, n);
    while (n--)
      g_ptr_array_add (req->frames, g_queue_pop_head (&c->queue));
    c->requests = g_list_append (c->requests, req);
    g_ptr_array_add (batches, req);
  }
  return batches;
}

static gboolean
pump (gpointer data)
{
  ClarifaiClient *c = data;
  GQueue failures = G_QUEUE_INIT;
  GPtrArray *batches = NULL;
  gboolean want_info;
  ClarifaiFrame *frame;
  guint i;

  g_mutex_lock (&c->lock);
  c->wake_pending = FALSE;
  want_info = !c->info_known && c->fatal_status == NULL
      && c->requests == NULL && g_get_monotonic_time () >= c->info_next_try;
  g_mutex_unlock (&c->lock);

  /* At start this checks the credentials and reads the limits before any
   * frame goes up. */
  if (want_info)
    clarifai_client_fetch_info (c);

  g_mutex_lock (&c->lock);
  if (c->stopping) {
    g_mutex_unlock (&c->lock);
    return G_SOURCE_REMOVE;
  }
  if (c->fatal_status) {
    while ((frame = g_queue_pop_head (&c->queue))) {
      g_queue_push_tail (&failures, completion_new (frame, c->fatal_status,
              c->fatal_msg));
      clarifai_frame_free (frame);
    }
  } else {
    batches = take_batches_locked (c);
  }
  g_mutex_unlock (&c->lock);

  clarifai_client_deliver (c, &failures);
  if (batches) {
    for (i = 0; i < batches->len; i++)
      clarifai_request_start (g_ptr_array_index (batches, i));
    g_ptr_array_unref (batches);
  }
  return G_SOURCE_REMOVE;
}

/* Runs on the worker after an abandon: stops the I/O of abandoned
 * requests; their frames were completed by the abandoning thread. */
static gboolean
reap_abandoned (gpointer data)
{
  ClarifaiClient *c = data;
  GList *l, *abandoned = NULL;

  g_mutex_lock (&c->lock);
  for (l = c->requests; l; l = l->next) {
    ClarifaiRequest *req = l->data;

    if (req->abandoned)
      abandoned = g_list_prepend (abandoned, req);
  }
  g_mutex_unlock (&c->lock);

  for (l = abandoned; l; l = l->next) {
    ClarifaiRequest *req = l->data;

    if (req->op_pending)
      g_cancellable_cancel (req->cancellable);
    else
      clarifai_request_finish (req, "DROPPED", "abandoned");
  }
  g_list_free (abandoned);
  return G_SOURCE_REMOVE;
}

static gboolean
quit_loop (gpointer data)
{
  ClarifaiClient *c = data;

  g_main_loop_quit (c->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
worker (gpointer data)
{
  ClarifaiClient *c = data;
  guint conns = c->s.max_in_flight + 2;
  guint timeout_s = (guint) ((c->s.timeout + GST_SECOND - 1) / GST_SECOND);

  g_main_context_push_thread_default (c->context);
  c->session = soup_session_new_with_options ("user-agent",
      "clarifaitag/" PACKAGE_VERSION " ", "max-conns", conns,
      "max-conns-per-host", conns, "timeout", timeout_s,
      "tls-database", c->tls_database, NULL);
  c->encoder = clarifai_encoder_new ();

  g_main_loop_run (c->loop);

  /* Shutting down: everything was abandoned; wait for libsoup to hand
   * back the cancelled requests. */
  reap_abandoned (c);
  while (c->requests)
    g_main_context_iteration (c->context, TRUE);
  clarifai_source_clear (&c->batch_timer);
  soup_session_abort (c->session);
  g_clear_object (&c->session);
  clarifai_encoder_free (c->encoder);
  g_main_context_pop_thread_default (c->context);
  return NULL;
}

/* ---- public API ---- */

static gboolean
host_is_loopback (const gchar * host)
{
  g_autoptr (GInetAddress) addr = NULL;
  g_autofree gchar *bare = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* GUri keeps the brackets of an IPv6 literal. */
  bare = g_strndup (host + (host[0] == '['), strlen (host) -
      (host[0] == '[') * 2);
  addr = g_inet_address_new_from_string (bare);
  return addr && g_inet_address_get_is_loopback (addr);
}

/**
 * clarifai_client_check_url:
 * @allow_insecure: whether credentials may go over plain http:// to a host
 *   other than loopback
 *
 * Returns: %TRUE if @api_url is an absolute http or https URL with a host,
 * and not a plain http:// one to another machine unless that is allowed.
 */
gboolean
clarifai_client_check_url (const gchar * api_url, gboolean allow_insecure,
    GError ** error)
{
  g_autoptr (GUri) uri = NULL;
  const gchar *scheme, *host;

  if (api_url == NULL || *api_url == '\0') {
    g_set_error_literal (error, CLARIFAI_CLIENT_ERROR,
        CLARIFAI_CLIENT_ERROR_SETTINGS, "api-url is empty");
    return FALSE;
  }
  uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  host = uri ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || (g_ascii_strcasecmp (scheme, "http") != 0
          && g_ascii_strcasecmp (scheme, "https") != 0)
      || host == NULL || *host == '\0') {
    g_set_error (error, CLARIFAI_CLIENT_ERROR, CLARIFAI_CLIENT_ERROR_SETTINGS,
        "api-url \"%s\" is not an http:// or https:// URL with a host",
        api_url);
    return FALSE;
  }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !allow_insecure
      && !host_is_loopback (host)) {
    g_set_error (error, CLARIFAI_CLIENT_ERROR, CLARIFAI_CLIENT_ERROR_SETTINGS,
        "api-url \"%s\" is plain http:// to a host other than loopback: "
        "credentials would cross the network unencrypted. Use https://, or "
        "set allow-insecure-http=true to accept that", api_url);
    return FALSE;
  }
  return TRUE;
}

static GUri *
endpoint (const gchar * api_url, const gchar * path)
{
  gsize n = strlen (api_url);
  g_autofree gchar *s = NULL;

  while (n > 0 && api_url[n - 1] == '/')
    n--;
  s = g_strdup_printf ("%.*s%s", (int) n, api_url, path);
  return g_uri_parse (s, G_URI_FLAGS_ENCODED, NULL);
}

static void
settings_copy (ClarifaiClientSettings * dst, const ClarifaiClientSettings * src)
{
  *dst = *src;
  dst->api_url = g_strdup (src->api_url);
  dst->client_id = g_strdup (src->client_id);
  dst->client_secret = NULL;
  dst->access_token = NULL;
  dst->model = g_strdup (src->model);
  dst->language = g_strdup (src->language);
  dst->select_classes = g_strdup (src->select_classes);
  dst->ca_file = g_strdup (src->ca_file);
  dst->batch_size = MAX (dst->batch_size, 1);
  dst->max_in_flight = MAX (dst->max_in_flight, 1);
  dst->queue_size = MAX (dst->queue_size, 1);
}

/**
 * clarifai_client_new:
 * @settings: credentials must be resolved: an access token, or a client id
 *   and secret
 * @on_result: called once per frame, in sample-id order, from any of the
 *   client's callers' threads or the worker; the sample-ids of the frames
 *   given to the client must be 0, 1, 2 ..., each given by
 *   clarifai_client_push() or clarifai_client_fail()
 * @on_event: credentials rejected, outage begins, service back
 *
 * Starts the worker, which checks the credentials and reads /v1/info/ at
 * once, without waiting for a frame.
 */
ClarifaiClient *
clarifai_client_new (const ClarifaiClientSettings * settings,
    ClarifaiStats * stats, ClarifaiResultFunc on_result,
    ClarifaiEventFunc on_event, gpointer user_data, GError ** error)
{
  ClarifaiClient *c;
  GTlsDatabase *tls_database = NULL;
  static gsize debug_init = 0;

  if (g_once_init_enter (&debug_init)) {
    GST_DEBUG_CATEGORY_INIT (clarifai_client_debug, "clarifaiclient", 0,
        "Clarifai HTTP client");
    g_once_init_leave (&debug_init, 1);
  }

  if (!clarifai_client_check_url (settings->api_url,
          settings->allow_insecure_http, error))
    return NULL;
  if (settings->access_token == NULL && (settings->client_id == NULL
          || settings->client_secret == NULL)) {
    g_set_error_literal (error, CLARIFAI_CLIENT_ERROR,
        CLARIFAI_CLIENT_ERROR_SETTINGS, "no credentials");
    return NULL;
  }

  if (settings->ca_file) {
    g_autoptr (GError) err = NULL;

    tls_database = g_tls_file_database_new (settings->ca_file, &err);
    if (tls_database == NULL) {
      g_set_error (error, CLARIFAI_CLIENT_ERROR,
          CLARIFAI_CLIENT_ERROR_SETTINGS, "ca-file \"%s\" cannot be used: "
          "%s", settings->ca_file, err->message);
      return NULL;
    }
  }

  c = g_new0 (ClarifaiClient, 1);
  c->tls_database = tls_database;
  settings_copy (&c->s, settings);
  c->stats = stats;
  c->on_result = on_result;
  c->on_event = on_event;
  c->user_data = user_data;
  c->tag_uri = endpoint (settings->api_url, "/v1/tag/");
  c->token_uri = endpoint (settings->api_url, "/v1/token/");
  c->info_uri = endpoint (settings->api_url, "/v1/info/");
  if (settings->access_token)
    c->tokens = clarifai_token_manager_new_static (settings->access_token);
  else
    c->tokens = clarifai_token_manager_get_shared (settings->api_url,
        settings->client_id, settings->client_secret);
  c->shutdown = g_cancellable_new ();
  g_mutex_init (&c->lock);
  g_mutex_init (&c->deliver_lock);
  c->ready = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
      (GDestroyNotify) completion_free);
  g_queue_init (&c->queue);
  c->context = g_main_context_new ();
  c->loop = g_main_loop_new (c->context, FALSE);
  c->thread = g_thread_new ("clarifai-client", worker, c);
  wake (c);
  return c;
}

/**
 * clarifai_client_abandon:
 *
 * Completes every queued and in-flight frame now with @status, from the
 * calling thread; their requests are cancelled on the worker.
 */
void
clarifai_client_abandon (ClarifaiClient * c, const gchar * status,
    const gchar * status_msg)
{
  GQueue completions = G_QUEUE_INIT;
  ClarifaiFrame *frame;
  GList *l;
  guint i;

  g_mutex_lock (&c->lock);
  while ((frame = g_queue_pop_head (&c->queue))) {
    g_queue_push_tail (&completions, completion_new (frame, status,
            status_msg));
    clarifai_frame_free (frame);
  }
  for (l = c->requests; l; l = l->next) {
    ClarifaiRequest *req = l->data;

    req->abandoned = TRUE;
    for (i = 0; i < req->frames->len; i++) {
      ClarifaiCompletion *done =
          clarifai_client_complete_locked (req, i, status, status_msg);

      if (done)
        g_queue_push_tail (&completions, done);
    }
  }
  if (c->requests && !c->stopping)
    run_on_worker (c, reap_abandoned);
  g_mutex_unlock (&c->lock);

  clarifai_client_deliver (c, &completions);
}

void
clarifai_client_free (ClarifaiClient * c)
{
  if (c == NULL)
    return;
  clarifai_client_abandon (c, "DROPPED", "element stopped");
  g_mutex_lock (&c->lock);
  c->stopping = TRUE;
  g_mutex_unlock (&c->lock);
  g_cancellable_cancel (c->shutdown);
  run_on_worker (c, quit_loop);
  g_thread_join (c->thread);

  g_main_loop_unref (c->loop);
  g_main_context_unref (c->context);
  g_object_unref (c->shutdown);
  g_clear_object (&c->tls_database);
  clarifai_token_manager_unref (c->tokens);
  g_uri_unref (c->tag_uri);
  g_uri_unref (c->token_uri);
  g_uri_unref (c->info_uri);
  g_mutex_clear (&c->lock);
  g_mutex_clear (&c->deliver_lock);
  g_hash_table_unref (c->ready);
  g_free (c->fatal_status);
  g_free (c->fatal_msg);
  g_free (c->s.api_url);
  g_free (c->s.client_id);
  g_free (c->s.model);
  g_free (c->s.language);
  g_free (c->s.select_classes);
  g_free (c->s.ca_file);
  g_free (c);
}

/**
 * clarifai_client_push:
 * @frame: (transfer full): a sampled frame, counted in the stats already
 *
 * Queues a frame without blocking.  When the queue is full the oldest
 * waiting frame is completed as DROPPED.
 */
void
clarifai_client_push (ClarifaiClient * c, ClarifaiFrame * frame)
{
  GQueue completions = G_QUEUE_INIT;

  g_mutex_lock (&c->lock);
  if (c->fatal_status) {
    g_queue_push_tail (&completions, completion_new (frame, c->fatal_status,
            c->fatal_msg));
    clarifai_frame_free (frame);
  } else {
    g_queue_push_tail (&c->queue, frame);
    while (g_queue_get_length (&c->queue) > c->s.queue_size) {
      g_autofree gchar *why = g_strdup_printf ("queue full (queue-size %u)",
          c->s.queue_size);
      ClarifaiFrame *oldest = g_queue_pop_head (&c->queue);

      g_queue_push_tail (&completions, completion_new (oldest, "DROPPED", why));
      clarifai_frame_free (oldest);
    }
    clarifai_client_wake_locked (c);
  }
  g_mutex_unlock (&c->lock);
  clarifai_client_deliver (c, &completions);
}

/**
 * clarifai_client_fail:
 * @frame: (transfer full): a sampled frame that cannot be sent
 *
 * Completes @frame at once, in the calling thread.
 */
void
clarifai_client_fail (ClarifaiClient * c, ClarifaiFrame * frame,
    const gchar * status, const gchar * status_msg)
{
  GQueue completions = G_QUEUE_INIT;

  g_queue_push_tail (&completions, completion_new (frame, status, status_msg));
  clarifai_frame_free (frame);
  clarifai_client_deliver (c, &completions);
}

/**
 * clarifai_client_get_limits:
 *
 * The size limits for uploads as known now: `max-size`, narrowed by the
 * service's /v1/info/ once it has been read.
 */
void
clarifai_client_get_limits (ClarifaiClient * c, ClarifaiSizeLimits * limits)
{
  g_mutex_lock (&c->lock);
  limits->max_side = c->s.max_size;
  if (c->info.max_image_size && (limits->max_side == 0
          || c->info.max_image_size < limits->max_side))
    limits->max_side = c->info.max_image_size;
  limits->min_side = c->info.min_image_size;
  limits->max_bytes = c->info.max_image_bytes;
  g_mutex_unlock (&c->lock);
}

/**
 * clarifai_client_drain:
 *
 * Sends what is queued without waiting for batches to fill, until
 * clarifai_client_resume().
 */
void
clarifai_client_drain (ClarifaiClient * c)
{
  g_mutex_lock (&c->lock);
  c->draining = TRUE;
  clarifai_client_wake_locked (c);
  g_mutex_unlock (&c->lock);
}

void
clarifai_client_resume (ClarifaiClient * c)
{
  g_mutex_lock (&c->lock);
  c->draining = FALSE;
  g_mutex_unlock (&c->lock);
}

/**
 * clarifai_client_get_drain_bound:
 *
 * How long the work pending now can take at most under the timeout and
 * retry settings: every round of requests may use all its attempts, each a
 * full timeout, with the longest backoff between them; plus one timeout for
 * a token fetch.  A throttling wait longer than that is not waited out.
 */
GstClockTime
clarifai_client_get_drain_bound (ClarifaiClient * c)
{
  guint64 frames = 0, per_round, rounds;
  GList *l;

  g_mutex_lock (&c->lock);
  frames = g_queue_get_length (&c->queue);
  for (l = c->requests; l; l = l->next)
    frames += ((ClarifaiRequest *) l->data)->frames->len;
  per_round = (guint64) batch_size_locked (c) * c->s.max_in_flight;
  g_mutex_unlock (&c->lock);

  rounds = MAX ((frames + per_round - 1) / per_round, 1);
  return rounds * ((c->s.retries + 1) * c->s.timeout +
      c->s.retries * BACKOFF_MAX_US * GST_USECOND) + c->s.timeout + GST_SECOND;
}

guint64
clarifai_client_get_token_requests (ClarifaiClient * c)
{
  return clarifai_token_manager_get_fetch_count (c->tokens);
}
