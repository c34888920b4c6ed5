/*
 * vulndb.c - the vulnerability database's storage and the matcher: NVD
 * configuration logic (AND/OR, negate, version ranges with including and
 * excluding bounds) over CPE names, the distribution lane over package
 * versions, and KEV/EPSS enrichment of every finding.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/scan_version.h"
#include "csirt/scan_vulndb.h"
#include "scan/vulndb_internal.h"

bool
vdb_reserve(void **arr, uint32_t *cap, uint32_t n, size_t size)
{
	void *v;
	uint32_t ncap;

	if (n < *cap)
		return true;
	if (*cap >= UINT32_MAX / 2)
		return false;
	ncap = *cap ? *cap * 2 : 256;
	v = realloc(*arr, (size_t)ncap * size);
	if (v == NULL)
		return false;
	*arr = v;
	*cap = ncap;
	return true;
}

struct vulndb *
vulndb_new(void)
{
	return calloc(1, sizeof(struct vulndb));
}

void
vulndb_free(struct vulndb *db)
{
	if (db == NULL)
		return;
	for (uint32_t k = 0; k < db->nmatches; k++) {
		free(db->matches[k].crit.buf);
		free(db->matches[k].start);
		free(db->matches[k].end);
	}
	for (uint32_t k = 0; k < db->ndistro; k++) {
		free(db->distro[k].introduced);
		free(db->distro[k].fixed);
	}
	for (uint32_t k = 0; k < db->nplists; k++)
		free(db->plists[k].v);
	for (uint32_t k = 0; k < db->ndlists; k++)
		free(db->dlists[k].v);
	free(db->cves);
	free(db->cfgs);
	free(db->nodes);
	free(db->matches);
	free(db->distro);
	free(db->plists);
	free(db->dlists);
	strmap_release(&db->cve_index);
	strmap_release(&db->product_index);
	strmap_release(&db->distro_index);
	free(db);
}

uint32_t
vdb_cve(struct vulndb *db, const char *id)
{
	uint32_t k;
	struct vcve *c;

	if (strmap_get(&db->cve_index, id, &k))
		return k;
	if (strlen(id) >= sizeof(c->id) ||
	    !vdb_reserve((void **)&db->cves, &db->capcves, db->ncves, sizeof(*db->cves)))
		return UINT32_MAX;
	c = &db->cves[db->ncves];
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", id);
	c->epss = c->epss_pct = -1;
	if (!strmap_put(&db->cve_index, id, db->ncves))
		return UINT32_MAX;
	return db->ncves++;
}

bool
vdb_list_add(struct strmap *index, struct idlist **lists, uint32_t *nlists, uint32_t *cap,
    const char *key, uint32_t id)
{
	uint32_t li;
	struct idlist *l;

	if (!strmap_get(index, key, &li)) {
		if (!vdb_reserve((void **)lists, cap, *nlists, sizeof(**lists)))
			return false;
		li = (*nlists)++;
		memset(&(*lists)[li], 0, sizeof((*lists)[li]));
		if (!strmap_put(index, key, li))
			return false;
	}
	l = &(*lists)[li];
	if (l->n > 0 && l->v[l->n - 1] == id)
		return true;	/* the same record names a product twice */
	if (!vdb_reserve((void **)&l->v, &l->cap, l->n, sizeof(*l->v)))
		return false;
	l->v[l->n++] = id;
	return true;
}

bool
ccpe_set(struct ccpe *c, const struct cpe *full)
{
	size_t total = 0, pos = 0;

	for (int k = 0; k < CPE_NATTR; k++)
		total += strlen(full->a[k]) + 1;
	c->buf = malloc(total);
	if (c->buf == NULL)
		return false;
	for (int k = 0; k < CPE_NATTR; k++) {
		size_t n = strlen(full->a[k]) + 1;

		memcpy(c->buf + pos, full->a[k], n);
		c->off[k] = (uint16_t)pos;
		pos += n;
	}
	return true;
}

static const char *
ccpe_attr(const struct ccpe *c, int k)
{
	return c->buf + c->off[k];
}

/* NISTIR 7696 name match of a stored criteria against an asset CPE. */
static bool
ccpe_match(const struct ccpe *src, const struct cpe *tgt, bool skip_version)
{
	for (int k = 0; k < CPE_NATTR; k++) {
		enum cpe_relation r;

		if (skip_version && k == CPE_VERSION)
			continue;
		r = cpe_attr_compare(ccpe_attr(src, k), tgt->a[k]);
		if (r != CPE_SUPERSET && r != CPE_EQUAL)
			return false;
	}
	return true;
}

static bool
range_ok(const struct vmatch *m, const char *ver)
{
	int c;

	if (strcmp(ver, "*") == 0 || strcmp(ver, "-") == 0 || ver[0] == '\0')
		return false;	/* unknown version: never a finding (reported as unknown) */
	if (m->start != NULL) {
		c = version_compare_str(VERSION_UPSTREAM, ver, m->start);
		if (c < 0 || (c == 0 && !m->start_incl))
			return false;
	}
	if (m->end != NULL) {
		c = version_compare_str(VERSION_UPSTREAM, ver, m->end);
		if (c > 0 || (c == 0 && !m->end_incl))
			return false;
	}
	return true;
}

/* Is match entry m satisfied by some asset CPE? Sets *which to it. */
/*
 * The common entry names part, vendor, product and maybe a version, all
 * plain values, everything else ANY: then NISTIR 7696 reduces to equality
 * of those values against an asset without wildcards (ANY in the asset is
 * SUBSET, not a match).
 */
static bool
simple_match(const struct vmatch *m, const struct cpe *t)
{
	const struct ccpe *c = &m->crit;

	if (strcmp(ccpe_attr(c, CPE_PRODUCT), t->a[CPE_PRODUCT]) != 0 ||
	    strcmp(ccpe_attr(c, CPE_VENDOR), t->a[CPE_VENDOR]) != 0)
		return false;
	if (strcmp(ccpe_attr(c, CPE_PART), "*") != 0 &&
	    strcmp(ccpe_attr(c, CPE_PART), t->a[CPE_PART]) != 0)
		return false;
	if (!m->has_range && strcmp(ccpe_attr(c, CPE_VERSION), "*") != 0)
		return strcmp(ccpe_attr(c, CPE_VERSION), t->a[CPE_VERSION]) == 0;
	return true;
}

/* An asset attribute holding a wildcard inside a value makes NISTIR 7696 undefined. */
static bool
cpe_has_inner_wildcard(const struct cpe *c)
{
	for (int j = 0; j < CPE_NATTR; j++)
		if (strcmp(c->a[j], "*") != 0 && (strchr(c->a[j], '*') || strchr(c->a[j], '?')))
			return true;
	return false;
}

static bool
entry_true(const struct vmatch *m, const struct cpe *assets, size_t n, size_t *which)
{
	for (size_t k = 0; k < n; k++) {
		if (m->simple && assets[k].a[CPE_OTHER][CPE_VALUE_MAX - 1] != 'W') {
			if (!simple_match(m, &assets[k]))
				continue;
		} else if (!ccpe_match(&m->crit, &assets[k], m->has_range)) {
			continue;
		}
		if (m->has_range && !range_ok(m, assets[k].a[CPE_VERSION]))
			continue;
		*which = k;
		return true;
	}
	return false;
}

static bool
node_true(const struct vulndb *db, const struct vnode *nd, const struct cpe *assets, size_t n)
{
	bool v = nd->and_op;

	for (uint32_t k = 0; k < nd->n; k++) {
		size_t which;
		bool e = entry_true(&db->matches[nd->first + k], assets, n, &which);

		if (nd->and_op && !e) {
			v = false;
			break;
		}
		if (!nd->and_op && e) {
			v = true;
			break;
		}
	}
	return nd->negate ? !v : v;
}

static bool
config_true(const struct vulndb *db, const struct vcfg *cf, const struct cpe *assets, size_t n)
{
	bool v = cf->and_op;

	for (uint32_t k = 0; k < cf->n; k++) {
		bool e = node_true(db, &db->nodes[cf->first + k], assets, n);

		if (cf->and_op && !e) {
			v = false;
			break;
		}
		if (!cf->and_op && e) {
			v = true;
			break;
		}
	}
	return cf->negate ? !v : v;
}

void
finding_list_release(struct finding_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct finding *
finding_add(struct finding_list *l, const struct vcve *c, enum finding_lane lane,
    const char *status)
{
	struct finding *f;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct finding *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->cve, sizeof(f->cve), "%s", c->id);
	f->lane = lane;
	snprintf(f->status, sizeof(f->status), "%s", status);
	f->cvss = c->cvss;
	f->kev = c->kev;
	f->kev_ransomware = c->ransomware;
	snprintf(f->kev_due, sizeof(f->kev_due), "%s", c->kev_due);
	f->epss = c->epss;
	f->epss_percentile = c->epss_pct;
	return f;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Candidate CVEs: every CVE listed under one of the assets' products, sorted, unique. */
static uint32_t *
candidates(const struct vulndb *db, const struct cpe *assets, size_t n, size_t *count)
{
	uint32_t *v = NULL;
	size_t len = 0, cap = 0;

	for (size_t k = 0; k < n; k++) {
		char key[2 * CPE_VALUE_MAX + 2];
		uint32_t li;
		const struct idlist *l;

		cpe_key(&assets[k], key, sizeof(key));
		if (!strmap_get(&db->product_index, key, &li))
			continue;
		l = &db->plists[li];
		if (len + l->n > cap) {
			uint32_t *nv;

			cap = (len + l->n) * 2;
			nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL) {
				free(v);
				*count = 0;
				return NULL;
			}
			v = nv;
		}
		memcpy(v + len, l->v, l->n * sizeof(*v));
		len += l->n;
	}
	if (len > 1 && n > 1) {	/* one product's list is already unique */
		size_t u = 1;

		qsort(v, len, sizeof(*v), u32_cmp);
		for (size_t k = 1; k < len; k++)
			if (v[k] != v[u - 1])
				v[u++] = v[k];
		len = u;
	}
	*count = len;
	return v;
}

/* For a true configuration, the asset a vulnerable:true entry matched (first one). */
static bool
config_component(const struct vulndb *db, const struct vcfg *cf, const struct cpe *assets,
    size_t n, size_t *which)
{
	for (uint32_t k = 0; k < cf->n; k++) {
		const struct vnode *nd = &db->nodes[cf->first + k];

		if (nd->negate)
			continue;
		for (uint32_t j = 0; j < nd->n; j++) {
			const struct vmatch *m = &db->matches[nd->first + j];

			if (m->vulnerable && entry_true(m, assets, n, which))
				return true;
		}
	}
	return false;
}

enum csirt_rc
vulndb_match_cpes(const struct vulndb *db, const struct cpe *in, size_t n,
    struct finding_list *out)
{
	struct cpe *assets = NULL;
	uint32_t *cand = NULL;
	size_t ncand = 0;
	enum csirt_rc rc = CSIRT_OK;

	if (n == 0)
		return CSIRT_OK;
	assets = malloc(n * sizeof(*assets));
	if (assets == NULL)
		return CSIRT_ENOMEM;
	for (size_t k = 0; k < n; k++) {
		assets[k] = in[k];
		cpe_canonical(&assets[k]);
		/*
		 * Mark assets the fast path must not take in the last (always
		 * unused) byte of an attribute, so struct cpe stays as it is.
		 */
		assets[k].a[CPE_OTHER][CPE_VALUE_MAX - 1] = cpe_has_inner_wildcard(&assets[k]) ? 'W' : '\0';
	}
	cand = candidates(db, assets, n, &ncand);
	if (cand == NULL && ncand > 0) {
		rc = CSIRT_ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < ncand; k++) {
		const struct vcve *c = &db->cves[cand[k]];

		for (uint32_t j = 0; j < c->cfg_n; j++) {
			const struct vcfg *cf = &db->cfgs[c->cfg_first + j];
			size_t which;
			struct finding *f;

			if (!config_true(db, cf, assets, n) ||
			    !config_component(db, cf, assets, n, &which))
				continue;
			f = finding_add(out, c, LANE_POTENTIAL, "potential");
			if (f == NULL) {
				rc = CSIRT_ENOMEM;
				goto out;
			}
			cpe_format(&assets[which], f->component, sizeof(f->component));
			snprintf(f->installed, sizeof(f->installed), "%s", assets[which].a[CPE_VERSION]);
			break;	/* one finding per CVE */
		}
	}
out:
	free(cand);
	free(assets);
	return rc;
}

/* "debian:12" from an os-release id/version or a Debian revision ("2+deb12u3"). */
static bool
release_key(const char *os_id, const char *os_version, char *out, size_t cap)
{
	if (os_id == NULL || os_version == NULL || !os_id[0] || !os_version[0])
		return false;
	snprintf(out, cap, "%s:%s", os_id, os_version);
	return true;
}

static bool
release_from_revision(const char *rev, char *out, size_t cap)
{
	const char *p = strstr(rev, "deb");

	while (p != NULL) {
		int major = 0, digits = 0;
		const char *q = p + 3;

		while (*q >= '0' && *q <= '9' && digits < 3) {
			major = major * 10 + (*q - '0');
			q++;
			digits++;
		}
		if (digits > 0 && (*q == 'u' || *q == '\0' || *q == '+' || *q == '.')) {
			snprintf(out, cap, "debian:%d", major);
			return true;
		}
		p = strstr(p + 3, "deb");
	}
	return false;
}

/*
 * Distribution entries for (release, source package) and one CVE (or all
 * when cve is UINT32_MAX). Calls 'fn' for each entry of the two lists
 * "release|pkg" and "debian:*|pkg" (an unversioned ecosystem).
 */
static const struct idlist *
distro_list(const struct vulndb *db, const char *release, const char *pkg)
{
	char key[256];
	uint32_t li;

	snprintf(key, sizeof(key), "%s|%s", release, pkg);
	if (!strmap_get(&db->distro_index, key, &li))
		return NULL;
	return &db->dlists[li];
}

/* Is 'version' affected by distribution entry d, in the package system's order? */
static bool
distro_affects(const struct vdistro *d, enum version_scheme scheme, const char *version)
{
	if (d->state == VD_NOT_AFFECTED)
		return false;
	if (d->introduced != NULL && strcmp(d->introduced, "0") != 0 &&
	    version_compare_str(scheme, version, d->introduced) < 0)
		return false;
	if (d->state == VD_OPEN)
		return true;
	return version_compare_str(scheme, version, d->fixed) < 0;
}

/* "openssl-3.0.7-27.el9.src.rpm" -> "openssl": rpm's source package name. */
static void
rpm_source_name(const char *srpm, const char *fallback, char *out, size_t cap)
{
	size_t n = strlen(srpm);
	int dashes = 0;

	snprintf(out, cap, "%s", fallback);
	if (n < 9 || strcmp(srpm + n - 8, ".src.rpm") != 0)
		return;
	/* drop "-VERSION-RELEASE.src.rpm": the last two dashes */
	while (n > 0 && dashes < 2)
		if (srpm[--n] == '-')
			dashes++;
	if (dashes == 2 && n > 0 && n < cap)
		snprintf(out, cap, "%.*s", (int)n, srpm);
}

/* Release key of an inventory: rpm-based systems by their major version. */
static bool
inventory_release(const char *os_id, const char *os_version, bool rpm, char *out, size_t cap)
{
	if (!release_key(os_id, os_version, out, cap))
		return false;
	if (rpm) {
		size_t cut = strlen(os_id) + 1 + strcspn(os_version, ".");

		if (cut < strlen(out))
			out[cut] = '\0';
	}
	return true;
}

enum csirt_rc
vulndb_match_packages(const struct vulndb *db, const struct package_list *pkgs, const char *os_id,
    const char *os_version, struct finding_list *out)
{
	char release[64], rpm_release[64], any[64];

	if (!inventory_release(os_id, os_version, false, release, sizeof(release)) ||
	    !inventory_release(os_id, os_version, true, rpm_release, sizeof(rpm_release)))
		return CSIRT_EINVAL;
	snprintf(any, sizeof(any), "%s:*", os_id);
	for (size_t k = 0; k < pkgs->n; k++) {
		const struct package *p = &pkgs->v[k];
		bool rpm = strcmp(p->type, "rpm") == 0;
		enum version_scheme scheme = rpm ? VERSION_RPM_EVR : VERSION_DPKG;
		const char *rel = rpm ? rpm_release : release;
		char src[128];
		const struct idlist *lists[4];

		/* Debian's advisories name source packages; rpm advisories (OSV of
		 * AlmaLinux, Rocky Linux) name binary packages, some sources. */
		if (rpm)
			rpm_source_name(p->source, p->name, src, sizeof(src));
		else
			snprintf(src, sizeof(src), "%s", p->source);
		lists[0] = distro_list(db, rel, src);
		lists[1] = distro_list(db, any, src);
		lists[2] = rpm && strcmp(src, p->name) != 0 ? distro_list(db, rel, p->name) : NULL;
		lists[3] = rpm && strcmp(src, p->name) != 0 ? distro_list(db, any, p->name) : NULL;
		for (int li = 0; li < 4; li++) {
			for (uint32_t j = 0; lists[li] != NULL && j < lists[li]->n; j++) {
				const struct vdistro *d = &db->distro[lists[li]->v[j]];
				const struct vcve *c = &db->cves[d->cve];
				const char *installed = rpm ? p->version : p->source_version;
				struct finding *f;
				bool dup = false;

				if (!distro_affects(d, scheme, installed))
					continue;
				/* Several binary packages share a source: one finding per binary. */
				for (size_t x = 0; x < out->n && !dup; x++)
					dup = strcmp(out->v[x].cve, c->id) == 0 &&
					    strcmp(out->v[x].component, p->name) == 0;
				if (dup)
					continue;
				f = finding_add(out, c, LANE_CONFIRMED,
				    d->state == VD_OPEN ? "vulnerable-no-fix" : "vulnerable");
				if (f == NULL)
					return CSIRT_ENOMEM;
				snprintf(f->component, sizeof(f->component), "%s", p->name);
				snprintf(f->installed, sizeof(f->installed), "%s", p->version);
				if (d->fixed != NULL)
					snprintf(f->fixed, sizeof(f->fixed), "%s", d->fixed);
			}
		}
	}
	return CSIRT_OK;
}

enum csirt_rc
vulndb_match_service(const struct vulndb *db, const struct scan_service *svc,
    struct finding_list *out)
{
	struct cpe c;
	size_t first = out->n;
	char release[32];
	bool have_release;
	enum csirt_rc rc;

	if (svc->cpe[0] == '\0' || cpe_parse(svc->cpe, strlen(svc->cpe), &c, NULL) != CSIRT_OK)
		return CSIRT_OK;
	rc = vulndb_match_cpes(db, &c, 1, out);
	if (rc != CSIRT_OK)
		return rc;
	have_release = svc->package[0] && svc->package_version[0] &&
	    release_from_revision(svc->revision, release, sizeof(release));
	for (size_t k = first; k < out->n; k++) {
		struct finding *f = &out->v[k];
		const struct idlist *l;

		snprintf(f->host, sizeof(f->host), "%s", svc->host);
		f->port = svc->port;
		if (!have_release)
			continue;
		/* The banner showed the Debian package version: Debian's verdict decides. */
		l = distro_list(db, release, svc->package);
		for (uint32_t j = 0; l != NULL && j < l->n; j++) {
			const struct vdistro *d = &db->distro[l->v[j]];

			if (strcmp(db->cves[d->cve].id, f->cve) != 0)
				continue;
			snprintf(f->installed, sizeof(f->installed), "%s", svc->package_version);
			if (d->fixed != NULL)
				snprintf(f->fixed, sizeof(f->fixed), "%s", d->fixed);
			if (d->state == VD_NOT_AFFECTED)
				snprintf(f->status, sizeof(f->status), "distro-not-affected");
			else if (distro_affects(d, VERSION_DPKG, svc->package_version))
				snprintf(f->status, sizeof(f->status), "distro-vulnerable");
			else
				snprintf(f->status, sizeof(f->status), "distro-fixed");
			break;
		}
	}
	return CSIRT_OK;
}

size_t
vulndb_product_cves(const struct vulndb *db, const struct cpe *c)
{
	struct cpe canon = *c;
	char key[2 * CPE_VALUE_MAX + 2];
	uint32_t li;

	cpe_canonical(&canon);
	cpe_key(&canon, key, sizeof(key));
	return strmap_get(&db->product_index, key, &li) ? db->plists[li].n : 0;
}

json_t *
finding_to_json(const struct finding *f)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "cve", f->cve,
	    "lane", f->lane == LANE_CONFIRMED ? "confirmed" : "potential", "status", f->status,
	    "component", f->component, "installed", f->installed);

	if (o == NULL)
		return NULL;
	if (f->host[0]) {
		json_object_set_new(o, "host", json_string(f->host));
		json_object_set_new(o, "port", json_integer(f->port));
	}
	if (f->fixed[0])
		json_object_set_new(o, "fixed", json_string(f->fixed));
	if (f->cvss > 0)
		json_object_set_new(o, "cvss", json_real((double)((int)(f->cvss * 10 + 0.5)) / 10));
	json_object_set_new(o, "kev", json_boolean(f->kev));
	if (f->kev) {
		json_object_set_new(o, "kev_due", json_string(f->kev_due));
		json_object_set_new(o, "kev_ransomware", json_boolean(f->kev_ransomware));
	}
	if (f->epss >= 0) {
		json_object_set_new(o, "epss", json_real(f->epss));
		json_object_set_new(o, "epss_percentile", json_real(f->epss_percentile));
	}
	return o;
}
