/*
** Lookup in the table of embedded files that scripts/embed.py generates.
*/
#include "util/embedded.h"
#include <string.h>

const struct embedded_file *embedded_find(const char *name) {
  size_t lo = 0, hi = embedded_file_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(embedded_files[mid].name, name);
    if (c == 0) return &embedded_files[mid];
    if (c < 0) lo = mid + 1; else hi = mid;
  }
  return NULL;
}
