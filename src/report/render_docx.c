/*
 * render_docx.c - a DOCX (Office Open XML) built from templates: the fixed
 * parts (content types, relationships, styles, the page-number header) are
 * constant strings below, the body is generated WordprocessingML, and
 * libzip packs them. Word and LibreOffice both open and edit the result.
 *
 * Page setup mirrors render_pdf.c (Decree 30: A4, margins 20/20/30/15 mm,
 * Times New Roman 13 pt, page numbers centred at the top from page 2 via a
 * "first page" header that is empty). The title block and the signature
 * block are borderless two-column tables, as Word templates of
 * administrative documents commonly do. Charts are the PNGs of chart.c.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <zip.h>

#include "csirt/report.h"
#include "report/doc.h"
#include "report/sink.h"

#define TW_TEXT 9354		/* text width in twips: 210 mm - 30 - 15 */
#define TW_LEFT 3742		/* 40 % */
#define TW_RIGHT (TW_TEXT - TW_LEFT)
#define EMU_PER_PT 12700

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Default Extension=\"png\" ContentType=\"image/png\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "</Types>";

static const char package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
    "</Relationships>";

static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
    "<w:color w:val=\"000000\"/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/><w:lang w:val=\"vi-VN\"/>"
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
    "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
    "</w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
    "<w:tblPr><w:tblCellMar><w:top w:w=\"30\" w:type=\"dxa\"/><w:left w:w=\"60\" w:type=\"dxa\"/>"
    "<w:bottom w:w=\"30\" w:type=\"dxa\"/><w:right w:w=\"60\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
    "</w:styles>";

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" " \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" " \
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" " \
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" " \
    "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\""

/* Decree 30: page numbers centred in the top margin, not on page 1. */
static const char header_page[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:hdr " W_NS "><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
    "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
    "<w:r><w:t>2</w:t></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>";

static const char header_first[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:hdr " W_NS "><w:p/></w:hdr>";

enum { R_BOLD = 1, R_ITALIC = 2, R_UPPER = 4, R_UNDERLINE = 8 };
enum { P_LEFT, P_CENTER, P_RIGHT, P_BOTH };

/*
 * Text as WordprocessingML runs: XML-escaped, line feeds as <w:br/>, and
 * the control characters XML 1.0 forbids dropped (a JSON string may hold
 * them; Word refuses the whole file if one slips through).
 */
static void
runs(struct sink *o, const char *text, int style, int half_points)
{
	char rpr[160];
	const unsigned char *p = (const unsigned char *)text;
	char *upper = NULL;

	if (text == NULL)
		return;
	if (style & R_UPPER)
		p = (const unsigned char *)(upper = g_utf8_strup(text, -1));
	snprintf(rpr, sizeof(rpr), "<w:r><w:rPr>%s%s%s<w:sz w:val=\"%d\"/>"
	    "<w:szCs w:val=\"%d\"/></w:rPr><w:t xml:space=\"preserve\">",
	    style & R_BOLD ? "<w:b/>" : "", style & R_ITALIC ? "<w:i/>" : "",
	    style & R_UNDERLINE ? "<w:u w:val=\"single\"/>" : "",
	    half_points, half_points);
	put(o, rpr);
	for (; *p; p++) {
		switch (*p) {
		case '&': put(o, "&amp;"); break;
		case '<': put(o, "&lt;"); break;
		case '>': put(o, "&gt;"); break;
		case '\n': put(o, "</w:t><w:br/><w:t xml:space=\"preserve\">");
			break;
		case '\t': put(o, "</w:t><w:tab/><w:t xml:space=\"preserve\">");
			break;
		default:
			if (*p >= 0x20)
				putn(o, (const char *)p, 1);
		}
	}
	put(o, "</w:t></w:r>");
	g_free(upper);
}

static void
para_open(struct sink *o, int align, int after_twips, int first_indent)
{
	static const char *const jc[] = { "left", "center", "right", "both" };

	putf(o, "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"%d\"/>",
	    after_twips);
	if (first_indent)
		putf(o, "<w:ind w:firstLine=\"%d\"/>", first_indent);
	putf(o, "<w:jc w:val=\"%s\"/></w:pPr>", jc[align]);
}

static void
para(struct sink *o, const char *text, int style, int size_pt, int align,
    int after_twips, int first_indent)
{
	para_open(o, align, after_twips, first_indent);
	runs(o, text, style, size_pt * 2);
	put(o, "</w:p>");
}

/*
 * A short centred rule (under the issuing body and the title): an empty
 * paragraph whose bottom border is as wide as the paragraph, narrowed by
 * equal indents to about a third of the column.
 */
static void
short_rule(struct sink *o, int column_twips)
{
	int indent = column_twips / 3;

	putf(o, "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" "
	    "w:space=\"1\" w:color=\"000000\"/></w:pBdr><w:spacing "
	    "w:before=\"0\" w:after=\"120\" w:line=\"60\" "
	    "w:lineRule=\"exact\"/><w:ind w:left=\"%d\" w:right=\"%d\"/>"
	    "</w:pPr></w:p>", indent, indent);
}

static void
cell_open(struct sink *o, int width, const char *fill)
{
	putf(o, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", width);
	if (fill)
		putf(o, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"%s\"/>",
		    fill);
	put(o, "</w:tcPr>");
}

static void
layout_table_open(struct sink *o)
{
	putf(o, "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/>"
	    "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
	    "<w:gridCol w:w=\"%d\"/><w:gridCol w:w=\"%d\"/></w:tblGrid><w:tr>",
	    TW_TEXT, TW_LEFT, TW_RIGHT);
}

static void
title_block(struct sink *o, const struct doc *d)
{
	if (d->form_label)
		para(o, d->form_label, R_ITALIC, 10, P_RIGHT, 80, 0);
	layout_table_open(o);
	cell_open(o, TW_LEFT, NULL);
	if (d->parent_body)
		para(o, d->parent_body, R_UPPER, 12, P_CENTER, 0, 0);
	para(o, d->issuer, R_UPPER | R_BOLD, 12, P_CENTER, 0, 0);
	short_rule(o, TW_LEFT);
	para(o, d->number, 0, 13, P_CENTER, 0, 0);
	if (d->vv)
		para(o, d->vv, 0, 12, P_CENTER, 0, 0);
	put(o, "</w:tc>");
	cell_open(o, TW_RIGHT, NULL);
	para(o, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", R_BOLD, 12, P_CENTER, 0, 0);
	para(o, "Độc lập - Tự do - Hạnh phúc", R_BOLD | R_UNDERLINE, 13,
	    P_CENTER, 240, 0);
	para(o, d->place_date, R_ITALIC, 13, P_CENTER, 0, 0);
	put(o, "</w:tc></w:tr></w:tbl>");
	put(o, "<w:p/>");
	if (d->doc_type) {
		para(o, d->doc_type, R_BOLD, 14, P_CENTER, 0, 0);
		if (d->summary)
			para(o, d->summary, R_BOLD, 14, P_CENTER, 0, 0);
		short_rule(o, TW_TEXT);
	}
	if (d->n_addressees == 1) {
		para_open(o, P_CENTER, 120, 0);
		runs(o, "Kính gửi: ", 0, 28);
		runs(o, d->addressees[0], 0, 28);
		put(o, "</w:p>");
	} else if (d->n_addressees > 1) {
		para(o, "Kính gửi:", 0, 14, P_CENTER, 0, 0);
		for (size_t i = 0; i < d->n_addressees; i++) {
			para_open(o, P_CENTER, 0, 0);
			runs(o, "- ", 0, 28);
			runs(o, d->addressees[i], 0, 28);
			runs(o, i + 1 < d->n_addressees ? ";" : ".", 0, 28);
			put(o, "</w:p>");
		}
	}
	put(o, "<w:p/>");
}

static void
table_xml(struct sink *o, const struct doc_table *t)
{
	double total = 0;
	int widths[DOC_MAX_TABLE_COLS];
	int size = t->small ? 16 : 22;	/* half-points: 8 and 11 pt */

	for (size_t c = 0; c < t->cols; c++)
		total += t->widths[c] > 0 ? t->widths[c] : 1;
	for (size_t c = 0; c < t->cols; c++)
		widths[c] = (int)(TW_TEXT * (t->widths[c] > 0 ? t->widths[c] : 1)
		    / total);
	putf(o, "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/>"
	    "<w:tblBorders>", TW_TEXT);
	static const char *const sides[] = { "top", "left", "bottom", "right",
	    "insideH", "insideV" };
	for (size_t i = 0; i < ARRAY_SIZE(sides); i++)
		putf(o, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
		    "w:color=\"000000\"/>", sides[i]);
	put(o, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>");
	if (t->small)	/* many columns: narrow cell margins, as in the PDF */
		put(o, "<w:tblCellMar><w:left w:w=\"25\" w:type=\"dxa\"/>"
		    "<w:right w:w=\"25\" w:type=\"dxa\"/></w:tblCellMar>");
	put(o, "</w:tblPr><w:tblGrid>");
	for (size_t c = 0; c < t->cols; c++)
		putf(o, "<w:gridCol w:w=\"%d\"/>", widths[c]);
	put(o, "</w:tblGrid>");
	for (size_t r = 0; r < t->rows; r++) {
		bool bold = r == 0 || (t->last_row_bold && r + 1 == t->rows);

		put(o, r == 0 ? "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/>"
		    "</w:trPr>" : "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
		for (size_t c = 0; c < t->cols; c++) {
			cell_open(o, widths[c], r == 0 ? "E6E6E6" : NULL);
			para_open(o, r == 0 ? P_CENTER : P_LEFT, 0, 0);
			runs(o, t->cells[r * t->cols + c], bold ? R_BOLD : 0,
			    size);
			put(o, "</w:p></w:tc>");
		}
		put(o, "</w:tr>");
	}
	put(o, "</w:tbl><w:p/>");
}

static void
chart_xml(struct sink *o, const struct doc_chart *c, int n)
{
	long cx = (long)(CHART_WIDTH_PT * EMU_PER_PT);
	long cy = (long)(chart_height(c) * EMU_PER_PT);

	para_open(o, P_CENTER, 120, 0);
	putf(o, "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" "
	    "distL=\"0\" distR=\"0\"><wp:extent cx=\"%ld\" cy=\"%ld\"/>"
	    "<wp:docPr id=\"%d\" name=\"Chart %d\" descr=\"", cx, cy, n, n);
	put_escaped(o, c->title);
	putf(o, "\"/><a:graphic><a:graphicData uri=\"http://schemas."
	    "openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
	    "<pic:nvPicPr><pic:cNvPr id=\"%d\" name=\"chart%d.png\"/>"
	    "<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="
	    "\"rIdChart%d\"/><a:stretch><a:fillRect/></a:stretch>"
	    "</pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/>"
	    "<a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm><a:prstGeom prst=\"rect\">"
	    "<a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>"
	    "</a:graphic></wp:inline></w:drawing></w:r></w:p>", n, n, n, cx,
	    cy);
}

static void
notice_xml(struct sink *o, const char *text)
{
	put(o, "<w:p><w:pPr><w:pBdr>");
	static const char *const sides[] = { "top", "left", "bottom", "right" };
	for (size_t i = 0; i < ARRAY_SIZE(sides); i++)
		putf(o, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"4\" "
		    "w:color=\"000000\"/>", sides[i]);
	put(o, "</w:pBdr><w:spacing w:before=\"120\" w:after=\"120\"/>"
	    "<w:jc w:val=\"both\"/></w:pPr>");
	runs(o, text, R_ITALIC, 24);
	put(o, "</w:p>");
}

static void
signature_block(struct sink *o, const struct doc *d)
{
	put(o, "<w:p/>");
	layout_table_open(o);
	cell_open(o, TW_LEFT, NULL);
	if (d->n_recipients > 0) {
		para(o, "Nơi nhận:", R_BOLD | R_ITALIC, 12, P_LEFT, 0, 0);
		for (size_t i = 0; i < d->n_recipients; i++) {
			para_open(o, P_LEFT, 0, 0);
			runs(o, "- ", 0, 22);
			runs(o, d->recipients[i], 0, 22);
			runs(o, i + 1 < d->n_recipients ? ";" : ".", 0, 22);
			put(o, "</w:p>");
		}
	} else {
		put(o, "<w:p/>");
	}
	put(o, "</w:tc>");
	cell_open(o, TW_RIGHT, NULL);
	if (d->sign_authority)
		para(o, d->sign_authority, R_BOLD | R_UPPER, 13, P_CENTER, 0, 0);
	if (d->sign_position)
		para(o, d->sign_position, R_BOLD | R_UPPER, 13, P_CENTER, 0, 0);
	para(o, d->sign_hint, R_ITALIC, 11, P_CENTER, 0, 0);
	/* The signature area (boxes 7c and 8): about 25 mm of space. */
	put(o, "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" "
	    "w:line=\"1300\" w:lineRule=\"exact\"/></w:pPr></w:p>");
	if (d->sign_name)
		para(o, d->sign_name, R_BOLD, 13, P_CENTER, 0, 0);
	put(o, "</w:tc></w:tr></w:tbl>");
}

static void
document_xml(struct sink *o, const struct doc *d)
{
	int chart_no = 0;

	put(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	    "<w:document " W_NS "><w:body>");
	title_block(o, d);
	for (size_t i = 0; i < d->n_blocks; i++) {
		const struct doc_block *b = &d->blocks[i];
		bool empty = b->text == NULL || b->text[0] == '\0';

		switch (b->kind) {
		case DOC_HEADING:
			put(o, "<w:p><w:pPr><w:keepNext/><w:spacing w:before="
			    "\"120\" w:after=\"60\"/></w:pPr>");
			runs(o, b->label, R_BOLD, 26);
			put(o, "</w:p>");
			break;
		case DOC_PARAGRAPH:
			para(o, b->text, 0, 13, P_BOTH, 120, 720);
			break;
		case DOC_FIELD:
			para_open(o, P_BOTH, 40, 360);
			runs(o, b->label, 0, 26);
			runs(o, ": ", 0, 26);
			runs(o, empty ? "…………………………………………" : b->text,
			    0, 26);
			put(o, "</w:p>");
			break;
		case DOC_TABLE:
			table_xml(o, b->table);
			break;
		case DOC_CHART:
			chart_xml(o, b->chart, ++chart_no);
			break;
		case DOC_NOTICE:
			notice_xml(o, b->text);
			break;
		}
	}
	signature_block(o, d);
	put(o, "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdH1\"/>"
	    "<w:headerReference w:type=\"first\" r:id=\"rIdH2\"/>"
	    "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
	    "<w:pgMar w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" "
	    "w:left=\"1701\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
	    "<w:titlePg/></w:sectPr></w:body></w:document>");
}

static void
document_rels(struct sink *o, int charts)
{
	put(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	    "2006/relationships\">"
	    "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/"
	    "officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
	    "<Relationship Id=\"rIdH1\" Type=\"http://schemas.openxmlformats.org/"
	    "officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>"
	    "<Relationship Id=\"rIdH2\" Type=\"http://schemas.openxmlformats.org/"
	    "officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>");
	for (int i = 1; i <= charts; i++)
		putf(o, "<Relationship Id=\"rIdChart%d\" Type=\"http://schemas."
		    "openxmlformats.org/officeDocument/2006/relationships/image\" "
		    "Target=\"media/chart%d.png\"/>", i, i);
	put(o, "</Relationships>");
}

static void
core_xml(struct sink *o, const struct doc *d)
{
	put(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/"
	    "package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/"
	    "dc/elements/1.1/\"><dc:title>");
	put_escaped(o, d->doc_type ? d->doc_type : d->vv);
	put(o, "</dc:title><dc:creator>csirt</dc:creator>"
	    "</cp:coreProperties>");
}

/* The data must stay alive until zip_close, which reads it. */
static enum csirt_rc
docx_add(zip_t *za, const char *name, const void *data, size_t len)
{
	zip_source_t *src = zip_source_buffer(za, data, len, 0);

	if (src == NULL)
		return CSIRT_ENOMEM;
	if (zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(src);
		return CSIRT_EINTERNAL;
	}
	return CSIRT_OK;
}

/* Copies the finished archive from the memory source into 'out'. */
static enum csirt_rc
zip_drain(zip_source_t *src, struct buf *out)
{
	char chunk[65536];
	zip_int64_t n;
	enum csirt_rc rc = CSIRT_OK;

	if (zip_source_open(src) < 0)
		return CSIRT_EINTERNAL;
	while ((n = zip_source_read(src, chunk, sizeof(chunk))) > 0) {
		rc = buf_append(out, chunk, (size_t)n);
		if (rc != CSIRT_OK)
			break;
	}
	if (n < 0 && rc == CSIRT_OK)
		rc = CSIRT_EINTERNAL;
	zip_source_close(src);
	return rc;
}

enum csirt_rc
render_docx(const struct doc *d, struct buf *out, struct csirt_err *err)
{
	struct buf body, rels, core, *pngs = NULL;
	struct sink sb = { &body, CSIRT_OK }, sr = { &rels, CSIRT_OK },
	    sc = { &core, CSIRT_OK };
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	zip_error_t ze;
	enum csirt_rc rc = CSIRT_OK;
	size_t charts = 0, k = 0;
	char name[64];

	buf_init(&body, REPORT_OUTPUT_MAX);
	buf_init(&rels, 1 << 20);
	buf_init(&core, 1 << 20);
	for (size_t i = 0; i < d->n_blocks; i++)
		charts += d->blocks[i].kind == DOC_CHART;
	if (charts > 0) {
		pngs = calloc(charts, sizeof(*pngs));
		if (pngs == NULL) {
			rc = CSIRT_ENOMEM;
			goto out;
		}
	}
	for (size_t i = 0; i < d->n_blocks && rc == CSIRT_OK; i++) {
		if (d->blocks[i].kind != DOC_CHART)
			continue;
		buf_init(&pngs[k], REPORT_CHART_PNG_MAX);
		rc = chart_png(d->blocks[i].chart, CHART_WIDTH_PT,
		    chart_height(d->blocks[i].chart), &pngs[k]);
		k++;
	}
	if (rc != CSIRT_OK)
		goto out;
	document_xml(&sb, d);
	document_rels(&sr, (int)charts);
	core_xml(&sc, d);
	rc = sb.rc != CSIRT_OK ? sb.rc : sr.rc != CSIRT_OK ? sr.rc : sc.rc;
	if (rc != CSIRT_OK)
		goto out;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (src == NULL) {
		rc = CSIRT_ENOMEM;
		goto out;
	}
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (za == NULL) {
		rc = CSIRT_EINTERNAL;
		zip_source_free(src);
		src = NULL;
		goto out;
	}
	zip_source_keep(src);	/* read the archive back after zip_close */
	rc = docx_add(za, "[Content_Types].xml", content_types,
	    sizeof(content_types) - 1);
	if (rc == CSIRT_OK)
		rc = docx_add(za, "_rels/.rels", package_rels,
		    sizeof(package_rels) - 1);
	if (rc == CSIRT_OK)
		rc = docx_add(za, "docProps/core.xml", core.data, core.len);
	if (rc == CSIRT_OK)
		rc = docx_add(za, "word/document.xml", body.data, body.len);
	if (rc == CSIRT_OK)
		rc = docx_add(za, "word/_rels/document.xml.rels", rels.data,
		    rels.len);
	if (rc == CSIRT_OK)
		rc = docx_add(za, "word/styles.xml", styles, sizeof(styles) - 1);
	if (rc == CSIRT_OK)
		rc = docx_add(za, "word/header1.xml", header_page,
		    sizeof(header_page) - 1);
	if (rc == CSIRT_OK)
		rc = docx_add(za, "word/header2.xml", header_first,
		    sizeof(header_first) - 1);
	for (size_t i = 0; i < charts && rc == CSIRT_OK; i++) {
		snprintf(name, sizeof(name), "word/media/chart%zu.png", i + 1);
		rc = docx_add(za, name, pngs[i].data, pngs[i].len);
	}
	if (rc != CSIRT_OK) {
		zip_discard(za);
		za = NULL;
		goto out;
	}
	if (zip_close(za) < 0) {
		zip_discard(za);
		za = NULL;
		rc = CSIRT_EINTERNAL;
		goto out;
	}
	za = NULL;
	rc = zip_drain(src, out);
out:
	if (src != NULL)
		zip_source_free(src);
	for (size_t i = 0; i < k; i++)
		buf_release(&pngs[i]);
	free(pngs);
	buf_release(&body);
	buf_release(&rels);
	buf_release(&core);
	if (rc != CSIRT_OK)
		return csirt_err_set(err, rc, NULL, rc == CSIRT_ETOOBIG ?
		    "the document is larger than the output limit" :
		    "the DOCX file could not be assembled");
	return CSIRT_OK;
}
