/*
 * test_version.c - known orderings for each scheme: the examples of
 * deb-version(7), rpm's tilde and caret, semver.org's precedence list, and
 * the upstream strings banners carry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"
#include "csirt/scan_version.h"

struct pair {
	const char *a, *b;
	int want;
};

static void
check(enum version_scheme s, const struct pair *p, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		int got = version_compare_str(s, p[k].a, p[k].b);
		int rev = version_compare_str(s, p[k].b, p[k].a);

		got = (got > 0) - (got < 0);
		rev = (rev > 0) - (rev < 0);
		if (got != p[k].want || rev != -p[k].want)
			fail_msg("scheme %d: '%s' vs '%s' = %d (reverse %d), want %d", (int)s,
			    p[k].a, p[k].b, got, rev, p[k].want);
	}
}

static void
test_dpkg(void **state)
{
	static const struct pair p[] = {
		{ "1.0~rc1", "1.0", -1 },
		{ "1.0", "1.0+b1", -1 },
		{ "1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u10", -1 },
		{ "1:9.2p1-2+deb12u3", "9.9p9-9", 1 },		/* the epoch wins */
		{ "1.0-1", "1.0-1~bpo1", 1 },
		{ "1.22.1-9+deb12u1", "1.22.1-9", 1 },
		{ "1.0", "1.0-0", 0 },
		{ "0:1.0", "1.0", 0 },
		{ "1.002", "1.2", 0 },
		{ "1.0a", "1.0", 1 },
		{ "1.0a", "1.0+", -1 },				/* letters before other symbols */
		{ "7.0.11-1", "7.0.15-1", -1 },
	};

	(void)state;
	check(VERSION_DPKG, p, ARRAY_SIZE(p));
}

static void
test_rpm(void **state)
{
	static const struct pair p[] = {
		{ "1.0", "1.0~rc1", 1 },
		{ "1.0^git1", "1.0", 1 },
		{ "1.0^git1", "1.0.1", -1 },
		{ "1.0a", "1.0", 1 },
		{ "1.0", "1.0.a", -1 },
		{ "2.0", "10", -1 },
		{ "1.01", "1.1", 0 },
		{ "1.0_1", "1.0.1", 0 },
		{ "a", "1", -1 },
	};
	static const struct pair evr[] = {
		{ "1:1.0-1", "2.0-1", 1 },
		{ "1.0-1.el9", "1.0-2.el9", -1 },
		{ "1.0-", "1.0", 1 },
		{ "0:1.0", "1.0", 0 },
	};

	(void)state;
	check(VERSION_RPM, p, ARRAY_SIZE(p));
	check(VERSION_RPM_EVR, evr, ARRAY_SIZE(evr));
}

static void
test_semver(void **state)
{
	/* semver.org 2.0 §11: 1.0.0-alpha < -alpha.1 < -alpha.beta < -beta < -beta.2 < -beta.11 < -rc.1 < 1.0.0 */
	static const char *chain[] = {
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
		"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0",
	};
	static const struct pair p[] = {
		{ "v1.2.3", "1.2.3", 0 },
		{ "1.2.3+build5", "1.2.3", 0 },
		{ "1.2", "1.2.0", 0 },
		{ "1.10.0", "1.9.0", 1 },
	};

	(void)state;
	for (size_t k = 0; k + 1 < ARRAY_SIZE(chain); k++) {
		struct pair one = { chain[k], chain[k + 1], -1 };

		check(VERSION_SEMVER, &one, 1);
	}
	check(VERSION_SEMVER, p, ARRAY_SIZE(p));
}

static void
test_upstream(void **state)
{
	static const struct pair p[] = {
		{ "9.2p1", "9.8", -1 },
		{ "9.2p1", "9.2", 1 },
		{ "1.22.1", "1.20.1", 1 },
		{ "15.18", "15.8", 1 },
		{ "3.0.19", "3.0.2", 1 },
		{ "7.0.15", "7.0.15", 0 },
	};

	(void)state;
	check(VERSION_UPSTREAM, p, ARRAY_SIZE(p));
}

/* Not NUL-terminated, embedded NUL, empty: ordered, never read past the length. */
static void
test_lengths(void **state)
{
	const char a[4] = { '1', '.', '2', '9' };

	(void)state;
	assert_int_equal(version_compare(VERSION_DPKG, a, 3, "1.2", 3), 0);
	assert_true(version_compare(VERSION_DPKG, a, 4, "1.2", 3) > 0);
	assert_int_equal(version_compare(VERSION_RPM, "1\0" "9", 3, "1", 1), 0);
	assert_int_equal(version_compare(VERSION_SEMVER, "", 0, "", 0), 0);
	assert_true(version_compare(VERSION_UPSTREAM, "", 0, "0.1", 3) < 0);
	assert_int_equal(version_scheme_parse("rpm-evr"), VERSION_RPM_EVR);
	assert_int_equal(version_scheme_parse("nope"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_semver),
		cmocka_unit_test(test_upstream),
		cmocka_unit_test(test_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
