/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifaisink.h"

G_DEFINE_QUARK (clarifai - sink - error - quark, clarifai_sink_error);

/**
 * clarifai_sink_open:
 * @uri: `file://...`, `mqtt://...` or `mqtts://...`
 *
 * Returns: (transfer full): a sink not yet started, or %NULL with a
 * CLARIFAI_SINK_ERROR
 */
ClarifaiSink *
clarifai_sink_open (const gchar * uri, const ClarifaiSinkSettings * settings,
    GError ** error)
{
  g_autoptr (GUri) parsed = NULL;
  g_autoptr (GError) err = NULL;
  const gchar *scheme;

  parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED,
      &err);
  if (parsed == NULL) {
    g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_URI,
        "the publish URI is not a URI: %s", err->message);
    return NULL;
  }
  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "file") == 0)
    return clarifai_sink_file_open (parsed, error);
  if (g_ascii_strcasecmp (scheme, "mqtt") == 0
      || g_ascii_strcasecmp (scheme, "mqtts") == 0) {
#ifdef HAVE_MQTT
    return clarifai_sink_mqtt_open (parsed, settings, error);
#else
    g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_URI,
        "%s:// needs the plugin built with its \"mqtt\" feature "
        "(libmosquitto); this build has it disabled", scheme);
    return NULL;
#endif
  }
  g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_URI,
      "unsupported scheme \"%s\" (file://, mqtt:// or mqtts://)", scheme);
  return NULL;
}
