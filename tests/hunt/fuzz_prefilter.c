/*
 * fuzz_prefilter.c - the literal prefilter must never change a result.
 * Input: Sigma YAML, then a line "#EVENTS", then events as "Name=Value"
 * lines separated by blank lines. The rules are compiled twice, with the
 * prefilter (sigma_prefilter.c) and without (CSIRT_HUNT_NO_PREFILTER=1,
 * read by sigma_ruleset_compile), and every event must give the same hits
 * in the same order; any difference traps. This checks the necessary
 * literal sets derived from whatever condition trees the fuzzer builds.
 */
#include "csirt/common.h"

#include <stdlib.h>
#include <string.h>

#include "csirt/hunt.h"
#include "csirt/sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_EVENTS 8

struct trace {
	uint64_t h;	/* rolling hash of the rules hit, in order */
	size_t n;
};

static void
on_hit(const struct hunt_event *ev, const struct sigma_hit *hit, void *ctx)
{
	struct trace *t = ctx;
	const char *id = hit->rule->title;

	(void)ev;
	for (size_t i = 0; id[i] != '\0'; i++)
		t->h = (t->h ^ (unsigned char)id[i]) * 1099511628211ULL;
	t->h = (t->h ^ hit->nfields) * 1099511628211ULL;
	t->n++;
}

/* Fills evs from "Name=Value" lines; returns how many events. */
static size_t
read_events(const char *p, const char *end, struct hunt_event *evs)
{
	size_t n = 0;
	bool open = false;

	while (p < end && n < MAX_EVENTS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *eq = memchr(p, '=', (size_t)(e - p));

		if (e == p) {		/* blank line: next event */
			if (open)
				n++;
			open = false;
		} else if (eq != NULL && eq > p) {
			if (!open) {
				hunt_event_init(&evs[n]);
				evs[n].format = HUNT_FORMAT_EVTX;
				open = true;
			}
			(void)hunt_event_add(&evs[n], p, (size_t)(eq - p), eq + 1,
			    (size_t)(e - eq - 1));
		}
		p = nl ? nl + 1 : end;
	}
	if (open && n < MAX_EVENTS)
		n++;
	for (size_t i = 0; i < n; i++)
		hunt_event_finish(&evs[i]);
	return n;
}

static bool
run(const uint8_t *yaml, size_t ylen, bool prefilter, struct hunt_event *evs,
    size_t nev, struct trace *out)
{
	struct csirt_err err = { 0 };
	struct sigma_ruleset *rs = sigma_ruleset_new(NULL, 0, &err);
	struct sigma_matcher *m = NULL;
	bool ok = false;

	if (prefilter)
		unsetenv("CSIRT_HUNT_NO_PREFILTER");
	else
		setenv("CSIRT_HUNT_NO_PREFILTER", "1", 1);
	if (rs == NULL)
		goto out;
	(void)sigma_ruleset_add_yaml(rs, (const char *)yaml, ylen, "fuzz.yml");
	if (sigma_ruleset_compile(rs) != CSIRT_OK ||
	    (m = sigma_matcher_new(rs)) == NULL)
		goto out;
	for (size_t i = 0; i < nev; i++) {
		out[i] = (struct trace){ 1469598103934665603ULL, 0 };
		(void)sigma_match(m, &evs[i], on_hit, &out[i]);
	}
	ok = true;
out:
	unsetenv("CSIRT_HUNT_NO_PREFILTER");
	sigma_matcher_free(m);
	sigma_ruleset_free(rs);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char mark[] = "\n#EVENTS\n";
	struct hunt_event evs[MAX_EVENTS];
	struct trace on[MAX_EVENTS], off[MAX_EVENTS];
	const uint8_t *split = memmem(data, size, mark, sizeof(mark) - 1);
	size_t ylen, nev;

	if (split == NULL || size > 65536)
		return 0;
	ylen = (size_t)(split - data);
	nev = read_events((const char *)split + sizeof(mark) - 1,
	    (const char *)data + size, evs);
	if (run(data, ylen, true, evs, nev, on) &&
	    run(data, ylen, false, evs, nev, off))
		for (size_t i = 0; i < nev; i++)
			if (on[i].n != off[i].n || on[i].h != off[i].h)
				__builtin_trap();	/* the prefilter lost or added a hit */
	for (size_t i = 0; i < nev; i++)
		hunt_event_release(&evs[i]);
	return 0;
}
