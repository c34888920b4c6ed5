/*
 * Unit tests for src/intake/email.c and email_json.c, on the fixtures of
 * tests/intake/data/ (made by make_fixtures.py). usage: test_intake_email DATA_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/intake_email.h"

static const char *data_dir;

/* Reads a fixture; the caller frees. */
static char *
fixture(const char *name, size_t *len)
{
	char path[1024];
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/%s", data_dir, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

static enum csirt_rc
parse_fixture(const char *name, const struct email_limits *lim, struct email_report *r,
    struct csirt_err *err)
{
	size_t len;
	char *data = fixture(name, &len);
	enum csirt_rc rc = email_parse(data, len, lim, r, err);

	free(data);
	return rc;
}

static bool
has_observable(const struct email_report *r, enum observable_type t, const char *v)
{
	for (size_t i = 0; i < r->n_observables; i++)
		if (r->observables[i].type == t && strcmp(r->observables[i].value, v) == 0)
			return true;
	return false;
}

/* An error leaves nothing behind. */
static void
assert_empty(const struct email_report *r)
{
	assert_null(r->subject);
	assert_null(r->body_text);
	assert_null(r->attachments);
	assert_int_equal(r->n_attachments, 0);
	assert_null(r->observables);
	assert_null(r->fields.system_name);
}

static void
test_tbsc_form03(void **state)
{
	struct email_report r;

	assert_int_equal(parse_fixture("tbsc_form03_qp.eml", NULL, &r, NULL), CSIRT_OK);
	assert_string_equal(r.message_id, "20261120103500.1234@hatinh.gov.vn");
	assert_string_equal(r.from_name, "Trung tâm CNTT Hà Tĩnh");
	assert_string_equal(r.from_addr, "ttcntt@hatinh.gov.vn");
	assert_string_equal(r.subject,
	    "[TBSC] Sự cố thay đổi giao diện Cổng thông tin điện tử tỉnh");
	assert_true(r.tbsc);
	assert_int_equal(r.date, 1795145700);	/* 2026-11-20 10:35 +07:00 */
	assert_true(strncmp(r.body_text, "Kính gửi Sở Thông tin và Truyền thông,\n", 42) == 0);
	assert_non_null(strstr(r.body_text, "4. Mô tả sơ bộ về sự cố (*):\nTrang chủ"));
	assert_int_equal(r.n_attachments, 0);
	assert_string_equal(r.fields.reporter_org, "Trung tâm Công nghệ thông tin tỉnh");
	assert_string_equal(r.fields.contact_name, "Nguyễn Văn An");
	assert_string_equal(r.fields.contact_phone, "0912 345 678");
	assert_string_equal(r.fields.system_name, "Cổng thông tin điện tử tỉnh");
	assert_string_equal(r.fields.system_level, "Cấp 3");
	assert_int_equal(r.fields.detected_at, 1795145400);
	assert_string_equal(r.fields.public_ips, "203.113.131.5");
	assert_string_equal(r.fields.domains, "hatinh.gov.vn");
	assert_int_equal(r.fields.confidential, 1);
	assert_true(has_observable(&r, OBS_URL, "http://hatinh.gov.vn/uploads/x.php"));
	assert_true(has_observable(&r, OBS_IP, "45.77.10.20"));
	assert_true(has_observable(&r, OBS_IP, "203.113.131.5"));
	assert_true(has_observable(&r, OBS_EMAIL, "an.nv@hatinh.gov.vn"));
	assert_int_equal(r.n_observables, 6);
	email_report_free(&r);
	assert_null(r.subject);
}

static void
test_attachments(void **state)
{
	struct email_report r;

	assert_int_equal(parse_fixture("multipart_attachments.eml", NULL, &r, NULL), CSIRT_OK);
	assert_string_equal(r.subject, "[TBSC] Nhật ký truy cập");
	assert_string_equal(r.from_name, "SOC Bệnh viện");
	assert_int_equal(r.date, 1795222800);
	assert_string_equal(r.body_text,
	    "Gửi kèm nhật ký SSH và mẫu nén.\nTên hệ thống: Máy chủ web bệnh viện\n");
	assert_string_equal(r.fields.system_name, "Máy chủ web bệnh viện");
	assert_int_equal(r.n_attachments, 2);
	assert_string_equal(r.attachments[0].filename, "auth.log");
	assert_string_equal(r.attachments[0].content_type, "text/plain");
	assert_int_equal(r.attachments[0].size, 3560);
	assert_memory_equal(r.attachments[0].data, "Nov 20 10:00:01 web1 sshd[811]: ", 32);
	assert_string_equal(r.attachments[1].filename, "mau.zip");
	assert_string_equal(r.attachments[1].content_type, "application/zip");
	assert_int_equal(r.attachments[1].size, 326);
	assert_memory_equal(r.attachments[1].data, "PK\x03\x04\x14\x00", 6);
	assert_int_equal(r.attachments[1].data[10 + 255], 255);	/* binary intact */
	email_report_free(&r);
}

static void
test_html_only(void **state)
{
	static const char links[] =
	    "From: a@example.vn\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
	    "<p><a href=\"http://vcb-xacthuc.example.com/login\">Đăng nhập tại đây</a></p>"
	    "<p><a href=\"https://tinh.gov.vn\">https://tinh.gov.vn</a></p>"
	    "<p><a href=\"/relative\">trang chủ</a> <a href=\"javascript:x()\"></a></p>";
	struct email_report r;

	assert_int_equal(parse_fixture("html_only.eml", NULL, &r, NULL), CSIRT_OK);
	assert_false(r.tbsc);
	assert_string_equal(r.body_text,
	    "Phát hiện trang giả mạo:\nTên miền: vietcombank-xacthuc.com\n"
	    "Mô tả: Trang thu thập mật khẩu\ncủa khách hàng");
	assert_string_equal(r.fields.domains, "vietcombank-xacthuc.com");
	assert_true(has_observable(&r, OBS_DOMAIN, "vietcombank-xacthuc.com"));
	assert_int_equal(r.n_attachments, 0);
	email_report_free(&r);

	/* a link's target is kept after its text, unless the text shows it */
	assert_int_equal(email_parse(links, sizeof(links) - 1, NULL, &r, NULL), CSIRT_OK);
	assert_string_equal(r.body_text,
	    "Đăng nhập tại đây <http://vcb-xacthuc.example.com/login>\n"
	    "https://tinh.gov.vn\ntrang chủ");
	assert_true(has_observable(&r, OBS_URL, "http://vcb-xacthuc.example.com/login"));
	email_report_free(&r);
}

static void
test_charsets(void **state)
{
	struct email_report r;

	/* windows-1258: tones as combining marks, composed to NFC on the way */
	assert_int_equal(parse_fixture("charset_1258.eml", NULL, &r, NULL), CSIRT_OK);
	assert_true(r.tbsc);	/* "[tbsc]": any case */
	assert_string_equal(r.body_text,
	    "Tên hệ thống: Một cửa điện tử\nMô tả: Máy chủ bị nhiễm mã độc tống tiền.\n");
	assert_string_equal(r.fields.system_name, "Một cửa điện tử");
	email_report_free(&r);

	/* RFC 2047 in two charsets and both encodings; an ISO-8859-1 body */
	assert_int_equal(parse_fixture("rfc2047_subject.eml", NULL, &r, NULL), CSIRT_OK);
	assert_string_equal(r.subject, "[TBSC] Tấn công café từ chối dịch vụ");
	assert_string_equal(r.from_name, "Lê Thị Hoa");
	assert_string_equal(r.from_addr, "hoa@example.vn");
	assert_true(r.tbsc);
	assert_string_equal(r.body_text, "Café Internet bi tan cong.\n");
	email_report_free(&r);
}

static void
test_nested(void **state)
{
	static const char chain[] =
	    "From: a@example.vn\r\nContent-Type: message/rfc822\r\n\r\n"
	    "From: b@example.vn\r\nContent-Type: message/rfc822\r\n\r\n"
	    "From: c@example.vn\r\nContent-Type: text/plain; name=leaf.txt\r\n"
	    "Content-Disposition: attachment\r\n\r\nleaf\r\n";
	struct email_limits lim;
	struct csirt_err err;
	struct email_report r;

	assert_int_equal(parse_fixture("nested_rfc822.eml", NULL, &r, NULL), CSIRT_OK);
	assert_false(r.tbsc);	/* "Fwd: [TBSC]" does not start with it */
	assert_string_equal(r.body_text,
	    "Chuyen tiep bao cao cua don vi.\n\n"
	    "Tên hệ thống: Máy trạm kế toán\n"
	    "SHA256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(r.fields.system_name, "Máy trạm kế toán");
	assert_int_equal(r.n_attachments, 2);
	assert_string_equal(r.attachments[0].filename, "bao-cao.eml");
	assert_string_equal(r.attachments[0].content_type, "message/rfc822");
	assert_non_null(memmem(r.attachments[0].data, r.attachments[0].size,
	    "Subject: [TBSC] Ma doc tren may tram", 36));
	assert_string_equal(r.attachments[1].filename, "sample.bin");
	assert_int_equal(r.attachments[1].size, 32);
	assert_memory_equal(r.attachments[1].data, "MZ", 2);
	assert_true(has_observable(&r, OBS_HASH_SHA256,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	email_report_free(&r);

	/* a chain of three forwarded messages: only the outer one is kept whole */
	assert_int_equal(email_parse(chain, sizeof(chain) - 1, NULL, &r, NULL), CSIRT_OK);
	assert_int_equal(r.n_attachments, 2);
	assert_string_equal(r.attachments[0].filename, "message-1.eml");
	assert_string_equal(r.attachments[1].filename, "leaf.txt");
	assert_memory_equal(r.attachments[1].data, "leaf", 4);
	email_report_free(&r);

	/* the total of all attachments is capped too */
	email_limits_default(&lim);
	lim.max_attachments_total = 620;	/* 607 (.eml) + 32 (sample.bin) */
	assert_int_equal(parse_fixture("nested_rfc822.eml", &lim, &r, &err), CSIRT_ETOOBIG);
	assert_string_equal(err.msg, "the attachments total more than 620 bytes");
	assert_empty(&r);
}

static void
test_hostile_names(void **state)
{
	static const char rlo[] =
	    "From: a@example.vn\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "Content-Disposition: attachment; filename*=UTF-8''invoice%E2%80%AEfdp%C2%85x.exe\r\n"
	    "\r\nMZ\r\n";
	static const char bad_type[] =
	    "From: a@example.vn\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: application/octet-stream\xf6\xbc\x90\x8etent\r\n"
	    "Content-Disposition: attachment\r\n\r\nMZ\r\n";
	struct email_report r;
	json_t *j;

	assert_int_equal(parse_fixture("traversal.eml", NULL, &r, NULL), CSIRT_OK);
	assert_int_equal(r.date, 0);	/* no Date header */
	assert_string_equal(r.body_text, "see attached");
	assert_int_equal(r.n_attachments, 3);
	assert_string_equal(r.attachments[0].filename, "passwd");
	assert_memory_equal(r.attachments[0].data, "root:x:0:0", 10);
	/* RFC 2231 name with backslashes and a BEL */
	assert_string_equal(r.attachments[1].filename, "báo cáo.exe");
	/* an inline image is an attachment; "..." leaves no name */
	assert_string_equal(r.attachments[2].filename, "attachment-3");
	assert_string_equal(r.attachments[2].content_type, "image/png");
	for (size_t i = 0; i < r.n_attachments; i++) {
		assert_null(strchr(r.attachments[i].filename, '/'));
		assert_null(strchr(r.attachments[i].filename, '\\'));
	}
	email_report_free(&r);

	/* found by libFuzzer: a Content-Type with bytes that are not UTF-8 */
	assert_int_equal(email_parse(bad_type, sizeof(bad_type) - 1, NULL, &r, NULL), CSIRT_OK);
	assert_int_equal(r.n_attachments, 1);
	assert_string_equal(r.attachments[0].content_type, "application/octet-stream");
	j = email_report_to_json(&r);
	assert_non_null(j);
	json_decref(j);
	email_report_free(&r);
	assert_int_equal(parse_fixture("regress_content_type_bytes.eml", NULL, &r, NULL), CSIRT_OK);
	j = email_report_to_json(&r);
	assert_non_null(j);
	json_decref(j);
	email_report_free(&r);

	/* a right-to-left override and a C1 control in a name */
	assert_int_equal(email_parse(rlo, sizeof(rlo) - 1, NULL, &r, NULL), CSIRT_OK);
	assert_int_equal(r.n_attachments, 1);
	assert_string_equal(r.attachments[0].filename, "invoice_fdp x.exe");
	email_report_free(&r);
}

static void
test_refused(void **state)
{
	struct email_report r;
	struct csirt_err err;
	struct email_limits lim;
	size_t big = (25u << 20) + 1;
	struct buf flood;
	char *huge;

	csirt_err_clear(&err);
	assert_int_equal(parse_fixture("truncated.eml", NULL, &r, &err), CSIRT_EPARSE);
	assert_string_equal(err.msg, "the message is truncated");
	assert_empty(&r);

	/* over the size limit, a small one and the default 25 MiB */
	email_limits_default(&lim);
	lim.max_message = 1000;
	assert_int_equal(parse_fixture("tbsc_form03_qp.eml", &lim, &r, &err), CSIRT_ETOOBIG);
	assert_string_equal(err.msg, "the message is larger than 1000 bytes");
	assert_empty(&r);
	huge = malloc(big);
	assert_non_null(huge);
	memset(huge, 'a', big);
	assert_int_equal(email_parse(huge, big, NULL, &r, &err), CSIRT_ETOOBIG);
	free(huge);

	/* 1000 parts: over 50 attachments first, over 500 parts when that is raised */
	assert_int_equal(parse_fixture("many_parts.eml", NULL, &r, &err), CSIRT_ETOOBIG);
	assert_string_equal(err.msg, "the message has more than 50 attachments");
	email_limits_default(&lim);
	lim.max_attachments = 5000;
	assert_int_equal(parse_fixture("many_parts.eml", &lim, &r, &err), CSIRT_ETOOBIG);
	assert_string_equal(err.msg, "the message has more than 500 MIME parts");
	assert_empty(&r);
	lim.max_parts = 2000;
	assert_int_equal(parse_fixture("many_parts.eml", &lim, &r, &err), CSIRT_OK);
	assert_int_equal(r.n_attachments, 1000);
	email_report_free(&r);

	/* 30,000 empty parts in 300 kB: refused before GMime builds them */
	buf_init(&flood, 1 << 20);
	assert_int_equal(buf_append_str(&flood, "From: a@example.vn\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"), CSIRT_OK);
	for (int i = 0; i < 30000; i++)
		assert_int_equal(buf_append_str(&flood, "--b\r\n\r\nx\r\n"), CSIRT_OK);
	assert_int_equal(email_parse(flood.data, flood.len, NULL, &r, &err), CSIRT_ETOOBIG);
	assert_non_null(strstr(err.msg, "more than 20000 lines starting with \"--\""));
	assert_empty(&r);
	buf_release(&flood);

	/* 12,000 header fields: at the top, then spread over 100 parts */
	buf_init(&flood, 1 << 20);
	assert_int_equal(buf_append_str(&flood, "From: a@example.vn\r\n"), CSIRT_OK);
	for (int i = 0; i < 12000; i++)
		assert_int_equal(buf_append_str(&flood, "X-Filler: y\r\n"), CSIRT_OK);
	assert_int_equal(buf_append_str(&flood, "\r\nbody\r\n"), CSIRT_OK);
	assert_int_equal(email_parse(flood.data, flood.len, NULL, &r, &err), CSIRT_ETOOBIG);
	assert_string_equal(err.msg, "the message has more than 10000 header fields");
	assert_empty(&r);
	buf_reset(&flood);
	assert_int_equal(buf_append_str(&flood, "From: a@example.vn\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"), CSIRT_OK);
	for (int p = 0; p < 100; p++) {
		assert_int_equal(buf_append_str(&flood,
		    "--b\r\nContent-Type: application/octet-stream\r\n"), CSIRT_OK);
		for (int i = 0; i < 119; i++)
			assert_int_equal(buf_append_str(&flood, "X-Filler: y\r\n"), CSIRT_OK);
		assert_int_equal(buf_append_str(&flood, "\r\nx\r\n"), CSIRT_OK);
	}
	assert_int_equal(buf_append_str(&flood, "--b--\r\n"), CSIRT_OK);
	email_limits_default(&lim);
	lim.max_attachments = 500;
	assert_int_equal(email_parse(flood.data, flood.len, &lim, &r, &err), CSIRT_ETOOBIG);
	assert_string_equal(err.msg, "the message has more than 10000 header fields");
	lim.max_headers = 20000;	/* the same message is fine under a higher limit */
	assert_int_equal(email_parse(flood.data, flood.len, &lim, &r, &err), CSIRT_OK);
	assert_int_equal(r.n_attachments, 100);
	email_report_free(&r);
	buf_release(&flood);

	/* one attachment too large */
	email_limits_default(&lim);
	lim.max_attachment_size = 1000;
	assert_int_equal(parse_fixture("multipart_attachments.eml", &lim, &r, &err),
	    CSIRT_ETOOBIG);
	assert_string_equal(err.msg, "attachment 'auth.log' is larger than 1000 bytes");
	assert_empty(&r);
}

static void
test_not_mail(void **state)
{
	static const char garbage[] = "\x00\x01\x02\xff\xfe binary \x00";
	struct email_report r;
	struct csirt_err err;

	assert_int_equal(email_parse("", 0, NULL, &r, &err), CSIRT_EPARSE);
	assert_int_equal(email_parse("hello world\n", 12, NULL, &r, &err), CSIRT_EPARSE);
	assert_int_equal(email_parse(garbage, sizeof(garbage) - 1, NULL, &r, &err), CSIRT_EPARSE);
	assert_string_equal(err.msg, "the input is not an e-mail message");
	assert_empty(&r);
}

static void
test_edge_cases(void **state)
{
	static const char no_text[] =
	    "From: a@example.vn\r\nSubject:   [TbSc]x\r\nDate: not a date\r\n"
	    "Content-Type: application/pdf; name=r.pdf\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n";
	static const char legacy[] =
	    "From: a@example.vn\r\nSubject: S\xf5 c\xf4\r\nContent-Type: text/plain\r\n\r\n"
	    "T\xean h\xea\xf2 th\xf4\xecng: M\xe1y chu\xd2\r\n";
	static const char nfd[] =
	    "From: a@example.vn\r\nSubject: =?utf-8?q?Te=CC=82n?=\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
	    "plain line\r\nTe\xcc\x82n he\xcc\x82\xcc\xa3 tho\xcc\x82\xcc\x81ng\r\n";
	struct email_limits lim;
	struct email_report r;
	struct csirt_err err;
	struct buf deep;

	assert_int_equal(email_parse(no_text, sizeof(no_text) - 1, NULL, &r, NULL), CSIRT_OK);
	assert_string_equal(r.body_text, "");
	assert_true(r.tbsc);
	assert_int_equal(r.date, 0);
	assert_string_equal(r.message_id, "");
	assert_int_equal(r.n_attachments, 1);
	assert_string_equal(r.attachments[0].filename, "r.pdf");
	assert_memory_equal(r.attachments[0].data, "%PDF-", 5);
	email_report_free(&r);

	/* 8-bit windows-1258 with no charset declared, in a header and the body */
	assert_int_equal(email_parse(legacy, sizeof(legacy) - 1, NULL, &r, NULL), CSIRT_OK);
	assert_string_equal(r.subject, "Sơ cô");
	assert_string_equal(r.body_text, "Tên hệ thống: Máy chủ\n");
	assert_string_equal(r.fields.system_name, "Máy chủ");
	email_report_free(&r);

	/* decomposed UTF-8 (e + combining circumflex) comes out composed (NFC) */
	assert_int_equal(email_parse(nfd, sizeof(nfd) - 1, NULL, &r, NULL), CSIRT_OK);
	assert_string_equal(r.subject, "T\xc3\xaan");
	assert_string_equal(r.body_text, "plain line\nT\xc3\xaan h\xe1\xbb\x87 th\xe1\xbb\x91ng\n");
	email_report_free(&r);

	/* multiparts nested 30 deep, over the default 20 */
	buf_init(&deep, 1 << 20);
	assert_int_equal(buf_append_str(&deep, "From: a@example.vn\r\nMIME-Version: 1.0\r\n"), CSIRT_OK);
	for (int i = 0; i < 30; i++)
		assert_int_equal(buf_printf(&deep,
		    "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i),
		    CSIRT_OK);
	assert_int_equal(buf_append_str(&deep, "Content-Type: text/plain\r\n\r\ndeep\r\n"), CSIRT_OK);
	for (int i = 29; i >= 0; i--)
		assert_int_equal(buf_printf(&deep, "--b%d--\r\n", i), CSIRT_OK);
	assert_int_equal(email_parse(deep.data, deep.len, NULL, &r, &err), CSIRT_ETOOBIG);
	assert_string_equal(err.msg, "the message is nested more than 20 levels deep");
	email_limits_default(&lim);
	lim.max_depth = 40;
	assert_int_equal(email_parse(deep.data, deep.len, &lim, &r, &err), CSIRT_OK);
	assert_string_equal(r.body_text, "deep");
	email_report_free(&r);
	buf_release(&deep);
}

static void
test_json(void **state)
{
	struct email_report r;
	json_t *j, *a;

	assert_int_equal(parse_fixture("multipart_attachments.eml", NULL, &r, NULL), CSIRT_OK);
	j = email_report_to_json(&r);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "subject")),
	    "[TBSC] Nhật ký truy cập");
	assert_true(json_is_true(json_object_get(j, "tbsc")));
	assert_string_equal(json_string_value(json_object_get(j, "date")), "2026-11-21T01:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "from"),
	    "address")), "soc@benhvien.example.vn");
	a = json_array_get(json_object_get(j, "attachments"), 0);
	assert_string_equal(json_string_value(json_object_get(a, "filename")), "auth.log");
	assert_int_equal(json_integer_value(json_object_get(a, "size")), 3560);
	/* independently computed: python3 hashlib.sha256 of the generated log */
	assert_string_equal(json_string_value(json_object_get(a, "sha256")),
	    "055559429199934f5b344ad4d34db4557c3e2d66a817994c70f819d178502c3d");
	assert_null(json_object_get(a, "data"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "form03"),
	    "system_name")), "Máy chủ web bệnh viện");
	assert_null(json_object_get(json_object_get(j, "form03"), "os"));
	assert_int_equal(json_array_size(json_object_get(j, "observables")), 0);
	json_decref(j);
	email_report_free(&r);
}

struct thread_job {
	const char *data;
	size_t len;
	int ok;
};

static void *
parse_many(void *arg)
{
	struct thread_job *job = arg;

	for (int i = 0; i < 20; i++) {
		struct email_report r;

		if (email_parse(job->data, job->len, NULL, &r, NULL) == CSIRT_OK &&
		    r.n_attachments == 2 && strcmp(r.attachments[0].filename, "auth.log") == 0)
			job->ok++;
		email_report_free(&r);
	}
	return NULL;
}

/* Parses run in parallel threads (the server will): GMime is set up once. */
static void
test_threads(void **state)
{
	pthread_t t[4];
	struct thread_job jobs[4];
	size_t len;
	char *data = fixture("multipart_attachments.eml", &len);

	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct thread_job){ .data = data, .len = len, .ok = 0 };
		assert_int_equal(pthread_create(&t[i], NULL, parse_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].ok, 20);
	}
	free(data);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),	/* first: threads race to initialise */
		cmocka_unit_test(test_tbsc_form03),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_html_only),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_not_mail),
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_json),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
		return 1;
	}
	data_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
