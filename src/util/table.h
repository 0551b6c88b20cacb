/*
** A printable table: what every export (Excel, PDF) is made of. A report
** builds a table_doc from the same JSON its API returns (so the page, the
** workbook and the PDF cannot disagree); xlsx.c and report/pdf.c write it.
** A column says how its values read: text, whole number, fixed decimals,
** percentage of a 0..1 rate, a UTC time shown in China time, yes/no.
*/
#ifndef QS_UTIL_TABLE_H
#define QS_UTIL_TABLE_H
#include <jansson.h>
#include <stddef.h>

enum table_lang { TABLE_ZH, TABLE_EN };

enum table_kind {
  TABLE_TEXT,
  TABLE_WRAP,                  /* long text: wrapped in a wide column */
  TABLE_INT,
  TABLE_FIXED,                 /* DECIMALS places, or the row's DECIMALS_KEY */
  TABLE_PERCENT,               /* a rate 0..1 shown as 63.9% */
  TABLE_TIME,                  /* "…T…Z" (UTC) shown in China time */
  TABLE_BOOL,                  /* 是 / 否 */
};

struct table_column {
  const char *zh, *en;         /* headings */
  const char *key;             /* JSON key of a row; "a.b" for nested keys */
  enum table_kind kind;
  int decimals;                /* TABLE_FIXED, TABLE_PERCENT */
  const char *decimals_key;    /* TABLE_FIXED: the row's own decimals, if set */
};

#define TABLE_MAX_SHEETS 4
#define TABLE_MAX_COLUMNS 32    /* the writers' fixed arrays; more are cut */
#define TABLE_FILE_NAME_SIZE 160

struct table_sheet {
  char name[32];               /* the Excel sheet's name */
  char title[256];             /* the title row: what, which period, which rule */
  const struct table_column *cols;
  int ncols;
  json_t *rows;                /* owned: an array of objects */
};

struct table_doc {
  char stem[96];               /* the file name without the period: 水质月度考核 */
  char period[32];             /* 2026-05, 2026 */
  enum table_lang lang;
  struct table_sheet sheets[TABLE_MAX_SHEETS];
  int nsheets;
};

/* Add a sheet (taking ROWS) with a printf-formatted title; the doc's first
** sheet's title is the PDF's. */
struct table_sheet *table_add_sheet(struct table_doc *d, const char *name, const struct table_column *cols,
                                    int ncols, json_t *rows, const char *title_fmt, ...)
    __attribute__((format(printf, 6, 7)));
void table_doc_free(struct table_doc *d);

/* ZH or EN by the doc's language. */
const char *table_word(const struct table_doc *d, const char *zh, const char *en);
/* The language asked for: LANG ("zh" or "en", from ?lang= or --lang) if
** given, else TABLE_EN when ACCEPT_LANGUAGE (may be NULL) names English
** first. -1 if LANG is given and is neither. */
int table_lang_parse(const char *lang, const char *accept_language, enum table_lang *out);

/* Row's value for COL (NULL when the key is absent). */
json_t *table_value(json_t *row, const struct table_column *col);
/* The decimals COL shows ROW's value with. */
int table_decimals(const struct table_column *col, json_t *row);
/* The cell as text, as printed: "—" for null, "" for absent. */
void table_text(const struct table_column *col, json_t *row, enum table_lang lang, char *out, size_t n);
/* Display width of S in columns: CJK and full-width characters count 2. */
int table_text_width(const char *s);

/* The file name: STEM_PERIOD.EXT (EXT "xlsx", "pdf"). */
void table_file_name(const struct table_doc *d, const char *ext, char *out, size_t n);

#endif
