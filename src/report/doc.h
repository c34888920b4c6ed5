/*
 * doc.h - the document model shared by the form builders and the three
 * renderers (internal to src/report).
 *
 * A document is what Decree 30/2020 (Phụ lục I) lays out on an A4 page: the
 * title block (parent body and issuing body on the left, the national
 * emblem lines - Quốc hiệu and Tiêu ngữ - on the right, number and symbol,
 * place and date), the type and summary (tên loại, trích yếu), the
 * addressee, a body of numbered sections, and the signature block (Nơi nhận
 * on the left, authority, position, space for the signature or digital
 * signature, and the signer's name on the right). The builders fill it from
 * JSON; the renderers only draw it, so the three outputs cannot disagree.
 *
 * Every string in the model is owned by the document and freed by doc_free.
 * Allocation failures are sticky: the add functions set doc->failed and
 * the builder checks it once at the end (as git's strbuf users do).
 */
#ifndef CSIRT_REPORT_DOC_H
#define CSIRT_REPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "csirt/buf.h"
#include "csirt/err.h"

enum doc_block_kind {
	DOC_HEADING,	/* numbered section title, bold */
	DOC_PARAGRAPH,	/* body text, justified, first-line indent */
	DOC_FIELD,	/* "label: value"; an empty value prints a dotted line */
	DOC_TABLE,
	DOC_CHART,
	DOC_NOTICE,	/* boxed italic note (e.g. "no official form exists") */
};

struct doc_table {
	size_t cols, rows;	/* rows includes the header row */
	char **cells;		/* rows * cols, row-major; NULL cell = empty */
	double *widths;		/* cols relative widths */
	bool last_row_bold;	/* a totals row */
	bool small;		/* many columns: smaller type */
};

enum chart_kind { CHART_BAR, CHART_LINE };

struct doc_chart {
	enum chart_kind kind;
	char *title;
	size_t n;
	char **labels;
	double *values;
};

struct doc_block {
	enum doc_block_kind kind;
	char *label;		/* DOC_FIELD label, DOC_HEADING text */
	char *text;		/* DOC_FIELD value, DOC_PARAGRAPH, DOC_NOTICE */
	struct doc_table *table;
	struct doc_chart *chart;
};

struct doc {
	char *form_label;	/* top-right note: "Biểu mẫu 03 ..." */
	char *parent_body;	/* tên cơ quan chủ quản (box 2), upper case */
	char *issuer;		/* tên cơ quan ban hành (box 2), upper case */
	char *number;		/* "Số: 12/BC-STTTT" (box 3) */
	char *vv;		/* công văn summary after "V/v" (box 5b) */
	char *place_date;	/* "Đắk Lắk, ngày 05 tháng 01 năm 2026" (box 4) */
	char *doc_type;		/* "BÁO CÁO ..." (box 5a) */
	char *summary;		/* trích yếu under the type (box 5a) */
	char **addressees;	/* Kính gửi (box 9a) */
	size_t n_addressees;

	struct doc_block *blocks;
	size_t n_blocks, cap_blocks;

	char *sign_authority;	/* "TM. ...", "KT. ..." (box 7a) */
	char *sign_position;	/* (box 7a) */
	char *sign_hint;	/* "(Ký, ghi rõ họ tên, đóng dấu hoặc ký số)" */
	char *sign_name;	/* (box 7b) */
	char **recipients;	/* Nơi nhận (box 9b) */
	size_t n_recipients;

	bool failed;		/* an allocation failed while building */
};

/* Caps that keep a hostile input from producing an unbounded document. */
#define DOC_MAX_BLOCKS 20000
#define DOC_MAX_TABLE_ROWS 5000
#define DOC_MAX_TABLE_COLS 16
#define DOC_MAX_CHART_POINTS 120

void doc_init(struct doc *d);
void doc_free(struct doc *d);

/* Sets a title-block string (copies 'value'; NULL leaves it empty). */
void doc_set(struct doc *d, char **slot, const char *value);
void doc_setf(struct doc *d, char **slot, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void doc_heading(struct doc *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void doc_paragraph(struct doc *d, const char *text);
void doc_notice(struct doc *d, const char *text);
/* 'value' is copied; NULL or "" prints a dotted line. */
void doc_field(struct doc *d, const char *label, const char *value);
/* Takes ownership of 'value' (malloc'd, may be NULL). */
void doc_field_take(struct doc *d, const char *label, char *value);
void doc_addressee(struct doc *d, const char *name);
void doc_recipient(struct doc *d, const char *name);

/* Adds an empty table; fill it with doc_table_set. NULL on failure. */
struct doc_table *doc_table(struct doc *d, size_t rows, size_t cols,
    const double *widths);
void doc_table_set(struct doc *d, struct doc_table *t, size_t row,
    size_t col, const char *text);
void doc_table_take(struct doc *d, struct doc_table *t, size_t row,
    size_t col, char *text);

/* Adds a chart with n points (labels copied). NULL on failure. */
struct doc_chart *doc_chart(struct doc *d, enum chart_kind kind,
    const char *title, size_t n);
void doc_chart_point(struct doc *d, struct doc_chart *c, size_t i,
    const char *label, double value);

/* The renderers (render_pdf.c, render_docx.c, render_html.c). */
enum csirt_rc render_pdf(const struct doc *d, struct buf *out,
    struct csirt_err *err);
enum csirt_rc render_docx(const struct doc *d, struct buf *out,
    struct csirt_err *err);
enum csirt_rc render_html(const struct doc *d, struct buf *out,
    struct csirt_err *err);

/* Charts (chart.c): draws into any cairo context; PNG for DOCX and HTML. */
struct _cairo;
void chart_draw(struct _cairo *cr, const struct doc_chart *c, double w,
    double h);
enum csirt_rc chart_png(const struct doc_chart *c, double w, double h,
    struct buf *out);

/* Size of a chart on the page, in points: a fixed width, a height that
 * grows with the number of bars. */
#define CHART_WIDTH_PT 440.0
#define REPORT_CHART_PNG_MAX ((size_t)4 * 1024 * 1024)
double chart_height(const struct doc_chart *c);

#endif
