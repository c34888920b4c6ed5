/*
 * cmd_scan.c - `csirt scan`: discovery, then fingerprinting of every open
 * port, printed as a table, JSON lines or CSV.
 *
 * Scope: by default the scan may touch exactly the addresses typed on the
 * command line as literals, or those listed in --scope FILE (the addresses
 * registered to the systems being scanned). A range or a host name outside
 * that scope is refused unless --authorize "REASON" is given; the
 * authorisation is logged with the reason, the user and the targets.
 */
#include "csirt/common.h"

#include <curl/curl.h>
#include <jansson.h>

#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "csirt/scan_fp.h"
#include "csirt/scan_net.h"
#include "csirt/scan_output.h"
#include "csirt/scan_run.h"
#include "csirt/scan_vulndb.h"

int cmd_scan(int argc, char **argv);

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: csirt scan [options] TARGET...\n"
	    "\n"
	    "TARGET is an IPv4/IPv6 address, a host name or a range (10.0.0.0/24).\n"
	    "\n"
	    "  --ports SPEC        22,80,8000-8100, topN, all (default: top100)\n"
	    "  --format FMT        table (default), jsonl or csv\n"
	    "  --scope FILE        addresses registered to the systems scanned, one a line\n"
	    "  --authorize REASON  allow targets outside the scope; logged with REASON\n"
	    "  --rate N            at most N connection attempts per second\n"
	    "  --max-inflight N    connections in flight at once (default 1024)\n"
	    "  --timeout MS        connect timeout (default 1500)\n"
	    "  --banner-wait MS    how long to wait for a greeting (default 250)\n"
	    "  --probe-wait MS     how long to wait for an answer to a probe (default 1500)\n"
	    "  --no-tls            do not try TLS\n"
	    "  --ports-only        discovery only, no fingerprinting\n"
	    "  --vulns PATH        vulnerability data (NVD 2.0, CVE 5, OSV, Debian tracker,\n"
	    "                      KEV, EPSS; a file or a folder); repeatable\n"
	    "  --post URL          send the result to the platform: recorded as the system's\n"
	    "                      vulnerability scan, findings tracked over time\n"
	    "  --token T           API token for --post (or CSIRT_TOKEN)\n"
	    "  --system ID         the scanned system's id (with --post)\n"
	    "  --inventory FILE    match the packages of a `csirt inventory` document\n"
	    "                      (confirmed lane); TARGETs are then optional\n");
}

/* Reads a scope file: one address or host name a line, '#' comments. */
static enum csirt_rc
load_scope(const char *path, struct scan_addrs *scope, struct csirt_err *err)
{
	FILE *f = fopen(path, "r");
	char line[512];
	enum csirt_rc rc = CSIRT_OK;
	int lines = 0;

	if (f == NULL)
		return csirt_err_set(err, CSIRT_EIO, "scope", "cannot open scope file");
	while (fgets(line, sizeof(line), f) != NULL && lines++ < 100000) {
		char *p = line, *end;
		bool range;

		p[strcspn(p, "#\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*p == '\0')
			continue;
		rc = scan_target_resolve(p, scope, &range, err);
		if (rc != CSIRT_OK)
			break;
	}
	fclose(f);
	return rc;
}

static const char *
who_am_i(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw != NULL ? pw->pw_name : "unknown";
}

static void
write_finding_line(enum scan_format format, const struct finding *f)
{
	if (format == SCAN_FORMAT_JSONL) {
		json_t *o = finding_to_json(f);
		char *line = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

		if (line != NULL)
			printf("%s\n", line);
		free(line);
		json_decref(o);
	} else if (format == SCAN_FORMAT_CSV) {
		printf("\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%.1f\",\"%s\",\"%s\"\n", f->cve,
		    f->lane == LANE_CONFIRMED ? "confirmed" : "potential", f->status, f->component,
		    f->installed, f->fixed, (double)f->cvss, f->kev ? "yes" : "no", f->kev_due);
	} else {
		printf("    %-16s %-10s %-19s cvss %-4.1f%s%s%s", f->cve,
		    f->lane == LANE_CONFIRMED ? "confirmed" : "potential", f->status, (double)f->cvss,
		    f->fixed[0] ? " fixed in " : "", f->fixed, f->kev ? " KEV due " : "");
		printf("%s", f->kev ? f->kev_due : "");
		if (f->epss >= 0)
			printf(" epss %.3f", (double)f->epss);
		printf("\n");
	}
}

/* A service line, with its findings (jsonl: a "findings" array; others: lines after it). */
static void
write_service(enum scan_format format, const struct scan_service *s, const struct finding_list *fl)
{
	if (format == SCAN_FORMAT_JSONL && fl != NULL) {
		json_t *o = scan_service_to_json(s), *arr = json_array();
		char *line;

		for (size_t k = 0; k < fl->n; k++)
			json_array_append_new(arr, finding_to_json(&fl->v[k]));
		json_object_set_new(o, "findings", arr);
		line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (line != NULL)
			printf("%s\n", line);
		free(line);
		json_decref(o);
		return;
	}
	scan_write_service(stdout, format, s);
	if (format == SCAN_FORMAT_TABLE && fl != NULL)
		for (size_t k = 0; k < fl->n; k++)
			write_finding_line(format, &fl->v[k]);
}

/* A product without a version gets no findings, only how many CVEs name it. */
static void
note_unknown_version(const struct vulndb *vdb, struct scan_service *s)
{
	struct cpe c;
	size_t n;

	if (s->cpe[0] == '\0' || cpe_parse(s->cpe, strlen(s->cpe), &c, NULL) != CSIRT_OK ||
	    strcmp(c.a[CPE_VERSION], "*") != 0)
		return;
	n = vulndb_product_cves(vdb, &c);
	if (n > 0) {
		size_t len = strlen(s->info);

		snprintf(s->info + len, sizeof(s->info) - len, "%sversion unknown: %zu CVEs name %s",
		    len ? "; " : "", n, c.a[CPE_PRODUCT]);
	}
}

/* Confirmed lane for a `csirt inventory` document. Returns 0, or 1 with err set. */
static int
match_inventory(const struct vulndb *vdb, const char *path, enum scan_format format,
    struct csirt_err *err)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	struct package_list pkgs = { 0 };
	struct finding_list fl = { 0 };
	const json_t *os;
	int rc = 1;

	if (doc == NULL) {
		csirt_err_set(err, CSIRT_EPARSE, "inventory", "%s: %s", path, jerr.text);
		return 1;
	}
	os = json_object_get(doc, "os");
	if (inventory_from_json(doc, &pkgs, err) != CSIRT_OK)
		goto out;
	if (vulndb_match_packages(vdb, &pkgs, json_string_value(json_object_get(os, "id")),
	    json_string_value(json_object_get(os, "version_id")), &fl) != CSIRT_OK) {
		csirt_err_set(err, CSIRT_EINVAL, "inventory", "the inventory does not name its OS release");
		goto out;
	}
	if (format == SCAN_FORMAT_TABLE)
		printf("%zu packages, %zu confirmed findings\n", pkgs.n, fl.n);
	else if (format == SCAN_FORMAT_CSV)
		printf("cve,lane,status,component,installed,fixed,cvss,kev,kev_due\n");
	for (size_t k = 0; k < fl.n; k++)
		write_finding_line(format, &fl.v[k]);
	rc = 0;
out:
	finding_list_release(&fl);
	package_list_release(&pkgs);
	json_decref(doc);
	return rc;
}

static size_t
discard_body(char *p, size_t size, size_t n, void *ctx)
{
	return size * n;
}

/*
 * Sends the scan to the platform: POST {URL}/api/systems/{ID}/scans, which
 * records it as the system's vulnerability-scan activity and folds the
 * findings into the system's findings over time (new, still open, fixed,
 * reopened).
 */
static enum csirt_rc
scan_post_result(const char *base, const char *token, int64_t system_id, json_t *services,
    json_t *findings, struct csirt_err *err)
{
	struct buf url, auth;
	struct curl_slist *h = NULL;
	char when[32], *text;
	json_t *body;
	CURL *curl;
	CURLcode cc;
	long code = 0;
	size_t l = strlen(base);

	if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
		return csirt_err_set(err, CSIRT_EINVAL, "post", "--post needs an http:// or https:// URL");
	while (l > 0 && base[l - 1] == '/')
		l--;
	time_format_iso(time_now(), when);
	body = json_pack("{s:s,s:s,s:O,s:O}", "performed_at", when, "summary", "csirt scan",
	    "services", services, "findings", findings);
	text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	buf_init(&url, 8192);
	buf_init(&auth, 8192);
	curl = curl_easy_init();
	if (text == NULL || curl == NULL || buf_append(&url, base, l) != CSIRT_OK ||
	    buf_printf(&url, "/api/systems/%lld/scans", (long long)system_id) != CSIRT_OK ||
	    buf_printf(&auth, "Authorization: Bearer %s", token) != CSIRT_OK) {
		csirt_err_set(err, CSIRT_ENOMEM, "post", "cannot build the request");
		goto out;
	}
	h = curl_slist_append(h, auth.data);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, url.data);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_body);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	cc = curl_easy_perform(curl);
	if (cc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	if (cc != CURLE_OK || code != 201)
		csirt_err_set(err, CSIRT_EIO, "post", "the platform did not take the scan (HTTP %ld%s%s)",
		    code, cc != CURLE_OK ? ": " : "", cc != CURLE_OK ? curl_easy_strerror(cc) : "");
	else
		err->rc = CSIRT_OK;
out:
	curl_slist_free_all(h);
	if (curl)
		curl_easy_cleanup(curl);
	free(text);
	buf_release(&url);
	buf_release(&auth);
	return err->rc == CSIRT_OK && code == 201 ? CSIRT_OK : (err->rc ? err->rc : CSIRT_EIO);
}

int
cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ports", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "scope", required_argument, NULL, 's' },
		{ "authorize", required_argument, NULL, 'A' },
		{ "rate", required_argument, NULL, 'r' },
		{ "max-inflight", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "banner-wait", required_argument, NULL, 'b' },
		{ "probe-wait", required_argument, NULL, 'w' },
		{ "no-tls", no_argument, NULL, 'N' },
		{ "ports-only", no_argument, NULL, 'P' },
		{ "vulns", required_argument, NULL, 'V' },
		{ "inventory", required_argument, NULL, 'I' },
		{ "post", required_argument, NULL, 'U' },
		{ "token", required_argument, NULL, 'T' },
		{ "system", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ports_spec = "top100", *scope_file = NULL, *authorize = NULL;
	const char *vuln_paths[32], *inventory = NULL;
	size_t nvuln_paths = 0;
	struct vulndb *vdb = NULL;
	struct netscan_opts nopts = { 0 };
	struct fp_opts fopts = { 0 };
	struct scan_addrs scope = { 0 };
	struct scan_request req = { 0 };
	struct scan_result res = { 0 };
	struct csirt_err err;
	enum scan_format format = SCAN_FORMAT_TABLE;
	bool ports_only = false;
	const char *post_url = NULL, *post_token = getenv("CSIRT_TOKEN");
	int64_t post_system = 0;
	json_t *post_services = NULL, *post_findings = NULL;
	int c, status = 1;

	csirt_err_clear(&err);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int64_t v;

		switch (c) {
		case 'p':
			ports_spec = optarg;
			break;
		case 'f':
			if (scan_format_parse(optarg) < 0) {
				fprintf(stderr, "csirt scan: unknown format '%s'\n", optarg);
				return 2;
			}
			format = (enum scan_format)scan_format_parse(optarg);
			break;
		case 's':
			scope_file = optarg;
			break;
		case 'A':
			authorize = optarg;
			break;
		case 'N':
			fopts.no_tls = true;
			break;
		case 'P':
			ports_only = true;
			break;
		case 'V':
			if (nvuln_paths == ARRAY_SIZE(vuln_paths)) {
				fprintf(stderr, "csirt scan: too many --vulns\n");
				return 2;
			}
			vuln_paths[nvuln_paths++] = optarg;
			break;
		case 'I':
			inventory = optarg;
			break;
		case 'U':
			post_url = optarg;
			break;
		case 'T':
			post_token = optarg;
			break;
		case 'S':
			if (parse_int64(optarg, 1, INT64_MAX, &v) != CSIRT_OK) {
				fprintf(stderr, "csirt scan: --system wants a system id\n");
				return 2;
			}
			post_system = v;
			break;
		case 'r': case 'm': case 't': case 'b': case 'w':
			if (parse_int64(optarg, 1, 10000000, &v) != CSIRT_OK) {
				fprintf(stderr, "csirt scan: bad number '%s'\n", optarg);
				return 2;
			}
			if (c == 'r')
				nopts.rate = (int)v;
			else if (c == 'm')
				nopts.max_inflight = (int)v;
			else if (c == 't')
				nopts.timeout_ms = (int)v;
			else if (c == 'b')
				fopts.banner_wait_ms = (int)v;
			else
				fopts.probe_wait_ms = (int)v;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc && inventory == NULL) {
		usage(stderr);
		return 2;
	}
	if (inventory != NULL && nvuln_paths == 0) {
		fprintf(stderr, "csirt scan: --inventory needs --vulns\n");
		return 2;
	}
	if (nvuln_paths > 0) {
		struct vulndb_stats vst = { 0 };

		vdb = vulndb_new();
		if (vdb == NULL)
			goto fail;
		for (size_t k = 0; k < nvuln_paths; k++)
			if (vulndb_import_path(vdb, vuln_paths[k], &vst, &err) != CSIRT_OK)
				goto fail;
		log_info("vulnerability data: %llu CVE records, %llu OSV, %llu distribution entries, "
		    "%llu KEV, %llu EPSS, %llu entries skipped", (unsigned long long)vst.cves,
		    (unsigned long long)vst.osv, (unsigned long long)vst.distro,
		    (unsigned long long)vst.kev, (unsigned long long)vst.epss,
		    (unsigned long long)vst.skipped);
	}
	if (inventory != NULL) {
		status = match_inventory(vdb, inventory, format, &err);
		if (status == 1)
			goto fail;
		if (optind >= argc)
			goto out;
	}
	if (authorize != NULL && strlen(authorize) < 4) {
		fprintf(stderr, "csirt scan: --authorize needs a reason (a ticket, a decision)\n");
		return 2;
	}
	if (scope_file != NULL && load_scope(scope_file, &scope, &err) != CSIRT_OK)
		goto fail;
	req.targets = (const char *const *)argv + optind;
	req.ntargets = (size_t)(argc - optind);
	req.ports = ports_spec;
	req.scope = scope_file != NULL ? &scope : NULL;
	req.authorize = authorize;
	req.actor = who_am_i();
	req.net = nopts;
	req.fp = fopts;
	req.ports_only = ports_only;
	if (post_url != NULL && (post_system == 0 || post_token == NULL)) {
		fprintf(stderr, "csirt scan: --post needs --system ID and --token T (or CSIRT_TOKEN)\n");
		status = 2;
		goto out;
	}
	if (scan_run(&req, &res, &err) != CSIRT_OK)
		goto fail;
	if (post_url != NULL) {
		post_services = json_array();
		post_findings = json_array();
	}
	scan_write_header(stdout, format);
	for (size_t k = 0; k < res.n; k++) {
		struct finding_list fl = { 0 };

		if (vdb != NULL && vulndb_match_service(vdb, &res.services[k], &fl) != CSIRT_OK)
			goto fail;
		if (vdb != NULL)
			note_unknown_version(vdb, &res.services[k]);
		write_service(format, &res.services[k], vdb != NULL ? &fl : NULL);
		if (post_url != NULL) {
			json_array_append_new(post_services, scan_service_to_json(&res.services[k]));
			for (size_t f = 0; f < fl.n; f++)
				json_array_append_new(post_findings, finding_to_json(&fl.v[f]));
		}
		finding_list_release(&fl);
	}
	status = fflush(stdout) == 0 ? 0 : 1;
	if (post_url != NULL && status == 0 &&
	    scan_post_result(post_url, post_token, post_system, post_services, post_findings, &err) !=
	    CSIRT_OK) {
		fprintf(stderr, "csirt scan: %s\n", err.msg);
		status = 1;
	}
	goto out;
fail:
	fprintf(stderr, "csirt scan: %s\n", err.msg[0] ? err.msg : "out of memory");
	status = err.rc == CSIRT_EINVAL || err.rc == CSIRT_EFORBIDDEN ? 2 : 1;
out:
	json_decref(post_services);
	json_decref(post_findings);
	vulndb_free(vdb);
	scan_result_release(&res);
	scan_addrs_release(&scope);
	return status;
}
