/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* libFuzzer target: the /v1/token/ answer parser and the status reader
 * used on error answers. */

#include <stdint.h>

#include "clarifaiprotocol.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  gchar *token = NULL, *code = NULL, *msg = NULL;
  gint64 expires_in;

  if (clarifai_token_response_parse ((const gchar *) data, size, &token,
          &expires_in, NULL))
    g_free (token);
  if (clarifai_status_parse ((const gchar *) data, size, &code, &msg)) {
    g_free (code);
    g_free (msg);
  }
  return 0;
}
