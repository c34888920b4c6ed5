/*
 * observable_extract on real public IOC lists (../shared/data, see its
 * README): IPsum's 120,000 malicious IPs with their scores, and
 * signature-base's C2 and hash lists. Checks that every indicator of a
 * list is found, normalised as the list writes it, and that nothing else
 * (the scores) is taken.
 *
 * usage: test_intake_observable_realdata SHARED_DATA_DIR
 * Exits 77 (skipped) with a notice when the data is absent, unless CI=true.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "csirt/observable.h"

#define CHUNK_LINES 1000

static int failures;

static void
check(bool ok, const char *what, long a, long b)
{
	printf("%s %s (%ld vs %ld)\n", ok ? "ok:" : "FAIL:", what, a, b);
	if (!ok)
		failures++;
}

/* Reads a whole file; NULL if absent. */
static char *
slurp(const char *dir, const char *name, size_t *len)
{
	char path[2048];
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	if (data == NULL || fread(data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(data);
		return NULL;
	}
	fclose(f);
	data[n] = '\0';
	*len = (size_t)n;
	return data;
}

static char *
lower_dup(const char *s, size_t n)
{
	char *d = g_ascii_strdown(s, (gssize)n);

	return d;
}

/*
 * Feeds the list's non-comment lines to observable_extract CHUNK_LINES at a
 * time and compares the set of values found with the set of first fields
 * (cut at any of 'seps'), which the list writes in normal form already (lists
 * repeat entries: sets, not counts).
 */
static void
run_list(const char *data, size_t len, const char *seps, long *expected_out, long *found_out,
    long *wrong_out)
{
	struct observable *found = calloc(CHUNK_LINES * 4, sizeof(*found));
	GHashTable *want = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTable *got = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *p = data, *end = data + len;
	GString *chunk = g_string_new(NULL);
	GHashTableIter it;
	gpointer key;
	long hits = 0, wrong = 0;

	while (p < end) {
		size_t n;

		g_string_truncate(chunk, 0);
		for (int l = 0; l < CHUNK_LINES && p < end; l++) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *line_end = nl ? nl : end;

			if (p < line_end && *p != '#') {
				const char *cut = p;

				while (cut < line_end && strchr(seps, *cut) == NULL)
					cut++;
				g_hash_table_add(want, lower_dup(p, cut - p));
				g_string_append_len(chunk, p, line_end - p);
				g_string_append_c(chunk, '\n');
			}
			p = nl ? nl + 1 : end;
		}
		n = observable_extract(chunk->str, chunk->len, found, CHUNK_LINES * 4);
		for (size_t i = 0; i < n; i++)
			g_hash_table_add(got, lower_dup(found[i].value, (gssize)strlen(found[i].value)));
	}
	g_hash_table_iter_init(&it, got);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		if (g_hash_table_contains(want, key))
			hits++;
		else if (wrong++ < 5)
			printf("  not in the list: %s\n", (const char *)key);
	}
	*expected_out = (long)g_hash_table_size(want);
	*found_out = hits;
	*wrong_out = wrong;
	g_string_free(chunk, TRUE);
	g_hash_table_destroy(want);
	g_hash_table_destroy(got);
	free(found);
}

int
main(int argc, char **argv)
{
	const char *ci = getenv("CI");
	size_t len;
	char *data;
	long expected, hits, wrong;

	if (argc < 2)
		return 2;
	data = slurp(argv[1], "ioc/ipsum.txt", &len);
	if (data == NULL) {
		printf("shared data not found under %s\n", argv[1]);
		if (ci != NULL && strcmp(ci, "true") == 0)
			return 1;
		printf("skipping: the real-data test needs ../shared/data\n");
		return 77;
	}
	/* "77.90.185.20<TAB>10": every address, never the score */
	run_list(data, len, "\t", &expected, &hits, &wrong);
	check(expected > 100000 && hits == expected, "IPsum: every IP found", hits, expected);
	check(wrong == 0, "IPsum: nothing else taken (scores)", wrong, 0);
	free(data);

	/* "hash;description" */
	data = slurp(argv[1], "yara/iocs/hash-iocs.txt", &len);
	if (data == NULL) {
		check(false, "hash-iocs.txt present", 0, 1);
	} else {
		run_list(data, len, ";", &expected, &hits, &wrong);
		check(expected > 3000 && hits == expected, "hash IOCs: every hash found", hits,
		    expected);
		/* descriptions name files and tools, not hosts: report, do not fail */
		printf("hash IOCs: %ld other indicators in the descriptions\n", wrong);
		free(data);
	}

	/* C2 list: IPs and domains, one a line, some with ";score" */
	data = slurp(argv[1], "yara/iocs/c2-iocs.txt", &len);
	if (data == NULL) {
		check(false, "c2-iocs.txt present", 0, 1);
	} else {
		run_list(data, len, " ;", &expected, &hits, &wrong);
		printf("C2 IOCs: %ld of %ld found (%.1f%%); the rest: TLD not in our list, or a two-label name under a file-extension TLD (x.cc)\n",
		    hits, expected, 100.0 * (double)hits / (double)expected);
		check(hits * 100 >= expected * 90, "C2 IOCs: at least 90% found", hits, expected);
		check(wrong == 0, "C2 IOCs: nothing else taken", wrong, 0);
		free(data);
	}
	return failures ? 1 : 0;
}
