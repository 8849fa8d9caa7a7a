/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_REQUEST_H__
#define __CLARIFAI_REQUEST_H__

#include "clarifaiaccount.h"
#include "clarifaiclient.h"
#include "clarifaidialect.h"
#include "clarifaiencoder.h"
#include "clarifaihttp.h"
#include "clarifaistats.h"

G_BEGIN_DECLS

typedef struct _ClarifaiRequest ClarifaiRequest;

/* What a request tells the one that owns its frames.  @batch is the
 * user data the request was made with. */
typedef struct
{
  /* Frame @i's outcome, unless it has one already; @item may be NULL. */
  void (*complete) (gpointer batch, guint i, const gchar * status,
      const gchar * status_msg, const ClarifaiItemResult * item,
      const gchar * model);
  /* Whether the owner gave the frames up (flush, stop): no more attempts. */
  gboolean (*is_abandoned) (gpointer batch);
  /* Settings that can never work: from now on frames end with @status. */
  void (*fatal) (gpointer batch, const ClarifaiVerdict * verdict);
  /* The service became unreachable (@why set) or answered again. */
  void (*outage) (gpointer batch, const gchar * why);
  /* Every frame has its outcome; the request may be freed. */
  void (*finished) (gpointer batch);
} ClarifaiRequestOwner;

/* Shared by every request of a client; outlives them. */
typedef struct
{
  const ClarifaiRequestOwner *owner;
  const gchar *log_id;          /* the element's name */
  GMainContext *context;
  ClarifaiDialect *dialect;
  ClarifaiHttp *http;
  ClarifaiEncoder *encoder;
  ClarifaiAccount *account;
  ClarifaiStats *stats;
  guint retries;
  gint64 timeout_us;            /* of one exchange */
  gint jpeg_quality;
  ClarifaiLimits limits;
} ClarifaiRequestEnv;

#define CLARIFAI_BACKOFF_MAX_US (8 * G_TIME_SPAN_SECOND)

ClarifaiRequest *clarifai_request_new (const ClarifaiRequestEnv * env,
    GPtrArray * frames, gpointer batch);
void clarifai_request_start (ClarifaiRequest * req,
    const ClarifaiSizeLimits * limits);
void clarifai_request_cancel (ClarifaiRequest * req);
void clarifai_request_free (ClarifaiRequest * req);

gchar *clarifai_frame_input_id (const ClarifaiFrame * frame);

G_END_DECLS

#endif /* __CLARIFAI_REQUEST_H__ */
