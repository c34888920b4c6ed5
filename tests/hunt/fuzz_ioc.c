/*
 * fuzz_ioc.c - IOC lists and the token scan of event values on arbitrary
 * input. Input: an IOC list, a line "#EVENT", then "Name=Value" lines.
 * Never crash; every hit names a field of the event and a token that lies
 * in one of its values (the tokenizer and its byte classes may only ever
 * pick pieces of the values), every classification path (portable,
 * AVX2, AVX-512) finds the same hits in the same order, and so does
 * looking at every token (the candidates' filters change no hit).
 */
#include "csirt/common.h"

#include <string.h>

#include "csirt/hunt.h"
#include "csirt/hunt_ioc.h"
#include "hunt/ioc_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Hits of one path: a digest of their titles, fields and tokens in order. */
struct trail {
	uint64_t digest;
	size_t n;
};

static void
on_trail(const struct hunt_event *ev, const struct hunt_hit *hit, void *ctx)
{
	struct trail *t = ctx;
	const char *parts[3] = { hit->title, hit->fields[0].name,
		hit->fields[0].value };

	(void)ev;
	for (size_t k = 0; k < 3; k++)
		for (const char *p = parts[k]; ; p++) {
			t->digest = (t->digest ^ (unsigned char)*p) *
			    0x100000001b3ULL;
			if (*p == '\0')
				break;
		}
	t->n++;
}

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
	{
		struct trail want = { 0 };

		(void)ioc_match_impl(set, &ev, on_trail, &want, IOC_IMPL_SCALAR);
		for (int impl = IOC_IMPL_AVX2; impl < IOC_IMPL_COUNT; impl++) {
			struct trail got = { 0 };

			if (!ioc_impl_available((enum ioc_impl)impl))
				continue;
			(void)ioc_match_impl(set, &ev, on_trail, &got,
			    (enum ioc_impl)impl);
			if (got.n != want.n || got.digest != want.digest)
				__builtin_trap();	/* paths disagree */
		}
	}
	{
		/* the candidates' filters never change what is found */
		struct trail want = { 0 }, every = { 0 };

		(void)ioc_match(set, &ev, on_trail, &want);
		(void)ioc_match_every(set, &ev, on_trail, &every);
		if (every.n != want.n || every.digest != want.digest)
			__builtin_trap();
	}
	hunt_event_release(&ev);
	ioc_set_free(set);
	return 0;
}
