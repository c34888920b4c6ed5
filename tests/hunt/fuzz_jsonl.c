/* fuzz_jsonl.c - the JSON-lines reader on arbitrary bytes; its SSE2 and
 * portable string scanners must read the same events (a differential
 * check: any difference aborts). */
#include "fuzz_reader.h"

#include <stdlib.h>
#include <string.h>

#include "hunt/reader_int.h"

static uint64_t
fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h ^ n;
}

/* Everything a reader hands out, as one hash per read. */
static bool
fuzz_digest(struct hunt_event *ev, void *ctx)
{
	uint64_t *h = ctx;

	for (size_t i = 0; i < ev->nfields; i++) {
		const struct hunt_field *f = &ev->fields[i];

		*h = fnv(*h, f->name, f->name_len);
		*h = fnv(*h, f->value, f->value_len);
		*h = fnv(*h, f->lower, f->value_len);
	}
	*h = fnv(*h, ev->time, strlen(ev->time));
	*h = fnv(*h, ev->host, strlen(ev->host));
	*h = fnv(*h, ev->channel, strlen(ev->channel));
	*h = fnv(*h, ev->provider, strlen(ev->provider));
	*h ^= (uint64_t)ev->event_id * 31 + ev->record + ev->overflow;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hunt_read_stats st = { 0 }, st2 = { 0 };
	size_t sum = 0;
	uint64_t h1 = 14695981039346656037ULL, h2 = h1;

	(void)hunt_jsonl_read((const char *)data, size, "fuzz", fuzz_touch, &sum, &st);
	(void)hunt_jsonl_read((const char *)data, size, "fuzz", fuzz_digest, &h1,
	    &st);
	hunt_jsonl_set_simd(false);
	(void)hunt_jsonl_read((const char *)data, size, "fuzz", fuzz_digest, &h2,
	    &st2);
	hunt_jsonl_set_simd(true);
	if (h1 != h2 || st.events / 2 != st2.events ||
	    st.bad_records / 2 != st2.bad_records)
		abort();
	fuzz_windows(data, size);
	return 0;
}
