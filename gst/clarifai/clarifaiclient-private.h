/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The client's insides, shared by clarifaiclient.c (queue, batches, worker,
 * delivery) and clarifairequest.c (one tag request's exchanges with the
 * service).  Not installed, not for the element. */

#ifndef __CLARIFAI_CLIENT_PRIVATE_H__
#define __CLARIFAI_CLIENT_PRIVATE_H__

#include <libsoup/soup.h>

#include "clarifaiclient.h"
#include "clarifaiencoder.h"
#include "clarifaiprotocol.h"
#include "clarifaitoken.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (clarifai_client_debug);

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

/* clarifaiclient.c */
void clarifai_source_clear (GSource ** source);
gchar *clarifai_frame_local_id (const ClarifaiFrame * frame);
ClarifaiCompletion *clarifai_client_complete_locked (ClarifaiRequest * req,
    guint i, const gchar * status, const gchar * status_msg);
void clarifai_client_deliver (ClarifaiClient * c, GQueue * completions);
void clarifai_client_wake_locked (ClarifaiClient * c);

/* clarifairequest.c */
ClarifaiRequest *clarifai_request_new (ClarifaiClient * c, guint n);
void clarifai_request_start (ClarifaiRequest * req);
void clarifai_request_finish (ClarifaiRequest * req, const gchar * status,
    const gchar * status_msg);
void clarifai_client_fetch_info (ClarifaiClient * c);

G_END_DECLS

#endif /* __CLARIFAI_CLIENT_PRIVATE_H__ */
