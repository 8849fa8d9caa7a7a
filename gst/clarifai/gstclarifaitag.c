/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-clarifaitag
 * @title: clarifaitag
 *
 * Tags video with the Clarifai image recognition API: today's v2, with a
 * personal access token, or the original v1.  Buffers flow through
 * unchanged; a sample of the frames (one per #GstClarifaiTag:interval of
 * running time) is scaled, JPEG-encoded and posted in batches by a worker
 * thread (v2: to the model's `outputs` endpoint; v1: to
 * `{api-url}/v1/tag/`), so the video never waits for the network.
 *
 * For every sampled frame exactly one element message named `clarifai-tags`
 * is posted on the bus, in sampling order, with these fields:
 *
 * * `timestamp` (guint64): PTS of the sampled frame
 * * `stream-time`, `running-time` (guint64): of that frame
 * * `duration` (guint64): of that frame, %GST_CLOCK_TIME_NONE if unknown
 * * `sample-id` (guint64): 0, 1, 2 ... in sampling order since start
 * * `status` (string): `OK`; a status from the service (v2: `MIXED_STATUS`,
 *   `INPUT_FAILED`, `CONN_THROTTLED`, `CONN_KEY_NOT_FOUND`, ..., or
 *   `CODE_<n>` for a code without a name; v1: `CLIENT_ERROR`,
 *   `ALL_ERROR`, `VISION_ERROR`, `TOKEN_APP_INVALID`, ...); or `DROPPED`,
 *   `NETWORK_ERROR`, `HTTP_ERROR`, `BAD_RESPONSE`
 * * `status-msg` (string): human-readable detail
 * * `docid` (string): v2 the output's id, v1 the `docid_str`; empty if none
 * * `model` (string): the model that produced the tags
 * * `classes` (GstValueArray of string): tags, most probable first
 * * `probabilities` (GstValueArray of gdouble): same order as `classes`
 * * `concept-ids` (GstValueArray of string): same order, "" where none
 * * `regions` (GstValueArray of GstStructure `clarifai-region`): a
 *   detector's boxes, highest probability first: `x`, `y`, `width`,
 *   `height` (fractions of the frame), `label`, `probability`,
 *   `concept-id`, `classes`, `probabilities`, `concept-ids`, `text`,
 *   `track-id`
 * * `text` (string): a caption, an OCR'd page or a vision-language model's
 *   answer to #GstClarifaiTag:prompt; "" when none
 * * `prompt-tokens`, `completion-tokens` (guint64): what the answer cost,
 *   when the service says
 * * `latency` (guint64, ns): from sampling until the result was known
 *
 * Every buffer leaving the element after the first successful result
 * carries a custom meta named `ClarifaiTagMeta` (see
 * gst_buffer_get_custom_meta()) whose structure has the same fields and
 * describes the newest `OK` result; its `timestamp` tells which frame.
 * The same buffers carry the boxes as GStreamer's own metadata, for
 * elements that do not know this one: a #GstVideoRegionOfInterestMeta
 * per box and, when built against GStreamer 1.24 or later, GstAnalytics
 * metas that `objectdetectionoverlay` draws (#GstClarifaiTag:standard-meta).
 *
 * With #GstClarifaiTag:api-key (or the `CLARIFAI_PAT` environment
 * variable) the element speaks v2 and tags with Clarifai's general model,
 * or with #GstClarifaiTag:model of #GstClarifaiTag:user-id and
 * #GstClarifaiTag:app-id: any visual model, a classifier, a detector, a
 * captioner, or a vision-language model asked #GstClarifaiTag:prompt
 * about each sampled frame (the model is looked up once at start, and a
 * model that cannot be used is an error then).  Without a key it speaks
 * v1: credentials come from #GstClarifaiTag:client-id and
 * #GstClarifaiTag:client-secret (or `CLARIFAI_CLIENT_ID` and
 * `CLARIFAI_CLIENT_SECRET`), exchanged for tokens by a token manager
 * shared by every element of the process, or from a fixed
 * #GstClarifaiTag:access-token (`CLARIFAI_ACCESS_TOKEN`).
 *
 * ## Example launch lines
 * |[
 * CLARIFAI_PAT=... gst-launch-1.0 -m filesrc location=video.mp4 ! decodebin ! videoconvert ! clarifaitag ! fakesink
 * ]| Tags one frame per second of a file and prints the messages.
 * |[
 * gst-launch-1.0 -m v4l2src ! clarifaitag interval=2000000000 batch-size=4 ! videoconvert ! autovideosink
 * ]| Tags a live camera every two seconds, four frames per request.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstclarifaitagprivate.h"

#include "clarifaidialect.h"
#include "clarifaimeta.h"
#include "clarifaisettings.h"
#include "clarifaistdmeta.h"
#include "clarifaiv2.h"

GST_DEBUG_CATEGORY_STATIC (gst_clarifai_tag_debug);
#define GST_CAT_DEFAULT gst_clarifai_tag_debug

#define STOP_GRACE_US (G_USEC_PER_SEC)
/* For the pool size asked in sync mode when the caps give no framerate. */
#define FALLBACK_FPS 30

/* The newest result, as meta: immutable once made, shared between the
 * element's state and the buffer being processed, so that the meta is
 * attached outside the object lock. */
struct _ClarifaiLatest
{
  gint ref_count;
  GstStructure *meta;
  ClarifaiStdMeta *std;         /* NULL with standard-meta off */
};

/* The standard metas are made ready here, once per result, in the
 * client's thread, not for every buffer in the streaming thread. */
static ClarifaiLatest *
clarifai_latest_new (const GstStructure * result, gboolean standard_meta)
{
  ClarifaiLatest *latest = g_new0 (ClarifaiLatest, 1);

  latest->ref_count = 1;
  latest->meta = gst_structure_copy (result);
  gst_structure_set_name (latest->meta, CLARIFAI_TAG_META_NAME);
  if (standard_meta)
    latest->std = clarifai_std_meta_new (result);
  return latest;
}

static ClarifaiLatest *
clarifai_latest_ref (ClarifaiLatest * latest)
{
  g_atomic_int_inc (&latest->ref_count);
  return latest;
}

static void
clarifai_latest_unref (ClarifaiLatest * latest)
{
  if (latest && g_atomic_int_dec_and_test (&latest->ref_count)) {
    gst_structure_free (latest->meta);
    clarifai_std_meta_free (latest->std);
    g_free (latest);
  }
}

#define VIDEO_CAPS GST_VIDEO_CAPS_MAKE (GST_VIDEO_FORMATS_ALL) "; image/jpeg"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (VIDEO_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (VIDEO_CAPS));

#define gst_clarifai_tag_parent_class parent_class
G_DEFINE_TYPE (GstClarifaiTag, gst_clarifai_tag, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (clarifaitag, "clarifaitag", GST_RANK_NONE,
    GST_TYPE_CLARIFAI_TAG);

/* ---- results from the client ---- */

/* Posts @alerts (taken), in order; returns the records to publish for
 * them when publishing. */
static GList *
gst_clarifai_tag_post_alerts (GstClarifaiTag * self, GPtrArray * alerts,
    gint64 wall_time)
{
  guint i, n = alerts->len;
  GstStructure **items = (GstStructure **) g_ptr_array_steal (alerts, NULL);
  GList *records = NULL;

  for (i = 0; i < n; i++) {
    GST_INFO_OBJECT (self, "%s %s", gst_structure_get_string (items[i],
            "class"), gst_structure_get_string (items[i], "state"));
    if (self->publisher)
      records = g_list_append (records,
          clarifai_record_new (gst_structure_copy (items[i]), wall_time));
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_element (GST_OBJECT (self), items[i]));
  }
  g_free (items);
  return records;
}

/* Posts the stats as a `clarifai-stats` element message. */
static void
gst_clarifai_tag_post_stats (GstClarifaiTag * self)
{
  GValue v = G_VALUE_INIT;
  GstStructure *stats;

  g_value_init (&v, GST_TYPE_STRUCTURE);
  g_object_get_property (G_OBJECT (self), "stats", &v);
  stats = g_value_dup_boxed (&v);
  g_value_unset (&v);
  gst_structure_set_name (stats, "clarifai-stats");
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), stats));
}

/* Trouble that lasts, once per episode. */
static void
gst_clarifai_tag_post_health (GstClarifaiTag * self,
    ClarifaiHealthEvents events, const gchar * status_msg)
{
  guint dropped, frames;

  if (events & CLARIFAI_HEALTH_SUSTAINED_LOSS) {
    clarifai_health_get_loss (self->health, &dropped, &frames);
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("Clarifai does not keep up: %u of the last minute's %u sampled "
            "frames were dropped.", dropped, frames),
        ("The service, or the link to it, is slower than sampling. Sample "
            "less often (interval), let more frames wait (queue-size), send "
            "smaller images (max-size) or more requests at once "
            "(max-in-flight)."));
  }
  if (events & CLARIFAI_HEALTH_UNDECODABLE)
    GST_ELEMENT_WARNING (self, STREAM, DECODE,
        ("The image/jpeg frames cannot be decoded; they end with "
            "CLIENT_ERROR."), ("%u frames in a row; the last: %s",
            CLARIFAI_HEALTH_UNDECODABLE_RUN, status_msg));
}

static void
gst_clarifai_tag_on_result (const ClarifaiResult * result, gpointer user_data)
{
  GstClarifaiTag *self = user_data;
  GstStructure *s = clarifai_result_to_structure (result);
  ClarifaiRecord *record = NULL;
  g_autoptr (GPtrArray) alerts = NULL;
  GList *alert_records = NULL, *l;
  ClarifaiOutcome outcome;
  ClarifaiHealthEvents events = CLARIFAI_HEALTH_FINE;

  if (g_str_equal (result->status, "OK"))
    outcome = CLARIFAI_OUTCOME_TAGGED;
  else if (g_str_equal (result->status, "DROPPED"))
    outcome = CLARIFAI_OUTCOME_DROPPED;
  else
    outcome = CLARIFAI_OUTCOME_FAILED;

  GST_LOG_OBJECT (self, "sample %" G_GUINT64_FORMAT ": %s %s",
      result->frame->sample_id, result->status, result->status_msg);

  /* Passthrough follows on the streaming thread (before_transform()). */
  if (outcome == CLARIFAI_OUTCOME_TAGGED) {
    ClarifaiLatest *latest = clarifai_latest_new (s, self->standard_meta);

    if (self->hold)
      clarifai_hold_resolve (self->hold, result->frame->sample_id, latest);

    GST_OBJECT_LOCK (self);
    if (result->frame->epoch == self->epoch) {
      clarifai_latest_unref (self->latest);
      self->latest = g_steal_pointer (&latest);
    }
    GST_OBJECT_UNLOCK (self);
    clarifai_latest_unref (latest);
  } else if (self->hold) {
    clarifai_hold_resolve (self->hold, result->frame->sample_id, NULL);
  }

  /* Published as it is posted; counted as publish-pending in the same step
   * as its outcome, and handed over after. */
  if (self->publisher)
    record = clarifai_record_new (gst_structure_copy (s),
        result->frame->sampled_wall);

  if (self->alerts)
    alerts = clarifai_alerts_update (self->alerts, s);
  /* In an outage frames are dropped for the service's absence, which its
   * own warning said, not for a link slower than sampling.  (No health
   * once stopped: a frame pushed after that ends DROPPED at once.) */
  if (self->health)
    events = clarifai_health_observe (self->health, g_get_monotonic_time (),
        result->status, result->status_msg,
        !g_atomic_int_get (&self->in_outage));

  /* Posted before it is counted: the EOS drain waits for the count, and
   * no message may come after EOS.  Its alerts follow it. */
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
  if (alerts)
    alert_records = gst_clarifai_tag_post_alerts (self, alerts,
        result->frame->sampled_wall);
  if (events)
    gst_clarifai_tag_post_health (self, events, result->status_msg);
  clarifai_stats_complete (&self->stats, outcome, record != NULL);
  /* the result, then its alerts, as on the bus */
  if (record)
    clarifai_publisher_push (self->publisher, record);
  for (l = alert_records; l; l = l->next)
    clarifai_publisher_push (self->publisher, l->data);
  g_list_free (alert_records);
}

static void
gst_clarifai_tag_on_publish_outage (const GError * error, gpointer user_data)
{
  GstClarifaiTag *self = user_data;

  if (g_error_matches (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_CLOSED))
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE,
        ("Results cannot be published: the destination is gone."),
        ("%s", error->message));
  else if (error)
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("Results cannot be published now; they wait (publish-queue-size) "
            "and are retried."), ("%s", error->message));
  else
    GST_INFO_OBJECT (self, "publishing again");
}

/* Fatal errors carry the service's answer as details: `status` (what the
 * frames end with) and `http-status` (0 when there was no answer, as for
 * an untrusted certificate). */
static void
gst_clarifai_tag_on_event (ClarifaiClientEvent event, const GError * error,
    const gchar * status, guint http_status, gpointer user_data)
{
  GstClarifaiTag *self = user_data;

  switch (event) {
    case CLARIFAI_CLIENT_EVENT_FATAL:
      if (g_error_matches (error, CLARIFAI_DIALECT_ERROR,
              CLARIFAI_DIALECT_ERROR_NOT_AUTHORIZED))
        GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, NOT_AUTHORIZED,
            ("Clarifai rejected the credentials."), ("%s", error->message),
            ("status", G_TYPE_STRING, status, "http-status", G_TYPE_UINT,
                http_status, NULL));
      else if (g_error_matches (error, CLARIFAI_DIALECT_ERROR,
              CLARIFAI_DIALECT_ERROR_NOT_FOUND))
        GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, NOT_FOUND,
            ("The Clarifai model or app does not exist."),
            ("%s", error->message), ("status", G_TYPE_STRING, status,
                "http-status", G_TYPE_UINT, http_status, NULL));
      else if (g_error_matches (error, CLARIFAI_DIALECT_ERROR,
              CLARIFAI_DIALECT_ERROR_SETTINGS))
        GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, SETTINGS,
            ("Clarifai refuses the element's settings for every frame."),
            ("%s", error->message), ("status", G_TYPE_STRING, status,
                "http-status", G_TYPE_UINT, http_status, NULL));
      else
        GST_ELEMENT_ERROR_WITH_DETAILS (self, RESOURCE, OPEN_READ_WRITE,
            ("The Clarifai service's TLS certificate is not trusted."),
            ("%s. Name the authority that signed it with the ca-file "
                "property.", error->message), ("status", G_TYPE_STRING,
                status, "http-status", G_TYPE_UINT, http_status, NULL));
      break;
    case CLARIFAI_CLIENT_EVENT_OUTAGE:
      g_atomic_int_set (&self->in_outage, TRUE);
      GST_ELEMENT_WARNING (self, RESOURCE, READ,
          ("Clarifai service unavailable; frames fail until it is back."),
          ("%s", error->message));
      break;
    case CLARIFAI_CLIENT_EVENT_RECOVERED:
      g_atomic_int_set (&self->in_outage, FALSE);
      GST_INFO_OBJECT (self, "Clarifai service reachable again");
      break;
  }
}

/* ---- streaming thread ---- */

/* Whether upstream says the stream is live (the LATENCY query), asked
 * once per start, on the streaming thread. */
static gboolean
gst_clarifai_tag_is_live (GstClarifaiTag * self)
{
  GstQuery *query;
  gboolean live = FALSE;

  if (self->live >= 0)
    return self->live;
  query = gst_query_new_latency ();
  if (gst_pad_peer_query (GST_BASE_TRANSFORM_SINK_PAD (self), query))
    gst_query_parse_latency (query, &live, NULL, NULL);
  gst_query_unref (query);
  self->live = live;
  GST_INFO_OBJECT (self, "the stream is %slive", live ? "" : "not ");
  return live;
}

/* Whether a sampled frame waits for room in the queue (leaky): with
 * `auto`, when the stream is not live. */
static gboolean
gst_clarifai_tag_waits_for_room (GstClarifaiTag * self)
{
  GstClarifaiTagLeaky leaky;

  GST_OBJECT_LOCK (self);
  leaky = self->leaky;
  GST_OBJECT_UNLOCK (self);
  if (leaky == GST_CLARIFAI_TAG_LEAKY_AUTO)
    return !gst_clarifai_tag_is_live (self);
  return leaky == GST_CLARIFAI_TAG_LEAKY_NO;
}

/* Sends @buf's frame to the client.  In sync mode @buf is held first, before
 * its result can come; the return value is then the hold's. */
static GstFlowReturn
gst_clarifai_tag_sample (GstClarifaiTag * self, ClarifaiClient * client,
    GstBuffer * buf, GstClockTime running_time, guint epoch)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  ClarifaiFrame *frame = clarifai_frame_new ();
  GstFlowReturn ret = GST_FLOW_OK;

  frame->sample_id = clarifai_stats_sample (&self->stats);
  frame->epoch = epoch;
  frame->sampled_at = g_get_monotonic_time ();
  frame->sampled_wall = g_get_real_time ();
  frame->pts = GST_BUFFER_PTS (buf);
  frame->duration = GST_BUFFER_DURATION (buf);
  frame->running_time = running_time;
  if (trans->segment.format == GST_FORMAT_TIME)
    frame->stream_time = gst_segment_to_stream_time (&trans->segment,
        GST_FORMAT_TIME, frame->pts);
  if (self->hold)
    ret = clarifai_hold_add (self->hold, gst_buffer_ref (buf), TRUE,
        frame->sample_id, frame->sampled_at + (gint64) (self->hold_latency /
            GST_USECOND));

  if (self->is_jpeg) {
    gsize size = gst_buffer_get_size (buf);
    gpointer data;

    if (size == 0) {
      clarifai_client_fail (client, frame, "CLIENT_ERROR",
          "JPEG input is an empty buffer");
      return ret;
    }
    data = g_malloc (size);
    gst_buffer_extract (buf, 0, data, size);
    frame->jpeg = g_bytes_new_take (data, size);
  } else {
    ClarifaiSizeLimits limits;
    GstVideoFrame in;
    guint w, h;

    clarifai_client_get_limits (client, &limits);
    clarifai_target_size (GST_VIDEO_INFO_WIDTH (&self->in_info),
        GST_VIDEO_INFO_HEIGHT (&self->in_info), &limits, &w, &h);
    if (self->scaler == NULL
        || !clarifai_scaler_matches (self->scaler, &self->in_info, w, h)) {
      clarifai_scaler_free (self->scaler);
      self->scaler = clarifai_scaler_new (&self->in_info, w, h);
    }
    if (self->scaler
        && gst_video_frame_map (&in, &self->in_info, buf, GST_MAP_READ)) {
      frame->image = clarifai_scaler_process (self->scaler, &in);
      gst_video_frame_unmap (&in);
    }
    if (frame->image == NULL) {
      clarifai_client_fail (client, frame, "CLIENT_ERROR",
          "the frame could not be mapped or converted");
      return ret;
    }
  }
  clarifai_client_push (client, frame, gst_clarifai_tag_waits_for_room (self));
  return ret;
}

/* Forgets what before_transform() decided for a buffer that did not reach
 * transform_ip(). */
static void
gst_clarifai_tag_clear_decision (GstClarifaiTag * self)
{
  g_clear_pointer (&self->attach, clarifai_latest_unref);
  g_clear_pointer (&self->sample_with, clarifai_client_unref);
}

/* Everything a buffer needs from the shared state, under one lock: whether
 * it is due for sampling, and the result to attach.  Passthrough is set
 * here, by the streaming thread alone, from what holds now: no result to
 * attach (none yet, or flushed), no need to make buffers writable. */
static void
gst_clarifai_tag_before_transform (GstBaseTransform * trans, GstBuffer * buf)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (trans);
  GstClockTime running_time = GST_CLOCK_TIME_NONE;
  gboolean passthrough;

  if (trans->segment.format == GST_FORMAT_TIME)
    running_time = gst_segment_to_running_time (&trans->segment,
        GST_FORMAT_TIME, GST_BUFFER_PTS (buf));

  gst_clarifai_tag_clear_decision (self);
  GST_OBJECT_LOCK (self);
  if (self->client && clarifai_sampler_is_due (&self->sampler, running_time,
          self->interval))
    self->sample_with = clarifai_client_ref (self->client);
  self->sample_threshold = self->change_threshold;
  self->sample_max_interval = self->max_interval;
  /* A watched class that is present is looked for at least every
   * alert-hold, or its going would be seen only at max-interval. */
  if (self->alerts && clarifai_alerts_any_present (self->alerts)
      && self->alert_hold > 0 && (self->sample_max_interval == 0
          || self->alert_hold < self->sample_max_interval))
    self->sample_max_interval = self->alert_hold;
  self->sample_epoch = self->epoch;
  self->sample_running_time = running_time;
  if (self->latest)
    self->attach = clarifai_latest_ref (self->latest);
  GST_OBJECT_UNLOCK (self);

  passthrough = self->attach == NULL;
  if (passthrough != self->passthrough) {
    self->passthrough = passthrough;
    gst_base_transform_set_passthrough (trans, passthrough);
  }
}

/* Change-driven sampling: whether @buf, due by the interval, looks like
 * the last sampled frame (a mean luma difference of their thumbnails under
 * change-threshold) and max-interval has not passed since it.  A frame
 * that is sampled becomes the one to compare with.  Frames whose
 * thumbnail cannot be made count as changed. */
static gboolean
gst_clarifai_tag_unchanged (GstClarifaiTag * self, GstBuffer * buf)
{
  GstClockTime rt = self->sample_running_time;
  ClarifaiThumb thumb;
  gboolean made = FALSE;

  if (self->is_jpeg) {
    GstMapInfo map;

    if (self->thumb_decoder == NULL)
      self->thumb_decoder = clarifai_thumb_decoder_new ();
    if (self->thumb_decoder && gst_buffer_map (buf, &map, GST_MAP_READ)) {
      made = clarifai_thumb_from_jpeg (&thumb, self->thumb_decoder, map.data,
          map.size);
      gst_buffer_unmap (buf, &map);
    }
  } else {
    GstVideoFrame frame;

    if (gst_video_frame_map (&frame, &self->in_info, buf, GST_MAP_READ)) {
      made = clarifai_thumb_from_frame (&thumb, &frame);
      gst_video_frame_unmap (&frame);
    }
  }
  if (!made) {
    self->have_thumb = FALSE;
    return FALSE;
  }

  if (self->have_thumb
      && clarifai_thumb_difference (&thumb, &self->last_thumb) <
      self->sample_threshold && !(self->sample_max_interval
          && GST_CLOCK_TIME_IS_VALID (rt)
          && GST_CLOCK_TIME_IS_VALID (self->last_sampled_at)
          && rt >= self->last_sampled_at
          && rt - self->last_sampled_at >= self->sample_max_interval)) {
    GST_LOG_OBJECT (self, "frame at %" GST_TIME_FORMAT " unchanged",
        GST_TIME_ARGS (rt));
    return TRUE;
  }
  self->last_thumb = thumb;
  self->have_thumb = TRUE;
  self->last_sampled_at = rt;
  return FALSE;
}

/* A due frame that is unchanged is not sampled: counted, and the buffer
 * goes on as any other. */
static void
gst_clarifai_tag_check_change (GstClarifaiTag * self, GstBuffer * buf)
{
  if (self->sample_with == NULL || self->sample_threshold <= 0.0)
    return;
  if (gst_clarifai_tag_unchanged (self, buf)) {
    g_clear_pointer (&self->sample_with, clarifai_client_unref);
    clarifai_stats_unchanged (&self->stats);
  }
}

/* A result on a writable buffer: as ClarifaiTagMeta and, unless
 * standard-meta is off, as GStreamer's own metas. */
static void
gst_clarifai_tag_attach (GstClarifaiTag * self, GstBuffer * buf,
    const ClarifaiLatest * latest)
{
  clarifai_tag_meta_add (buf, latest->meta);
  if (latest->std)
    clarifai_std_meta_attach (latest->std, buf, self->frame_width,
        self->frame_height);
}

/* Sync mode: a sampled frame, and whatever follows it while it is held,
 * goes to the hold, whose thread sends it on; the rest passes at once. */
static GstFlowReturn
gst_clarifai_tag_hold (GstClarifaiTag * self, GstBuffer * buf)
{
  GstFlowReturn ret;

  if (self->sample_with)
    ret = gst_clarifai_tag_sample (self, self->sample_with, buf,
        self->sample_running_time, self->sample_epoch);
  else if (clarifai_hold_is_busy (self->hold))
    ret = clarifai_hold_add (self->hold, gst_buffer_ref (buf), FALSE, 0, 0);
  else if ((ret = clarifai_hold_get_flow (self->hold)) == GST_FLOW_OK) {
    if (self->attach && gst_buffer_is_writable (buf))
      gst_clarifai_tag_attach (self, buf, self->attach);
    return GST_FLOW_OK;
  }
  return ret == GST_FLOW_OK ? GST_BASE_TRANSFORM_FLOW_DROPPED : ret;
}

/* The hold's thread: a held buffer leaves with its own result, or, when
 * that was not OK or not known by the deadline, with the last OK one of a
 * frame before it (never the newest, which may be of a later frame).  It
 * is pushed with the source pad's stream lock, as a streaming thread
 * would: deactivating the pad waits for the push, and none comes after;
 * nor does a buffer of before a flush, whose FLUSH_STOP is forwarded with
 * that lock taken (sink_event()). */
static GstFlowReturn
gst_clarifai_tag_release (GstBuffer * buf, gpointer result,
    guint generation, gpointer user_data)
{
  GstClarifaiTag *self = user_data;
  GstPad *src = GST_BASE_TRANSFORM_SRC_PAD (self);
  GstFlowReturn ret;

  if (result) {
    buf = gst_buffer_make_writable (buf);
    gst_clarifai_tag_attach (self, buf, result);
  }
  GST_PAD_STREAM_LOCK (src);
  if (GST_PAD_IS_ACTIVE (src)
      && clarifai_hold_is_current (self->hold, generation)) {
    ret = gst_pad_push (src, buf);
  } else {
    gst_buffer_unref (buf);
    ret = GST_FLOW_FLUSHING;
  }
  GST_PAD_STREAM_UNLOCK (src);
  return ret;
}

static GstFlowReturn
gst_clarifai_tag_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (trans);
  GstFlowReturn ret = GST_FLOW_OK;

  gst_clarifai_tag_check_change (self, buf);
  if (self->hold) {
    ret = gst_clarifai_tag_hold (self, buf);
  } else {
    /* Out of passthrough the buffer was made writable; a result that came
     * since before_transform() waits for the next buffer. */
    if (self->attach && gst_buffer_is_writable (buf))
      gst_clarifai_tag_attach (self, buf, self->attach);
    if (self->sample_with)
      gst_clarifai_tag_sample (self, self->sample_with, buf,
          self->sample_running_time, self->sample_epoch);
  }
  gst_clarifai_tag_clear_decision (self);
  return ret;
}

/* How many frames of @caps (raw or JPEG; 30 fps when it says no rate)
 * @latency holds, with one more. */
static guint
frames_in (GstClockTime latency, const GstCaps * caps)
{
  gint fps_n = FALLBACK_FPS, fps_d = 1;
  const GstStructure *s = gst_caps_get_structure (caps, 0);

  if (!gst_structure_get_fraction (s, "framerate", &fps_n, &fps_d)
      || fps_n <= 0 || fps_d <= 0) {
    fps_n = FALLBACK_FPS;
    fps_d = 1;
  }
  return gst_util_uint64_scale_ceil (latency, fps_n,
      (guint64) fps_d * GST_SECOND) + 1;
}

static gboolean
gst_clarifai_tag_set_caps (GstBaseTransform * trans, GstCaps * incaps,
    GstCaps * outcaps)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (trans);
  GstStructure *s = gst_caps_get_structure (incaps, 0);

  /* a new picture size or format: nothing to compare with */
  self->have_thumb = FALSE;
  /* Held frames are bounded by count as well as by max-latency: a source
   * that is not live is slowed down to the service's pace instead of
   * running ahead into the hold. */
  if (self->hold)
    clarifai_hold_set_limit (self->hold, frames_in (self->hold_latency,
            incaps), !gst_clarifai_tag_is_live (self));
  if (gst_structure_has_name (s, "image/jpeg")) {
    gint width = 0, height = 0;

    self->is_jpeg = TRUE;
    gst_structure_get_int (s, "width", &width);
    gst_structure_get_int (s, "height", &height);
    self->frame_width = MAX (width, 0);
    self->frame_height = MAX (height, 0);
    return TRUE;
  }
  self->is_jpeg = FALSE;
  if (!gst_video_info_from_caps (&self->in_info, incaps)) {
    GST_ERROR_OBJECT (self, "unusable caps %" GST_PTR_FORMAT, incaps);
    return FALSE;
  }
  self->frame_width = GST_VIDEO_INFO_WIDTH (&self->in_info);
  self->frame_height = GST_VIDEO_INFO_HEIGHT (&self->in_info);
  return TRUE;
}

/* The client, if started, with a reference: stop() may run meanwhile on
 * another thread, and the reference keeps what it stops valid. */
ClarifaiClient *
gst_clarifai_tag_get_client (GstClarifaiTag * self)
{
  ClarifaiClient *client;

  GST_OBJECT_LOCK (self);
  client = self->client ? clarifai_client_ref (self->client) : NULL;
  GST_OBJECT_UNLOCK (self);
  return client;
}

/* At EOS, results still on their way out get up to the timeout property to
 * leave, unless the destination is known to be down; stop() counts what is
 * left as dropped. */
static void
gst_clarifai_tag_flush_publisher (GstClarifaiTag * self)
{
  GstClockTime timeout;
  gint64 now = g_get_monotonic_time ();

  GST_OBJECT_LOCK (self);
  timeout = self->settings.timeout;
  GST_OBJECT_UNLOCK (self);
  if (!clarifai_publisher_flush (self->publisher, now + (gint64) (timeout /
              GST_USECOND)))
    GST_WARNING_OBJECT (self, "results not yet published at EOS");
}

static gboolean
gst_clarifai_tag_sink_event (GstBaseTransform * trans, GstEvent * event)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (trans);
  g_autoptr (ClarifaiClient) client = gst_clarifai_tag_get_client (self);
  GstPad *src = GST_BASE_TRANSFORM_SRC_PAD (trans);
  gboolean src_locked = FALSE, ret;

  /* Held buffers keep their place before serialized events; a flush
   * drops them.  FLUSH_STOP goes on with the source pad's stream lock, so
   * that a held buffer of before the flush, still on its way, is pushed
   * before it or not at all (gst_clarifai_tag_release()). */
  if (self->hold) {
    if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_START) {
      clarifai_hold_set_flushing (self->hold, TRUE);
    } else if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
      GST_PAD_STREAM_LOCK (src);
      src_locked = TRUE;
      clarifai_hold_set_flushing (self->hold, FALSE);
    } else if (GST_EVENT_IS_SERIALIZED (event)
        && clarifai_hold_drain (self->hold) == GST_FLOW_FLUSHING) {
      GST_DEBUG_OBJECT (self, "flushing, dropping %" GST_PTR_FORMAT, event);
      gst_event_unref (event);
      return FALSE;
    }
  }

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_EOS:
      if (client) {
        GstClockTime bound = clarifai_client_get_drain_bound (client);
        gint64 now = g_get_monotonic_time ();

        clarifai_client_drain (client);
        if (!clarifai_stats_wait_idle (&self->stats, now + (gint64) MIN (bound /
                    GST_USECOND, (guint64) (G_MAXINT64 - now)))) {
          g_autofree gchar *why = g_strdup_printf ("no result within the "
              "EOS drain bound of %" G_GUINT64_FORMAT " ms",
              bound / GST_MSECOND);

          GST_WARNING_OBJECT (self, "%s", why);
          clarifai_client_abandon (client, "NETWORK_ERROR", why);
        }
      }
      if (self->publisher)
        gst_clarifai_tag_flush_publisher (self);
      if (self->stats_timer)
        gst_clarifai_tag_post_stats (self);
      break;
    case GST_EVENT_FLUSH_START:
      GST_OBJECT_LOCK (self);
      self->epoch++;
      g_clear_pointer (&self->latest, clarifai_latest_unref);
      GST_OBJECT_UNLOCK (self);
      if (client) {
        clarifai_client_set_flushing (client, TRUE);
        clarifai_client_abandon (client, "DROPPED", "flushed");
      }
      break;
    case GST_EVENT_FLUSH_STOP:
      GST_OBJECT_LOCK (self);
      clarifai_sampler_reset (&self->sampler);
      GST_OBJECT_UNLOCK (self);
      self->have_thumb = FALSE;
      if (client) {
        clarifai_client_set_flushing (client, FALSE);
        clarifai_client_resume (client);
      }
      break;
    default:
      break;
  }
  ret = GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
  if (src_locked)
    GST_PAD_STREAM_UNLOCK (src);
  return ret;
}

/* Serialized queries wait for held buffers, as events do.  In sync mode the
 * element adds the time it may hold a frame to the latency. */
static gboolean
gst_clarifai_tag_query (GstBaseTransform * trans, GstPadDirection direction,
    GstQuery * query)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (trans);
  GstClockTime hold_latency = 0;
  gboolean ret;

  if (direction == GST_PAD_SINK && self->hold && GST_QUERY_IS_SERIALIZED (query)
      && clarifai_hold_drain (self->hold) == GST_FLOW_FLUSHING)
    return FALSE;

  ret = GST_BASE_TRANSFORM_CLASS (parent_class)->query (trans, direction,
      query);

  GST_OBJECT_LOCK (self);
  if (self->sync)
    hold_latency = self->max_latency;
  GST_OBJECT_UNLOCK (self);
  if (ret && direction == GST_PAD_SRC && hold_latency > 0
      && GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    gboolean live;
    GstClockTime min, max;

    gst_query_parse_latency (query, &live, &min, &max);
    min += hold_latency;
    if (GST_CLOCK_TIME_IS_VALID (max))
      max += hold_latency;
    gst_query_set_latency (query, live, min, max);
    GST_DEBUG_OBJECT (self, "latency with %" GST_TIME_FORMAT " of hold: min %"
        GST_TIME_FORMAT " max %" GST_TIME_FORMAT, GST_TIME_ARGS (hold_latency),
        GST_TIME_ARGS (min), GST_TIME_ARGS (max));
  }
  return ret;
}

/* Sync mode holds up to max-latency of frames: upstream's pool needs that
 * many buffers more, or a live source starves while they are held. */
static gboolean
gst_clarifai_tag_propose_allocation (GstBaseTransform * trans,
    GstQuery * decide_query, GstQuery * query)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (trans);
  gboolean ret = GST_BASE_TRANSFORM_CLASS (parent_class)->propose_allocation
      (trans, decide_query, query);
  GstClockTime hold_latency = 0;
  GstCaps *caps = NULL;
  GstVideoInfo info;
  guint extra, i, size, min, max;
  GstBufferPool *pool;

  GST_OBJECT_LOCK (self);
  if (self->sync)
    hold_latency = self->max_latency;
  GST_OBJECT_UNLOCK (self);
  gst_query_parse_allocation (query, &caps, NULL);
  if (hold_latency == 0 || caps == NULL
      || !gst_video_info_from_caps (&info, caps))
    return ret;

  extra = frames_in (hold_latency, caps);
  if (gst_query_get_n_allocation_pools (query) == 0)
    gst_query_add_allocation_pool (query, NULL, GST_VIDEO_INFO_SIZE (&info),
        extra, 0);
  for (i = 0; i < gst_query_get_n_allocation_pools (query); i++) {
    gst_query_parse_nth_allocation_pool (query, i, &pool, &size, &min, &max);
    min += extra;
    if (max != 0 && max < min)
      max = min;
    gst_query_set_nth_allocation_pool (query, i, pool, size, min, max);
    if (pool)
      gst_object_unref (pool);
  }
  GST_DEBUG_OBJECT (self, "asked for %u more buffers to hold %"
      GST_TIME_FORMAT, extra, GST_TIME_ARGS (hold_latency));
  return TRUE;
}

static GstStateChangeReturn
gst_clarifai_tag_change_state (GstElement * element, GstStateChange transition)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (element);

  /* The streaming thread may wait for held buffers, or for room in the
   * client's queue, with the stream lock taken, which deactivating the
   * pads needs. */
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    g_autoptr (ClarifaiClient) client = gst_clarifai_tag_get_client (self);

    if (self->hold)
      clarifai_hold_set_flushing (self->hold, TRUE);
    if (client)
      clarifai_client_set_flushing (client, TRUE);
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

/* ---- start / stop ---- */

static gboolean
gst_clarifai_tag_on_stats_timer (GstClock * clock, GstClockTime time,
    GstClockID id, gpointer user_data)
{
  gst_clarifai_tag_post_stats (user_data);
  return TRUE;
}

/* stats-interval: the system clock's thread posts the stats, whatever the
 * pipeline's state and clock; the timer holds a reference to the element
 * until stop() unschedules it. */
static void
gst_clarifai_tag_start_stats_timer (GstClarifaiTag * self)
{
  GstClockTime interval;
  GstClock *clock;

  GST_OBJECT_LOCK (self);
  interval = self->stats_interval;
  GST_OBJECT_UNLOCK (self);
  if (interval == 0)
    return;
  clock = gst_system_clock_obtain ();
  self->stats_timer = gst_clock_new_periodic_id (clock,
      gst_clock_get_time (clock) + interval, interval);
  gst_object_unref (clock);
  gst_clock_id_wait_async (self->stats_timer, gst_clarifai_tag_on_stats_timer,
      gst_object_ref (self), gst_object_unref);
}

/* Opens the publish destination: a URI that cannot work is an error here,
 * at start-up; a broker that does not answer is only an outage later. */
static ClarifaiPublisher *
gst_clarifai_tag_start_publisher (GstClarifaiTag * self, ClarifaiApi api,
    GError ** error)
{
  g_autofree gchar *uri = NULL, *source = NULL, *ca_file = NULL;
  ClarifaiSinkSettings settings;
  ClarifaiSink *sink;
  guint queue_size;

  GST_OBJECT_LOCK (self);
  uri = g_strdup (self->publish);
  source = g_strdup (self->source_id ? self->source_id :
      GST_OBJECT_NAME (self));
  ca_file = g_strdup (self->settings.ca_file);
  queue_size = self->publish_queue_size;
  GST_OBJECT_UNLOCK (self);
  if (uri == NULL || *uri == '\0')
    return NULL;

  settings.ca_file = ca_file;
  settings.password = g_getenv (CLARIFAI_ENV_MQTT_PASSWORD);
  if (settings.password && *settings.password == '\0')
    settings.password = NULL;
  sink = clarifai_sink_open (uri, &settings, error);
  if (sink == NULL)
    return NULL;
  GST_INFO_OBJECT (self, "publishing results as \"%s\"", source);
  return clarifai_publisher_new (sink, source,
      api == CLARIFAI_API_V2 ? "v2" : "v1", queue_size, &self->stats,
      gst_clarifai_tag_on_publish_outage, self);
}

static gboolean
gst_clarifai_tag_start (GstBaseTransform * trans)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (trans);
  ClarifaiClientSettings s;
  g_autoptr (GError) err = NULL;
  g_autofree gchar *alert_classes = NULL, *shown_url = NULL;
  ClarifaiClient *client = NULL;

  GST_OBJECT_LOCK (self);
  clarifai_settings_copy (&s, &self->settings);
  alert_classes = g_strdup (self->alert_classes);
  GST_OBJECT_UNLOCK (self);
  g_free (s.log_id);
  s.log_id = g_strdup (GST_OBJECT_NAME (self));
  if (!clarifai_settings_resolve (&s, alert_classes, &err))
    goto bad_settings;
  shown_url = clarifai_client_url_for_log (s.api_url);

  clarifai_stats_reset (&self->stats);
  clarifai_sampler_reset (&self->sampler);
  self->live = -1;
  g_atomic_int_set (&self->in_outage, FALSE);
  self->have_thumb = FALSE;
  self->publisher = gst_clarifai_tag_start_publisher (self, s.api, &err);
  if (err)
    goto bad_publish;
  GST_OBJECT_LOCK (self);
  self->alerts = clarifai_alerts_new (self->alert_classes,
      self->alert_threshold, self->alert_hold);
  GST_OBJECT_UNLOCK (self);
  GST_OBJECT_LOCK (self);
  self->hold_latency = self->max_latency;
  if (self->sync)
    self->hold = clarifai_hold_new ("clarifai-hold",
        gst_clarifai_tag_release, (GBoxedCopyFunc) clarifai_latest_ref,
        (GDestroyNotify) clarifai_latest_unref, self);
  GST_OBJECT_UNLOCK (self);
  self->health = clarifai_health_new ();
  client = clarifai_client_new (&s, &self->stats, gst_clarifai_tag_on_result,
      gst_clarifai_tag_on_event, self, &err);
  if (client == NULL) {
    g_clear_pointer (&self->hold, clarifai_hold_free);
    g_clear_pointer (&self->alerts, clarifai_alerts_free);
    g_clear_pointer (&self->health, clarifai_health_free);
    if (self->publisher)
      clarifai_publisher_free (g_steal_pointer (&self->publisher));
    goto no_client;
  }

  GST_OBJECT_LOCK (self);
  self->client = client;
  GST_OBJECT_UNLOCK (self);
  gst_clarifai_tag_start_stats_timer (self);
  if (s.api == CLARIFAI_API_V2)
    GST_INFO_OBJECT (self, "tagging with %s (v2) as user %s, app %s, model "
        "%s", shown_url, s.user_id, s.app_id,
        s.model ? s.model : CLARIFAI_V2_DEFAULT_MODEL);
  else
    GST_INFO_OBJECT (self, "tagging with %s (v1) as %s", shown_url,
        s.access_token ? "a fixed access token" : s.client_id);

done:
  clarifai_settings_clear (&s);
  return client != NULL;

  /* ERRORS */
bad_settings:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("%s", clarifai_settings_error_summary (err)), ("%s", err->message));
    goto done;
  }
no_client:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Cannot start the Clarifai client."), ("%s", err->message));
    goto done;
  }
bad_publish:
  {
    if (g_error_matches (err, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_OPEN))
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
          ("Cannot publish results where the publish property says."),
          ("%s", err->message));
    else
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("Invalid publish URI."), ("%s", err->message));
    goto done;
  }
}

static gboolean
gst_clarifai_tag_stop (GstBaseTransform * trans)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (trans);
  ClarifaiClient *client;

  /* Taken out first: from now on, readers of the properties and events on
   * other threads see no client, or hold a reference to it. */
  if (self->stats_timer) {
    gst_clock_id_unschedule (self->stats_timer);
    g_clear_pointer (&self->stats_timer, gst_clock_id_unref);
  }
  GST_OBJECT_LOCK (self);
  client = g_steal_pointer (&self->client);
  GST_OBJECT_UNLOCK (self);

  /* Posts DROPPED for what is still pending, before the element is gone. */
  if (client) {
    clarifai_client_stop (client);
    GST_OBJECT_LOCK (self);
    self->token_requests = clarifai_client_get_token_requests (client);
    GST_OBJECT_UNLOCK (self);
    clarifai_client_unref (client);
  }
  g_clear_pointer (&self->hold, clarifai_hold_free);
  g_clear_pointer (&self->alerts, clarifai_alerts_free);
  g_clear_pointer (&self->health, clarifai_health_free);
  if (self->publisher) {
    guint64 lost;

    /* The results just posted (the DROPPED ones of stop among them) get a
     * moment to leave while the destination is up. */
    clarifai_publisher_flush (self->publisher, g_get_monotonic_time () +
        STOP_GRACE_US);
    lost = clarifai_publisher_free (g_steal_pointer (&self->publisher));

    if (lost > 0)
      GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
          ("%" G_GUINT64_FORMAT " results were not published.", lost),
          ("The destination did not take them before the element stopped; "
              "they are counted in publish-dropped."));
  }

  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->latest, clarifai_latest_unref);
  GST_OBJECT_UNLOCK (self);
  gst_clarifai_tag_clear_decision (self);
  self->passthrough = TRUE;
  gst_base_transform_set_passthrough (trans, TRUE);
  g_clear_pointer (&self->scaler, clarifai_scaler_free);
  g_clear_pointer (&self->thumb_decoder, clarifai_thumb_decoder_free);
  return TRUE;
}

static void
gst_clarifai_tag_finalize (GObject * object)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (object);
  clarifai_settings_clear (&self->settings);
  g_free (self->publish);
  g_free (self->source_id);
  g_free (self->alert_classes);
  clarifai_stats_clear (&self->stats);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_clarifai_tag_init (GstClarifaiTag * self)
{
  gst_clarifai_tag_init_properties (self);
  clarifai_stats_init (&self->stats);
  clarifai_sampler_reset (&self->sampler);

  /* In place; passthrough, which spares making buffers writable, until
   * there is a result to attach as meta. */
  self->passthrough = TRUE;
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), TRUE);
}

static void
gst_clarifai_tag_class_init (GstClarifaiTagClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_clarifai_tag_debug, "clarifaitag", 0,
      "Clarifai video tagger");

  gobject_class->finalize = gst_clarifai_tag_finalize;

  gst_clarifai_tag_install_properties (gobject_class);
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Clarifai video tagger", "Filter/Analyzer/Video",
      "Tags sampled video frames with the Clarifai image recognition API",
      "clarifaitag developers");

  trans_class->start = GST_DEBUG_FUNCPTR (gst_clarifai_tag_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_clarifai_tag_stop);
  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_clarifai_tag_set_caps);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_clarifai_tag_sink_event);
  trans_class->before_transform =
      GST_DEBUG_FUNCPTR (gst_clarifai_tag_before_transform);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_clarifai_tag_transform_ip);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_clarifai_tag_query);
  trans_class->propose_allocation =
      GST_DEBUG_FUNCPTR (gst_clarifai_tag_propose_allocation);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_clarifai_tag_change_state);
}
