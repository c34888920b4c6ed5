/*
 * inventory.c - installed packages from dpkg's status file (parsed here:
 * it is a plain RFC 822-style file and reading it needs no privileges or
 * tools) and from rpm's database through `rpm -qa` when one exists.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csirt/buf.h"
#include "csirt/scan_inventory.h"

#define MAX_STANZAS 200000
#define STATUS_MAX (512u * 1024 * 1024)

void
package_list_release(struct package_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static struct package *
list_add(struct package_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct package *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/* Copies a field value; false if it does not fit (the stanza is then skipped). */
static bool
set_field(char *dst, size_t cap, const char *v, size_t n)
{
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r'))
		n--;
	if (n >= cap)
		return false;
	memcpy(dst, v, n);
	dst[n] = '\0';
	return true;
}

struct stanza {
	struct package p;
	char status[64];
	bool ok;
};

static void
stanza_field(struct stanza *s, const char *line, size_t n)
{
	const char *colon = memchr(line, ':', n);
	size_t klen;
	const char *v;
	size_t vlen;

	if (colon == NULL || line[0] == ' ' || line[0] == '\t')
		return;		/* continuation lines (descriptions) carry nothing we need */
	klen = (size_t)(colon - line);
	v = colon + 1;
	vlen = n - klen - 1;
	if (klen == 7 && memcmp(line, "Package", 7) == 0)
		s->ok &= set_field(s->p.name, sizeof(s->p.name), v, vlen);
	else if (klen == 7 && memcmp(line, "Version", 7) == 0)
		s->ok &= set_field(s->p.version, sizeof(s->p.version), v, vlen);
	else if (klen == 12 && memcmp(line, "Architecture", 12) == 0)
		s->ok &= set_field(s->p.arch, sizeof(s->p.arch), v, vlen);
	else if (klen == 6 && memcmp(line, "Status", 6) == 0)
		s->ok &= set_field(s->status, sizeof(s->status), v, vlen);
	else if (klen == 6 && memcmp(line, "Source", 6) == 0) {
		/* "Source: openssh" or "Source: openssh (1:9.2p1-2)" */
		char tmp[256];
		char *paren;

		if (!set_field(tmp, sizeof(tmp), v, vlen)) {
			s->ok = false;
			return;
		}
		paren = strchr(tmp, '(');
		if (paren != NULL) {
			char *close = strchr(paren, ')');

			if (close != NULL)
				*close = '\0';
			s->ok &= set_field(s->p.source_version, sizeof(s->p.source_version),
			    paren + 1, strlen(paren + 1));
			*paren = '\0';
		}
		s->ok &= set_field(s->p.source, sizeof(s->p.source), tmp, strlen(tmp));
	}
}

static enum csirt_rc
stanza_end(struct stanza *s, struct package_list *out)
{
	struct package *p;

	if (s->ok && s->p.name[0] && s->p.version[0] &&
	    strcmp(s->status, "install ok installed") == 0) {
		p = list_add(out);
		if (p == NULL)
			return CSIRT_ENOMEM;
		*p = s->p;
		snprintf(p->type, sizeof(p->type), "deb");
		if (p->source[0] == '\0')
			snprintf(p->source, sizeof(p->source), "%s", p->name);
		if (p->source_version[0] == '\0')
			snprintf(p->source_version, sizeof(p->source_version), "%s", p->version);
	}
	memset(s, 0, sizeof(*s));
	s->ok = true;
	return CSIRT_OK;
}

enum csirt_rc
inventory_parse_dpkg_status(const char *data, size_t len, struct package_list *out,
    struct csirt_err *err)
{
	struct stanza s;
	size_t pos = 0, stanzas = 0;
	enum csirt_rc rc;

	memset(&s, 0, sizeof(s));
	s.ok = true;
	while (pos < len) {
		const char *line = data + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		pos += n + 1;
		if (n == 0 || (n == 1 && line[0] == '\r')) {
			if (++stanzas > MAX_STANZAS)
				return csirt_err_set(err, CSIRT_ETOOBIG, NULL, "too many packages");
			rc = stanza_end(&s, out);
			if (rc != CSIRT_OK)
				return rc;
			continue;
		}
		stanza_field(&s, line, n);
	}
	return stanza_end(&s, out);
}

static enum csirt_rc
read_file(const char *path, char **data, size_t *len, struct csirt_err *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t n;

	*data = NULL;
	if (f == NULL)
		return csirt_err_set(err, CSIRT_EIO, NULL, "cannot open %s", path);
	if (fstat(fileno(f), &st) != 0 || st.st_size < 0 || (size_t)st.st_size > STATUS_MAX) {
		fclose(f);
		return csirt_err_set(err, CSIRT_ETOOBIG, NULL, "%s is too large", path);
	}
	*data = malloc((size_t)st.st_size + 1);
	if (*data == NULL) {
		fclose(f);
		return CSIRT_ENOMEM;
	}
	n = fread(*data, 1, (size_t)st.st_size, f);
	fclose(f);
	*len = n;
	return CSIRT_OK;
}

/* One field of an `rpm -qa` line: up to the next tab or the line's end. */
static const char *
rpm_field(const char **p, const char *end, size_t *n)
{
	const char *start = *p, *q = *p;

	while (q < end && *q != '\t')
		q++;
	*n = (size_t)(q - start);
	*p = q < end ? q + 1 : q;
	return start;
}

enum csirt_rc
inventory_parse_rpm_qa(const char *data, size_t len, struct package_list *out,
    struct csirt_err *err)
{
	const char *p = data, *end = data + len;
	size_t lines = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end, *f[4];
		size_t n[4];
		struct package *pk, tmp;

		if (++lines > MAX_STANZAS)
			return csirt_err_set(err, CSIRT_ETOOBIG, NULL, "too many packages");
		for (int k = 0; k < 4; k++)
			f[k] = rpm_field(&p, line_end, &n[k]);
		p = nl ? nl + 1 : end;
		memset(&tmp, 0, sizeof(tmp));
		/* An epoch of 0 is the same as none; keep versions in their usual form. */
		if (n[1] >= 2 && memcmp(f[1], "0:", 2) == 0) {
			f[1] += 2;
			n[1] -= 2;
		}
		if (n[0] == 0 || n[1] == 0 || !set_field(tmp.name, sizeof(tmp.name), f[0], n[0]) ||
		    !set_field(tmp.version, sizeof(tmp.version), f[1], n[1]) ||
		    !set_field(tmp.arch, sizeof(tmp.arch), f[2], n[2]) ||
		    !set_field(tmp.source, sizeof(tmp.source), f[3], n[3]))
			continue;	/* a line we cannot hold whole is skipped, never cut */
		if (tmp.source[0] == '\0')
			memcpy(tmp.source, tmp.name, sizeof(tmp.source));
		memcpy(tmp.type, "rpm", 4);
		memcpy(tmp.source_version, tmp.version, sizeof(tmp.source_version));
		pk = list_add(out);
		if (pk == NULL)
			return CSIRT_ENOMEM;
		*pk = tmp;
	}
	return CSIRT_OK;
}

/* rpm -qa, when this host has an rpm database with packages in it. */
static enum csirt_rc
collect_rpm(struct package_list *out, struct csirt_err *err)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *p;
	enum csirt_rc rc = CSIRT_OK;

	if (access("/var/lib/rpm", F_OK) != 0 || access("/usr/bin/rpm", X_OK) != 0)
		return CSIRT_OK;
	p = popen("/usr/bin/rpm -qa --qf '" INVENTORY_RPM_QF "' 2>/dev/null", "r");
	if (p == NULL)
		return CSIRT_OK;
	buf_init(&b, INVENTORY_OUTPUT_MAX);
	while (rc == CSIRT_OK && (n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		rc = buf_append(&b, chunk, n);
	pclose(p);
	if (rc == CSIRT_OK)
		rc = inventory_parse_rpm_qa(b.data ? b.data : "", b.len, out, err);
	else
		rc = csirt_err_set(err, rc, NULL, "rpm -qa printed too much");
	buf_release(&b);
	return rc;
}

enum csirt_rc
inventory_collect(const char *path, struct package_list *out, struct csirt_err *err)
{
	char *data = NULL;
	size_t len = 0;
	enum csirt_rc rc;

	if (path == NULL)
		path = "/var/lib/dpkg/status";
	if (access(path, R_OK) == 0) {
		rc = read_file(path, &data, &len, err);
		if (rc == CSIRT_OK)
			rc = inventory_parse_dpkg_status(data, len, out, err);
		free(data);
		if (rc != CSIRT_OK)
			return rc;
	}
	return collect_rpm(out, err);
}

void
inventory_parse_os_release(const char *data, size_t len, struct inventory_host *h)
{
	const char *p = data, *end = data + len;

	h->os_id[0] = h->os_version_id[0] = '\0';
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end, *eq = memchr(p, '=', (size_t)(line_end - p));
		const char *v, *v_end = line_end;
		char *dst = NULL;
		size_t cap = 0, klen;

		if (eq != NULL) {
			klen = (size_t)(eq - p);
			if (klen == 2 && memcmp(p, "ID", 2) == 0) {
				dst = h->os_id;
				cap = sizeof(h->os_id);
			} else if (klen == 10 && memcmp(p, "VERSION_ID", 10) == 0) {
				dst = h->os_version_id;
				cap = sizeof(h->os_version_id);
			}
		}
		if (dst != NULL) {
			v = eq + 1;
			if (v_end > v && v_end[-1] == '\r')
				v_end--;
			if (v_end - v >= 2 && (*v == '"' || *v == '\'') && v_end[-1] == *v) {
				v++;
				v_end--;
			}
			if (!set_field(dst, cap, v, (size_t)(v_end - v)))
				dst[0] = '\0';
		}
		p = nl ? nl + 1 : end;
	}
}

void
inventory_local_host(struct inventory_host *h)
{
	char *data = NULL;
	size_t len = 0;
	struct csirt_err err;

	memset(h, 0, sizeof(*h));
	gethostname(h->host, sizeof(h->host) - 1);
	if (read_file("/etc/os-release", &data, &len, &err) == CSIRT_OK)
		inventory_parse_os_release(data ? data : "", len, h);
	free(data);
}

json_t *
inventory_to_json(const struct package_list *l, const struct inventory_host *h)
{
	json_t *doc = json_object(), *pkgs = json_array(), *os = json_object();
	char when[32];

	if (doc == NULL || pkgs == NULL || os == NULL) {
		json_decref(doc);
		json_decref(pkgs);
		json_decref(os);
		return NULL;
	}
	time_format_iso(time_now(), when);
	json_object_set_new(doc, "host", json_string(h->host));
	json_object_set_new(os, "id", json_string(h->os_id));
	json_object_set_new(os, "version_id", json_string(h->os_version_id));
	json_object_set_new(doc, "os", os);
	json_object_set_new(doc, "collected_at", json_string(when));
	for (size_t k = 0; k < l->n; k++) {
		const struct package *p = &l->v[k];

		json_array_append_new(pkgs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
		    "type", p->type, "name", p->name, "version", p->version, "arch", p->arch,
		    "source", p->source, "source_version", p->source_version));
	}
	json_object_set_new(doc, "packages", pkgs);
	return doc;
}

enum csirt_rc
inventory_from_json(const json_t *doc, struct package_list *out, struct csirt_err *err)
{
	const json_t *pkgs = json_object_get(doc, "packages");
	size_t i;
	json_t *v;

	if (!json_is_array(pkgs))
		return csirt_err_set(err, CSIRT_EPARSE, "packages", "inventory has no package list");
	if (json_array_size(pkgs) > MAX_STANZAS)
		return csirt_err_set(err, CSIRT_ETOOBIG, "packages", "too many packages");
	json_array_foreach(pkgs, i, v) {
		const char *type = json_string_value(json_object_get(v, "type"));
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *version = json_string_value(json_object_get(v, "version"));
		const char *arch = json_string_value(json_object_get(v, "arch"));
		const char *source = json_string_value(json_object_get(v, "source"));
		const char *sv = json_string_value(json_object_get(v, "source_version"));
		struct package *p;

		if (name == NULL || version == NULL || strlen(name) >= sizeof(p->name) ||
		    strlen(version) >= sizeof(p->version))
			return csirt_err_set(err, CSIRT_EPARSE, "packages",
			    "package %zu lacks a valid name or version", i);
		p = list_add(out);
		if (p == NULL)
			return CSIRT_ENOMEM;
		snprintf(p->type, sizeof(p->type), "%s", type && strcmp(type, "rpm") == 0 ? "rpm" : "deb");
		snprintf(p->name, sizeof(p->name), "%s", name);
		snprintf(p->version, sizeof(p->version), "%s", version);
		snprintf(p->arch, sizeof(p->arch), "%s", arch ? arch : "");
		snprintf(p->source, sizeof(p->source), "%s", source ? source : name);
		snprintf(p->source_version, sizeof(p->source_version), "%s", sv ? sv : version);
	}
	return CSIRT_OK;
}
