/*
 * test_regression.c - the SigmaHQ regression suite: every info.yml under
 * regression_data names a rule that must fire on its EVTX. All SigmaHQ rule
 * folders are loaded, as a user would, and each EVTX is hunted with the
 * whole set; the test passes only if the named rule fires in every case,
 * which is what SigmaHQ's own runner (tests/regression_tests_runner.py)
 * checks. match_count is compared too and every difference is printed, but
 * does not fail the test: in some cases the rule as written matches more
 * records of the EVTX than match_count says (see docs/hunt.md).
 *
 * usage: test_regression SHARED_DATA_DIR
 */
#include "csirt/common.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "csirt/hunt.h"
#include "csirt/sigma.h"

struct tcase {
	char dir[3800];
	char rule_id[64];
	int64_t want;	/* -1: not given */
	bool is_evtx;	/* has an active evtx test (some are commented out) */
};

struct run {
	struct sigma_matcher *m;
	const char *want_id;
	int64_t got;
};

static bool
on_event(struct hunt_event *ev, void *ctx)
{
	struct run *r = ctx;
	(void)sigma_match(r->m, ev, NULL, NULL);
	return true;
}

static void
on_hit(const struct hunt_event *ev, const struct sigma_hit *hit, void *ctx)
{
	struct run *r = ctx;

	(void)ev;
	if (strcmp(hit->rule->id, r->want_id) == 0)
		r->got++;
}

static bool
on_event_hits(struct hunt_event *ev, void *ctx)
{
	struct run *r = ctx;

	(void)sigma_match(r->m, ev, on_hit, r);
	return true;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *d;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	d = malloc((size_t)n + 1);
	if (d == NULL || fread(d, 1, (size_t)n, f) != (size_t)n) {
		free(d);
		fclose(f);
		return NULL;
	}
	fclose(f);
	d[n] = '\0';
	*len = (size_t)n;
	return d;
}

/* Reads rule_metadata[0].id and regression_tests_info[0].match_count. */
static bool
read_info(const char *path, struct tcase *tc)
{
	size_t len;
	char *text = slurp(path, &len);
	yaml_parser_t p;
	yaml_event_t e;
	char last_key[64] = "";
	bool in_meta = false, ok = false, expect_value = false;
	int depth = 0;

	tc->want = -1;
	tc->rule_id[0] = '\0';
	if (text == NULL)
		return false;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (unsigned char *)text, len);
	for (int guard = 0; guard < 100000; guard++) {
		if (!yaml_parser_parse(&p, &e))
			break;
		if (e.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&e);
			ok = true;
			break;
		}
		if (e.type == YAML_MAPPING_START_EVENT) {
			depth++;
			expect_value = false;
		} else if (e.type == YAML_MAPPING_END_EVENT) {
			depth--;
			expect_value = true;	/* next scalar is a key */
			expect_value = false;
		} else if (e.type == YAML_SEQUENCE_START_EVENT) {
			if (depth == 1)
				in_meta = strcmp(last_key, "rule_metadata") == 0;
			expect_value = false;
		} else if (e.type == YAML_SCALAR_EVENT) {
			const char *v = (const char *)e.data.scalar.value;

			if (!expect_value) {
				snprintf(last_key, sizeof(last_key), "%s", v);
				expect_value = true;
			} else {
				if (in_meta && depth == 2 &&
				    strcmp(last_key, "id") == 0 &&
				    tc->rule_id[0] == '\0')
					snprintf(tc->rule_id, sizeof(tc->rule_id),
					    "%s", v);
				if (strcmp(last_key, "type") == 0 &&
				    strcmp(v, "evtx") == 0)
					tc->is_evtx = true;
				if (strcmp(last_key, "match_count") == 0)
					(void)parse_int64(v, 0, 1000000, &tc->want);
				expect_value = false;
			}
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	free(text);
	return ok && tc->rule_id[0] != '\0' && tc->is_evtx;
}

static struct tcase *cases;
static size_t ncases, capcases;

static void
find_cases(const char *dir, int depth)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0 || depth > 20)
		return;
	for (int i = 0; i < n; i++) {
		char sub[4096];
		struct stat st;

		if (names[i]->d_name[0] != '.' &&
		    snprintf(sub, sizeof(sub), "%s/%s", dir, names[i]->d_name) <
		    (int)sizeof(sub) && stat(sub, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				find_cases(sub, depth + 1);
			} else if (strcmp(names[i]->d_name, "info.yml") == 0) {
				if (ncases == capcases) {
					capcases = capcases ? capcases * 2 : 64;
					cases = realloc(cases, capcases * sizeof(*cases));
				}
				memset(&cases[ncases], 0, sizeof(cases[0]));
				snprintf(cases[ncases].dir, sizeof(cases[0].dir), "%s", dir);
				if (read_info(sub, &cases[ncases]))
					ncases++;
			}
		}
		free(names[i]);
	}
	free(names);
}

/* The EVTX (or its JSON rendering) of a case: the only one in its folder. */
static bool
case_file(const struct tcase *tc, const char *ext, char *out, size_t outlen)
{
	DIR *d = opendir(tc->dir);
	struct dirent *de;
	bool found = false;

	if (d == NULL)
		return false;
	while ((de = readdir(d)) != NULL && !found) {
		size_t l = strlen(de->d_name);

		if (l > strlen(ext) &&
		    strcmp(de->d_name + l - strlen(ext), ext) == 0) {
			snprintf(out, outlen, "%s/%s", tc->dir, de->d_name);
			found = true;
		}
	}
	closedir(d);
	return found;
}

int
main(int argc, char **argv)
{
	static const char *const rule_dirs[] = { "rules",
		"rules-emerging-threats", "rules-threat-hunting",
		"rules-placeholder" };
	const char *ci = getenv("CI");
	char path[4096];
	struct sigma_ruleset *rs;
	struct sigma_matcher *m;
	struct csirt_err err = { 0 };
	struct stat st;
	size_t pass = 0, exact = 0, json_same = 0;

	if (argc < 2 || stat(argv[1], &st) != 0 ||
	    snprintf(path, sizeof(path), "%s/sigma/regression_data", argv[1]) >=
	    (int)sizeof(path) || stat(path, &st) != 0) {
		if (ci != NULL && strcmp(ci, "true") == 0) {
			fprintf(stderr, "shared data missing and CI=true\n");
			return 1;
		}
		printf("SKIP: shared data (../shared/data/sigma) not found\n");
		return 77;
	}
	rs = sigma_ruleset_new(NULL, 0, &err);
	if (rs == NULL) {
		fprintf(stderr, "mapping: %s\n", err.msg);
		return 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(rule_dirs); i++) {
		char rd[4096];

		snprintf(rd, sizeof(rd), "%s/sigma/%s", argv[1], rule_dirs[i]);
		if (sigma_ruleset_add_path(rs, rd, &err) != CSIRT_OK) {
			fprintf(stderr, "rules %s: %s\n", rd, err.msg);
			return 1;
		}
	}
	if (sigma_ruleset_compile(rs) != CSIRT_OK)
		return 1;
	printf("rules loaded: %zu, rejected: %zu\n", sigma_ruleset_count(rs),
	    sigma_ruleset_reject_count(rs));
	m = sigma_matcher_new(rs);
	find_cases(path, 0);
	for (size_t i = 0; i < ncases; i++) {
		struct tcase *tc = &cases[i];
		struct hunt_read_stats stats = { 0 };
		struct run r = { .m = m, .want_id = tc->rule_id };
		char ev[4096];
		size_t len;
		unsigned char *data;
		bool loaded = false, ok;

		for (size_t k = 0; k < sigma_ruleset_count(rs); k++)
			if (strcmp(sigma_ruleset_rule(rs, k)->id, tc->rule_id) == 0)
				loaded = true;
		if (!case_file(tc, ".evtx", ev, sizeof(ev)) ||
		    (data = (unsigned char *)slurp(ev, &len)) == NULL) {
			printf("FAIL %s: no EVTX in %s\n", tc->rule_id, tc->dir);
			continue;
		}
		(void)on_event;
		(void)hunt_evtx_read(data, len, ev, on_event_hits, &r, &stats);
		free(data);
		ok = r.got > 0;
		/* the same case from its JSON rendering, through the JSON reader */
		if (case_file(tc, ".json", ev, sizeof(ev)) &&
		    (data = (unsigned char *)slurp(ev, &len)) != NULL) {
			struct run rj = { .m = m, .want_id = tc->rule_id };

			(void)hunt_jsonl_read((const char *)data, len, ev,
			    on_event_hits, &rj, &stats);
			free(data);
			if (rj.got == r.got)
				json_same++;
			else
				printf("JSON %s: %" PRId64 " hits from JSON, %" PRId64
				    " from EVTX (%s)\n", tc->rule_id, rj.got, r.got,
				    tc->dir);
		}
		if (ok && tc->want >= 0 && r.got != tc->want)
			printf("NOTE %s: %" PRId64 " matching records, info.yml "
			    "match_count %" PRId64 " (%s)\n", tc->rule_id, r.got,
			    tc->want, tc->dir);
		if (ok && (tc->want < 0 || r.got == tc->want))
			exact++;
		if (ok) {
			pass++;
			continue;
		}
		printf("FAIL %s: no hit%s (%s)\n", tc->rule_id,
		    loaded ? "" : ", rule not loaded", tc->dir);
		if (!loaded)
			for (size_t k = 0; k < sigma_ruleset_reject_count(rs); k++)
				if (strcmp(sigma_ruleset_reject(rs, k)->id,
				    tc->rule_id) == 0)
					printf("     rejected: %s\n",
					    sigma_ruleset_reject(rs, k)->reason);
	}
	printf("SigmaHQ regression: %zu/%zu passed (rule fires); %zu/%zu also "
	    "with match_count\n", pass, ncases, exact, ncases);
	printf("JSON renderings: %zu/%zu give the same hits as the EVTX\n",
	    json_same, ncases);
	sigma_matcher_free(m);
	sigma_ruleset_free(rs);
	free(cases);
	return pass == ncases && json_same == ncases && ncases > 0 ? 0 : 1;
}
