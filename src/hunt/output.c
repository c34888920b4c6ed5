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
};

struct hunt_output *
hunt_output_new(FILE *out, enum hunt_out_format fmt)
{
	struct hunt_output *o = calloc(1, sizeof(*o));

	if (o != NULL) {
		o->out = out;
		o->fmt = fmt;
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

void
hunt_output_hit(struct hunt_output *o, const struct hunt_event *ev,
    const struct hunt_hit *hit)
{
	struct buf tags, matched;
	char rec[32];

	count(o, hit);
	if (o->fmt == HUNT_OUT_JSONL) {
		json_t *j = hunt_hit_json(ev, hit);
		char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII * 0) :
		    NULL;

		if (s != NULL) {
			fputs(s, o->out);
			fputc('\n', o->out);
		}
		free(s);
		json_decref(j);
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
