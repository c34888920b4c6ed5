/*
 * sigma_gate.c - a prefilter that skips rules which cannot match an event.
 *
 * Measured first: with all SigmaHQ Windows rules, each Sysmon process-
 * creation event was evaluated against ~1,600 rules and evaluation was 80%
 * of the hunt's CPU. Most of those rules start with a selection like
 * Image|endswith: [...] ANDed with the rest, so unless the event's Image
 * ends with one of those few literals the rule is false. For such a rule we
 * take that selection as its "gate"; an event hashes the suffixes (and
 * prefixes, and whole values) of its gated fields at the literal lengths the
 * rules use, and only rules whose gate literal was found are evaluated.
 * A gate is only a necessary condition: the full rule is still evaluated,
 * so the results are the same (the regression suite checks).
 */
#include "sigma_int.h"

#include <stdlib.h>
#include <string.h>

/* The 4 bytes of an anchor as one number, and its bit in the raw filter:
 * one load and one multiply per position of a scanned value, where the
 * full hash (FNV over the bytes, the field and the kind) costs several
 * times more. Only positions that pass go on to the full hash. */
static uint32_t
raw_bit(const char *s)
{
	uint32_t x;

	memcpy(&x, s, sizeof(x));
	return (x * 0x9E3779B1u) >> (32 - SIGMA_GATE_RAW_LOG2);
}

static uint64_t
gate_hash(int field, int kind, const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ ((uint64_t)(unsigned)field << 8) ^
	    (uint64_t)kind;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static int
kind_slot(const struct sigma_pat *p)
{
	switch (p->kind) {
	case PAT_EQ: return 0;
	case PAT_STARTS: return 1;
	case PAT_ENDS: return 2;
	case PAT_CONTAINS: return p->lit_len >= SIGMA_GATE_ANCHOR ? 3 : -1;
	default: return -1;
	}
}

/* Fields that every event of a channel has: useless as a gate. */
static bool
unselective(const struct sigma_ruleset *rs, int field)
{
	static const char *const names[] = { "eventid", "channel",
		"provider_name" };
	const char *n = rs->fields.names[field];

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(n, names[i]) == 0)
			return true;
	return false;
}

static bool
fm_ok(const struct sigma_ruleset *rs, const struct sigma_fieldmatch *fm,
    int field)
{
	if (fm->kind != FM_VALUES || fm->neq || fm->cased || fm->field_id < 0 ||
	    fm->npats == 0)
		return false;
	if (field < 0 ? unselective(rs, fm->field_id) : fm->field_id != field)
		return false;
	for (size_t k = 0; k < fm->npats; k++)
		if (kind_slot(&fm->pats[k]) < 0)
			return false;
	return true;
}

static const struct sigma_fieldmatch *
candidate(const struct sigma_ruleset *rs, const struct sigma_conj *c, int field)
{
	for (size_t i = 0; i < c->nfms; i++)
		if (fm_ok(rs, &c->fms[i], field))
			return &c->fms[i];
	return NULL;
}

struct gvec {
	const struct sigma_fieldmatch **fms;
	size_t n, cap;
};

static bool
gvec_push(struct gvec *g, const struct sigma_fieldmatch *fm)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 8;
		const struct sigma_fieldmatch **p = realloc(g->fms, cap * sizeof(*p));

		if (p == NULL)
			return false;
		g->fms = p;
		g->cap = cap;
	}
	g->fms[g->n++] = fm;
	return true;
}

/* A selection is a gate if every alternative (an AND) has a candidate:
 * one of those candidates must then match. Fields may differ between
 * alternatives (Image|endswith or OriginalFileName). */
static bool
sel_gate(const struct sigma_ruleset *rs, const struct sigma_sel *s,
    struct gvec *g)
{
	size_t base = g->n;

	if (s->nalts == 0)
		return false;
	for (size_t a = 0; a < s->nalts; a++) {
		const struct sigma_fieldmatch *c = candidate(rs, &s->alts[a], -1);

		if (c == NULL || !gvec_push(g, c)) {
			g->n = base;
			return false;
		}
	}
	return true;
}

static bool
node_gate(const struct sigma_ruleset *rs, const struct sigma_detection *d,
    const struct sigma_node *n, struct gvec *g, int depth)
{
	size_t base = g->n;

	if (depth > 32)
		return false;
	switch (n->kind) {
	case NODE_SEL:
		return sel_gate(rs, &d->sels[n->sel], g);
	case NODE_AND:
		for (size_t i = 0; i < n->nkids; i++) {
			if (node_gate(rs, d, n->kids[i], g, depth + 1))
				return true;
			g->n = base;
		}
		return false;
	case NODE_OR:
		/* every branch must be gated: the union is the gate */
		for (size_t i = 0; i < n->nkids; i++)
			if (!node_gate(rs, d, n->kids[i], g, depth + 1)) {
				g->n = base;
				return false;
			}
		return n->nkids > 0;
	default:
		return false;
	}
}

static int
lit_cmp(const void *a, const void *b)
{
	const struct sigma_gate_lit *x = a, *y = b;

	return (x->hash > y->hash) - (x->hash < y->hash);
}

static bool
add_len(struct sigma_gates *gs, int field, int slot, uint32_t len)
{
	struct sigma_gate_field *gf = NULL;
	uint32_t *l;

	for (size_t i = 0; i < gs->nfields; i++)
		if (gs->fields[i].field == field)
			gf = &gs->fields[i];
	if (gf == NULL) {
		gf = realloc(gs->fields, (gs->nfields + 1) * sizeof(*gf));
		if (gf == NULL)
			return false;
		gs->fields = gf;
		gf = &gs->fields[gs->nfields++];
		memset(gf, 0, sizeof(*gf));
		gf->field = field;
	}
	for (size_t i = 0; i < gf->nlens[slot]; i++)
		if (gf->lens[slot][i] == len)
			return true;
	l = realloc(gf->lens[slot], (gf->nlens[slot] + 1) * sizeof(*l));
	if (l == NULL)
		return false;
	gf->lens[slot] = l;
	l[gf->nlens[slot]++] = len;
	return true;
}

bool
sigma_gates_build(struct sigma_ruleset *rs)
{
	struct sigma_gates *gs = &rs->gates;
	size_t cap = 0;

	gs->anchor_bits = calloc(SIGMA_GATE_BITS / 64, sizeof(uint64_t));
	gs->raw_bits = calloc(((size_t)1 << SIGMA_GATE_RAW_LOG2) / 64,
	    sizeof(uint64_t));
	gs->rule_gated = calloc(rs->nrules ? rs->nrules : 1, 1);
	if (gs->anchor_bits == NULL || gs->raw_bits == NULL ||
	    gs->rule_gated == NULL)
		return false;
	for (size_t r = 0; r < rs->nrules; r++) {
		struct sigma_rule *rule = rs->rules[r];
		struct gvec g = { 0 };

		rule->gated = false;
		if (!node_gate(rs, &rule->det, rule->det.cond, &g, 0)) {
			free(g.fms);
			continue;
		}
		for (size_t i = 0; i < g.n; i++)
			for (size_t k = 0; k < g.fms[i]->npats; k++) {
				const struct sigma_pat *p = &g.fms[i]->pats[k];
				int slot = kind_slot(p);
				int field = g.fms[i]->field_id;
				uint32_t len = slot == 3 ? SIGMA_GATE_ANCHOR :
				    (uint32_t)p->lit_len;

				if (gs->nlits == cap) {
					size_t nc = cap ? cap * 2 : 1024;
					struct sigma_gate_lit *l = realloc(gs->lits,
					    nc * sizeof(*l));

					if (l == NULL) {
						free(g.fms);
						return false;
					}
					gs->lits = l;
					cap = nc;
				}
				gs->lits[gs->nlits++] = (struct sigma_gate_lit){
					.hash = gate_hash(field, slot, p->lit, len),
					.rule = (uint32_t)r, .len = len,
					.lit = p->lit, .field = field,
					.kind = (uint8_t)slot };
				/* every literal's hash is in the bitmap: most
				 * lookups stop at one bit */
				gs->anchor_bits[gs->lits[gs->nlits - 1].hash %
				    SIGMA_GATE_BITS / 64] |= 1ULL <<
				    (gs->lits[gs->nlits - 1].hash % 64);
				if (slot == 3) {
					uint32_t rb = raw_bit(p->lit);

					gs->raw_bits[rb / 64] |= 1ULL << (rb % 64);
				}
				if (!add_len(gs, field, slot, len)) {
					free(g.fms);
					return false;
				}
			}
		free(g.fms);
		rule->gated = true;
		gs->rule_gated[r] = 1;
		gs->ngated++;
	}
	if (gs->nlits > 1)
		qsort(gs->lits, gs->nlits, sizeof(*gs->lits), lit_cmp);
	/* a hash table over the sorted literals: one probe instead of a
	 * binary search per looked-up suffix, prefix or anchor */
	for (gs->nslots = 16; gs->nslots < 2 * gs->nlits + 1; gs->nslots *= 2)
		;
	gs->slots = malloc(gs->nslots * sizeof(*gs->slots));
	if (gs->slots == NULL)
		return false;
	memset(gs->slots, 0xff, gs->nslots * sizeof(*gs->slots));
	for (size_t i = 0; i < gs->nlits; i++) {
		size_t j;

		if (i > 0 && gs->lits[i].hash == gs->lits[i - 1].hash)
			continue;	/* the first of equal hashes is indexed */
		for (j = gs->lits[i].hash & (gs->nslots - 1);
		    gs->slots[j] != UINT32_MAX; j = (j + 1) & (gs->nslots - 1))
			;
		gs->slots[j] = (uint32_t)i;
	}
	return true;
}

void
sigma_gates_release(struct sigma_gates *g)
{
	for (size_t i = 0; i < g->nfields; i++)
		for (int k = 0; k < 4; k++)
			free(g->fields[i].lens[k]);
	free(g->fields);
	free(g->lits);
	free(g->anchor_bits);
	free(g->raw_bits);
	free(g->rule_gated);
	free(g->slots);
	memset(g, 0, sizeof(*g));
}

static void
lookup_hash(const struct sigma_gates *g, uint64_t h, int field, int slot,
    const char *s, size_t n, uint32_t gen, uint32_t *stamp)
{
	size_t lo, j;

	if (g->nslots == 0)
		return;
	for (j = h & (g->nslots - 1);; j = (j + 1) & (g->nslots - 1)) {
		if (g->slots[j] == UINT32_MAX)
			return;		/* no literal has this hash */
		if (g->lits[g->slots[j]].hash == h)
			break;
	}
	for (lo = g->slots[j]; lo < g->nlits && g->lits[lo].hash == h; lo++) {
		const struct sigma_gate_lit *l = &g->lits[lo];

		if (l->field == field && l->kind == slot && l->len == n &&
		    memcmp(l->lit, s, n) == 0)
			stamp[l->rule] = gen;
	}
}

static void
lookup_mark(const struct sigma_gates *g, int field, int slot, const char *s,
    size_t n, uint32_t gen, uint32_t *stamp)
{
	uint64_t h = gate_hash(field, slot, s, n);

	if (g->anchor_bits[h % SIGMA_GATE_BITS / 64] & (1ULL << (h % 64)))
		lookup_hash(g, h, field, slot, s, n, gen, stamp);
}

void
sigma_gates_mark(const struct sigma_gates *g, const struct hunt_event *ev,
    const int *first, const uint32_t *fstamp, const int *next, uint32_t gen,
    uint32_t *stamp)
{
	for (size_t f = 0; f < g->nfields; f++) {
		const struct sigma_gate_field *gf = &g->fields[f];
		int i = fstamp[gf->field] == gen ? first[gf->field] : -1;

		for (; i >= 0; i = next[i]) {
			const char *v = ev->fields[i].lower;
			size_t n = ev->fields[i].value_len;

			for (size_t k = 0; k < gf->nlens[0]; k++)
				if (gf->lens[0][k] == n)
					lookup_mark(g, gf->field, 0, v, n, gen, stamp);
			for (size_t k = 0; k < gf->nlens[1]; k++)
				if (gf->lens[1][k] <= n)
					lookup_mark(g, gf->field, 1, v,
					    gf->lens[1][k], gen, stamp);
			for (size_t k = 0; k < gf->nlens[2]; k++)
				if (gf->lens[2][k] <= n)
					lookup_mark(g, gf->field, 2,
					    v + n - gf->lens[2][k],
					    gf->lens[2][k], gen, stamp);
			/* contains: every 4-byte window, bitmap first */
			for (size_t p = 0; gf->nlens[3] > 0 &&
			    p + SIGMA_GATE_ANCHOR <= n; p++) {
				uint32_t rb = raw_bit(v + p);
				uint64_t h;

				if (!(g->raw_bits[rb / 64] & (1ULL << (rb % 64))))
					continue;
				h = gate_hash(gf->field, 3, v + p, SIGMA_GATE_ANCHOR);
				if (g->anchor_bits[h % SIGMA_GATE_BITS / 64] &
				    (1ULL << (h % 64)))
					lookup_hash(g, h, gf->field, 3, v + p,
					    SIGMA_GATE_ANCHOR, gen, stamp);
			}
		}
	}
}
