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

#endif
