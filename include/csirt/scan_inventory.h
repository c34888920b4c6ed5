/*
 * scan_inventory.h - the packages installed on a host, for the "confirmed"
 * matching lane: exact distribution versions instead of banner guesses.
 * `csirt inventory` prints them as JSON for upload; the server reads the
 * same JSON back with inventory_from_json().
 */
#ifndef CSIRT_SCAN_INVENTORY_H
#define CSIRT_SCAN_INVENTORY_H

#include <jansson.h>
#include <stdbool.h>
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

/* The query format of `rpm -qa --qf` whose output inventory_parse_rpm_qa() reads. */
#define INVENTORY_RPM_QF "%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n"
/* The most output read from rpm or from a remote host's files. */
#define INVENTORY_OUTPUT_MAX ((size_t)256 << 20)

/*
 * Parses `rpm -qa --qf INVENTORY_RPM_QF` output (pointer, length) and appends
 * its packages. Lines too long for the fields are skipped, never cut.
 */
enum csirt_rc inventory_parse_rpm_qa(const char *data, size_t len, struct package_list *out,
    struct csirt_err *err);

/* Reads /var/lib/dpkg/status (or 'path') and, if rpm has a database, `rpm -qa`. */
enum csirt_rc inventory_collect(const char *dpkg_status_path, struct package_list *out,
    struct csirt_err *err);

/* Which host an inventory describes. */
struct inventory_host {
	char host[256];		/* its host name */
	char os_id[64];		/* os-release ID ("debian") */
	char os_version_id[64];	/* os-release VERSION_ID ("12") */
};

/* This host. */
void inventory_local_host(struct inventory_host *h);
/* Reads ID= and VERSION_ID= of an os-release file (pointer, length). */
void inventory_parse_os_release(const char *data, size_t len, struct inventory_host *h);

/*
 * The upload document: {"host", "os": {"id","version_id"}, "collected_at",
 * "packages": [{"type","name","version","arch","source","source_version"}]}.
 * Returns a new reference.
 */
json_t *inventory_to_json(const struct package_list *l, const struct inventory_host *h);

/* How to reach a host over SSH for a credentialed inventory. */
struct inventory_ssh {
	const char *user;		/* remote user; NULL: the local user name */
	const char *host;		/* name or address */
	int port;			/* 0: 22 */
	const char *identity;		/* private key file; NULL: agent and ~/.ssh keys */
	const char *known_hosts;	/* NULL: ~/.ssh/known_hosts */
	bool accept_new_host_key;	/* add an unknown host's key (logged) instead of refusing */
	int timeout_s;			/* connect and each read; 0: 15 */
};

/*
 * Reads a remote host's dpkg status file, `rpm -qa` (when it has an rpm
 * database) and os-release over SSH (libssh), parsed by the same code as
 * the local inventory; appends to 'out' and fills 'h'. The host key must
 * be in the known_hosts file: an unknown key is refused unless
 * accept_new_host_key (then added, and logged with its fingerprint); a
 * changed key is always refused. Authenticates by public key only.
 */
enum csirt_rc inventory_collect_ssh(const struct inventory_ssh *o, struct package_list *out,
    struct inventory_host *h, struct csirt_err *err);

/* Reads the "packages" array of such a document back; appends to 'out'. */
enum csirt_rc inventory_from_json(const json_t *doc, struct package_list *out,
    struct csirt_err *err);

#endif
