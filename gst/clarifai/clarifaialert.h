/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_ALERT_H__
#define __CLARIFAI_ALERT_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define CLARIFAI_ALERT_MESSAGE_NAME "clarifai-alert"

/* Which watched classes are present, from the results in sampling order:
 * a class appears with the first OK result that has it at alert-threshold
 * or more, and is gone once it has been missing from every OK result for
 * alert-hold of running time.  Failed results change nothing. */
typedef struct _ClarifaiAlerts ClarifaiAlerts;

ClarifaiAlerts *clarifai_alerts_new (const gchar * classes, gdouble threshold,
    GstClockTime hold);
void clarifai_alerts_free (ClarifaiAlerts * alerts);
GPtrArray *clarifai_alerts_update (ClarifaiAlerts * alerts,
    const GstStructure * result);
gboolean clarifai_alerts_any_present (ClarifaiAlerts * alerts);

G_END_DECLS

#endif /* __CLARIFAI_ALERT_H__ */
