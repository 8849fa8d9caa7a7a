/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_SETTINGS_H__
#define __CLARIFAI_SETTINGS_H__

#include "clarifaiclient.h"

G_BEGIN_DECLS

#define CLARIFAI_ENV_CLIENT_ID "CLARIFAI_CLIENT_ID"
#define CLARIFAI_ENV_CLIENT_SECRET "CLARIFAI_CLIENT_SECRET"
#define CLARIFAI_ENV_ACCESS_TOKEN "CLARIFAI_ACCESS_TOKEN"
#define CLARIFAI_ENV_PAT "CLARIFAI_PAT"
#define CLARIFAI_ENV_MQTT_PASSWORD "CLARIFAI_MQTT_PASSWORD"

#define CLARIFAI_SETTINGS_ERROR (clarifai_settings_error_quark ())
GQuark clarifai_settings_error_quark (void);

/**
 * ClarifaiSettingsError:
 * @CLARIFAI_SETTINGS_ERROR_FOREIGN: settings of the other API version
 * @CLARIFAI_SETTINGS_ERROR_NO_API_KEY: v2 without a key
 * @CLARIFAI_SETTINGS_ERROR_NO_CREDENTIALS: v1 without credentials
 * @CLARIFAI_SETTINGS_ERROR_EMPTY_LIST: a class list of commas only
 * @CLARIFAI_SETTINGS_ERROR_BAD_URL: an api-url that cannot work
 *
 * Why the element's settings cannot start it.  The message is the whole
 * explanation, naming the settings to change.
 */
typedef enum
{
  CLARIFAI_SETTINGS_ERROR_FOREIGN,
  CLARIFAI_SETTINGS_ERROR_NO_API_KEY,
  CLARIFAI_SETTINGS_ERROR_NO_CREDENTIALS,
  CLARIFAI_SETTINGS_ERROR_EMPTY_LIST,
  CLARIFAI_SETTINGS_ERROR_BAD_URL,
} ClarifaiSettingsError;

void clarifai_settings_copy (ClarifaiClientSettings * dst,
    const ClarifaiClientSettings * src);
void clarifai_settings_clear (ClarifaiClientSettings * s);
gboolean clarifai_settings_resolve (ClarifaiClientSettings * s,
    const gchar * alert_classes, GError ** error);
const gchar *clarifai_settings_error_summary (const GError * error);

G_END_DECLS

#endif /* __CLARIFAI_SETTINGS_H__ */
