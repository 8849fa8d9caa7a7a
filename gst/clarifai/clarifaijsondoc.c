/* clarifaitag
 * Copyright (C) 2026 clarifaitag developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* A strict RFC 8259 reader: one pass over the text, by recursive descent
 * bounded in depth, records each value as a token (its type, where it
 * lies in the text, and where its subtree ends).  Strings are unescaped
 * and made valid UTF-8 only when asked for.  json-glib built a tree of
 * GObject-signalled nodes and a hash table per object, which cost four
 * fifths of reading a detector's answer (B12). */

#include "clarifaijsondoc.h"
#include "clarifaiprotocol.h"

#include <string.h>

/* Deeper nesting is no answer of the service's; it bounds the stack. */
#define MAX_DEPTH 256

typedef struct
{
  guint8 type;
  guint8 escaped;               /* a string with a backslash in it */
  guint8 last;                  /* the last element of its array */
  guint32 start, end;           /* a string's inside its quotes */
  gint32 skip;                  /* the token after this value's subtree */
} Token;

struct _ClarifaiJsonDoc
{
  const gchar *data;
  GArray *tokens;
};

typedef struct
{
  const gchar *base, *p, *end;
  GArray *tokens;
  guint depth;
  const gchar *error;
  gsize error_at;
} Scan;

#define TOK(tokens, i) (&g_array_index ((tokens), Token, (i)))

static gboolean scan_value (Scan * s);

static gboolean
fail (Scan * s, const gchar * why)
{
  if (s->error == NULL) {
    s->error = why;
    s->error_at = s->p - s->base;
  }
  return FALSE;
}

static void
skip_space (Scan * s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n'
          || *s->p == '\r'))
    s->p++;
}

static gint
push (Scan * s, ClarifaiJsonType type, const gchar * start)
{
  Token t = { type, 0, 0, start - s->base, start - s->base, -1 };

  g_array_append_val (s->tokens, t);
  return s->tokens->len - 1;
}

static gboolean
scan_string (Scan * s)
{
  gint i = push (s, CLARIFAI_JSON_STRING, ++s->p);
  gboolean escaped = FALSE;
  guint k;

  while (s->p < s->end) {
    guchar c = *s->p;

    if (c == '"') {
      Token *t = TOK (s->tokens, i);

      t->end = s->p - s->base;
      t->escaped = escaped;
      t->skip = i + 1;
      s->p++;
      return TRUE;
    }
    if (c < 0x20)
      return fail (s, "control character in a string");
    s->p++;
    if (c != '\\')
      continue;
    escaped = TRUE;
    if (s->p >= s->end)
      break;
    if (strchr ("\"\\/bfnrt", *s->p) && *s->p) {
      s->p++;
    } else if (*s->p == 'u') {
      for (k = 1; k <= 4; k++)
        if (s->p + k >= s->end || !g_ascii_isxdigit (s->p[k]))
          return fail (s, "bad \\u escape");
      s->p += 5;
    } else {
      return fail (s, "bad escape");
    }
  }
  return fail (s, "unterminated string");
}

static gboolean
digits (Scan * s)
{
  const gchar *start = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > start;
}

static gboolean
scan_number (Scan * s)
{
  const gchar *start = s->p;
  gint i;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!(s->p < s->end && *s->p >= '1' && *s->p <= '9') || !digits (s))
    return fail (s, "bad number");
  if (s->p < s->end && *s->p == '.') {
    s->p++;
    if (!digits (s))
      return fail (s, "bad number");
  }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
    s->p++;
    if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
      s->p++;
    if (!digits (s))
      return fail (s, "bad number");
  }
  i = push (s, CLARIFAI_JSON_NUMBER, start);
  TOK (s->tokens, i)->end = s->p - s->base;
  TOK (s->tokens, i)->skip = i + 1;
  return TRUE;
}

static gboolean
scan_literal (Scan * s, const gchar * word, ClarifaiJsonType type)
{
  gsize n = strlen (word);
  gint i;

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return fail (s, "unexpected character");
  i = push (s, type, s->p);
  s->p += n;
  TOK (s->tokens, i)->end = s->p - s->base;
  TOK (s->tokens, i)->skip = i + 1;
  return TRUE;
}

/* '[' or '{' and all to its match; @object: members are name, value. */
static gboolean
scan_container (Scan * s, gboolean object)
{
  gint i = push (s, object ? CLARIFAI_JSON_OBJECT : CLARIFAI_JSON_ARRAY,
      s->p);
  gchar close = object ? '}' : ']';
  gint last = -1;

  if (++s->depth > MAX_DEPTH)
    return fail (s, "nested too deep");
  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == close) {
    s->p++;
    goto done;
  }
  for (;;) {
    if (object) {
      if (s->p >= s->end || *s->p != '"')
        return fail (s, "expected a member name");
      if (!scan_string (s))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end || *s->p != ':')
        return fail (s, "expected ':'");
      s->p++;
      skip_space (s);
    }
    last = s->tokens->len;
    if (!scan_value (s))
      return FALSE;
    skip_space (s);
    if (s->p < s->end && *s->p == ',') {
      s->p++;
      skip_space (s);
      continue;
    }
    if (s->p < s->end && *s->p == close) {
      s->p++;
      break;
    }
    return fail (s, object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
done:
  if (last >= 0)
    TOK (s->tokens, last)->last = TRUE;
  TOK (s->tokens, i)->end = s->p - s->base;
  TOK (s->tokens, i)->skip = s->tokens->len;
  s->depth--;
  return TRUE;
}

static gboolean
scan_value (Scan * s)
{
  if (s->p >= s->end)
    return fail (s, "unexpected end");
  switch (*s->p) {
    case '{':
      return scan_container (s, TRUE);
    case '[':
      return scan_container (s, FALSE);
    case '"':
      return scan_string (s);
    case 't':
      return scan_literal (s, "true", CLARIFAI_JSON_TRUE);
    case 'f':
      return scan_literal (s, "false", CLARIFAI_JSON_FALSE);
    case 'n':
      return scan_literal (s, "null", CLARIFAI_JSON_NULL);
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return fail (s, "unexpected character");
  }
}

static void
set_error (GError ** error, const gchar * message)
{
  g_set_error_literal (error, CLARIFAI_PROTOCOL_ERROR,
      CLARIFAI_PROTOCOL_ERROR_MALFORMED, message);
}

/**
 * clarifai_json_doc_parse:
 * @data: (array length=len): must outlive the document
 *
 * Reads @data, which must hold one JSON object and nothing after it but
 * white space.
 *
 * Returns: (transfer full) (nullable): the document, its root the
 *   object; %NULL with @error (%CLARIFAI_PROTOCOL_ERROR) saying why not
 */
ClarifaiJsonDoc *
clarifai_json_doc_parse (const gchar * data, gsize len, GError ** error)
{
  Scan s = { data, data, data + len, NULL, 0, NULL, 0 };
  ClarifaiJsonDoc *doc;

  if (data == NULL || len == 0 || len > G_MAXINT32) {
    set_error (error, data && len ? "body is too large" : "empty body");
    return NULL;
  }
  skip_space (&s);
  if (s.p == s.end || !strchr ("{[\"-0123456789tfn", *s.p) || *s.p == '\0') {
    set_error (error, "body is not JSON");
    return NULL;
  }
  if (*s.p != '{') {
    set_error (error, "body is not a JSON object");
    return NULL;
  }
  s.tokens = g_array_sized_new (FALSE, FALSE, sizeof (Token),
      MIN (len / 8 + 16, 65536));
  if (!scan_container (&s, TRUE)) {
    g_set_error (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "body is not JSON: %s at byte %"
        G_GSIZE_FORMAT, s.error, s.error_at);
    g_array_unref (s.tokens);
    return NULL;
  }
  skip_space (&s);
  if (s.p < s.end) {
    set_error (error, "body holds more than one JSON value");
    g_array_unref (s.tokens);
    return NULL;
  }
  doc = g_new (ClarifaiJsonDoc, 1);
  doc->data = data;
  doc->tokens = s.tokens;
  return doc;
}

void
clarifai_json_doc_free (ClarifaiJsonDoc * doc)
{
  if (doc == NULL)
    return;
  g_array_unref (doc->tokens);
  g_free (doc);
}

static const Token *
token (const ClarifaiJsonDoc * doc, gint value)
{
  return value >= 0 && (guint) value < doc->tokens->len ?
      TOK (doc->tokens, value) : NULL;
}

ClarifaiJsonType
clarifai_json_doc_type (const ClarifaiJsonDoc * doc, gint value)
{
  const Token *t = token (doc, value);

  return t ? t->type : CLARIFAI_JSON_NONE;
}

/* Appends @c as UTF-8; what is not a character becomes U+FFFD. */
static void
append_unichar (GString * out, gunichar c)
{
  if (c == 0 || !g_unichar_validate (c))
    c = 0xfffd;
  g_string_append_unichar (out, c);
}

static guint
hex4 (const gchar * p)
{
  guint v = 0, k;

  for (k = 0; k < 4; k++)
    v = v * 16 + g_ascii_xdigit_value (p[k]);
  return v;
}

/* A string token's text, unescaped, valid UTF-8. */
static gchar *
unescape (const ClarifaiJsonDoc * doc, const Token * t)
{
  const gchar *p = doc->data + t->start, *end = doc->data + t->end;
  GString *out;
  gchar *valid;

  if (!t->escaped) {
    if (g_utf8_validate_len (p, end - p, NULL))
      return g_strndup (p, end - p);
    return g_utf8_make_valid (p, end - p);
  }
  out = g_string_sized_new (end - p);
  while (p < end) {
    const gchar *run = p;

    while (p < end && *p != '\\')
      p++;
    g_string_append_len (out, run, p - run);
    if (p >= end)
      break;
    p++;
    switch (*p++) {
      case 'b':
        g_string_append_c (out, '\b');
        break;
      case 'f':
        g_string_append_c (out, '\f');
        break;
      case 'n':
        g_string_append_c (out, '\n');
        break;
      case 'r':
        g_string_append_c (out, '\r');
        break;
      case 't':
        g_string_append_c (out, '\t');
        break;
      case 'u':{
        gunichar c = hex4 (p);

        p += 4;
        /* a surrogate pair is one character; a lone surrogate none */
        if (c >= 0xd800 && c < 0xdc00 && end - p >= 6 && p[0] == '\\'
            && p[1] == 'u' && hex4 (p + 2) >= 0xdc00 && hex4 (p + 2) < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (hex4 (p + 2) - 0xdc00);
          p += 6;
        }
        append_unichar (out, c);
        break;
      }
      default:                 /* " \ / */
        g_string_append_c (out, p[-1]);
        break;
    }
  }
  if (g_utf8_validate_len (out->str, out->len, NULL))
    return g_string_free (out, FALSE);
  valid = g_utf8_make_valid (out->str, out->len);
  g_string_free (out, TRUE);
  return valid;
}

static gboolean
string_equals (const ClarifaiJsonDoc * doc, const Token * t, const gchar * s)
{
  g_autofree gchar *text = NULL;
  gsize n = strlen (s);

  if (t->type != CLARIFAI_JSON_STRING)
    return FALSE;
  if (!t->escaped)
    return t->end - t->start == n && memcmp (doc->data + t->start, s, n) == 0;
  text = unescape (doc, t);
  return strcmp (text, s) == 0;
}

/**
 * clarifai_json_doc_member:
 *
 * Returns: the value of @object's member @name (the first of that name),
 *   or -1
 */
gint
clarifai_json_doc_member (const ClarifaiJsonDoc * doc, gint object,
    const gchar * name)
{
  const Token *t = token (doc, object);
  gint k;

  if (t == NULL || t->type != CLARIFAI_JSON_OBJECT)
    return -1;
  for (k = object + 1; k < t->skip; k = TOK (doc->tokens, k + 1)->skip)
    if (string_equals (doc, TOK (doc->tokens, k), name))
      return k + 1;
  return -1;
}

/* The member @name of @object if it is an object, else -1. */
gint
clarifai_json_doc_object (const ClarifaiJsonDoc * doc, gint object,
    const gchar * name)
{
  gint v = clarifai_json_doc_member (doc, object, name);

  return clarifai_json_doc_type (doc, v) == CLARIFAI_JSON_OBJECT ? v : -1;
}

/* The member @name of @object if it is an array, else -1. */
gint
clarifai_json_doc_array (const ClarifaiJsonDoc * doc, gint object,
    const gchar * name)
{
  gint v = clarifai_json_doc_member (doc, object, name);

  return clarifai_json_doc_type (doc, v) == CLARIFAI_JSON_ARRAY ? v : -1;
}

/* The first element of @array, or -1 when it is empty or no array. */
gint
clarifai_json_doc_first (const ClarifaiJsonDoc * doc, gint array)
{
  const Token *t = token (doc, array);

  return t && t->type == CLARIFAI_JSON_ARRAY && t->skip > array + 1 ?
      array + 1 : -1;
}

/* The element after @element in its array, or -1. */
gint
clarifai_json_doc_next (const ClarifaiJsonDoc * doc, gint element)
{
  const Token *t = token (doc, element);

  return t && !t->last ? t->skip : -1;
}

/**
 * clarifai_json_doc_string:
 *
 * Returns: (transfer full) (nullable): @value's text, unescaped and made
 *   valid UTF-8, if it is a string
 */
gchar *
clarifai_json_doc_string (const ClarifaiJsonDoc * doc, gint value)
{
  const Token *t = token (doc, value);

  return t && t->type == CLARIFAI_JSON_STRING ? unescape (doc, t) : NULL;
}

gchar *
clarifai_json_doc_member_string (const ClarifaiJsonDoc * doc, gint object,
    const gchar * name)
{
  return clarifai_json_doc_string (doc, clarifai_json_doc_member (doc,
          object, name));
}

/* Whether @value is the string @s. */
gboolean
clarifai_json_doc_string_is (const ClarifaiJsonDoc * doc, gint value,
    const gchar * s)
{
  const Token *t = token (doc, value);

  return t && string_equals (doc, t, s);
}

/* Clinger's fast path: a decimal with at most 15 significant digits and
 * at most 22 after the point is a mantissa and a power of ten, both exact
 * as doubles, and one division rounds correctly.  Boxes and scores are
 * such numbers; anything else goes to g_ascii_strtod(). */
static gboolean
fast_decimal (const gchar * p, const gchar * end, gdouble * out)
{
  static const gdouble tens[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
    1e20, 1e21, 1e22
  };
  gboolean negative = p < end && *p == '-';
  guint64 mantissa = 0;
  guint digits = 0, fraction = 0;
  gboolean point = FALSE;

  for (p += negative; p < end; p++) {
    if (*p == '.') {
      point = TRUE;
      continue;
    }
    if (!g_ascii_isdigit (*p))
      return FALSE;             /* an exponent */
    mantissa = mantissa * 10 + (*p - '0');
    if (mantissa > 0)
      digits++;
    fraction += point;
    if (digits > 15 || fraction > 22)
      return FALSE;
  }
  *out = (gdouble) mantissa / tens[fraction];
  if (negative)
    *out = -*out;
  return TRUE;
}

/* @value as a number, if it is one. */
gboolean
clarifai_json_doc_double (const ClarifaiJsonDoc * doc, gint value,
    gdouble * out)
{
  const Token *t = token (doc, value);
  gchar buf[64];
  g_autofree gchar *big = NULL;
  gsize n;

  if (t == NULL || t->type != CLARIFAI_JSON_NUMBER)
    return FALSE;
  if (fast_decimal (doc->data + t->start, doc->data + t->end, out))
    return TRUE;
  n = t->end - t->start;
  if (n < sizeof (buf)) {
    memcpy (buf, doc->data + t->start, n);
    buf[n] = '\0';
    *out = g_ascii_strtod (buf, NULL);
  } else {
    big = g_strndup (doc->data + t->start, n);
    *out = g_ascii_strtod (big, NULL);
  }
  return TRUE;
}

/**
 * clarifai_json_doc_count:
 *
 * A whole number from 0 to %G_MAXINT32: status codes and token counts,
 * which protobuf's JSON gives as numbers or, being int64, as numeric
 * strings.
 *
 * Returns: whether @value is one
 */
gboolean
clarifai_json_doc_count (const ClarifaiJsonDoc * doc, gint value, gint64 * out)
{
  g_autofree gchar *s = NULL;
  gdouble d;
  gchar *end;

  if (clarifai_json_doc_double (doc, value, &d)) {
    if (!(d >= 0 && d <= G_MAXINT32))
      return FALSE;
    *out = (gint64) d;
    return TRUE;
  }
  s = clarifai_json_doc_string (doc, value);
  if (s == NULL || *s == '\0')
    return FALSE;
  *out = g_ascii_strtoll (s, &end, 10);
  return *end == '\0' && *out >= 0 && *out <= G_MAXINT32;
}

/**
 * clarifai_json_doc_id:
 *
 * Returns: (transfer full): an id given as a string or, in older models,
 *   a number; "" for anything else
 */
gchar *
clarifai_json_doc_id (const ClarifaiJsonDoc * doc, gint value)
{
  const Token *t = token (doc, value);

  if (t && t->type == CLARIFAI_JSON_NUMBER)
    return g_strndup (doc->data + t->start, t->end - t->start);
  if (t && t->type == CLARIFAI_JSON_STRING)
    return unescape (doc, t);
  return g_strdup ("");
}
