/*
 * test_output.c - a hit's JSON line (written straight into a buffer) holds
 * the members of hunt_hit_json() (the jansson tree it replaced), in the
 * same order with the same values: parsed back and dumped again, the two
 * give the same bytes. Events with control bytes, quotes, backslashes,
 * UTF-8, invalid UTF-8 in names and values, repeated names (first valid
 * value wins in "event"; last valid value, first place in "matched"),
 * invalid tags, a missing event ID, and many fields.
 */
#include "csirt/common.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/hunt.h"
#include "csirt/hunt_output.h"

static int failures;

static void
add(struct hunt_event *ev, const char *name, const char *value)
{
	(void)hunt_event_add(ev, name, strlen(name), value, strlen(value));
}

static char *
normalised(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	char *s;

	if (j == NULL) {
		printf("FAIL: not JSON (%s): %.200s\n", err.text, text);
		failures++;
		return NULL;
	}
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return s;
}

static void
check(const char *what, const struct hunt_event *ev, const struct hunt_hit *hit)
{
	char *line = NULL, *want = NULL, *got;
	size_t len = 0;
	FILE *mem = open_memstream(&line, &len);
	struct hunt_output *o = hunt_output_new(mem, HUNT_OUT_JSONL);
	json_t *tree = hunt_hit_json(ev, hit);

	hunt_output_hit(o, ev, hit);
	fclose(mem);
	if (tree != NULL)
		want = json_dumps(tree, JSON_COMPACT);
	got = line != NULL && len > 0 && line[len - 1] == '\n' ?
	    normalised(line) : NULL;
	if (want == NULL || got == NULL || strcmp(want, got) != 0) {
		printf("FAIL %s:\n want %.400s\n got  %.400s\n", what,
		    want ? want : "(null)", got ? got : "(null)");
		failures++;
	} else {
		printf("ok %s (%zu bytes)\n", what, len);
	}
	free(want);
	free(got);
	free(line);
	json_decref(tree);
	hunt_output_free(o);
}

int
main(void)
{
	struct hunt_event ev;
	static const char *const tags[] = { "attack.t1059", "bad\xff", "x" };
	struct sigma_matched_field m[] = {
		{ "Image", "C:\\a\\cmd.exe" },
		{ "CommandLine", "first" },
		{ "Image", "bad\xc3" },
		{ "CommandLine", "last \"quoted\"" },
	};
	struct hunt_hit hit = { .engine = "sigma", .rule_id = "r-1",
		.title = "T \"1\"\n", .level = SIGMA_LEVEL_HIGH, .tags = tags,
		.ntags = 3, .fields = m, .nfields = 4 };
	char ctl[40], big[20000];

	hunt_event_init(&ev);
	ev.source = "logs/a.evtx";
	ev.record = 42;
	add(&ev, "EventID", "4688");
	add(&ev, "Channel", "Security");
	add(&ev, "Computer", "host1.example.vn");
	add(&ev, "Image", "C:\\Windows\\System32\\cmd.exe");
	add(&ev, "Image", "second value loses");
	add(&ev, "Bad\xfe", "name not UTF-8");
	add(&ev, "User", "val\xe2\x82");	/* truncated UTF-8: left out */
	add(&ev, "User", "Nguy\xe1\xbb\x85n V\xc4\x83n A");	/* the valid one */
	for (int i = 0; i < 32; i++)
		ctl[i] = (char)(i + 1);
	ctl[31] = '\0';
	add(&ev, "Controls", ctl);
	add(&ev, "Quotes", "\"q\" \\ / \x7f");
	hunt_event_finish(&ev);
	check("mixed", &ev, &hit);

	hunt_event_reset(&ev);
	ev.source = "bad source \xff";
	ev.record = 1;
	hit.nfields = 0;
	hit.ntags = 0;
	for (int i = 0; i < 300; i++) {
		char name[32], value[32];

		snprintf(name, sizeof(name), "f%d", i % 200);	/* repeats */
		snprintf(value, sizeof(value), "v%d", i);
		add(&ev, name, value);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	add(&ev, "Big", big);
	hunt_event_finish(&ev);	/* no EventID: event_id is null */
	check("many fields, no event ID, bad source", &ev, &hit);

	hunt_event_release(&ev);
	if (failures) {
		printf("%d failure(s)\n", failures);
		return 1;
	}
	return 0;
}
