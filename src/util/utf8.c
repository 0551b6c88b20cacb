/*
** UTF-8 helpers (utf8.h).
*/
#include "util/utf8.h"
#include "util/buf.h"
#include <string.h>

size_t utf8_decode(const char *str, size_t len, uint32_t *cp) {
  const unsigned char *s = (const unsigned char *)str;
  *cp = 0xFFFD;
  if (len == 0) return 0;
  if (s[0] < 0x80) { *cp = s[0]; return 1; }
  size_t n;
  uint32_t c, min;
  if ((s[0] & 0xE0) == 0xC0) { n = 2; c = s[0] & 0x1F; min = 0x80; }
  else if ((s[0] & 0xF0) == 0xE0) { n = 3; c = s[0] & 0x0F; min = 0x800; }
  else if ((s[0] & 0xF8) == 0xF0) { n = 4; c = s[0] & 0x07; min = 0x10000; }
  else return 0;
  if (len < n) return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *cp = c;
  return n;
}

int utf8_valid(const char *s, size_t len) {
  uint32_t cp;
  for (size_t i = 0; i < len;) {
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (!n) return 0;
    i += n;
  }
  return 1;
}

char *utf8_fold_width(const char *s, size_t len) {
  struct buf out = {0};
  buf_append(&out, "", 0);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (!n) { buf_append(&out, s + i, 1); i++; continue; }
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
      char c = (char)(cp - 0xFF01 + 0x21);
      buf_append(&out, &c, 1);
    } else if (cp == 0x3000 || cp == 0xA0) {
      buf_append(&out, " ", 1);
    } else if (cp != '\r') {
      buf_append(&out, s + i, n);
    }
    i += n;
  }
  return out.data;
}

char *utf8_trim(const char *s, size_t len) {
  while (len && (*s == ' ' || *s == '\t')) { s++; len--; }
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  return xstrndup(s, len);
}

/* Digit value of a Chinese digit character, or -1. */
static int cn_digit(uint32_t cp) {
  static const struct { uint32_t cp; int v; } digits[] = {
    {0x96F6, 0}, {0x3007, 0}, {0x4E00, 1}, {0x4E8C, 2}, {0x4E24, 2}, {0x4E09, 3},
    {0x56DB, 4}, {0x4E94, 5}, {0x516D, 6}, {0x4E03, 7}, {0x516B, 8}, {0x4E5D, 9},
  };
  for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++)
    if (digits[i].cp == cp) return digits[i].v;
  return -1;
}

/* Multiplier of a Chinese unit character (十 百 千 万), or 0. */
static long cn_unit(uint32_t cp) {
  switch (cp) {
  case 0x5341: return 10;     /* 十 */
  case 0x767E: return 100;    /* 百 */
  case 0x5343: return 1000;   /* 千 */
  case 0x4E07: return 10000;  /* 万 */
  default: return 0;
  }
}

size_t cn_numeral(const char *s, size_t len, long *value) {
  long total = 0, section = 0, digit = -1;
  size_t i = 0;
  while (i < len) {
    uint32_t cp;
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (!n) break;
    int d = cn_digit(cp);
    long u = cn_unit(cp);
    if (d >= 0) {
      digit = d;
    } else if (u == 10000) {
      total = (total + section + (digit > 0 ? digit : 0)) * u;
      if (total == 0) total = u;
      section = 0;
      digit = -1;
    } else if (u) {
      section += (digit >= 0 ? digit : 1) * u;   /* 十 alone means 10 */
      digit = -1;
    } else {
      break;
    }
    i += n;
  }
  if (i == 0) return 0;
  *value = total + section + (digit > 0 ? digit : 0);
  return i;
}
