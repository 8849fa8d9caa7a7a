/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_TESTUTIL_H__
#define __CLARIFAI_TESTUTIL_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Frames and JPEGs with known content, made with GStreamer's converter and
 * libturbojpeg directly, not with the code under test.  @split_x is the
 * column where the colour changes from (r,g,b) to (r2,g2,b2). */
GstBuffer *test_frame (GstVideoFormat format, guint width, guint height,
    guint32 rgb, guint split_x, guint32 rgb2, GstVideoInfo * info);
GBytes *test_jpeg (guint width, guint height, guint32 rgb);
/* At quality 90, with libturbojpeg's chroma subsampling @subsamp. */
GBytes *test_split_jpeg (guint width, guint height, guint32 rgb,
    guint split_x, guint32 rgb2, int subsamp);
gchar *test_docid (GBytes * bytes);

/* A service that is down: a loopback listener that accepts every
 * connection and closes it at once, counting them. */
typedef struct _TestCloser TestCloser;

TestCloser *test_closer_new (guint * port);
guint test_closer_count (TestCloser * closer);
void test_closer_free (TestCloser * closer);

/* Removes @path and the files in it (not directories within). */
void test_remove_dir (const gchar * path);

G_END_DECLS

#endif /* __CLARIFAI_TESTUTIL_H__ */
