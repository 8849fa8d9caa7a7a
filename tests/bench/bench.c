/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* clarifaitag benchmarks.  Each figure is measured against a baseline in the
 * same run and printed with the ratio; absolute times are context only.
 *
 *   clarifai-bench [b1|b2|b3|b4|b5|b6|b7|b8|b9|b10|b11|b15|b16|all]
 *
 * B9 compares publishing to a file and to mosquitto with none.
 *
 * B2 includes the cost of building a v2 request per frame; B3 runs for v1
 * and for v2; B7 (a minute) counts an outage's connections.
 *
 * See docs/performance.md for what each figure means and the goals. */

#include "bench.h"

/* ---- shared by the benchmarks ---- */

gdouble
wall (void)
{
  return g_get_monotonic_time () / 1e6;
}

gdouble
cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static gint
cmp_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return (x > y) - (x < y);
}

gdouble
median (gdouble * v, guint n)
{
  qsort (v, n, sizeof (gdouble), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

gchar *
video_caps (const gchar * format, guint w, guint h)
{
  return g_strdup_printf ("video/x-raw,format=%s,width=%u,height=%u,"
      "framerate=30/1", format, w, h);
}

gboolean
server_spawn (ServerProcess * sp, const gchar * const *extra)
{
  const gchar *exe = g_getenv ("CLARIFAI_REFERENCE_SERVER");
  GPtrArray *argv = g_ptr_array_new ();
  gint out_fd;
  gchar line[256];
  gssize n;
  gsize got = 0;

  g_ptr_array_add (argv, (gpointer) (exe ? exe :
          "build/tests/server/clarifai-reference-server"));
  g_ptr_array_add (argv, (gpointer) "--port=0");
  for (; extra && *extra; extra++)
    g_ptr_array_add (argv, (gpointer) * extra);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_async_with_pipes (NULL, (gchar **) argv->pdata, NULL,
          G_SPAWN_DEFAULT, NULL, NULL, &sp->pid, NULL, &out_fd, NULL, NULL)) {
    g_ptr_array_unref (argv);
    return FALSE;
  }
  g_ptr_array_unref (argv);
  while (got < sizeof (line) - 1 && (n = read (out_fd, line + got, 1)) > 0
      && line[got] != '\n')
    got++;
  line[got] = '\0';
  close (out_fd);
  sp->url = g_strdup (line);
  return g_str_has_prefix (line, "http");
}

void
server_kill (ServerProcess * sp)
{
  kill (sp->pid, SIGTERM);
  waitpid (sp->pid, NULL, 0);
  g_spawn_close_pid (sp->pid);
  g_free (sp->url);
}

/* A sync handler counting the frames tagged OK. */
static GstBusSyncReply
count_tagged (GstBus * bus, GstMessage * msg, gpointer data)
{
  const GstStructure *s = gst_message_get_structure (msg);

  if (s && gst_structure_has_name (s, "clarifai-tags")
      && g_str_equal (gst_structure_get_string (s, "status"), "OK"))
    g_atomic_int_inc ((gint *) data);
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

/**
 * tagged_run_start:
 * @desc: a clarifaitag named "tag"
 *
 * Puts @desc in a harness with @caps and counts its OK messages in
 * run->tagged; waits 200 ms, so that v1's token and /v1/info/ are
 * fetched before the first frame.
 */
void
tagged_run_start (TaggedRun * run, const gchar * desc, const gchar * caps)
{
  run->h = gst_harness_new_parse (desc);
  run->tag = gst_bin_get_by_name (GST_BIN (run->h->element), "tag");
  run->bus = gst_bus_new ();
  run->tagged = 0;
  gst_bus_set_sync_handler (run->bus, count_tagged, &run->tagged, NULL);
  gst_element_set_bus (run->tag, run->bus);
  gst_harness_set_src_caps_str (run->h, caps);
  g_usleep (200 * 1000);
}

/* Frame @i of a 30 fps stream: a copy of @frame, pushed and pulled. */
void
tagged_run_push (TaggedRun * run, GstBuffer * frame, guint i)
{
  GstBuffer *buf = gst_buffer_copy (frame);

  GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i, GST_SECOND, 30);
  gst_buffer_unref (gst_harness_push_and_pull (run->h, buf));
}

void
tagged_run_stop (TaggedRun * run)
{
  gst_harness_teardown (run->h);
  gst_clear_object (&run->tag);
  gst_object_unref (run->bus);
}

int
main (int argc, char **argv)
{
  const gchar *which = argc > 1 ? argv[1] : "all";
  gboolean all = g_str_equal (which, "all");

  gst_init (&argc, &argv);
  if (all || g_str_equal (which, "b1"))
    bench_b1 ();
  if (all || g_str_equal (which, "b2"))
    bench_b2 ();
  if (all || g_str_equal (which, "b3"))
    bench_b3 ();
  if (all || g_str_equal (which, "b4"))
    bench_b4 ();
  if (all || g_str_equal (which, "b5"))
    bench_b5 ();
  if (all || g_str_equal (which, "b6"))
    bench_b6 ();
  if (all || g_str_equal (which, "b7"))
    bench_b7 ();
  if (all || g_str_equal (which, "b12"))
    bench_b12 ();
  if (all || g_str_equal (which, "b13"))
    bench_b13 ();
  if (all || g_str_equal (which, "b14"))
    bench_b14 ();
  if (all || g_str_equal (which, "b15"))
    bench_b15 ();
  if (all || g_str_equal (which, "b16"))
    bench_b16 ();
  if (all || g_str_equal (which, "b8"))
    bench_b8 ();
  if (all || g_str_equal (which, "b9"))
    bench_b9 ();
  if (all || g_str_equal (which, "b10"))
    bench_b10 ();
  if (all || g_str_equal (which, "b11"))
    bench_b11 ();
  return 0;
}
