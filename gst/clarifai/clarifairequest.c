/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* One batch's life, whatever the dialect: encoding its frames, each
 * attempt, retries with backoff, throttling, and handing each frame's
 * outcome to the owner.  The dialect builds the request and says what an
 * answer means; the transport sends it.  Runs on the client's worker
 * thread; it knows its owner only through ClarifaiRequestOwner. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifairequest.h"
#include "clarifaitime.h"

#include <gst/gst.h>

GST_DEBUG_CATEGORY_EXTERN (clarifai_client_debug);
#define GST_CAT_DEFAULT clarifai_client_debug

#define BACKOFF_BASE_US (500 * G_TIME_SPAN_MILLISECOND)
/* How often a request waiting for the account's gate looks at it: a
 * probe's answer opens it before its step is over. */
#define GATE_POLL_US (250 * G_TIME_SPAN_MILLISECOND)

struct _ClarifaiRequest
{
  const ClarifaiRequestEnv *env;
  GPtrArray *frames;            /* ClarifaiFrame, the owner's */
  gpointer batch;
  GArray *sent;                 /* indices of the frames in the request */
  ClarifaiHttpRequest *http;
  GCancellable *cancellable;    /* of the attempt in flight */
  GSource *timer;               /* retry wait */
  guint attempts;
  guint transient_retries;
  ClarifaiAccountTicket ticket; /* of the attempt in flight */
  gint64 gate_until;            /* the closing waited for; 0: none */
  gboolean reauthorized;
  gboolean authorizing;         /* the dialect's authorize() pending */
  gboolean in_flight;
};

gchar *
clarifai_frame_input_id (const ClarifaiFrame * frame)
{
  return g_strdup_printf ("frame-%" G_GUINT64_FORMAT, frame->sample_id);
}

/**
 * clarifai_request_new:
 * @frames: (transfer none): the batch; the request may replace their
 *   payload, never their identity
 * @batch: handed back with every call to the owner
 */
ClarifaiRequest *
clarifai_request_new (const ClarifaiRequestEnv * env, GPtrArray * frames,
    gpointer batch)
{
  ClarifaiRequest *req = g_new0 (ClarifaiRequest, 1);

  req->env = env;
  req->frames = frames;
  req->batch = batch;
  req->sent = g_array_new (FALSE, FALSE, sizeof (guint));
  return req;
}

void
clarifai_request_free (ClarifaiRequest * req)
{
  clarifai_source_clear (&req->timer);
  g_array_unref (req->sent);
  clarifai_http_request_free (req->http);
  g_clear_object (&req->cancellable);
  g_free (req);
}

static void
complete (ClarifaiRequest * req, guint i, const gchar * status,
    const gchar * status_msg, const ClarifaiItemResult * item,
    const gchar * model)
{
  req->env->owner->complete (req->batch, i, status, status_msg, item, model);
}

static void
complete_rest (ClarifaiRequest * req, const gchar * status,
    const gchar * status_msg)
{
  guint i;

  for (i = 0; i < req->frames->len; i++)
    complete (req, i, status, status_msg, NULL, NULL);
}

/* Every frame without an outcome gets @status; then the owner takes the
 * request back. */
static void
finish (ClarifaiRequest * req, const gchar * status, const gchar * status_msg)
{
  complete_rest (req, status, status_msg);
  req->env->owner->finished (req->batch);
}

static void attempt (ClarifaiRequest * req);

static gboolean
on_retry_timer (gpointer data)
{
  ClarifaiRequest *req = data;

  g_clear_pointer (&req->timer, g_source_unref);
  attempt (req);
  return G_SOURCE_REMOVE;
}

static gint64
backoff_us (guint retry)
{
  gint64 d = MIN (BACKOFF_BASE_US << MIN (retry - 1, 16),
      CLARIFAI_BACKOFF_MAX_US);

  return d / 2 + g_random_int_range (0, d / 2 + 1);
}

/* Tries again when the account's gate opens; looks at it every
 * GATE_POLL_US meanwhile, for a probe's answer that opens it early. */
static void
wait_for_gate (ClarifaiRequest * req)
{
  gint64 until = clarifai_account_get_down_until (req->env->account);

  req->gate_until = until;
  req->timer = clarifai_timeout_source_new (CLAMP (until -
          g_get_monotonic_time (), 0, GATE_POLL_US));
  g_source_set_callback (req->timer, on_retry_timer, req, NULL);
  g_source_attach (req->timer, req->env->context);
}

/* A transient failure: try again after @delay_us (-1: when the account's
 * gate opens) while the retry budget lasts. */
static void
retry_or_fail (ClarifaiRequest * req, const ClarifaiVerdict * v,
    gint64 delay_us)
{
  const ClarifaiRequestEnv *env = req->env;

  if (req->transient_retries < env->retries) {
    req->transient_retries++;
    GST_DEBUG_ID (env->log_id, "request failed (%s: %s), retry %u in %"
        G_GINT64_FORMAT
        " ms", v->status, v->status_msg, req->transient_retries,
        delay_us / 1000);
    if (delay_us < 0) {
      wait_for_gate (req);
      return;
    }
    req->timer = clarifai_timeout_source_new (delay_us);
    g_source_set_callback (req->timer, on_retry_timer, req, NULL);
    g_source_attach (req->timer, env->context);
    return;
  }
  if (v->outage)
    env->owner->outage (req->batch, v->status_msg);
  finish (req, v->status, v->status_msg);
}

/* Outcomes by the id each frame was sent with, by position only when the
 * service echoed no ids at all. */
static void
dispatch (ClarifaiRequest * req, ClarifaiTagResponse * response)
{
  const ClarifaiRequestEnv *env = req->env;
  guint k;

  for (k = 0; k < req->sent->len; k++) {
    guint i = g_array_index (req->sent, guint, k);
    g_autofree gchar *id =
        clarifai_frame_input_id (g_ptr_array_index (req->frames, i));
    ClarifaiItemResult *item = clarifai_item_result_find (response, id, k,
        req->sent->len);

    if (item) {
      clarifai_item_result_apply_limits (item, &env->limits);
      complete (req, i, item->status_code, item->status_msg, item,
          response->model);
    } else if (response->items->len == 0
        && g_strcmp0 (response->status_code, "OK") != 0) {
      complete (req, i, response->status_code, response->status_msg, NULL,
          response->model);
    } else {
      g_autofree gchar *why =
          g_strdup_printf ("the answer has no result for %s", id);

      complete (req, i, "BAD_RESPONSE", why, NULL, response->model);
    }
  }
}

/* A failure that says the service cannot be reached (no answer, a server
 * error) closes the account's gate for a step, unless the request was sent
 * before it closed; the retry, if the budget allows one, waits for the
 * gate to open and may be the next probe. */
static void
retry_outage (ClarifaiRequest * req, const ClarifaiVerdict * v)
{
  const ClarifaiRequestEnv *env = req->env;
  gint64 until, wait;

  clarifai_account_failed (env->account, &req->ticket, v->status,
      v->status_msg, &until);
  wait = until ? until - g_get_monotonic_time () :
      backoff_us (req->transient_retries + 1);
  /* a Retry-After longer than the gate's step is waited out as it is */
  retry_or_fail (req, v, until && v->wait_us <= wait ? -1 :
      MAX (wait, v->wait_us));
}

static void
judge (ClarifaiRequest * req, const ClarifaiVerdict * v, gboolean answered)
{
  const ClarifaiRequestEnv *env = req->env;
  gint64 delay;

  /* Any answer, even an error, says the service is there. */
  if (answered && !(v->kind == CLARIFAI_VERDICT_RETRY && v->outage)) {
    clarifai_account_answered (env->account);
    env->owner->outage (req->batch, NULL);
  }
  switch (v->kind) {
    case CLARIFAI_VERDICT_RESULTS:
      dispatch (req, v->response);
      finish (req, v->status, v->status_msg);
      break;
    case CLARIFAI_VERDICT_FAIL:
      finish (req, v->status, v->status_msg);
      break;
    case CLARIFAI_VERDICT_RETRY:
      if (v->outage)
        retry_outage (req, v);
      else
        retry_or_fail (req, v, v->wait_us >= 0 ? v->wait_us :
            backoff_us (req->transient_retries + 1));
      break;
    case CLARIFAI_VERDICT_THROTTLE:
      delay = v->wait_us >= 0 ? v->wait_us :
          backoff_us (req->transient_retries + 1);
      clarifai_stats_throttled (env->stats);
      clarifai_account_throttle (env->account, g_get_monotonic_time () + delay);
      GST_INFO_ID (env->log_id, "throttled by the service for %"
          G_GINT64_FORMAT " ms", delay / 1000);
      retry_or_fail (req, v, delay);
      break;
    case CLARIFAI_VERDICT_REAUTH:
      if (req->reauthorized) {
        finish (req, v->status, v->status_msg);
      } else {
        req->reauthorized = TRUE;
        attempt (req);
      }
      break;
    case CLARIFAI_VERDICT_FATAL:
      /* The frames' messages go before the error that may stop the
       * pipeline. */
      complete_rest (req, v->status, v->status_msg);
      env->owner->fatal (req->batch, v);
      env->owner->finished (req->batch);
      break;
  }
}

static void
on_answer (const ClarifaiHttpAnswer * answer, const GError * error,
    gpointer data)
{
  ClarifaiRequest *req = data;
  ClarifaiVerdict v = { 0, };

  req->in_flight = FALSE;
  if (req->env->owner->is_abandoned (req->batch)) {
    finish (req, "DROPPED", "abandoned");
    return;
  }
  if (answer) {
    req->env->dialect->klass->classify (req->env->dialect, req->http, answer,
        &v);
    v.http_status = answer->status;
  } else
    clarifai_verdict_from_error (&v, error);
  judge (req, &v, answer != NULL);
  clarifai_verdict_clear (&v);
}

static void
on_authorized (const ClarifaiVerdict * verdict, gpointer data)
{
  ClarifaiRequest *req = data;
  const ClarifaiRequestEnv *env = req->env;

  req->authorizing = FALSE;
  if (env->owner->is_abandoned (req->batch)) {
    finish (req, "DROPPED", "abandoned");
    return;
  }
  if (verdict) {
    judge (req, verdict, FALSE);
    return;
  }
  clarifai_stats_request (env->stats, req->attempts > 0);
  req->attempts++;
  req->in_flight = TRUE;
  clarifai_http_send_async (env->http, req->http, req->cancellable,
      on_answer, req);
}

static void
attempt (ClarifaiRequest * req)
{
  const ClarifaiRequestEnv *env = req->env;
  g_autofree gchar *status = NULL, *why = NULL;

  if (env->owner->is_abandoned (req->batch)) {
    finish (req, "DROPPED", "abandoned");
    return;
  }
  /* In an outage another request (of any element of the account) may have
   * claimed the probe: this one waits for the gate to open, as a retry, or
   * fails as the last one did when its budget is spent. */
  if (!clarifai_account_may_send (env->account, &req->ticket, env->timeout_us)) {
    why = clarifai_account_down_message (env->account, &status);
    /* still the closing it waits for: no retry spent on looking */
    if (why && req->gate_until
        && clarifai_account_get_down_until (env->account) == req->gate_until) {
      wait_for_gate (req);
      return;
    }
    if (why) {
      env->owner->outage (req->batch, why);
      if (req->transient_retries < env->retries) {
        req->transient_retries++;
        wait_for_gate (req);
      } else {
        finish (req, status, why);
      }
      return;
    }
  }
  req->gate_until = 0;
  /* One cancellable for the attempt: authorization, then the exchange. */
  g_clear_object (&req->cancellable);
  req->cancellable = g_cancellable_new ();
  req->authorizing = TRUE;
  env->dialect->klass->authorize (env->dialect, req->http, req->cancellable,
      on_authorized, req);
}

/**
 * clarifai_request_start:
 * @limits: the size limits for the uploads
 *
 * Encodes the frames and sends the request; frames that cannot be encoded
 * end with CLIENT_ERROR at once.
 */
void
clarifai_request_start (ClarifaiRequest * req,
    const ClarifaiSizeLimits * limits)
{
  const ClarifaiRequestEnv *env = req->env;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) jpegs = g_ptr_array_new_with_free_func
      ((GDestroyNotify) g_bytes_unref);
  guint i;

  for (i = 0; i < req->frames->len; i++) {
    ClarifaiFrame *frame = g_ptr_array_index (req->frames, i);
    g_autoptr (GError) err = NULL;
    GBytes *jpeg;

    if (frame->image) {
      g_autoptr (ClarifaiImage) fitted =
          clarifai_encoder_fit_image (frame->image, limits);

      jpeg = clarifai_encoder_encode (env->encoder,
          fitted ? fitted : frame->image, env->jpeg_quality, &err);
      g_clear_pointer (&frame->image, clarifai_image_free);
    } else {
      jpeg = clarifai_encoder_fit_jpeg (env->encoder, frame->jpeg, limits,
          env->jpeg_quality, &err);
      g_clear_pointer (&frame->jpeg, g_bytes_unref);
    }
    if (jpeg == NULL) {
      complete (req, i, "CLIENT_ERROR", err->message, NULL, NULL);
      continue;
    }
    g_ptr_array_add (ids, clarifai_frame_input_id (frame));
    g_ptr_array_add (jpegs, jpeg);
    g_array_append_val (req->sent, i);
  }
  if (req->sent->len == 0) {
    finish (req, "CLIENT_ERROR", "no frame could be encoded");
    return;
  }
  req->http = env->dialect->klass->build (env->dialect, ids, jpegs);
  attempt (req);
}

/**
 * clarifai_request_cancel:
 *
 * Stops the request's I/O, authorization or retry wait; the owner's
 * finished() follows, at once or when the dialect or the transport hands
 * the attempt back.
 */
void
clarifai_request_cancel (ClarifaiRequest * req)
{
  if (req->in_flight || req->authorizing) {
    g_cancellable_cancel (req->cancellable);
    return;
  }
  clarifai_source_clear (&req->timer);
  finish (req, "DROPPED", "abandoned");
}
