/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifailabel.h"

#include <pango/pangocairo.h>

/* Below this the text is unreadable whatever the frame. */
#define MIN_FONT_PX 10
/* The default font is this fraction of the frame height: 45 px at 1080p,
 * so that five lines cover about a fifth of the picture. */
#define FONT_PER_HEIGHT 24
#define BACKGROUND_ALPHA 0.6

/**
 * clarifai_label_text:
 * @result: a `clarifai-tags` structure (or the meta's, same fields)
 * @max_lines: at most this many tags; 0 for all
 * @show_probabilities: write `name 0.97` rather than `name`
 *
 * Returns: (transfer full) (nullable): one line per tag, most probable
 *   first; %NULL when the result has no tags.
 */
gchar *
clarifai_label_text (const GstStructure * result, guint max_lines,
    gboolean show_probabilities)
{
  const GValue *classes = gst_structure_get_value (result, "classes");
  const GValue *probs = gst_structure_get_value (result, "probabilities");
  GString *text;
  guint i, n;

  if (classes == NULL || !GST_VALUE_HOLDS_ARRAY (classes))
    return NULL;
  n = gst_value_array_get_size (classes);
  if (max_lines > 0)
    n = MIN (n, max_lines);
  if (n == 0)
    return NULL;

  text = g_string_new (NULL);
  for (i = 0; i < n; i++) {
    const GValue *name = gst_value_array_get_value (classes, i);
    const GValue *p = NULL;
    const gchar *label;

    if (probs && GST_VALUE_HOLDS_ARRAY (probs)
        && i < gst_value_array_get_size (probs))
      p = gst_value_array_get_value (probs, i);
    if (i > 0)
      g_string_append_c (text, '\n');
    /* Taken apart: GLib 2.84's g_string_append() and G_VALUE_HOLDS_*
     * macros declare the same local, which -Wshadow refuses. */
    label = G_VALUE_HOLDS_STRING (name) ? g_value_get_string (name) : "";
    g_string_append (text, label);
    if (show_probabilities && p && G_VALUE_HOLDS_DOUBLE (p))
      g_string_append_printf (text, " %.2f", g_value_get_double (p));
  }
  return g_string_free (text, FALSE);
}

static PangoLayout *
label_layout (const gchar * text, const ClarifaiLabelStyle * style,
    guint frame_height, gint max_width)
{
  PangoContext *context =
      pango_font_map_create_context (pango_cairo_font_map_get_default ());
  PangoFontDescription *desc =
      pango_font_description_from_string (style->font_desc ?
      style->font_desc : "Sans");
  PangoLayout *layout;

  /* At 72 dpi a font size in points is one in pixels. */
  pango_cairo_context_set_resolution (context, 72);
  if (pango_font_description_get_size (desc) == 0)
    pango_font_description_set_absolute_size (desc,
        MAX (MIN_FONT_PX, frame_height / FONT_PER_HEIGHT) * PANGO_SCALE);

  layout = pango_layout_new (context);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, max_width * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text, -1);

  pango_font_description_free (desc);
  g_object_unref (context);
  return layout;
}

/**
 * clarifai_label_render:
 * @text: what clarifai_label_text() made
 * @style: font and corner
 * @frame_width: of the video
 * @frame_height: of the video
 *
 * Renders @text, white on a translucent black box, ellipsizing lines wider
 * than the frame and clipping a block taller than it.
 *
 * Returns: (transfer full) (nullable): the rectangle, placed in its corner
 *   of the frame; %NULL when the frame is too small for any text.
 */
GstVideoOverlayRectangle *
clarifai_label_render (const gchar * text, const ClarifaiLabelStyle * style,
    guint frame_width, guint frame_height)
{
  gint margin = MAX (2, frame_height / 48);
  gint pad = MAX (2, MAX (MIN_FONT_PX, frame_height / FONT_PER_HEIGHT) / 4);
  gint room_w = (gint) frame_width - 2 * margin;
  gint room_h = (gint) frame_height - 2 * margin;
  PangoLayout *layout;
  PangoRectangle logical;
  GstVideoOverlayRectangle *rect = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  GstBuffer *buf;
  GstMapInfo map;
  gint w, h, stride, x, y;

  if (room_w <= 2 * pad || room_h <= 2 * pad)
    return NULL;

  layout = label_layout (text, style, frame_height, room_w - 2 * pad);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (logical.width <= 0 || logical.height <= 0) {
    g_object_unref (layout);
    return NULL;
  }
  w = MIN (logical.width + 2 * pad, room_w);
  h = MIN (logical.height + 2 * pad, room_h);
  stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, w);

  buf = gst_buffer_new_allocate (NULL, (gsize) stride * h, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  surface = cairo_image_surface_create_for_data (map.data,
      CAIRO_FORMAT_ARGB32, w, h, stride);
  cr = cairo_create (surface);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_rgba (cr, 0, 0, 0, BACKGROUND_ALPHA);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, pad - logical.x, pad - logical.y);
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  gst_buffer_unmap (buf, &map);
  g_object_unref (layout);

  /* Cairo's ARGB32 is premultiplied, native-endian: the composition's
   * ARGB format in memory order. */
  {
    gsize offset[GST_VIDEO_MAX_PLANES] = { 0, };
    gint strides[GST_VIDEO_MAX_PLANES] = { stride, };

    gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
        GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB, w, h, 1, offset, strides);
  }

  x = style->position == CLARIFAI_LABEL_TOP_LEFT
      || style->position == CLARIFAI_LABEL_BOTTOM_LEFT ?
      margin : (gint) frame_width - margin - w;
  y = style->position == CLARIFAI_LABEL_TOP_LEFT
      || style->position == CLARIFAI_LABEL_TOP_RIGHT ?
      margin : (gint) frame_height - margin - h;
  rect = gst_video_overlay_rectangle_new_raw (buf, x, y, w, h,
      GST_VIDEO_OVERLAY_FORMAT_FLAG_PREMULTIPLIED_ALPHA);
  gst_buffer_unref (buf);
  return rect;
}
