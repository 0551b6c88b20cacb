/*
** Unit tests of the receiver's stations by MN (src/hj212/known.c): every
** station added is found with its own fields, among collisions and MNs
** that begin other MNs; nothing else is found; the table refuses what
** would overfill it or could never be looked up.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hj212/known.h"

static const struct hj212_known_station *find(const struct hj212_known *k, const char *mn) {
  return hj212_known_find(k, mn, strlen(mn));
}

/* "P", "PP", ... up to HJ212_MN_MAX and as many other MNs, in a table of
** 64 slots at its limit of half full: probes run over each other, and a
** longer MN met first must not be taken for its beginning. */
static void test_found_among_collisions_and_prefixes(void **state) {
  (void)state;
  struct hj212_known k;
  hj212_known_init(&k, 32);
  assert_int_equal(k.nslots, 64);
  char mns[32][HJ212_MN_MAX + 1];
  for (int i = 0; i < 32; i++) {
    if (i < HJ212_MN_MAX) {
      memset(mns[i], 'P', (size_t)i + 1);
      mns[i][i + 1] = 0;
    } else {
      snprintf(mns[i], sizeof mns[i], "Q%d_%d", i, i * 7);
    }
    struct hj212_known_station *s = hj212_known_add(&k, mns[i], strlen(mns[i]));
    assert_non_null(s);
    s->id = 1000 + i;
    snprintf(s->st, sizeof s->st, "%02d", i);
  }
  assert_int_equal(k.n, 32);
  for (int i = 0; i < 32; i++) {
    const struct hj212_known_station *s = find(&k, mns[i]);
    assert_non_null(s);
    assert_int_equal(s->id, 1000 + i);
    assert_string_equal(s->mn, mns[i]);
    char st[16];
    snprintf(st, sizeof st, "%02d", i);
    assert_string_equal(s->st, st);
  }
  /* not there: another letter, the beginning of a Q name, a Q name longer */
  assert_null(find(&k, "Q2"));
  assert_null(find(&k, "R"));
  assert_null(find(&k, "Q24_1680"));
  /* full (half of 64): nothing more goes in */
  assert_null(hj212_known_add(&k, "Z", 1));
  hj212_known_free(&k);
}

/* A longer MN in the home slot of its beginning: "MN0171" and "MN01" share
** theirs in 64 slots (FNV-1a, chosen for it), so looking up "MN01" meets
** "MN0171" first. With another hash the test still holds, if weaker. */
static void test_longer_mn_met_first(void **state) {
  (void)state;
  struct hj212_known k;
  hj212_known_init(&k, 2);
  hj212_known_add(&k, "MN0171", 6)->id = 1;
  hj212_known_add(&k, "MN01", 4)->id = 2;
  assert_int_equal(find(&k, "MN01")->id, 2);
  assert_int_equal(find(&k, "MN0171")->id, 1);
  assert_null(find(&k, "MN017"));
  assert_null(find(&k, "MN0"));
  hj212_known_free(&k);
}

/* An MN no packet can carry, an empty one, or one already there is
** refused; the table grows with what it is told to expect. */
static void test_refusals_and_size(void **state) {
  (void)state;
  struct hj212_known k;
  hj212_known_init(&k, 1000);
  assert_int_equal(k.nslots, 2048);
  char too_long[HJ212_MN_MAX + 2];
  memset(too_long, 'M', sizeof too_long - 1);
  too_long[sizeof too_long - 1] = 0;
  assert_null(hj212_known_add(&k, too_long, strlen(too_long)));
  assert_null(find(&k, too_long));
  assert_null(hj212_known_add(&k, "", 0));
  assert_null(find(&k, ""));
  assert_non_null(hj212_known_add(&k, "MN_1", 4));
  assert_null(hj212_known_add(&k, "MN_1", 4));
  assert_int_equal(k.n, 1);
  /* MNs with '_' occur in the field */
  assert_string_equal(find(&k, "MN_1")->mn, "MN_1");
  hj212_known_free(&k);
  assert_null(find(&k, "MN_1"));   /* an empty table finds nothing */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_found_among_collisions_and_prefixes),
      cmocka_unit_test(test_longer_mn_met_first),
      cmocka_unit_test(test_refusals_and_size),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
