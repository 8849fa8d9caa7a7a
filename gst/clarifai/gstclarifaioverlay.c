/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-clarifaioverlay
 * @title: clarifaioverlay
 * @see_also: clarifaitag
 *
 * Draws the results that clarifaitag attached to the video (the
 * `ClarifaiTagMeta` custom meta): the tags in a corner of the picture, one
 * per line, most probable first, white on a translucent box (or, for a
 * result without tags, its text: a caption or a vision-language model's
 * answer), and each region a detector found as a box at its place, in a
 * colour of its label's own, with the label above it.  Boxes are drawn
 * at the meta's fractions of the frame they ride on: with
 * clarifaitag's `sync=true` they sit on the very frame they describe.
 *
 * The text is rendered with Pango only when the result or the frame size
 * changes.  When downstream says, in the allocation query, that it can
 * blend overlays itself (`GstVideoOverlayCompositionMeta`, as glimagesink
 * does), the rendered block travels as that meta and the pixels are left
 * alone; otherwise it is blended into the frame.  Buffers without the meta,
 * or whose result is older than #GstClarifaiOverlay:expire, pass untouched.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 v4l2src ! videoconvert ! clarifaitag ! clarifaioverlay ! videoconvert ! autovideosink
 * ]| Shows a live camera with the tags of the last second drawn on it
 * (credentials as for clarifaitag).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstclarifaioverlay.h"

#include "clarifailabel.h"
#include "clarifaimeta.h"

GST_DEBUG_CATEGORY_STATIC (gst_clarifai_overlay_debug);
#define GST_CAT_DEFAULT gst_clarifai_overlay_debug

enum
{
  PROP_0,
  PROP_POSITION,
  PROP_FONT_DESC,
  PROP_MAX_LINES,
  PROP_SHOW_PROBABILITIES,
  PROP_EXPIRE,
  PROP_DRAW_REGIONS,
  PROP_DRAW_TEXT,
};

#define DEFAULT_POSITION CLARIFAI_LABEL_TOP_LEFT
#define DEFAULT_MAX_LINES 5
#define DEFAULT_SHOW_PROBABILITIES TRUE
#define DEFAULT_EXPIRE (5 * GST_SECOND)
#define DEFAULT_DRAW_REGIONS TRUE
#define DEFAULT_DRAW_TEXT TRUE

struct _GstClarifaiOverlay
{
  GstVideoFilter parent;

  /* properties, under the object lock; any change sets style_changed */
  ClarifaiLabelStyle style;
  GstClockTime expire;
  gboolean style_changed;

  /* set by caps and RECONFIGURE, read by the streaming thread */
  gint renegotiate;

  /* streaming thread */
  gboolean downstream_blends;
  GstVideoOverlayComposition *composition;      /* NULL: nothing to draw */
  gchar *drawn;                 /* what composition shows */
  guint64 drawn_sample_id;
  GstClockTime drawn_timestamp;
  gint drawn_width, drawn_height;
};

#define gst_clarifai_overlay_parent_class parent_class
G_DEFINE_TYPE (GstClarifaiOverlay, gst_clarifai_overlay, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE (clarifaioverlay, "clarifaioverlay",
    GST_RANK_NONE, GST_TYPE_CLARIFAI_OVERLAY);

#define OVERLAY_CAPS \
  GST_VIDEO_CAPS_MAKE (GST_VIDEO_OVERLAY_COMPOSITION_BLEND_FORMATS)

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (OVERLAY_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (OVERLAY_CAPS));

#define GST_TYPE_CLARIFAI_OVERLAY_POSITION \
  (gst_clarifai_overlay_position_get_type ())
static GType gst_clarifai_overlay_position_get_type (void);

/**
 * GstClarifaiOverlayPosition:
 * @CLARIFAI_LABEL_TOP_LEFT: top left corner
 * @CLARIFAI_LABEL_TOP_RIGHT: top right corner
 * @CLARIFAI_LABEL_BOTTOM_LEFT: bottom left corner
 * @CLARIFAI_LABEL_BOTTOM_RIGHT: bottom right corner
 */
static GType
gst_clarifai_overlay_position_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {CLARIFAI_LABEL_TOP_LEFT, "Top left corner", "top-left"},
    {CLARIFAI_LABEL_TOP_RIGHT, "Top right corner", "top-right"},
    {CLARIFAI_LABEL_BOTTOM_LEFT, "Bottom left corner", "bottom-left"},
    {CLARIFAI_LABEL_BOTTOM_RIGHT, "Bottom right corner", "bottom-right"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstClarifaiOverlayPosition", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

static void
gst_clarifai_overlay_forget (GstClarifaiOverlay * self)
{
  g_clear_pointer (&self->composition, gst_video_overlay_composition_unref);
  g_clear_pointer (&self->drawn, g_free);
  self->drawn_sample_id = G_MAXUINT64;
  self->drawn_timestamp = GST_CLOCK_TIME_NONE;
  self->drawn_width = self->drawn_height = 0;
}

/* Whether downstream composes overlays itself, asked afresh after every
 * caps change and RECONFIGURE.  An in-place transform gets no
 * decide_allocation() call from its base class, hence the own query. */
static void
gst_clarifai_overlay_ask_downstream (GstClarifaiOverlay * self)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  GstCaps *caps = gst_pad_get_current_caps (trans->srcpad);
  GstQuery *query;

  self->downstream_blends = FALSE;
  if (caps == NULL)
    return;
  query = gst_query_new_allocation (caps, FALSE);
  if (gst_pad_peer_query (trans->srcpad, query))
    self->downstream_blends = gst_query_find_allocation_meta (query,
        GST_VIDEO_OVERLAY_COMPOSITION_META_API_TYPE, NULL);
  gst_query_unref (query);
  gst_caps_unref (caps);
  GST_DEBUG_OBJECT (self, "downstream %s overlay compositions",
      self->downstream_blends ? "blends" : "does not blend");
}

/* What a result looks like drawn: the block's text and each box drawn, to
 * compare with what is rendered. */
static gchar *
drawing (const GstStructure * result, const gchar * text,
    const ClarifaiLabelStyle * style)
{
  const GValue *regions = gst_structure_get_value (result, "regions");
  GString *key = g_string_new (text);
  guint i;

  if (!style->draw_regions || regions == NULL
      || !GST_VALUE_HOLDS_ARRAY (regions))
    return g_string_free (key, FALSE);
  for (i = 0; i < gst_value_array_get_size (regions); i++) {
    const GstStructure *r =
        gst_value_get_structure (gst_value_array_get_value (regions, i));
    gdouble x = 0, y = 0, w = 0, h = 0, p = 0;

    gst_structure_get (r, "x", G_TYPE_DOUBLE, &x, "y", G_TYPE_DOUBLE, &y,
        "width", G_TYPE_DOUBLE, &w, "height", G_TYPE_DOUBLE, &h,
        "probability", G_TYPE_DOUBLE, &p, NULL);
    g_string_append_printf (key, "\n\x1f%s %.4f %.4f %.4f %.4f %.2f",
        gst_structure_get_string (r, "label"), x, y, w, h, p);
  }
  return g_string_free (key, FALSE);
}

/* Adds @rect (transfer full; NULL: nothing) to *@composition. */
static void
add_rectangle (GstVideoOverlayComposition ** composition,
    GstVideoOverlayRectangle * rect)
{
  if (rect == NULL)
    return;
  if (*composition)
    gst_video_overlay_composition_add_rectangle (*composition, rect);
  else
    *composition = gst_video_overlay_composition_new (rect);
  gst_video_overlay_rectangle_unref (rect);
}

/* The composition for @result on a frame of this size, rendered again only
 * when what it shows, the frame size or the style changed.  NULL: nothing
 * to draw. */
static GstVideoOverlayComposition *
gst_clarifai_overlay_composition (GstClarifaiOverlay * self,
    const GstStructure * result)
{
  GstVideoInfo *info = &GST_VIDEO_FILTER (self)->in_info;
  guint64 sample_id = G_MAXUINT64;
  GstClockTime timestamp = GST_CLOCK_TIME_NONE;
  const GValue *regions = gst_structure_get_value (result, "regions");
  ClarifaiLabelStyle style;
  gboolean changed, prose;
  gchar *text, *drawn;
  guint i;

  if (regions && !GST_VALUE_HOLDS_ARRAY (regions))
    regions = NULL;
  gst_structure_get_uint64 (result, "sample-id", &sample_id);
  gst_structure_get_uint64 (result, "timestamp", &timestamp);

  GST_OBJECT_LOCK (self);
  changed = self->style_changed;
  self->style_changed = FALSE;
  style = self->style;
  style.font_desc = g_strdup (self->style.font_desc);
  GST_OBJECT_UNLOCK (self);

  if (!changed && sample_id == self->drawn_sample_id
      && timestamp == self->drawn_timestamp
      && GST_VIDEO_INFO_WIDTH (info) == self->drawn_width
      && GST_VIDEO_INFO_HEIGHT (info) == self->drawn_height)
    goto done;

  text = clarifai_label_text (result, &style, &prose);
  drawn = drawing (result, text, &style);
  /* A new result that looks the same keeps what is already rendered. */
  if (!changed && g_strcmp0 (drawn, self->drawn) == 0
      && GST_VIDEO_INFO_WIDTH (info) == self->drawn_width
      && GST_VIDEO_INFO_HEIGHT (info) == self->drawn_height) {
    g_free (drawn);
  } else {
    gst_clarifai_overlay_forget (self);
    if (text)
      add_rectangle (&self->composition, clarifai_label_render (text, &style,
              prose, GST_VIDEO_INFO_WIDTH (info),
              GST_VIDEO_INFO_HEIGHT (info)));
    if (style.draw_regions && regions)
      for (i = 0; i < gst_value_array_get_size (regions); i++)
        add_rectangle (&self->composition,
            clarifai_label_render_box (gst_value_get_structure
                (gst_value_array_get_value (regions, i)), &style,
                GST_VIDEO_INFO_WIDTH (info), GST_VIDEO_INFO_HEIGHT (info)));
    self->drawn = drawn;
    self->drawn_width = GST_VIDEO_INFO_WIDTH (info);
    self->drawn_height = GST_VIDEO_INFO_HEIGHT (info);
    GST_LOG_OBJECT (self, "rendered sample %" G_GUINT64_FORMAT, sample_id);
  }
  g_free (text);
  self->drawn_sample_id = sample_id;
  self->drawn_timestamp = timestamp;

done:
  g_free (style.font_desc);
  return self->composition;
}

/* The running time of the meta's frame is compared with this buffer's; a
 * result whose frame is more than `expire` older is not drawn.  Either time
 * unknown: drawn. */
static gboolean
gst_clarifai_overlay_expired (GstClarifaiOverlay * self, GstBuffer * buf,
    const GstStructure * result)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  GstClockTime expire, result_rt = GST_CLOCK_TIME_NONE, now;

  GST_OBJECT_LOCK (self);
  expire = self->expire;
  GST_OBJECT_UNLOCK (self);
  if (expire == 0 || trans->segment.format != GST_FORMAT_TIME)
    return FALSE;
  gst_structure_get_uint64 (result, "running-time", &result_rt);
  now = gst_segment_to_running_time (&trans->segment, GST_FORMAT_TIME,
      GST_BUFFER_PTS (buf));
  return GST_CLOCK_TIME_IS_VALID (result_rt) && GST_CLOCK_TIME_IS_VALID (now)
      && now > result_rt && now - result_rt > expire;
}

/* Downstream blends: the block joins whatever composition the buffer
 * already carries. */
static void
gst_clarifai_overlay_attach (GstBuffer * buf,
    GstVideoOverlayComposition * composition)
{
  GstVideoOverlayCompositionMeta *meta =
      gst_buffer_get_video_overlay_composition_meta (buf);
  GstVideoOverlayComposition *merged;
  guint i;

  if (meta == NULL) {
    gst_buffer_add_video_overlay_composition_meta (buf, composition);
    return;
  }
  merged = gst_video_overlay_composition_copy (meta->overlay);
  for (i = 0; i < gst_video_overlay_composition_n_rectangles (composition); i++)
    gst_video_overlay_composition_add_rectangle (merged,
        gst_video_overlay_composition_get_rectangle (composition, i));
  gst_buffer_remove_video_overlay_composition_meta (buf, meta);
  gst_buffer_add_video_overlay_composition_meta (buf, merged);
  gst_video_overlay_composition_unref (merged);
}

static GstFlowReturn
gst_clarifai_overlay_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstClarifaiOverlay *self = GST_CLARIFAI_OVERLAY (trans);
  GstCustomMeta *meta = gst_buffer_get_custom_meta (buf,
      CLARIFAI_TAG_META_NAME);
  GstVideoOverlayComposition *composition;
  const GstStructure *result;
  GstVideoFrame frame;

  if (g_atomic_int_compare_and_exchange (&self->renegotiate, TRUE, FALSE))
    gst_clarifai_overlay_ask_downstream (self);

  if (meta == NULL)
    return GST_FLOW_OK;
  result = gst_custom_meta_get_structure (meta);
  if (gst_clarifai_overlay_expired (self, buf, result))
    return GST_FLOW_OK;
  composition = gst_clarifai_overlay_composition (self, result);
  if (composition == NULL)
    return GST_FLOW_OK;

  if (self->downstream_blends) {
    gst_clarifai_overlay_attach (buf, composition);
    return GST_FLOW_OK;
  }
  if (!gst_video_frame_map (&frame, &GST_VIDEO_FILTER (self)->in_info, buf,
          GST_MAP_READWRITE)) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL),
        ("could not map the frame to draw on it"));
    return GST_FLOW_ERROR;
  }
  gst_video_overlay_composition_blend (composition, &frame);
  gst_video_frame_unmap (&frame);
  return GST_FLOW_OK;
}

static gboolean
gst_clarifai_overlay_set_info (GstVideoFilter * filter, GstCaps * incaps,
    GstVideoInfo * in_info, GstCaps * outcaps, GstVideoInfo * out_info)
{
  GstClarifaiOverlay *self = GST_CLARIFAI_OVERLAY (filter);

  gst_clarifai_overlay_forget (self);
  g_atomic_int_set (&self->renegotiate, TRUE);
  return TRUE;
}

static gboolean
gst_clarifai_overlay_src_event (GstBaseTransform * trans, GstEvent * event)
{
  GstClarifaiOverlay *self = GST_CLARIFAI_OVERLAY (trans);

  if (GST_EVENT_TYPE (event) == GST_EVENT_RECONFIGURE)
    g_atomic_int_set (&self->renegotiate, TRUE);
  return GST_BASE_TRANSFORM_CLASS (parent_class)->src_event (trans, event);
}

static gboolean
gst_clarifai_overlay_stop (GstBaseTransform * trans)
{
  gst_clarifai_overlay_forget (GST_CLARIFAI_OVERLAY (trans));
  return TRUE;
}

static void
gst_clarifai_overlay_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstClarifaiOverlay *self = GST_CLARIFAI_OVERLAY (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_POSITION:
      self->style.position = g_value_get_enum (value);
      break;
    case PROP_FONT_DESC:
      g_free (self->style.font_desc);
      self->style.font_desc = g_value_dup_string (value);
      if (self->style.font_desc && !*self->style.font_desc)
        g_clear_pointer (&self->style.font_desc, g_free);
      break;
    case PROP_MAX_LINES:
      self->style.max_lines = g_value_get_uint (value);
      break;
    case PROP_SHOW_PROBABILITIES:
      self->style.show_probabilities = g_value_get_boolean (value);
      break;
    case PROP_DRAW_REGIONS:
      self->style.draw_regions = g_value_get_boolean (value);
      break;
    case PROP_DRAW_TEXT:
      self->style.draw_text = g_value_get_boolean (value);
      break;
    case PROP_EXPIRE:
      self->expire = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  self->style_changed = TRUE;
  GST_OBJECT_UNLOCK (self);
}

static void
gst_clarifai_overlay_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstClarifaiOverlay *self = GST_CLARIFAI_OVERLAY (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_POSITION:
      g_value_set_enum (value, self->style.position);
      break;
    case PROP_FONT_DESC:
      g_value_set_string (value, self->style.font_desc);
      break;
    case PROP_MAX_LINES:
      g_value_set_uint (value, self->style.max_lines);
      break;
    case PROP_SHOW_PROBABILITIES:
      g_value_set_boolean (value, self->style.show_probabilities);
      break;
    case PROP_DRAW_REGIONS:
      g_value_set_boolean (value, self->style.draw_regions);
      break;
    case PROP_DRAW_TEXT:
      g_value_set_boolean (value, self->style.draw_text);
      break;
    case PROP_EXPIRE:
      g_value_set_uint64 (value, self->expire);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_clarifai_overlay_finalize (GObject * object)
{
  GstClarifaiOverlay *self = GST_CLARIFAI_OVERLAY (object);

  gst_clarifai_overlay_forget (self);
  g_free (self->style.font_desc);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_clarifai_overlay_init (GstClarifaiOverlay * self)
{
  self->style.position = DEFAULT_POSITION;
  self->style.max_lines = DEFAULT_MAX_LINES;
  self->style.show_probabilities = DEFAULT_SHOW_PROBABILITIES;
  self->style.draw_regions = DEFAULT_DRAW_REGIONS;
  self->style.draw_text = DEFAULT_DRAW_TEXT;
  self->expire = DEFAULT_EXPIRE;
  self->style_changed = TRUE;
  gst_clarifai_overlay_forget (self);
}

static void
gst_clarifai_overlay_class_init (GstClarifaiOverlayClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);

  gobject_class->set_property = gst_clarifai_overlay_set_property;
  gobject_class->get_property = gst_clarifai_overlay_get_property;
  gobject_class->finalize = gst_clarifai_overlay_finalize;

  /**
   * GstClarifaiOverlay:position:
   *
   * The corner of the frame the tags are drawn in.
   */
  g_object_class_install_property (gobject_class, PROP_POSITION,
      g_param_spec_enum ("position", "Position",
          "Corner of the frame the tags are drawn in",
          GST_TYPE_CLARIFAI_OVERLAY_POSITION, DEFAULT_POSITION,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstClarifaiOverlay:font-desc:
   *
   * A Pango font description such as `Serif Bold 24`, the size in pixels.
   * Unset, or without a size: `Sans` at 1/24 of the frame height (45 px at
   * 1080p, 10 px at least).
   */
  g_object_class_install_property (gobject_class, PROP_FONT_DESC,
      g_param_spec_string ("font-desc", "Font description",
          "Pango font description, size in pixels (unset: Sans at 1/24 of "
          "the frame height)", NULL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstClarifaiOverlay:max-lines:
   *
   * At most this many tags are drawn, the most probable; 0 draws them all.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_LINES,
      g_param_spec_uint ("max-lines", "Maximum lines",
          "At most this many tags are drawn, most probable first (0 = all)",
          0, G_MAXUINT, DEFAULT_MAX_LINES,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstClarifaiOverlay:show-probabilities:
   *
   * Draw `name 0.97` rather than `name`.
   */
  g_object_class_install_property (gobject_class, PROP_SHOW_PROBABILITIES,
      g_param_spec_boolean ("show-probabilities", "Show probabilities",
          "Draw each tag's probability after its name",
          DEFAULT_SHOW_PROBABILITIES,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstClarifaiOverlay:draw-regions:
   *
   * Draw each region (a detector's box) at its place in the frame: an
   * outline in a colour of its label's own, the same on every frame, as
   * wide as a 180th of the frame height, with the label (and its
   * probability when #GstClarifaiOverlay:show-probabilities) above it.
   */
  g_object_class_install_property (gobject_class, PROP_DRAW_REGIONS,
      g_param_spec_boolean ("draw-regions", "Draw regions",
          "Draw the result's boxes with their labels", DEFAULT_DRAW_REGIONS,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstClarifaiOverlay:draw-text:
   *
   * For a result without tags, show its text (a caption, OCR'd page or a
   * vision-language model's answer) in the block instead, wrapped, at most
   * #GstClarifaiOverlay:max-lines lines.
   */
  g_object_class_install_property (gobject_class, PROP_DRAW_TEXT,
      g_param_spec_boolean ("draw-text", "Draw text",
          "Show the result's text when it has no tags", DEFAULT_DRAW_TEXT,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstClarifaiOverlay:expire:
   *
   * A result whose frame is older than this, in running time, than the
   * buffer it rides on is not drawn, so that a stale tag list disappears
   * when the service stops answering.  0 never expires a result.
   */
  g_object_class_install_property (gobject_class, PROP_EXPIRE,
      g_param_spec_uint64 ("expire", "Expire",
          "Do not draw a result whose frame is older than this, in running "
          "time (ns; 0 = never)", 0, G_MAXUINT64, DEFAULT_EXPIRE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING |
          G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Clarifai tag overlay", "Filter/Editor/Video",
      "Draws the tags of clarifaitag on the video", "clarifaitag developers");

  trans_class->transform_ip = gst_clarifai_overlay_transform_ip;
  trans_class->src_event = gst_clarifai_overlay_src_event;
  trans_class->stop = gst_clarifai_overlay_stop;
  filter_class->set_info = gst_clarifai_overlay_set_info;

  gst_type_mark_as_plugin_api (GST_TYPE_CLARIFAI_OVERLAY_POSITION, 0);
  GST_DEBUG_CATEGORY_INIT (gst_clarifai_overlay_debug, "clarifaioverlay", 0,
      "Clarifai tag overlay");
}
