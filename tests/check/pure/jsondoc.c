/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The one-pass JSON reader of v2 answers: what RFC 8259 refuses is
 * refused, strings come out unescaped and valid, numbers exact. */

#include <string.h>

#include "clarifaijsondoc.h"
#include "clarifaiprotocol.h"

static ClarifaiJsonDoc *
parse (const gchar * text)
{
  g_autoptr (GError) err = NULL;
  ClarifaiJsonDoc *doc = clarifai_json_doc_parse (text, strlen (text), &err);

  g_assert_no_error (err);
  return doc;
}

static void
test_refused (void)
{
  const gchar *bodies[] = { " ", "[1]", "\"a\"", "{} {}", "{}x", "{\"a\":}",
    "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":\"\\x\"}",
    "{\"a\":\"\\u12\"}", "{\"a\":\"\x01\"}", "{\"a\":tru}", "{\"a\" 1}",
    "{\"a\":1,}", "{\"a\":[1,]}", "{a:1}", "{\"a\":\"x", "{\"a\":[1 2]}",
    "<html>",
  };
  GString *deep = g_string_new ("{\"a\":");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bodies); i++) {
    g_autoptr (GError) err = NULL;

    g_assert_null (clarifai_json_doc_parse (bodies[i], strlen (bodies[i]),
            &err));
    g_assert_error (err, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED);
  }
  for (i = 0; i < 300; i++)
    g_string_append_c (deep, '[');
  for (i = 0; i < 300; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_null (clarifai_json_doc_parse (deep->str, deep->len, NULL));
  g_string_free (deep, TRUE);
  g_assert_null (clarifai_json_doc_parse ("", 0, NULL));
  g_assert_null (clarifai_json_doc_parse (NULL, 0, NULL));
}

static void
test_strings (void)
{
  g_autoptr (ClarifaiJsonDoc) doc = parse ("{\"plain\": \"red\", \"esc\": "
      "\"a\\\"b\\\\c\\/d\\n\", \"e\": \"\\u00e9\", \"pair\": \"\\ud83d\\ude00\", "
      "\"lone\": \"\\ud800x\", \"nul\": \"a\\u0000b\", \"bad\": \"\xff\xfe\", "
      "\"a\\u0062\": 7, \"num\": 5}");
  g_autofree gchar *plain = clarifai_json_doc_member_string (doc, 0, "plain");
  g_autofree gchar *esc = clarifai_json_doc_member_string (doc, 0, "esc");
  g_autofree gchar *e = clarifai_json_doc_member_string (doc, 0, "e");
  g_autofree gchar *pair = clarifai_json_doc_member_string (doc, 0, "pair");
  g_autofree gchar *lone = clarifai_json_doc_member_string (doc, 0, "lone");
  g_autofree gchar *nul = clarifai_json_doc_member_string (doc, 0, "nul");
  g_autofree gchar *bad = clarifai_json_doc_member_string (doc, 0, "bad");
  GStringChunk *spill = NULL;
  const gchar *id = clarifai_json_doc_id (doc,
      clarifai_json_doc_member (doc, 0, "num"), &spill);
  gdouble v = 0;

  g_assert_cmpstr (plain, ==, "red");
  g_assert_cmpstr (esc, ==, "a\"b\\c/d\n");
  g_assert_cmpstr (e, ==, "\xc3\xa9");
  g_assert_cmpstr (pair, ==, "\xf0\x9f\x98\x80");
  g_assert_cmpstr (lone, ==, "\xef\xbf\xbdx");
  g_assert_cmpstr (nul, ==, "a\xef\xbf\xbd" "b");
  g_assert_true (g_utf8_validate (bad, -1, NULL));
  /* an escaped member name is found by its text */
  g_assert_true (clarifai_json_doc_double (doc,
          clarifai_json_doc_member (doc, 0, "ab"), &v));
  g_assert_cmpfloat (v, ==, 7);
  g_assert_cmpstr (id, ==, "5");
  g_assert_null (spill);
  g_assert_null (clarifai_json_doc_member_string (doc, 0, "num"));
  g_assert_cmpint (clarifai_json_doc_member (doc, 0, "none"), ==, -1);
}

/* Numbers come out as g_ascii_strtod() reads them, fast path or not. */
static void
test_numbers (void)
{
  const gchar *numbers[] = { "0", "-0", "0.16418046", "0.8389962", "1",
    "0.99960595", "123456789012345", "1234567890123456789", "1.5e3",
    "-2.25E-2", "0.1234567890123456789012345", "1e308", "21100",
    "0.000000000000000000001", "-0.5", "123456789012345.5",
    "9999999999999999999999", "18446744073709551617", "0.0000001234567890123",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (numbers); i++) {
    g_autofree gchar *text = g_strdup_printf ("{\"n\": %s}", numbers[i]);
    g_autoptr (ClarifaiJsonDoc) doc = parse (text);
    gdouble v;

    g_assert_true (clarifai_json_doc_double (doc,
            clarifai_json_doc_member (doc, 0, "n"), &v));
    g_assert_cmpfloat (v, ==, g_ascii_strtod (numbers[i], NULL));
  }
}

/* Names and ids come out interned, whatever their spelling, and prose
 * copied; members are found in one walk, the first of a name winning. */
static void
test_interned (void)
{
  g_autofree gchar *long_name = g_strnfill (300, 'x');
  g_autofree gchar *text = g_strdup_printf ("{\"plain\": \"red\", "
      "\"esc\": \"r\\u0065d\", \"bad\": \"r\xff" "d\", \"long\": \"%s\", "
      "\"num\": 42, \"obj\": {}, \"num\": 7}", long_name);
  g_autoptr (ClarifaiJsonDoc) doc = parse (text);
  const gchar *const names[] = { "esc", "plain", "none", "num", "long",
    "bad", "obj"
  };
  gint m[G_N_ELEMENTS (names)];
  gdouble v = 0;
  GStringChunk *spill = NULL;

  clarifai_json_doc_members (doc, 0, names, m, G_N_ELEMENTS (names));
  g_assert_cmpint (m[2], ==, -1);
  g_assert_true (clarifai_json_doc_double (doc, m[3], &v));
  g_assert_cmpfloat (v, ==, 42);
  g_assert_true (clarifai_json_doc_intern (doc, m[0], &spill) ==
      g_intern_string ("red"));
  g_assert_true (clarifai_json_doc_intern (doc, m[1], &spill) ==
      g_intern_string ("red"));
  g_assert_true (clarifai_json_doc_intern (doc, m[5], &spill) ==
      g_intern_string ("r\xef\xbf\xbd" "d"));
  g_assert_null (clarifai_json_doc_intern (doc, m[3], &spill));
  g_assert_true (clarifai_json_doc_id (doc, m[3], &spill) ==
      g_intern_string ("42"));
  g_assert_cmpstr (clarifai_json_doc_id (doc, m[6], &spill), ==, "");
  g_assert_cmpstr (clarifai_json_doc_id (doc, -1, &spill), ==, "");
  g_assert_null (spill);
  /* prose, not a vocabulary word: copied, not made a quark */
  g_assert_cmpstr (clarifai_json_doc_intern (doc, m[4], &spill), ==, long_name);
  g_assert_nonnull (spill);
  g_assert_cmpuint (g_quark_try_string (long_name), ==, 0);
  g_string_chunk_free (spill);
  g_assert_cmpint (clarifai_json_doc_member (doc, 0, "num"), ==, m[3]);
}

/* Arrays are walked element by element, nested values skipped whole. */
static void
test_arrays (void)
{
  g_autoptr (ClarifaiJsonDoc) doc = parse ("{\"a\": [{\"x\": [1, [2, 3]]}, "
      "[], \"s\", {\"y\": {}}, null], \"empty\": [], \"o\": {}}");
  gint a = clarifai_json_doc_array (doc, 0, "a");
  gint e;
  ClarifaiJsonType types[5];
  guint n = 0;

  for (e = clarifai_json_doc_first (doc, a); e >= 0;
      e = clarifai_json_doc_next (doc, e))
    types[n++] = clarifai_json_doc_type (doc, e);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (types[0], ==, CLARIFAI_JSON_OBJECT);
  g_assert_cmpint (types[1], ==, CLARIFAI_JSON_ARRAY);
  g_assert_cmpint (types[2], ==, CLARIFAI_JSON_STRING);
  g_assert_cmpint (types[3], ==, CLARIFAI_JSON_OBJECT);
  g_assert_cmpint (types[4], ==, CLARIFAI_JSON_NULL);
  g_assert_cmpint (clarifai_json_doc_first (doc, clarifai_json_doc_array (doc,
              0, "empty")), ==, -1);
  g_assert_cmpint (clarifai_json_doc_array (doc, 0, "o"), ==, -1);
  g_assert_cmpint (clarifai_json_doc_object (doc, 0, "o"), >, 0);
  g_assert_cmpint (clarifai_json_doc_first (doc, -1), ==, -1);
  g_assert_cmpint (clarifai_json_doc_type (doc, 1000), ==, CLARIFAI_JSON_NONE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/jsondoc/refused", test_refused);
  g_test_add_func ("/jsondoc/strings", test_strings);
  g_test_add_func ("/jsondoc/numbers", test_numbers);
  g_test_add_func ("/jsondoc/interned", test_interned);
  g_test_add_func ("/jsondoc/arrays", test_arrays);
  return g_test_run ();
}
