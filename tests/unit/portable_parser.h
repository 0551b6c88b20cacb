/*
** The HJ 212 parser compiled a second time, with its portable classifier
** (no SSE2) and its functions renamed portable_*, for the unit tests and
** the fuzzer to compare with the library's: include once, before any
** other use of the names (function-like macros: hj212_pollutant is a
** struct too). Its static parse(..., fast) also gives the scalar path.
*/
#ifndef QS_TEST_PORTABLE_PARSER_H
#define QS_TEST_PORTABLE_PARSER_H
#define HJ212_NO_SIMD 1
#define hj212_parse(...) portable_parse(__VA_ARGS__)
#define hj212_parse_time(...) portable_parse_time(__VA_ARGS__)
#define hj212_time_seconds(...) portable_time_seconds(__VA_ARGS__)
#define hj212_time_of_seconds(...) portable_time_of_seconds(__VA_ARGS__)
#define hj212_wants_reply(...) portable_wants_reply(__VA_ARGS__)
#define hj212_param(...) portable_param(__VA_ARGS__)
#define hj212_pollutant(...) portable_pollutant(__VA_ARGS__)
#include "hj212/parse.c"
#undef hj212_parse
#undef hj212_parse_time
#undef hj212_time_seconds
#undef hj212_time_of_seconds
#undef hj212_wants_reply
#undef hj212_param
#undef hj212_pollutant
#endif
