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
 * element holds for all of them; and when the service cannot be reached,
 * every endpoint (v1 token and info, tags) of every element of the account
 * backs off together, so that an outage costs a few requests a minute
 * rather than several per sampled frame. */

#include "clarifaiaccount.h"

struct _ClarifaiAccount
{
  gint ref_count;               /* under the registry lock */
  gchar *digest;
  gint64 throttled_until;       /* monotonic µs; under the registry lock */
  /* the outage, under the registry lock: 0 when the service is up */
  guint64 epoch;                /* counts the gate's openings and closings */
  gint64 step;
  gint64 down_until;            /* no request before this */
  gchar *down_status;           /* of the failure that closed the gate */
  gchar *down_msg;
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
    g_free (account->down_status);
    g_free (account->down_msg);
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

/**
 * clarifai_account_may_send:
 * @ticket: (out): what the request is sent as, for
 *   clarifai_account_failed()
 * @timeout_us: the longest the request may take
 *
 * Whether a request may go now.  In an outage, once the current step is
 * over, the first caller gets to send (the probe) and the gate stays
 * closed behind it until the probe's outcome decides what comes next:
 * one probe at a time, for as long as it may take.
 */
gboolean
clarifai_account_may_send (ClarifaiAccount * account,
    ClarifaiAccountTicket * ticket, gint64 timeout_us)
{
  gint64 now = g_get_monotonic_time ();
  gboolean may = TRUE;

  G_LOCK (registry);
  ticket->epoch = account->epoch;
  ticket->probe = FALSE;
  if (account->step) {
    may = now >= account->down_until;
    if (may) {
      account->down_until = now + MAX (account->step, timeout_us);
      ticket->probe = TRUE;
    }
  }
  G_UNLOCK (registry);
  return may;
}

/**
 * clarifai_account_get_down_until:
 *
 * Returns: while the gate is closed, when it opens (monotonic µs); 0 when
 * it is open.
 */
gint64
clarifai_account_get_down_until (ClarifaiAccount * account)
{
  gint64 until = 0;

  G_LOCK (registry);
  if (account->step && g_get_monotonic_time () < account->down_until)
    until = account->down_until;
  G_UNLOCK (registry);
  return until;
}

/**
 * clarifai_account_is_down:
 * @status: (out): the status of the failure that closed the gate
 * @status_msg: (out): its detail
 * @until: (out): when the gate opens again
 *
 * Returns: %TRUE while the gate is closed: frames are not sent then.
 */
static gboolean
clarifai_account_is_down (ClarifaiAccount * account, gchar ** status,
    gchar ** status_msg, gint64 * until)
{
  gboolean down;

  G_LOCK (registry);
  down = account->step && g_get_monotonic_time () < account->down_until;
  if (down) {
    *status = g_strdup (account->down_status);
    *status_msg = g_strdup (account->down_msg);
    *until = account->down_until;
  }
  G_UNLOCK (registry);
  return down;
}

/**
 * clarifai_account_down_message:
 *
 * Returns: (transfer full) (nullable): while the gate is closed, why, and
 * when the next attempt is, for the frames that fail meanwhile; %NULL when
 * it is open.  @status gets the status of the failure that closed it.
 */
gchar *
clarifai_account_down_message (ClarifaiAccount * account, gchar ** status)
{
  g_autofree gchar *msg = NULL;
  gint64 until;

  if (!clarifai_account_is_down (account, status, &msg, &until))
    return NULL;
  return g_strdup_printf ("%s (service unavailable; next attempt in %"
      G_GINT64_FORMAT " ms)", msg, MAX (until - g_get_monotonic_time (),
          0) / 1000);
}

/**
 * clarifai_account_failed:
 * @ticket: from the clarifai_account_may_send() that let the request go
 * @until: (out): when the gate opens again; 0 if it is open
 *
 * A request of the account got no answer, or a server error.  The first
 * such failure while the service was up closes the gate for a step
 * (1 s); a failed probe doubles the step (2 s, 4 s ... 30 s).  Requests
 * that were in flight before the gate closed, or before it last opened,
 * change nothing: a blip that fails many requests at once costs one step,
 * not one doubling per request.
 */
void
clarifai_account_failed (ClarifaiAccount * account,
    const ClarifaiAccountTicket * ticket, const gchar * status,
    const gchar * status_msg, gint64 * until)
{
  gboolean current, changed = FALSE;

  G_LOCK (registry);
  current = ticket->epoch == account->epoch;
  if (account->step == 0 && current) {
    account->step = CLARIFAI_OUTAGE_STEP_US;
    account->epoch++;
    changed = TRUE;
  } else if (account->step && ticket->probe && current) {
    account->step = MIN (account->step * 2, CLARIFAI_OUTAGE_MAX_STEP_US);
    changed = TRUE;
  }
  if (changed) {
    account->down_until = g_get_monotonic_time () + account->step;
    g_free (account->down_status);
    g_free (account->down_msg);
    account->down_status = g_strdup (status);
    account->down_msg = g_strdup (status_msg);
  }
  *until = account->step ? account->down_until : 0;
  G_UNLOCK (registry);
}

/**
 * clarifai_account_answered:
 *
 * The service answered a request of the account: the outage, if any, is
 * over.
 */
void
clarifai_account_answered (ClarifaiAccount * account)
{
  G_LOCK (registry);
  if (account->step)
    account->epoch++;
  account->step = 0;
  account->down_until = 0;
  G_UNLOCK (registry);
}
