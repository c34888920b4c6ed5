/* fuzz_evtx.c - the EVTX reader on arbitrary bytes: never crash, never read
 * outside the buffer, always return. */
#include "fuzz_reader.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hunt_read_stats st = { 0 };
	size_t sum = 0;

	(void)hunt_evtx_read(data, size, "fuzz", fuzz_touch, &sum, &st);
	fuzz_windows(data, size);
	return 0;
}
