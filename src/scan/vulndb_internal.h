/*
 * vulndb_internal.h - the vulnerability database's storage, shared by the
 * importers (vulndb_import.c) and the matcher (vulndb.c). Not public.
 *
 * NVD configurations are stored flat: a CVE points at a run of
 * configurations, a configuration at a run of nodes, a node at a run of
 * match entries. A record imported again appends its new runs and
 * repoints the CVE (the old runs become garbage; a long-running server
 * rebuilds the database on its next load).
 */
#ifndef CSIRT_SCAN_VULNDB_INTERNAL_H
#define CSIRT_SCAN_VULNDB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "csirt/scan_cpe.h"
#include "scan/strmap.h"

/* A CPE kept compactly: 11 NUL-terminated attributes in one allocation. */
struct ccpe {
	char *buf;		/* owned */
	uint16_t off[CPE_NATTR];
};

struct vmatch {
	struct ccpe crit;
	char *start, *end;	/* owned; NULL when absent */
	bool start_incl, end_incl, vulnerable, has_range;
	bool simple;		/* only part, vendor, product, version set: the fast path */
};

struct vnode {
	bool and_op, negate;
	uint32_t first, n;	/* into matches */
};

struct vcfg {
	bool and_op, negate;
	uint32_t first, n;	/* into nodes */
};

enum vsource { VSRC_NONE, VSRC_NVD, VSRC_CVE5 };

struct vcve {
	char id[24];
	char modified[32];
	float cvss;
	bool kev, ransomware;
	char kev_due[16];
	float epss, epss_pct;
	uint32_t cfg_first, cfg_n;
	uint8_t source;		/* enum vsource */
};

enum vdistro_state { VD_FIXED, VD_OPEN, VD_NOT_AFFECTED };

struct vdistro {
	uint32_t cve;
	uint8_t state;		/* enum vdistro_state */
	char *introduced;	/* owned; NULL = from the beginning */
	char *fixed;		/* owned; NULL unless VD_FIXED */
};

struct idlist {
	uint32_t *v;
	uint32_t n, cap;
};

struct vulndb {
	struct vcve *cves;
	uint32_t ncves, capcves;
	struct vcfg *cfgs;
	uint32_t ncfgs, capcfgs;
	struct vnode *nodes;
	uint32_t nnodes, capnodes;
	struct vmatch *matches;
	uint32_t nmatches, capmatches;
	struct vdistro *distro;
	uint32_t ndistro, capdistro;
	struct strmap cve_index;	/* "CVE-…" -> cve */
	struct strmap product_index;	/* "vendor:product" -> plists */
	struct idlist *plists;
	uint32_t nplists, capplists;
	struct strmap distro_index;	/* "debian:12|openssh" -> dlists */
	struct idlist *dlists;
	uint32_t ndlists, capdlists;
};

/* Grows an array of 'size'-byte elements to hold one more; false without memory. */
bool vdb_reserve(void **arr, uint32_t *cap, uint32_t n, size_t size);
/* The CVE with this id, created (empty) if new; UINT32_MAX without memory. */
uint32_t vdb_cve(struct vulndb *db, const char *id);
bool vdb_list_add(struct strmap *index, struct idlist **lists, uint32_t *nlists, uint32_t *cap,
    const char *key, uint32_t id);
bool ccpe_set(struct ccpe *c, const struct cpe *full);

#endif
