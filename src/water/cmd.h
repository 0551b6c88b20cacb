/*
** The `qingshui water` subcommands, and the standard tables as compiled
** into the binary.
*/
#ifndef QS_WATER_CMD_H
#define QS_WATER_CMD_H
#include "water/standard.h"

/* `qingshui water ...`: argv[0] is "water". */
int water_main(int argc, char **argv);

/* `qingshui water export ...`: argv[0] is "export" (also `qingshui report water-month`). */
int water_export_main(int argc, char **argv);

/* GB 3838 from the embedded data/standards tables, loaded on first use
** (thread-safe). NULL, with ERR set, if the tables are missing or bad. */
const struct water_standard *water_builtin_standard(char *err, size_t errlen);

#endif
