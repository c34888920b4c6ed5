/*
 * ioc.c - indicator sets in one open-addressing hash table.
 *
 * Every indicator is stored as a typed key (type byte + normalised bytes:
 * 16 binary bytes for an IP, address + prefix length for a CIDR, lowercase
 * text for the rest) in a string arena; the table holds 64-bit hashes and
 * arena offsets, so millions of entries load with one pass over the file
 * and no allocation per line. Matching cuts each event value into tokens
 * with byte-class masks (ioc_scan.c) and looks each token up by the types
 * its shape allows: an IP (then every CIDR prefix length present in the
 * set), a hash-length hex run, a URL and its host, a domain and each parent
 * domain, a path's file name. Small filters built while loading (lengths,
 * the domains' last labels, a sketch of the file names) turn away most
 * tokens before any key is built or hashed.
 */
#include "csirt/common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csirt/hunt_ioc.h"
#include "hunt/ioc_scan.h"

enum ioc_type { IOC_IP = 1, IOC_CIDR, IOC_DOMAIN, IOC_URL, IOC_HASH, IOC_FILE };

static const char *const type_names[] = { "", "ip", "cidr", "domain", "url",
	"hash", "file" };

#define IOC_KEY_MAX IOC_TOKEN_MAX	/* 512 */
#define IOC_FILE_MAX ((size_t)2 << 30)
#define IOC_SFX_BITS (1u << 20)
#define IOC_FILE_BITS (1u << 21)
/* Fields tested by ioc_scan_worth_fields in one call: an event's cap. */
#define IOC_FIELDS_AT_ONCE HUNT_EVENT_MAX_FIELDS

struct ioc_slot {
	uint64_t hash;		/* 0 = empty */
	uint32_t off;		/* arena offset of the key */
	uint16_t len;
	uint16_t list;		/* index into names */
};

struct ioc_set {
	struct ioc_slot *slots;
	size_t nslots, count, skipped;
	char *arena;
	size_t arena_len, arena_cap;
	char **names;
	size_t nnames;
	bool prefixes[129];	/* CIDR prefix lengths present */
	bool has[7];		/* types present */
	/* Filters: necessary conditions for a token to hit, so that most
	 * tokens are turned away without building or hashing a key. */
	bool ip_not_v4;		/* an IP or CIDR key outside ::ffff:0:0/96 */
	uint8_t hash_lens;	/* 1: 32 hex digits, 2: 40, 4: 64 */
	size_t min_domain, min_url, min_file, max_file;
	size_t min_token;	/* no shorter token can hit anything */
	uint64_t sfx_bits[IOC_SFX_BITS / 64];	/* domains' last two labels */
	uint64_t *file_bits;	/* IOC_FILE_BITS: sketches of file names */
};

static uint64_t
mix64(uint64_t h)
{
	/* murmur3's finaliser: the table uses the low bits */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/*
 * Eight bytes a step: FNV's byte-at-a-time multiply chain cost ~4 cycles a
 * byte, and every key is hashed once to load and every candidate token
 * once or more to match.
 */
static uint64_t
key_hash(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * 0x94d049bb133111ebULL;
	}
	h = mix64(h);
	return h != 0 ? h : 1;	/* never 0: 0 marks an empty slot */
}

static void slots_free(struct ioc_slot *p, size_t n);

struct ioc_set *
ioc_set_new(void)
{
	struct ioc_set *s = calloc(1, sizeof(struct ioc_set));

	if (s == NULL)
		return NULL;
	s->min_domain = s->min_url = s->min_file = SIZE_MAX;
	return s;
}

static size_t
size_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

static size_t
size_max(size_t a, size_t b)
{
	return a > b ? a : b;
}

static unsigned char
ascii_lower(unsigned char c)
{
	return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* ASCII lowercase of 8 bytes at once (other bytes unchanged): a byte is
 * an upper-case letter when its low 7 bits are in 'A'..'Z' and its top
 * bit is clear. */
static uint64_t
swar_lower(uint64_t x)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL, top = 0x8080808080808080ULL;
	uint64_t b = x & low7;
	uint64_t ge_a = b + 0x3f3f3f3f3f3f3f3fULL;	/* top set if >= 'A' */
	uint64_t gt_z = b + 0x2525252525252525ULL;	/* top set if > 'Z' */

	return x | ((ge_a & ~gt_z & ~x & top) >> 2);
}

/*
 * The last two labels of a domain ("example.net" of "a.example.net"; all
 * of it with one dot), case folded: a listed domain has a dot, so a token
 * equal to it or ending in "." and it ends in the same two labels. Its
 * bit in a 128 KiB set (it stays in cache) turns away nearly every domain
 * token of a log before a key is built: 1M IOCs hold ~66k distinct
 * endings, where the last label alone ("net", "local") let most tokens
 * through to a lookup per parent domain. *dot: where the parents worth a
 * lookup end (the last dot: a one-label parent is never listed).
 */
static size_t
sfx_bit(const unsigned char *p, size_t n, size_t *dot)
{
	size_t i = n, dots = 0, k;
	uint64_t a = 0, z = 0;

	*dot = 0;
	while (i > 0) {
		if (p[i - 1] == '.') {
			if (dots++ == 0)
				*dot = i - 1;
			else
				break;
		}
		i--;
	}
	/* its length and up to 8 bytes at each end: a function of the
	 * ending, at a fraction of a byte-by-byte hash's cost; read as whole
	 * words from the token where it is long enough (a copy of fewer
	 * bytes into a word stalled the load after it) */
	k = n - i < 8 ? n - i : 8;
	if (n >= 8) {
		memcpy(&z, p + n - 8, 8);
		if (k < 8)
			z = k == 0 ? 0 : z >> (8 * (8 - k));
	} else {
		for (size_t j = 0; j < k; j++)
			z |= (uint64_t)p[n - k + j] << (8 * j);
	}
	if (n - i >= 8)
		memcpy(&a, p + i, 8);
	else
		a = z;	/* the whole ending */
	return (size_t)(mix64(swar_lower(a) * 0x9e3779b97f4a7c15ULL ^
	    mix64(swar_lower(z) ^ (n - i))) & (IOC_SFX_BITS - 1));
}

/* Length and up to 8 bytes at each end of a file name, case folded: two
 * bits in a 256 KiB set, so a path's file name is looked up only when
 * both bits are set. */
static uint64_t
file_sketch(const unsigned char *p, size_t n)
{
	uint64_t a = 0, z = 0;
	size_t k = n < 8 ? n : 8;

	for (size_t i = 0; i < k; i++) {
		a |= (uint64_t)ascii_lower(p[i]) << (8 * i);
		z |= (uint64_t)ascii_lower(p[n - k + i]) << (8 * i);
	}
	return mix64(a * 0x9e3779b97f4a7c15ULL ^ mix64(z ^ n));
}

static bool
file_bits_test(const uint64_t *bits, uint64_t h)
{
	uint32_t b1 = (uint32_t)h & (IOC_FILE_BITS - 1),
	    b2 = (uint32_t)(h >> 32) & (IOC_FILE_BITS - 1);

	return (bits[b1 / 64] >> (b1 % 64) & 1) && (bits[b2 / 64] >> (b2 % 64) & 1);
}

/* ::ffff:0:0/96, where inet_pton puts IPv4 addresses */
static bool
v4_mapped(const unsigned char *a)
{
	static const unsigned char pre[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff };

	return memcmp(a, pre, 12) == 0;
}

/* Records a new key in the filters; false on out-of-memory. */
static bool
filters_add(struct ioc_set *s, const unsigned char *key, size_t len)
{
	const unsigned char *t = key + 1;
	size_t tl = len - 1;

	switch (key[0]) {
	case IOC_IP:
		s->ip_not_v4 |= !v4_mapped(t);
		break;
	case IOC_CIDR:
		s->ip_not_v4 |= !v4_mapped(t) || key[17] < 96;
		break;
	case IOC_HASH:
		s->hash_lens |= tl == 32 ? 1 : tl == 40 ? 2 : 4;
		break;
	case IOC_URL:
		s->min_url = size_min(s->min_url, tl);
		break;
	case IOC_DOMAIN: {
		size_t dot, b = sfx_bit(t, tl, &dot);

		s->min_domain = size_min(s->min_domain, tl);
		s->sfx_bits[b / 64] |= 1ULL << (b % 64);
		break;
	}
	case IOC_FILE: {
		uint64_t h = file_sketch(t, tl);
		uint32_t b1 = (uint32_t)h & (IOC_FILE_BITS - 1),
		    b2 = (uint32_t)(h >> 32) & (IOC_FILE_BITS - 1);

		if (s->file_bits == NULL &&
		    (s->file_bits = calloc(IOC_FILE_BITS / 64, 8)) == NULL)
			return false;
		s->file_bits[b1 / 64] |= 1ULL << (b1 % 64);
		s->file_bits[b2 / 64] |= 1ULL << (b2 % 64);
		s->min_file = size_min(s->min_file, tl);
		s->max_file = size_max(s->max_file, tl);
		break;
	}
	default:
		break;
	}
	return true;
}

/* The shortest token that can hit a key of the set (a URL's host, a
 * domain's parent and a path's file name are parts of their token). */
static void
filters_finish(struct ioc_set *s)
{
	size_t m = SIZE_MAX;

	if (s->has[IOC_IP] || s->has[IOC_CIDR])
		m = s->ip_not_v4 ? 2 : 7;	/* "::" ; "1.2.3.4" */
	if (s->has[IOC_HASH])
		m = size_min(m, 32);
	m = size_min(m, size_min(s->min_url, size_min(s->min_domain, s->min_file)));
	s->min_token = m;
}

void
ioc_set_free(struct ioc_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nnames; i++)
		free(s->names[i]);
	free(s->names);
	slots_free(s->slots, s->nslots);
	free(s->arena);
	free(s->file_bits);
	free(s);
}

size_t
ioc_set_count(const struct ioc_set *s)
{
	return s->count;
}

size_t
ioc_set_skipped(const struct ioc_set *s)
{
	return s->skipped;
}

/*
 * Tables of 4 MiB and more are mapped and asked for transparent huge
 * pages: loading 1M IOCs touches a 32 MiB table at random, and with 4 KiB
 * pages the TLB misses and page faults were about half of the load
 * (perf: insert 38%, page faults 19%).
 */
#define IOC_HUGE_MIN ((size_t)4 << 20)

static struct ioc_slot *
slots_alloc(size_t n)
{
	size_t bytes = n * sizeof(struct ioc_slot);

	if (bytes < IOC_HUGE_MIN)
		return calloc(n, sizeof(struct ioc_slot));
	return huge_alloc(bytes);
}

static void
slots_free(struct ioc_slot *p, size_t n)
{
	size_t bytes = n * sizeof(struct ioc_slot);

	if (bytes < IOC_HUGE_MIN)
		free(p);
	else
		huge_free(p, bytes);
}

static bool
grow_to(struct ioc_set *s, size_t ns)
{
	struct ioc_slot *t = slots_alloc(ns);

	if (t == NULL)
		return false;
	for (size_t i = 0; i < s->nslots; i++) {
		size_t j;

		if (s->slots[i].hash == 0)
			continue;
		j = s->slots[i].hash & (ns - 1);
		while (t[j].hash != 0)
			j = (j + 1) & (ns - 1);
		t[j] = s->slots[i];
	}
	slots_free(s->slots, s->nslots);
	s->slots = t;
	s->nslots = ns;
	return true;
}

static bool
grow(struct ioc_set *s)
{
	return grow_to(s, s->nslots ? s->nslots * 2 : 1024);
}

static const struct ioc_slot *
lookup(const struct ioc_set *s, const unsigned char *key, size_t len)
{
	uint64_t h;
	size_t j;

	if (s->nslots == 0)
		return NULL;
	h = key_hash(key, len);
	for (j = h & (s->nslots - 1); s->slots[j].hash != 0;
	    j = (j + 1) & (s->nslots - 1))
		if (s->slots[j].hash == h && s->slots[j].len == len &&
		    memcmp(s->arena + s->slots[j].off, key, len) == 0)
			return &s->slots[j];
	return NULL;
}

/* One probe pass: finds a duplicate or the free slot. */
static bool
insert(struct ioc_set *s, const unsigned char *key, size_t len, uint16_t list)
{
	uint64_t h;
	size_t j;

	if ((s->count + 1) * 2 > s->nslots && !grow(s))
		return false;
	h = key_hash(key, len);
	for (j = h & (s->nslots - 1); s->slots[j].hash != 0;
	    j = (j + 1) & (s->nslots - 1))
		if (s->slots[j].hash == h && s->slots[j].len == len &&
		    memcmp(s->arena + s->slots[j].off, key, len) == 0)
			return true;	/* duplicates load once */
	if (s->arena_len + len > s->arena_cap) {
		size_t cap = s->arena_cap ? s->arena_cap * 2 : 1 << 20;
		char *a;

		while (cap < s->arena_len + len)
			cap *= 2;
		if (cap > UINT32_MAX)
			return false;
		a = realloc(s->arena, cap);
		if (a == NULL)
			return false;
		s->arena = a;
		s->arena_cap = cap;
	}
	memcpy(s->arena + s->arena_len, key, len);
	s->slots[j].hash = h;
	s->slots[j].off = (uint32_t)s->arena_len;
	s->slots[j].len = (uint16_t)len;
	s->slots[j].list = list;
	s->arena_len += len;
	s->count++;
	s->has[key[0]] = true;
	return filters_add(s, key, len);
}

static void
mask(uint8_t a[16], unsigned bits)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned have = i * 8;

		if (have >= bits)
			a[i] = 0;
		else if (bits - have < 8)
			a[i] &= (uint8_t)(0xff << (8 - (bits - have)));
	}
}

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static bool
all_hex(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_hex(v[i]))
			return false;
	return true;
}

/* Letters, digits, '-', '.'; at least one dot and one letter. */
static bool
domain_shape(const char *v, size_t n)
{
	bool dot = false, alpha = false;

	if (n < 3 || n > 253 || v[0] == '.' || v[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (c == '.')
			dot = true;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			alpha = true;
		else if (!(c >= '0' && c <= '9') && c != '-' && c != '_')
			return false;
	}
	return dot && alpha;
}

static bool
file_like(const char *v, size_t n)
{
	static const char *const exts[] = { "exe", "dll", "sys", "scr", "bat",
		"cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "hta", "lnk",
		"msi", "jar", "zip", "rar", "7z", "iso", "img", "doc", "docm",
		"xls", "xlsm", "pdf", "bin", "dat", "tmp", "txt", "py", "sh",
		"elf", "so", "apk", "cpl", "ocx", "wsf", "one", "vhd", "vhdx" };
	const char *dot = memrchr(v, '.', n);
	char ext[5];
	size_t el;

	if (dot == NULL)
		return false;
	el = n - (size_t)(dot + 1 - v);
	if (el == 0 || el > 4)
		return false;	/* no extension above is longer */
	for (size_t i = 0; i < el; i++) {
		char c = dot[1 + i];

		ext[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	for (size_t i = 0; i < ARRAY_SIZE(exts); i++)
		if (exts[i][0] == ext[0] && strlen(exts[i]) == el &&
		    memcmp(ext, exts[i], el) == 0)
			return true;
	return false;
}

static size_t
lower_key(unsigned char *key, uint8_t type, const char *v, size_t n)
{
	key[0] = type;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		key[1 + i] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	return n + 1;
}

/* "://" inside the token: memchr for the colon, rarer than memmem's
 * setup on every token. */
static const char *
find_scheme_sep(const char *v, size_t n)
{
	const char *p = v, *end = v + n;

	while (p + 3 <= end && (p = memchr(p, ':', (size_t)(end - p) - 2)) !=
	    NULL) {
		if (p[1] == '/' && p[2] == '/')
			return p;
		p++;
	}
	return NULL;
}

/* Classifies one list entry and inserts it; false when it is no indicator. */
static bool
add_indicator(struct ioc_set *s, const char *v, size_t n, uint16_t list,
    bool *oom)
{
	unsigned char key[IOC_KEY_MAX + 2];
	uint8_t ip[16];
	const char *slash = memchr(v, '/', n);

	if (n == 0 || n > IOC_KEY_MAX)
		return false;
	if (hunt_parse_ip(v, n, ip)) {
		key[0] = IOC_IP;
		memcpy(key + 1, ip, 16);
		*oom = !insert(s, key, 17, list);
		return true;
	}
	if (slash != NULL && hunt_parse_ip(v, (size_t)(slash - v), ip)) {
		int64_t bits;
		char tmp[8];
		size_t bl = n - (size_t)(slash - v) - 1;
		bool v4 = memchr(v, ':', (size_t)(slash - v)) == NULL;

		if (bl == 0 || bl >= sizeof(tmp))
			return false;
		memcpy(tmp, slash + 1, bl);
		tmp[bl] = '\0';
		if (parse_int64(tmp, 0, v4 ? 32 : 128, &bits) != CSIRT_OK)
			return false;
		if (v4)
			bits += 96;
		mask(ip, (unsigned)bits);
		key[0] = IOC_CIDR;
		memcpy(key + 1, ip, 16);
		key[17] = (unsigned char)bits;
		s->prefixes[bits] = true;
		*oom = !insert(s, key, 18, list);
		return true;
	}
	if ((n == 32 || n == 40 || n == 64) && all_hex(v, n)) {
		*oom = !insert(s, key, lower_key(key, IOC_HASH, v, n), list);
		return true;
	}
	if (n > 8 && find_scheme_sep(v, n) != NULL) {
		*oom = !insert(s, key, lower_key(key, IOC_URL, v, n), list);
		return true;
	}
	if (domain_shape(v, n)) {
		/* "evil.exe" has a domain's shape: a name ending in a file
		 * extension is also kept as a file name */
		*oom = !insert(s, key, lower_key(key, IOC_DOMAIN, v, n), list) ||
		    (file_like(v, n) &&
		    !insert(s, key, lower_key(key, IOC_FILE, v, n), list));
		return true;
	}
	for (size_t i = 0; i < n; i++)	/* regexes and wildcards: not ours */
		if (strchr("\\^$*+?()[]{}|", v[i]) != NULL)
			return false;
	*oom = !insert(s, key, lower_key(key, IOC_FILE, v, n), list);
	return true;
}

enum csirt_rc
ioc_set_load_buffer(struct ioc_set *s, const char *data, size_t len,
    const char *name)
{
	char **names;
	size_t pos = 0;
	uint16_t list;

	if (s->nnames >= UINT16_MAX)
		return CSIRT_ETOOBIG;
	names = realloc(s->names, (s->nnames + 1) * sizeof(*names));
	if (names == NULL)
		return CSIRT_ENOMEM;
	s->names = names;
	s->names[s->nnames] = strdup(name);
	if (s->names[s->nnames] == NULL)
		return CSIRT_ENOMEM;
	list = (uint16_t)s->nnames++;
	{
		/* size the table for the whole list at once: one allocation
		 * instead of a rehash at every doubling */
		size_t lines = 0, want;

		for (const char *p = data, *e = data + len;
		    (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
			lines++;
		/* and the key arena: a key is at most its line and a byte */
		if (s->arena_len + len + lines + 1 > s->arena_cap &&
		    s->arena_len + len + lines + 1 <= UINT32_MAX) {
			char *a = realloc(s->arena, s->arena_len + len + lines + 1);

			if (a == NULL)
				return CSIRT_ENOMEM;
			s->arena = a;
			s->arena_cap = s->arena_len + len + lines + 1;
		}
		want = (s->count + lines + 1) * 2;
		if (want > s->nslots) {
			size_t ns = s->nslots ? s->nslots : 1024;

			while (ns < want)
				ns *= 2;
			if (!grow_to(s, ns))
				return CSIRT_ENOMEM;
		}
	}
	while (pos < len) {
		const char *p = data + pos, *nl = memchr(p, '\n', len - pos);
		const char *end = nl ? nl : data + len, *q;
		bool oom = false;

		pos = (size_t)(end - data) + 1;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end || *p == '#' || *p == '\r')
			continue;
		for (q = p; q < end && *q != ';' && *q != ',' && *q != '\t' &&
		    *q != ' ' && *q != '\r' && *q != '#'; q++)
			;
		if (!add_indicator(s, p, (size_t)(q - p), list, &oom))
			s->skipped++;
		if (oom) {
			filters_finish(s);
			return CSIRT_ENOMEM;
		}
	}
	filters_finish(s);
	return CSIRT_OK;
}

enum csirt_rc
ioc_set_load_file(struct ioc_set *s, const char *path, struct csirt_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *map;
	enum csirt_rc rc;
	const char *base = strrchr(path, '/');

	if (fd < 0)
		return csirt_err_set(err, CSIRT_EIO, "ioc", "cannot open %s: %s",
		    path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > IOC_FILE_MAX) {
		close(fd);
		return csirt_err_set(err, CSIRT_ETOOBIG, "ioc",
		    "%s is not a readable list under 2 GiB", path);
	}
	if (st.st_size == 0) {
		close(fd);
		return ioc_set_load_buffer(s, "", 0, base ? base + 1 : path);
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return csirt_err_set(err, CSIRT_EIO, "ioc", "cannot read %s", path);
	(void)madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	rc = ioc_set_load_buffer(s, map, (size_t)st.st_size,
	    base ? base + 1 : path);
	munmap(map, (size_t)st.st_size);
	if (rc != CSIRT_OK)
		return csirt_err_set(err, rc, "ioc", "cannot load %s", path);
	return CSIRT_OK;
}

/* ---- matching ---- */

struct found {
	const struct ioc_slot *slot;
	const char *field;
	char token[160];
};

struct mctx {
	const struct ioc_set *s;
	struct found found[16];
	size_t nfound;
};

static void
note(struct mctx *m, const struct ioc_slot *slot, const char *field,
    const char *tok, size_t n)
{
	if (slot == NULL)
		return;
	for (size_t i = 0; i < m->nfound; i++)
		if (m->found[i].slot == slot)
			return;
	if (m->nfound >= ARRAY_SIZE(m->found))
		return;
	m->found[m->nfound].slot = slot;
	m->found[m->nfound].field = field;
	snprintf(m->found[m->nfound].token, sizeof(m->found[0].token), "%.*s",
	    (int)(n > 150 ? 150 : n), tok);
	m->nfound++;
}

/*
 * The domain, then each parent: a.b.evil.com ... evil.com, com. The token
 * is folded into the key once; each parent's key starts at the dot before
 * it, overwritten with the type byte. Only when some listed domain ends in
 * the token's last two labels, and only for parents that hold a dot and
 * are no shorter than the shortest listed domain.
 */
static void
check_domain(struct mctx *m, const char *field, const char *v, size_t n)
{
	const struct ioc_set *s = m->s;
	unsigned char key[IOC_KEY_MAX + 2];
	size_t dot, b = sfx_bit((const unsigned char *)v, n, &dot);

	if (!(s->sfx_bits[b / 64] >> (b % 64) & 1))
		return;
	if ((ioc_token_class(v, n) & (IOC_C_ALPHA | IOC_C_NODOM)) != IOC_C_ALPHA)
		return;
	(void)lower_key(key, IOC_DOMAIN, v, n);
	for (size_t start = 0; start < dot && n - start >= s->min_domain;
	    start++) {
		if (start == 0 || v[start - 1] == '.') {
			key[start] = IOC_DOMAIN;
			note(m, lookup(s, key + start, n - start + 1), field, v, n);
		}
	}
}

/* Necessary for inet_pton: IPv4 has three dots; IPv6 two colons or more,
 * and dots only in a dotted IPv4 tail. */
static bool
ip_shape(const char *v, size_t n)
{
	size_t dots = 0, colons = 0;

	for (size_t i = 0; i < n; i++) {
		dots += v[i] == '.';
		colons += v[i] == ':';
	}
	if (dots != 0 && dots != 3)
		return false;
	return colons == 0 ? dots == 3 : colons >= 2;
}

/* Classes of a URL's host: all a token's but "://" (a host has no ':'). */
static unsigned
token_class(const char *v, size_t n)
{
	return ioc_token_class(v, n) | (find_scheme_sep(v, n) != NULL ?
	    IOC_C_SCHEME : 0);
}

/* 'cls': the classes of v[0..n): IOC_C_COLON, _DOT, _NOIP, _SLASH and
 * _SCHEME are read; the rest are looked up where needed. */
static void
check_token(struct mctx *m, const char *field, const char *v, size_t n,
    unsigned cls)
{
	const struct ioc_set *s = m->s;
	unsigned char key[IOC_KEY_MAX + 2];
	uint8_t ip[16];

	if (n == 0 || n > IOC_KEY_MAX)
		return;
	if ((s->has[IOC_IP] || s->has[IOC_CIDR]) && n <= 45 &&
	    !(cls & IOC_C_NOIP) && (cls & (IOC_C_DOT | IOC_C_COLON)) &&
	    ip_shape(v, n) && hunt_parse_ip(v, n, ip)) {
		key[0] = IOC_IP;
		memcpy(key + 1, ip, 16);
		note(m, lookup(s, key, 17), field, v, n);
		if (s->has[IOC_CIDR])
			for (unsigned b = 0; b <= 128; b++) {
				if (!s->prefixes[b])
					continue;
				key[0] = IOC_CIDR;
				memcpy(key + 1, ip, 16);
				mask(key + 1, b);
				key[17] = (unsigned char)b;
				note(m, lookup(s, key, 18), field, v, n);
			}
		return;
	}
	/* hex digits only: no byte outside hex, '.' and ':', and neither */
	if (s->has[IOC_HASH] && (n == 32 || n == 40 || n == 64) &&
	    !(cls & (IOC_C_NOIP | IOC_C_DOT | IOC_C_COLON))) {
		if (s->hash_lens & (n == 32 ? 1 : n == 40 ? 2 : 4))
			note(m, lookup(s, key, lower_key(key, IOC_HASH, v, n)),
			    field, v, n);
		return;
	}
	if (n > 8 && (cls & IOC_C_SCHEME)) {
		const char *sep = find_scheme_sep(v, n);

		if (sep != NULL) {
			const char *host = sep + 3, *end = host;

			if (s->has[IOC_URL] && n >= s->min_url)
				note(m, lookup(s, key, lower_key(key, IOC_URL, v, n)),
				    field, v, n);
			while (end < v + n && *end != '/' && *end != ':' &&
			    *end != '?')
				end++;
			check_token(m, field, host, (size_t)(end - host),
			    token_class(host, (size_t)(end - host)));
			return;
		}
	}
	if (s->has[IOC_FILE]) {
		const char *b = v + n;
		size_t bn;

		if (cls & IOC_C_SLASH)
			while (b > v && b[-1] != '\\' && b[-1] != '/')
				b--;
		else
			b = v;
		bn = (size_t)(v + n - b);
		if (bn >= s->min_file && bn <= s->max_file &&
		    file_bits_test(s->file_bits,
		    file_sketch((const unsigned char *)b, bn)))
			note(m, lookup(s, key, lower_key(key, IOC_FILE, b, bn)),
			    field, b, bn);
	}
	/* a domain's shape: letters, digits, '-', '_', '.'; a dot and a
	 * letter; no dot at either end (letters and the rest are read in
	 * check_domain, after its filter) */
	if (s->has[IOC_DOMAIN] && (cls & IOC_C_DOT) && !(cls & IOC_C_COLON) &&
	    n >= 3 && n <= 253 && v[0] != '.' && v[n - 1] != '.')
		check_domain(m, field, v, n);
}

/* 'every': every token is looked at, as with file names in the set. */
static size_t
match(const struct ioc_set *s, const struct hunt_event *ev, ioc_hit_fn fn,
    void *ctx, enum ioc_impl impl, bool every)
{
	/* not an initializer: that zeroed all of found[] (2.8 KB) for every
	 * event, 2.7% of a matching run */
	struct mctx m;
	struct ioc_scan sc;
	/* without file names in the set, a token is worth a look only if it
	 * can be an address, domain, URL or hash (ioc_scan_next) */
	unsigned flags = (s->has[IOC_FILE] || every ? IOC_SCAN_EVERY : 0) |
	    (s->has[IOC_HASH] ? IOC_SCAN_HASHES : 0);

	if (s->count == 0)
		return 0;
	m.s = s;
	m.nfound = 0;
	impl = ioc_impl_resolve(impl);
	for (size_t base = 0; base < ev->nfields; base += IOC_FIELDS_AT_ONCE) {
		size_t nf = size_min(ev->nfields - base, IOC_FIELDS_AT_ONCE);
		uint64_t worth[IOC_FIELDS_AT_ONCE / 64];

		ioc_scan_worth_fields(ev->fields + base, nf, s->min_token, flags,
		    impl, worth);
		for (size_t w = 0; w < (nf + 63) / 64; w++)
			for (uint64_t b = worth[w]; b != 0; b &= b - 1) {
				const struct hunt_field *f = &ev->fields[base +
				    w * 64 + (size_t)__builtin_ctzll(b)];
				size_t off, n;
				unsigned cls;

				ioc_scan_start(&sc, f->value, f->value_len, flags,
				    impl);
				while (ioc_scan_next(&sc, &off, &n, &cls)) {
					if (n < s->min_token || n > IOC_KEY_MAX)
						continue;
					check_token(&m, f->name, f->value + off, n,
					    cls);
				}
			}
	}
	for (size_t i = 0; i < m.nfound; i++) {
		const struct ioc_slot *slot = m.found[i].slot;
		char title[300];
		char rule_id[160];
		struct sigma_matched_field mf = { m.found[i].field,
			m.found[i].token };
		struct hunt_hit hit = { .engine = "ioc", .level = SIGMA_LEVEL_HIGH,
			.fields = &mf, .nfields = 1 };
		uint8_t type = (uint8_t)s->arena[slot->off];

		snprintf(title, sizeof(title), "IOC %s %s (list %s)",
		    type < ARRAY_SIZE(type_names) ? type_names[type] : "?",
		    m.found[i].token, s->names[slot->list]);
		snprintf(rule_id, sizeof(rule_id), "ioc:%s", s->names[slot->list]);
		hit.rule_id = rule_id;
		hit.title = title;
		if (fn != NULL)
			fn(ev, &hit, ctx);
	}
	return m.nfound;
}

size_t
ioc_match_impl(const struct ioc_set *s, const struct hunt_event *ev,
    ioc_hit_fn fn, void *ctx, enum ioc_impl impl)
{
	return match(s, ev, fn, ctx, impl, false);
}

size_t
ioc_match_every(const struct ioc_set *s, const struct hunt_event *ev,
    ioc_hit_fn fn, void *ctx)
{
	return match(s, ev, fn, ctx, IOC_IMPL_SCALAR, true);
}

size_t
ioc_match(const struct ioc_set *s, const struct hunt_event *ev, ioc_hit_fn fn,
    void *ctx)
{
	return ioc_match_impl(s, ev, fn, ctx, IOC_IMPL_BEST);
}
