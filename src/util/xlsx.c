/*
** Excel workbooks of printable tables (xlsx.h). libxlsxwriter 1.1.4 writes
** only to files, hence the temporary file read back into memory.
*/
#include "util/xlsx.h"
#include "util/file.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_DECIMALS 6
#define MIN_WIDTH 6
#define MAX_WIDTH 48         /* wider text wraps */
#define WRAP_WIDTH 64
#define PORTRAIT_WIDTH 100   /* about what fits across portrait A4 at 100 % */

struct formats {
  lxw_format *title, *head, *text, *wrap, *integer;
  lxw_format *fixed[MAX_DECIMALS + 1], *percent[MAX_DECIMALS + 1];
};

static lxw_format *bordered(lxw_workbook *wb) {
  lxw_format *f = workbook_add_format(wb);
  format_set_border(f, LXW_BORDER_THIN);
  format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
  return f;
}

static lxw_format *numeric(lxw_workbook *wb, const char *num_format) {
  lxw_format *f = bordered(wb);
  format_set_num_format(f, num_format);
  return f;
}

static void make_formats(lxw_workbook *wb, struct formats *f) {
  f->title = workbook_add_format(wb);
  format_set_bold(f->title);
  format_set_font_size(f->title, 14);
  format_set_align(f->title, LXW_ALIGN_CENTER);
  format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
  f->head = bordered(wb);
  format_set_bold(f->head);
  format_set_bg_color(f->head, 0xE8F6F3);
  format_set_text_wrap(f->head);
  f->text = bordered(wb);
  f->wrap = bordered(wb);
  format_set_text_wrap(f->wrap);
  f->integer = numeric(wb, "0");
  for (int d = 0; d <= MAX_DECIMALS; d++) {
    char fixed[16] = "0", percent[16] = "0";
    if (d) {
      snprintf(fixed, sizeof fixed, "0.%.*s", d, "000000");
      snprintf(percent, sizeof percent, "0.%.*s", d, "000000");
    }
    strcat(percent, "%");
    f->fixed[d] = numeric(wb, fixed);
    f->percent[d] = numeric(wb, percent);
  }
}

/* The cell of ROW in column C as its kind reads; returns its printed width. */
static int write_cell(lxw_worksheet *ws, const struct formats *f, lxw_row_t r, lxw_col_t c,
                      const struct table_column *col, json_t *row, enum table_lang lang) {
  json_t *v = table_value(row, col);
  char text[1024];
  table_text(col, row, lang, text, sizeof text);
  int d = table_decimals(col, row);
  if (json_is_number(v) && col->kind == TABLE_PERCENT)
    worksheet_write_number(ws, r, c, json_number_value(v), f->percent[d]);
  else if (json_is_number(v) && col->kind == TABLE_FIXED)
    worksheet_write_number(ws, r, c, json_number_value(v), f->fixed[d]);
  else if (json_is_number(v))
    worksheet_write_number(ws, r, c, json_number_value(v), json_is_integer(v) ? f->integer : f->fixed[2]);
  else if (v)
    worksheet_write_string(ws, r, c, text, col->kind == TABLE_WRAP ? f->wrap : f->text);
  else
    worksheet_write_blank(ws, r, c, f->text);
  int width = 0;   /* the widest line of a wrapped text */
  char *save = NULL;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    int w = table_text_width(line);
    if (w > width) width = w;
  }
  return width;
}

/* The page header's text: the title with its '&' doubled (a code there). */
static void page_header(const char *title, char *out, size_t n) {
  size_t k = snprintf(out, n, "&C");
  for (const char *p = title; *p && k + 3 < n; p++) {
    if (*p == '&') out[k++] = '&';
    out[k++] = *p;
  }
  out[k] = 0;
}

static void write_sheet(lxw_workbook *wb, const struct formats *f, const struct table_doc *d,
                        const struct table_sheet *s) {
  lxw_worksheet *ws = workbook_add_worksheet(wb, s->name);
  int widths[TABLE_MAX_COLUMNS] = {0}, n = s->ncols;
  if (n > 1) worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(n - 1), s->title, f->title);
  else worksheet_write_string(ws, 0, 0, s->title, f->title);
  worksheet_set_row(ws, 0, 28, NULL);
  for (int c = 0; c < n; c++) {
    const char *h = table_word(d, s->cols[c].zh, s->cols[c].en);
    worksheet_write_string(ws, 1, (lxw_col_t)c, h, f->head);
    widths[c] = table_text_width(h);
  }
  size_t i;
  json_t *row;
  json_array_foreach(s->rows, i, row)
    for (int c = 0; c < n; c++) {
      int w = write_cell(ws, f, (lxw_row_t)(i + 2), (lxw_col_t)c, &s->cols[c], row, d->lang);
      if (w > widths[c]) widths[c] = w;
    }
  int total = 0;
  for (int c = 0; c < n; c++) {
    int max = s->cols[c].kind == TABLE_WRAP ? WRAP_WIDTH : MAX_WIDTH, w = widths[c] + 2;
    w = w < MIN_WIDTH ? MIN_WIDTH : w > max ? max : w;
    worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w,
                         s->cols[c].kind == TABLE_WRAP || widths[c] + 2 > max ? f->wrap : NULL);
    total += w;
  }
  worksheet_set_paper(ws, 9);                 /* A4 */
  if (total > PORTRAIT_WIDTH) worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);           /* one page wide, as many long as it takes */
  worksheet_repeat_rows(ws, 1, 1);            /* the header row on every page */
  worksheet_freeze_panes(ws, 2, 0);
  char header[256];
  page_header(s->title, header, sizeof header);
  worksheet_set_header(ws, header);
  worksheet_set_footer(ws, d->lang == TABLE_EN ? "&CPage &P of &N" : "&C第 &P 页，共 &N 页");
}

char *xlsx_write_doc(const struct table_doc *d, size_t *len, char *err, size_t errlen) {
  char path[] = "/tmp/qingshui-xlsx-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create a temporary file");
    return NULL;
  }
  close(fd);
  lxw_workbook *wb = workbook_new(path);
  if (!wb) {
    unlink(path);
    snprintf(err, errlen, "cannot create the workbook");
    return NULL;
  }
  struct formats f;
  make_formats(wb, &f);
  for (int i = 0; i < d->nsheets; i++) write_sheet(wb, &f, d, &d->sheets[i]);
  lxw_error rc = workbook_close(wb);
  char *out = rc == LXW_NO_ERROR ? file_read(path, len) : NULL;
  if (!out) snprintf(err, errlen, "cannot write the workbook: %s", lxw_strerror(rc));
  unlink(path);
  return out;
}
