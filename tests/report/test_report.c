/*
 * Unit tests for src/report: every kind in every format from the fixtures
 * in tests/report/data, escaping, hostile and oversize input, atomic file
 * output, and the MISP export checked against the fields the MISP core
 * format requires. The text content of the PDF and DOCX output is checked
 * by check_forms.py (pdftotext, LibreOffice).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "csirt/report.h"

static const char *data_dir;

static json_t *
fixture(const char *name)
{
	char path[1024];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s.json", data_dir, name);
	j = json_load_file(path, 0, &je);
	if (j == NULL)
		fail_msg("cannot load %s: %s", path, je.text);
	return j;
}

static const struct {
	const char *kind, *fixture;
} cases[] = {
	{ "form01", "form01" }, { "form02", "form02" },
	{ "form03", "incident" }, { "form04", "incident" },
	{ "form05", "form05" }, { "mau08", "mau08" },
	{ "report72h", "incident" }, { "quarterly", "quarterly" },
	{ "annual", "annual" },
};

static void
test_every_kind_every_format(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		json_t *in = fixture(cases[i].fixture);

		for (int f = REPORT_PDF; f <= REPORT_HTML; f++) {
			struct buf out;
			struct csirt_err err;

			buf_init(&out, REPORT_OUTPUT_MAX);
			csirt_err_clear(&err);
			assert_int_equal(report_render_buf(cases[i].kind, in,
			    (enum report_format)f, &out, &err), CSIRT_OK);
			assert_true(out.len > 1000);
			if (f == REPORT_PDF)
				assert_memory_equal(out.data, "%PDF-", 5);
			else if (f == REPORT_DOCX)
				assert_memory_equal(out.data, "PK\x03\x04", 4);
			else
				assert_memory_equal(out.data, "<!DOCTYPE html>", 15);
			buf_release(&out);
		}
		json_decref(in);
	}
	/* Every listed kind has a builder. */
	for (const char *const *k = report_kinds; *k; k++)
		assert_true(report_kind_valid(*k));
	assert_false(report_kind_valid("form06"));
}

static char *
render_html(const char *kind, json_t *in)
{
	struct buf out;

	buf_init(&out, REPORT_OUTPUT_MAX);
	assert_int_equal(report_render_buf(kind, in, REPORT_HTML, &out, NULL),
	    CSIRT_OK);
	return buf_detach(&out);
}

static void
test_html_escapes(void **state)
{
	json_t *in = json_pack("{s:s, s:{s:s}}", "title",
	    "<script>alert('x')</script> & \"quoted\"", "reporter", "org",
	    "<img src=x onerror=alert(1)>");
	char *html = render_html("form03", in);

	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "<img"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)"
	    "&lt;/script&gt; &amp; &quot;quoted&quot;"));
	/* Self-contained: nothing fetched from elsewhere. */
	assert_null(strstr(html, "http://"));
	assert_null(strstr(html, "https://"));
	assert_non_null(strstr(html, "default-src 'none'"));
	free(html);
	json_decref(in);
}

static void
test_missing_fields_print_empty(void **state)
{
	json_t *in = json_object();
	char *html = render_html("form03", in);

	/* The form is there, every value is a dotted line, nothing invented. */
	assert_non_null(strstr(html, "BÁO CÁO BAN ĐẦU SỰ CỐ"));
	assert_non_null(strstr(html, "Tên tổ chức, cá nhân: <span class=\"empty\">"));
	assert_non_null(strstr(html, "Cấp độ an toàn hệ thống thông tin (nếu có): "
	    "<span class=\"empty\">"));
	assert_non_null(strstr(html, "Số: ……/……"));
	assert_non_null(strstr(html, "……, ngày …… tháng …… năm ……"));
	free(html);
	json_decref(in);
}

static void
test_form05_totals(void **state)
{
	json_t *in = fixture("form05");
	char *html = render_html("form05", in);
	const char *total = strstr(html, "<tr class=\"total\">");

	assert_non_null(total);
	/* 3 + 7 + 2 incidents; 15.000.000 + 1.250.000.000 + 0 dong. */
	assert_non_null(strstr(total, "<td>12</td><td>8</td><td>3</td>"
	    "<td>1</td><td>1</td><td>1.265.000.000</td>"));
	assert_non_null(strstr(html, "(từ tháng 01 đến tháng 06 năm 2026)"));
	free(html);
	json_decref(in);
}

/* Reads one member of a DOCX held in memory. Caller frees. */
static char *
docx_member(const struct buf *docx, const char *name)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_file_t *zf;
	zip_stat_t st;
	char *data;

	zip_error_init(&ze);
	src = zip_source_buffer_create(docx->data, docx->len, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	assert_non_null(za);
	assert_int_equal(zip_stat(za, name, 0, &st), 0);
	data = calloc(1, st.size + 1);
	zf = zip_fopen(za, name, 0);
	assert_non_null(zf);
	assert_int_equal(zip_fread(zf, data, st.size), (zip_int64_t)st.size);
	zip_fclose(zf);
	zip_close(za);
	return data;
}

static void
test_docx_control_characters(void **state)
{
	json_t *in = json_pack("{s:s, s:s}", "title",
	    "Sự cố\x01\x02 \"mã độc\" <b>", "description", "dòng 1\ndòng 2\t§");
	struct buf out;
	char *xml;

	buf_init(&out, REPORT_OUTPUT_MAX);
	assert_int_equal(report_render_buf("form03", in, REPORT_DOCX, &out,
	    NULL), CSIRT_OK);
	xml = docx_member(&out, "word/document.xml");
	for (const unsigned char *p = (const unsigned char *)xml; *p; p++)
		assert_true(*p >= 0x20 || *p == '\n');
	assert_non_null(strstr(xml, "Sự cố \"mã độc\" &lt;b&gt;"));
	assert_non_null(strstr(xml, "dòng 1</w:t><w:br/>"));
	free(xml);
	xml = docx_member(&out, "[Content_Types].xml");
	assert_non_null(strstr(xml, "wordprocessingml.document.main+xml"));
	free(xml);
	buf_release(&out);
	json_decref(in);
}

static void
test_docx_charts_embedded(void **state)
{
	json_t *in = fixture("quarterly");
	struct buf out;
	char *rels, *png;

	buf_init(&out, REPORT_OUTPUT_MAX);
	assert_int_equal(report_render_buf("quarterly", in, REPORT_DOCX, &out,
	    NULL), CSIRT_OK);
	rels = docx_member(&out, "word/_rels/document.xml.rels");
	assert_non_null(strstr(rels, "media/chart4.png"));
	assert_null(strstr(rels, "media/chart5.png"));
	png = docx_member(&out, "word/media/chart1.png");
	assert_memory_equal(png, "\x89PNG", 4);
	free(png);
	free(rels);
	buf_release(&out);
	json_decref(in);
}

static void
expect_rc(const char *kind, json_t *in, enum report_format f,
    enum csirt_rc want)
{
	struct buf out;
	struct csirt_err err;

	buf_init(&out, REPORT_OUTPUT_MAX);
	csirt_err_clear(&err);
	assert_int_equal(report_render_buf(kind, in, f, &out, &err), want);
	assert_int_equal(out.len, 0);		/* nothing partial */
	assert_true(err.msg[0] != '\0');	/* and a reason */
	buf_release(&out);
}

static void
test_bad_input(void **state)
{
	json_t *arr = json_array(), *in, *deep, *big;
	char *s = malloc(70000);

	expect_rc("form03", arr, REPORT_PDF, CSIRT_EINVAL);
	in = json_object();
	expect_rc("form06", in, REPORT_PDF, CSIRT_EINVAL);
	expect_rc(NULL, in, REPORT_PDF, CSIRT_EINVAL);
	json_decref(in);

	memset(s, 'a', 69999);
	s[69999] = '\0';
	in = json_pack("{s:s}", "description", s);
	expect_rc("form03", in, REPORT_HTML, CSIRT_ETOOBIG);
	json_decref(in);

	deep = json_object();
	for (int i = 0; i < 20; i++)
		deep = json_pack("{s:o}", "x", deep);
	expect_rc("form03", deep, REPORT_PDF, CSIRT_ETOOBIG);
	json_decref(deep);

	big = json_array();
	for (int i = 0; i < 6000; i++)
		json_array_append_new(big, json_string("x"));
	in = json_pack("{s:o}", "public_ips", big);
	expect_rc("form03", in, REPORT_DOCX, CSIRT_ETOOBIG);
	json_decref(in);

	/* A table cell taller than a page: refused in PDF, fine in HTML. */
	memset(s, 'x', 60000);
	for (int i = 0; i < 60000; i += 7)
		s[i] = ' ';
	s[60000] = '\0';
	in = json_pack("{s:{s:[s]}}", "closure", "attached_documents", s);
	expect_rc("form04", in, REPORT_PDF, CSIRT_ETOOBIG);
	free(render_html("form04", in));
	json_decref(in);
	json_decref(arr);
	free(s);
}

static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
test_render_file_atomic(void **state)
{
	char dir[] = "/tmp/csirt-report-XXXXXX", path[256], buf[16];
	json_t *good = fixture("incident"), *bad = json_array();
	struct csirt_err err;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f03.pdf", dir);
	assert_int_equal(report_render("form03", good, REPORT_PDF, path, &err),
	    CSIRT_OK);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, 5, f), 5);
	fclose(f);
	assert_memory_equal(buf, "%PDF-", 5);
	/* A failed render leaves the old file as it was and no temp file. */
	assert_int_equal(report_render("form03", bad, REPORT_PDF, path, &err),
	    CSIRT_EINVAL);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, 5, f), 5);
	fclose(f);
	assert_memory_equal(buf, "%PDF-", 5);
	assert_int_equal(count_entries(dir), 1);
	snprintf(path, sizeof(path), "%s/missing/f03.pdf", dir);
	assert_int_equal(report_render("form03", good, REPORT_PDF, path, &err),
	    CSIRT_EIO);
	snprintf(path, sizeof(path), "%s/f03.pdf", dir);
	unlink(path);
	rmdir(dir);
	json_decref(good);
	json_decref(bad);
}

static void
test_format_from_path(void **state)
{
	enum report_format f;

	assert_int_equal(report_format_from_path("a.PDF", &f), CSIRT_OK);
	assert_int_equal(f, REPORT_PDF);
	assert_int_equal(report_format_from_path("x/b.docx", &f), CSIRT_OK);
	assert_int_equal(f, REPORT_DOCX);
	assert_int_equal(report_format_from_path("c.htm", &f), CSIRT_OK);
	assert_int_equal(f, REPORT_HTML);
	assert_int_equal(report_format_from_path("d.odt", &f), CSIRT_EINVAL);
	assert_int_equal(report_format_from_path("noext", &f), CSIRT_EINVAL);
	assert_string_equal(report_content_type(REPORT_PDF), "application/pdf");
}

static bool
is_uuid(const char *s)
{
	if (s == NULL || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' :
		    !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool
is_digits(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* The attribute of 'ev' whose value is 'value'. */
static json_t *
attribute(json_t *ev, const char *value)
{
	size_t i;
	json_t *a;

	json_array_foreach(json_object_get(ev, "Attribute"), i, a)
		if (strcmp(json_string_value(json_object_get(a, "value")),
		    value) == 0)
			return a;
	fail_msg("no attribute %s", value);
	return NULL;
}

static void
expect_attr(json_t *ev, const char *value, const char *type,
    const char *category, bool to_ids)
{
	json_t *a = attribute(ev, value);

	assert_string_equal(json_string_value(json_object_get(a, "type")), type);
	assert_string_equal(json_string_value(json_object_get(a, "category")),
	    category);
	assert_true(json_is_boolean(json_object_get(a, "to_ids")));
	assert_int_equal(json_is_true(json_object_get(a, "to_ids")), to_ids);
}

static void
test_misp_event(void **state)
{
	json_t *in = fixture("incident"), *root, *ev, *a, *t;
	static const char *const strings[] = { "uuid", "info", "date",
	    "threat_level_id", "analysis", "distribution", "timestamp" };
	static const char *const attr_strings[] = { "uuid", "type", "category",
	    "value", "distribution", "timestamp" };
	size_t i;

	root = report_misp_event(in);
	assert_non_null(root);
	ev = json_object_get(root, "Event");
	assert_true(json_is_object(ev));
	/* The fields an event SHALL carry, with the JSON types MISP uses. */
	for (i = 0; i < ARRAY_SIZE(strings); i++)
		assert_true(json_is_string(json_object_get(ev, strings[i])));
	assert_true(json_is_boolean(json_object_get(ev, "published")));
	assert_true(json_is_array(json_object_get(ev, "Attribute")));
	assert_true(json_is_array(json_object_get(ev, "Tag")));
	assert_true(is_uuid(json_string_value(json_object_get(ev, "uuid"))));
	assert_true(is_digits(json_string_value(json_object_get(ev,
	    "timestamp"))));
	assert_string_equal(json_string_value(json_object_get(ev, "date")),
	    "2026-03-05");
	assert_string_equal(json_string_value(json_object_get(ev,
	    "threat_level_id")), "1");
	assert_string_equal(json_string_value(json_object_get(ev, "analysis")),
	    "1");
	assert_string_equal(json_string_value(json_object_get(ev,
	    "distribution")), "0");	/* confidential: this organisation only */
	assert_non_null(strstr(json_string_value(json_object_get(ev, "info")),
	    "DLK-2026-0042: Sự cố mã độc"));
	t = json_array_get(json_object_get(ev, "Tag"), 0);
	assert_string_equal(json_string_value(json_object_get(t, "name")),
	    "tlp:amber");
	assert_int_equal(json_array_size(json_object_get(ev, "Attribute")), 9);
	json_array_foreach(json_object_get(ev, "Attribute"), i, a) {
		for (size_t k = 0; k < ARRAY_SIZE(attr_strings); k++)
			assert_true(json_is_string(json_object_get(a,
			    attr_strings[k])));
		assert_true(json_is_boolean(json_object_get(a, "to_ids")));
		assert_true(is_uuid(json_string_value(json_object_get(a,
		    "uuid"))));
	}
	expect_attr(ev, "185.220.101.47", "ip-dst", "Network activity", true);
	expect_attr(ev, "update-check.example-c2.net", "domain",
	    "Network activity", true);
	expect_attr(ev, "http://update-check.example-c2.net/payload.bin", "url",
	    "Network activity", true);
	expect_attr(ev, "44d88612fea8a8f36de82e1278abb02f", "md5",
	    "Payload delivery", true);
	expect_attr(ev, "3395856ce81f2b7382dee72602f798b642f14140", "sha1",
	    "Payload delivery", true);
	expect_attr(ev, "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538"
	    "aabf651fd0f", "sha256", "Payload delivery", true);
	expect_attr(ev, "ketoan.giamao@example-phish.vn", "email-src",
	    "Payload delivery", true);
	expect_attr(ev, "hóa_đơn_tháng_3.exe", "filename", "Payload delivery",
	    false);
	expect_attr(ev, "Global\\DLK_lock_2026", "text", "Other", false);
	json_decref(root);

	/* A value that is not what its type says is not an IDS indicator. */
	json_decref(in);
	in = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "title", "x",
	    "uuid", "6f1c9a52-3b7e-4d2a-9c11-2a7be0f4c001",
	    "observables", "type", "md5", "value", "not-a-hash");
	root = report_misp_event(in);
	ev = json_object_get(root, "Event");
	assert_string_equal(json_string_value(json_object_get(ev, "uuid")),
	    "6f1c9a52-3b7e-4d2a-9c11-2a7be0f4c001");
	assert_string_equal(json_string_value(json_object_get(ev,
	    "threat_level_id")), "4");
	assert_string_equal(json_string_value(json_object_get(ev,
	    "distribution")), "1");
	expect_attr(ev, "not-a-hash", "text", "Other", false);
	json_decref(root);
	json_decref(in);
	assert_null(report_misp_event(NULL));
	in = json_array();
	assert_null(report_misp_event(in));
	json_decref(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_every_format),
		cmocka_unit_test(test_html_escapes),
		cmocka_unit_test(test_missing_fields_print_empty),
		cmocka_unit_test(test_form05_totals),
		cmocka_unit_test(test_docx_control_characters),
		cmocka_unit_test(test_docx_charts_embedded),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_render_file_atomic),
		cmocka_unit_test(test_format_from_path),
		cmocka_unit_test(test_misp_event),
	};

	int rc;

	data_dir = getenv("REPORT_DATA");
	if (data_dir == NULL) {
		fprintf(stderr, "REPORT_DATA is not set (meson sets it)\n");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	report_cleanup();
	return rc;
}
