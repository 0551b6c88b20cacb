/*
** Lookup tables of the HJ 212 CRC (generated data in crc_tables.c).
*/
#ifndef QS_HJ212_CRC_TABLES_H
#define QS_HJ212_CRC_TABLES_H
#include <stdint.h>

extern const uint16_t hj212_crc_t[256];
extern const uint8_t hj212_crc_h[8][256];

#endif
