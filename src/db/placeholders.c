/*
** `?` and `?N` to `$N` (placeholders.h). Skips '...' strings, "..."
** identifiers, -- and C-style comments, and $tag$ ... $tag$ bodies of
** functions, where a question mark is text.
*/
#include "db/placeholders.h"
#include "util/buf.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Length of the quoted run, comment or dollar-quoted body at P, or 0. */
static size_t skip_quoted(const char *p) {
  const char *q;
  if (*p == '\'' || *p == '"') {
    for (q = p + 1; *q; q++)
      if (*q == *p) {
        if (q[1] == *p) q++;   /* '' and "" stand for one quote */
        else return (size_t)(q + 1 - p);
      }
    return strlen(p);
  }
  if (p[0] == '-' && p[1] == '-') {
    q = strchr(p, '\n');
    return q ? (size_t)(q - p) : strlen(p);
  }
  if (p[0] == '/' && p[1] == '*') {
    q = strstr(p + 2, "*/");
    return q ? (size_t)(q + 2 - p) : strlen(p);
  }
  if (*p == '$') {   /* $tag$ ... $tag$ (the tag may be empty) */
    for (q = p + 1; isalnum((unsigned char)*q) || *q == '_'; q++)
      ;
    if (*q != '$' || isdigit((unsigned char)p[1])) return 0;   /* $1 is a parameter */
    size_t taglen = (size_t)(q + 1 - p);
    char tag[64];
    if (taglen >= sizeof tag) return 0;
    memcpy(tag, p, taglen);
    tag[taglen] = 0;
    const char *end = strstr(q + 1, tag);
    return end ? (size_t)(end + taglen - p) : strlen(p);
  }
  return 0;
}

char *sql_placeholders_to_pg(const char *sql, int *nparams) {
  struct buf out = {0};
  int highest = 0;
  for (const char *p = sql; *p;) {
    size_t n = skip_quoted(p);
    if (n) { buf_append(&out, p, n); p += n; continue; }
    if (*p != '?') { buf_append(&out, p, 1); p++; continue; }
    int number;
    if (isdigit((unsigned char)p[1])) {
      char *end;
      number = (int)strtol(p + 1, &end, 10);
      p = end;
    } else {
      number = highest + 1;
      p++;
    }
    if (number > highest) highest = number;
    buf_printf(&out, "$%d", number);
  }
  *nparams = highest;
  if (!out.data) buf_puts(&out, "");
  return out.data;
}
