/*
 * render_html.c - a printable, self-contained web page: inline CSS, charts
 * as PNG data: URIs, no script, no external request (a CSP meta tag says
 * so to the browser), every text escaped. The print stylesheet uses the
 * Decree 30 page geometry, so printing from a browser gives the same A4
 * layout as the PDF.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "csirt/report.h"
#include "report/doc.h"
#include "report/sink.h"

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; img-src data:; style-src 'unsafe-inline'\">\n"
    "<meta name=\"generator\" content=\"csirt\">\n";

static const char html_style[] =
    "<style>\n"
    "@page{size:A4;margin:20mm 15mm 20mm 30mm}\n"
    "body{font-family:\"Times New Roman\",\"Liberation Serif\",serif;"
    "font-size:13pt;color:#000;max-width:165mm;margin:1em auto;"
    "line-height:1.3}\n"
    ".form{text-align:right;font-style:italic;font-size:10pt;"
    "white-space:pre-line}\n"
    ".head{display:flex;justify-content:space-between;text-align:center}\n"
    ".head .l{width:40%}.head .r{width:60%}\n"
    ".up{text-transform:uppercase}.b{font-weight:bold}.i{font-style:italic}\n"
    ".s12{font-size:12pt}.s11{font-size:11pt}\n"
    ".rule{border-top:1px solid #000;margin:5px auto 0}\n"
    "h1{font-size:14pt;text-align:center;margin:14pt 0 0}\n"
    "h2{font-size:14pt;text-align:center;margin:0;white-space:pre-line}\n"
    "h3{font-size:13pt;margin:8pt 0 3pt}\n"
    ".to{text-align:center;margin:10pt 0}\n"
    "p{text-align:justify;text-indent:1.27cm;margin:0 0 6pt}\n"
    "p.f{text-indent:0.635cm;margin:0 0 2pt;white-space:pre-line}\n"
    ".empty{color:#555}\n"
    ".note{border:1px solid #000;padding:6pt;font-style:italic;"
    "font-size:12pt;margin:8pt 0}\n"
    "table.t{border-collapse:collapse;width:100%;font-size:11pt;"
    "margin:4pt 0 8pt}\n"
    "table.t.sm{font-size:8pt}\n"
    "table.t th,table.t td{border:1px solid #000;padding:3pt;"
    "vertical-align:top;white-space:pre-line}\n"
    "table.t th{background:#e6e6e6}\n"
    "tr.total td{font-weight:bold}\n"
    "figure{text-align:center;margin:6pt 0}figure img{max-width:100%}\n"
    ".sign{display:flex;justify-content:space-between;margin-top:16pt}\n"
    ".sign .l{width:40%}.sign .r{width:60%;text-align:center}\n"
    ".space{height:72pt}.hint{color:#555;font-size:11pt;font-style:italic}\n"
    "</style>\n</head>\n<body>\n";

static void
tag(struct sink *o, const char *open, const char *text, const char *close)
{
	put(o, open);
	put_escaped(o, text);
	put(o, close);
}

static void
title_block(struct sink *o, const struct doc *d)
{
	if (d->form_label)
		tag(o, "<div class=\"form\">", d->form_label, "</div>\n");
	put(o, "<div class=\"head\"><div class=\"l\">");
	if (d->parent_body)
		tag(o, "<div class=\"up s12\">", d->parent_body, "</div>");
	if (d->issuer)
		tag(o, "<div class=\"up s12 b\">", d->issuer,
		    "</div><div class=\"rule\" style=\"width:30%\"></div>");
	put(o, "</div><div class=\"r\">"
	    "<div class=\"b s12\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>"
	    "<div class=\"b\" style=\"display:inline-block\">Độc lập - Tự do - "
	    "Hạnh phúc<div class=\"rule\"></div></div></div></div>\n");
	put(o, "<div class=\"head\" style=\"margin-top:8pt\">"
	    "<div class=\"l\">");
	tag(o, "<div>", d->number, "</div>");
	if (d->vv)
		tag(o, "<div class=\"s12\" style=\"margin-top:6pt\">", d->vv,
		    "</div>");
	put(o, "</div><div class=\"r\">");
	tag(o, "<div class=\"i\">", d->place_date, "</div>");
	put(o, "</div></div>\n");
	if (d->doc_type)
		tag(o, "<h1>", d->doc_type, "</h1>\n");
	if (d->doc_type && d->summary)
		tag(o, "<h2>", d->summary, "</h2>\n");
	if (d->doc_type)
		put(o, "<div class=\"rule\" style=\"width:25%\">"
		    "</div>\n");
	if (d->n_addressees == 1) {
		tag(o, "<div class=\"to\">Kính gửi: ", d->addressees[0],
		    "</div>\n");
	} else if (d->n_addressees > 1) {
		put(o, "<div class=\"to\">Kính gửi:<br>");
		for (size_t i = 0; i < d->n_addressees; i++) {
			tag(o, "- ", d->addressees[i], "");
			put(o, i + 1 < d->n_addressees ? ";<br>" :
			    ".");
		}
		put(o, "</div>\n");
	}
}

static void
table_html(struct sink *o, const struct doc_table *t)
{
	double total = 0;

	for (size_t c = 0; c < t->cols; c++)
		total += t->widths[c] > 0 ? t->widths[c] : 1;
	put(o, t->small ? "<table class=\"t sm\">" :
	    "<table class=\"t\">");
	put(o, "<colgroup>");
	for (size_t c = 0; c < t->cols; c++)
		putf(o, "<col style=\"width:%.1f%%\">", 100.0 *
		    (t->widths[c] > 0 ? t->widths[c] : 1) / total);
	put(o, "</colgroup>\n");
	for (size_t r = 0; r < t->rows; r++) {
		bool total_row = t->last_row_bold && r + 1 == t->rows;

		put(o, r == 0 ? "<thead><tr>" : total_row ?
		    "<tr class=\"total\">" : "<tr>");
		for (size_t c = 0; c < t->cols; c++)
			tag(o, r == 0 ? "<th>" : "<td>",
			    t->cells[r * t->cols + c], r == 0 ? "</th>" : "</td>");
		put(o, r == 0 ? "</tr></thead><tbody>\n" : "</tr>\n");
	}
	put(o, "</tbody></table>\n");
}

static enum csirt_rc
chart_html(struct sink *o, const struct doc_chart *c)
{
	struct buf png;
	enum csirt_rc rc;
	gchar *b64;

	buf_init(&png, REPORT_CHART_PNG_MAX);
	rc = chart_png(c, CHART_WIDTH_PT, chart_height(c), &png);
	if (rc == CSIRT_OK) {
		b64 = g_base64_encode((const guchar *)png.data, png.len);
		put(o, "<figure><img alt=\"");
		put_escaped(o, c->title);
		put(o, "\" src=\"data:image/png;base64,");
		put(o, b64);
		put(o, "\"></figure>\n");
		g_free(b64);
	}
	buf_release(&png);
	return rc;
}

enum csirt_rc
render_html(const struct doc *d, struct buf *out, struct csirt_err *err)
{
	struct sink sink = { out, CSIRT_OK }, *o = &sink;
	enum csirt_rc rc = CSIRT_OK;

	put(o, html_head);
	tag(o, "<title>", d->doc_type ? d->doc_type : d->vv, "</title>\n");
	put(o, html_style);
	title_block(o, d);
	for (size_t i = 0; i < d->n_blocks && rc == CSIRT_OK; i++) {
		const struct doc_block *b = &d->blocks[i];
		bool empty = b->text == NULL || b->text[0] == '\0';

		switch (b->kind) {
		case DOC_HEADING:
			tag(o, "<h3>", b->label, "</h3>\n");
			break;
		case DOC_PARAGRAPH:
			tag(o, "<p>", b->text, "</p>\n");
			break;
		case DOC_FIELD:
			tag(o, "<p class=\"f\">", b->label, ": ");
			if (empty)
				put(o, "<span class=\"empty\">"
				    "…………………………………………</span>");
			else
				put_escaped(o, b->text);
			put(o, "</p>\n");
			break;
		case DOC_TABLE:
			table_html(o, b->table);
			break;
		case DOC_CHART:
			rc = chart_html(o, b->chart);
			break;
		case DOC_NOTICE:
			tag(o, "<div class=\"note\">", b->text, "</div>\n");
			break;
		}
	}
	put(o, "<div class=\"sign\"><div class=\"l\">");
	if (d->n_recipients > 0) {
		put(o, "<div class=\"b i s12\">Nơi nhận:</div>");
		for (size_t i = 0; i < d->n_recipients; i++) {
			tag(o, "<div class=\"s11\">- ", d->recipients[i], "");
			put(o, i + 1 < d->n_recipients ? ";</div>" :
			    ".</div>");
		}
	}
	put(o, "</div><div class=\"r\">");
	if (d->sign_authority)
		tag(o, "<div class=\"b up\">", d->sign_authority, "</div>");
	if (d->sign_position)
		tag(o, "<div class=\"b up\">", d->sign_position, "</div>");
	tag(o, "<div class=\"hint\">", d->sign_hint, "</div>");
	put(o, "<div class=\"space\"></div>");
	if (d->sign_name)
		tag(o, "<div class=\"b\">", d->sign_name, "</div>");
	put(o, "</div></div>\n</body>\n</html>\n");
	if (rc != CSIRT_OK)
		return csirt_err_set(err, rc, NULL, "a chart could not be drawn");
	if (o->rc != CSIRT_OK)
		return csirt_err_set(err, o->rc, NULL,
		    "the document is larger than the output limit");
	return CSIRT_OK;
}
