/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_SINK_H__
#define __CLARIFAI_SINK_H__

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where the publisher delivers its lines: one file per kind of destination
 * (clarifaisinkfile.c, clarifaisinkmqtt.c).  A sink is opened on the
 * element's thread at start-up, where a destination that cannot work is an
 * error; everything else runs on the publisher's thread, in its main
 * context, and reports back through ClarifaiSinkCallbacks. */
typedef struct _ClarifaiSink ClarifaiSink;

typedef enum
{
  CLARIFAI_SINK_DELIVERED,      /* done: the line is out */
  CLARIFAI_SINK_IN_FLIGHT,      /* taken; delivered() follows */
  CLARIFAI_SINK_REFUSED,        /* not taken now; ready() follows */
  CLARIFAI_SINK_FAILED,         /* can never be delivered */
} ClarifaiSinkResult;

typedef struct
{
  /* the line sent IN_FLIGHT with @tag is delivered */
  void (*delivered) (gpointer tag, gpointer user_data);
  /* the sink takes lines again */
  void (*ready) (gpointer user_data);
  /* the destination became unreachable, or reachable again (@error NULL);
   * CLARIFAI_SINK_ERROR_CLOSED: for good, every later line FAILED */
  void (*outage) (const GError * error, gpointer user_data);
} ClarifaiSinkCallbacks;

typedef struct
{
  void (*start) (ClarifaiSink * sink, GMainContext * context);
  /* whether send() would take a line now */
  gboolean (*ready) (ClarifaiSink * sink);
  /* @tag: the publisher's, for delivered() */
  ClarifaiSinkResult (*send) (ClarifaiSink * sink, const gchar * line,
      gsize length, gpointer tag);
  /* optional: someone waits for the lines IN_FLIGHT (EOS, stop); deliver
   * them as soon as possible rather than when it suits */
  void (*set_prompt) (ClarifaiSink * sink, gboolean prompt);
  /* on the publisher's thread, before it ends: what is IN_FLIGHT now is
   * given up */
  void (*stop) (ClarifaiSink * sink);
  void (*free) (ClarifaiSink * sink);
} ClarifaiSinkFuncs;

struct _ClarifaiSink
{
  const ClarifaiSinkFuncs *funcs;
  ClarifaiSinkCallbacks callbacks;
  gpointer user_data;
};

#define CLARIFAI_SINK_ERROR (clarifai_sink_error_quark ())
GQuark clarifai_sink_error_quark (void);

typedef enum
{
  CLARIFAI_SINK_ERROR_URI,      /* not a destination this build can use */
  CLARIFAI_SINK_ERROR_OPEN,     /* cannot be opened or set up */
  CLARIFAI_SINK_ERROR_UNREACHABLE,      /* an outage */
  CLARIFAI_SINK_ERROR_CLOSED,   /* gone for good (a pipe's reader) */
} ClarifaiSinkError;

/* Settings a sink may use; the password is never logged. */
typedef struct
{
  const gchar *ca_file;
  const gchar *password;
} ClarifaiSinkSettings;

ClarifaiSink *clarifai_sink_open (const gchar * uri,
    const ClarifaiSinkSettings * settings, GError ** error);

ClarifaiSink *clarifai_sink_file_open (GUri * uri, GError ** error);
/* only in builds with the mqtt feature */
ClarifaiSink *clarifai_sink_mqtt_open (GUri * uri,
    const ClarifaiSinkSettings * settings, GError ** error);

G_END_DECLS

#endif /* __CLARIFAI_SINK_H__ */
