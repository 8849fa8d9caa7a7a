/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* libFuzzer target: the /v1/tag/ answer parser, and what the client does
 * with a parsed answer (matching frames, applying limits). */

#include <stdint.h>

#include "clarifaiprotocol.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static const ClarifaiLimits limits = { 0.25, 3, NULL };

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  ClarifaiTagResponse *r =
      clarifai_tag_response_parse ((const gchar *) data, size, NULL);
  guint i;

  if (r == NULL)
    return 0;
  for (i = 0; i < r->items->len; i++) {
    ClarifaiItemResult *item = clarifai_item_result_find (r, "frame-1", i,
        r->items->len);

    if (item)
      clarifai_item_result_apply_limits (item, &limits);
  }
  clarifai_tag_response_free (r);
  return 0;
}
