/*
 * fuzz_ioc.c - IOC lists and the token scan of event values on arbitrary
 * input. Input: an IOC list, a line "#EVENT", then "Name=Value" lines.
 * Never crash; every hit names a field of the event and a token that lies
 * in one of its values (the tokenizer and its byte classes may only ever
 * pick pieces of the values).
 */
#include "csirt/common.h"

#include <string.h>

#include "csirt/hunt.h"
#include "csirt/hunt_ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
on_hit(const struct hunt_event *ev, const struct hunt_hit *hit, void *ctx)
{
	const char *tok = hit->fields[0].value;
	size_t tl = strlen(tok);
	bool found = false;

	(void)ctx;
	for (size_t i = 0; i < ev->nfields && !found; i++)
		found = strcmp(ev->fields[i].name, hit->fields[0].name) == 0 &&
		    memmem(ev->fields[i].value, ev->fields[i].value_len, tok,
		    tl) != NULL;
	if (!found)
		__builtin_trap();	/* a token that is in no value */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char mark[] = "\n#EVENT\n";
	const char *s = (const char *)data, *end = s + size;
	const char *split = memmem(s, size, mark, sizeof(mark) - 1);
	struct ioc_set *set;
	struct hunt_event ev;

	if (split == NULL || size > 65536)
		return 0;
	set = ioc_set_new();
	if (set == NULL)
		return 0;
	(void)ioc_set_load_buffer(set, s, (size_t)(split - s), "fuzz");
	hunt_event_init(&ev);
	ev.format = HUNT_FORMAT_JSONL;
	for (const char *p = split + sizeof(mark) - 1; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *eq = memchr(p, '=', (size_t)(e - p));

		if (eq != NULL && eq > p)
			(void)hunt_event_add(&ev, p, (size_t)(eq - p), eq + 1,
			    (size_t)(e - eq - 1));
		p = nl ? nl + 1 : end;
	}
	hunt_event_finish(&ev);
	(void)ioc_match(set, &ev, on_hit, NULL);
	hunt_event_release(&ev);
	ioc_set_free(set);
	return 0;
}
