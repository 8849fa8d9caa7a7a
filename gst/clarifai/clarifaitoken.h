/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_TOKEN_H__
#define __CLARIFAI_TOKEN_H__

#include <gio/gio.h>

#include "clarifaidialect.h"

G_BEGIN_DECLS

typedef struct _ClarifaiTokenManager ClarifaiTokenManager;

/* Exchanges client credentials for a token; blocking, called on the thread
 * of whichever user of the manager needs the token first. */
typedef gchar *(*ClarifaiTokenFetchFunc) (const gchar * client_id,
    const gchar * client_secret, gint64 * expires_in, gpointer user_data,
    GCancellable * cancellable, GError ** error);

ClarifaiTokenManager *clarifai_token_manager_get_shared (const gchar * api_url,
    const gchar * client_id, const gchar * client_secret);
ClarifaiTokenManager *clarifai_token_manager_new_static (const gchar *
    access_token);
void clarifai_token_manager_unref (ClarifaiTokenManager * mgr);

gchar *clarifai_token_manager_get_token (ClarifaiTokenManager * mgr,
    ClarifaiTokenFetchFunc fetch, gpointer user_data,
    GCancellable * cancellable, GError ** error);
gboolean clarifai_token_manager_invalidate (ClarifaiTokenManager * mgr,
    const gchar * token);
guint64 clarifai_token_manager_get_fetch_count (ClarifaiTokenManager * mgr);

gint64 clarifai_token_refresh_margin (gint64 lifetime);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClarifaiTokenManager,
    clarifai_token_manager_unref)

G_END_DECLS

#endif /* __CLARIFAI_TOKEN_H__ */
