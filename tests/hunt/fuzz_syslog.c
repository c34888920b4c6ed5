/* fuzz_syslog.c - the syslog/auditd reader on arbitrary bytes. */
#include "fuzz_reader.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hunt_read_stats st = { 0 };
	size_t sum = 0;

	(void)hunt_syslog_read((const char *)data, size, "fuzz", fuzz_touch, &sum, &st);
	fuzz_windows(data, size);
	return 0;
}
