/*
** Files compiled into the binary (web UI, schema migrations, standards
** tables). The table is generated at build time by scripts/embed.py from
** the list in src/meson.build; names are paths relative to the source root,
** sorted, so lookups can bisect.
*/
#ifndef QS_EMBEDDED_H
#define QS_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
  const char *name;            /* e.g. "web/index.html" */
  const unsigned char *data;   /* NUL-terminated; the NUL is not in size */
  size_t size;
  const char *etag;            /* strong ETag of the data, quotes included */
  const unsigned char *gzip;   /* the data gzipped, or NULL (scripts/embed.py) */
  size_t gzip_size;
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_file_count;

/* The embedded file called NAME, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
