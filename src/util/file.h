/*
** Reading a whole file into memory: plan texts, CSV imports, stored
** attachments, workbooks written by libxlsxwriter.
*/
#ifndef QS_FILE_H
#define QS_FILE_H
#include <stddef.h>

/* The most an import reads, so that /dev/zero or a wrong 2 GB file is
** refused at once instead of filling the memory: a plan is about 60 KiB
** (the seed); a CSV of readings about 40 bytes a value, so a month of
** hourly readings of 9 items at 100 sections is 27 MiB (larger files are
** imported in parts). */
#define PLAN_FILE_MAX ((size_t)16 << 20)
#define CSV_FILE_MAX ((size_t)256 << 20)

/* All of PATH ("-" for standard input), malloc'd and NUL-terminated (the
** NUL is not counted in *LEN). NULL with errno set if it cannot be read. */
char *file_read(const char *path, size_t *len);

/* As file_read, but NULL with errno EFBIG as soon as more than MAX bytes
** come: /dev/zero or a 2 GB file is never read whole. */
char *file_read_max(const char *path, size_t max, size_t *len);

/* An imported text file of at most MAX bytes decoded into UTF-8 by
** text_decode (ENCODING NULL: detected). NULL with ERR saying why:
** unreadable, too large, or the encoding and the first bad byte. */
char *file_read_text(const char *path, const char *encoding, size_t max, size_t *len,
                     char *err, size_t errlen);

#endif
