/*
 * jsonl.c - JSON events: JSON lines, or JSON documents one after another
 * (pretty-printed EVTX renderings such as SigmaHQ's regression .json files).
 *
 * Each object is flattened into Sigma's names:
 *   - top-level keys as they are (OTRF/Mordor flat Windows JSON: EventID,
 *     Channel, Image...);
 *   - nested keys as a dotted path (Winlogbeat/ECS: winlog.channel,
 *     process.command_line), and in addition by their own name (spaces
 *     removed) when they sit anywhere under an event-data container
 *     (EventData, event_data, System, UserData), so winlog.event_data.Image
 *     is also Image;
 *   - "#attributes" of an element X become X_Name as in the EVTX reader
 *     (Provider_Name, TimeCreated_SystemTime); "#text" is X's value;
 *   - arrays give one field per scalar item; null gives no field; numbers
 *     and booleans keep the text they were written with.
 *
 * Why not jansson here: building a jansson tree per line and walking it ran
 * at 68 MB per CPU second on the OTRF data (docs/BENCHMARKS-hunt.md); this
 * scanner decodes strings straight into the event's arena in one pass.
 * It is strict where it matters (a malformed document is counted as a bad
 * record and skipped to the next line) and every loop is bounded by the
 * input length; nesting deeper than JSON_MAX_DEPTH is a bad record.
 */
#include "csirt/common.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "csirt/hunt.h"
#include "reader_int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#define JSON_SSE2 1
#endif

#define JSON_MAX_DEPTH 32
#define JSON_NAME_MAX 256

struct jp {
	const char *s;
	size_t len, pos;
	struct hunt_event *ev;
	const char *err;
	bool simd;		/* SSE2 scanning (else words of eight) */
};

static bool
is_container(const char *key, size_t n)
{
	static const char *const names[] = { "EventData", "event_data",
		"System", "UserData", "user_data", "EventXML", "Event" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == n && memcmp(key, names[i], n) == 0)
			return true;
	return false;
}

static void
ws(struct jp *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\n' ||
	    p->s[p->pos] == '\r' || p->s[p->pos] == '\t'))
		p->pos++;
}

static bool
fail(struct jp *p, const char *why)
{
	if (p->err == NULL)
		p->err = why;
	return false;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static bool
hex4(struct jp *p, uint32_t *out)
{
	uint32_t v = 0;

	if (p->pos + 4 > p->len)
		return fail(p, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		int h = hexval(p->s[p->pos + (size_t)i]);

		if (h < 0)
			return fail(p, "bad \\u escape");
		v = v * 16 + (uint32_t)h;
	}
	p->pos += 4;
	*out = v;
	return true;
}

static size_t
put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Finding the bytes that end a plain run inside a JSON string: '"', '\\'
 * and control bytes (below 0x20, which JSON forbids raw). Windows paths
 * put a backslash every dozen bytes, so this runs once per dozen bytes of
 * OTRF-style JSON: with SSE2 (the amd64 baseline) one compare of 16 bytes
 * and a bit scan find the exact position, where eight-byte words needed a
 * byte loop after every word that held one. The portable path (words of
 * eight, then bytes) is kept for other machines and can be chosen at run
 * time (hunt_jsonl_set_simd), so tests read the same input both ways.
 */
static _Atomic bool json_simd_off;

void
hunt_jsonl_set_simd(bool on)
{
	json_simd_off = !on;
}

/*
 * Whether any of the 8 bytes at s is '"', '\\' or below 0x20: the
 * classic "has a zero byte" test, (x - 0x01..) & ~x & 0x80.., on the
 * bytes xor'ed with the quote and with the backslash, and its "has a
 * byte below n" form for the control bytes. Exact as a whole (a false
 * mark can only follow a true one in the same word).
 */
static inline bool
special8(const char *s)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t x, q, b;

	memcpy(&x, s, 8);
	q = x ^ (ones * '"');
	b = x ^ (ones * '\\');
	return (((q - ones) & ~q) | ((b - ones) & ~b) |
	    ((x - ones * 0x20) & ~x)) & high;
}

static inline bool
is_special(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20;
}

#ifdef JSON_SSE2
/* Bit i set when byte i of v is '"', '\\' or below 0x20 (unsigned). */
static inline unsigned
special16(__m128i v)
{
	__m128i q = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
	__m128i b = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
	/* v <= 0x1f unsigned: min(v, 0x1f) == v */
	__m128i c = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(q, b), c));
}
#endif

/* Bytes of [s, s+n) before the first special byte (n when none). */
static inline size_t
special_run(const char *s, size_t n, bool simd)
{
	size_t i = 0;

#ifdef JSON_SSE2
	if (simd) {
		for (; i + 16 <= n; i += 16) {
			unsigned m = special16(_mm_loadu_si128(
			    (const __m128i *)(const void *)(s + i)));

			if (m != 0)
				return i + (size_t)__builtin_ctz(m);
		}
	}
#else
	(void)simd;
#endif
	while (i + 8 <= n && !special8(s + i))
		i += 8;
	while (i < n && !is_special((unsigned char)s[i]))
		i++;
	return i;
}

/* What the one-letter escapes stand for (0: not one). */
static const char simple_escape[256] = {
	['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b', ['f'] = '\f',
	['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
};

/*
 * Decodes the escape whose backslash was just consumed (p->pos is at the
 * letter) into u; returns its length in bytes (0: \u0000, dropped, since
 * values are C strings), or -1 with p->err set. An escape never grows: a
 * \uXXXX of 6 bytes gives at most 3 bytes of UTF-8, a surrogate pair of
 * 12 gives 4, so a decoded string is never longer than its raw bytes.
 */

static int
escape(struct jp *p, char u[4])
{
	char c;

	if (p->pos >= p->len)
		return fail(p, "unterminated string"), -1;
	c = p->s[p->pos++];
	if (simple_escape[(unsigned char)c] != 0) {
		u[0] = simple_escape[(unsigned char)c];
		return 1;
	}
	switch (c) {
	case 'u': {
		uint32_t cp, lo;

		if (!hex4(p, &cp))
			return -1;
		if (cp >= 0xD800 && cp <= 0xDBFF && p->pos + 6 <= p->len &&
		    p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
			size_t save = p->pos;

			p->pos += 2;
			if (!hex4(p, &lo))
				return -1;
			if (lo >= 0xDC00 && lo <= 0xDFFF)
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				    (lo - 0xDC00);
			else {
				cp = 0xFFFD;
				p->pos = save;
			}
		} else if (cp >= 0xD800 && cp <= 0xDFFF) {
			cp = 0xFFFD;
		}
		return cp == 0 ? 0 : (int)put_utf8(u, cp);
	}
	default:
		return fail(p, "bad escape"), -1;
	}
}

/*
 * Decodes the string at p->pos (just after the opening quote) into out,
 * keeping at most cap bytes (the rest is read and dropped: keys past
 * JSON_NAME_MAX, values over the event cap).
 */
static bool
string_into(struct jp *p, char *out, size_t cap, size_t *out_len)
{
	size_t o = 0;

	while (p->pos < p->len) {
		size_t run = special_run(p->s + p->pos, p->len - p->pos, p->simd);
		char u[4];
		int k;
		unsigned char c;
		bool uni;

		if (run > 0) {
			size_t take = cap - o < run ? cap - o : run;

			memcpy(out + o, p->s + p->pos, take);
			o += take;
			p->pos += run;
			continue;
		}
		c = (unsigned char)p->s[p->pos++];
		if (c == '"') {
			*out_len = o;
			return true;
		}
		if (c < 0x20)
			return fail(p, "control character in string");
		/* c is the backslash; a \u escape is kept only where 4
		 * bytes fit, whatever it decodes to */
		uni = p->pos < p->len && p->s[p->pos] == 'u';
		k = escape(p, u);
		if (k < 0)
			return false;
		if (uni ? o + 4 <= cap : o < cap) {
			memcpy(out + o, u, (size_t)k);
			o += (size_t)k;
		}
	}
	return fail(p, "unterminated string");
}

/* Arena room string_fast keeps ahead of what it has written: a 16-byte
 * store, or an escape of up to 4 bytes. */
#define JSON_SLACK 32

/*
 * string_into straight into the event's arena at 'off' (= text_len: the
 * arena's free end), growing it as the string goes, so that each block of
 * 16 bytes can be stored whole before it is tested: a plain run costs one
 * load, one store and one test per 16 bytes, and no memcpy call per run
 * between two backslashes (a Windows path has one every dozen bytes).
 * Returns 1 with *out_len, 0 on bad JSON (p->err), -1 when the arena
 * cannot grow (over the event's cap): the caller rewinds and takes the
 * exact path, which keeps what fits.
 */
static int
string_fast(struct jp *p, uint32_t off, size_t *out_len)
{
	struct hunt_event *ev = p->ev;
	/* the position and the input in locals: the byte stores through
	 * 'out' may alias *p, so with p->pos the compiler stored and
	 * reloaded it around every store, in the loop's critical path */
	const char *s = p->s;
	const size_t len = p->len;
	const bool simd = p->simd;
	size_t pos = p->pos;
	/* the room the arena already has (off is its free end), so that a
	 * string that fits costs no call */
	char *out = ev->text != NULL ? ev->text + off : NULL;
	size_t o = 0, room = ev->text != NULL ? ev->text_cap - off : 0;
	int rc;

	while (pos < len) {
		unsigned char c;
		char u[4];
		int k;

		if (o + JSON_SLACK > room) {
			if (!hunt_event_room(ev, o + JSON_SLACK)) {
				rc = -1;
				goto out;
			}
			out = ev->text + off;
			room = ev->text_cap - off;
		}
#ifdef JSON_SSE2
		if (simd && pos + 16 <= len) {
			__m128i v = _mm_loadu_si128(
			    (const __m128i *)(const void *)(s + pos));
			unsigned m = special16(v);

			_mm_storeu_si128((__m128i *)(void *)(out + o), v);
			if (m == 0) {
				pos += 16;
				o += 16;
				continue;
			}
			k = __builtin_ctz(m);
			pos += (size_t)k;
			o += (size_t)k;
		} else
#endif
		{
			/* as far as the room goes, then grow and go on */
			size_t lim = room - o - JSON_SLACK + 16, run;

			if (lim > len - pos)
				lim = len - pos;
			run = special_run(s + pos, lim, simd);
			memcpy(out + o, s + pos, run);
			o += run;
			pos += run;
			if (run == lim)
				continue;
		}
		c = (unsigned char)s[pos++];
		if (c == '"') {
			*out_len = o;
			rc = 1;
			goto out;
		}
		if (c < 0x20) {
			rc = fail(p, "control character in string");
			goto out;
		}
		/* the backslash: \\, \r, \n here, without a call */
		if (pos < len && simple_escape[(unsigned char)s[pos]] != 0) {
			out[o++] = simple_escape[(unsigned char)s[pos++]];
			continue;
		}
		p->pos = pos;
		k = escape(p, u);
		pos = p->pos;
		if (k < 0) {
			rc = 0;
			goto out;
		}
		memcpy(out + o, u, (size_t)k);
		o += (size_t)k;
	}
	rc = fail(p, "unterminated string");
out:
	p->pos = pos;
	return rc;
}

/* Bytes from p->pos before the first quote, backslash or control byte
 * (or the end). */
static size_t
plain_run(const struct jp *p)
{
	return special_run(p->s + p->pos, p->len - p->pos, p->simd);
}

/* Length of the raw string from p->pos to its closing quote (bounded). */
static size_t
raw_len(const struct jp *p)
{
	size_t i = p->pos;

	/* memchr to each quote; a quote after an odd run of backslashes is
	 * escaped. Bounded: i grows on every turn. */
	while (i < p->len) {
		const char *q = memchr(p->s + i, '"', p->len - i);
		size_t at, bs = 0;

		if (q == NULL)
			return p->len - p->pos;
		at = (size_t)(q - p->s);
		while (at - bs > p->pos && p->s[at - bs - 1] == '\\')
			bs++;
		if (bs % 2 == 0)
			return at - p->pos;
		i = at + 1;
	}
	return p->len - p->pos;
}

static void
add_alias(struct jp *p, const char *key, size_t klen, uint32_t off, size_t n)
{
	char name[JSON_NAME_MAX];
	size_t l = 0;

	/* Sigma names have no spaces: "Threat Name" is ThreatName */
	for (size_t i = 0; i < klen && l < sizeof(name); i++)
		if (key[i] != ' ')
			name[l++] = key[i];
	(void)hunt_event_add_at(p->ev, name, l, off, n);
}

/* A scalar (string, number, literal) for field 'path' (and its alias). */
static bool
scalar(struct jp *p, const char *path, size_t plen, const char *key,
    size_t klen, bool alias)
{
	char c = p->s[p->pos];
	uint32_t off;
	size_t n;

	if (c == '"') {
		size_t start = ++p->pos;
		int r;

		/* decode into the arena as it grows: one pass, no plain_run()
		 * or raw_len() first */
		off = (uint32_t)p->ev->text_len;
		r = string_fast(p, off, &n);
		if (r == 0)
			return false;
		if (r > 0) {
			p->ev->text[off + n] = '\0';
			p->ev->text_len = off + n + 1;
			goto add;
		}
		p->pos = start;	/* near the event's cap: keep what fits */
		n = plain_run(p);
		if (p->pos + n < p->len && p->s[p->pos + n] == '"') {
			/* no escape, no control byte: one copy */
			off = hunt_event_reserve(p->ev, n + 1);
			if (off != UINT32_MAX) {
				memcpy(p->ev->text + off, p->s + p->pos, n);
				p->ev->text[off + n] = '\0';
			}
			p->pos += n + 1;
			if (off == UINT32_MAX)
				return true;	/* over the event cap: skipped */
			goto add;
		}
		n = raw_len(p);
		off = hunt_event_reserve(p->ev, n + 1);
		if (off == UINT32_MAX) {
			/* over the event cap: skip the string, keep going */
			char skip[1];

			return string_into(p, skip, 0, &n);
		}
		if (!string_into(p, p->ev->text + off, n, &n))
			return false;
		p->ev->text[off + n] = '\0';
	} else {
		size_t start = p->pos;

		/* a number or literal ends at a delimiter, at white space or
		 * at any control byte: a NUL in "1\0" ends it, and what
		 * follows is then a bad record, not a value with a NUL in it
		 * (values are C strings) */
		while (p->pos < p->len && p->s[p->pos] != ',' &&
		    p->s[p->pos] != '}' && p->s[p->pos] != ']' &&
		    (unsigned char)p->s[p->pos] > ' ')
			p->pos++;
		n = p->pos - start;
		if (n == 0)
			return fail(p, "value expected");
		if (n == 4 && memcmp(p->s + start, "null", 4) == 0)
			return true;	/* null: no field */
		if (!(c == '-' || (c >= '0' && c <= '9') ||
		    (n == 4 && memcmp(p->s + start, "true", 4) == 0) ||
		    (n == 5 && memcmp(p->s + start, "false", 5) == 0)))
			return fail(p, "bad literal");
		off = hunt_event_reserve(p->ev, n + 1);
		if (off == UINT32_MAX)
			return true;
		memcpy(p->ev->text + off, p->s + start, n);
		p->ev->text[off + n] = '\0';
	}
add:
	if (plen == 0)
		return true;	/* a value we only skip */
	(void)hunt_event_add_at(p->ev, path, plen, off, n);
	if (alias && key != NULL && (klen != plen || memcmp(key, path, plen) != 0))
		add_alias(p, key, klen, off, n);
	return true;
}

static bool value(struct jp *p, const char *path, size_t plen, const char *key,
    size_t klen, bool alias, const char *attr_of, size_t attr_len, int depth);

static bool
object(struct jp *p, const char *path, size_t plen, const char *key,
    size_t klen, bool alias, const char *attr_of, size_t attr_len, int depth)
{
	bool child_alias = alias || (key != NULL && is_container(key, klen));

	p->pos++;	/* { */
	ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}') {
		p->pos++;
		return true;
	}
	while (p->pos < p->len) {
		char kbuf[JSON_NAME_MAX], name[JSON_NAME_MAX];
		const char *k;	/* the key: in the input, or decoded in kbuf */
		size_t kl, nl;

		ws(p);
		if (p->pos >= p->len || p->s[p->pos] != '"')
			return fail(p, "object key expected");
		p->pos++;
		kl = plain_run(p);
		if (p->pos + kl < p->len && p->s[p->pos + kl] == '"') {
			size_t run = kl;	/* plain key: as string_into, cut */

			kl = run < sizeof(kbuf) ? run : sizeof(kbuf);
			k = p->s + p->pos;
			p->pos += run + 1;
		} else if (string_into(p, kbuf, sizeof(kbuf), &kl)) {
			k = kbuf;
		} else {
			return false;
		}
		ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ':')
			return fail(p, "':' expected");
		p->pos++;
		ws(p);
		if (p->pos >= p->len)
			break;
		if (attr_of != NULL) {
			/* inside "#attributes" of element attr_of: X_Name */
			nl = attr_len + 1 + kl;
			if (nl < sizeof(name) && !(kl == 5 &&
			    memcmp(k, "xmlns", 5) == 0)) {
				memcpy(name, attr_of, attr_len);
				name[attr_len] = '_';
				memcpy(name + attr_len + 1, k, kl);
				if (!value(p, name, nl, NULL, 0, false, NULL, 0,
				    depth + 1))
					return false;
			} else if (!value(p, "", 0, NULL, 0, false, NULL, 0,
			    depth + 1)) {
				return false;
			}
		} else if (kl == 11 && memcmp(k, "#attributes", 11) == 0) {
			if (p->s[p->pos] == '{') {
				if (!object(p, path, plen, NULL, 0, false,
				    key ? key : "", key ? klen : 0, depth + 1))
					return false;
			} else if (!value(p, "", 0, NULL, 0, false, NULL, 0,
			    depth + 1)) {
				return false;
			}
		} else if (kl == 5 && memcmp(k, "#text", 5) == 0 && key != NULL) {
			/* <EventID Qualifiers="">4624</EventID> */
			if (!value(p, path, plen, key, klen, true, NULL, 0,
			    depth + 1))
				return false;
		} else {
			nl = plen ? plen + 1 + kl : kl;
			if (nl >= sizeof(name))
				return fail(p, "key path too long");
			if (plen) {
				memcpy(name, path, plen);
				name[plen] = '.';
				memcpy(name + plen + 1, k, kl);
			}
			/* a top-level key is its own path: no copy */
			if (!value(p, plen ? name : k, nl, k, kl, child_alias,
			    NULL, 0, depth + 1))
				return false;
		}
		ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == '}') {
			p->pos++;
			return true;
		}
		return fail(p, "',' or '}' expected");
	}
	return fail(p, "unterminated object");
}

static bool
value(struct jp *p, const char *path, size_t plen, const char *key,
    size_t klen, bool alias, const char *attr_of, size_t attr_len, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return fail(p, "nested too deep");
	ws(p);
	if (p->pos >= p->len)
		return fail(p, "value expected");
	if (p->s[p->pos] == '{')
		return object(p, path, plen, key, klen, alias, attr_of, attr_len,
		    depth);
	if (p->s[p->pos] == '[') {
		p->pos++;
		ws(p);
		if (p->pos < p->len && p->s[p->pos] == ']') {
			p->pos++;
			return true;
		}
		while (p->pos < p->len) {
			if (!value(p, path, plen, key, klen, alias, NULL, 0,
			    depth + 1))
				return false;
			ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',') {
				p->pos++;
				continue;
			}
			if (p->pos < p->len && p->s[p->pos] == ']') {
				p->pos++;
				return true;
			}
			return fail(p, "',' or ']' expected");
		}
		return fail(p, "unterminated array");
	}
	return scalar(p, path, plen, key, klen, alias);
}

enum csirt_rc
hunt_jsonl_read_range(const char *data, size_t start, size_t end,
    uint64_t *record, const char *source, hunt_event_fn fn, void *ctx,
    struct hunt_read_stats *st)
{
	struct hunt_event ev;
	struct jp p = { .s = data, .len = end, .pos = start, .ev = &ev,
		.simd = !json_simd_off };
	uint64_t n = *record;

	hunt_event_init(&ev);
	/* Bounded: every iteration consumes at least one byte. */
	while (p.pos < end) {
		size_t start_pos;

		ws(&p);
		if (p.pos >= end)
			break;
		n++;
		start_pos = p.pos;
		hunt_event_reset(&ev);
		ev.format = HUNT_FORMAT_JSONL;
		ev.source = source;
		ev.record = n;
		p.err = NULL;
		if (data[p.pos] != '{' ||
		    !object(&p, "", 0, NULL, 0, false, NULL, 0, 0)) {
			const char *nl = memchr(data + start_pos, '\n',
			    end - start_pos);

			st->bad_records++;
			if (st->first_error[0] == '\0')
				snprintf(st->first_error, sizeof(st->first_error),
				    "%.60s (record %" PRIu64 ") in %.80s",
				    p.err ? p.err : "not a JSON object", n, source);
			p.pos = nl ? (size_t)(nl - data) + 1 : end;
			continue;
		}
		hunt_event_finish(&ev);
		st->events++;
		if (!fn(&ev, ctx))
			break;
	}
	hunt_event_release(&ev);
	*record = n;
	return CSIRT_OK;
}

enum csirt_rc
hunt_jsonl_read(const char *data, size_t len, const char *source,
    hunt_event_fn fn, void *ctx, struct hunt_read_stats *st)
{
	uint64_t record = 0;

	st->bytes += len;
	return hunt_jsonl_read_range(data, 0, len, &record, source, fn, ctx, st);
}
