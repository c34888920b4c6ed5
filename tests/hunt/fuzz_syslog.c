/* fuzz_syslog.c - the syslog/auditd reader on arbitrary bytes. */
#include "csirt/common.h"

#include "csirt/hunt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
touch(struct hunt_event *ev, void *ctx)
{
	size_t *sum = ctx;

	for (size_t i = 0; i < ev->nfields; i++)
		*sum += ev->fields[i].value_len + ev->fields[i].name_len;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hunt_read_stats st = { 0 };
	size_t sum = 0;

	(void)hunt_syslog_read((const char *)data, size, "fuzz", touch, &sum, &st);
	return 0;
}
