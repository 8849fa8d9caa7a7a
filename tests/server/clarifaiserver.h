/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_SERVER_H__
#define __CLARIFAI_SERVER_H__

#include <glib.h>

G_BEGIN_DECLS

/* The local reference server: a test double of the Clarifai v1 API for the
 * test suite and the demo.  It runs a SoupServer on its own thread and
 * loopback address, and tags each image with the names of its dominant
 * colours, their share of the pixels as the probability. */
typedef struct _ClarifaiServer ClarifaiServer;

#define CLARIFAI_SERVER_DEFAULT_API_KEY "test-api-key"

/* Faults the server can be told to inject; see clarifai_server_add_fault()
 * and docs/reference-server.md. */
typedef enum
{
  CLARIFAI_SERVER_FAULT_NONE,
  CLARIFAI_SERVER_FAULT_THROTTLE,
  CLARIFAI_SERVER_FAULT_THROTTLE_NO_HEADER,
  CLARIFAI_SERVER_FAULT_TOKEN_EXPIRED,
  CLARIFAI_SERVER_FAULT_TOKEN_INVALID,
  CLARIFAI_SERVER_FAULT_TOKEN_APP_INVALID,
  CLARIFAI_SERVER_FAULT_VISION_ERROR,
  CLARIFAI_SERVER_FAULT_UNAVAILABLE,
  CLARIFAI_SERVER_FAULT_SLOW,
  CLARIFAI_SERVER_FAULT_CLOSE,
  CLARIFAI_SERVER_FAULT_MALFORMED,
  CLARIFAI_SERVER_FAULT_TRUNCATED,
  CLARIFAI_SERVER_FAULT_HUGE,
  CLARIFAI_SERVER_FAULT_WRONG_CONTENT_TYPE,
  CLARIFAI_SERVER_FAULT_MISSING_RESULT,
  CLARIFAI_SERVER_FAULT_WRONG_IDS,
  CLARIFAI_SERVER_FAULT_NO_IDS,
  CLARIFAI_SERVER_FAULT_PARTIAL,
  CLARIFAI_SERVER_FAULT_NON_UTF8,
  CLARIFAI_SERVER_FAULT_TRY_AGAIN,
  CLARIFAI_SERVER_FAULT_REVERSE,
  CLARIFAI_SERVER_FAULT_KEY_REVOKED,
  CLARIFAI_SERVER_FAULT_UNKNOWN_CODE,
  CLARIFAI_SERVER_FAULT_TOKEN_SLOW,
  CLARIFAI_SERVER_FAULT_INFO_SLOW,
  CLARIFAI_SERVER_FAULT_BOXES_IN_PIXELS,
  CLARIFAI_SERVER_FAULT_BOXES_OUT_OF_RANGE,
} ClarifaiServerFault;

/* What the server saw of one /v1/tag/ or v2 outputs request. */
typedef struct
{
  guint api;                    /* 1 or 2 */
  guint n_images;
  gchar **local_ids;            /* v1 local_ids, v2 input ids, as received */
  gchar *model;
  gchar *language;
  gchar *select_classes;        /* v2: the select_concepts, comma-joined */
  gchar *authorization;
  gchar *content_type;
  gchar *user_id;               /* v2, from the path or user_app_id */
  gchar *app_id;
  gchar *model_version;
  gint64 max_concepts;          /* v2; -1 when not sent */
  gdouble min_value;            /* v2; -1 when not sent */
  gchar *shape;                 /* v2, of the first input: "image", "text"
                                 * (with a prompt) or "parts" */
  gchar *prompt;                /* v2, of the first input */
  gchar *method;                /* v2 metadata._method_name, or NULL */
  gint64 max_tokens;            /* v2; -1 when not sent */
  gdouble temperature;          /* v2; -1 when not sent */
  guint client_port;            /* v2: names the connection it came on */
  gsize body_size;              /* v2: bytes of the request's body */
} ClarifaiServerRequest;

ClarifaiServer *clarifai_server_new (void);
void clarifai_server_free (ClarifaiServer * server);

gboolean clarifai_server_start (ClarifaiServer * server, const gchar * address,
    guint port, GError ** error);
const gchar *clarifai_server_get_url (ClarifaiServer * server);

void clarifai_server_set_credentials (ClarifaiServer * server,
    const gchar * client_id, const gchar * client_secret);
void clarifai_server_set_api_key (ClarifaiServer * server,
    const gchar * api_key);
void clarifai_server_set_token_ttl (ClarifaiServer * server, gdouble seconds);
void clarifai_server_set_delay (ClarifaiServer * server, guint delay_ms);
void clarifai_server_set_info (ClarifaiServer * server, gboolean enabled,
    guint max_batch_size, guint max_image_size, guint min_image_size,
    guint64 max_image_bytes);
void clarifai_server_revoke_tokens (ClarifaiServer * server);
gchar *clarifai_server_issue_token (ClarifaiServer * server);
void clarifai_server_stop (ClarifaiServer * server);
gboolean clarifai_server_set_tls (ClarifaiServer * server,
    const gchar * cert_file, const gchar * key_file, GError ** error);

ClarifaiServerFault clarifai_server_fault_from_name (const gchar * name);
void clarifai_server_add_fault (ClarifaiServer * server,
    ClarifaiServerFault fault, guint count, guint param);
void clarifai_server_clear_faults (ClarifaiServer * server);

guint clarifai_server_get_token_requests (ClarifaiServer * server);
gchar **clarifai_server_get_issued_tokens (ClarifaiServer * server);
guint clarifai_server_get_info_requests (ClarifaiServer * server);
guint clarifai_server_get_model_requests (ClarifaiServer * server);
guint clarifai_server_get_connections (ClarifaiServer * server);
GPtrArray *clarifai_server_get_tag_requests (ClarifaiServer * server);
void clarifai_server_request_free (ClarifaiServerRequest * request);

G_END_DECLS

#endif /* __CLARIFAI_SERVER_H__ */
