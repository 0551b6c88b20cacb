/*
** libFuzzer target for the HJ 212 framing and parsing (src/hj212/). Each
** input is used twice: as a data segment given straight to the parser (the
** CRC would otherwise stop almost every mutation before the parser), and
** as a TCP stream cut into reads of a size taken from its first byte. Every
** packet accepted must give a reply that the parser accepts in turn, and
** split packets go through the reassembler.
** Build and run with scripts/fuzz.sh (clang -fsanitize=fuzzer,address,undefined).
*/
#include "hj212/hj212.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct hj212_codes *codes;
static struct hj212_reassembler *reasm;
static struct hj212_packet pkt, reply;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  static char csv[65536];
  FILE *f = fopen("data/hj212/factor_codes.csv", "rb");
  size_t n = f ? fread(csv, 1, sizeof csv - 1, f) : 0;
  if (f) fclose(f);
  char err[160];
  codes = hj212_codes_load(csv, n, err, sizeof err);
  if (!codes) fprintf(stderr, "fuzz: no code table (%s); run from the source root\n", err);
  reasm = hj212_reasm_new(8, 60);
  return 0;
}

/* An accepted packet's reply must be accepted too. */
static void check(const char *seg, size_t len) {
  if (hj212_parse(seg, len, codes, &pkt) != HJ212_OK) return;
  char out[HJ212_FRAME_MAX + 1];
  size_t n = hj212_build_reply(out, sizeof out, &pkt, 9014, 0);
  if (n == 0 || hj212_parse(out + 6, n - 12, codes, &reply) != HJ212_OK) abort();
  int group;
  if (pkt.pnum && pkt.has_datatime &&
      hj212_reasm_add(reasm, &pkt, (int64_t)len, &group) == HJ212_REASM_COMPLETE)
    hj212_reasm_release(reasm, group);
  hj212_reasm_expire(reasm, (int64_t)len);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  check((const char *)data, size);
  if (size == 0) return 0;
  size_t chunk = (size_t)data[0] + 1;
  struct hj212_framer f;
  hj212_framer_init(&f);
  for (size_t off = 1; off < size; off += chunk) {
    const char *p = (const char *)data + off;
    size_t n = size - off < chunk ? size - off : chunk;
    struct hj212_frame fr;
    enum hj212_reason why;
    enum hj212_frame_result r;
    while ((r = hj212_framer_next(&f, &p, &n, &fr, &why)) != HJ212_FRAME_NEED_MORE) {
      if (r == HJ212_FRAME_OK) {
        if (hj212_crc16(fr.segment, fr.len) != fr.crc) abort();
        check(fr.segment, fr.len);
      }
      if (f.len > HJ212_FRAME_MAX) abort();
    }
  }
  return 0;
}
