/*
** Text as offices save it: plans and CSV files come as UTF-8 (with or
** without a byte-order mark), UTF-16 with a BOM (Windows Notepad's
** "Unicode"), or GB18030/GBK (WPS, Excel and Notepad's "ANSI" on Chinese
** Windows). Every importer decodes its input here into UTF-8. Pure (glibc
** iconv, no I/O).
*/
#ifndef QS_ENCODING_H
#define QS_ENCODING_H
#include <stddef.h>

/* Decode LEN bytes of DATA into UTF-8. ENCODING is an iconv name (UTF-8,
** GB18030, GBK, UTF-16LE, ...) or NULL to detect: a BOM says UTF-8,
** UTF-16LE or UTF-16BE; without one the text is UTF-8 if it is valid UTF-8
** (or mostly so: then its bad bytes are reported), else GB18030. Returns
** the text, malloc'd and NUL-terminated, without a BOM; *OUT_LEN its length
** and *USED the encoding it was read in. NULL if it cannot be decoded, with
** ERR naming the encoding, the first bad byte's offset and its line. */
char *text_decode(const char *data, size_t len, const char *encoding, size_t *out_len,
                  const char **used, char *err, size_t errlen);

#endif
