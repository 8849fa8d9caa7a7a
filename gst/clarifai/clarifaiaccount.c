/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What every element of one account shares in a process, whatever the
 * dialect: the service throttles per account, so a pause it asks of one
 * element holds for all of them. */

#include "clarifaiaccount.h"

struct _ClarifaiAccount
{
  gint ref_count;               /* under the registry lock */
  gchar *digest;
  gint64 throttled_until;       /* monotonic µs; under the registry lock */
};

G_LOCK_DEFINE_STATIC (registry);
static GHashTable *registry;

/**
 * clarifai_account_get:
 * @digest: from clarifai_account_digest()
 *
 * Returns: (transfer full): the process's record of this account
 */
ClarifaiAccount *
clarifai_account_get (const gchar * digest)
{
  ClarifaiAccount *account;

  G_LOCK (registry);
  if (registry == NULL)
    registry = g_hash_table_new (g_str_hash, g_str_equal);
  account = g_hash_table_lookup (registry, digest);
  if (account == NULL) {
    account = g_new0 (ClarifaiAccount, 1);
    account->digest = g_strdup (digest);
    g_hash_table_insert (registry, account->digest, account);
  }
  account->ref_count++;
  G_UNLOCK (registry);
  return account;
}

void
clarifai_account_unref (ClarifaiAccount * account)
{
  G_LOCK (registry);
  if (--account->ref_count == 0) {
    g_hash_table_remove (registry, account->digest);
    g_free (account->digest);
    g_free (account);
  }
  G_UNLOCK (registry);
}

/**
 * clarifai_account_throttle:
 * @until: monotonic time (µs) before which no request should be sent
 */
void
clarifai_account_throttle (ClarifaiAccount * account, gint64 until)
{
  G_LOCK (registry);
  account->throttled_until = MAX (account->throttled_until, until);
  G_UNLOCK (registry);
}

gint64
clarifai_account_get_throttled_until (ClarifaiAccount * account)
{
  gint64 until;

  G_LOCK (registry);
  until = account->throttled_until;
  G_UNLOCK (registry);
  return until;
}
