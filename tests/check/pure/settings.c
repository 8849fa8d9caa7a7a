/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Settings resolution at start-up: the environment under the properties,
 * api=auto, the other version's settings, credentials, class lists and
 * api-url. */

#include <string.h>

#include "clarifaisettings.h"

static void
clear_env (void)
{
  g_unsetenv (CLARIFAI_ENV_PAT);
  g_unsetenv (CLARIFAI_ENV_CLIENT_ID);
  g_unsetenv (CLARIFAI_ENV_CLIENT_SECRET);
  g_unsetenv (CLARIFAI_ENV_ACCESS_TOKEN);
}

static void
settings_init (ClarifaiClientSettings * s)
{
  memset (s, 0, sizeof (*s));
  s->api = CLARIFAI_API_AUTO;
  s->api_url = g_strdup ("https://api.clarifai.com");
  s->log_id = g_strdup ("test");
}

/* The environment fills what the properties leave unset; api=auto is v2
 * with a key, and v1's credentials from the environment are dropped. */
static void
test_env (void)
{
  ClarifaiClientSettings s;
  g_autoptr (GError) err = NULL;

  clear_env ();
  g_setenv (CLARIFAI_ENV_PAT, "env-key", TRUE);
  g_setenv (CLARIFAI_ENV_CLIENT_ID, "env-id", TRUE);
  settings_init (&s);
  g_assert_true (clarifai_settings_resolve (&s, NULL, &err));
  g_assert_no_error (err);
  g_assert_cmpint (s.api, ==, CLARIFAI_API_V2);
  g_assert_cmpstr (s.api_key, ==, "env-key");
  g_assert_null (s.client_id);
  clarifai_settings_clear (&s);

  /* a property wins */
  settings_init (&s);
  s.api_key = g_strdup ("prop-key");
  g_assert_true (clarifai_settings_resolve (&s, NULL, &err));
  g_assert_cmpstr (s.api_key, ==, "prop-key");
  clarifai_settings_clear (&s);

  /* no key: v1 with the environment's client credentials */
  clear_env ();
  g_setenv (CLARIFAI_ENV_CLIENT_ID, "env-id", TRUE);
  g_setenv (CLARIFAI_ENV_CLIENT_SECRET, "env-secret", TRUE);
  settings_init (&s);
  g_assert_true (clarifai_settings_resolve (&s, NULL, &err));
  g_assert_cmpint (s.api, ==, CLARIFAI_API_V1);
  g_assert_cmpstr (s.client_id, ==, "env-id");
  g_assert_cmpstr (s.client_secret, ==, "env-secret");
  clarifai_settings_clear (&s);
  clear_env ();
}

static void
assert_refused (ClarifaiClientSettings * s, const gchar * alert_classes,
    ClarifaiSettingsError code, const gchar * names)
{
  g_autoptr (GError) err = NULL;

  g_assert_false (clarifai_settings_resolve (s, alert_classes, &err));
  g_assert_error (err, CLARIFAI_SETTINGS_ERROR, (gint) code);
  g_assert_nonnull (strstr (err->message, names));
  g_assert_nonnull (clarifai_settings_error_summary (err));
  clarifai_settings_clear (s);
}

static void
test_refused (void)
{
  ClarifaiClientSettings s;

  clear_env ();
  settings_init (&s);
  s.api_key = g_strdup ("key");
  s.client_id = g_strdup ("id");
  assert_refused (&s, NULL, CLARIFAI_SETTINGS_ERROR_FOREIGN, "client-id");

  settings_init (&s);
  s.client_id = g_strdup ("id");
  s.client_secret = g_strdup ("secret");
  s.prompt = g_strdup ("What is there?");
  assert_refused (&s, NULL, CLARIFAI_SETTINGS_ERROR_FOREIGN, "prompt");

  settings_init (&s);
  s.api = CLARIFAI_API_V2;
  assert_refused (&s, NULL, CLARIFAI_SETTINGS_ERROR_NO_API_KEY, "api-key");

  settings_init (&s);
  s.client_id = g_strdup ("id");
  assert_refused (&s, NULL, CLARIFAI_SETTINGS_ERROR_NO_CREDENTIALS,
      "client-secret");

  settings_init (&s);
  s.api_key = g_strdup ("key");
  s.select_classes = g_strdup (" , ,,");
  assert_refused (&s, NULL, CLARIFAI_SETTINGS_ERROR_EMPTY_LIST,
      "select-classes");

  settings_init (&s);
  s.api_key = g_strdup ("key");
  assert_refused (&s, ",", CLARIFAI_SETTINGS_ERROR_EMPTY_LIST, "alert-classes");

  settings_init (&s);
  s.api_key = g_strdup ("key");
  g_free (s.api_url);
  s.api_url = g_strdup ("http://192.0.2.1");
  assert_refused (&s, NULL, CLARIFAI_SETTINGS_ERROR_BAD_URL,
      "allow-insecure-http");
}

/* The base URL as Clarifai's docs write it, with the version. */
static void
test_versioned_url (void)
{
  ClarifaiClientSettings s;
  g_autoptr (GError) err = NULL;

  clear_env ();
  settings_init (&s);
  s.api_key = g_strdup ("key");
  g_free (s.api_url);
  s.api_url = g_strdup ("https://api.clarifai.com/v2/");
  g_assert_true (clarifai_settings_resolve (&s, NULL, &err));
  g_assert_cmpstr (s.api_url, ==, "https://api.clarifai.com");
  clarifai_settings_clear (&s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/settings/env", test_env);
  g_test_add_func ("/settings/refused", test_refused);
  g_test_add_func ("/settings/versioned-url", test_versioned_url);
  return g_test_run ();
}
