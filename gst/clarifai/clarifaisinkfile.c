/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* JSON lines appended to a file.  Each line goes out in one writev() on a
 * descriptor opened with O_APPEND, so that processes and elements sharing
 * the file never interleave within a line, and nothing is buffered in the
 * process. */

#include "clarifaisink.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 30000

typedef struct
{
  ClarifaiSink sink;
  gchar *path;
  gint fd;
  GMainContext *context;
  GSource *retry;
  guint backoff_ms;
  gboolean down;
  gboolean closed;              /* the pipe's reader is gone */
} ClarifaiSinkFile;

static void
file_start (ClarifaiSink * sink, GMainContext * context)
{
  ((ClarifaiSinkFile *) sink)->context = context;
}

static gboolean
file_ready (ClarifaiSink * sink)
{
  return ((ClarifaiSinkFile *) sink)->retry == NULL;
}

static gboolean
file_retry (gpointer data)
{
  ClarifaiSinkFile *f = data;

  g_clear_pointer (&f->retry, g_source_unref);
  f->sink.callbacks.ready (f->sink.user_data);
  return G_SOURCE_REMOVE;
}

/* Writes all of @iov; a short write (a pipe, a full disk) goes on where it
 * stopped. */
static gboolean
write_all (gint fd, struct iovec *iov, gint n, gint * err)
{
  while (n > 0) {
    ssize_t done = writev (fd, iov, n);

    if (done < 0) {
      if (errno == EINTR)
        continue;
      *err = errno;
      return FALSE;
    }
    while (n > 0 && (size_t) done >= iov->iov_len) {
      done -= iov->iov_len;
      iov++;
      n--;
    }
    if (n > 0) {
      iov->iov_base = (gchar *) iov->iov_base + done;
      iov->iov_len -= done;
    }
  }
  return TRUE;
}

static ClarifaiSinkResult
file_send (ClarifaiSink * sink, const gchar * line, gsize length, gpointer tag)
{
  ClarifaiSinkFile *f = (ClarifaiSinkFile *) sink;
  struct iovec iov[2] = {
    {(gpointer) line, length},
    {(gpointer) "\n", 1},
  };
  gint err = 0;

  if (f->closed)
    return CLARIFAI_SINK_FAILED;
  if (write_all (f->fd, iov, 2, &err)) {
    f->backoff_ms = 0;
    if (f->down) {
      f->down = FALSE;
      f->sink.callbacks.outage (NULL, f->sink.user_data);
    }
    return CLARIFAI_SINK_DELIVERED;
  }

  /* A pipe whose reader is gone (`| head`) will never take a line again:
   * an error, once, rather than an outage retried for ever. */
  if (err == EPIPE) {
    g_autoptr (GError) error = g_error_new (CLARIFAI_SINK_ERROR,
        CLARIFAI_SINK_ERROR_CLOSED, "cannot write to \"%s\": %s: its "
        "reader is gone", f->path, g_strerror (err));

    f->closed = TRUE;
    f->sink.callbacks.outage (error, f->sink.user_data);
    return CLARIFAI_SINK_FAILED;
  }
  /* A full disk: the line waits, and is tried again later, less and less
   * often. */
  f->backoff_ms = CLAMP (f->backoff_ms * 2, BACKOFF_MIN_MS, BACKOFF_MAX_MS);
  f->retry = g_timeout_source_new (f->backoff_ms);
  g_source_set_callback (f->retry, file_retry, f, NULL);
  g_source_attach (f->retry, f->context);
  if (!f->down) {
    g_autoptr (GError) error = g_error_new (CLARIFAI_SINK_ERROR,
        CLARIFAI_SINK_ERROR_UNREACHABLE, "cannot write to \"%s\": %s",
        f->path, g_strerror (err));

    f->down = TRUE;
    f->sink.callbacks.outage (error, f->sink.user_data);
  }
  return CLARIFAI_SINK_REFUSED;
}

static void
file_stop (ClarifaiSink * sink)
{
  ClarifaiSinkFile *f = (ClarifaiSinkFile *) sink;

  if (f->retry) {
    g_source_destroy (f->retry);
    g_clear_pointer (&f->retry, g_source_unref);
  }
}

static void
file_free (ClarifaiSink * sink)
{
  ClarifaiSinkFile *f = (ClarifaiSinkFile *) sink;

  close (f->fd);
  g_free (f->path);
  g_free (f);
}

static const ClarifaiSinkFuncs file_funcs = {
  file_start, file_ready, file_send, NULL, file_stop, file_free,
};

/**
 * clarifai_sink_file_open:
 * @uri: a `file://` URI of a local path
 *
 * Opens the file for appending, creating it if needed.
 */
ClarifaiSink *
clarifai_sink_file_open (GUri * uri, GError ** error)
{
  g_autofree gchar *text = g_uri_to_string (uri);
  g_autofree gchar *host = NULL;
  g_autofree gchar *path = g_filename_from_uri (text, &host, NULL);
  ClarifaiSinkFile *f;
  gint fd;

  if (path == NULL || (host && g_ascii_strcasecmp (host, "localhost") != 0)) {
    g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_URI,
        "\"%s\" is not a file:// URI of a local absolute path", text);
    return NULL;
  }
  fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) {
    gint err = errno;

    g_set_error (error, CLARIFAI_SINK_ERROR, CLARIFAI_SINK_ERROR_OPEN,
        "cannot open \"%s\" for appending: %s", path, g_strerror (err));
    return NULL;
  }
  f = g_new0 (ClarifaiSinkFile, 1);
  f->sink.funcs = &file_funcs;
  f->path = g_steal_pointer (&path);
  f->fd = fd;
  return &f->sink;
}
