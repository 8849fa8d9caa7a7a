/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_COLOUR_H__
#define __CLARIFAI_COLOUR_H__

#include <gst/video/video.h>

G_BEGIN_DECLS

/* From any YCbCr matrix and range to JPEG's full-range BT.601, in Q7
 * fixed point: Y' = (y Y + y_cb (Cb - 128) + y_cr (Cr - 128) + y_0) >> 7,
 * and the same for Cb' and Cr' around 128, without Y (a change of matrix
 * leaves grey grey). */
typedef struct
{
  gboolean active;
  gint16 y, y_cb, y_cr, y_0;
  gint16 cb_cb, cb_cr;
  gint16 cr_cb, cr_cr;
  guint16 *shares;              /* a chroma row's share of luma */
} ClarifaiColour;

void clarifai_colour_init (ClarifaiColour * colour,
    const GstVideoColorimetry * in, guint width);
void clarifai_colour_clear (ClarifaiColour * colour);
void clarifai_colour_run (const ClarifaiColour * colour, GstVideoFrame * frame);

G_END_DECLS

#endif /* __CLARIFAI_COLOUR_H__ */
