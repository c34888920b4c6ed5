/*
 * fuzz_hunt_slices.c - a log read in slices (src/services/hunts_slice.c,
 * how a web hunt reads an upload) must give exactly the events of one read
 * of the whole buffer: the same records, numbers and fields, in order.
 * Slices here are tiny (one EVTX chunk, a few bytes of text) so that every
 * input is cut many times. A difference aborts.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/hunt.h"
#include "services/hunts_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_EVENTS 100000

struct seen {
	uint64_t n;
	uint64_t sig[MAX_EVENTS];	/* record number and fields, hashed */
};

static uint64_t
mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static bool
keep(struct hunt_event *ev, void *ctx)
{
	struct seen *s = ctx;
	uint64_t h = mix(1469598103934665603ULL, &ev->record, sizeof(ev->record));

	for (size_t i = 0; i < ev->nfields; i++) {
		h = mix(h, ev->fields[i].name, ev->fields[i].name_len + 1);
		h = mix(h, ev->fields[i].value, ev->fields[i].value_len + 1);
	}
	if (s->n < MAX_EVENTS)
		s->sig[s->n] = h;
	s->n++;
	return true;
}

static enum csirt_rc
read_whole(const uint8_t *d, size_t len, enum hunt_format fmt, struct seen *s,
    struct hunt_read_stats *st)
{
	switch (fmt) {
	case HUNT_FORMAT_EVTX:
		return hunt_evtx_read(d, len, "fuzz", keep, s, st);
	case HUNT_FORMAT_JSONL:
		return hunt_jsonl_read((const char *)d, len, "fuzz", keep, s, st);
	case HUNT_FORMAT_SYSLOG:
		return hunt_syslog_read((const char *)d, len, "fuzz", keep, s, st);
	default:
		return CSIRT_OK;
	}
}

/* The sliced read with slices of 'slice' bytes against the whole read. */
static void
compare(const uint8_t *data, size_t size, enum hunt_format fmt, size_t slice,
    const struct seen *whole, const struct hunt_read_stats *st1, enum csirt_rc rc1)
{
	static struct seen sliced;
	struct hunt_read_stats st2 = { 0 };
	enum csirt_rc rc2;

	sliced.n = 0;
	rc2 = hunts_read_sliced(data, size, fmt, slice, "fuzz", keep, &sliced, &st2, NULL);
	if (rc1 != rc2 || whole->n != sliced.n || st1->bad_records != st2.bad_records ||
	    st1->bad_chunks != st2.bad_chunks || st1->bytes != st2.bytes) {
		fprintf(stderr, "fuzz_hunt_slices: format %d, slices of %zu: whole %d/%llu events/%llu"
		    " bad, sliced %d/%llu/%llu\n", (int)fmt, slice, (int)rc1,
		    (unsigned long long)whole->n, (unsigned long long)st1->bad_records, (int)rc2,
		    (unsigned long long)sliced.n, (unsigned long long)st2.bad_records);
		abort();
	}
	for (uint64_t i = 0; i < whole->n && i < MAX_EVENTS; i++)
		if (whole->sig[i] != sliced.sig[i]) {
			fprintf(stderr, "fuzz_hunt_slices: format %d, slices of %zu: event %llu differs\n",
			    (int)fmt, slice, (unsigned long long)i);
			abort();
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seen whole;
	const size_t slices[] = { 1, 2, 3, 7, 16, 1 + size % 61 };
	struct hunt_read_stats st1 = { 0 };
	enum hunt_format fmt = hunt_format_detect(data, size);
	enum csirt_rc rc1;

	whole.n = 0;
	rc1 = read_whole(data, size, fmt, &whole, &st1);
	/* EVTX slices are whole chunks: every size below 64 KiB is one chunk */
	for (size_t i = 0; i < (fmt == HUNT_FORMAT_EVTX ? 1 : ARRAY_SIZE(slices)); i++)
		compare(data, size, fmt, slices[i], &whole, &st1, rc1);
	return 0;
}
