/*
 * ioc_scan.h - cutting event values into IOC tokens, 64 bytes at a time.
 *
 * Internal to the IOC matcher (src/hunt/ioc.c); the tests and the fuzz
 * target include it to compare the vector and the portable paths.
 *
 * A value is classified in chunks: each 64-byte block becomes one bit mask
 * per byte class (separator, '.', ':', '/', '/' or '\', "cannot be in an
 * address"). Tokens are then found with bit scans, and when the IOC set has
 * no file names, only the tokens that could be an indicator are visited at
 * all: those holding a '.' or ':' (addresses, domains, URLs) and those that
 * start with 32 hex digits (hashes). On 620 MB of OTRF JSON lines that is 5
 * of 20 million tokens; the per-byte table walk over every token that this
 * replaces was most of the cost of matching 1M IOCs.
 */
#ifndef CSIRT_HUNT_IOC_SCAN_H
#define CSIRT_HUNT_IOC_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/hunt_ioc.h"

/* Byte classes, as bits of ioc_byte_class[] and of the token classes. */
enum {
	IOC_C_SEP = 1,		/* token separator */
	IOC_C_COLON = 2,
	IOC_C_NOIP = 4,		/* not a hex digit, ':' or '.' */
	IOC_C_NODOM = 8,	/* not a letter, digit, '-', '_', '.' or ':' */
	IOC_C_ALPHA = 16,
	IOC_C_DOT = 32,
	IOC_C_SLASH = 64,	/* '/' or '\' */
	IOC_C_SCHEME = 128,	/* token class only: "://" before its last 2 bytes */
};

/* Separators: " \t\r\n,;\"'()[]<>=|" (NUL is not one). */
extern uint8_t ioc_byte_class[256];
/* Fills ioc_byte_class and finds what the CPU has; idempotent, thread-safe. */
void ioc_scan_init(void);

enum ioc_impl {
	IOC_IMPL_BEST,		/* the fastest this CPU has */
	IOC_IMPL_SCALAR,	/* portable: one table read per byte */
	IOC_IMPL_AVX2,		/* x86-64 with AVX2 */
	IOC_IMPL_AVX512,	/* x86-64 with AVX-512 BW */
	IOC_IMPL_COUNT
};

/* Whether 'impl' runs on this CPU (BEST and SCALAR always do). */
bool ioc_impl_available(enum ioc_impl impl);
/* The path 'impl' stands for here: BEST becomes the fastest available, an
 * unavailable one SCALAR. */
enum ioc_impl ioc_impl_resolve(enum ioc_impl impl);

struct ioc_block {
	uint64_t sep, dot, colon, noip, slash, fslash, nodom;
};

/* Classifies p[0..n), n <= 64; bits from n up are those of spaces. */
void ioc_classify(const char *p, size_t n, struct ioc_block *out,
    enum ioc_impl impl);

/* Only the first IOC_MAX_TOKENS tokens of a value are looked at: a bound on
 * the work one hostile value can cause. */
#define IOC_MAX_TOKENS 256
/* Longer tokens (after trimming) are counted but never returned: no key
 * is longer (IOC_KEY_MAX in ioc.c). */
#define IOC_TOKEN_MAX 512
#define IOC_CHUNK 1024
#define IOC_CHUNK_WORDS (IOC_CHUNK / 64)

/* ioc_scan_start flags */
enum {
	IOC_SCAN_EVERY = 1,	/* every token, not only the candidates */
	IOC_SCAN_HASHES = 2,	/* candidates include 32+ hex digits at a start */
};

struct ioc_scan {
	const char *v;
	size_t len;
	size_t pos;		/* next offset to look at */
	size_t base;		/* offset of the chunk's first byte */
	size_t clen;		/* bytes of the chunk; it ends after a separator
				 * unless it ends the value or is 'inside' */
	size_t ntok_base;	/* tokens that start before 'base' */
	size_t nstarts;		/* tokens that start in the chunk */
	bool inside;		/* no separator in the chunk: it lies inside one
				 * token that started at 'base' */
	unsigned flags;
	enum ioc_impl impl;
	uint64_t starts[IOC_CHUNK_WORDS];	/* first bytes of tokens */
	uint64_t cand[IOC_CHUNK_WORDS];	/* bytes that make a candidate */
	uint64_t scheme[IOC_CHUNK_WORDS];	/* ':' of "://" */
	struct ioc_block w[IOC_CHUNK_WORDS];
};

/*
 * False when no token of v[0..len) can be a candidate of ioc_scan_next in
 * the candidates' mode: no '.' or ':', and (with IOC_SCAN_HASHES) no 32 hex
 * digits in a row. About half the values of Windows logs; one pass of
 * vector compares, without building the masks. 'impl' must be resolved.
 */
bool ioc_scan_worth(const char *v, size_t len, unsigned flags,
    enum ioc_impl impl);

/*
 * ioc_scan_worth of every field of f[0..n) whose value has min_len bytes
 * or more, as bit i of bits[(n + 63) / 64]: one call an event, where a
 * call a value cost as much as the test (3.8 million values on 620 MB of
 * OTRF JSON lines).
 */
void ioc_scan_worth_fields(const struct hunt_field *f, size_t n,
    size_t min_len, unsigned flags, enum ioc_impl impl, uint64_t *bits);

void ioc_scan_start(struct ioc_scan *sc, const char *v, size_t len,
    unsigned flags, enum ioc_impl impl);

/*
 * The next token (with IOC_SCAN_EVERY) or the next candidate token: *off is
 * its offset in the value, *n its length without trailing '.' and ':'
 * (prose: "see evil.com."), which may be 0, and *cls its classes
 * (IOC_C_COLON, _DOT, _NOIP, _SLASH, _NODOM, _SCHEME). A candidate holds
 * "://", or has no byte outside a domain's or address's and, once trimmed,
 * either holds a ':', no byte outside an address's and ioc_v6_shape, or
 * holds a '.' and no ':', or holds neither and (with IOC_SCAN_HASHES)
 * starts with 32 hex digits: no other token can be an address, domain,
 * URL or hash.
 * Tokens longer than IOC_TOKEN_MAX are skipped in either mode. False
 * at the end of the value or when the next token would be past the first
 * IOC_MAX_TOKENS.
 */
bool ioc_scan_next(struct ioc_scan *sc, size_t *off, size_t *n,
    unsigned *cls);

/* Whether v[0..n) may be an IPv6 address by its colons: at most 45 bytes,
 * and "::" or 6 colons (8 groups, or 6 and an IPv4 tail); inet_pton takes
 * no other. */
bool ioc_v6_shape(const char *v, size_t n);

/* All classes of v[0..n) but IOC_C_SCHEME, by the table, byte by byte. */
unsigned ioc_token_class(const char *v, size_t n);

/* ioc_match with the classification path chosen: the tests and the fuzz
 * target check that every path finds the same hits. */
size_t ioc_match_impl(const struct ioc_set *s, const struct hunt_event *ev,
    ioc_hit_fn fn, void *ctx, enum ioc_impl impl);

/* ioc_match looking at every token of every value (on the portable path):
 * the candidates' filters must never change the hits, so with no file
 * names in the set (which make every token a candidate anyway) the tests
 * and the fuzz target compare ioc_match with this. */
size_t ioc_match_every(const struct ioc_set *s, const struct hunt_event *ev,
    ioc_hit_fn fn, void *ctx);

#endif
