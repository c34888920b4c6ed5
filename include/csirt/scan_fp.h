/*
 * scan_fp.h - service fingerprinting from csirt's own probe and match
 * database (data/scan/probes.json): which service answers on an open port,
 * which product and version, the distribution's package revision when the
 * wire shows it, a CPE 2.3 name, and for TLS the certificate's subject,
 * issuer and expiry.
 */
#ifndef CSIRT_SCAN_FP_H
#define CSIRT_SCAN_FP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/err.h"
#include "csirt/scan_net.h"

/* What was learnt about one open port. Strings are NUL-terminated, "" when unknown. */
struct scan_service {
	char host[48];
	uint16_t port;
	bool tls;
	bool soft;		/* service known, product not (a "soft" match) */
	char service[32];	/* "ssh", "http", "postgresql", "unknown" */
	char product[64];	/* "OpenSSH", "nginx" */
	char version[64];	/* upstream version as the wire says it: "9.2p1" */
	char distro[32];	/* "Debian" when the banner names it */
	char revision[64];	/* distribution revision on the wire: "2+deb12u3" */
	char package[64];	/* distribution source package: "openssh" */
	char package_version[96];	/* "1:9.2p1-2+deb12u3" when the wire shows the revision */
	char cpe[192];		/* CPE 2.3 formatted string */
	char info[128];		/* e.g. "authentication required" */
	char probe[32];		/* the probe whose answer matched */
	char tls_subject[256];
	char tls_issuer[256];
	char tls_not_after[32];	/* ISO 8601 UTC */
};

struct fpdb;

/*
 * Compiles a probe database from JSON text (pointer, length). On success
 * '*out' is a new database (caller frees with fpdb_free()). A malformed
 * file or a regex that does not compile is an error naming the entry.
 */
enum csirt_rc fpdb_load(const char *json, size_t len, struct fpdb **out, struct csirt_err *err);
/* The database built into the binary (data/scan/probes.json). */
enum csirt_rc fpdb_load_default(struct fpdb **out, struct csirt_err *err);
void fpdb_free(struct fpdb *db);

/*
 * The banner parser: tries the response 'resp' (length 'len', any bytes) to
 * probe 'probe' against that probe's matches and then the banner matches.
 * Returns 2 on a full match, 1 on a soft match (service only), 0 on none;
 * fills 'out' (host and port are left alone). '*tls_retry' (may be NULL) is
 * set when the answer says the port speaks TLS.
 */
int fpdb_match(const struct fpdb *db, const char *probe, const unsigned char *resp,
    size_t len, struct scan_service *out, bool *tls_retry);

struct fp_opts {
	int banner_wait_ms;	/* how long to listen for a greeting; 0 = 250 */
	int probe_wait_ms;	/* how long to wait for an answer to a probe; 0 = 1500 */
	int workers;		/* ports fingerprinted at once; 0 = 32 */
	bool no_tls;		/* do not try TLS */
};

/*
 * Fingerprints every open port. '*out' is a new array of 'n' services in the
 * order of 'open' (caller frees).
 */
enum csirt_rc fp_run(const struct fpdb *db, const struct scan_addrs *addrs,
    const struct netscan_open *open, size_t n, const struct fp_opts *opts,
    struct scan_service **out, struct csirt_err *err);

#endif
