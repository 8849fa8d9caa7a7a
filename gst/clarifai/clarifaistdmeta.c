/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* A result in GStreamer's own metadata, for elements that do not know
 * this project (design section 14, gst-meta-conventions.md): a
 * GstVideoRegionOfInterestMeta per box, with a `detection` param in
 * Intel DL Streamer's shape and a `clarifai-region` param; and, when built
 * against GStreamer >= 1.24, a GstAnalyticsRelationMeta with a ClsMtd of
 * the whole frame's tags and, per box, an ODMtd and a ClsMtd of its
 * concepts, related both ways. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdlib.h>

#include <gst/video/video.h>
#ifdef HAVE_GST_ANALYTICS
#include <gst/analytics/analytics.h>
#endif

#include "clarifaimeta.h"
#include "clarifaistdmeta.h"

enum
{
  Q_REGIONS, Q_X, Q_Y, Q_WIDTH, Q_HEIGHT, Q_LABEL, Q_PROBABILITY,
  Q_CLASSES, Q_PROBABILITIES, Q_MODEL, Q_TEXT_TYPE, Q_DETECTION, Q_X_MIN,
  Q_Y_MIN, Q_X_MAX, Q_Y_MAX, Q_CONFIDENCE, Q_LABEL_ID, N_QUARKS
};

static GQuark quarks[N_QUARKS];

static void
init_quarks (void)
{
  static const gchar *names[N_QUARKS] = { "regions", "x", "y", "width",
    "height", "label", "probability", "classes", "probabilities", "model",
    CLARIFAI_STD_META_TEXT_TYPE, CLARIFAI_STD_META_DETECTION_PARAM, "x_min",
    "y_min", "x_max", "y_max", "confidence", "label_id"
  };
  static gsize done = 0;
  guint i;

  if (!g_once_init_enter (&done))
    return;
  for (i = 0; i < N_QUARKS; i++)
    quarks[i] = g_quark_from_static_string (names[i]);
  g_once_init_leave (&done, 1);
}

static gdouble
get_double (const GstStructure * s, guint q)
{
  const GValue *v = gst_structure_id_get_value (s, quarks[q]);

  return v && G_VALUE_HOLDS_DOUBLE (v) ? g_value_get_double (v) : 0.0;
}

static const gchar *
get_string (const GstStructure * s, guint q)
{
  const GValue *v = gst_structure_id_get_value (s, quarks[q]);

  return v && G_VALUE_HOLDS_STRING (v) && g_value_get_string (v) ?
      g_value_get_string (v) : "";
}

static guint
array_size (const GstStructure * s, guint q)
{
  const GValue *v = gst_structure_id_get_value (s, quarks[q]);

  return v && GST_VALUE_HOLDS_ARRAY (v) ? gst_value_array_get_size (v) : 0;
}

/* A fraction of the frame as whole pixels inside it, at least one wide. */
static void
to_pixels (gdouble from, gdouble size, guint extent, gint * pos, gint * len)
{
  gint start = CLAMP ((gint) lround (from * extent), 0, (gint) extent - 1);
  gint end = CLAMP ((gint) lround ((from + size) * extent), start + 1,
      (gint) extent);

  *pos = start;
  *len = end - start;
}

/* A box as one region of interest: the label in roi_type too, since a
 * scaler drops the params and keeps the rest. */
static GstVideoRegionOfInterestMeta *
add_roi (GstBuffer * buffer, const GstStructure * region, GQuark type,
    const gchar * model, guint width, guint height)
{
  GstVideoRegionOfInterestMeta *roi;
  GstStructure *param;
  gdouble x = get_double (region, Q_X), y = get_double (region, Q_Y);
  gdouble w = get_double (region, Q_WIDTH), h = get_double (region, Q_HEIGHT);
  gint px, py, pw, ph;

  to_pixels (x, w, width, &px, &pw);
  to_pixels (y, h, height, &py, &ph);
  roi = gst_buffer_add_video_region_of_interest_meta_id (buffer, type, px, py,
      pw, ph);
  roi->parent_id = -1;

  /* DL Streamer's gvametaconvert reads the box only when all four
   * coordinates are doubles; label_id colours gvawatermark's boxes, one
   * colour per label. */
  param = gst_structure_new_id (quarks[Q_DETECTION],
      quarks[Q_X_MIN], G_TYPE_DOUBLE, x, quarks[Q_Y_MIN], G_TYPE_DOUBLE, y,
      quarks[Q_X_MAX], G_TYPE_DOUBLE, x + w,
      quarks[Q_Y_MAX], G_TYPE_DOUBLE, y + h,
      quarks[Q_CONFIDENCE], G_TYPE_DOUBLE, get_double (region, Q_PROBABILITY),
      quarks[Q_LABEL_ID], G_TYPE_INT, (gint) type,
      quarks[Q_LABEL], G_TYPE_STRING, get_string (region, Q_LABEL), NULL);
  gst_video_region_of_interest_meta_add_param (roi, param);

  param = gst_structure_copy (region);
  gst_structure_id_set (param, quarks[Q_MODEL], G_TYPE_STRING, model, NULL);
  gst_video_region_of_interest_meta_add_param (roi, param);
  return roi;
}

/* The label a box is known by: its top concept, or, for a line of text
 * without concepts, CLARIFAI_STD_META_TEXT_TYPE. */
static GQuark
box_type (const GstStructure * region)
{
  if (array_size (region, Q_CLASSES) == 0)
    return quarks[Q_TEXT_TYPE];
  return g_quark_from_string (get_string (region, Q_LABEL));
}

/* One past the highest id of the ROI metas already on @buffer (put there
 * upstream), so that ours are unique on it. */
static gint
first_free_roi_id (GstBuffer * buffer)
{
  gpointer state = NULL;
  GstMeta *meta;
  gint next = 0;

  while ((meta = gst_buffer_iterate_meta_filtered (buffer, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
    next = MAX (next, ((GstVideoRegionOfInterestMeta *) meta)->id + 1);
  return next;
}

#ifdef HAVE_GST_ANALYTICS

typedef struct
{
  gfloat level;
  GQuark name;
} Level;

static gint
highest_first (const void *a, const void *b)
{
  const Level *la = a, *lb = b;

  return (la->level < lb->level) - (la->level > lb->level);
}

/* The concepts of @s (the result or a region) as one ClsMtd, highest
 * first: objectdetectionoverlay prints the first as the box's label. */
static gboolean
add_cls (GstAnalyticsRelationMeta * rmeta, const GstStructure * s,
    GstAnalyticsClsMtd * cls)
{
  const GValue *names = gst_structure_id_get_value (s, quarks[Q_CLASSES]);
  const GValue *probs = gst_structure_id_get_value (s,
      quarks[Q_PROBABILITIES]);
  guint i, n = array_size (s, Q_CLASSES);
  g_autofree Level *levels = NULL;
  g_autofree gfloat *values = NULL;
  g_autofree GQuark *classes = NULL;

  if (n == 0 || array_size (s, Q_PROBABILITIES) != n)
    return FALSE;
  levels = g_new (Level, n);
  values = g_new (gfloat, n);
  classes = g_new (GQuark, n);
  for (i = 0; i < n; i++) {
    levels[i].name = g_quark_from_string (g_value_get_string
        (gst_value_array_get_value (names, i)));
    levels[i].level = g_value_get_double (gst_value_array_get_value (probs, i));
  }
  qsort (levels, n, sizeof (Level), highest_first);
  for (i = 0; i < n; i++) {
    values[i] = levels[i].level;
    classes[i] = levels[i].name;
  }
  return gst_analytics_relation_meta_add_cls_mtd (rmeta, n, values, classes,
      cls);
}

/* A box as an ODMtd, its concepts as a ClsMtd that it CONTAINs (which DL
 * Streamer >= 2025.2 follows) and RELATEs_TO (which objectdetectionoverlay
 * follows), and which IS_PART_OF it.  Returns the ODMtd's id, or -1. */
static gint
add_od (GstAnalyticsRelationMeta * rmeta, const GstStructure * region,
    GQuark type, const GstVideoRegionOfInterestMeta * roi)
{
  GstAnalyticsODMtd od;
  GstAnalyticsClsMtd cls;

  if (!gst_analytics_relation_meta_add_od_mtd (rmeta, type, roi->x, roi->y,
          roi->w, roi->h, get_double (region, Q_PROBABILITY), &od))
    return -1;
  if (add_cls (rmeta, region, &cls)) {
    gst_analytics_relation_meta_set_relation (rmeta,
        GST_ANALYTICS_REL_TYPE_CONTAIN | GST_ANALYTICS_REL_TYPE_RELATE_TO,
        od.id, cls.id);
    gst_analytics_relation_meta_set_relation (rmeta,
        GST_ANALYTICS_REL_TYPE_IS_PART_OF, cls.id, od.id);
  }
  return od.id;
}

#endif

/**
 * clarifai_std_meta_add:
 * @buffer: a writable buffer of @width x @height pixels
 * @result: a `ClarifaiTagMeta` or `clarifai-tags` structure
 *
 * Attaches @result as GStreamer's own metadata: a region-of-interest meta
 * per box and, when built against GStreamer >= 1.24, analytics metas.
 * Does nothing for a buffer whose size is not known (JPEG without width
 * and height in its caps).
 */
void
clarifai_std_meta_add (GstBuffer * buffer, const GstStructure * result,
    guint width, guint height)
{
  const GValue *regions;
  const gchar *model;
  guint i, n;
  gint next_id;
#ifdef HAVE_GST_ANALYTICS
  GstAnalyticsRelationMeta *rmeta = NULL;
  GstAnalyticsClsMtd frame_cls;
#endif

  if (width == 0 || height == 0)
    return;
  init_quarks ();
  regions = gst_structure_id_get_value (result, quarks[Q_REGIONS]);
  n = regions && GST_VALUE_HOLDS_ARRAY (regions) ?
      gst_value_array_get_size (regions) : 0;
  model = get_string (result, Q_MODEL);

#ifdef HAVE_GST_ANALYTICS
  if (n > 0 || array_size (result, Q_CLASSES) > 0) {
    rmeta = gst_buffer_get_analytics_relation_meta (buffer);
    if (rmeta == NULL)
      rmeta = gst_buffer_add_analytics_relation_meta (buffer);
  }
  if (rmeta)
    add_cls (rmeta, result, &frame_cls);
#endif

  next_id = n > 0 ? first_free_roi_id (buffer) : 0;
  for (i = 0; i < n; i++) {
    const GValue *v = gst_value_array_get_value (regions, i);
    const GstStructure *region;
    GstVideoRegionOfInterestMeta *roi;
    GQuark type;

    if (!GST_VALUE_HOLDS_STRUCTURE (v))
      continue;
    region = gst_value_get_structure (v);
    type = box_type (region);
    roi = add_roi (buffer, region, type, model, width, height);
    roi->id = next_id++;
#ifdef HAVE_GST_ANALYTICS
    if (rmeta) {
      gint od = add_od (rmeta, region, type, roi);

      /* DL Streamer >= 2025.2 finds a box's params by its ODMtd's id. */
      if (od >= 0)
        roi->id = od;
    }
#endif
  }
}
