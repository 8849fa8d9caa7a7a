/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_BENCH_H__
#define __CLARIFAI_BENCH_H__

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <turbojpeg.h>
#include <time.h>
#include <math.h>
#ifdef HAVE_MQTT
#include <mosquitto.h>
#endif

#include "clarifaiencoder.h"
#include "clarifaimeta.h"
#include "clarifaiserver.h"
#include "clarifaithumb.h"
#include "clarifaiv2.h"
#include "testutil.h"

#define ID "test-client-id"
#define SECRET "test-client-secret"
#define V2_PATH "/v2/users/clarifai/apps/main/models/general-image-recognition" \
    "/outputs"

/* A reference server in a process of its own. */
typedef struct
{
  GPid pid;
  gchar *url;
} ServerProcess;

/* A clarifaitag in a harness, its OK messages counted. */
typedef struct
{
  GstHarness *h;
  GstElement *tag;
  GstBus *bus;
  gint tagged;
} TaggedRun;

/* bench.c: clocks, statistics, caps, the server, tagged runs */
gdouble wall (void);
gdouble cpu (void);
gdouble median (gdouble * v, guint n);
gchar *video_caps (const gchar * format, guint w, guint h);
gboolean server_spawn (ServerProcess * sp, const gchar * const *extra);
void server_kill (ServerProcess * sp);
void tagged_run_start (TaggedRun * run, const gchar * desc,
    const gchar * caps);
void tagged_run_push (TaggedRun * run, GstBuffer * frame, guint i);
void tagged_run_stop (TaggedRun * run);

/* bench-frame.c */
gdouble run_ours (GstVideoFormat format, GstBuffer * frame,
    const GstVideoInfo * info, guint tw, guint th, guint n,
    gdouble * copy_time);
gdouble run_gst_pipeline (const gchar * desc, const gchar * caps,
    GstBuffer * frame, guint n);
void add_texture (GstBuffer * frame, const GstVideoInfo * info);
void bench_b1 (void);
void bench_b2 (void);
void bench_b13 (void);

/* bench-service.c */
void bench_b3 (void);
void bench_b4 (void);
void bench_b5 (void);
void bench_b6 (void);
void bench_b7 (void);

/* bench-output.c */
void bench_b8 (void);
void bench_b9 (void);

/* bench-reliability.c */
void bench_b15 (void);
void bench_b16 (void);

/* bench-models.c */
void bench_b12 (void);
void bench_b14 (void);

/* bench-camera.c */
void add_scene (GstBuffer * frame, const GstVideoInfo * info);
GstBuffer *scene_frame (GstVideoFormat format, guint w, guint h,
    GstVideoInfo * info);
void bench_b10 (void);
void bench_b11 (void);

#endif /* __CLARIFAI_BENCH_H__ */
