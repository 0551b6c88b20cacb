/*
** A VFS whose time the demo sets (clock.h).
*/
#include "demo/clock.h"
#include <sqlite3.h>
#include <time.h>

/* Julian day number of 1970-01-01 00:00 UTC, in milliseconds. */
#define UNIX_EPOCH_JD_MS 210866760000000LL

static sqlite3_vfs clock_vfs;
static int64_t clock_unix_seconds;

static int clock_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
  (void)vfs;
  *out = UNIX_EPOCH_JD_MS + clock_unix_seconds * 1000;
  return SQLITE_OK;
}

static int clock_time(sqlite3_vfs *vfs, double *out) {
  sqlite3_int64 ms;
  clock_time_int64(vfs, &ms);
  *out = (double)ms / 86400000.0;
  return SQLITE_OK;
}

int demo_clock_install(void) {
  sqlite3_vfs *base = sqlite3_vfs_find(NULL);
  if (!base) return -1;
  if (clock_vfs.zName) return 0;
  clock_unix_seconds = (int64_t)time(NULL);
  /* the default VFS's methods read pVfs->pAppData and szOsFile: copied */
  clock_vfs = *base;
  clock_vfs.zName = "qingshui-demo-clock";
  clock_vfs.xCurrentTime = clock_time;
  if (clock_vfs.iVersion >= 2) clock_vfs.xCurrentTimeInt64 = clock_time_int64;
  return sqlite3_vfs_register(&clock_vfs, 1) == SQLITE_OK ? 0 : -1;
}

void demo_clock_set(int64_t unix_seconds) { clock_unix_seconds = unix_seconds; }
