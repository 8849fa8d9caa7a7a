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
 * This is the only file of the plugin that includes libsoup. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifaiclient.h"
#include "clarifaiencoder.h"
#include "clarifaiprotocol.h"
#include "clarifaitoken.h"

#include <libsoup/soup.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (clarifai_client_debug);
#define GST_CAT_DEFAULT clarifai_client_debug

/* Spelled out: gst-indent would put spaces into G_DEFINE_QUARK's string. */
GQuark
clarifai_client_error_quark (void)
{
  return g_quark_from_static_string ("clarifai-client-error-quark");
}

#define BACKOFF_BASE_US (500 * G_TIME_SPAN_MILLISECOND)
#define BACKOFF_MAX_US (8 * G_TIME_SPAN_SECOND)
#define DEFAULT_THROTTLE_WAIT_S 10
#define INFO_RETRY_US (10 * G_TIME_SPAN_SECOND)
/* A batch of 128 images with their tags answers in well under 1 MiB. */
#define MAX_ANSWER_BYTES (8 * 1024 * 1024)
#define READ_CHUNK 65536

typedef struct
{
  ClarifaiClient *client;
  GPtrArray *frames;            /* ClarifaiFrame, owned */
  gboolean *done;               /* per frame; under client->lock */
  GArray *sent;                 /* indices of the frames in the body */
  ClarifaiForm *body;
  gchar *token;
  GCancellable *cancellable;
  GSource *timer;               /* retry wait or attempt timeout */
  guint attempts;
  guint transient_retries;
  gboolean token_retried;
  gboolean op_pending;
  SoupMessage *msg;             /* of the attempt in flight */
  GInputStream *answer;
  GByteArray *received;
  gboolean timed_out;
  gboolean abandoned;           /* under client->lock */
} ClarifaiRequest;

/* A frame's outcome, waiting to be delivered outside the lock.  Holds a
 * copy of the frame's identity; the payload is not needed any more. */
typedef struct
{
  ClarifaiFrame frame;
  gchar *status;
  gchar *status_msg;
  gchar *docid;
  gchar *model;
  ClarifaiItemResult *item;
  gint64 known_at;              /* monotonic µs */
} ClarifaiCompletion;

struct _ClarifaiClient
{
  ClarifaiClientSettings s;
  ClarifaiStats *stats;
  ClarifaiResultFunc on_result;
  ClarifaiEventFunc on_event;
  gpointer user_data;

  GUri *tag_uri;
  GUri *token_uri;
  GUri *info_uri;
  GTlsDatabase *tls_database;   /* NULL: the system's */
  ClarifaiTokenManager *tokens;
  GCancellable *shutdown;

  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;

  /* worker thread only */
  SoupSession *session;
  ClarifaiEncoder *encoder;
  GSource *batch_timer;
  gboolean started;
  gboolean outage;
  gint64 info_next_try;

  GMutex lock;
  GQueue queue;                 /* ClarifaiFrame waiting for a batch */
  GList *requests;              /* ClarifaiRequest in flight */
  gboolean wake_pending;
  gboolean draining;
  gboolean stopping;
  gchar *fatal_status;          /* set when the credentials were rejected */
  gchar *fatal_msg;
  ClarifaiInfo info;
  gboolean info_known;

  GMutex deliver_lock;
  GHashTable *ready;            /* sample-id -> ClarifaiCompletion */
  guint64 next_sample_id;
};

static gboolean pump (gpointer data);
static void attempt (ClarifaiRequest * req);

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

static gchar *
local_id (const ClarifaiFrame * frame)
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
static void
deliver (ClarifaiClient * c, GQueue * completions)
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
static ClarifaiCompletion *
complete_locked (ClarifaiRequest * req, guint i, const gchar * status,
    const gchar * status_msg)
{
  if (req->done[i])
    return NULL;
  req->done[i] = TRUE;
  return completion_new (g_ptr_array_index (req->frames, i), status,
      status_msg);
}

static void run_on_worker (ClarifaiClient * c, GSourceFunc func);

static void
wake_locked (ClarifaiClient * c)
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
  wake_locked (c);
  g_mutex_unlock (&c->lock);
}

/* ---- requests ---- */

static ClarifaiRequest *
request_new (ClarifaiClient * c, guint n)
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
  if (req->timer) {
    g_source_destroy (req->timer);
    g_source_unref (req->timer);
  }
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
clear_timer (ClarifaiRequest * req)
{
  if (req->timer) {
    g_source_destroy (req->timer);
    g_clear_pointer (&req->timer, g_source_unref);
  }
}

static void
set_timer (ClarifaiRequest * req, gint64 delay_us, GSourceFunc func)
{
  clear_timer (req);
  req->timer = g_timeout_source_new (MAX (delay_us, 0) / 1000);
  g_source_set_callback (req->timer, func, req, NULL);
  g_source_attach (req->timer, req->client->context);
}

/* Ends a request on the worker thread; every frame not yet completed gets
 * @status. */
static void
finish_request (ClarifaiRequest * req, const gchar * status,
    const gchar * status_msg)
{
  ClarifaiClient *c = req->client;
  GQueue completions = G_QUEUE_INIT;
  guint i;

  g_mutex_lock (&c->lock);
  for (i = 0; i < req->frames->len; i++) {
    ClarifaiCompletion *done = complete_locked (req, i, status, status_msg);

    if (done)
      g_queue_push_tail (&completions, done);
  }
  c->requests = g_list_remove (c->requests, req);
  wake_locked (c);
  g_mutex_unlock (&c->lock);

  deliver (c, &completions);
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
  finish_request (req, status, status_msg);
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
static void
fetch_info (ClarifaiClient * c)
{
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) err = NULL;
  g_autofree gchar *auth = NULL, *token = NULL;
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
  auth = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
      "Authorization", auth);
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
    g_autofree gchar *id = local_id (g_ptr_array_index (req->frames, i));
    ClarifaiItemResult *item = clarifai_item_result_find (response, id, k,
        req->sent->len);
    ClarifaiCompletion *done;

    if (item) {
      done = complete_locked (req, i, item->status_code, item->status_msg);
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
      done = complete_locked (req, i, response->status_code,
          response->status_msg);
    } else {
      g_autofree gchar *why =
          g_strdup_printf ("the answer has no result for local_id %s", id);

      done = complete_locked (req, i, "BAD_RESPONSE", why);
    }
    if (done) {
      g_free (done->model);
      done->model = g_strdup (response->model);
      g_queue_push_tail (&completions, done);
    }
  }
  g_mutex_unlock (&c->lock);
  deliver (c, &completions);
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

static void
handle_answer (ClarifaiRequest * req, SoupMessage * msg, GBytes * body)
{
  ClarifaiClient *c = req->client;
  guint status = soup_message_get_status (msg);
  gsize len;
  const gchar *data = g_bytes_get_data (body, &len);
  g_autofree gchar *code = NULL, *text = NULL;
  g_autofree gchar *detail = NULL;
  gboolean has_status = clarifai_status_parse (data, len, &code, &text);

  if (has_status)
    detail = g_strdup_printf ("HTTP %u: %s", status, text);
  else
    detail = g_strdup_printf ("HTTP %u %s", status,
        soup_message_get_reason_phrase (msg));

  /* libsoup 3.2 has no name for 429. */
  if (status == 429) {
    gint64 wait = throttle_wait_us (msg);

    clarifai_stats_throttled (c->stats);
    clarifai_token_manager_throttle (c->tokens, g_get_monotonic_time () + wait);
    GST_INFO ("throttled by the service for %" G_GINT64_FORMAT " ms",
        wait / 1000);
    retry_or_fail (req, has_status ? code : "HTTP_ERROR", detail, wait, FALSE);
    return;
  }

  if (status == SOUP_STATUS_UNAUTHORIZED) {
    const gchar *why = has_status ? code : "HTTP_ERROR";

    if (!clarifai_token_manager_invalidate (c->tokens, req->token)) {
      g_autoptr (GError) refused = g_error_new (CLARIFAI_CLIENT_ERROR,
          CLARIFAI_CLIENT_ERROR_NOT_AUTHORIZED,
          "the service refused the access token (%s)", detail);

      /* A fixed access-token will not become valid again. */
      set_fatal (c, why, refused);
    } else if (has_status && (!g_strcmp0 (code, "TOKEN_EXPIRED")
            || !g_strcmp0 (code, "TOKEN_INVALID")) && !req->token_retried) {
      req->token_retried = TRUE;
      attempt (req);
      return;
    }
    finish_request (req, why, detail);
    return;
  }

  if (status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT) {
    retry_or_fail (req, has_status ? code : "HTTP_ERROR", detail, -1, TRUE);
    return;
  }

  if (SOUP_STATUS_IS_SUCCESSFUL (status) || (status >= 400 && status < 500)) {
    g_autoptr (GError) err = NULL;
    g_autoptr (ClarifaiTagResponse) response =
        clarifai_tag_response_parse (data, len, &err);

    set_outage (c, FALSE, NULL);
    if (response == NULL) {
      g_autofree gchar *why = g_strdup_printf ("HTTP %u, %s", status,
          err->message);

      finish_request (req, "BAD_RESPONSE", why);
      return;
    }
    dispatch_response (req, response);
    finish_request (req, "BAD_RESPONSE", "no result for this frame");
    return;
  }

  finish_request (req, "HTTP_ERROR", detail);
}

/* The end of an attempt: @body is the whole answer, or NULL with @err. */
static void
attempt_done (ClarifaiRequest * req, GBytes * body, GError * err)
{
  req->op_pending = FALSE;
  clear_timer (req);
  g_clear_object (&req->answer);

  if (is_abandoned (req)) {
    finish_request (req, "DROPPED", "abandoned");
  } else if (body) {
    handle_answer (req, req->msg, body);
  } else if (g_error_matches (err, CLARIFAI_CLIENT_ERROR,
          CLARIFAI_CLIENT_ERROR_HTTP)) {
    finish_request (req, "BAD_RESPONSE", err->message);
  } else if (err->domain == G_TLS_ERROR) {
    g_autoptr (GError) untrusted = g_error_new (CLARIFAI_CLIENT_ERROR,
        CLARIFAI_CLIENT_ERROR_TLS, "%s", err->message);

    set_fatal (req->client, "NETWORK_ERROR", untrusted);
    finish_request (req, "NETWORK_ERROR", err->message);
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
  g_autofree gchar *auth = NULL;

  if (is_abandoned (req)) {
    finish_request (req, "DROPPED", "abandoned");
    return;
  }
  g_free (req->token);
  req->token = get_token (c, &err);
  if (req->token == NULL) {
    if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      finish_request (req, "DROPPED", "element stopped");
    } else if (g_error_matches (err, CLARIFAI_CLIENT_ERROR,
            CLARIFAI_CLIENT_ERROR_NOT_AUTHORIZED)) {
      set_fatal (c, "TOKEN_APP_INVALID", err);
      finish_request (req, "TOKEN_APP_INVALID", err->message);
    } else if (g_error_matches (err, CLARIFAI_CLIENT_ERROR,
            CLARIFAI_CLIENT_ERROR_TLS)) {
      set_fatal (c, "NETWORK_ERROR", err);
      finish_request (req, "NETWORK_ERROR", err->message);
    } else {
      retry_or_fail (req, g_error_matches (err, CLARIFAI_CLIENT_ERROR,
              CLARIFAI_CLIENT_ERROR_NETWORK) ? "NETWORK_ERROR" : "HTTP_ERROR",
          err->message, -1, TRUE);
    }
    return;
  }
  if (is_abandoned (req)) {
    finish_request (req, "DROPPED", "abandoned");
    return;
  }

  msg = soup_message_new_from_uri ("POST", c->tag_uri);
  {
    g_autoptr (GInputStream) body = clarifai_form_open (req->body);

    soup_message_set_request_body (msg,
        clarifai_form_get_content_type (req->body), body,
        clarifai_form_get_length (req->body));
  }
  auth = g_strdup_printf ("Bearer %s", req->token);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
      "Authorization", auth);

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
static void
start_request (ClarifaiRequest * req)
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
    g_autofree gchar *id = local_id (frame);
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
      done = complete_locked (req, i, "CLIENT_ERROR", err->message);
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
  deliver (c, &failures);

  if (c->s.model)
    clarifai_form_add_field (form, "model", c->s.model);
  if (c->s.language)
    clarifai_form_add_field (form, "language", c->s.language);
  if (c->s.select_classes)
    clarifai_form_add_field (form, "select_classes", c->s.select_classes);
  clarifai_form_finish (form);
  req->body = form;

  if (req->sent->len == 0)
    finish_request (req, "CLIENT_ERROR", "no frame could be encoded");
  else
    attempt (req);
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

  if (c->batch_timer) {
    g_source_destroy (c->batch_timer);
    g_source_unref (c->batch_timer);
  }
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
    req = request_new (c, n);
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
    fetch_info (c);

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

  deliver (c, &failures);
  if (batches) {
    for (i = 0; i < batches->len; i++)
      start_request (g_ptr_array_index (batches, i));
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
      finish_request (req, "DROPPED", "abandoned");
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
  if (c->batch_timer) {
    g_source_destroy (c->batch_timer);
    g_clear_pointer (&c->batch_timer, g_source_unref);
  }
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
      ClarifaiCompletion *done = complete_locked (req, i, status, status_msg);

      if (done)
        g_queue_push_tail (&completions, done);
    }
  }
  if (c->requests && !c->stopping)
    run_on_worker (c, reap_abandoned);
  g_mutex_unlock (&c->lock);

  deliver (c, &completions);
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
    wake_locked (c);
  }
  g_mutex_unlock (&c->lock);
  deliver (c, &completions);
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
  deliver (c, &completions);
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
  wake_locked (c);
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
