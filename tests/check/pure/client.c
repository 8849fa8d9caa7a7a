/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The client's settings checks and the account's outage gate, without a
 * network. */

#include "clarifaiclient.h"
#include "clarifaiaccount.h"

#include <string.h>

typedef struct
{
  const gchar *url;
  gboolean allow_insecure;
  gboolean ok;
} UrlCase;

static void
test_check_url (void)
{
  static const UrlCase cases[] = {
    {"https://api.clarifai.com", FALSE, TRUE},
    {"https://api.clarifai.com/", FALSE, TRUE},
    {"http://127.0.0.1:8080", FALSE, TRUE},
    {"http://127.1.2.3", FALSE, TRUE},
    {"http://localhost:1234", FALSE, TRUE},
    {"http://[::1]:1234", FALSE, TRUE},
    {"http://api.clarifai.com", FALSE, FALSE},
    {"http://api.clarifai.com", TRUE, TRUE},
    {"http://10.0.0.1", FALSE, FALSE},
    {"ftp://api.clarifai.com", TRUE, FALSE},
    {"api.clarifai.com", TRUE, FALSE},
    {"https://", TRUE, FALSE},
    {"", TRUE, FALSE},
    {NULL, TRUE, FALSE},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) err = NULL;
    gboolean ok = clarifai_client_check_url (cases[i].url,
        cases[i].allow_insecure, &err);

    g_assert_cmpint (ok, ==, cases[i].ok);
    if (!ok)
      g_assert_error (err, CLARIFAI_CLIENT_ERROR,
          CLARIFAI_CLIENT_ERROR_SETTINGS);
  }
}

/* api-url as Clarifai's docs write it, with the version, and user info
 * kept out of what is shown. */
static void
test_base_url (void)
{
  const gchar *cases[][2] = {
    {"https://api.clarifai.com/v2", "https://api.clarifai.com"},
    {"https://api.clarifai.com/v2/", "https://api.clarifai.com"},
    {"http://127.0.0.1:8080/V1", "http://127.0.0.1:8080"},
    {"https://proxy.example/clarifai/v2", "https://proxy.example/clarifai"},
    {"https://api.clarifai.com", NULL},
    {"https://api.clarifai.com/", NULL},
    {"https://v2", NULL},
    {"https://api.clarifai.com/v22", NULL},
  };
  g_autofree gchar *shown =
      clarifai_client_url_for_log ("http://user:pw@127.0.0.1:80/v2");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree gchar *base = clarifai_client_base_url (cases[i][0]);

    g_assert_cmpstr (base, ==, cases[i][1]);
  }
  g_assert_null (strstr (shown, "pw"));
  g_assert_null (strstr (shown, "user"));
  g_assert_nonnull (strstr (shown, "127.0.0.1"));
}

/* Seconds from now until @until, rounded. */
static gint64
secs_until (gint64 until)
{
  return (until - g_get_monotonic_time () + G_USEC_PER_SEC / 2) /
      G_USEC_PER_SEC;
}

/* A blip that fails 16 requests in flight closes the gate for one step
 * (1 s), not 2^15; only failed probes double it; requests sent before it
 * last opened change nothing; an answer opens it. */
static void
test_account_gate (void)
{
  ClarifaiAccount *account = clarifai_account_get ("test-gate");
  ClarifaiAccountTicket in_flight[16], probe, late;
  gint64 until = -1;
  guint i;

  for (i = 0; i < 16; i++)
    g_assert_true (clarifai_account_may_send (account, &in_flight[i], 0));
  for (i = 0; i < 16; i++) {
    g_assert_false (in_flight[i].probe);
    clarifai_account_failed (account, &in_flight[i], "NETWORK_ERROR", "reset",
        &until);
    g_assert_cmpint (secs_until (until), ==, 1);
  }
  g_assert_cmpint (secs_until (clarifai_account_get_down_until (account)), ==,
      1);
  g_assert_false (clarifai_account_may_send (account, &late, 0));

  /* the step is over: one probe, and the gate stays closed behind it for
   * as long as the probe may take (10 s here), not one more step */
  g_usleep (G_USEC_PER_SEC + 10000);
  g_assert_true (clarifai_account_may_send (account, &probe,
          10 * G_USEC_PER_SEC));
  g_assert_true (probe.probe);
  g_assert_cmpint (secs_until (clarifai_account_get_down_until (account)), ==,
      10);
  g_assert_false (clarifai_account_may_send (account, &late, 0));
  clarifai_account_failed (account, &probe, "NETWORK_ERROR", "refused", &until);
  g_assert_cmpint (secs_until (until), ==, 2);

  /* the probe's answer opens it; a request of before fails late, and
   * changes nothing */
  clarifai_account_answered (account);
  g_assert_cmpint (clarifai_account_get_down_until (account), ==, 0);
  clarifai_account_failed (account, &in_flight[0], "NETWORK_ERROR", "late",
      &until);
  g_assert_cmpint (until, ==, 0);
  g_assert_true (clarifai_account_may_send (account, &late, 0));
  g_assert_false (late.probe);
  clarifai_account_unref (account);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/client/check-url", test_check_url);
  g_test_add_func ("/client/account-gate", test_account_gate);
  g_test_add_func ("/client/base-url", test_base_url);
  return g_test_run ();
}
