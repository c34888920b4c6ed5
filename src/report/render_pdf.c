/*
 * render_pdf.c - lays a document out on A4 pages with pango and draws it
 * with cairo's PDF surface, which embeds (subsets of) the fonts it uses.
 *
 * Page geometry and type sizes follow Decree 30/2020 Phụ lục I (see
 * shared/docs/reference/vn-calendar-and-document-format.md Part 2): A4
 * portrait, margins top/bottom 20 mm, left 30 mm, right 15 mm; Liberation
 * Serif (metric-compatible with the Times New Roman the decree names);
 * emblem lines 12/13 bold at the top right, issuer 12 bold at the top left,
 * number 13, place and date 13 italic, type 14 bold, body 13; page numbers
 * from page 2, centred in the top margin.
 *
 * Text flows line by line (a PangoLayoutIter), so a long description
 * breaks across pages; table rows never split, and a row taller than a page
 * is refused rather than cut.
 */
#include "csirt/common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "report/doc.h"

#define FONT "Liberation Serif"
#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define MARGIN_T (20 * MM)
#define MARGIN_B (20 * MM)
#define MARGIN_L (30 * MM)
#define MARGIN_R (15 * MM)
#define TEXT_W (PAGE_W - MARGIN_L - MARGIN_R)
#define BOTTOM (PAGE_H - MARGIN_B)
#define LEFT_COL (TEXT_W * 0.40)
#define RIGHT_COL (TEXT_W - LEFT_COL)
#define INDENT (1.27 * 10 * MM)
#define CELL_PAD 3.0
#define CELL_PAD_SMALL 2.0

enum { ST_BOLD = 1, ST_ITALIC = 2, ST_JUSTIFY = 4, ST_CENTER = 8,
	ST_RIGHT = 16, ST_UPPER = 32 };

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	struct buf *out;
	double y;
	int page;
};

static cairo_status_t
pdf_write(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) == CSIRT_OK ?
	    CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* A layout of 'text' in the given size and style, 'width' points wide. */
static PangoLayout *
layout_new(struct pdf *p, const char *text, double size, int style,
    double width, double indent)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_new();
	PangoAttrList *attrs;
	char *upper = NULL;

	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (style & ST_BOLD)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	if (style & ST_ITALIC)
		pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
	pango_layout_set_justify(l, (style & ST_JUSTIFY) != 0);
	pango_layout_set_alignment(l, (style & ST_CENTER) ? PANGO_ALIGN_CENTER :
	    (style & ST_RIGHT) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	if (style & ST_UPPER && text)
		text = upper = g_utf8_strup(text, -1);
	pango_layout_set_text(l, text ? text : "", -1);
	g_free(upper);
	/* No inserted hyphens: a hash or an address broken across lines must
	 * not gain characters it does not have. */
	attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	return l;
}

static double
layout_h(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Width of the widest line, for the rules under the emblem and titles. */
static double
layout_ink_w(PangoLayout *l)
{
	PangoRectangle r;

	pango_layout_get_pixel_extents(l, NULL, &r);
	return r.width;
}

static void
page_start(struct pdf *p)
{
	p->y = MARGIN_T;
	if (p->page > 1) {
		char num[16];
		PangoLayout *l;

		snprintf(num, sizeof(num), "%d", p->page);
		l = layout_new(p, num, 13, ST_CENTER, TEXT_W, 0);
		cairo_move_to(p->cr, MARGIN_L, MARGIN_T / 2 - layout_h(l) / 2);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
	}
}

static void
page_new(struct pdf *p)
{
	cairo_show_page(p->cr);
	p->page++;
	page_start(p);
}

/* Starts a new page unless 'h' points still fit on this one. */
static void
ensure(struct pdf *p, double h)
{
	if (p->y + h > BOTTOM && p->y > MARGIN_T)
		page_new(p);
}

/* Draws a layout at x, flowing to the next page between lines. */
static void
flow(struct pdf *p, PangoLayout *l, double x)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double shift = p->y, last = p->y;

	do {
		PangoRectangle r;
		double top, bot;

		pango_layout_iter_get_line_extents(it, NULL, &r);
		top = (double)r.y / PANGO_SCALE;
		bot = (double)(r.y + r.height) / PANGO_SCALE;
		if (shift + bot > BOTTOM && shift + top > MARGIN_T) {
			page_new(p);
			shift = p->y - top;
		}
		cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, shift +
		    (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE);
		pango_cairo_show_layout_line(p->cr,
		    pango_layout_iter_get_line_readonly(it));
		last = shift + bot;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	p->y = last;
}

static void
text_flow(struct pdf *p, const char *text, double size, int style,
    double x, double width, double indent)
{
	PangoLayout *l = layout_new(p, text, size, style, width, indent);

	flow(p, l, x);
	g_object_unref(l);
}

/* Draws text at (x, y) without page logic; returns its height. */
static double
text_at(struct pdf *p, const char *text, double size, int style, double x,
    double y, double width, double *ink_w)
{
	PangoLayout *l = layout_new(p, text, size, style, width, 0);
	double h = layout_h(l);

	if (ink_w)
		*ink_w = layout_ink_w(l);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	return h;
}

static void
rule(struct pdf *p, double cx, double y, double w)
{
	cairo_set_line_width(p->cr, 0.6);
	cairo_move_to(p->cr, cx - w / 2, y);
	cairo_line_to(p->cr, cx + w / 2, y);
	cairo_stroke(p->cr);
}

/* Boxes 1-4 (and 5b) of the Decree 30 layout; the form label above them. */
static void
title_block(struct pdf *p, const struct doc *d)
{
	double ly, ry, w, lcx = MARGIN_L + LEFT_COL / 2;
	double rx = MARGIN_L + LEFT_COL, rcx = rx + RIGHT_COL / 2;

	if (d->form_label)
		p->y += text_at(p, d->form_label, 10, ST_ITALIC | ST_RIGHT,
		    MARGIN_L, p->y, TEXT_W, NULL) + 4;
	ly = ry = p->y;
	if (d->parent_body)
		ly += text_at(p, d->parent_body, 12, ST_CENTER | ST_UPPER,
		    MARGIN_L, ly, LEFT_COL, NULL);
	if (d->issuer) {
		ly += text_at(p, d->issuer, 12, ST_CENTER | ST_UPPER | ST_BOLD,
		    MARGIN_L, ly, LEFT_COL, &w);
		rule(p, lcx, ly + 4, w / 3);
	}
	ry += text_at(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12,
	    ST_CENTER | ST_BOLD, rx, ry, RIGHT_COL, NULL);
	ry += text_at(p, "Độc lập - Tự do - Hạnh phúc", 13, ST_CENTER | ST_BOLD,
	    rx, ry, RIGHT_COL, &w);
	rule(p, rcx, ry + 3, w);
	p->y = fmax(ly, ry) + 14;
	ly = ry = p->y;
	if (d->number)
		ly += text_at(p, d->number, 13, ST_CENTER, MARGIN_L, ly, LEFT_COL,
		    NULL);
	if (d->vv)
		ly += 6 + text_at(p, d->vv, 12, ST_CENTER, MARGIN_L, ly + 6,
		    LEFT_COL, NULL);
	if (d->place_date)
		ry += text_at(p, d->place_date, 13, ST_CENTER | ST_ITALIC, rx,
		    ry, RIGHT_COL, NULL);
	p->y = fmax(ly, ry) + 14;

	if (d->doc_type) {
		text_flow(p, d->doc_type, 14, ST_CENTER | ST_BOLD, MARGIN_L,
		    TEXT_W, 0);
	}
	if (d->summary && d->doc_type) {
		PangoLayout *l = layout_new(p, d->summary, 14,
		    ST_CENTER | ST_BOLD, TEXT_W, 0);

		w = layout_ink_w(l);
		flow(p, l, MARGIN_L);
		g_object_unref(l);
		rule(p, MARGIN_L + TEXT_W / 2, p->y + 4, w / 3);
	} else if (d->doc_type) {
		rule(p, MARGIN_L + TEXT_W / 2, p->y + 4, 60);
	}
	p->y += 16;
	if (d->n_addressees == 1) {
		char *s = g_strdup_printf("Kính gửi: %s", d->addressees[0]);

		text_flow(p, s, 14, ST_CENTER, MARGIN_L, TEXT_W, 0);
		g_free(s);
		p->y += 6;
	} else if (d->n_addressees > 1) {
		text_flow(p, "Kính gửi:", 14, 0, MARGIN_L + TEXT_W * 0.2,
		    TEXT_W * 0.8, 0);
		for (size_t i = 0; i < d->n_addressees; i++) {
			char *s = g_strdup_printf("- %s%s", d->addressees[i],
			    i + 1 < d->n_addressees ? ";" : ".");

			text_flow(p, s, 14, 0, MARGIN_L + TEXT_W * 0.3,
			    TEXT_W * 0.7, 0);
			g_free(s);
		}
		p->y += 6;
	}
}

struct table_geom {
	double x[DOC_MAX_TABLE_COLS + 1];
	double size, pad;
};

static PangoLayout *
cell_layout(struct pdf *p, const struct doc_table *t,
    const struct table_geom *g, size_t r, size_t c)
{
	bool bold = r == 0 || (t->last_row_bold && r + 1 == t->rows);

	return layout_new(p, t->cells[r * t->cols + c], g->size,
	    (bold ? ST_BOLD : 0) | (r == 0 ? ST_CENTER : 0),
	    g->x[c + 1] - g->x[c] - 2 * g->pad, 0);
}

static double
row_height(struct pdf *p, const struct doc_table *t,
    const struct table_geom *g, size_t r)
{
	double h = 0;

	for (size_t c = 0; c < t->cols; c++) {
		PangoLayout *l = cell_layout(p, t, g, r, c);

		h = fmax(h, layout_h(l));
		g_object_unref(l);
	}
	return h + 2 * g->pad;
}

static void
row_draw(struct pdf *p, const struct doc_table *t, const struct table_geom *g,
    size_t r, double h)
{
	const double *x = g->x;

	if (r == 0) {	/* the header row is shaded */
		cairo_set_source_rgb(p->cr, 0.9, 0.9, 0.9);
		cairo_rectangle(p->cr, x[0], p->y, x[t->cols] - x[0], h);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	cairo_set_line_width(p->cr, 0.5);
	for (size_t c = 0; c < t->cols; c++) {
		PangoLayout *l = cell_layout(p, t, g, r, c);

		cairo_rectangle(p->cr, x[c], p->y, x[c + 1] - x[c], h);
		cairo_stroke(p->cr);
		cairo_move_to(p->cr, x[c] + g->pad, p->y + g->pad);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
	}
	p->y += h;
}

/* Rows never split; the header row is repeated on every page. */
static enum csirt_rc
table_draw(struct pdf *p, const struct doc_table *t, struct csirt_err *err)
{
	struct table_geom g;
	double total = 0, header_h;

	g.size = t->small ? 8 : 11;
	g.pad = t->small ? CELL_PAD_SMALL : CELL_PAD;
	for (size_t c = 0; c < t->cols; c++)
		total += t->widths[c] > 0 ? t->widths[c] : 1;
	g.x[0] = MARGIN_L;
	for (size_t c = 0; c < t->cols; c++)
		g.x[c + 1] = g.x[c] + TEXT_W *
		    (t->widths[c] > 0 ? t->widths[c] : 1) / total;
	p->y += 4;
	header_h = row_height(p, t, &g, 0);
	for (size_t r = 0; r < t->rows; r++) {
		double h = r == 0 ? header_h : row_height(p, t, &g, r);

		if (h + header_h > BOTTOM - MARGIN_T)
			return csirt_err_set(err, CSIRT_ETOOBIG, NULL,
			    "a table cell is too long to fit on one page");
		if (r == 0) {	/* keep the header with the first row */
			double next = t->rows > 1 ? row_height(p, t, &g, 1) : 0;

			ensure(p, h + next);
		} else if (p->y + h > BOTTOM) {
			page_new(p);
			row_draw(p, t, &g, 0, header_h);
		}
		row_draw(p, t, &g, r, h);
	}
	p->y += 6;
	return CSIRT_OK;
}

static void
field_draw(struct pdf *p, const struct doc_block *b)
{
	bool empty = b->text == NULL || b->text[0] == '\0';
	char *s = g_strdup_printf("%s: %s", b->label ? b->label : "",
	    empty ? "…………………………………………" : b->text);

	text_flow(p, s, 13, ST_JUSTIFY, MARGIN_L, TEXT_W, INDENT / 2);
	g_free(s);
	p->y += 2;
}

static void
notice_draw(struct pdf *p, const struct doc_block *b)
{
	PangoLayout *l = layout_new(p, b->text, 12, ST_ITALIC | ST_JUSTIFY,
	    TEXT_W - 12, 0);
	double h = layout_h(l) + 12;

	p->y += 4;
	ensure(p, h);
	cairo_set_line_width(p->cr, 0.6);
	cairo_rectangle(p->cr, MARGIN_L, p->y, TEXT_W, h);
	cairo_stroke(p->cr);
	cairo_move_to(p->cr, MARGIN_L + 6, p->y + 6);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	p->y += h + 8;
}

static void
chart_block(struct pdf *p, const struct doc_chart *c)
{
	double h = chart_height(c);

	p->y += 4;
	ensure(p, h);
	cairo_save(p->cr);
	cairo_translate(p->cr, MARGIN_L + (TEXT_W - CHART_WIDTH_PT) / 2, p->y);
	chart_draw(p->cr, c, CHART_WIDTH_PT, h);
	cairo_restore(p->cr);
	p->y += h + 8;
}

/*
 * Boxes 7a-7c, 8 and 9b. The space between the position and the name is
 * where the signature goes: on paper the ink signature and the seal over
 * its left third; on an electronic copy the signer's digital-signature
 * image and the organisation's seal image (Phụ lục I II.7.d, II.8.a).
 */
static void
signature_draw(struct pdf *p, const struct doc *d)
{
	double rx = MARGIN_L + LEFT_COL, ly, ry;
	const double sign_space = 72;

	double need_l = 16 + 14 * (double)d->n_recipients;
	double need_r = 17 * ((d->sign_authority != NULL) +
	    (d->sign_position != NULL) + (d->sign_name != NULL)) + sign_space;

	p->y += 12;
	ensure(p, fmax(need_l, need_r) + 4);
	ly = ry = p->y;
	if (d->n_recipients > 0) {
		ly += text_at(p, "Nơi nhận:", 12, ST_BOLD | ST_ITALIC, MARGIN_L,
		    ly, LEFT_COL, NULL);
		for (size_t i = 0; i < d->n_recipients; i++) {
			char *s = g_strdup_printf("- %s%s", d->recipients[i],
			    i + 1 < d->n_recipients ? ";" : ".");

			ly += text_at(p, s, 11, 0, MARGIN_L, ly, LEFT_COL, NULL);
			g_free(s);
		}
	}
	if (d->sign_authority)
		ry += text_at(p, d->sign_authority, 13, ST_BOLD | ST_CENTER |
		    ST_UPPER, rx, ry, RIGHT_COL, NULL);
	if (d->sign_position)
		ry += text_at(p, d->sign_position, 13, ST_BOLD | ST_CENTER |
		    ST_UPPER, rx, ry, RIGHT_COL, NULL);
	if (d->sign_hint) {
		cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
		text_at(p, d->sign_hint, 11, ST_ITALIC | ST_CENTER, rx, ry,
		    RIGHT_COL, NULL);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	ry += sign_space;
	if (d->sign_name)
		ry += text_at(p, d->sign_name, 13, ST_BOLD | ST_CENTER, rx, ry,
		    RIGHT_COL, NULL);
	p->y = fmax(ly, ry);
}

enum csirt_rc
render_pdf(const struct doc *d, struct buf *out, struct csirt_err *err)
{
	struct pdf p = { .out = out, .page = 1 };
	enum csirt_rc rc = CSIRT_OK;
	cairo_status_t st;

	p.surface = cairo_pdf_surface_create_for_stream(pdf_write, out,
	    PAGE_W, PAGE_H);
	p.cr = cairo_create(p.surface);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR,
	    "csirt");
	if (d->doc_type || d->vv)
		cairo_pdf_surface_set_metadata(p.surface,
		    CAIRO_PDF_METADATA_TITLE, d->doc_type ? d->doc_type : d->vv);
	cairo_set_source_rgb(p.cr, 0, 0, 0);
	page_start(&p);
	title_block(&p, d);
	for (size_t i = 0; i < d->n_blocks && rc == CSIRT_OK; i++) {
		const struct doc_block *b = &d->blocks[i];

		switch (b->kind) {
		case DOC_HEADING:
			p.y += 6;
			ensure(&p, 40);	/* keep a heading with what follows */
			text_flow(&p, b->label, 13, ST_BOLD, MARGIN_L, TEXT_W, 0);
			p.y += 3;
			break;
		case DOC_PARAGRAPH:
			text_flow(&p, b->text, 13, ST_JUSTIFY, MARGIN_L, TEXT_W,
			    INDENT);
			p.y += 6;
			break;
		case DOC_FIELD:
			field_draw(&p, b);
			break;
		case DOC_TABLE:
			rc = table_draw(&p, b->table, err);
			break;
		case DOC_CHART:
			chart_block(&p, b->chart);
			break;
		case DOC_NOTICE:
			notice_draw(&p, b);
			break;
		}
	}
	if (rc == CSIRT_OK)
		signature_draw(&p, d);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surface);
	st = cairo_surface_status(p.surface);
	cairo_surface_destroy(p.surface);
	if (rc == CSIRT_OK && st != CAIRO_STATUS_SUCCESS)
		rc = csirt_err_set(err, st == CAIRO_STATUS_WRITE_ERROR ?
		    CSIRT_ETOOBIG : CSIRT_EINTERNAL, NULL,
		    "the PDF could not be produced (%s)",
		    cairo_status_to_string(st));
	return rc;
}
