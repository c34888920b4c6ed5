/*
 * scan_vulndb.h - the vulnerability database and the matcher.
 *
 * The database is an in-memory index built from files, so that an offline
 * deployment needs nothing but the files it was handed (docs/scan.md says
 * why this beat an SQLite file, with the measurement). It reads, detecting
 * the format from the content:
 *   - NVD CVE API 2.0 JSON (a response page, or one record per file)
 *   - CVE JSON 5 records (cvelistV5, vulnrichment), including ADP CPEs
 *   - OSV records (and arrays of them), e.g. Debian's DSA/DLA/DEBIAN-CVE
 *   - the Debian security tracker's JSON (security-tracker.debian.org/tracker/data/json)
 *   - CISA KEV JSON, EPSS CSV
 * Imports are incremental: a record seen again replaces the earlier one
 * when its modification time is not older.
 *
 * Two lanes of findings:
 *   confirmed  exact installed package versions (csirt inventory) against
 *              the distribution's own fixed versions (Debian tracker, OSV
 *              Debian ecosystem): a Debian-patched package is never confirmed
 *              vulnerable to a CVE that Debian fixed in that version.
 *   potential  a service's CPE from its banner against NVD configurations and
 *              CVE 5 version ranges; when the banner shows the Debian package
 *              version and the distribution data knows the CVE, the finding
 *              says whether Debian fixed it ("distro-fixed") instead.
 */
#ifndef CSIRT_SCAN_VULNDB_H
#define CSIRT_SCAN_VULNDB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/err.h"
#include "csirt/scan_cpe.h"
#include "csirt/scan_fp.h"
#include "csirt/scan_inventory.h"

struct vulndb;

struct vulndb_stats {
	uint64_t cves;		/* CVE records imported (NVD, CVE 5) */
	uint64_t osv;		/* OSV records */
	uint64_t distro;	/* distribution package/CVE entries */
	uint64_t kev, epss;	/* enrichment rows */
	uint64_t skipped;	/* entries not usable (no CPE, non-comparable versions) */
	uint64_t replaced;	/* records that replaced an older copy */
	uint64_t kept_newer;	/* records ignored because a newer copy was loaded */
};

/* Returns a new, empty database (caller frees with vulndb_free), NULL without memory. */
struct vulndb *vulndb_new(void);
void vulndb_free(struct vulndb *db);

/*
 * Imports one document (pointer, length; any bytes). 'name' is used in
 * error messages only. An unrecognised or malformed document is an error
 * and leaves the database as it was before the call.
 */
enum csirt_rc vulndb_import(struct vulndb *db, const char *data, size_t len, const char *name,
    struct vulndb_stats *st, struct csirt_err *err);

/* Imports a file, or every *.json / *.csv file below a directory. */
enum csirt_rc vulndb_import_path(struct vulndb *db, const char *path, struct vulndb_stats *st,
    struct csirt_err *err);

enum finding_lane { LANE_CONFIRMED, LANE_POTENTIAL };

struct finding {
	char cve[24];
	enum finding_lane lane;
	char status[24];	/* confirmed: "vulnerable", "vulnerable-no-fix";
				 * potential: "potential", "distro-vulnerable",
				 * "distro-fixed", "distro-not-affected" */
	char host[48];		/* empty for inventory findings without a host */
	uint16_t port;
	char component[192];	/* package name, or the CPE that matched */
	char installed[128];	/* installed/observed version */
	char fixed[128];	/* fixed version when known */
	float cvss;		/* base score (3.x preferred), 0 if unknown */
	bool kev;
	char kev_due[16];	/* CISA KEV due date (BOD 22-01) */
	bool kev_ransomware;
	float epss, epss_percentile;	/* -1 if unknown */
};

struct finding_list {
	struct finding *v;
	size_t n, cap;
};

void finding_list_release(struct finding_list *l);

/*
 * Confirmed lane: packages of a host against distribution data for
 * os_id/os_version (e.g. "debian", "12").
 */
enum csirt_rc vulndb_match_packages(const struct vulndb *db, const struct package_list *pkgs,
    const char *os_id, const char *os_version, struct finding_list *out);

/*
 * Potential lane: one fingerprinted service (its CPE, and its Debian
 * package version when the banner showed one).
 */
enum csirt_rc vulndb_match_service(const struct vulndb *db, const struct scan_service *svc,
    struct finding_list *out);

/*
 * NVD configuration evaluation for an asset described by a set of CPE
 * names (applications, OS, hardware): a CVE applies when any configuration
 * is true. Findings name the vulnerable:true entry's matching CPE.
 */
enum csirt_rc vulndb_match_cpes(const struct vulndb *db, const struct cpe *cpes, size_t n,
    struct finding_list *out);

/*
 * How many CVEs name this CPE's product (after aliases), whatever the
 * version: for a service whose version is unknown, "N CVEs could apply" is
 * said instead of reporting any of them as a finding.
 */
size_t vulndb_product_cves(const struct vulndb *db, const struct cpe *c);

/* A finding as JSON (new reference), for output and for the store. */
json_t *finding_to_json(const struct finding *f);

#endif
