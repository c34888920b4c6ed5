/*
 * syslog.c - text log lines: RFC 5424, RFC 3164 (with or without <PRI>, as
 * in /var/log files) and Linux auditd ("type=X msg=audit(T:N): k=v ...").
 *
 * Fields (docs/hunt.md): timestamp, host, program, pid, message, and for
 * auditd type plus every key=value pair (quoted values unquoted, hex-encoded
 * values such as proctitle decoded when they are printable). Sigma's Linux
 * rules are mostly keyword searches, which look at every value.
 * A line that fits no format is still an event: its whole text is the
 * message, so keyword rules and IOCs see it.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <string.h>

#include "csirt/hunt.h"
#include "reader_int.h"

#define LINE_MAX_LEN (1u << 20)

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Next space-delimited token of [*p, end). */
static bool
token(const char **p, const char *end, const char **t, size_t *tl)
{
	while (*p < end && **p == ' ')
		(*p)++;
	if (*p >= end)
		return false;
	*t = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	*tl = (size_t)(*p - *t);
	return true;
}

static void
add(struct hunt_event *ev, const char *name, const char *v, size_t vl)
{
	if (vl == 1 && v[0] == '-')
		return;		/* RFC 5424 nil value */
	(void)hunt_event_add(ev, name, strlen(name), v, vl);
}

/* "prog[pid]:" or "prog:" at p; on success moves p past it. */
static void
program(struct hunt_event *ev, const char **p, const char *end)
{
	const char *s = *p, *q = s;

	while (q < end && *q != ':' && *q != '[' && *q != ' ' && q - s < 64)
		q++;
	if (q == s || q >= end || (*q != ':' && *q != '['))
		return;
	add(ev, "program", s, (size_t)(q - s));
	if (*q == '[') {
		const char *r = memchr(q, ']', (size_t)(end - q));

		if (r == NULL)
			return;
		add(ev, "pid", q + 1, (size_t)(r - q - 1));
		q = r + 1;
	}
	if (q < end && *q == ':')
		q++;
	*p = q;
}

static void
hex_or_text(struct hunt_event *ev, const char *k, size_t kl, const char *v,
    size_t vl)
{
	char out[4096];
	size_t n = 0;
	bool hex = vl >= 2 && vl % 2 == 0 && vl / 2 < sizeof(out);

	for (size_t i = 0; hex && i < vl; i++)
		hex = is_digit(v[i]) || (v[i] >= 'A' && v[i] <= 'F');
	if (hex) {
		for (size_t i = 0; i < vl; i += 2) {
			int hi = is_digit(v[i]) ? v[i] - '0' : v[i] - 'A' + 10;
			int lo = is_digit(v[i + 1]) ? v[i + 1] - '0' :
			    v[i + 1] - 'A' + 10;
			char c = (char)(hi * 16 + lo);

			/* proctitle separates argv with NULs */
			out[n++] = c == '\0' ? ' ' : c;
			if ((unsigned char)c < 0x20 && c != '\0' && c != '\t')
				hex = false;
		}
	}
	if (hex)
		(void)hunt_event_add(ev, k, kl, out, n);
	else
		(void)hunt_event_add(ev, k, kl, v, vl);
}

/* key=value pairs, values optionally "quoted" or 'quoted'. */
static void
keyvalues(struct hunt_event *ev, const char *p, const char *end)
{
	while (p < end) {
		const char *k, *v;
		size_t kl, vl;

		while (p < end && (*p == ' ' || *p == ':' || *p == '\x1d'))
			p++;
		k = p;
		while (p < end && *p != '=' && *p != ' ')
			p++;
		kl = (size_t)(p - k);
		if (p >= end || *p != '=' || kl == 0) {
			while (p < end && *p != ' ')
				p++;
			continue;
		}
		p++;
		if (p < end && (*p == '"' || *p == '\'')) {
			char qc = *p++;

			v = p;
			while (p < end && *p != qc)
				p++;
			vl = (size_t)(p - v);
			if (p < end)
				p++;
			(void)hunt_event_add(ev, k, kl, v, vl);
		} else {
			v = p;
			while (p < end && *p != ' ' && *p != '\x1d')
				p++;
			vl = (size_t)(p - v);
			hex_or_text(ev, k, kl, v, vl);
		}
	}
}

static bool
parse_audit(struct hunt_event *ev, const char *p, const char *end)
{
	const char *m = p;

	if ((size_t)(end - p) < 5 || memcmp(p, "type=", 5) != 0)
		return false;
	add(ev, "program", "auditd", 6);
	/* msg=audit(1364481363.243:24287): */
	for (; m + 10 < end; m++)
		if (memcmp(m, "msg=audit(", 10) == 0) {
			const char *c = memchr(m, ')', (size_t)(end - m));

			if (c != NULL)
				add(ev, "timestamp", m + 10, (size_t)(c - m - 10));
			break;
		}
	keyvalues(ev, p, end);
	return true;
}

static bool
parse_5424(struct hunt_event *ev, const char *p, const char *end)
{
	const char *t;
	size_t tl = 0;

	/* after "<PRI>": version "1 " */
	if (end - p < 2 || p[0] != '1' || p[1] != ' ')
		return false;
	p += 2;
	if (!token(&p, end, &t, &tl))
		return false;
	add(ev, "timestamp", t, tl);
	if (token(&p, end, &t, &tl))
		add(ev, "host", t, tl);
	if (token(&p, end, &t, &tl))
		add(ev, "program", t, tl);
	if (token(&p, end, &t, &tl))
		add(ev, "pid", t, tl);
	if (token(&p, end, &t, &tl))
		add(ev, "msgid", t, tl);
	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '[') {	/* structured data: keep as one field */
		const char *s = p;

		while (p < end && !(*p == ']' && (p + 1 == end || p[1] == ' ')))
			p++;
		if (p < end)
			p++;
		add(ev, "structured_data", s, (size_t)(p - s));
		keyvalues(ev, s + 1, p > s + 1 ? p - 1 : p);
	} else if (p < end && *p == '-') {
		p++;
	}
	while (p < end && *p == ' ')
		p++;
	if (p < end)
		add(ev, "message", p, (size_t)(end - p));
	return true;
}

/* "Mmm dd hh:mm:ss host prog[pid]: msg" (or an ISO timestamp first). */
static void
parse_3164(struct hunt_event *ev, const char *p, const char *end)
{
	const char *t = p;
	size_t tl = 0;

	if (end - p >= 15 && p[3] == ' ' && p[6] == ' ' && p[9] == ':' &&
	    p[12] == ':') {
		add(ev, "timestamp", p, 15);
		p += 15;
	} else if (end - p >= 19 && is_digit(p[0]) && p[4] == '-' &&
	    p[10] == 'T' && token(&p, end, &t, &tl)) {
		add(ev, "timestamp", t, tl);
	} else {
		add(ev, "message", p, (size_t)(end - p));
		return;
	}
	if (token(&p, end, &t, &tl))
		add(ev, "host", t, tl);
	while (p < end && *p == ' ')
		p++;
	program(ev, &p, end);
	while (p < end && *p == ' ')
		p++;
	if (p < end)
		add(ev, "message", p, (size_t)(end - p));
}

enum csirt_rc
hunt_syslog_read_range(const char *data, size_t start, size_t len,
    uint64_t *line_no, const char *source, hunt_event_fn fn, void *ctx,
    struct hunt_read_stats *st)
{
	struct hunt_event ev;
	size_t pos = start;
	uint64_t line = *line_no;

	hunt_event_init(&ev);
	while (pos < len) {
		const char *p = data + pos, *nl = memchr(p, '\n', len - pos);
		const char *end = nl ? nl : data + len;

		pos = (size_t)(end - data) + 1;
		line++;
		if (end > p && end[-1] == '\r')
			end--;
		if (end == p)
			continue;
		if ((size_t)(end - p) > LINE_MAX_LEN) {
			st->bad_records++;
			continue;
		}
		hunt_event_reset(&ev);
		ev.format = HUNT_FORMAT_SYSLOG;
		ev.source = source;
		ev.record = line;
		if (*p == '<') {	/* <PRI> */
			const char *q = p + 1;

			while (q < end && q - p < 5 && is_digit(*q))
				q++;
			if (q < end && *q == '>' && q > p + 1)
				p = q + 1;
		}
		if (!parse_audit(&ev, p, end) && !parse_5424(&ev, p, end))
			parse_3164(&ev, p, end);
		hunt_event_finish(&ev);
		/* a syslog event's "provider" is its program, for dispatch */
		{
			const struct hunt_field *f = hunt_event_get(&ev, "program", 7);

			ev.provider = f ? f->value : "";
			f = hunt_event_get(&ev, "host", 4);
			ev.host = f ? f->value : "";
		}
		st->events++;
		if (!fn(&ev, ctx))
			break;
	}
	hunt_event_release(&ev);
	*line_no = line;
	return CSIRT_OK;
}

enum csirt_rc
hunt_syslog_read(const char *data, size_t len, const char *source,
    hunt_event_fn fn, void *ctx, struct hunt_read_stats *st)
{
	uint64_t line = 0;

	st->bytes += len;
	return hunt_syslog_read_range(data, 0, len, &line, source, fn, ctx, st);
}
