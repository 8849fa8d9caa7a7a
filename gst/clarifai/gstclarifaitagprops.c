/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* clarifaitag's properties: their documentation, ranges and defaults, and
 * reading and writing them under the object lock.  What they mean at
 * start-up is clarifaisettings.c's. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstclarifaitagprivate.h"

#include "clarifaidialect.h"
#include "clarifaisettings.h"
#include "clarifaiv2.h"

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
    case PROP_PROMPT:
      replace_string (&s->prompt, value);
      break;
    case PROP_MAX_TOKENS:
      s->max_tokens = g_value_get_uint (value);
      break;
    case PROP_TEMPERATURE:
      s->temperature = g_value_get_double (value);
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
    case PROP_STANDARD_META:
      self->standard_meta = g_value_get_boolean (value);
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
    case PROP_PROMPT:
      g_value_set_string (value, s->prompt);
      break;
    case PROP_MAX_TOKENS:
      g_value_set_uint (value, s->max_tokens);
      break;
    case PROP_TEMPERATURE:
      g_value_set_double (value, s->temperature);
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
    case PROP_STANDARD_META:
      g_value_set_boolean (value, self->standard_meta);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

#define READY_FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)
#define SECRET_FLAGS (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)

/* The properties' defaults. */
void
gst_clarifai_tag_init_properties (GstClarifaiTag * self)
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
  s->max_tokens = DEFAULT_MAX_TOKENS;
  s->temperature = DEFAULT_TEMPERATURE;
  s->timeout = DEFAULT_TIMEOUT;
  s->retries = DEFAULT_RETRIES;
  s->allow_insecure_http = DEFAULT_ALLOW_INSECURE_HTTP;
  self->interval = DEFAULT_INTERVAL;
  self->sync = DEFAULT_SYNC;
  self->max_latency = DEFAULT_MAX_LATENCY;
  self->publish_queue_size = DEFAULT_PUBLISH_QUEUE_SIZE;
  self->leaky = DEFAULT_LEAKY;
  self->stats_interval = DEFAULT_STATS_INTERVAL;
  self->standard_meta = DEFAULT_STANDARD_META;
  self->change_threshold = DEFAULT_CHANGE_THRESHOLD;
  self->max_interval = DEFAULT_MAX_INTERVAL;
  self->alert_threshold = DEFAULT_ALERT_THRESHOLD;
  self->alert_hold = DEFAULT_ALERT_HOLD;
}

/**
 * gst_clarifai_tag_install_properties:
 *
 * The element's properties, each with its documentation.
 */
void
gst_clarifai_tag_install_properties (GObjectClass * gobject_class)
{
  gobject_class->set_property = gst_clarifai_tag_set_property;
  gobject_class->get_property = gst_clarifai_tag_get_property;

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
          CLARIFAI_ENV_PAT ")", NULL, SECRET_FLAGS));

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
          "v1: OAuth2 client id (default: $" CLARIFAI_ENV_CLIENT_ID ")", NULL,
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
          "v1: OAuth2 client secret, write-only (default: $"
          CLARIFAI_ENV_CLIENT_SECRET ")", NULL, SECRET_FLAGS));

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
          "(default: $" CLARIFAI_ENV_ACCESS_TOKEN ")", NULL, SECRET_FLAGS));

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
   * GstClarifaiTag:prompt:
   *
   * v2: text sent with each image to a model that answers a prompt (a
   * vision-language model): as the `prompt` part when the model's method
   * signature (read once at start) has a text argument, else as
   * `data.text.raw` beside the image.  The answer is the result's `text`;
   * one that is a JSON array of names (or of `{"name", "value"}` objects)
   * also gives its tags, so that alerts and the overlay work on it.  With a
   * prompt, each request carries one frame.  Unset: no text is sent, and a
   * model that requires a prompt is a start-up error.
   */
  g_object_class_install_property (gobject_class, PROP_PROMPT,
      g_param_spec_string ("prompt", "Prompt",
          "v2: question about each image for a vision-language model, e.g. "
          "\"List the objects as a JSON array\"", NULL, READY_FLAGS));

  /**
   * GstClarifaiTag:max-tokens:
   *
   * v2: the longest answer to #GstClarifaiTag:prompt, in tokens, sent
   * where the model takes `max_tokens`; 0 leaves the model's default.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_TOKENS,
      g_param_spec_uint ("max-tokens", "Max tokens",
          "v2: longest answer to the prompt, in tokens (0 = the model's "
          "default)", 0, G_MAXINT32, DEFAULT_MAX_TOKENS, READY_FLAGS));

  /**
   * GstClarifaiTag:temperature:
   *
   * v2: sampling temperature of the answer to #GstClarifaiTag:prompt,
   * sent where the model takes `temperature`; 0, the default, gives
   * repeatable answers, which change-driven sampling and alerts want.
   */
  g_object_class_install_property (gobject_class, PROP_TEMPERATURE,
      g_param_spec_double ("temperature", "Temperature",
          "v2: sampling temperature of the answer to the prompt (0 = "
          "repeatable)", 0.0, 2.0, DEFAULT_TEMPERATURE, READY_FLAGS));

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
   * GstClarifaiTag:standard-meta:
   *
   * Also attach the results as GStreamer's own metadata, on the buffers
   * that carry a #ClarifaiTagMeta, for elements that do not know this
   * one: a #GstVideoRegionOfInterestMeta per box (in the buffer's pixels,
   * so on `image/jpeg` only when the caps give the width and height;
   * `roi_type` the box's label, or `clarifai-text` for a line of text
   * without concepts; params `detection`, in Intel DL Streamer's shape,
   * and `clarifai-region`, the box's fields and the model) and, when the
   * plugin was built against GStreamer 1.24 or later, a
   * #GstAnalyticsRelationMeta: a ClsMtd of the whole frame's tags and, per
   * box, an ODMtd and a ClsMtd of its concepts, which the ODMtd CONTAINs
   * and RELATEs_TO and which IS_PART_OF it (`objectdetectionoverlay` draws
   * them).  Off: only #ClarifaiTagMeta, as for DL Streamer 2024.3 to
   * 2025.1, which stop on an ODMtd they did not make.  Details:
   * docs/reading-results.md.
   */
  g_object_class_install_property (gobject_class, PROP_STANDARD_META,
      g_param_spec_boolean ("standard-meta", "Standard meta",
          "Also attach region-of-interest metas per box and, when built "
          "against GStreamer >= 1.24, analytics metas", DEFAULT_STANDARD_META,
          READY_FLAGS));

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
}
