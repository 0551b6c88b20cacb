/*
** Reassembly of split packets (hj212.h): pieces grouped by (MN, CN,
** DataTime), because each piece of a split upload has its own QN (std
** tables C.49/C.50). A fixed number of groups, searched linearly: split
** packets are rare (a few per station per hour at most), and a bound on
** open groups is what keeps a misbehaving station from growing memory.
*/
#include "hj212/hj212.h"
#include "util/buf.h"
#include <stdlib.h>
#include <string.h>

struct group {
  int used;
  char mn[HJ212_MN_MAX + 1];
  int cn;
  int64_t when;               /* DataTime in seconds, then milliseconds */
  int ms;
  int pnum;
  uint64_t have;              /* bit PNO-1 per received piece */
  int64_t first_seen;
  char *pieces[HJ212_REASM_MAX_PIECES];
  size_t lens[HJ212_REASM_MAX_PIECES];
};

struct hj212_reassembler {
  struct group *groups;
  size_t ngroups, open;
  int64_t timeout;
};

struct hj212_reassembler *hj212_reasm_new(size_t max_groups, int64_t timeout) {
  struct hj212_reassembler *r = xcalloc(1, sizeof *r);
  r->ngroups = max_groups ? max_groups : 1;
  r->groups = xcalloc(r->ngroups, sizeof *r->groups);
  r->timeout = timeout;
  return r;
}

void hj212_reasm_release(struct hj212_reassembler *r, int group) {
  struct group *g = &r->groups[group];
  if (!g->used) return;
  for (int i = 0; i < HJ212_REASM_MAX_PIECES; i++) free(g->pieces[i]);
  memset(g, 0, sizeof *g);
  r->open--;
}

void hj212_reasm_free(struct hj212_reassembler *r) {
  if (!r) return;
  for (size_t i = 0; i < r->ngroups; i++) hj212_reasm_release(r, (int)i);
  free(r->groups);
  free(r);
}

static int same_key(const struct group *g, const struct hj212_packet *p, int64_t when) {
  return g->used && g->cn == p->cn && g->when == when && g->ms == p->datatime.ms &&
         strlen(g->mn) == p->mn.len && !memcmp(g->mn, p->mn.p, p->mn.len);
}

/* A free group, or the oldest one evicted. */
static int take_slot(struct hj212_reassembler *r) {
  size_t oldest = 0;
  for (size_t i = 0; i < r->ngroups; i++) {
    if (!r->groups[i].used) return (int)i;
    if (r->groups[i].first_seen < r->groups[oldest].first_seen) oldest = i;
  }
  hj212_reasm_release(r, (int)oldest);
  return (int)oldest;
}

static int find_group(const struct hj212_reassembler *r, const struct hj212_packet *p,
                      int64_t when) {
  for (size_t i = 0; i < r->ngroups; i++)
    if (same_key(&r->groups[i], p, when)) return (int)i;
  return -1;
}

enum hj212_reasm_result hj212_reasm_add(struct hj212_reassembler *r, const struct hj212_packet *p,
                                        int64_t now, int *group) {
  if (p->pnum < 1 || p->pno < 1 || p->pno > p->pnum || p->pnum > HJ212_REASM_MAX_PIECES ||
      !p->has_datatime || p->mn.len > HJ212_MN_MAX)
    return HJ212_REASM_ERROR;
  int64_t when = hj212_time_seconds(&p->datatime);
  int gi = find_group(r, p, when);
  if (gi < 0) {
    gi = take_slot(r);
    struct group *g = &r->groups[gi];
    g->used = 1;
    memcpy(g->mn, p->mn.p, p->mn.len);
    g->mn[p->mn.len] = 0;
    g->cn = p->cn;
    g->when = when;
    g->ms = p->datatime.ms;
    g->pnum = p->pnum;
    g->first_seen = now;
    r->open++;
  }
  struct group *g = &r->groups[gi];
  if (g->pnum != p->pnum) return HJ212_REASM_ERROR;
  uint64_t bit = 1ull << (p->pno - 1);
  if (g->have & bit) return HJ212_REASM_DUPLICATE;
  g->have |= bit;
  g->pieces[p->pno - 1] = xstrndup(p->segment.p, p->segment.len);
  g->lens[p->pno - 1] = p->segment.len;
  *group = gi;
  uint64_t all = g->pnum == 64 ? ~0ull : (1ull << g->pnum) - 1;
  return g->have == all ? HJ212_REASM_COMPLETE : HJ212_REASM_PENDING;
}

const char *hj212_reasm_piece(const struct hj212_reassembler *r, int group, int pno, size_t *len) {
  const struct group *g = &r->groups[group];
  if (!g->used || pno < 1 || pno > g->pnum) return NULL;
  *len = g->lens[pno - 1];
  return g->pieces[pno - 1];
}

size_t hj212_reasm_expire(struct hj212_reassembler *r, int64_t now) {
  size_t n = 0;
  for (size_t i = 0; i < r->ngroups; i++) {
    if (r->groups[i].used && now - r->groups[i].first_seen > r->timeout) {
      hj212_reasm_release(r, (int)i);
      n++;
    }
  }
  return n;
}

size_t hj212_reasm_open(const struct hj212_reassembler *r) { return r->open; }
