/*
 * domain_test.h - helpers shared by the domain tests: the shipped rule-pack
 * text, and a copy of it with one piece replaced (the malformed packs are
 * made from the real ones, so each differs from a valid pack in one place).
 */
#ifndef CSIRT_TESTS_DOMAIN_TEST_H
#define CSIRT_TESTS_DOMAIN_TEST_H

#include <stdlib.h>
#include <string.h>

#include "csirt/embedded.h"

static inline const char *
shipped(const char *name)
{
	const struct embedded_file *f = embedded_find(name);

	assert_non_null(f);
	return (const char *)f->data;
}

/* A new string: 'text' with the first 'from' replaced by 'to'. Caller frees. */
static inline char *
mutate(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t head, n;
	char *out;

	if (at == NULL)
		fail_msg("fixture text lacks '%s'", from);
	head = (size_t)(at - text);
	n = strlen(text) - strlen(from) + strlen(to);
	out = malloc(n + 1);
	assert_non_null(out);
	memcpy(out, text, head);
	memcpy(out + head, to, strlen(to));
	memcpy(out + head + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
	return out;
}

#endif
