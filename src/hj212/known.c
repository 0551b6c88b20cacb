/*
** The receiver's stations by MN (known.h). A hash table rather than a
** sorted array: a bsearch's ten strcmp a packet at 1,000 stations were 3%
** of the receiver loop's own time.
*/
#include "hj212/known.h"
#include "util/buf.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a of an MN. */
static size_t mn_hash(const char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 16777619u;
  return h;
}

/* The slot holding MN (LEN bytes), or the free slot where it would go. */
static struct hj212_known_station *slot_of(const struct hj212_known *k, const char *mn, size_t len) {
  size_t mask = k->nslots - 1;
  for (size_t i = mn_hash(mn, len) & mask;; i = (i + 1) & mask) {
    struct hj212_known_station *s = &k->slots[i];
    if (!s->mn_len || (s->mn_len == len && !memcmp(s->mn, mn, len))) return s;
  }
}

void hj212_known_init(struct hj212_known *k, size_t expected) {
  k->nslots = 64;
  while (k->nslots < 2 * expected) k->nslots *= 2;
  k->slots = xcalloc(k->nslots, sizeof *k->slots);
  k->n = 0;
}

void hj212_known_free(struct hj212_known *k) {
  free(k->slots);
  k->slots = NULL;
  k->nslots = k->n = 0;
}

struct hj212_known_station *hj212_known_add(struct hj212_known *k, const char *mn, size_t len) {
  if (len == 0 || len > HJ212_MN_MAX || 2 * (k->n + 1) > k->nslots) return NULL;
  struct hj212_known_station *s = slot_of(k, mn, len);
  if (s->mn_len) return NULL;
  memcpy(s->mn, mn, len);
  s->mn[len] = 0;
  s->mn_len = (unsigned char)len;
  k->n++;
  return s;
}

const struct hj212_known_station *hj212_known_find(const struct hj212_known *k, const char *mn,
                                                   size_t len) {
  if (len == 0 || len > HJ212_MN_MAX || !k->nslots) return NULL;
  const struct hj212_known_station *s = slot_of(k, mn, len);
  return s->mn_len ? s : NULL;
}
