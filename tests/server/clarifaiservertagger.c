/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The reference server's tagger: an image's dominant colours, each with
 * its share of the pixels as the probability, so that a test can prove
 * that the right frame arrived intact.  Shared by v1 and v2. */

#include "clarifaiserver-private.h"

#include <math.h>
#include <turbojpeg.h>

const gchar *clarifai_server_colour_names[CLARIFAI_SERVER_N_COLOURS] = {
  "black", "white", "gray", "red", "orange", "yellow", "green", "cyan",
  "blue", "purple", "magenta",
};

static guint
classify_pixel (guint8 r, guint8 g, guint8 b)
{
  gint max = MAX (r, MAX (g, b)), min = MIN (r, MIN (g, b));
  gdouble v = max / 255.0, s = max ? (max - min) / (gdouble) max : 0, h;

  if (v < 0.2)
    return 0;
  if (s < 0.2)
    return v > 0.8 ? 1 : 2;
  if (max == r)
    h = fmod (60.0 * (g - b) / (max - min) + 360.0, 360.0);
  else if (max == g)
    h = 60.0 * (b - r) / (max - min) + 120.0;
  else
    h = 60.0 * (r - g) / (max - min) + 240.0;
  if (h < 15 || h >= 345)
    return 3;
  if (h < 45)
    return 4;
  if (h < 70)
    return 5;
  if (h < 160)
    return 6;
  if (h < 200)
    return 7;
  if (h < 260)
    return 8;
  if (h < 290)
    return 9;
  return 10;
}

static gint
compare_bins (gconstpointer a, gconstpointer b)
{
  const ColourBin *x = a, *y = b;

  return (x->count < y->count) - (x->count > y->count);
}

/* Decodes @jpeg and fills @bins with the share of each colour; returns an
 * error text for undecodable data. */
gchar *
clarifai_server_tag_image (const guint8 * jpeg, gsize size, guint * width,
    guint * height, ColourBin * bins, guint64 * total)
{
  tjhandle tj = tjInitDecompress ();
  int w, h, subsamp, cs;
  guint8 *rgb;
  gsize i;
  gchar *error = NULL;

  if (tjDecompressHeader3 (tj, jpeg, size, &w, &h, &subsamp, &cs) != 0) {
    error = g_strdup_printf ("not a JPEG image: %s", tjGetErrorStr2 (tj));
    tjDestroy (tj);
    return error;
  }
  rgb = g_malloc ((gsize) w * h * 3);
  if (tjDecompress2 (tj, jpeg, size, rgb, w, w * 3, h, TJPF_RGB, 0) != 0
      && tjGetErrorCode (tj) != TJERR_WARNING) {
    error = g_strdup_printf ("cannot decode the image: %s",
        tjGetErrorStr2 (tj));
  } else {
    for (i = 0; i < G_N_ELEMENTS (clarifai_server_colour_names); i++) {
      bins[i].name = clarifai_server_colour_names[i];
      bins[i].count = 0;
    }
    for (i = 0; i < (gsize) w * h; i++)
      bins[classify_pixel (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2])].count++;
    qsort (bins, G_N_ELEMENTS (clarifai_server_colour_names),
        sizeof (ColourBin), compare_bins);
    *total = (guint64) w *h;
    *width = w;
    *height = h;
  }
  g_free (rgb);
  tjDestroy (tj);
  return error;
}
