/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_V2_H__
#define __CLARIFAI_V2_H__

#include "clarifaidialect.h"

G_BEGIN_DECLS

/* Inputs per request the service accepts (clarifai-v2-api.md 3). */
#define CLARIFAI_V2_MAX_INPUTS 128
#define CLARIFAI_V2_DEFAULT_MODEL "general-image-recognition"

ClarifaiTagResponse *clarifai_v2_response_parse (const gchar * data,
    gsize len, GError ** error);
gchar *clarifai_v2_status_name (gint64 code);

G_END_DECLS

#endif /* __CLARIFAI_V2_H__ */
