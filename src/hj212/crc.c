/*
** The HJ 212 CRC (Appendix A of the standard): per byte the register
** becomes (crc >> 8) ^ byte, then 8 shift/xor-0xA001 steps. The low byte is
** dropped at every step, so only 8 bits of state pass from byte to byte:
** s' = H(s ^ byte), with H[x] = T[x] >> 8, which is linear over GF(2).
**
** H also has order 8 (H^8 is the identity; the unit tests check it), so
** the state before the last byte, of bytes b_0..b_{m-1}, is the XOR of
** H^(m-i)(b_i) with the exponent taken mod 8: the bytes whose positions
** are equal mod 8 can be XORed together first. The whole segment is folded
** into one 64-bit word with plain XORs (eight bytes a step, no table and
** no chain of dependent lookups), then eight lookups, one per lane, give
** the state. This makes the CRC almost free next to parsing.
*/
#include "hj212/hj212.h"
#include "hj212/crc_tables.h"
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static const union { uint16_t u; unsigned char c[2]; } ORDER = {1};
#define LITTLE_ENDIAN_HOST (ORDER.c[0] != 0)   /* compilers fold the test away */

/* Word W (8 bytes in memory order) without its first K = 1..7 bytes, the
** rest moved to the front and zeros behind. */
static uint64_t drop_first(uint64_t w, unsigned k) {
  return LITTLE_ENDIAN_HOST ? w >> 8 * k : w << 8 * k;
}

static uint64_t swap_bytes(uint64_t w) {
#if defined(__GNUC__)
  return __builtin_bswap64(w);
#else
  w = (w & 0x00000000FFFFFFFFull) << 32 | w >> 32;
  w = (w & 0x0000FFFF0000FFFFull) << 16 | (w >> 16 & 0x0000FFFF0000FFFFull);
  return (w & 0x00FF00FF00FF00FFull) << 8 | (w >> 8 & 0x00FF00FF00FF00FFull);
#endif
}

/* The XOR of the 8-byte words of P[0..N), the last one zero-padded:
** lane L holds the XOR of the bytes at positions = L mod 8. Two
** accumulators let two loads issue per cycle; with SSE2, 32 bytes a step
** first (a load-XOR per 16 bytes). The last partial word is
** the 8 bytes that end at N less those already taken (no copy of a
** variable length, a library call). */
static uint64_t fold(const unsigned char *p, size_t n) {
  uint64_t a = 0, b = 0, w;
  size_t i = 0;
#if defined(__SSE2__)
  __m128i x = _mm_setzero_si128(), y = _mm_setzero_si128();
  for (; i + 32 <= n; i += 32) {
    x = _mm_xor_si128(x, _mm_loadu_si128((const __m128i *)(const void *)(p + i)));
    y = _mm_xor_si128(y, _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16)));
  }
  x = _mm_xor_si128(x, y);
  a = (uint64_t)_mm_cvtsi128_si64(x) ^ (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(x, x));
#endif
  for (; i + 16 <= n; i += 16) {
    memcpy(&w, p + i, 8);
    a ^= w;
    memcpy(&w, p + i + 8, 8);
    b ^= w;
  }
  if (i + 8 <= n) {
    memcpy(&w, p + i, 8);
    a ^= w;
    i += 8;
  }
  w = 0;
  if (i < n && n >= 8) {
    memcpy(&w, p + n - 8, 8);
    w = drop_first(w, (unsigned)(8 - (n - i)));
  } else if (i < n) {
    memcpy(&w, p + i, n - i);
  }
  return a ^ b ^ w;
}

uint16_t hj212_crc16(const void *data, size_t len) {
  const unsigned char *p = data;
  if (len == 0) return 0xFFFF;
  size_t m = len - 1;   /* the last byte gives the full 16-bit result */
  uint64_t w = fold(p, m);   /* lane L: byte L in memory order */
  /* the state (register >> 8 = 0xFF) enters with byte 0; with m = 0 it
     meets H^8, the identity, and stays 0xFF. V: the lanes as a number,
     lane 0 in the top byte */
  uint64_t v = LITTLE_ENDIAN_HOST ? swap_bytes(w ^ 0xFF) : w ^ 0xFFull << 56;
  /* lane L meets H^e, e = m - L mod 8 in 1..8: table hj212_crc_h[e - 1].
     V rotated left by m mod 8 bytes has the lane for table J in byte J,
     so no index is worked out per lane */
  unsigned k = 8 * (unsigned)(m & 7);
  v = v << k | v >> ((64 - k) & 63);
  unsigned s = 0;
  for (unsigned j = 0; j < 8; j++) s ^= hj212_crc_h[j][v >> 8 * j & 0xFF];
  return hj212_crc_t[s ^ p[m]];
}
