/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The service side of the element: a worker thread with its own
 * GMainContext that groups queued frames into batches, has each batch sent
 * (clarifairequest.c) in the chosen API dialect (clarifaiv1.c,
 * clarifaiv2.c) over the transport (clarifaihttp.c), and hands each frame's
 * outcome back in sampling order.
 *
 * Threads: the streaming thread pushes frames; flushes, the EOS drain and
 * shutdown may abandon work from any thread.  Everything shared lives under
 * client->lock, and a frame is completed under that lock exactly once, by
 * whichever thread gets there first; the outcome is delivered outside the
 * lock.  The transport, the dialect's exchanges and timers are only used on
 * the worker thread.
 *
 * Lock order (a lock may be taken while holding the ones before it, never
 * the other way round):
 *   client->lock -> the account registry's lock (clarifaiaccount.c)
 *   client->deliver_lock -> the element's object lock, the stats' lock,
 *     and what posting a message takes (the bus)
 * client->lock and deliver_lock are never held together; the token
 * manager's lock is taken alone, and never across a fetch.  The element
 * takes none of these while holding its object lock. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifaiclient.h"
#include "clarifairequest.h"
#include "clarifaitime.h"

#include <string.h>

#define INFO_RETRY_US (10 * G_TIME_SPAN_SECOND)
/* How long the first frames wait for the service's limits (v1's
 * /v1/info/) before they go with the element's own. */
#define FIRST_SETUP_WAIT_US (2 * G_TIME_SPAN_SECOND)

/* A batch in the client's care: its frames, which of them have their
 * outcome, and the request that sends them. */
typedef struct
{
  ClarifaiClient *client;
  GPtrArray *frames;            /* ClarifaiFrame, owned */
  gboolean *done;               /* per frame; under client->lock */
  gboolean abandoned;           /* under client->lock */
  ClarifaiRequest *request;
} Batch;

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
  gint ref_count;
  ClarifaiClientSettings s;
  gchar *log_id;
  ClarifaiStats *stats;
  ClarifaiResultFunc on_result;
  ClarifaiEventFunc on_event;
  gpointer user_data;

  ClarifaiDialect *dialect;
  ClarifaiAccount *account;
  GTlsDatabase *tls_database;   /* NULL: the system's */
  GCancellable *shutdown;
  ClarifaiRequestEnv env;

  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;

  /* worker thread only */
  ClarifaiHttp *http;
  ClarifaiEncoder *encoder;
  GSource *batch_timer;
  gboolean outage;
  gint64 info_next_try;
  gboolean setup_pending;       /* the dialect's setup() runs */
  gboolean setup_sends;         /* and talks to the service */
  gboolean setup_tried;         /* its first run is over, or took too long */
  ClarifaiAccountTicket setup_ticket;
  gint64 started;               /* monotonic µs */
  ClarifaiInfo setup_info;      /* what it reads into */

  GMutex lock;
  GQueue queue;                 /* ClarifaiFrame waiting for a batch */
  GCond room;                   /* the queue got shorter, or flushing */
  gboolean flushing;            /* pushes do not wait, and drop */
  GList *batches;               /* Batch in flight */
  gboolean wake_pending;
  gboolean draining;
  gboolean stopping;            /* from clarifai_client_stop() on */
  gchar *fatal_status;          /* settings that can never work */
  gchar *fatal_msg;
  ClarifaiInfo info;
  gboolean info_known;

  /* taken after client->lock is released; see the lock order above */
  GMutex deliver_lock;
  GHashTable *ready;            /* sample-id -> ClarifaiCompletion */
  guint64 next_sample_id;
};

GST_DEBUG_CATEGORY (clarifai_client_debug);
#define GST_CAT_DEFAULT clarifai_client_debug

/* Spelled out: gst-indent would put spaces into G_DEFINE_QUARK's string. */
GQuark
clarifai_client_error_quark (void)
{
  return g_quark_from_static_string ("clarifai-client-error-quark");
}

static gboolean pump (gpointer data);

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

/* ---- completions ---- */

static void
completion_free (ClarifaiCompletion * done)
{
  g_free (done->status);
  g_free (done->status_msg);
  g_free (done->docid);
  g_free (done->model);
  clarifai_item_result_unref (done->item);
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
  done->frame.sampled_wall = frame->sampled_wall;
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
  result.item = done->item;
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

/* Takes the frame out of a batch's care.  Called with the lock held.
 * Returns NULL if another thread completed it already. */
static ClarifaiCompletion *
complete_locked (Batch * b, guint i, const gchar * status,
    const gchar * status_msg)
{
  if (b->done[i])
    return NULL;
  b->done[i] = TRUE;
  return completion_new (g_ptr_array_index (b->frames, i), status, status_msg);
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

/* ---- batches ---- */

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
  c->batch_timer = clarifai_timeout_source_new (delay);
  g_source_set_callback (c->batch_timer, on_batch_timer, c, NULL);
  g_source_attach (c->batch_timer, c->context);
}

/* ---- the owner of the requests ---- */

static void
batch_free (Batch * b)
{
  clarifai_request_free (b->request);
  g_ptr_array_unref (b->frames);
  g_free (b->done);
  g_free (b);
}

static void
batch_complete (gpointer data, guint i, const gchar * status,
    const gchar * status_msg, const ClarifaiItemResult * item,
    const gchar * model)
{
  Batch *b = data;
  ClarifaiClient *c = b->client;
  GQueue completions = G_QUEUE_INIT;
  ClarifaiCompletion *done;

  g_mutex_lock (&c->lock);
  done = complete_locked (b, i, status, status_msg);
  g_mutex_unlock (&c->lock);
  if (done == NULL)
    return;
  if (model) {
    g_free (done->model);
    done->model = g_strdup (model);
  }
  if (item) {
    g_free (done->docid);
    done->docid = g_strdup (item->docid);
    done->item = clarifai_item_result_ref ((ClarifaiItemResult *) item);
  }
  g_queue_push_tail (&completions, done);
  deliver (c, &completions);
}

static gboolean
batch_is_abandoned (gpointer data)
{
  Batch *b = data;
  gboolean abandoned;

  g_mutex_lock (&b->client->lock);
  abandoned = b->abandoned;
  g_mutex_unlock (&b->client->lock);
  return abandoned;
}

/* Every frame from now on fails with @status, and the element is told
 * once. */
static void
set_fatal (ClarifaiClient * c, const ClarifaiVerdict * v)
{
  gboolean first;

  g_mutex_lock (&c->lock);
  first = c->fatal_status == NULL;
  if (first) {
    c->fatal_status = g_strdup (v->status);
    c->fatal_msg = g_strdup (v->error->message);
  }
  g_mutex_unlock (&c->lock);
  if (first)
    c->on_event (CLARIFAI_CLIENT_EVENT_FATAL, v->error, v->status,
        v->http_status, c->user_data);
}

static void
batch_fatal (gpointer data, const ClarifaiVerdict * verdict)
{
  set_fatal (((Batch *) data)->client, verdict);
}

/* Worker thread: one warning per outage. */
static void
set_outage (ClarifaiClient * c, const gchar * why)
{
  g_autoptr (GError) err = NULL;
  gboolean outage = why != NULL;

  if (c->outage == outage)
    return;
  c->outage = outage;
  if (outage)
    err = g_error_new (CLARIFAI_CLIENT_ERROR, CLARIFAI_CLIENT_ERROR_NETWORK,
        "Clarifai service unavailable: %s", why);
  c->on_event (outage ? CLARIFAI_CLIENT_EVENT_OUTAGE :
      CLARIFAI_CLIENT_EVENT_RECOVERED, err, NULL, 0, c->user_data);
}

static void
batch_outage (gpointer data, const gchar * why)
{
  set_outage (((Batch *) data)->client, why);
}

static void
batch_finished (gpointer data)
{
  Batch *b = data;
  ClarifaiClient *c = b->client;

  g_mutex_lock (&c->lock);
  c->batches = g_list_remove (c->batches, b);
  wake_locked (c);
  g_mutex_unlock (&c->lock);
  batch_free (b);
}

static const ClarifaiRequestOwner batch_owner = {
  batch_complete, batch_is_abandoned, batch_fatal, batch_outage,
  batch_finished,
};

/* ---- the worker ---- */

/* Forms the batches that are due.  Called with the lock held.  While the
 * account's gate is closed (an outage) the queued frames wait for this
 * client's requests that wait for the gate to open within their retry
 * budget; when none does, they end at once in @failures with the last
 * failure's status, and @outage says why. */
static GPtrArray *
take_batches_locked (ClarifaiClient * c, GQueue * failures, gchar ** outage)
{
  GPtrArray *batches = g_ptr_array_new ();
  gint64 now = g_get_monotonic_time ();
  gint64 throttled_until = clarifai_account_get_throttled_until (c->account);
  g_autofree gchar *status = NULL;
  ClarifaiFrame *frame;

  if (!g_queue_is_empty (&c->queue)
      && (*outage = clarifai_account_down_message (c->account, &status))) {
    while (c->batches == NULL && (frame = g_queue_pop_head (&c->queue))) {
      g_queue_push_tail (failures, completion_new (frame, status, *outage));
      clarifai_frame_free (frame);
    }
    return batches;
  }

  while (g_queue_get_length (&c->queue) > 0
      && g_list_length (c->batches) < c->s.max_in_flight) {
    ClarifaiFrame *head = g_queue_peek_head (&c->queue);
    gint64 due = head->sampled_at + c->s.batch_timeout / GST_USECOND;
    guint n = batch_size_locked (c);
    Batch *b;

    if (now < throttled_until) {
      arm_batch_timer (c, throttled_until);
      break;
    }
    if (g_queue_get_length (&c->queue) < n && !c->draining && now < due) {
      arm_batch_timer (c, due);
      break;
    }
    n = MIN (n, g_queue_get_length (&c->queue));
    b = g_new0 (Batch, 1);
    b->client = c;
    b->frames = g_ptr_array_new_full (n, (GDestroyNotify) clarifai_frame_free);
    b->done = g_new0 (gboolean, n);
    while (n--)
      g_ptr_array_add (b->frames, g_queue_pop_head (&c->queue));
    b->request = clarifai_request_new (&c->env, b->frames, b);
    c->batches = g_list_append (c->batches, b);
    g_ptr_array_add (batches, b);
  }
  return batches;
}

static void
on_setup_done (const ClarifaiVerdict * v, gpointer data)
{
  ClarifaiClient *c = data;
  gint64 until;

  c->setup_pending = FALSE;
  c->setup_tried = TRUE;
  if (v == NULL) {
    if (c->setup_sends)
      clarifai_account_answered (c->account);
    g_mutex_lock (&c->lock);
    c->info = c->setup_info;
    c->info_known = TRUE;
    if (c->info.max_batch_size && c->s.batch_size > c->info.max_batch_size)
      GST_INFO_ID (c->log_id, "batch-size %u is above the service's limit, "
          "using %u", c->s.batch_size, c->info.max_batch_size);
    g_mutex_unlock (&c->lock);
  } else if (v->kind == CLARIFAI_VERDICT_FATAL) {
    set_fatal (c, v);
  } else if (v->kind == CLARIFAI_VERDICT_RETRY && v->outage) {
    clarifai_account_failed (c->account, &c->setup_ticket, v->status,
        v->status_msg, &until);
  }
  wake (c);
}

/* Asks the dialect for the limits, which also checks the credentials
 * before any frame goes up; a service that cannot be reached is asked
 * again later.  It is an exchange with the service like any other: not
 * during an outage's step, and its outcome counts for the account. */
static void
setup_dialect (ClarifaiClient * c)
{
  c->info_next_try = g_get_monotonic_time () + INFO_RETRY_US;
  c->setup_sends = c->dialect->klass->setup_sends (c->dialect);
  /* (In an outage frames do not wait for it: they fail at once.) */
  if (c->setup_sends
      && !clarifai_account_may_send (c->account, &c->setup_ticket,
          c->s.timeout / GST_USECOND)) {
    c->setup_tried = TRUE;
    return;
  }
  c->setup_pending = TRUE;
  c->dialect->klass->setup (c->dialect, c->shutdown, &c->setup_info,
      on_setup_done, c);
}

static gboolean
pump (gpointer data)
{
  ClarifaiClient *c = data;
  GQueue failures = G_QUEUE_INIT;
  GPtrArray *batches = NULL;
  g_autofree gchar *outage = NULL;
  gboolean want_setup;
  ClarifaiFrame *frame;
  ClarifaiSizeLimits limits;
  guint i;

  g_mutex_lock (&c->lock);
  c->wake_pending = FALSE;
  want_setup = !c->info_known && !c->setup_pending && c->fatal_status == NULL
      && !c->stopping && g_get_monotonic_time () >= c->info_next_try;
  g_mutex_unlock (&c->lock);

  if (want_setup)
    setup_dialect (c);

  /* Frames wait for the first setup (the credentials and limits), not for
   * later ones, and not for long. */
  if (!c->setup_tried && g_get_monotonic_time () >= c->started +
      FIRST_SETUP_WAIT_US) {
    GST_INFO_ID (c->log_id, "no limits from the service yet, using the "
        "element's own");
    c->setup_tried = TRUE;
  }
  g_mutex_lock (&c->lock);
  if (!c->setup_tried && !c->stopping)
    arm_batch_timer (c, c->started + FIRST_SETUP_WAIT_US);
  if (c->stopping || !c->setup_tried) {
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
    batches = take_batches_locked (c, &failures, &outage);
  }
  g_cond_broadcast (&c->room);
  g_mutex_unlock (&c->lock);

  if (outage)
    set_outage (c, outage);
  deliver (c, &failures);
  if (batches) {
    clarifai_client_get_limits (c, &limits);
    for (i = 0; i < batches->len; i++)
      clarifai_request_start (((Batch *) g_ptr_array_index (batches,
                  i))->request, &limits);
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
  for (l = c->batches; l; l = l->next) {
    Batch *b = l->data;

    if (b->abandoned)
      abandoned = g_list_prepend (abandoned, b->request);
  }
  g_mutex_unlock (&c->lock);

  /* A request's cancel may finish it, and free it, at once. */
  for (l = abandoned; l; l = l->next)
    clarifai_request_cancel (l->data);
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

  g_main_context_push_thread_default (c->context);
  c->http = clarifai_http_new (c->s.max_in_flight + 2,
      c->s.timeout / GST_USECOND, c->tls_database);
  c->encoder = clarifai_encoder_new ();
  c->env.http = c->http;
  c->env.encoder = c->encoder;

  g_main_loop_run (c->loop);

  /* Shutting down: everything was abandoned; wait for the transport to
   * hand back the cancelled requests. */
  reap_abandoned (c);
  while (c->batches || c->setup_pending)
    g_main_context_iteration (c->context, TRUE);
  clarifai_source_clear (&c->batch_timer);
  clarifai_http_free (c->http);
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
    g_autofree gchar *shown = clarifai_client_url_for_log (api_url);

    g_set_error (error, CLARIFAI_CLIENT_ERROR, CLARIFAI_CLIENT_ERROR_SETTINGS,
        "api-url \"%s\" is not an http:// or https:// URL with a host", shown);
    return FALSE;
  }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !allow_insecure
      && !host_is_loopback (host)) {
    g_autofree gchar *shown = clarifai_client_url_for_log (api_url);

    g_set_error (error, CLARIFAI_CLIENT_ERROR, CLARIFAI_CLIENT_ERROR_SETTINGS,
        "api-url \"%s\" is plain http:// to a host other than loopback: "
        "credentials would cross the network unencrypted. Use https://, or "
        "set allow-insecure-http=true to accept that", shown);
    return FALSE;
  }
  return TRUE;
}

/**
 * clarifai_client_url_for_log:
 *
 * Returns: (transfer full): @api_url without its user info (a password
 * may be there), for logs and messages.
 */
gchar *
clarifai_client_url_for_log (const gchar * api_url)
{
  g_autoptr (GUri) uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL)
    return g_strdup ("(not a URL)");
  return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO);
}

/**
 * clarifai_client_base_url:
 *
 * Clarifai's docs write the base with the version ("https://api.clarifai
 * .com/v2"); the element adds the version itself.
 *
 * Returns: (transfer full) (nullable): @api_url without a trailing "/v1"
 * or "/v2" path segment, or %NULL when it has none.
 */
gchar *
clarifai_client_base_url (const gchar * api_url)
{
  g_autofree gchar *url = g_strdup (api_url);
  gchar *tail;
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  tail = strrchr (url, '/');
  if (tail == NULL || tail == url || tail[-1] == '/'
      || (g_ascii_strcasecmp (tail, "/v1") != 0
          && g_ascii_strcasecmp (tail, "/v2") != 0))
    return NULL;
  *tail = '\0';
  return g_steal_pointer (&url);
}

/* The client keeps the numbers; the strings went to the dialect. */
static void
settings_copy (ClarifaiClientSettings * dst, const ClarifaiClientSettings * src)
{
  *dst = *src;
  dst->log_id = dst->api_url = dst->client_id = dst->client_secret = NULL;
  dst->access_token = dst->api_key = dst->user_id = dst->app_id = NULL;
  dst->model = dst->model_version = dst->language = NULL;
  dst->select_classes = dst->ca_file = dst->prompt = NULL;
  dst->batch_size = MAX (dst->batch_size, 1);
  dst->max_in_flight = MAX (dst->max_in_flight, 1);
  dst->queue_size = MAX (dst->queue_size, 1);
}

static ClarifaiDialect *
dialect_new (const ClarifaiClientSettings * settings,
    GTlsDatabase * tls_database, GError ** error)
{
  ClarifaiDialectSettings ds = { 0, };

  ds.tls_database = tls_database;
  ds.log_id = settings->log_id;
  ds.api_url = settings->api_url;
  ds.client_id = settings->client_id;
  ds.client_secret = settings->client_secret;
  ds.access_token = settings->access_token;
  ds.api_key = settings->api_key;
  ds.user_id = settings->user_id;
  ds.app_id = settings->app_id;
  ds.model = settings->model;
  ds.model_version = settings->model_version;
  ds.language = settings->language;
  ds.select_classes = settings->select_classes;
  ds.prompt = settings->prompt;
  ds.max_tokens = settings->max_tokens;
  ds.temperature = settings->temperature;
  ds.threshold = settings->threshold;
  ds.max_tags = settings->max_tags;
  ds.timeout_us = settings->timeout / GST_USECOND;

  if (settings->api == CLARIFAI_API_V2) {
    if (settings->api_key == NULL) {
      g_set_error_literal (error, CLARIFAI_CLIENT_ERROR,
          CLARIFAI_CLIENT_ERROR_SETTINGS, "no API key");
      return NULL;
    }
    return clarifai_dialect_v2_new (&ds);
  }
  if (settings->access_token == NULL && (settings->client_id == NULL
          || settings->client_secret == NULL)) {
    g_set_error_literal (error, CLARIFAI_CLIENT_ERROR,
        CLARIFAI_CLIENT_ERROR_SETTINGS, "no credentials");
    return NULL;
  }
  return clarifai_dialect_v1_new (&ds);
}

/* select-classes as the client-side filter: the answers of pythonic
 * models ignore output_config (clarifai-v2-models.md 0).  With a
 * `language`, the service answers in that language while the list names
 * the model's own classes, so only the service can filter. */
static GStrv
select_list (const ClarifaiClientSettings * s)
{
  if (s->select_classes == NULL || s->language != NULL)
    return NULL;
  return clarifai_names_from_list (s->select_classes);
}

/**
 * clarifai_client_new:
 * @settings: the dialect resolved (v1 or v2) with its credentials: an API
 *   key for v2; an access token, or a client id and secret for v1
 * @on_result: called once per frame, in sample-id order, from any of the
 *   client's callers' threads or the worker; the sample-ids of the frames
 *   given to the client must be 0, 1, 2 ..., each given by
 *   clarifai_client_push() or clarifai_client_fail()
 * @on_event: settings that can never work, outage begins, service back
 *
 * Starts the worker, which lets the dialect check the credentials and read
 * the limits at once, without waiting for a frame.
 */
ClarifaiClient *
clarifai_client_new (const ClarifaiClientSettings * settings,
    ClarifaiStats * stats, ClarifaiResultFunc on_result,
    ClarifaiEventFunc on_event, gpointer user_data, GError ** error)
{
  ClarifaiClient *c;
  ClarifaiDialect *dialect;
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
  dialect = dialect_new (settings, tls_database, error);
  if (dialect == NULL) {
    g_clear_object (&tls_database);
    return NULL;
  }

  c = g_new0 (ClarifaiClient, 1);
  c->ref_count = 1;
  c->log_id = g_strdup (settings->log_id);
  c->tls_database = tls_database;
  settings_copy (&c->s, settings);
  c->stats = stats;
  c->on_result = on_result;
  c->on_event = on_event;
  c->user_data = user_data;
  c->dialect = dialect;
  c->account = clarifai_account_get (dialect->account);
  c->shutdown = g_cancellable_new ();
  c->context = g_main_context_new ();
  c->loop = g_main_loop_new (c->context, FALSE);
  c->env.owner = &batch_owner;
  c->env.log_id = c->log_id;
  c->env.context = c->context;
  c->env.dialect = c->dialect;
  c->env.account = c->account;
  c->env.stats = stats;
  c->env.retries = c->s.retries;
  c->env.timeout_us = c->s.timeout / GST_USECOND;
  c->env.jpeg_quality = c->s.jpeg_quality;
  c->env.limits.threshold = c->s.threshold;
  c->env.limits.max_tags = c->s.max_tags;
  c->env.limits.select = select_list (settings);
  g_mutex_init (&c->lock);
  g_cond_init (&c->room);
  g_mutex_init (&c->deliver_lock);
  c->ready = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
      (GDestroyNotify) completion_free);
  g_queue_init (&c->queue);
  c->started = g_get_monotonic_time ();
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
  for (l = c->batches; l; l = l->next) {
    Batch *b = l->data;

    b->abandoned = TRUE;
    for (i = 0; i < b->frames->len; i++) {
      ClarifaiCompletion *done = complete_locked (b, i, status, status_msg);

      if (done)
        g_queue_push_tail (&completions, done);
    }
  }
  if (c->batches && !c->stopping)
    run_on_worker (c, reap_abandoned);
  g_cond_broadcast (&c->room);
  g_mutex_unlock (&c->lock);

  deliver (c, &completions);
}

/**
 * clarifai_client_stop:
 *
 * Ends every pending frame with DROPPED and stops the worker; returns when
 * no callback of the client's can run any more, except for frames pushed
 * later, which end with DROPPED at once, in the pushing thread.  Whoever
 * still holds a reference may go on calling the client.  Calling it again
 * does nothing; the caller that stops must hold a reference until it
 * returns.
 */
void
clarifai_client_stop (ClarifaiClient * c)
{
  gboolean stopping;

  /* Stopping first: no frame is queued, and no batch formed, after the
   * abandon. */
  g_mutex_lock (&c->lock);
  stopping = c->stopping;
  c->stopping = TRUE;
  g_cond_broadcast (&c->room);
  g_mutex_unlock (&c->lock);
  if (stopping)
    return;
  clarifai_client_abandon (c, "DROPPED", "element stopped");
  g_cancellable_cancel (c->shutdown);
  run_on_worker (c, quit_loop);
  g_thread_join (c->thread);
}

ClarifaiClient *
clarifai_client_ref (ClarifaiClient * c)
{
  g_atomic_int_inc (&c->ref_count);
  return c;
}

/**
 * clarifai_client_unref:
 *
 * The last reference stops the client if that was not done, and frees
 * it.
 */
void
clarifai_client_unref (ClarifaiClient * c)
{
  if (c == NULL || !g_atomic_int_dec_and_test (&c->ref_count))
    return;
  clarifai_client_stop (c);
  g_main_loop_unref (c->loop);
  g_main_context_unref (c->context);
  g_object_unref (c->shutdown);
  g_clear_object (&c->tls_database);
  clarifai_account_unref (c->account);
  clarifai_dialect_free (c->dialect);
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->room);
  g_mutex_clear (&c->deliver_lock);
  g_hash_table_unref (c->ready);
  g_free (c->fatal_status);
  g_free (c->fatal_msg);
  g_free (c->log_id);
  g_strfreev (c->env.limits.select);
  g_free (c);
}

/**
 * clarifai_client_push:
 * @frame: (transfer full): a sampled frame, counted in the stats already
 * @wait: when the queue is full, wait for room (back-pressure, for
 *   streams that are not live) rather than drop the oldest frame
 *
 * Queues a frame.  Without @wait it never blocks: when the queue is full
 * the oldest waiting frame is completed as DROPPED.  With @wait it blocks
 * until a frame leaves the queue for a request, or until
 * clarifai_client_set_flushing() or clarifai_client_stop(), after which
 * @frame ends DROPPED.  The wait is on the queue alone, never on the
 * network with a lock held.
 */
void
clarifai_client_push (ClarifaiClient * c, ClarifaiFrame * frame, gboolean wait)
{
  GQueue completions = G_QUEUE_INIT;

  g_mutex_lock (&c->lock);
  while (wait && !c->stopping && !c->flushing && c->fatal_status == NULL
      && g_queue_get_length (&c->queue) >= c->s.queue_size)
    g_cond_wait (&c->room, &c->lock);
  if (c->stopping || c->flushing) {
    g_queue_push_tail (&completions, completion_new (frame, "DROPPED",
            c->stopping ? "element stopped" : "flushed"));
    clarifai_frame_free (frame);
  } else if (c->fatal_status) {
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
 * clarifai_client_set_flushing:
 *
 * While flushing, a push that waits for room returns at once and its
 * frame ends DROPPED, as do frames pushed meanwhile: a flush or a state
 * change must not wait for the service.
 */
void
clarifai_client_set_flushing (ClarifaiClient * c, gboolean flushing)
{
  g_mutex_lock (&c->lock);
  c->flushing = flushing;
  g_cond_broadcast (&c->room);
  g_mutex_unlock (&c->lock);
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
 * dialect's limits (v1: /v1/info/) once they are known.
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
 * Saturates at G_MAXUINT64 rather than wrapping.
 */
GstClockTime
clarifai_client_get_drain_bound (ClarifaiClient * c)
{
  guint64 frames = 0, per_round, rounds;
  GList *l;

  g_mutex_lock (&c->lock);
  frames = g_queue_get_length (&c->queue);
  for (l = c->batches; l; l = l->next)
    frames += ((Batch *) l->data)->frames->len;
  per_round = (guint64) batch_size_locked (c) * c->s.max_in_flight;
  g_mutex_unlock (&c->lock);

  rounds = MAX ((frames + per_round - 1) / per_round, 1);
  return clarifai_sat_add (clarifai_sat_mul (rounds,
          clarifai_sat_add (clarifai_sat_mul (c->s.retries + 1, c->s.timeout),
              clarifai_sat_mul (c->s.retries,
                  CLARIFAI_BACKOFF_MAX_US * GST_USECOND))),
      clarifai_sat_add (c->s.timeout, GST_SECOND));
}

guint64
clarifai_client_get_token_requests (ClarifaiClient * c)
{
  return c->dialect->klass->token_requests (c->dialect);
}
