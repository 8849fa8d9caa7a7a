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
 * that the right frame arrived intact; and its blobs, the connected areas
 * of one colour on a coarse grid other than the background's, which the
 * reference detector reports as boxes.  Shared by v1 and v2. */

#include "clarifaiserver-private.h"

#include <math.h>
#include <string.h>
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

#define MIN_BLOB_CELLS 4

static gint
compare_blobs (gconstpointer a, gconstpointer b)
{
  const ServerBlob *x = a, *y = b;

  if (x->cells != y->cells)
    return (x->cells < y->cells) - (x->cells > y->cells);
  if (x->y0 != y->y0)
    return (x->y0 > y->y0) - (x->y0 < y->y0);
  return (x->x0 > y->x0) - (x->x0 < y->x0);
}

/* Each cell takes the colour most of its pixels have; the background is
 * the colour most cells have; a blob is a 4-connected set of at least
 * MIN_BLOB_CELLS cells of another colour (fewer are an edge's blur).
 * Largest first, then top to bottom. */
static void
find_blobs (const guint8 * rgb, guint w, guint h, ServerImage * img)
{
  guint gw = CLAMP (w / CLARIFAI_SERVER_CELL, 1, CLARIFAI_SERVER_GRID);
  guint gh = CLAMP (h / CLARIFAI_SERVER_CELL, 1, CLARIFAI_SERVER_GRID);
  g_autofree guint8 *cell = g_new0 (guint8, gw * gh);
  g_autofree gint *seen = g_new (gint, gw * gh);
  g_autofree guint *stack = g_new (guint, gw * gh);
  guint area[CLARIFAI_SERVER_N_COLOURS] = { 0, };
  guint cx, cy, x, y, i, background = 0;

  for (cy = 0; cy < gh; cy++)
    for (cx = 0; cx < gw; cx++) {
      guint counts[CLARIFAI_SERVER_N_COLOURS] = { 0, }, best = 0;

      for (y = cy * h / gh; y < (cy + 1) * h / gh; y++)
        for (x = cx * w / gw; x < (cx + 1) * w / gw; x++) {
          const guint8 *p = rgb + 3 * ((gsize) y * w + x);

          counts[classify_pixel (p[0], p[1], p[2])]++;
        }
      for (i = 1; i < CLARIFAI_SERVER_N_COLOURS; i++)
        if (counts[i] > counts[best])
          best = i;
      cell[cy * gw + cx] = best;
      area[best]++;
    }
  for (i = 1; i < CLARIFAI_SERVER_N_COLOURS; i++)
    if (area[i] > area[background])
      background = i;

  img->n_blobs = 0;
  memset (seen, 0, sizeof (gint) * gw * gh);
  for (i = 0; i < gw * gh && img->n_blobs < CLARIFAI_SERVER_MAX_BLOBS; i++) {
    ServerBlob *b;
    guint top = 0;

    if (seen[i] || cell[i] == background)
      continue;
    b = &img->blobs[img->n_blobs++];
    b->colour = cell[i];
    b->cells = 0;
    b->x0 = gw;
    b->y0 = gh;
    b->x1 = b->y1 = 0;
    seen[i] = 1;
    stack[top++] = i;
    while (top) {
      guint c = stack[--top], ccx = c % gw, ccy = c / gw;
      guint next[4], n = 0, k;

      b->cells++;
      b->x0 = MIN (b->x0, ccx);
      b->y0 = MIN (b->y0, ccy);
      b->x1 = MAX (b->x1, ccx + 1);
      b->y1 = MAX (b->y1, ccy + 1);
      if (ccx > 0)
        next[n++] = c - 1;
      if (ccx + 1 < gw)
        next[n++] = c + 1;
      if (ccy > 0)
        next[n++] = c - gw;
      if (ccy + 1 < gh)
        next[n++] = c + gw;
      for (k = 0; k < n; k++)
        if (!seen[next[k]] && cell[next[k]] == b->colour) {
          seen[next[k]] = 1;
          stack[top++] = next[k];
        }
    }
    if (b->cells < MIN_BLOB_CELLS) {
      img->n_blobs--;
      continue;
    }
    /* edges in pixels of the image, as the cells' own are */
    b->left = (gdouble) (b->x0 * w / gw) / w;
    b->right = (gdouble) (b->x1 * w / gw) / w;
    b->top = (gdouble) (b->y0 * h / gh) / h;
    b->bottom = (gdouble) (b->y1 * h / gh) / h;
    b->fill = (gdouble) b->cells / ((b->x1 - b->x0) * (b->y1 - b->y0));
  }
  qsort (img->blobs, img->n_blobs, sizeof (ServerBlob), compare_blobs);
}

/* Decodes @jpeg and fills @img with the share of each colour, most
 * first, and the blobs; returns an error text for undecodable data. */
gchar *
clarifai_server_analyse_image (const guint8 * jpeg, gsize size,
    ServerImage * img)
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
      img->bins[i].name = clarifai_server_colour_names[i];
      img->bins[i].count = 0;
    }
    for (i = 0; i < (gsize) w * h; i++)
      img->bins[classify_pixel (rgb[3 * i], rgb[3 * i + 1],
              rgb[3 * i + 2])].count++;
    qsort (img->bins, G_N_ELEMENTS (clarifai_server_colour_names),
        sizeof (ColourBin), compare_bins);
    img->total = (guint64) w *h;
    img->width = w;
    img->height = h;
    find_blobs (rgb, w, h, img);
  }
  g_free (rgb);
  tjDestroy (tj);
  return error;
}
