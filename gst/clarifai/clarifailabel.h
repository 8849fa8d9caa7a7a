/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_LABEL_H__
#define __CLARIFAI_LABEL_H__

#include <gst/video/video.h>

G_BEGIN_DECLS

/* What clarifaioverlay draws, rendered with Pango and Cairo into
 * premultiplied ARGB rectangles: the text block (the tags of one result,
 * one per line, or its text when it has no tags) in a corner of the
 * frame, and a box for each of its regions, in its label's colour. */

typedef enum
{
  CLARIFAI_LABEL_TOP_LEFT,
  CLARIFAI_LABEL_TOP_RIGHT,
  CLARIFAI_LABEL_BOTTOM_LEFT,
  CLARIFAI_LABEL_BOTTOM_RIGHT,
} ClarifaiLabelPosition;

typedef struct
{
  ClarifaiLabelPosition position;
  gchar *font_desc;             /* NULL: Sans, sized from the frame height */
  guint max_lines;              /* 0: every tag */
  gboolean show_probabilities;
  gboolean draw_text;           /* the result's text when it has no tags */
  gboolean draw_regions;
} ClarifaiLabelStyle;

gchar *clarifai_label_text (const GstStructure * result,
    const ClarifaiLabelStyle * style, gboolean * prose);
GstVideoOverlayRectangle *clarifai_label_render (const gchar * text,
    const ClarifaiLabelStyle * style, gboolean prose, guint frame_width,
    guint frame_height);
void clarifai_label_colour (const gchar * label, gdouble * r, gdouble * g,
    gdouble * b);
GstVideoOverlayRectangle *clarifai_label_render_box (const GstStructure *
    region, const ClarifaiLabelStyle * style, guint frame_width,
    guint frame_height);

G_END_DECLS

#endif /* __CLARIFAI_LABEL_H__ */
