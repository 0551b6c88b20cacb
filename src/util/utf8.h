/*
** UTF-8 text helpers for Chinese documents: decoding, width folding of
** punctuation, trimming, and Chinese numerals. Pure.
*/
#ifndef QS_UTF8_H
#define QS_UTF8_H
#include <stddef.h>
#include <stdint.h>

/* Decode one code point at S (LEN bytes available). Returns its length in
** bytes (1-4), or 0 if the bytes are not valid UTF-8 (then *CP is 0xFFFD). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* 1 if the LEN bytes at S are valid UTF-8. */
int utf8_valid(const char *s, size_t len);

/* Malloc'd copy of S with full-width ASCII forms (U+FF01..U+FF5E) folded to
** ASCII, ideographic and no-break spaces (U+3000, U+00A0) to ' ', and CR
** dropped. Chinese punctuation that has no ASCII twin (、。“”) is kept. */
char *utf8_fold_width(const char *s, size_t len);

/* Malloc'd copy of S[0..LEN) without leading and trailing ASCII spaces/tabs. */
char *utf8_trim(const char *s, size_t len);

/* Value of the Chinese numeral at S (一 二 两 ... 九 十 百 千 万 零 〇, e.g.
** 七十二 = 72, 千 = 1000). Reads the longest numeral prefix; returns the
** number of bytes read (0 if none) and the value in *VALUE. */
size_t cn_numeral(const char *s, size_t len, long *value);

#endif
