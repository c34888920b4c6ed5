/*
 * sigma_corr.c - Sigma correlation rules: event_count, value_count,
 * temporal and temporal_ordered, over the hits of the rules they name.
 *
 * Memory stays bounded however long the input: per correlation rule at most
 * CORR_MAX_GROUPS groups (group-by values); per group at most the
 * threshold's number of timestamps (event_count), of distinct values
 * (value_count, capped at CORR_MAX_THRESHOLD) or one timestamp per named
 * rule (temporal). When the group table is full, groups whose window has
 * passed are dropped; if none has, the table is emptied and the drop counted.
 * A group that fires starts again from nothing, so one burst gives one hit.
 *
 * Not supported (the rule is reported as not usable, with the reason):
 * lt/lte/neq/ranges (they need the end of a window), value_sum/avg/
 * percentile, chained correlations, aliases. Events whose time cannot be
 * read take no part.
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
	free(c->group);
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
	char *t = sigma_yaml_str(type), *sp = sigma_yaml_str(span);
	bool ok = false;

	(void)root;
	if (t == NULL) {
		snprintf(why, wl, "correlation has no type");
		goto out;
	}
	if (strcmp(t, "event_count") == 0) c->type = CORR_EVENT_COUNT;
	else if (strcmp(t, "value_count") == 0) c->type = CORR_VALUE_COUNT;
	else if (strcmp(t, "temporal") == 0) c->type = CORR_TEMPORAL;
	else if (strcmp(t, "temporal_ordered") == 0) c->type = CORR_TEMPORAL_ORDERED;
	else {
		snprintf(why, wl, "correlation type '%s' is not supported", t);
		goto out;
	}
	if (sigma_yaml_get(doc, corr, "aliases") != NULL) {
		snprintf(why, wl, "correlation aliases are not supported");
		goto out;
	}
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
	{
		size_t ng = 0;
		char **names = sigma_yaml_strlist(doc, gb, &ng);

		c->group = calloc(ng ? ng : 1, sizeof(*c->group));
		for (size_t i = 0; i < ng; i++) {
			if (c->group != NULL)
				c->group[i] = sigma_fields_intern(&rs->fields,
				    names[i], strlen(names[i]));
			free(names[i]);
		}
		free(names);
		if (c->group == NULL)
			goto out;
		c->ngroup = ng;
	}
	c->value_field = -1;
	if (c->type == CORR_EVENT_COUNT || c->type == CORR_VALUE_COUNT) {
		char *gt = sigma_yaml_str(sigma_yaml_get(doc, cond, "gt"));
		char *gte = sigma_yaml_str(sigma_yaml_get(doc, cond, "gte"));
		char *eq = sigma_yaml_str(sigma_yaml_get(doc, cond, "eq"));
		char *field = sigma_yaml_str(sigma_yaml_get(doc, cond, "field"));
		int64_t v = 0;
		bool bad = false;

		if (sigma_yaml_get(doc, cond, "lt") || sigma_yaml_get(doc, cond, "lte") ||
		    sigma_yaml_get(doc, cond, "neq") || (gt != NULL) + (gte != NULL) +
		    (eq != NULL) != 1) {
			snprintf(why, wl, "correlation condition must be one of gt, "
			    "gte, eq (lt, lte, neq and ranges are not supported)");
			bad = true;
		} else if (parse_int64(gt ? gt : gte ? gte : eq, 0,
		    CORR_MAX_THRESHOLD, &v) != CSIRT_OK) {
			snprintf(why, wl, "correlation threshold must be 0..%d",
			    CORR_MAX_THRESHOLD);
			bad = true;
		}
		/* count > v is count >= v + 1 */
		c->threshold = gt ? v + 1 : v;
		if (c->threshold < 1)
			c->threshold = 1;
		if (!bad && c->type == CORR_VALUE_COUNT) {
			if (field == NULL) {
				snprintf(why, wl, "value_count needs condition.field");
				bad = true;
			} else {
				c->value_field = sigma_fields_intern(&rs->fields,
				    field, strlen(field));
			}
		}
		free(gt);
		free(gte);
		free(eq);
		free(field);
		if (bad)
			goto out;
	}
	ok = true;
out:
	free(t);
	free(sp);
	return ok;
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

bool
sigma_corr_feed(const struct sigma_corr *c, struct corr_state *st,
    const struct hunt_event *ev, const struct sigma_fields *ft,
    const int *first, const uint32_t *fstamp, uint32_t gen, size_t ref,
    struct sigma_hit *out)
{
	char key[CORR_KEY_MAX];
	size_t kl = 0;
	int64_t t;
	struct corr_group *g;
	bool fire;
	const char *value = NULL;

	(void)ft;
	if (ev->time[0] == '\0' || time_parse_iso(ev->time, &t) != CSIRT_OK)
		return false;
	out->nfields = 0;
	for (size_t i = 0; i < c->ngroup; i++) {
		int id = c->group[i];
		int fi = id >= 0 && fstamp[id] == gen ? first[id] : -1;
		const char *v = fi >= 0 ? ev->fields[fi].value : "";
		int w = snprintf(key + kl, sizeof(key) - kl, "%s\x1f", v);

		if (w < 0 || (size_t)w >= sizeof(key) - kl)
			return false;
		kl += (size_t)w;
		if (fi >= 0 && out->nfields < SIGMA_MAX_MATCHED) {
			out->fields[out->nfields].name = ev->fields[fi].name;
			out->fields[out->nfields].value = v;
			out->nfields++;
		}
	}
	key[kl] = '\0';
	if (c->type == CORR_VALUE_COUNT) {
		int id = c->value_field;
		int fi = id >= 0 && fstamp[id] == gen ? first[id] : -1;

		if (fi < 0)
			return false;
		value = ev->fields[fi].value;
		if (out->nfields < SIGMA_MAX_MATCHED) {
			out->fields[out->nfields].name = ev->fields[fi].name;
			out->fields[out->nfields].value = value;
			out->nfields++;
		}
	}
	g = group_get(st, key);
	if (g == NULL)
		return false;
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
	if (fire)
		out->rule = &c->info;
	return fire;
}
