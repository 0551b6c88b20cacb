/*
** A growable byte buffer, always NUL-terminated, for building strings.
** Allocation failure aborts: the program cannot do anything useful without
** memory, and checking every append would hide the real logic. But one
** request must not abort the server: where a client decides how much is
** appended (request bodies) buf_try_append reports the failure, and in a
** thread that called buf_soft_oom (the HTTP workers) a failed append is
** skipped and remembered, and the server answers 503 instead of the reply.
*/
#ifndef QS_BUF_H
#define QS_BUF_H
#include <stddef.h>

struct buf {
  char *data;   /* NUL-terminated; NULL until the first append */
  size_t len;
  size_t cap;
};

void buf_append(struct buf *b, const void *data, size_t len);
/* Like buf_append, but 0, or -1 with B unchanged if memory ran out. */
int buf_try_append(struct buf *b, const void *data, size_t len);
/* From now on, in this thread, running out of memory in buf_append or
** buf_printf skips the append instead of aborting, and buf_take_oom says so. */
void buf_soft_oom(void);
/* 1 if an append was skipped for lack of memory in this thread since the
** last call, else 0. */
int buf_take_oom(void);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);   /* length 0, memory kept */
void buf_free(struct buf *b);
/* The text so far ("" when empty); valid until the next append. */
const char *buf_str(const struct buf *b);
/* Write PREFIX, ": " and the formatted message into ERR (ERRLEN bytes).
** Returns -1, so that an error path can be `return errorf(...)`. */
int errorf(char *err, size_t errlen, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Malloc'd copy of S (abort on failure). */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

#endif
