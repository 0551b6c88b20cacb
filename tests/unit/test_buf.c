/*
** Unit tests of util/buf.h's out-of-memory modes: an impossible append
** aborts by default, and in a thread that asked for it (the HTTP workers)
** is skipped, leaves the buffer as it was, and is reported once; and
** buf_try_append reports it without aborting.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/buf.h"

/* More than any allocator gives: the size check refuses it before malloc. */
#define IMPOSSIBLE (SIZE_MAX / 2)

static void try_append_reports_failure(void **state) {
  (void)state;
  struct buf b = {0};
  buf_puts(&b, "kept");
  assert_int_equal(buf_try_append(&b, "x", IMPOSSIBLE), -1);
  assert_string_equal(buf_str(&b), "kept");
  assert_int_equal(buf_try_append(&b, "!", 1), 0);
  assert_string_equal(buf_str(&b), "kept!");
  assert_int_equal(buf_take_oom(), 0);   /* not a skipped append */
  buf_free(&b);
}

static void default_mode_aborts(void **state) {
  (void)state;
  pid_t pid = fork();
  if (pid == 0) {
    struct buf b = {0};
    close(2);   /* the message is expected */
    buf_append(&b, "x", IMPOSSIBLE);
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

static void soft_mode_skips_and_reports(void **state) {
  (void)state;
  struct buf b = {0};
  buf_soft_oom();
  buf_puts(&b, "kept");
  buf_append(&b, "x", IMPOSSIBLE);
  assert_string_equal(buf_str(&b), "kept");
  assert_int_equal(buf_take_oom(), 1);
  assert_int_equal(buf_take_oom(), 0);
  buf_printf(&b, "%d", 42);
  assert_string_equal(buf_str(&b), "kept42");
  assert_int_equal(buf_take_oom(), 0);
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(try_append_reports_failure),
    cmocka_unit_test(default_mode_aborts),
    cmocka_unit_test(soft_mode_skips_and_reports),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
