/*
 * test_shared_inputs.c - every file of a shared data folder is read to the
 * end: no crash (ASan in make test), no file given up, and the counts are
 * printed. usage: test_shared_inputs SHARED_DATA SUBDIR MIN_EVENTS
 */
#include "csirt/common.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csirt/hunt.h"

static bool
count(struct hunt_event *ev, void *ctx)
{
	(void)ev;
	(void)ctx;
	return true;
}

static void
on_error(const char *source, const char *msg, void *ctx)
{
	int *n = ctx;

	printf("ABANDONED %s: %s\n", source, msg);
	(*n)++;
}

int
main(int argc, char **argv)
{
	struct hunt_read_stats st = { 0 };
	int errors = 0;
	struct hunt_input_opts in = { .on_event = count, .on_error = on_error,
		.ctx = &errors, .stats = &st };
	char path[4096];
	struct stat sb;
	const char *ci = getenv("CI");
	int64_t min_events = 0;

	if (argc < 4 || parse_int64(argv[3], 0, INT64_MAX, &min_events) != CSIRT_OK)
		return 2;
	snprintf(path, sizeof(path), "%s/%s", argv[1], argv[2]);
	if (stat(path, &sb) != 0) {
		if (ci != NULL && strcmp(ci, "true") == 0) {
			printf("shared data %s missing and CI=true\n", path);
			return 1;
		}
		printf("SKIP: %s not found\n", path);
		return 77;
	}
	if (hunt_input_read_path(path, &in) != CSIRT_OK)
		return 1;
	printf("%s: %" PRIu64 " files, %" PRIu64 " events, %" PRIu64
	    " bad records skipped, %" PRIu64 " bad chunks skipped, %d files "
	    "abandoned\n", argv[2], in.files, st.events, st.bad_records,
	    st.bad_chunks, errors);
	return errors == 0 && st.events >= (uint64_t)min_events ? 0 : 1;
}
