/*
** Attachment checks and storage (attachments.h).
**
** The type is decided by the content's first bytes, not by what the client
** claims, and must be one of a short list that offices exchange: PDF,
** images, Office documents (zip containers) and plain text. The stored
** name ends as the type detected does (evil.html holding a PNG is kept as
** evil.png), so that no program that goes by the name opens it as
** something else.
*/
#include "supervision/attachments.h"
#include "util/file.h"
#include "util/utf8.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
  const char *mime;
  const char *magic;
  size_t magic_len;
  const char *extension;   /* required name ending, for types that share a container */
  const char *ending;      /* the stored name's ending */
  const char *alt_ending;  /* another one kept as it is, or NULL */
} allowed_types[] = {
  {"application/pdf", "%PDF-", 5, NULL, ".pdf", NULL},
  {"image/png", "\x89PNG\r\n\x1a\n", 8, NULL, ".png", NULL},
  {"image/jpeg", "\xff\xd8\xff", 3, NULL, ".jpg", ".jpeg"},
  {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04", 4, ".docx",
   ".docx", NULL},
  {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04", 4, ".xlsx",
   ".xlsx", NULL},
  {"text/plain; charset=utf-8", NULL, 0, ".txt", ".txt", NULL},
};

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcasecmp(s + n - m, suffix);
}

/* Percent-decode SRC into DST; -1 if malformed. */
static int percent_decode(const char *src, char *dst, size_t dstlen) {
  size_t j = 0;
  for (size_t i = 0; src[i]; i++) {
    if (j + 1 >= dstlen) return -1;
    if (src[i] == '%') {
      unsigned hi, lo;
      if (sscanf(src + i + 1, "%1x%1x", &hi, &lo) != 2) return -1;
      dst[j++] = (char)(hi * 16 + lo);
      i += 2;
    } else {
      dst[j++] = src[i];
    }
  }
  dst[j] = 0;
  return 0;
}

/* The index in allowed_types of DATA's type, or -1. */
static int recognise(const char *data, size_t len, const char *name) {
  for (size_t i = 0; i < sizeof allowed_types / sizeof allowed_types[0]; i++) {
    if (allowed_types[i].extension && !ends_with(name, allowed_types[i].extension)) continue;
    if (allowed_types[i].magic) {
      if (len >= allowed_types[i].magic_len &&
          !memcmp(data, allowed_types[i].magic, allowed_types[i].magic_len))
        return (int)i;
    } else if (utf8_valid(data, len) && !memchr(data, 0, len)) {
      return (int)i;
    }
  }
  return -1;
}

/* Make NAME (SIZE bytes of room) end as type TYPE's names do: its ending
** replaces the name's own (what follows the last '.'), or is added. A name
** too long for it loses characters before the ending, never inside one. */
static void fit_ending(char *name, size_t size, int type) {
  const char *ending = allowed_types[type].ending, *alt = allowed_types[type].alt_ending;
  if (ends_with(name, ending) || (alt && ends_with(name, alt))) return;
  char *dot = strrchr(name, '.');
  size_t keep = dot && dot != name ? (size_t)(dot - name) : strlen(name);
  if (keep + strlen(ending) >= size) keep = size - 1 - strlen(ending);
  while (keep && ((unsigned char)name[keep] & 0xC0) == 0x80) keep--;   /* a whole character */
  snprintf(name + keep, size - keep, "%s", ending);
}

int attachment_check(struct http_request *req, struct attachment_meta *meta, char *err, size_t errlen) {
  memset(meta, 0, sizeof *meta);
  const char *raw = http_header(req, "X-Filename");
  if (req->body_len > ATTACHMENT_MAX_BYTES) {
    meta->too_large = 1;
    snprintf(err, errlen, "attachments are limited to %u bytes", ATTACHMENT_MAX_BYTES);
    return -1;
  }
  if (!req->body_len) { snprintf(err, errlen, "the attachment is empty"); return -1; }
  if (!raw || percent_decode(raw, meta->name, sizeof meta->name) || !meta->name[0] ||
      !utf8_valid(meta->name, strlen(meta->name)) || strpbrk(meta->name, "/\\\r\n\"")) {
    snprintf(err, errlen, "X-Filename must name the file (percent-encoded UTF-8, no path)");
    return -1;
  }
  int type = recognise(req->body, req->body_len, meta->name);
  if (type < 0) {
    snprintf(err, errlen, "'%s' is not an allowed type (PDF, PNG, JPEG, .docx, .xlsx, UTF-8 .txt)",
             meta->name);
    return -1;
  }
  meta->mime = allowed_types[type].mime;
  fit_ending(meta->name, sizeof meta->name, type);
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, (const unsigned char *)req->body, req->body_len);
  sodium_bin2hex(meta->sha256, sizeof meta->sha256, hash, sizeof hash);
  return 0;
}

/* The attachments folder: beside the database file. */
static void folder_of(sqlite3 *db, char *out, size_t outlen) {
  const char *path = sqlite3_db_filename(db, "main");
  const char *slash = path ? strrchr(path, '/') : NULL;
  if (slash) snprintf(out, outlen, "%.*s/attachments", (int)(slash - path), path);
  else snprintf(out, outlen, "attachments");
}

int attachment_store(sqlite3 *db, const char *data, size_t len, const char *sha256,
                     char *err, size_t errlen) {
  char dir[4096], path[4200], tmp[4300];
  folder_of(db, dir, sizeof dir);
  snprintf(path, sizeof path, "%s/%s", dir, sha256);
  if (access(path, F_OK) == 0) return 0;   /* same content already stored */
  if (mkdir(dir, 0750) && errno != EEXIST) {
    snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
    return -1;
  }
  /* Write to a temporary name, sync, then rename: a crash leaves either
  ** nothing or the whole file under its final name. */
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640);
  size_t done = 0;
  while (fd >= 0 && done < len) {
    ssize_t n = write(fd, data + done, len - done);
    if (n <= 0) break;
    done += (size_t)n;
  }
  int ok = fd >= 0 && done == len && fsync(fd) == 0;
  if (fd >= 0) close(fd);
  if (!ok || rename(tmp, path)) {
    snprintf(err, errlen, "cannot store attachment: %s", strerror(errno));
    unlink(tmp);
    return -1;
  }
  return 0;
}

void attachment_serve(struct http_request *req, struct http_response *res, const char *sha256,
                      const char *mime, const char *name) {
  char dir[4096], path[4200];
  folder_of(req->db, dir, sizeof dir);
  snprintf(path, sizeof path, "%s/%s", dir, sha256);
  size_t len;
  char *data = file_read(path, &len);
  if (!data) {
    http_reply_error(res, 500, "storage_error", "attachment file %s is missing", sha256);
    return;
  }
  static __thread char type[128];
  snprintf(type, sizeof type, "%s", mime);
  http_reply_download(res, data, len, type, name);
}
