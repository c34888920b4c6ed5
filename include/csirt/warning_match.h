/*
 * warning_match.h - does a warning (cảnh báo) concern a system? Pure
 * matching of a warning's affected products against a system's recorded
 * components (systems.components: [{"name","version","cpe"}]).
 *
 * A product is {"cpe": "cpe:2.3:a:VENDOR:PRODUCT[:VERSION...]"} or
 * {"name": "PRODUCT"}, optionally with "version_min" (inclusive) and
 * "version_max" (inclusive). A CPE matches on vendor and product, and on
 * the version when the CPE names one; a name matches the component's name
 * or the product part of its CPE, case-insensitively. Versions compare in
 * upstream order (scan_version.h: "2.10" > "2.9"). A component without a version matches a ranged product as
 * "possibly affected": the target is created, and says so.
 */
#ifndef CSIRT_WARNING_MATCH_H
#define CSIRT_WARNING_MATCH_H

#include <jansson.h>
#include <stddef.h>

enum warning_match { WM_NO, WM_YES, WM_POSSIBLY };

/*
 * Matches 'products' (a JSON array) against 'components' (a JSON array),
 * both borrowed and untrusted (wrong types are skipped, at most 1,000 of
 * each are looked at). On WM_YES or WM_POSSIBLY writes a short
 * explanation ("nginx 1.18.0 matches cpe:2.3:a:f5:nginx") into why.
 */
enum warning_match warning_match_components(json_t *products, json_t *components,
    char *why, size_t why_size);

#endif
