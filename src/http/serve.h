/*
** `qingshui serve`: the HTTP server and the services that run beside it.
*/
#ifndef QS_HTTP_SERVE_H
#define QS_HTTP_SERVE_H

int serve_main(int argc, char **argv);

#endif
