/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Time arithmetic that saturates instead of wrapping, and the timers the
 * helpers arm on their threads' main contexts. */

#ifndef __CLARIFAI_TIME_H__
#define __CLARIFAI_TIME_H__

#include <glib.h>

G_BEGIN_DECLS

static inline guint64
clarifai_sat_add (guint64 a, guint64 b)
{
  return a > G_MAXUINT64 - b ? G_MAXUINT64 : a + b;
}

static inline guint64
clarifai_sat_mul (guint64 a, guint64 b)
{
  return b && a > G_MAXUINT64 / b ? G_MAXUINT64 : a * b;
}

/* A timeout source for @delay_us from now, rounded up to a millisecond;
 * GLib counts milliseconds in a guint, so longer delays are clamped to
 * about 49 days rather than wrapped to a short one. */
static inline GSource *
clarifai_timeout_source_new (gint64 delay_us)
{
  gint64 ms = (MAX (delay_us, 0) + 999) / 1000;

  return g_timeout_source_new ((guint) MIN (ms, (gint64) G_MAXUINT));
}

/* Stops a timer, if any, and forgets it. */
static inline void
clarifai_source_clear (GSource ** source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

G_END_DECLS

#endif /* __CLARIFAI_TIME_H__ */
