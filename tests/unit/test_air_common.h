/*
** What the air unit tests share: the air tables loaded from data/ (the
** files the binary embeds), read through the test's file reader.
*/
#ifndef QS_TEST_AIR_COMMON_H
#define QS_TEST_AIR_COMMON_H
#include "air/air.h"
#include "support.h"
#include <stdio.h>
#include <stdlib.h>

/* Every file the loader asked for, freed at the end of the load. */
struct air_files { char *text[16]; int n; };

static const char *air_test_find(const char *name, size_t *len, void *ctx) {
  struct air_files *f = ctx;
  if (f->n == 16) return NULL;
  return f->text[f->n++] = test_read_file(name, len);
}

/* The tables into S; stops the run if they do not load. */
static void air_test_load(struct air_standard *s) {
  struct air_files files = {.n = 0};
  char err[256];
  int rc = air_standard_load(s, air_test_find, &files, err, sizeof err);
  for (int i = 0; i < files.n; i++) free(files.text[i]);
  if (rc) {
    fprintf(stderr, "air tables: %s\n", err);
    exit(1);
  }
}

#endif
