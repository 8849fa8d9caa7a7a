/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "clarifaisampler.h"

void
clarifai_sampler_reset (ClarifaiSampler * sampler)
{
  sampler->last = GST_CLOCK_TIME_NONE;
}

/**
 * clarifai_sampler_is_due:
 * @running_time: the frame's running time, or %GST_CLOCK_TIME_NONE
 * @interval: the `interval` property; 0 samples every frame
 *
 * Decides whether a frame is sampled, and remembers it if so.  A frame
 * without a running time is sampled only when every frame is.  A running
 * time earlier than the last sampled one (a new segment that starts the
 * count again) samples at once rather than waiting for time to catch up.
 */
gboolean
clarifai_sampler_is_due (ClarifaiSampler * sampler, GstClockTime running_time,
    GstClockTime interval)
{
  if (!GST_CLOCK_TIME_IS_VALID (running_time))
    return interval == 0;
  if (GST_CLOCK_TIME_IS_VALID (sampler->last) && running_time >= sampler->last
      && running_time - sampler->last < interval)
    return FALSE;
  sampler->last = running_time;
  return TRUE;
}
