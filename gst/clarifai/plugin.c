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

#include "clarifaimeta.h"
#include "gstclarifaioverlay.h"
#include "gstclarifaitag.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  if (!clarifai_tag_meta_register ())
    return FALSE;
  return GST_ELEMENT_REGISTER (clarifaitag, plugin)
      && GST_ELEMENT_REGISTER (clarifaioverlay, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, clarifai,
    "Tags video with the Clarifai image recognition API",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
