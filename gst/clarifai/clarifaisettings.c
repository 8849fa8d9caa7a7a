/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* From the element's properties to what its client runs with, at
 * start-up: credentials from the environment where the properties give
 * none, the API version `auto` stands for, and every setting that cannot
 * work refused here, with the setting named, rather than frame by frame
 * later. */

#include "config.h"

#include "clarifaisettings.h"
#include "clarifaidialect.h"
#include "clarifaiv2.h"

/* Spelled out: gst-indent would put spaces into G_DEFINE_QUARK's string. */
GQuark
clarifai_settings_error_quark (void)
{
  return g_quark_from_static_string ("clarifai-settings-error-quark");
}

/**
 * clarifai_settings_copy:
 *
 * Copies @src into @dst, strings and secrets included.
 */
void
clarifai_settings_copy (ClarifaiClientSettings * dst,
    const ClarifaiClientSettings * src)
{
  *dst = *src;
  dst->log_id = g_strdup (src->log_id);
  dst->api_url = g_strdup (src->api_url);
  dst->client_id = g_strdup (src->client_id);
  dst->client_secret = g_strdup (src->client_secret);
  dst->access_token = g_strdup (src->access_token);
  dst->api_key = g_strdup (src->api_key);
  dst->user_id = g_strdup (src->user_id);
  dst->app_id = g_strdup (src->app_id);
  dst->model = g_strdup (src->model);
  dst->model_version = g_strdup (src->model_version);
  dst->language = g_strdup (src->language);
  dst->select_classes = g_strdup (src->select_classes);
  dst->prompt = g_strdup (src->prompt);
  dst->ca_file = g_strdup (src->ca_file);
}

/* Frees the strings, wiping the secrets. */
void
clarifai_settings_clear (ClarifaiClientSettings * s)
{
  g_free (s->log_id);
  g_free (s->api_url);
  g_free (s->user_id);
  g_free (s->app_id);
  g_free (s->model);
  g_free (s->model_version);
  g_free (s->language);
  g_free (s->select_classes);
  g_free (s->prompt);
  g_free (s->ca_file);
  g_free (s->client_id);
  clarifai_secret_clear (&s->client_secret);
  clarifai_secret_clear (&s->access_token);
  clarifai_secret_clear (&s->api_key);
}

/* A comma list that is set but names nothing (",,,"): the service would
 * answer every frame MODEL_INVALID_ARGUMENT, or no alert would ever come. */
static gboolean
names_nothing (const gchar * list)
{
  const gchar *c;

  if (list == NULL || *list == '\0')
    return FALSE;
  for (c = list; *c; c++)
    if (*c != ',' && !g_ascii_isspace (*c))
      return FALSE;
  return TRUE;
}

/* @field (transfer full) unless empty, else the environment's value. */
static void
or_env (gchar ** field, const gchar * env, gboolean secret)
{
  const gchar *v;

  if (*field && **field)
    return;
  if (secret)
    clarifai_secret_clear (field);
  else
    g_clear_pointer (field, g_free);
  v = g_getenv (env);
  *field = v && *v ? g_strdup (v) : NULL;
}

/* Settings of the other dialect than the one in use, as a list for an
 * error message; NULL when there are none. */
static gchar *
foreign_settings (const ClarifaiClientSettings * given, ClarifaiApi api)
{
  GString *names = g_string_new (NULL);

  if (api == CLARIFAI_API_V2) {
    if (given->client_id)
      g_string_append (names, ", client-id");
    if (given->client_secret)
      g_string_append (names, ", client-secret");
    if (given->access_token)
      g_string_append (names, ", access-token");
  } else {
    if (given->api_key)
      g_string_append (names, ", api-key");
    if (given->model_version)
      g_string_append (names, ", model-version");
    if (given->prompt)
      g_string_append (names, ", prompt");
  }
  if (names->len == 0) {
    g_string_free (names, TRUE);
    return NULL;
  }
  g_string_erase (names, 0, 2);
  return g_string_free (names, FALSE);
}

static gboolean
check_foreign (const ClarifaiClientSettings * given, ClarifaiApi api,
    GError ** error)
{
  g_autofree gchar *foreign = foreign_settings (given, api);

  if (foreign == NULL)
    return TRUE;
  g_set_error (error, CLARIFAI_SETTINGS_ERROR,
      CLARIFAI_SETTINGS_ERROR_FOREIGN, "%s: only for the %s API; this "
      "element speaks %s. Unset them, or set api to the version they belong "
      "to (client-id, client-secret and access-token are v1; api-key, "
      "model-version and prompt are v2).", foreign,
      api == CLARIFAI_API_V2 ? "v1" : "v2",
      api == CLARIFAI_API_V2 ? "v2" : "v1");
  return FALSE;
}

static gboolean
check_credentials (ClarifaiClientSettings * s, GError ** error)
{
  /* Only the chosen dialect's credentials go on. */
  if (s->api == CLARIFAI_API_V2) {
    g_clear_pointer (&s->client_id, g_free);
    clarifai_secret_clear (&s->client_secret);
    clarifai_secret_clear (&s->access_token);
    if (s->api_key)
      return TRUE;
    g_set_error_literal (error, CLARIFAI_SETTINGS_ERROR,
        CLARIFAI_SETTINGS_ERROR_NO_API_KEY, "api=v2 needs a personal access "
        "token: set the api-key property or the " CLARIFAI_ENV_PAT
        " environment variable.");
    return FALSE;
  }
  clarifai_secret_clear (&s->api_key);
  if (s->access_token || (s->client_id && s->client_secret))
    return TRUE;
  g_set_error_literal (error, CLARIFAI_SETTINGS_ERROR,
      CLARIFAI_SETTINGS_ERROR_NO_CREDENTIALS, "Set api-key (or "
      CLARIFAI_ENV_PAT ") to use today's v2 API with a personal access "
      "token. For v1: the client-id and client-secret properties, or "
      "access-token, or the " CLARIFAI_ENV_CLIENT_ID " and "
      CLARIFAI_ENV_CLIENT_SECRET " (or " CLARIFAI_ENV_ACCESS_TOKEN
      ") environment variables.");
  return FALSE;
}

static gboolean
check_url (const ClarifaiClientSettings * s, GError ** error)
{
  g_autoptr (GError) err = NULL;

  if (clarifai_client_check_url (s->api_url, s->allow_insecure_http, &err))
    return TRUE;
  g_set_error_literal (error, CLARIFAI_SETTINGS_ERROR,
      CLARIFAI_SETTINGS_ERROR_BAD_URL, err->message);
  return FALSE;
}

static gboolean
check_list (const gchar * name, const gchar * list, GError ** error)
{
  if (!names_nothing (list))
    return TRUE;
  g_set_error (error, CLARIFAI_SETTINGS_ERROR,
      CLARIFAI_SETTINGS_ERROR_EMPTY_LIST, "%s is a comma-separated list of "
      "class names; it holds only commas and spaces. Name a class, or leave "
      "it unset.", name);
  return FALSE;
}

/**
 * clarifai_settings_resolve:
 * @s: the properties' values, resolved in place
 * @alert_classes: the alert-classes property, checked only
 *
 * Fills in credentials from the environment where the properties give
 * none (properties win; in v1 an access token wins over client
 * credentials), resolves `api=auto`, drops the other version's
 * credentials, takes an API version off api-url, and refuses what cannot
 * work.
 *
 * Returns: %FALSE with @error set (%CLARIFAI_SETTINGS_ERROR) when the
 * settings cannot start the element
 */
gboolean
clarifai_settings_resolve (ClarifaiClientSettings * s,
    const gchar * alert_classes, GError ** error)
{
  ClarifaiClientSettings given = *s;
  g_autofree gchar *base = NULL;

  or_env (&s->api_key, CLARIFAI_ENV_PAT, TRUE);
  or_env (&s->access_token, CLARIFAI_ENV_ACCESS_TOKEN, TRUE);
  or_env (&s->client_id, CLARIFAI_ENV_CLIENT_ID, FALSE);
  or_env (&s->client_secret, CLARIFAI_ENV_CLIENT_SECRET, TRUE);
  if (s->api == CLARIFAI_API_AUTO)
    s->api = s->api_key ? CLARIFAI_API_V2 : CLARIFAI_API_V1;
  /* what the properties said, not the environment: a shell that exports
   * both versions' variables must not stop an element */
  given.client_id = given.client_id && *given.client_id ? s->client_id : NULL;
  given.client_secret = given.client_secret && *given.client_secret ?
      s->client_secret : NULL;
  given.access_token = given.access_token && *given.access_token ?
      s->access_token : NULL;
  given.api_key = given.api_key && *given.api_key ? s->api_key : NULL;
  if (!check_foreign (&given, s->api, error)
      || !check_credentials (s, error)
      || !check_url (s, error)
      || !check_list ("select-classes", s->select_classes, error)
      || !check_list ("alert-classes", alert_classes, error))
    return FALSE;
  if ((base = clarifai_client_base_url (s->api_url))) {
    g_autofree gchar *shown = clarifai_client_url_for_log (base);

    g_free (s->api_url);
    s->api_url = g_steal_pointer (&base);
    GST_INFO_ID (s->log_id, "api-url names the API version; using %s, to "
        "which the element adds it", shown);
  }
  if (s->api == CLARIFAI_API_V2 && s->batch_size > CLARIFAI_V2_MAX_INPUTS)
    GST_INFO_ID (s->log_id, "batch-size %u is above v2's %u inputs per "
        "request, using %u", s->batch_size, CLARIFAI_V2_MAX_INPUTS,
        CLARIFAI_V2_MAX_INPUTS);
  return TRUE;
}

/**
 * clarifai_settings_error_summary:
 *
 * Returns: the one-line message of an element error for @error
 */
const gchar *
clarifai_settings_error_summary (const GError * error)
{
  if (error->domain != CLARIFAI_SETTINGS_ERROR)
    return "Invalid settings.";
  switch (error->code) {
    case CLARIFAI_SETTINGS_ERROR_FOREIGN:
      return "Settings of the other Clarifai API version are set.";
    case CLARIFAI_SETTINGS_ERROR_NO_API_KEY:
      return "No Clarifai API key.";
    case CLARIFAI_SETTINGS_ERROR_NO_CREDENTIALS:
      return "No Clarifai credentials.";
    case CLARIFAI_SETTINGS_ERROR_EMPTY_LIST:
      return "A class list names no class.";
    case CLARIFAI_SETTINGS_ERROR_BAD_URL:
      return "Invalid api-url.";
    default:
      return "Invalid settings.";
  }
}
