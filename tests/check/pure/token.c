/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The token manager without a network: a fake fetch function counts the
 * calls the manager makes. */

#include <gst/gst.h>

#include "clarifaisampler.h"
#include "clarifaitoken.h"

typedef struct
{
  gint calls;
  gint64 expires_in;
  guint sleep_ms;
  gboolean fail;
  GMutex lock;
  GCond cond;
  gboolean gated;               /* fetches wait for open_gate() */
  gboolean fetching;
  gboolean open;
} FakeService;

static void
open_gate (FakeService * svc)
{
  g_mutex_lock (&svc->lock);
  svc->open = TRUE;
  g_cond_broadcast (&svc->cond);
  g_mutex_unlock (&svc->lock);
}

static void
wait_fetching (FakeService * svc)
{
  g_mutex_lock (&svc->lock);
  while (!svc->fetching)
    g_cond_wait (&svc->cond, &svc->lock);
  g_mutex_unlock (&svc->lock);
}

static gchar *
fake_fetch (const gchar * client_id, const gchar * client_secret,
    gint64 * expires_in, gpointer user_data, GCancellable * cancellable,
    GError ** error)
{
  FakeService *svc = user_data;
  gint n = g_atomic_int_add (&svc->calls, 1) + 1;

  g_assert_cmpstr (client_id, ==, "id");
  g_assert_cmpstr (client_secret, ==, "secret");
  g_usleep (svc->sleep_ms * 1000);
  g_mutex_lock (&svc->lock);
  svc->fetching = TRUE;
  g_cond_broadcast (&svc->cond);
  while (svc->gated && !svc->open)
    g_cond_wait (&svc->cond, &svc->lock);
  g_mutex_unlock (&svc->lock);
  if (svc->fail) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
        "TOKEN_APP_INVALID");
    return NULL;
  }
  *expires_in = svc->expires_in;
  return g_strdup_printf ("token-%d", n);
}

static void
test_margin (void)
{
  g_assert_cmpint (clarifai_token_refresh_margin (36000 * G_TIME_SPAN_SECOND),
      ==, 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (clarifai_token_refresh_margin (2 * G_TIME_SPAN_SECOND), ==,
      400 * G_TIME_SPAN_MILLISECOND);
}

/* One manager per account: same url, id and secret share, anything else
 * does not. */
static void
test_shared (void)
{
  g_autoptr (ClarifaiTokenManager) a =
      clarifai_token_manager_get_shared ("http://x", "id", "secret");
  g_autoptr (ClarifaiTokenManager) b =
      clarifai_token_manager_get_shared ("http://x", "id", "secret");
  g_autoptr (ClarifaiTokenManager) c =
      clarifai_token_manager_get_shared ("http://x", "id", "other");
  g_autoptr (ClarifaiTokenManager) d =
      clarifai_token_manager_get_shared ("http://y", "id", "secret");

  g_assert_true (a == b);
  g_assert_true (a != c);
  g_assert_true (a != d);
}

/* The token is cached; a refused one is dropped and fetched again. */
static void
test_cache_and_invalidate (void)
{
  FakeService svc = {.expires_in = 3600,.sleep_ms = 0,.fail = FALSE };
  g_autoptr (ClarifaiTokenManager) m =
      clarifai_token_manager_get_shared ("http://cache", "id", "secret");
  g_autofree gchar *t1 = NULL, *t2 = NULL, *t3 = NULL;

  t1 = clarifai_token_manager_get_token (m, fake_fetch, &svc, NULL, NULL);
  t2 = clarifai_token_manager_get_token (m, fake_fetch, &svc, NULL, NULL);
  g_assert_cmpstr (t1, ==, "token-1");
  g_assert_cmpstr (t2, ==, "token-1");
  g_assert_cmpint (svc.calls, ==, 1);

  /* A stale refusal (of a token already replaced) keeps the new one. */
  g_assert_true (clarifai_token_manager_invalidate (m, "token-0"));
  g_assert_true (clarifai_token_manager_invalidate (m, "token-1"));
  t3 = clarifai_token_manager_get_token (m, fake_fetch, &svc, NULL, NULL);
  g_assert_cmpstr (t3, ==, "token-2");
  g_assert_cmpint (svc.calls, ==, 2);
  g_assert_cmpuint (clarifai_token_manager_get_fetch_count (m), ==, 2);
}

typedef struct
{
  ClarifaiTokenManager *m;
  FakeService *svc;
  gchar *token;
  GError *error;
} Caller;

static gpointer
call (gpointer data)
{
  Caller *c = data;

  c->token = clarifai_token_manager_get_token (c->m, fake_fetch, c->svc,
      NULL, &c->error);
  return NULL;
}

static void
run_callers (ClarifaiTokenManager * m, FakeService * svc, Caller * callers,
    guint n)
{
  GThread *threads[16];
  guint i;

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (threads));
  for (i = 0; i < n; i++) {
    callers[i].m = m;
    callers[i].svc = svc;
    threads[i] = g_thread_new ("caller", call, &callers[i]);
  }
  for (i = 0; i < n; i++)
    g_thread_join (threads[i]);
}

/* Sixteen threads needing a token at once cause one fetch. */
static void
test_single_fetch (void)
{
  FakeService svc = {.expires_in = 3600,.sleep_ms = 100,.fail = FALSE };
  g_autoptr (ClarifaiTokenManager) m =
      clarifai_token_manager_get_shared ("http://single", "id", "secret");
  Caller callers[16] = { {0,}, };
  guint i;

  run_callers (m, &svc, callers, 16);
  g_assert_cmpint (svc.calls, ==, 1);
  for (i = 0; i < 16; i++) {
    g_assert_no_error (callers[i].error);
    g_assert_cmpstr (callers[i].token, ==, "token-1");
    g_free (callers[i].token);
  }
}

/* A rejected fetch fails its waiters too, without a fetch of their own:
 * the fetch is held until all the others are waiting for it. */
static void
test_failure_shared (void)
{
  FakeService svc = {.expires_in = 3600,.sleep_ms = 0,.fail = TRUE };
  g_autoptr (ClarifaiTokenManager) m =
      clarifai_token_manager_get_shared ("http://fail", "id", "secret");
  Caller callers[8] = { {0,}, };
  GThread *threads[8];
  guint i;

  svc.gated = TRUE;
  for (i = 0; i < 8; i++) {
    callers[i].m = m;
    callers[i].svc = &svc;
    threads[i] = g_thread_new ("caller", call, &callers[i]);
    if (i == 0)
      wait_fetching (&svc);
  }
  /* the others block on the manager at once; give slow machines time */
  g_usleep (300 * 1000);
  open_gate (&svc);
  for (i = 0; i < 8; i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (svc.calls, ==, 1);
  for (i = 0; i < 8; i++) {
    g_assert_null (callers[i].token);
    g_assert_error (callers[i].error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
    g_clear_error (&callers[i].error);
  }
}

/* A token is renewed before it expires: with a 1 s lifetime, after 0.9 s
 * the next caller gets a new one. */
static void
test_renewal (void)
{
  FakeService svc = {.expires_in = 1,.sleep_ms = 0,.fail = FALSE };
  g_autoptr (ClarifaiTokenManager) m =
      clarifai_token_manager_get_shared ("http://renew", "id", "secret");
  g_autofree gchar *t1 = NULL, *t2 = NULL, *t3 = NULL;

  t1 = clarifai_token_manager_get_token (m, fake_fetch, &svc, NULL, NULL);
  t2 = clarifai_token_manager_get_token (m, fake_fetch, &svc, NULL, NULL);
  g_assert_cmpstr (t1, ==, t2);
  g_usleep (900 * 1000);
  t3 = clarifai_token_manager_get_token (m, fake_fetch, &svc, NULL, NULL);
  g_assert_cmpstr (t3, ==, "token-2");
  g_assert_cmpint (svc.calls, ==, 2);
}

typedef struct
{
  ClarifaiTokenManager *m;
  FakeService *svc;
  GCancellable *cancellable;
  GError *error;
  gchar *token;
  gint done;
} Waiter;

static gpointer
wait_for_token (gpointer data)
{
  Waiter *w = data;

  w->token = clarifai_token_manager_get_token (w->m, fake_fetch, w->svc,
      w->cancellable, &w->error);
  g_atomic_int_set (&w->done, 1);
  return NULL;
}

/* A caller waiting for another one's fetch returns as soon as it is
 * cancelled, while that fetch is still held: cancelling wakes it. */
static void
test_cancel_waiter (void)
{
  FakeService svc = {.expires_in = 3600,.sleep_ms = 0,.fail = FALSE };
  g_autoptr (ClarifaiTokenManager) m =
      clarifai_token_manager_get_shared ("http://cancel", "id", "secret");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Waiter waiter = { m, &svc, cancellable, NULL, NULL, 0 };
  Caller fetcher = { 0, };
  GThread *fetching, *waiting;
  gint64 deadline;

  svc.gated = TRUE;
  fetcher.m = m;
  fetcher.svc = &svc;
  fetching = g_thread_new ("fetcher", call, &fetcher);
  wait_fetching (&svc);
  waiting = g_thread_new ("waiter", wait_for_token, &waiter);
  /* let it block on the manager; give slow machines time */
  g_usleep (300 * 1000);
  g_assert_false (g_atomic_int_get (&waiter.done));
  g_cancellable_cancel (cancellable);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!g_atomic_int_get (&waiter.done)
      && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  /* still gated: only the cancellation can have woken it */
  g_assert_true (g_atomic_int_get (&waiter.done));
  open_gate (&svc);
  g_thread_join (waiting);
  g_thread_join (fetching);
  g_assert_null (waiter.token);
  g_assert_error (waiter.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&waiter.error);
  g_assert_cmpstr (fetcher.token, ==, "token-1");
  g_free (fetcher.token);
}

static void
test_static (void)
{
  g_autoptr (ClarifaiTokenManager) m =
      clarifai_token_manager_new_static ("fixed");
  FakeService svc = {.expires_in = 3600,.sleep_ms = 0,.fail = FALSE };
  g_autofree gchar *t = clarifai_token_manager_get_token (m, fake_fetch, &svc,
      NULL, NULL);

  g_assert_cmpstr (t, ==, "fixed");
  g_assert_false (clarifai_token_manager_invalidate (m, "fixed"));
  g_assert_cmpint (svc.calls, ==, 0);
}

/* Sampling by running time: first frame, then the first at least one
 * interval after the last sampled one. */
static void
test_sampler (void)
{
  ClarifaiSampler s;
  guint i, n = 0;

  clarifai_sampler_reset (&s);
  for (i = 0; i < 90; i++)
    if (clarifai_sampler_is_due (&s, i * GST_SECOND / 30, GST_SECOND)) {
      g_assert_cmpuint (i % 30, ==, 0);
      n++;
    }
  g_assert_cmpuint (n, ==, 3);

  clarifai_sampler_reset (&s);
  g_assert_false (clarifai_sampler_is_due (&s, GST_CLOCK_TIME_NONE,
          GST_SECOND));
  g_assert_true (clarifai_sampler_is_due (&s, GST_CLOCK_TIME_NONE, 0));
  g_assert_true (clarifai_sampler_is_due (&s, 5 * GST_SECOND, GST_SECOND));
  g_assert_false (clarifai_sampler_is_due (&s, 5 * GST_SECOND, GST_SECOND));
  /* running time starting again, as after a new segment */
  g_assert_true (clarifai_sampler_is_due (&s, 0, GST_SECOND));
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/token/margin", test_margin);
  g_test_add_func ("/token/shared", test_shared);
  g_test_add_func ("/token/cache-and-invalidate", test_cache_and_invalidate);
  g_test_add_func ("/token/single-fetch", test_single_fetch);
  g_test_add_func ("/token/failure-shared", test_failure_shared);
  g_test_add_func ("/token/renewal", test_renewal);
  g_test_add_func ("/token/cancel-waiter", test_cancel_waiter);
  g_test_add_func ("/token/static", test_static);
  g_test_add_func ("/sampler/interval", test_sampler);
  return g_test_run ();
}
