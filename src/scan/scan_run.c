/*
 * scan_run.c - a whole scan: resolve targets, apply the scope rule (and log
 * an authorisation to go beyond it), discover open ports, fingerprint them.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/scan_run.h"

void
scan_result_release(struct scan_result *r)
{
	scan_addrs_release(&r->addrs);
	free(r->services);
	memset(r, 0, sizeof(*r));
}

/* Resolves every target and refuses, before any packet, what is out of scope. */
static enum csirt_rc
resolve_in_scope(const struct scan_request *req, struct scan_addrs *addrs, struct csirt_err *err)
{
	for (size_t k = 0; k < req->ntargets; k++) {
		size_t before = addrs->n;
		bool range;
		enum csirt_rc rc = scan_target_resolve(req->targets[k], addrs, &range, err);

		if (rc != CSIRT_OK)
			return rc;
		for (size_t j = before; j < addrs->n; j++) {
			bool in_scope = req->scope != NULL ?
			    scan_addrs_contains(req->scope, &addrs->v[j]) : !range;

			if (!in_scope && req->authorize == NULL)
				return csirt_err_set(err, CSIRT_EFORBIDDEN, "target",
				    "%s (from '%s') is outside the scan scope; use --scope or "
				    "--authorize REASON", addrs->v[j].text, req->targets[k]);
		}
		if (req->authorize != NULL)
			log_warn("scan authorised outside scope: user=%s target=%s addresses=%zu "
			    "reason=\"%s\"", req->actor ? req->actor : "unknown", req->targets[k],
			    addrs->n - before, req->authorize);
	}
	return CSIRT_OK;
}

enum csirt_rc
scan_run(const struct scan_request *req, struct scan_result *out, struct csirt_err *err)
{
	struct port_set *ports = malloc(sizeof(*ports));
	struct netscan_open *open = NULL;
	struct fpdb *db = NULL;
	size_t nopen = 0;
	enum csirt_rc rc;

	memset(out, 0, sizeof(*out));
	if (ports == NULL)
		return CSIRT_ENOMEM;
	rc = portspec_parse(req->ports ? req->ports : "top100", ports, err);
	if (rc == CSIRT_OK)
		rc = resolve_in_scope(req, &out->addrs, err);
	if (rc == CSIRT_OK)
		rc = netscan_run(&out->addrs, ports, &req->net, &open, &nopen, &out->stats, err);
	if (rc != CSIRT_OK)
		goto out;
	log_info("scan: %llu attempts, %zu open, %llu self-connects rejected",
	    (unsigned long long)out->stats.attempted, nopen,
	    (unsigned long long)out->stats.self_connects);
	if (req->ports_only) {
		out->services = calloc(nopen ? nopen : 1, sizeof(*out->services));
		if (out->services == NULL) {
			rc = CSIRT_ENOMEM;
			goto out;
		}
		for (size_t k = 0; k < nopen; k++) {
			struct scan_service *s = &out->services[k];

			snprintf(s->host, sizeof(s->host), "%s", out->addrs.v[open[k].addr].text);
			s->port = open[k].port;
			snprintf(s->service, sizeof(s->service), "unknown");
		}
	} else {
		rc = fpdb_load_default(&db, err);
		if (rc == CSIRT_OK)
			rc = fp_run(db, &out->addrs, open, nopen, &req->fp, &out->services, err);
		if (rc != CSIRT_OK)
			goto out;
	}
	out->n = nopen;
out:
	fpdb_free(db);
	free(open);
	free(ports);
	if (rc != CSIRT_OK)
		scan_result_release(out);
	return rc;
}
