/*
 * bench_deadline.c - how fast the deadline calculus runs, to size what the
 * API can afford per request (a page of incidents lists their deadlines).
 * Prints one line per measurement; with --dump N writes the working-day
 * results for N anchors so run.sh can compare them with numpy's.
 *
 * usage: bench_deadline [--dump N]
 */
#include "csirt/common.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "csirt/calendar.h"
#include "csirt/deadline.h"
#include "csirt/embedded.h"
#include "csirt/rulepack.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Anchors spread over 2024-01-01 .. 2026-10-31, so 5 working days stay known. */
#define FIRST_DAY 19723		/* 2024-01-01 */
#define SPAN_DAYS 1035

int
main(int argc, char **argv)
{
	const struct calendar *cal = calendar_builtin();
	const struct rulepack *p17 = rulepack_find("vn-2017");
	const struct embedded_file *f = embedded_find("data/rules/vn-2026.json");
	volatile int64_t sink = 0;
	double t0, t;
	long n;

	if (cal == NULL || p17 == NULL || f == NULL) {
		fprintf(stderr, "built-in data missing\n");
		return 1;
	}
	if (argc == 3 && strcmp(argv[1], "--dump") == 0) {
		int64_t count;

		if (parse_int64(argv[2], 1, 10000000, &count) != CSIRT_OK)
			return 2;
		for (int64_t i = 0; i < count; i++) {
			int64_t day = FIRST_DAY + i % SPAN_DAYS, out;
			int y, m, d;

			if (calendar_add_working_days(cal, day, 5, &out, NULL) != CSIRT_OK)
				return 1;
			calendar_ymd(out, &y, &m, &d);
			printf("%04d-%02d-%02d\n", y, m, d);
		}
		return 0;
	}

	n = 2000000;
	t0 = now();
	for (long i = 0; i < n; i++) {
		int64_t out;

		calendar_add_working_days(cal, FIRST_DAY + i % SPAN_DAYS, 5, &out, NULL);
		sink += out;
	}
	t = now() - t0;
	printf("working_days_5 %ld ops %.3f s %.0f ops/s\n", n, t, n / t);

	{
		struct deadline_facts fa = { .detected_at = 1745827200, .received_at = 1745827500,
		    .response_ended_at = 1746864000, .contact_changed_at = 1745910000,
		    .beyond_capacity = true, .severity = SEVERITY_SERIOUS };
		struct deadline dl[RULEPACK_MAX_RULES];
		size_t k;

		n = 1000000;
		t0 = now();
		for (long i = 0; i < n; i++) {
			fa.detected_at += 60;
			deadline_compute(p17, cal, &fa, dl, RULEPACK_MAX_RULES, &k, NULL);
			sink += dl[0].due_at + (int64_t)k;
		}
		t = now() - t0;
		printf("deadline_compute_vn2017_7rules %ld ops %.3f s %.0f ops/s\n", n, t, n / t);
	}

	n = 20000;
	t0 = now();
	for (long i = 0; i < n; i++) {
		struct rulepack *p;

		if (rulepack_parse((const char *)f->data, f->size, "vn-2026.json", &p, NULL) == CSIRT_OK)
			rulepack_free(p);
	}
	t = now() - t0;
	printf("rulepack_parse_vn2026 %ld ops %.3f s %.0f ops/s\n", n, t, n / t);
	return sink == 42 ? 3 : 0;
}
