/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* clarifai-reference-server: the reference server as a program, for the
 * demo and for trying the element by hand. */

#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>

#include "clarifaiserver.h"

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  gchar *address = NULL, *client_id = NULL, *client_secret = NULL;
  gchar *tls_cert = NULL, *tls_key = NULL, *api_key = NULL;
  gchar **faults = NULL;
  gint port = 0, delay_ms = 0, max_batch = 128, max_size = 1024, min_size = 0;
  gdouble ttl = 36000;
  gboolean no_info = FALSE;
  GOptionEntry entries[] = {
    {"address", 'a', 0, G_OPTION_ARG_STRING, &address,
        "Loopback address to listen on (default 127.0.0.1)", "ADDR"},
    {"port", 'p', 0, G_OPTION_ARG_INT, &port,
        "Port to listen on (default 0: any free port)", "PORT"},
    {"client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
        "Client id the token endpoint accepts (default test-client-id)", "ID"},
    {"client-secret", 0, 0, G_OPTION_ARG_STRING, &client_secret,
          "Client secret it accepts (default test-client-secret)",
        "SECRET"},
    {"api-key", 0, 0, G_OPTION_ARG_STRING, &api_key,
        "v2 key (personal access token) it accepts (default "
          CLARIFAI_SERVER_DEFAULT_API_KEY ")", "KEY"},
    {"token-ttl", 0, 0, G_OPTION_ARG_DOUBLE, &ttl,
        "Lifetime of issued tokens in seconds (default 36000)", "SECONDS"},
    {"delay-ms", 0, 0, G_OPTION_ARG_INT, &delay_ms,
          "Hold every tag answer (v1 and v2) back this long (default 0)",
        "MS"},
    {"max-batch-size", 0, 0, G_OPTION_ARG_INT, &max_batch,
        "max_batch_size reported by /v1/info/, and v2's limit of inputs "
          "per request (default 128)", "N"},
    {"max-image-size", 0, 0, G_OPTION_ARG_INT, &max_size,
        "max_image_size reported by /v1/info/ (default 1024)", "PX"},
    {"min-image-size", 0, 0, G_OPTION_ARG_INT, &min_size,
        "min_image_size reported by /v1/info/ (default 0)", "PX"},
    {"no-info", 0, 0, G_OPTION_ARG_NONE, &no_info,
        "Answer /v1/info/ with 404, like a server without it", NULL},
    {"tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
        "Serve https:// with this PEM certificate", "FILE"},
    {"tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
        "and this PEM private key", "FILE"},
    {"fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
          "Inject a fault into the next COUNT (0: all) tag answers (v1 "
          "/v1/tag/ and v2 outputs); PARAM is seconds for throttle, ms for "
          "slow, N for key-revoked, the code for unknown-code. Repeatable. "
          "Names: throttle, throttle-no-header, token-expired, "
          "token-invalid, token-app-invalid (on /v1/token/), vision-error, "
          "unavailable, slow, close, malformed, truncated, huge, "
          "wrong-content-type, missing-result, wrong-ids, no-ids, partial, "
          "non-utf8, try-again (v2), reverse (v2), key-revoked (v2: the key "
          "is refused after N more requests), unknown-code (v2), "
          "token-slow (on /v1/token/: PARAM ms late), info-slow (on "
          "/v1/info/: PARAM ms late)",
        "NAME[:COUNT[:PARAM]]"},
    {NULL}
  };
  g_autoptr (GOptionContext) ctx =
      g_option_context_new ("- local Clarifai v1 and v2 reference server");
  g_autoptr (GError) err = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  ClarifaiServer *srv;
  guint i;

  g_option_context_set_summary (ctx,
      "A test double of the Clarifai v2 API (POST .../models/{id}/outputs "
      "with\nAuthorization: Key) and of v1 (/v1/token/, /v1/tag/, /v1/info/) "
      "for\nclarifaitag's tests and demo. It is not Clarifai: "
      "it tags images with the\nnames of their dominant colours. It listens "
      "on loopback only and prints\nits base URL, to use as api-url, on "
      "standard output.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    fprintf (stderr, "clarifai-reference-server: %s\n", err->message);
    return 2;
  }
  if (port < 0 || port > 65535 || delay_ms < 0 || max_batch < 0
      || max_size < 0 || min_size < 0 || !(ttl > 0)) {
    fprintf (stderr, "clarifai-reference-server: option out of range\n");
    return 2;
  }

  srv = clarifai_server_new ();
  if (client_id || client_secret)
    clarifai_server_set_credentials (srv,
        client_id ? client_id : "test-client-id",
        client_secret ? client_secret : "test-client-secret");
  if (api_key)
    clarifai_server_set_api_key (srv, api_key);
  clarifai_server_set_token_ttl (srv, ttl);
  clarifai_server_set_delay (srv, delay_ms);
  clarifai_server_set_info (srv, !no_info, max_batch, max_size, min_size,
      10485760);
  for (i = 0; faults && faults[i]; i++) {
    g_auto (GStrv) parts = g_strsplit (faults[i], ":", 3);
    ClarifaiServerFault fault = clarifai_server_fault_from_name (parts[0]);

    if (fault == CLARIFAI_SERVER_FAULT_NONE) {
      fprintf (stderr, "clarifai-reference-server: unknown fault '%s'\n",
          parts[0]);
      return 2;
    }
    clarifai_server_add_fault (srv, fault,
        parts[1] ? atoi (parts[1]) : 1, parts[1] && parts[2] ?
        atoi (parts[2]) : 0);
  }
  if (tls_cert && !clarifai_server_set_tls (srv, tls_cert,
          tls_key ? tls_key : tls_cert, &err)) {
    fprintf (stderr, "clarifai-reference-server: %s\n", err->message);
    return 1;
  }
  if (!clarifai_server_start (srv, address, port, &err)) {
    fprintf (stderr, "clarifai-reference-server: %s\n", err->message);
    clarifai_server_free (srv);
    return 1;
  }
  printf ("%s\n", clarifai_server_get_url (srv));
  fflush (stdout);

  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);

  clarifai_server_free (srv);
  g_free (address);
  g_free (client_id);
  g_free (client_secret);
  g_free (tls_cert);
  g_free (tls_key);
  g_free (api_key);
  g_strfreev (faults);
  return 0;
}
