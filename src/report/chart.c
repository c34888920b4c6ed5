/*
 * chart.c - the charts of the periodic reports, drawn with cairo and pango
 * so that the PDF gets them as vector graphics and DOCX and HTML get the
 * very same drawing as a PNG.
 *   CHART_BAR:  horizontal bars, labels on the left (Vietnamese category
 *               names are long: they would not fit under vertical bars);
 *   CHART_LINE: a value per period along the x axis (months).
 */
#include "csirt/common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "report/doc.h"

#define FONT "Liberation Serif"
#define TITLE_H 24.0
#define BAR_ROW 18.0

double
chart_height(const struct doc_chart *c)
{
	if (c->kind == CHART_BAR)
		return TITLE_H + 12.0 + BAR_ROW * (double)c->n;
	return 220.0;
}

static double
max_value(const struct doc_chart *c)
{
	double m = 0;

	for (size_t i = 0; i < c->n; i++)
		if (isfinite(c->values[i]) && c->values[i] > m)
			m = c->values[i];
	return m > 0 ? m : 1;
}

static double
value_at(const struct doc_chart *c, size_t i)
{
	double v = c->values[i];

	return isfinite(v) && v > 0 ? v : 0;
}

/* Draws 'text' at (x, y) within 'width'; align: 0 left, 1 centre, 2 right. */
static void
text_at(cairo_t *cr, const char *text, double size, bool bold, double x,
    double y, double width, int align)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_new();
	int tw, th;

	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD :
	    PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_text(l, text ? text : "", -1);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(l, align == 1 ? PANGO_ALIGN_CENTER :
	    align == 2 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	pango_layout_get_pixel_size(l, &tw, &th);
	cairo_move_to(cr, x, y - th / 2.0);
	pango_cairo_show_layout(cr, l);
	cairo_new_path(cr);	/* the next shape must not start from here */
	pango_font_description_free(fd);
	g_object_unref(l);
}

static void
value_label(double v, char *out, size_t n)
{
	if (fabs(v - round(v)) < 1e-9)
		snprintf(out, n, "%.0f", v);
	else
		snprintf(out, n, "%.1f", v);
}

static void
draw_bars(cairo_t *cr, const struct doc_chart *c, double w)
{
	double label_w = w * 0.42, x0 = label_w + 6, bar_max = w - x0 - 40;
	double m = max_value(c), y = TITLE_H + 6;
	char s[48];

	for (size_t i = 0; i < c->n; i++, y += BAR_ROW) {
		double v = value_at(c, i), bw = bar_max * v / m;

		cairo_set_source_rgb(cr, 0, 0, 0);
		text_at(cr, c->labels[i], 9, false, 0, y + BAR_ROW / 2,
		    label_w, 2);
		cairo_set_source_rgb(cr, 0.16, 0.38, 0.66);
		cairo_rectangle(cr, x0, y + 3, bw, BAR_ROW - 6);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		value_label(c->values[i], s, sizeof(s));
		text_at(cr, s, 9, false, x0 + bw + 4, y + BAR_ROW / 2, 40, 0);
	}
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, x0, TITLE_H + 4);
	cairo_line_to(cr, x0, y + 2);
	cairo_stroke(cr);
}

static void
draw_line(cairo_t *cr, const struct doc_chart *c, double w, double h)
{
	double left = 36, right = w - 10, top = TITLE_H + 10, bottom = h - 24;
	double m = max_value(c), step;
	char s[48];

	/* Four grid lines with their values, then the axis. */
	cairo_set_line_width(cr, 0.4);
	for (int g = 0; g <= 4; g++) {
		double gy = bottom - (bottom - top) * g / 4.0;

		cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
		cairo_move_to(cr, left, gy);
		cairo_line_to(cr, right, gy);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		value_label(m * g / 4.0, s, sizeof(s));
		text_at(cr, s, 8, false, 0, gy, left - 4, 2);
	}
	step = c->n > 1 ? (right - left - 20) / (double)(c->n - 1) : 0;
	cairo_set_source_rgb(cr, 0.16, 0.38, 0.66);
	cairo_set_line_width(cr, 1.6);
	for (size_t i = 0; i < c->n; i++) {
		double x = left + 10 + step * (double)i;
		double y = bottom - (bottom - top) * value_at(c, i) / m;

		if (i == 0)
			cairo_move_to(cr, x, y);
		else
			cairo_line_to(cr, x, y);
	}
	cairo_stroke(cr);
	for (size_t i = 0; i < c->n; i++) {
		double x = left + 10 + step * (double)i;
		double y = bottom - (bottom - top) * value_at(c, i) / m;
		double lw = c->n > 1 ? step : right - left;

		cairo_set_source_rgb(cr, 0.16, 0.38, 0.66);
		cairo_new_path(cr);
		cairo_arc(cr, x, y, 2.6, 0, 2 * M_PI);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		value_label(c->values[i], s, sizeof(s));
		text_at(cr, s, 8, false, x - 20, y - 9, 40, 1);
		text_at(cr, c->labels[i], 8, false, x - lw / 2, bottom + 10,
		    lw, 1);
	}
}

void
chart_draw(cairo_t *cr, const struct doc_chart *c, double w, double h)
{
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	text_at(cr, c->title, 11, true, 0, TITLE_H / 2, w, 1);
	if (c->kind == CHART_BAR)
		draw_bars(cr, c, w);
	else
		draw_line(cr, c, w, h);
	cairo_restore(cr);
}

static cairo_status_t
png_write(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) == CSIRT_OK ?
	    CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

enum csirt_rc
chart_png(const struct doc_chart *c, double w, double h, struct buf *out)
{
	/* 2 px per point: sharp when printed, small enough to embed. */
	const double scale = 2.0;
	cairo_surface_t *s;
	cairo_t *cr;
	enum csirt_rc rc = CSIRT_OK;

	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
	    (int)ceil(w * scale), (int)ceil(h * scale));
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return CSIRT_ENOMEM;
	}
	cr = cairo_create(s);
	cairo_scale(cr, scale, scale);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	chart_draw(cr, c, w, h);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		rc = CSIRT_ENOMEM;
	cairo_destroy(cr);
	cairo_surface_flush(s);
	if (rc == CSIRT_OK &&
	    cairo_surface_write_to_png_stream(s, png_write, out) !=
	    CAIRO_STATUS_SUCCESS)
		rc = CSIRT_ETOOBIG;
	cairo_surface_destroy(s);
	return rc;
}
