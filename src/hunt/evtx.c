/*
 * evtx.c - Windows EVTX reader that never gives up on a file.
 *
 * An EVTX file is a 4 KiB header and then 64 KiB chunks. Each chunk holds
 * records; each record is Binary XML (BinXML) that usually instantiates a
 * template stored once per chunk and fills its holes from a substitution
 * array. We do not render XML: the interpreter below walks the template
 * with the record's substitution values and emits the flat (name, value)
 * pairs Sigma rules use (EventData/Data[@Name] -> Name, System attributes
 * -> Element_Attribute, leaf elements -> their name).
 *
 * Why our own reader rather than libevtx: measured in docs/BENCHMARKS-hunt.md
 * (libevtx renders every record to XML text, which we would then have to
 * parse again). Robustness: chunks are found by position and signature,
 * not by the header's count; a record that fails to decode is counted and
 * skipped, and the walk resumes at the next record signature.
 *
 * Every offset is checked against the chunk (64 KiB), every loop is bounded
 * by the bytes it consumes or by an explicit cap, and recursion (templates
 * inside substitution values) is capped at EVTX_MAX_NEST.
 */
#include "csirt/common.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csirt/hunt.h"
#include "reader_int.h"

#define EVTX_FILE_HEADER 4096
#define EVTX_CHUNK 65536
#define EVTX_CHUNK_HEADER 512
#define EVTX_MAX_NEST 8
#define EVTX_MAX_DEPTH 48
#define EVTX_MAX_SUBS 1024
#define EVTX_TEXT_MAX (1u << 20)
#define EVTX_NAME_MAX 128

struct evtx_elem {
	char name[EVTX_NAME_MAX];
	size_t name_len;
	char data_name[EVTX_NAME_MAX];	/* <Data Name="X"> */
	size_t data_name_len;
	bool has_child;
	bool has_attr;
};

#define EVTX_NAME_CACHE 256

struct evtx_name {
	uint32_t off;		/* 0 = empty (no name lives at offset 0) */
	uint16_t len;
	char name[EVTX_NAME_MAX];
};

struct evtx_sub {
	uint32_t off;	/* chunk offset of the value */
	uint16_t size;
	uint8_t type;
};

struct evtx_ctx {
	const unsigned char *c;	/* the chunk */
	struct hunt_event *ev;
	struct evtx_elem stack[EVTX_MAX_DEPTH];
	int depth;
	struct buf text;	/* text of the innermost open element */
	struct buf attr;	/* value of the attribute being read */
	char attr_name[EVTX_NAME_MAX];
	size_t attr_name_len;
	bool in_attr;
	const char *err;
	struct evtx_name names[EVTX_NAME_CACHE];	/* per chunk */
};

static uint16_t
rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	    ((uint32_t)p[3] << 24);
}

static uint64_t
rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

static bool
fail(struct evtx_ctx *x, const char *why)
{
	if (x->err == NULL)
		x->err = why;
	return false;
}

/* Appends UTF-16LE text (nchars units) as UTF-8, replacing bad surrogates.
 * Nearly all event text is ASCII: that runs as a plain copy loop. */
static bool
utf16_append(struct buf *b, const unsigned char *p, size_t nchars)
{
	char out[256];
	size_t o = 0;

	for (size_t i = 0; i < nchars; i++) {
		uint32_t cp = rd16(p + 2 * i);

		if (cp - 1 < 0x7F) {	/* ASCII but not NUL */
			if (o == sizeof(out)) {
				if (buf_append(b, out, o) != CSIRT_OK)
					return false;
				o = 0;
			}
			out[o++] = (char)cp;
			continue;
		}
		if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < nchars) {
			uint32_t lo = rd16(p + 2 * (i + 1));

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else {
				cp = 0xFFFD;
			}
		} else if (cp >= 0xD800 && cp <= 0xDFFF) {
			cp = 0xFFFD;
		}
		if (cp == 0)
			continue;	/* NULs terminate Windows strings */
		if (o + 4 > sizeof(out)) {
			if (buf_append(b, out, o) != CSIRT_OK)
				return false;
			o = 0;
		}
		if (cp < 0x800) {
			out[o++] = (char)(0xC0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			out[o++] = (char)(0xE0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | (cp >> 18));
			out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	return buf_append(b, out, o) == CSIRT_OK;
}

/*
 * Reads the name structure at chunk offset 'off' (next u32, hash u16,
 * count u16, UTF-16 chars, NUL) into out. Element and attribute names
 * repeat in every record of a chunk, so decoded names are cached per chunk
 * by offset (a small direct-mapped cache, cleared for each chunk).
 */
static bool
read_name(struct evtx_ctx *x, uint32_t off, char *out, size_t *out_len)
{
	struct evtx_name *c = &x->names[(off >> 1) % EVTX_NAME_CACHE];
	uint16_t n;
	size_t o = 0;

	if (c->off == off && off != 0) {
		memcpy(out, c->name, (size_t)c->len + 1);
		*out_len = c->len;
		return true;
	}
	if (off < EVTX_CHUNK_HEADER || (size_t)off + 8 > EVTX_CHUNK)
		return fail(x, "name offset out of chunk");
	n = rd16(x->c + off + 6);
	if ((size_t)off + 8 + 2u * n > EVTX_CHUNK)
		return fail(x, "name runs past chunk");
	for (uint16_t i = 0; i < n; i++) {
		uint32_t cp = rd16(x->c + off + 8 + 2u * i);

		if (cp == 0)
			break;
		if (o + 3 >= EVTX_NAME_MAX)
			return fail(x, "name too long");
		if (cp < 0x80) {
			out[o++] = (char)cp;
		} else if (cp < 0x800) {
			out[o++] = (char)(0xC0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else {	/* names have no surrogates worth keeping */
			out[o++] = (char)(0xE0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out[o] = '\0';
	*out_len = o;
	c->off = off;
	c->len = (uint16_t)o;
	memcpy(c->name, out, o + 1);
	return true;
}

/*
 * A name reference: u32 offset; if it points right here the name is stored
 * inline and we step over it.
 */
static bool
name_ref(struct evtx_ctx *x, uint32_t *pos, uint32_t end, char *out,
    size_t *out_len)
{
	uint32_t off;

	if (*pos + 4 > end)
		return fail(x, "truncated name reference");
	off = rd32(x->c + *pos);
	*pos += 4;
	if (!read_name(x, off, out, out_len))
		return false;
	if (off == *pos) {
		uint32_t skip = 8 + 2u * rd16(x->c + off + 6) + 2;

		if (*pos + skip > end)
			return fail(x, "inline name past end");
		*pos += skip;
	}
	return true;
}

static struct buf *
target(struct evtx_ctx *x)
{
	return x->in_attr ? &x->attr : &x->text;
}

static void
emit(struct evtx_ctx *x, const char *name, size_t name_len, const char *val,
    size_t val_len)
{
	/* An overflowing event keeps what fits; the flag reports the loss. */
	(void)hunt_event_add(x->ev, name, name_len, val, val_len);
}

static void
attr_finish(struct evtx_ctx *x)
{
	struct evtx_elem *e;
	char name[2 * EVTX_NAME_MAX + 2];
	int n;

	if (!x->in_attr)
		return;
	x->in_attr = false;
	if (x->depth == 0)
		return;
	e = &x->stack[x->depth - 1];
	e->has_attr = true;
	if (x->attr_name_len == 4 && memcmp(x->attr_name, "Name", 4) == 0 &&
	    e->name_len == 4 && memcmp(e->name, "Data", 4) == 0) {
		size_t l = 0;

		/* Sigma names fields without spaces ("Threat Name" is read
		 * as ThreatName), as Windows' own field names are. */
		for (size_t i = 0; i < x->attr.len && l < EVTX_NAME_MAX - 1; i++)
			if (x->attr.data[i] != ' ')
				e->data_name[l++] = x->attr.data[i];
		e->data_name[l] = '\0';
		e->data_name_len = l;
		return;
	}
	/* xmlns is noise; an empty value is a null optional substitution */
	if (strcmp(x->attr_name, "xmlns") == 0 || x->attr.len == 0)
		return;
	/* Element_Attribute; both parts are < EVTX_NAME_MAX, name fits */
	memcpy(name, e->name, e->name_len);
	name[e->name_len] = '_';
	memcpy(name + e->name_len + 1, x->attr_name, x->attr_name_len);
	n = (int)(e->name_len + 1 + x->attr_name_len);
	emit(x, name, (size_t)n, x->attr.data ? x->attr.data : "", x->attr.len);
}

static bool
elem_open(struct evtx_ctx *x, const char *name, size_t len)
{
	struct evtx_elem *e;

	if (x->depth >= EVTX_MAX_DEPTH)
		return fail(x, "elements nested too deep");
	if (x->depth > 0)
		x->stack[x->depth - 1].has_child = true;
	e = &x->stack[x->depth++];
	memcpy(e->name, name, len + 1);
	e->name_len = len;
	e->data_name_len = 0;
	e->data_name[0] = '\0';
	e->has_child = false;
	e->has_attr = false;
	buf_reset(&x->text);
	return true;
}

/*
 * Closes the innermost element. Only leaves carry values: containers
 * (Event, System, EventData, UserData...) emit nothing themselves.
 */
static bool
elem_close(struct evtx_ctx *x)
{
	struct evtx_elem *e;
	const char *t;

	if (x->depth == 0)
		return fail(x, "end of element without start");
	e = &x->stack[x->depth - 1];
	t = x->text.data ? x->text.data : "";
	if (!e->has_child) {
		if (e->data_name_len > 0)
			emit(x, e->data_name, e->data_name_len, t, x->text.len);
		else if (x->text.len > 0 || !e->has_attr)
			emit(x, e->name, e->name_len, t, x->text.len);
	}
	x->depth--;
	buf_reset(&x->text);
	return true;
}

static bool
append_fmt(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool
append_fmt(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	enum csirt_rc rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc == CSIRT_OK;
}

/* Decimal without printf: numbers are in every record (EventID, PIDs). */
static bool
append_u64(struct buf *b, uint64_t v, bool neg)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (neg)
		tmp[--i] = '-';
	return buf_append(b, tmp + i, sizeof(tmp) - i) == CSIRT_OK;
}

static bool
append_i64(struct buf *b, int64_t v)
{
	return v < 0 ? append_u64(b, (uint64_t)0 - (uint64_t)v, true) :
	    append_u64(b, (uint64_t)v, false);
}

/*
 * Fixed-width hex and decimal without printf: GUIDs, times and handles are
 * in every record, and vfprintf was ~4% of an EVTX hunt's CPU.
 */
static void
put_hex(char *out, uint64_t v, int digits, bool upper)
{
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		out[i] = hex[v & 15];
}

static void
put_dec(char *out, unsigned v, int digits)
{
	for (int i = digits - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
}

/* "0x" and the hex digits of v without leading zeros ("0x%x") */
static bool
append_hex_min(struct buf *b, uint64_t v)
{
	char tmp[18] = "0x";
	int digits = 1;

	while (digits < 16 && (v >> (4 * digits)) != 0)
		digits++;
	put_hex(tmp + 2, v, digits, false);
	return buf_append(b, tmp, 2 + (size_t)digits) == CSIRT_OK;
}

static bool
render_guid(struct buf *b, const unsigned char *p)
{
	char g[38];

	g[0] = '{';
	put_hex(g + 1, rd32(p), 8, true);
	g[9] = '-';
	put_hex(g + 10, rd16(p + 4), 4, true);
	g[14] = '-';
	put_hex(g + 15, rd16(p + 6), 4, true);
	g[19] = '-';
	put_hex(g + 20, p[8], 2, true);
	put_hex(g + 22, p[9], 2, true);
	g[24] = '-';
	for (int i = 0; i < 6; i++)
		put_hex(g + 25 + 2 * i, p[10 + i], 2, true);
	g[37] = '}';
	return buf_append(b, g, sizeof(g)) == CSIRT_OK;
}

static bool
render_filetime(struct buf *b, uint64_t ft)
{
	/* 100 ns ticks since 1601-01-01 */
	int64_t secs = (int64_t)(ft / 10000000u) - 11644473600LL;
	uint32_t frac = (uint32_t)(ft % 10000000u);
	struct tm tm;
	time_t t = (time_t)secs;

	char out[27];

	if (gmtime_r(&t, &tm) == NULL)
		return append_fmt(b, "%" PRIu64, ft);
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return append_fmt(b, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, frac / 10);
	/* YYYY-MM-DDTHH:MM:SS.ffffffZ */
	put_dec(out, (unsigned)(tm.tm_year + 1900), 4);
	out[4] = '-';
	put_dec(out + 5, (unsigned)tm.tm_mon + 1, 2);
	out[7] = '-';
	put_dec(out + 8, (unsigned)tm.tm_mday, 2);
	out[10] = 'T';
	put_dec(out + 11, (unsigned)tm.tm_hour, 2);
	out[13] = ':';
	put_dec(out + 14, (unsigned)tm.tm_min, 2);
	out[16] = ':';
	put_dec(out + 17, (unsigned)tm.tm_sec, 2);
	out[19] = '.';
	put_dec(out + 20, frac / 10, 6);
	out[26] = 'Z';
	return buf_append(b, out, sizeof(out)) == CSIRT_OK;
}

static bool
render_sid(struct buf *b, const unsigned char *p, size_t n)
{
	uint64_t auth = 0;
	unsigned cnt;

	if (n < 8)
		return true;
	cnt = p[1];
	for (int i = 2; i < 8; i++)
		auth = (auth << 8) | p[i];
	if (!append_fmt(b, "S-%u-%" PRIu64, p[0], auth))
		return false;
	for (unsigned i = 0; i < cnt && 8 + 4 * (size_t)i + 4 <= n; i++)
		if (!append_fmt(b, "-%u", rd32(p + 8 + 4 * i)))
			return false;
	return true;
}

/* Renders one scalar value of 'type' from [p, p+n) as text. */
static bool
render_scalar(struct buf *b, uint8_t type, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	switch (type) {
	case 0x00:
		return true;
	case 0x01:
		return utf16_append(b, p, n / 2);
	case 0x02: {
		size_t l = 0;

		while (l < n && p[l] != 0)
			l++;
		return buf_append(b, p, l) == CSIRT_OK;
	}
	case 0x03:
		return n >= 1 && append_i64(b, (int8_t)p[0]);
	case 0x04:
		return n >= 1 && append_u64(b, p[0], false);
	case 0x05:
		return n >= 2 && append_i64(b, (int16_t)rd16(p));
	case 0x06:
		return n >= 2 && append_u64(b, rd16(p), false);
	case 0x07:
		return n >= 4 && append_i64(b, (int32_t)rd32(p));
	case 0x08:
		return n >= 4 && append_u64(b, rd32(p), false);
	case 0x09:
		return n >= 8 && append_i64(b, (int64_t)rd64(p));
	case 0x0a:
		return n >= 8 && append_u64(b, rd64(p), false);
	case 0x0b: {
		float f;

		if (n < 4)
			return false;
		memcpy(&f, p, 4);
		return append_fmt(b, "%g", (double)f);
	}
	case 0x0c: {
		double d;

		if (n < 8)
			return false;
		memcpy(&d, p, 8);
		return append_fmt(b, "%g", d);
	}
	case 0x0d:
		return n >= 1 && append_fmt(b, "%s",
		    (n >= 4 ? rd32(p) : p[0]) ? "true" : "false");
	case 0x0e:
		for (size_t i = 0; i < n; i++) {
			char h[2] = { hex[p[i] >> 4], hex[p[i] & 15] };

			if (buf_append(b, h, 2) != CSIRT_OK)
				return false;
		}
		return true;
	case 0x0f:
		if (n < 16)
			return false;
		return render_guid(b, p);
	case 0x10: {
		char h[18] = "0x";

		if (n < 4)
			return false;
		put_hex(h + 2, n >= 8 ? rd64(p) : rd32(p), n >= 8 ? 16 : 8,
		    false);
		return buf_append(b, h, n >= 8 ? 18 : 10) == CSIRT_OK;
	}
	case 0x11:
		return n >= 8 && render_filetime(b, rd64(p));
	case 0x12:
		return n >= 16 && append_fmt(b,
		    "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", rd16(p), rd16(p + 2),
		    rd16(p + 6), rd16(p + 8), rd16(p + 10), rd16(p + 12),
		    rd16(p + 14));
	case 0x13:
		return render_sid(b, p, n);
	case 0x14:
		return n >= 4 && append_hex_min(b, rd32(p));
	case 0x15:
		return n >= 8 && append_hex_min(b, rd64(p));
	default:
		return true;	/* unknown types render as nothing */
	}
}

static size_t
scalar_size(uint8_t type)
{
	switch (type) {
	case 0x03: case 0x04: return 1;
	case 0x05: case 0x06: return 2;
	case 0x07: case 0x08: case 0x0b: case 0x0d: case 0x14: return 4;
	case 0x09: case 0x0a: case 0x0c: case 0x11: case 0x15: return 8;
	case 0x0f: case 0x12: return 16;
	default: return 0;
	}
}

/* Arrays (type | 0x80) are rendered as their items joined by ", ". */
static bool
render_value(struct buf *b, uint8_t type, const unsigned char *p, size_t n)
{
	uint8_t base = type & 0x7f;
	size_t step;

	if (!(type & 0x80))
		return render_scalar(b, type, p, n);
	if (base == 0x01) {	/* NUL-separated UTF-16 strings */
		size_t start = 0, i;
		bool first = true;

		for (i = 0; i + 1 < n; i += 2) {
			if (rd16(p + i) != 0)
				continue;
			if (!first && buf_append(b, ", ", 2) != CSIRT_OK)
				return false;
			if (!utf16_append(b, p + start, (i - start) / 2))
				return false;
			first = false;
			start = i + 2;
		}
		if (start + 1 < n) {
			if (!first && buf_append(b, ", ", 2) != CSIRT_OK)
				return false;
			return utf16_append(b, p + start, (n - start) / 2);
		}
		return true;
	}
	step = scalar_size(base);
	if (step == 0)
		return render_scalar(b, 0x0e, p, n);
	for (size_t i = 0; i + step <= n; i += step) {
		if (i > 0 && buf_append(b, ", ", 2) != CSIRT_OK)
			return false;
		if (!render_scalar(b, base, p + i, step))
			return false;
	}
	return true;
}

static bool interpret(struct evtx_ctx *x, uint32_t pos, uint32_t end,
    const struct evtx_sub *subs, size_t nsubs, int nest, uint32_t *out_pos);

/*
 * A template instance: the template's body lives once in the chunk; the
 * record brings the values. Parses the substitution array, interprets the
 * body with it, and leaves *pos after the values.
 */
static bool
template_instance(struct evtx_ctx *x, uint32_t *pos, uint32_t end, int nest)
{
	struct evtx_sub subs[EVTX_MAX_SUBS];
	uint32_t p = *pos, def, body_len, count, vpos;

	if (nest >= EVTX_MAX_NEST)
		return fail(x, "templates nested too deep");
	if (p + 10 > end)
		return fail(x, "truncated template instance");
	/* token, unknown u8, template id u32, definition offset u32 */
	def = rd32(x->c + p + 6);
	p += 10;
	if (def < EVTX_CHUNK_HEADER || (size_t)def + 24 > EVTX_CHUNK)
		return fail(x, "template offset out of chunk");
	body_len = rd32(x->c + def + 20);
	if ((size_t)def + 24 + body_len > EVTX_CHUNK)
		return fail(x, "template body past chunk");
	if (def == p) {		/* resident: the definition follows inline */
		if ((size_t)p + 24 + body_len > end)
			return fail(x, "resident template past record");
		p += 24 + body_len;
	}
	if (p + 4 > end)
		return fail(x, "truncated substitution array");
	count = rd32(x->c + p);
	p += 4;
	if (count > EVTX_MAX_SUBS || (size_t)p + 4u * count > end)
		return fail(x, "bad substitution count");
	vpos = p + 4 * count;
	for (uint32_t i = 0; i < count; i++) {
		subs[i].size = rd16(x->c + p + 4 * i);
		subs[i].type = x->c[p + 4 * i + 2];
		subs[i].off = vpos;
		if ((size_t)vpos + subs[i].size > end)
			return fail(x, "substitution value past record");
		vpos += subs[i].size;
	}
	*pos = vpos;
	return interpret(x, def + 24, def + 24 + body_len, subs, count,
	    nest + 1, NULL);
}

static bool
substitution(struct evtx_ctx *x, const struct evtx_sub *subs, size_t nsubs,
    uint16_t id, int nest)
{
	const struct evtx_sub *s;

	if (id >= nsubs)
		return true;	/* absent value: renders as nothing */
	s = &subs[id];
	if (s->type == 0x21) {	/* BinXML value: nested fragment */
		if (nest >= EVTX_MAX_NEST)
			return fail(x, "BinXML nested too deep");
		return interpret(x, s->off, s->off + s->size, NULL, 0, nest + 1,
		    NULL);
	}
	if (!render_value(target(x), s->type, x->c + s->off, s->size))
		return fail(x, "value too long");
	return true;
}

static bool
entity(struct buf *b, const char *name)
{
	static const struct { const char *n, *v; } ents[] = {
		{ "amp", "&" }, { "lt", "<" }, { "gt", ">" },
		{ "quot", "\"" }, { "apos", "'" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(ents); i++)
		if (strcmp(name, ents[i].n) == 0)
			return buf_append_str(b, ents[i].v) == CSIRT_OK;
	return true;
}

/*
 * The BinXML interpreter: one token at a time from pos to end (or EOF).
 * Every branch advances pos by at least one byte, so the loop is bounded
 * by the fragment's length.
 */
static bool
interpret(struct evtx_ctx *x, uint32_t pos, uint32_t end,
    const struct evtx_sub *subs, size_t nsubs, int nest, uint32_t *out_pos)
{
	char name[EVTX_NAME_MAX];
	size_t name_len;

	if (end > EVTX_CHUNK)
		return fail(x, "fragment past chunk");
	while (pos < end) {
		uint8_t tok = x->c[pos];

		switch (tok & 0xbf) {
		case 0x00:	/* EOF */
			pos++;
			goto out;
		case 0x0f:	/* fragment header */
			pos += 4;
			break;
		case 0x01:	/* open start element */
			attr_finish(x);
			if (pos + 11 > end)
				return fail(x, "truncated element");
			pos += 7;	/* token, dependency id u16, size u32 */
			if (!name_ref(x, &pos, end, name, &name_len))
				return false;
			if (tok & 0x40)
				pos += 4;	/* attribute list size */
			if (!elem_open(x, name, name_len))
				return false;
			break;
		case 0x02:	/* close start element */
			attr_finish(x);
			pos++;
			break;
		case 0x03:	/* close empty element */
			attr_finish(x);
			pos++;
			if (!elem_close(x))
				return false;
			break;
		case 0x04:	/* end element */
			attr_finish(x);
			pos++;
			if (!elem_close(x))
				return false;
			break;
		case 0x05: {	/* value */
			uint16_t n;

			if (pos + 4 > end)
				return fail(x, "truncated value");
			if (x->c[pos + 1] != 0x01)
				return fail(x, "non-string value token");
			n = rd16(x->c + pos + 2);
			pos += 4;
			if ((size_t)pos + 2u * n > end)
				return fail(x, "value past end");
			if (!utf16_append(target(x), x->c + pos, n))
				return fail(x, "value too long");
			pos += 2u * n;
			break;
		}
		case 0x06:	/* attribute */
			attr_finish(x);
			pos++;
			if (!name_ref(x, &pos, end, x->attr_name,
			    &x->attr_name_len))
				return false;
			buf_reset(&x->attr);
			x->in_attr = true;
			break;
		case 0x07: {	/* CDATA */
			uint16_t n;

			if (pos + 3 > end)
				return fail(x, "truncated CDATA");
			n = rd16(x->c + pos + 1);
			pos += 3;
			if ((size_t)pos + 2u * n > end)
				return fail(x, "CDATA past end");
			if (!utf16_append(target(x), x->c + pos, n))
				return fail(x, "CDATA too long");
			pos += 2u * n;
			break;
		}
		case 0x08: {	/* character reference */
			if (pos + 3 > end)
				return fail(x, "truncated char ref");
			if (!utf16_append(target(x), x->c + pos + 1, 1))
				return fail(x, "text too long");
			pos += 3;
			break;
		}
		case 0x09:	/* entity reference */
			pos++;
			if (!name_ref(x, &pos, end, name, &name_len))
				return false;
			if (!entity(target(x), name))
				return fail(x, "text too long");
			break;
		case 0x0a:	/* processing instruction target */
			pos++;
			if (!name_ref(x, &pos, end, name, &name_len))
				return false;
			break;
		case 0x0b: {	/* processing instruction data */
			uint16_t n;

			if (pos + 3 > end)
				return fail(x, "truncated PI data");
			n = rd16(x->c + pos + 1);
			pos += 3 + 2u * n;
			break;
		}
		case 0x0c:	/* template instance */
			if (!template_instance(x, &pos, end, nest))
				return false;
			break;
		case 0x0d:	/* normal substitution */
		case 0x0e:	/* optional substitution */
			if (pos + 4 > end)
				return fail(x, "truncated substitution");
			if (!substitution(x, subs, nsubs, rd16(x->c + pos + 1),
			    nest))
				return false;
			pos += 4;
			break;
		default:
			return fail(x, "unknown BinXML token");
		}
	}
out:
	if (out_pos != NULL)
		*out_pos = pos;
	return true;
}

static void
note(struct hunt_read_stats *st, const char *source, uint64_t where,
    const char *what, const char *why)
{
	if (st->first_error[0] == '\0')
		snprintf(st->first_error, sizeof(st->first_error),
		    "%s (%s %" PRIu64 ") in %s", why ? why : "malformed",
		    what, where, source);
}

/* Records start with "**\0\0"; used to resynchronise after a bad one. */
static uint32_t
next_signature(const unsigned char *c, uint32_t from, uint32_t limit)
{
	for (uint32_t p = from; p + 4 <= limit; p++)
		if (c[p] == '*' && c[p + 1] == '*' && c[p + 2] == 0 &&
		    c[p + 3] == 0)
			return p;
	return limit;
}

/* Returns false when the callback asked to stop. */
static bool
read_chunk(struct evtx_ctx *x, const unsigned char *c, const char *source,
    uint64_t chunk_no, hunt_event_fn fn, void *ctx,
    struct hunt_read_stats *st)
{
	uint32_t pos = EVTX_CHUNK_HEADER, limit = rd32(c + 48);

	/* The free-space offset bounds the live records; if it is nonsense,
	 * fall back to the whole chunk and rely on record signatures. */
	if (limit < EVTX_CHUNK_HEADER || limit > EVTX_CHUNK)
		limit = EVTX_CHUNK;
	x->c = c;
	for (size_t i = 0; i < EVTX_NAME_CACHE; i++)
		x->names[i].off = 0;
	while (pos + 28 <= limit) {
		uint32_t size = rd32(c + pos + 4);
		bool ok;

		if (memcmp(c + pos, "**\0\0", 4) != 0 || size < 28 ||
		    (size_t)pos + size > limit) {
			st->bad_records++;
			note(st, source, chunk_no, "chunk", "bad record header");
			pos = next_signature(c, pos + 1, limit);
			continue;
		}
		hunt_event_reset(x->ev);
		x->depth = 0;
		x->in_attr = false;
		x->err = NULL;
		buf_reset(&x->text);
		x->ev->format = HUNT_FORMAT_EVTX;
		x->ev->source = source;
		x->ev->record = rd64(c + pos + 8);
		ok = interpret(x, pos + 24, pos + size - 4, NULL, 0, 0, NULL);
		if (ok && x->ev->nfields > 0) {
			hunt_event_finish(x->ev);
			st->events++;
			if (!fn(x->ev, ctx))
				return false;
		} else {
			st->bad_records++;
			note(st, source, x->ev->record, "record", x->err);
		}
		pos += size;
	}
	return true;
}

enum hunt_format
hunt_format_detect(const unsigned char *data, size_t len)
{
	size_t i = 0;

	if (len >= 8 && memcmp(data, "ElfFile\0", 8) == 0)
		return HUNT_FORMAT_EVTX;
	if (len >= 8 && memcmp(data, "ElfChnk\0", 8) == 0)
		return HUNT_FORMAT_EVTX;
	while (i < len && i < 4096 && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i < len && data[i] == '{')
		return HUNT_FORMAT_JSONL;
	if (len > 0)
		return HUNT_FORMAT_SYSLOG;
	return HUNT_FORMAT_UNKNOWN;
}

/* The first chunk's offset: a file may lack its header (carved chunks). */
size_t
hunt_evtx_first_chunk(const unsigned char *data, size_t len)
{
	return len >= 8 && memcmp(data, "ElfFile\0", 8) == 0 ? EVTX_FILE_HEADER :
	    0;
}

enum csirt_rc
hunt_evtx_read_range(const unsigned char *data, size_t len, size_t start,
    size_t end, const char *source, hunt_event_fn fn, void *ctx,
    struct hunt_read_stats *st)
{
	struct evtx_ctx *x;
	struct hunt_event ev;
	size_t off, base = hunt_evtx_first_chunk(data, len);
	uint64_t chunk_no;

	if (end > len)
		end = len;
	if (start < base)
		start = base;
	chunk_no = (start - base) / EVTX_CHUNK;
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return CSIRT_ENOMEM;
	hunt_event_init(&ev);
	x->ev = &ev;
	buf_init(&x->text, EVTX_TEXT_MAX);
	buf_init(&x->attr, EVTX_TEXT_MAX);
	for (off = start; off + EVTX_CHUNK <= end; off += EVTX_CHUNK, chunk_no++) {
		if (memcmp(data + off, "ElfChnk\0", 8) != 0) {
			/* Unused (zeroed) chunks at the end are normal. */
			bool zero = true;

			for (size_t i = 0; i < 64 && zero; i++)
				zero = data[off + i] == 0;
			if (!zero) {
				st->bad_chunks++;
				note(st, source, chunk_no, "chunk", "bad signature");
			}
			continue;
		}
		if (!read_chunk(x, data + off, source, chunk_no, fn, ctx, st))
			break;
	}
	/* A truncated last chunk still holds whole records: read them from a
	 * zero-padded copy, so the checks above stay the same. */
	if (end == len && off < len && len - off >= EVTX_CHUNK_HEADER &&
	    off + EVTX_CHUNK > len && memcmp(data + off, "ElfChnk\0", 8) == 0) {
		unsigned char *pad = calloc(1, EVTX_CHUNK);

		if (pad != NULL) {
			memcpy(pad, data + off, len - off);
			note(st, source, chunk_no, "chunk", "truncated chunk");
			(void)read_chunk(x, pad, source, chunk_no, fn, ctx, st);
			free(pad);
		}
	}
	buf_release(&x->text);
	buf_release(&x->attr);
	hunt_event_release(&ev);
	free(x);
	return CSIRT_OK;
}

enum csirt_rc
hunt_evtx_read(const unsigned char *data, size_t len, const char *source,
    hunt_event_fn fn, void *ctx, struct hunt_read_stats *st)
{
	if (len < 8 || (memcmp(data, "ElfFile\0", 8) != 0 &&
	    memcmp(data, "ElfChnk\0", 8) != 0))
		return CSIRT_EPARSE;
	st->bytes += len;
	return hunt_evtx_read_range(data, len, 0, len, source, fn, ctx, st);
}
