/*
 * sigma_corr.c - Sigma correlation rules (v2.1): event_count, value_count,
 * value_sum, value_avg, temporal and temporal_ordered, over the hits of the
 * rules they name, with group-by, timespan and field-name aliases.
 *
 * Two ways to decide, chosen by the condition:
 *  - "as soon as": a count that only has to reach a value (gt, gte, or eq
 *    alone, and temporal) fires on the hit that completes it, over a
 *    sliding window, and the group starts again from nothing;
 *  - "at the end of a window": a condition with an upper bound (lt, lte,
 *    neq, a range) and the sums and averages can only be decided when the
 *    window is over. A group's window opens at its first hit and lasts
 *    'timespan'; a later hit of the group past it closes the window, and
 *    sigma_corr_flush() closes every open window at the end of the input.
 *    Such a hit is reported with a small event of its own: the group-by
 *    values and the aggregate, with the time, host and source of the
 *    window's last hit.
 *
 * Memory stays bounded however long the input: per correlation rule at most
 * CORR_MAX_GROUPS groups; per group at most the threshold's number of
 * timestamps (event_count), of distinct values (value_count, capped at
 * CORR_MAX_THRESHOLD) or one timestamp per named rule (temporal); sums and
 * averages keep two numbers. When the group table is full it is emptied
 * and the drop counted. Events whose time cannot be read take no part.
 *
 * Chained correlations: a correlation may name another one among its
 * rules; each hit of that one is then an event of the named rule for it
 * (sigma_match.c feeds it the event that completed the count). Only a
 * correlation that fires "as soon as" can be named: one decided at the end
 * of a window reports a made-up event, not a log event, and is refused
 * with that reason, as are cycles.
 *
 * Not supported (the rule is reported as not usable, with the reason):
 * value_percentile.
 */
#include "sigma_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORR_MAX_GROUPS 65536
#define CORR_MAX_THRESHOLD 10000
#define CORR_KEY_MAX 1024

struct corr_group {
	char *key;
	int64_t *t;		/* event_count: ring of times; temporal: per rule */
	uint64_t *vh;		/* value_count: distinct value hashes */
	size_t n, head;
	/* window-end mode: the open window and its aggregate */
	int64_t t0;		/* window start */
	uint64_t count;
	double sum;
	size_t ndistinct;
	char last_time[40];
	char *last_host, *last_source;
	uint64_t last_record;
};

struct corr_state {
	struct corr_group **slots;	/* open addressing by key hash */
	size_t nslots, ngroups;
	uint64_t dropped;
};

static void
group_free(struct corr_group *g)
{
	if (g == NULL)
		return;
	free(g->key);
	free(g->t);
	free(g->vh);
	free(g->last_host);
	free(g->last_source);
	free(g);
}

void
sigma_corr_free(struct sigma_corr *c)
{
	if (c == NULL)
		return;
	free((char *)c->info.id);
	free((char *)c->info.title);
	free((char *)c->info.path);
	for (size_t i = 0; i < c->info.ntags; i++)
		free(c->tags[i]);
	free(c->tags);
	for (size_t i = 0; i < c->nrefs; i++)
		free(c->refs[i]);
	free(c->refs);
	free(c->ref_rules);
	free(c->ref_is_corr);
	free(c->group);
	for (size_t i = 0; i < c->ngroup && c->group_names; i++)
		free(c->group_names[i]);
	free(c->group_names);
	free(c->group_ids);
	for (size_t i = 0; i < c->naliases; i++) {
		free(c->aliases[i].alias);
		free(c->aliases[i].rule);
		free(c->aliases[i].field);
	}
	free(c->aliases);
	free(c->value_name);
	free(c->name);
	free(c);
}

static int64_t
parse_span(const char *s)
{
	int64_t v;
	char num[32];
	size_t l = strlen(s);
	int64_t mult;

	if (l < 2 || l >= sizeof(num))
		return -1;
	switch (s[l - 1]) {
	case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	case 'w': mult = 7 * 86400; break;
	default: return -1;
	}
	memcpy(num, s, l - 1);
	num[l - 1] = '\0';
	if (parse_int64(num, 1, 366 * 86400, &v) != CSIRT_OK)
		return -1;
	return v * mult;
}

static bool
parse_number(const char *s, double *out)
{
	char *end;

	if (s == NULL || s[0] == '\0')
		return false;
	*out = strtod(s, &end);
	return *end == '\0' && *out == *out && *out > -1e300 && *out < 1e300;
}

/*
 * condition: a map of bounds (gt, gte, lt, lte, eq, neq), all of which
 * must hold, plus 'field' for the value types. Picks the mode: "as soon as"
 * for a count with a lower bound only (or eq alone), else window end.
 */
static bool
parse_condition(struct sigma_ruleset *rs, yaml_document_t *doc,
    yaml_node_t *cond, struct sigma_corr *c, char *why, size_t wl)
{
	struct sigma_corr_cond *k = &c->cond;
	bool counts = c->type == CORR_EVENT_COUNT || c->type == CORR_VALUE_COUNT;
	size_t nbounds = 0;

	if (cond == NULL || cond->type != YAML_MAPPING_NODE) {
		snprintf(why, wl, "correlation needs a condition map");
		return false;
	}
	for (yaml_node_pair_t *p = cond->data.mapping.pairs.start;
	    p < cond->data.mapping.pairs.top; p++) {
		char *key = sigma_yaml_str(yaml_document_get_node(doc, p->key));
		char *val = sigma_yaml_str(yaml_document_get_node(doc, p->value));
		double v = 0;
		bool ok = key != NULL;

		if (ok && strcmp(key, "field") == 0) {
			ok = val != NULL && c->value_name == NULL;
			if (ok) {
				c->value_name = val;
				val = NULL;
			}
		} else if (ok && !parse_number(val, &v)) {
			snprintf(why, wl, "correlation condition %s needs a number",
			    key);
			ok = false;
		} else if (ok && counts && (v < 0 || v > CORR_MAX_THRESHOLD ||
		    v != (double)(int64_t)v)) {
			snprintf(why, wl, "correlation count must be a whole number "
			    "0..%d", CORR_MAX_THRESHOLD);
			ok = false;
		} else if (ok) {
			nbounds++;
			if (strcmp(key, "gt") == 0 || strcmp(key, "gte") == 0) {
				ok = !k->has_lo;
				k->has_lo = true;
				k->lo = v;
				k->lo_incl = key[2] == 'e';
			} else if (strcmp(key, "lt") == 0 || strcmp(key, "lte") == 0) {
				ok = !k->has_hi;
				k->has_hi = true;
				k->hi = v;
				k->hi_incl = key[2] == 'e';
			} else if (strcmp(key, "eq") == 0) {
				ok = !k->has_eq;
				k->has_eq = true;
				k->eq = v;
			} else if (strcmp(key, "neq") == 0) {
				ok = !k->has_neq;
				k->has_neq = true;
				k->neq = v;
			} else {
				ok = false;
			}
			if (!ok)
				snprintf(why, wl, "correlation condition '%s' is not "
				    "one of gt, gte, lt, lte, eq, neq (each once)",
				    key);
		}
		free(key);
		free(val);
		if (!ok) {
			if (why[0] == '\0')
				snprintf(why, wl, "correlation condition is malformed");
			return false;
		}
	}
	if (nbounds == 0) {
		snprintf(why, wl, "correlation condition has no bound");
		return false;
	}
	if (c->type != CORR_EVENT_COUNT && c->value_name == NULL) {
		snprintf(why, wl, "this correlation type needs condition.field");
		return false;
	}
	if (c->value_name != NULL)
		c->value_field = sigma_fields_intern(&rs->fields, c->value_name,
		    strlen(c->value_name));
	c->window_end = !counts || k->has_hi || k->has_neq ||
	    (k->has_eq && k->has_lo);
	if (!c->window_end) {
		/* count > v is count >= v + 1; eq fires when the count
		 * reaches the value */
		int64_t v = (int64_t)(k->has_lo ? k->lo : k->eq);

		c->threshold = k->has_lo && !k->lo_incl ? v + 1 : v;
		if (c->threshold < 1)
			c->threshold = 1;
	}
	return true;
}

static bool
cond_holds(const struct sigma_corr_cond *k, double x)
{
	if (k->has_lo && (k->lo_incl ? x < k->lo : x <= k->lo))
		return false;
	if (k->has_hi && (k->hi_incl ? x > k->hi : x >= k->hi))
		return false;
	if (k->has_eq && x != k->eq)
		return false;
	if (k->has_neq && x == k->neq)
		return false;
	return true;
}

/* aliases: {alias: {rule name: field, ...}, ...} */
static bool
parse_aliases(yaml_document_t *doc, yaml_node_t *al, struct sigma_corr *c,
    char *why, size_t wl)
{
	if (al->type != YAML_MAPPING_NODE) {
		snprintf(why, wl, "correlation aliases must be a map");
		return false;
	}
	for (yaml_node_pair_t *p = al->data.mapping.pairs.start;
	    p < al->data.mapping.pairs.top; p++) {
		yaml_node_t *m = yaml_document_get_node(doc, p->value);

		if (m == NULL || m->type != YAML_MAPPING_NODE) {
			snprintf(why, wl, "correlation alias must map rule names "
			    "to fields");
			return false;
		}
		for (yaml_node_pair_t *q = m->data.mapping.pairs.start;
		    q < m->data.mapping.pairs.top; q++) {
			struct sigma_corr_alias *a;

			if (c->naliases >= 256)
				return false;
			a = realloc(c->aliases, (c->naliases + 1) * sizeof(*a));
			if (a == NULL)
				return false;
			c->aliases = a;
			a = &c->aliases[c->naliases++];
			a->alias = sigma_yaml_str(yaml_document_get_node(doc, p->key));
			a->rule = sigma_yaml_str(yaml_document_get_node(doc, q->key));
			a->field = sigma_yaml_str(yaml_document_get_node(doc,
			    q->value));
			if (a->alias == NULL || a->rule == NULL || a->field == NULL) {
				snprintf(why, wl, "correlation alias entries must "
				    "be strings");
				return false;
			}
		}
	}
	return true;
}

bool
sigma_corr_parse(struct sigma_ruleset *rs, yaml_document_t *doc,
    yaml_node_t *root, yaml_node_t *corr, struct sigma_corr *c, char *why,
    size_t wl)
{
	yaml_node_t *type = sigma_yaml_get(doc, corr, "type");
	yaml_node_t *rules = sigma_yaml_get(doc, corr, "rules");
	yaml_node_t *gb = sigma_yaml_get(doc, corr, "group-by");
	yaml_node_t *span = sigma_yaml_get(doc, corr, "timespan");
	yaml_node_t *cond = sigma_yaml_get(doc, corr, "condition");
	yaml_node_t *al = sigma_yaml_get(doc, corr, "aliases");
	char *t = sigma_yaml_str(type), *sp = sigma_yaml_str(span);
	bool ok = false;

	(void)root;
	c->value_field = -1;
	if (t == NULL) {
		snprintf(why, wl, "correlation has no type");
		goto out;
	}
	if (strcmp(t, "event_count") == 0) c->type = CORR_EVENT_COUNT;
	else if (strcmp(t, "value_count") == 0) c->type = CORR_VALUE_COUNT;
	else if (strcmp(t, "value_sum") == 0) c->type = CORR_VALUE_SUM;
	else if (strcmp(t, "value_avg") == 0) c->type = CORR_VALUE_AVG;
	else if (strcmp(t, "temporal") == 0) c->type = CORR_TEMPORAL;
	else if (strcmp(t, "temporal_ordered") == 0) c->type = CORR_TEMPORAL_ORDERED;
	else {
		snprintf(why, wl, "correlation type '%s' is not supported", t);
		goto out;
	}
	if (al != NULL && !parse_aliases(doc, al, c, why, wl))
		goto out;
	c->refs = sigma_yaml_strlist(doc, rules, &c->nrefs);
	if (c->nrefs == 0 || c->nrefs > 64) {
		snprintf(why, wl, "correlation needs 1 to 64 rules");
		goto out;
	}
	c->timespan = sp ? parse_span(sp) : -1;
	if (c->timespan <= 0) {
		snprintf(why, wl, "correlation timespan missing or not N[smhdw]");
		goto out;
	}
	c->group_names = sigma_yaml_strlist(doc, gb, &c->ngroup);
	if (c->ngroup > SIGMA_MAX_MATCHED - 1) {
		snprintf(why, wl, "correlation group-by has more than %d fields",
		    SIGMA_MAX_MATCHED - 1);
		goto out;
	}
	c->group = calloc(c->ngroup ? c->ngroup : 1, sizeof(*c->group));
	if (c->group == NULL)
		goto out;
	for (size_t i = 0; i < c->ngroup; i++)
		c->group[i] = sigma_fields_intern(&rs->fields, c->group_names[i],
		    strlen(c->group_names[i]));
	if ((c->type != CORR_TEMPORAL && c->type != CORR_TEMPORAL_ORDERED) ||
	    cond != NULL) {
		if (!parse_condition(rs, doc, cond, c, why, wl))
			goto out;
	}
	ok = true;
out:
	free(t);
	free(sp);
	return ok;
}

/* The alias entry for (group-by name, rule), by the rule's name or id
 * (a rule's or, chained, a correlation's). */
static const struct sigma_corr_alias *
alias_for(const struct sigma_corr *c, const char *gname, const char *name,
    const char *id, const char *ref)
{
	for (size_t i = 0; i < c->naliases; i++) {
		const struct sigma_corr_alias *a = &c->aliases[i];

		if (strcmp(a->alias, gname) == 0 && (strcmp(a->rule, ref) == 0 ||
		    (name && strcmp(a->rule, name) == 0) ||
		    strcmp(a->rule, id) == 0))
			return a;
	}
	return NULL;
}

bool
sigma_corr_resolve(const struct sigma_ruleset *rs, struct sigma_corr *c,
    char *why, size_t wl)
{
	struct sigma_fields *ft = (struct sigma_fields *)&rs->fields;

	c->group_ids = calloc(c->nrefs * (c->ngroup ? c->ngroup : 1),
	    sizeof(*c->group_ids));
	if (c->group_ids == NULL)
		return false;
	for (size_t k = 0; k < c->nrefs; k++)
		for (size_t i = 0; i < c->ngroup; i++) {
			const char *g = c->group_names[i];
			bool is_alias = false;
			const struct sigma_corr_alias *a;

			for (size_t j = 0; j < c->naliases; j++)
				is_alias |= strcmp(c->aliases[j].alias, g) == 0;
			if (is_alias && c->ref_is_corr && c->ref_is_corr[k]) {
				const struct sigma_corr *u = rs->corrs[c->ref_rules[k]];

				a = alias_for(c, g, u->name, u->info.id, c->refs[k]);
			} else if (is_alias) {
				const struct sigma_rule *r = rs->rules[c->ref_rules[k]];

				a = alias_for(c, g, r->name, r->info.id, c->refs[k]);
			} else {
				a = NULL;
			}
			if (is_alias && a == NULL) {
				snprintf(why, wl, "correlation alias '%s' gives no "
				    "field for rule '%s'", g, c->refs[k]);
				return false;
			}
			c->group_ids[k * c->ngroup + i] = a ? sigma_fields_intern(
			    ft, a->field, strlen(a->field)) : c->group[i];
		}
	return true;
}

/* ---- state ---- */

struct corr_state *
sigma_corr_states_new(size_t n)
{
	return calloc(n ? n : 1, sizeof(struct corr_state));
}

void
sigma_corr_states_free(struct corr_state *st, size_t n)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < st[i].nslots; k++)
			group_free(st[i].slots[k]);
		free(st[i].slots);
	}
	free(st);
}

struct corr_state *
sigma_corr_state_at(struct corr_state *st, size_t i)
{
	return &st[i];
}

static uint64_t
key_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h ^= h >> 33;
	return h;
}

static void
table_clear(struct corr_state *st)
{
	for (size_t k = 0; k < st->nslots; k++) {
		group_free(st->slots[k]);
		st->slots[k] = NULL;
	}
	st->dropped += st->ngroups;
	st->ngroups = 0;
}

static struct corr_group *
group_get(struct corr_state *st, const char *key)
{
	size_t j;

	if (st->nslots == 0) {
		st->slots = calloc(2 * CORR_MAX_GROUPS, sizeof(*st->slots));
		if (st->slots == NULL)
			return NULL;
		st->nslots = 2 * CORR_MAX_GROUPS;
	}
	for (j = key_hash(key) & (st->nslots - 1); st->slots[j] != NULL;
	    j = (j + 1) & (st->nslots - 1))
		if (strcmp(st->slots[j]->key, key) == 0)
			return st->slots[j];
	if (st->ngroups >= CORR_MAX_GROUPS) {
		/* Bounded: drop everything (open addressing cannot delete
		 * one entry cheaply); counted in 'dropped'. */
		table_clear(st);
		for (j = key_hash(key) & (st->nslots - 1); st->slots[j] != NULL;
		    j = (j + 1) & (st->nslots - 1))
			;
	}
	st->slots[j] = calloc(1, sizeof(struct corr_group));
	if (st->slots[j] == NULL)
		return NULL;
	st->slots[j]->key = strdup(key);
	if (st->slots[j]->key == NULL) {
		free(st->slots[j]);
		st->slots[j] = NULL;
		return NULL;
	}
	st->ngroups++;
	return st->slots[j];
}

static void
group_reset(struct corr_group *g)
{
	g->n = 0;
	g->head = 0;
}

/* event_count: keep the last 'threshold' times; fire when they fit in the
 * window. */
static bool
feed_count(const struct sigma_corr *c, struct corr_group *g, int64_t t)
{
	int64_t lo = t, hi = t;

	if (g->t == NULL) {
		g->t = calloc((size_t)c->threshold, sizeof(*g->t));
		if (g->t == NULL)
			return false;
	}
	g->t[g->head] = t;
	g->head = (g->head + 1) % (size_t)c->threshold;
	if (g->n < (size_t)c->threshold)
		g->n++;
	if (g->n < (size_t)c->threshold)
		return false;
	for (size_t i = 0; i < g->n; i++) {
		if (g->t[i] < lo) lo = g->t[i];
		if (g->t[i] > hi) hi = g->t[i];
	}
	return hi - lo <= c->timespan;
}

/* value_count: distinct values with their last time; old ones expire. */
static bool
feed_values(const struct sigma_corr *c, struct corr_group *g, int64_t t,
    const char *v)
{
	uint64_t h = key_hash(v);
	size_t w = 0;

	if (g->t == NULL) {
		g->t = calloc((size_t)c->threshold, sizeof(*g->t));
		g->vh = calloc((size_t)c->threshold, sizeof(*g->vh));
		if (g->t == NULL || g->vh == NULL)
			return false;
	}
	for (size_t i = 0; i < g->n; i++)	/* expire, compacting */
		if (t - g->t[i] <= c->timespan && g->t[i] - t <= c->timespan) {
			g->t[w] = g->t[i];
			g->vh[w] = g->vh[i];
			w++;
		}
	g->n = w;
	for (size_t i = 0; i < g->n; i++)
		if (g->vh[i] == h) {
			g->t[i] = t;
			return false;
		}
	if (g->n < (size_t)c->threshold) {
		g->vh[g->n] = h;
		g->t[g->n] = t;
		g->n++;
	}
	return g->n >= (size_t)c->threshold;
}

/* temporal(_ordered): last time each named rule fired in this group. */
static bool
feed_temporal(const struct sigma_corr *c, struct corr_group *g, int64_t t,
    size_t ref)
{
	int64_t lo = t, hi = t;

	if (g->t == NULL) {
		g->t = malloc(c->nrefs * sizeof(*g->t));
		if (g->t == NULL)
			return false;
		for (size_t i = 0; i < c->nrefs; i++)
			g->t[i] = INT64_MIN;
	}
	g->t[ref] = t;
	for (size_t i = 0; i < c->nrefs; i++) {
		if (g->t[i] == INT64_MIN)
			return false;
		if (g->t[i] < lo) lo = g->t[i];
		if (g->t[i] > hi) hi = g->t[i];
		if (c->type == CORR_TEMPORAL_ORDERED && i > 0 &&
		    g->t[i] < g->t[i - 1])
			return false;
	}
	return hi - lo <= c->timespan;
}

static void
temporal_reset(const struct sigma_corr *c, struct corr_group *g)
{
	for (size_t i = 0; g->t != NULL && i < c->nrefs; i++)
		g->t[i] = INT64_MIN;
}

/* ---- window-end mode ---- */

static bool
set_copy(char **slot, const char *v)
{
	char *p;

	if (*slot != NULL && strcmp(*slot, v) == 0)
		return true;
	p = strdup(v);
	if (p == NULL)
		return false;
	free(*slot);
	*slot = p;
	return true;
}

static double
window_value(const struct sigma_corr *c, const struct corr_group *g)
{
	switch (c->type) {
	case CORR_VALUE_COUNT: return (double)g->ndistinct;
	case CORR_VALUE_SUM: return g->sum;
	case CORR_VALUE_AVG: return g->count ? g->sum / (double)g->count : 0;
	default: return (double)g->count;
	}
}

static const char *
aggregate_name(const struct sigma_corr *c)
{
	switch (c->type) {
	case CORR_VALUE_COUNT: return "value_count";
	case CORR_VALUE_SUM: return "value_sum";
	case CORR_VALUE_AVG: return "value_avg";
	default: return "event_count";
	}
}

/* Evaluates and empties the group's window; reports a hit when the
 * condition holds, with an event of the group-by values and the aggregate. */
static size_t
close_window(const struct sigma_corr *c, struct corr_group *g,
    struct sigma_hit *out, struct hunt_event *scratch, sigma_hit_fn fn,
    void *ctx)
{
	double x = window_value(c, g);
	const char *k = g->key;
	char num[40];
	bool had = g->count > 0;

	g->count = 0;
	g->sum = 0;
	g->ndistinct = 0;
	if (!had || !cond_holds(&c->cond, x))
		return 0;
	hunt_event_reset(scratch);
	for (size_t i = 0; i < c->ngroup; i++) {
		const char *e = strchr(k, '\x1f');
		size_t l = e ? (size_t)(e - k) : strlen(k);

		(void)hunt_event_add(scratch, c->group_names[i],
		    strlen(c->group_names[i]), k, l);
		k = e ? e + 1 : k + l;
	}
	snprintf(num, sizeof(num), "%.15g", x);
	(void)hunt_event_add(scratch, aggregate_name(c),
	    strlen(aggregate_name(c)), num, strlen(num));
	hunt_event_finish(scratch);
	scratch->time = g->last_time;
	scratch->host = g->last_host ? g->last_host : "";
	scratch->source = g->last_source ? g->last_source : "";
	scratch->record = g->last_record;
	scratch->format = HUNT_FORMAT_UNKNOWN;
	out->rule = &c->info;
	out->nfields = 0;
	for (size_t i = 0; i < scratch->nfields && i < SIGMA_MAX_MATCHED; i++) {
		out->fields[i].name = scratch->fields[i].name;
		out->fields[i].value = scratch->fields[i].value;
		out->nfields++;
	}
	if (fn != NULL)
		fn(scratch, out, ctx);
	return 1;
}

/* value_count in a window: distinct value hashes, capped one past the
 * largest bound (more cannot change the outcome). */
static bool
window_add_distinct(const struct sigma_corr *c, struct corr_group *g,
    const char *v)
{
	uint64_t h = key_hash(v);
	size_t cap = (size_t)(c->cond.has_hi ? c->cond.hi : c->cond.has_lo ?
	    c->cond.lo : c->cond.has_eq ? c->cond.eq : c->cond.neq) + 2;

	if (cap > CORR_MAX_THRESHOLD + 2)
		cap = CORR_MAX_THRESHOLD + 2;
	if (g->vh == NULL) {
		g->vh = calloc(cap, sizeof(*g->vh));
		if (g->vh == NULL)
			return false;
	}
	for (size_t i = 0; i < g->ndistinct; i++)
		if (g->vh[i] == h)
			return true;
	if (g->ndistinct < cap)
		g->vh[g->ndistinct++] = h;
	return true;
}

static size_t
feed_window(const struct sigma_corr *c, struct corr_group *g, int64_t t,
    const struct hunt_event *ev, const char *value, struct sigma_hit *out,
    struct hunt_event *scratch, sigma_hit_fn fn, void *ctx)
{
	size_t hits = 0;
	double num = 0;
	char *end;

	if (c->type == CORR_VALUE_SUM || c->type == CORR_VALUE_AVG) {
		num = strtod(value, &end);
		if (end == value || num != num)
			return 0;	/* not a number: no part in a sum */
	}
	if (g->count > 0 && (t - g->t0 > c->timespan))
		hits = close_window(c, g, out, scratch, fn, ctx);
	if (g->count == 0)
		g->t0 = t;
	g->count++;
	g->sum += num;
	if (c->type == CORR_VALUE_COUNT && !window_add_distinct(c, g, value))
		return hits;
	snprintf(g->last_time, sizeof(g->last_time), "%s", ev->time);
	g->last_record = ev->record;
	(void)set_copy(&g->last_host, ev->host);
	(void)set_copy(&g->last_source, ev->source ? ev->source : "");
	return hits;
}

static int
group_order(const void *a, const void *b)
{
	const struct corr_group *x = *(struct corr_group *const *)a;
	const struct corr_group *y = *(struct corr_group *const *)b;

	if (x->t0 != y->t0)
		return x->t0 < y->t0 ? -1 : 1;
	return strcmp(x->key, y->key);
}

size_t
sigma_corr_flush(const struct sigma_corr *c, struct corr_state *st,
    struct sigma_hit *out, struct hunt_event *scratch, sigma_hit_fn fn,
    void *ctx)
{
	struct corr_group **open;
	size_t n = 0, hits = 0;

	if (!c->window_end || st->ngroups == 0)
		return 0;
	open = malloc(st->ngroups * sizeof(*open));
	if (open == NULL)
		return 0;
	for (size_t k = 0; k < st->nslots; k++)
		if (st->slots[k] != NULL && st->slots[k]->count > 0 &&
		    n < st->ngroups)
			open[n++] = st->slots[k];
	/* windows in the order they opened, so output stays deterministic */
	qsort(open, n, sizeof(*open), group_order);
	for (size_t i = 0; i < n; i++)
		hits += close_window(c, open[i], out, scratch, fn, ctx);
	free(open);
	return hits;
}

size_t
sigma_corr_feed(const struct sigma_corr *c, struct corr_state *st,
    const struct hunt_event *ev, const int *first, const uint32_t *fstamp,
    uint32_t gen, size_t ref, struct sigma_hit *out,
    struct hunt_event *scratch, sigma_hit_fn fn, void *ctx)
{
	char key[CORR_KEY_MAX];
	size_t kl = 0;
	int64_t t;
	struct corr_group *g;
	bool fire;
	const char *value = NULL;
	const int *gids = c->group_ids ? c->group_ids + ref * c->ngroup :
	    c->group;

	if (ev->time[0] == '\0' || time_parse_iso(ev->time, &t) != CSIRT_OK)
		return 0;
	out->nfields = 0;
	for (size_t i = 0; i < c->ngroup; i++) {
		int id = gids[i];
		int fi = id >= 0 && fstamp[id] == gen ? first[id] : -1;
		const char *v = fi >= 0 ? ev->fields[fi].value : "";
		int w = snprintf(key + kl, sizeof(key) - kl, "%s\x1f", v);

		if (w < 0 || (size_t)w >= sizeof(key) - kl)
			return 0;
		kl += (size_t)w;
		if (fi >= 0 && out->nfields < SIGMA_MAX_MATCHED) {
			out->fields[out->nfields].name = ev->fields[fi].name;
			out->fields[out->nfields].value = v;
			out->nfields++;
		}
	}
	if (kl > 0)
		kl--;		/* no separator after the last value */
	key[kl] = '\0';
	if (c->value_field >= 0) {
		int id = c->value_field;
		int fi = fstamp[id] == gen ? first[id] : -1;

		if (fi < 0)
			return 0;
		value = ev->fields[fi].value;
		if (out->nfields < SIGMA_MAX_MATCHED) {
			out->fields[out->nfields].name = ev->fields[fi].name;
			out->fields[out->nfields].value = value;
			out->nfields++;
		}
	}
	g = group_get(st, key);
	if (g == NULL)
		return 0;
	if (c->window_end)
		return feed_window(c, g, t, ev, value, out, scratch, fn, ctx);
	switch (c->type) {
	case CORR_EVENT_COUNT:
		fire = feed_count(c, g, t);
		if (fire)
			group_reset(g);
		break;
	case CORR_VALUE_COUNT:
		fire = feed_values(c, g, t, value);
		if (fire)
			group_reset(g);
		break;
	default:
		fire = feed_temporal(c, g, t, ref);
		if (fire)
			temporal_reset(c, g);
		break;
	}
	if (!fire)
		return 0;
	out->rule = &c->info;
	if (fn != NULL)
		fn(ev, out, ctx);
	return 1;
}
