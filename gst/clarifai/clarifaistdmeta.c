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
#include <string.h>

#include <gst/video/video.h>
#ifdef HAVE_GST_ANALYTICS
#include <gst/analytics/analytics.h>
#endif

#include "clarifaimeta.h"
#include "clarifainames.h"
#include "clarifaistdmeta.h"

enum
{
  Q_REGIONS, Q_X, Q_Y, Q_WIDTH, Q_HEIGHT, Q_LABEL, Q_PROBABILITY,
  Q_CLASSES, Q_PROBABILITIES, Q_MODEL, Q_TEXT_TYPE, Q_OTHER_TYPE,
  Q_DETECTION, Q_X_MIN, Q_Y_MIN, Q_X_MAX, Q_Y_MAX, Q_CONFIDENCE, Q_LABEL_ID,
  N_QUARKS
};

static GQuark quarks[N_QUARKS];

static void
init_quarks (void)
{
  static const gchar *const names[N_QUARKS] = { "regions", "x", "y",
    "width", "height", "label", "probability", "classes", "probabilities",
    "model", CLARIFAI_STD_META_TEXT_TYPE, CLARIFAI_STD_META_OTHER_TYPE,
    CLARIFAI_STD_META_DETECTION_PARAM,
    "x_min", "y_min", "x_max", "y_max", "confidence", "label_id"
  };
  static gsize done = 0;

  clarifai_quarks_intern (&done, names, quarks, N_QUARKS);
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

/* Concepts as a ClsMtd takes them: highest first, as quarks (the first is
 * the label objectdetectionoverlay prints). */
typedef struct
{
  guint n;
  gfloat *levels;
  GQuark *classes;
} Levels;

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
#endif

/* Only a ClsMtd reads the levels: without GstAnalytics they stay empty,
 * and no quark is made for them (nor the budget of names spent). */
static void
levels_init (Levels * out, const GstStructure * s)
{
#ifndef HAVE_GST_ANALYTICS
  memset (out, 0, sizeof (*out));
#else
  const GValue *names = gst_structure_id_get_value (s, quarks[Q_CLASSES]);
  const GValue *probs = gst_structure_id_get_value (s,
      quarks[Q_PROBABILITIES]);
  guint i, kept, n = array_size (s, Q_CLASSES);
  g_autofree Level *sorted = NULL;

  out->n = 0;
  out->levels = NULL;
  out->classes = NULL;
  if (n == 0 || array_size (s, Q_PROBABILITIES) != n)
    return;
  sorted = g_new (Level, n);
  for (i = 0, kept = 0; i < n; i++) {
    GQuark name = clarifai_name_quark (g_value_get_string
        (gst_value_array_get_value (names, i)));

    /* A ClsMtd names classes by quark only: a name past the process's
     * budget is left out of it (the message and ClarifaiTagMeta keep it). */
    if (name == 0)
      continue;
    sorted[kept].name = name;
    sorted[kept].level = g_value_get_double (gst_value_array_get_value (probs,
            i));
    kept++;
  }
  n = kept;
  qsort (sorted, n, sizeof (Level), highest_first);
  out->n = n;
  out->levels = g_new (gfloat, n);
  out->classes = g_new (GQuark, n);
  for (i = 0; i < n; i++) {
    out->levels[i] = sorted[i].level;
    out->classes[i] = sorted[i].name;
  }
#endif
}

static void
levels_clear (Levels * l)
{
  g_free (l->levels);
  g_free (l->classes);
}

typedef struct
{
  GQuark type;
  gdouble x, y, width, height, probability;
  GstStructure *detection;
  GstStructure *own;
  Levels concepts;
} Box;

/**
 * ClarifaiStdMeta:
 *
 * A result made ready to be attached as standard metas: everything that
 * does not depend on the buffer, worked out once per result rather than
 * once per buffer (B13).  Immutable; shared by the buffers it goes on.
 */
struct _ClarifaiStdMeta
{
  Levels frame;
  GArray *boxes;                /* Box */
};

static void
box_clear (Box * b)
{
  gst_structure_free (b->detection);
  gst_structure_free (b->own);
  levels_clear (&b->concepts);
}

/* The label a box is known by: its top concept, or, for a line of text
 * without concepts, CLARIFAI_STD_META_TEXT_TYPE (and
 * CLARIFAI_STD_META_OTHER_TYPE past the budget of names). */
static GQuark
box_type (const GstStructure * region)
{
  GQuark type;

  if (array_size (region, Q_CLASSES) == 0)
    return quarks[Q_TEXT_TYPE];
  type = clarifai_name_quark (get_string (region, Q_LABEL));
  return type ? type : quarks[Q_OTHER_TYPE];
}

static void
box_init (Box * b, const GstStructure * region, const gchar * model)
{
  b->type = box_type (region);
  b->x = get_double (region, Q_X);
  b->y = get_double (region, Q_Y);
  b->width = get_double (region, Q_WIDTH);
  b->height = get_double (region, Q_HEIGHT);
  b->probability = get_double (region, Q_PROBABILITY);
  /* DL Streamer's gvametaconvert reads the box only when all four
   * coordinates are doubles; label_id colours gvawatermark's boxes, one
   * colour per label. */
  b->detection = gst_structure_new_id (quarks[Q_DETECTION],
      quarks[Q_X_MIN], G_TYPE_DOUBLE, b->x,
      quarks[Q_Y_MIN], G_TYPE_DOUBLE, b->y,
      quarks[Q_X_MAX], G_TYPE_DOUBLE, b->x + b->width,
      quarks[Q_Y_MAX], G_TYPE_DOUBLE, b->y + b->height,
      quarks[Q_CONFIDENCE], G_TYPE_DOUBLE, b->probability,
      quarks[Q_LABEL_ID], G_TYPE_INT, (gint) b->type, NULL);
  /* Every buffer gets copies of the params: names that are quarks
   * anyway, and the model, are shared by them instead. */
  if (b->type == quarks[Q_TEXT_TYPE] || b->type == quarks[Q_OTHER_TYPE])
    clarifai_structure_set_string (b->detection, quarks[Q_LABEL],
        get_string (region, Q_LABEL), FALSE);
  else
    clarifai_structure_set_string (b->detection, quarks[Q_LABEL],
        g_quark_to_string (b->type), TRUE);
  b->own = gst_structure_copy (region);
  clarifai_structure_set_string (b->own, quarks[Q_MODEL],
      g_intern_string (model), TRUE);
  levels_init (&b->concepts, region);
}

/**
 * clarifai_std_meta_new:
 * @result: a `ClarifaiTagMeta` or `clarifai-tags` structure
 *
 * Returns: (transfer full): @result ready to be attached to buffers
 */
ClarifaiStdMeta *
clarifai_std_meta_new (const GstStructure * result)
{
  ClarifaiStdMeta *std = g_new0 (ClarifaiStdMeta, 1);
  const GValue *regions;
  const gchar *model;
  guint i, n;

  init_quarks ();
  regions = gst_structure_id_get_value (result, quarks[Q_REGIONS]);
  n = regions && GST_VALUE_HOLDS_ARRAY (regions) ?
      gst_value_array_get_size (regions) : 0;
  model = get_string (result, Q_MODEL);
  std->boxes = g_array_sized_new (FALSE, TRUE, sizeof (Box), n);
  g_array_set_clear_func (std->boxes, (GDestroyNotify) box_clear);
  for (i = 0; i < n; i++) {
    const GValue *v = gst_value_array_get_value (regions, i);
    Box b;

    if (!GST_VALUE_HOLDS_STRUCTURE (v))
      continue;
    box_init (&b, gst_value_get_structure (v), model);
    g_array_append_val (std->boxes, b);
  }
  levels_init (&std->frame, result);
  return std;
}

void
clarifai_std_meta_free (ClarifaiStdMeta * std)
{
  if (std == NULL)
    return;
  g_array_unref (std->boxes);
  levels_clear (&std->frame);
  g_free (std);
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

/* A box as one region of interest: the label in roi_type too, since a
 * scaler drops the params and keeps the rest. */
static GstVideoRegionOfInterestMeta *
add_roi (GstBuffer * buffer, const Box * b, guint width, guint height)
{
  GstVideoRegionOfInterestMeta *roi;
  gint px, py, pw, ph;

  to_pixels (b->x, b->width, width, &px, &pw);
  to_pixels (b->y, b->height, height, &py, &ph);
  roi = gst_buffer_add_video_region_of_interest_meta_id (buffer, b->type, px,
      py, pw, ph);
  roi->parent_id = -1;
  gst_video_region_of_interest_meta_add_param (roi,
      gst_structure_copy (b->detection));
  gst_video_region_of_interest_meta_add_param (roi,
      gst_structure_copy (b->own));
  return roi;
}

#ifdef HAVE_GST_ANALYTICS

static gboolean
add_cls (GstAnalyticsRelationMeta * rmeta, const Levels * l,
    GstAnalyticsClsMtd * cls)
{
  return l->n > 0 && gst_analytics_relation_meta_add_cls_mtd (rmeta, l->n,
      l->levels, l->classes, cls);
}

/* A box as an ODMtd, its concepts as a ClsMtd that it CONTAINs (which DL
 * Streamer >= 2025.2 follows) and RELATEs_TO (which objectdetectionoverlay
 * follows), and which IS_PART_OF it.  Returns the ODMtd's id, or -1. */
static gint
add_od (GstAnalyticsRelationMeta * rmeta, const Box * b,
    const GstVideoRegionOfInterestMeta * roi)
{
  GstAnalyticsODMtd od;
  GstAnalyticsClsMtd cls;

  if (!gst_analytics_relation_meta_add_od_mtd (rmeta, b->type, roi->x, roi->y,
          roi->w, roi->h, b->probability, &od))
    return -1;
  if (add_cls (rmeta, &b->concepts, &cls)) {
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
 * clarifai_std_meta_attach:
 * @buffer: a writable buffer of @width x @height pixels
 *
 * Attaches @std as GStreamer's own metadata: a region-of-interest meta
 * per box and, when built against GStreamer >= 1.24, analytics metas.
 * Does nothing for a buffer whose size is not known (JPEG without width
 * and height in its caps).
 */
void
clarifai_std_meta_attach (const ClarifaiStdMeta * std, GstBuffer * buffer,
    guint width, guint height)
{
  guint i;
  gint next_id;
#ifdef HAVE_GST_ANALYTICS
  GstAnalyticsRelationMeta *rmeta = NULL;
  GstAnalyticsClsMtd frame_cls;
#endif

  if (width == 0 || height == 0)
    return;

#ifdef HAVE_GST_ANALYTICS
  if (std->boxes->len > 0 || std->frame.n > 0) {
    rmeta = gst_buffer_get_analytics_relation_meta (buffer);
    if (rmeta == NULL)
      rmeta = gst_buffer_add_analytics_relation_meta (buffer);
  }
  if (rmeta)
    add_cls (rmeta, &std->frame, &frame_cls);
#endif

  next_id = std->boxes->len > 0 ? first_free_roi_id (buffer) : 0;
  for (i = 0; i < std->boxes->len; i++) {
    const Box *b = &g_array_index (std->boxes, Box, i);
    GstVideoRegionOfInterestMeta *roi = add_roi (buffer, b, width, height);

    roi->id = next_id++;
#ifdef HAVE_GST_ANALYTICS
    if (rmeta) {
      gint od = add_od (rmeta, b, roi);

      /* DL Streamer >= 2025.2 finds a box's params by its ODMtd's id. */
      if (od >= 0)
        roi->id = od;
    }
#endif
  }
}
