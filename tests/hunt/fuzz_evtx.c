/* fuzz_evtx.c - the EVTX reader on arbitrary bytes: never crash, never read
 * outside the buffer, always return. */
#include "csirt/common.h"

#include "csirt/hunt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
touch(struct hunt_event *ev, void *ctx)
{
	size_t *sum = ctx;

	for (size_t i = 0; i < ev->nfields; i++)
		*sum += ev->fields[i].value_len + (unsigned char)ev->fields[i].lower[0];
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hunt_read_stats st = { 0 };
	size_t sum = 0;

	(void)hunt_evtx_read(data, size, "fuzz", touch, &sum, &st);
	return 0;
}
