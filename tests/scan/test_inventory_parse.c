/*
 * test_inventory_parse.c - golden answers of the parsers a remote
 * inventory goes through besides dpkg's: `rpm -qa` lines and os-release
 * (the seed corpus of fuzz_remote_inventory).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <stdio.h>
#include <string.h>

#include "csirt/scan_inventory.h"

static const char *corpus;

static size_t
load(const char *name, char *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", corpus, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void
test_rpm_qa(void **state)
{
	struct package_list l = { 0 };
	char buf[4096];
	size_t n = load("rpm-qa", buf, sizeof(buf));

	(void)state;
	assert_int_equal(inventory_parse_rpm_qa(buf, n, &l, NULL), CSIRT_OK);
	/* "\tno-name" and "lonely" (no version) are not packages */
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "openssl-libs");
	assert_string_equal(l.v[0].version, "1:3.0.7-27.el9");
	assert_string_equal(l.v[0].source, "openssl-3.0.7-27.el9.src.rpm");
	assert_string_equal(l.v[0].type, "rpm");
	assert_string_equal(l.v[1].version, "5.1.8-9.el9");	/* epoch 0 dropped */
	assert_string_equal(l.v[1].arch, "x86_64");
	assert_string_equal(l.v[2].name, "gpg-pubkey");
	package_list_release(&l);
	/* a line too long for its fields is skipped whole, never cut */
	{
		char lng[600];

		memset(lng, 'a', sizeof(lng));
		memcpy(lng + 300, "\t1.0\tx\ty\n", 9);
		assert_int_equal(inventory_parse_rpm_qa(lng, 309, &l, NULL), CSIRT_OK);
		assert_int_equal(l.n, 0);
	}
	package_list_release(&l);
}

static void
test_os_release(void **state)
{
	struct inventory_host h;
	char buf[4096];
	size_t n;

	(void)state;
	n = load("os-release-rocky", buf, sizeof(buf));
	inventory_parse_os_release(buf, n, &h);
	assert_string_equal(h.os_id, "rocky");
	assert_string_equal(h.os_version_id, "9.4");
	n = load("os-release-odd", buf, sizeof(buf));
	inventory_parse_os_release(buf, n, &h);
	assert_string_equal(h.os_id, "a\"b");
	assert_string_equal(h.os_version_id, "\"");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpm_qa),
		cmocka_unit_test(test_os_release),
	};

	corpus = argc > 1 ? argv[1] : "tests/scan/corpus/remoteinv";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
