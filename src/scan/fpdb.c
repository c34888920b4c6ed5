/*
 * fpdb.c - the probe and match database: loading data/scan/probes.json and
 * matching a response against it (the banner parser every probe answer goes
 * through). Regexes are PCRE2, run on (pointer, length) with match and depth
 * limits, so a hostile answer can neither be read past its end nor make a
 * pattern backtrack for long.
 */
#include "csirt/common.h"

#include <jansson.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/embedded.h"
#include "csirt/scan_fp.h"
#include "scan/fp_internal.h"

#define MAX_SEND 1024
#define MAX_PORTS 64

static void
probe_release(struct fp_probe *p)
{
	free(p->send);
}

static void
match_release(struct fp_match *m)
{
	pcre2_code_free(m->re);
	free(m->product);
	free(m->version);
	free(m->distro);
	free(m->revision);
	free(m->cpe);
	free(m->package);
	free(m->package_version);
	free(m->info);
}

void
fpdb_free(struct fpdb *db)
{
	if (db == NULL)
		return;
	for (size_t k = 0; k < db->nprobes; k++)
		probe_release(&db->probes[k]);
	for (size_t k = 0; k < db->nmatches; k++)
		match_release(&db->matches[k]);
	free(db->probes);
	free(db->matches);
	pcre2_match_context_free(db->mctx);
	free(db);
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static enum csirt_rc
load_ports(json_t *arr, uint16_t *ports, size_t *n, const char *probe, struct csirt_err *err)
{
	size_t i;
	json_t *v;

	*n = 0;
	if (arr == NULL)
		return CSIRT_OK;
	if (!json_is_array(arr) || json_array_size(arr) > MAX_PORTS)
		return csirt_err_set(err, CSIRT_EPARSE, "ports", "probe %s: bad port list", probe);
	json_array_foreach(arr, i, v) {
		json_int_t p = json_integer_value(v);

		if (!json_is_integer(v) || p < 1 || p > 65535)
			return csirt_err_set(err, CSIRT_EPARSE, "ports", "probe %s: bad port", probe);
		ports[(*n)++] = (uint16_t)p;
	}
	return CSIRT_OK;
}

static enum csirt_rc
load_probe(json_t *o, struct fp_probe *p, struct csirt_err *err)
{
	const char *name = json_string_value(json_object_get(o, "name"));
	json_t *send = json_object_get(o, "send");
	const char *hex = json_string_value(json_object_get(o, "send_hex"));
	enum csirt_rc rc;

	if (name == NULL || strlen(name) >= sizeof(p->name))
		return csirt_err_set(err, CSIRT_EPARSE, "probes", "a probe without a valid name");
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (hex != NULL) {
		size_t hl = strlen(hex);

		if (hl % 2 || hl / 2 > MAX_SEND)
			return csirt_err_set(err, CSIRT_EPARSE, "send_hex", "probe %s: bad hex", name);
		p->send = malloc(hl / 2 + 1);
		if (p->send == NULL)
			return CSIRT_ENOMEM;
		for (size_t k = 0; k < hl / 2; k++) {
			int hi = hex_value(hex[2 * k]), lo = hex_value(hex[2 * k + 1]);

			if (hi < 0 || lo < 0)
				return csirt_err_set(err, CSIRT_EPARSE, "send_hex", "probe %s: bad hex",
				    name);
			p->send[k] = (unsigned char)(hi << 4 | lo);
		}
		p->send_len = hl / 2;
	} else if (json_is_string(send)) {
		size_t sl = json_string_length(send);

		if (sl > MAX_SEND)
			return csirt_err_set(err, CSIRT_EPARSE, "send", "probe %s: payload too long", name);
		p->send = malloc(sl + 1);
		if (p->send == NULL)
			return CSIRT_ENOMEM;
		memcpy(p->send, json_string_value(send), sl);
		p->send_len = sl;
	} else {
		return csirt_err_set(err, CSIRT_EPARSE, "send", "probe %s: no payload", name);
	}
	rc = load_ports(json_object_get(o, "ports"), p->ports, &p->nports, name, err);
	if (rc == CSIRT_OK)
		rc = load_ports(json_object_get(o, "tls_ports"), p->tls_ports, &p->ntls_ports, name,
		    err);
	return rc;
}

static char *
dup_field(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? strdup(s) : NULL;
}

static int
probe_index(const struct fpdb *db, const char *name)
{
	for (size_t k = 0; k < db->nprobes; k++)
		if (strcmp(db->probes[k].name, name) == 0)
			return (int)k;
	return -1;
}

static enum csirt_rc
load_match(struct fpdb *db, json_t *o, struct fp_match *m, size_t index, struct csirt_err *err)
{
	const char *probe = json_string_value(json_object_get(o, "probe"));
	const char *service = json_string_value(json_object_get(o, "service"));
	const char *regex = json_string_value(json_object_get(o, "regex"));
	int errcode;
	PCRE2_SIZE erroff;

	if (probe == NULL || service == NULL || regex == NULL ||
	    strlen(service) >= sizeof(m->service))
		return csirt_err_set(err, CSIRT_EPARSE, "matches",
		    "match %zu needs probe, service and regex", index);
	m->probe = probe_index(db, probe);
	if (m->probe < 0)
		return csirt_err_set(err, CSIRT_EPARSE, "matches", "match %zu: unknown probe '%s'",
		    index, probe);
	snprintf(m->service, sizeof(m->service), "%s", service);
	m->re = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED, 0, &errcode, &erroff,
	    NULL);
	if (m->re == NULL)
		return csirt_err_set(err, CSIRT_EPARSE, "regex",
		    "match %zu: regex does not compile at offset %zu", index, (size_t)erroff);
	m->product = dup_field(o, "product");
	m->version = dup_field(o, "version");
	m->distro = dup_field(o, "distro");
	m->revision = dup_field(o, "revision");
	m->cpe = dup_field(o, "cpe");
	m->package = dup_field(o, "package");
	m->package_version = dup_field(o, "package_version");
	m->info = dup_field(o, "info");
	m->soft = json_is_true(json_object_get(o, "soft"));
	m->tls_retry = json_is_true(json_object_get(o, "tls_retry"));
	return CSIRT_OK;
}

enum csirt_rc
fpdb_load(const char *text, size_t len, struct fpdb **out, struct csirt_err *err)
{
	struct fpdb *db = calloc(1, sizeof(*db));
	json_error_t jerr;
	json_t *root = NULL, *probes, *matches, *v;
	enum csirt_rc rc = CSIRT_OK;
	size_t i;

	*out = NULL;
	if (db == NULL)
		return CSIRT_ENOMEM;
	root = json_loadb(text, len, JSON_ALLOW_NUL, &jerr);
	if (root == NULL) {
		rc = csirt_err_set(err, CSIRT_EPARSE, NULL, "probe database: %s (line %d)", jerr.text,
		    jerr.line);
		goto out;
	}
	probes = json_object_get(root, "probes");
	matches = json_object_get(root, "matches");
	if (!json_is_array(probes) || !json_is_array(matches) || json_array_size(probes) == 0 ||
	    json_array_size(probes) > 256 || json_array_size(matches) > 65536) {
		rc = csirt_err_set(err, CSIRT_EPARSE, NULL, "probe database needs probes and matches");
		goto out;
	}
	db->probes = calloc(json_array_size(probes), sizeof(*db->probes));
	db->matches = calloc(json_array_size(matches) + 1, sizeof(*db->matches));
	db->mctx = pcre2_match_context_create(NULL);
	if (db->probes == NULL || db->matches == NULL || db->mctx == NULL) {
		rc = CSIRT_ENOMEM;
		goto out;
	}
	/* Bound the work one hostile answer can cause. */
	pcre2_set_match_limit(db->mctx, 200000);
	pcre2_set_depth_limit(db->mctx, 5000);
	json_array_foreach(probes, i, v) {
		rc = load_probe(v, &db->probes[i], err);
		db->nprobes = i + 1;
		if (rc != CSIRT_OK)
			goto out;
	}
	db->banner = probe_index(db, "banner");
	json_array_foreach(matches, i, v) {
		rc = load_match(db, v, &db->matches[i], i, err);
		db->nmatches = i + 1;
		if (rc != CSIRT_OK)
			goto out;
	}
	*out = db;
	db = NULL;
out:
	json_decref(root);
	fpdb_free(db);
	return rc;
}

enum csirt_rc
fpdb_load_default(struct fpdb **out, struct csirt_err *err)
{
	const struct embedded_file *f = embedded_find("data/scan/probes.json");

	if (f == NULL)
		return csirt_err_set(err, CSIRT_EINTERNAL, NULL, "probe database missing from build");
	return fpdb_load((const char *)f->data, f->size, out, err);
}

/* Keeps captured text printable and short: banners are hostile input. */
static size_t
clean_copy(char *dst, size_t cap, const unsigned char *src, size_t len)
{
	size_t n = 0;

	for (size_t k = 0; k < len && n + 1 < cap; k++)
		dst[n++] = (src[k] >= 0x20 && src[k] < 0x7f) ? (char)src[k] : '?';
	dst[n] = '\0';
	return n;
}

/* CPE 2.3 formatted strings quote everything but letters, digits, '_', '-' and '.'. */
static size_t
cpe_quote(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	for (; *src && n + 2 < cap; src++) {
		unsigned char c = (unsigned char)*src;

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || c == '-' || c == '.'))
			dst[n++] = '\\';
		dst[n++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	dst[n] = '\0';
	return n;
}

/*
 * Expands a template: $N is capture N, $N?X is capture N or the character X
 * when it is empty. Returns false if 'strict' and a capture used was empty.
 */
static bool
expand(const char *tmpl, const unsigned char *subject, const PCRE2_SIZE *ov, int ncap,
    bool cpe, bool strict, char *dst, size_t cap)
{
	size_t n = 0;
	bool complete = true;

	dst[0] = '\0';
	if (tmpl == NULL)
		return true;
	for (const char *t = tmpl; *t && n + 1 < cap; t++) {
		char piece[128];
		int g;

		if (t[0] != '$' || t[1] < '1' || t[1] > '9') {
			dst[n++] = *t;
			continue;
		}
		g = t[1] - '0';
		t++;
		piece[0] = '\0';
		if (g < ncap && ov[2 * g] != PCRE2_UNSET)
			clean_copy(piece, sizeof(piece), subject + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
		if (t[1] == '?' && t[2] != '\0') {
			if (piece[0] == '\0') {
				piece[0] = t[2];
				piece[1] = '\0';
			}
			t += 2;
		}
		if (piece[0] == '\0')
			complete = false;
		if (cpe && !(piece[0] == '-' && piece[1] == '\0') && !(piece[0] == '*' && piece[1] == '\0')) {
			char q[256];

			cpe_quote(q, sizeof(q), piece);
			n += (size_t)snprintf(dst + n, cap - n, "%s", q);
		} else {
			n += (size_t)snprintf(dst + n, cap - n, "%s", piece);
		}
		if (n >= cap)
			n = cap - 1;
	}
	dst[n] = '\0';
	return complete || !strict;
}

/* An empty CPE field left by an empty capture means "any". */
static void
cpe_fill_empty(char *cpe, size_t cap)
{
	char out[192];
	size_t n = 0;

	for (size_t k = 0; cpe[k] && n + 2 < sizeof(out); k++) {
		out[n++] = cpe[k];
		if (cpe[k] == ':' && (k == 0 || cpe[k - 1] != '\\') &&
		    (cpe[k + 1] == ':' || cpe[k + 1] == '\0'))
			out[n++] = '*';
	}
	out[n] = '\0';
	snprintf(cpe, cap, "%s", out);
}

static void
fill(const struct fp_match *m, const unsigned char *resp, const PCRE2_SIZE *ov, int ncap,
    struct scan_service *out)
{
	snprintf(out->service, sizeof(out->service), "%s", m->service);
	expand(m->product, resp, ov, ncap, false, false, out->product, sizeof(out->product));
	expand(m->version, resp, ov, ncap, false, false, out->version, sizeof(out->version));
	expand(m->distro, resp, ov, ncap, false, false, out->distro, sizeof(out->distro));
	expand(m->revision, resp, ov, ncap, false, false, out->revision, sizeof(out->revision));
	expand(m->info, resp, ov, ncap, false, false, out->info, sizeof(out->info));
	if (m->cpe != NULL) {
		expand(m->cpe, resp, ov, ncap, true, false, out->cpe, sizeof(out->cpe));
		cpe_fill_empty(out->cpe, sizeof(out->cpe));
	} else {
		out->cpe[0] = '\0';
	}
	out->package[0] = out->package_version[0] = '\0';
	/* The package version is only worth stating when the wire gave its revision. */
	if (m->package != NULL && m->package_version != NULL &&
	    expand(m->package_version, resp, ov, ncap, false, true, out->package_version,
	    sizeof(out->package_version)))
		expand(m->package, resp, ov, ncap, false, false, out->package, sizeof(out->package));
	else
		out->package_version[0] = '\0';
	out->soft = m->soft;
}

static int
try_matches(const struct fpdb *db, int probe, const unsigned char *resp, size_t len,
    struct scan_service *out, bool *tls_retry, bool *soft_seen)
{
	pcre2_match_data *md = NULL;
	int result = 0;

	for (size_t k = 0; k < db->nmatches; k++) {
		const struct fp_match *m = &db->matches[k];
		int rc;

		if (m->probe != probe)
			continue;
		if (md == NULL) {
			md = pcre2_match_data_create(10, NULL);
			if (md == NULL)
				return 0;
		}
		rc = pcre2_match(m->re, resp, len, 0, 0, md, db->mctx);
		if (rc < 0)
			continue;
		if (m->tls_retry && tls_retry != NULL)
			*tls_retry = true;
		if (m->soft) {
			/* Remember the first soft match, keep looking for a full one. */
			if (!*soft_seen) {
				fill(m, resp, pcre2_get_ovector_pointer(md), rc, out);
				*soft_seen = true;
			}
			continue;
		}
		fill(m, resp, pcre2_get_ovector_pointer(md), rc, out);
		result = 2;
		break;
	}
	pcre2_match_data_free(md);
	return result;
}

int
fpdb_match(const struct fpdb *db, const char *probe, const unsigned char *resp, size_t len,
    struct scan_service *out, bool *tls_retry)
{
	int p = probe_index(db, probe);
	bool soft = false;

	if (tls_retry != NULL)
		*tls_retry = false;
	if (p < 0 || len == 0)
		return 0;
	snprintf(out->probe, sizeof(out->probe), "%s", probe);
	if (try_matches(db, p, resp, len, out, tls_retry, &soft) == 2)
		return 2;
	/* Many services greet whatever was sent: the banner matches apply too. */
	if (p != db->banner && db->banner >= 0 &&
	    try_matches(db, db->banner, resp, len, out, tls_retry, &soft) == 2)
		return 2;
	return soft ? 1 : 0;
}
