/*
** The demo's chance: numbers fixed by what they are for (a unit, a day, a
** task), so that the same date always tells the same story. No state.
*/
#ifndef QS_DEMO_CHANCE_H
#define QS_DEMO_CHANCE_H
#include <stdint.h>

/* A number in [0, 1) fixed by A, B and C. */
double demo_chance(uint64_t a, uint64_t b, uint64_t c);

/* Roughly normal (mean 0, deviation 1: a sum of four uniforms), fixed by A, B and C. */
double demo_noise(uint64_t a, uint64_t b, uint64_t c);

/* A hash of the text T (FNV-1a), to fix chances by a name. */
uint64_t demo_text_hash(const char *t);

#endif
