/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The reference server's insides, shared by its files: the core
 * (clarifaiserver.c), the tagger, the fault injection, and the v1 and v2
 * endpoints. */

#ifndef __CLARIFAI_SERVER_PRIVATE_H__
#define __CLARIFAI_SERVER_PRIVATE_H__

#include <libsoup/soup.h>

#include "clarifaiserver.h"

G_BEGIN_DECLS

#define CLARIFAI_SERVER_N_COLOURS 11

typedef struct
{
  gchar *token;
  gint64 expires_at;            /* monotonic µs */
} IssuedToken;

struct _ClarifaiServer
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *soup;
  gchar *url;
  GMutex lock;
  GCond cond;
  gboolean running;
  GError *start_error;

  /* settings and records, under the lock */
  gchar *client_id;
  gchar *client_secret;
  gdouble token_ttl;
  guint delay_ms;
  gboolean info_enabled;
  guint max_batch_size;
  guint max_image_size;
  guint min_image_size;
  guint64 max_image_bytes;
  GPtrArray *tokens;            /* IssuedToken */
  guint token_requests;
  guint info_requests;
  GPtrArray *tag_requests;      /* ClarifaiServerRequest */
  GHashTable *client_ports;     /* one per connection that made a request */
  GQueue faults;                /* Fault */
  GTlsCertificate *tls;
  GList *delayed;               /* GSource, server thread only */
  guint64 token_serial;
  gchar *api_key;               /* the v2 key it accepts */
  gint key_requests_left;       /* before the key is revoked; -1: never */
};

typedef struct
{
  const gchar *name;
  guint count;
} ColourBin;

typedef struct
{
  ClarifaiServerFault fault;
  guint remaining;              /* 0: until cleared */
  guint param;
} Fault;

extern const gchar *clarifai_server_colour_names[CLARIFAI_SERVER_N_COLOURS];

void clarifai_server_json_string (GString * out, const gchar * s);
void clarifai_server_set_json (SoupServerMessage * msg, guint status,
    GString * body);
void clarifai_server_set_text (SoupServerMessage * msg, guint status,
    const gchar * type, const gchar * text);
gchar *clarifai_server_tag_image (const guint8 * jpeg, gsize size,
    guint * width, guint * height, ColourBin * bins, guint64 * total);
typedef enum
{
  CLARIFAI_SERVER_ENDPOINT_TAG,   /* v1 /v1/tag/, v2 outputs */
  CLARIFAI_SERVER_ENDPOINT_TOKEN,
  CLARIFAI_SERVER_ENDPOINT_INFO,
} ClarifaiServerEndpoint;

ClarifaiServerFault clarifai_server_take_fault (ClarifaiServer * srv,
    ClarifaiServerEndpoint endpoint, guint * param);
void clarifai_server_break_answer (SoupServerMessage * msg,
    ClarifaiServerFault fault, guint param);
void clarifai_server_delay_answer (ClarifaiServer * srv,
    SoupServerMessage * msg, guint delay_ms);
void clarifai_server_close_mid_answer (SoupServerMessage * msg);
typedef void (*ClarifaiServerBreakFunc) (SoupServerMessage * msg,
    ClarifaiServerFault fault, guint param);
void clarifai_server_apply_fault (ClarifaiServer * srv,
    SoupServerMessage * msg, ClarifaiServerFault fault, guint param,
    guint delay_ms, ClarifaiServerBreakFunc break_answer);
ClarifaiServerRequest *clarifai_server_request_copy (const
    ClarifaiServerRequest * r);
void clarifai_server_request_clear (ClarifaiServerRequest * request);

void clarifai_server_handle_v1 (SoupServer * soup, SoupServerMessage * msg,
    const gchar * path, GHashTable * query, gpointer data);
void clarifai_server_handle_v2 (SoupServer * soup, SoupServerMessage * msg,
    const gchar * path, GHashTable * query, gpointer data);

G_END_DECLS

#endif /* __CLARIFAI_SERVER_PRIVATE_H__ */
