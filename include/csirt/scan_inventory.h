/*
 * scan_inventory.h - the packages installed on a host, for the "confirmed"
 * matching lane: exact distribution versions instead of banner guesses.
 * `csirt inventory` prints them as JSON for upload; the server reads the
 * same JSON back with inventory_from_json().
 */
#ifndef CSIRT_SCAN_INVENTORY_H
#define CSIRT_SCAN_INVENTORY_H

#include <jansson.h>
#include <stddef.h>

#include "csirt/err.h"

struct package {
	char type[8];		/* "deb" or "rpm" */
	char name[128];
	char version[128];	/* full: "1:9.2p1-2+deb12u10" */
	char arch[32];
	char source[128];	/* source package ("openssh"); = name when not stated */
	char source_version[128];
};

struct package_list {
	struct package *v;
	size_t n, cap;
};

void package_list_release(struct package_list *l);

/*
 * Parses dpkg's status file (pointer, length; need not be NUL-terminated)
 * and appends every package whose Status is "install ok installed".
 * Stanzas with overlong fields are skipped, a file of more than 200,000
 * stanzas is refused.
 */
enum csirt_rc inventory_parse_dpkg_status(const char *data, size_t len, struct package_list *out,
    struct csirt_err *err);

/* Reads /var/lib/dpkg/status (or 'path') and, if rpm has a database, `rpm -qa`. */
enum csirt_rc inventory_collect(const char *dpkg_status_path, struct package_list *out,
    struct csirt_err *err);

/*
 * The upload document: {"host", "os": {"id","version_id"}, "collected_at",
 * "packages": [{"type","name","version","arch","source","source_version"}]}.
 * Returns a new reference.
 */
json_t *inventory_to_json(const struct package_list *l);

/* Reads the "packages" array of such a document back; appends to 'out'. */
enum csirt_rc inventory_from_json(const json_t *doc, struct package_list *out,
    struct csirt_err *err);

#endif
