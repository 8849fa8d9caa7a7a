/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* clarifai-tags-example: runs a pipeline through clarifaitag, prints the
 * tags from the `clarifai-tags` bus messages, and reads `ClarifaiTagMeta`
 * from the buffers in a pad probe.
 *
 *   clarifai-tags-example [--api-url URL] [--api-key KEY]
 *       [--client-id ID --client-secret SECRET] [--interval-ms MS]
 *       [--user-id USER --app-id APP --model MODEL] [--prompt TEXT]
 *       [--pattern PATTERN] [FILE]
 *
 * --api-key (or $CLARIFAI_PAT) tags with today's v2 API; the client
 * credentials with the v1 API.  With a detector it prints each box
 * (`region`), with a captioner or a vision-language model (--prompt) the
 * text (`text`).
 *
 * Without FILE it tags a built-in five-second "colour tour": a test source
 * that is red, green, blue, yellow, then white, one second each (with
 * --pattern ball, a ball of those colours). */

#include <gst/gst.h>
#include <stdio.h>
#include <stdlib.h>

static const guint32 tour[] = { 0xffff0000, 0xff00ff00, 0xff0000ff,
  0xffffff00, 0xffffffff
};

/* Changes the test source's colour every second of stream time: the new
 * colour applies from the next buffer on. */
static GstPadProbeReturn
colour_tour (GstPad * pad, GstPadProbeInfo * info, gpointer source)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  guint next = (GST_BUFFER_PTS (buf) + GST_BUFFER_DURATION (buf)) / GST_SECOND;

  g_object_set (source, "foreground-color",
      tour[MIN (next, G_N_ELEMENTS (tour) - 1)], NULL);
  return GST_PAD_PROBE_OK;
}

/* The meta on each buffer describes the newest tagged frame; print it
 * when that frame changes. */
static GstPadProbeReturn
read_meta (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  static guint64 last_described = G_MAXUINT64;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstCustomMeta *meta = gst_buffer_get_custom_meta (buf, "ClarifaiTagMeta");
  const GstStructure *s;
  const GValue *classes;
  guint64 described;

  if (meta == NULL)
    return GST_PAD_PROBE_OK;
  s = gst_custom_meta_get_structure (meta);
  if (!gst_structure_get_uint64 (s, "timestamp", &described)
      || described == last_described)
    return GST_PAD_PROBE_OK;
  last_described = described;
  classes = gst_structure_get_value (s, "classes");
  printf ("meta     buffer %" GST_TIME_FORMAT " carries the tags of frame %"
      GST_TIME_FORMAT ": %s\n", GST_TIME_ARGS (GST_BUFFER_PTS (buf)),
      GST_TIME_ARGS (described), gst_value_array_get_size (classes) ?
      g_value_get_string (gst_value_array_get_value (classes, 0)) : "-");
  fflush (stdout);
  return GST_PAD_PROBE_OK;
}

/* A detector's boxes (fractions of the frame) and a captioner's or VLM's
 * text. */
static void
print_regions_and_text (const GstStructure * s, GString * line)
{
  const GValue *regions = gst_structure_get_value (s, "regions");
  const gchar *text = gst_structure_get_string (s, "text");
  guint i;

  for (i = 0; regions && i < gst_value_array_get_size (regions); i++) {
    const GstStructure *r =
        gst_value_get_structure (gst_value_array_get_value (regions, i));
    gdouble x = 0, y = 0, w = 0, h = 0, p = 0;

    gst_structure_get (r, "x", G_TYPE_DOUBLE, &x, "y", G_TYPE_DOUBLE, &y,
        "width", G_TYPE_DOUBLE, &w, "height", G_TYPE_DOUBLE, &h,
        "probability", G_TYPE_DOUBLE, &p, NULL);
    g_string_append_printf (line, "region   %s %.2f at x %.2f y %.2f, "
        "%.2f x %.2f\n", gst_structure_get_string (r, "label"), p, x, y, w, h);
  }
  if (text && *text)
    g_string_append_printf (line, "text     %s\n", text);
}

static void
print_tags (const GstStructure * s)
{
  const GValue *classes = gst_structure_get_value (s, "classes");
  const GValue *probs = gst_structure_get_value (s, "probabilities");
  guint64 pts = GST_CLOCK_TIME_NONE, id = 0, latency = 0;
  guint i, n = gst_value_array_get_size (classes);

  GString *line = g_string_new (NULL);

  gst_structure_get_uint64 (s, "timestamp", &pts);
  gst_structure_get_uint64 (s, "sample-id", &id);
  gst_structure_get_uint64 (s, "latency", &latency);
  g_string_append_printf (line, "message  sample %-3" G_GUINT64_FORMAT " %"
      GST_TIME_FORMAT "  %s", id, GST_TIME_ARGS (pts),
      gst_structure_get_string (s, "status"));
  for (i = 0; i < n && i < 3; i++)
    g_string_append_printf (line, "%s %s %.2f", i ? "," : " ",
        g_value_get_string (gst_value_array_get_value (classes, i)),
        g_value_get_double (gst_value_array_get_value (probs, i)));
  if (n == 0)
    g_string_append_printf (line, "  (%s)", gst_structure_get_string (s,
            "status-msg"));
  g_string_append_printf (line, "  [%" G_GUINT64_FORMAT " ms]\n",
      latency / GST_MSECOND);
  print_regions_and_text (s, line);
  /* One write per line: the pad probe prints from another thread. */
  fputs (line->str, stdout);
  fflush (stdout);
  g_string_free (line, TRUE);
}

int
main (int argc, char **argv)
{
  gchar *api_url = NULL, *api_key = NULL, *client_id = NULL;
  gchar *client_secret = NULL, *model = NULL, *user_id = NULL;
  gchar *app_id = NULL, *prompt = NULL, *pattern = NULL;
  gint interval_ms = 500;
  GOptionEntry entries[] = {
    {"api-url", 0, 0, G_OPTION_ARG_STRING, &api_url, "Service base URL",
        "URL"},
    {"api-key", 0, 0, G_OPTION_ARG_STRING, &api_key,
        "v2 personal access token (default: $CLARIFAI_PAT)", "KEY"},
    {"client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
        "v1 client id (default: $CLARIFAI_CLIENT_ID)", "ID"},
    {"client-secret", 0, 0, G_OPTION_ARG_STRING, &client_secret,
        "v1 client secret (default: $CLARIFAI_CLIENT_SECRET)", "SECRET"},
    {"interval-ms", 0, 0, G_OPTION_ARG_INT, &interval_ms,
        "Tag one frame per this many ms (default 500)", "MS"},
    {"user-id", 0, 0, G_OPTION_ARG_STRING, &user_id,
        "v2: the model's owner (default clarifai)", "USER"},
    {"app-id", 0, 0, G_OPTION_ARG_STRING, &app_id,
        "v2: the model's app (default main)", "APP"},
    {"model", 0, 0, G_OPTION_ARG_STRING, &model,
        "The model: a classifier, detector, captioner or VLM", "MODEL"},
    {"prompt", 0, 0, G_OPTION_ARG_STRING, &prompt,
        "v2: question for a vision-language model", "TEXT"},
    {"pattern", 0, 0, G_OPTION_ARG_STRING, &pattern,
        "videotestsrc pattern of the tour (default solid-color; ball: a "
          "moving ball)", "PATTERN"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("[FILE] - tag a video");
  GError *err = NULL;
  GstElement *pipeline, *tagger, *sink;
  GstPad *pad;
  GstBus *bus;
  gchar *desc;
  gboolean done = FALSE;
  gint status = 0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    fprintf (stderr, "%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);

  if (argc > 1) {
    gchar *uri = gst_filename_to_uri (argv[1], &err);

    if (uri == NULL) {
      fprintf (stderr, "%s\n", err->message);
      return 2;
    }
    desc = g_strdup_printf ("uridecodebin uri=%s ! videoconvert ! "
        "clarifaitag name=tagger ! fakesink name=sink", uri);
    g_free (uri);
  } else {
    desc = g_strdup_printf ("videotestsrc name=source pattern=%s "
        "foreground-color=0x%08x num-buffers=150 ! video/x-raw,width=640,"
        "height=360,framerate=30/1 ! clarifaitag name=tagger ! "
        "fakesink name=sink", pattern ? pattern : "solid-color", tour[0]);
  }
  pipeline = gst_parse_launch (desc, &err);
  g_free (desc);
  if (pipeline == NULL) {
    fprintf (stderr, "cannot build the pipeline: %s\n", err->message);
    return 1;
  }

  tagger = gst_bin_get_by_name (GST_BIN (pipeline), "tagger");
  g_object_set (tagger, "interval", (guint64) interval_ms * GST_MSECOND, NULL);
  if (api_url)
    g_object_set (tagger, "api-url", api_url, NULL);
  if (api_key)
    g_object_set (tagger, "api-key", api_key, NULL);
  if (client_id)
    g_object_set (tagger, "client-id", client_id, NULL);
  if (user_id)
    g_object_set (tagger, "user-id", user_id, NULL);
  if (app_id)
    g_object_set (tagger, "app-id", app_id, NULL);
  if (model)
    g_object_set (tagger, "model", model, NULL);
  if (prompt)
    g_object_set (tagger, "prompt", prompt, NULL);
  if (client_secret)
    g_object_set (tagger, "client-secret", client_secret, NULL);

  if (argc <= 1) {
    GstElement *source = gst_bin_get_by_name (GST_BIN (pipeline), "source");

    pad = gst_element_get_static_pad (source, "src");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, colour_tour, source,
        NULL);
    gst_object_unref (pad);
    gst_object_unref (source);
  }
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, read_meta, NULL, NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    done = TRUE, status = 1;
  while (!done || gst_bus_have_pending (bus)) {
    GstMessage *msg = gst_bus_timed_pop (bus, done ? 0 : GST_CLOCK_TIME_NONE);

    if (msg == NULL)
      break;
    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_ELEMENT:
        if (gst_message_has_name (msg, "clarifai-tags"))
          print_tags (gst_message_get_structure (msg));
        break;
      case GST_MESSAGE_WARNING:
      case GST_MESSAGE_ERROR:{
        gchar *debug = NULL;

        if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
          gst_message_parse_error (msg, &err, &debug);
          done = TRUE;
          status = 1;
        } else {
          gst_message_parse_warning (msg, &err, &debug);
        }
        fprintf (stderr, "%s: %s\n  %s\n", GST_MESSAGE_TYPE_NAME (msg),
            err->message, debug ? debug : "");
        g_clear_error (&err);
        g_free (debug);
        break;
      }
      case GST_MESSAGE_EOS:
        done = TRUE;
        break;
      default:
        break;
    }
    gst_message_unref (msg);
  }

  if (status == 0) {
    GstStructure *stats;
    gchar *text;

    g_object_get (tagger, "stats", &stats, NULL);
    text = gst_structure_to_string (stats);
    printf ("stats    %s\n", text);
    g_free (text);
    gst_structure_free (stats);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (tagger);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  g_free (api_url);
  g_free (api_key);
  g_free (client_id);
  g_free (client_secret);
  g_free (user_id);
  g_free (app_id);
  g_free (model);
  g_free (prompt);
  g_free (pattern);
  return status;
}
