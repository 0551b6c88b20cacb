/*
** argon2id hashing behind a small semaphore (password.h).
*/
#include "auth/password.h"
#include <semaphore.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CONCURRENT_HASHES 2

static sem_t gate;
static pthread_once_t gate_once = PTHREAD_ONCE_INIT;
static unsigned long long opslimit;
static size_t memlimit;

static void setup(void) {
  sem_init(&gate, 0, CONCURRENT_HASHES);
  const char *cost = getenv("QINGSHUI_PWHASH");
  if (cost && !strcmp(cost, "min")) {
    opslimit = crypto_pwhash_OPSLIMIT_MIN;
    memlimit = crypto_pwhash_MEMLIMIT_MIN;
  } else if (cost && !strcmp(cost, "moderate")) {
    opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
    memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
  } else {
    opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  }
}

int password_hash(const char *password, char out[crypto_pwhash_STRBYTES]) {
  pthread_once(&gate_once, setup);
  sem_wait(&gate);
  int rc = crypto_pwhash_str(out, password, strlen(password), opslimit, memlimit);
  sem_post(&gate);
  return rc == 0 ? 0 : -1;
}

int password_verify(const char *hash, const char *password) {
  pthread_once(&gate_once, setup);
  sem_wait(&gate);
  int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
  sem_post(&gate);
  return rc == 0 ? 0 : -1;
}

const char *password_weakness(const char *password) {
  size_t n = strlen(password);
  if (n < PASSWORD_MIN_LENGTH) return "a password needs at least 8 characters";
  if (n > PASSWORD_MAX_LENGTH) return "a password has at most 256 characters";
  return NULL;
}
