/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "fixture.h"

ClarifaiServer *fixture_server;

void
fixture_server_setup (void)
{
  GError *err = NULL;

  fixture_server = clarifai_server_new ();
  if (!clarifai_server_start (fixture_server, "127.0.0.1", 0, &err))
    g_error ("the reference server does not start: %s", err->message);
}

void
fixture_server_teardown (void)
{
  g_clear_pointer (&fixture_server, clarifai_server_free);
}

GstHarness *
fixture_harness_new (GstElement * el, GstBus ** bus, const gchar * caps)
{
  GstHarness *h;

  *bus = gst_bus_new ();
  gst_element_set_bus (el, *bus);
  h = gst_harness_new_with_element (el, "sink", "src");
  gst_object_unref (el);
  gst_harness_set_src_caps_str (h, caps);
  return h;
}

/* The bus is flushed: messages left on it hold the element, which holds
 * the bus. */
void
fixture_harness_free (GstHarness * h, GstBus * bus)
{
  gst_harness_teardown (h);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
}

static GstPadProbeReturn
flight_in (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  FixtureFlight *f = data;
  gint held = g_atomic_int_add (&f->in, 1) + 1 - g_atomic_int_get (&f->out);

  if (held > g_atomic_int_get (&f->most))
    g_atomic_int_set (&f->most, held);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
flight_out (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  g_atomic_int_inc (&((FixtureFlight *) data)->out);
  return GST_PAD_PROBE_OK;
}

void
fixture_flight_watch (GstElement * el, FixtureFlight * flight)
{
  GstPad *sink = gst_element_get_static_pad (el, "sink");
  GstPad *src = gst_element_get_static_pad (el, "src");

  fixture_flight_reset (flight);
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, flight_in, flight, NULL);
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, flight_out, flight, NULL);
  gst_object_unref (sink);
  gst_object_unref (src);
}

void
fixture_flight_reset (FixtureFlight * flight)
{
  g_atomic_int_set (&flight->in, 0);
  g_atomic_int_set (&flight->out, 0);
  g_atomic_int_set (&flight->most, 0);
}

static GMutex log_lock;
static GString *log_text;

static void
capture_log (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  const gchar *id = gst_debug_message_get_id (message);
  const gchar *text = gst_debug_message_get (message);

  g_mutex_lock (&log_lock);
  g_string_append_printf (log_text, "%s %s:%d:%s [%s] %s\n",
      gst_debug_category_get_name (category), file, line, function,
      id ? id : "", text ? text : "");
  g_mutex_unlock (&log_lock);
}

void
fixture_log_start (const gchar * spec)
{
  g_mutex_lock (&log_lock);
  log_text = g_string_new (NULL);
  g_mutex_unlock (&log_lock);
  gst_debug_remove_log_function (gst_debug_log_default);
  gst_debug_add_log_function (capture_log, NULL, NULL);
  gst_debug_set_active (TRUE);
  gst_debug_set_threshold_from_string (spec, TRUE);
}

gchar *
fixture_log_stop (void)
{
  gchar *text;

  gst_debug_set_threshold_from_string ("", TRUE);
  gst_debug_set_default_threshold (GST_LEVEL_NONE);
  gst_debug_remove_log_function (capture_log);
  gst_debug_add_log_function (gst_debug_log_default, NULL, NULL);
  g_mutex_lock (&log_lock);
  text = g_string_free (log_text, FALSE);
  log_text = NULL;
  g_mutex_unlock (&log_lock);
  return text;
}
