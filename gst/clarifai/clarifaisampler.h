/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_SAMPLER_H__
#define __CLARIFAI_SAMPLER_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* Which frames go to the service: the first one, then the first whose
 * running time is at least the last sampled one's plus the interval. */
typedef struct
{
  GstClockTime last;            /* running time of the last sampled frame */
} ClarifaiSampler;

void clarifai_sampler_reset (ClarifaiSampler * sampler);
gboolean clarifai_sampler_is_due (ClarifaiSampler * sampler,
    GstClockTime running_time, GstClockTime interval);

G_END_DECLS

#endif /* __CLARIFAI_SAMPLER_H__ */
