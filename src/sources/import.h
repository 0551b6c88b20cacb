/*
** The row validator of `qingshui sources import`'s own CSV layout, pure:
** one row per outlet and pollutant, with English headers (enterprise,
** credit_code, county, permit_no, outlet_code, outlet_name, outlet_kind,
** station_mn, pollutant, limit, limit_period, annual_limit_t) or the
** Chinese ones of data/sources/import_layout.csv (企业名称, 统一社会信用代码,
** ...), which also gives the Chinese values of outlet_kind (废水, 废气) and
** limit_period (小时, 日). Headers may be in any order and either language.
**
** All or nothing: any error and no record is returned. Every error names
** its row (the CSV line) and column (number and header as written).
** Checks: each field's form (the credit code by GB 32100, the pollutant
** against the HJ 212 code table and of the outlet's kind, limits), and
** across rows: an enterprise (credit code) has one name, county and
** permit; an outlet (credit code + outlet code) one name, kind and MN; an
** MN belongs to one outlet; a pollutant is listed once per outlet.
** The cross-row checks compare every pair of rows: fine for a permit file
** of thousands of rows.
*/
#ifndef QS_SOURCES_IMPORT_H
#define QS_SOURCES_IMPORT_H
#include <stddef.h>
#include "sources/exceed.h"

struct hj212_codes;

enum src_import_field {
  SRC_F_ENTERPRISE, SRC_F_CREDIT_CODE, SRC_F_COUNTY, SRC_F_PERMIT_NO, SRC_F_OUTLET_CODE,
  SRC_F_OUTLET_NAME, SRC_F_OUTLET_KIND, SRC_F_STATION_MN, SRC_F_POLLUTANT, SRC_F_LIMIT,
  SRC_F_LIMIT_PERIOD, SRC_F_ANNUAL_LIMIT_T, SRC_F_COUNT
};

#define SRC_LAYOUT_ZH_SIZE 64

/* The headers' and values' Chinese names. */
struct src_import_layout {
  char header_zh[SRC_F_COUNT][SRC_LAYOUT_ZH_SIZE];
  char water_zh[SRC_LAYOUT_ZH_SIZE], gas_zh[SRC_LAYOUT_ZH_SIZE];
  char hour_zh[SRC_LAYOUT_ZH_SIZE], day_zh[SRC_LAYOUT_ZH_SIZE];
};

/* The English header of field F ("credit_code"). */
const char *src_import_field_name(enum src_import_field f);

/* Fill L from import_layout.csv (kind,key,zh). Returns 0, or -1 with the
** line in ERR; every header and value needs its row. */
int src_import_layout_load(struct src_import_layout *l, const char *csv, size_t len, char *err,
                           size_t errlen);

/* A parsed CSV row: its line in the file and its fields. */
struct src_import_row {
  int line;
  int nfields;
  const char *const *fields;
};

enum src_outlet_kind { SRC_OUTLET_WATER, SRC_OUTLET_GAS };
enum src_limit_period { SRC_PERIOD_HOUR, SRC_PERIOD_DAY };

struct src_import_record {
  int line;
  char enterprise[256];
  char credit_code[19];
  char county[64];
  char permit_no[64];
  char outlet_code[64];
  char outlet_name[256];
  enum src_outlet_kind outlet_kind;
  char station_mn[32];          /* "" if the outlet has no station */
  char pollutant[8];            /* the 2017 code (a 2005 code is mapped) */
  struct src_limit limit;
  enum src_limit_period limit_period;
  double annual_limit_t;        /* NAN if empty */
};

struct src_import_error {
  int line;                     /* the CSV line */
  int column;                   /* 1-based; 0 for the whole row */
  char header[64];              /* as written in the file, "" for the whole row */
  char message[192];
};

#define SRC_IMPORT_MAX_ERRORS 200

struct src_import_result {
  struct src_import_record *records;  /* malloc'd; NULL when there are errors */
  size_t n;
  struct src_import_error *errors;    /* malloc'd; the first SRC_IMPORT_MAX_ERRORS */
  size_t nerrors;                     /* stored */
  size_t total_errors;                /* found */
};

/* Validate ROWS[0..N) (ROWS[0] the header) against layout L and the HJ 212
** code table CODES. Returns 0 with the records (N - 1 of them), or -1 with
** the errors (or on running out of memory: then total_errors is 0). Free
** with src_import_result_free. */
int src_import_rows(const struct src_import_layout *l, const struct hj212_codes *codes,
                    const struct src_import_row *rows, size_t n, struct src_import_result *out);

void src_import_result_free(struct src_import_result *r);

#endif
