/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What gstclarifaitag.c (the streaming and the results) and
 * gstclarifaitagprops.c (the properties) share: the instance and the
 * properties' defaults. */

#ifndef __GST_CLARIFAI_TAG_PRIVATE_H__
#define __GST_CLARIFAI_TAG_PRIVATE_H__

#include "gstclarifaitag.h"

#include <gst/video/video.h>

#include "clarifaialert.h"
#include "clarifaiclient.h"
#include "clarifaihealth.h"
#include "clarifaihold.h"
#include "clarifaipublisher.h"
#include "clarifaisampler.h"
#include "clarifaiscaler.h"
#include "clarifaistats.h"
#include "clarifaithumb.h"

G_BEGIN_DECLS enum
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
  PROP_PROMPT,
  PROP_MAX_TOKENS,
  PROP_TEMPERATURE,
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
  PROP_STANDARD_META,
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
#define DEFAULT_MAX_TOKENS 256
#define DEFAULT_TEMPERATURE 0.0
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
#define DEFAULT_STANDARD_META TRUE

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
  gboolean standard_meta;       /* READY: read without the lock after */

  /* streaming thread */
  gboolean is_jpeg;
  gint live;                    /* upstream's answer: -1 until asked */
  GstVideoInfo in_info;
  /* the buffers' size in pixels, for the boxes of the standard metas; 0
   * when JPEG caps do not say */
  guint frame_width, frame_height;
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

ClarifaiClient *gst_clarifai_tag_get_client (GstClarifaiTag * self);
void gst_clarifai_tag_install_properties (GObjectClass * gobject_class);
void gst_clarifai_tag_init_properties (GstClarifaiTag * self);

G_END_DECLS
#endif /* __GST_CLARIFAI_TAG_PRIVATE_H__ */
