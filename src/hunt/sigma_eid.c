/*
 * sigma_eid.c - the event IDs a rule's detection requires.
 *
 * The dispatch index files a rule under the event IDs its logsource maps
 * to; a rule whose logsource is a whole channel ("service: security",
 * "service: sysmon") lands on the channel's any-event-ID list, and most
 * such rules name their IDs in the detection instead ("EventID: 4730").
 * Counted over OTRF JSON (207,909 events, all SigmaHQ Windows rules): of
 * 2.41M rule evaluations, ~1.8M were of such rules on events of another
 * ID (35 Security rules on each of 45,330 Security events, 4 Sysmon rules
 * on each of 104,691 Sysmon events), none of which could match.
 *
 * Here each rule gets the set of IDs one of which its EventID field must
 * equal for the rule to match, read from the whole condition tree as the
 * prefilter reads literals: AND takes any child's set (the smallest), OR
 * the union (none when a branch has none), NOT nothing. Only plain
 * equality with a canonical decimal ("4730", not "04730" or |contains)
 * counts. The matcher then skips a rule when the event has exactly one
 * EventID value, canonical, and outside the set, or none at all (see
 * sigma_match.c: eid_gate); every other event evaluates the rule as before.
 */
#include "sigma_int.h"

#include <stdlib.h>
#include <string.h>

/* More IDs than this in one rule: not worth a gate. */
#define NEED_EIDS_MAX 64

/* A set of IDs; none = no set is known. */
struct eidset {
	int32_t v[NEED_EIDS_MAX];
	size_t n;
	bool none;
};

static const struct eidset NONE_SET = { .none = true };

/* "4730" -> 4730; false unless 1-9 digits without a leading zero. */
bool
sigma_eid_parse(const char *s, size_t n, int32_t *out)
{
	int32_t v = 0;

	if (n == 0 || n > 9 || (s[0] == '0' && n > 1))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static void
set_add(struct eidset *s, int32_t id)
{
	if (s->none)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return;
	if (s->n == NEED_EIDS_MAX) {
		*s = NONE_SET;
		return;
	}
	s->v[s->n++] = id;
}

/* a ∪= b */
static void
set_union(struct eidset *a, const struct eidset *b)
{
	if (b->none) {
		*a = NONE_SET;
		return;
	}
	for (size_t i = 0; i < b->n && !a->none; i++)
		set_add(a, b->v[i]);
}

/* a = the smaller of a and b (both are necessary) */
static void
set_best(struct eidset *a, const struct eidset *b)
{
	if (!b->none && (a->none || b->n < a->n))
		*a = *b;
}

static void
fm_eids(const struct sigma_fieldmatch *fm, int eid_field, struct eidset *out)
{
	*out = NONE_SET;
	if (fm->kind != FM_VALUES || fm->field_id != eid_field ||
	    eid_field < 0 || fm->neq || fm->npats == 0 ||
	    (fm->all && fm->npats > 1))
		return;
	out->none = false;
	out->n = 0;
	for (size_t i = 0; i < fm->npats && !out->none; i++) {
		const struct sigma_pat *p = &fm->pats[i];
		int32_t id;

		if (p->kind != PAT_EQ || !sigma_eid_parse(p->lit, p->lit_len, &id))
			*out = NONE_SET;
		else
			set_add(out, id);
	}
}

static void
sel_eids(const struct sigma_sel *s, int eid_field, struct eidset *out)
{
	*out = (struct eidset){ .none = s->nalts == 0 };
	for (size_t a = 0; a < s->nalts && !out->none; a++) {
		const struct sigma_conj *c = &s->alts[a];
		struct eidset best = NONE_SET, one;

		for (size_t k = 0; k < c->nfms; k++) {
			fm_eids(&c->fms[k], eid_field, &one);
			set_best(&best, &one);
		}
		set_union(out, &best);
	}
}

static void
node_eids(const struct sigma_detection *d, const struct sigma_node *n,
    int eid_field, struct eidset *out, int depth)
{
	struct eidset k;

	*out = NONE_SET;
	if (depth > 64)
		return;
	switch (n->kind) {
	case NODE_SEL:
		sel_eids(&d->sels[n->sel], eid_field, out);
		return;
	case NODE_AND:
		for (size_t i = 0; i < n->nkids; i++) {
			node_eids(d, n->kids[i], eid_field, &k, depth + 1);
			set_best(out, &k);
		}
		return;
	case NODE_OR:
		*out = (struct eidset){ .none = n->nkids == 0 };
		for (size_t i = 0; i < n->nkids && !out->none; i++) {
			node_eids(d, n->kids[i], eid_field, &k, depth + 1);
			set_union(out, &k);
		}
		return;
	default:		/* NOT, TRUE: nothing is necessary */
		return;
	}
}

static int
i32_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

enum csirt_rc
sigma_eid_build(struct sigma_ruleset *rs)
{
	rs->eid_field = sigma_fields_find(&rs->fields, "eventid", 7);
	for (size_t i = 0; i < rs->nrules; i++) {
		struct sigma_rule *r = rs->rules[i];
		struct eidset s;

		free(r->need_eids);
		r->need_eids = NULL;
		r->nneed_eids = 0;
		if (rs->eid_field < 0 || r->det.cond == NULL)
			continue;
		node_eids(&r->det, r->det.cond, rs->eid_field, &s, 0);
		if (s.none || s.n == 0)
			continue;
		if ((r->need_eids = malloc(s.n * sizeof(*r->need_eids))) == NULL)
			return CSIRT_ENOMEM;
		memcpy(r->need_eids, s.v, s.n * sizeof(*r->need_eids));
		qsort(r->need_eids, s.n, sizeof(*r->need_eids), i32_cmp);
		r->nneed_eids = s.n;
	}
	return CSIRT_OK;
}

bool
sigma_eid_needed(const struct sigma_rule *r, int32_t id)
{
	size_t lo = 0, hi = r->nneed_eids;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->need_eids[mid] == id)
			return true;
		if (r->need_eids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}
