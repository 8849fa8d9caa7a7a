/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The token manager: one access token per account (api-url, client id and
 * secret) per process, shared by every element that uses that account.
 *
 * It holds no transport: the caller passes the function that talks to
 * /v1/token/, so the sharing, expiry and single-fetch logic is tested
 * without a network.  A v1 detail: see clarifaiv1.c. */

#include "clarifaitoken.h"

#include <gst/gst.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (clarifai_token_debug);
#define GST_CAT_DEFAULT clarifai_token_debug

struct _ClarifaiTokenManager
{
  gint ref_count;               /* guarded by the registry lock */
  gchar *key;                   /* NULL for a static (unshared) token */
  gchar *client_id;
  gchar *client_secret;

  GMutex lock;
  GCond cond;
  gchar *token;
  gint64 expires_at;            /* monotonic µs */
  gint64 refresh_at;
  gboolean fetching;
  guint64 generation;           /* bumped by every finished fetch */
  GError *last_error;           /* of the last fetch, for its waiters */
  guint64 fetch_count;
};

G_LOCK_DEFINE_STATIC (registry);
static GHashTable *registry;

static void
ensure_debug (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (clarifai_token_debug, "clarifaitoken", 0,
        "Clarifai token manager");
    g_once_init_leave (&done, 1);
  }
}

static ClarifaiTokenManager *
manager_new (void)
{
  ClarifaiTokenManager *mgr = g_new0 (ClarifaiTokenManager, 1);

  ensure_debug ();
  mgr->ref_count = 1;
  g_mutex_init (&mgr->lock);
  g_cond_init (&mgr->cond);
  return mgr;
}

/**
 * clarifai_token_manager_get_shared:
 *
 * Returns: (transfer full): the process-wide manager for this account,
 * kept for the life of the process.  The secret is part of the key, so a
 * wrong secret never rides on a token that a right one fetched.
 */
ClarifaiTokenManager *
clarifai_token_manager_get_shared (const gchar * api_url,
    const gchar * client_id, const gchar * client_secret)
{
  g_autofree gchar *key = g_strjoin ("\n", api_url, client_id,
      client_secret, NULL);
  ClarifaiTokenManager *mgr;

  G_LOCK (registry);
  if (registry == NULL)
    registry = g_hash_table_new (g_str_hash, g_str_equal);
  mgr = g_hash_table_lookup (registry, key);
  if (mgr) {
    mgr->ref_count++;
  } else {
    mgr = manager_new ();
    mgr->key = g_steal_pointer (&key);
    mgr->client_id = g_strdup (client_id);
    mgr->client_secret = g_strdup (client_secret);
    /* The registry keeps its own reference: a pipeline that stops and
     * starts again reuses its account's token instead of fetching one per
     * start. */
    mgr->ref_count++;
    g_hash_table_insert (registry, mgr->key, mgr);
  }
  G_UNLOCK (registry);
  return mgr;
}

/**
 * clarifai_token_manager_new_static:
 *
 * Returns: (transfer full): a manager that always hands out @access_token
 * and cannot renew it.
 */
ClarifaiTokenManager *
clarifai_token_manager_new_static (const gchar * access_token)
{
  ClarifaiTokenManager *mgr = manager_new ();

  mgr->token = g_strdup (access_token);
  mgr->expires_at = mgr->refresh_at = G_MAXINT64;
  return mgr;
}

void
clarifai_token_manager_unref (ClarifaiTokenManager * mgr)
{
  gboolean last;

  G_LOCK (registry);
  last = --mgr->ref_count == 0;
  G_UNLOCK (registry);
  if (!last)
    return;

  g_free (mgr->key);
  g_free (mgr->client_id);
  clarifai_secret_clear (&mgr->client_secret);
  clarifai_secret_clear (&mgr->token);
  g_clear_error (&mgr->last_error);
  g_mutex_clear (&mgr->lock);
  g_cond_clear (&mgr->cond);
  g_free (mgr);
}

/**
 * clarifai_token_refresh_margin:
 * @lifetime: a token's lifetime in µs
 *
 * How long before expiry a token is renewed: a minute, as the Java client
 * did, but never more than a fifth of the lifetime, so that short-lived
 * tokens are still used for most of their life.
 */
gint64
clarifai_token_refresh_margin (gint64 lifetime)
{
  return MIN (60 * G_USEC_PER_SEC, lifetime / 5);
}

static void
wake_waiters (GCancellable * cancellable, ClarifaiTokenManager * mgr)
{
  g_mutex_lock (&mgr->lock);
  g_cond_broadcast (&mgr->cond);
  g_mutex_unlock (&mgr->lock);
}

static void
store_token (ClarifaiTokenManager * mgr, gchar * token, gint64 expires_in)
{
  gint64 now = g_get_monotonic_time ();
  gint64 lifetime;

  /* A token without a lifetime is kept until the service refuses it. */
  lifetime = expires_in > 0 ? expires_in * G_USEC_PER_SEC : G_MAXINT64 / 4;
  clarifai_secret_clear (&mgr->token);
  mgr->token = token;
  mgr->expires_at = now + lifetime;
  mgr->refresh_at = mgr->expires_at - clarifai_token_refresh_margin (lifetime);
  GST_INFO ("new token, valid for %" G_GINT64_FORMAT " s", expires_in);
}

/**
 * clarifai_token_manager_get_token:
 * @fetch: how to ask the service for a token
 *
 * Returns a token that is valid now.  When none is cached, or the cached
 * one is due for renewal, one caller fetches while the others wait for its
 * result; during a renewal the old token, still valid, is handed out
 * without waiting.  A failed fetch fails every caller that waited for it,
 * so a rejected secret costs one request, not one per waiter.
 *
 * Returns: (transfer full): the token, or %NULL with @error set
 */
gchar *
clarifai_token_manager_get_token (ClarifaiTokenManager * mgr,
    ClarifaiTokenFetchFunc fetch, gpointer user_data,
    GCancellable * cancellable, GError ** error)
{
  gulong handler = 0;
  gchar *result = NULL;
  guint64 waited_for = 0;
  gboolean waiting = FALSE;

  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_waiters),
        mgr, NULL);

  g_mutex_lock (&mgr->lock);
  while (result == NULL) {
    gint64 now = g_get_monotonic_time ();

    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      break;
    if (mgr->token && (now < mgr->refresh_at || (mgr->fetching
                && now < mgr->expires_at) || mgr->key == NULL)) {
      result = g_strdup (mgr->token);
    } else if (waiting && mgr->generation != waited_for && mgr->last_error) {
      g_propagate_error (error, g_error_copy (mgr->last_error));
      break;
    } else if (mgr->fetching) {
      waiting = TRUE;
      waited_for = mgr->generation;
      g_cond_wait (&mgr->cond, &mgr->lock);
    } else {
      GError *err = NULL;
      gint64 expires_in = 0;
      gchar *token;

      mgr->fetching = TRUE;
      mgr->fetch_count++;
      g_mutex_unlock (&mgr->lock);
      token = fetch (mgr->client_id, mgr->client_secret, &expires_in,
          user_data, cancellable, &err);
      g_mutex_lock (&mgr->lock);
      mgr->fetching = FALSE;
      mgr->generation++;
      g_clear_error (&mgr->last_error);
      if (token) {
        store_token (mgr, token, expires_in);
      } else {
        /* A fetch cancelled by its caller's shutdown says nothing about the
         * account: its waiters try again themselves. */
        if (!g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
          mgr->last_error = g_error_copy (err);
        g_propagate_error (error, err);
      }
      g_cond_broadcast (&mgr->cond);
      if (token == NULL)
        break;
    }
  }
  g_mutex_unlock (&mgr->lock);

  if (handler)
    g_cancellable_disconnect (cancellable, handler);
  return result;
}

/**
 * clarifai_token_manager_invalidate:
 * @token: the token the service refused
 *
 * Drops @token if it is still the cached one, so the next caller fetches
 * a new one; a token renewed meanwhile by another user is kept.
 *
 * Returns: %FALSE if the manager cannot renew tokens (a fixed
 * `access-token`)
 */
gboolean
clarifai_token_manager_invalidate (ClarifaiTokenManager * mgr,
    const gchar * token)
{
  if (mgr->key == NULL)
    return FALSE;
  g_mutex_lock (&mgr->lock);
  if (mgr->token && g_strcmp0 (mgr->token, token) == 0) {
    clarifai_secret_clear (&mgr->token);
    GST_INFO ("token refused by the service, dropped");
  }
  g_mutex_unlock (&mgr->lock);
  return TRUE;
}

guint64
clarifai_token_manager_get_fetch_count (ClarifaiTokenManager * mgr)
{
  guint64 n;

  g_mutex_lock (&mgr->lock);
  n = mgr->fetch_count;
  g_mutex_unlock (&mgr->lock);
  return n;
}
