/*
 * event.c - the flat event every reader produces.
 *
 * Strings go into one arena that grows by doubling up to a cap and is
 * reused from event to event, so that reading a million records costs a
 * handful of allocations, not millions.
 */
#include "csirt/common.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "csirt/hunt.h"
#include "reader_int.h"

void
hunt_event_init(struct hunt_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->event_id = -1;
	ev->time = ev->host = ev->channel = ev->provider = "";
	ev->source = "";
}

void
hunt_event_release(struct hunt_event *ev)
{
	free(ev->text);
	free(ev->fields);
	hunt_event_init(ev);
}

void
hunt_event_reset(struct hunt_event *ev)
{
	ev->text_len = 0;
	ev->nfields = 0;
	ev->overflow = false;
	ev->event_id = -1;
	ev->time = ev->host = ev->channel = ev->provider = "";
	ev->record = 0;
}

bool
hunt_event_room(struct hunt_event *ev, size_t len)
{
	size_t need, cap;
	char *p;

	if (len > HUNT_EVENT_MAX_TEXT || ev->text_len > HUNT_EVENT_MAX_TEXT - len)
		return false;
	need = ev->text_len + len;
	if (need <= ev->text_cap)
		return true;
	cap = ev->text_cap ? ev->text_cap : 4096;
	while (cap < need)
		cap *= 2;
	if (cap > HUNT_EVENT_MAX_TEXT)
		cap = HUNT_EVENT_MAX_TEXT;
	p = realloc(ev->text, cap);
	if (p == NULL)
		return false;
	ev->text = p;
	ev->text_cap = cap;
	return true;
}

uint32_t
hunt_event_reserve(struct hunt_event *ev, size_t len)
{
	uint32_t off;

	if (!hunt_event_room(ev, len)) {
		ev->overflow = true;
		return UINT32_MAX;
	}
	off = (uint32_t)ev->text_len;
	ev->text_len += len;
	return off;
}

static uint32_t
arena_copy(struct hunt_event *ev, const char *s, size_t len)
{
	uint32_t off;

	/* room already there (nearly always: the arena is reused): no
	 * call to reserve; the same result as reserving */
	if (ev->text_cap > ev->text_len && ev->text_cap - ev->text_len > len) {
		off = (uint32_t)ev->text_len;
		memcpy(ev->text + off, s, len);
		ev->text[off + len] = '\0';
		ev->text_len += len + 1;
		return off;
	}
	off = hunt_event_reserve(ev, len + 1);

	if (off == UINT32_MAX)
		return off;
	if (len > 0)
		memcpy(ev->text + off, s, len);
	ev->text[off + len] = '\0';
	return off;
}

static struct hunt_field *
field_new(struct hunt_event *ev)
{
	struct hunt_field *f;

	if (ev->nfields >= HUNT_EVENT_MAX_FIELDS) {
		ev->overflow = true;
		return NULL;
	}
	if (ev->nfields == ev->fields_cap) {
		size_t cap = ev->fields_cap ? ev->fields_cap * 2 : 64;

		f = realloc(ev->fields, cap * sizeof(*f));
		if (f == NULL) {
			ev->overflow = true;
			return NULL;
		}
		ev->fields = f;
		ev->fields_cap = cap;
	}
	f = &ev->fields[ev->nfields];
	memset(f, 0, sizeof(*f));
	return f;
}

enum csirt_rc
hunt_event_add_at(struct hunt_event *ev, const char *name, size_t name_len,
    uint32_t value_off, size_t value_len)
{
	struct hunt_field *f;
	uint32_t noff;

	if (value_off == UINT32_MAX || name_len > 255)
		return CSIRT_ETOOBIG;
	f = field_new(ev);
	if (f == NULL)
		return CSIRT_ETOOBIG;
	noff = arena_copy(ev, name, name_len);
	if (noff == UINT32_MAX)
		return CSIRT_ETOOBIG;
	f->name_off = noff;
	f->name_len = (uint32_t)name_len;
	f->value_off = value_off;
	f->value_len = (uint32_t)value_len;
	ev->nfields++;
	return CSIRT_OK;
}

enum csirt_rc
hunt_event_add(struct hunt_event *ev, const char *name, size_t name_len,
    const char *value, size_t value_len)
{
	uint32_t voff = arena_copy(ev, value, value_len);

	if (voff == UINT32_MAX)
		return CSIRT_ETOOBIG;
	return hunt_event_add_at(ev, name, name_len, voff, value_len);
}

const struct hunt_field *
hunt_event_get(const struct hunt_event *ev, const char *name, size_t name_len)
{
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct hunt_field *f = &ev->fields[i];

		if (f->name_len == name_len &&
		    strncasecmp(f->name, name, name_len) == 0)
			return f;
	}
	return NULL;
}

/*
 * The names the event's time, host, channel, provider and event ID are read
 * from, in order of preference within each kind: the first name that an
 * event has with a non-empty value wins (its first field of that name).
 */
enum meta_kind { META_TIME, META_HOST, META_CHANNEL, META_PROVIDER, META_ID,
	META_KINDS };

static const struct meta_name {
	const char *name;
	uint8_t len, kind;
} meta_names[] = {
	{ "TimeCreated_SystemTime", 22, META_TIME },
	{ "@timestamp", 10, META_TIME },
	{ "timestamp", 9, META_TIME },
	{ "UtcTime", 7, META_TIME },
	{ "EventTime", 9, META_TIME },
	{ "Computer", 8, META_HOST },
	{ "Hostname", 8, META_HOST },
	{ "host.name", 9, META_HOST },
	{ "host", 4, META_HOST },
	{ "hostname", 8, META_HOST },
	{ "Channel", 7, META_CHANNEL },
	{ "winlog.channel", 14, META_CHANNEL },
	{ "Provider_Name", 13, META_PROVIDER },
	{ "SourceName", 10, META_PROVIDER },
	{ "winlog.provider_name", 20, META_PROVIDER },
	{ "EventID", 7, META_ID },
	{ "winlog.event_id", 15, META_ID },
};
#define META_NAME_MAX 22

static inline unsigned char
lower_byte(unsigned char c)
{
	return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/*
 * Fills first[i] with the index of the event's first field named
 * meta_names[i] (ASCII case-insensitive), or -1: one pass over the fields,
 * where asking for each name in turn walked them 17 times per event.
 */
static void
meta_first(const struct hunt_event *ev, int first[ARRAY_SIZE(meta_names)])
{
	/* meta_names' indexes + 1 by name length, 0 ending each list */
	static const uint8_t by_len[META_NAME_MAX + 1][4] = {
		[4] = { 9 }, [7] = { 4, 11, 16 }, [8] = { 6, 7, 10 },
		[9] = { 3, 5, 8 }, [10] = { 2, 14 }, [13] = { 13 },
		[14] = { 12 }, [15] = { 17 }, [20] = { 15 }, [22] = { 1 },
	};

	for (size_t k = 0; k < ARRAY_SIZE(meta_names); k++)
		first[k] = -1;
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct hunt_field *f = &ev->fields[i];
		const char *name = ev->text + f->name_off;

		if (f->name_len > META_NAME_MAX)
			continue;
		for (size_t j = 0; j < 4 && by_len[f->name_len][j] != 0; j++) {
			size_t k = by_len[f->name_len][j] - 1u;
			const struct meta_name *m = &meta_names[k];

			if (first[k] < 0 && lower_byte((unsigned char)m->name[0]) ==
			    lower_byte((unsigned char)name[0]) &&
			    strncasecmp(m->name, name, m->len) == 0)
				first[k] = (int)i;
		}
	}
}

static const char *
meta_value(const struct hunt_event *ev, const int *first, enum meta_kind kind)
{
	for (size_t k = 0; k < ARRAY_SIZE(meta_names); k++) {
		const struct hunt_field *f;

		if (meta_names[k].kind != kind || first[k] < 0)
			continue;
		f = &ev->fields[first[k]];
		if (f->value_len > 0)
			return f->value;
	}
	return "";
}

/*
 * ASCII lowercase of n bytes. With SSE2, 16 at a time: adding 0x80 - 'A'
 * moves 'A'..'Z' (and only them) to the 26 smallest signed bytes, so one
 * signed compare marks them and 0x20 is or-ed in; a tail shorter than 16
 * is done as the last 16 bytes again (overlapping, the same result).
 * Elsewhere eight at a time: in each byte below 0x80, adding 0x3f sets
 * the top bit from 'A' up and adding 0x25 from '[' up, so (a & ~b) marks
 * 'A'..'Z'; bytes of 0x80 and above (UTF-8) are masked out first, so no
 * addition carries into the next byte, and stay as they are.
 */
static void
lower_copy(char *dst, const char *src, size_t n)
{
	size_t k = 0;

#ifdef __SSE2__
	if (n >= 16) {
		const __m128i shift = _mm_set1_epi8((char)(0x80 - 'A'));
		const __m128i limit = _mm_set1_epi8((char)(-128 + 26));
		const __m128i bit = _mm_set1_epi8(0x20);

		for (;; k += 16) {
			__m128i v, up;

			if (k + 16 > n)
				k = n - 16;
			v = _mm_loadu_si128((const __m128i *)(const void *)(src + k));
			up = _mm_cmpgt_epi8(limit, _mm_add_epi8(v, shift));
			_mm_storeu_si128((__m128i *)(void *)(dst + k),
			    _mm_or_si128(v, _mm_and_si128(up, bit)));
			if (k + 16 == n)
				return;
		}
	}
#else
	const uint64_t hi = 0x8080808080808080ULL, lo7 = 0x7f7f7f7f7f7f7f7fULL;

	for (; k + 8 <= n; k += 8) {
		uint64_t x, y, a, b;

		memcpy(&x, src + k, 8);
		y = x & lo7;
		a = y + 0x3f3f3f3f3f3f3f3fULL;
		b = y + 0x2525252525252525ULL;
		x |= ((a & ~b) & ~x & hi) >> 2;
		memcpy(dst + k, &x, 8);
	}
#endif
	for (; k < n; k++)
		dst[k] = (char)lower_byte((unsigned char)src[k]);
}

/* Bytes lower_values may read and write past a value: whole blocks. */
#define LOWER_SLACK 16

/*
 * With room for a whole block past every value (the reservation below
 * ends LOWER_SLACK bytes after the last copy, and every value lies before
 * the copies), a value is lowercased in whole 16-byte blocks: the bytes a
 * block takes past the value's end are written into the next copy's place
 * before that copy is made, and the NUL after. Short values (event IDs,
 * user names) skip the byte loop.
 */
static void
lower_blocks(char *dst, const char *src, size_t n)
{
#ifdef __SSE2__
	const __m128i shift = _mm_set1_epi8((char)(0x80 - 'A'));
	const __m128i limit = _mm_set1_epi8((char)(-128 + 26));
	const __m128i bit = _mm_set1_epi8(0x20);

	for (size_t k = 0; k < n; k += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(src + k));
		__m128i up = _mm_cmpgt_epi8(limit, _mm_add_epi8(v, shift));

		_mm_storeu_si128((__m128i *)(void *)(dst + k),
		    _mm_or_si128(v, _mm_and_si128(up, bit)));
	}
#else
	lower_copy(dst, src, n);
#endif
}

/* One lowercased copy per value, after one another at the end of the
 * arena (sigma_match.c scans them there as one block); a value that does
 * not fit under the cap is compared as it is. */
static void
lower_values(struct hunt_event *ev)
{
	size_t total = LOWER_SLACK;
	uint32_t off;

	for (size_t i = 0; i < ev->nfields; i++)
		total += (size_t)ev->fields[i].value_len + 1;
	/* one reservation for all (the arena holds them whole nearly
	 * always); over the cap, value by value as far as they fit */
	off = ev->nfields > 0 && total <= HUNT_EVENT_MAX_TEXT &&
	    ev->text_len <= HUNT_EVENT_MAX_TEXT - total ?
	    hunt_event_reserve(ev, total) : UINT32_MAX;
	if (off != UINT32_MAX) {
		ev->text_len -= LOWER_SLACK;
		for (size_t i = 0; i < ev->nfields; i++) {
			struct hunt_field *f = &ev->fields[i];

			f->lower_off = off;
			off += f->value_len + 1;
			lower_blocks(ev->text + f->lower_off,
			    ev->text + f->value_off, f->value_len);
			ev->text[f->lower_off + f->value_len] = '\0';
		}
		return;
	}
	for (size_t i = 0; i < ev->nfields; i++) {
		struct hunt_field *f = &ev->fields[i];
		uint32_t one = hunt_event_reserve(ev, f->value_len + 1);

		if (one == UINT32_MAX) {
			f->lower_off = f->value_off;	/* degrade: as is */
			continue;
		}
		f->lower_off = one;
		lower_copy(ev->text + one, ev->text + f->value_off,
		    f->value_len);
		ev->text[one + f->value_len] = '\0';
	}
}

/*
 * The lowercased copies are made here, once per event, because nearly every
 * Sigma comparison is case-insensitive: folding each value once is cheaper
 * than folding it in every comparison of every candidate rule.
 */
void
hunt_event_finish(struct hunt_event *ev)
{
	int first[ARRAY_SIZE(meta_names)];
	const char *id;
	int64_t v;

	lower_values(ev);
	for (size_t i = 0; i < ev->nfields; i++) {
		struct hunt_field *f = &ev->fields[i];

		f->name = ev->text + f->name_off;
		f->value = ev->text + f->value_off;
		f->lower = ev->text + f->lower_off;
	}
	meta_first(ev, first);
	ev->time = meta_value(ev, first, META_TIME);
	ev->host = meta_value(ev, first, META_HOST);
	ev->channel = meta_value(ev, first, META_CHANNEL);
	ev->provider = meta_value(ev, first, META_PROVIDER);
	id = meta_value(ev, first, META_ID);
	ev->event_id = -1;
	if (*id != '\0' && parse_int64(id, 0, INT32_MAX, &v) == CSIRT_OK)
		ev->event_id = v;
}

bool
hunt_parse_ip(const char *v, size_t len, uint8_t out[16])
{
	char tmp[64];
	struct in_addr a4;

	if (len < 2 || len >= sizeof(tmp))
		return false;
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, &a4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		return true;
	}
	return memchr(tmp, ':', len) != NULL && inet_pton(AF_INET6, tmp, out) == 1;
}
