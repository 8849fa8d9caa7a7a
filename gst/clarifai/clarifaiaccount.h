/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_ACCOUNT_H__
#define __CLARIFAI_ACCOUNT_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ClarifaiAccount ClarifaiAccount;

ClarifaiAccount *clarifai_account_get (const gchar * digest);
void clarifai_account_unref (ClarifaiAccount * account);

void clarifai_account_throttle (ClarifaiAccount * account, gint64 until);
gint64 clarifai_account_get_throttled_until (ClarifaiAccount * account);

/* The first step of an outage's backoff, and the longest. */
#define CLARIFAI_OUTAGE_STEP_US (1 * G_USEC_PER_SEC)
#define CLARIFAI_OUTAGE_MAX_STEP_US (30 * G_USEC_PER_SEC)

/* What a request was sent as: in which period of the gate (up, or one
 * outage), and whether as an outage's probe. */
typedef struct
{
  guint64 epoch;
  gboolean probe;
} ClarifaiAccountTicket;

gboolean clarifai_account_may_send (ClarifaiAccount * account,
    ClarifaiAccountTicket * ticket, gint64 timeout_us);
gint64 clarifai_account_get_down_until (ClarifaiAccount * account);
void clarifai_account_failed (ClarifaiAccount * account,
    const ClarifaiAccountTicket * ticket, const gchar * status,
    const gchar * status_msg, gint64 * until);
void clarifai_account_answered (ClarifaiAccount * account);
gchar *clarifai_account_down_message (ClarifaiAccount * account,
    gchar ** status);

G_END_DECLS

#endif /* __CLARIFAI_ACCOUNT_H__ */
