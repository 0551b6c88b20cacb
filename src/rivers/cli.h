/* `qingshui river ...` (cli.c). */
#ifndef QS_RIVERS_CLI_H
#define QS_RIVERS_CLI_H

int river_cli(int argc, char **argv);

#endif
