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

#include <json-glib/json-glib.h>
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
  guint model_requests;         /* v2 GET of a model */
};

typedef struct
{
  const gchar *name;
  guint count;
} ColourBin;

/* The detector's grid: cells of at least this many pixels a side, at most
 * this many across and down. */
#define CLARIFAI_SERVER_CELL 4
#define CLARIFAI_SERVER_GRID 96
#define CLARIFAI_SERVER_MAX_BLOBS 16

typedef struct
{
  guint colour;                 /* into clarifai_server_colour_names */
  guint cells;
  guint x0, y0, x1, y1;         /* in cells, x1 and y1 past the end */
  gdouble left, top, right, bottom;     /* fractions of the image */
  gdouble fill;                 /* share of its box that is the blob */
} ServerBlob;

typedef struct
{
  guint width, height;
  guint64 total;
  ColourBin bins[CLARIFAI_SERVER_N_COLOURS];    /* most first */
  ServerBlob blobs[CLARIFAI_SERVER_MAX_BLOBS];  /* largest first */
  guint n_blobs;
} ServerImage;

typedef enum
{
  SERVER_KIND_CLASSIFIER,
  SERVER_KIND_DETECTOR,
  SERVER_KIND_CAPTIONER,
  SERVER_KIND_VLM,
} ServerModelKind;

typedef enum
{
  SERVER_MODEL_SERVED,
  SERVER_MODEL_PRIVATE,         /* decommissioned: made private */
  SERVER_MODEL_UNDEPLOYED,      /* runs only on the user's own deployment */
} ServerModelState;

typedef struct
{
  const gchar *user_id;
  const gchar *app_id;
  const gchar *id;
  const gchar *alt_id;          /* an older id of the same model, or NULL */
  const gchar *version;
  const gchar *name;
  const gchar *type_id;
  ServerModelKind kind;
  ServerModelState state;
  const gchar *signatures;      /* JSON; NULL for a legacy model */
} ServerModel;

/* One input of a v2 request, in either shape; strings point into it. */
typedef struct
{
  const gchar *shape;           /* "image", "text" (+ prompt) or "parts" */
  const gchar *image;           /* base64 */
  const gchar *prompt;
  const gchar *method;          /* metadata._method_name */
  gint64 max_tokens;            /* -1 when not sent */
  gdouble temperature;          /* -1 when not sent */
} ServerInput;

/* What a v2 request's output_config asks for. */
typedef struct
{
  gchar **names;                /* select_concepts names and ids */
  gint64 max_concepts;
  gdouble min_value;
  gboolean german;
} ServerConfig;

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
guint clarifai_server_client_port (SoupServerMessage * msg);
void clarifai_server_set_text (SoupServerMessage * msg, guint status,
    const gchar * type, const gchar * text);
gchar *clarifai_server_analyse_image (const guint8 * jpeg, gsize size,
    ServerImage * img);
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

JsonNode *clarifai_server_member (JsonObject * obj, const gchar * snake,
    const gchar * camel);
JsonObject *clarifai_server_object (JsonObject * obj, const gchar * snake,
    const gchar * camel);
const gchar *clarifai_server_string (JsonObject * obj, const gchar * name);
gboolean clarifai_server_number (JsonObject * obj, const gchar * snake,
    const gchar * camel, gdouble * out);
guchar *clarifai_server_decode_base64 (const gchar * text, gsize * len);

const ServerModel *clarifai_server_find_model (const gchar * user_id,
    const gchar * app_id, const gchar * id, gboolean * app_known);
guint clarifai_server_colour_index (const gchar * name);
void clarifai_server_model_describe (GString * out, const ServerModel * m,
    gboolean signatures);
void clarifai_server_read_input (JsonObject * data, ServerInput * in);
void clarifai_server_append_data (GString * out, const ServerModel * m,
    const ServerImage * img, const ServerInput * in, const gchar * seed,
    const ServerConfig * config, ClarifaiServerFault fault);

void clarifai_server_handle_v1 (SoupServer * soup, SoupServerMessage * msg,
    const gchar * path, GHashTable * query, gpointer data);
void clarifai_server_handle_v2 (SoupServer * soup, SoupServerMessage * msg,
    const gchar * path, GHashTable * query, gpointer data);

G_END_DECLS

#endif /* __CLARIFAI_SERVER_PRIVATE_H__ */
