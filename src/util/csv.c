/*
** CSV reading (csv.h). Each record's fields are copied out because quoted
** fields need their doubled quotes collapsed.
*/
#include "util/csv.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_init(struct csv_reader *r, const char *data, size_t len) {
  memset(r, 0, sizeof *r);
  r->p = data;
  r->end = data + len;
  if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) r->p += 3;
  r->next_line = 1;
}

void csv_clear(struct csv_reader *r) {
  for (int i = 0; i < r->nfields; i++) free(r->fields[i]);
  r->nfields = 0;
}

static int add_field(struct csv_reader *r, struct buf *field) {
  if (r->nfields == CSV_MAX_FIELDS) {
    snprintf(r->error, sizeof r->error, "line %d: more than %d fields", r->line, CSV_MAX_FIELDS);
    return -1;
  }
  r->fields[r->nfields++] = xstrdup(buf_str(field));
  buf_reset(field);
  return 0;
}

int csv_next(struct csv_reader *r) {
  csv_clear(r);
  /* skip blank lines */
  while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
    if (*r->p == '\n') r->next_line++;
    r->p++;
  }
  if (r->p >= r->end) return 0;
  r->line = r->next_line;
  struct buf field = {0};
  int rc = -1;
  for (;;) {
    if (r->p < r->end && *r->p == '"') {
      r->p++;
      for (;;) {
        if (r->p >= r->end) {
          snprintf(r->error, sizeof r->error, "line %d: unterminated quoted field", r->line);
          goto done;
        }
        if (*r->p == '"') {
          if (r->p + 1 < r->end && r->p[1] == '"') { buf_append(&field, "\"", 1); r->p += 2; continue; }
          r->p++;
          break;
        }
        if (*r->p == '\n') r->next_line++;
        buf_append(&field, r->p++, 1);
      }
      if (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r') {
        snprintf(r->error, sizeof r->error, "line %d: text after a closing quote in field %d",
                 r->line, r->nfields + 1);
        goto done;
      }
    } else {
      const char *s = r->p;
      while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r') {
        if (*r->p == '"') {
          snprintf(r->error, sizeof r->error, "line %d: quote inside unquoted field %d",
                   r->line, r->nfields + 1);
          goto done;
        }
        r->p++;
      }
      buf_append(&field, s, (size_t)(r->p - s));
    }
    if (add_field(r, &field)) goto done;
    if (r->p < r->end && *r->p == ',') { r->p++; continue; }
    if (r->p < r->end && *r->p == '\r') r->p++;
    if (r->p < r->end && *r->p == '\n') { r->p++; r->next_line++; }
    rc = 1;
    break;
  }
done:
  buf_free(&field);
  if (rc < 0) csv_clear(r);
  return rc;
}

int csv_column(const struct csv_reader *r, const char *name) {
  for (int i = 0; i < r->nfields; i++)
    if (!strcmp(r->fields[i], name)) return i;
  return -1;
}
