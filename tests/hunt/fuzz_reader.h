/* fuzz_reader.h - the callback the reader fuzz targets share: it touches
 * every byte a reader hands out, so ASan sees any read past the event. */
#ifndef CSIRT_TESTS_HUNT_FUZZ_READER_H
#define CSIRT_TESTS_HUNT_FUZZ_READER_H

#include "csirt/common.h"

#include "csirt/hunt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
fuzz_touch(struct hunt_event *ev, void *ctx)
{
	size_t *sum = ctx;

	for (size_t i = 0; i < ev->nfields; i++) {
		const struct hunt_field *f = &ev->fields[i];

		*sum += f->name_len + f->value_len;
		if (f->value_len > 0)
			*sum += (unsigned char)f->value[f->value_len - 1] +
			    (unsigned char)f->lower[f->value_len - 1];
	}
	return true;
}

/* The same bytes through the input layer in small windows of 5 parts on
 * two threads, so the splitting of windows and parts (and gzip and zip
 * members read in windows) is fuzzed too. */
static void
fuzz_windows(const uint8_t *data, size_t size)
{
	size_t sums[5] = { 0 };
	void *ctxs[5] = { &sums[0], &sums[1], &sums[2], &sums[3], &sums[4] };
	struct hunt_read_stats st = { 0 };
	struct hunt_input_opts o = { 0 };

	o.on_event = fuzz_touch;
	o.ctx = &sums[0];
	o.stats = &st;
	o.threads = 2;
	o.parts = 5;
	o.thread_ctx = ctxs;
	o.window = 97;
	o.max_file = (size_t)1 << 20;	/* no gzip bombs in a fuzz run */
	(void)hunt_input_read_buffer(data, size, "fuzz", &o);
}

#endif
