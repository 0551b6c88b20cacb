/*
** HJ 212 (2005, 2017, 2025) as a pure library: the standard's CRC16, an
** incremental framer over a TCP byte stream, the data-segment parser, the
** code table (2017 codes, 2005 codes mapped to them), sub-packet
** reassembly and builders for replies and commands. No I/O: the receiver
** (src/hj212/receiver.c) feeds bytes in and sends the bytes built here.
**
** The hot path (frame, CRC, parse) allocates nothing: a parsed packet is a
** set of string views into the frame's bytes plus numbers, so it is valid
** only as long as those bytes are.
*/
#ifndef QS_HJ212_H
#define QS_HJ212_H
#include <stddef.h>
#include <stdint.h>

#define HJ212_SEGMENT_MAX 1024          /* data segment, bytes (std table 2) */
#define HJ212_FRAME_MAX (HJ212_SEGMENT_MAX + 12)  /* ## LLLL ... CCCC \r\n */
#define HJ212_MAX_POLLUTANTS 128
#define HJ212_MAX_PARAMS 64
#define HJ212_PW_MAX 24                 /* field reality, not the standard's 6 */
#define HJ212_MN_MAX 24
#define HJ212_QN_LEN 17

/* Why a packet (or a connection) was refused. The names (hj212_reason_name)
** are stable and used as Prometheus label values and in logs. The framing,
** parse and receiver reasons share one enum so /metrics has one family. */
enum hj212_reason {
  HJ212_OK = 0,
  /* framing */
  HJ212_E_GARBAGE,          /* bytes before a "##" were skipped */
  HJ212_E_BAD_LENGTH,       /* the 4 length characters are not digits */
  HJ212_E_TOO_LONG,         /* data segment longer than 1024 bytes */
  HJ212_E_BAD_TRAILER,      /* no \r\n where the length says the frame ends */
  HJ212_E_LENGTH_OVERRUN,   /* a new frame starts before the length says this one ends */
  HJ212_E_BAD_CRC_HEX,      /* the 4 CRC characters are not hex digits */
  HJ212_E_CRC_MISMATCH,
  /* data segment */
  HJ212_E_BAD_UTF8,
  HJ212_E_BAD_SYNTAX,       /* not KEY=VALUE;...;CP=&&...&& */
  HJ212_E_UNKNOWN_FIELD,    /* a header field the standard does not have */
  HJ212_E_DUPLICATE_FIELD,
  HJ212_E_MISSING_FIELD,    /* ST, CN, PW, MN or CP missing (QN, Flag from 2017) */
  HJ212_E_BAD_QN,
  HJ212_E_BAD_ST,
  HJ212_E_BAD_CN,
  HJ212_E_BAD_PW,
  HJ212_E_BAD_MN,
  HJ212_E_BAD_FLAG,
  HJ212_E_BAD_PACKET_NUMBER, /* PNUM/PNO malformed or inconsistent with Flag's D bit */
  HJ212_E_BAD_DATATIME,
  HJ212_E_BAD_KEY,          /* a CP item without '=' or with an invalid code */
  HJ212_E_BAD_NUMBER,
  HJ212_E_BAD_DATA_FLAG,    /* xxxxxx-Flag not one of N F M S D C T B */
  HJ212_E_OUT_OF_RANGE,     /* a value outside its code's physical bounds */
  HJ212_E_TOO_MANY_ITEMS,
  /* receiver: station and content checks */
  HJ212_E_UNKNOWN_MN,
  HJ212_E_WRONG_PASSWORD,
  HJ212_E_ST_MISMATCH,      /* ST differs from the station's registered system type */
  HJ212_E_FUTURE_TIME,      /* DataTime too far ahead of the platform's clock */
  HJ212_E_MISSING_DATATIME, /* a data upload without DataTime */
  HJ212_E_UNSUPPORTED_CN,   /* a command the platform does not accept from stations */
  HJ212_E_BAD_SUBPACKET,    /* PNUM changed within one set */
  HJ212_E_OVERLOAD,         /* the writer's queue is full */
  HJ212_REASON_COUNT
};

/* The reason's label ("crc_mismatch"); "unknown" if out of range. */
const char *hj212_reason_name(enum hj212_reason r);
/* One English sentence for humans. */
const char *hj212_reason_text(enum hj212_reason r);

/* ---- CRC ---------------------------------------------------------------- */

/* The standard's "CRC16" (Appendix A) of LEN bytes: not CRC-16/MODBUS. */
uint16_t hj212_crc16(const void *data, size_t len);

/* ---- framing ------------------------------------------------------------ */

/* Per-connection framing state: at most one frame is buffered, so memory is
** bounded by HJ212_FRAME_MAX whatever the peer sends. Zero-initialise (or
** hj212_framer_init) before use. */
struct hj212_framer {
  size_t len;             /* bytes held in buf */
  size_t done;            /* leading bytes of buf that the last frame used */
  size_t probe;           /* where the search for a frame inside buf resumes */
  int in_garbage;         /* a garbage run has been reported and continues */
  uint64_t skipped;       /* total garbage bytes skipped */
  char buf[HJ212_FRAME_MAX];
};

/* A complete, checked frame: its data segment (a view into the caller's
** bytes or into the framer, valid until the next call). */
struct hj212_frame {
  const char *segment;
  size_t len;
  uint16_t crc;
};

enum hj212_frame_result {
  HJ212_FRAME_NEED_MORE = 0, /* all input consumed, no complete frame */
  HJ212_FRAME_OK = 1,        /* *frame holds a frame whose CRC matches */
  HJ212_FRAME_ERROR = 2,     /* *reason says what was dropped; call again */
};

void hj212_framer_init(struct hj212_framer *f);

/* Consume bytes from *DATA (*LEN bytes), advancing both, until one frame
** or one framing error is found. Call in a loop until NEED_MORE: several
** frames per read, frames split across reads and garbage between frames
** are all handled; after an error the framer resynchronises at the next
** "##". */
enum hj212_frame_result hj212_framer_next(struct hj212_framer *f, const char **data,
                                          size_t *len, struct hj212_frame *frame,
                                          enum hj212_reason *reason);

/* ---- code table --------------------------------------------------------- */

enum hj212_code_kind { HJ212_KIND_WATER, HJ212_KIND_AIR, HJ212_KIND_NOISE };

struct hj212_code {
  char code[8];           /* 2017 code */
  char old_code[8];       /* 2005 code, "" if none */
  enum hj212_code_kind kind;
  char *name, *unit, *unit_amount, *data_type;
  double min, max;        /* physical bounds; NAN when none */
};

/* The factor codes, loaded from data/hj212/factor_codes.csv: a hash on the
** 2017 code and one on the 2005 code. Immutable once loaded, so one table
** can serve every thread. */
struct hj212_codes;

/* Parse the CSV text (LEN bytes). Returns NULL with ERR ("line N: ...") on
** failure. Free with hj212_codes_free. */
struct hj212_codes *hj212_codes_load(const char *csv, size_t len, char *err, size_t errlen);
void hj212_codes_free(struct hj212_codes *c);
size_t hj212_codes_count(const struct hj212_codes *c);
/* Lookup by 2017 code, or by 2005 code; NULL if none. */
const struct hj212_code *hj212_codes_find(const struct hj212_codes *c, const char *code, size_t len);
const struct hj212_code *hj212_codes_find_old(const struct hj212_codes *c, const char *code, size_t len);

/* ---- commands ----------------------------------------------------------- */

enum hj212_cn_kind {
  HJ212_CN_UNKNOWN = 0,
  HJ212_CN_UPLOAD,        /* station uploads data: answered with 9014 */
  HJ212_CN_NOTIFY,        /* station notification: answered with 9013 */
  HJ212_CN_REQUEST,       /* platform -> station request (or its upload answer) */
  HJ212_CN_REPLY,         /* 9011..9014 */
  HJ212_CN_HEARTBEAT,     /* 9015 (2025 / surface-water stations) */
};

struct hj212_cn_info {
  int cn;
  enum hj212_cn_kind kind;
  const char *name;       /* "real-time data" */
  int since;              /* first edition that has it: 2005, 2017 or 2025 */
};

/* The command's description, or NULL if the standards we know lack it. */
const struct hj212_cn_info *hj212_cn_find(int cn);

/* ---- parsed packets ----------------------------------------------------- */

/* A view into the packet's bytes (not NUL-terminated). */
struct hj212_str {
  const char *p;
  uint32_t len;
};

/* A date and time as written (local time of the station: the standard
** says nothing of time zones; China uses UTC+8). */
struct hj212_time {
  int16_t year;
  uint8_t month, day, hour, minute, second;
  uint16_t ms;
};

enum hj212_version {
  HJ212_V2005 = 0,        /* no Flag, or version bits 000000 */
  HJ212_V2017 = 1,        /* version bits 000001: Flag 4-7 */
  HJ212_V2025 = 2,        /* version bits 000010: Flag 8-11 */
  HJ212_VFUTURE = 3,      /* any later version: accepted, parsed as 2017 */
};

/* Flag bits (std table 3). */
#define HJ212_FLAG_A 1u   /* the sender wants a reply */
#define HJ212_FLAG_D 2u   /* the packet carries PNUM/PNO */

/* The numeric fields of a pollutant. */
enum hj212_value {
  HJ212_RTD, HJ212_AVG, HJ212_MIN, HJ212_MAX, HJ212_COU,
  HJ212_ZSRTD, HJ212_ZSAVG, HJ212_ZSMIN, HJ212_ZSMAX,
  HJ212_NVALUES
};
/* Field name as sent ("Rtd", "ZsAvg"). */
const char *hj212_value_name(enum hj212_value v);
/* The name of system code ST in HJ 212-2017 table 5 ("21" → 地表水质量监测), or NULL. */
const char *hj212_system_name(const char *st);

/* Bits of hj212_pollutant.present beyond the value bits (1 << value). */
#define HJ212_HAS_FLAG (1u << HJ212_NVALUES)
#define HJ212_HAS_EFLAG (1u << (HJ212_NVALUES + 1))
#define HJ212_HAS_SAMPLETIME (1u << (HJ212_NVALUES + 2))

enum hj212_code_status {
  HJ212_CODE_KNOWN = 0,   /* a 2017 code of the table */
  HJ212_CODE_MAPPED,      /* a 2005 code, mapped to its 2017 code */
  HJ212_CODE_UNKNOWN,     /* in no table: kept, flagged */
};

/* A pollutant's fields. Only those whose bit is in PRESENT are set: the
** parser does not clear the rest, to cost only what the packet holds. */
struct hj212_pollutant {
  struct hj212_str code;       /* as sent: "011", "w01018", "ele01" */
  uint64_t key;                /* code's first 8 bytes packed, for fast comparison */
  struct hj212_str code2017;   /* the 2017 code (the table's), or code if unknown */
  const struct hj212_code *info; /* table row, NULL if unknown */
  enum hj212_code_status status;
  uint32_t present;            /* 1 << enum hj212_value, HJ212_HAS_* */
  char flag;                   /* data flag (N F M S D C T B), 0 if absent */
  double v[HJ212_NVALUES];
  struct hj212_str raw[HJ212_NVALUES]; /* the values' text, for storage as sent */
  struct hj212_str eflag;
  struct hj212_time sample_time;
};

/* Any other CP item: parameters (RtdInterval=30, QnRtn=1, PolId=w01018),
** equipment and site fields (SB1-RS=1, i12001-Info=...), fields a device
** misspelt (LA-td=50.1). */
struct hj212_param {
  struct hj212_str key, value;
};

/* Bits of hj212_packet.warnings: accepted, but worth knowing. */
#define HJ212_WARN_UNKNOWN_CODE 1u    /* a pollutant code in no table */
#define HJ212_WARN_MAPPED_2005 2u     /* 2005 codes were mapped */
#define HJ212_WARN_UNKNOWN_FIELD 4u   /* an unknown xxxxxx-Field kept as a param */
#define HJ212_WARN_DATATIME_MS 8u     /* DataTime with milliseconds */
#define HJ212_WARN_D_WITHOUT_PNUM 16u /* Flag's D bit set, no PNUM/PNO: taken as whole */

struct hj212_packet {
  struct hj212_str segment, qn, st, pw, mn, cp;
  int cn;                      /* 4 digits */
  int flag;                    /* -1 when absent */
  enum hj212_version version;
  int pnum, pno;               /* 0 when absent; PNUM > 0 means a piece of a split packet */
  int has_qn, has_datatime;
  struct hj212_time qn_time, datatime;
  uint32_t warnings;
  size_t npollutants, nparams;
  struct hj212_pollutant pollutants[HJ212_MAX_POLLUTANTS];
  struct hj212_param params[HJ212_MAX_PARAMS];
  /* on failure: the field or text at fault (a view into the segment) */
  struct hj212_str error_at;
};

/* Parse the data segment SEG (LEN bytes, as delivered by the framer).
** CODES may be NULL (then every code is unknown and no bounds apply).
** Returns HJ212_OK or the reason for refusal, with p->error_at set. Only the
** header fields and counts are initialised, not the whole structure, so
** parsing costs what the packet holds. */
enum hj212_reason hj212_parse(const char *seg, size_t len, const struct hj212_codes *codes,
                              struct hj212_packet *p);

/* Convenience: A bit, D bit. */
int hj212_wants_reply(const struct hj212_packet *p);
/* The parameter KEY's value, or NULL. */
const struct hj212_str *hj212_param(const struct hj212_packet *p, const char *key);
/* The pollutant whose 2017 code (or code as sent) is CODE, or NULL. */
const struct hj212_pollutant *hj212_pollutant(const struct hj212_packet *p, const char *code);

/* Seconds since 1970-01-01 of T read as a UTC wall clock (the caller adds
** the zone offset). */
int64_t hj212_time_seconds(const struct hj212_time *t);
/* The wall clock of SECS (>= 0) since 1970-01-01: the inverse, ms 0. */
void hj212_time_of_seconds(int64_t secs, struct hj212_time *t);
/* Parse 14 digits YYYYMMDDhhmmss, or 17 with milliseconds when ALLOW_MS.
** Returns 0 on success, -1 if malformed or not a real date. */
int hj212_parse_time(const char *s, size_t len, int allow_ms, struct hj212_time *t);

/* ---- the stored form ---------------------------------------------------- */

/* The packet's pollutants as the JSON object the database keeps (migration
** 0008): {"w01018":{"Rtd":32.1,"Flag":"N"},...}, keyed by the 2017 code,
** each with the fields the station sent: the values as numbers written as
** sent (normalised to JSON: "+.5" is 0.5), Flag, EFlag, SampleTime
** ('YYYY-MM-DD HH:MM:SS'), "sent" when the code was mapped from 2005 and
** "unknown":1 for a code in no table. Returns the length written to OUT
** (NUL-terminated), 0 if CAP is too small (HJ212_RECORD_MAX always does). */
#define HJ212_RECORD_MAX 4096
size_t hj212_record_json(const struct hj212_packet *p, char *out, size_t cap);

/* 'YYYY-MM-DD HH:MM:SS' of T into OUT (20 bytes with the NUL). */
void hj212_format_time(const struct hj212_time *t, char out[20]);

/* ---- sub-packet reassembly ---------------------------------------------- */

/* Pieces of split packets (Flag D bit), grouped by (MN, CN, DataTime): each
** piece has its own QN. Pieces are copied (split packets are rare, so this
** is off the hot path); a group is complete when PNO 1..PNUM are all in.
** The receiver stores and acknowledges each piece on its own (a station
** waits for the 9014 of piece 1 before sending piece 2); reassembly tells
** when the whole reading is in. */
struct hj212_reassembler;

enum hj212_reasm_result {
  HJ212_REASM_PENDING,    /* stored, more pieces to come */
  HJ212_REASM_COMPLETE,   /* all pieces in: see hj212_reasm_piece */
  HJ212_REASM_DUPLICATE,  /* this PNO was already received (a retransmission) */
  HJ212_REASM_ERROR,      /* PNUM differs from the group's, or too many pieces */
};

#define HJ212_REASM_MAX_PIECES 64

/* At most MAX_GROUPS open groups (the oldest is evicted when full); groups
** older than TIMEOUT seconds are dropped by hj212_reasm_expire. */
struct hj212_reassembler *hj212_reasm_new(size_t max_groups, int64_t timeout);
void hj212_reasm_free(struct hj212_reassembler *r);
/* Add piece P (parsed, with its D bit set and DataTime present) at time
** NOW. On COMPLETE, *GROUP identifies the group for hj212_reasm_piece and
** hj212_reasm_release. */
enum hj212_reasm_result hj212_reasm_add(struct hj212_reassembler *r, const struct hj212_packet *p,
                                        int64_t now, int *group);
/* The data segment of piece PNO (1-based) of a complete GROUP. */
const char *hj212_reasm_piece(const struct hj212_reassembler *r, int group, int pno, size_t *len);
/* Forget a complete group. */
void hj212_reasm_release(struct hj212_reassembler *r, int group);
/* Drop groups older than the timeout; returns how many were dropped. */
size_t hj212_reasm_expire(struct hj212_reassembler *r, int64_t now);
size_t hj212_reasm_open(const struct hj212_reassembler *r);

/* ---- builders ----------------------------------------------------------- */

/* Wrap the data segment SEG (LEN bytes) into a frame in OUT (CAP bytes):
** "##" length, SEG, CRC as upper-case hex, "\r\n". Returns the frame's
** length, or 0 if SEG is longer than 1024 bytes or OUT too small. */
size_t hj212_frame_build(char *out, size_t cap, const char *seg, size_t len);

/* The platform's reply to packet REQ: CN 9011 (QnRtn=RTN), 9012
** (ExeRtn=RTN), 9013 or 9014 (RTN ignored). QN, PW and MN are echoed, ST is
** 91, Flag carries REQ's version bits. Returns the frame length or 0. */
size_t hj212_build_reply(char *out, size_t cap, const struct hj212_packet *req, int cn, int rtn);

/* Who a command is for. QN is 17 digits (hj212_format_qn). */
struct hj212_target {
  const char *qn, *st, *pw, *mn;
  enum hj212_version version;
  int want_reply;         /* the A bit: the station answers 9011/9012 */
};

/* Write the QN for a moment MS milliseconds since the epoch, shown in
** the zone UTC + TZ_SECONDS: "YYYYMMDDhhmmsszzz" plus NUL. */
void hj212_format_qn(char out[HJ212_QN_LEN + 1], int64_t ms, int tz_seconds);

/* A command with CN and a CP body (the text between the && marks, may be
** ""). Returns the frame length or 0 (too long, or a field invalid). */
size_t hj212_build_command(char *out, size_t cap, const struct hj212_target *t, int cn,
                           const char *cp);
/* CN 1011, get the station's time (POLID may be NULL: the data logger). */
size_t hj212_build_get_time(char *out, size_t cap, const struct hj212_target *t, const char *polid);
/* CN 1012, set the station's time to SYSTEM_TIME ("YYYYMMDDhhmmss"). */
size_t hj212_build_set_time(char *out, size_t cap, const struct hj212_target *t, const char *polid,
                            const char *system_time);
/* CN 2011, start sending real-time data; CN 2012 stops it. */
size_t hj212_build_start_realtime(char *out, size_t cap, const struct hj212_target *t);
size_t hj212_build_stop_realtime(char *out, size_t cap, const struct hj212_target *t);
/* CN 1061, get, and 1062, set, the real-time interval in seconds (30-3600
** in 2017; 2025 and surface-water stations use shorter ones: 1-3600). */
size_t hj212_build_get_rtd_interval(char *out, size_t cap, const struct hj212_target *t);
size_t hj212_build_set_rtd_interval(char *out, size_t cap, const struct hj212_target *t, int seconds);
/* CN 1064, set the minute-data interval (1,2,3,4,5,6,10,12,15,20,30 minutes). */
size_t hj212_build_set_min_interval(char *out, size_t cap, const struct hj212_target *t, int minutes);
/* CN 1000, set the reply timeout (1-99 s) and retry count (1-99). */
size_t hj212_build_set_timeout(char *out, size_t cap, const struct hj212_target *t, int seconds,
                               int retries);
/* CN 2031/2051/2061 history request between BEGIN and END (YYYYMMDDhhmmss). */
size_t hj212_build_get_history(char *out, size_t cap, const struct hj212_target *t, int cn,
                               const char *begin, const char *end);

#endif
