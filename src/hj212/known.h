/*
** The stations the receiver knows (receiver.c), in memory: a hash table by
** MN, filled from the registry and read for every packet. Pure: no I/O.
*/
#ifndef QS_HJ212_KNOWN_H
#define QS_HJ212_KNOWN_H
#include "auth/secret.h"
#include "hj212/hj212.h"
#include <stddef.h>

struct hj212_known_station {
  char mn[HJ212_MN_MAX + 1], st[3];
  unsigned char pw_salt[DEVICE_SECRET_SALT], pw_hash[DEVICE_SECRET_HASH];   /* auth/secret.h */
  unsigned char mn_len;         /* 0: a free slot */
  long long id;
};

/* Open addressing, at most half full, so a probe ends soon. */
struct hj212_known {
  struct hj212_known_station *slots;
  size_t nslots, n;
};

/* An empty table with room for EXPECTED stations. */
void hj212_known_init(struct hj212_known *k, size_t expected);
void hj212_known_free(struct hj212_known *k);

/* The entry of a new station named MN (LEN bytes), to be filled in; NULL
** if the MN is empty, longer than HJ212_MN_MAX, already there, or the
** table is half full. */
struct hj212_known_station *hj212_known_add(struct hj212_known *k, const char *mn, size_t len);

/* The station named MN (LEN bytes), NULL if none. */
const struct hj212_known_station *hj212_known_find(const struct hj212_known *k, const char *mn,
                                                   size_t len);

#endif
