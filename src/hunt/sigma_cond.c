/*
 * sigma_cond.c - the condition grammar of Sigma v2 as a recursive-descent
 * parser:
 *
 *   or_expr  := and_expr { "or" and_expr }
 *   and_expr := not_expr { "and" not_expr }
 *   not_expr := "not" not_expr | primary
 *   primary  := "(" or_expr ")" | ("1"|"any"|"all") "of" (them|PATTERN) | IDENT
 *
 * "x of PATTERN" is expanded here, at compile time, into an OR/AND over the
 * identifiers it names, so the matcher only sees AND/OR/NOT/SEL. "them"
 * covers identifiers that do not start with '_'. Depth is capped so a
 * hostile condition cannot overflow the stack.
 */
#include "sigma_int.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COND_MAX_DEPTH 64
#define COND_MAX_TOKEN 128

struct cparser {
	const char *s;
	size_t len, pos;
	const struct sigma_sel *sels;
	size_t nsels;
	char tok[COND_MAX_TOKEN];
	size_t toklen;
	char *why;
	size_t wl;
	int depth;
};

static bool
next_token(struct cparser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
	    p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
	p->toklen = 0;
	if (p->pos >= p->len) {
		p->tok[0] = '\0';
		return true;
	}
	if (p->s[p->pos] == '(' || p->s[p->pos] == ')' || p->s[p->pos] == '|') {
		p->tok[0] = p->s[p->pos++];
		p->tok[1] = '\0';
		p->toklen = 1;
		return true;
	}
	while (p->pos < p->len && p->s[p->pos] != ' ' && p->s[p->pos] != '\t' &&
	    p->s[p->pos] != '\n' && p->s[p->pos] != '\r' &&
	    p->s[p->pos] != '(' && p->s[p->pos] != ')' && p->s[p->pos] != '|') {
		if (p->toklen + 1 >= sizeof(p->tok)) {
			snprintf(p->why, p->wl, "condition word too long");
			return false;
		}
		p->tok[p->toklen++] = p->s[p->pos++];
	}
	p->tok[p->toklen] = '\0';
	return true;
}

static bool
is(const struct cparser *p, const char *w)
{
	return strcmp(p->tok, w) == 0;
}

static struct sigma_node *
node_new(enum sigma_node_kind kind)
{
	struct sigma_node *n = calloc(1, sizeof(*n));

	if (n != NULL)
		n->kind = kind;
	return n;
}

static bool
node_push(struct sigma_node *n, struct sigma_node *kid)
{
	struct sigma_node **k = realloc(n->kids, (n->nkids + 1) * sizeof(*k));

	if (k == NULL)
		return false;
	n->kids = k;
	n->kids[n->nkids++] = kid;
	return true;
}

void
sigma_node_free(struct sigma_node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		sigma_node_free(n->kids[i]);
	free(n->kids);
	free(n);
}

static struct sigma_node *parse_or(struct cparser *p);

static struct sigma_node *
parse_quant(struct cparser *p, bool all)
{
	struct sigma_node *n;
	bool them;

	if (!next_token(p))
		return NULL;
	if (!is(p, "of")) {
		snprintf(p->why, p->wl, "expected 'of' after '%s'",
		    all ? "all" : "1");
		return NULL;
	}
	if (!next_token(p))
		return NULL;
	if (p->toklen == 0 || is(p, "(") || is(p, ")")) {
		snprintf(p->why, p->wl, "expected a pattern after 'of'");
		return NULL;
	}
	them = is(p, "them");
	n = node_new(all ? NODE_AND : NODE_OR);
	if (n == NULL)
		return NULL;
	for (size_t i = 0; i < p->nsels; i++) {
		const char *name = p->sels[i].name;
		bool hit = them ? name[0] != '_' : fnmatch(p->tok, name, 0) == 0;
		struct sigma_node *s;

		if (!hit)
			continue;
		s = node_new(NODE_SEL);
		if (s == NULL || !node_push(n, s)) {
			free(s);
			sigma_node_free(n);
			return NULL;
		}
		s->sel = (int)i;
	}
	if (n->nkids == 0) {
		snprintf(p->why, p->wl, "no search identifier matches '%s'",
		    p->tok);
		sigma_node_free(n);
		return NULL;
	}
	return next_token(p) ? n : (sigma_node_free(n), NULL);
}

static struct sigma_node *
parse_primary(struct cparser *p)
{
	struct sigma_node *n;

	if (p->toklen == 0) {
		snprintf(p->why, p->wl, "condition ends too early");
		return NULL;
	}
	if (is(p, "|")) {
		snprintf(p->why, p->wl,
		    "aggregation ('|' in a condition) is Sigma v1; use a correlation rule");
		return NULL;
	}
	if (is(p, "(")) {
		if (!next_token(p))
			return NULL;
		n = parse_or(p);
		if (n == NULL)
			return NULL;
		if (!is(p, ")")) {
			snprintf(p->why, p->wl, "missing ')'");
			sigma_node_free(n);
			return NULL;
		}
		return next_token(p) ? n : (sigma_node_free(n), NULL);
	}
	if (is(p, "1") || is(p, "any"))
		return parse_quant(p, false);
	if (is(p, "all"))
		return parse_quant(p, true);
	for (size_t i = 0; i < p->nsels; i++) {
		if (strcmp(p->sels[i].name, p->tok) == 0) {
			n = node_new(NODE_SEL);
			if (n == NULL)
				return NULL;
			n->sel = (int)i;
			return next_token(p) ? n : (sigma_node_free(n), NULL);
		}
	}
	snprintf(p->why, p->wl, "unknown search identifier '%s'", p->tok);
	return NULL;
}

static struct sigma_node *
parse_not(struct cparser *p)
{
	struct sigma_node *n, *kid;

	if (!is(p, "not"))
		return parse_primary(p);
	if (++p->depth > COND_MAX_DEPTH) {
		snprintf(p->why, p->wl, "condition nested too deep");
		return NULL;
	}
	if (!next_token(p))
		return NULL;
	kid = parse_not(p);
	p->depth--;
	if (kid == NULL)
		return NULL;
	n = node_new(NODE_NOT);
	if (n == NULL || !node_push(n, kid)) {
		free(n);
		sigma_node_free(kid);
		return NULL;
	}
	return n;
}

static struct sigma_node *
parse_chain(struct cparser *p, const char *op, enum sigma_node_kind kind,
    struct sigma_node *(*sub)(struct cparser *))
{
	struct sigma_node *first = sub(p), *n;

	if (first == NULL || !is(p, op))
		return first;
	n = node_new(kind);
	if (n == NULL || !node_push(n, first)) {
		free(n);
		sigma_node_free(first);
		return NULL;
	}
	while (is(p, op)) {
		struct sigma_node *k;

		if (!next_token(p) || (k = sub(p)) == NULL ||
		    !node_push(n, k)) {
			sigma_node_free(n);
			return NULL;
		}
	}
	return n;
}

static struct sigma_node *
parse_and(struct cparser *p)
{
	return parse_chain(p, "and", NODE_AND, parse_not);
}

static struct sigma_node *
parse_or(struct cparser *p)
{
	struct sigma_node *n;

	if (++p->depth > COND_MAX_DEPTH) {
		snprintf(p->why, p->wl, "condition nested too deep");
		return NULL;
	}
	n = parse_chain(p, "or", NODE_OR, parse_and);
	p->depth--;
	return n;
}

struct sigma_node *
sigma_cond_parse(const char *text, size_t len, const struct sigma_sel *sels,
    size_t nsels, char *why, size_t wl)
{
	struct cparser p = { .s = text, .len = len, .sels = sels,
		.nsels = nsels, .why = why, .wl = wl };
	struct sigma_node *n;

	if (!next_token(&p))
		return NULL;
	n = parse_or(&p);
	if (n != NULL && p.toklen != 0) {
		snprintf(why, wl, "unexpected '%s' in condition", p.tok);
		sigma_node_free(n);
		return NULL;
	}
	if (n == NULL && why[0] == '\0')
		snprintf(why, wl, "out of memory");
	return n;
}
