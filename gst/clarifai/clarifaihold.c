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
  gpointer result;
} HoldItem;

struct _ClarifaiHold
{
  GMutex lock;
  GCond cond;
  GQueue items;                 /* of HoldItem, in stream order */
  guint limit;                  /* most items held; 0: no limit */
  gboolean wait_for_room;       /* at the limit: the adder waits (not live),
                                 * or the head leaves early (live) */
  gpointer last_result;         /* of the last sampled item that left with
                                 * one: what the items behind it carry */
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
  GBoxedCopyFunc ref;
  GDestroyNotify unref;
  gpointer user_data;
};

static void
hold_item_free (ClarifaiHold * hold, HoldItem * item)
{
  gst_buffer_unref (item->buf);
  if (item->result)
    hold->unref (item->result);
  g_free (item);
}

static void
hold_clear_items (ClarifaiHold * hold)
{
  HoldItem *item;

  while ((item = g_queue_pop_head (&hold->items)))
    hold_item_free (hold, item);
}

static void
hold_forget_last (ClarifaiHold * hold)
{
  if (hold->last_result)
    hold->unref (g_steal_pointer (&hold->last_result));
}

static gboolean
hold_item_ready (const HoldItem * item, gint64 now)
{
  return !item->sampled || item->known || now >= item->deadline;
}

/* The result @item leaves with: its own when it is a sampled frame whose
 * result was OK, else that of the last sampled frame before it that had
 * one; never one of a later frame. */
static gpointer
hold_item_take_result (ClarifaiHold * hold, HoldItem * item)
{
  if (item->result) {
    hold_forget_last (hold);
    hold->last_result = hold->ref (item->result);
    return g_steal_pointer (&item->result);
  }
  return hold->last_result ? hold->ref (hold->last_result) : NULL;
}

static gpointer
hold_thread (gpointer data)
{
  ClarifaiHold *hold = data;

  g_mutex_lock (&hold->lock);
  while (!hold->stopping) {
    HoldItem *item = g_queue_peek_head (&hold->items);
    gpointer result;
    GstFlowReturn ret;
    guint generation;

    if (item == NULL) {
      g_cond_wait (&hold->cond, &hold->lock);
      continue;
    }
    /* Downstream said EOS or an error: nothing more goes to it until a
     * flush starts the stream afresh. */
    if (hold->flow != GST_FLOW_OK) {
      hold_clear_items (hold);
      g_cond_broadcast (&hold->cond);
      continue;
    }
    if (!hold_item_ready (item, g_get_monotonic_time ())) {
      g_cond_wait_until (&hold->cond, &hold->lock, item->deadline);
      continue;
    }
    g_queue_pop_head (&hold->items);
    result = hold_item_take_result (hold, item);
    hold->pushing = TRUE;
    generation = hold->generation;
    /* room for the adder that waits */
    g_cond_broadcast (&hold->cond);
    g_mutex_unlock (&hold->lock);

    ret = hold->push (gst_buffer_ref (item->buf), result, generation,
        hold->user_data);
    hold_item_free (hold, item);
    if (result)
      hold->unref (result);

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
 * @ref: takes a reference to a result: the hold shares the caller's
 *   results between the frames that carry one, it copies none
 * @unref: drops one
 * @user_data: for @push
 *
 * Returns: (transfer full): an empty hold whose thread runs until
 *   clarifai_hold_free().
 */
ClarifaiHold *
clarifai_hold_new (const gchar * name, ClarifaiHoldPush push,
    GBoxedCopyFunc ref, GDestroyNotify unref, gpointer user_data)
{
  ClarifaiHold *hold = g_new0 (ClarifaiHold, 1);

  g_mutex_init (&hold->lock);
  g_cond_init (&hold->cond);
  g_queue_init (&hold->items);
  hold->push = push;
  hold->ref = ref;
  hold->unref = unref;
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
  hold_clear_items (hold);
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->lock);
  g_thread_join (hold->thread);
  hold_forget_last (hold);
  g_cond_clear (&hold->cond);
  g_mutex_clear (&hold->lock);
  g_free (hold);
}

/**
 * clarifai_hold_set_limit:
 * @limit: the most buffers held (the frames of max-latency); 0: no limit
 * @wait_for_room: at the limit clarifai_hold_add() waits for the oldest to
 *   leave (a stream that is not live: back-pressure); otherwise the oldest
 *   leaves early, without its result (live: the source must not wait)
 */
void
clarifai_hold_set_limit (ClarifaiHold * hold, guint limit,
    gboolean wait_for_room)
{
  g_mutex_lock (&hold->lock);
  hold->limit = limit;
  hold->wait_for_room = wait_for_room;
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->lock);
}

/**
 * clarifai_hold_add:
 * @hold: the hold
 * @buf: (transfer full): the next buffer of the stream
 * @sampled: whether @buf waits for the result of @sample_id
 * @sample_id: its sample
 * @deadline: monotonic time (µs) after which it goes without its result
 *
 * Queues @buf; at the hold's limit, waits for room or lets the oldest go
 * early (clarifai_hold_set_limit()).  A flush ends a wait at once.
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
  while (hold->limit && hold->wait_for_room && !hold->flushing
      && !hold->stopping && hold->flow == GST_FLOW_OK
      && g_queue_get_length (&hold->items) >= hold->limit)
    g_cond_wait (&hold->cond, &hold->lock);
  ret = hold->flushing ? GST_FLOW_FLUSHING : hold->flow;
  if (ret != GST_FLOW_OK) {
    g_mutex_unlock (&hold->lock);
    gst_buffer_unref (buf);
    return ret;
  }
  /* live and at the limit: the oldest goes now, its result or not */
  if (hold->limit && g_queue_get_length (&hold->items) >= hold->limit)
    ((HoldItem *) g_queue_peek_head (&hold->items))->deadline = 0;
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
 * clarifai_hold_is_current:
 * @generation: what the push function was given
 *
 * Returns: %FALSE once a flush started after the buffer left the queue:
 *   it belongs to the stream before the flush and must not be pushed.
 */
gboolean
clarifai_hold_is_current (ClarifaiHold * hold, guint generation)
{
  gboolean current;

  g_mutex_lock (&hold->lock);
  current = !hold->flushing && generation == hold->generation;
  g_mutex_unlock (&hold->lock);
  return current;
}

/**
 * clarifai_hold_resolve:
 * @hold: the hold
 * @sample_id: the frame whose result is known
 * @result: (nullable): what it carries, when the result is OK (the hold
 *   takes a reference)
 *
 * Releases the frame of @sample_id if it is still held.
 */
void
clarifai_hold_resolve (ClarifaiHold * hold, guint64 sample_id, gpointer result)
{
  GList *l;

  g_mutex_lock (&hold->lock);
  for (l = hold->items.head; l; l = l->next) {
    HoldItem *item = l->data;

    if (item->sampled && item->sample_id == sample_id) {
      item->known = TRUE;
      if (result)
        item->result = hold->ref (result);
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
    hold_clear_items (hold);
    hold_forget_last (hold);
    hold->generation++;
  } else {
    hold->flow = GST_FLOW_OK;
  }
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->lock);
}
