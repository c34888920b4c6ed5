/*
 * fp_internal.h - the compiled probe database, shared by fpdb.c (loading,
 * matching) and fingerprint.c (the network side). Not a public interface.
 */
#ifndef CSIRT_SCAN_FP_INTERNAL_H
#define CSIRT_SCAN_FP_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fp_probe {
	char name[32];
	unsigned char *send;	/* owned; may contain NULs; "{host}" is replaced when sent */
	size_t send_len;
	uint16_t ports[64], tls_ports[64];
	size_t nports, ntls_ports;
};

struct fp_match {
	int probe;		/* index into probes */
	char service[32];
	pcre2_code *re;		/* owned */
	char *product, *version, *distro, *revision, *cpe, *package, *package_version, *info;
	bool soft, tls_retry;
};

struct fpdb {
	struct fp_probe *probes;
	size_t nprobes;
	struct fp_match *matches;
	size_t nmatches;
	int banner;		/* index of the listen-only probe, -1 if none */
	pcre2_match_context *mctx;
};

#endif
