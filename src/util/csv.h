/*
** A strict RFC 4180 CSV reader over a buffer in memory: quoted fields,
** doubled quotes, CRLF or LF line ends, a UTF-8 byte-order mark skipped.
** Pure: no I/O. Errors name the line.
*/
#ifndef QS_CSV_H
#define QS_CSV_H
#include <stddef.h>

#define CSV_MAX_FIELDS 128

struct csv_reader {
  const char *p, *end;
  int line;                       /* line number of the current record (1-based) */
  int next_line;
  char *fields[CSV_MAX_FIELDS];   /* the current record, NUL-terminated copies */
  int nfields;
  char error[160];
};

/* Start reading DATA (LEN bytes). */
void csv_init(struct csv_reader *r, const char *data, size_t len);

/* Read the next record. Returns 1 with r->fields set, 0 at the end of the
** data, -1 on malformed input with r->error set ("line N: ..."). Empty lines
** are skipped. */
int csv_next(struct csv_reader *r);

/* Free the current record's fields (also done by csv_next). */
void csv_clear(struct csv_reader *r);

/* Index of the column called NAME in the current record, or -1. */
int csv_column(const struct csv_reader *r, const char *name);

#endif
