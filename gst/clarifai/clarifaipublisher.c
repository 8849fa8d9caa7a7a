/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "clarifaipublisher.h"

#include <pthread.h>
#include <signal.h>

/* Lock order: the publisher's lock, then the stats lock. */
struct _ClarifaiPublisher
{
  ClarifaiSink *sink;
  gchar *source;
  gchar *api;
  guint queue_size;
  ClarifaiStats *stats;
  ClarifaiPublisherOutageFunc on_outage;
  gpointer user_data;

  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  GSource *pump;                /* ready when there is work for the sink */

  GMutex lock;
  GCond changed;
  GQueue queue;                 /* of ClarifaiRecord, oldest first */
  GHashTable *in_flight;        /* records handed to the sink, not yet
                                 * delivered */
  gboolean outage;
  gboolean stopped;
  guint flushing;               /* flush() calls waiting */
};

/* ---- on the publisher's thread ---- */

/* With the lock held: @record is done, delivered or not, and freed.  Only
 * results are counted; alerts are not in the stats. */
static void
record_done (ClarifaiPublisher * p, ClarifaiRecord * record, gboolean delivered)
{
  if (record->counted)
    clarifai_stats_publish_done (p->stats, delivered ? 1 : 0,
        delivered ? 0 : 1);
  clarifai_record_free (record);
  g_cond_broadcast (&p->changed);
}

static void
pump (ClarifaiPublisher * p)
{
  ClarifaiSink *sink = p->sink;

  if (sink->funcs->set_prompt) {
    gboolean prompt;

    g_mutex_lock (&p->lock);
    prompt = p->flushing > 0;
    g_mutex_unlock (&p->lock);
    sink->funcs->set_prompt (sink, prompt);
  }

  while (sink->funcs->ready (sink)) {
    ClarifaiRecord *record;
    ClarifaiSinkResult result;
    g_autofree gchar *line = NULL;
    gsize length;

    /* In flight from the moment it leaves the queue, so that it is always
     * somewhere; the sink may say it is delivered before send() returns. */
    g_mutex_lock (&p->lock);
    record = g_queue_pop_head (&p->queue);
    if (record)
      g_hash_table_add (p->in_flight, record);
    g_mutex_unlock (&p->lock);
    if (record == NULL)
      return;

    line = clarifai_record_to_json (record, p->source, p->api, &length);
    result = sink->funcs->send (sink, line, length, record);

    g_mutex_lock (&p->lock);
    if (result != CLARIFAI_SINK_IN_FLIGHT)
      g_hash_table_remove (p->in_flight, record);
    if (result == CLARIFAI_SINK_DELIVERED) {
      record_done (p, record, TRUE);
    } else if (result == CLARIFAI_SINK_FAILED) {
      record_done (p, record, FALSE);
    } else if (result == CLARIFAI_SINK_REFUSED) {
      /* Back in front; if the queue filled up meanwhile, it is the oldest
       * and goes. */
      if (g_queue_get_length (&p->queue) >= p->queue_size)
        record_done (p, record, FALSE);
      else
        g_queue_push_head (&p->queue, record);
    }
    g_mutex_unlock (&p->lock);
    if (result == CLARIFAI_SINK_REFUSED)
      return;
  }
}

static gboolean
pump_cb (gpointer data)
{
  pump (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
pump_dispatch (GSource * source, GSourceFunc callback, gpointer data)
{
  g_source_set_ready_time (source, -1);
  return callback (data);
}

static GSourceFuncs pump_funcs = {
  NULL, NULL, pump_dispatch, NULL, NULL, NULL
};

/* From any thread, with the lock held.  One source made ready again and
 * again: no allocation per result, a burst of results is one wake-up of
 * the thread, and nothing to send (or to tell the sink) is none. */
static void
schedule_pump_locked (ClarifaiPublisher * p)
{
  if (!p->stopped && (!g_queue_is_empty (&p->queue) || p->flushing > 0))
    g_source_set_ready_time (p->pump, 0);
}

static void
sink_delivered (gpointer tag, gpointer data)
{
  ClarifaiPublisher *p = data;
  ClarifaiRecord *record = tag;

  g_mutex_lock (&p->lock);
  if (g_hash_table_remove (p->in_flight, record))
    record_done (p, record, TRUE);
  schedule_pump_locked (p);
  g_mutex_unlock (&p->lock);
}

static void
sink_ready (gpointer data)
{
  ClarifaiPublisher *p = data;

  g_mutex_lock (&p->lock);
  schedule_pump_locked (p);
  g_mutex_unlock (&p->lock);
}

static void
sink_outage (const GError * error, gpointer data)
{
  ClarifaiPublisher *p = data;

  g_mutex_lock (&p->lock);
  p->outage = error != NULL;
  g_cond_broadcast (&p->changed);
  g_mutex_unlock (&p->lock);
  p->on_outage (error, p->user_data);
}

static gboolean
stop_cb (gpointer data)
{
  ClarifaiPublisher *p = data;

  p->sink->funcs->stop (p->sink);
  g_source_destroy (p->pump);
  g_main_loop_quit (p->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
publisher_thread (gpointer data)
{
  ClarifaiPublisher *p = data;
  sigset_t pipe_signal;

  /* A pipe whose reader is gone is an error of this thread's writes
   * (EPIPE), not a signal that ends the application. */
  sigemptyset (&pipe_signal);
  sigaddset (&pipe_signal, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &pipe_signal, NULL);

  g_main_context_push_thread_default (p->context);
  p->sink->funcs->start (p->sink, p->context);
  g_main_loop_run (p->loop);
  g_main_context_pop_thread_default (p->context);
  return NULL;
}

/* ---- from the element ---- */

/**
 * clarifai_publisher_new:
 * @sink: (transfer full): opened, not started
 * @source: the `source` member of every object
 * @stats: counts; outlives the publisher
 * @on_outage: called on the publisher's thread
 */
ClarifaiPublisher *
clarifai_publisher_new (ClarifaiSink * sink, const gchar * source,
    const gchar * api, guint queue_size, ClarifaiStats * stats,
    ClarifaiPublisherOutageFunc on_outage, gpointer user_data)
{
  ClarifaiPublisher *p = g_new0 (ClarifaiPublisher, 1);

  p->sink = sink;
  p->source = g_strdup (source);
  p->api = g_strdup (api);
  p->queue_size = MAX (queue_size, 1);
  p->stats = stats;
  p->on_outage = on_outage;
  p->user_data = user_data;
  g_mutex_init (&p->lock);
  g_cond_init (&p->changed);
  g_queue_init (&p->queue);
  p->in_flight = g_hash_table_new (NULL, NULL);

  sink->callbacks.delivered = sink_delivered;
  sink->callbacks.ready = sink_ready;
  sink->callbacks.outage = sink_outage;
  sink->user_data = p;

  p->context = g_main_context_new ();
  p->loop = g_main_loop_new (p->context, FALSE);
  p->pump = g_source_new (&pump_funcs, sizeof (GSource));
  g_source_set_callback (p->pump, pump_cb, p, NULL);
  g_source_attach (p->pump, p->context);
  /* 15 characters at most, or Linux keeps the creator's name */
  p->thread = g_thread_new ("clarifai-pub", publisher_thread, p);
  return p;
}

/**
 * clarifai_publisher_push:
 * @record: (transfer full): a result already counted in `publish-pending`,
 *   or an alert
 *
 * Never waits for the sink.
 */
void
clarifai_publisher_push (ClarifaiPublisher * p, ClarifaiRecord * record)
{
  g_mutex_lock (&p->lock);
  g_queue_push_tail (&p->queue, record);
  if (g_queue_get_length (&p->queue) > p->queue_size)
    record_done (p, g_queue_pop_head (&p->queue), FALSE);
  schedule_pump_locked (p);
  g_mutex_unlock (&p->lock);
}

/**
 * clarifai_publisher_flush:
 * @end_time: monotonic deadline (µs)
 *
 * Waits until every result counted as publish-pending is delivered or
 * dropped, unless the destination is unreachable.
 *
 * Returns: %TRUE if nothing is left
 */
gboolean
clarifai_publisher_flush (ClarifaiPublisher * p, gint64 end_time)
{
  gboolean done;

  /* The stats' count, not the queue: a result is counted before it is
   * pushed. */
  g_mutex_lock (&p->lock);
  p->flushing++;
  schedule_pump_locked (p);
  while (!p->outage && clarifai_stats_get_publish_pending (p->stats) > 0)
    if (!g_cond_wait_until (&p->changed, &p->lock, end_time))
      break;
  done = clarifai_stats_get_publish_pending (p->stats) == 0;
  p->flushing--;
  schedule_pump_locked (p);
  g_mutex_unlock (&p->lock);
  return done;
}

/**
 * clarifai_publisher_free:
 *
 * Stops at once: what is not delivered by now is counted as dropped.
 *
 * Returns: how many results (not alerts) that was
 */
guint64
clarifai_publisher_free (ClarifaiPublisher * p)
{
  GSource *source;
  GHashTableIter iter;
  gpointer record;
  guint64 lost;

  g_mutex_lock (&p->lock);
  p->stopped = TRUE;
  g_mutex_unlock (&p->lock);

  source = g_idle_source_new ();
  g_source_set_callback (source, stop_cb, p, NULL);
  g_source_attach (source, p->context);
  g_source_unref (source);
  g_thread_join (p->thread);

  g_mutex_lock (&p->lock);
  lost = 0;
  g_hash_table_iter_init (&iter, p->in_flight);
  while (g_hash_table_iter_next (&iter, &record, NULL))
    g_queue_push_tail (&p->queue, record);
  g_hash_table_remove_all (p->in_flight);
  while ((record = g_queue_pop_head (&p->queue))) {
    lost += ((ClarifaiRecord *) record)->counted;
    record_done (p, record, FALSE);
  }
  g_mutex_unlock (&p->lock);
  g_hash_table_unref (p->in_flight);

  p->sink->funcs->free (p->sink);
  g_source_unref (p->pump);
  g_main_loop_unref (p->loop);
  g_main_context_unref (p->context);
  g_cond_clear (&p->changed);
  g_mutex_clear (&p->lock);
  g_free (p->source);
  g_free (p->api);
  g_free (p);
  return lost;
}
