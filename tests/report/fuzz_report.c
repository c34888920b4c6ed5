/*
 * Fuzz target for the JSON -> document path: the first byte picks the kind
 * and the format, the rest is the JSON input. Whatever the input, rendering
 * must end in CSIRT_OK or a clean error, never a crash or a leak; the MISP
 * export runs on the same input.
 */
#include "csirt/common.h"

#include <jansson.h>

#include "csirt/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The font map lives for the process; release it at exit so that the
 * leak checker reports only leaks of the code under test (report.c
 * excuses fontconfig's own caches). */
static void __attribute__((destructor))
fuzz_report_fini(void)
{
	report_cleanup();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "form01", "form02", "form03",
	    "form04", "form05", "mau08", "report72h", "quarterly", "annual" };
	json_t *in, *ev;
	struct buf out;
	size_t kind;
	int fmt;

	if (size < 1 || size > 1 << 20)
		return 0;
	kind = data[0] % ARRAY_SIZE(kinds);
	fmt = (data[0] / ARRAY_SIZE(kinds)) % 3;
	in = json_loadb((const char *)data + 1, size - 1, 0, NULL);
	if (in == NULL)
		return 0;
	buf_init(&out, REPORT_OUTPUT_MAX);
	report_render_buf(kinds[kind], in, (enum report_format)fmt, &out, NULL);
	buf_release(&out);
	ev = report_misp_event(in);
	json_decref(ev);
	json_decref(in);
	return 0;
}
