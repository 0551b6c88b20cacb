/*
** The code table's hashes (codes.c), shared with the parser: it looks up
** each new pollutant of every packet, by the key it has already packed,
** with no call and no second packing.
*/
#ifndef QS_HJ212_CODES_INDEX_H
#define QS_HJ212_CODES_INDEX_H
#include "hj212/hj212.h"

struct hj212_codes {
  struct hj212_code *rows;
  size_t n;
  uint64_t *keys, *old_keys;    /* packed code per slot, 0 = empty */
  uint32_t *slots, *old_slots;  /* row index per slot */
  uint32_t mask;
};

/* The slot where a probe for KEY starts (MASK: slots - 1). */
static inline uint32_t hj212_codes_hash(uint64_t key, uint32_t mask) {
  return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & mask;
}

/* The row whose packed code is KEY in the hash KEYS/SLOTS of C, or NULL.
** A key is a code of 1..7 bytes as a little-endian word, zero above (0 for
** no code: it matches no slot). */
static inline const struct hj212_code *hj212_codes_lookup(const struct hj212_codes *c,
                                                          const uint64_t *keys,
                                                          const uint32_t *slots, uint64_t key) {
  for (uint32_t h = hj212_codes_hash(key, c->mask); keys[h]; h = (h + 1) & c->mask)
    if (keys[h] == key) return &c->rows[slots[h]];
  return NULL;
}

#endif
