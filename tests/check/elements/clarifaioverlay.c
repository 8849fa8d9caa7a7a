/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* clarifaioverlay behind clarifaitag, against the in-process reference
 * server: solid-colour frames go in, and the checks read the pixels that
 * come out, compared with the frame that went in. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <stdlib.h>

#include "clarifaiserver.h"
#include "fixture.h"
#include "testutil.h"

#define BLUE 0x2040c0
#define RED 0xff0000
#define WAIT (20 * GST_SECOND)
#define W 320
#define H 240

typedef struct
{
  GstHarness *h;
  GstBus *bus;
  GstVideoInfo info;
  GstVideoFormat format;
  guint32 rgb2;
  guint split;
  gboolean box;                 /* a red box of 96x72 at (64, 48) */
} Rig;

/* clarifaitag (one sample per hour: only the first frame) followed by
 * clarifaioverlay with @props. */
static void
rig_start_tagger (Rig * rig, GstVideoFormat format, const gchar * tag_props,
    const gchar * props, gboolean downstream_blends)
{
  g_autofree gchar *desc = g_strdup_printf ("clarifaitag api-url=%s "
      "api-key=" CLARIFAI_SERVER_DEFAULT_API_KEY " interval=3600000000000 %s "
      "! clarifaioverlay %s", clarifai_server_get_url (fixture_server),
      tag_props, props);
  g_autofree gchar *caps = g_strdup_printf ("video/x-raw,format=%s,"
      "width=%d,height=%d,framerate=30/1", gst_video_format_to_string (format),
      W, H);

  rig->format = format;
  rig->h = gst_harness_new_parse (desc);
  rig->bus = gst_bus_new ();
  gst_element_set_bus (rig->h->element, rig->bus);
  if (downstream_blends)
    gst_harness_add_propose_allocation_meta (rig->h,
        GST_VIDEO_OVERLAY_COMPOSITION_META_API_TYPE, NULL);
  gst_harness_set_src_caps_str (rig->h, caps);
  rig->split = W;
  rig->rgb2 = BLUE;
  rig->box = FALSE;
}

static void
rig_start (Rig * rig, GstVideoFormat format, const gchar * props,
    gboolean downstream_blends)
{
  rig_start_tagger (rig, format, "", props, downstream_blends);
}

static void
rig_stop (Rig * rig)
{
  gst_harness_teardown (rig->h);
  gst_bus_set_flushing (rig->bus, TRUE);
  gst_object_unref (rig->bus);
}

/* The red box, drawn into an RGB frame. */
static void
draw_box (GstBuffer * buf, GstVideoInfo * info)
{
  GstVideoFrame f;
  guint x, y;

  fail_unless (gst_video_frame_map (&f, info, buf, GST_MAP_WRITE));
  for (y = 48; y < 48 + 72; y++) {
    guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0) +
        y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0);

    for (x = 64; x < 64 + 96; x++) {
      row[3 * x] = 0xff;
      row[3 * x + 1] = row[3 * x + 2] = 0;
    }
  }
  gst_video_frame_unmap (&f);
}

static GstBuffer *
rig_frame (Rig * rig, GstClockTime pts)
{
  GstBuffer *buf = test_frame (rig->box ? GST_VIDEO_FORMAT_RGB : rig->format,
      W, H, BLUE, rig->split, rig->rgb2, &rig->info);

  if (rig->box) {
    fail_unless_equals_int (rig->format, GST_VIDEO_FORMAT_RGB);
    draw_box (buf, &rig->info);
  }

  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
  return buf;
}

/* Pushes a frame at @pts and returns what came out. */
static GstBuffer *
rig_push (Rig * rig, GstClockTime pts)
{
  fail_unless_equals_int (gst_harness_push (rig->h, rig_frame (rig, pts)),
      GST_FLOW_OK);
  return gst_harness_pull (rig->h);
}

/* Waits for the result of the first frame; returns its number of tags. */
static guint
rig_wait_result (Rig * rig)
{
  GstMessage *msg;

  while ((msg = gst_bus_timed_pop_filtered (rig->bus, WAIT,
              GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (msg);
    guint n;

    if (!gst_structure_has_name (s, "clarifai-tags")) {
      gst_message_unref (msg);
      continue;
    }
    fail_unless_equals_string (gst_structure_get_string (s, "status"), "OK");
    n = gst_value_array_get_size (gst_structure_get_value (s, "classes"));
    gst_message_unref (msg);
    return n;
  }
  fail ("no clarifai-tags message");
  return 0;
}

typedef struct
{
  guint changed, bright;
  gint x0, y0, x1, y1;          /* bounding box of the changed pixels */
} Diff;

/* Compares @out with the frame that went in, component by component, in
 * frame pixel coordinates. */
static Diff
diff_frames (Rig * rig, GstBuffer * out, GstClockTime pts)
{
  GstBuffer *ref = rig_frame (rig, pts);
  GstVideoFrame a, b;
  Diff d = { 0, 0, G_MAXINT, G_MAXINT, -1, -1 };
  guint c, x, y;

  fail_unless (gst_video_frame_map (&a, &rig->info, ref, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&b, &rig->info, out, GST_MAP_READ));
  for (c = 0; c < GST_VIDEO_FRAME_N_COMPONENTS (&a); c++) {
    const guint8 *pa = GST_VIDEO_FRAME_COMP_DATA (&a, c);
    const guint8 *pb = GST_VIDEO_FRAME_COMP_DATA (&b, c);
    gint stride = GST_VIDEO_FRAME_COMP_STRIDE (&a, c);
    gint pstride = GST_VIDEO_FRAME_COMP_PSTRIDE (&a, c);
    guint ws = GST_VIDEO_FORMAT_INFO_W_SUB (a.info.finfo, c);
    guint hs = GST_VIDEO_FORMAT_INFO_H_SUB (a.info.finfo, c);

    for (y = 0; y < (guint) GST_VIDEO_FRAME_COMP_HEIGHT (&a, c); y++)
      for (x = 0; x < (guint) GST_VIDEO_FRAME_COMP_WIDTH (&a, c); x++) {
        guint8 va = pa[y * stride + x * pstride];
        guint8 vb = pb[y * stride + x * pstride];

        if (va == vb)
          continue;
        d.changed++;
        /* White: a high luma, or high RGB or grey components. */
        if ((!GST_VIDEO_FORMAT_INFO_IS_YUV (a.info.finfo) || c == 0)
            && vb > 200)
          d.bright++;
        d.x0 = MIN (d.x0, (gint) (x << ws));
        d.y0 = MIN (d.y0, (gint) (y << hs));
        d.x1 = MAX (d.x1, (gint) (((x + 1) << ws) - 1));
        d.y1 = MAX (d.y1, (gint) (((y + 1) << hs) - 1));
      }
  }
  gst_video_frame_unmap (&a);
  gst_video_frame_unmap (&b);
  gst_buffer_unref (ref);
  return d;
}

static void
assert_untouched (Rig * rig, GstBuffer * out, GstClockTime pts)
{
  Diff d = diff_frames (rig, out, pts);

  fail_unless_equals_int (d.changed, 0);
}

/* Text was drawn, inside the quadrant of @position only, starting near its
 * corner. */
static Diff
assert_drawn_in (Rig * rig, GstBuffer * out, GstClockTime pts,
    const gchar * position)
{
  Diff d = diff_frames (rig, out, pts);
  gboolean left = g_str_has_suffix (position, "left");
  gboolean top = g_str_has_prefix (position, "top");

  fail_unless (d.changed > 100, "only %u pixels changed", d.changed);
  fail_unless (d.bright > 20, "no white text: %u bright pixels", d.bright);
  if (left)
    fail_unless (d.x0 < 16 && d.x1 < W / 2, "x %d..%d", d.x0, d.x1);
  else
    fail_unless (d.x1 >= W - 16 && d.x0 >= W / 2, "x %d..%d", d.x0, d.x1);
  if (top)
    fail_unless (d.y0 < 16 && d.y1 < H / 2, "y %d..%d", d.y0, d.y1);
  else
    fail_unless (d.y1 >= H - 16 && d.y0 >= H / 2, "y %d..%d", d.y0, d.y1);
  return d;
}

static const gchar *positions[] = { "top-left", "top-right", "bottom-left",
  "bottom-right"
};

GST_START_TEST (test_overlay_corners)
{
  const gchar *position = positions[__i__];
  g_autofree gchar *props = g_strdup_printf ("position=%s", position);
  Rig rig;
  GstBuffer *out;

  rig_start (&rig, GST_VIDEO_FORMAT_BGRx, props, FALSE);
  out = rig_push (&rig, 0);
  assert_untouched (&rig, out, 0);
  gst_buffer_unref (out);
  rig_wait_result (&rig);
  out = rig_push (&rig, GST_SECOND / 30);
  assert_drawn_in (&rig, out, GST_SECOND / 30, position);
  gst_buffer_unref (out);
  rig_stop (&rig);
}

GST_END_TEST;

static const GstVideoFormat formats[] = { GST_VIDEO_FORMAT_I420,
  GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_YUY2, GST_VIDEO_FORMAT_RGBA,
  GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_GRAY8
};

GST_START_TEST (test_overlay_formats)
{
  Rig rig;
  GstBuffer *out;

  rig_start (&rig, formats[__i__], "position=bottom-right", FALSE);
  out = rig_push (&rig, 0);
  assert_untouched (&rig, out, 0);
  gst_buffer_unref (out);
  rig_wait_result (&rig);
  out = rig_push (&rig, GST_SECOND / 30);
  assert_drawn_in (&rig, out, GST_SECOND / 30, "bottom-right");
  gst_buffer_unref (out);
  rig_stop (&rig);
}

GST_END_TEST;

/* Nothing before the first result; nothing once the result's frame is
 * more than `expire` older than the buffer; always with expire=0. */
GST_START_TEST (test_overlay_expire)
{
  GstElement *overlay;
  Rig rig;
  GstBuffer *out;
  guint i;

  rig_start (&rig, GST_VIDEO_FORMAT_I420, "expire=1000000000", FALSE);
  for (i = 0; i < 3; i++) {
    out = rig_push (&rig, i * GST_SECOND / 30);
    if (i == 0)
      assert_untouched (&rig, out, 0);
    gst_buffer_unref (out);
  }
  rig_wait_result (&rig);
  out = rig_push (&rig, GST_SECOND);
  assert_drawn_in (&rig, out, GST_SECOND, "top-left");
  gst_buffer_unref (out);
  out = rig_push (&rig, GST_SECOND + GST_MSECOND);
  assert_untouched (&rig, out, GST_SECOND + GST_MSECOND);
  gst_buffer_unref (out);
  overlay = gst_bin_get_by_name (GST_BIN (rig.h->element), "clarifaioverlay0");
  g_object_set (overlay, "expire", (guint64) 0, NULL);
  gst_object_unref (overlay);
  out = rig_push (&rig, 600 * GST_SECOND);
  assert_drawn_in (&rig, out, 600 * GST_SECOND, "top-left");
  gst_buffer_unref (out);
  rig_stop (&rig);
}

GST_END_TEST;

static gint
block_height (guint max_lines, gboolean probabilities, gint * width,
    guint * n_tags)
{
  g_autofree gchar *props = g_strdup_printf ("max-lines=%u "
      "show-probabilities=%d", max_lines, probabilities);
  Rig rig;
  GstBuffer *out;
  Diff d;

  rig_start (&rig, GST_VIDEO_FORMAT_BGRx, props, FALSE);
  /* Blue on the left, red on the right: two tags. */
  rig.split = W / 2;
  rig.rgb2 = RED;
  gst_buffer_unref (rig_push (&rig, 0));
  *n_tags = rig_wait_result (&rig);
  out = rig_push (&rig, GST_SECOND / 30);
  d = assert_drawn_in (&rig, out, GST_SECOND / 30, "top-left");
  gst_buffer_unref (out);
  rig_stop (&rig);
  *width = d.x1 - d.x0 + 1;
  return d.y1 - d.y0 + 1;
}

GST_START_TEST (test_overlay_max_lines)
{
  gint w1, w2, wall, wnames;
  guint n;
  gint h1 = block_height (1, TRUE, &w1, &n);
  gint h2 = block_height (2, TRUE, &w2, &n);
  gint hall = block_height (0, TRUE, &wall, &n);
  gint hnames = block_height (2, FALSE, &wnames, &n);

  GST_INFO ("heights: 1 line %d, 2 lines %d, all %u: %d", h1, h2, n, hall);
  fail_unless (n >= 2, "the two-colour frame has %u tags", n);
  /* Each line adds one line height, about a 24th of the frame. */
  fail_unless (h2 > h1 + H / 30 && h2 < 2 * h1, "%d vs %d", h2, h1);
  fail_unless (hall > h2 + (gint) (n - 3) * H / 30 && hall < (gint) n * h1,
      "%u lines %d high, 2 lines %d", n, hall, h2);
  fail_unless_equals_int (hnames, h2);
  fail_unless (wnames < w2, "names only %d wide, with probabilities %d",
      wnames, w2);
}

GST_END_TEST;

static GstVideoOverlayComposition *
composition_of (GstBuffer * buf)
{
  GstVideoOverlayCompositionMeta *meta =
      gst_buffer_get_video_overlay_composition_meta (buf);

  fail_unless (meta != NULL, "no overlay composition meta");
  return meta->overlay;
}

/* Downstream blends: the pixels stay as they came, the block rides as
 * meta, rendered once per result and frame size. */
GST_START_TEST (test_overlay_composition_meta)
{
  Rig rig;
  GstBuffer *out, *out2;
  GstVideoOverlayRectangle *rect;
  GstBuffer *argb;
  GstVideoMeta *vmeta;
  GstMapInfo map;
  gint x, y;
  guint w, h, i, white = 0;

  rig_start (&rig, GST_VIDEO_FORMAT_I420, "position=bottom-left", TRUE);
  out = rig_push (&rig, 0);
  fail_unless (gst_buffer_get_video_overlay_composition_meta (out) == NULL);
  gst_buffer_unref (out);
  rig_wait_result (&rig);

  out = rig_push (&rig, GST_SECOND / 30);
  assert_untouched (&rig, out, GST_SECOND / 30);
  fail_unless_equals_int (gst_video_overlay_composition_n_rectangles
      (composition_of (out)), 1);
  rect = gst_video_overlay_composition_get_rectangle (composition_of (out), 0);
  fail_unless (gst_video_overlay_rectangle_get_render_rectangle (rect, &x, &y,
          &w, &h));
  fail_unless (x < 16 && x + w < W / 2 && y >= H / 2 && y + h >= H - 16,
      "rectangle %d,%d %ux%u", x, y, w, h);
  argb = gst_video_overlay_rectangle_get_pixels_unscaled_argb (rect,
      GST_VIDEO_OVERLAY_FORMAT_FLAG_NONE);
  vmeta = gst_buffer_get_video_meta (argb);
  fail_unless (vmeta && vmeta->width == w && vmeta->height == h);
  fail_unless (gst_buffer_map (argb, &map, GST_MAP_READ));
  for (i = 0; i + 3 < map.size; i += 4)
    white += map.data[i] > 200 && map.data[i + 1] > 200
        && map.data[i + 2] > 200 && map.data[i + 3] > 200;
  gst_buffer_unmap (argb, &map);
  fail_unless (white > 20, "only %u white pixels in the block", white);

  /* The same result: the same rendering, not a new one. */
  out2 = rig_push (&rig, 2 * GST_SECOND / 30);
  fail_unless_equals_int (gst_video_overlay_rectangle_get_seqnum
      (gst_video_overlay_composition_get_rectangle (composition_of (out2), 0)),
      gst_video_overlay_rectangle_get_seqnum (rect));
  gst_buffer_unref (out2);

  /* A new frame size: rendered again, for it. */
  gst_harness_set_src_caps_str (rig.h, "video/x-raw,format=I420,"
      "width=640,height=480,framerate=30/1");
  fail_unless_equals_int (gst_harness_push (rig.h,
          test_frame (GST_VIDEO_FORMAT_I420, 640, 480, BLUE, 640, BLUE,
              &rig.info)), GST_FLOW_OK);
  out2 = gst_harness_pull (rig.h);
  {
    GstVideoOverlayRectangle *big =
        gst_video_overlay_composition_get_rectangle (composition_of (out2), 0);
    guint bw, bh;

    fail_unless (gst_video_overlay_rectangle_get_seqnum (big) !=
        gst_video_overlay_rectangle_get_seqnum (rect));
    gst_video_overlay_rectangle_get_render_rectangle (big, NULL, NULL, &bw,
        &bh);
    fail_unless (bh > h, "%u high at 480 lines, %u at 240", bh, h);
  }
  gst_buffer_unref (out2);
  gst_buffer_unref (out);
  rig_stop (&rig);
}

GST_END_TEST;

/* The RGB pixel at @x, @y of @buf. */
static guint32
pixel_at (Rig * rig, GstBuffer * buf, guint x, guint y)
{
  GstVideoFrame f;
  const guint8 *p;
  guint32 rgb;

  fail_unless (gst_video_frame_map (&f, &rig->info, buf, GST_MAP_READ));
  p = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0) +
      y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0) + 3 * x;
  rgb = (p[0] << 16) | (p[1] << 8) | p[2];
  gst_video_frame_unmap (&f);
  return rgb;
}

/* The reference detector's box on the red blob is drawn where the blob
 * is: its outline around it, in a colour neither red nor blue, its label
 * on a tag above, the blob itself left as it is; draw-regions=false draws
 * nothing (the detector gives no tags). */
GST_START_TEST (test_overlay_boxes)
{
  const gchar *props[] = { "", "draw-regions=false" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (props); i++) {
    Rig rig;
    GstBuffer *out;
    Diff d;
    guint32 edge;

    rig_start_tagger (&rig, GST_VIDEO_FORMAT_RGB,
        "model=general-image-detection", props[i], FALSE);
    rig.box = TRUE;
    gst_buffer_unref (rig_push (&rig, 0));
    fail_unless_equals_int (rig_wait_result (&rig), 0);
    out = rig_push (&rig, GST_SECOND / 30);
    if (i == 1) {
      assert_untouched (&rig, out, GST_SECOND / 30);
      gst_buffer_unref (out);
      rig_stop (&rig);
      continue;
    }
    d = diff_frames (&rig, out, GST_SECOND / 30);
    /* the outline's edges are the blob's, within a grid cell (4 px) and
     * the line's width; the tag rises above the box */
    fail_unless (abs (d.x0 - 64) <= 6, "x0 %d", d.x0);
    fail_unless (d.x1 >= 160 - 6 && d.x1 <= 160 + 6, "x1 %d", d.x1);
    fail_unless (d.y0 >= 20 && d.y0 < 48 - 4, "y0 %d", d.y0);
    fail_unless (abs (d.y1 - 120) <= 6, "y1 %d", d.y1);
    fail_unless_equals_int (pixel_at (&rig, out, 112, 84), RED);
    edge = pixel_at (&rig, out, 65, 84);
    fail_unless (edge != RED && edge != BLUE, "edge %06x", edge);
    /* the colour is the label's: the same on the next frame */
    gst_buffer_unref (out);
    out = rig_push (&rig, 2 * GST_SECOND / 30);
    fail_unless_equals_int (pixel_at (&rig, out, 65, 84), edge);
    gst_buffer_unref (out);
    rig_stop (&rig);
  }
}

GST_END_TEST;

/* A captioner's text, for a result without tags, is the block in the
 * corner, white on its box; draw-text=false draws nothing. */
GST_START_TEST (test_overlay_text)
{
  Rig rig;
  GstBuffer *out;

  rig_start_tagger (&rig, GST_VIDEO_FORMAT_RGB, "user-id=salesforce "
      "app-id=blip model=general-english-image-caption-blip", "", FALSE);
  gst_buffer_unref (rig_push (&rig, 0));
  fail_unless_equals_int (rig_wait_result (&rig), 0);
  out = rig_push (&rig, GST_SECOND / 30);
  assert_drawn_in (&rig, out, GST_SECOND / 30, "top-left");
  gst_buffer_unref (out);
  rig_stop (&rig);

  rig_start_tagger (&rig, GST_VIDEO_FORMAT_RGB, "user-id=salesforce "
      "app-id=blip model=general-english-image-caption-blip",
      "draw-text=false", FALSE);
  gst_buffer_unref (rig_push (&rig, 0));
  rig_wait_result (&rig);
  out = rig_push (&rig, GST_SECOND / 30);
  assert_untouched (&rig, out, GST_SECOND / 30);
  gst_buffer_unref (out);
  rig_stop (&rig);
}

GST_END_TEST;

/* A buffer without the meta passes as it came, without a copy. */
GST_START_TEST (test_overlay_no_meta)
{
  GstHarness *h = gst_harness_new ("clarifaioverlay");
  GstVideoInfo info;
  GstBuffer *in, *out;

  gst_harness_set_src_caps_str (h, "video/x-raw,format=I420,width=64,"
      "height=48,framerate=30/1");
  in = test_frame (GST_VIDEO_FORMAT_I420, 64, 48, BLUE, 64, BLUE, &info);
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (in)),
      GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless (gst_buffer_peek_memory (out, 0) ==
      gst_buffer_peek_memory (in, 0));
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
clarifaioverlay_suite (void)
{
  Suite *s = suite_create ("clarifaioverlay");
  TCase *tc = tcase_create ("overlay");

  tcase_add_checked_fixture (tc, fixture_server_setup, fixture_server_teardown);
  tcase_add_loop_test (tc, test_overlay_corners, 0, G_N_ELEMENTS (positions));
  tcase_add_loop_test (tc, test_overlay_formats, 0, G_N_ELEMENTS (formats));
  tcase_add_test (tc, test_overlay_expire);
  tcase_add_test (tc, test_overlay_max_lines);
  tcase_add_test (tc, test_overlay_composition_meta);
  tcase_add_test (tc, test_overlay_no_meta);
  tcase_add_test (tc, test_overlay_boxes);
  tcase_add_test (tc, test_overlay_text);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (clarifaioverlay);
