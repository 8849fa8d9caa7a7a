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
#include "clarifainames.h"
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
  Token *tokens;
  guint n_tokens;
};

typedef struct
{
  const gchar *base, *p, *end;
  Token *tokens;
  guint n_tokens, size;
  guint depth;
  const gchar *error;
  gsize error_at;
} Scan;

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

static inline void
skip_space (Scan * s)
{
  const gchar *p = s->p, *end = s->end;

  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  s->p = p;
}

/* A token for the value at @start; every value takes a byte at least, so
 * the count stays below the text's length. */
static inline gint
push (Scan * s, ClarifaiJsonType type, const gchar * start)
{
  Token *t;

  if (G_UNLIKELY (s->n_tokens == s->size)) {
    s->size *= 2;
    s->tokens = g_renew (Token, s->tokens, s->size);
  }
  t = &s->tokens[s->n_tokens];
  t->type = type;
  t->escaped = FALSE;
  t->last = FALSE;
  t->start = t->end = start - s->base;
  t->skip = s->n_tokens + 1;
  return s->n_tokens++;
}

/* What ends a run of plain characters in a string: a control character
 * (refused), the closing quote or a backslash.  A table: most of an
 * answer's bytes are in strings (B12). */
static const guint8 string_stop[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  ['"'] = 1,['\\'] = 1
};

static gboolean
scan_string (Scan * s)
{
  const gchar *p = s->p + 1, *end = s->end;
  gint i = push (s, CLARIFAI_JSON_STRING, p);
  guint k;

  for (;;) {
    while (p < end && !string_stop[(guchar) * p])
      p++;
    if (p >= end)
      break;
    if (*p == '"') {
      s->tokens[i].end = p - s->base;
      s->p = p + 1;
      return TRUE;
    }
    if (*p != '\\') {
      s->p = p;
      return fail (s, "control character in a string");
    }
    s->tokens[i].escaped = TRUE;
    if (++p >= end)
      break;
    if (*p && strchr ("\"\\/bfnrt", *p)) {
      p++;
    } else if (*p == 'u') {
      for (k = 1; k <= 4; k++)
        if (p + k >= end || !g_ascii_isxdigit (p[k])) {
          s->p = p;
          return fail (s, "bad \\u escape");
        }
      p += 5;
    } else {
      s->p = p;
      return fail (s, "bad escape");
    }
  }
  s->p = p;
  return fail (s, "unterminated string");
}

static inline const gchar *
digits (const gchar * p, const gchar * end)
{
  while (p < end && g_ascii_isdigit (*p))
    p++;
  return p;
}

static gboolean
scan_number (Scan * s)
{
  const gchar *start = s->p, *p = s->p, *end = s->end, *after;
  gint i;

  if (*p == '-')
    p++;
  if (p < end && *p == '0')
    p++;
  else if (!(p < end && *p >= '1' && *p <= '9'))
    goto bad;
  else
    p = digits (p, end);
  if (p < end && *p == '.') {
    if ((after = digits (p + 1, end)) == p + 1) {
      p++;
      goto bad;
    }
    p = after;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-'))
      p++;
    if ((after = digits (p, end)) == p)
      goto bad;
    p = after;
  }
  i = push (s, CLARIFAI_JSON_NUMBER, start);
  s->tokens[i].end = p - s->base;
  s->p = p;
  return TRUE;
bad:
  s->p = p;
  return fail (s, "bad number");
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
  s->tokens[i].end = s->p - s->base;
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
    last = s->n_tokens;
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
    s->tokens[last].last = TRUE;
  s->tokens[i].end = s->p - s->base;
  s->tokens[i].skip = s->n_tokens;
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
  Scan s = { data, data, data + len, NULL, 0, 0, 0, NULL, 0 };
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
  /* The v2 answers hold a token for every 9 to 10 bytes. */
  s.size = MIN (len / 8 + 16, 65536);
  s.tokens = g_new (Token, s.size);
  if (!scan_container (&s, TRUE)) {
    g_set_error (error, CLARIFAI_PROTOCOL_ERROR,
        CLARIFAI_PROTOCOL_ERROR_MALFORMED, "body is not JSON: %s at byte %"
        G_GSIZE_FORMAT, s.error, s.error_at);
    g_free (s.tokens);
    return NULL;
  }
  skip_space (&s);
  if (s.p < s.end) {
    set_error (error, "body holds more than one JSON value");
    g_free (s.tokens);
    return NULL;
  }
  doc = g_new (ClarifaiJsonDoc, 1);
  doc->data = data;
  doc->tokens = s.tokens;
  doc->n_tokens = s.n_tokens;
  return doc;
}

void
clarifai_json_doc_free (ClarifaiJsonDoc * doc)
{
  if (doc == NULL)
    return;
  g_free (doc->tokens);
  g_free (doc);
}

static const Token *
token (const ClarifaiJsonDoc * doc, gint value)
{
  return value >= 0 && (guint) value < doc->n_tokens ?
      &doc->tokens[value] : NULL;
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

/* Whether the token is the string @s, @n bytes long. */
static gboolean
string_equals (const ClarifaiJsonDoc * doc, const Token * t, const gchar * s,
    gsize n)
{
  gchar *text;
  gboolean equal;

  if (t->type != CLARIFAI_JSON_STRING)
    return FALSE;
  if (!t->escaped)
    return t->end - t->start == n && memcmp (doc->data + t->start, s, n) == 0;
  text = unescape (doc, t);
  equal = strcmp (text, s) == 0;
  g_free (text);
  return equal;
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
  gint value;

  clarifai_json_doc_members (doc, object, &name, &value, 1);
  return value;
}

/**
 * clarifai_json_doc_members:
 * @names: (array length=n): member names
 * @values: (out caller-allocates) (array length=n): the value of each
 *   (the first member of that name), or -1
 *
 * What clarifai_json_doc_member() gives for each of @names, in one walk
 * over @object: a box or a concept is read with one.
 */
void
clarifai_json_doc_members (const ClarifaiJsonDoc * doc, gint object,
    const gchar * const *names, gint * values, guint n)
{
  const Token *t = token (doc, object);
  gsize lengths[16];
  guint i, left = n;
  gint k;

  g_return_if_fail (n <= G_N_ELEMENTS (lengths));
  for (i = 0; i < n; i++) {
    values[i] = -1;
    lengths[i] = strlen (names[i]);
  }
  if (t == NULL || t->type != CLARIFAI_JSON_OBJECT)
    return;
  for (k = object + 1; left > 0 && k < t->skip; k = doc->tokens[k + 1].skip)
    for (i = 0; i < n; i++)
      if (values[i] < 0 && string_equals (doc, &doc->tokens[k], names[i],
              lengths[i])) {
        values[i] = k + 1;
        left--;
        break;
      }
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

  return t && string_equals (doc, t, s, strlen (s));
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
  const gchar *point;

  /* Past 15 digits the mantissa may wrap; the number is refused then. */
  for (p += negative; p < end && g_ascii_isdigit (*p); p++) {
    mantissa = mantissa * 10 + (*p - '0');
    digits += mantissa > 0;
  }
  if (p < end && *p == '.') {
    for (point = ++p; p < end && g_ascii_isdigit (*p); p++) {
      mantissa = mantissa * 10 + (*p - '0');
      digits += mantissa > 0;
    }
    fraction = p - point;
  }
  if (p != end || digits > 15 || fraction > 22)
    return FALSE;               /* an exponent, or too many digits */
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
  gchar buf[64], *big;
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
    g_free (big);
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

/* A string or number token's text, interned (or in @spill): without an
 * allocation when it is short and needs no unescaping, as names and ids
 * are. */
static const gchar *
intern (const ClarifaiJsonDoc * doc, const Token * t, GStringChunk ** spill)
{
  gchar buf[128];
  g_autofree gchar *text = NULL;
  gsize n = t->end - t->start;

  if (!t->escaped && n < sizeof (buf)
      && g_utf8_validate_len (doc->data + t->start, n, NULL)) {
    memcpy (buf, doc->data + t->start, n);
    buf[n] = '\0';
    return clarifai_name_keep (buf, spill);
  }
  text = t->type == CLARIFAI_JSON_STRING ? unescape (doc, t) :
      g_strndup (doc->data + t->start, n);
  return clarifai_name_keep (text, spill);
}

/**
 * clarifai_json_doc_intern:
 * @spill: (inout): where names past clarifai_name_intern()'s budget are
 *   copied, made at need
 *
 * For a model's names and ids, which come back in every answer and are
 * copied into every message and buffer meta: interned, they are neither
 * copied nor freed (clarifainames.h).
 *
 * Returns: (transfer none) (nullable): @value's text, unescaped, valid
 *   UTF-8 and interned (else in @spill), if it is a string
 */
const gchar *
clarifai_json_doc_intern (const ClarifaiJsonDoc * doc, gint value,
    GStringChunk ** spill)
{
  const Token *t = token (doc, value);

  return t && t->type == CLARIFAI_JSON_STRING ? intern (doc, t, spill) : NULL;
}

/**
 * clarifai_json_doc_id:
 * @spill: (inout): as for clarifai_json_doc_intern()
 *
 * Returns: (transfer none): an id given as a string or, in older models,
 *   a number, kept as clarifai_json_doc_intern() does; "" for anything
 *   else
 */
const gchar *
clarifai_json_doc_id (const ClarifaiJsonDoc * doc, gint value,
    GStringChunk ** spill)
{
  const Token *t = token (doc, value);

  if (t && (t->type == CLARIFAI_JSON_NUMBER || t->type == CLARIFAI_JSON_STRING))
    return intern (doc, t, spill);
  return "";
}
