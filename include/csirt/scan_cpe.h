/*
 * scan_cpe.h - CPE 2.3 names (NISTIR 7695) and name matching (NISTIR 7696).
 *
 * A name is parsed from the formatted string ("cpe:2.3:a:openbsd:openssh:
 * 9.2:p1:*:*:*:*:*:*") or the 2.2 URI ("cpe:/a:igor_sysoev:nginx:1.22.1")
 * into 11 attributes. Each attribute is ANY ("*"), NA ("-") or a value,
 * lower-cased, with quoting removed except that a quoted '*' or '?' stays
 * marked as literal. Matching follows the relation table of NISTIR 7696:
 * a source (pattern) matches a target (instance) when every attribute is
 * SUPERSET or EQUAL.
 */
#ifndef CSIRT_SCAN_CPE_H
#define CSIRT_SCAN_CPE_H

#include <stdbool.h>
#include <stddef.h>

#include "csirt/err.h"

enum cpe_attr {
	CPE_PART, CPE_VENDOR, CPE_PRODUCT, CPE_VERSION, CPE_UPDATE, CPE_EDITION,
	CPE_LANGUAGE, CPE_SW_EDITION, CPE_TARGET_SW, CPE_TARGET_HW, CPE_OTHER,
	CPE_NATTR
};

#define CPE_VALUE_MAX 96

struct cpe {
	/* "*" = ANY, "-" = NA, else a value; '\x01' marks a literal (quoted) '*' or '?' */
	char a[CPE_NATTR][CPE_VALUE_MAX];
};

enum cpe_relation { CPE_DISJOINT, CPE_SUBSET, CPE_SUPERSET, CPE_EQUAL, CPE_UNDEFINED };

/* Parses a formatted string or URI (pointer, length). */
enum csirt_rc cpe_parse(const char *s, size_t len, struct cpe *out, struct csirt_err *err);

/* Writes the formatted-string binding ("cpe:2.3:..."). */
void cpe_format(const struct cpe *c, char *out, size_t cap);

/* Relation of one attribute, source vs target (NISTIR 7696 table 6-2). */
enum cpe_relation cpe_attr_compare(const char *source, const char *target);

/*
 * True when 'source' matches 'target': every attribute SUPERSET or EQUAL.
 * 'skip_version' leaves the version attribute out (NVD ranges test it).
 */
bool cpe_match(const struct cpe *source, const struct cpe *target, bool skip_version);

/*
 * Canonical "vendor:product" after the alias table (data/scan/cpe-aliases.json):
 * igor_sysoev:nginx and nginx:nginx become f5:nginx, and so on. Writes into
 * out; applies the product's version split rule (openssh "9.2p1" is version
 * 9.2, update p1, as NVD writes it) to 'c' when 'c' is not NULL.
 */
void cpe_canonical(struct cpe *c);
void cpe_key(const struct cpe *c, char *out, size_t cap);	/* "vendor:product" */

#endif
