/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "testutil.h"

#include <glib/gstdio.h>

#include <turbojpeg.h>

static void
fill_rgb (guint8 * data, gint stride, guint width, guint height, guint32 rgb,
    guint split_x, guint32 rgb2)
{
  guint x, y;

  for (y = 0; y < height; y++) {
    guint8 *row = data + y * stride;

    for (x = 0; x < width; x++) {
      guint32 c = x < split_x ? rgb : rgb2;

      row[3 * x] = c >> 16;
      row[3 * x + 1] = c >> 8;
      row[3 * x + 2] = c;
    }
  }
}

GstBuffer *
test_frame (GstVideoFormat format, guint width, guint height, guint32 rgb,
    guint split_x, guint32 rgb2, GstVideoInfo * info)
{
  GstVideoInfo rgb_info;
  GstBuffer *in, *out;
  GstVideoFrame in_frame, out_frame;
  GstVideoConverter *convert;

  gst_video_info_set_format (&rgb_info, GST_VIDEO_FORMAT_RGB, width, height);
  gst_video_info_set_format (info, format, width, height);
  in = gst_buffer_new_allocate (NULL, rgb_info.size, NULL);
  out = gst_buffer_new_allocate (NULL, info->size, NULL);
  g_assert_true (gst_video_frame_map (&in_frame, &rgb_info, in, GST_MAP_WRITE));
  fill_rgb (GST_VIDEO_FRAME_PLANE_DATA (&in_frame, 0),
      GST_VIDEO_FRAME_PLANE_STRIDE (&in_frame, 0), width, height, rgb,
      split_x, rgb2);
  g_assert_true (gst_video_frame_map (&out_frame, info, out, GST_MAP_WRITE));
  convert = gst_video_converter_new (&rgb_info, info, NULL);
  gst_video_converter_frame (convert, &in_frame, &out_frame);
  gst_video_converter_free (convert);
  gst_video_frame_unmap (&in_frame);
  gst_video_frame_unmap (&out_frame);
  gst_buffer_unref (in);
  return out;
}

GBytes *
test_split_jpeg (guint width, guint height, guint32 rgb, guint split_x,
    guint32 rgb2, int subsamp)
{
  tjhandle tj = tjInitCompress ();
  guint8 *pixels = g_malloc ((gsize) width * height * 3);
  guchar *jpeg = NULL;
  unsigned long size = 0;
  GBytes *bytes;

  fill_rgb (pixels, width * 3, width, height, rgb, split_x, rgb2);
  g_assert_cmpint (tjCompress2 (tj, pixels, width, width * 3, height,
          TJPF_RGB, &jpeg, &size, subsamp, 90, 0), ==, 0);
  bytes = g_bytes_new (jpeg, size);
  tjFree (jpeg);
  g_free (pixels);
  tjDestroy (tj);
  return bytes;
}

GBytes *
test_jpeg (guint width, guint height, guint32 rgb)
{
  return test_split_jpeg (width, height, rgb, width, rgb, TJSAMP_420);
}

/* The docid the service gives @bytes: their MD5, hex, no leading zeros. */
gchar *
test_docid (GBytes * bytes)
{
  g_autofree gchar *md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5,
      bytes);
  const gchar *s = md5;

  while (*s == '0' && s[1])
    s++;
  return g_strdup (s);
}

struct _TestCloser
{
  GSocket *socket;
  GCancellable *cancellable;
  GThread *thread;
  gint accepted;
};

static gpointer
close_connections (gpointer data)
{
  TestCloser *c = data;
  GSocket *conn;

  while ((conn = g_socket_accept (c->socket, c->cancellable, NULL))) {
    g_atomic_int_inc (&c->accepted);
    g_socket_close (conn, NULL);
    g_object_unref (conn);
  }
  return NULL;
}

/**
 * test_closer_new:
 * @port: (out): the ephemeral loopback port it listens on
 */
TestCloser *
test_closer_new (guint * port)
{
  TestCloser *c = g_new0 (TestCloser, 1);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback
      (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  c->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, NULL);
  c->cancellable = g_cancellable_new ();
  if (!g_socket_bind (c->socket, any, TRUE, NULL)
      || !g_socket_listen (c->socket, NULL))
    g_error ("cannot listen on loopback");
  bound = g_socket_get_local_address (c->socket, NULL);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  c->thread = g_thread_new ("closer", close_connections, c);
  return c;
}

guint
test_closer_count (TestCloser * c)
{
  return g_atomic_int_get (&c->accepted);
}

void
test_closer_free (TestCloser * c)
{
  g_cancellable_cancel (c->cancellable);
  g_thread_join (c->thread);
  g_object_unref (c->socket);
  g_object_unref (c->cancellable);
  g_free (c);
}

void
test_remove_dir (const gchar * path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree gchar *file = g_build_filename (path, name, NULL);

    g_unlink (file);
  }
  g_rmdir (path);
}
