/*
** Admission limits (admission.h), under one mutex: the counts are touched
** once or twice per request, never while work is done.
**
** The rate is a token bucket per address, holding heavy_per_minute tokens
** and refilled at that rate. Addresses are kept in a fixed table indexed by
** a hash; an address that lands on another's slot takes it over with a
** full bucket, so the table bounds memory and costs at worst some leniency.
*/
#include "http/admission.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RATE_SLOTS 1024

struct bucket {
  char peer[48];
  double tokens, updated;
};

struct admission {
  pthread_mutex_t lock;
  size_t body_budget, body_held;
  unsigned heavy_slots, heavy_busy;
  double per_second, burst;
  struct bucket buckets[RATE_SLOTS];
};

struct admission *admission_new(size_t body_budget, unsigned heavy_slots,
                                unsigned heavy_per_minute) {
  struct admission *a = calloc(1, sizeof *a);
  if (!a) return NULL;
  pthread_mutex_init(&a->lock, NULL);
  a->body_budget = body_budget;
  a->heavy_slots = heavy_slots;
  a->burst = heavy_per_minute;
  a->per_second = heavy_per_minute / 60.0;
  return a;
}

void admission_free(struct admission *a) {
  if (!a) return;
  pthread_mutex_destroy(&a->lock);
  free(a);
}

int admission_hold(struct admission *a, size_t *held, size_t total) {
  if (total <= *held) return 0;
  pthread_mutex_lock(&a->lock);
  size_t more = total - *held;
  int ok = a->body_held + more <= a->body_budget;
  if (ok) {
    a->body_held += more;
    *held = total;
  }
  pthread_mutex_unlock(&a->lock);
  return ok ? 0 : -1;
}

void admission_release(struct admission *a, size_t *held) {
  pthread_mutex_lock(&a->lock);
  a->body_held -= *held;
  pthread_mutex_unlock(&a->lock);
  *held = 0;
}

/* FNV-1a of the address text. */
static size_t slot_of(const char *peer) {
  uint32_t h = 2166136261u;
  for (const unsigned char *p = (const unsigned char *)peer; *p; p++) h = (h ^ *p) * 16777619u;
  return h % RATE_SLOTS;
}

/* Take a token from PEER's bucket; 0 if it had none. Called locked. */
static int take_token(struct admission *a, const char *peer, double now) {
  struct bucket *b = &a->buckets[slot_of(peer)];
  if (strcmp(b->peer, peer)) {
    strncpy(b->peer, peer, sizeof b->peer - 1);
    b->peer[sizeof b->peer - 1] = 0;
    b->tokens = a->burst;
    b->updated = now;
  }
  b->tokens += (now - b->updated) * a->per_second;
  if (b->tokens > a->burst) b->tokens = a->burst;
  b->updated = now;
  if (b->tokens < 1) return 0;
  b->tokens -= 1;
  return 1;
}

int admission_heavy_enter(struct admission *a, const char *peer, double now) {
  pthread_mutex_lock(&a->lock);
  int status = 0;
  if (a->heavy_busy >= a->heavy_slots) status = 503;
  else if (!take_token(a, peer, now)) status = 429;
  else a->heavy_busy++;
  pthread_mutex_unlock(&a->lock);
  return status;
}

void admission_heavy_leave(struct admission *a) {
  pthread_mutex_lock(&a->lock);
  a->heavy_busy--;
  pthread_mutex_unlock(&a->lock);
}
