/*
** Fixed chances (chance.h), from the splitmix64 finaliser.
*/
#include "demo/chance.h"

static uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

static double unit_interval(uint64_t x) { return (double)(x >> 11) / 9007199254740992.0; }

double demo_chance(uint64_t a, uint64_t b, uint64_t c) {
  return unit_interval(mix(a ^ mix(b ^ mix(c))));
}

double demo_noise(uint64_t a, uint64_t b, uint64_t c) {
  uint64_t s = mix(a ^ mix(b ^ mix(c)));
  double sum = 0;
  for (int i = 0; i < 4; i++) {
    s = mix(s);
    sum += unit_interval(s);
  }
  return (sum - 2.0) * 1.7320508;
}

uint64_t demo_text_hash(const char *t) {
  uint64_t h = 1469598103934665603ull;
  while (*t) h = (h ^ (unsigned char)*t++) * 1099511628211ull;
  return h;
}
