/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The seam between what every API version shares (queue, batches, retries,
 * throttling, ordering, delivery: clarifaiclient.c and clarifairequest.c)
 * and what each one's wire format is (clarifaiv1.c, clarifaiv2.c).  A
 * dialect turns a batch of JPEGs into an HTTP request and an HTTP answer
 * into a verdict; it sends nothing itself except the v1 token and info
 * exchanges, which it runs off the caller's thread. */

#ifndef __CLARIFAI_DIALECT_H__
#define __CLARIFAI_DIALECT_H__

#include <gio/gio.h>

#include "clarifaiprotocol.h"

G_BEGIN_DECLS

#define CLARIFAI_DIALECT_ERROR (clarifai_dialect_error_quark ())
GQuark clarifai_dialect_error_quark (void);

/**
 * ClarifaiDialectError:
 * @CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED: the service rejected the
 *   credentials
 * @CLARIFAI_DIALECT_ERROR_NOT_FOUND: the model, version or app does not
 *   exist
 * @CLARIFAI_DIALECT_ERROR_UNTRUSTED: the service's certificate is not
 *   trusted
 * @CLARIFAI_DIALECT_ERROR_SETTINGS: the service refuses the request's
 *   settings (select-classes, language ...) for every frame
 *
 * Why a dialect gave up for good (a %CLARIFAI_VERDICT_FATAL).
 */
typedef enum
{
  CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED,
  CLARIFAI_DIALECT_ERROR_NOT_FOUND,
  CLARIFAI_DIALECT_ERROR_UNTRUSTED,
  CLARIFAI_DIALECT_ERROR_SETTINGS,
} ClarifaiDialectError;

#define CLARIFAI_HTTP_ERROR (clarifai_http_error_quark ())
GQuark clarifai_http_error_quark (void);

/**
 * ClarifaiHttpError:
 *
 * What the transport (clarifaihttp.c) reports when there is no answer;
 * dialects see it through the v1 token and info exchanges.
 *
 * @CLARIFAI_HTTP_ERROR_NETWORK: no answer: connection refused, reset or
 *   closed, name not resolved
 * @CLARIFAI_HTTP_ERROR_TIMED_OUT: no whole answer within the timeout
 * @CLARIFAI_HTTP_ERROR_TLS: the service's certificate is not trusted
 * @CLARIFAI_HTTP_ERROR_TOO_LARGE: the answer is over the size cap
 *
 * Cancellation is reported as %G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  CLARIFAI_HTTP_ERROR_NETWORK,
  CLARIFAI_HTTP_ERROR_TIMED_OUT,
  CLARIFAI_HTTP_ERROR_TLS,
  CLARIFAI_HTTP_ERROR_TOO_LARGE,
} ClarifaiHttpError;

/* An HTTP request as a dialect describes it; the transport sends it. */
typedef struct
{
  const gchar *method;          /* static string */
  GUri *uri;
  gchar *content_type;          /* NULL when there is no body */
  GPtrArray *body;              /* GBytes sent back to back, or NULL */
  gsize body_length;
  gchar *authorization;         /* header value; a secret, wiped when freed */
} ClarifaiHttpRequest;

/* A whole answer, read with the transport's size cap. */
typedef struct
{
  guint status;
  const gchar *reason;
  GHashTable *headers;          /* lower-case name -> value */
  gint64 retry_after_us;        /* Retry-After; -1 when absent or unreadable */
  const gchar *data;
  gsize len;
} ClarifaiHttpAnswer;

typedef enum
{
  CLARIFAI_VERDICT_RESULTS,     /* @response has the frames' outcomes */
  CLARIFAI_VERDICT_FAIL,        /* every frame ends with @status */
  CLARIFAI_VERDICT_RETRY,       /* transient: send again after @wait_us */
  CLARIFAI_VERDICT_THROTTLE,    /* the account waits @wait_us, then again */
  CLARIFAI_VERDICT_REAUTH,      /* credentials renewed: send once more */
  CLARIFAI_VERDICT_FATAL,       /* settings that can never work: @error */
} ClarifaiVerdictKind;

typedef struct
{
  ClarifaiVerdictKind kind;
  /* The frames' status when the request ends here, or once the retry
   * budget of a RETRY, THROTTLE or REAUTH is spent. */
  gchar *status;
  gchar *status_msg;
  gint64 wait_us;               /* RETRY, THROTTLE: -1 for the backoff */
  gboolean outage;              /* RETRY: a spent budget is an outage */
  ClarifaiTagResponse *response;        /* RESULTS */
  GError *error;                /* FATAL: a CLARIFAI_DIALECT_ERROR */
  guint http_status;            /* of the answer judged; 0 without one */
} ClarifaiVerdict;

typedef struct _ClarifaiDialect ClarifaiDialect;
typedef struct _ClarifaiHttp ClarifaiHttp;

/* The end of a dialect's exchange: @verdict is NULL on success, else why
 * not (FATAL: for good; otherwise worth another try later).  Called once,
 * on the context that was the thread default when the exchange began. */
typedef void (*ClarifaiDialectDone) (const ClarifaiVerdict * verdict,
    gpointer user_data);

typedef struct
{
  const gchar *name;            /* "v1", "v2" */
  /* Whether setup() would talk to the service now: a request like any
   * other for the account's gate, and its answer one from the service. */
  gboolean (*setup_sends) (ClarifaiDialect * dialect);
  /* Worker thread; never blocks.  Reads the limits into @limits, which
   * must stay valid until @done, before the first batch. */
  void (*setup) (ClarifaiDialect * dialect, GCancellable * cancellable,
      ClarifaiInfo * limits, ClarifaiDialectDone done, gpointer user_data);
  /* @ids and @jpegs: one per frame, in order.  The request refers to the
   * JPEG bytes or encodes them once; it is sent (and resent) as it is. */
  ClarifaiHttpRequest *(*build) (ClarifaiDialect * dialect, GPtrArray * ids,
      GPtrArray * jpegs);
  /* Worker thread; never blocks.  Sets the request's authorization for
   * one attempt (v1: fetches a token when needed); the request must stay
   * valid until @done.  @done may run before authorize() returns. */
  void (*authorize) (ClarifaiDialect * dialect, ClarifaiHttpRequest * request,
      GCancellable * cancellable, ClarifaiDialectDone done,
      gpointer user_data);
  void (*classify) (ClarifaiDialect * dialect,
      const ClarifaiHttpRequest * request, const ClarifaiHttpAnswer * answer,
      ClarifaiVerdict * verdict);
  guint64 (*token_requests) (ClarifaiDialect * dialect);
  void (*free) (ClarifaiDialect * dialect);
} ClarifaiDialectClass;

struct _ClarifaiDialect
{
  const ClarifaiDialectClass *klass;
  /* Identifies the account whose requests are throttled together; a
   * digest, so that no secret is kept as a key. */
  gchar *account;
};

/* What a dialect needs from the settings. */
typedef struct
{
  const gchar *log_id;          /* the element's name, for the logs */
  const gchar *api_url;
  const gchar *client_id;       /* v1 */
  const gchar *client_secret;   /* v1 */
  const gchar *access_token;    /* v1 */
  const gchar *api_key;         /* v2 */
  const gchar *user_id;         /* v2 */
  const gchar *app_id;          /* v2 */
  const gchar *model;
  const gchar *model_version;   /* v2 */
  const gchar *language;
  const gchar *select_classes;
  const gchar *prompt;          /* v2; NULL: none */
  guint max_tokens;             /* v2; 0: the model's default */
  gdouble temperature;          /* v2 */
  gdouble threshold;
  guint max_tags;
  gint64 timeout_us;            /* of one exchange */
  GTlsDatabase *tls_database;   /* NULL: the system's */
} ClarifaiDialectSettings;

ClarifaiDialect *clarifai_dialect_v1_new (const ClarifaiDialectSettings * s);
ClarifaiDialect *clarifai_dialect_v2_new (const ClarifaiDialectSettings * s);
void clarifai_dialect_free (ClarifaiDialect * dialect);

GUri *clarifai_endpoint (const gchar * api_url, const gchar * path);
gchar *clarifai_account_digest (const gchar * dialect, const gchar * api_url,
    const gchar * secret);

ClarifaiHttpRequest *clarifai_http_request_new (const gchar * method,
    GUri * uri);
void clarifai_http_request_set_body (ClarifaiHttpRequest * request,
    const gchar * content_type, GPtrArray * pieces);
void clarifai_http_request_free (ClarifaiHttpRequest * request);

const gchar *clarifai_http_answer_header (const ClarifaiHttpAnswer * answer,
    const gchar * name);

void clarifai_verdict_set (ClarifaiVerdict * verdict, ClarifaiVerdictKind kind,
    const gchar * status, const gchar * status_msg);
void clarifai_verdict_set_fatal (ClarifaiVerdict * verdict,
    ClarifaiDialectError code, const gchar * status, const gchar * format,
    ...) G_GNUC_PRINTF (4, 5);
void clarifai_verdict_from_error (ClarifaiVerdict * verdict,
    const GError * error);
void clarifai_verdict_clear (ClarifaiVerdict * verdict);

void clarifai_secret_clear (gchar ** secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClarifaiHttpRequest, clarifai_http_request_free)

G_END_DECLS

#endif /* __CLARIFAI_DIALECT_H__ */
