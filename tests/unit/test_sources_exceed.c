/*
** Unit tests of exceedances (sources/exceed.h): the judgement at its
** boundaries (upper limits, pH's range), limit texts, and events built
** period by period and in one batch: consecutive periods, a gap bridged
** and one too long, out-of-order data, expiry.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "test_sources_common.h"
#include "sources/exceed.h"
#include "sources/validity.h"

static const struct src_limit COD = {SRC_LIMIT_UPPER, 50, 0, 0};
static const struct src_limit PH = {SRC_LIMIT_RANGE, NAN, 6, 9};

static void test_judge_upper(void **state) {
  (void)state;
  /* At the limit is within it; above it, multiple (C - L) / L. */
  assert_false(src_judge(&COD, 1, 50).exceeded);
  struct src_judgement j = src_judge(&COD, 1, 50.0001);
  assert_true(j.exceeded);
  j = src_judge(&COD, 1, 75);
  assert_true(j.exceeded);
  assert_double_equal(j.multiple, 0.5, 1e-12);
  assert_true(isnan(src_judge(&COD, 1, 20).multiple));
  /* An invalid period or no mean is never exceeded. */
  assert_false(src_judge(&COD, 0, 500).exceeded);
  assert_false(src_judge(&COD, 1, NAN).exceeded);
}

static void test_judge_range(void **state) {
  (void)state;
  assert_false(src_judge(&PH, 1, 6).exceeded);
  assert_false(src_judge(&PH, 1, 9).exceeded);
  assert_true(src_judge(&PH, 1, 5.99).exceeded);
  struct src_judgement j = src_judge(&PH, 1, 9.2);
  assert_true(j.exceeded);
  assert_true(isnan(j.multiple));
}

static void test_limit_parse(void **state) {
  (void)state;
  struct src_limit l;
  assert_int_equal(src_limit_parse("50", &l), 0);
  assert_int_equal(l.kind, SRC_LIMIT_UPPER);
  assert_double_equal(l.value, 50, 0);
  assert_int_equal(src_limit_parse("0.5", &l), 0);
  assert_double_equal(l.value, 0.5, 0);
  assert_int_equal(src_limit_parse("6-9", &l), 0);
  assert_int_equal(l.kind, SRC_LIMIT_RANGE);
  assert_double_equal(l.low, 6, 0);
  assert_double_equal(l.high, 9, 0);
  assert_int_equal(src_limit_parse("6.5-8.5", &l), 0);
  assert_double_equal(l.low, 6.5, 0);
  const char *bad[] = {"", "0", "-5", "abc", "50mg", " 50", "+50", "9-6", "6-", "-9", "0x10",
                       "inf", "nan", "1e999", "6-9-10"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (!src_limit_parse(bad[i], &l)) fail_msg("'%s' parsed as a limit", bad[i]);
  double v;
  assert_int_equal(src_parse_number("-1.5", &v), 0);
  assert_double_equal(v, -1.5, 0);
  assert_int_equal(src_parse_number("1.", &v), 0);
}

/* Hour I of a series with mean M (NAN: invalid). */
static struct src_period hour(int i, double m) {
  return (struct src_period){(int64_t)i * SRC_HOUR, SRC_HOUR, !isnan(m), m};
}

static void test_consecutive_periods_one_event(void **state) {
  (void)state;
  struct src_tracker t;
  struct src_event closed;
  src_tracker_init(&t, SRC_DAY);
  struct src_period p = hour(0, 40);
  assert_int_equal(src_tracker_feed(&t, &COD, &p, &closed), 0);
  p = hour(1, 60);
  assert_int_equal(src_tracker_feed(&t, &COD, &p, &closed), SRC_EVENT_OPENED);
  assert_true(t.event.open);
  assert_int_equal(t.event.start, SRC_HOUR);
  p = hour(2, 90);
  assert_int_equal(src_tracker_feed(&t, &COD, &p, &closed), SRC_EVENT_EXTENDED);
  p = hour(3, 55);
  assert_int_equal(src_tracker_feed(&t, &COD, &p, &closed), SRC_EVENT_EXTENDED);
  p = hour(4, 50);   /* at the limit: within, closes */
  assert_int_equal(src_tracker_feed(&t, &COD, &p, &closed), SRC_EVENT_CLOSED);
  assert_false(closed.open);
  assert_int_equal(closed.start, 1 * SRC_HOUR);
  assert_int_equal(closed.end, 4 * SRC_HOUR);
  assert_int_equal(closed.periods, 3);
  assert_double_equal(closed.peak, 90, 0);
  assert_int_equal(closed.peak_at, 2 * SRC_HOUR);
  assert_double_equal(closed.peak_multiple, 0.8, 1e-12);
  assert_false(t.has_event);
}

static void test_invalid_period_bridged(void **state) {
  (void)state;
  /* Exceeding, invalid (维护), exceeding: one event of two exceeding
  ** periods; its end is the last exceeding hour's. */
  struct src_period p[] = {hour(0, 70), hour(1, NAN), hour(2, 80), hour(3, 20)};
  struct src_event e[4];
  assert_int_equal(src_events(p, 4, &COD, SRC_DAY, e, 4), 1);
  assert_int_equal(e[0].start, 0);
  assert_int_equal(e[0].end, 3 * SRC_HOUR);
  assert_int_equal(e[0].periods, 2);
  assert_double_equal(e[0].peak, 80, 0);
  /* Missing hours (no period at all) are a gap too. */
  struct src_period q[] = {hour(0, 70), hour(5, 80)};
  assert_int_equal(src_events(q, 2, &COD, SRC_DAY, e, 4), 1);
  assert_true(e[0].open);
  assert_int_equal(e[0].end, 6 * SRC_HOUR);
}

static void test_gap_too_long_splits(void **state) {
  (void)state;
  /* The gap from the first event's end (hour 1) to the next exceeding
  ** hour: 24 h is bridged (max gap one day), 25 h is not. */
  struct src_period a[] = {hour(0, 70), hour(25, 80)};
  struct src_event e[4];
  assert_int_equal(src_events(a, 2, &COD, SRC_DAY, e, 4), 1);
  struct src_period b[] = {hour(0, 70), hour(26, 80)};
  assert_int_equal(src_events(b, 2, &COD, SRC_DAY, e, 4), 2);
  assert_false(e[0].open);
  assert_int_equal(e[0].end, SRC_HOUR);
  assert_true(e[1].open);
  assert_int_equal(e[1].start, 26 * SRC_HOUR);
  /* Fed one by one: the late period closes the old event and opens one. */
  struct src_tracker t;
  struct src_event closed;
  src_tracker_init(&t, SRC_DAY);
  src_tracker_feed(&t, &COD, &b[0], &closed);
  assert_int_equal(src_tracker_feed(&t, &COD, &b[1], &closed), SRC_EVENT_CLOSED | SRC_EVENT_OPENED);
  assert_int_equal(closed.start, 0);
  /* With no gap allowed, one invalid hour splits. */
  struct src_period c[] = {hour(0, 70), hour(1, NAN), hour(2, 80)};
  assert_int_equal(src_events(c, 3, &COD, 0, e, 4), 2);
}

static void test_daily_periods(void **state) {
  (void)state;
  /* Days: exceeding, invalid day, exceeding: one event over three days. */
  struct src_period d[] = {{0, SRC_DAY, 1, 60}, {SRC_DAY, SRC_DAY, 0, 90},
                           {2 * SRC_DAY, SRC_DAY, 1, 55}, {3 * SRC_DAY, SRC_DAY, 1, 40}};
  struct src_event e[2];
  assert_int_equal(src_events(d, 4, &COD, SRC_DAY, e, 2), 1);
  assert_int_equal(e[0].end, 3 * SRC_DAY);
  assert_int_equal(e[0].periods, 2);
  /* The invalid day's 90 is not the peak. */
  assert_double_equal(e[0].peak, 60, 0);
}

static void test_range_events(void **state) {
  (void)state;
  /* pH 9.5, 5.0, 8.5: the peak is the farthest outside (5.0 is 1 below,
  ** 9.5 is 0.5 above). */
  struct src_period p[] = {hour(0, 9.5), hour(1, 5.0), hour(2, 8.5)};
  struct src_event e[2];
  assert_int_equal(src_events(p, 3, &PH, SRC_DAY, e, 2), 1);
  assert_double_equal(e[0].peak, 5.0, 0);
  assert_true(isnan(e[0].peak_multiple));
  assert_false(e[0].open);
}

static void test_out_of_order_refused(void **state) {
  (void)state;
  struct src_tracker t;
  struct src_event closed;
  src_tracker_init(&t, SRC_DAY);
  struct src_period p = hour(5, 70), late = hour(4, 20), overlap = {5 * SRC_HOUR + 60, 60, 1, 10};
  src_tracker_feed(&t, &COD, &p, &closed);
  struct src_tracker before = t;
  assert_int_equal(src_tracker_feed(&t, &COD, &late, &closed), SRC_EVENT_ORDER);
  assert_int_equal(src_tracker_feed(&t, &COD, &overlap, &closed), SRC_EVENT_ORDER);
  assert_memory_equal(&t, &before, sizeof t);
  struct src_period s[] = {hour(5, 70), hour(4, 20)};
  struct src_event e[2];
  assert_int_equal(src_events(s, 2, &COD, SRC_DAY, e, 2), -1);
}

static void test_expire(void **state) {
  (void)state;
  struct src_tracker t;
  struct src_event closed;
  src_tracker_init(&t, SRC_DAY);
  struct src_period p = hour(0, 70);
  src_tracker_feed(&t, &COD, &p, &closed);
  assert_int_equal(src_tracker_expire(&t, SRC_HOUR + SRC_DAY, &closed), 0);
  assert_true(t.has_event);
  assert_int_equal(src_tracker_expire(&t, SRC_HOUR + SRC_DAY + 1, &closed), SRC_EVENT_CLOSED);
  assert_int_equal(closed.end, SRC_HOUR);
  assert_int_equal(src_tracker_expire(&t, 10 * SRC_DAY, &closed), 0);
}

static void test_batch_room(void **state) {
  (void)state;
  /* Three events, room for two: three counted, two written. */
  struct src_period p[] = {hour(0, 70), hour(1, 10), hour(2, 70), hour(3, 10), hour(4, 70)};
  struct src_event e[3] = {{0}};
  assert_int_equal(src_events(p, 5, &COD, SRC_DAY, e, 2), 3);
  assert_int_equal(e[1].start, 2 * SRC_HOUR);
  assert_int_equal(e[2].start, 0);   /* untouched */
  assert_int_equal(src_events(p, 0, &COD, SRC_DAY, e, 2), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_judge_upper),
    cmocka_unit_test(test_judge_range),
    cmocka_unit_test(test_limit_parse),
    cmocka_unit_test(test_consecutive_periods_one_event),
    cmocka_unit_test(test_invalid_period_bridged),
    cmocka_unit_test(test_gap_too_long_splits),
    cmocka_unit_test(test_daily_periods),
    cmocka_unit_test(test_range_events),
    cmocka_unit_test(test_out_of_order_refused),
    cmocka_unit_test(test_expire),
    cmocka_unit_test(test_batch_room),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
