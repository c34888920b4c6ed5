/*
 * ioc_scan.c - byte classes of event values as bit masks, and the tokens
 * they cut (see ioc_scan.h for why).
 *
 * Three ways to build the masks: a portable loop over the class table, and
 * on x86-64 two nibble lookups (vpshufb) per 32 or 64 bytes that give each
 * byte a set of class bits, then one test or compare per class (AVX2: and,
 * compare, movemask; AVX-512 BW: one test into a mask register). Each
 * looked-up class is a union of (high nibble set) x (low nibble set)
 * products, one lookup bit per product; the tables are built from the
 * product list at start-up, and a unit test checks all 256 bytes of every
 * path against the scalar table.
 */
#include "csirt/common.h"

#include <pthread.h>
#include <string.h>

#include "hunt/ioc_scan.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define IOC_HAVE_X86 1
#include <immintrin.h>
#endif

uint8_t ioc_byte_class[256];
static pthread_once_t scan_once = PTHREAD_ONCE_INIT;
static bool have_avx2, have_avx512, have_popcnt;

static bool
is_hex_byte(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* Nonzero when an aligned 16-bit lane of 'hx' is all ones (every run of
 * 32 hex digits holds one): the zero-lane test of ~hx, exact as to
 * whether there is one; the bits set are at lanes' tops (lanes 0 and 1:
 * 0x80008000). */
static inline uint64_t
hex_lanes(uint64_t hx)
{
	return (~hx - 0x0001000100010001ULL) & hx & 0x8000800080008000ULL;
}

/*
 * Lookup bits of the vector path: byte b has bit k when its low nibble is
 * in lo[k] and its high nibble in hi[k] (bit masks of nibble values): the
 * separators (five products) and the address characters.
 */
struct nib_product {
	uint16_t hi, lo;
};

#define NIB(a) (1u << (a))
static const struct nib_product prod_a[7] = {
	{ NIB(0), NIB(9) | NIB(0xa) | NIB(0xd) },		/* \t \n \r */
	{ NIB(2), NIB(0) | NIB(2) | NIB(7) | NIB(8) | NIB(9) | NIB(0xc) },
								/* sp " ' ( ) , */
	{ NIB(3), NIB(0xb) | NIB(0xc) | NIB(0xd) | NIB(0xe) },	/* ; < = > */
	{ NIB(5), NIB(0xb) | NIB(0xd) },			/* [ ] */
	{ NIB(7), NIB(0xc) },					/* | */
	{ NIB(3), 0x07ff },					/* 0-9 : */
	{ NIB(4) | NIB(6), 0x007e },				/* A-F a-f */
};
#define A_SEP 0x1f
#define A_ADDR 0x60	/* with '.': the bytes of an address */

/* The bytes of a domain (and ':'): letters, digits, '-', '.', '_', ':'. */
static const struct nib_product prod_b[5] = {
	{ NIB(4) | NIB(6), 0xfffe },				/* A-O a-o */
	{ NIB(5) | NIB(7), 0x07ff },				/* P-Z p-z */
	{ NIB(5), NIB(0xf) },					/* _ */
	{ NIB(2), NIB(0xd) | NIB(0xe) },			/* - . */
	{ NIB(3), 0x07ff },					/* 0-9 : */
};
#define B_DOM 0x1f

static uint8_t lut_a_lo[16], lut_a_hi[16], lut_b_lo[16], lut_b_hi[16];

static void
lut_build(const struct nib_product *p, size_t n, uint8_t lo[16], uint8_t hi[16])
{
	for (size_t k = 0; k < n; k++)
		for (unsigned x = 0; x < 16; x++) {
			if (p[k].lo & (1u << x))
				lo[x] |= (uint8_t)(1u << k);
			if (p[k].hi & (1u << x))
				hi[x] |= (uint8_t)(1u << k);
		}
}

static void
scan_init(void)
{
	static const char seps[] = " \t\r\n,;\"'()[]<>=|";

	for (int c = 0; c < 256; c++) {
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'),
		    digit = c >= '0' && c <= '9';
		uint8_t k = 0;

		if (c != 0 && memchr(seps, c, sizeof(seps) - 1) != NULL)
			k |= IOC_C_SEP;
		if (c == ':')
			k |= IOC_C_COLON;
		if (c == '.')
			k |= IOC_C_DOT;
		if (c == '/' || c == '\\')
			k |= IOC_C_SLASH;
		if (!is_hex_byte(c) && c != ':' && c != '.')
			k |= IOC_C_NOIP;
		if (!alpha && !digit && c != '-' && c != '_' && c != '.' &&
		    c != ':')
			k |= IOC_C_NODOM;
		if (alpha)
			k |= IOC_C_ALPHA;
		ioc_byte_class[c] = k;
	}
	lut_build(prod_a, ARRAY_SIZE(prod_a), lut_a_lo, lut_a_hi);
	lut_build(prod_b, ARRAY_SIZE(prod_b), lut_b_lo, lut_b_hi);
#ifdef IOC_HAVE_X86
	__builtin_cpu_init();
	have_avx2 = __builtin_cpu_supports("avx2");
	have_popcnt = __builtin_cpu_supports("popcnt");
	have_avx512 = __builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512bw");
#endif
}

void
ioc_scan_init(void)
{
	(void)pthread_once(&scan_once, scan_init);
}

bool
ioc_impl_available(enum ioc_impl impl)
{
	ioc_scan_init();
	switch (impl) {
	case IOC_IMPL_AVX2:
		return have_avx2;
	case IOC_IMPL_AVX512:
		return have_avx512;
	case IOC_IMPL_BEST:
	case IOC_IMPL_SCALAR:
		return true;
	default:
		return false;
	}
}

unsigned
ioc_token_class(const char *v, size_t n)
{
	unsigned k = 0;

	for (size_t i = 0; i < n; i++)
		k |= ioc_byte_class[(unsigned char)v[i]];
	return k;
}

static void
classify_scalar(const unsigned char *p, struct ioc_block *o)
{
	uint64_t sep = 0, dot = 0, colon = 0, noip = 0, slash = 0, fslash = 0,
	    nodom = 0;

	for (unsigned i = 0; i < 64; i++) {
		uint64_t k = ioc_byte_class[p[i]];

		sep |= (k & IOC_C_SEP) << i;
		colon |= ((k & IOC_C_COLON) >> 1) << i;
		noip |= ((k & IOC_C_NOIP) >> 2) << i;
		dot |= ((k & IOC_C_DOT) >> 5) << i;
		slash |= ((k & IOC_C_SLASH) >> 6) << i;
		fslash |= (uint64_t)(p[i] == '/') << i;
		nodom |= ((k & IOC_C_NODOM) >> 3) << i;
	}
	*o = (struct ioc_block){ sep, dot, colon, noip, slash, fslash, nodom };
}

#ifdef IOC_HAVE_X86
__attribute__((target("avx2"))) static inline uint32_t
avx2_eq(__m256i x, char c)
{
	return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x,
	    _mm256_set1_epi8(c)));
}

/* 'nblocks' whole blocks of 64 bytes: the tables are loaded once a call. */
__attribute__((target("avx2"))) static void
classify_avx2(const unsigned char *p, size_t nblocks, struct ioc_block *o)
{
	const __m256i lo_t = _mm256_broadcastsi128_si256(
	    _mm_loadu_si128((const __m128i *)lut_a_lo));
	const __m256i hi_t = _mm256_broadcastsi128_si256(
	    _mm_loadu_si128((const __m128i *)lut_a_hi));
	const __m256i blo_t = _mm256_broadcastsi128_si256(
	    _mm_loadu_si128((const __m128i *)lut_b_lo));
	const __m256i bhi_t = _mm256_broadcastsi128_si256(
	    _mm_loadu_si128((const __m128i *)lut_b_hi));
	const __m256i nib = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();

	for (size_t k = 0; k < nblocks; k++, p += 64, o++) {
		uint32_t r[2][7];

		for (unsigned h = 0; h < 2; h++) {
			__m256i x = _mm256_loadu_si256((const __m256i *)(p + 32 * h));
			__m256i lo = _mm256_and_si256(x, nib);
			__m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), nib);
			__m256i a = _mm256_and_si256(_mm256_shuffle_epi8(lo_t, lo),
			    _mm256_shuffle_epi8(hi_t, hi));
			__m256i b = _mm256_and_si256(_mm256_shuffle_epi8(blo_t, lo),
			    _mm256_shuffle_epi8(bhi_t, hi));
			uint32_t dot = avx2_eq(x, '.'), fs = avx2_eq(x, '/');

			/* a byte with none of the bits compares equal to 0 */
			r[h][0] = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
			    _mm256_and_si256(a, _mm256_set1_epi8(A_SEP)), zero));
			r[h][1] = dot;
			r[h][2] = avx2_eq(x, ':');
			r[h][3] = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
			    _mm256_and_si256(a, _mm256_set1_epi8(A_ADDR)), zero)) &
			    ~dot;
			r[h][4] = fs | avx2_eq(x, '\\');
			r[h][5] = fs;
			r[h][6] = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
			    _mm256_and_si256(b, _mm256_set1_epi8(B_DOM)), zero));
		}
		o->sep = r[0][0] | (uint64_t)r[1][0] << 32;
		o->dot = r[0][1] | (uint64_t)r[1][1] << 32;
		o->colon = r[0][2] | (uint64_t)r[1][2] << 32;
		o->noip = r[0][3] | (uint64_t)r[1][3] << 32;
		o->slash = r[0][4] | (uint64_t)r[1][4] << 32;
		o->fslash = r[0][5] | (uint64_t)r[1][5] << 32;
		o->nodom = r[0][6] | (uint64_t)r[1][6] << 32;
	}
}

__attribute__((target("avx512f,avx512bw"))) static inline void
avx512_block(__m512i x, const __m512i t[4], struct ioc_block *o)
{
	const __m512i nib = _mm512_set1_epi8(0x0f);
	__m512i lo = _mm512_and_si512(x, nib);
	__m512i hi = _mm512_and_si512(_mm512_srli_epi16(x, 4), nib);
	__m512i a = _mm512_and_si512(_mm512_shuffle_epi8(t[0], lo),
	    _mm512_shuffle_epi8(t[1], hi));
	__m512i b = _mm512_and_si512(_mm512_shuffle_epi8(t[2], lo),
	    _mm512_shuffle_epi8(t[3], hi));
	uint64_t dot = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('.'));
	uint64_t fs = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('/'));

	o->sep = _mm512_test_epi8_mask(a, _mm512_set1_epi8(A_SEP));
	o->dot = dot;
	o->colon = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(':'));
	o->noip = ~(_mm512_test_epi8_mask(a, _mm512_set1_epi8(A_ADDR)) | dot);
	o->slash = fs | _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\\'));
	o->fslash = fs;
	o->nodom = ~_mm512_test_epi8_mask(b, _mm512_set1_epi8(B_DOM));
}

/* Whether v[0..n) holds a '.' or ':' or, with 'hashes', an aligned 16-bit
 * lane of hex digits (every run of 32 holds one): see ioc_scan_worth. */
__attribute__((target("avx512f,avx512bw"), always_inline)) static inline bool
worth_avx512(const unsigned char *p, size_t n, bool hashes, __m512i lo_t,
    __m512i hi_t)
{
	const __m512i nib = _mm512_set1_epi8(0x0f);

	for (;;) {
		size_t k = n < 64 ? n : 64;
		__m512i x = k == 64 ? _mm512_loadu_si512((const void *)p) :
		    _mm512_mask_loadu_epi8(_mm512_set1_epi8(' '),
		    (__mmask64)((1ULL << k) - 1), (const void *)p);
		uint64_t punct = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('.')) |
		    _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(':'));

		if (punct != 0)
			return true;
		if (hashes) {
			__m512i a = _mm512_and_si512(
			    _mm512_shuffle_epi8(lo_t, _mm512_and_si512(x, nib)),
			    _mm512_shuffle_epi8(hi_t, _mm512_and_si512(
			    _mm512_srli_epi16(x, 4), nib)));
			uint64_t hx = _mm512_test_epi8_mask(a,
			    _mm512_set1_epi8(A_ADDR));

			/* lanes of 16 hex digits: hx & (hx >> 1) ... over 16 */
			hx &= hx >> 1;
			hx &= hx >> 2;
			hx &= hx >> 4;
			hx &= hx >> 8;
			if (hx & 0x0001000100010001ULL)
				return true;
		}
		if (n <= 64)
			return false;
		n -= 64;
		p += 64;
	}
}

__attribute__((target("avx512f,avx512bw"))) static bool
worth_one_avx512(const unsigned char *p, size_t n, bool hashes)
{
	return worth_avx512(p, n, hashes, _mm512_broadcast_i32x4(
	    _mm_loadu_si128((const __m128i *)lut_a_lo)), _mm512_broadcast_i32x4(
	    _mm_loadu_si128((const __m128i *)lut_a_hi)));
}

/* ioc_scan_worth_fields on this path: one call an event, the tables in
 * registers throughout. */
__attribute__((target("avx512f,avx512bw"))) static void
worth_fields_avx512(const struct hunt_field *f, size_t n, size_t min_len,
    bool hashes, uint64_t *bits)
{
	const __m512i lo_t = _mm512_broadcast_i32x4(
	    _mm_loadu_si128((const __m128i *)lut_a_lo));
	const __m512i hi_t = _mm512_broadcast_i32x4(
	    _mm_loadu_si128((const __m128i *)lut_a_hi));

	for (size_t i = 0; i < n; i++) {
		size_t len = f[i].value_len;

		if (len >= min_len && len > 0 &&
		    worth_avx512((const unsigned char *)f[i].value, len,
		    hashes && len >= 32, lo_t, hi_t))
			bits[i / 64] |= 1ULL << (i % 64);
	}
}

/* n bytes: whole blocks, then the rest with a masked load (the bytes past
 * the value are neither read nor faulted on; spaces stand in for them). */
__attribute__((target("avx512f,avx512bw"))) static void
classify_avx512(const unsigned char *p, size_t n, struct ioc_block *o)
{
	const __m512i t[4] = {
		_mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)lut_a_lo)),
		_mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)lut_a_hi)),
		_mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)lut_b_lo)),
		_mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)lut_b_hi)),
	};

	for (; n >= 64; n -= 64, p += 64, o++)
		avx512_block(_mm512_loadu_si512((const void *)p), t, o);
	if (n > 0)
		avx512_block(_mm512_mask_loadu_epi8(_mm512_set1_epi8(' '),
		    (__mmask64)((1ULL << n) - 1), (const void *)p), t, o);
}
#endif

static void
classify_blocks(const unsigned char *p, size_t nblocks, struct ioc_block *o,
    enum ioc_impl impl)
{
#ifdef IOC_HAVE_X86
	if (impl == IOC_IMPL_AVX2) {
		classify_avx2(p, nblocks, o);
		return;
	}
#endif
	(void)impl;
	for (size_t k = 0; k < nblocks; k++)
		classify_scalar(p + 64 * k, o + k);
}

/* p[0..n): whole blocks straight from the value, the rest padded with
 * spaces (separators: no token runs into the padding, and no byte past
 * the value is read). */
static void
classify_run(const unsigned char *p, size_t n, struct ioc_block *o,
    enum ioc_impl impl)
{
	size_t full = n / 64, rest = n % 64;
	unsigned char pad[64];

#ifdef IOC_HAVE_X86
	if (impl == IOC_IMPL_AVX512) {
		classify_avx512(p, n, o);
		return;
	}
#endif
	classify_blocks(p, full, o, impl);
	if (rest != 0) {
		memset(pad, ' ', sizeof(pad));
		memcpy(pad, p + 64 * full, rest);
		classify_blocks(pad, 1, o + full, impl);
	}
}

static enum ioc_impl
resolve(enum ioc_impl impl)
{
	ioc_scan_init();
	if (impl == IOC_IMPL_BEST)
		return have_avx512 ? IOC_IMPL_AVX512 : have_avx2 ?
		    IOC_IMPL_AVX2 : IOC_IMPL_SCALAR;
	if (!ioc_impl_available(impl))
		return IOC_IMPL_SCALAR;
	return impl;
}

bool
ioc_scan_worth(const char *v, size_t len, unsigned flags, enum ioc_impl impl)
{
	bool hashes = (flags & IOC_SCAN_HASHES) && len >= 32;

	if (flags & IOC_SCAN_EVERY)
		return true;
#ifdef IOC_HAVE_X86
	if (impl == IOC_IMPL_AVX512)
		return len > 0 && worth_one_avx512((const unsigned char *)v,
		    len, hashes);
#endif
	for (size_t i = 0; i < len; i += 64) {
		struct ioc_block b;

		classify_run((const unsigned char *)v + i, len - i < 64 ?
		    len - i : 64, &b, impl);
		if ((b.dot | b.colon) != 0)
			return true;
		if (hashes && hex_lanes(~(b.noip | b.dot | b.colon)) != 0)
			return true;
	}
	return false;
}

void
ioc_scan_worth_fields(const struct hunt_field *f, size_t n, size_t min_len,
    unsigned flags, enum ioc_impl impl, uint64_t *bits)
{
	memset(bits, 0, (n + 63) / 64 * sizeof(*bits));
#ifdef IOC_HAVE_X86
	if (impl == IOC_IMPL_AVX512 && !(flags & IOC_SCAN_EVERY)) {
		worth_fields_avx512(f, n, min_len, flags & IOC_SCAN_HASHES, bits);
		return;
	}
#endif
	for (size_t i = 0; i < n; i++)
		if (f[i].value_len >= min_len && ioc_scan_worth(f[i].value,
		    f[i].value_len, flags, impl))
			bits[i / 64] |= 1ULL << (i % 64);
}

enum ioc_impl
ioc_impl_resolve(enum ioc_impl impl)
{
	return resolve(impl);
}

void
ioc_classify(const char *p, size_t n, struct ioc_block *out,
    enum ioc_impl impl)
{
	classify_run((const unsigned char *)p, n < 64 ? n : 64, out,
	    resolve(impl));
}

void
ioc_scan_start(struct ioc_scan *sc, const char *v, size_t len,
    unsigned flags, enum ioc_impl impl)
{
	sc->v = v;
	sc->len = len;
	sc->pos = 0;
	sc->base = 0;
	sc->clen = 0;
	sc->ntok_base = 0;
	sc->nstarts = 0;
	sc->inside = false;
	sc->flags = flags;
	sc->impl = impl == IOC_IMPL_BEST ? resolve(impl) : impl;
}

/* Without -mpopcnt (the x86-64 baseline) __builtin_popcountll is a call
 * into libgcc; this is a dozen inline operations. */
static inline size_t
popcount64(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ULL;
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (size_t)((x * 0x0101010101010101ULL) >> 56);
}

static inline __attribute__((always_inline)) size_t
popcount_any(uint64_t x, bool hw)
{
	return hw ? (size_t)__builtin_popcountll(x) : popcount64(x);
}

static uint64_t
below(size_t bit)
{
	return bit >= 64 ? ~0ULL : (1ULL << bit) - 1;
}

/* Bits i of 'lo' such that the 32 bytes from i on are all hex digits
 * ('lo' and 'hi': the hex digits of a word and of the next); only called
 * when the word or the first 32 bits of the next hold a lane of 16. */
static uint64_t
hex_run32(uint64_t lo, uint64_t hi)
{
	for (unsigned k = 1; k < 32; k *= 2) {
		lo &= lo >> k | hi << (64 - k);
		hi &= hi >> k;
	}
	return lo;
}

/*
 * Candidate bytes that cannot make a token worth a look, a word at a time
 * (ioc_scan_next tests each token it visits exactly; these only spare it
 * the visits, which cost more than the masks: on 620 MB of OTRF JSON
 * lines 2 of 3.5 million visits were to tokens like "UtcTime:" or
 * "C:\Windows\x.exe", and 0.9 of the other 1.5 million to times):
 * - a '.' or ':' that ends its token, or is followed by one that does:
 *   trimmed before the token is classed ("Name:", "end.");
 * - a '.' or ':' right before a byte no domain or address has ("C:\");
 * - every byte of a token from its first byte that no domain or address
 *   has on: adding that byte's bit to the token's run of bits carries
 *   through to its end;
 * - unless this word and its neighbours hold 6 colons (the fewest an IPv6
 *   address without "::" has), a colon not next to another and a '.'
 *   after a colon of its token: with a colon a token can only be an IPv6
 *   address ("02:50:54.631", "2020-06-10T02:50:56Z" cannot).
 * 'next' is the following word's masks (NULL: bytes past the chunk, which
 * count as separators: the chunk ends after one, or ends the value).
 */
struct cand_state {
	uint64_t bad_carry, colon_carry, prev_colon;
};

/* Colons that may be in an address: not before a byte none has. */
static inline uint64_t
live_colons(const struct ioc_block *b, const struct ioc_block *next)
{
	uint64_t nbad = next != NULL ? next->nodom : ~0ULL;

	return b->colon & ~(b->nodom >> 1 | nbad << 63);
}

static inline uint64_t
cand_word(const struct ioc_block *b, const struct ioc_block *next,
    uint64_t scheme, uint64_t keep, bool v6, struct cand_state *st)
{
	uint64_t t = ~b->sep, c = b->colon, p, sum, csum, drop;
	/* separators are among the bytes no domain has */
	uint64_t nbad = next != NULL ? next->nodom : ~0ULL;
	uint64_t ncolon = next != NULL ? next->colon : 0;
	bool o1, o2;

	/* csum: a token's bytes from its first colon on are 0 or colons */
	o1 = __builtin_add_overflow(t, c & t, &csum);
	o2 = __builtin_add_overflow(csum, st->colon_carry, &csum);
	st->colon_carry = o1 || o2;
	if (v6) {
		p = b->dot | c;
	} else {
		uint64_t dbl = c & (c >> 1 | ncolon << 63 | c << 1 |
		    st->prev_colon >> 63);

		p = dbl | (b->dot & csum);
	}
	st->prev_colon = c;
	drop = p & (b->nodom >> 1 | nbad << 63);
	drop |= p & (drop >> 1);
	o1 = __builtin_add_overflow(t, b->nodom & t, &sum);
	o2 = __builtin_add_overflow(sum, st->bad_carry, &sum);
	st->bad_carry = o1 || o2;
	return ((p & ~drop & sum) | scheme) & keep;
}

/*
 * Classifies the next chunk, from 'from' (a token's first byte or a
 * separator, or inside a token longer than a chunk). Unless it ends the
 * value, the chunk is cut after its last separator, so that no token runs
 * on into the next chunk; a chunk without one lies inside a long token.
 */
static inline __attribute__((always_inline)) void
fill_body(struct ioc_scan *sc, size_t from, bool hw_popcount)
{
	size_t n = sc->len - from, words, total = 0;
	uint64_t carry, hx, hl, hx_next, hl_next;
	struct cand_state cst = { 0, 0, 0 };
	size_t ncol_prev = 0, ncol, ncol_next;
	bool hashes, every = sc->flags & IOC_SCAN_EVERY;
	/* no more tokens than are looked at fit in a shorter value: the
	 * tokens need not be counted (most values) */
	bool count = sc->len > 2 * IOC_MAX_TOKENS;

	sc->ntok_base += sc->nstarts;
	if (n > IOC_CHUNK)
		n = IOC_CHUNK;
	classify_run((const unsigned char *)sc->v + from, n, sc->w, sc->impl);
	sc->base = from;
	sc->clen = n;
	sc->inside = false;
	words = (n + 63) / 64;
	if (from + n < sc->len) {
		while (words > 0 && sc->w[words - 1].sep == 0)
			words--;
		if (words == 0) {
			sc->inside = true;
			words = n / 64;
		} else {
			sc->clen = (words - 1) * 64 + 64 -
			    (size_t)__builtin_clzll(sc->w[words - 1].sep);
		}
	}
	hashes = (sc->flags & (IOC_SCAN_HASHES | IOC_SCAN_EVERY)) ==
	    IOC_SCAN_HASHES;
	if (!every && from > 0 && sc->clen == sc->len - from) {
		/* the last chunk of a long value: if no byte makes a
		 * candidate, no token count is needed either (a first chunk
		 * has one: ioc_scan_worth said so) */
		uint64_t any = 0;

		for (size_t i = 0; i < words; i++)
			any |= sc->w[i].dot | sc->w[i].colon |
			    (hashes ? hex_lanes(~(sc->w[i].noip |
			    sc->w[i].dot | sc->w[i].colon)) : 0);
		if (any == 0) {
			for (size_t i = 0; i < words; i++)
				sc->cand[i] = 0;
			sc->pos = sc->len;
			sc->nstarts = 0;
			return;
		}
	}
	carry = from == 0 || (ioc_byte_class[(unsigned char)sc->v[from - 1]] &
	    IOC_C_SEP);
	hx = words > 0 ? ~(sc->w[0].noip | sc->w[0].dot | sc->w[0].colon) : 0;
	hl = hex_lanes(hx);
	ncol = words > 0 && !every ? popcount_any(live_colons(&sc->w[0],
	    words > 1 ? &sc->w[1] : NULL), hw_popcount) : 0;
	for (size_t i = 0; i < words; i++) {
		const struct ioc_block *b = &sc->w[i],
		    *next = i + 1 < words ? &sc->w[i + 1] : NULL;
		uint64_t sep = b->sep, st = ~sep & (sep << 1 | carry),
		    keep = below(sc->clen - i * 64);
		uint64_t fs = b->fslash, fs_next = next != NULL ? next->fslash : 0;

		carry = sep >> 63;
		sc->starts[i] = st & keep;
		if (count)
			total += popcount_any(sc->starts[i], hw_popcount);
		/* a colon followed by "//" */
		sc->scheme[i] = b->colon & (fs >> 1 | fs_next << 63) &
		    (fs >> 2 | fs_next << 62) & keep;
		if (every)
			continue;	/* every token: no candidates */
		/* colons of this word and its neighbours: an IPv6 address
		 * is at most 45 bytes, so it lies in two words */
		ncol_next = next != NULL ? popcount_any(live_colons(next,
		    i + 2 < words ? &sc->w[i + 2] : NULL), hw_popcount) : 0;
		sc->cand[i] = cand_word(b, next, sc->scheme[i], keep,
		    ncol_prev + ncol + ncol_next >= 6, &cst);
		ncol_prev = ncol;
		ncol = ncol_next;
		if (!hashes)
			continue;
		/* a run of 32 from a bit of this word holds one of the six
		 * aligned 16-bit lanes of this word and the next: most words
		 * have none */
		hx_next = next != NULL ? ~(next->noip | next->dot | next->colon) : 0;
		hl_next = hex_lanes(hx_next);
		if ((hl | (hl_next & 0x80008000ULL)) != 0)
			sc->cand[i] |= hex_run32(hx, hx_next) & sc->starts[i];
		hx = hx_next;
		hl = hl_next;
	}
	sc->nstarts = total;
}

#ifdef IOC_HAVE_X86
/* The same with the popcnt instruction, where the software count was
 * ~5% of the scan over long values. */
__attribute__((target("popcnt"))) static void
fill_popcnt(struct ioc_scan *sc, size_t from)
{
	fill_body(sc, from, true);
}
#endif

static void
scan_fill(struct ioc_scan *sc, size_t from)
{
#ifdef IOC_HAVE_X86
	if (have_popcnt && sc->impl != IOC_IMPL_SCALAR) {
		fill_popcnt(sc, from);
		return;
	}
#endif
	fill_body(sc, from, false);
}

/* First separator at or after 'from' in the chunk, or its end. */
static size_t
next_sep(const struct ioc_scan *sc, size_t from)
{
	size_t wi = from / 64, words = (sc->clen + 63) / 64;
	uint64_t m = sc->w[wi].sep & ~below(from % 64);

	while (m == 0) {
		if (++wi >= words)
			return sc->clen;
		m = sc->w[wi].sep;
	}
	from = wi * 64 + (size_t)__builtin_ctzll(m);
	return from < sc->clen ? from : sc->clen;
}

/* How many tokens of the value start before chunk offset s (in word sw):
 * needed only when the value may hold more than IOC_MAX_TOKENS. */
static size_t
token_index(const struct ioc_scan *sc, size_t sw, size_t s)
{
	size_t k = sc->ntok_base + popcount64(sc->starts[sw] & below(s % 64));

	for (size_t i = 0; i < sw; i++)
		k += popcount64(sc->starts[i]);
	return k;
}

/* The long token starting at 'base' of an 'inside' chunk: chunks on to
 * its end. */
static size_t
long_token_end(struct ioc_scan *sc)
{
	do {
		if (sc->base + sc->clen >= sc->len)
			return sc->len;
		scan_fill(sc, sc->base + sc->clen);
	} while (sc->inside);
	return sc->base + next_sep(sc, 0);
}

/* "://" in v[0..n) with the colon before the last 3 bytes' end, as
 * ioc.c's find_scheme_sep finds it. */
static bool
has_scheme(const char *v, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++)
		if (v[i] == ':' && v[i + 1] == '/' && v[i + 2] == '/')
			return true;
	return false;
}

/* The classes of v[off..off+n): from the chunk's masks, or byte by byte
 * for a token longer than a chunk. */
static unsigned
range_class(const struct ioc_scan *sc, size_t off, size_t n)
{
	size_t s, e;
	uint64_t colon = 0, dot = 0, noip = 0, slash = 0, scheme = 0, nodom = 0;
	unsigned k;

	if (n == 0)
		return 0;
	if (off < sc->base || off + n > sc->base + sc->clen || sc->inside) {
		k = ioc_token_class(sc->v + off, n) & (IOC_C_COLON | IOC_C_DOT |
		    IOC_C_NOIP | IOC_C_SLASH | IOC_C_NODOM);
		return k | (has_scheme(sc->v + off, n) ? IOC_C_SCHEME : 0);
	}
	s = off - sc->base;
	e = s + n;
	/* scheme colons count before e - 2: "://" lies in the token */
	for (size_t wi = s / 64; wi * 64 < e; wi++) {
		const struct ioc_block *b = &sc->w[wi];
		uint64_t m = ~below(wi == s / 64 ? s % 64 : 0) &
		    below(e - wi * 64);

		colon |= b->colon & m;
		dot |= b->dot & m;
		noip |= b->noip & m;
		slash |= b->slash & m;
		nodom |= b->nodom & m;
		if (e >= 3 && e - 2 > wi * 64)
			scheme |= sc->scheme[wi] & m & below(e - 2 - wi * 64);
	}
	return (colon ? IOC_C_COLON : 0) | (dot ? IOC_C_DOT : 0) |
	    (noip ? IOC_C_NOIP : 0) | (slash ? IOC_C_SLASH : 0) |
	    (nodom ? IOC_C_NODOM : 0) | (scheme ? IOC_C_SCHEME : 0);
}

bool
ioc_v6_shape(const char *v, size_t n)
{
	size_t colons = 0;
	bool dbl = false;

	if (n > 45)
		return false;
	for (size_t i = 0; i < n; i++)
		if (v[i] == ':') {
			colons++;
			dbl = dbl || (i > 0 && v[i - 1] == ':');
		}
	return dbl || colons >= 6;
}

/*
 * Whether a token that the candidate masks let through is a candidate
 * (see ioc_scan_next); exact where the masks only turn most others away.
 * With a ':' (and no "://") it can only be an IPv6 address; with no '.'
 * or ':' left after trimming, only a hash.
 */
static bool
worth_token(const struct ioc_scan *sc, const char *v, size_t n, unsigned k)
{
	if (k & IOC_C_SCHEME)
		return true;
	if (k & IOC_C_NODOM)
		return false;
	if (k & IOC_C_COLON)
		return !(k & IOC_C_NOIP) && ioc_v6_shape(v, n);
	if (k & IOC_C_DOT)
		return true;
	if (!(sc->flags & IOC_SCAN_HASHES) || n < 32)
		return false;
	for (size_t i = 0; i < 32; i++)
		if (!is_hex_byte((unsigned char)v[i]))
			return false;
	return true;
}

bool
ioc_scan_next(struct ioc_scan *sc, size_t *off, size_t *n, unsigned *cls)
{
	const char *v = sc->v;

	for (;;) {
		const uint64_t *src = (sc->flags & IOC_SCAN_EVERY) ? sc->starts :
		    sc->cand;
		size_t rel, wi, sw, words, c, s, t, end;
		uint64_t m;
		unsigned k;

		if (sc->pos >= sc->base + sc->clen) {
			if (sc->pos >= sc->len)
				return false;
			scan_fill(sc, sc->pos);
			continue;	/* it may have found nothing to look at */
		}
		if (sc->ntok_base >= IOC_MAX_TOKENS) {
			sc->pos = sc->len;
			return false;
		}
		if (sc->inside) {
			t = sc->base;
			end = long_token_end(sc);
		} else {
			rel = sc->pos - sc->base;
			wi = rel / 64;
			words = (sc->clen + 63) / 64;
			m = src[wi] & ~below(rel % 64);
			while (m == 0 && ++wi < words)
				m = src[wi];
			if (m == 0) {
				sc->pos = sc->base + sc->clen;
				continue;
			}
			c = wi * 64 + (size_t)__builtin_ctzll(m);
			/* the token holding c starts at the last start up to c
			 * (the chunk begins with a separator or a token) */
			sw = wi;
			m = sc->starts[sw] & below(c % 64 + 1);
			while (m == 0 && sw > 0)
				m = sc->starts[--sw];
			s = m != 0 ? sw * 64 + 63 - (size_t)__builtin_clzll(m) : 0;
			if (sc->ntok_base + sc->nstarts > IOC_MAX_TOKENS &&
			    token_index(sc, sw, s) >= IOC_MAX_TOKENS) {
				sc->pos = sc->len;
				return false;
			}
			t = sc->base + s;
			end = sc->base + next_sep(sc, c);
		}
		sc->pos = end;
		while (end > t && (v[end - 1] == '.' || v[end - 1] == ':'))
			end--;
		if (end - t > IOC_TOKEN_MAX)
			continue;	/* longer than any key */
		k = range_class(sc, t, end - t);
		/* a byte no domain or address has, and no "://": nothing but
		 * a file name could be made of it */
		if (!(sc->flags & IOC_SCAN_EVERY) && !worth_token(sc, v + t,
		    end - t, k))
			continue;
		*off = t;
		*n = end - t;
		*cls = k;
		return true;
	}
}
