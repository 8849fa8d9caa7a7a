/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* libFuzzer target: the v2 answer parser with its reader of every model
 * kind's output (concepts, boxes, text, parts, tags in JSON text), what
 * the v2 dialect makes of an answer under each kind of HTTP status, and
 * what the client does with a parsed answer (matching frames, applying
 * limits to tags and boxes). */

#include <stdint.h>

#include "clarifaiv2.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static const guint http_status[] = { 200, 207, 400, 401, 404, 429, 503 };

static gchar *selected[] = { "person", "ai_x", "red", NULL };
static const ClarifaiLimits limits = { 0.25, 3, selected };

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  static ClarifaiDialect *dialect;
  ClarifaiHttpAnswer answer = { 0, };
  ClarifaiVerdict verdict = { 0, };
  ClarifaiTagResponse *r;
  guint i;

  if (dialect == NULL) {
    ClarifaiDialectSettings s = { 0, };

    s.api_url = "https://api.example.com";
    s.api_key = "fuzz";
    dialect = clarifai_dialect_v2_new (&s);
  }

  r = clarifai_v2_response_parse ((const gchar *) data, size, NULL);
  if (r) {
    for (i = 0; i < r->items->len; i++) {
      ClarifaiItemResult *item = clarifai_item_result_find (r, "frame-1", i,
          r->items->len);

      if (item)
        clarifai_item_result_apply_limits (item, &limits);
    }
    clarifai_tag_response_free (r);
  }

  answer.status = http_status[size % G_N_ELEMENTS (http_status)];
  answer.reason = "Fuzz";
  answer.retry_after_us = -1;
  answer.data = (const gchar *) data;
  answer.len = size;
  dialect->klass->classify (dialect, NULL, &answer, &verdict);
  clarifai_verdict_clear (&verdict);
  return 0;
}
