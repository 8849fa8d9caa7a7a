/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "broker.h"
#include "testutil.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <mosquitto.h>

struct _TestBroker
{
  TestBrokerFlags flags;
  gchar *dir;
  gchar *conf;
  guint port;
  GSubprocess *process;
};

static guint
free_port (void)
{
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback
      (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);

  if (!g_socket_bind (socket, any, FALSE, NULL))
    g_error ("cannot bind on loopback");
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static const gchar *
certs_dir (void)
{
  const gchar *dir = g_getenv ("CLARIFAI_TEST_CERTS");

  if (dir == NULL)
    g_error ("CLARIFAI_TEST_CERTS is not set");
  return dir;
}

static void
write_config (TestBroker * b)
{
  GString *conf = g_string_new (NULL);
  g_autoptr (GError) err = NULL;

  g_string_append_printf (conf, "listener %u 127.0.0.1\n"
      "persistence true\npersistence_location %s/\n"
      "autosave_on_changes true\nautosave_interval 1\n"
      "log_dest file %s/broker.log\nlog_type all\n", b->port, b->dir, b->dir);
  /* Started by root, mosquitto would become the user "mosquitto", who
   * cannot read this directory; it stays who runs the tests. */
  g_string_append_printf (conf, "user %s\n", g_get_user_name ());
  if (b->flags & TEST_BROKER_TLS)
    g_string_append_printf (conf, "cafile %s/cert.pem\ncertfile %s/cert.pem\n"
        "keyfile %s/key.pem\n", certs_dir (), certs_dir (), certs_dir ());
  if (b->flags & TEST_BROKER_PASSWORD)
    g_string_append_printf (conf, "allow_anonymous false\n"
        "password_file %s/passwd\n", b->dir);
  else
    g_string_append (conf, "allow_anonymous true\n");
  if (!g_file_set_contents (b->conf, conf->str, -1, &err))
    g_error ("%s", err->message);
  g_string_free (conf, TRUE);
}

static void
write_passwords (TestBroker * b)
{
  g_autofree gchar *file = g_build_filename (b->dir, "passwd", NULL);
  g_autoptr (GError) err = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE,
      &err, "mosquitto_passwd", "-b", "-c", file, TEST_BROKER_USER,
      TEST_BROKER_PASSWORD_TEXT, NULL);

  if (p == NULL || !g_subprocess_wait_check (p, NULL, &err))
    g_error ("mosquitto_passwd: %s", err->message);
}

/* Whether something accepts connections on the port. */
static gboolean
listening (guint port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn =
      g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return conn != NULL;
}

TestBroker *
test_broker_new (TestBrokerFlags flags)
{
  TestBroker *b = g_new0 (TestBroker, 1);
  g_autoptr (GError) err = NULL;

  if (g_getenv ("CLARIFAI_TEST_MOSQUITTO") == NULL)
    g_error ("CLARIFAI_TEST_MOSQUITTO does not name the broker to run");
  b->flags = flags;
  b->dir = g_dir_make_tmp ("clarifai-broker-XXXXXX", &err);
  if (b->dir == NULL)
    g_error ("%s", err->message);
  b->conf = g_build_filename (b->dir, "mosquitto.conf", NULL);
  b->port = free_port ();
  write_config (b);
  if (flags & TEST_BROKER_PASSWORD)
    write_passwords (b);
  return b;
}

guint
test_broker_port (TestBroker * b)
{
  return b->port;
}

/* Starts the broker on its port and waits until it listens. */
void
test_broker_start (TestBroker * b)
{
  g_autoptr (GError) err = NULL;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert (b->process == NULL);
  b->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
      G_SUBPROCESS_FLAGS_STDERR_SILENCE, &err,
      g_getenv ("CLARIFAI_TEST_MOSQUITTO"), "-c", b->conf, NULL);
  if (b->process == NULL)
    g_error ("cannot run mosquitto: %s", err->message);
  while (!listening (b->port)) {
    if (g_get_monotonic_time () > end)
      g_error ("mosquitto does not listen on port %u (see %s/broker.log)",
          b->port, b->dir);
    g_usleep (20000);
  }
}

/* Kills the broker as a crash would (SIGKILL). */
void
test_broker_kill (TestBroker * b)
{
  if (b->process == NULL)
    return;
  g_subprocess_force_exit (b->process);
  g_subprocess_wait (b->process, NULL, NULL);
  g_clear_object (&b->process);
}

void
test_broker_free (TestBroker * b)
{
  test_broker_kill (b);
  test_remove_dir (b->dir);
  g_free (b->dir);
  g_free (b->conf);
  g_free (b);
}

/* ---- subscriber ---- */

struct _TestSubscriber
{
  struct mosquitto *mosq;
  gchar *topic;
  GMutex lock;
  GCond cond;
  GPtrArray *messages;          /* of gchar* */
  gboolean subscribed;
};

static void
on_connect (struct mosquitto *mosq, void *data, int rc)
{
  TestSubscriber *s = data;

  if (rc == 0)
    mosquitto_subscribe (mosq, NULL, s->topic, 1);
}

static void
on_subscribe (struct mosquitto *mosq, void *data, int mid, int qos_count,
    const int *granted_qos)
{
  TestSubscriber *s = data;

  g_mutex_lock (&s->lock);
  s->subscribed = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
on_message (struct mosquitto *mosq, void *data,
    const struct mosquitto_message *msg)
{
  TestSubscriber *s = data;

  g_mutex_lock (&s->lock);
  g_ptr_array_add (s->messages, g_strndup (msg->payload, msg->payloadlen));
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

/* Connects, subscribes, and returns once the broker confirmed it. */
TestSubscriber *
test_subscriber_new (TestBroker * b, const gchar * topic)
{
  static guint serial;
  TestSubscriber *s = g_new0 (TestSubscriber, 1);
  g_autofree gchar *id = g_strdup_printf ("clarifai-test-%u-%u",
      (guint) getpid (), g_atomic_int_add (&serial, 1));
  g_autofree gchar *ca = g_build_filename (certs_dir (), "cert.pem", NULL);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  mosquitto_lib_init ();
  s->topic = g_strdup (topic);
  s->messages = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->mosq = mosquitto_new (id, false, s);
  if (b->flags & TEST_BROKER_PASSWORD)
    mosquitto_username_pw_set (s->mosq, TEST_BROKER_USER,
        TEST_BROKER_PASSWORD_TEXT);
  if (b->flags & TEST_BROKER_TLS)
    mosquitto_tls_set (s->mosq, ca, NULL, NULL, NULL, NULL);
  mosquitto_connect_callback_set (s->mosq, on_connect);
  mosquitto_subscribe_callback_set (s->mosq, on_subscribe);
  mosquitto_message_callback_set (s->mosq, on_message);
  mosquitto_reconnect_delay_set (s->mosq, 1, 1, false);
  if (mosquitto_connect (s->mosq, "127.0.0.1", (gint) b->port, 10) !=
      MOSQ_ERR_SUCCESS || mosquitto_loop_start (s->mosq) != MOSQ_ERR_SUCCESS)
    g_error ("the test subscriber cannot connect to port %u", b->port);

  g_mutex_lock (&s->lock);
  while (!s->subscribed)
    if (!g_cond_wait_until (&s->cond, &s->lock, end))
      g_error ("the test subscriber was not subscribed");
  g_mutex_unlock (&s->lock);
  return s;
}

/* Returns: (transfer full): a copy of the messages so far, once there
 * are @n or @timeout_ms passed */
GPtrArray *
test_subscriber_wait (TestSubscriber * s, guint n, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GPtrArray *copy = g_ptr_array_new_with_free_func (g_free);
  guint i;

  g_mutex_lock (&s->lock);
  while (s->messages->len < n)
    if (!g_cond_wait_until (&s->cond, &s->lock, end))
      break;
  for (i = 0; i < s->messages->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (s->messages, i)));
  g_mutex_unlock (&s->lock);
  return copy;
}

guint
test_subscriber_count (TestSubscriber * s)
{
  guint n;

  g_mutex_lock (&s->lock);
  n = s->messages->len;
  g_mutex_unlock (&s->lock);
  return n;
}

void
test_subscriber_free (TestSubscriber * s)
{
  mosquitto_disconnect (s->mosq);
  mosquitto_loop_stop (s->mosq, false);
  mosquitto_destroy (s->mosq);
  g_ptr_array_unref (s->messages);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s->topic);
  g_free (s);
}
