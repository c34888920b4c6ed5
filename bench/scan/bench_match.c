/*
 * bench_match.c - import time of vulnerability data and matching
 * throughput on one core.
 *
 * usage: bench_match COMPONENTS PATH...
 * Imports every PATH (timed), then matches COMPONENTS CPE names, half of
 * them on products with many CVEs (nginx, openssh, redis, postgresql,
 * openssl) and half on the generated products, with random versions.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "csirt/scan_vulndb.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static const char *popular[] = { "f5:nginx", "openbsd:openssh", "redis:redis",
		"postgresql:postgresql", "openssl:openssl" };
	struct vulndb *db = vulndb_new();
	struct vulndb_stats st = { 0 };
	struct csirt_err err;
	struct cpe *comps;
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
	double t0, c0, t1, c1;
	size_t findings = 0;
	struct rusage ru;

	if (argc < 3 || n <= 0 || db == NULL) {
		fprintf(stderr, "usage: bench_match COMPONENTS PATH...\n");
		return 2;
	}
	t0 = now();
	c0 = cpu();
	for (int k = 2; k < argc; k++)
		if (vulndb_import_path(db, argv[k], &st, &err) != CSIRT_OK) {
			fprintf(stderr, "import: %s\n", err.msg);
			return 1;
		}
	t1 = now();
	c1 = cpu();
	getrusage(RUSAGE_SELF, &ru);
	printf("import: %llu CVE records in %.2f s wall, %.2f s cpu; max RSS %ld MiB; %llu entries skipped\n",
	    (unsigned long long)st.cves, t1 - t0, c1 - c0, ru.ru_maxrss / 1024,
	    (unsigned long long)st.skipped);

	comps = calloc((size_t)n, sizeof(*comps));
	srand(7);
	for (long k = 0; k < n; k++) {
		char s[256];

		if (k % 2 == 0)
			snprintf(s, sizeof(s), "cpe:2.3:a:%s:%d.%d.%d:*:*:*:*:*:*:*", popular[k % 5],
			    rand() % 10, rand() % 30, rand() % 20);
		else
			snprintf(s, sizeof(s), "cpe:2.3:a:redis:redis_%d:%d.%d.%d:*:*:*:*:*:*:*",
			    rand() % 50000, rand() % 10, rand() % 30, rand() % 20);
		if (cpe_parse(s, strlen(s), &comps[k], NULL) != CSIRT_OK)
			return 1;
	}
	t0 = now();
	c0 = cpu();
	for (long k = 0; k < n; k++) {
		struct finding_list l = { 0 };

		vulndb_match_cpes(db, &comps[k], 1, &l);
		findings += l.n;
		finding_list_release(&l);
	}
	t1 = now();
	c1 = cpu();
	printf("match: %ld components in %.3f s wall, %.3f s cpu = %.0f components/s (one thread); "
	    "%zu findings\n", n, t1 - t0, c1 - c0, (double)n / (c1 - c0), findings);
	free(comps);
	vulndb_free(db);
	return 0;
}
