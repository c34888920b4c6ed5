/*
 * report.c - the entry points of the report engine (include/csirt/report.h):
 * checks the input, builds the document for the asked kind, renders it in
 * the asked format, and writes files atomically.
 */
#include "csirt/common.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <pango/pangocairo.h>

#include "csirt/report.h"
#include "report/doc.h"
#include "report/fields.h"
#include "report/forms.h"

static const struct {
	const char *kind;
	form_builder build;
} builders[] = {
	{ "form01", form_build_form01 },
	{ "form02", form_build_form02 },
	{ "form03", form_build_form03 },
	{ "form04", form_build_form04 },
	{ "form05", form_build_form05 },
	{ "mau08", form_build_mau08 },
	{ "report72h", form_build_report72h },
	{ "quarterly", form_build_quarterly },
	{ "annual", form_build_annual },
};

const char *const report_kinds[] = {
	"form03", "form04", "form05", "form01", "form02", "mau08",
	"report72h", "quarterly", "annual", NULL,
};

static form_builder
builder_for(const char *kind)
{
	if (kind == NULL)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(builders); i++)
		if (strcmp(builders[i].kind, kind) == 0)
			return builders[i].build;
	return NULL;
}

bool
report_kind_valid(const char *kind)
{
	return builder_for(kind) != NULL;
}

enum csirt_rc
report_format_from_path(const char *path, enum report_format *out)
{
	const char *dot = path ? strrchr(path, '.') : NULL;

	if (dot == NULL)
		return CSIRT_EINVAL;
	if (strcasecmp(dot, ".pdf") == 0)
		*out = REPORT_PDF;
	else if (strcasecmp(dot, ".docx") == 0)
		*out = REPORT_DOCX;
	else if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
		*out = REPORT_HTML;
	else
		return CSIRT_EINVAL;
	return CSIRT_OK;
}

const char *
report_content_type(enum report_format fmt)
{
	switch (fmt) {
	case REPORT_PDF:
		return "application/pdf";
	case REPORT_DOCX:
		return "application/vnd.openxmlformats-officedocument."
		    "wordprocessingml.document";
	case REPORT_HTML:
		return "text/html; charset=utf-8";
	}
	return "application/octet-stream";
}

enum csirt_rc
report_render_buf(const char *kind, json_t *input, enum report_format fmt,
    struct buf *out, struct csirt_err *err)
{
	form_builder build = builder_for(kind);
	struct doc d;
	size_t saved_max = out->max;
	enum csirt_rc rc;

	if (build == NULL)
		return csirt_err_set(err, CSIRT_EINVAL, "kind",
		    "unknown report kind '%.40s'", kind ? kind : "");
	rc = input_check(input, err);
	if (rc != CSIRT_OK)
		return rc;
	doc_init(&d);
	rc = build(&d, input, err);
	if (rc != CSIRT_OK)
		goto out;
	buf_reset(out);
	if (out->max > REPORT_OUTPUT_MAX)
		out->max = REPORT_OUTPUT_MAX;
	switch (fmt) {
	case REPORT_PDF:
		rc = render_pdf(&d, out, err);
		break;
	case REPORT_DOCX:
		rc = render_docx(&d, out, err);
		break;
	case REPORT_HTML:
		rc = render_html(&d, out, err);
		break;
	default:
		rc = csirt_err_set(err, CSIRT_EINVAL, "format",
		    "unknown output format");
	}
	out->max = saved_max;
	if (rc != CSIRT_OK)
		buf_reset(out);
out:
	doc_free(&d);
	return rc;
}

static enum csirt_rc
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return CSIRT_EIO;
		p += w;
		n -= (size_t)w;
	}
	return CSIRT_OK;
}

enum csirt_rc
report_render(const char *kind, json_t *input, enum report_format fmt,
    const char *out_path, struct csirt_err *err)
{
	struct buf b;
	char *tmp = NULL;
	int fd = -1;
	enum csirt_rc rc;

	buf_init(&b, REPORT_OUTPUT_MAX);
	rc = report_render_buf(kind, input, fmt, &b, err);
	if (rc != CSIRT_OK)
		goto out;
	if (asprintf(&tmp, "%s.tmpXXXXXX", out_path) < 0) {
		tmp = NULL;
		rc = CSIRT_ENOMEM;
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = csirt_err_set(err, CSIRT_EIO, "output",
		    "cannot create the output file: %s", strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	rc = write_all(fd, b.data, b.len);
	/* mkstemp makes the file 0600; a report is an ordinary document. */
	if (rc == CSIRT_OK && fchmod(fd, 0644) != 0)
		rc = CSIRT_EIO;
	if (rc == CSIRT_OK && fsync(fd) != 0)
		rc = CSIRT_EIO;
	if (close(fd) != 0 && rc == CSIRT_OK)
		rc = CSIRT_EIO;
	fd = -1;
	if (rc == CSIRT_OK && rename(tmp, out_path) != 0)
		rc = CSIRT_EIO;
	if (rc != CSIRT_OK) {
		csirt_err_set(err, rc, "output", "cannot write the output file: "
		    "%s", strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	buf_release(&b);
	return rc;
}

/*
 * Only the pango font map is released. cairo_debug_reset_static_data() and
 * FcFini() would free the rest, but both assert that nothing still uses a
 * font, and cairo's font-face cache keeps fontconfig patterns alive: each
 * aborted the process now and then in the fuzz replay. What stays behind
 * is reachable from cairo's globals, except fontconfig's caches, which
 * hide their pointers (offset-encoded); __lsan_default_suppressions below
 * excuses exactly those.
 */
void
report_cleanup(void)
{
	pango_cairo_font_map_set_default(NULL);
}

/*
 * LeakSanitizer's hook (a weak symbol of the sanitizer runtime; unused
 * without it). Only allocations made inside libfontconfig are excused, so
 * a layout or buffer the report code forgets is still reported.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
