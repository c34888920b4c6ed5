/*
 * sigma_rule.c - loading Sigma YAML into compiled rules, and the rule set.
 *
 * libyaml's document loader gives us the tree (with anchors resolved); we
 * walk it once per document: detection identifiers become selections
 * (sigma_value.c), the condition becomes a node tree (sigma_cond.c), and
 * the logsource is resolved through the mapping (data/hunt/sigma-windows.yml)
 * into concrete targets: a channel and event IDs, or a log format. A rule
 * whose logsource has no mapping cannot run and is rejected with that
 * reason: a rule that never fires but looks loaded is the failure users of
 * other tools complain about.
 */
#include "sigma_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csirt/embedded.h"


/* ---- interned field names ---- */

/*
 * A hash that is the same for names equal but for ASCII case: each byte is
 * or-ed with 0x20 (which lowercases letters and leaves names that differ
 * in other bytes still different, or colliding harmlessly: the probe
 * compares the names), eight bytes at a time. Every field of every event
 * is looked up (index_event in sigma_match.c): a byte loop was the larger
 * part of that.
 */
static uint32_t
name_hash(const char *s, size_t n)
{
	const uint64_t fold = 0x2020202020202020ULL, k = 0x9E3779B97F4A7C15ULL;
	uint64_t h = n * k, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ (w | fold)) * k;
		h ^= h >> 29;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, s + i, n - i);
		h = (h ^ (w | fold)) * k;
		h ^= h >> 29;
	}
	return (uint32_t)(h >> 32) | 1u;	/* never 0: 0 marks an empty slot */
}

/* A slot holds the name's hash above its id + 1; 0 is empty. */
#define SLOT(h, id) ((uint64_t)(h) << 32 | (uint32_t)((id) + 1))
#define SLOT_ID(v) ((int)(uint32_t)(v) - 1)
#define SLOT_HASH(v) ((uint32_t)((v) >> 32))

int
sigma_fields_find(const struct sigma_fields *ft, const char *name, size_t len)
{
	uint32_t h;
	size_t i;

	if (ft->nslots == 0)
		return -1;
	h = name_hash(name, len);
	i = h & (ft->nslots - 1);
	/* the hash and the length rule out nearly every other name before
	 * a string compare; a miss ends at the first empty slot */
	for (size_t probes = 0; probes < ft->nslots; probes++) {
		uint64_t v = ft->slots[i];
		int id = SLOT_ID(v);

		if (v == 0)
			return -1;
		/* events mostly spell a name as the rules do: memcmp
		 * first, the caseless compare only when that fails */
		if (SLOT_HASH(v) == h && ft->lens[id] == len &&
		    (memcmp(ft->names[id], name, len) == 0 ||
		    strncasecmp(ft->names[id], name, len) == 0))
			return id;
		i = (i + 1) & (ft->nslots - 1);
	}
	return -1;
}

static bool
fields_grow(struct sigma_fields *ft)
{
	size_t ns = ft->nslots ? ft->nslots * 2 : 256;
	uint64_t *slots = calloc(ns, sizeof(*slots));

	if (slots == NULL)
		return false;
	for (size_t id = 0; id < ft->n; id++) {
		uint32_t h = name_hash(ft->names[id], ft->lens[id]);
		size_t i = h & (ns - 1);

		while (slots[i] != 0)
			i = (i + 1) & (ns - 1);
		slots[i] = SLOT(h, id);
	}
	free(ft->slots);
	ft->slots = slots;
	ft->nslots = ns;
	return true;
}

int
sigma_fields_intern(struct sigma_fields *ft, const char *name, size_t len)
{
	int id = sigma_fields_find(ft, name, len);
	uint32_t h;
	size_t i;

	if (id >= 0)
		return id;
	if ((ft->n + 1) * 2 > ft->nslots && !fields_grow(ft))
		return -1;
	if (ft->n == ft->cap) {
		size_t cap = ft->cap ? ft->cap * 2 : 128;
		char **names = realloc(ft->names, cap * sizeof(*names));
		size_t *lens;

		if (names == NULL)
			return -1;
		ft->names = names;
		lens = realloc(ft->lens, cap * sizeof(*lens));
		if (lens == NULL)
			return -1;
		ft->lens = lens;
		ft->cap = cap;
	}
	ft->names[ft->n] = sigma_strndup(name, len);
	if (ft->names[ft->n] == NULL)
		return -1;
	/* a name with a NUL inside is held (and found) up to it */
	ft->lens[ft->n] = strlen(ft->names[ft->n]);
	h = name_hash(ft->names[ft->n], ft->lens[ft->n]);
	i = h & (ft->nslots - 1);
	while (ft->slots[i] != 0)
		i = (i + 1) & (ft->nslots - 1);
	ft->slots[i] = SLOT(h, ft->n);
	return (int)ft->n++;
}

void
sigma_fields_release(struct sigma_fields *ft)
{
	for (size_t i = 0; i < ft->n; i++)
		free(ft->names[i]);
	free(ft->names);
	free(ft->lens);
	free(ft->slots);
	memset(ft, 0, sizeof(*ft));
}

/* ---- small YAML helpers ---- */

static yaml_node_t *
map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    k->data.scalar.length == strlen(key) &&
		    memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static char *
scalar_dup(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return sigma_strndup((const char *)n->data.scalar.value,
	    n->data.scalar.length);
}

static char *
map_str(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	return scalar_dup(map_get(doc, map, key));
}

static void
lower_ascii(char *s)
{
	for (; s && *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

/* ---- rejects ---- */

enum csirt_rc
sigma_reject(struct sigma_ruleset *rs, const char *path, const char *id,
    const char *title, const char *reason)
{
	struct sigma_reject *r;

	if (rs->nrejects == rs->caprejects) {
		size_t cap = rs->caprejects ? rs->caprejects * 2 : 32;

		r = realloc(rs->rejects, cap * sizeof(*r));
		if (r == NULL)
			return CSIRT_ENOMEM;
		rs->rejects = r;
		rs->caprejects = cap;
	}
	r = &rs->rejects[rs->nrejects];
	r->path = sigma_strndup(path, strlen(path));
	r->id = sigma_strndup(id ? id : "", id ? strlen(id) : 0);
	r->title = sigma_strndup(title ? title : "", title ? strlen(title) : 0);
	r->reason = sigma_strndup(reason, strlen(reason));
	if (!r->path || !r->id || !r->title || !r->reason) {
		free((char *)r->path); free((char *)r->id);
		free((char *)r->title); free((char *)r->reason);
		return CSIRT_ENOMEM;
	}
	rs->nrejects++;
	return CSIRT_OK;
}

/* ---- targets and mapping ---- */

static void
targets_free(struct sigma_target *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(t[i].channel);
		free(t[i].eids);
		free(t[i].program);
	}
	free(t);
}

static bool
parse_target(yaml_document_t *doc, yaml_node_t *m, struct sigma_target *t)
{
	yaml_node_t *eids = map_get(doc, m, "eventid");
	char *fmt = map_str(doc, m, "format");

	memset(t, 0, sizeof(*t));
	t->channel = map_str(doc, m, "channel");
	lower_ascii(t->channel);
	t->program = map_str(doc, m, "program");
	lower_ascii(t->program);
	if (fmt != NULL) {
		t->format = strcmp(fmt, "syslog") == 0 ? HUNT_FORMAT_SYSLOG :
		    strcmp(fmt, "evtx") == 0 ? HUNT_FORMAT_EVTX :
		    strcmp(fmt, "jsonl") == 0 ? HUNT_FORMAT_JSONL :
		    HUNT_FORMAT_UNKNOWN;
		free(fmt);
	}
	if (eids != NULL && eids->type == YAML_SEQUENCE_NODE) {
		size_t n = (size_t)(eids->data.sequence.items.top -
		    eids->data.sequence.items.start);

		t->eids = calloc(n ? n : 1, sizeof(*t->eids));
		if (t->eids == NULL)
			return false;
		for (size_t i = 0; i < n; i++) {
			yaml_node_t *e = yaml_document_get_node(doc,
			    eids->data.sequence.items.start[i]);
			char *s = scalar_dup(e);
			int64_t v;

			if (s == NULL || parse_int64(s, 0, INT32_MAX, &v) !=
			    CSIRT_OK) {
				free(s);
				return false;
			}
			free(s);
			t->eids[t->neids++] = (int32_t)v;
		}
	}
	return true;
}

static bool
parse_targets(yaml_document_t *doc, yaml_node_t *seq, struct sigma_target **out,
    size_t *nout)
{
	size_t n;

	*out = NULL;
	*nout = 0;
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
		return false;
	n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	*out = calloc(n ? n : 1, sizeof(**out));
	if (*out == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!parse_target(doc, yaml_document_get_node(doc,
		    seq->data.sequence.items.start[i]), &(*out)[i])) {
			targets_free(*out, i + 1);
			*out = NULL;
			return false;
		}
		*nout = i + 1;
	}
	return true;
}

static enum csirt_rc
load_mapping(struct sigma_ruleset *rs, const char *yaml, size_t len,
    struct csirt_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *ls, *al;
	enum csirt_rc rc = CSIRT_EPARSE;
	size_t n;

	if (!yaml_parser_initialize(&parser))
		return CSIRT_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_parser_delete(&parser);
		return csirt_err_set(err, CSIRT_EPARSE, "mapping",
		    "the logsource mapping is not valid YAML");
	}
	root = yaml_document_get_root_node(&doc);
	ls = map_get(&doc, root, "logsources");
	if (ls == NULL || ls->type != YAML_SEQUENCE_NODE) {
		csirt_err_set(err, CSIRT_EPARSE, "mapping",
		    "the mapping has no 'logsources' list");
		goto out;
	}
	n = (size_t)(ls->data.sequence.items.top - ls->data.sequence.items.start);
	rs->lsmaps = calloc(n ? n : 1, sizeof(*rs->lsmaps));
	if (rs->lsmaps == NULL) {
		rc = CSIRT_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *e = yaml_document_get_node(&doc,
		    ls->data.sequence.items.start[i]);
		struct sigma_lsmap *m = &rs->lsmaps[i];

		rs->nlsmaps = i + 1;
		m->product = map_str(&doc, e, "product");
		m->category = map_str(&doc, e, "category");
		m->service = map_str(&doc, e, "service");
		if (!parse_targets(&doc, map_get(&doc, e, "targets"),
		    &m->targets, &m->ntargets)) {
			csirt_err_set(err, CSIRT_EPARSE, "mapping",
			    "logsource entry %zu has bad targets", i + 1);
			goto out;
		}
	}
	al = map_get(&doc, root, "aliases");
	n = al && al->type == YAML_SEQUENCE_NODE ?
	    (size_t)(al->data.sequence.items.top - al->data.sequence.items.start) :
	    0;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *e = yaml_document_get_node(&doc,
		    al->data.sequence.items.start[i]);
		yaml_node_t *f = map_get(&doc, e, "fields");
		struct sigma_target when;

		if (f == NULL || f->type != YAML_MAPPING_NODE ||
		    !parse_target(&doc, map_get(&doc, e, "when"), &when)) {
			csirt_err_set(err, CSIRT_EPARSE, "mapping",
			    "alias entry %zu is malformed", i + 1);
			goto out;
		}
		for (yaml_node_pair_t *p = f->data.mapping.pairs.start;
		    p < f->data.mapping.pairs.top; p++) {
			struct sigma_alias *a = realloc(rs->aliases,
			    (rs->naliases + 1) * sizeof(*a));

			if (a == NULL) {
				rc = CSIRT_ENOMEM;
				goto out;
			}
			rs->aliases = a;
			a = &rs->aliases[rs->naliases++];
			a->when = when;
			a->when.channel = when.channel ? sigma_strndup(when.channel,
			    strlen(when.channel)) : NULL;
			a->when.eids = NULL;
			a->when.neids = 0;
			if (when.neids) {
				a->when.eids = malloc(when.neids * sizeof(int32_t));
				if (a->when.eids) {
					memcpy(a->when.eids, when.eids,
					    when.neids * sizeof(int32_t));
					a->when.neids = when.neids;
				}
			}
			a->when.program = NULL;
			a->from = scalar_dup(yaml_document_get_node(&doc, p->key));
			a->to = scalar_dup(yaml_document_get_node(&doc, p->value));
			if (a->from == NULL || a->to == NULL) {
				rc = CSIRT_ENOMEM;
				goto out;
			}
			(void)sigma_fields_intern(&rs->fields, a->from,
			    strlen(a->from));
			(void)sigma_fields_intern(&rs->fields, a->to,
			    strlen(a->to));
		}
		free(when.channel);
		free(when.eids);
		free(when.program);
	}
	rc = CSIRT_OK;
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

static bool
str_eq_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcasecmp(a, b) == 0;
}

/* Finds the mapping entry for a rule's logsource and copies its targets. */
static bool
resolve_logsource(const struct sigma_ruleset *rs, const char *product,
    const char *category, const char *service, struct sigma_target **out,
    size_t *nout)
{
	for (size_t i = 0; i < rs->nlsmaps; i++) {
		const struct sigma_lsmap *m = &rs->lsmaps[i];

		if (!str_eq_opt(m->product, product) ||
		    !str_eq_opt(m->category, category) ||
		    !str_eq_opt(m->service, service))
			continue;
		*out = calloc(m->ntargets ? m->ntargets : 1, sizeof(**out));
		if (*out == NULL)
			return false;
		for (size_t t = 0; t < m->ntargets; t++) {
			const struct sigma_target *src = &m->targets[t];
			struct sigma_target *dst = &(*out)[t];

			*dst = *src;
			dst->channel = src->channel ? sigma_strndup(src->channel,
			    strlen(src->channel)) : NULL;
			dst->program = src->program ? sigma_strndup(src->program,
			    strlen(src->program)) : NULL;
			dst->eids = NULL;
			if (src->neids) {
				dst->eids = malloc(src->neids * sizeof(int32_t));
				if (dst->eids == NULL)
					return false;
				memcpy(dst->eids, src->eids,
				    src->neids * sizeof(int32_t));
			}
		}
		*nout = m->ntargets;
		return true;
	}
	return false;
}

/* ---- detection ---- */

void
sigma_detection_release(struct sigma_detection *d)
{
	for (size_t i = 0; i < d->nsels; i++) {
		struct sigma_sel *s = &d->sels[i];

		for (size_t a = 0; a < s->nalts; a++) {
			for (size_t f = 0; f < s->alts[a].nfms; f++)
				sigma_fieldmatch_release(&s->alts[a].fms[f]);
			free(s->alts[a].fms);
		}
		free(s->alts);
		free(s->name);
	}
	free(d->sels);
	sigma_node_free(d->cond);
	memset(d, 0, sizeof(*d));
}

static bool
compile_map(struct sigma_ruleset *rs, yaml_document_t *doc, yaml_node_t *map,
    struct sigma_conj *c, char *why)
{
	size_t n = (size_t)(map->data.mapping.pairs.top -
	    map->data.mapping.pairs.start);

	c->fms = calloc(n ? n : 1, sizeof(*c->fms));
	if (c->fms == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		char *key = scalar_dup(k);
		bool ok;

		if (key == NULL || v == NULL) {
			free(key);
			snprintf(why, WHY_LEN, "a selection key is not a string");
			return false;
		}
		if (key[0] == '|') {
			/* '|all': keyword list that must all appear */
			ok = strcmp(key, "|all") == 0 &&
			    sigma_keywords_compile(doc, v, true, &c->fms[i], why,
			    WHY_LEN);
			if (!ok && why[0] == '\0')
				snprintf(why, WHY_LEN, "unsupported key '%s'", key);
		} else {
			ok = sigma_value_compile(rs, key, doc, v, &c->fms[i], why,
			    WHY_LEN);
		}
		free(key);
		c->nfms = i + 1;
		if (!ok)
			return false;
	}
	return true;
}

static bool
compile_sel(struct sigma_ruleset *rs, yaml_document_t *doc, yaml_node_t *v,
    struct sigma_sel *s, char *why)
{
	if (v->type == YAML_MAPPING_NODE) {
		s->alts = calloc(1, sizeof(*s->alts));
		if (s->alts == NULL)
			return false;
		s->nalts = 1;
		return compile_map(rs, doc, v, &s->alts[0], why);
	}
	if (v->type == YAML_SEQUENCE_NODE) {
		size_t n = (size_t)(v->data.sequence.items.top -
		    v->data.sequence.items.start);
		size_t nmaps = 0;

		for (size_t i = 0; i < n; i++) {
			yaml_node_t *it = yaml_document_get_node(doc,
			    v->data.sequence.items.start[i]);

			if (it && it->type == YAML_MAPPING_NODE)
				nmaps++;
		}
		if (nmaps == 0) {	/* a keyword list */
			s->alts = calloc(1, sizeof(*s->alts));
			if (s->alts == NULL)
				return false;
			s->nalts = 1;
			s->alts[0].fms = calloc(1, sizeof(struct sigma_fieldmatch));
			if (s->alts[0].fms == NULL)
				return false;
			s->alts[0].nfms = 1;
			return sigma_keywords_compile(doc, v, false,
			    &s->alts[0].fms[0], why, WHY_LEN);
		}
		if (nmaps != n) {
			snprintf(why, WHY_LEN,
			    "selection '%s' mixes maps and plain values", s->name);
			return false;
		}
		s->alts = calloc(n, sizeof(*s->alts));
		if (s->alts == NULL)
			return false;
		for (size_t i = 0; i < n; i++) {
			s->nalts = i + 1;
			if (!compile_map(rs, doc, yaml_document_get_node(doc,
			    v->data.sequence.items.start[i]), &s->alts[i], why))
				return false;
		}
		return true;
	}
	/* a single keyword */
	s->alts = calloc(1, sizeof(*s->alts));
	if (s->alts == NULL)
		return false;
	s->nalts = 1;
	s->alts[0].fms = calloc(1, sizeof(struct sigma_fieldmatch));
	if (s->alts[0].fms == NULL)
		return false;
	s->alts[0].nfms = 1;
	return sigma_keywords_compile(doc, v, false, &s->alts[0].fms[0], why,
	    WHY_LEN);
}

static bool
compile_detection(struct sigma_ruleset *rs, yaml_document_t *doc,
    yaml_node_t *det, const char *skip_key, struct sigma_detection *d,
    char *why)
{
	yaml_node_t *cond = map_get(doc, det, "condition");
	size_t n;

	if (det == NULL || det->type != YAML_MAPPING_NODE) {
		snprintf(why, WHY_LEN, "detection is missing or not a map");
		return false;
	}
	if (cond == NULL) {
		snprintf(why, WHY_LEN, "detection has no condition");
		return false;
	}
	n = (size_t)(det->data.mapping.pairs.top - det->data.mapping.pairs.start);
	d->sels = calloc(n ? n : 1, sizeof(*d->sels));
	if (d->sels == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &det->data.mapping.pairs.start[i];
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		char *name = scalar_dup(k);
		struct sigma_sel *s;

		if (name == NULL || v == NULL) {
			free(name);
			snprintf(why, WHY_LEN, "a detection key is not a string");
			return false;
		}
		if (strcmp(name, "condition") == 0 ||
		    strcmp(name, "timeframe") == 0 ||
		    (skip_key && strcmp(name, skip_key) == 0)) {
			free(name);
			continue;
		}
		s = &d->sels[d->nsels++];
		s->name = name;
		if (!compile_sel(rs, doc, v, s, why)) {
			if (why[0] == '\0')
				snprintf(why, WHY_LEN, "out of memory");
			return false;
		}
	}
	if (cond->type == YAML_SCALAR_NODE) {
		d->cond = sigma_cond_parse((const char *)cond->data.scalar.value,
		    cond->data.scalar.length, d->sels, d->nsels, why, WHY_LEN);
		return d->cond != NULL;
	}
	if (cond->type == YAML_SEQUENCE_NODE) {	/* list of conditions: OR */
		d->cond = calloc(1, sizeof(*d->cond));
		if (d->cond == NULL)
			return false;
		d->cond->kind = NODE_OR;
		for (yaml_node_item_t *it = cond->data.sequence.items.start;
		    it < cond->data.sequence.items.top; it++) {
			yaml_node_t *c = yaml_document_get_node(doc, *it);
			struct sigma_node *k, **kids;

			if (c == NULL || c->type != YAML_SCALAR_NODE) {
				snprintf(why, WHY_LEN, "condition list item is not a string");
				return false;
			}
			k = sigma_cond_parse((const char *)c->data.scalar.value,
			    c->data.scalar.length, d->sels, d->nsels, why, WHY_LEN);
			if (k == NULL)
				return false;
			kids = realloc(d->cond->kids, (d->cond->nkids + 1) *
			    sizeof(*kids));
			if (kids == NULL) {
				sigma_node_free(k);
				return false;
			}
			d->cond->kids = kids;
			kids[d->cond->nkids++] = k;
		}
		return d->cond->nkids > 0;
	}
	snprintf(why, WHY_LEN, "condition is not a string or a list");
	return false;
}

/* ---- rules ---- */

static enum sigma_level
parse_level(const char *s)
{
	if (s == NULL) return SIGMA_LEVEL_MEDIUM;
	if (strcasecmp(s, "critical") == 0) return SIGMA_LEVEL_CRITICAL;
	if (strcasecmp(s, "high") == 0) return SIGMA_LEVEL_HIGH;
	if (strcasecmp(s, "low") == 0) return SIGMA_LEVEL_LOW;
	if (strcasecmp(s, "informational") == 0) return SIGMA_LEVEL_INFORMATIONAL;
	return SIGMA_LEVEL_MEDIUM;
}

const char *
sigma_level_name(enum sigma_level level)
{
	static const char *const names[] = { "informational", "low", "medium",
		"high", "critical" };

	return (unsigned)level < ARRAY_SIZE(names) ? names[level] : "medium";
}

static void
rule_free(struct sigma_rule *r)
{
	if (r == NULL)
		return;
	free((char *)r->info.id);
	free((char *)r->info.title);
	free((char *)r->info.path);
	for (size_t i = 0; i < r->info.ntags; i++)
		free(r->tags[i]);
	free(r->tags);
	free(r->name);
	sigma_detection_release(&r->det);
	targets_free(r->targets, r->ntargets);
	free(r->filters);
	free(r->need_eids);
	free(r);
}

static void
filter_free(struct sigma_filter *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->nrefs; i++)
		free(f->rule_refs[i]);
	free(f->rule_refs);
	sigma_detection_release(&f->det);
	targets_free(f->targets, f->ntargets);
	free(f);
}

yaml_node_t *
sigma_yaml_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	return map_get(doc, map, key);
}

char *
sigma_yaml_str(yaml_node_t *n)
{
	return scalar_dup(n);
}

static char **str_list(yaml_document_t *doc, yaml_node_t *seq, size_t *n);

char **
sigma_yaml_strlist(yaml_document_t *doc, yaml_node_t *seq, size_t *n)
{
	return str_list(doc, seq, n);
}

static char **
str_list(yaml_document_t *doc, yaml_node_t *seq, size_t *n)
{
	char **out;
	size_t cnt;

	*n = 0;
	if (seq == NULL)
		return NULL;
	if (seq->type == YAML_SCALAR_NODE) {
		out = calloc(1, sizeof(*out));
		if (out && (out[0] = scalar_dup(seq)) != NULL)
			*n = 1;
		return out;
	}
	if (seq->type != YAML_SEQUENCE_NODE)
		return NULL;
	cnt = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	out = calloc(cnt ? cnt : 1, sizeof(*out));
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < cnt; i++) {
		char *s = scalar_dup(yaml_document_get_node(doc,
		    seq->data.sequence.items.start[i]));

		if (s != NULL)
			out[(*n)++] = s;
	}
	return out;
}

/* Appends p to a growable array of pointers (doubling). */
static bool
ptrs_push(void ***a, size_t *n, size_t *cap, void *p)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		void **na = realloc(*a, c * sizeof(*na));

		if (na == NULL)
			return false;
		*a = na;
		*cap = c;
	}
	(*a)[(*n)++] = p;
	return true;
}

enum csirt_rc
sigma_add_document(struct sigma_ruleset *rs, yaml_document_t *doc, const char *path)
{
	yaml_node_t *root = yaml_document_get_root_node(doc), *ls;
	char why[WHY_LEN] = "";
	char *id, *title, *product, *category, *service;
	enum csirt_rc rc = CSIRT_OK;
	struct sigma_rule *r = NULL;
	struct sigma_filter *f = NULL;
	bool ok = false;

	if (root == NULL)
		return CSIRT_OK;	/* empty document (trailing ---) */
	id = map_str(doc, root, "id");
	title = map_str(doc, root, "title");
	ls = map_get(doc, root, "logsource");
	product = map_str(doc, ls, "product");
	category = map_str(doc, ls, "category");
	service = map_str(doc, ls, "service");
	if (root->type != YAML_MAPPING_NODE) {
		snprintf(why, sizeof(why), "the document is not a map");
		goto out;
	}
	if (map_get(doc, root, "correlation") != NULL) {
		struct sigma_corr *c = calloc(1, sizeof(*c));
		char *lvl;

		if (c == NULL)
			goto nomem;
		if (title == NULL || !sigma_corr_parse(rs, doc, root,
		    map_get(doc, root, "correlation"), c, why, sizeof(why))) {
			if (title == NULL)
				snprintf(why, sizeof(why), "rule has no title");
			sigma_corr_free(c);
			goto out;
		}
		lvl = map_str(doc, root, "level");
		c->info.level = parse_level(lvl);
		free(lvl);
		c->tags = str_list(doc, map_get(doc, root, "tags"), &c->info.ntags);
		c->info.tags = (const char *const *)c->tags;
		c->name = map_str(doc, root, "name");
		c->info.id = id ? id : sigma_strndup("", 0);
		c->info.title = title;
		c->info.path = sigma_strndup(path, strlen(path));
		id = title = NULL;
		if (c->info.id == NULL || c->info.path == NULL ||
		    !ptrs_push((void ***)&rs->corrs, &rs->ncorrs, &rs->capcorrs, c)) {
			sigma_corr_free(c);
			goto nomem;
		}
		ok = true;
		goto out;
	}
	if (map_get(doc, root, "filter") != NULL) {
		yaml_node_t *fnode = map_get(doc, root, "filter");

		f = calloc(1, sizeof(*f));
		if (f == NULL)
			goto nomem;
		f->rule_refs = str_list(doc, map_get(doc, fnode, "rules"),
		    &f->nrefs);
		if (f->nrefs == 0) {
			snprintf(why, sizeof(why), "filter names no rules");
			goto out;
		}
		if (!compile_detection(rs, doc, fnode, "rules", &f->det, why))
			goto out;
		if (ls != NULL && !resolve_logsource(rs, product, category,
		    service, &f->targets, &f->ntargets)) {
			snprintf(why, sizeof(why), "no mapping for the logsource");
			goto out;
		}
		if (!ptrs_push((void ***)&rs->filters, &rs->nfilters,
		    &rs->capfilters, f))
			goto nomem;
		f = NULL;
		ok = true;
		goto out;
	}
	if (title == NULL) {
		snprintf(why, sizeof(why), "rule has no title");
		goto out;
	}
	if (ls == NULL || ls->type != YAML_MAPPING_NODE) {
		snprintf(why, sizeof(why), "rule has no logsource");
		goto out;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		goto nomem;
	if (!compile_detection(rs, doc, map_get(doc, root, "detection"), NULL,
	    &r->det, why))
		goto out;
	if (!resolve_logsource(rs, product, category, service, &r->targets,
	    &r->ntargets)) {
		snprintf(why, sizeof(why),
		    "no mapping for logsource product=%s category=%s service=%s",
		    product ? product : "-", category ? category : "-",
		    service ? service : "-");
		goto out;
	}
	{
		char *lvl = map_str(doc, root, "level");

		r->info.level = parse_level(lvl);
		free(lvl);
	}
	r->tags = str_list(doc, map_get(doc, root, "tags"), &r->info.ntags);
	r->info.tags = (const char *const *)r->tags;
	r->name = map_str(doc, root, "name");
	r->info.id = id ? id : sigma_strndup("", 0);
	r->info.title = title;
	r->info.path = sigma_strndup(path, strlen(path));
	id = title = NULL;
	if (r->info.id == NULL || r->info.path == NULL)
		goto nomem;
	if (!ptrs_push((void ***)&rs->rules, &rs->nrules, &rs->caprules, r))
		goto nomem;
	r = NULL;
	ok = true;
	goto out;
nomem:
	rc = CSIRT_ENOMEM;
out:
	if (!ok && rc == CSIRT_OK)
		rc = sigma_reject(rs, path, id, title, why[0] ? why : "out of memory");
	rule_free(r);
	filter_free(f);
	free(id);
	free(title);
	free(product);
	free(category);
	free(service);
	return rc;
}

struct sigma_ruleset *
sigma_ruleset_new(const char *mapping, size_t mapping_len,
    struct csirt_err *err)
{
	struct sigma_ruleset *rs = calloc(1, sizeof(*rs));

	if (rs == NULL)
		return NULL;
	rs->eid_field = -1;
	if (mapping == NULL) {
		const struct embedded_file *f =
		    embedded_find("data/hunt/sigma-windows.yml");

		if (f == NULL) {
			csirt_err_set(err, CSIRT_EINTERNAL, "mapping",
			    "the built-in logsource mapping is missing");
			free(rs);
			return NULL;
		}
		mapping = (const char *)f->data;
		mapping_len = f->size;
	}
	if (load_mapping(rs, mapping, mapping_len, err) != CSIRT_OK) {
		sigma_ruleset_free(rs);
		return NULL;
	}
	{
		const struct embedded_file *ph =
		    embedded_find("data/hunt/sigma-placeholders.yml");

		if (ph != NULL && sigma_ruleset_set_placeholders(rs,
		    (const char *)ph->data, ph->size,
		    "data/hunt/sigma-placeholders.yml", err) != CSIRT_OK) {
			sigma_ruleset_free(rs);
			return NULL;
		}
	}
	return rs;
}

static void
rulelist_free(struct sigma_rulelist *l)
{
	free(l->rules);
	free(l->pf_fields);
	free(l->pf_always);
	free(l->pf_bits);
	memset(l, 0, sizeof(*l));
}

void
sigma_ruleset_free(struct sigma_ruleset *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->nrules; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	for (size_t i = 0; i < rs->nfilters; i++)
		filter_free(rs->filters[i]);
	free(rs->filters);
	for (size_t i = 0; i < rs->nrejects; i++) {
		free((char *)rs->rejects[i].path);
		free((char *)rs->rejects[i].id);
		free((char *)rs->rejects[i].title);
		free((char *)rs->rejects[i].reason);
	}
	free(rs->rejects);
	for (size_t i = 0; i < rs->nlsmaps; i++) {
		free(rs->lsmaps[i].product);
		free(rs->lsmaps[i].category);
		free(rs->lsmaps[i].service);
		targets_free(rs->lsmaps[i].targets, rs->lsmaps[i].ntargets);
	}
	free(rs->lsmaps);
	for (size_t i = 0; i < rs->naliases; i++) {
		free(rs->aliases[i].when.channel);
		free(rs->aliases[i].when.eids);
		free(rs->aliases[i].from);
		free(rs->aliases[i].to);
	}
	free(rs->aliases);
	for (size_t i = 0; i < rs->nbuckets; i++) {
		free(rs->buckets[i].channel);
		rulelist_free(&rs->buckets[i].any_eid);
		for (size_t k = 0; k < rs->buckets[i].neids; k++)
			rulelist_free(&rs->buckets[i].eids[k].list);
		free(rs->buckets[i].eids);
	}
	free(rs->buckets);
	rulelist_free(&rs->any);
	sigma_placeholders_release(rs);
	sigma_fields_release(&rs->fields);
	sigma_prefilter_free(rs->prefilter);
	free(rs->cache_dir);
	for (size_t i = 0; i < rs->ncorrs; i++)
		sigma_corr_free(rs->corrs[i]);
	free(rs->corrs);
	for (size_t i = 0; i < rs->nrules && rs->rule_corrs; i++)
		free(rs->rule_corrs[i]);
	free(rs->rule_corrs);
	free(rs->nrule_corrs);
	/* only the kept correlations (the first ncorrs) have lists */
	for (size_t i = 0; i < rs->ncorrs && rs->corr_corrs; i++)
		free(rs->corr_corrs[i]);
	free(rs->corr_corrs);
	free(rs->ncorr_corrs);
	free(rs);
}

size_t
sigma_ruleset_count(const struct sigma_ruleset *rs)
{
	return rs->nrules;
}

const struct sigma_rule_info *
sigma_ruleset_rule(const struct sigma_ruleset *rs, size_t i)
{
	return i < rs->nrules ? &rs->rules[i]->info : NULL;
}

size_t
sigma_ruleset_correlation_count(const struct sigma_ruleset *rs)
{
	return rs->ncorrs;
}

size_t
sigma_ruleset_reject_count(const struct sigma_ruleset *rs)
{
	return rs->nrejects;
}

const struct sigma_reject *
sigma_ruleset_reject(const struct sigma_ruleset *rs, size_t i)
{
	return i < rs->nrejects ? &rs->rejects[i] : NULL;
}

/* ---- compile: filters and the dispatch index ---- */

static bool
list_push(struct sigma_rulelist *l, uint32_t v)
{
	if (l->n > 0 && l->rules[l->n - 1] == v)
		return true;	/* same rule, second target on this list */
	if (l->n == l->cap) {
		size_t c = l->cap ? l->cap * 2 : 16;
		uint32_t *p = realloc(l->rules, c * sizeof(*p));

		if (p == NULL)
			return false;
		l->rules = p;
		l->cap = c;
	}
	l->rules[l->n++] = v;
	return true;
}

static struct sigma_bucket *
bucket_get(struct sigma_ruleset *rs, const char *ch)
{
	struct sigma_bucket *b;

	for (size_t k = 0; k < rs->nbuckets; k++)
		if (strcmp(rs->buckets[k].channel, ch) == 0)
			return &rs->buckets[k];
	b = realloc(rs->buckets, (rs->nbuckets + 1) * sizeof(*b));
	if (b == NULL)
		return NULL;
	rs->buckets = b;
	b = &rs->buckets[rs->nbuckets];
	memset(b, 0, sizeof(*b));
	b->channel = sigma_strndup(ch, strlen(ch));
	if (b->channel == NULL)
		return NULL;
	rs->nbuckets++;
	return b;
}

static struct sigma_rulelist *
eid_list(struct sigma_bucket *b, int32_t eid)
{
	struct sigma_eidlist *e;

	for (size_t k = 0; k < b->neids; k++)
		if (b->eids[k].eid == eid)
			return &b->eids[k].list;
	e = realloc(b->eids, (b->neids + 1) * sizeof(*e));
	if (e == NULL)
		return NULL;
	b->eids = e;
	e = &b->eids[b->neids++];
	memset(e, 0, sizeof(*e));
	e->eid = eid;
	return &e->list;
}

static int
eid_cmp(const void *a, const void *b)
{
	const struct sigma_eidlist *x = a, *y = b;

	return (x->eid > y->eid) - (x->eid < y->eid);
}

static bool
attach_filter(struct sigma_rule *r, struct sigma_filter *f)
{
	struct sigma_detection **a = realloc(r->filters,
	    (r->nfilters + 1) * sizeof(*a));

	if (a == NULL)
		return false;
	r->filters = a;
	r->filters[r->nfilters++] = &f->det;
	return true;
}

/* The rule, or else the correlation (other than 'self'), that a
 * correlation's ref names, by id or name. */
static bool
corr_ref_find(const struct sigma_ruleset *rs, size_t self, const char *ref,
    uint32_t *idx, bool *is_corr)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i]->info.id, ref) == 0 ||
		    (rs->rules[i]->name && strcmp(rs->rules[i]->name, ref) == 0)) {
			*idx = (uint32_t)i;
			*is_corr = false;
			return true;
		}
	for (size_t i = 0; i < rs->ncorrs; i++)
		if (i != self && (strcmp(rs->corrs[i]->info.id, ref) == 0 ||
		    (rs->corrs[i]->name && strcmp(rs->corrs[i]->name, ref) == 0))) {
			*idx = (uint32_t)i;
			*is_corr = true;
			return true;
		}
	return false;
}

static enum csirt_rc
corr_link(struct sigma_corr_ref **lists, size_t *counts, uint32_t from,
    uint32_t corr, uint32_t ref)
{
	struct sigma_corr_ref *l = realloc(lists[from], (counts[from] + 1) *
	    sizeof(*l));

	if (l == NULL)
		return CSIRT_ENOMEM;
	lists[from] = l;
	l[counts[from]].corr = corr;
	l[counts[from]].ref = ref;
	counts[from]++;
	return CSIRT_OK;
}

enum { CORR_OPEN, CORR_KEPT, CORR_DROPPED };

/*
 * Links each correlation to the rules, or (chained) the correlations, it
 * names. One is dropped, with its reason, when it names nothing loaded,
 * when an alias leaves a rule without a field, when it names a dropped
 * correlation or one decided at the end of a window, or when its chain
 * comes back to it. The kept ones keep their order.
 */
static enum csirt_rc
resolve_corrs(struct sigma_ruleset *rs)
{
	size_t n = rs->ncorrs, kept = 0;
	unsigned char *state = NULL;
	char (*why)[WHY_LEN] = NULL;
	uint32_t *newidx = NULL;
	enum csirt_rc rc = CSIRT_ENOMEM;
	bool changed = true;

	if (n == 0)
		return CSIRT_OK;
	rs->rule_corrs = calloc(rs->nrules ? rs->nrules : 1, sizeof(*rs->rule_corrs));
	rs->nrule_corrs = calloc(rs->nrules ? rs->nrules : 1, sizeof(*rs->nrule_corrs));
	rs->corr_corrs = calloc(n, sizeof(*rs->corr_corrs));
	rs->ncorr_corrs = calloc(n, sizeof(*rs->ncorr_corrs));
	state = calloc(n, 1);
	why = calloc(n, sizeof(*why));
	newidx = calloc(n, sizeof(*newidx));
	if (rs->rule_corrs == NULL || rs->nrule_corrs == NULL || rs->corr_corrs == NULL ||
	    rs->ncorr_corrs == NULL || state == NULL || why == NULL || newidx == NULL)
		goto out;
	/* names */
	for (size_t ci = 0; ci < n; ci++) {
		struct sigma_corr *c = rs->corrs[ci];

		c->ref_rules = calloc(c->nrefs ? c->nrefs : 1, sizeof(*c->ref_rules));
		c->ref_is_corr = calloc(c->nrefs ? c->nrefs : 1, sizeof(*c->ref_is_corr));
		if (c->ref_rules == NULL || c->ref_is_corr == NULL)
			goto out;
		for (size_t k = 0; k < c->nrefs && state[ci] == CORR_OPEN; k++)
			if (!corr_ref_find(rs, ci, c->refs[k], &c->ref_rules[k],
			    &c->ref_is_corr[k])) {
				snprintf(why[ci], WHY_LEN, "correlation names '%s', which is "
				    "not a loaded detection rule", c->refs[k]);
				state[ci] = CORR_DROPPED;
			}
	}
	/* chains: kept once everything named is kept, until nothing moves */
	while (changed) {
		changed = false;
		for (size_t ci = 0; ci < n; ci++) {
			struct sigma_corr *c = rs->corrs[ci];
			bool waiting = false;

			if (state[ci] != CORR_OPEN)
				continue;
			for (size_t k = 0; k < c->nrefs && state[ci] == CORR_OPEN; k++) {
				const struct sigma_corr *u;

				if (!c->ref_is_corr[k])
					continue;
				u = rs->corrs[c->ref_rules[k]];
				if (state[c->ref_rules[k]] == CORR_DROPPED) {
					snprintf(why[ci], WHY_LEN, "correlation names '%s', a "
					    "correlation that is not usable", c->refs[k]);
					state[ci] = CORR_DROPPED;
				} else if (u->window_end) {
					snprintf(why[ci], WHY_LEN, "correlation names '%s', a "
					    "correlation decided only at the end of its window "
					    "(an upper bound, a sum or an average): chaining "
					    "after one is not supported", c->refs[k]);
					state[ci] = CORR_DROPPED;
				} else if (state[c->ref_rules[k]] == CORR_OPEN) {
					waiting = true;
				}
			}
			if (state[ci] == CORR_OPEN && !waiting)
				state[ci] = sigma_corr_resolve(rs, c, why[ci], WHY_LEN) ?
				    CORR_KEPT : CORR_DROPPED;
			changed |= state[ci] != CORR_OPEN;
		}
	}
	for (size_t ci = 0; ci < n; ci++)
		if (state[ci] == CORR_OPEN) {
			snprintf(why[ci], WHY_LEN, "chained correlations name each other "
			    "in a cycle");
			state[ci] = CORR_DROPPED;
		}
	for (size_t ci = 0; ci < n; ci++)
		if (state[ci] == CORR_KEPT)
			newidx[ci] = (uint32_t)kept++;
	/* links by the kept order, then the drops, then the compaction */
	for (size_t ci = 0; ci < n; ci++) {
		struct sigma_corr *c = rs->corrs[ci];

		if (state[ci] != CORR_KEPT)
			continue;
		for (size_t k = 0; k < c->nrefs; k++) {
			if (c->ref_is_corr[k]) {
				c->ref_rules[k] = newidx[c->ref_rules[k]];
				rc = corr_link(rs->corr_corrs, rs->ncorr_corrs, c->ref_rules[k],
				    newidx[ci], (uint32_t)k);
			} else {
				rc = corr_link(rs->rule_corrs, rs->nrule_corrs, c->ref_rules[k],
				    newidx[ci], (uint32_t)k);
			}
			if (rc != CSIRT_OK)
				goto out;
		}
	}
	rc = CSIRT_OK;
	kept = 0;
	for (size_t ci = 0; ci < n; ci++) {
		struct sigma_corr *c = rs->corrs[ci];

		if (state[ci] == CORR_KEPT) {
			rs->corrs[kept++] = c;
			continue;
		}
		if (rc == CSIRT_OK)
			rc = sigma_reject(rs, c->info.path, c->info.id, c->info.title, why[ci]);
		sigma_corr_free(c);
	}
	rs->ncorrs = kept;
out:
	free(state);
	free(why);
	free(newidx);
	return rc;
}

enum csirt_rc
sigma_ruleset_set_cache(struct sigma_ruleset *rs, const char *dir)
{
	char *d = NULL;

	if (dir != NULL && (d = sigma_strndup(dir, strlen(dir))) == NULL)
		return CSIRT_ENOMEM;
	free(rs->cache_dir);
	rs->cache_dir = d;
	return CSIRT_OK;
}

enum csirt_rc
sigma_ruleset_compile(struct sigma_ruleset *rs)
{
	if (rs->compiled)
		return CSIRT_OK;
	for (size_t fi = 0; fi < rs->nfilters; fi++) {
		struct sigma_filter *f = rs->filters[fi];

		for (size_t k = 0; k < f->nrefs; k++)
			for (size_t i = 0; i < rs->nrules; i++) {
				struct sigma_rule *r = rs->rules[i];

				if ((strcmp(r->info.id, f->rule_refs[k]) == 0 ||
				    (r->name && strcmp(r->name, f->rule_refs[k]) == 0)) &&
				    !attach_filter(r, f))
					return CSIRT_ENOMEM;
			}
	}
	for (size_t i = 0; i < rs->nrules; i++) {
		struct sigma_rule *r = rs->rules[i];

		for (size_t t = 0; t < r->ntargets; t++) {
			const struct sigma_target *tg = &r->targets[t];
			struct sigma_bucket *b;

			if (tg->channel == NULL) {
				if (!list_push(&rs->any, (uint32_t)i))
					return CSIRT_ENOMEM;
				continue;
			}
			if ((b = bucket_get(rs, tg->channel)) == NULL)
				return CSIRT_ENOMEM;
			if (tg->neids == 0 && !list_push(&b->any_eid, (uint32_t)i))
				return CSIRT_ENOMEM;
			for (size_t e = 0; e < tg->neids; e++) {
				struct sigma_rulelist *l = eid_list(b, tg->eids[e]);

				if (l == NULL || !list_push(l, (uint32_t)i))
					return CSIRT_ENOMEM;
			}
		}
	}
	for (size_t k = 0; k < rs->nbuckets; k++)
		if (rs->buckets[k].neids > 1)
			qsort(rs->buckets[k].eids, rs->buckets[k].neids,
			    sizeof(*rs->buckets[k].eids), eid_cmp);
	if (resolve_corrs(rs) != CSIRT_OK)
		return CSIRT_ENOMEM;
	/* CSIRT_HUNT_NO_PREFILTER=1 evaluates every rule of the event's
	 * channel and event ID (to compare results) */
	if (getenv("CSIRT_HUNT_NO_PREFILTER") == NULL) {
		enum csirt_rc prc = sigma_eid_build(rs);

		if (prc == CSIRT_OK)
			prc = sigma_prefilter_build(rs);
		if (prc != CSIRT_OK)
			return prc;
	}
	rs->compiled = true;
	return CSIRT_OK;
}
