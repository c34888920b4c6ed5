/*
 * fuzz_vulndb.c - every importer (NVD 2.0, CVE 5, OSV, Debian tracker, KEV,
 * EPSS) on arbitrary bytes, then a match run over what was stored.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csirt/common.h"
#include "csirt/scan_vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vulndb *db = vulndb_new();
	struct finding_list l = { 0 };
	struct package_list p = { 0 };
	struct package pkg;
	struct cpe c;

	if (db == NULL)
		return 0;
	vulndb_import(db, (const char *)data, size, "fuzz", NULL, NULL);
	if (cpe_parse("cpe:2.3:a:example:widget:1.5:*:*:*:*:*:*:*", 43, &c, NULL) == CSIRT_OK)
		vulndb_match_cpes(db, &c, 1, &l);
	memset(&pkg, 0, sizeof(pkg));
	snprintf(pkg.type, sizeof(pkg.type), "deb");
	snprintf(pkg.name, sizeof(pkg.name), "widget");
	snprintf(pkg.source, sizeof(pkg.source), "widget");
	snprintf(pkg.version, sizeof(pkg.version), "1.0-1");
	snprintf(pkg.source_version, sizeof(pkg.source_version), "1.0-1");
	p.v = &pkg;
	p.n = 1;
	vulndb_match_packages(db, &p, "debian", "12", &l);
	finding_list_release(&l);
	vulndb_free(db);
	return 0;
}
