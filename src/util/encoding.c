/*
** Decoding imported text into UTF-8 (encoding.h). UTF-8 is checked in
** place; every other encoding goes through iconv into a buffer that grows
** as needed. Offsets in messages count bytes from the start of the file,
** BOM included; lines count from 1.
*/
#include "util/encoding.h"
#include "util/buf.h"
#include "util/utf8.h"
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct { const char *bom; size_t len; const char *encoding; } BOMS[] = {
  {"\xEF\xBB\xBF", 3, "UTF-8"},
  {"\xFF\xFE", 2, "UTF-16LE"},
  {"\xFE\xFF", 2, "UTF-16BE"},
};

static int is_utf8_name(const char *name) {
  return !strcasecmp(name, "UTF-8") || !strcasecmp(name, "UTF8");
}

static int line_at(const char *text, size_t upto) {
  int line = 1;
  for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + upto - p))); p++) line++;
  return line;
}

/* 1 if the invalid UTF-8 at S (N bytes left) is a character cut by the end. */
static int cut_at_end(const unsigned char *s, size_t n) {
  size_t need = (s[0] & 0xE0) == 0xC0   ? 2
                : (s[0] & 0xF0) == 0xE0 ? 3
                : (s[0] & 0xF8) == 0xF0 ? 4
                                        : 0;
  if (!need || n >= need) return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  return 1;
}

/* Offset of the first invalid UTF-8 byte in S (LEN bytes), or LEN; counts
** the valid multi-byte characters and the invalid bytes if asked. */
static size_t utf8_scan(const char *s, size_t len, size_t *multibyte, size_t *invalid) {
  size_t first = len, good = 0, bad = 0;
  uint32_t cp;
  for (size_t i = 0; i < len;) {
    if ((unsigned char)s[i] < 0x80) { i++; continue; }
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (n) { good++; i += n; continue; }
    if (first == len) first = i;
    bad++;
    i++;
    if (!multibyte) break;
  }
  if (multibyte) *multibyte = good;
  if (invalid) *invalid = bad;
  return first;
}

/* S (LEN bytes, valid UTF-8 up to BAD): a copy, or the error at BAD. SKIP:
** the bytes of a BOM before S. */
static char *utf8_copy(const char *s, size_t len, size_t bad, size_t skip, size_t *out_len,
                       char *err, size_t errlen) {
  if (bad < len) {
    const unsigned char *b = (const unsigned char *)s + bad;
    if (cut_at_end(b, len - bad))
      snprintf(err, errlen, "the text ends inside a UTF-8 character at byte offset %zu "
               "(line %d): the file is cut short", skip + bad, line_at(s, bad));
    else
      snprintf(err, errlen, "not valid UTF-8: byte 0x%02X at offset %zu (line %d)", b[0],
               skip + bad, line_at(s, bad));
    return NULL;
  }
  *out_len = len;
  return xstrndup(s, len);
}

/* S (LEN bytes) from ENCODING through iconv; SKIP as for utf8_copy. */
static char *convert(const char *s, size_t len, const char *encoding, size_t skip,
                     size_t *out_len, char *err, size_t errlen) {
  iconv_t cd = iconv_open("UTF-8", encoding);
  if (cd == (iconv_t)-1) {
    snprintf(err, errlen, "unknown encoding '%s' (try UTF-8, GB18030, UTF-16LE, UTF-16BE)",
             encoding);
    return NULL;
  }
  size_t cap = len + len / 2 + 16, used = 0;
  char *out = xmalloc(cap);
  char *in = (char *)s;
  size_t in_left = len;
  int failed = 0;
  while (in_left > 0 && !failed) {
    char *o = out + used;
    size_t o_left = cap - used - 1;
    size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    used = (size_t)(o - out);
    if (r != (size_t)-1) break;
    if (errno == E2BIG) out = xrealloc(out, cap *= 2);
    else failed = errno;
  }
  iconv_close(cd);
  if (failed) {
    size_t at = (size_t)(in - s);
    int line = line_at(out, used);
    if (failed == EINVAL)
      snprintf(err, errlen, "the text ends inside a %s character at byte offset %zu (line %d): "
               "the file is cut short", encoding, skip + at, line);
    else
      snprintf(err, errlen, "not valid %s: byte 0x%02X at offset %zu (line %d)", encoding,
               (unsigned char)s[at], skip + at, line);
    free(out);
    return NULL;
  }
  out[used] = 0;
  if (used >= 3 && !memcmp(out, "\xEF\xBB\xBF", 3)) {   /* a BOM iconv passed through */
    memmove(out, out + 3, used - 2);
    used -= 3;
  }
  *out_len = used;
  return out;
}

char *text_decode(const char *data, size_t len, const char *encoding, size_t *out_len,
                  const char **used, char *err, size_t errlen) {
  size_t skip = 0;
  const char *detected = NULL;
  for (size_t i = 0; i < sizeof BOMS / sizeof BOMS[0]; i++)
    if (len >= BOMS[i].len && !memcmp(data, BOMS[i].bom, BOMS[i].len)) {
      detected = BOMS[i].encoding;
      skip = BOMS[i].len;
      break;
    }
  if (encoding && detected && strcasecmp(encoding, detected)) skip = 0;   /* the caller knows */
  const char *name = encoding ? encoding : detected;
  const char *s = data + skip;
  size_t n = len - skip, bad = n;
  if (!name) {
    size_t multibyte, invalid;
    bad = utf8_scan(s, n, &multibyte, &invalid);
    /* valid UTF-8 cut inside its last character, or mostly UTF-8 with a
       few bad bytes, is a damaged UTF-8 file, not GB18030 */
    int cut = bad < n && cut_at_end((const unsigned char *)s + bad, n - bad);
    name = bad == n || cut || multibyte > invalid ? "UTF-8" : "GB18030";
  }
  *used = name;
  if (is_utf8_name(name)) {
    *used = "UTF-8";
    return utf8_copy(s, n, utf8_scan(s, n, NULL, NULL), skip, out_len, err, errlen);
  }
  char *text = convert(s, n, name, skip, out_len, err, errlen);
  if (!text && bad < n) {   /* both guesses failed: say so */
    char why[256];
    snprintf(why, sizeof why, "%s", err);
    snprintf(err, errlen, "not UTF-8 (byte 0x%02X at offset %zu) and %s",
             (unsigned char)s[bad], bad, why);
  }
  return text;
}
