/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_TEST_BROKER_H__
#define __CLARIFAI_TEST_BROKER_H__

#include <glib.h>

G_BEGIN_DECLS

/* Debian's mosquitto broker, run by the tests on a free loopback port with
 * a configuration of their own, in a directory of its own.  Subscriptions
 * of a persistent session survive a kill: the broker saves its state on
 * every change. */
typedef struct _TestBroker TestBroker;

typedef enum
{
  TEST_BROKER_PLAIN = 0,
  TEST_BROKER_TLS = 1 << 0,     /* the test certificate (tests/server/certs) */
  TEST_BROKER_PASSWORD = 1 << 1,        /* user "clarifai", password below */
} TestBrokerFlags;

#define TEST_BROKER_USER "clarifai"
#define TEST_BROKER_PASSWORD_TEXT "s3cret-broker-Pw-7731"

TestBroker *test_broker_new (TestBrokerFlags flags);
guint test_broker_port (TestBroker * broker);
void test_broker_start (TestBroker * broker);
void test_broker_kill (TestBroker * broker);
void test_broker_free (TestBroker * broker);

/* A subscriber with a persistent session, QoS 1, that keeps every message
 * of its topic. */
typedef struct _TestSubscriber TestSubscriber;

TestSubscriber *test_subscriber_new (TestBroker * broker,
    const gchar * topic);
GPtrArray *test_subscriber_wait (TestSubscriber * sub, guint n,
    guint timeout_ms);
guint test_subscriber_count (TestSubscriber * sub);
void test_subscriber_free (TestSubscriber * sub);

G_END_DECLS

#endif /* __CLARIFAI_TEST_BROKER_H__ */
