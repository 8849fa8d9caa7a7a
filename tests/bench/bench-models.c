/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* B12: reading a detector's answer against encoding the frame it is
 * about.  B14: what a static scene costs an hour with a prompt, with and
 * without change-driven sampling, against the reference VLM. */

#include "bench.h"

#include "clarifaiclient.h"

/* A detector's answer for one frame with @n boxes of two concepts each, in
 * the captured answers' shape (clarifai-v2-models.md 1.1). */
static gchar *
detector_answer (guint n)
{
  GString *out = g_string_new ("{\"status\":{\"code\":10000,\"description\":"
      "\"Ok\",\"req_id\":\"830aebd8\"},\"outputs\":[{\"id\":"
      "\"1b491f8954ac40268f5ebb5dcbf7f0d2\",\"status\":{\"code\":10000,"
      "\"description\":\"Ok\"},\"created_at\":\"2026-11-30T19:13:29.98Z\","
      "\"model\":{\"id\":\"general-image-detection\",\"app_id\":\"main\","
      "\"user_id\":\"clarifai\",\"model_type_id\":\"visual-detector\","
      "\"model_version\":{\"id\":\"1580bb1932594c93b7e2e04456af7c6f\","
      "\"status\":{\"code\":21100}}},\"input\":{\"id\":\"frame-1\",\"data\":"
      "{\"image\":{\"base64\":\"dHJ1ZQ==\"}}},\"data\":{\"regions\":[");
  guint i;

  for (i = 0; i < n; i++) {
    gdouble x = (i % 10) / 10.0, y = (i / 10) / 5.0;

    g_string_append_printf (out, "%s{\"id\":\"09d3ae582e829a394504cb092de3%04x"
        "\",\"region_info\":{\"bounding_box\":{\"top_row\":%.8f,\"left_col\":"
        "%.8f,\"bottom_row\":%.8f,\"right_col\":%.8f}},\"data\":{\"concepts\":"
        "[{\"id\":\"ai_%08x\",\"name\":\"object %u\",\"value\":%.7f,"
        "\"app_id\":\"main\"},{\"id\":\"ai_%08x\",\"name\":\"thing %u\","
        "\"value\":%.7f,\"app_id\":\"main\"}]},\"value\":%.7f}", i ? "," : "",
        i, y + 0.01, x + 0.01, y + 0.17, x + 0.09, i, i, 0.99 - i / 100.0,
        i + 1000, i, 0.5 - i / 200.0, 0.99 - i / 100.0);
  }
  g_string_append (out, "]}}]}");
  return g_string_free (out, FALSE);
}

/* Parses, reads, limits and makes the message structure of @answer @n
 * times; returns the seconds each took. */
static gdouble
read_answers (const gchar * answer, gsize len, ClarifaiFrame * f, guint n,
    guint * boxes)
{
  ClarifaiLimits limits = { 0.0, 0, NULL };
  gdouble t = wall ();
  guint i;

  for (i = 0; i < n; i++) {
    ClarifaiTagResponse *r = clarifai_v2_response_parse (answer, len, NULL);
    ClarifaiItemResult *item = clarifai_item_result_find (r, "frame-1", 0, 1);
    ClarifaiResult result = { f, "OK", "", "", "m", item, 0 };
    GstStructure *s;

    clarifai_item_result_apply_limits (item, &limits);
    s = clarifai_result_to_structure (&result);
    *boxes = gst_value_array_get_size (gst_structure_get_value (s, "regions"));
    gst_structure_free (s);
    clarifai_tag_response_free (r);
  }
  return (wall () - t) / n;
}

void
bench_b12 (void)
{
  g_autofree gchar *answer = detector_answer (50);
  gsize len = strlen (answer);
  GstVideoInfo info;
  GstBuffer *frame = test_frame (GST_VIDEO_FORMAT_I420, 1024, 576, 0x3070a0,
      512, 0xc04020, &info);
  ClarifaiImage image = { info, frame };
  ClarifaiEncoder *enc = clarifai_encoder_new ();
  ClarifaiFrame *f = clarifai_frame_new ();
  ClarifaiLimits limits = { 0.0, 0, NULL };
  guint n = 2000, n_enc = 12, rounds = 7, i, r, boxes = 0;
  gdouble t_read[7], t_enc[7], ratio[7], t_parse, t_struct, lo = 1e9, hi = 0;

  add_texture (frame, &info);
  /* The two alternate, so that both see the machine as it is at the
   * time: its speed moves by a third from minute to minute. */
  g_bytes_unref (clarifai_encoder_encode (enc, &image, 90, NULL));
  read_answers (answer, len, f, n / 10, &boxes);
  for (r = 0; r < rounds; r++) {
    t_enc[r] = wall ();
    for (i = 0; i < n_enc; i++)
      g_bytes_unref (clarifai_encoder_encode (enc, &image, 90, NULL));
    t_enc[r] = (wall () - t_enc[r]) / n_enc;
    t_read[r] = read_answers (answer, len, f, n / rounds, &boxes);
    ratio[r] = t_read[r] / t_enc[r];
    lo = MIN (lo, ratio[r]);
    hi = MAX (hi, ratio[r]);
  }
  /* where the time goes: the JSON parse and reading alone, and the
   * message structure alone */
  t_parse = wall ();
  for (i = 0; i < n; i++)
    clarifai_tag_response_free (clarifai_v2_response_parse (answer, len, NULL));
  t_parse = (wall () - t_parse) / n;
  {
    ClarifaiTagResponse *resp = clarifai_v2_response_parse (answer, len, NULL);
    ClarifaiResult result = { f, "OK", "", "", "m",
      clarifai_item_result_find (resp, "frame-1", 0, 1), 0
    };

    clarifai_item_result_apply_limits ((ClarifaiItemResult *) result.item,
        &limits);
    t_struct = wall ();
    for (i = 0; i < n; i++)
      gst_structure_free (clarifai_result_to_structure (&result));
    t_struct = (wall () - t_struct) / n;
    clarifai_tag_response_free (resp);
  }
  printf ("B12 a detector's answer with 50 boxes (%" G_GSIZE_FORMAT " bytes), "
      "%u boxes a frame: parsed, read, limited and made the message "
      "structure in %.1f us (parse and read %.1f us, structure %.1f us);\n"
      "   the JPEG encode of its frame (textured 1024x576, quality 90) %.2f "
      "ms; median of %u alternating rounds: %.2f%% (rounds %.2f-%.2f%%; "
      "goal <= 5%%)\n", len, boxes, median (t_read, rounds) * 1e6,
      t_parse * 1e6, t_struct * 1e6, median (t_enc, rounds) * 1e3, rounds,
      median (ratio, rounds) * 100, lo * 100, hi * 100);
  clarifai_frame_free (f);
  clarifai_encoder_free (enc);
  gst_buffer_unref (frame);
}

/* ---- B14 ---- */

#define B14_SECONDS 3600
#define B14_APPEARS 1234        /* a large yellow box comes into the scene */
#define B14_GOES 2468           /* and leaves it */

static void
draw_yellow_box (GstBuffer * frame, const GstVideoInfo * info)
{
  GstVideoFrame vf;
  guint x, y;

  gst_video_frame_map (&vf, info, frame, GST_MAP_WRITE);
  for (y = 90; y < 270; y++)
    for (x = 160; x < 480; x++) {
      /* I420 yellow: Y 210, U 16, V 146 */
      ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&vf, 0))[y *
          GST_VIDEO_FRAME_COMP_STRIDE (&vf, 0) + x] = 210;
      ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&vf, 1))[y / 2 *
          GST_VIDEO_FRAME_COMP_STRIDE (&vf, 1) + x / 2] = 16;
      ((guint8 *) GST_VIDEO_FRAME_COMP_DATA (&vf, 2))[y / 2 *
          GST_VIDEO_FRAME_COMP_STRIDE (&vf, 2) + x / 2] = 146;
    }
  gst_video_frame_unmap (&vf);
}

static gboolean
says_yellow (const GstStructure * s)
{
  const GValue *classes = gst_structure_get_value (s, "classes");
  guint i;

  for (i = 0; classes && i < gst_value_array_get_size (classes); i++)
    if (g_str_equal (g_value_get_string (gst_value_array_get_value (classes,
                    i)), "yellow"))
      return TRUE;
  return FALSE;
}

/* An hour of a 640x360 scene at 1 frame a second, one frame sampled each
 * second, asking the reference VLM for JSON; the scene changes twice.
 * Returns the requests, and *bytes their bodies' size; *missed counts the
 * changes that no answer showed within 2 s. */
static guint
b14_hour (const gchar * props, guint64 * bytes, guint * missed)
{
  ClarifaiServer *server = clarifai_server_new ();
  g_autofree gchar *desc = NULL;
  g_autoptr (GPtrArray) requests = NULL;
  GstVideoInfo info;
  GstBuffer *scene = scene_frame (GST_VIDEO_FORMAT_I420, 640, 360, &info);
  GstBuffer *changed = gst_buffer_copy_deep (scene);
  GstHarness *h;
  GstElement *tag;
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  gboolean seen_in = FALSE, seen_out = FALSE;
  guint i;

  draw_yellow_box (changed, &info);
  clarifai_server_start (server, "127.0.0.1", 0, NULL);
  desc = g_strdup_printf ("clarifaitag name=tag api-url=%s api-key="
      CLARIFAI_SERVER_DEFAULT_API_KEY " user-id=qwen app-id=qwen-VL "
      "model=Qwen2_5-VL-7B-Instruct prompt=\"List what you see as a JSON "
      "array\" interval=1000000000 leaky=no %s", clarifai_server_get_url
      (server), props);
  h = gst_harness_new_parse (desc);
  tag = gst_bin_get_by_name (GST_BIN (h->element), "tag");
  gst_element_set_bus (tag, bus);
  gst_harness_set_src_caps_str (h, "video/x-raw,format=I420,width=640,"
      "height=360,framerate=1/1");
  for (i = 0; i < B14_SECONDS; i++) {
    GstBuffer *buf = gst_buffer_copy (i >= B14_APPEARS && i < B14_GOES ?
        changed : scene);

    GST_BUFFER_PTS (buf) = i * GST_SECOND;
    GST_BUFFER_DURATION (buf) = GST_SECOND;
    gst_buffer_unref (gst_harness_push_and_pull (h, buf));
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  /* the first answer at or after each change must show it, and come
   * from a frame at most 2 s after it */
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (msg);
    guint64 pts = 0;

    if (gst_structure_has_name (s, "clarifai-tags")
        && gst_structure_get_uint64 (s, "timestamp", &pts)) {
      if (!seen_in && pts >= B14_APPEARS * GST_SECOND && pts < B14_GOES *
          GST_SECOND) {
        seen_in = TRUE;
        *missed += !says_yellow (s) || pts > (B14_APPEARS + 2) * GST_SECOND;
      } else if (!seen_out && pts >= B14_GOES * GST_SECOND) {
        seen_out = TRUE;
        *missed += says_yellow (s) || pts > (B14_GOES + 2) * GST_SECOND;
      }
    }
    gst_message_unref (msg);
  }
  *missed += !seen_in + !seen_out;
  requests = clarifai_server_get_tag_requests (server);
  *bytes = 0;
  for (i = 0; i < requests->len; i++)
    *bytes += ((ClarifaiServerRequest *) requests->pdata[i])->body_size;
  gst_object_unref (tag);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  gst_buffer_unref (scene);
  gst_buffer_unref (changed);
  clarifai_server_free (server);
  return requests->len;
}

void
bench_b14 (void)
{
  guint64 bytes_all, bytes_change;
  guint missed_all = 0, missed_change = 0;
  guint all = b14_hour ("", &bytes_all, &missed_all);
  guint change = b14_hour ("change-threshold=0.03 max-interval=600000000000",
      &bytes_change, &missed_change);

  printf ("B14 an hour of a static 640x360 scene with a prompt, one frame a "
      "second, against the reference VLM; a large yellow box comes at %u s "
      "and goes at %u s:\n"
      "   every frame:                 %u requests, %.1f MB, changes missed "
      "%u\n"
      "   change-threshold=0.03, max-interval=10 min: %u requests, %.2f MB, "
      "changes missed %u\n"
      "   %.0fx fewer requests (goal >= 20x, no change missed)\n",
      B14_APPEARS, B14_GOES, all,
      bytes_all / 1e6, missed_all, change, bytes_change / 1e6, missed_change,
      (gdouble) all / MAX (change, 1));
}
