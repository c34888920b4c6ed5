/*
 * sigma_match.c - evaluating compiled rules against one event.
 *
 * Cost control, in the order it matters:
 *   1. dispatch: only rules whose logsource maps to the event's channel
 *      (plus the few with no channel) are considered, then their event IDs
 *      are checked - most rules never look at most events;
 *   2. field lookup is O(1): field names are interned when rules compile,
 *      and each event gets a table from field id to its value(s) once;
 *   3. comparisons run on the value lowercased once per event, as memcmp/
 *      memmem, a glob only where a wildcard sits inside a value, PCRE2 last.
 * Matched fields are collected only for rules that matched, in a second
 * pass, so the common no-match path does no bookkeeping.
 */
#include "sigma_int.h"
#include "substr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RE_MATCH_LIMIT 100000
#define CONTAINS_MEMMEM_MIN 256
#define RE_DEPTH_LIMIT 1000

/*
 * Field ids of the event field names seen, by their exact bytes: every
 * field of every event is looked up (~45 per OTRF event), and a few
 * hundred distinct names come back again and again. A name is its length
 * and three words covering its bytes (names up to NAME_KEY_MAX bytes; a
 * longer one goes to sigma_fields_find each time), so a hit costs a few
 * loads and compares, without a hash of the bytes or a string compare.
 * Direct-mapped: a collision replaces the slot.
 */
#define NAME_CACHE_BITS 9
#define NAME_KEY_MAX 24

struct name_key {
	uint64_t w[3];
	uint32_t len;
	int32_t id;	/* the field id, -1 for none; a slot with len 0 is empty */
};

#define CHAN_SLOTS 8

struct sigma_matcher {
	const struct sigma_ruleset *rs;
	struct name_key *names;	/* 1 << NAME_CACHE_BITS slots */
	uint32_t gen;
	uint32_t *stamp;	/* per field id: gen when first[] is valid */
	int *first;		/* per field id: first event field index */
	int *next;		/* per event field: next index with same id */
	uint32_t *rule_stamp;	/* per rule: gen when one of its literals was
				 * found */
	uint8_t *rule_found;	/* per rule: its clauses met (if stamped) */
	struct corr_state *corr;	/* per correlation rule */
	struct sigma_hit corr_hit;
	struct hunt_event corr_ev;	/* the event of a window-end hit */
	size_t next_cap;
	int *alias_ids;		/* per alias of the rule set: from, to */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	hs_scratch_t *hs;	/* the prefilter's scratch (NULL: none) */
	char *pfbuf;		/* the values the field scan sees */
	size_t pfcap;
	uint32_t *marked;	/* rules whose literal the event holds */
	size_t nmarked;
	uint32_t *cand;		/* rule * 2 + in_bucket, to evaluate */
	bool pf_on;		/* this event was prefiltered */
	enum { EID_GATE_OFF, EID_GATE_NONE, EID_GATE_ONE } eid_gate;
	/* channels seen and their buckets (-1: none), by length and end
	 * bytes: comparing every event's channel with every bucket's name
	 * was ~1.5% of a JSON hunt (strcasecmp), and logs interleave a few
	 * channels */
	struct chan_slot {
		char name[96];
		size_t len;	/* SIZE_MAX: empty */
		int bucket;
	} chans[CHAN_SLOTS];
	int32_t eid;		/* EID_GATE_ONE: the event's EventID */
	/* collection of matched fields for a hit */
	bool record;
	struct sigma_hit hit;
	const struct hunt_event *ev;
};

struct sigma_matcher *
sigma_matcher_new(const struct sigma_ruleset *rs)
{
	struct sigma_matcher *m = calloc(1, sizeof(*m));
	size_t n = rs->fields.n ? rs->fields.n : 1;

	if (m == NULL)
		return NULL;
	m->rs = rs;
	for (size_t i = 0; i < CHAN_SLOTS; i++)
		m->chans[i].len = SIZE_MAX;
	hunt_event_init(&m->corr_ev);
	m->names = calloc((size_t)1 << NAME_CACHE_BITS, sizeof(*m->names));
	m->stamp = calloc(n, sizeof(*m->stamp));
	m->first = calloc(n, sizeof(*m->first));
	m->rule_stamp = calloc(rs->nrules ? rs->nrules : 1,
	    sizeof(*m->rule_stamp));
	m->rule_found = calloc(rs->nrules ? rs->nrules : 1, 1);
	m->corr = sigma_corr_states_new(rs->ncorrs);
	/* the aliases' field ids, found once here rather than per event */
	m->alias_ids = malloc((2 * rs->naliases + 1) * sizeof(*m->alias_ids));
	for (size_t a = 0; m->alias_ids != NULL && a < rs->naliases; a++) {
		const struct sigma_alias *al = &rs->aliases[a];

		m->alias_ids[2 * a] = sigma_fields_find(&rs->fields, al->from,
		    strlen(al->from));
		m->alias_ids[2 * a + 1] = sigma_fields_find(&rs->fields, al->to,
		    strlen(al->to));
	}
	m->md = pcre2_match_data_create(32, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->hs = sigma_prefilter_scratch(rs->prefilter);
	/* at most every rule once, plus each list's always-rules */
	m->marked = malloc((rs->nrules + 1) * sizeof(*m->marked));
	m->cand = malloc((4 * rs->nrules + 1) * sizeof(*m->cand));
	if (!m->stamp || !m->first || !m->rule_stamp || !m->rule_found ||
	    !m->corr || !m->md || !m->mctx || !m->marked || !m->cand ||
	    !m->alias_ids || !m->names ||
	    (rs->prefilter != NULL &&
	    sigma_prefilter_count(rs->prefilter) > 0 && m->hs == NULL)) {
		sigma_matcher_free(m);
		return NULL;
	}
	pcre2_set_match_limit(m->mctx, RE_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, RE_DEPTH_LIMIT);
	return m;
}

void
sigma_matcher_free(struct sigma_matcher *m)
{
	if (m == NULL)
		return;
	free(m->stamp);
	free(m->first);
	free(m->next);
	free(m->alias_ids);
	free(m->names);
	free(m->rule_stamp);
	free(m->rule_found);
	sigma_corr_states_free(m->corr, m->rs->ncorrs);
	hunt_event_release(&m->corr_ev);
	if (m->md)
		pcre2_match_data_free(m->md);
	if (m->mctx)
		pcre2_match_context_free(m->mctx);
	if (m->hs)
		hs_free_scratch(m->hs);
	free(m->pfbuf);
	free(m->marked);
	free(m->cand);
	free(m);
}

/* ---- one pattern against one value ---- */

static size_t
dash_at(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == '-' || s[0] == '/'))
		return 1;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x93 &&
	    s[2] <= 0x95)
		return 3;
	return 0;
}

static size_t
one_char_at(const unsigned char *s, size_t n)
{
	size_t l = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ?
	    3 : (s[0] >> 3) == 30 ? 4 : 1;

	return l <= n ? l : n;
}

/*
 * Glob with '*' by single-star backtracking: linear in practice, and each
 * other token matches at most one way at a given position, which keeps the
 * greedy restart correct.
 */
static bool
glob_match(const uint16_t *t, size_t tn, const unsigned char *s, size_t sn)
{
	size_t ti = 0, si = 0, star_t = SIZE_MAX, star_s = 0;

	while (si < sn) {
		if (ti < tn) {
			uint16_t c = t[ti];
			size_t adv = 0;

			if (c == GLOB_STAR) {
				star_t = ti++;
				star_s = si;
				continue;
			}
			if (c == GLOB_ONE)
				adv = one_char_at(s + si, sn - si);
			else if (c == GLOB_DASH)
				adv = dash_at(s + si, sn - si);
			else if (s[si] == c)
				adv = 1;
			if (adv) {
				ti++;
				si += adv;
				continue;
			}
		}
		if (star_t == SIZE_MAX)
			return false;
		ti = star_t + 1;
		si = ++star_s;
	}
	while (ti < tn && t[ti] == GLOB_STAR)
		ti++;
	return ti == tn;
}

static bool
cidr_match(const struct sigma_pat *p, const char *v, size_t len)
{
	uint8_t ip[16];
	unsigned bits = p->prefix_bits, full = bits / 8, rest = bits % 8;

	if (!hunt_parse_ip(v, len, ip))
		return false;
	if (memcmp(ip, p->addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((ip[full] ^ p->addr[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), for the weekday behind an ISO week number. */
static int64_t
civil_days(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* 1 = Monday .. 7 = Sunday; 1970-01-01 was a Thursday. */
static int
iso_weekday(int64_t days)
{
	return (int)(((days % 7) + 7 + 3) % 7) + 1;
}

static int
iso_weeks_in_year(int64_t y)
{
	int jan1 = iso_weekday(civil_days(y, 1, 1));
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return jan1 == 4 || (leap && jan1 == 3) ? 53 : 52;
}

static int
iso_week(int64_t y, int m, int d)
{
	int64_t days = civil_days(y, m, d);
	int doy = (int)(days - civil_days(y, 1, 1)) + 1;
	int w = (doy - iso_weekday(days) + 10) / 7;

	if (w < 1)
		return iso_weeks_in_year(y - 1);
	if (w > iso_weeks_in_year(y))
		return 1;
	return w;
}

static int
two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * The date-part modifiers read the value as it is written, without time
 * zone conversion (the specification says so): "YYYY-MM-DD" (or with '/'
 * or '.'), then for minute and hour "[T ]HH:MM". The week is the ISO 8601
 * week (1..53, Monday first), as SQL's date_part('week') gives it.
 */
static bool
date_part(const char *v, size_t n, int part, double *out)
{
	int y0, y1, mo, d, h, mi;
	char sep;

	if (n < 10)
		return false;
	y0 = two_digits(v);
	y1 = two_digits(v + 2);
	sep = v[4];
	mo = two_digits(v + 5);
	d = two_digits(v + 8);
	if (y0 < 0 || y1 < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    (sep != '-' && sep != '/' && sep != '.') || v[7] != sep)
		return false;
	switch (part) {
	case DP_YEAR: *out = y0 * 100 + y1; return true;
	case DP_MONTH: *out = mo; return true;
	case DP_DAY: *out = d; return true;
	case DP_WEEK: *out = iso_week(y0 * 100 + y1, mo, d); return true;
	default: break;
	}
	if (n < 16 || (v[10] != 'T' && v[10] != 't' && v[10] != ' ') ||
	    v[13] != ':')
		return false;
	h = two_digits(v + 11);
	mi = two_digits(v + 14);
	if (h < 0 || h > 23 || mi < 0 || mi > 59)
		return false;
	*out = part == DP_HOUR ? h : mi;
	return true;
}

static bool
num_match(const struct sigma_pat *p, const char *v, size_t len)
{
	char *end;
	double d;

	if (p->datepart != DP_NONE) {
		if (!date_part(v, len, p->datepart, &d))
			return false;
	} else {
		d = strtod(v, &end);
		if (end == v)
			return false;
	}
	switch (p->kind) {
	case PAT_LT: return d < p->num;
	case PAT_LTE: return d <= p->num;
	case PAT_GT: return d > p->num;
	case PAT_GTE: return d >= p->num;
	case PAT_NUMEQ: return d == p->num;
	default: return false;
	}
}

/*
 * Substring search for the short needles of Sigma values in short field
 * values: memchr for the needle's first byte, then memcmp. glibc's memmem
 * preprocesses the needle on every call, which dominated profiles here.
 */
static bool
contains(const char *h, size_t hn, const char *n, size_t nn)
{
	const char *p = h, *last;

	if (nn == 0)
		return true;
	if (hn < nn)
		return false;
	/* Long values (call traces, script blocks) have many occurrences of
	 * a needle's first byte: substr.c looks for its first and last bytes
	 * together, 32 positions at a time. */
	if (hn >= CONTAINS_MEMMEM_MIN)
		return hunt_contains_long(h, hn, n, nn);
	last = h + hn - nn;
	while (p <= last) {
		p = memchr(p, n[0], (size_t)(last - p) + 1);
		if (p == NULL)
			return false;
		/* the last byte first: most candidates fail there, without
		 * a call (backslashes and dots start many needles) */
		if (p[nn - 1] == n[nn - 1] &&
		    memcmp(p + 1, n + 1, nn - 1) == 0)
			return true;
		p++;
	}
	return false;
}

static bool
pat_match(struct sigma_matcher *m, const struct sigma_pat *p,
    const struct hunt_field *f, bool cased)
{
	const char *v = cased ? f->value : f->lower;
	size_t n = f->value_len;

	switch (p->kind) {
	/* one byte compared inline before memcmp: most comparisons fail on
	 * it without a call */
	case PAT_EQ:
		return n == p->lit_len && (n == 0 || (v[n - 1] == p->lit[n - 1] &&
		    memcmp(v, p->lit, n) == 0));
	case PAT_CONTAINS:
		return contains(v, n, p->lit, p->lit_len);
	case PAT_STARTS:
		return n >= p->lit_len && (p->lit_len == 0 ||
		    (v[p->lit_len - 1] == p->lit[p->lit_len - 1] &&
		    memcmp(v, p->lit, p->lit_len) == 0));
	case PAT_ENDS:
		return n >= p->lit_len && (p->lit_len == 0 ||
		    (v[n - p->lit_len] == p->lit[0] &&
		    memcmp(v + n - p->lit_len, p->lit, p->lit_len) == 0));
	case PAT_GLOB:
		return glob_match(p->glob, p->glob_len,
		    (const unsigned char *)v, n);
	case PAT_RE:
		/* Regexes see the original text: case is theirs to decide. */
		return pcre2_match(p->re, (PCRE2_SPTR)f->value, n, 0, 0, m->md,
		    m->mctx) >= 0;
	case PAT_CIDR:
		return cidr_match(p, f->value, n);
	case PAT_LT: case PAT_LTE: case PAT_GT: case PAT_GTE: case PAT_NUMEQ:
		return num_match(p, f->value, n);
	}
	return false;
}

bool
sigma_pat_match(const struct sigma_pat *p, const char *v, size_t len)
{
	struct hunt_field f = { .value = v, .lower = v, .value_len = (uint32_t)len };

	if (p->kind == PAT_RE)
		return false;	/* needs a matcher's match data */
	return pat_match(NULL, p, &f, true);
}

/* ---- fields of the event ---- */

static void
record(struct sigma_matcher *m, const struct hunt_field *f)
{
	if (!m->record || m->hit.nfields >= SIGMA_MAX_MATCHED)
		return;
	for (size_t i = 0; i < m->hit.nfields; i++)
		if (m->hit.fields[i].name == f->name)
			return;
	m->hit.fields[m->hit.nfields].name = f->name;
	m->hit.fields[m->hit.nfields].value = f->value;
	m->hit.nfields++;
}

static int
first_of(const struct sigma_matcher *m, int id)
{
	if (id < 0 || m->stamp[id] != m->gen)
		return -1;
	return m->first[id];
}

static bool
values_match(struct sigma_matcher *m, const struct sigma_fieldmatch *fm,
    const struct hunt_field *f)
{
	if (fm->all) {
		for (size_t i = 0; i < fm->npats; i++)
			if (!pat_match(m, &fm->pats[i], f, fm->cased))
				return false;
		return true;
	}
	for (size_t i = 0; i < fm->npats; i++)
		if (pat_match(m, &fm->pats[i], f, fm->cased))
			return true;
	return false;
}

static bool
keyword_match(struct sigma_matcher *m, const struct sigma_fieldmatch *fm)
{
	const struct hunt_event *ev = m->ev;

	for (size_t p = 0; p < fm->npats; p++) {
		bool found = false;

		for (size_t i = 0; i < ev->nfields && !found; i++)
			if (pat_match(m, &fm->pats[p], &ev->fields[i], false)) {
				found = true;
				record(m, &ev->fields[i]);
			}
		if (found && !fm->all)
			return true;
		if (!found && fm->all)
			return false;
	}
	return fm->all;
}

static bool
fieldref_match(struct sigma_matcher *m, const struct sigma_fieldmatch *fm)
{
	const struct hunt_event *ev = m->ev;
	int a = first_of(m, fm->field_id), b = first_of(m, fm->ref_id);
	const struct hunt_field *fa, *fb;
	size_t la, lb;

	if (a < 0 || b < 0)
		return false;
	fa = &ev->fields[a];
	fb = &ev->fields[b];
	la = fa->value_len;
	lb = fb->value_len;
	switch (fm->ref_kind) {
	case PAT_CONTAINS:
		return contains(fa->lower, la, fb->lower, lb);
	case PAT_STARTS:
		return la >= lb && memcmp(fa->lower, fb->lower, lb) == 0;
	case PAT_ENDS:
		return la >= lb && memcmp(fa->lower + la - lb, fb->lower, lb) == 0;
	default:
		return la == lb && memcmp(fa->lower, fb->lower, la) == 0;
	}
}

static bool
fm_match(struct sigma_matcher *m, const struct sigma_fieldmatch *fm)
{
	const struct hunt_event *ev = m->ev;
	int i;
	bool found = false, present = false;

	switch (fm->kind) {
	case FM_KEYWORD:
		return keyword_match(m, fm);
	case FM_FIELDREF:
		return fieldref_match(m, fm);
	case FM_EXISTS:
		return (first_of(m, fm->field_id) >= 0) == fm->exists;
	case FM_NULL:
		for (i = first_of(m, fm->field_id); i >= 0; i = m->next[i])
			if (ev->fields[i].value_len > 0)
				return false;
		return true;
	case FM_VALUES:
		for (i = first_of(m, fm->field_id); i >= 0 && !found;
		    i = m->next[i]) {
			present = true;
			if (values_match(m, fm, &ev->fields[i])) {
				found = true;
				if (!fm->neq)
					record(m, &ev->fields[i]);
			}
		}
		return fm->neq ? present && !found : found;
	}
	return false;
}

static bool
sel_match(struct sigma_matcher *m, const struct sigma_sel *s)
{
	for (size_t a = 0; a < s->nalts; a++) {
		const struct sigma_conj *c = &s->alts[a];
		size_t k;

		for (k = 0; k < c->nfms; k++)
			if (!fm_match(m, &c->fms[k]))
				break;
		if (k == c->nfms)
			return true;
	}
	return false;
}

static bool
node_eval(struct sigma_matcher *m, const struct sigma_detection *d,
    const struct sigma_node *n)
{
	bool saved, v;

	switch (n->kind) {
	case NODE_SEL:
		return sel_match(m, &d->sels[n->sel]);
	case NODE_AND:
		for (size_t i = 0; i < n->nkids; i++)
			if (!node_eval(m, d, n->kids[i]))
				return false;
		return true;
	case NODE_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (node_eval(m, d, n->kids[i]))
				return true;
		return false;
	case NODE_NOT:
		saved = m->record;
		m->record = false;	/* what did not match is no evidence */
		v = !node_eval(m, d, n->kids[0]);
		m->record = saved;
		return v;
	case NODE_TRUE:
		return true;
	}
	return false;
}

/* ---- dispatch ---- */

static bool
target_ok(const struct sigma_target *t, const struct hunt_event *ev)
{
	if (t->format != HUNT_FORMAT_UNKNOWN && t->format != ev->format &&
	    !(t->format == HUNT_FORMAT_EVTX && ev->format == HUNT_FORMAT_JSONL))
		return false;
	if (t->channel != NULL && strcasecmp(t->channel, ev->channel) != 0)
		return false;
	if (t->program != NULL && strcasecmp(t->program, ev->provider) != 0)
		return false;
	if (t->neids > 0) {
		for (size_t i = 0; i < t->neids; i++)
			if (t->eids[i] == ev->event_id)
				return true;
		return false;
	}
	return true;
}

static bool
targets_ok(const struct sigma_target *t, size_t n, const struct hunt_event *ev)
{
	for (size_t i = 0; i < n; i++)
		if (target_ok(&t[i], ev))
			return true;
	return n == 0;
}

static inline uint64_t
load64(const char *s)
{
	uint64_t v;

	memcpy(&v, s, 8);
	return v;
}

static inline uint32_t
load32(const char *s)
{
	uint32_t v;

	memcpy(&v, s, 4);
	return v;
}

/* The words of a name of at most NAME_KEY_MAX bytes, read without going
 * past its end: overlapping loads that together cover every byte (with
 * the length, two names with the same words are the same bytes). */
static void
name_words(const char *s, size_t n, uint64_t w[3])
{
	w[0] = w[1] = w[2] = 0;
	if (n >= 16) {
		w[0] = load64(s);
		w[1] = load64(s + 8);
		w[2] = load64(s + n - 8);
	} else if (n >= 8) {
		w[0] = load64(s);
		w[1] = load64(s + n - 8);
	} else if (n >= 4) {
		w[0] = load32(s);
		w[1] = load32(s + n - 4);
	} else {
		for (size_t i = 0; i < n; i++)
			w[0] |= (uint64_t)(unsigned char)s[i] << (8 * i);
	}
}

/* The rule set's id of an event field's name (-1: no rule names it). */
static int
field_id(struct sigma_matcher *m, const char *name, size_t n)
{
	uint64_t w[3], h;
	struct name_key *k;

	if (n > NAME_KEY_MAX || n == 0)
		return sigma_fields_find(&m->rs->fields, name, n);
	name_words(name, n, w);
	h = (w[0] * 0x9E3779B97F4A7C15ULL) ^ (w[1] * 0xC2B2AE3D27D4EB4FULL) ^
	    (w[2] * 0x165667B19E3779F9ULL) ^ n;
	h ^= h >> 31;
	k = &m->names[(h * 0x9E3779B97F4A7C15ULL) >> (64 - NAME_CACHE_BITS)];
	if (k->len == n && k->w[0] == w[0] && k->w[1] == w[1] &&
	    k->w[2] == w[2])
		return k->id;
	k->id = sigma_fields_find(&m->rs->fields, name, n);
	k->len = (uint32_t)n;
	memcpy(k->w, w, sizeof(k->w));
	return k->id;
}

static bool
index_event(struct sigma_matcher *m, const struct hunt_event *ev)
{
	const struct sigma_ruleset *rs = m->rs;

	if (ev->nfields > m->next_cap) {
		int *p = realloc(m->next, ev->nfields * sizeof(*p));

		if (p == NULL)
			return false;
		m->next = p;
		m->next_cap = ev->nfields;
	}
	if (++m->gen == 0) {	/* wrapped: clear stale stamps */
		memset(m->stamp, 0, (rs->fields.n ? rs->fields.n : 1) *
		    sizeof(*m->stamp));
		memset(m->rule_stamp, 0, (rs->nrules ? rs->nrules : 1) *
		    sizeof(*m->rule_stamp));
		m->gen = 1;
	}
	/* Backwards, so that first[] ends at the first occurrence and next[]
	 * chains the later ones in event order. */
	for (size_t k = ev->nfields; k-- > 0;) {
		const struct hunt_field *f = &ev->fields[k];
		int id = field_id(m, f->name, f->name_len);

		m->next[k] = -1;
		if (id < 0)
			continue;
		if (m->stamp[id] == m->gen)
			m->next[k] = m->first[id];
		m->stamp[id] = m->gen;
		m->first[id] = (int)k;
	}
	for (size_t a = 0; a < rs->naliases; a++) {
		const struct sigma_alias *al = &rs->aliases[a];
		int from = m->alias_ids[2 * a], to = m->alias_ids[2 * a + 1];

		if (from < 0 || to < 0 || !target_ok(&al->when, ev) ||
		    first_of(m, from) >= 0 || first_of(m, to) < 0)
			continue;
		m->stamp[from] = m->gen;
		m->first[from] = m->first[to];
	}
	return true;
}

/* Appends the lowercased values of field 'id' to pfbuf, NUL after each. */
static bool
append_values(struct sigma_matcher *m, const struct hunt_event *ev, int id,
    size_t *lenp)
{
	size_t len = *lenp;

	for (int i = first_of(m, id); i >= 0; i = m->next[i]) {
		const struct hunt_field *f = &ev->fields[i];

		if (len + f->value_len + 1 > m->pfcap) {
			size_t cap = (len + f->value_len + 1) * 2;
			char *p = realloc(m->pfbuf, cap);

			if (p == NULL)
				return false;
			m->pfbuf = p;
			m->pfcap = cap;
		}
		memcpy(m->pfbuf + len, f->lower, f->value_len);
		len += f->value_len;
		m->pfbuf[len++] = '\0';
	}
	*lenp = len;
	return true;
}

/*
 * Runs the literal prefilter over the event, list by list (each list has
 * its own databases, see list_dbs in sigma_prefilter.c): the lowercased
 * values of the fields the list's rules name (joined by NULs, which no
 * literal holds) against its field literals, every value against its
 * keyword literals. False: evaluate every rule.
 */
static bool
prefilter_mark(struct sigma_matcher *m, const struct hunt_event *ev,
    const struct sigma_rulelist *const lists[3])
{
	const struct sigma_prefilter *pf = m->rs->prefilter;
	size_t start = ev->text_len;
	bool values_found = false;

	m->nmarked = 0;
	for (int l = 0; l < 3; l++) {
		const struct sigma_rulelist *list = lists[l];
		size_t len = 0;

		if (list == NULL)
			continue;
		if (list->pf_db >= 0) {
			for (size_t k = 0; k < list->npf_fields; k++)
				if (!append_values(m, ev, list->pf_fields[k], &len))
					return false;
			/* no value in these fields: nothing to scan; the
			 * list's literal-gated rules stay unmarked */
			if (len > 0 && !sigma_prefilter_mark(pf, m->hs,
			    list->pf_db, m->pfbuf, len, m->gen, m->rule_stamp,
			    m->rule_found, m->marked, &m->nmarked))
				return false;
		}
		if (list->pf_kwdb < 0)
			continue;
		/* hunt_event_finish() put the lowercased values one after
		 * another at the end of the arena; a value that could not be
		 * copied points at its original, earlier in the arena */
		if (!values_found) {
			for (size_t i = 0; i < ev->nfields; i++)
				if (ev->fields[i].lower_off < start)
					start = ev->fields[i].lower_off;
			values_found = true;
		}
		if (!sigma_prefilter_mark(pf, m->hs, list->pf_kwdb,
		    ev->text + start, ev->text_len - start, m->gen,
		    m->rule_stamp, m->rule_found, m->marked, &m->nmarked))
			return false;
	}
	return true;
}

static bool
rule_fires(struct sigma_matcher *m, const struct sigma_rule *r)
{
	if (!node_eval(m, &r->det, r->det.cond))
		return false;
	for (size_t i = 0; i < r->nfilters; i++) {
		bool saved = m->record;

		m->record = false;
		if (node_eval(m, r->filters[i], r->filters[i]->cond)) {
			m->record = saved;
			return false;
		}
		m->record = saved;
	}
	return true;
}

/* Chains are acyclic (sigma_rule.c drops cycles); this only bounds the
 * recursion whatever the rules. */
#define CORR_CHAIN_MAX 16

/* Feeds a correlation the current event as a hit of its cr->ref-th rule;
 * when that completes it, the correlations chained after it get the same
 * event as a hit of it. */
static void
feed_corr(struct sigma_matcher *m, const struct sigma_corr_ref *cr,
    sigma_hit_fn fn, void *ctx, unsigned depth)
{
	const struct sigma_corr *c = m->rs->corrs[cr->corr];

	if (sigma_corr_feed(c, sigma_corr_state_at(m->corr, cr->corr), m->ev,
	    m->first, m->stamp, m->gen, cr->ref, &m->corr_hit, &m->corr_ev, fn,
	    ctx) == 0 || c->window_end || depth >= CORR_CHAIN_MAX ||
	    m->rs->ncorr_corrs == NULL)
		return;
	for (size_t k = 0; k < m->rs->ncorr_corrs[cr->corr]; k++)
		feed_corr(m, &m->rs->corr_corrs[cr->corr][k], fn, ctx, depth + 1);
}

/* check_targets: false when the dispatch index already matched the
 * rule's channel and event ID. */
static size_t
try_rule(struct sigma_matcher *m, uint32_t idx, bool check_targets,
    sigma_hit_fn fn, void *ctx)
{
	const struct sigma_rule *r;

	if (m->pf_on && sigma_prefilter_has(m->rs->prefilter, idx) &&
	    (m->rule_stamp[idx] != m->gen || !sigma_prefilter_met(
	    m->rs->prefilter, idx, m->rule_found[idx])))
		return 0;	/* a clause of necessary literals is not met */
	r = m->rs->rules[idx];
	if (r->nneed_eids > 0 && m->eid_gate != EID_GATE_OFF &&
	    (m->eid_gate == EID_GATE_NONE || !sigma_eid_needed(r, m->eid)))
		return 0;	/* its detection needs another EventID */
	if (check_targets && !targets_ok(r->targets, r->ntargets, m->ev))
		return 0;
	m->record = false;
	if (!rule_fires(m, r))
		return 0;
	/* Second pass, only for a hit: which fields made it match. */
	m->hit.rule = &r->info;
	m->hit.nfields = 0;
	m->record = true;
	(void)node_eval(m, &r->det, r->det.cond);
	m->record = false;
	if (fn != NULL)
		fn(m->ev, &m->hit, ctx);
	/* the correlations this rule feeds (their hits follow the base hit) */
	for (size_t k = 0; m->rs->nrule_corrs != NULL &&
	    k < m->rs->nrule_corrs[idx]; k++)
		feed_corr(m, &m->rs->rule_corrs[idx][k], fn, ctx, 0);
	return 1;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static bool
in_list(const struct sigma_rulelist *l, uint32_t r)
{
	return l != NULL && (l->pf_bits[r / 64] >> (r % 64) & 1);
}

/*
 * After the prefilter, the rules to evaluate are the lists' rules without
 * a literal set and the marked rules that are on the lists: a few dozen,
 * where walking the lists visited every rule of the event's channel and
 * event ID (~1,000 for a Sysmon process creation; the walk was 14% of the
 * EVTX hunt). Same rules, same order (ascending), same in-bucket flag as
 * the walk. Returns how many entries of m->cand (rule * 2 + in_bucket).
 */
static size_t
candidates(struct sigma_matcher *m, const struct sigma_rulelist *const lists[3])
{
	size_t n = 0, out = 0;

	for (int l = 0; l < 3; l++)
		for (size_t k = 0; lists[l] != NULL && k < lists[l]->npf_always;
		    k++)
			m->cand[n++] = lists[l]->pf_always[k] * 2 + (l > 0);
	for (size_t i = 0; i < m->nmarked; i++) {
		uint32_t r = m->marked[i];
		bool bucket = in_list(lists[1], r) || in_list(lists[2], r);

		if (bucket || in_list(lists[0], r))
			m->cand[n++] = r * 2 + bucket;
	}
	if (n > 32) {
		qsort(m->cand, n, sizeof(*m->cand), u32_cmp);
	} else {
		for (size_t i = 1; i < n; i++) {	/* insertion: n is small */
			uint32_t v = m->cand[i];
			size_t j = i;

			for (; j > 0 && m->cand[j - 1] > v; j--)
				m->cand[j] = m->cand[j - 1];
			m->cand[j] = v;
		}
	}
	/* a rule on several lists: keep its last entry, in-bucket if any */
	for (size_t i = 0; i < n; i++)
		if (i + 1 == n || m->cand[i + 1] / 2 != m->cand[i] / 2)
			m->cand[out++] = m->cand[i];
	return out;
}

/*
 * What the rules' EventID sets (sigma_eid.c) can be checked against: the
 * values the matcher would compare, those of field "eventid" (aliases
 * applied by index_event). None: no rule with a set can match. One
 * canonical value: only rules whose set holds it can. Several, or one
 * that is not canonical: no gate (the rules are evaluated).
 */
static void
eid_gate_prepare(struct sigma_matcher *m, const struct hunt_event *ev)
{
	int i = first_of(m, m->rs->eid_field);

	m->eid_gate = EID_GATE_OFF;
	if (m->rs->eid_field < 0)
		return;
	if (i < 0)
		m->eid_gate = EID_GATE_NONE;
	else if (m->next[i] < 0 && sigma_eid_parse(ev->fields[i].value,
	    ev->fields[i].value_len, &m->eid))
		m->eid_gate = EID_GATE_ONE;
}

/* The bucket of an event's channel (ASCII case-insensitive), or -1. */
static int
bucket_of(struct sigma_matcher *m, const char *channel)
{
	const struct sigma_ruleset *rs = m->rs;
	size_t n = strlen(channel);
	struct chan_slot *c = &m->chans[(n + (n ? (unsigned char)channel[n - 1] :
	    0u)) % CHAN_SLOTS];
	int b = -1;

	if (n == c->len && memcmp(channel, c->name, n) == 0)
		return c->bucket;
	for (size_t k = 0; k < rs->nbuckets; k++)
		if (strcasecmp(rs->buckets[k].channel, channel) == 0) {
			b = (int)k;
			break;
		}
	if (n < sizeof(c->name)) {
		memcpy(c->name, channel, n);
		c->len = n;
		c->bucket = b;
	}
	return b;
}

static const struct sigma_rulelist *
eid_rules(const struct sigma_bucket *b, int64_t eid)
{
	size_t lo = 0, hi = b->neids;

	while (lo < hi) {	/* binary search: eids are sorted */
		size_t mid = (lo + hi) / 2;

		if (b->eids[mid].eid == eid)
			return &b->eids[mid].list;
		if (b->eids[mid].eid < eid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t
sigma_match(struct sigma_matcher *m, const struct hunt_event *ev,
    sigma_hit_fn fn, void *ctx)
{
	const struct sigma_ruleset *rs = m->rs;
	const struct sigma_rulelist *lists[3] = { &rs->any, NULL, NULL };
	size_t pos[3] = { 0, 0, 0 }, hits = 0;

	if (!rs->compiled || !index_event(m, ev))
		return 0;
	m->ev = ev;
	eid_gate_prepare(m, ev);
	if (ev->channel[0] != '\0') {
		int b = bucket_of(m, ev->channel);

		if (b >= 0) {
			lists[1] = &rs->buckets[b].any_eid;
			lists[2] = eid_rules(&rs->buckets[b], ev->event_id);
		}
	}
	m->pf_on = m->hs != NULL && prefilter_mark(m, ev, lists);
	if (m->pf_on) {
		size_t n = candidates(m, lists);

		for (size_t i = 0; i < n; i++)
			hits += try_rule(m, m->cand[i] / 2, !(m->cand[i] & 1), fn,
			    ctx);
		return hits;
	}
	/* Merge the three ascending lists, so hits come out in the order the
	 * rules were loaded; a rule on two lists is tried once. */
	for (;;) {
		uint32_t best = UINT32_MAX;
		bool in_bucket = false;

		for (int l = 0; l < 3; l++)
			if (lists[l] != NULL && pos[l] < lists[l]->n &&
			    lists[l]->rules[pos[l]] < best)
				best = lists[l]->rules[pos[l]];
		if (best == UINT32_MAX)
			break;
		for (int l = 0; l < 3; l++)
			if (lists[l] != NULL && pos[l] < lists[l]->n &&
			    lists[l]->rules[pos[l]] == best) {
				pos[l]++;
				in_bucket |= l > 0;
			}
		hits += try_rule(m, best, !in_bucket, fn, ctx);
	}
	return hits;
}

size_t
sigma_matcher_flush(struct sigma_matcher *m, sigma_hit_fn fn, void *ctx)
{
	size_t hits = 0;

	for (size_t i = 0; i < m->rs->ncorrs; i++)
		hits += sigma_corr_flush(m->rs->corrs[i],
		    sigma_corr_state_at(m->corr, i), &m->corr_hit, &m->corr_ev,
		    fn, ctx);
	return hits;
}
