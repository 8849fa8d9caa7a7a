/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* libFuzzer target: the /v1/info/ answer parser. */

#include <stdint.h>

#include "clarifaiprotocol.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  ClarifaiInfo info;

  clarifai_info_response_parse ((const gchar *) data, size, &info, NULL);
  return 0;
}
