/*
 * output.c - hits as a readable table, JSON lines or CSV, and the summary.
 *
 * Hits are written as they are found. The order is deterministic because
 * inputs are walked in sorted order and rules are tried in load order
 * (sigma_match); a run over the same inputs prints the same bytes.
 */
#include "csirt/common.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/hunt_output.h"

struct rule_count {
	char *key;		/* engine:rule_id */
	char *title;
	enum sigma_level level;
	uint64_t n;
};

struct hunt_output {
	FILE *out;
	enum hunt_out_format fmt;
	uint64_t hits;
	uint64_t by_level[5];
	struct rule_count *rules;
	size_t nrules, caprules;
	bool header_done;
	struct buf line;	/* a JSON line being written (reused) */
};

struct hunt_output *
hunt_output_new(FILE *out, enum hunt_out_format fmt)
{
	struct hunt_output *o = calloc(1, sizeof(*o));

	if (o != NULL) {
		o->out = out;
		o->fmt = fmt;
		/* a hit's line: an event (8 MiB at most) escaped, and more */
		buf_init(&o->line, (size_t)64 << 20);
	}
	return o;
}

void
hunt_output_free(struct hunt_output *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->nrules; i++) {
		free(o->rules[i].key);
		free(o->rules[i].title);
	}
	free(o->rules);
	buf_release(&o->line);
	free(o);
}

uint64_t
hunt_output_hits(const struct hunt_output *o)
{
	return o->hits;
}

const char *
hunt_level_severity(enum sigma_level level)
{
	switch (level) {
	case SIGMA_LEVEL_CRITICAL: return "critical";
	case SIGMA_LEVEL_HIGH: return "high";
	case SIGMA_LEVEL_MEDIUM: return "medium";
	default: return "low";
	}
}

void *
hunt_hit_json(const struct hunt_event *ev, const struct hunt_hit *hit)
{
	json_t *o = json_object(), *tags = json_array(), *m = json_object(),
	    *e = json_object();

	if (o == NULL || tags == NULL || m == NULL || e == NULL) {
		json_decref(o);
		json_decref(tags);
		json_decref(m);
		json_decref(e);
		return NULL;
	}
	for (size_t i = 0; i < hit->ntags; i++)
		json_array_append_new(tags, json_string(hit->tags[i]));
	for (size_t i = 0; i < hit->nfields; i++)
		json_object_set_new(m, hit->fields[i].name,
		    json_string(hit->fields[i].value));
	/* the first value of a repeated name wins: the event is a map */
	for (size_t i = 0; i < ev->nfields; i++)
		if (json_object_get(e, ev->fields[i].name) == NULL)
			json_object_set_new(e, ev->fields[i].name,
			    json_stringn(ev->fields[i].value,
			    ev->fields[i].value_len));
	json_object_set_new(o, "engine", json_string(hit->engine));
	json_object_set_new(o, "rule_id", json_string(hit->rule_id));
	json_object_set_new(o, "title", json_string(hit->title));
	json_object_set_new(o, "level", json_string(sigma_level_name(hit->level)));
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "time", json_string(ev->time));
	json_object_set_new(o, "host", json_string(ev->host));
	json_object_set_new(o, "source", json_string(ev->source));
	json_object_set_new(o, "record", json_integer((json_int_t)ev->record));
	json_object_set_new(o, "channel", json_string(ev->channel));
	json_object_set_new(o, "event_id", ev->event_id >= 0 ?
	    json_integer(ev->event_id) : json_null());
	json_object_set_new(o, "matched", m);
	json_object_set_new(o, "event", e);
	json_object_set_new(o, "datetime", json_string(ev->time));
	json_object_set_new(o, "message", json_string(hit->title));
	json_object_set_new(o, "timestamp_desc", json_string("Event Time"));
	return o;
}

static void
count(struct hunt_output *o, const struct hunt_hit *hit)
{
	char key[256];
	struct rule_count *r;

	o->hits++;
	if ((unsigned)hit->level < 5)
		o->by_level[hit->level]++;
	snprintf(key, sizeof(key), "%s:%s", hit->engine, hit->rule_id);
	for (size_t i = o->nrules; i-- > 0;)
		if (strcmp(o->rules[i].key, key) == 0) {
			o->rules[i].n++;
			return;
		}
	if (o->nrules == o->caprules) {
		size_t cap = o->caprules ? o->caprules * 2 : 32;

		r = realloc(o->rules, cap * sizeof(*r));
		if (r == NULL)
			return;
		o->rules = r;
		o->caprules = cap;
	}
	r = &o->rules[o->nrules];
	r->key = strdup(key);
	r->title = strdup(hit->title);
	if (r->key == NULL || r->title == NULL) {
		free(r->key);
		free(r->title);
		return;
	}
	r->level = hit->level;
	r->n = 1;
	o->nrules++;
}

/* CSV field per RFC 4180: quoted, quotes doubled, newlines kept. */
static void
csv_field(FILE *f, const char *s, bool last)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
	fputc(last ? '\n' : ',', f);
}

static void
join(struct buf *b, const struct hunt_hit *hit, bool tags)
{
	if (tags) {
		for (size_t i = 0; i < hit->ntags; i++)
			buf_printf(b, "%s%s", i ? " " : "", hit->tags[i]);
		return;
	}
	for (size_t i = 0; i < hit->nfields; i++)
		buf_printf(b, "%s%s=%s", i ? "; " : "", hit->fields[i].name,
		    hit->fields[i].value);
}

/* Table cells are cut to a width, on a UTF-8 boundary, one line each;
 * a negative width cuts without padding (the last cell of a line). */
static void
cell(FILE *f, const char *s, int width)
{
	int w = 0;
	bool pad = width > 0;

	if (width < 0)
		width = -width;
	for (; *s && w < width; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c & 0xC0) != 0x80)
			w++;
		fputc(c < 0x20 ? ' ' : c, f);
	}
	/* finish a cut multibyte character */
	for (; *s && ((unsigned char)*s & 0xC0) == 0x80; s++)
		fputc(*s, f);
	for (; pad && w < width; w++)
		fputc(' ', f);
}

/* The CSV or table header, once, before the first hit. */
static void
header(struct hunt_output *o)
{
	if (o->header_done || o->fmt == HUNT_OUT_JSONL)
		return;
	if (o->fmt == HUNT_OUT_CSV)
		fputs("time,level,rule_id,title,tags,host,source,record,"
		    "matched\n", o->out);
	else
		fprintf(o->out, "%-27s %-8s %-40s %-20s %s\n", "TIME",
		    "LEVEL", "RULE", "HOST", "SOURCE#RECORD / MATCHED");
	o->header_done = true;
}

struct hunt_output *
hunt_output_new_part(FILE *out, enum hunt_out_format fmt)
{
	struct hunt_output *o = hunt_output_new(out, fmt);

	if (o != NULL)
		o->header_done = true;	/* the main output writes it */
	return o;
}

void
hunt_output_take(struct hunt_output *o, struct hunt_output *part,
    const char *bytes, size_t n)
{
	if (n > 0) {
		header(o);
		fwrite(bytes, 1, n, o->out);
	}
	o->hits += part->hits;
	for (int l = 0; l < 5; l++)
		o->by_level[l] += part->by_level[l];
	/* rules in the part's order of first hit: the summary then lists
	 * ties as a one-thread run would */
	for (size_t i = 0; i < part->nrules; i++) {
		struct rule_count *pr = &part->rules[i];
		size_t k;

		for (k = 0; k < o->nrules; k++)
			if (strcmp(o->rules[k].key, pr->key) == 0)
				break;
		if (k < o->nrules) {
			o->rules[k].n += pr->n;
			free(pr->key);
			free(pr->title);
			continue;
		}
		if (o->nrules == o->caprules) {
			size_t cap = o->caprules ? o->caprules * 2 : 32;
			struct rule_count *r = realloc(o->rules, cap * sizeof(*r));

			if (r == NULL) {
				free(pr->key);
				free(pr->title);
				continue;
			}
			o->rules = r;
			o->caprules = cap;
		}
		o->rules[o->nrules++] = *pr;	/* moves key and title */
	}
	part->nrules = 0;
	part->hits = 0;
	memset(part->by_level, 0, sizeof(part->by_level));
}

struct hunt_hit
hunt_hit_of_sigma(const struct sigma_hit *sh)
{
	struct hunt_hit hit = {
		.engine = "sigma",
		.rule_id = sh->rule->id[0] ? sh->rule->id : sh->rule->path,
		.title = sh->rule->title,
		.level = sh->rule->level,
		.tags = sh->rule->tags,
		.ntags = sh->rule->ntags,
		.fields = sh->fields,
		.nfields = sh->nfields,
	};

	return hit;
}

/*
 * The JSON line of a hit, written straight into a buffer: the members of
 * hunt_hit_json(ev, hit), in its order, with its values (tests/hunt
 * test_output compares the two), without building a jansson tree of the
 * whole event for every hit. Measured: with the tree, the JSON-lines
 * output of the 3,762 hits of otrf2x.jsonl cost ~37 us a hit, about 5% of
 * that hunt (jsonl against csv: 2.25-2.28 against 1.99-2.18 user s), and
 * a hit-heavy IOC list gives hundreds of thousands of hits.
 * Like jansson, a key or string that is not valid UTF-8 leaves its member
 * out. 'ok' goes false when the buffer cannot take more (the line is then
 * not written).
 */
struct line {
	struct buf *b;
	bool ok;
	bool first;	/* no member yet in the current object */
};

static void
put(struct line *l, const char *s, size_t n)
{
	if (buf_append(l->b, s, n) != CSIRT_OK)
		l->ok = false;
}

/* "key":"value" with a comma before unless first; false (nothing written)
 * when either is not UTF-8 */
static bool
member(struct line *l, const char *key, const char *val, size_t vlen)
{
	size_t klen = strlen(key);

	if (!utf8_valid(key, klen) || !utf8_valid(val, vlen))
		return false;
	if (!l->first)
		put(l, ",", 1);
	l->first = false;
	if (buf_append_json_string(l->b, key, klen) != CSIRT_OK)
		l->ok = false;
	put(l, ":", 1);
	if (buf_append_json_string(l->b, val, vlen) != CSIRT_OK)
		l->ok = false;
	return true;
}

static void
member_str(struct line *l, const char *key, const char *val)
{
	(void)member(l, key, val, strlen(val));
}

/* ,"key":N or ,"key":null (never first) */
static void
member_int(struct line *l, const char *key, int64_t v, bool null)
{
	char num[32];
	int n = null ? snprintf(num, sizeof(num), "null") :
	    snprintf(num, sizeof(num), "%" PRId64, v);

	put(l, ",\"", 2);
	put(l, key, strlen(key));
	put(l, "\":", 2);
	put(l, num, (size_t)n);
}

static bool
valid_value(const struct sigma_matched_field *f)
{
	return utf8_valid(f->value, strlen(f->value));
}

/* matched: a name sits where its first valid value came, with its last
 * valid value (jansson's set on an existing key keeps the place) */
static void
put_matched(struct line *l, const struct hunt_hit *hit)
{
	l->first = true;
	for (size_t i = 0; i < hit->nfields; i++) {
		const char *name = hit->fields[i].name;
		size_t last = hit->nfields;
		bool earlier = false;

		if (!valid_value(&hit->fields[i]))
			continue;
		for (size_t k = 0; k < i && !earlier; k++)
			earlier = strcmp(hit->fields[k].name, name) == 0 &&
			    valid_value(&hit->fields[k]);
		if (earlier)
			continue;
		for (size_t k = i; k < hit->nfields; k++)
			if (strcmp(hit->fields[k].name, name) == 0 &&
			    valid_value(&hit->fields[k]))
				last = k;
		member_str(l, name, hit->fields[last].value);
	}
}

/* Names already in the line's "event" object: the first valid value of a
 * name wins (open addressing over field indexes). */
#define SEEN_SLOTS 1024

static void
put_event(struct line *l, const struct hunt_event *ev)
{
	int seen[SEEN_SLOTS];

	for (size_t i = 0; i < SEEN_SLOTS; i++)
		seen[i] = -1;
	l->first = true;
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct hunt_field *f = &ev->fields[i];
		uint32_t h = 2166136261u;
		size_t probes = 0;
		bool dup = false;

		for (size_t k = 0; k < f->name_len; k++)
			h = (h ^ (unsigned char)f->name[k]) * 16777619u;
		h %= SEEN_SLOTS;
		/* bounded by the table; past SEEN_SLOTS distinct names the
		 * later ones are not remembered (events hold far fewer) */
		while (probes < SEEN_SLOTS && seen[h] >= 0) {
			if (strcmp(ev->fields[seen[h]].name, f->name) == 0) {
				dup = true;
				break;
			}
			h = (h + 1) % SEEN_SLOTS;
			probes++;
		}
		if (dup || !member(l, f->name, f->value, f->value_len))
			continue;
		if (probes < SEEN_SLOTS)
			seen[h] = (int)i;	/* the empty slot the probe ended on */
	}
}

static bool
hit_jsonl(struct buf *b, const struct hunt_event *ev, const struct hunt_hit *hit)
{
	struct line l = { .b = b, .ok = true, .first = true };
	const char *level = sigma_level_name(hit->level);
	bool any = false;

	put(&l, "{", 1);
	member_str(&l, "engine", hit->engine);
	member_str(&l, "rule_id", hit->rule_id);
	member_str(&l, "title", hit->title);
	member_str(&l, "level", level);
	put(&l, l.first ? "\"tags\":[" : ",\"tags\":[", l.first ? 8 : 9);
	for (size_t i = 0; i < hit->ntags; i++) {
		if (!utf8_valid(hit->tags[i], strlen(hit->tags[i])))
			continue;
		if (any)
			put(&l, ",", 1);
		any = true;
		if (buf_append_json_string(b, hit->tags[i],
		    strlen(hit->tags[i])) != CSIRT_OK)
			l.ok = false;
	}
	put(&l, "]", 1);
	l.first = false;
	member_str(&l, "time", ev->time);
	member_str(&l, "host", ev->host);
	member_str(&l, "source", ev->source);
	member_int(&l, "record", (int64_t)ev->record, false);
	member_str(&l, "channel", ev->channel);
	member_int(&l, "event_id", ev->event_id, ev->event_id < 0);
	put(&l, ",\"matched\":{", 12);
	put_matched(&l, hit);
	put(&l, "},\"event\":{", 11);
	put_event(&l, ev);
	put(&l, "}", 1);
	l.first = false;
	member_str(&l, "datetime", ev->time);
	member_str(&l, "message", hit->title);
	member_str(&l, "timestamp_desc", "Event Time");
	put(&l, "}\n", 2);
	return l.ok;
}

void
hunt_output_hit(struct hunt_output *o, const struct hunt_event *ev,
    const struct hunt_hit *hit)
{
	struct buf tags, matched;
	char rec[32];

	count(o, hit);
	if (o->fmt == HUNT_OUT_JSONL) {
		buf_reset(&o->line);
		if (hit_jsonl(&o->line, ev, hit))
			(void)fwrite(o->line.data, 1, o->line.len, o->out);
		return;
	}
	buf_init(&tags, 4096);
	buf_init(&matched, 8192);
	join(&tags, hit, true);
	join(&matched, hit, false);
	snprintf(rec, sizeof(rec), "%" PRIu64, ev->record);
	header(o);
	if (o->fmt == HUNT_OUT_CSV) {
		csv_field(o->out, ev->time, false);
		csv_field(o->out, sigma_level_name(hit->level), false);
		csv_field(o->out, hit->rule_id, false);
		csv_field(o->out, hit->title, false);
		csv_field(o->out, tags.data ? tags.data : "", false);
		csv_field(o->out, ev->host, false);
		csv_field(o->out, ev->source, false);
		csv_field(o->out, rec, false);
		csv_field(o->out, matched.data ? matched.data : "", true);
	} else {
		cell(o->out, ev->time, 27);
		fputc(' ', o->out);
		cell(o->out, sigma_level_name(hit->level), 8);
		fputc(' ', o->out);
		cell(o->out, hit->title, 40);
		fputc(' ', o->out);
		cell(o->out, ev->host, 20);
		fprintf(o->out, " %s#%s\n", ev->source, rec);
		fprintf(o->out, "%-27s %-8s id=%s", "", "", hit->rule_id);
		if (tags.len)
			fprintf(o->out, " tags=%s", tags.data);
		fputc('\n', o->out);
		if (matched.len) {
			fprintf(o->out, "%-36s ", "");
			cell(o->out, matched.data, -160);
			fputc('\n', o->out);
		}
	}
	buf_release(&tags);
	buf_release(&matched);
}

static int
by_count(const void *a, const void *b)
{
	const struct rule_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

void
hunt_output_summary(struct hunt_output *o, FILE *to,
    const struct hunt_read_stats *st, uint64_t files)
{
	fflush(o->out);
	fprintf(to, "\nSummary: %" PRIu64 " hits in %" PRIu64 " events from %"
	    PRIu64 " files (%" PRIu64 " bad records, %" PRIu64 " bad chunks skipped)\n",
	    o->hits, st->events, files, st->bad_records, st->bad_chunks);
	fprintf(to, "  by level:");
	for (int l = 4; l >= 0; l--)
		fprintf(to, " %s %" PRIu64 "%s", sigma_level_name((enum sigma_level)l),
		    o->by_level[l], l ? "," : "\n");
	qsort(o->rules, o->nrules, sizeof(*o->rules), by_count);
	if (o->nrules > 0)
		fprintf(to, "  by rule:\n");
	for (size_t i = 0; i < o->nrules; i++)
		fprintf(to, "  %8" PRIu64 "  %-13s %s\n", o->rules[i].n,
		    sigma_level_name(o->rules[i].level), o->rules[i].title);
	if (st->first_error[0] != '\0')
		fprintf(to, "  first problem: %s\n", st->first_error);
}
