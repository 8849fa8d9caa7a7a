/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_HEALTH_H__
#define __CLARIFAI_HEALTH_H__

#include <glib.h>

G_BEGIN_DECLS

/* Trouble that lasts, read from the frames' outcomes in sampling order, so
 * that the element can say so once on the bus instead of leaving it to be
 * noticed in the statuses: frames pushed out of a full queue for a large
 * part of a minute (the link is slower than sampling), and image/jpeg
 * frames that keep failing to decode.  Each is reported once, and again
 * only after it has recovered.  Not thread-safe: results come one at a
 * time. */
typedef struct _ClarifaiHealth ClarifaiHealth;

typedef enum
{
  CLARIFAI_HEALTH_FINE = 0,
  CLARIFAI_HEALTH_SUSTAINED_LOSS = 1 << 0,
  CLARIFAI_HEALTH_UNDECODABLE = 1 << 1,
} ClarifaiHealthEvents;

/* Share of a minute's sampled frames that must end DROPPED for a
 * warning, the share under which it has recovered, and the fewest frames
 * of a minute that can tell. */
#define CLARIFAI_HEALTH_LOSS_WARN 0.25
#define CLARIFAI_HEALTH_LOSS_RECOVERED 0.10
#define CLARIFAI_HEALTH_LOSS_MIN_FRAMES 8
/* image/jpeg frames in a row that fail to decode */
#define CLARIFAI_HEALTH_UNDECODABLE_RUN 10

ClarifaiHealth *clarifai_health_new (void);
void clarifai_health_free (ClarifaiHealth * health);
ClarifaiHealthEvents clarifai_health_observe (ClarifaiHealth * health,
    gint64 now_us, const gchar * status, const gchar * status_msg,
    gboolean service_up);
void clarifai_health_get_loss (ClarifaiHealth * health, guint * dropped,
    guint * frames);

G_END_DECLS

#endif /* __CLARIFAI_HEALTH_H__ */
