/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_HTTP_H__
#define __CLARIFAI_HTTP_H__

#include <gio/gio.h>

#include "clarifaidialect.h"

G_BEGIN_DECLS

/* A batch of 128 images with their tags answers in well under 1 MiB. */
#define CLARIFAI_HTTP_MAX_ANSWER_BYTES (8 * 1024 * 1024)

/* @answer is NULL when @error is set; both belong to the transport. */
typedef void (*ClarifaiHttpDoneFunc) (const ClarifaiHttpAnswer * answer,
    const GError * error, gpointer user_data);

/* A blocking exchange's outcome, kept past the transport's callback:
 * @error, or the answer's status, reason and body. */
typedef struct
{
  guint status;
  gchar *reason;
  GBytes *body;
  GError *error;
} ClarifaiExchange;

ClarifaiHttp *clarifai_http_new (guint max_conns, gint64 timeout_us,
    GTlsDatabase * tls_database);
void clarifai_http_free (ClarifaiHttp * http);

void clarifai_http_send_async (ClarifaiHttp * http,
    const ClarifaiHttpRequest * request, GCancellable * cancellable,
    ClarifaiHttpDoneFunc done, gpointer user_data);
void clarifai_http_send_sync (ClarifaiHttp * http,
    const ClarifaiHttpRequest * request, GCancellable * cancellable,
    ClarifaiHttpDoneFunc done, gpointer user_data);

void clarifai_http_exchange (ClarifaiHttp * http,
    const ClarifaiHttpRequest * request, GCancellable * cancellable,
    ClarifaiExchange * exchange);
void clarifai_exchange_clear (ClarifaiExchange * exchange);

G_END_DECLS

#endif /* __CLARIFAI_HTTP_H__ */
