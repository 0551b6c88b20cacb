/*
** The supervision configuration: traffic-light rules (lights.json) and
** assessment scoring (assessment.json), from data/supervision/, embedded in
** the binary and parsed once.
*/
#ifndef QS_SUPERVISION_CONFIG_H
#define QS_SUPERVISION_CONFIG_H
#include "supervision/light.h"
#include "supervision/score.h"

struct supervision_config {
  struct light_config light;
  struct assessment_config assessment;
};

/* The configuration (parsed on first use). The embedded files are checked
** by the unit tests; if one cannot be parsed the program says why and
** stops, since every light and score would be wrong. */
const struct supervision_config *supervision_config(void);

#endif
