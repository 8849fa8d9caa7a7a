/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* One MQTT message per line, QoS 1, through libmosquitto driven by the
 * publisher's main context: the socket is a GSource, keepalive and
 * reconnection are timeouts.  libmosquitto keeps each QoS 1 message until
 * the broker acknowledges it and sends it again after a reconnection, so
 * a line IN_FLIGHT is delivered once the broker is back; the window of
 * lines handed to it is bounded, and the rest wait in the publisher's
 * queue.
 *
 * Acknowledgements are read when something else wakes the thread anyway
 * (the next line, the once-a-second tick), not as each arrives: a thread
 * woken from sleep pays tens of µs before it does anything, more than
 * the publish itself (B9).  They are read at once while connecting, when
 * the window is full, and while the publisher waits for them (EOS, stop). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifaisink.h"

#include <mosquitto.h>
#include <string.h>

#define MQTT_PORT 1883
#define MQTTS_PORT 8883
#define KEEPALIVE_S 10
#define MAX_IN_FLIGHT 20
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 10000

typedef struct
{
  ClarifaiSink sink;
  struct mosquitto *mosq;
  gchar *host;
  gint port;
  gchar *topic;
  gchar *where;                 /* for messages: mqtt[s]://host:port */

  GMainContext *context;
  GSource *io;
  gpointer io_tag;
  GSource *tick;                /* keepalive, while connected */
  GSource *retry;               /* reconnection, while not */
  guint backoff_ms;
  gboolean connected;
  gboolean down;                /* an outage was reported */
  gboolean prompt;              /* read acknowledgements as they come */
  gchar *refused;               /* why the broker refused the connection */
  gchar *last_error;            /* libmosquitto's last error line (TLS) */
  GHashTable *in_flight;        /* message id -> the publisher's tag */
} ClarifaiSinkMqtt;

static void mqtt_connect (ClarifaiSinkMqtt * m);

static void
destroy_source (GSource ** source)
{
  if (*source) {
    g_source_destroy (*source);
    g_clear_pointer (source, g_source_unref);
  }
}

static void
update_io (ClarifaiSinkMqtt * m)
{
  GIOCondition events = G_IO_ERR | G_IO_HUP;

  if (m->io == NULL)
    return;
  if (!m->connected || m->prompt
      || g_hash_table_size (m->in_flight) >= MAX_IN_FLIGHT)
    events |= G_IO_IN;
  if (mosquitto_want_write (m->mosq))
    events |= G_IO_OUT;
  g_source_modify_unix_fd (m->io, m->io_tag, events);
}

static gboolean
retry_cb (gpointer data)
{
  ClarifaiSinkMqtt *m = data;

  g_clear_pointer (&m->retry, g_source_unref);
  mqtt_connect (m);
  return G_SOURCE_REMOVE;
}

/* The connection is gone, or never came: one warning per outage, and
 * another attempt later, less and less often. */
static void
mqtt_lost (ClarifaiSinkMqtt * m, const gchar * why)
{
  destroy_source (&m->io);
  destroy_source (&m->tick);
  m->connected = FALSE;
  /* libmosquitto 2.0.21 (Debian 13) calls a failed handshake "Protocol
   * error" where 2.0.11 said "A TLS error occurred": OpenSSL's line says
   * which it was. */
  if (m->last_error && strstr (m->last_error, "OpenSSL"))
    why = "TLS handshake failed";
  if (!m->down) {
    g_autoptr (GError) error = g_error_new (CLARIFAI_SINK_ERROR,
        CLARIFAI_SINK_ERROR_UNREACHABLE, "MQTT broker %s: %s%s%s%s", m->where,
        m->refused ? m->refused : why, m->last_error ? " (" : "",
        m->last_error ? m->last_error : "", m->last_error ? ")" : "");

    m->down = TRUE;
    m->sink.callbacks.outage (error, m->sink.user_data);
  }
  g_clear_pointer (&m->refused, g_free);
  g_clear_pointer (&m->last_error, g_free);
  m->backoff_ms = CLAMP (m->backoff_ms * 2, BACKOFF_MIN_MS, BACKOFF_MAX_MS);
  destroy_source (&m->retry);
  m->retry = g_timeout_source_new (m->backoff_ms);
  g_source_set_callback (m->retry, retry_cb, m, NULL);
  g_source_attach (m->retry, m->context);
}

static const gchar *
describe (gint rc)
{
  return rc == MOSQ_ERR_ERRNO ? g_strerror (errno) : mosquitto_strerror (rc);
}

static gboolean
io_cb (gpointer data)
{
  ClarifaiSinkMqtt *m = data;
  GIOCondition revents = g_source_query_unix_fd (m->io, m->io_tag);
  gint rc = MOSQ_ERR_SUCCESS;

  if (revents & (G_IO_IN | G_IO_ERR | G_IO_HUP))
    rc = mosquitto_loop_read (m->mosq, 1);
  if (rc == MOSQ_ERR_SUCCESS && (revents & G_IO_OUT))
    rc = mosquitto_loop_write (m->mosq, 1);
  if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket (m->mosq) < 0) {
    /* The source is destroyed in there; GLib copes with that from its
     * own dispatch. */
    mqtt_lost (m, rc == MOSQ_ERR_SUCCESS ? "connection closed" : describe (rc));
    return G_SOURCE_REMOVE;
  }
  update_io (m);
  return G_SOURCE_CONTINUE;
}

/* Reads what has come, without waiting: acknowledgements, a closed
 * connection. */
static gint
read_pending (ClarifaiSinkMqtt * m)
{
  return m->connected ? mosquitto_loop_read (m->mosq, 1) : MOSQ_ERR_SUCCESS;
}

static gboolean
tick_cb (gpointer data)
{
  ClarifaiSinkMqtt *m = data;
  gint rc = read_pending (m);

  if (rc == MOSQ_ERR_SUCCESS)
    rc = mosquitto_loop_misc (m->mosq);
  if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket (m->mosq) < 0) {
    mqtt_lost (m, rc == MOSQ_ERR_SUCCESS ? "connection closed" : describe (rc));
    return G_SOURCE_REMOVE;
  }
  update_io (m);
  return G_SOURCE_CONTINUE;
}

static gboolean
io_dispatch (GSource * source, GSourceFunc callback, gpointer data)
{
  return callback (data);
}

static GSourceFuncs io_funcs = { NULL, NULL, io_dispatch, NULL, NULL, NULL };

static void
mqtt_connect (ClarifaiSinkMqtt * m)
{
  gint rc, fd;

  rc = mosquitto_connect_async (m->mosq, m->host, m->port, KEEPALIVE_S);
  fd = mosquitto_socket (m->mosq);
  if (rc != MOSQ_ERR_SUCCESS || fd < 0) {
    mqtt_lost (m, describe (rc));
    return;
  }
  m->io = g_source_new (&io_funcs, sizeof (GSource));
  m->io_tag = g_source_add_unix_fd (m->io, fd, G_IO_IN);
  g_source_set_callback (m->io, io_cb, m, NULL);
  g_source_attach (m->io, m->context);
  update_io (m);
  m->tick = g_timeout_source_new_seconds (1);
  g_source_set_callback (m->tick, tick_cb, m, NULL);
  g_source_attach (m->tick, m->context);
}

static void
on_connect (struct mosquitto *mosq, void *data, int rc)
{
  ClarifaiSinkMqtt *m = data;

  if (rc != 0) {
    /* The broker closes the connection next; the outage says why. */
    g_free (m->refused);
    m->refused = g_strdup_printf ("refused the connection: %s",
        mosquitto_connack_string (rc));
    return;
  }
  m->connected = TRUE;
  m->backoff_ms = 0;
  if (m->down) {
    m->down = FALSE;
    m->sink.callbacks.outage (NULL, m->sink.user_data);
  }
  m->sink.callbacks.ready (m->sink.user_data);
}

/* libmosquitto says why TLS failed only in its log: the error lines are
 * kept for the outage's warning.  It never logs a password. */
static void
on_log (struct mosquitto *mosq, void *data, int level, const char *text)
{
  ClarifaiSinkMqtt *m = data;

  if (level & MOSQ_LOG_ERR) {
    g_free (m->last_error);
    m->last_error = g_strdup (text);
  }
}

static void
on_publish (struct mosquitto *mosq, void *data, int mid)
{
  ClarifaiSinkMqtt *m = data;
  gpointer tag;

  if (!g_hash_table_steal_extended (m->in_flight, GINT_TO_POINTER (mid), NULL,
          &tag))
    return;
  m->sink.callbacks.delivered (tag, m->sink.user_data);
}

static void
mqtt_start (ClarifaiSink * sink, GMainContext * context)
{
  ClarifaiSinkMqtt *m = (ClarifaiSinkMqtt *) sink;

  m->context = context;
  mqtt_connect (m);
}

static gboolean
mqtt_ready (ClarifaiSink * sink)
{
  ClarifaiSinkMqtt *m = (ClarifaiSinkMqtt *) sink;

  return m->connected && g_hash_table_size (m->in_flight) < MAX_IN_FLIGHT;
}

static void
mqtt_set_prompt (ClarifaiSink * sink, gboolean prompt)
{
  ClarifaiSinkMqtt *m = (ClarifaiSinkMqtt *) sink;

  if (m->prompt == prompt)
    return;
  m->prompt = prompt;
  if (prompt && m->io && read_pending (m) != MOSQ_ERR_SUCCESS) {
    mqtt_lost (m, "connection closed");
    return;
  }
  update_io (m);
}

static ClarifaiSinkResult
mqtt_send (ClarifaiSink * sink, const gchar * line, gsize length, gpointer tag)
{
  ClarifaiSinkMqtt *m = (ClarifaiSinkMqtt *) sink;
  gint rc, mid = 0;

  /* the acknowledgements that came since the last line */
  if (read_pending (m) != MOSQ_ERR_SUCCESS) {
    mqtt_lost (m, "connection closed");
    return CLARIFAI_SINK_REFUSED;
  }
  rc = mosquitto_publish (m->mosq, &mid, m->topic, (gint) length, line, 1,
      false);

  update_io (m);
  switch (rc) {
    case MOSQ_ERR_SUCCESS:
    case MOSQ_ERR_NO_CONN:
    case MOSQ_ERR_CONN_LOST:
      /* Queued by libmosquitto whatever the connection does now: it is
       * sent, or sent again, once the broker is back. */
      g_hash_table_insert (m->in_flight, GINT_TO_POINTER (mid), tag);
      return CLARIFAI_SINK_IN_FLIGHT;
    default:
      g_warning ("clarifaitag: an MQTT message could not be published: %s",
          mosquitto_strerror (rc));
      return CLARIFAI_SINK_FAILED;
  }
}

static void
mqtt_stop (ClarifaiSink * sink)
{
  ClarifaiSinkMqtt *m = (ClarifaiSinkMqtt *) sink;

  if (m->connected) {
    mosquitto_disconnect (m->mosq);
    mosquitto_loop_write (m->mosq, 1);
  }
  destroy_source (&m->io);
  destroy_source (&m->tick);
  destroy_source (&m->retry);
  m->connected = FALSE;
}

static void
mqtt_free (ClarifaiSink * sink)
{
  ClarifaiSinkMqtt *m = (ClarifaiSinkMqtt *) sink;

  mosquitto_destroy (m->mosq);
  g_free (m->host);
  g_free (m->topic);
  g_free (m->where);
  g_free (m->refused);
  g_free (m->last_error);
  g_hash_table_unref (m->in_flight);
  g_free (m);
}

static const ClarifaiSinkFuncs mqtt_funcs = {
  mqtt_start, mqtt_ready, mqtt_send, mqtt_set_prompt, mqtt_stop, mqtt_free,
};

static gpointer
lib_init (gpointer data)
{
  mosquitto_lib_init ();
  return NULL;
}

static gboolean
set_error (GError ** error, gint code, const gchar * format, ...)
G_GNUC_PRINTF (3, 4);

     static gboolean
         set_error (GError ** error, gint code, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (CLARIFAI_SINK_ERROR, code,
          format, args));
  va_end (args);
  return FALSE;
}

static gboolean
mqtt_setup (ClarifaiSinkMqtt * m, GUri * uri, gboolean tls,
    const ClarifaiSinkSettings * settings, GError ** error)
{
  g_autofree gchar *user = NULL;
  gint rc;

  if (g_uri_get_user (uri))
    user = g_uri_unescape_string (g_uri_get_user (uri), NULL);
  if (settings->password && user == NULL)
    return set_error (error, CLARIFAI_SINK_ERROR_URI, "%s: a password is "
        "set (CLARIFAI_MQTT_PASSWORD) but the URI names no user "
        "(mqtt://user@host/topic)", m->where);
  if (user || settings->password) {
    rc = mosquitto_username_pw_set (m->mosq, user, settings->password);
    if (rc != MOSQ_ERR_SUCCESS)
      return set_error (error, CLARIFAI_SINK_ERROR_URI, "%s: user: %s",
          m->where, mosquitto_strerror (rc));
  }
  if (tls) {
    if (settings->ca_file)
      rc = mosquitto_tls_set (m->mosq, settings->ca_file, NULL, NULL, NULL,
          NULL);
    else
      rc = mosquitto_int_option (m->mosq, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
    if (rc != MOSQ_ERR_SUCCESS)
      return set_error (error, CLARIFAI_SINK_ERROR_OPEN, "%s: TLS cannot be "
          "set up with ca-file \"%s\": %s", m->where,
          settings->ca_file ? settings->ca_file : "(the system's)",
          mosquitto_strerror (rc));
    /* Peer and host name are verified: libmosquitto's defaults, said
     * here so that they stay. */
    mosquitto_tls_opts_set (m->mosq, 1, NULL, NULL);
    mosquitto_tls_insecure_set (m->mosq, false);
  }
  mosquitto_int_option (m->mosq, MOSQ_OPT_SEND_MAXIMUM, MAX_IN_FLIGHT);
  mosquitto_connect_callback_set (m->mosq, on_connect);
  mosquitto_publish_callback_set (m->mosq, on_publish);
  mosquitto_log_callback_set (m->mosq, on_log);
  return TRUE;
}

/**
 * clarifai_sink_mqtt_open:
 * @uri: `mqtt://[user@]host[:port]/topic` or `mqtts://...`
 *
 * Checks the URI and sets up the client; connecting is left to the
 * publisher's thread, where an unreachable broker is an outage, not an
 * error.
 */
ClarifaiSink *
clarifai_sink_mqtt_open (GUri * uri, const ClarifaiSinkSettings * settings,
    GError ** error)
{
  static GOnce once = G_ONCE_INIT;
  gboolean tls = g_ascii_strcasecmp (g_uri_get_scheme (uri), "mqtts") == 0;
  const gchar *host = g_uri_get_host (uri);
  const gchar *path = g_uri_get_path (uri);
  ClarifaiSinkMqtt *m;

  if (g_uri_get_password (uri)) {
    g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_URI,
        "the publish URI holds a password: put it in the "
        "CLARIFAI_MQTT_PASSWORD environment variable instead");
    return NULL;
  }
  if (host == NULL || *host == '\0') {
    g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_URI,
        "the publish URI names no broker host");
    return NULL;
  }
  /* '#' starts a URI's fragment: "mqtt://host/cams/#" means the wildcard
   * topic "cams/#", which no one can publish to. */
  if (g_uri_get_fragment (uri) && path && path[0] == '/') {
    g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_URI,
        "\"%s#%s\" is not a topic one can publish to (no + or #)", path + 1,
        g_uri_get_fragment (uri));
    return NULL;
  }
  if (path == NULL || path[0] != '/' || path[1] == '\0'
      || g_uri_get_query (uri) || g_uri_get_fragment (uri)) {
    g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_URI,
        "the publish URI names no topic: %s://%s/topic", tls ? "mqtts" :
        "mqtt", host);
    return NULL;
  }

  g_once (&once, lib_init, NULL);
  m = g_new0 (ClarifaiSinkMqtt, 1);
  m->sink.funcs = &mqtt_funcs;
  m->in_flight = g_hash_table_new (NULL, NULL);
  m->host = g_strdup (host);
  m->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) :
      tls ? MQTTS_PORT : MQTT_PORT;
  m->topic = g_uri_unescape_string (path + 1, NULL);
  m->where = g_strdup_printf ("%s://%s:%d", tls ? "mqtts" : "mqtt", host,
      m->port);
  m->mosq = mosquitto_new (NULL, true, m);

  if (m->topic == NULL
      || mosquitto_pub_topic_check (m->topic) != MOSQ_ERR_SUCCESS) {
    g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_URI,
        "\"%s\" is not a topic one can publish to (no + or #)", path + 1);
    goto failed;
  }
  if (m->mosq == NULL) {
    g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_OPEN,
        "the MQTT client cannot be made");
    goto failed;
  }
  if (!mqtt_setup (m, uri, tls, settings, error))
    goto failed;
  return &m->sink;

failed:
  mqtt_free (&m->sink);
  return NULL;
}
