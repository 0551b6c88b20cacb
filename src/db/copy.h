/*
** `qingshui db copy`: a city's SQLite database into PostgreSQL.
*/
#ifndef QS_DB_COPY_H
#define QS_DB_COPY_H

/* The `db` subcommands (copy). */
int db_cli(int argc, char **argv);

#endif
