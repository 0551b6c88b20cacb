/*
** What every unit test shares: reading a file of the source tree (tests
** run from the source root, where meson starts them), and the tables the
** tests of several files load.
*/
#ifndef QS_TEST_SUPPORT_H
#define QS_TEST_SUPPORT_H
#include <stddef.h>

/* The whole file at PATH, malloc'd and NUL-terminated, its length in *LEN
** (LEN may be NULL). Stops the test run with a message if unreadable. */
char *test_read_file(const char *path, size_t *len);

/* The HJ 212 factor codes of data/hj212/factor_codes.csv; stops the run
** if they do not load. Free with hj212_codes_free. */
struct hj212_codes *test_hj212_codes(void);

#endif
