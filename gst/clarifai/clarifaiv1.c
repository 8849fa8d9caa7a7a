/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The v1 dialect (docs: clarifai-v1-api.md): multipart POSTs to /v1/tag/
 * with a bearer token from the shared token manager, the limits of
 * /v1/info/, and what a v1 answer means for the frames. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifaidialect.h"
#include "clarifaihttp.h"
#include "clarifaitoken.h"

#include <gst/gst.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (clarifai_v1_debug);
#define GST_CAT_DEFAULT clarifai_v1_debug

#define DEFAULT_THROTTLE_WAIT_S 10

typedef struct
{
  ClarifaiDialect parent;
  gchar *log_id;
  gint64 timeout_us;
  GTlsDatabase *tls_database;   /* NULL: the system's */
  ClarifaiTokenManager *tokens;
  GUri *tag_uri;
  GUri *token_uri;
  GUri *info_uri;
  gchar *model;
  gchar *language;
  gchar *select_classes;
} ClarifaiV1;

/* ---- the token and /v1/info/: blocking, so never on the worker (see
 * run_job()) ---- */

/* The token fetch's user data; @status is the answer's, if this caller
 * fetched. */
typedef struct
{
  ClarifaiV1 *v1;
  ClarifaiHttp *http;
  guint status;
} Fetch;

static void
secret_free (gpointer secret)
{
  gchar *s = secret;

  clarifai_secret_clear (&s);
}

/* The client credentials grant, form-encoded; every intermediate copy of
 * the secret is wiped. */
static gchar *
token_form (const gchar * client_id, const gchar * client_secret)
{
  gchar *id = g_uri_escape_string (client_id, NULL, FALSE);
  gchar *secret = g_uri_escape_string (client_secret, NULL, FALSE);
  gchar *form = g_strconcat ("grant_type=client_credentials&client_id=", id,
      "&client_secret=", secret, NULL);

  g_free (id);
  clarifai_secret_clear (&secret);
  return form;
}

/* Fails with CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED for rejected
 * credentials, a transport error, or G_IO_ERROR_FAILED for an unusable
 * answer. */
static gchar *
fetch_token (const gchar * client_id, const gchar * client_secret,
    gint64 * expires_in, gpointer user_data, GCancellable * cancellable,
    GError ** error)
{
  Fetch *fetch = user_data;
  g_autoptr (ClarifaiHttpRequest) request =
      clarifai_http_request_new ("POST", fetch->v1->token_uri);
  gchar *form = token_form (client_id, client_secret);
  GPtrArray *pieces = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  ClarifaiExchange x = { 0, };
  g_autofree gchar *code = NULL, *text = NULL;
  gchar *token = NULL;
  const gchar *data;
  gsize len;

  g_ptr_array_add (pieces, g_bytes_new_with_free_func (form, strlen (form),
          secret_free, form));
  clarifai_http_request_set_body (request,
      "application/x-www-form-urlencoded", pieces);
  clarifai_http_exchange (fetch->http, request, cancellable, &x);
  if (x.error) {
    g_propagate_error (error, g_steal_pointer (&x.error));
    clarifai_exchange_clear (&x);
    return NULL;
  }
  data = g_bytes_get_data (x.body, &len);
  fetch->status = x.status;
  if (x.status == 200) {
    GError *err = NULL;

    if (!clarifai_token_response_parse (data, len, &token, expires_in, &err)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "unreadable token answer: %s", err->message);
      g_error_free (err);
    }
  } else {
    if (!clarifai_status_parse (data, len, &code, &text)) {
      code = g_strdup ("HTTP_ERROR");
      text = g_strdup (x.reason);
    }
    if (x.status == 401 || x.status == 403 || g_str_has_prefix (code, "TOKEN_"))
      g_set_error (error, CLARIFAI_DIALECT_ERROR,
          CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED,
          "the service rejected the client credentials (%s: %s); check "
          "client-id and client-secret", code, text);
    else if (x.status >= 500)
      g_set_error (error, CLARIFAI_HTTP_ERROR, CLARIFAI_HTTP_ERROR_NETWORK,
          "token request failed: HTTP %u (%s: %s)", x.status, code, text);
    else
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "token request failed: HTTP %u (%s: %s)", x.status, code, text);
  }
  clarifai_exchange_clear (&x);
  return token;
}

/* A failed token fetch, in the terms of a verdict. */
static void
token_verdict (const GError * err, ClarifaiVerdict * verdict)
{
  if (g_error_matches (err, CLARIFAI_DIALECT_ERROR,
          CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED))
    clarifai_verdict_set_fatal (verdict,
        CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED, "TOKEN_APP_INVALID", "%s",
        err->message);
  else if (err->domain == CLARIFAI_HTTP_ERROR || g_error_matches (err,
          G_IO_ERROR, G_IO_ERROR_CANCELLED))
    clarifai_verdict_from_error (verdict, err);
  else
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_RETRY, "HTTP_ERROR",
        err->message);
}

static gchar *
bearer (ClarifaiV1 * v1, ClarifaiHttp * http, GCancellable * cancellable,
    ClarifaiVerdict * verdict)
{
  g_autoptr (GError) err = NULL;
  Fetch fetch = { v1, http, 0 };
  gchar *token = clarifai_token_manager_get_token (v1->tokens, fetch_token,
      &fetch, cancellable, &err);
  gchar *header;

  if (token == NULL) {
    token_verdict (err, verdict);
    verdict->http_status = fetch.status;
    return NULL;
  }
  header = g_strconcat ("Bearer ", token, NULL);
  clarifai_secret_clear (&token);
  return header;
}

/* The token a request was sent with. */
static const gchar *
request_token (const ClarifaiHttpRequest * request)
{
  return request->authorization + strlen ("Bearer ");
}

/* An error answer in a few words, and its v1 status_code (or HTTP_ERROR
 * when the body has none). */
static gchar *
describe_error (guint status, const gchar * reason, const gchar * data,
    gsize len, gchar ** code)
{
  g_autofree gchar *text = NULL;

  if (clarifai_status_parse (data, len, code, &text))
    return g_strdup_printf ("HTTP %u: %s", status, text);
  *code = g_strdup ("HTTP_ERROR");
  text = clarifai_body_excerpt (data, len);
  return g_strdup_printf ("HTTP %u %s: %s", status, reason, text);
}

static gchar *
describe_answer (const ClarifaiHttpAnswer * answer, gchar ** code)
{
  return describe_error (answer->status, answer->reason, answer->data,
      answer->len, code);
}

/* Checks the credentials and reads the service's limits.  A server
 * without /v1/info/ (any HTTP error) is taken at its word and not asked
 * again; an unreachable one is. */
static gboolean
setup_blocking (ClarifaiV1 * v1, ClarifaiHttp * http,
    GCancellable * cancellable, ClarifaiInfo * info, ClarifaiVerdict * verdict)
{
  g_autoptr (ClarifaiHttpRequest) request = NULL;
  g_autoptr (GError) err = NULL;
  ClarifaiExchange x = { 0, };
  gboolean done = TRUE;

  memset (info, 0, sizeof (*info));
  request = clarifai_http_request_new ("GET", v1->info_uri);
  request->authorization = bearer (v1, http, cancellable, verdict);
  if (request->authorization == NULL)
    return FALSE;
  clarifai_http_exchange (http, request, cancellable, &x);
  if (x.error) {
    clarifai_verdict_from_error (verdict, x.error);
    GST_INFO_ID (v1->log_id, "no /v1/info/ answer yet: %s", x.error->message);
    done = FALSE;
  } else if (x.status == 401) {
    g_autofree gchar *code = NULL, *detail = NULL;
    gsize len;
    const gchar *data = g_bytes_get_data (x.body, &len);

    detail = describe_error (x.status, x.reason, data, len, &code);
    verdict->http_status = x.status;
    /* A renewable token is fetched again next time; a fixed one never
     * becomes valid. */
    if (!clarifai_token_manager_invalidate (v1->tokens,
            request_token (request)))
      clarifai_verdict_set_fatal (verdict,
          CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED, code,
          "the service rejected the access token (%s); check access-token",
          detail);
    else
      clarifai_verdict_set (verdict, CLARIFAI_VERDICT_RETRY, code, detail);
    done = FALSE;
  } else if (x.status != 200) {
    GST_INFO_ID (v1->log_id,
        "service has no usable /v1/info/ (HTTP %u), using defaults", x.status);
  } else {
    gsize len;
    const gchar *data = g_bytes_get_data (x.body, &len);

    if (!clarifai_info_response_parse (data, len, info, &err)) {
      GST_WARNING_ID (v1->log_id, "ignoring /v1/info/: %s", err->message);
      memset (info, 0, sizeof (*info));
    } else {
      GST_INFO_ID (v1->log_id,
          "service limits: max_batch_size %u, max_image_size %u, "
          "min_image_size %u, max_image_bytes %" G_GUINT64_FORMAT,
          info->max_batch_size, info->max_image_size, info->min_image_size,
          info->max_image_bytes);
    }
  }
  clarifai_exchange_clear (&x);
  return done;
}

/* ---- the tag request ---- */

/* A `local_id` then an `encoded_data` file part for each frame, then the
 * optional model, language and select_classes fields.  The body refers to
 * the JPEG bytes; they are not copied into it. */
static ClarifaiHttpRequest *
v1_build (ClarifaiDialect * dialect, GPtrArray * ids, GPtrArray * jpegs)
{
  ClarifaiV1 *v1 = (ClarifaiV1 *) dialect;
  ClarifaiHttpRequest *request = clarifai_http_request_new ("POST",
      v1->tag_uri);
  g_autoptr (ClarifaiForm) form = clarifai_form_new ();
  guint i;

  for (i = 0; i < ids->len; i++) {
    g_autofree gchar *filename = g_strconcat (ids->pdata[i], ".jpg", NULL);

    clarifai_form_add_field (form, "local_id", ids->pdata[i]);
    clarifai_form_add_file (form, "encoded_data", filename,
        "application/octet-stream", jpegs->pdata[i]);
  }
  if (v1->model)
    clarifai_form_add_field (form, "model", v1->model);
  if (v1->language)
    clarifai_form_add_field (form, "language", v1->language);
  if (v1->select_classes)
    clarifai_form_add_field (form, "select_classes", v1->select_classes);
  clarifai_form_finish (form);
  clarifai_http_request_set_body (request,
      clarifai_form_get_content_type (form), clarifai_form_ref_pieces (form));
  return request;
}

/* ---- jobs: the blocking exchanges off the worker ---- */

/* One setup or authorization, run on a thread of GLib's pool with a
 * session of its own (libsoup sessions belong to one thread), so that a
 * token or info exchange that hangs never holds back the worker: its
 * timers, the requests that have a valid token, flushes and stop. */
typedef struct
{
  ClarifaiV1 *v1;
  ClarifaiHttpRequest *request; /* authorize: the caller's */
  ClarifaiInfo *limits;         /* setup: the caller's */
  gboolean ok;
  gchar *authorization;
  ClarifaiVerdict verdict;
  ClarifaiDialectDone done;
  gpointer user_data;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  clarifai_secret_clear (&job->authorization);
  clarifai_verdict_clear (&job->verdict);
  g_free (job);
}

static void
job_thread (GTask * task, gpointer source, gpointer data,
    GCancellable * cancellable)
{
  Job *job = data;
  ClarifaiHttp *http = clarifai_http_new (1, job->v1->timeout_us,
      job->v1->tls_database);

  if (job->limits) {
    job->ok = setup_blocking (job->v1, http, cancellable, job->limits,
        &job->verdict);
  } else {
    job->authorization = bearer (job->v1, http, cancellable, &job->verdict);
    job->ok = job->authorization != NULL;
  }
  clarifai_http_free (http);
  g_task_return_boolean (task, TRUE);
}

/* Back on the context the job was started from. */
static void
job_done (GObject * source, GAsyncResult * result, gpointer data)
{
  Job *job = g_task_get_task_data (G_TASK (result));

  if (job->ok && job->request) {
    clarifai_secret_clear (&job->request->authorization);
    job->request->authorization = g_steal_pointer (&job->authorization);
  }
  job->done (job->ok ? NULL : &job->verdict, job->user_data);
}

/* Starts a setup (@limits set) or an authorization (@request set). */
static void
run_job (ClarifaiDialect * dialect, ClarifaiHttpRequest * request,
    ClarifaiInfo * limits, GCancellable * cancellable,
    ClarifaiDialectDone done, gpointer user_data)
{
  Job *job = g_new0 (Job, 1);
  GTask *task = g_task_new (NULL, cancellable, job_done, NULL);

  job->v1 = (ClarifaiV1 *) dialect;
  job->request = request;
  job->limits = limits;
  job->done = done;
  job->user_data = user_data;
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, job_thread);
  g_object_unref (task);
}

static void
v1_setup (ClarifaiDialect * dialect, GCancellable * cancellable,
    ClarifaiInfo * limits, ClarifaiDialectDone done, gpointer user_data)
{
  run_job (dialect, NULL, limits, cancellable, done, user_data);
}

static void
v1_authorize (ClarifaiDialect * dialect, ClarifaiHttpRequest * request,
    GCancellable * cancellable, ClarifaiDialectDone done, gpointer user_data)
{
  run_job (dialect, request, NULL, cancellable, done, user_data);
}

static gint64
throttle_wait_us (const ClarifaiHttpAnswer * answer)
{
  const gchar *header = clarifai_http_answer_header (answer,
      "x-throttle-wait-seconds");
  gdouble wait = header ? g_ascii_strtod (header, NULL) : 0;

  if (!(wait > 0) || wait > 3600)
    wait = DEFAULT_THROTTLE_WAIT_S;
  return (gint64) (wait * G_USEC_PER_SEC);
}

static void
v1_classify (ClarifaiDialect * dialect, const ClarifaiHttpRequest * request,
    const ClarifaiHttpAnswer * answer, ClarifaiVerdict * verdict)
{
  ClarifaiV1 *v1 = (ClarifaiV1 *) dialect;
  guint status = answer->status;
  g_autofree gchar *code = NULL, *detail = NULL;

  if (status == 429) {
    detail = describe_answer (answer, &code);
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_THROTTLE, code, detail);
    verdict->wait_us = throttle_wait_us (answer);
  } else if (status == 401) {
    detail = describe_answer (answer, &code);
    if (!clarifai_token_manager_invalidate (v1->tokens,
            request_token (request)))
      /* A fixed access-token will not become valid again. */
      clarifai_verdict_set_fatal (verdict,
          CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED, code,
          "the service refused the access token (%s); check access-token",
          detail);
    else
      clarifai_verdict_set (verdict, !g_strcmp0 (code, "TOKEN_EXPIRED")
          || !g_strcmp0 (code, "TOKEN_INVALID") ? CLARIFAI_VERDICT_REAUTH :
          CLARIFAI_VERDICT_FAIL, code, detail);
  } else if (status >= 500 || status == 408) {
    detail = describe_answer (answer, &code);
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_RETRY, code, detail);
    verdict->outage = TRUE;
  } else if ((status >= 200 && status < 300) || status >= 400) {
    /* A tag answer, OK or not. */
    g_autoptr (GError) err = NULL;

    verdict->response = clarifai_tag_response_parse (answer->data,
        answer->len, &err);
    if (verdict->response) {
      clarifai_verdict_set (verdict, CLARIFAI_VERDICT_RESULTS, "BAD_RESPONSE",
          "no result for this frame");
    } else {
      detail = g_strdup_printf ("HTTP %u, %s", status, err->message);
      clarifai_verdict_set (verdict, CLARIFAI_VERDICT_FAIL, "BAD_RESPONSE",
          detail);
    }
  } else {
    detail = g_strdup_printf ("HTTP %u %s", status, answer->reason);
    clarifai_verdict_set (verdict, CLARIFAI_VERDICT_FAIL, "HTTP_ERROR", detail);
  }
}

static guint64
v1_token_requests (ClarifaiDialect * dialect)
{
  return clarifai_token_manager_get_fetch_count (((ClarifaiV1 *)
          dialect)->tokens);
}

static void
v1_free (ClarifaiDialect * dialect)
{
  ClarifaiV1 *v1 = (ClarifaiV1 *) dialect;

  clarifai_token_manager_unref (v1->tokens);
  g_uri_unref (v1->tag_uri);
  g_uri_unref (v1->token_uri);
  g_uri_unref (v1->info_uri);
  g_free (v1->model);
  g_free (v1->language);
  g_free (v1->select_classes);
  g_free (v1->log_id);
  g_clear_object (&v1->tls_database);
  g_free (v1);
}

/* The info endpoint, for the limits and the token. */
static gboolean
v1_setup_sends (ClarifaiDialect * dialect)
{
  return TRUE;
}

static const ClarifaiDialectClass v1_class = {
  "v1", v1_setup_sends, v1_setup, v1_build, v1_authorize, v1_classify,
  v1_token_requests,
  v1_free,
};

/**
 * clarifai_dialect_v1_new:
 * @s: an access token, or a client id and secret
 */
ClarifaiDialect *
clarifai_dialect_v1_new (const ClarifaiDialectSettings * s)
{
  ClarifaiV1 *v1 = g_new0 (ClarifaiV1, 1);
  g_autofree gchar *who = NULL;
  static gsize debug_init = 0;

  if (g_once_init_enter (&debug_init)) {
    GST_DEBUG_CATEGORY_INIT (clarifai_v1_debug, "clarifaiv1", 0,
        "Clarifai v1 dialect");
    g_once_init_leave (&debug_init, 1);
  }

  v1->parent.klass = &v1_class;
  v1->log_id = g_strdup (s->log_id);
  v1->timeout_us = s->timeout_us;
  v1->tls_database = s->tls_database ? g_object_ref (s->tls_database) : NULL;
  v1->tag_uri = clarifai_endpoint (s->api_url, "/v1/tag/");
  v1->token_uri = clarifai_endpoint (s->api_url, "/v1/token/");
  v1->info_uri = clarifai_endpoint (s->api_url, "/v1/info/");
  v1->model = g_strdup (s->model);
  v1->language = g_strdup (s->language);
  v1->select_classes = g_strdup (s->select_classes);
  if (s->access_token) {
    v1->tokens = clarifai_token_manager_new_static (s->access_token);
    who = g_strdup (s->access_token);
  } else {
    v1->tokens = clarifai_token_manager_get_shared (s->api_url, s->client_id,
        s->client_secret);
    who = g_strconcat (s->client_id, "\n", s->client_secret, NULL);
  }
  v1->parent.account = clarifai_account_digest ("v1", s->api_url, who);
  clarifai_secret_clear (&who);
  return &v1->parent;
}
