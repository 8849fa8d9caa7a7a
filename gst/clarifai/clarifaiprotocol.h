/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_PROTOCOL_H__
#define __CLARIFAI_PROTOCOL_H__

#include <gio/gio.h>

#include "clarifairesult.h"

G_BEGIN_DECLS

#define CLARIFAI_PROTOCOL_ERROR (clarifai_protocol_error_quark ())
GQuark clarifai_protocol_error_quark (void);

/**
 * ClarifaiProtocolError:
 * @CLARIFAI_PROTOCOL_ERROR_MALFORMED: the body is not JSON, or not the
 *   JSON shape the endpoint answers with
 *
 * Errors of the pure v1 response parsers.
 */
typedef enum
{
  CLARIFAI_PROTOCOL_ERROR_MALFORMED,
} ClarifaiProtocolError;

typedef struct
{
  gchar *status_code;
  gchar *status_msg;
  gint64 code;                  /* v2's numeric status code; 0 in v1 */
  gchar *model;                 /* the model that answered, "" when absent */
  GPtrArray *items;             /* ClarifaiItemResult; empty when results is not an array */
} ClarifaiTagResponse;

/* Limits from /v1/info/; 0 means the service did not say. */
typedef struct
{
  guint max_batch_size;
  guint max_image_size;
  guint min_image_size;
  guint64 max_image_bytes;
} ClarifaiInfo;

ClarifaiTagResponse *clarifai_tag_response_parse (const gchar * data,
    gsize len, GError ** error);
gchar *clarifai_body_excerpt (const gchar * data, gsize len);
void clarifai_tag_response_free (ClarifaiTagResponse * response);

gboolean clarifai_token_response_parse (const gchar * data, gsize len,
    gchar ** access_token, gint64 * expires_in, GError ** error);

gboolean clarifai_info_response_parse (const gchar * data, gsize len,
    ClarifaiInfo * info, GError ** error);

gboolean clarifai_status_parse (const gchar * data, gsize len,
    gchar ** status_code, gchar ** status_msg);

ClarifaiItemResult *clarifai_item_result_find (ClarifaiTagResponse * response,
    const gchar * local_id, guint position, guint n_requested);

/* A multipart/form-data body kept as the list of its pieces, so that the
 * JPEG bytes are sent from where they are, never copied into it. */
typedef struct _ClarifaiForm ClarifaiForm;

ClarifaiForm *clarifai_form_new (void);
void clarifai_form_free (ClarifaiForm * form);
void clarifai_form_add_field (ClarifaiForm * form, const gchar * name,
    const gchar * value);
void clarifai_form_add_file (ClarifaiForm * form, const gchar * name,
    const gchar * filename, const gchar * content_type, GBytes * data);
void clarifai_form_finish (ClarifaiForm * form);
const gchar *clarifai_form_get_content_type (ClarifaiForm * form);
GPtrArray *clarifai_form_ref_pieces (ClarifaiForm * form);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClarifaiTagResponse, clarifai_tag_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClarifaiForm, clarifai_form_free)

G_END_DECLS

#endif /* __CLARIFAI_PROTOCOL_H__ */
