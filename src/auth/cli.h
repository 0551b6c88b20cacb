/*
** `qingshui user ...`: accounts from the command line.
*/
#ifndef QS_AUTH_CLI_H
#define QS_AUTH_CLI_H

int user_cli(int argc, char **argv);

#endif
