/*
** The `qingshui air` subcommands, and the air tables as compiled into the
** binary.
*/
#ifndef QS_AIR_CMD_H
#define QS_AIR_CMD_H
#include "air/air.h"

/* `qingshui air ...`: argv[0] is "air". */
int air_main(int argc, char **argv);

/* The air tables from the embedded data/air and data/standards files,
** loaded on first use (thread-safe). NULL, with ERR set, if one is bad. */
const struct air_standard *air_builtin_standard(char *err, size_t errlen);

#endif
