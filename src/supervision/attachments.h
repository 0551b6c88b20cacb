/*
** Attachments of reports and completion proposals: checked (size, type by
** content, name), stored content-addressed beside the database in
** attachments/<sha256>, written durably before the database refers to
** them, and served only through routes that check who may read the task.
*/
#ifndef QS_SUPERVISION_ATTACHMENTS_H
#define QS_SUPERVISION_ATTACHMENTS_H
#include "http/server.h"

#define ATTACHMENT_MAX_BYTES (10u << 20)

struct attachment_meta {
  char sha256[65];
  char name[256];         /* from X-Filename (percent-decoded UTF-8) */
  const char *mime;       /* the allowed type the content was recognised as */
  int too_large;
};

/* Check the request body as an attachment. 0, or -1 with ERR. */
int attachment_check(struct http_request *req, struct attachment_meta *meta, char *err, size_t errlen);

/* Write DATA to the attachments folder under its hash (if not there yet). */
int attachment_store(sqlite3 *db, const char *data, size_t len, const char *sha256,
                     char *err, size_t errlen);

/* Reply with the stored file. */
void attachment_serve(struct http_request *req, struct http_response *res, const char *sha256,
                      const char *mime, const char *name);

#endif
