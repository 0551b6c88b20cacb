/*
** A printable table as a PDF (report.h), drawn with cairo and pango.
**
** The document is drawn twice: once to count the pages (for "第 1 页，共 3
** 页"), then for real. Each sheet starts with its title; its header row is
** repeated at the top of every page it runs onto; the signature block
** closes the last page.
*/
#include "report/report.h"
#include "util/buf.h"
#include "util/embedded.h"
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A4_SHORT 595.28
#define A4_LONG 841.89
#define MARGIN 48.0
#define FOOTER 28.0
#define PAD 3.0
#define BODY_SIZE 9
#define WIDE_COLUMN 150.0   /* the most a column that does not wrap may take */
#define FONT "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"

struct page {
  cairo_t *cr;
  const struct table_doc *doc;
  const char *date;
  double width, height, y;
  int number, total;        /* total 0 while counting */
};

static PangoLayout *text_layout(cairo_t *cr, const char *text, int size, int bold, double width) {
  PangoLayout *l = pango_cairo_create_layout(cr);
  PangoFontDescription *f = pango_font_description_from_string(FONT);
  pango_font_description_set_size(f, size * PANGO_SCALE);
  pango_font_description_set_weight(f, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(l, f);
  pango_font_description_free(f);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_text(l, text, -1);
  return l;
}

static double layout_height(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}

/* Draw TEXT centred across the page at the current y; advance y. */
static void centred(struct page *p, const char *text, int size, int bold, double r, double g, double b) {
  PangoLayout *l = text_layout(p->cr, text, size, bold, p->width - 2 * MARGIN);
  pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
  cairo_set_source_rgb(p->cr, r, g, b);
  cairo_move_to(p->cr, MARGIN, p->y);
  pango_cairo_show_layout(p->cr, l);
  p->y += layout_height(l) + 4;
  g_object_unref(l);
}

static void footer(struct page *p) {
  char text[96];
  snprintf(text, sizeof text, p->doc->lang == TABLE_EN ? "Page %d of %d" : "第 %d 页，共 %d 页",
           p->number, p->total ? p->total : p->number);
  double y = p->y;
  p->y = p->height - MARGIN + (FOOTER - 16) / 2;
  centred(p, text, 8, 0, 0.3, 0.3, 0.3);
  p->y = y;
}

static void new_page(struct page *p) {
  if (p->number) {
    footer(p);
    cairo_show_page(p->cr);
  }
  p->number++;
  p->y = MARGIN;
}

/* The letterhead of the first page: the issuing body in red over a red rule. */
static void letterhead(struct page *p) {
  centred(p, report_issuer(p->doc->lang), 18, 1, 0.78, 0.08, 0.08);
  cairo_set_source_rgb(p->cr, 0.78, 0.08, 0.08);
  cairo_set_line_width(p->cr, 2);
  cairo_move_to(p->cr, MARGIN, p->y + 2);
  cairo_line_to(p->cr, p->width - MARGIN, p->y + 2);
  cairo_stroke(p->cr);
  p->y += 14;
}

/* Column widths: each column's natural width (a wide one capped), wrapped
** columns sharing what is left; scaled down if still too wide. */
static void column_widths(cairo_t *cr, const struct table_doc *d, const struct table_sheet *s,
                          double avail, double *w) {
  double fixed = 0;
  int wraps = 0;
  for (int c = 0; c < s->ncols; c++) {
    PangoLayout *l = text_layout(cr, table_word(d, s->cols[c].zh, s->cols[c].en), BODY_SIZE, 1, -1);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    w[c] = (double)pw / PANGO_SCALE;
    g_object_unref(l);
    if (s->cols[c].kind == TABLE_WRAP) {
      wraps++;
      continue;
    }
    size_t i;
    json_t *row;
    json_array_foreach(s->rows, i, row) {
      char text[512];
      table_text(&s->cols[c], row, d->lang, text, sizeof text);
      l = text_layout(cr, text, BODY_SIZE, 0, -1);
      pango_layout_get_size(l, &pw, &ph);
      if ((double)pw / PANGO_SCALE > w[c]) w[c] = (double)pw / PANGO_SCALE;
      g_object_unref(l);
    }
    w[c] = (w[c] > WIDE_COLUMN ? WIDE_COLUMN : w[c]) + 2 * PAD + 1;
    fixed += w[c];
  }
  double rest = wraps ? (avail - fixed) / wraps : 0;
  if (rest < 120) rest = 120;
  double total = fixed + rest * wraps;
  for (int c = 0; c < s->ncols; c++) {
    if (s->cols[c].kind == TABLE_WRAP) w[c] = rest;
    if (total > avail) w[c] *= avail / total;
  }
}

static int numeric(enum table_kind kind) {
  return kind == TABLE_INT || kind == TABLE_FIXED || kind == TABLE_PERCENT;
}

/* Draw one row of CELLS in the columns of S (or measure it: DRAW 0);
** numbers are right-aligned but in the header (BOLD). Returns its height. */
static double table_row(struct page *p, const struct table_sheet *s, char **cells, const double *w,
                        int bold, int draw) {
  PangoLayout *l[TABLE_MAX_COLUMNS];
  double h = 0;
  int n = s->ncols;
  for (int c = 0; c < n; c++) {
    l[c] = text_layout(p->cr, cells[c], BODY_SIZE, bold, w[c] - 2 * PAD);
    if (!bold && numeric(s->cols[c].kind)) pango_layout_set_alignment(l[c], PANGO_ALIGN_RIGHT);
    double ch = layout_height(l[c]) + 2 * PAD;
    if (ch > h) h = ch;
  }
  double x = MARGIN;
  for (int c = 0; c < n; c++) {
    if (draw) {
      if (bold) {
        cairo_set_source_rgb(p->cr, 0.91, 0.96, 0.95);
        cairo_rectangle(p->cr, x, p->y, w[c], h);
        cairo_fill(p->cr);
      }
      cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
      cairo_set_line_width(p->cr, 0.5);
      cairo_rectangle(p->cr, x, p->y, w[c], h);
      cairo_stroke(p->cr);
      cairo_set_source_rgb(p->cr, 0, 0, 0);
      cairo_move_to(p->cr, x + PAD, p->y + PAD);
      pango_cairo_show_layout(p->cr, l[c]);
    }
    x += w[c];
    g_object_unref(l[c]);
  }
  return h;
}

static void header_row(struct page *p, const struct table_sheet *s, const double *w) {
  char *cells[TABLE_MAX_COLUMNS];
  for (int c = 0; c < s->ncols; c++) cells[c] = (char *)table_word(p->doc, s->cols[c].zh, s->cols[c].en);
  p->y += table_row(p, s, cells, w, 1, 1);
}

static void sheet(struct page *p, const struct table_sheet *s) {
  double w[TABLE_MAX_COLUMNS];
  int n = s->ncols;
  column_widths(p->cr, p->doc, s, p->width - 2 * MARGIN, w);
  if (p->y > p->height / 2) new_page(p);
  centred(p, s->title, 13, 1, 0, 0, 0);
  p->y += 4;
  header_row(p, s, w);
  size_t i;
  json_t *row;
  json_array_foreach(s->rows, i, row) {
    char text[TABLE_MAX_COLUMNS][512], *cells[TABLE_MAX_COLUMNS];
    for (int c = 0; c < n; c++) {
      table_text(&s->cols[c], row, p->doc->lang, text[c], sizeof text[c]);
      cells[c] = text[c];
    }
    if (p->y + table_row(p, s, cells, w, 0, 0) > p->height - MARGIN - FOOTER) {
      new_page(p);
      header_row(p, s, w);
    }
    p->y += table_row(p, s, cells, w, 0, 1);
  }
  p->y += 16;
}

/* Room for the office's seal and the signatures, and the date. */
static void signature(struct page *p) {
  char text[256];
  if (p->doc->lang == TABLE_EN)
    snprintf(text, sizeof text, "Issued by: %s\nSigned: ____________    Seal:\nDate: %s",
             report_issuer(TABLE_EN), p->date);
  else
    snprintf(text, sizeof text, "%s（盖章）\n签发人：____________\n%s", report_issuer(TABLE_ZH), p->date);
  PangoLayout *l = text_layout(p->cr, text, 10, 0, p->width / 2);
  pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
  pango_layout_set_spacing(l, 8 * PANGO_SCALE);
  double h = layout_height(l) + 24;
  if (p->y + h > p->height - MARGIN - FOOTER) new_page(p);
  cairo_set_source_rgb(p->cr, 0, 0, 0);
  cairo_move_to(p->cr, p->width / 2 - MARGIN, p->y + 24);
  pango_cairo_show_layout(p->cr, l);
  g_object_unref(l);
}

/* Is any sheet too wide for portrait A4? */
static int wants_landscape(const struct table_doc *d) {
  cairo_surface_t *probe = cairo_image_surface_create(CAIRO_FORMAT_A1, 1, 1);
  cairo_t *cr = cairo_create(probe);
  int wide = 0;
  for (int i = 0; i < d->nsheets && !wide; i++) {
    double w[TABLE_MAX_COLUMNS], total = 0;
    column_widths(cr, d, &d->sheets[i], 1e6, w);
    for (int c = 0; c < d->sheets[i].ncols; c++)
      total += d->sheets[i].cols[c].kind == TABLE_WRAP ? 200 : w[c];
    wide = total > A4_SHORT - 2 * MARGIN;
  }
  cairo_destroy(cr);
  cairo_surface_destroy(probe);
  return wide;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length) {
  buf_append(closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Draw D into OUT; returns the number of pages (TOTAL 0: counting). */
static int draw(const struct table_doc *d, const char *date, int landscape, int total, struct buf *out,
                cairo_status_t *status) {
  struct page p = {NULL, d, date, landscape ? A4_LONG : A4_SHORT, landscape ? A4_SHORT : A4_LONG, 0, 0, total};
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_buf, out, p.width, p.height);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, d->nsheets ? d->sheets[0].title : "");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "qingshui");
  p.cr = cairo_create(surface);
  new_page(&p);
  letterhead(&p);
  for (int i = 0; i < d->nsheets; i++) sheet(&p, &d->sheets[i]);
  signature(&p);
  footer(&p);
  cairo_show_page(p.cr);
  cairo_destroy(p.cr);
  cairo_surface_finish(surface);
  *status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  return p.number;
}

/* Fontconfig's configuration lives as long as the program; freed at exit
** so that the leak checker sees only what was lost. */
static void release_fonts(void) {
  cairo_debug_reset_static_data();
  FcFini();
}

static void register_release(void) {
  atexit(release_fonts);
}

char *report_pdf(const struct table_doc *d, const char *date, size_t *len, char *err, size_t errlen) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, register_release);
  int landscape = wants_landscape(d);
  struct buf counting = {0}, out = {0};
  cairo_status_t status;
  int pages = draw(d, date, landscape, 0, &counting, &status);
  buf_free(&counting);
  if (status == CAIRO_STATUS_SUCCESS) draw(d, date, landscape, pages, &out, &status);
  /* this thread's font map and its fontconfig patterns, built again next time */
  pango_cairo_font_map_set_default(NULL);
  if (status != CAIRO_STATUS_SUCCESS) {
    snprintf(err, errlen, "cannot draw the PDF: %s", cairo_status_to_string(status));
    buf_free(&out);
    return NULL;
  }
  *len = out.len;
  return out.data;
}

static json_t *letterhead_json;

static void load_letterhead(void) {
  const struct embedded_file *f = embedded_find("data/report/letterhead.json");
  letterhead_json = f ? json_loadb((const char *)f->data, f->size, 0, NULL) : NULL;
  if (!letterhead_json) letterhead_json = json_object();
}

const char *report_issuer(enum table_lang lang) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, load_letterhead);
  const char *s = json_string_value(json_object_get(letterhead_json, lang == TABLE_EN ? "issuer_en" : "issuer"));
  return s ? s : "";
}
