/*
 * hunt_bench.c - timings of the hunt engine's parts, for bench/hunt/run.sh.
 *
 *   hunt_bench parse PATH...             read every event, nothing else
 *   hunt_bench sigma RULES PATH...       load+compile RULES, hunt PATH
 *   hunt_bench ioc LIST PATH...          load LIST, match PATH
 *                                        (HUNT_BENCH_IOC_REPEAT=N: match each
 *                                        event N times, so that the matching
 *                                        stands out of the parse's noise)
 *   hunt_bench compile RULES...          load+compile only
 *
 * With HUNT_BENCH_DIGEST=1, parse also prints a digest (FNV-1a 64) of every
 * event it read: names, values, lowercased values and the event's time,
 * host, channel, provider, event ID and record number, in order. Two
 * builds that print the same digest read the same events, so a change to
 * a reader can be checked on the whole benchmark input (not timed then).
 *
 * Prints one line of key=value: wall and CPU seconds, MB/s and events/s per
 * CPU second (the machine is shared: CPU time is what stays comparable),
 * max RSS.
 */
#include "csirt/common.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "csirt/hunt.h"
#include "csirt/hunt_ioc.h"
#include "csirt/sigma.h"

struct ctx {
	struct sigma_matcher *m;
	struct ioc_set *iocs;
	int ioc_repeat;
	uint64_t hits;
	bool digest;
	uint64_t sum;
};

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h ^ n;	/* the length too: "ab","c" is not "a","bc" */
}

static void
digest_event(struct ctx *c, const struct hunt_event *ev)
{
	uint64_t h = c->sum;

	for (size_t i = 0; i < ev->nfields; i++) {
		const struct hunt_field *f = &ev->fields[i];

		h = fnv(h, f->name, f->name_len);
		h = fnv(h, f->value, f->value_len);
		h = fnv(h, f->lower, f->value_len);
	}
	h = fnv(h, ev->time, strlen(ev->time));
	h = fnv(h, ev->host, strlen(ev->host));
	h = fnv(h, ev->channel, strlen(ev->channel));
	h = fnv(h, ev->provider, strlen(ev->provider));
	h = fnv(h, &ev->event_id, sizeof(ev->event_id));
	h = fnv(h, &ev->record, sizeof(ev->record));
	h = fnv(h, &ev->overflow, sizeof(ev->overflow));
	c->sum = h;
}

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
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long
rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static bool
on_event(struct hunt_event *ev, void *arg)
{
	struct ctx *c = arg;

	if (c->digest)
		digest_event(c, ev);
	if (c->m)
		c->hits += sigma_match(c->m, ev, NULL, NULL);
	for (int i = 0; c->iocs != NULL && i < c->ioc_repeat; i++)
		c->hits += ioc_match(c->iocs, ev, NULL, NULL);
	return true;
}

static void
on_error(const char *s, const char *m, void *arg)
{
	(void)arg;
	fprintf(stderr, "%s: %s\n", s, m);
}

static int
run(struct ctx *c, char **paths, int n, double load_s, size_t loaded)
{
	struct hunt_read_stats st = { 0 };
	struct hunt_input_opts in = { .on_event = on_event, .on_error = on_error,
		.ctx = c, .stats = &st };
	double t0 = now(), c0 = cpu(), dt, dc;

	for (int i = 0; i < n; i++)
		hunt_input_read_path(paths[i], &in);
	dt = now() - t0;
	dc = cpu() - c0;
	printf("load_cpu_s=%.3f loaded=%zu scan_wall_s=%.3f scan_cpu_s=%.3f "
	    "bytes=%" PRIu64 " events=%" PRIu64 " hits=%" PRIu64
	    " MB_per_cpu_s=%.1f events_per_cpu_s=%.0f bad_records=%" PRIu64
	    " max_rss_MB=%ld\n", load_s, loaded, dt, dc, st.bytes, st.events,
	    c->hits, (double)st.bytes / 1e6 / dc, (double)st.events / dc,
	    st.bad_records, rss_mb());
	if (c->digest)
		printf("digest=%016" PRIx64 " first_error=%s\n", c->sum,
		    st.first_error);
	return 0;
}

int
main(int argc, char **argv)
{
	struct ctx c = { 0 };
	struct csirt_err err = { 0 };
	struct sigma_ruleset *rs = NULL;
	double t0;
	int rc;

	if (argc < 3)
		return 2;
	t0 = cpu();
	c.digest = getenv("HUNT_BENCH_DIGEST") != NULL;
	if (strcmp(argv[1], "parse") == 0)
		return run(&c, argv + 2, argc - 2, 0, 0);
	if (strcmp(argv[1], "compile") == 0 || strcmp(argv[1], "sigma") == 0) {
		int nrules = strcmp(argv[1], "compile") == 0 ? argc - 2 : 1;

		rs = sigma_ruleset_new(NULL, 0, &err);
		/* HUNT_BENCH_CACHE=DIR: keep the compiled prefilter there,
		 * as csirt hunt does in ~/.cache/csirt */
		if (getenv("HUNT_BENCH_CACHE") != NULL)
			sigma_ruleset_set_cache(rs, getenv("HUNT_BENCH_CACHE"));
		for (int i = 0; i < nrules; i++)
			sigma_ruleset_add_path(rs, argv[2 + i], &err);
		sigma_ruleset_compile(rs);
		if (nrules > 1 || argc == 3) {
			printf("compile_cpu_s=%.3f rules=%zu rejected=%zu "
			    "max_rss_MB=%ld\n", cpu() - t0, sigma_ruleset_count(rs),
			    sigma_ruleset_reject_count(rs), rss_mb());
			sigma_ruleset_free(rs);
			return 0;
		}
		c.m = sigma_matcher_new(rs);
		rc = run(&c, argv + 3, argc - 3, cpu() - t0,
		    sigma_ruleset_count(rs));
		sigma_matcher_free(c.m);
		sigma_ruleset_free(rs);
		return rc;
	}
	if (strcmp(argv[1], "ioc") == 0) {
		const char *rep = getenv("HUNT_BENCH_IOC_REPEAT");
		int64_t nrep = 1;

		if (rep != NULL && parse_int64(rep, 1, 1000, &nrep) != CSIRT_OK)
			return 2;
		c.ioc_repeat = (int)nrep;
		c.iocs = ioc_set_new();
		if (ioc_set_load_file(c.iocs, argv[2], &err) != CSIRT_OK) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		rc = run(&c, argv + 3, argc - 3, cpu() - t0, ioc_set_count(c.iocs));
		ioc_set_free(c.iocs);
		return rc;
	}
	return 2;
}
