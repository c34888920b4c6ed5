/*
 * scan_output.h - scan results as JSON objects and CSV/table rows, the one
 * shape shared by `csirt scan`, the server's scan jobs and the store. JSON
 * fields: host, port, service, product, version, cpe, tls, distro,
 * revision, package, package_version, info, probe, and for TLS tls_subject,
 * tls_issuer, tls_not_after. Empty strings are left out except the six
 * contract fields (host .. cpe), which are always present.
 */
#ifndef CSIRT_SCAN_OUTPUT_H
#define CSIRT_SCAN_OUTPUT_H

#include <jansson.h>
#include <stdio.h>

#include "csirt/scan_fp.h"

/* Returns a new reference (caller json_decref()s), NULL on allocation failure. */
json_t *scan_service_to_json(const struct scan_service *s);

/* Writes one service in the named format; header lines come from scan_write_header(). */
enum scan_format { SCAN_FORMAT_TABLE, SCAN_FORMAT_JSONL, SCAN_FORMAT_CSV };
int scan_format_parse(const char *name);	/* -1 if unknown */
void scan_write_header(FILE *out, enum scan_format f);
void scan_write_service(FILE *out, enum scan_format f, const struct scan_service *s);

#endif
