/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The client's settings checks, without a network. */

#include "clarifaiclient.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/client/check-url", test_check_url);
  return g_test_run ();
}
