/*
 * util.h - small helpers shared by every layer: parsing numbers without
 * atoi's silent failures, time in UTC and Asia/Ho_Chi_Minh, UTF-8 checks.
 */
#ifndef CSIRT_UTIL_H
#define CSIRT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "csirt/err.h"

/* Parses a whole decimal integer in [min, max]; rejects junk and overflow. */
enum csirt_rc parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Seconds since the epoch, UTC. */
int64_t time_now(void);

/*
 * RFC 3339 / ISO 8601 timestamps. Parsing accepts "YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]"
 * and "YYYY-MM-DD" (midnight); a time without offset is taken as Vietnam time
 * (UTC+7, which has no daylight saving), because that is what users type.
 * Formatting writes UTC with a trailing Z.
 */
enum csirt_rc time_parse_iso(const char *s, int64_t *out);
void time_format_iso(int64_t t, char out[32]);

/* True when [p, p+len) is valid UTF-8 without NUL bytes. */
bool utf8_valid(const char *p, size_t len);

/* Hex-encodes len bytes into out (2*len+1 bytes). */
void hex_encode(const unsigned char *in, size_t len, char *out);

/*
 * Anonymous memory of 'bytes' bytes, zeroed, asked for transparent huge
 * pages (a hint: fine if refused), for large buffers touched throughout:
 * on the VMs this runs on a page fault is dear (see src/hunt/input.c and
 * src/hunt/ioc.c for the measurements). NULL when out of memory. Free with
 * huge_free(p, bytes), same size.
 */
void *huge_alloc(size_t bytes);
void huge_free(void *p, size_t bytes);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif

/*
 * Folds text for search: lower case, Vietnamese diacritics removed, đ -> d,
 * so that "su co ma doc" finds "Sự cố mã độc". Other characters are copied.
 * Appends to 'out'. Invalid UTF-8 bytes are copied as they are.
 */
struct buf;
enum csirt_rc text_fold(const char *in, size_t len, struct buf *out);

/* The folding of one code point: its lower-case ASCII base letter, or 0
 * when it has none (not a Latin letter with marks). */
unsigned text_fold_codepoint(unsigned cp);
