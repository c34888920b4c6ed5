/*
 * cpe.c - CPE 2.3 parsing, binding and matching (NISTIR 7695/7696), and the
 * alias table that makes one product one name.
 *
 * Wildcards: in a source value, an unquoted '*' (any run) or '?' (one
 * character) may appear only at the start or the end; a wildcard in the
 * target makes the relation UNDEFINED, which is not a match. Quoted '*'
 * and '?' are literals; we keep them as '\x01' and '\x02' so that they can
 * never be mistaken for wildcards.
 */
#include "csirt/common.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/embedded.h"
#include "csirt/scan_cpe.h"

#define LIT_STAR '\x01'
#define LIT_QMARK '\x02'

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Unquotes one formatted-string component into dst. */
static enum csirt_rc
fs_component(const char *s, size_t n, char *dst)
{
	size_t o = 0;

	if (n == 1 && s[0] == '*') {
		snprintf(dst, CPE_VALUE_MAX, "*");
		return CSIRT_OK;
	}
	if (n == 1 && s[0] == '-') {
		snprintf(dst, CPE_VALUE_MAX, "-");
		return CSIRT_OK;
	}
	if (n == 0)
		return CSIRT_EPARSE;
	for (size_t k = 0; k < n; k++) {
		int c = (unsigned char)s[k];

		if (o + 1 >= CPE_VALUE_MAX)
			return CSIRT_ETOOBIG;
		if (c == '\\') {
			if (++k >= n)
				return CSIRT_EPARSE;
			c = (unsigned char)s[k];
			dst[o++] = c == '*' ? LIT_STAR : c == '?' ? LIT_QMARK : (char)lower(c);
			continue;
		}
		if (c < 0x21 || c > 0x7e)
			return CSIRT_EPARSE;
		dst[o++] = (char)lower(c);
	}
	dst[o] = '\0';
	return CSIRT_OK;
}

/* Unquotes one URI component (percent-encoding). An empty component is ANY. */
static enum csirt_rc
uri_component(const char *s, size_t n, char *dst)
{
	size_t o = 0;

	if (n == 0) {
		snprintf(dst, CPE_VALUE_MAX, "*");
		return CSIRT_OK;
	}
	if (n == 1 && s[0] == '-') {
		snprintf(dst, CPE_VALUE_MAX, "-");
		return CSIRT_OK;
	}
	for (size_t k = 0; k < n; k++) {
		int c = (unsigned char)s[k];

		if (o + 1 >= CPE_VALUE_MAX)
			return CSIRT_ETOOBIG;
		if (c == '%') {
			char hex[3];

			if (k + 2 >= n)
				return CSIRT_EPARSE;
			hex[0] = s[k + 1];
			hex[1] = s[k + 2];
			hex[2] = '\0';
			{
			char *end;
			long v = strtol(hex, &end, 16);

			if (end != hex + 2)
				return CSIRT_EPARSE;
			dst[o++] = v == '*' ? LIT_STAR : v == '?' ? LIT_QMARK : (char)lower((int)v);
			k += 2;
			continue;
			}
		}
		if (c < 0x21 || c > 0x7e)
			return CSIRT_EPARSE;
		dst[o++] = (char)lower(c);
	}
	dst[o] = '\0';
	return CSIRT_OK;
}

enum csirt_rc
cpe_parse(const char *s, size_t len, struct cpe *out, struct csirt_err *err)
{
	size_t start, field = 0;
	enum csirt_rc rc = CSIRT_OK;

	memset(out, 0, sizeof(*out));	/* whole names compare with memcmp */
	for (int k = 0; k < CPE_NATTR; k++)
		out->a[k][0] = '*';
	len = strnlen(s, len);
	if (len > 8 && memcmp(s, "cpe:2.3:", 8) == 0) {
		start = 8;
		for (size_t k = 8; k <= len && field < CPE_NATTR; k++) {
			if (k < len && s[k] == '\\') {
				k++;
				continue;
			}
			if (k == len || s[k] == ':') {
				rc = fs_component(s + start, k - start, out->a[field]);
				if (rc != CSIRT_OK)
					break;
				field++;
				start = k + 1;
			}
		}
		if (rc == CSIRT_OK && (field != CPE_NATTR || start <= len))
			rc = CSIRT_EPARSE;	/* not exactly 11 components */
	} else if (len > 5 && memcmp(s, "cpe:/", 5) == 0) {
		start = 5;
		for (size_t k = 5; k <= len && field < 7; k++) {
			if (k == len || s[k] == ':') {
				rc = uri_component(s + start, k - start, out->a[field]);
				if (rc != CSIRT_OK)
					break;
				field++;
				start = k + 1;
			}
		}
		if (rc == CSIRT_OK && start <= len)
			rc = CSIRT_EPARSE;
		/* A packed edition "~ed~sw_ed~target_sw~target_hw~other" unpacks into five. */
		if (rc == CSIRT_OK && out->a[CPE_EDITION][0] == '~') {
			const int order[] = { CPE_EDITION, CPE_SW_EDITION, CPE_TARGET_SW,
			    CPE_TARGET_HW, CPE_OTHER };
			char packed[CPE_VALUE_MAX];
			const char *p;
			int idx = 0;

			/* Empty pieces are ANY, so split by hand (strtok_r would skip them). */
			snprintf(packed, sizeof(packed), "%s", out->a[CPE_EDITION] + 1);
			p = packed;
			while (idx < 5) {
				const char *t = strchr(p, '~');
				size_t n = t ? (size_t)(t - p) : strlen(p);

				if (n == 0)
					snprintf(out->a[order[idx]], CPE_VALUE_MAX, "*");
				else
					snprintf(out->a[order[idx]], CPE_VALUE_MAX, "%.*s", (int)n, p);
				idx++;
				if (t == NULL)
					break;
				p = t + 1;
			}
		}
	} else {
		rc = CSIRT_EPARSE;
	}
	if (rc == CSIRT_OK) {
		const char *p = out->a[CPE_PART];

		if (!(p[1] == '\0' && (p[0] == 'a' || p[0] == 'o' || p[0] == 'h' || p[0] == '*')))
			rc = CSIRT_EPARSE;
	}
	if (rc != CSIRT_OK)
		return csirt_err_set(err, rc, "cpe", "not a valid CPE name");
	for (int k = 0; k < CPE_NATTR; k++) {
		size_t n = strlen(out->a[k]);

		memset(out->a[k] + n, 0, CPE_VALUE_MAX - n);
	}
	return CSIRT_OK;
}

void
cpe_format(const struct cpe *c, char *out, size_t cap)
{
	size_t n = 0;

	n += (size_t)snprintf(out, cap, "cpe:2.3");
	for (int k = 0; k < CPE_NATTR && n + 1 < cap; k++) {
		const char *v = c->a[k];

		out[n++] = ':';
		if (strcmp(v, "*") == 0 || strcmp(v, "-") == 0) {
			out[n++] = v[0];
			continue;
		}
		for (; *v && n + 3 < cap; v++) {
			char ch = *v;

			if (ch == LIT_STAR || ch == LIT_QMARK) {
				out[n++] = '\\';
				out[n++] = ch == LIT_STAR ? '*' : '?';
			} else if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
			    ch == '_' || ch == '-' || ch == '.' || ch == '*' || ch == '?') {
				out[n++] = ch;
			} else {
				out[n++] = '\\';
				out[n++] = ch;
			}
		}
	}
	out[n < cap ? n : cap - 1] = '\0';
}

static bool
has_wildcard(const char *v)
{
	return strchr(v, '*') != NULL || strchr(v, '?') != NULL;
}

/* Wildcard match of a source value against a plain target value. */
static bool
wild_match(const char *src, const char *tgt)
{
	size_t sl = strlen(src), tl = strlen(tgt);
	size_t lead_q = 0, trail_q = 0;
	bool lead_star = false, trail_star = false;
	const char *core;
	size_t cl;

	/* Strip a leading and a trailing run of wildcards; what remains must be literal. */
	{
		size_t a = 0, b = sl;
		size_t qa = 0, qb = 0;

		lead_star = trail_star = false;
		while (a < sl && (src[a] == '*' || src[a] == '?')) {
			if (src[a] == '*')
				lead_star = true;
			else
				qa++;
			a++;
		}
		while (b > a && (src[b - 1] == '*' || src[b - 1] == '?')) {
			if (src[b - 1] == '*')
				trail_star = true;
			else
				qb++;
			b--;
		}
		core = src + a;
		cl = b - a;
		lead_q = qa;
		trail_q = qb;
	}
	if (memchr(core, '*', cl) || memchr(core, '?', cl))
		return false;	/* wildcards in the middle are not allowed */
	if (tl < cl + lead_q + trail_q)
		return false;
	/* Try every placement of the core the wildcards allow. */
	for (size_t pos = lead_q; pos + cl + trail_q <= tl; pos++) {
		size_t after = tl - pos - cl;

		if (!lead_star && pos != lead_q)
			break;
		if (memcmp(tgt + pos, core, cl) != 0)
			continue;
		if (trail_star ? after >= trail_q : after == trail_q)
			return true;
	}
	return false;
}

enum cpe_relation
cpe_attr_compare(const char *source, const char *target)
{
	bool s_any = strcmp(source, "*") == 0, s_na = strcmp(source, "-") == 0;
	bool t_any = strcmp(target, "*") == 0, t_na = strcmp(target, "-") == 0;

	if (!t_any && !t_na && has_wildcard(target))
		return CPE_UNDEFINED;
	if (s_any)
		return t_any ? CPE_EQUAL : CPE_SUPERSET;
	if (s_na)
		return t_any ? CPE_SUBSET : t_na ? CPE_EQUAL : CPE_DISJOINT;
	if (t_any)
		return CPE_SUBSET;
	if (t_na)
		return CPE_DISJOINT;
	if (has_wildcard(source))
		return wild_match(source, target) ? CPE_SUPERSET : CPE_DISJOINT;
	return strcmp(source, target) == 0 ? CPE_EQUAL : CPE_DISJOINT;
}

bool
cpe_match(const struct cpe *source, const struct cpe *target, bool skip_version)
{
	for (int k = 0; k < CPE_NATTR; k++) {
		enum cpe_relation r;

		if (skip_version && k == CPE_VERSION)
			continue;
		r = cpe_attr_compare(source->a[k], target->a[k]);
		if (r != CPE_SUPERSET && r != CPE_EQUAL)
			return false;
	}
	return true;
}

/* The alias table, loaded once from the embedded JSON. */
static pthread_once_t alias_once = PTHREAD_ONCE_INIT;
static json_t *alias_map, *split_list;

static void
alias_load(void)
{
	const struct embedded_file *f = embedded_find("data/scan/cpe-aliases.json");
	json_t *root;

	if (f == NULL)
		return;
	root = json_loadb((const char *)f->data, f->size, 0, NULL);
	if (root == NULL)
		return;
	alias_map = json_incref(json_object_get(root, "aliases"));
	split_list = json_incref(json_object_get(root, "split_update"));
	json_decref(root);
}

void
cpe_key(const struct cpe *c, char *out, size_t cap)
{
	snprintf(out, cap, "%s:%s", c->a[CPE_VENDOR], c->a[CPE_PRODUCT]);
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

void
cpe_canonical(struct cpe *c)
{
	char key[2 * CPE_VALUE_MAX + 2];
	const char *to;
	size_t i;
	json_t *v;

	pthread_once(&alias_once, alias_load);
	cpe_key(c, key, sizeof(key));
	to = alias_map ? json_string_value(json_object_get(alias_map, key)) : NULL;
	if (to != NULL) {
		const char *colon = strchr(to, ':');

		if (colon != NULL && (size_t)(colon - to) < CPE_VALUE_MAX) {
			memcpy(c->a[CPE_VENDOR], to, (size_t)(colon - to));
			c->a[CPE_VENDOR][colon - to] = '\0';
			snprintf(c->a[CPE_PRODUCT], CPE_VALUE_MAX, "%s", colon + 1);
			cpe_key(c, key, sizeof(key));
		}
	}
	json_array_foreach(split_list, i, v) {
		char *ver = c->a[CPE_VERSION];
		char *p;

		if (!json_is_string(v) || strcmp(json_string_value(v), key) != 0)
			continue;
		/* "9.2p1" with update ANY/NA: version 9.2, update p1 */
		p = strchr(ver, 'p');
		if (p != NULL && p > ver && is_digit(p[-1]) && is_digit(p[1]) &&
		    (strcmp(c->a[CPE_UPDATE], "*") == 0 || strcmp(c->a[CPE_UPDATE], "-") == 0)) {
			snprintf(c->a[CPE_UPDATE], CPE_VALUE_MAX, "%s", p);
			*p = '\0';
		}
	}
}
