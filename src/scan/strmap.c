/*
 * strmap.c - a small open-addressing hash map from strings to uint32, kept
 * under 50% full so probes stay short.
 */
#include "csirt/common.h"

#include <stdlib.h>
#include <string.h>

#include "scan/strmap.h"

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void
strmap_release(struct strmap *m)
{
	for (size_t k = 0; k < m->cap; k++)
		free(m->keys[k]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

bool
strmap_get(const struct strmap *m, const char *key, uint32_t *val)
{
	if (m->cap == 0)
		return false;
	for (size_t i = hash(key) & (m->cap - 1), probes = 0; probes < m->cap;
	    i = (i + 1) & (m->cap - 1), probes++) {
		if (m->keys[i] == NULL)
			return false;
		if (strcmp(m->keys[i], key) == 0) {
			*val = m->vals[i];
			return true;
		}
	}
	return false;
}

static bool
grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	char **keys = calloc(cap, sizeof(*keys));
	uint32_t *vals = calloc(cap, sizeof(*vals));

	if (keys == NULL || vals == NULL) {
		free(keys);
		free(vals);
		return false;
	}
	for (size_t k = 0; k < m->cap; k++) {
		size_t i;

		if (m->keys[k] == NULL)
			continue;
		for (i = hash(m->keys[k]) & (cap - 1); keys[i] != NULL; i = (i + 1) & (cap - 1))
			;
		keys[i] = m->keys[k];
		vals[i] = m->vals[k];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return true;
}

bool
strmap_put(struct strmap *m, const char *key, uint32_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && !grow(m))
		return false;
	for (i = hash(key) & (m->cap - 1); m->keys[i] != NULL; i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->keys[i], key) == 0) {
			m->vals[i] = val;
			return true;
		}
	}
	m->keys[i] = strdup(key);
	if (m->keys[i] == NULL)
		return false;
	m->vals[i] = val;
	m->n++;
	return true;
}
