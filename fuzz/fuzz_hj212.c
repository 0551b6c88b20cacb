/*
** libFuzzer target for the HJ 212 framing and parsing (src/hj212/). Each
** input is used twice: as a data segment given straight to the parser (the
** CRC would otherwise stop almost every mutation before the parser), and
** as a TCP stream cut into reads of a size taken from its first byte. Every
** packet accepted must give a reply that the parser accepts in turn, and
** split packets go through the reassembler, and its stored form (the
** record of migration 0008) must fit and be JSON. Every segment is also parsed
** by a second copy of src/hj212/parse.c compiled here with the portable
** classifier, fast and with its scalar path alone: the three must agree.
** Build and run with scripts/fuzz.sh (clang -fsanitize=fuzzer,address,undefined).
*/
#include "hj212/hj212.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/portable_parser.h"   /* the second parser */

static struct hj212_codes *codes;
static struct hj212_reassembler *reasm;
static struct hj212_packet pkt, reply, other;

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

static int same_view(struct hj212_str a, struct hj212_str b) { return a.p == b.p && a.len == b.len; }

/* The result in OTHER (reason R) is the one in pkt (reason WANT): views
** the same places (a missing field's name is text outside the segment). */
static void same_result(enum hj212_reason want, enum hj212_reason r) {
  const struct hj212_packet *a = &pkt, *b = &other;
  const char *seg = a->segment.p;
  int inside = a->error_at.p >= seg && a->error_at.p <= seg + a->segment.len;
  if (r != want || (inside ? !same_view(a->error_at, b->error_at)
                           : a->error_at.len != b->error_at.len ||
                                 memcmp(a->error_at.p, b->error_at.p, a->error_at.len)))
    abort();
  if (r) return;
  if (!same_view(a->qn, b->qn) || !same_view(a->st, b->st) || !same_view(a->pw, b->pw) ||
      !same_view(a->mn, b->mn) || !same_view(a->cp, b->cp) || a->cn != b->cn ||
      a->flag != b->flag || a->version != b->version || a->pnum != b->pnum || a->pno != b->pno ||
      a->has_qn != b->has_qn || a->has_datatime != b->has_datatime || a->warnings != b->warnings ||
      a->npollutants != b->npollutants || a->nparams != b->nparams ||
      (a->has_qn && memcmp(&a->qn_time, &b->qn_time, sizeof a->qn_time)) ||
      (a->has_datatime && memcmp(&a->datatime, &b->datatime, sizeof a->datatime)))
    abort();
  for (size_t i = 0; i < a->nparams; i++)
    if (!same_view(a->params[i].key, b->params[i].key) || !same_view(a->params[i].value, b->params[i].value))
      abort();
  for (size_t i = 0; i < a->npollutants; i++) {
    const struct hj212_pollutant *x = &a->pollutants[i], *y = &b->pollutants[i];
    if (!same_view(x->code, y->code) || x->key != y->key || x->info != y->info ||
        x->status != y->status || x->present != y->present ||
        x->code2017.len != y->code2017.len || memcmp(x->code2017.p, y->code2017.p, x->code2017.len) ||
        ((x->present & HJ212_HAS_FLAG) && x->flag != y->flag) ||
        ((x->present & HJ212_HAS_EFLAG) && !same_view(x->eflag, y->eflag)) ||
        ((x->present & HJ212_HAS_SAMPLETIME) && memcmp(&x->sample_time, &y->sample_time, sizeof x->sample_time)))
      abort();
    for (int v = 0; v < HJ212_NVALUES; v++)
      if ((x->present & (1u << v)) &&
          (memcmp(&x->v[v], &y->v[v], sizeof x->v[v]) || !same_view(x->raw[v], y->raw[v])))
        abort();
  }
}

/* The three parsers agree; an accepted packet's reply must be accepted too. */
static void check(const char *seg, size_t len) {
  enum hj212_reason r = hj212_parse(seg, len, codes, &pkt);
  same_result(r, portable_parse(seg, len, codes, &other));
  same_result(r, parse(seg, len, codes, &other, 0));
  if (r != HJ212_OK) return;
  char out[HJ212_FRAME_MAX + 1];
  size_t n = hj212_build_reply(out, sizeof out, &pkt, 9014, 0);
  if (n == 0 || hj212_parse(out + 6, n - 12, codes, &reply) != HJ212_OK) abort();
  /* the stored form of any segment the framer passes fits and is JSON
     (the database no longer checks it row by row: migration 0008) */
  static char record[HJ212_RECORD_MAX];
  size_t rn = hj212_record_json(&pkt, record, sizeof record);
  if (len <= HJ212_SEGMENT_MAX && rn == 0) abort();
  json_t *j = rn ? json_loadb(record, rn, JSON_DECODE_INT_AS_REAL, NULL) : NULL;   /* big integers are JSON too */
  if (rn && !json_is_object(j)) abort();
  json_decref(j);
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
