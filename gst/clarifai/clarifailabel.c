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

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

/* Below this the text is unreadable whatever the frame. */
#define MIN_FONT_PX 10
/* The default font is this fraction of the frame height: 45 px at 1080p,
 * so that five lines cover about a fifth of the picture. */
#define FONT_PER_HEIGHT 24
#define BACKGROUND_ALPHA 0.6

/**
 * clarifai_label_text:
 * @result: a `clarifai-tags` structure (or the meta's, same fields)
 * @style: `max_lines` (at most this many tags; 0 for all),
 *   `show_probabilities` (`name 0.97` rather than `name`) and `draw_text`
 * @prose: (out): whether the block is the result's text rather than tags
 *
 * Returns: (transfer full) (nullable): one line per tag, most probable
 *   first, or, for a result without tags, its text when `draw_text`;
 *   %NULL when there is nothing to show.
 */
gchar *
clarifai_label_text (const GstStructure * result,
    const ClarifaiLabelStyle * style, gboolean * prose)
{
  const GValue *classes = gst_structure_get_value (result, "classes");
  const GValue *probs = gst_structure_get_value (result, "probabilities");
  const gchar *said = gst_structure_get_string (result, "text");
  GString *text;
  guint i, n;

  *prose = FALSE;
  n = classes && GST_VALUE_HOLDS_ARRAY (classes) ?
      gst_value_array_get_size (classes) : 0;
  if (n == 0 && style->draw_text && said && *said) {
    *prose = TRUE;
    return g_strdup (said);
  }
  if (style->max_lines > 0)
    n = MIN (n, style->max_lines);
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
    if (style->show_probabilities && p && G_VALUE_HOLDS_DOUBLE (p))
      g_string_append_printf (text, " %.2f", g_value_get_double (p));
  }
  return g_string_free (text, FALSE);
}

/* The font's size in pixels: a fraction of the frame height unless the
 * style's font says. */
static PangoLayout *
label_layout (const gchar * text, const ClarifaiLabelStyle * style,
    guint frame_height, gint max_width, guint max_lines)
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
  /* prose wraps, and ends in an ellipsis after max_lines lines */
  if (max_lines > 0) {
    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_height (layout, -(gint) max_lines);
  }
  pango_layout_set_text (layout, text, -1);

  pango_font_description_free (desc);
  g_object_unref (context);
  return layout;
}

/* A transparent @w x @h Cairo surface on the memory of a new buffer,
 * mapped: unmap it once drawn. */
static GstBuffer *
argb_buffer (gint w, gint h, GstMapInfo * map, cairo_surface_t ** surface)
{
  gint stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, w);
  GstBuffer *buf = gst_buffer_new_allocate (NULL, (gsize) stride * h, NULL);
  gsize offset[GST_VIDEO_MAX_PLANES] = { 0, };
  gint strides[GST_VIDEO_MAX_PLANES] = { stride, };

  gst_buffer_map (buf, map, GST_MAP_WRITE);
  memset (map->data, 0, map->size);
  *surface = cairo_image_surface_create_for_data (map->data,
      CAIRO_FORMAT_ARGB32, w, h, stride);
  /* Cairo's ARGB32 is premultiplied, native-endian: the composition's
   * ARGB format in memory order. */
  gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB, w, h, 1, offset, strides);
  return buf;
}

/* @buf (transfer full) placed at @x, @y of the frame. */
static GstVideoOverlayRectangle *
argb_rectangle (GstBuffer * buf, gint x, gint y, gint w, gint h)
{
  GstVideoOverlayRectangle *rect = gst_video_overlay_rectangle_new_raw (buf,
      x, y, w, h, GST_VIDEO_OVERLAY_FORMAT_FLAG_PREMULTIPLIED_ALPHA);

  gst_buffer_unref (buf);
  return rect;
}

/**
 * clarifai_label_render:
 * @text: what clarifai_label_text() made
 * @style: font and corner
 * @prose: @text is a sentence to wrap, at most `max_lines` lines
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
    gboolean prose, guint frame_width, guint frame_height)
{
  gint margin = MAX (2, frame_height / 48);
  gint pad = MAX (2, MAX (MIN_FONT_PX, frame_height / FONT_PER_HEIGHT) / 4);
  gint room_w = (gint) frame_width - 2 * margin;
  gint room_h = (gint) frame_height - 2 * margin;
  PangoLayout *layout;
  PangoRectangle logical;
  cairo_surface_t *surface;
  cairo_t *cr;
  GstBuffer *buf;
  GstMapInfo map;
  gint w, h, x, y;

  if (room_w <= 2 * pad || room_h <= 2 * pad)
    return NULL;

  layout = label_layout (text, style, frame_height, room_w - 2 * pad,
      prose ? MAX (style->max_lines, 1) : 0);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (logical.width <= 0 || logical.height <= 0) {
    g_object_unref (layout);
    return NULL;
  }
  w = MIN (logical.width + 2 * pad, room_w);
  h = MIN (logical.height + 2 * pad, room_h);
  buf = argb_buffer (w, h, &map, &surface);
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

  x = style->position == CLARIFAI_LABEL_TOP_LEFT
      || style->position == CLARIFAI_LABEL_BOTTOM_LEFT ?
      margin : (gint) frame_width - margin - w;
  y = style->position == CLARIFAI_LABEL_TOP_LEFT
      || style->position == CLARIFAI_LABEL_TOP_RIGHT ?
      margin : (gint) frame_height - margin - h;
  return argb_rectangle (buf, x, y, w, h);
}

/**
 * clarifai_label_colour:
 *
 * The colour of @label's boxes: the same for a label on every frame and
 * in every run, different hues for different labels.
 */
void
clarifai_label_colour (const gchar * label, gdouble * r, gdouble * g,
    gdouble * b)
{
  /* FNV-1a: g_str_hash() is not promised to stay the same */
  guint32 hash = 2166136261u;
  const guchar *c;
  gdouble hue, f, v = 0.95, p, q, t;

  for (c = (const guchar *) (label ? label : ""); *c; c++)
    hash = (hash ^ *c) * 16777619u;
  hue = (hash % 360) / 60.0;
  f = hue - (gint) hue;
  /* saturation 0.85 */
  p = v * 0.15;
  q = v * (1 - 0.85 * f);
  t = v * (1 - 0.85 * (1 - f));
  switch ((gint) hue) {
    case 0:
      *r = v, *g = t, *b = p;
      break;
    case 1:
      *r = q, *g = v, *b = p;
      break;
    case 2:
      *r = p, *g = v, *b = t;
      break;
    case 3:
      *r = p, *g = q, *b = v;
      break;
    case 4:
      *r = t, *g = p, *b = v;
      break;
    default:
      *r = v, *g = p, *b = q;
      break;
  }
}

static gdouble
region_double (const GstStructure * region, const gchar * field)
{
  gdouble v = 0.0;

  gst_structure_get_double (region, field, &v);
  return v;
}

/**
 * clarifai_label_render_box:
 * @region: a `clarifai-region` structure
 *
 * Renders @region's box at its fractions of the frame: an outline in its
 * label's colour, as wide as a 180th of the frame height, and the label
 * (with its probability if the style says) on a tag of that colour above
 * the box, or inside it where there is no room above.
 *
 * Returns: (transfer full) (nullable): the rectangle; %NULL for a box
 *   too small to draw
 */
GstVideoOverlayRectangle *
clarifai_label_render_box (const GstStructure * region,
    const ClarifaiLabelStyle * style, guint frame_width, guint frame_height)
{
  const gchar *label = gst_structure_get_string (region, "label");
  gint x0 = CLAMP (lround (region_double (region, "x") * frame_width), 0,
      (gint) frame_width);
  gint y0 = CLAMP (lround (region_double (region, "y") * frame_height), 0,
      (gint) frame_height);
  gint x1 = CLAMP (lround ((region_double (region, "x") +
              region_double (region, "width")) * frame_width), 0,
      (gint) frame_width);
  gint y1 = CLAMP (lround ((region_double (region, "y") +
              region_double (region, "height")) * frame_height), 0,
      (gint) frame_height);
  gint lw = MAX (2, (gint) frame_height / 180), pad = lw;
  gint bw = x1 - x0, bh = y1 - y0, tag_w = 0, tag_h = 0, above, w, h;
  g_autofree gchar *text = NULL;
  PangoLayout *layout = NULL;
  PangoRectangle logical = { 0, };
  cairo_surface_t *surface;
  cairo_t *cr;
  GstBuffer *buf;
  GstMapInfo map;
  gdouble r, g, b;

  if (bw < 2 * lw || bh < 2 * lw)
    return NULL;
  clarifai_label_colour (label, &r, &g, &b);
  if (label && *label) {
    text = style->show_probabilities ?
        g_strdup_printf ("%s %.2f", label, region_double (region,
            "probability")) : g_strdup (label);
    /* a smaller font than the block's: boxes crowd */
    layout = label_layout (text, style, frame_height * 3 / 4,
        MAX ((gint) frame_width - x0 - 2 * pad, 1), 0);
    pango_layout_get_pixel_extents (layout, NULL, &logical);
    tag_w = MIN (logical.width + 2 * pad, (gint) frame_width - x0);
    tag_h = logical.height + 2 * pad;
  }
  above = tag_h > 0 && y0 >= tag_h ? tag_h : 0;
  w = MAX (bw, tag_w);
  h = bh + above;

  buf = argb_buffer (w, h, &map, &surface);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_set_line_width (cr, lw);
  cairo_rectangle (cr, lw / 2.0, above + lw / 2.0, bw - lw, bh - lw);
  cairo_stroke (cr);
  if (layout) {
    cairo_rectangle (cr, 0, 0, tag_w, tag_h);
    cairo_fill (cr);
    /* dark text on light colours */
    if (0.299 * r + 0.587 * g + 0.114 * b > 0.6)
      cairo_set_source_rgb (cr, 0, 0, 0);
    else
      cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_move_to (cr, pad - logical.x, pad - logical.y);
    pango_cairo_show_layout (cr, layout);
    g_object_unref (layout);
  }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  gst_buffer_unmap (buf, &map);
  return argb_rectangle (buf, x0, y0 - above, w, h);
}
