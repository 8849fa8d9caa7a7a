/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_CLIENT_H__
#define __CLARIFAI_CLIENT_H__

#include <gst/gst.h>

#include "clarifairesult.h"
#include "clarifaiscaler.h"
#include "clarifaistats.h"

G_BEGIN_DECLS

#define CLARIFAI_CLIENT_ERROR (clarifai_client_error_quark ())
GQuark clarifai_client_error_quark (void);

/**
 * ClarifaiClientError:
 * @CLARIFAI_CLIENT_ERROR_SETTINGS: a setting that can never work
 * @CLARIFAI_CLIENT_ERROR_NETWORK: the service could not be reached
 */
typedef enum
{
  CLARIFAI_CLIENT_ERROR_SETTINGS,
  CLARIFAI_CLIENT_ERROR_NETWORK,
} ClarifaiClientError;

/**
 * ClarifaiApi:
 * @CLARIFAI_API_AUTO: v2 when an API key is set, else v1
 * @CLARIFAI_API_V1: the v1 API of the seed documents
 * @CLARIFAI_API_V2: today's v2 API, with a personal access token
 */
typedef enum
{
  CLARIFAI_API_AUTO,
  CLARIFAI_API_V1,
  CLARIFAI_API_V2,
} ClarifaiApi;

typedef struct
{
  gchar *log_id;                /* the element's name, for the logs */
  ClarifaiApi api;              /* resolved: V1 or V2 */
  gchar *api_url;
  gchar *client_id;
  gchar *client_secret;
  gchar *access_token;
  gchar *api_key;
  gchar *user_id;
  gchar *app_id;
  gchar *model;
  gchar *model_version;
  gchar *language;
  gchar *select_classes;
  gchar *prompt;                /* v2 */
  guint max_tokens;             /* v2 */
  gdouble temperature;          /* v2 */
  guint batch_size;
  GstClockTime batch_timeout;
  guint max_in_flight;
  guint queue_size;
  guint max_size;
  gint jpeg_quality;
  gdouble threshold;
  guint max_tags;
  GstClockTime timeout;
  guint retries;
  gboolean allow_insecure_http;
  gchar *ca_file;
} ClarifaiClientSettings;

/* A sampled frame on its way to the service.  Exactly one of image (raw
 * input, already scaled) and jpeg (image/jpeg input) is set. */
typedef struct
{
  guint64 sample_id;
  guint epoch;
  GstClockTime pts;
  GstClockTime duration;
  GstClockTime running_time;
  GstClockTime stream_time;
  gint64 sampled_at;            /* monotonic µs */
  gint64 sampled_wall;          /* real time µs, for the published record */
  ClarifaiImage *image;
  GBytes *jpeg;
} ClarifaiFrame;

/* A frame's outcome; item is NULL when the frame was not tagged. */
typedef struct
{
  const ClarifaiFrame *frame;
  const gchar *status;
  const gchar *status_msg;
  const gchar *docid;
  const gchar *model;
  const ClarifaiItemResult *item;
  GstClockTime latency;
} ClarifaiResult;

/* FATAL's error is a CLARIFAI_DIALECT_ERROR: rejected credentials, a
 * model or app that does not exist, an untrusted certificate. */
typedef enum
{
  CLARIFAI_CLIENT_EVENT_FATAL,
  CLARIFAI_CLIENT_EVENT_OUTAGE,
  CLARIFAI_CLIENT_EVENT_RECOVERED,
} ClarifaiClientEvent;

typedef void (*ClarifaiResultFunc) (const ClarifaiResult * result,
    gpointer user_data);
/* @status: FATAL: the status the frames end with from now on.
 * @http_status: FATAL: of the answer that decided it, 0 when there was
 * none (an untrusted certificate). */
typedef void (*ClarifaiEventFunc) (ClarifaiClientEvent event,
    const GError * error, const gchar * status, guint http_status,
    gpointer user_data);

typedef struct _ClarifaiClient ClarifaiClient;

ClarifaiFrame *clarifai_frame_new (void);
void clarifai_frame_free (ClarifaiFrame * frame);

gchar *clarifai_client_url_for_log (const gchar * api_url);
gchar *clarifai_client_base_url (const gchar * api_url);
gboolean clarifai_client_check_url (const gchar * api_url,
    gboolean allow_insecure, GError ** error);

ClarifaiClient *clarifai_client_new (const ClarifaiClientSettings * settings,
    ClarifaiStats * stats, ClarifaiResultFunc on_result,
    ClarifaiEventFunc on_event, gpointer user_data, GError ** error);
ClarifaiClient *clarifai_client_ref (ClarifaiClient * client);
void clarifai_client_unref (ClarifaiClient * client);
void clarifai_client_stop (ClarifaiClient * client);

void clarifai_client_push (ClarifaiClient * client, ClarifaiFrame * frame,
    gboolean wait);
void clarifai_client_set_flushing (ClarifaiClient * client,
    gboolean flushing);
void clarifai_client_fail (ClarifaiClient * client, ClarifaiFrame * frame,
    const gchar * status, const gchar * status_msg);
void clarifai_client_get_limits (ClarifaiClient * client,
    ClarifaiSizeLimits * limits);
void clarifai_client_drain (ClarifaiClient * client);
void clarifai_client_abandon (ClarifaiClient * client, const gchar * status,
    const gchar * status_msg);
void clarifai_client_resume (ClarifaiClient * client);
GstClockTime clarifai_client_get_drain_bound (ClarifaiClient * client);
guint64 clarifai_client_get_token_requests (ClarifaiClient * client);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClarifaiClient, clarifai_client_unref)

G_END_DECLS

#endif /* __CLARIFAI_CLIENT_H__ */
