/*
** What every unit test shares: reading a file of the source tree (tests
** run from the source root, where meson starts them).
*/
#ifndef QS_TEST_SUPPORT_H
#define QS_TEST_SUPPORT_H
#include <stddef.h>

/* The whole file at PATH, malloc'd and NUL-terminated, its length in *LEN
** (LEN may be NULL). Stops the test run with a message if unreadable. */
char *test_read_file(const char *path, size_t *len);

#endif
