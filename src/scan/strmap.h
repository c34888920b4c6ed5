/*
 * strmap.h - string -> uint32 hash map (open addressing, FNV-1a), for the
 * vulnerability database's indexes. Keys are copied. Internal to src/scan.
 */
#ifndef CSIRT_SCAN_STRMAP_H
#define CSIRT_SCAN_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap {
	char **keys;
	uint32_t *vals;
	size_t cap, n;
};

void strmap_release(struct strmap *m);
/* Returns true and sets *val if found. */
bool strmap_get(const struct strmap *m, const char *key, uint32_t *val);
/* Inserts or replaces; false on allocation failure. */
bool strmap_put(struct strmap *m, const char *key, uint32_t val);

#endif
