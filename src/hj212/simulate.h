/*
** `qingshui simulate`: HJ 212 stations played over TCP (libuv) against a
** receiver, for the demo and for load tests. See simulate.c.
*/
#ifndef QS_HJ212_SIMULATE_H
#define QS_HJ212_SIMULATE_H

int simulate_main(int argc, char **argv);

#endif
