/* Unit tests for src/intake/observable.c: normalisation and extraction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <stdlib.h>
#include <string.h>

#include "csirt/observable.h"

static void
assert_norm(enum observable_type t, const char *in, const char *want)
{
	char out[OBSERVABLE_VALUE_MAX];

	assert_int_equal(observable_normalise(t, in, strlen(in), out, sizeof(out)), CSIRT_OK);
	assert_string_equal(out, want);
}

static void
assert_bad(enum observable_type t, const char *in)
{
	char out[OBSERVABLE_VALUE_MAX];

	assert_int_equal(observable_normalise(t, in, strlen(in), out, sizeof(out)), CSIRT_EINVAL);
}

static void
test_codes(void **state)
{
	enum observable_type t;

	assert_string_equal(observable_type_code(OBS_IP), "ip");
	assert_string_equal(observable_type_code(OBS_DOMAIN), "domain");
	assert_string_equal(observable_type_code(OBS_URL), "url");
	assert_string_equal(observable_type_code(OBS_HASH_MD5), "md5");
	assert_string_equal(observable_type_code(OBS_HASH_SHA1), "sha1");
	assert_string_equal(observable_type_code(OBS_HASH_SHA256), "sha256");
	assert_string_equal(observable_type_code(OBS_EMAIL), "email");
	assert_string_equal(observable_type_code(OBS_FILE), "file");
	assert_string_equal(observable_type_code((enum observable_type)99), "");
	assert_int_equal(observable_type_parse("sha1", &t), CSIRT_OK);
	assert_int_equal(t, OBS_HASH_SHA1);
	assert_int_equal(observable_type_parse("sha512", &t), CSIRT_EINVAL);
}

static void
test_normalise(void **state)
{
	char small[8];

	assert_norm(OBS_DOMAIN, "Evil.Example.VN.", "evil.example.vn");
	assert_norm(OBS_DOMAIN, "evil[.]example[dot]com", "evil.example.com");
	assert_bad(OBS_DOMAIN, "localhost");
	assert_bad(OBS_DOMAIN, "-bad.com");
	assert_bad(OBS_DOMAIN, "bad-.com");
	assert_bad(OBS_DOMAIN, "a..com");
	assert_bad(OBS_DOMAIN, "1.2.3.4.5");
	assert_bad(OBS_DOMAIN, "có dấu.vn");
	assert_norm(OBS_IP, "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1");
	assert_norm(OBS_IP, "[2001:db8::1]", "2001:db8::1");
	assert_norm(OBS_IP, "203.113.131[.]5", "203.113.131.5");
	assert_bad(OBS_IP, "256.1.1.1");
	assert_bad(OBS_IP, "1.2.3");
	assert_bad(OBS_IP, "010.1.1.1");
	assert_norm(OBS_URL, "hxxps://Login.Evil[.]COM/Path?A=B", "https://login.evil.com/Path?A=B");
	assert_norm(OBS_URL, "HTTP://user@[2001:DB8::1]:8080/x", "http://user@[2001:db8::1]:8080/x");
	assert_norm(OBS_URL, "http://10.0.0.1", "http://10.0.0.1");
	assert_bad(OBS_URL, "javascript://evil.com/");
	assert_bad(OBS_URL, "http://exa mple.com/");
	assert_bad(OBS_URL, "http://");
	assert_norm(OBS_EMAIL, "Phishing@Evil-Bank.COM.VN", "Phishing@evil-bank.com.vn");
	assert_norm(OBS_EMAIL, "attacker[at]evil[.]com", "attacker@evil.com");
	assert_bad(OBS_EMAIL, "@evil.com");
	assert_bad(OBS_EMAIL, "a<b@evil.com");
	assert_norm(OBS_HASH_MD5, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e");
	assert_bad(OBS_HASH_SHA1, "d41d8cd98f00b204e9800998ecf8427e");
	assert_bad(OBS_HASH_MD5, "z41d8cd98f00b204e9800998ecf8427e");
	assert_norm(OBS_FILE, "báo cáo.docx", "báo cáo.docx");
	assert_bad(OBS_FILE, "a\nb");
	assert_bad(OBS_FILE, "");
	/* Too long for the output is not the same as invalid. */
	assert_int_equal(observable_normalise(OBS_DOMAIN, "example.com", 11, small,
	    sizeof(small)), CSIRT_ETOOBIG);
}

/* Looks for (type, value) in the first n entries. */
static bool
has(const struct observable *o, size_t n, enum observable_type t, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (o[i].type == t && strcmp(o[i].value, v) == 0)
			return true;
	return false;
}

static void
test_extract_vietnamese(void **state)
{
	const char *text =
	    "Kính gửi Sở TT&TT,\n"
	    "Phát hiện máy chủ có địa chỉ IP:203.113.131.5 kết nối tới C2 "
	    "tại tên miền Update-Check.Example.COM. (cổng 443).\n"
	    "Địa chỉ chỉ1.2.3.4 và 2001:DB8::10, email liên hệ: "
	    "soc@tinh.gov.vn; mẫu mã độc MD5 44d88612fea8a8f36de82e1278abb02f.";
	struct observable *o = calloc(16, sizeof(*o));
	size_t n = observable_extract(text, strlen(text), o, 16);

	assert_true(has(o, n, OBS_IP, "203.113.131.5"));
	assert_true(has(o, n, OBS_DOMAIN, "update-check.example.com"));
	assert_true(has(o, n, OBS_IP, "1.2.3.4"));
	assert_true(has(o, n, OBS_IP, "2001:db8::10"));
	assert_true(has(o, n, OBS_EMAIL, "soc@tinh.gov.vn"));
	assert_true(has(o, n, OBS_HASH_MD5, "44d88612fea8a8f36de82e1278abb02f"));
	assert_int_equal(n, 6);
	free(o);
}

static void
test_extract_defanged(void **state)
{
	const char *text =
	    "IOC: hxxp://malware[.]example[.]net/payload.exe, 45.77.10[.]20, "
	    "evil[.]vn and [2001:db8::dead]:443 sender attacker[@]phish.ru "
	    "sha256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 "
	    "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709";
	struct observable *o = calloc(16, sizeof(*o));
	size_t n = observable_extract(text, strlen(text), o, 16);

	assert_true(has(o, n, OBS_URL, "http://malware.example.net/payload.exe"));
	assert_true(has(o, n, OBS_DOMAIN, "malware.example.net"));
	assert_true(has(o, n, OBS_IP, "45.77.10.20"));
	assert_true(has(o, n, OBS_DOMAIN, "evil.vn"));
	assert_true(has(o, n, OBS_EMAIL, "attacker@phish.ru"));
	assert_true(has(o, n, OBS_IP, "2001:db8::dead"));	/* [v6]:port */
	assert_true(has(o, n, OBS_HASH_SHA256,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	assert_true(has(o, n, OBS_HASH_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"));
	assert_false(has(o, n, OBS_DOMAIN, "payload.exe"));
	free(o);
}

static void
test_extract_false_positives(void **state)
{
	const char *text =
	    "Phiên bản 1.2.3.4.5 của phần mềm; tệp report.docx, setup.py, README.md, "
	    "data.zip và invoice.pdf; lúc 10:30 ngày 20.11.2026; v2.4.58; "
	    "abc.def; giá 1.000.000 đồng; [TBSC] e.g. i.e. ";
	struct observable o[16];
	size_t n = observable_extract(text, strlen(text), o, 16);

	for (size_t i = 0; i < n; i++)
		print_message("unexpected: %s %s\n", observable_type_code(o[i].type), o[i].value);
	assert_int_equal(n, 0);
}

static void
test_extract_dedup_and_cap(void **state)
{
	const char *text = "1.1.1.1 1.1.1.1 EXAMPLE.com example.com. 8.8.8.8 9.9.9.9";
	struct observable o[3];
	size_t n = observable_extract(text, strlen(text), o, 3);

	assert_int_equal(n, 3);
	assert_string_equal(o[0].value, "1.1.1.1");
	assert_string_equal(o[1].value, "example.com");
	assert_string_equal(o[2].value, "8.8.8.8");
	/* Not NUL-terminated input: the length bounds the scan. */
	n = observable_extract("1.1.1.1 2.2.2.2", 7, o, 3);
	assert_int_equal(n, 1);
	/* Three-label names with a file-extension TLD are hosts. */
	n = observable_extract("cdn.evil.zip", 12, o, 3);
	assert_int_equal(n, 1);
	assert_string_equal(o[0].value, "cdn.evil.zip");
	assert_int_equal(observable_extract("", 0, o, 3), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_extract_vietnamese),
		cmocka_unit_test(test_extract_defanged),
		cmocka_unit_test(test_extract_false_positives),
		cmocka_unit_test(test_extract_dedup_and_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
