/*
** The HJ 212 CRC (Appendix A of the standard): per byte the register
** becomes (crc >> 8) ^ byte, then 8 shift/xor-0xA001 steps. The low byte is
** dropped at every step, so only 8 bits of state pass from byte to byte;
** that state step H is linear over GF(2), which lets us fold 16 bytes with
** 16 independent lookups (slicing) instead of a chain of 16 dependent ones.
** This is what lets the parser reach millions of packets per second.
*/
#include "hj212/hj212.h"
#include "hj212/crc_tables.h"
#include <string.h>

/* The state after the 8 bytes of W (little-endian order), for table
** offset K: bytes 0..7 take H^(K+8)..H^(K+1). */
static unsigned fold8(uint64_t w, int k) {
  const uint8_t (*h)[256] = hj212_crc_h;
  return h[k + 7][w & 0xFF] ^ h[k + 6][(w >> 8) & 0xFF] ^ h[k + 5][(w >> 16) & 0xFF] ^
         h[k + 4][(w >> 24) & 0xFF] ^ h[k + 3][(w >> 32) & 0xFF] ^ h[k + 2][(w >> 40) & 0xFF] ^
         h[k + 1][(w >> 48) & 0xFF] ^ h[k][w >> 56];
}

/* 8 bytes at P as a little-endian word, whatever the host's order. */
static uint64_t load_le(const unsigned char *p) {
  uint64_t w = 0;
  for (int i = 7; i >= 0; i--) w = w << 8 | p[i];
  return w;
}

uint16_t hj212_crc16(const void *data, size_t len) {
  const unsigned char *p = data;
  if (len == 0) return 0xFFFF;
  /* state = register >> 8; the register starts at 0xFFFF */
  unsigned s = 0xFF;
  size_t n = len - 1;   /* the last byte gives the full 16-bit result */
  while (n >= 16) {
    /* the state enters with the first byte, so it is XORed into it */
    uint64_t w0 = load_le(p) ^ s, w1 = load_le(p + 8);
    s = fold8(w0, 8) ^ fold8(w1, 0);
    p += 16;
    n -= 16;
  }
  while (n--) s = hj212_crc_h[0][s ^ *p++];
  return hj212_crc_t[s ^ *p];
}
