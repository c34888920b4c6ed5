/*
 * Unit tests for matching a warning's products to a system's components:
 * CPE vendor/product, a CPE with a version, a plain name, inclusive
 * version ranges (upstream order: 1.22.10 > 1.22.9), a component without
 * a version ("possibly"), and hostile shapes (wrong types, overlong text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <string.h>

#include "csirt/warning_match.h"

static enum warning_match
m(const char *products, const char *components, char *why)
{
	json_t *p = json_loads(products, 0, NULL), *c = json_loads(components, 0, NULL);
	enum warning_match r;

	assert_non_null(p);
	assert_non_null(c);
	r = warning_match_components(p, c, why, 256);
	json_decref(p);
	json_decref(c);
	return r;
}

static void
test_cpe(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(m("[{\"cpe\":\"cpe:2.3:a:f5:nginx\"}]",
	    "[{\"name\":\"nginx\",\"version\":\"1.18.0\",\"cpe\":\"cpe:2.3:a:f5:nginx:1.18.0\"}]", why),
	    WM_YES);
	assert_non_null(strstr(why, "1.18.0"));
	assert_int_equal(m("[{\"cpe\":\"cpe:2.3:a:f5:nginx:1.18.0\"}]",
	    "[{\"cpe\":\"cpe:2.3:a:f5:nginx:1.20.1\"}]", why), WM_NO);
	assert_int_equal(m("[{\"cpe\":\"cpe:2.3:a:f5:nginx:*\"}]",
	    "[{\"cpe\":\"cpe:2.3:a:F5:NGINX:1.20.1\"}]", why), WM_YES);
	assert_int_equal(m("[{\"cpe\":\"cpe:2.3:a:apache:http_server\"}]",
	    "[{\"cpe\":\"cpe:2.3:a:f5:nginx:1.20.1\"}]", why), WM_NO);
	/* a CPE against a component that only has a name: the product part */
	assert_int_equal(m("[{\"cpe\":\"cpe:2.3:a:git-scm:git\"}]",
	    "[{\"name\":\"Git\",\"version\":\"2.39.2\"}]", why), WM_YES);
}

static void
test_name_and_range(void **state)
{
	char why[256];
	const char *p = "[{\"name\":\"nginx\",\"version_min\":\"1.22.0\",\"version_max\":\"1.22.9\"}]";

	(void)state;
	assert_int_equal(m(p, "[{\"name\":\"NGINX\",\"version\":\"1.22.1\"}]", why), WM_YES);
	assert_int_equal(m(p, "[{\"name\":\"nginx\",\"version\":\"1.22.10\"}]", why), WM_NO);
	assert_int_equal(m(p, "[{\"name\":\"nginx\",\"version\":\"1.21.9\"}]", why), WM_NO);
	assert_int_equal(m(p, "[{\"name\":\"nginx\",\"version\":\"1.22.9\"}]", why), WM_YES);
	assert_int_equal(m(p, "[{\"name\":\"nginx\"}]", why), WM_POSSIBLY);
	assert_non_null(strstr(why, "no recorded version"));
	/* a yes anywhere wins over a possibly */
	assert_int_equal(m(p, "[{\"name\":\"nginx\"},{\"name\":\"nginx\",\"version\":\"1.22.3\"}]",
	    why), WM_YES);
	assert_int_equal(m("[{\"name\":\"Exchange Server\"}]",
	    "[{\"name\":\"exchange server\",\"version\":\"2019\"}]", why), WM_YES);
}

static void
test_hostile(void **state)
{
	char why[256], big[600];

	(void)state;
	assert_int_equal(m("[1, \"x\", null, {\"name\":7}]", "[{\"name\":\"x\"}, 3]", why), WM_NO);
	assert_int_equal(m("[{\"cpe\":\"cpe:2.3:a\"}]", "[{\"cpe\":\"cpe:2.3:a\"}]", why), WM_NO);
	assert_int_equal(m("[{\"cpe\":\"cpe:2.3:a:::\"}]", "[{\"cpe\":\"cpe:2.3:a:::\"}]", why),
	    WM_NO);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	{
		char p[700], c[700];

		snprintf(p, sizeof(p), "[{\"name\":\"%s\"}]", big);
		snprintf(c, sizeof(c), "[{\"name\":\"%s\"}]", big);
		assert_int_equal(m(p, c, why), WM_NO);	/* overlong names are not compared */
	}
	assert_int_equal(warning_match_components(NULL, NULL, why, sizeof(why)), WM_NO);
	/* Regression: a long Vietnamese name filled the explanation and the
	 * cut split a character, which JSON then refused. */
	{
		char name[200] = "", p[700], c[700];
		json_t *s;

		for (int i = 0; i < 60; i++)
			memcpy(name + 3 * i, "ữ", 4);	/* 3 bytes each and the NUL: 180 */
		snprintf(p, sizeof(p), "[{\"name\":\"%s\"}]", name);
		snprintf(c, sizeof(c), "[{\"name\":\"%s\",\"version\":\"1.0\"}]", name);
		assert_int_equal(m(p, c, why), WM_YES);
		s = json_string(why);
		assert_non_null(s);
		json_decref(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpe),
		cmocka_unit_test(test_name_and_range),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
