/* `qingshui geo ...` (cli.c). */
#ifndef QS_GEO_CLI_H
#define QS_GEO_CLI_H

int geo_cli(int argc, char **argv);

#endif
