/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "fixture.h"

ClarifaiServer *fixture_server;

void
fixture_server_setup (void)
{
  GError *err = NULL;

  fixture_server = clarifai_server_new ();
  if (!clarifai_server_start (fixture_server, "127.0.0.1", 0, &err))
    g_error ("the reference server does not start: %s", err->message);
}

void
fixture_server_teardown (void)
{
  g_clear_pointer (&fixture_server, clarifai_server_free);
}
