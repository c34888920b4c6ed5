/*
 * vulndb_import.c - reading vulnerability data files into the database:
 * NVD CVE API 2.0, CVE JSON 5, OSV, the Debian security tracker's JSON,
 * CISA KEV and EPSS CSV. The document is parsed and its format recognised
 * before anything is stored, so a malformed file changes nothing; inside a
 * good document, an entry we cannot use (no CPE, a version that is prose)
 * is counted as skipped, not guessed at.
 */
#include "csirt/common.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csirt/scan_vulndb.h"
#include "scan/sjson.h"
#include "scan/vulndb_internal.h"

#define IMPORT_FILE_MAX (1024u * 1024 * 1024)
#define DIR_DEPTH_MAX 8

static const char *
str(struct sjval o, const char *key)
{
	return sj_str(sj_get(o, key));
}

/* for (SJ_EACH(arr, v)) walks an array; 'v' (a struct sjval) is declared by the caller. */
struct sjloop {
	struct sjiter it;
	bool more;
};

static struct sjloop
sj_loop_first(struct sjval arr, struct sjval *v)
{
	struct sjloop l;

	l.more = sj_array_first(arr, &l.it, v);
	return l;
}

static void
sj_loop_next(struct sjloop *l, struct sjval *v)
{
	l->more = sj_array_next(&l->it, v);
}

#define SJ_EACH(arr, v) struct sjloop lp_##v = sj_loop_first((arr), &(v)); lp_##v.more; \
	sj_loop_next(&lp_##v, &(v))

static char *
dup_or_null(const char *s)
{
	return s != NULL && s[0] ? strdup(s) : NULL;
}

static bool
is_cve_id(const char *s)
{
	return strncmp(s, "CVE-", 4) == 0 && strlen(s) < 24;
}

static bool
has_wildcard_text(const char *v)
{
	return strchr(v, '*') != NULL || strchr(v, '?') != NULL || strcmp(v, "-") == 0;
}

/* Adds one match entry; its product goes into the index for CVE 'cve'. */
static enum csirt_rc
add_match(struct vulndb *db, uint32_t cve, const char *criteria, const char *si, const char *se,
    const char *ei, const char *ee, bool vulnerable, bool *ok)
{
	struct vmatch *m;
	struct cpe c;
	char key[2 * CPE_VALUE_MAX + 2];

	*ok = false;
	if (cpe_parse(criteria, strlen(criteria), &c, NULL) != CSIRT_OK)
		return CSIRT_OK;
	cpe_canonical(&c);
	if (!vdb_reserve((void **)&db->matches, &db->capmatches, db->nmatches, sizeof(*db->matches)))
		return CSIRT_ENOMEM;
	m = &db->matches[db->nmatches];
	memset(m, 0, sizeof(*m));
	if (!ccpe_set(&m->crit, &c))
		return CSIRT_ENOMEM;
	m->start = dup_or_null(si && si[0] ? si : se);
	m->start_incl = si && si[0];
	m->end = dup_or_null(ei && ei[0] ? ei : ee);
	m->end_incl = ei && ei[0];
	m->has_range = m->start != NULL || m->end != NULL;
	m->simple = true;
	for (int k = CPE_UPDATE; k < CPE_NATTR; k++)
		if (strcmp(c.a[k], "*") != 0)
			m->simple = false;
	if (has_wildcard_text(c.a[CPE_VENDOR]) || has_wildcard_text(c.a[CPE_PRODUCT]) ||
	    has_wildcard_text(c.a[CPE_VERSION]) || strcmp(c.a[CPE_VENDOR], "*") == 0 ||
	    strcmp(c.a[CPE_PRODUCT], "*") == 0)
		m->simple = false;
	m->vulnerable = vulnerable;
	db->nmatches++;
	cpe_key(&c, key, sizeof(key));
	if (!vdb_list_add(&db->product_index, &db->plists, &db->nplists, &db->capplists, key, cve))
		return CSIRT_ENOMEM;
	*ok = true;
	return CSIRT_OK;
}

static enum csirt_rc
add_node(struct vulndb *db, bool and_op, bool negate, uint32_t first)
{
	struct vnode *n;

	if (!vdb_reserve((void **)&db->nodes, &db->capnodes, db->nnodes, sizeof(*db->nodes)))
		return CSIRT_ENOMEM;
	n = &db->nodes[db->nnodes++];
	n->and_op = and_op;
	n->negate = negate;
	n->first = first;
	n->n = db->nmatches - first;
	return CSIRT_OK;
}

static enum csirt_rc
add_cfg(struct vulndb *db, bool and_op, bool negate, uint32_t first)
{
	struct vcfg *c;

	if (!vdb_reserve((void **)&db->cfgs, &db->capcfgs, db->ncfgs, sizeof(*db->cfgs)))
		return CSIRT_ENOMEM;
	c = &db->cfgs[db->ncfgs++];
	c->and_op = and_op;
	c->negate = negate;
	c->first = first;
	c->n = db->nnodes - first;
	return CSIRT_OK;
}

/*
 * Decides whether a record replaces what we hold: NVD beats CVE 5 for
 * configurations (its CPEs are curated), and within one source the newer
 * modification time wins. Returns false to keep what we have.
 */
static bool
should_replace(struct vcve *c, enum vsource src, const char *modified, struct vulndb_stats *st)
{
	if (c->source == VSRC_NONE)
		return true;
	if (c->source == VSRC_NVD && src == VSRC_CVE5)
		return false;
	if (c->source == src && strcmp(modified, c->modified) < 0) {
		st->kept_newer++;
		return false;
	}
	st->replaced++;
	return true;
}

static float
nvd_cvss(struct sjval metrics)
{
	static const char *keys[] = { "cvssMetricV31", "cvssMetricV30", "cvssMetricV40", "cvssMetricV2" };

	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		struct sjval arr = sj_get(metrics, keys[k]), m;
		float best = 0;

		for (SJ_EACH(arr, m)) {
			float s = (float)sj_num(sj_get(sj_get(m, "cvssData"),
			    "baseScore"));

			if (strcmp(str(m, "type"), "Primary") == 0)
				return s;
			if (best == 0)
				best = s;
		}
		if (best > 0)
			return best;
	}
	return 0;
}

static enum csirt_rc
import_nvd_record(struct vulndb *db, struct sjval cve, struct vulndb_stats *st)
{
	const char *id = str(cve, "id");
	struct sjval configs = sj_get(cve, "configurations"), cfg;
	uint32_t ci, cfg_first;
	struct vcve *c;
	enum csirt_rc rc;

	if (!is_cve_id(id)) {
		st->skipped++;
		return CSIRT_OK;
	}
	ci = vdb_cve(db, id);
	if (ci == UINT32_MAX)
		return CSIRT_ENOMEM;
	if (!should_replace(&db->cves[ci], VSRC_NVD, str(cve, "lastModified"), st))
		return CSIRT_OK;
	cfg_first = db->ncfgs;
	for (SJ_EACH(configs, cfg)) {
		struct sjval nodes = sj_get(cfg, "nodes"), node;
		uint32_t node_first = db->nnodes;

		for (SJ_EACH(nodes, node)) {
			struct sjval ms = sj_get(node, "cpeMatch"), m;
			uint32_t match_first = db->nmatches;

			for (SJ_EACH(ms, m)) {
				bool ok;

				rc = add_match(db, ci, str(m, "criteria"), str(m, "versionStartIncluding"),
				    str(m, "versionStartExcluding"), str(m, "versionEndIncluding"),
				    str(m, "versionEndExcluding"), sj_is_true(sj_get(m, "vulnerable")),
				    &ok);
				if (rc != CSIRT_OK)
					return rc;
				if (!ok)
					st->skipped++;
			}
			rc = add_node(db, strcmp(str(node, "operator"), "AND") == 0,
			    sj_is_true(sj_get(node, "negate")), match_first);
			if (rc != CSIRT_OK)
				return rc;
		}
		/* No operator: a single node, whose value the configuration takes. */
		rc = add_cfg(db, strcmp(str(cfg, "operator"), "AND") == 0,
		    sj_is_true(sj_get(cfg, "negate")), node_first);
		if (rc != CSIRT_OK)
			return rc;
	}
	c = &db->cves[ci];
	c->source = VSRC_NVD;
	snprintf(c->modified, sizeof(c->modified), "%s", str(cve, "lastModified"));
	c->cfg_first = cfg_first;
	c->cfg_n = db->ncfgs - cfg_first;
	c->cvss = nvd_cvss(sj_get(cve, "metrics"));
	if (str(cve, "cisaActionDue")[0]) {
		c->kev = true;
		snprintf(c->kev_due, sizeof(c->kev_due), "%s", str(cve, "cisaActionDue"));
	}
	st->cves++;
	return CSIRT_OK;
}

static bool
starts_with_digit(const char *s)
{
	return s[0] >= '0' && s[0] <= '9';
}

/* A CPE for a CVE 5 "affected" entry: its own cpes[], else vendor:product. */
static bool
cve5_cpe(struct sjval aff, char *out, size_t cap)
{
	struct sjval cpes = sj_get(aff, "cpes"), v;
	char vendor[CPE_VALUE_MAX], product[CPE_VALUE_MAX];

	for (SJ_EACH(cpes, v)) {
		struct cpe c;
		const char *s = sj_str(v);

		if (s != NULL && cpe_parse(s, strlen(s), &c, NULL) == CSIRT_OK) {
			/* The range goes on the version attribute: the criteria's version is ANY. */
			snprintf(c.a[CPE_VERSION], CPE_VALUE_MAX, "*");
			cpe_format(&c, out, cap);
			return true;
		}
	}
	if (!str(aff, "vendor")[0] || !str(aff, "product")[0] ||
	    strcmp(str(aff, "vendor"), "n/a") == 0 || strcmp(str(aff, "product"), "n/a") == 0)
		return false;
	snprintf(vendor, sizeof(vendor), "%s", str(aff, "vendor"));
	snprintf(product, sizeof(product), "%s", str(aff, "product"));
	for (char *p = vendor; *p; p++)
		*p = (char)(*p == ' ' ? '_' : (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
	for (char *p = product; *p; p++)
		*p = (char)(*p == ' ' ? '_' : (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
	{
		struct cpe c;
		char tmp[512];

		snprintf(tmp, sizeof(tmp), "cpe:2.3:a:%s:%s:*:*:*:*:*:*:*:*", vendor, product);
		if (cpe_parse(tmp, strlen(tmp), &c, NULL) != CSIRT_OK)
			return false;
		cpe_format(&c, out, cap);
	}
	return true;
}

/* One CVE 5 affected[] entry becomes one configuration with one OR node. */
static enum csirt_rc
cve5_affected(struct vulndb *db, uint32_t ci, struct sjval aff, struct vulndb_stats *st)
{
	struct sjval versions = sj_get(aff, "versions"), v;
	char crit[512];
	uint32_t node_first = db->nnodes, match_first = db->nmatches;
	enum csirt_rc rc;

	if (!cve5_cpe(aff, crit, sizeof(crit))) {
		st->skipped++;
		return CSIRT_OK;
	}
	for (SJ_EACH(versions, v)) {
		const char *ver = str(v, "version"), *lt = str(v, "lessThan"),
		    *le = str(v, "lessThanOrEqual");
		bool ok = false;

		if (strcmp(str(v, "status"), "affected") != 0 ||
		    strcmp(str(v, "versionType"), "git") == 0 || !starts_with_digit(ver) ||
		    (lt[0] && strcmp(lt, "*") != 0 && !starts_with_digit(lt)) ||
		    (le[0] && strcmp(le, "*") != 0 && !starts_with_digit(le))) {
			st->skipped++;
			continue;
		}
		if (lt[0] || le[0]) {
			const char *start = strcmp(ver, "0") == 0 ? "" : ver;

			rc = add_match(db, ci, crit, start, "", strcmp(le, "*") ? le : "",
			    strcmp(lt, "*") ? lt : "", true, &ok);
			/* "0" and "*" alone would make an unbounded range: that is all versions */
			if (rc == CSIRT_OK && ok && !start[0] && !(lt[0] && strcmp(lt, "*")) &&
			    !(le[0] && strcmp(le, "*"))) {
				db->nmatches--;	/* not a usable range */
				free(db->matches[db->nmatches].crit.buf);
				st->skipped++;
			}
		} else {
			struct cpe c;
			char exact[512];

			if (cpe_parse(crit, strlen(crit), &c, NULL) != CSIRT_OK ||
			    strlen(ver) >= CPE_VALUE_MAX)
				continue;
			snprintf(c.a[CPE_VERSION], CPE_VALUE_MAX, "%s", ver);
			cpe_format(&c, exact, sizeof(exact));
			rc = add_match(db, ci, exact, "", "", "", "", true, &ok);
		}
		if (rc != CSIRT_OK)
			return rc;
	}
	if (db->nmatches == match_first)
		return CSIRT_OK;
	rc = add_node(db, false, false, match_first);
	if (rc == CSIRT_OK)
		rc = add_cfg(db, false, false, node_first);
	return rc;
}

static float
cve5_cvss(struct sjval container)
{
	struct sjval metrics = sj_get(container, "metrics"), m;

	for (SJ_EACH(metrics, m)) {
		static const char *keys[] = { "cvssV3_1", "cvssV3_0", "cvssV4_0" };

		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			struct sjval s = sj_get(sj_get(m, keys[k]), "baseScore");

			if (sj_is_number(s))
				return (float)sj_num(s);
		}
	}
	return 0;
}

static enum csirt_rc
import_cve5(struct vulndb *db, struct sjval rec, struct vulndb_stats *st)
{
	struct sjval meta = sj_get(rec, "cveMetadata");
	struct sjval cna = sj_get(sj_get(rec, "containers"), "cna");
	struct sjval adp = sj_get(sj_get(rec, "containers"), "adp"), a, x;
	const char *id = str(meta, "cveId");
	uint32_t ci, cfg_first = db->ncfgs;
	struct vcve *c;
	float cvss;
	enum csirt_rc rc;

	if (!is_cve_id(id) || strcmp(str(meta, "state"), "REJECTED") == 0) {
		st->skipped++;
		return CSIRT_OK;
	}
	ci = vdb_cve(db, id);
	if (ci == UINT32_MAX)
		return CSIRT_ENOMEM;
	if (!should_replace(&db->cves[ci], VSRC_CVE5, str(meta, "dateUpdated"), st)) {
		if (db->cves[ci].cvss == 0)
			db->cves[ci].cvss = cve5_cvss(cna);
		return CSIRT_OK;
	}
	for (SJ_EACH(sj_get(cna, "affected"), a)) {
		rc = cve5_affected(db, ci, a, st);
		if (rc != CSIRT_OK)
			return rc;
	}
	cvss = cve5_cvss(cna);
	for (SJ_EACH(adp, x)) {
		for (SJ_EACH(sj_get(x, "affected"), a)) {
			rc = cve5_affected(db, ci, a, st);
			if (rc != CSIRT_OK)
				return rc;
		}
		if (cvss == 0)
			cvss = cve5_cvss(x);
	}
	c = &db->cves[ci];
	c->source = VSRC_CVE5;
	snprintf(c->modified, sizeof(c->modified), "%s", str(meta, "dateUpdated"));
	c->cfg_first = cfg_first;
	c->cfg_n = db->ncfgs - cfg_first;
	c->cvss = cvss;
	st->cves++;
	return CSIRT_OK;
}

static enum csirt_rc
add_distro(struct vulndb *db, const char *release, const char *pkg, const char *cve_id,
    enum vdistro_state state, const char *introduced, const char *fixed)
{
	char key[256];
	uint32_t ci = vdb_cve(db, cve_id);
	struct vdistro *d;

	if (ci == UINT32_MAX)
		return CSIRT_ENOMEM;
	if (!vdb_reserve((void **)&db->distro, &db->capdistro, db->ndistro, sizeof(*db->distro)))
		return CSIRT_ENOMEM;
	d = &db->distro[db->ndistro];
	d->cve = ci;
	d->state = (uint8_t)state;
	d->introduced = dup_or_null(introduced);
	d->fixed = state == VD_FIXED ? dup_or_null(fixed) : NULL;
	if (state == VD_FIXED && d->fixed == NULL) {
		free(d->introduced);
		return CSIRT_OK;
	}
	snprintf(key, sizeof(key), "%s|%s", release, pkg);
	if (!vdb_list_add(&db->distro_index, &db->dlists, &db->ndlists, &db->capdlists, key,
	    db->ndistro))
		return CSIRT_ENOMEM;
	db->ndistro++;
	return CSIRT_OK;
}

/*
 * OSV ecosystems of distributions, as the release keys the confirmed lane
 * looks up (os-release ID, then the release): "Debian:12" -> "debian:12",
 * "Debian" -> "debian:*", "AlmaLinux:9" -> "almalinux:9", "Rocky Linux:9"
 * -> "rocky:9". rpm-based releases are keyed by their major version (the
 * advisories of 9.x apply to every 9.x). Other ecosystems -> false.
 */
static bool
osv_release(const char *eco, char *out, size_t cap)
{
	static const struct {
		const char *osv, *os_id;
	} map[] = {
		{ "Debian", "debian" }, { "AlmaLinux", "almalinux" }, { "Rocky Linux", "rocky" },
	};

	for (size_t k = 0; k < ARRAY_SIZE(map); k++) {
		size_t n = strlen(map[k].osv);

		if (strncmp(eco, map[k].osv, n) != 0 || (eco[n] != '\0' && eco[n] != ':'))
			continue;
		if (eco[n] == ':' && eco[n + 1])
			snprintf(out, cap, "%s:%.*s", map[k].os_id, (int)strcspn(eco + n + 1, ".:"),
			    eco + n + 1);
		else
			snprintf(out, cap, "%s:*", map[k].os_id);
		return true;
	}
	return false;
}

static enum csirt_rc
import_osv(struct vulndb *db, struct sjval rec, struct vulndb_stats *st)
{
	const char *id = str(rec, "id");
	struct sjval aliases = sj_get(rec, "aliases"), aff, al;
	const char *cves[16];
	size_t ncves = 0;
	enum csirt_rc rc;

	if (is_cve_id(id))
		cves[ncves++] = id;
	for (SJ_EACH(aliases, al))
		if (ncves < ARRAY_SIZE(cves) && sj_is_string(al) && is_cve_id(sj_str(al)))
			cves[ncves++] = sj_str(al);
	if (ncves == 0 && id[0] && strlen(id) < 24)
		cves[ncves++] = id;	/* DSA-…, GHSA-…: track under its own id */
	st->osv++;
	for (SJ_EACH(sj_get(rec, "affected"), aff)) {
		struct sjval pkg = sj_get(aff, "package"), range;
		char release[64];

		if (!osv_release(str(pkg, "ecosystem"), release, sizeof(release)) || !str(pkg, "name")[0]) {
			st->skipped++;
			continue;
		}
		for (SJ_EACH(sj_get(aff, "ranges"), range)) {
			struct sjval ev;
			const char *introduced = NULL;

			if (strcmp(str(range, "type"), "ECOSYSTEM") != 0) {
				st->skipped++;
				continue;
			}
			/* introduced/fixed pairs in order; an introduced without fixed is open. */
			for (SJ_EACH(sj_get(range, "events"), ev)) {
				if (str(ev, "introduced")[0]) {
					introduced = str(ev, "introduced");
				} else if (str(ev, "fixed")[0] && introduced != NULL) {
					for (size_t c = 0; c < ncves; c++) {
						rc = add_distro(db, release, str(pkg, "name"), cves[c], VD_FIXED,
						    introduced, str(ev, "fixed"));
						if (rc != CSIRT_OK)
							return rc;
						st->distro++;
					}
					introduced = NULL;
				}
			}
			for (size_t c = 0; introduced != NULL && c < ncves; c++) {
				rc = add_distro(db, release, str(pkg, "name"), cves[c], VD_OPEN, introduced,
				    NULL);
				if (rc != CSIRT_OK)
					return rc;
				st->distro++;
			}
		}
	}
	return CSIRT_OK;
}

static const char *
debian_release_number(const char *codename)
{
	static const struct {
		const char *name, *number;
	} map[] = {
		{ "buster", "10" }, { "bullseye", "11" }, { "bookworm", "12" }, { "trixie", "13" },
		{ "forky", "14" }, { "stretch", "9" }, { "sid", "unstable" },
	};

	for (size_t k = 0; k < ARRAY_SIZE(map); k++)
		if (strcmp(codename, map[k].name) == 0)
			return map[k].number;
	return NULL;
}

/* {source package: {CVE: {releases: {codename: {status, fixed_version}}}}} */
static enum csirt_rc
import_debian_tracker(struct vulndb *db, struct sjval root, struct vulndb_stats *st)
{
	const char *pkg, *cve, *rel;
	struct sjval cves, entry, info;
	struct sjiter i1, i2, i3;
	enum csirt_rc rc;

	for (bool m1 = sj_object_first(root, &i1, &pkg, &cves); m1;
	    m1 = sj_object_next(&i1, &pkg, &cves)) {
		for (bool m2 = sj_object_first(cves, &i2, &cve, &entry); m2;
		    m2 = sj_object_next(&i2, &cve, &entry)) {
			for (bool m3 = sj_object_first(sj_get(entry, "releases"), &i3, &rel, &info); m3;
			    m3 = sj_object_next(&i3, &rel, &info)) {
				const char *num = debian_release_number(rel);
				const char *status = str(info, "status"), *fixed = str(info, "fixed_version");
				char release[32];
				enum vdistro_state state;

				if (num == NULL || !is_cve_id(cve)) {
					st->skipped++;
					continue;
				}
				snprintf(release, sizeof(release), "debian:%s", num);
				if (strcmp(status, "resolved") == 0)
					state = strcmp(fixed, "0") == 0 ? VD_NOT_AFFECTED : VD_FIXED;
				else if (strcmp(status, "open") == 0 || strcmp(status, "undetermined") == 0)
					state = VD_OPEN;
				else
					state = VD_NOT_AFFECTED;	/* "not-affected" */
				rc = add_distro(db, release, pkg, cve, state, NULL, fixed);
				if (rc != CSIRT_OK)
					return rc;
				st->distro++;
			}
		}
	}
	return CSIRT_OK;
}

static enum csirt_rc
import_kev(struct vulndb *db, struct sjval root, struct vulndb_stats *st)
{
	struct sjval v;

	for (SJ_EACH(sj_get(root, "vulnerabilities"), v)) {
		uint32_t ci;

		if (!is_cve_id(str(v, "cveID"))) {
			st->skipped++;
			continue;
		}
		ci = vdb_cve(db, str(v, "cveID"));
		if (ci == UINT32_MAX)
			return CSIRT_ENOMEM;
		db->cves[ci].kev = true;
		snprintf(db->cves[ci].kev_due, sizeof(db->cves[ci].kev_due), "%s", str(v, "dueDate"));
		db->cves[ci].ransomware = strcmp(str(v, "knownRansomwareCampaignUse"), "Known") == 0;
		st->kev++;
	}
	return CSIRT_OK;
}

/* EPSS CSV: optional "#model_version..." lines, a "cve,epss,percentile" header, rows. */
static enum csirt_rc
import_epss(struct vulndb *db, const char *data, size_t len, struct vulndb_stats *st)
{
	size_t pos = 0;

	while (pos < len) {
		const char *line = data + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		char buf[128], *save = NULL, *id, *score, *pct, *end;
		uint32_t ci;

		pos += n + 1;
		if (n == 0 || n >= sizeof(buf) || line[0] == '#' || strncmp(line, "cve,", 4) == 0)
			continue;
		memcpy(buf, line, n);
		buf[n] = '\0';
		id = strtok_r(buf, ",\r", &save);
		score = strtok_r(NULL, ",\r", &save);
		pct = strtok_r(NULL, ",\r", &save);
		if (id == NULL || score == NULL || pct == NULL || !is_cve_id(id)) {
			st->skipped++;
			continue;
		}
		ci = vdb_cve(db, id);
		if (ci == UINT32_MAX)
			return CSIRT_ENOMEM;
		db->cves[ci].epss = strtof(score, &end);
		if (*end != '\0')
			db->cves[ci].epss = -1;
		db->cves[ci].epss_pct = strtof(pct, &end);
		if (*end != '\0')
			db->cves[ci].epss_pct = -1;
		st->epss++;
	}
	return CSIRT_OK;
}

enum doc_kind { DOC_UNKNOWN, DOC_NVD_PAGE, DOC_NVD_RECORD, DOC_CVE5, DOC_OSV, DOC_OSV_LIST,
	DOC_KEV, DOC_DEBIAN };

static enum doc_kind
recognise(struct sjval root)
{
	if (sj_is_array(root))
		return DOC_OSV_LIST;
	if (!sj_is_object(root))
		return DOC_UNKNOWN;
	if (sj_get(root, "catalogVersion").ok && sj_is_array(sj_get(root, "vulnerabilities")))
		return DOC_KEV;
	if (sj_is_array(sj_get(root, "vulnerabilities")))
		return DOC_NVD_PAGE;
	if (sj_get(root, "cveMetadata").ok)
		return DOC_CVE5;
	if (sj_get(root, "configurations").ok && is_cve_id(str(root, "id")))
		return DOC_NVD_RECORD;
	if (sj_is_string(sj_get(root, "id")) &&
	    (sj_get(root, "affected").ok || sj_get(root, "modified").ok))
		return DOC_OSV;
	{
		/* The Debian tracker: package names mapping to objects keyed by CVE ids. */
		const char *k, *ck;
		struct sjval v, cv;
		struct sjiter it, it2;

		if (!sj_object_first(root, &it, &k, &v) || !sj_is_object(v))
			return DOC_UNKNOWN;
		if (!sj_object_first(v, &it2, &ck, &cv))
			return DOC_UNKNOWN;
		return (sj_is_object(cv) && sj_get(cv, "releases").ok) || strncmp(ck, "CVE-", 4) == 0 ?
		    DOC_DEBIAN : DOC_UNKNOWN;
	}
}

/* Stores a parsed document; the format was not yet checked. */
static enum csirt_rc
apply_root(struct vulndb *db, struct sjval root, const char *name, struct vulndb_stats *st,
    struct csirt_err *err)
{
	enum csirt_rc rc = CSIRT_OK;
	struct sjval v;

	switch (recognise(root)) {
	case DOC_KEV:
		rc = import_kev(db, root, st);
		break;
	case DOC_NVD_PAGE:
		for (SJ_EACH(sj_get(root, "vulnerabilities"), v)) {
			rc = import_nvd_record(db, sj_get(v, "cve"), st);
			if (rc != CSIRT_OK)
				break;
		}
		break;
	case DOC_NVD_RECORD:
		rc = import_nvd_record(db, root, st);
		break;
	case DOC_CVE5:
		rc = import_cve5(db, root, st);
		break;
	case DOC_OSV:
		rc = import_osv(db, root, st);
		break;
	case DOC_OSV_LIST:
		for (SJ_EACH(root, v)) {
			if (sj_get(v, "cveMetadata").ok)
				rc = import_cve5(db, v, st);
			else if (sj_get(v, "configurations").ok)
				rc = import_nvd_record(db, v, st);
			else if (sj_is_string(sj_get(v, "id")))
				rc = import_osv(db, v, st);
			else
				st->skipped++;
			if (rc != CSIRT_OK)
				break;
		}
		break;
	case DOC_DEBIAN:
		rc = import_debian_tracker(db, root, st);
		break;
	default:
		rc = csirt_err_set(err, CSIRT_EPARSE, NULL, "%s: unrecognised JSON document", name);
		break;
	}
	if (rc == CSIRT_ENOMEM)
		csirt_err_set(err, rc, NULL, "out of memory importing %s", name);
	return rc;
}

/* True when the text is EPSS CSV rather than JSON (after leading blanks). */
static int
text_kind(const char *data, size_t len)
{
	size_t skip = 0;

	while (skip < len && (data[skip] == ' ' || data[skip] == '\n' || data[skip] == '\r' ||
	    data[skip] == '\t'))
		skip++;
	if (skip < len && (data[skip] == '{' || data[skip] == '['))
		return 1;	/* JSON */
	if (len - skip >= 4 && (data[skip] == '#' || strncmp(data + skip, "cve,", 4) == 0))
		return 2;	/* CSV */
	return 0;
}

enum csirt_rc
vulndb_import(struct vulndb *db, const char *data, size_t len, const char *name,
    struct vulndb_stats *st, struct csirt_err *err)
{
	struct vulndb_stats local = { 0 };
	struct sjdoc *doc;
	char msg[200];
	enum csirt_rc rc;
	int kind = text_kind(data, len);

	if (st == NULL)
		st = &local;
	if (name == NULL)
		name = "input";
	if (kind == 2)
		return import_epss(db, data, len, st);
	if (kind != 1)
		return csirt_err_set(err, CSIRT_EPARSE, NULL, "%s: not a vulnerability data file", name);
	doc = sj_parse(data, len, msg, sizeof(msg));
	if (doc == NULL)
		return csirt_err_set(err, CSIRT_EPARSE, NULL, "%s: %s", name, msg);
	rc = apply_root(db, sj_root(doc), name, st, err);
	sj_free(doc);
	return rc;
}

/* Reads a whole file (capped). */
static enum csirt_rc
read_whole(const char *path, char **data, size_t *len, char *msg, size_t msgcap)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;

	*data = NULL;
	*len = 0;
	if (f == NULL) {
		snprintf(msg, msgcap, "cannot open %s", path);
		return CSIRT_EIO;
	}
	if (fstat(fileno(f), &sb) != 0 || sb.st_size < 0 || (uint64_t)sb.st_size > IMPORT_FILE_MAX) {
		fclose(f);
		snprintf(msg, msgcap, "%s is too large", path);
		return CSIRT_ETOOBIG;
	}
	*data = malloc((size_t)sb.st_size + 1);
	if (*data == NULL) {
		fclose(f);
		snprintf(msg, msgcap, "out of memory reading %s", path);
		return CSIRT_ENOMEM;
	}
	*len = fread(*data, 1, (size_t)sb.st_size, f);
	fclose(f);
	return CSIRT_OK;
}

static bool
wanted(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".json") == 0) || (n > 4 && strcmp(name + n - 4, ".csv") == 0);
}

struct file_list {
	char **v;
	size_t n, cap;
};

static enum csirt_rc
collect(const char *path, int depth, struct file_list *out, struct csirt_err *err)
{
	DIR *d;
	struct dirent *e;
	enum csirt_rc rc = CSIRT_OK;

	if (depth > DIR_DEPTH_MAX)
		return CSIRT_OK;
	d = opendir(path);
	if (d == NULL)
		return csirt_err_set(err, CSIRT_EIO, NULL, "cannot open %s", path);
	while (rc == CSIRT_OK && (e = readdir(d)) != NULL) {
		char child[4096];
		struct stat sb;

		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		if (stat(child, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			rc = collect(child, depth + 1, out, err);
		} else if (S_ISREG(sb.st_mode) && wanted(e->d_name) &&
		    strstr(e->d_name, "schema") == NULL) {
			if (out->n == out->cap) {
				size_t cap = out->cap ? out->cap * 2 : 64;
				char **v = realloc(out->v, cap * sizeof(*v));

				if (v == NULL) {
					rc = CSIRT_ENOMEM;
					break;
				}
				out->v = v;
				out->cap = cap;
			}
			out->v[out->n] = strdup(child);
			if (out->v[out->n] == NULL)
				rc = CSIRT_ENOMEM;
			else
				out->n++;
		}
	}
	closedir(d);
	return rc;
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Parsing JSON is nearly all of an import's time, and documents are
 * independent: two threads read and parse files ahead (at most WINDOW
 * files), the calling thread stores them strictly in file order so the
 * result does not depend on timing.
 */
#define PARSERS 2
#define WINDOW 4

struct slot {
	struct sjdoc *doc;	/* parsed JSON, or */
	char *raw;		/* CSV text */
	size_t rawlen;
	enum csirt_rc rc;
	char msg[256];
	bool ready;
};

struct pipeline {
	const struct file_list *files;
	struct slot *slots;
	size_t next, applied;
	bool stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void
parse_one(const char *path, struct slot *s)
{
	char *data;
	size_t len;
	int kind;
	char msg[200] = "";

	s->rc = read_whole(path, &data, &len, s->msg, sizeof(s->msg));
	if (s->rc != CSIRT_OK)
		return;
	kind = text_kind(data, len);
	if (kind == 2) {
		s->raw = data;
		s->rawlen = len;
		return;
	}
	if (kind == 1)
		s->doc = sj_parse(data, len, msg, sizeof(msg));
	if (s->doc == NULL) {
		s->rc = CSIRT_EPARSE;
		if (kind == 1)
			snprintf(s->msg, sizeof(s->msg), "%s: %s", path, msg);
		else
			snprintf(s->msg, sizeof(s->msg), "%s: not a vulnerability data file", path);
	}
	free(data);
}

static void *
parser_thread(void *arg)
{
	struct pipeline *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		size_t i;

		while (!p->stop && p->next < p->files->n && p->next >= p->applied + WINDOW)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop || p->next >= p->files->n)
			break;
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		parse_one(p->files->v[i], &p->slots[i]);
		pthread_mutex_lock(&p->mu);
		p->slots[i].ready = true;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static enum csirt_rc
import_files(struct vulndb *db, const struct file_list *files, struct vulndb_stats *st,
    struct csirt_err *err)
{
	struct pipeline p = { .files = files };
	pthread_t th[PARSERS];
	int started = 0;
	enum csirt_rc rc = CSIRT_OK;

	p.slots = calloc(files->n ? files->n : 1, sizeof(*p.slots));
	if (p.slots == NULL)
		return CSIRT_ENOMEM;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	for (int k = 0; k < PARSERS && (size_t)k < files->n; k++)
		if (pthread_create(&th[k], NULL, parser_thread, &p) == 0)
			started++;
	for (size_t i = 0; i < files->n; i++) {
		struct slot *s = &p.slots[i];

		if (started == 0) {
			parse_one(files->v[i], s);
		} else {
			pthread_mutex_lock(&p.mu);
			while (!s->ready)
				pthread_cond_wait(&p.cv, &p.mu);
			pthread_mutex_unlock(&p.mu);
		}
		if (rc == CSIRT_OK) {
			if (s->rc != CSIRT_OK)
				rc = csirt_err_set(err, s->rc, NULL, "%s", s->msg);
			else if (s->raw != NULL)
				rc = import_epss(db, s->raw, s->rawlen, st);
			else
				rc = apply_root(db, sj_root(s->doc), files->v[i], st, err);
		}
		sj_free(s->doc);
		free(s->raw);
		s->doc = NULL;
		s->raw = NULL;
		pthread_mutex_lock(&p.mu);
		p.applied = i + 1;
		if (rc != CSIRT_OK)
			p.stop = true;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
		if (rc != CSIRT_OK && started == 0)
			break;
		if (rc != CSIRT_OK && p.stop) {
			/* Wait for files already handed out, then drop them. */
			for (size_t j = i + 1; j < files->n; j++) {
				pthread_mutex_lock(&p.mu);
				if (j >= p.next) {
					pthread_mutex_unlock(&p.mu);
					break;
				}
				while (!p.slots[j].ready)
					pthread_cond_wait(&p.cv, &p.mu);
				pthread_mutex_unlock(&p.mu);
				sj_free(p.slots[j].doc);
				free(p.slots[j].raw);
			}
			break;
		}
	}
	for (int k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	free(p.slots);
	return rc;
}

enum csirt_rc
vulndb_import_path(struct vulndb *db, const char *path, struct vulndb_stats *st,
    struct csirt_err *err)
{
	struct vulndb_stats local = { 0 };
	struct file_list files = { 0 };
	struct stat sb;
	enum csirt_rc rc;

	if (st == NULL)
		st = &local;
	if (stat(path, &sb) != 0)
		return csirt_err_set(err, CSIRT_ENOTFOUND, NULL, "%s does not exist", path);
	if (S_ISDIR(sb.st_mode)) {
		rc = collect(path, 0, &files, err);
		if (rc == CSIRT_OK && files.n > 1)
			qsort(files.v, files.n, sizeof(*files.v), path_cmp);
	} else {
		files.v = malloc(sizeof(*files.v));
		rc = files.v != NULL && (files.v[0] = strdup(path)) != NULL ? CSIRT_OK : CSIRT_ENOMEM;
		files.n = rc == CSIRT_OK ? 1 : 0;
	}
	if (rc == CSIRT_OK)
		rc = import_files(db, &files, st, err);
	for (size_t k = 0; k < files.n; k++)
		free(files.v[k]);
	free(files.v);
	return rc;
}
