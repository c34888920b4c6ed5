/*
 * test_yara.c - YARA through libyara: a broken rule file is reported and
 * the good one still runs, externals (filename) are defined, files are
 * scanned on several threads with hits in file order, and a second run
 * skips unchanged files but still reports their hits from the cache.
 */
#include "csirt/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "csirt/hunt_yara.h"

static char dir[256];

struct seen {
	int n;
	char sources[8][300];
	char ids[8][128];
	int level;
};

static void
on_hit(const struct hunt_event *ev, const struct hunt_hit *hit, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		snprintf(s->sources[s->n], sizeof(s->sources[0]), "%s", ev->source);
		snprintf(s->ids[s->n], sizeof(s->ids[0]), "%s", hit->rule_id);
	}
	s->level = (int)hit->level;
	s->n++;
}

static void
put(const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/files/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_yara(void **state)
{
	const char *rules[] = { HUNT_TEST_DATA "/yara" };
	struct csirt_err err = { 0 };
	struct hunt_yara *y;
	struct hunt_yara_stats st;
	struct seen s = { 0 };
	char files[300], cache[300];
	const char *paths[1] = { files };

	(void)state;
	snprintf(files, sizeof(files), "%s/files", dir);
	snprintf(cache, sizeof(cache), "%s/cache.tsv", dir);
	y = hunt_yara_new(rules, 1, &err);
	assert_non_null(y);
	assert_int_equal(hunt_yara_rule_count(y), 1);
	assert_int_equal(hunt_yara_reject_count(y), 1);
	assert_non_null(strstr(hunt_yara_reject(y, 0), "broken.yar"));
	put("a.bin", "xx CSIRT-TEST-MARKER xx");
	put("b.txt", "CSIRT-TEST-MARKER but not a .bin");
	put("c.bin", "nothing here");
	put("d.bin", "CSIRT-TEST-MARKER");
	assert_int_equal(hunt_yara_scan(y, paths, 1, 2, cache, on_hit, NULL, &s,
	    &st), CSIRT_OK);
	assert_int_equal(st.files, 4);
	assert_int_equal(st.scanned, 4);
	assert_int_equal(s.n, 2);
	assert_non_null(strstr(s.sources[0], "/a.bin"));
	assert_non_null(strstr(s.sources[1], "/d.bin"));
	assert_string_equal(s.ids[0], "good.yar:Test_Marker");
	assert_int_equal(s.level, SIGMA_LEVEL_HIGH);	/* score 75 */
	/* second run: nothing rescanned, the same hits */
	memset(&s, 0, sizeof(s));
	assert_int_equal(hunt_yara_scan(y, paths, 1, 2, cache, on_hit, NULL, &s,
	    &st), CSIRT_OK);
	assert_int_equal(st.skipped, 4);
	assert_int_equal(st.scanned, 0);
	assert_int_equal(s.n, 2);
	/* a changed file is scanned again */
	sleep(1);
	put("c.bin", "now CSIRT-TEST-MARKER too, and longer");
	memset(&s, 0, sizeof(s));
	assert_int_equal(hunt_yara_scan(y, paths, 1, 2, cache, on_hit, NULL, &s,
	    &st), CSIRT_OK);
	assert_int_equal(st.scanned, 1);
	assert_int_equal(st.skipped, 3);
	assert_int_equal(s.n, 3);
	hunt_yara_free(y);
	/* only broken rules: an error that says why */
	{
		const char *bad[] = { HUNT_TEST_DATA "/yara/broken.yar" };

		assert_null(hunt_yara_new(bad, 1, &err));
		assert_non_null(strstr(err.msg, "no usable YARA rule file"));
	}
}

static int
setup(void **state)
{
	char p[300];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/csirt-yara-test-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/files", dir);
	return mkdir(p, 0700);
}

static int
teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yara),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
