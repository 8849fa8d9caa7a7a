/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "clarifaihold.h"

typedef struct
{
  GstBuffer *buf;
  gboolean sampled;
  guint64 sample_id;
  gint64 deadline;              /* monotonic µs */
  gboolean known;
  GstStructure *result;
} HoldItem;

struct _ClarifaiHold
{
  GMutex lock;
  GCond cond;
  GQueue items;                 /* of HoldItem, in stream order */
  gboolean pushing;             /* the thread is sending one downstream */
  gboolean flushing;
  gboolean stopping;
  /* Sticky: the first flow other than OK that downstream returned since
   * the last flush.  generation tells a push that started before a flush,
   * whose FLUSHING must not outlive it. */
  GstFlowReturn flow;
  guint generation;
  GThread *thread;
  ClarifaiHoldPush push;
  gpointer user_data;
};

static void
hold_item_free (HoldItem * item)
{
  gst_buffer_unref (item->buf);
  if (item->result)
    gst_structure_free (item->result);
  g_free (item);
}

static gboolean
hold_item_ready (const HoldItem * item, gint64 now)
{
  return !item->sampled || item->known || now >= item->deadline;
}

static gpointer
hold_thread (gpointer data)
{
  ClarifaiHold *hold = data;

  g_mutex_lock (&hold->lock);
  while (!hold->stopping) {
    HoldItem *item = g_queue_peek_head (&hold->items);
    GstFlowReturn ret;
    guint generation;

    if (item == NULL) {
      g_cond_wait (&hold->cond, &hold->lock);
      continue;
    }
    if (!hold_item_ready (item, g_get_monotonic_time ())) {
      g_cond_wait_until (&hold->cond, &hold->lock, item->deadline);
      continue;
    }
    g_queue_pop_head (&hold->items);
    hold->pushing = TRUE;
    generation = hold->generation;
    g_mutex_unlock (&hold->lock);

    ret = hold->push (gst_buffer_ref (item->buf), item->result,
        hold->user_data);
    hold_item_free (item);

    g_mutex_lock (&hold->lock);
    hold->pushing = FALSE;
    if (ret != GST_FLOW_OK && hold->flow == GST_FLOW_OK
        && generation == hold->generation)
      hold->flow = ret;
    g_cond_broadcast (&hold->cond);
  }
  g_mutex_unlock (&hold->lock);
  return NULL;
}

/**
 * clarifai_hold_new:
 * @name: of the thread
 * @push: sends a released buffer downstream
 * @user_data: for @push
 *
 * Returns: (transfer full): an empty hold whose thread runs until
 *   clarifai_hold_free().
 */
ClarifaiHold *
clarifai_hold_new (const gchar * name, ClarifaiHoldPush push,
    gpointer user_data)
{
  ClarifaiHold *hold = g_new0 (ClarifaiHold, 1);

  g_mutex_init (&hold->lock);
  g_cond_init (&hold->cond);
  g_queue_init (&hold->items);
  hold->push = push;
  hold->user_data = user_data;
  hold->flow = GST_FLOW_OK;
  hold->thread = g_thread_new (name, hold_thread, hold);
  return hold;
}

/* Drops what is held; a push under way finishes first.  The caller makes
 * sure that push returns (the pad it goes to is flushing or inactive). */
void
clarifai_hold_free (ClarifaiHold * hold)
{
  g_mutex_lock (&hold->lock);
  hold->stopping = TRUE;
  g_queue_clear_full (&hold->items, (GDestroyNotify) hold_item_free);
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->lock);
  g_thread_join (hold->thread);
  g_cond_clear (&hold->cond);
  g_mutex_clear (&hold->lock);
  g_free (hold);
}

/**
 * clarifai_hold_add:
 * @hold: the hold
 * @buf: (transfer full): the next buffer of the stream
 * @sampled: whether @buf waits for the result of @sample_id
 * @sample_id: its sample
 * @deadline: monotonic time (µs) after which it goes without its result
 *
 * Returns: %GST_FLOW_OK, or what stops the stream: the flow downstream
 *   returned for a buffer released earlier, or %GST_FLOW_FLUSHING (@buf is
 *   then dropped).
 */
GstFlowReturn
clarifai_hold_add (ClarifaiHold * hold, GstBuffer * buf, gboolean sampled,
    guint64 sample_id, gint64 deadline)
{
  HoldItem *item;
  GstFlowReturn ret;

  g_mutex_lock (&hold->lock);
  ret = hold->flushing ? GST_FLOW_FLUSHING : hold->flow;
  if (ret != GST_FLOW_OK) {
    g_mutex_unlock (&hold->lock);
    gst_buffer_unref (buf);
    return ret;
  }
  item = g_new0 (HoldItem, 1);
  item->buf = buf;
  item->sampled = sampled;
  item->sample_id = sample_id;
  item->deadline = deadline;
  g_queue_push_tail (&hold->items, item);
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->lock);
  return GST_FLOW_OK;
}

/* Whether a buffer must queue behind others rather than pass at once. */
gboolean
clarifai_hold_is_busy (ClarifaiHold * hold)
{
  gboolean busy;

  g_mutex_lock (&hold->lock);
  busy = hold->pushing || !g_queue_is_empty (&hold->items);
  g_mutex_unlock (&hold->lock);
  return busy;
}

GstFlowReturn
clarifai_hold_get_flow (ClarifaiHold * hold)
{
  GstFlowReturn ret;

  g_mutex_lock (&hold->lock);
  ret = hold->flushing ? GST_FLOW_FLUSHING : hold->flow;
  g_mutex_unlock (&hold->lock);
  return ret;
}

/**
 * clarifai_hold_resolve:
 * @hold: the hold
 * @sample_id: the frame whose result is known
 * @result: (nullable): the meta it carries, when the result is OK
 *
 * Releases the frame of @sample_id if it is still held.
 */
void
clarifai_hold_resolve (ClarifaiHold * hold, guint64 sample_id,
    const GstStructure * result)
{
  GList *l;

  g_mutex_lock (&hold->lock);
  for (l = hold->items.head; l; l = l->next) {
    HoldItem *item = l->data;

    if (item->sampled && item->sample_id == sample_id) {
      item->known = TRUE;
      if (result)
        item->result = gst_structure_copy (result);
      g_cond_broadcast (&hold->cond);
      break;
    }
  }
  g_mutex_unlock (&hold->lock);
}

/**
 * clarifai_hold_drain:
 * @hold: the hold
 *
 * Waits until every held buffer has been sent, so that a serialized event
 * or query keeps its place in the stream.  Bounded by the deadlines and by
 * downstream.
 *
 * Returns: %GST_FLOW_OK once all is sent; %GST_FLOW_FLUSHING when a flush
 *   cut it short; the flow downstream returned when that stopped it.
 */
GstFlowReturn
clarifai_hold_drain (ClarifaiHold * hold)
{
  GstFlowReturn ret;

  g_mutex_lock (&hold->lock);
  while ((hold->pushing || !g_queue_is_empty (&hold->items))
      && !hold->flushing && hold->flow == GST_FLOW_OK)
    g_cond_wait (&hold->cond, &hold->lock);
  ret = hold->flushing ? GST_FLOW_FLUSHING : hold->flow;
  g_mutex_unlock (&hold->lock);
  return ret;
}

/**
 * clarifai_hold_set_flushing:
 * @hold: the hold
 * @flushing: %TRUE drops what is held and refuses more until %FALSE
 *
 * %FALSE also forgets the sticky flow: the stream starts afresh.
 */
void
clarifai_hold_set_flushing (ClarifaiHold * hold, gboolean flushing)
{
  g_mutex_lock (&hold->lock);
  hold->flushing = flushing;
  if (flushing) {
    g_queue_clear_full (&hold->items, (GDestroyNotify) hold_item_free);
    hold->generation++;
  } else {
    hold->flow = GST_FLOW_OK;
  }
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->lock);
}
