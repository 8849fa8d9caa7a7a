/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __CLARIFAI_OUTPUT_H__
#define __CLARIFAI_OUTPUT_H__

#include "clarifaijsondoc.h"
#include "clarifairesult.h"

G_BEGIN_DECLS

void clarifai_output_read (ClarifaiItemResult * item,
    const ClarifaiJsonDoc * doc, gint output);

G_END_DECLS

#endif /* __CLARIFAI_OUTPUT_H__ */
