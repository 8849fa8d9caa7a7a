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
 * * `latency` (guint64, ns): from sampling until the result was known
 *
 * Every buffer leaving the element after the first successful result
 * carries a custom meta named `ClarifaiTagMeta` (see
 * gst_buffer_get_custom_meta()) whose structure has the same fields and
 * describes the newest `OK` result; its `timestamp` tells which frame.
 *
 * With #GstClarifaiTag:api-key (or the `CLARIFAI_PAT` environment
 * variable) the element speaks v2 and tags with Clarifai's general model,
 * or with #GstClarifaiTag:model of #GstClarifaiTag:user-id and
 * #GstClarifaiTag:app-id.  Without a key it speaks v1: credentials come
 * from #GstClarifaiTag:client-id and #GstClarifaiTag:client-secret (or
 * `CLARIFAI_CLIENT_ID` and `CLARIFAI_CLIENT_SECRET`), exchanged for tokens
 * by a token manager shared by every element of the process, or from a
 * fixed #GstClarifaiTag:access-token (`CLARIFAI_ACCESS_TOKEN`).
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

#include "gstclarifaitag.h"

#include <gst/video/video.h>

#include "clarifaialert.h"
#include "clarifaiclient.h"
#include "clarifaidialect.h"
#include "clarifaihealth.h"
#include "clarifaihold.h"
#include "clarifaimeta.h"
#include "clarifaipublisher.h"
#include "clarifaisampler.h"
#include "clarifaiscaler.h"
#include "clarifaistats.h"
#include "clarifaithumb.h"
#include "clarifaiv2.h"

GST_DEBUG_CATEGORY_STATIC (gst_clarifai_tag_debug);
#define GST_CAT_DEFAULT gst_clarifai_tag_debug

enum
{
  PROP_0,
  PROP_API,
  PROP_API_URL,
  PROP_API_KEY,
  PROP_USER_ID,
  PROP_APP_ID,
  PROP_MODEL_VERSION,
  PROP_CLIENT_ID,
  PROP_CLIENT_SECRET,
  PROP_ACCESS_TOKEN,
  PROP_MODEL,
  PROP_LANGUAGE,
  PROP_SELECT_CLASSES,
  PROP_INTERVAL,
  PROP_BATCH_SIZE,
  PROP_BATCH_TIMEOUT,
  PROP_MAX_IN_FLIGHT,
  PROP_QUEUE_SIZE,
  PROP_MAX_SIZE,
  PROP_JPEG_QUALITY,
  PROP_THRESHOLD,
  PROP_MAX_TAGS,
  PROP_TIMEOUT,
  PROP_RETRIES,
  PROP_ALLOW_INSECURE_HTTP,
  PROP_CA_FILE,
  PROP_SYNC,
  PROP_MAX_LATENCY,
  PROP_PUBLISH,
  PROP_SOURCE_ID,
  PROP_PUBLISH_QUEUE_SIZE,
  PROP_CHANGE_THRESHOLD,
  PROP_MAX_INTERVAL,
  PROP_ALERT_CLASSES,
  PROP_ALERT_THRESHOLD,
  PROP_ALERT_HOLD,
  PROP_LEAKY,
  PROP_STATS_INTERVAL,
  PROP_STATS,
};

#define DEFAULT_API CLARIFAI_API_AUTO
#define DEFAULT_API_URL "https://api.clarifai.com"
#define DEFAULT_USER_ID "clarifai"
#define DEFAULT_APP_ID "main"
#define DEFAULT_INTERVAL GST_SECOND
#define DEFAULT_BATCH_SIZE 1
#define MAX_BATCH_SIZE 1024
#define DEFAULT_BATCH_TIMEOUT (500 * GST_MSECOND)
#define DEFAULT_MAX_IN_FLIGHT 2
#define DEFAULT_QUEUE_SIZE 16
#define DEFAULT_MAX_SIZE 1024
#define DEFAULT_JPEG_QUALITY 90
#define DEFAULT_THRESHOLD 0.0
#define DEFAULT_MAX_TAGS 0
#define DEFAULT_TIMEOUT (30 * GST_SECOND)
/* Waits longer than an hour serve no stream; the EOS drain bound and the
 * timers stay far from overflow with them. */
#define MAX_TIMEOUT (3600 * GST_SECOND)
#define MAX_BATCH_TIMEOUT (3600 * GST_SECOND)
#define DEFAULT_RETRIES 2
#define DEFAULT_ALLOW_INSECURE_HTTP FALSE
#define DEFAULT_SYNC FALSE
#define DEFAULT_MAX_LATENCY (2 * GST_SECOND)
#define MAX_MAX_LATENCY (3600 * GST_SECOND)
#define DEFAULT_PUBLISH_QUEUE_SIZE 1000
#define DEFAULT_CHANGE_THRESHOLD 0.0
#define DEFAULT_MAX_INTERVAL (60 * GST_SECOND)
#define DEFAULT_ALERT_THRESHOLD 0.5
#define DEFAULT_ALERT_HOLD (5 * GST_SECOND)
#define DEFAULT_LEAKY GST_CLARIFAI_TAG_LEAKY_AUTO
#define DEFAULT_STATS_INTERVAL 0
#define STOP_GRACE_US (G_USEC_PER_SEC)
/* For the pool size asked in sync mode when the caps give no framerate. */
#define FALLBACK_FPS 30

#define ENV_CLIENT_ID "CLARIFAI_CLIENT_ID"
#define ENV_CLIENT_SECRET "CLARIFAI_CLIENT_SECRET"
#define ENV_ACCESS_TOKEN "CLARIFAI_ACCESS_TOKEN"
#define ENV_PAT "CLARIFAI_PAT"
#define ENV_MQTT_PASSWORD "CLARIFAI_MQTT_PASSWORD"

typedef struct _ClarifaiLatest ClarifaiLatest;

struct _GstClarifaiTag
{
  GstBaseTransform parent;

  /* properties, under the object lock */
  ClarifaiClientSettings settings;
  GstClockTime interval;
  gboolean sync;
  GstClockTime max_latency;
  gchar *publish;
  gchar *source_id;
  guint publish_queue_size;
  gdouble change_threshold;
  GstClockTime max_interval;
  gchar *alert_classes;
  gdouble alert_threshold;
  GstClockTime alert_hold;
  GstClarifaiTagLeaky leaky;
  GstClockTime stats_interval;

  /* streaming thread */
  gboolean is_jpeg;
  gint live;                    /* upstream's answer: -1 until asked */
  GstVideoInfo in_info;
  ClarifaiScaler *scaler;
  ClarifaiSampler sampler;
  gboolean passthrough;         /* as last set, by the streaming thread only */
  /* what before_transform() decided for the buffer on its way */
  ClarifaiLatest *attach;
  ClarifaiClient *sample_with;
  guint sample_epoch;
  GstClockTime sample_running_time;
  gdouble sample_threshold;     /* change-threshold then; 0: off */
  GstClockTime sample_max_interval;     /* 0: none */
  /* change-driven sampling: the last sampled frame's thumbnail, forgotten
   * by flushes and caps changes */
  ClarifaiThumb last_thumb;
  gboolean have_thumb;
  GstClockTime last_sampled_at; /* its running time */
  ClarifaiThumbDecoder *thumb_decoder;  /* image/jpeg input */
  /* sync mode: made by start(), freed by stop() after the client stopped,
   * so the client's result callback may use it without a lock */
  ClarifaiHold *hold;
  GstClockTime hold_latency;
  /* made by start(), freed by stop() after the client stopped, like the
   * hold; used by the result callback only, which runs in sampling order */
  ClarifaiPublisher *publisher;
  ClarifaiAlerts *alerts;
  ClarifaiHealth *health;
  gint in_outage;               /* atomic: between the outage's events */
  GstClockID stats_timer;       /* stats-interval's; start() to stop() */

  /* under the object lock; whoever uses the client outside it holds a
   * reference (gst_clarifai_tag_get_client()).  Nothing else is locked
   * while the object lock is held; the client's result callback takes it
   * with the client's delivery lock held (lock order: clarifaiclient.c). */
  ClarifaiClient *client;
  ClarifaiLatest *latest;       /* newest OK result of this epoch */
  guint epoch;                  /* bumped by every flush */
  guint64 token_requests;       /* of the last client, once it stopped */

  ClarifaiStats stats;
};

/* The newest result, as meta: immutable once made, shared between the
 * element's state and the buffer being processed, so that the meta is
 * attached outside the object lock. */
struct _ClarifaiLatest
{
  gint ref_count;
  GstStructure *meta;
};

static ClarifaiLatest *
clarifai_latest_new (const GstStructure * result)
{
  ClarifaiLatest *latest = g_new0 (ClarifaiLatest, 1);

  latest->ref_count = 1;
  latest->meta = gst_structure_copy (result);
  gst_structure_set_name (latest->meta, CLARIFAI_TAG_META_NAME);
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
    g_free (latest);
  }
}

#define VIDEO_CAPS GST_VIDEO_CAPS_MAKE (GST_VIDEO_FORMATS_ALL) "; image/jpeg"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (VIDEO_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (VIDEO_CAPS));

#define GST_TYPE_CLARIFAI_API (gst_clarifai_api_get_type ())
static GType gst_clarifai_api_get_type (void);

/**
 * GstClarifaiApi:
 * @CLARIFAI_API_AUTO: v2 when an API key is set (property or
 *   `CLARIFAI_PAT`), else v1
 * @CLARIFAI_API_V1: the v1 API: client credentials or an access token
 * @CLARIFAI_API_V2: the v2 API: a personal access token or app API key
 */
static GType
gst_clarifai_api_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {CLARIFAI_API_AUTO, "v2 when an API key is set, else v1", "auto"},
    {CLARIFAI_API_V1, "Clarifai v1 (client credentials or access token)",
        "v1"},
    {CLARIFAI_API_V2, "Clarifai v2 (personal access token or API key)",
        "v2"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstClarifaiApi", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

#define GST_TYPE_CLARIFAI_TAG_LEAKY (gst_clarifai_tag_leaky_get_type ())
static GType gst_clarifai_tag_leaky_get_type (void);

/**
 * GstClarifaiTagLeaky:
 * @GST_CLARIFAI_TAG_LEAKY_AUTO: wait when the pipeline is not live, drop
 *   the oldest frame when it is
 * @GST_CLARIFAI_TAG_LEAKY_NO: wait for room: every sampled frame is sent
 * @GST_CLARIFAI_TAG_LEAKY_DOWNSTREAM: drop the oldest waiting frame
 */
static GType
gst_clarifai_tag_leaky_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_CLARIFAI_TAG_LEAKY_AUTO, "Wait when not live, drop when live",
        "auto"},
    {GST_CLARIFAI_TAG_LEAKY_NO, "Wait for room (back-pressure)", "no"},
    {GST_CLARIFAI_TAG_LEAKY_DOWNSTREAM, "Drop the oldest waiting frame",
        "downstream"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstClarifaiTagLeaky", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

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
    ClarifaiLatest *latest = clarifai_latest_new (s);

    if (self->hold)
      clarifai_hold_resolve (self->hold, result->frame->sample_id,
          latest->meta);

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
      clarifai_tag_meta_add (buf, self->attach->meta);
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
gst_clarifai_tag_release (GstBuffer * buf, const GstStructure * result,
    guint generation, gpointer user_data)
{
  GstClarifaiTag *self = user_data;
  GstPad *src = GST_BASE_TRANSFORM_SRC_PAD (self);
  GstFlowReturn ret;

  if (result) {
    buf = gst_buffer_make_writable (buf);
    clarifai_tag_meta_add (buf, result);
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
      clarifai_tag_meta_add (buf, self->attach->meta);
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
    self->is_jpeg = TRUE;
    return TRUE;
  }
  self->is_jpeg = FALSE;
  if (!gst_video_info_from_caps (&self->in_info, incaps)) {
    GST_ERROR_OBJECT (self, "unusable caps %" GST_PTR_FORMAT, incaps);
    return FALSE;
  }
  return TRUE;
}

/* The client, if started, with a reference: stop() may run meanwhile on
 * another thread, and the reference keeps what it stops valid. */
static ClarifaiClient *
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

/* A comma list that is set but names nothing (",,,"): the service would
 * answer every frame MODEL_INVALID_ARGUMENT, or no alert would ever come. */
static gboolean
names_nothing (const gchar * list)
{
  const gchar *c;

  if (list == NULL || *list == '\0')
    return FALSE;
  for (c = list; *c; c++)
    if (*c != ',' && !g_ascii_isspace (*c))
      return FALSE;
  return TRUE;
}

static gchar *
setting_or_env (const gchar * value, const gchar * env)
{
  const gchar *v = value && *value ? value : g_getenv (env);

  return v && *v ? g_strdup (v) : NULL;
}

/* Settings of the other dialect than the one in use, as a list for an
 * error message; NULL when there are none. */
static gchar *
foreign_settings (const ClarifaiClientSettings * given, ClarifaiApi api)
{
  GString *names = g_string_new (NULL);

  if (api == CLARIFAI_API_V2) {
    if (given->client_id)
      g_string_append (names, ", client-id");
    if (given->client_secret)
      g_string_append (names, ", client-secret");
    if (given->access_token)
      g_string_append (names, ", access-token");
  } else {
    if (given->api_key)
      g_string_append (names, ", api-key");
    if (given->model_version)
      g_string_append (names, ", model-version");
  }
  if (names->len == 0) {
    g_string_free (names, TRUE);
    return NULL;
  }
  g_string_erase (names, 0, 2);
  return g_string_free (names, FALSE);
}

static void
settings_clear (ClarifaiClientSettings * s)
{
  g_free (s->log_id);
  g_free (s->api_url);
  g_free (s->user_id);
  g_free (s->app_id);
  g_free (s->model);
  g_free (s->model_version);
  g_free (s->language);
  g_free (s->select_classes);
  g_free (s->ca_file);
  g_free (s->client_id);
  clarifai_secret_clear (&s->client_secret);
  clarifai_secret_clear (&s->access_token);
  clarifai_secret_clear (&s->api_key);
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
  settings.password = g_getenv (ENV_MQTT_PASSWORD);
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
  g_autofree gchar *foreign = NULL;
  ClarifaiClient *client = NULL;
  g_autofree gchar *base = NULL, *shown_url = NULL;
  const gchar *empty_list = NULL;

  GST_OBJECT_LOCK (self);
  s = self->settings;
  s.log_id = g_strdup (GST_OBJECT_NAME (self));
  s.api_url = g_strdup (self->settings.api_url);
  s.user_id = g_strdup (self->settings.user_id);
  s.app_id = g_strdup (self->settings.app_id);
  s.model = g_strdup (self->settings.model);
  s.model_version = g_strdup (self->settings.model_version);
  s.language = g_strdup (self->settings.language);
  s.select_classes = g_strdup (self->settings.select_classes);
  s.ca_file = g_strdup (self->settings.ca_file);
  /* Properties win over the environment; in v1 an access token wins over
   * client credentials. */
  s.api_key = setting_or_env (self->settings.api_key, ENV_PAT);
  s.access_token = setting_or_env (self->settings.access_token,
      ENV_ACCESS_TOKEN);
  s.client_id = setting_or_env (self->settings.client_id, ENV_CLIENT_ID);
  s.client_secret = setting_or_env (self->settings.client_secret,
      ENV_CLIENT_SECRET);
  if (s.api == CLARIFAI_API_AUTO)
    s.api = s.api_key ? CLARIFAI_API_V2 : CLARIFAI_API_V1;
  foreign = foreign_settings (&self->settings, s.api);
  GST_OBJECT_UNLOCK (self);
  /* Only the chosen dialect's credentials go on. */
  if (s.api == CLARIFAI_API_V2) {
    g_clear_pointer (&s.client_id, g_free);
    clarifai_secret_clear (&s.client_secret);
    clarifai_secret_clear (&s.access_token);
  } else {
    clarifai_secret_clear (&s.api_key);
  }

  if (foreign)
    goto foreign_settings;
  if (s.api == CLARIFAI_API_V2 && s.api_key == NULL)
    goto no_api_key;
  if (s.api == CLARIFAI_API_V1 && s.access_token == NULL
      && (s.client_id == NULL || s.client_secret == NULL))
    goto no_credentials;
  if (!clarifai_client_check_url (s.api_url, s.allow_insecure_http, &err))
    goto bad_url;
  if (names_nothing (s.select_classes)) {
    empty_list = "select-classes";
    goto empty_list;
  }
  GST_OBJECT_LOCK (self);
  if (names_nothing (self->alert_classes))
    empty_list = "alert-classes";
  GST_OBJECT_UNLOCK (self);
  if (empty_list)
    goto empty_list;
  if ((base = clarifai_client_base_url (s.api_url))) {
    g_free (s.api_url);
    s.api_url = g_steal_pointer (&base);
    shown_url = clarifai_client_url_for_log (s.api_url);
    GST_INFO_OBJECT (self, "api-url names the API version; using %s, to "
        "which the element adds it", shown_url);
  } else {
    shown_url = clarifai_client_url_for_log (s.api_url);
  }
  if (s.api == CLARIFAI_API_V2 && s.batch_size > CLARIFAI_V2_MAX_INPUTS)
    GST_INFO_OBJECT (self, "batch-size %u is above v2's %u inputs per "
        "request, using %u", s.batch_size, CLARIFAI_V2_MAX_INPUTS,
        CLARIFAI_V2_MAX_INPUTS);

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
        gst_clarifai_tag_release, self);
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
    goto bad_settings;
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
  settings_clear (&s);
  return client != NULL;

  /* ERRORS */
foreign_settings:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Settings of the other Clarifai API version are set."),
        ("%s: only for the %s API; this element speaks %s. Unset them, or "
            "set api to the version they belong to (client-id, "
            "client-secret and access-token are v1; api-key and "
            "model-version are v2).", foreign,
            s.api == CLARIFAI_API_V2 ? "v1" : "v2",
            s.api == CLARIFAI_API_V2 ? "v2" : "v1"));
    goto done;
  }
no_api_key:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("No Clarifai API key."),
        ("api=v2 needs a personal access token: set the api-key property "
            "or the " ENV_PAT " environment variable."));
    goto done;
  }
no_credentials:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("No Clarifai credentials."),
        ("Set api-key (or " ENV_PAT ") to use today's v2 API with a "
            "personal access token. For v1: the client-id and client-secret "
            "properties, or access-token, or the " ENV_CLIENT_ID " and "
            ENV_CLIENT_SECRET " (or " ENV_ACCESS_TOKEN ") environment "
            "variables."));
    goto done;
  }
empty_list:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("%s names no class.", empty_list),
        ("%s is a comma-separated list of class names; it holds only "
            "commas and spaces. Name a class, or leave it unset.", empty_list));
    goto done;
  }
bad_url:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid api-url."), ("%s", err->message));
    goto done;
  }
bad_settings:
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

/* ---- properties ---- */

static void
replace_string (gchar ** field, const GValue * value)
{
  g_free (*field);
  *field = g_value_dup_string (value);
}

static void
replace_secret (gchar ** field, const GValue * value)
{
  clarifai_secret_clear (field);
  *field = g_value_dup_string (value);
}

static void
gst_clarifai_tag_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (object);
  ClarifaiClientSettings *s = &self->settings;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_API:
      s->api = g_value_get_enum (value);
      break;
    case PROP_API_URL:
      replace_string (&s->api_url, value);
      break;
    case PROP_API_KEY:
      replace_secret (&s->api_key, value);
      break;
    case PROP_USER_ID:
      replace_string (&s->user_id, value);
      break;
    case PROP_APP_ID:
      replace_string (&s->app_id, value);
      break;
    case PROP_MODEL_VERSION:
      replace_string (&s->model_version, value);
      break;
    case PROP_CLIENT_ID:
      replace_string (&s->client_id, value);
      break;
    case PROP_CLIENT_SECRET:
      replace_secret (&s->client_secret, value);
      break;
    case PROP_ACCESS_TOKEN:
      replace_secret (&s->access_token, value);
      break;
    case PROP_MODEL:
      replace_string (&s->model, value);
      break;
    case PROP_LANGUAGE:
      replace_string (&s->language, value);
      break;
    case PROP_SELECT_CLASSES:
      replace_string (&s->select_classes, value);
      break;
    case PROP_INTERVAL:
      self->interval = g_value_get_uint64 (value);
      break;
    case PROP_BATCH_SIZE:
      s->batch_size = g_value_get_uint (value);
      break;
    case PROP_BATCH_TIMEOUT:
      s->batch_timeout = g_value_get_uint64 (value);
      break;
    case PROP_MAX_IN_FLIGHT:
      s->max_in_flight = g_value_get_uint (value);
      break;
    case PROP_QUEUE_SIZE:
      s->queue_size = g_value_get_uint (value);
      break;
    case PROP_MAX_SIZE:
      s->max_size = g_value_get_uint (value);
      break;
    case PROP_JPEG_QUALITY:
      s->jpeg_quality = g_value_get_int (value);
      break;
    case PROP_THRESHOLD:
      s->threshold = g_value_get_double (value);
      break;
    case PROP_MAX_TAGS:
      s->max_tags = g_value_get_uint (value);
      break;
    case PROP_TIMEOUT:
      s->timeout = g_value_get_uint64 (value);
      break;
    case PROP_RETRIES:
      s->retries = g_value_get_uint (value);
      break;
    case PROP_ALLOW_INSECURE_HTTP:
      s->allow_insecure_http = g_value_get_boolean (value);
      break;
    case PROP_CA_FILE:
      replace_string (&s->ca_file, value);
      break;
    case PROP_SYNC:
      self->sync = g_value_get_boolean (value);
      break;
    case PROP_MAX_LATENCY:
      self->max_latency = g_value_get_uint64 (value);
      break;
    case PROP_PUBLISH:
      replace_string (&self->publish, value);
      break;
    case PROP_SOURCE_ID:
      replace_string (&self->source_id, value);
      break;
    case PROP_PUBLISH_QUEUE_SIZE:
      self->publish_queue_size = g_value_get_uint (value);
      break;
    case PROP_CHANGE_THRESHOLD:
      self->change_threshold = g_value_get_double (value);
      break;
    case PROP_MAX_INTERVAL:
      self->max_interval = g_value_get_uint64 (value);
      break;
    case PROP_ALERT_CLASSES:
      replace_string (&self->alert_classes, value);
      break;
    case PROP_ALERT_THRESHOLD:
      self->alert_threshold = g_value_get_double (value);
      break;
    case PROP_ALERT_HOLD:
      self->alert_hold = g_value_get_uint64 (value);
      break;
    case PROP_LEAKY:
      self->leaky = g_value_get_enum (value);
      break;
    case PROP_STATS_INTERVAL:
      self->stats_interval = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_clarifai_tag_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (object);
  ClarifaiClientSettings *s = &self->settings;

  if (prop_id == PROP_STATS) {
    g_autoptr (ClarifaiClient) client = gst_clarifai_tag_get_client (self);
    guint64 token_requests;

    GST_OBJECT_LOCK (self);
    token_requests = self->token_requests;
    GST_OBJECT_UNLOCK (self);
    if (client)
      token_requests = clarifai_client_get_token_requests (client);
    g_value_take_boxed (value, clarifai_stats_to_structure (&self->stats,
            token_requests));
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_API:
      g_value_set_enum (value, s->api);
      break;
    case PROP_API_URL:
      g_value_set_string (value, s->api_url);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, s->user_id);
      break;
    case PROP_APP_ID:
      g_value_set_string (value, s->app_id);
      break;
    case PROP_MODEL_VERSION:
      g_value_set_string (value, s->model_version);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, s->client_id);
      break;
    case PROP_MODEL:
      g_value_set_string (value, s->model);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, s->language);
      break;
    case PROP_SELECT_CLASSES:
      g_value_set_string (value, s->select_classes);
      break;
    case PROP_INTERVAL:
      g_value_set_uint64 (value, self->interval);
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, s->batch_size);
      break;
    case PROP_BATCH_TIMEOUT:
      g_value_set_uint64 (value, s->batch_timeout);
      break;
    case PROP_MAX_IN_FLIGHT:
      g_value_set_uint (value, s->max_in_flight);
      break;
    case PROP_QUEUE_SIZE:
      g_value_set_uint (value, s->queue_size);
      break;
    case PROP_MAX_SIZE:
      g_value_set_uint (value, s->max_size);
      break;
    case PROP_JPEG_QUALITY:
      g_value_set_int (value, s->jpeg_quality);
      break;
    case PROP_THRESHOLD:
      g_value_set_double (value, s->threshold);
      break;
    case PROP_MAX_TAGS:
      g_value_set_uint (value, s->max_tags);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint64 (value, s->timeout);
      break;
    case PROP_RETRIES:
      g_value_set_uint (value, s->retries);
      break;
    case PROP_ALLOW_INSECURE_HTTP:
      g_value_set_boolean (value, s->allow_insecure_http);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, s->ca_file);
      break;
    case PROP_SYNC:
      g_value_set_boolean (value, self->sync);
      break;
    case PROP_MAX_LATENCY:
      g_value_set_uint64 (value, self->max_latency);
      break;
    case PROP_PUBLISH:
      g_value_set_string (value, self->publish);
      break;
    case PROP_SOURCE_ID:
      g_value_set_string (value, self->source_id);
      break;
    case PROP_PUBLISH_QUEUE_SIZE:
      g_value_set_uint (value, self->publish_queue_size);
      break;
    case PROP_CHANGE_THRESHOLD:
      g_value_set_double (value, self->change_threshold);
      break;
    case PROP_MAX_INTERVAL:
      g_value_set_uint64 (value, self->max_interval);
      break;
    case PROP_ALERT_CLASSES:
      g_value_set_string (value, self->alert_classes);
      break;
    case PROP_ALERT_THRESHOLD:
      g_value_set_double (value, self->alert_threshold);
      break;
    case PROP_ALERT_HOLD:
      g_value_set_uint64 (value, self->alert_hold);
      break;
    case PROP_LEAKY:
      g_value_set_enum (value, self->leaky);
      break;
    case PROP_STATS_INTERVAL:
      g_value_set_uint64 (value, self->stats_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_clarifai_tag_finalize (GObject * object)
{
  GstClarifaiTag *self = GST_CLARIFAI_TAG (object);
  settings_clear (&self->settings);
  g_free (self->publish);
  g_free (self->source_id);
  g_free (self->alert_classes);
  clarifai_stats_clear (&self->stats);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_clarifai_tag_init (GstClarifaiTag * self)
{
  ClarifaiClientSettings *s = &self->settings;

  s->api = DEFAULT_API;
  s->api_url = g_strdup (DEFAULT_API_URL);
  s->user_id = g_strdup (DEFAULT_USER_ID);
  s->app_id = g_strdup (DEFAULT_APP_ID);
  s->batch_size = DEFAULT_BATCH_SIZE;
  s->batch_timeout = DEFAULT_BATCH_TIMEOUT;
  s->max_in_flight = DEFAULT_MAX_IN_FLIGHT;
  s->queue_size = DEFAULT_QUEUE_SIZE;
  s->max_size = DEFAULT_MAX_SIZE;
  s->jpeg_quality = DEFAULT_JPEG_QUALITY;
  s->threshold = DEFAULT_THRESHOLD;
  s->max_tags = DEFAULT_MAX_TAGS;
  s->timeout = DEFAULT_TIMEOUT;
  s->retries = DEFAULT_RETRIES;
  s->allow_insecure_http = DEFAULT_ALLOW_INSECURE_HTTP;
  self->interval = DEFAULT_INTERVAL;
  self->sync = DEFAULT_SYNC;
  self->max_latency = DEFAULT_MAX_LATENCY;
  self->publish_queue_size = DEFAULT_PUBLISH_QUEUE_SIZE;
  self->leaky = DEFAULT_LEAKY;
  self->stats_interval = DEFAULT_STATS_INTERVAL;
  self->change_threshold = DEFAULT_CHANGE_THRESHOLD;
  self->max_interval = DEFAULT_MAX_INTERVAL;
  self->alert_threshold = DEFAULT_ALERT_THRESHOLD;
  self->alert_hold = DEFAULT_ALERT_HOLD;
  clarifai_stats_init (&self->stats);
  clarifai_sampler_reset (&self->sampler);

  /* In place; passthrough, which spares making buffers writable, until
   * there is a result to attach as meta. */
  self->passthrough = TRUE;
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), TRUE);
}

#define READY_FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)
#define SECRET_FLAGS (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)

static void
gst_clarifai_tag_class_init (GstClarifaiTagClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_clarifai_tag_debug, "clarifaitag", 0,
      "Clarifai video tagger");

  gobject_class->set_property = gst_clarifai_tag_set_property;
  gobject_class->get_property = gst_clarifai_tag_get_property;
  gobject_class->finalize = gst_clarifai_tag_finalize;

  /**
   * GstClarifaiTag:api:
   *
   * Which Clarifai API to speak.  `auto` speaks v2 when an API key is set
   * (#GstClarifaiTag:api-key or `CLARIFAI_PAT`), else v1.  Settings of the
   * other version (v1: client-id, client-secret, access-token; v2:
   * api-key, model-version) are a start-up error.
   */
  g_object_class_install_property (gobject_class, PROP_API,
      g_param_spec_enum ("api", "API",
          "Clarifai API version to speak", GST_TYPE_CLARIFAI_API,
          DEFAULT_API, READY_FLAGS));

  /**
   * GstClarifaiTag:api-url:
   *
   * Base URL of the service.  v2 requests go to
   * `{api-url}/v2/users/{user-id}/apps/{app-id}/models/{model}[/versions/{model-version}]/outputs`;
   * v1 requests to `{api-url}/v1/token/`, `/v1/tag/` and `/v1/info/`.
   */
  g_object_class_install_property (gobject_class, PROP_API_URL,
      g_param_spec_string ("api-url", "API URL",
          "Base URL of the Clarifai service", DEFAULT_API_URL, READY_FLAGS));

  /**
   * GstClarifaiTag:api-key:
   *
   * v2: a personal access token (or an app's API key), sent as
   * `Authorization: Key …`; if unset, the `CLARIFAI_PAT` environment
   * variable.  Write-only and never logged; prefer the environment
   * variable on shared machines.
   */
  g_object_class_install_property (gobject_class, PROP_API_KEY,
      g_param_spec_string ("api-key", "API key",
          "v2 personal access token or API key, write-only (default: $"
          ENV_PAT ")", NULL, SECRET_FLAGS));

  /**
   * GstClarifaiTag:user-id:
   *
   * v2: the user that owns the model; `clarifai` for Clarifai's public
   * models.
   */
  g_object_class_install_property (gobject_class, PROP_USER_ID,
      g_param_spec_string ("user-id", "User ID",
          "v2: owner of the model", DEFAULT_USER_ID, READY_FLAGS));

  /**
   * GstClarifaiTag:app-id:
   *
   * v2: the app the model belongs to; `main` for Clarifai's public models.
   */
  g_object_class_install_property (gobject_class, PROP_APP_ID,
      g_param_spec_string ("app-id", "App ID",
          "v2: app of the model", DEFAULT_APP_ID, READY_FLAGS));

  /**
   * GstClarifaiTag:model-version:
   *
   * v2: a version id of the model; unset uses the model's current version.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL_VERSION,
      g_param_spec_string ("model-version", "Model version",
          "v2: model version id (unset: the model's current version)", NULL,
          READY_FLAGS));

  /**
   * GstClarifaiTag:client-id:
   *
   * v1: OAuth2 client id of the Clarifai application; if unset, the
   * `CLARIFAI_CLIENT_ID` environment variable.
   */
  g_object_class_install_property (gobject_class, PROP_CLIENT_ID,
      g_param_spec_string ("client-id", "Client ID",
          "v1: OAuth2 client id (default: $" ENV_CLIENT_ID ")", NULL,
          READY_FLAGS));

  /**
   * GstClarifaiTag:client-secret:
   *
   * v1: OAuth2 client secret; if unset, the `CLARIFAI_CLIENT_SECRET`
   * environment variable.  Write-only and never logged.  Prefer the
   * environment variable on shared machines: a gst-launch-1.0 command line
   * is visible to other users.
   */
  g_object_class_install_property (gobject_class, PROP_CLIENT_SECRET,
      g_param_spec_string ("client-secret", "Client secret",
          "v1: OAuth2 client secret, write-only (default: $" ENV_CLIENT_SECRET
          ")", NULL, SECRET_FLAGS));

  /**
   * GstClarifaiTag:access-token:
   *
   * v1: a fixed bearer token used instead of client credentials; if unset,
   * the `CLARIFAI_ACCESS_TOKEN` environment variable.  It is not renewed.
   * Write-only and never logged.
   */
  g_object_class_install_property (gobject_class, PROP_ACCESS_TOKEN,
      g_param_spec_string ("access-token", "Access token",
          "v1: fixed bearer token instead of client credentials, write-only "
          "(default: $" ENV_ACCESS_TOKEN ")", NULL, SECRET_FLAGS));

  /**
   * GstClarifaiTag:model:
   *
   * v2: the model id; unset is Clarifai's general model,
   * `general-image-recognition`.  v1: the `model` parameter of tag
   * requests, e.g. `general-v1.3`; unset leaves the choice to the service.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Recognition model (unset: v2 general-image-recognition, v1 the "
          "service's default)", NULL, READY_FLAGS));

  /**
   * GstClarifaiTag:language:
   *
   * Language of the tag names (ISO 639-1, e.g. `ja`): v2's
   * `output_config.language`, v1's `language` parameter.
   */
  g_object_class_install_property (gobject_class, PROP_LANGUAGE,
      g_param_spec_string ("language", "Language",
          "Language of the tags (unset: the service's default)", NULL,
          READY_FLAGS));

  /**
   * GstClarifaiTag:select-classes:
   *
   * Comma-separated classes; only these are returned (v2:
   * `output_config.select_concepts` by name; v1: `select_classes`).
   */
  g_object_class_install_property (gobject_class, PROP_SELECT_CLASSES,
      g_param_spec_string ("select-classes", "Select classes",
          "Comma-separated list of the only classes to return", NULL,
          READY_FLAGS));

  /**
   * GstClarifaiTag:interval:
   *
   * Minimum running-time distance between two sampled frames; 0 samples
   * every frame.  Frames without a timestamp are sampled only at 0.
   */
  g_object_class_install_property (gobject_class, PROP_INTERVAL,
      g_param_spec_uint64 ("interval", "Interval",
          "Minimum running time between sampled frames in ns (0 = every "
          "frame)", 0, G_MAXUINT64, DEFAULT_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstClarifaiTag:batch-size:
   *
   * Frames per tag request.  Capped at the service's limit: v2's 128
   * inputs per request, v1's `max_batch_size` from `/v1/info/`.
   */
  g_object_class_install_property (gobject_class, PROP_BATCH_SIZE,
      g_param_spec_uint ("batch-size", "Batch size",
          "Frames per tag request (capped at the service's limit: v2 128)",
          1, MAX_BATCH_SIZE, DEFAULT_BATCH_SIZE, READY_FLAGS));

  /**
   * GstClarifaiTag:batch-timeout:
   *
   * Longest time a sampled frame waits for its batch to fill before a
   * partial batch is sent; at most an hour.
   */
  g_object_class_install_property (gobject_class, PROP_BATCH_TIMEOUT,
      g_param_spec_uint64 ("batch-timeout", "Batch timeout",
          "Longest wait in ns for a batch to fill before it is sent partial",
          0, MAX_BATCH_TIMEOUT, DEFAULT_BATCH_TIMEOUT, READY_FLAGS));

  /**
   * GstClarifaiTag:max-in-flight:
   *
   * Tag requests outstanding at once.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_IN_FLIGHT,
      g_param_spec_uint ("max-in-flight", "Max in flight",
          "Tag requests outstanding at once", 1, 64, DEFAULT_MAX_IN_FLIGHT,
          READY_FLAGS));

  /**
   * GstClarifaiTag:queue-size:
   *
   * Sampled frames that may wait to be sent; when one more arrives the
   * oldest is dropped and reported with status `DROPPED`.
   */
  g_object_class_install_property (gobject_class, PROP_QUEUE_SIZE,
      g_param_spec_uint ("queue-size", "Queue size",
          "Sampled frames that may wait to be sent (beyond: oldest DROPPED)",
          1, 4096, DEFAULT_QUEUE_SIZE, READY_FLAGS));

  /**
   * GstClarifaiTag:max-size:
   *
   * Longest side of an uploaded image in pixels; larger frames are scaled
   * down, aspect kept.  The service's `max_image_size` also applies.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_SIZE,
      g_param_spec_uint ("max-size", "Max size",
          "Longest side of uploaded images in pixels (0 = no limit)",
          0, 65535, DEFAULT_MAX_SIZE, READY_FLAGS));

  /**
   * GstClarifaiTag:jpeg-quality:
   *
   * JPEG quality of encoded frames.
   */
  g_object_class_install_property (gobject_class, PROP_JPEG_QUALITY,
      g_param_spec_int ("jpeg-quality", "JPEG quality",
          "Quality of the JPEG images sent", 1, 100, DEFAULT_JPEG_QUALITY,
          READY_FLAGS));

  /**
   * GstClarifaiTag:threshold:
   *
   * Tags whose probability is below this are left out of messages and
   * meta.  v2 also asks the service for no less (`output_config.min_value`).
   */
  g_object_class_install_property (gobject_class, PROP_THRESHOLD,
      g_param_spec_double ("threshold", "Threshold",
          "Leave out tags less probable than this", 0.0, 1.0,
          DEFAULT_THRESHOLD, READY_FLAGS));

  /**
   * GstClarifaiTag:max-tags:
   *
   * At most this many tags per frame, most probable first; 0 keeps all.
   * v2 also asks the service for no more (`output_config.max_concepts`,
   * at most 200; the service's default without it is 20).
   */
  g_object_class_install_property (gobject_class, PROP_MAX_TAGS,
      g_param_spec_uint ("max-tags", "Max tags",
          "At most this many tags per frame (0 = all)", 0, G_MAXUINT,
          DEFAULT_MAX_TAGS, READY_FLAGS));

  /**
   * GstClarifaiTag:timeout:
   *
   * How long one HTTP attempt may take before it counts as a network
   * error; 1 ms to an hour.
   */
  g_object_class_install_property (gobject_class, PROP_TIMEOUT,
      g_param_spec_uint64 ("timeout", "Timeout",
          "Longest time in ns one HTTP attempt may take", GST_MSECOND,
          MAX_TIMEOUT, DEFAULT_TIMEOUT, READY_FLAGS));

  /**
   * GstClarifaiTag:retries:
   *
   * Further attempts of a tag request after a network error, a timeout, a
   * 5xx answer, a "try again" status or throttling, with exponential
   * backoff (throttling: after the wait the service asks for, v2's
   * `Retry-After` or v1's `X-Throttle-Wait-Seconds`).
   */
  g_object_class_install_property (gobject_class, PROP_RETRIES,
      g_param_spec_uint ("retries", "Retries",
          "Further attempts after a transient failure", 0, 16,
          DEFAULT_RETRIES, READY_FLAGS));

  /**
   * GstClarifaiTag:allow-insecure-http:
   *
   * Credentials and tokens are refused to plain `http://` URLs except on
   * loopback (the reference server); this allows them anyway.
   */
  g_object_class_install_property (gobject_class, PROP_ALLOW_INSECURE_HTTP,
      g_param_spec_boolean ("allow-insecure-http", "Allow insecure HTTP",
          "Send credentials over plain http:// to hosts other than loopback",
          DEFAULT_ALLOW_INSECURE_HTTP, READY_FLAGS));

  /**
   * GstClarifaiTag:ca-file:
   *
   * A PEM file of the certificate authorities to trust for an `https://`
   * api-url, instead of the system's; e.g. for a server with a self-signed
   * certificate.  Certificates are always verified.
   */
  g_object_class_install_property (gobject_class, PROP_CA_FILE,
      g_param_spec_string ("ca-file", "CA file",
          "PEM file of the certificate authorities to trust (default: the "
          "system's)", NULL, READY_FLAGS));

  /**
   * GstClarifaiTag:sync:
   *
   * Hold each sampled frame until its own result is known, so that it
   * leaves carrying that result as its meta (`timestamp` equal to its
   * PTS), or until #GstClarifaiTag:max-latency has passed; the buffers
   * after it wait behind it, in order.  A frame released by the deadline
   * carries the newest result known then, and its message is posted when
   * its own result comes.  Serialized events and queries wait for the held
   * buffers.  Held frames stay in upstream's buffer pool: the element asks
   * for enough buffers in the allocation query (max-latency times the
   * framerate, plus one); a live source whose pool is smaller stalls while
   * frames are held, and a camera then drops frames.
   */
  g_object_class_install_property (gobject_class, PROP_SYNC,
      g_param_spec_boolean ("sync", "Sync",
          "Hold each sampled frame until its own result is known (or "
          "max-latency), so that it carries that result as meta",
          DEFAULT_SYNC, READY_FLAGS));

  /**
   * GstClarifaiTag:max-latency:
   *
   * In #GstClarifaiTag:sync mode, the longest a sampled frame is held for
   * its result, from the moment it was sampled; added to the latency the
   * element reports, so that a live pipeline stays in sync.  Without sync,
   * no effect.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_LATENCY,
      g_param_spec_uint64 ("max-latency", "Maximum latency",
          "In sync mode, the longest a sampled frame is held for its result "
          "(ns); reported in the LATENCY query", 0, MAX_MAX_LATENCY,
          DEFAULT_MAX_LATENCY, READY_FLAGS));

  /**
   * GstClarifaiTag:publish:
   *
   * Where to publish one JSON object per sampled frame, as its message is
   * posted (schema: docs/publishing.md): `file:///path/results.jsonl`
   * appends a line per frame (`file:///dev/stdout` works);
   * `mqtt://[user@]host[:port]/topic` and `mqtts://...` publish a message
   * per frame with QoS 1 (TLS verifies the broker's certificate against
   * #GstClarifaiTag:ca-file or the system's authorities).  The MQTT
   * password comes from the `CLARIFAI_MQTT_PASSWORD` environment variable,
   * never from the URI.  A URI that cannot work is an error at start-up;
   * a broker that is down is not: results wait in a queue of
   * #GstClarifaiTag:publish-queue-size and the broker is retried with
   * backoff, with one warning per outage.  Unset: nothing is published.
   */
  g_object_class_install_property (gobject_class, PROP_PUBLISH,
      g_param_spec_string ("publish", "Publish",
          "URI where a JSON object per sampled frame goes: "
          "file:///path.jsonl, mqtt://[user@]host[:port]/topic or mqtts://... "
          "(password from CLARIFAI_MQTT_PASSWORD)", NULL, READY_FLAGS));

  /**
   * GstClarifaiTag:source-id:
   *
   * The `source` member of every published object, to tell cameras apart
   * in one file or topic.  Unset: the element's name.
   */
  g_object_class_install_property (gobject_class, PROP_SOURCE_ID,
      g_param_spec_string ("source-id", "Source ID",
          "Names this stream in published results (default: the element's "
          "name)", NULL, READY_FLAGS));

  /**
   * GstClarifaiTag:publish-queue-size:
   *
   * How many results may wait for the #GstClarifaiTag:publish destination
   * (a broker that is down or slow) before the oldest is dropped and
   * counted in `publish-dropped`.  Up to 20 more may be on their way to an
   * MQTT broker, waiting for its acknowledgement.
   */
  g_object_class_install_property (gobject_class, PROP_PUBLISH_QUEUE_SIZE,
      g_param_spec_uint ("publish-queue-size", "Publish queue size",
          "Results that may wait for the publish destination before the "
          "oldest is dropped", 1, G_MAXINT, DEFAULT_PUBLISH_QUEUE_SIZE,
          READY_FLAGS));

  /**
   * GstClarifaiTag:change-threshold:
   *
   * Requests only where the picture changes.  0 (the default): off.
   * Otherwise a frame that is due by #GstClarifaiTag:interval is sampled
   * only if it differs from the last sampled frame by at least this much,
   * or if #GstClarifaiTag:max-interval has passed since it.  The difference
   * is the mean absolute difference of 8-bit luma between thumbnails of
   * the two frames (64 pixels on the long side), divided by 255: 0.05 is a
   * clear change of scene, noise and compression stay well under 0.01.
   * It is computed on the streaming thread for due frames only; a frame
   * skipped as unchanged restarts the interval as a sampled one would, and
   * is counted in the `unchanged` field of #GstClarifaiTag:stats, not in
   * `sampled`, and has no message.  A flush or a caps change forgets the
   * last frame.  Can be changed while playing.
   */
  g_object_class_install_property (gobject_class, PROP_CHANGE_THRESHOLD,
      g_param_spec_double ("change-threshold", "Change threshold",
          "Sample a due frame only if its luma differs from the last "
          "sampled frame's by at least this (mean absolute difference, 0-1; "
          "0: always)", 0.0, 1.0, DEFAULT_CHANGE_THRESHOLD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstClarifaiTag:max-interval:
   *
   * With #GstClarifaiTag:change-threshold on, the longest running time
   * between two sampled frames: a still picture is tagged again after
   * this long.  0: no limit.  Can be changed while playing.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_INTERVAL,
      g_param_spec_uint64 ("max-interval", "Maximum interval",
          "With change-threshold on, the longest time between two sampled "
          "frames (ns; 0: no limit)", 0, G_MAXUINT64, DEFAULT_MAX_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstClarifaiTag:alert-classes:
   *
   * Class names or concept ids to watch, separated by commas.  For each,
   * an element message `clarifai-alert` says when it appears and when it
   * is gone: fields `class`, `state` (`appeared` or `gone`),
   * `probability` (of the result that decided it; 0 for `gone`),
   * `timestamp`, `running-time` and `sample-id` of that result's frame.
   * A class appears with the first `OK` result that has it at
   * #GstClarifaiTag:alert-threshold or more, and is gone once it has been
   * missing from every `OK` result for #GstClarifaiTag:alert-hold of
   * running time.  Alerts follow the `clarifai-tags` message of the result
   * that decided them.  Failed results neither make nor end a presence; at
   * EOS nothing is declared gone.  With #GstClarifaiTag:publish set,
   * alerts are published too.  Unset: no alerts.
   */
  g_object_class_install_property (gobject_class, PROP_ALERT_CLASSES,
      g_param_spec_string ("alert-classes", "Alert classes",
          "Comma-separated class names or concept ids whose appearing and "
          "going post clarifai-alert messages", NULL, READY_FLAGS));

  /**
   * GstClarifaiTag:alert-threshold:
   *
   * A watched class is present in a result when its probability is at
   * least this.
   */
  g_object_class_install_property (gobject_class, PROP_ALERT_THRESHOLD,
      g_param_spec_double ("alert-threshold", "Alert threshold",
          "Probability from which a watched class counts as present", 0.0,
          1.0, DEFAULT_ALERT_THRESHOLD, READY_FLAGS));

  /**
   * GstClarifaiTag:alert-hold:
   *
   * How long, in running time, a present class must be missing from every
   * `OK` result before it is declared gone: a class that drops out of one
   * result does not flap.
   */
  g_object_class_install_property (gobject_class, PROP_ALERT_HOLD,
      g_param_spec_uint64 ("alert-hold", "Alert hold",
          "Running time a present class must be missing before it is gone "
          "(ns)", 0, G_MAXUINT64, DEFAULT_ALERT_HOLD, READY_FLAGS));

  /**
   * GstClarifaiTag:leaky:
   *
   * What happens to a sampled frame when `queue-size` frames wait to be
   * sent already.  `auto` waits when the pipeline is not live, as an
   * encoder does: a file is tagged completely, with the same messages on
   * every run, at the pace of the service.  In a live pipeline it drops the
   * oldest waiting frame (status `DROPPED`), so that the video never waits
   * for the network.  A flush or a state change ends a wait at once.
   */
  g_object_class_install_property (gobject_class, PROP_LEAKY,
      g_param_spec_enum ("leaky", "Leaky",
          "When the queue is full: wait (not live), or drop the oldest "
          "(live)", GST_TYPE_CLARIFAI_TAG_LEAKY, DEFAULT_LEAKY, READY_FLAGS));

  /**
   * GstClarifaiTag:stats-interval:
   *
   * When not 0, an element message `clarifai-stats` carries the fields of
   * #GstClarifaiTag:stats every this many nanoseconds (of the system
   * clock) while the element runs, and once more at EOS after the last
   * result: the counters for a `gst-launch-1.0 -m` or systemd user, who
   * cannot read the property.
   */
  g_object_class_install_property (gobject_class, PROP_STATS_INTERVAL,
      g_param_spec_uint64 ("stats-interval", "Stats interval",
          "Post the stats as a clarifai-stats message this often (ns); 0 = "
          "never", 0, G_MAXUINT64, DEFAULT_STATS_INTERVAL, READY_FLAGS));

  /**
   * GstClarifaiTag:stats:
   *
   * A `clarifaitag-stats` structure with guint64 fields `sampled`,
   * `tagged`, `failed`, `dropped`, `pending`, `requests`, `token-requests`
   * (v1 only; 0 in v2), `retries`, `throttled`, `published`,
   * `publish-dropped`, `publish-pending` and `unchanged` (due frames not
   * sampled for looking like the last sampled one); always sampled = tagged +
   * failed + dropped + pending, and with #GstClarifaiTag:publish set,
   * tagged + failed + dropped = published + publish-dropped +
   * publish-pending.
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Counters of sampled, tagged, failed, dropped and pending frames "
          "and of requests", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_type_mark_as_plugin_api (GST_TYPE_CLARIFAI_API, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_CLARIFAI_TAG_LEAKY, 0);
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
