/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_VECTOR_H__
#define __CLARIFAI_VECTOR_H__

#include <glib.h>

/* The code in the compiler's generic vectors (clarifairesample.c,
 * clarifaicolour.c) is built twice on x86-64: for AVX2 (32-byte
 * operations, 32-bit multiplies) and for the baseline (SSE2), and the
 * loader picks one for the machine.  The helpers such an entry point
 * calls are G_ALWAYS_INLINE, so that they are built for each.
 * CLARIFAI_NO_TARGET_CLONES builds the baseline alone, for the tests. */
#if defined(__x86_64__) && defined(__linux__) \
    && !defined(CLARIFAI_NO_TARGET_CLONES)
#define CLARIFAI_TARGET_CLONES \
  __attribute__ ((target_clones ("avx2", "default")))
#else
#define CLARIFAI_TARGET_CLONES
#endif

/* Whether the wide (AVX2) build runs on this machine.  On x86-64 without
 * AVX2, the baseline build scales packed RGB slower than GstVideoConverter
 * (B2 BGRx: 4.7 ms against 3.0), so it is left to the converter there.
 * Elsewhere (NEON) the generic vectors are taken as they come. */
static inline gboolean
clarifai_vector_is_wide (void)
{
#if defined(__x86_64__) && defined(__linux__) \
    && !defined(CLARIFAI_NO_TARGET_CLONES)
  return __builtin_cpu_supports ("avx2");
#elif defined(__x86_64__)
  return FALSE;
#else
  return TRUE;
#endif
}

/* @v in every lane of a vector of type @T.  Made once, out of the loops:
 * SSE2, which has no broadcast, builds it through memory. */
#define CLARIFAI_SPLAT(T, v) (((T) { 0 }) + (v))

#endif /* __CLARIFAI_VECTOR_H__ */
