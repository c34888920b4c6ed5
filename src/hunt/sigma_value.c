/*
 * sigma_value.c - from "Field|mod|mod: values" to compiled patterns.
 *
 * Modifiers apply left to right (Sigma v2.1 appendix). Transformations
 * (base64, base64offset, utf16*, wide, windash, expand) rewrite the value
 * list; position modifiers (contains/startswith/endswith) add wildcards;
 * the last stage turns each value into the cheapest comparison that keeps
 * its meaning: exact, contains, prefix, suffix, or a glob only when a
 * wildcard sits inside the value. Regexes go to PCRE2 with match limits.
 * windash is a dash class in the glob instead of an expansion, so a value
 * with many dashes costs one pattern, not 5^n.
 */
#include "sigma_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VALUES 65536
#define MAX_VALUE_LEN 65536

struct sval {
	char *s;
	size_t len;
	bool literal;	/* no wildcard interpretation (encoded values) */
};

struct svals {
	struct sval *v;	/* grows; capped at MAX_VALUES */
	size_t n, cap;
};

char *
sigma_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
svals_clear(struct svals *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i].s);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

static bool
svals_push(struct svals *sv, char *s, size_t len, bool literal)
{
	if (s == NULL || sv->n >= MAX_VALUES || len > MAX_VALUE_LEN) {
		free(s);
		return false;
	}
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		struct sval *v = realloc(sv->v, cap * sizeof(*v));

		if (v == NULL) {
			free(s);
			return false;
		}
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n].s = s;
	sv->v[sv->n].len = len;
	sv->v[sv->n].literal = literal;
	sv->n++;
	return true;
}

static bool
is_null_scalar(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;
	size_t l = n->data.scalar.length;

	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return l == 0 || (l == 1 && v[0] == '~') ||
	    (l == 4 && (memcmp(v, "null", 4) == 0 || memcmp(v, "Null", 4) == 0 ||
	    memcmp(v, "NULL", 4) == 0));
}

void
sigma_fieldmatch_release(struct sigma_fieldmatch *fm)
{
	for (size_t i = 0; i < fm->npats; i++) {
		free(fm->pats[i].lit);
		free(fm->pats[i].glob);
		if (fm->pats[i].re)
			pcre2_code_free(fm->pats[i].re);
	}
	free(fm->pats);
	free(fm->field);
	memset(fm, 0, sizeof(*fm));
}

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *
b64(const unsigned char *in, size_t n, size_t *out_len)
{
	char *o = malloc(4 * ((n + 2) / 3) + 1);
	size_t k = 0;

	if (o == NULL)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		o[k++] = b64chars[(v >> 18) & 63];
		o[k++] = b64chars[(v >> 12) & 63];
		o[k++] = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		o[k++] = i + 2 < n ? b64chars[v & 63] : '=';
	}
	o[k] = '\0';
	*out_len = k;
	return o;
}

/* UTF-8 -> UTF-16 (le or be), optionally with a BOM. */
static char *
to_utf16(const char *s, size_t n, bool be, bool bom, size_t *out_len)
{
	char *o = malloc(4 * n + 3);
	size_t k = 0;

	if (o == NULL)
		return NULL;
	if (bom) {
		o[k++] = be ? (char)0xFE : (char)0xFF;
		o[k++] = be ? (char)0xFF : (char)0xFE;
	}
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t l;

		if (c < 0x80) { cp = c; l = 1; }
		else if ((c >> 5) == 6 && i + 1 < n) { cp = c & 0x1F; l = 2; }
		else if ((c >> 4) == 14 && i + 2 < n) { cp = c & 0x0F; l = 3; }
		else if ((c >> 3) == 30 && i + 3 < n) { cp = c & 0x07; l = 4; }
		else { cp = 0xFFFD; l = 1; }
		for (size_t j = 1; j < l; j++)
			cp = (cp << 6) | ((unsigned char)s[i + j] & 0x3F);
		i += l;
		uint16_t units[2];
		size_t nu = 1;

		if (cp >= 0x10000) {
			cp -= 0x10000;
			units[0] = (uint16_t)(0xD800 + (cp >> 10));
			units[1] = (uint16_t)(0xDC00 + (cp & 0x3FF));
			nu = 2;
		} else {
			units[0] = (uint16_t)cp;
		}
		for (size_t u = 0; u < nu; u++) {
			o[k++] = (char)(be ? units[u] >> 8 : units[u] & 0xFF);
			o[k++] = (char)(be ? units[u] & 0xFF : units[u] >> 8);
		}
	}
	*out_len = k;
	return o;
}

/* base64offset: the three encodings of v at offsets 0..2 of a stream,
 * with the characters that depend on neighbouring bytes cut off. */
static bool
base64offset(struct svals *out, const struct sval *v)
{
	static const size_t start[3] = { 0, 2, 3 };
	static const size_t cut[3] = { 0, 3, 2 };

	for (size_t i = 0; i < 3; i++) {
		unsigned char *tmp = malloc(v->len + 3);
		size_t elen, from, to;
		char *enc;

		if (tmp == NULL)
			return false;
		memset(tmp, ' ', i);
		memcpy(tmp + i, v->s, v->len);
		enc = b64(tmp, v->len + i, &elen);
		free(tmp);
		if (enc == NULL)
			return false;
		from = start[i];
		to = elen - cut[(v->len + i) % 3];
		if (to < from)
			to = from;
		memmove(enc, enc + from, to - from);
		enc[to - from] = '\0';
		if (!svals_push(out, enc, to - from, true))
			return false;
	}
	return true;
}

/*
 * expand: 'done' is the value so far, [rest, rest+rn) what is left to scan.
 * Each placeholder multiplies the value by its configured values (an OR);
 * "\\%" is a plain percent sign. Placeholder values are not scanned again.
 */
static bool
expand_rest(const struct sigma_ruleset *rs, struct svals *out, struct buf *done,
    const char *rest, size_t rn, char *why, size_t wl)
{
	size_t i = 0, keep = done->len;

	while (i < rn) {
		const char *q;
		const struct sigma_placeholder *ph;

		if (rest[i] == '\\' && i + 1 < rn && rest[i + 1] == '\\') {
			/* an escaped backslash stays escaped for the wildcard
			 * stage, and the '%' after it starts a placeholder */
			if (buf_append(done, rest + i, 2) != CSIRT_OK)
				goto too_big;
			i += 2;
			continue;
		}
		if (rest[i] == '\\' && i + 1 < rn && rest[i + 1] == '%') {
			if (buf_append(done, "%", 1) != CSIRT_OK)
				goto too_big;
			i += 2;
			continue;
		}
		if (rest[i] != '%' || (q = memchr(rest + i + 1, '%',
		    rn - i - 1)) == NULL) {
			if (buf_append(done, rest + i, 1) != CSIRT_OK)
				goto too_big;
			i++;
			continue;
		}
		ph = sigma_placeholder_find(rs, rest + i + 1,
		    (size_t)(q - rest - i - 1));
		if (ph == NULL) {
			snprintf(why, wl, "expand: placeholder %.*s has no "
			    "configured value (see --placeholders)",
			    (int)(q - rest - i + 1 > 80 ? 80 : q - rest - i + 1),
			    rest + i);
			return false;
		}
		for (size_t k = 0; k < ph->nvalues; k++) {
			size_t at = done->len;

			if (buf_append_str(done, ph->values[k]) != CSIRT_OK ||
			    !expand_rest(rs, out, done, q + 1,
			    rn - (size_t)(q + 1 - rest), why, wl))
				goto fail;
			done->len = at;
		}
		done->len = keep;
		return true;
	}
	if (!svals_push(out, sigma_strndup(done->data ? done->data : "",
	    done->len), done->len, false)) {
		snprintf(why, wl, "expand: more than %d values", MAX_VALUES);
		return false;
	}
	done->len = keep;
	return true;
too_big:
	snprintf(why, wl, "expand: value longer than %d bytes", MAX_VALUE_LEN);
fail:
	if (why[0] == '\0')
		snprintf(why, wl, "expand: value longer than %d bytes",
		    MAX_VALUE_LEN);
	return false;
}

static bool
expand(const struct sigma_ruleset *rs, struct svals *sv, char *why, size_t wl)
{
	struct svals out = { 0 };
	struct buf done;
	bool ok = true;

	buf_init(&done, MAX_VALUE_LEN);
	for (size_t i = 0; i < sv->n && ok; i++) {
		done.len = 0;
		ok = expand_rest(rs, &out, &done, sv->v[i].s, sv->v[i].len, why,
		    wl);
	}
	buf_release(&done);
	svals_clear(sv);
	*sv = out;
	return ok;
}

/* Sigma wildcards and escapes -> glob tokens; see the spec's escaping rules. */
static size_t
to_tokens(const struct sval *v, bool cased, bool windash, uint16_t *t)
{
	size_t k = 0;

	for (size_t i = 0; i < v->len; i++) {
		unsigned char c = (unsigned char)v->s[i];

		if (!v->literal && c == '\\' && i + 1 < v->len &&
		    (v->s[i + 1] == '*' || v->s[i + 1] == '?' ||
		    v->s[i + 1] == '\\')) {
			c = (unsigned char)v->s[++i];
		} else if (!v->literal && c == '*') {
			t[k++] = GLOB_STAR;
			continue;
		} else if (!v->literal && c == '?') {
			t[k++] = GLOB_ONE;
			continue;
		} else if (windash && !v->literal && (c == '-' || c == '/')) {
			t[k++] = GLOB_DASH;
			continue;
		} else if (windash && !v->literal && c == 0xE2 && i + 2 < v->len &&
		    (unsigned char)v->s[i + 1] == 0x80 &&
		    ((unsigned char)v->s[i + 2] >= 0x93 &&
		    (unsigned char)v->s[i + 2] <= 0x95)) {
			t[k++] = GLOB_DASH;	/* en, em, horizontal bar */
			i += 2;
			continue;
		}
		if (!cased && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		t[k++] = c;
	}
	return k;
}

static bool
make_string_pat(const struct sval *v, int pos, bool cased, bool windash,
    struct sigma_pat *p)
{
	uint16_t *t = malloc((v->len + 2) * sizeof(*t));
	size_t n, lead = 0, trail = 0, i;
	bool inner_wild = false;

	if (t == NULL)
		return false;
	n = 0;
	if (pos == 1 || pos == 3)	/* contains / endswith */
		t[n++] = GLOB_STAR;
	n += to_tokens(v, cased, windash, t + n);
	if (pos == 1 || pos == 2)	/* contains / startswith */
		t[n++] = GLOB_STAR;
	while (lead < n && t[lead] == GLOB_STAR)
		lead++;
	while (trail < n - lead && t[n - 1 - trail] == GLOB_STAR)
		trail++;
	for (i = lead; i < n - trail; i++)
		if (t[i] > 255)
			inner_wild = true;
	if (inner_wild) {
		p->kind = PAT_GLOB;
		p->glob = t;
		p->glob_len = n;
		return true;
	}
	p->lit = malloc(n - lead - trail + 1);
	if (p->lit == NULL) {
		free(t);
		return false;
	}
	for (i = lead; i < n - trail; i++)
		p->lit[i - lead] = (char)t[i];
	p->lit_len = n - lead - trail;
	p->lit[p->lit_len] = '\0';
	free(t);
	p->kind = lead && trail ? PAT_CONTAINS : lead ? PAT_ENDS :
	    trail ? PAT_STARTS : PAT_EQ;
	return true;
}

static bool
make_cidr(const struct sval *v, struct sigma_pat *p)
{
	char tmp[64];
	const char *slash;
	int64_t bits;
	struct in_addr a4;
	size_t alen;

	if (v->len >= sizeof(tmp))
		return false;
	memcpy(tmp, v->s, v->len);
	tmp[v->len] = '\0';
	slash = strchr(tmp, '/');
	alen = slash ? (size_t)(slash - tmp) : v->len;
	tmp[alen] = '\0';
	p->kind = PAT_CIDR;
	if (inet_pton(AF_INET, tmp, &a4) == 1) {
		p->v4 = true;
		memset(p->addr, 0, 10);
		p->addr[10] = p->addr[11] = 0xff;
		memcpy(p->addr + 12, &a4, 4);
		bits = 32;
		if (slash && parse_int64(slash + 1, 0, 32, &bits) != CSIRT_OK)
			return false;
		p->prefix_bits = (uint8_t)(96 + bits);
		return true;
	}
	if (inet_pton(AF_INET6, tmp, p->addr) == 1) {
		bits = 128;
		if (slash && parse_int64(slash + 1, 0, 128, &bits) != CSIRT_OK)
			return false;
		p->prefix_bits = (uint8_t)bits;
		return true;
	}
	return false;
}

static bool
make_re(const struct sval *v, uint32_t flags, struct sigma_pat *p, char *why,
    size_t wl)
{
	int code;
	PCRE2_SIZE off;

	p->kind = PAT_RE;
	p->re = pcre2_compile((PCRE2_SPTR)v->s, v->len, flags | PCRE2_UTF |
	    PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
	if (p->re == NULL) {
		PCRE2_UCHAR msg[120];

		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(why, wl, "regex does not compile at %zu: %s",
		    (size_t)off, (const char *)msg);
		return false;
	}
	(void)pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);
	/* for the prefilter only (pat_match never reads it for a regex) */
	p->lit = sigma_re_literal(v->s, v->len, (flags & PCRE2_CASELESS) != 0,
	    &p->lit_len);
	return true;
}

struct mods {
	int pos;	/* 0 exact, 1 contains, 2 startswith, 3 endswith */
	bool all, cased, neq, exists, fieldref, cidr, re, windash;
	uint32_t re_flags;
	enum sigma_pat_kind cmp;	/* PAT_LT.. or PAT_EQ */
	uint8_t datepart;		/* enum sigma_datepart */
};

/* Applies one modifier; transformations rewrite 'sv'. */
static bool
apply_mod(struct sigma_ruleset *rs, const char *m, size_t ml, struct mods *md,
    struct svals *sv, char *why, size_t wl)
{
#define IS(s) (ml == sizeof(s) - 1 && memcmp(m, s, ml) == 0)
	if (IS("contains")) md->pos = 1;
	else if (IS("startswith")) md->pos = 2;
	else if (IS("endswith")) md->pos = 3;
	else if (IS("all")) md->all = true;
	else if (IS("cased")) md->cased = true;
	else if (IS("neq")) md->neq = true;
	else if (IS("exists")) md->exists = true;
	else if (IS("fieldref")) md->fieldref = true;
	else if (IS("cidr")) md->cidr = true;
	else if (IS("re")) md->re = true;
	else if (IS("i") && md->re) md->re_flags |= PCRE2_CASELESS;
	else if (IS("m") && md->re) md->re_flags |= PCRE2_MULTILINE;
	else if (IS("s") && md->re) md->re_flags |= PCRE2_DOTALL;
	else if (IS("lt")) md->cmp = PAT_LT;
	else if (IS("lte")) md->cmp = PAT_LTE;
	else if (IS("gt")) md->cmp = PAT_GT;
	else if (IS("gte")) md->cmp = PAT_GTE;
	else if (IS("windash")) md->windash = true;
	else if (IS("minute")) md->datepart = DP_MINUTE;
	else if (IS("hour")) md->datepart = DP_HOUR;
	else if (IS("day")) md->datepart = DP_DAY;
	else if (IS("week")) md->datepart = DP_WEEK;
	else if (IS("month")) md->datepart = DP_MONTH;
	else if (IS("year")) md->datepart = DP_YEAR;
	else if (IS("expand")) {
		return expand(rs, sv, why, wl);
	} else if (IS("base64") || IS("base64offset") || IS("utf16le") ||
	    IS("wide") || IS("utf16be") || IS("utf16")) {
		struct svals *out = calloc(1, sizeof(*out));
		bool ok = true;

		if (out == NULL)
			return false;
		for (size_t i = 0; i < sv->n && ok; i++) {
			struct sval *v = &sv->v[i];
			size_t l = 0;
			char *s;

			if (IS("base64offset")) {
				ok = base64offset(out, v);
				continue;
			}
			if (IS("base64"))
				s = b64((const unsigned char *)v->s, v->len, &l);
			else
				s = to_utf16(v->s, v->len, IS("utf16be"),
				    IS("utf16"), &l);
			ok = svals_push(out, s, l, true);
		}
		svals_clear(sv);
		memcpy(sv, out, sizeof(*sv));
		free(out);
		if (!ok)
			snprintf(why, wl, "too many or too long values");
		return ok;
	} else {
		snprintf(why, wl, "unknown modifier '%.*s'", (int)ml, m);
		return false;
	}
	return true;
#undef IS
}

static bool
collect_values(yaml_document_t *doc, yaml_node_t *val, struct svals *sv,
    bool *has_null, char *why, size_t wl)
{
	yaml_node_t *items[1] = { NULL };
	yaml_node_item_t *it, *end;

	*has_null = false;
	if (val->type == YAML_SCALAR_NODE) {
		items[0] = val;
		it = NULL;
		end = NULL;
	} else if (val->type == YAML_SEQUENCE_NODE) {
		it = val->data.sequence.items.start;
		end = val->data.sequence.items.top;
	} else {
		snprintf(why, wl, "a field value must be a string or a list");
		return false;
	}
	for (size_t k = 0;; k++) {
		yaml_node_t *n;

		if (it == NULL) {
			if (k > 0)
				break;
			n = items[0];
		} else {
			if (it + k >= end)
				break;
			n = yaml_document_get_node(doc, it[k]);
		}
		if (n == NULL || n->type != YAML_SCALAR_NODE) {
			snprintf(why, wl, "a value list may hold only scalars");
			return false;
		}
		if (is_null_scalar(n)) {
			*has_null = true;
			continue;
		}
		if (!svals_push(sv, sigma_strndup((const char *)n->data.scalar.value,
		    n->data.scalar.length), n->data.scalar.length, false)) {
			snprintf(why, wl, "too many or too long values");
			return false;
		}
	}
	return true;
}

static bool
build_pats(struct mods *md, struct svals *sv, struct sigma_fieldmatch *fm,
    char *why, size_t wl)
{
	fm->pats = calloc(sv->n ? sv->n : 1, sizeof(*fm->pats));
	if (fm->pats == NULL)
		return false;
	for (size_t i = 0; i < sv->n; i++) {
		struct sigma_pat *p = &fm->pats[i];
		const struct sval *v = &sv->v[i];

		fm->npats = i + 1;
		if (md->re) {
			if (!make_re(v, md->re_flags, p, why, wl))
				return false;
		} else if (md->cidr) {
			if (!make_cidr(v, p)) {
				snprintf(why, wl, "bad CIDR '%.*s'",
				    (int)(v->len > 60 ? 60 : v->len), v->s);
				return false;
			}
		} else if (md->cmp != PAT_EQ || md->datepart != DP_NONE) {
			char *endp;

			p->kind = md->cmp != PAT_EQ ? md->cmp : PAT_NUMEQ;
			p->datepart = md->datepart;
			p->num = strtod(v->s, &endp);
			if (endp == v->s || *endp != '\0') {
				snprintf(why, wl, md->datepart ? "date-part modifiers "
				    "need a number" : "lt/gt need a number");
				return false;
			}
		} else if (!make_string_pat(v, md->pos, md->cased, md->windash,
		    p)) {
			return false;
		}
	}
	return true;
}

bool
sigma_value_compile(struct sigma_ruleset *rs, const char *key,
    yaml_document_t *doc, yaml_node_t *val, struct sigma_fieldmatch *fm,
    char *why, size_t wl)
{
	struct svals *sv = calloc(1, sizeof(*sv));
	struct mods md = { .cmp = PAT_EQ };
	const char *bar = strchr(key, '|'), *m;
	bool has_null = false, ok = false;

	memset(fm, 0, sizeof(*fm));
	fm->field_id = fm->ref_id = -1;
	if (sv == NULL)
		return false;
	fm->field = sigma_strndup(key, bar ? (size_t)(bar - key) : strlen(key));
	if (fm->field == NULL)
		goto out;
	if (fm->field[0] == '\0') {
		snprintf(why, wl, "a field name is empty in '%s'", key);
		goto out;
	}
	if (!collect_values(doc, val, sv, &has_null, why, wl))
		goto out;
	for (m = bar; m != NULL;) {
		const char *next = strchr(m + 1, '|');
		size_t ml = next ? (size_t)(next - m - 1) : strlen(m + 1);

		if (!apply_mod(rs, m + 1, ml, &md, sv, why, wl))
			goto out;
		m = next;
	}
	fm->field_id = sigma_fields_intern(&rs->fields, fm->field,
	    strlen(fm->field));
	fm->all = md.all;
	fm->cased = md.cased;
	fm->neq = md.neq;
	if (md.exists) {
		if (sv->n != 1 || (strcmp(sv->v[0].s, "true") != 0 &&
		    strcmp(sv->v[0].s, "false") != 0)) {
			snprintf(why, wl, "exists takes true or false");
			goto out;
		}
		fm->kind = FM_EXISTS;
		fm->exists = strcmp(sv->v[0].s, "true") == 0;
		ok = true;
		goto out;
	}
	if (has_null) {
		if (sv->n > 0 || bar != NULL) {
			snprintf(why, wl, "null must stand alone, without modifiers");
			goto out;
		}
		fm->kind = FM_NULL;
		ok = true;
		goto out;
	}
	if (sv->n == 0) {
		snprintf(why, wl, "field '%s' has no value", fm->field);
		goto out;
	}
	if (md.all && sv->n < 2 && !md.windash) {
		/* the spec forbids it; treat as the single value it is */
		md.all = fm->all = false;
	}
	if (md.datepart != DP_NONE && (md.pos != 0 || md.re || md.cidr ||
	    md.fieldref || md.windash)) {
		snprintf(why, wl, "a date-part modifier compares a number: it "
		    "cannot be combined with string, regex or CIDR modifiers");
		goto out;
	}
	if (md.fieldref) {
		if (sv->n != 1) {
			snprintf(why, wl, "fieldref takes one field name");
			goto out;
		}
		fm->kind = FM_FIELDREF;
		fm->ref_id = sigma_fields_intern(&rs->fields, sv->v[0].s,
		    sv->v[0].len);
		fm->ref_kind = md.pos == 1 ? PAT_CONTAINS : md.pos == 2 ?
		    PAT_STARTS : md.pos == 3 ? PAT_ENDS : PAT_EQ;
		ok = fm->ref_id >= 0;
		goto out;
	}
	fm->kind = FM_VALUES;
	ok = build_pats(&md, sv, fm, why, wl);
out:
	svals_clear(sv);
	free(sv);
	if (!ok && why[0] == '\0')
		snprintf(why, wl, "out of memory");
	return ok;
}

bool
sigma_keywords_compile(yaml_document_t *doc, yaml_node_t *list, bool all,
    struct sigma_fieldmatch *fm, char *why, size_t wl)
{
	struct svals *sv = calloc(1, sizeof(*sv));
	struct mods md = { .cmp = PAT_EQ, .pos = 1 };
	bool has_null, ok = false;

	memset(fm, 0, sizeof(*fm));
	fm->field_id = fm->ref_id = -1;
	if (sv == NULL)
		return false;
	if (!collect_values(doc, list, sv, &has_null, why, wl))
		goto out;
	if (sv->n == 0 || has_null) {
		snprintf(why, wl, "keyword list without values");
		goto out;
	}
	fm->kind = FM_KEYWORD;
	fm->all = all;
	ok = build_pats(&md, sv, fm, why, wl);
out:
	svals_clear(sv);
	free(sv);
	return ok;
}
