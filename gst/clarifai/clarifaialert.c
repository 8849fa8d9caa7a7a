/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "clarifaialert.h"
#include "clarifairesult.h"

typedef struct
{
  gchar *name;                  /* a class name or a concept id */
  gboolean present;
  GstClockTime last_seen;       /* running time of the last OK result with it */
} Watched;

struct _ClarifaiAlerts
{
  GArray *watched;              /* of Watched */
  gdouble threshold;
  GstClockTime hold;
  gint present;                 /* how many are; atomic, read by any thread */
};

static void
watched_clear (Watched * w)
{
  g_free (w->name);
}

/**
 * clarifai_alerts_new:
 * @classes: comma-separated class names or concept ids
 *
 * Returns: (nullable): %NULL when @classes names none
 */
ClarifaiAlerts *
clarifai_alerts_new (const gchar * classes, gdouble threshold,
    GstClockTime hold)
{
  g_auto (GStrv) names = clarifai_names_from_list (classes);
  ClarifaiAlerts *a = g_new0 (ClarifaiAlerts, 1);
  guint i;

  a->watched = g_array_new (FALSE, TRUE, sizeof (Watched));
  g_array_set_clear_func (a->watched, (GDestroyNotify) watched_clear);
  a->threshold = threshold;
  a->hold = hold;
  for (i = 0; names[i]; i++) {
    Watched w = { NULL, FALSE, GST_CLOCK_TIME_NONE };

    w.name = g_strdup (names[i]);
    g_array_append_val (a->watched, w);
  }
  if (a->watched->len == 0) {
    clarifai_alerts_free (a);
    return NULL;
  }
  return a;
}

void
clarifai_alerts_free (ClarifaiAlerts * a)
{
  if (a == NULL)
    return;
  g_array_unref (a->watched);
  g_free (a);
}

/* The probability of @name among @s's concepts (by class name or concept
 * id), or -1 when it is not there. */
static gdouble
tag_probability (const GstStructure * s, const gchar * name)
{
  const GValue *classes = gst_structure_get_value (s, "classes");
  const GValue *probs = gst_structure_get_value (s, "probabilities");
  const GValue *ids = gst_structure_get_value (s, "concept-ids");
  guint i, n = classes ? gst_value_array_get_size (classes) : 0;

  for (i = 0; i < n; i++) {
    const gchar *c = g_value_get_string (gst_value_array_get_value (classes,
            i));
    const gchar *id = ids && i < gst_value_array_get_size (ids) ?
        g_value_get_string (gst_value_array_get_value (ids, i)) : NULL;

    if (g_strcmp0 (c, name) == 0 || (id && *id && g_str_equal (id, name)))
      return probs && i < gst_value_array_get_size (probs) ?
          g_value_get_double (gst_value_array_get_value (probs, i)) : 0.0;
  }
  return -1.0;
}

/* The highest probability of @name in @result: a whole-frame tag, or a
 * box's top concept (design.md section 13); -1 when it is in neither. */
static gdouble
probability_of (const GstStructure * result, const gchar * name)
{
  const GValue *regions = gst_structure_get_value (result, "regions");
  gdouble best = tag_probability (result, name);
  guint i, n = regions ? gst_value_array_get_size (regions) : 0;

  for (i = 0; i < n; i++) {
    const GstStructure *r =
        gst_value_get_structure (gst_value_array_get_value (regions, i));
    const gchar *label = gst_structure_get_string (r, "label");
    const gchar *id = gst_structure_get_string (r, "concept-id");
    gdouble p = 0.0;

    if (g_strcmp0 (label, name) != 0 && (id == NULL || *id == '\0'
            || !g_str_equal (id, name)))
      continue;
    gst_structure_get_double (r, "probability", &p);
    best = MAX (best, p);
  }
  return best;
}

static GstStructure *
alert_new (const Watched * w, gboolean appeared, gdouble probability,
    const GstStructure * result)
{
  guint64 timestamp = GST_CLOCK_TIME_NONE, running_time = GST_CLOCK_TIME_NONE;
  guint64 sample_id = 0;

  gst_structure_get_uint64 (result, "timestamp", &timestamp);
  gst_structure_get_uint64 (result, "running-time", &running_time);
  gst_structure_get_uint64 (result, "sample-id", &sample_id);
  return gst_structure_new (CLARIFAI_ALERT_MESSAGE_NAME,
      "class", G_TYPE_STRING, w->name,
      "state", G_TYPE_STRING, appeared ? "appeared" : "gone",
      "probability", G_TYPE_DOUBLE, appeared ? probability : 0.0,
      "timestamp", G_TYPE_UINT64, timestamp,
      "running-time", G_TYPE_UINT64, running_time,
      "sample-id", G_TYPE_UINT64, sample_id, NULL);
}

/**
 * clarifai_alerts_update:
 * @result: a `clarifai-tags` structure; results come in sampling order
 *
 * Returns: (transfer full): the `clarifai-alert` structures @result
 * decides, in the order of the watched classes; empty for a result that
 * is not OK
 */
GPtrArray *
clarifai_alerts_update (ClarifaiAlerts * a, const GstStructure * result)
{
  GPtrArray *alerts = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  guint64 rt = GST_CLOCK_TIME_NONE;
  guint i;
  gint present;

  if (g_strcmp0 (gst_structure_get_string (result, "status"), "OK") != 0)
    return alerts;
  gst_structure_get_uint64 (result, "running-time", &rt);

  for (i = 0; i < a->watched->len; i++) {
    Watched *w = &g_array_index (a->watched, Watched, i);
    gdouble p = probability_of (result, w->name);

    if (p >= a->threshold) {
      w->last_seen = rt;
      if (!w->present) {
        w->present = TRUE;
        g_ptr_array_add (alerts, alert_new (w, TRUE, p, result));
      }
      continue;
    }
    if (!w->present || !GST_CLOCK_TIME_IS_VALID (rt))
      continue;
    /* a new segment that starts the running time again lower: the hold
     * starts again too */
    if (!GST_CLOCK_TIME_IS_VALID (w->last_seen) || rt < w->last_seen)
      w->last_seen = rt;
    if (rt - w->last_seen >= a->hold) {
      w->present = FALSE;
      g_ptr_array_add (alerts, alert_new (w, FALSE, 0.0, result));
    }
  }
  for (i = 0, present = 0; i < a->watched->len; i++)
    present += g_array_index (a->watched, Watched, i).present;
  g_atomic_int_set (&a->present, present);
  return alerts;
}

/**
 * clarifai_alerts_any_present:
 *
 * Whether a watched class is present now: then change-driven sampling
 * samples at least every alert-hold, so that its going is seen.  Safe
 * from any thread.
 */
gboolean
clarifai_alerts_any_present (ClarifaiAlerts * a)
{
  return g_atomic_int_get (&a->present) > 0;
}
