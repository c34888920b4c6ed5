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

#include "csirt/hunt.h"

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

uint32_t
hunt_event_reserve(struct hunt_event *ev, size_t len)
{
	size_t need, cap;
	char *p;
	uint32_t off;

	if (len > HUNT_EVENT_MAX_TEXT || ev->text_len > HUNT_EVENT_MAX_TEXT - len) {
		ev->overflow = true;
		return UINT32_MAX;
	}
	need = ev->text_len + len;
	if (need > ev->text_cap) {
		cap = ev->text_cap ? ev->text_cap : 4096;
		while (cap < need)
			cap *= 2;
		if (cap > HUNT_EVENT_MAX_TEXT)
			cap = HUNT_EVENT_MAX_TEXT;
		p = realloc(ev->text, cap);
		if (p == NULL) {
			ev->overflow = true;
			return UINT32_MAX;
		}
		ev->text = p;
		ev->text_cap = cap;
	}
	off = (uint32_t)ev->text_len;
	ev->text_len = need;
	return off;
}

static uint32_t
arena_copy(struct hunt_event *ev, const char *s, size_t len)
{
	uint32_t off = hunt_event_reserve(ev, len + 1);

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

static const char *
meta_value(const struct hunt_event *ev, const char *const *names)
{
	for (size_t i = 0; names[i] != NULL; i++) {
		const struct hunt_field *f = hunt_event_get(ev, names[i],
		    strlen(names[i]));

		if (f != NULL && f->value_len > 0)
			return f->value;
	}
	return "";
}

/*
 * ASCII lowercase of n bytes, eight at a time: in each byte below 0x80,
 * adding 0x3f sets the top bit from 'A' up and adding 0x25 from '[' up,
 * so (a & ~b) marks 'A'..'Z', and 0x20 is or-ed in. Bytes of 0x80 and
 * above (UTF-8) are masked out first, so no addition carries into the
 * next byte, and stay as they are. The byte loop was ~8% of a JSON hunt.
 */
static void
lower_copy(char *dst, const char *src, size_t n)
{
	const uint64_t hi = 0x8080808080808080ULL, lo7 = 0x7f7f7f7f7f7f7f7fULL;
	size_t k = 0;

	for (; k + 8 <= n; k += 8) {
		uint64_t x, y, a, b;

		memcpy(&x, src + k, 8);
		y = x & lo7;
		a = y + 0x3f3f3f3f3f3f3f3fULL;
		b = y + 0x2525252525252525ULL;
		x |= ((a & ~b) & ~x & hi) >> 2;
		memcpy(dst + k, &x, 8);
	}
	for (; k < n; k++) {
		unsigned char c = (unsigned char)src[k];

		dst[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
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
	static const char *const time_names[] = { "TimeCreated_SystemTime",
		"@timestamp", "timestamp", "UtcTime", "EventTime", NULL };
	static const char *const host_names[] = { "Computer", "Hostname",
		"host.name", "host", "hostname", NULL };
	static const char *const channel_names[] = { "Channel",
		"winlog.channel", NULL };
	static const char *const provider_names[] = { "Provider_Name",
		"SourceName", "winlog.provider_name", NULL };
	static const char *const id_names[] = { "EventID", "winlog.event_id",
		NULL };
	const char *id;
	int64_t v;

	for (size_t i = 0; i < ev->nfields; i++) {
		struct hunt_field *f = &ev->fields[i];
		uint32_t off = hunt_event_reserve(ev, f->value_len + 1);

		if (off == UINT32_MAX) {
			f->lower_off = f->value_off;	/* degrade: compare as is */
			continue;
		}
		f->lower_off = off;
		lower_copy(ev->text + off, ev->text + f->value_off, f->value_len);
		ev->text[off + f->value_len] = '\0';
	}
	for (size_t i = 0; i < ev->nfields; i++) {
		struct hunt_field *f = &ev->fields[i];

		f->name = ev->text + f->name_off;
		f->value = ev->text + f->value_off;
		f->lower = ev->text + f->lower_off;
	}
	ev->time = meta_value(ev, time_names);
	ev->host = meta_value(ev, host_names);
	ev->channel = meta_value(ev, channel_names);
	ev->provider = meta_value(ev, provider_names);
	id = meta_value(ev, id_names);
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
