/*
** Placeholders: the layer's SQL is written with SQLite's `?` and `?N`;
** PostgreSQL wants `$N`. Pure, so that the unit tests reach it.
*/
#ifndef QS_DB_PLACEHOLDERS_H
#define QS_DB_PLACEHOLDERS_H

/* SQL with every `?` and `?N` outside quotes and comments written `$N`: a
** bare `?` takes one more than the highest number so far, as in SQLite.
** *NPARAMS gets the highest number. Malloc'd (abort on no memory). */
char *sql_placeholders_to_pg(const char *sql, int *nparams);

#endif
