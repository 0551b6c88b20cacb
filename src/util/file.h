/*
** Reading a whole file into memory: plan texts, CSV imports, stored
** attachments, workbooks written by libxlsxwriter.
*/
#ifndef QS_FILE_H
#define QS_FILE_H
#include <stddef.h>

/* All of PATH ("-" for standard input), malloc'd and NUL-terminated (the
** NUL is not counted in *LEN). NULL with errno set if it cannot be read. */
char *file_read(const char *path, size_t *len);

#endif
