/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_TEST_FIXTURE_H__
#define __CLARIFAI_TEST_FIXTURE_H__

#include <gst/gst.h>
#include <gst/check/gstharness.h>

#include "clarifaiserver.h"

G_BEGIN_DECLS

/* The in-process reference server of the element checks, on a free
 * loopback port: started by fixture_server_setup() before each check,
 * freed after it (tcase_add_checked_fixture). */
extern ClarifaiServer *fixture_server;

void fixture_server_setup (void);
void fixture_server_teardown (void);

/* A harness around @el (transfer full) with raw or JPEG @caps; the
 * element's messages go to a bus of its own, *@bus. */
GstHarness *fixture_harness_new (GstElement * el, GstBus ** bus,
    const gchar * caps);
void fixture_harness_free (GstHarness * h, GstBus * bus);

/* Buffers in an element: counted in at its sink pad and out at its src
 * pad; most is the largest difference seen.  fixture_flight_watch() adds
 * the probes, which live as long as the pads. */
typedef struct
{
  gint in, out, most;
} FixtureFlight;

void fixture_flight_watch (GstElement * el, FixtureFlight * flight);
void fixture_flight_reset (FixtureFlight * flight);

/* Captures GStreamer's log, instead of printing it, at the thresholds of
 * @spec (as GST_DEBUG, e.g. "*:9"), one line per message:
 * "category file:line:function [object] text".  Stop returns the text. */
void fixture_log_start (const gchar * spec);
gchar *fixture_log_stop (void);

G_END_DECLS

#endif /* __CLARIFAI_TEST_FIXTURE_H__ */
