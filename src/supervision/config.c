/*
** Loading the embedded supervision configuration (config.h).
*/
#include "supervision/config.h"
#include "util/embedded.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static struct supervision_config config;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  char err[256];
  const struct embedded_file *lights = embedded_find("data/supervision/lights.json");
  const struct embedded_file *scoring = embedded_find("data/supervision/assessment.json");
  if (!lights || !scoring ||
      light_config_parse((const char *)lights->data, &config.light, err, sizeof err) ||
      assessment_config_parse((const char *)scoring->data, &config.assessment, err, sizeof err)) {
    fprintf(stderr, "qingshui: supervision configuration: %s\n",
            lights && scoring ? err : "data/supervision/*.json not embedded");
    abort();
  }
}

const struct supervision_config *supervision_config(void) {
  pthread_once(&once, load);
  return &config;
}
