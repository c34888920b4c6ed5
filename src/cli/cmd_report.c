/*
 * cmd_report.c - `csirt report KIND --input FILE.json -o OUT.{pdf,docx,html}`
 * renders an official form or periodic report from JSON, and
 * `csirt report misp --input INCIDENT.json -o OUT.json` exports an
 * incident as a MISP event.
 *
 * The store-backed forms (--incident N, --period 2026H1, --year Y
 * --quarter Q) read the database of --data DIR (default ./var) through
 * the services (src/services/report_data.c), as the administrator.
 */
#include "csirt/common.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "csirt/report.h"
#include "csirt/report_data.h"
#include "csirt/store.h"

/* Inputs are aggregates or one incident: 16 MiB is far above either. */
#define REPORT_INPUT_MAX (16 * 1024 * 1024)

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: csirt report KIND --input FILE.json -o OUT.pdf|OUT.docx|OUT.html\n"
	    "       csirt report misp --input INCIDENT.json -o OUT.json\n"
	    "       csirt report form03|form04|report72h|misp --incident N [--data DIR] -o OUT\n"
	    "       csirt report form05 --period 2026H1|2026 [--data DIR] -o OUT\n"
	    "       csirt report quarterly --year 2026 --quarter 3 [--data DIR] -o OUT\n"
	    "       csirt report annual|mau08 --year 2026 [--data DIR] -o OUT\n"
	    "       csirt report form01|form02 --org ID [--data DIR] -o OUT\n"
	    "\n"
	    "kinds: form03 form04 form05 form01 form02 mau08 report72h quarterly annual\n"
	    "The format follows the extension of OUT (or --format pdf|docx|html).\n"
	    "The JSON shapes are described in docs/report.md.\n");
}

static json_t *
load_input(const char *path)
{
	json_error_t je;
	json_t *j;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *data;
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "csirt report: cannot open %s: %s\n", path,
		    strerror(errno));
		return NULL;
	}
	data = malloc(REPORT_INPUT_MAX + 1);
	if (data == NULL) {
		if (f != stdin)
			fclose(f);
		return NULL;
	}
	n = fread(data, 1, REPORT_INPUT_MAX + 1, f);
	if (f != stdin)
		fclose(f);
	if (n > REPORT_INPUT_MAX) {
		fprintf(stderr, "csirt report: %s is larger than %d bytes\n",
		    path, REPORT_INPUT_MAX);
		free(data);
		return NULL;
	}
	j = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je);
	free(data);
	if (j == NULL)
		fprintf(stderr, "csirt report: %s: invalid JSON at line %d: "
		    "%s\n", path, je.line, je.text);
	return j;
}

static int
export_misp(json_t *input, const char *out_path)
{
	json_t *ev = report_misp_event(input);
	char *tmp = NULL;
	int rc = 1;

	if (ev == NULL) {
		fprintf(stderr, "csirt report: the input is not an incident "
		    "object\n");
		return 1;
	}
	if (strcmp(out_path, "-") == 0) {
		rc = json_dumpf(ev, stdout, JSON_INDENT(2)) == 0 ? 0 : 1;
		putchar('\n');
	} else if (asprintf(&tmp, "%s.tmp", out_path) >= 0) {
		/* Write then rename: never a half-written export. */
		if (json_dump_file(ev, tmp, JSON_INDENT(2)) == 0 &&
		    rename(tmp, out_path) == 0)
			rc = 0;
		else
			remove(tmp);
	}
	if (rc != 0)
		fprintf(stderr, "csirt report: cannot write %s\n", out_path);
	free(tmp);
	json_decref(ev);
	return rc;
}

/* Listed in the table of main.c, which declares it too. */
int cmd_report(int argc, char **argv);

/* The input of a store-backed report, read as the administrator would
 * (the whole province). NULL after printing the reason. */
static json_t *
from_store(const char *kind, const char *data_dir, int64_t incident_id, const char *period,
    int64_t year, int64_t quarter, int64_t org_id)
{
	struct store *st = NULL;
	struct actor system = { 0 };
	struct csirt_err err;
	json_t *j = NULL;
	enum csirt_rc rc;
	int per_incident = strcmp(kind, "form03") == 0 || strcmp(kind, "form04") == 0 ||
	    strcmp(kind, "report72h") == 0 || strcmp(kind, "misp") == 0;

	csirt_err_clear(&err);
	snprintf(system.username, sizeof(system.username), "cli");
	system.role = ROLE_ADMIN;
	if (per_incident != (incident_id != 0)) {
		fprintf(stderr, "csirt report: %s %s\n", kind, per_incident ?
		    "needs --incident N" : "does not take --incident");
		return NULL;
	}
	if (store_open(data_dir, &st, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt report: %s\n", err.msg);
		return NULL;
	}
	if (per_incident)
		rc = report_data_incident(st, &system, incident_id, &j);
	else if (strcmp(kind, "form05") == 0)
		rc = report_data_form05(st, &system, period, &j, &err);
	else if (strcmp(kind, "form01") == 0 || strcmp(kind, "form02") == 0)
		rc = org_id == 0 ? csirt_err_set(&err, CSIRT_EINVAL, NULL, "give --org ID") :
		    report_data_member(st, &system, org_id, &j, &err);
	else if (strcmp(kind, "mau08") == 0)
		rc = year == 0 ? csirt_err_set(&err, CSIRT_EINVAL, NULL, "give --year Y") :
		    report_data_mau08(st, &system, (int)year, &j, &err);
	else if (strcmp(kind, "quarterly") == 0 || strcmp(kind, "annual") == 0)
		rc = (strcmp(kind, "quarterly") == 0 && quarter == 0) || year == 0 ?
		    csirt_err_set(&err, CSIRT_EINVAL, NULL, "give --year Y (and --quarter Q)") :
		    report_data_periodic(st, &system, (int)year, strcmp(kind, "annual") == 0 ? 0 :
		    (int)quarter, &j, &err);
	else
		rc = csirt_err_set(&err, CSIRT_EINVAL, NULL, "%s is made from --input FILE.json", kind);
	store_close(st);
	if (rc != CSIRT_OK) {
		fprintf(stderr, "csirt report: %s\n", err.msg[0] ? err.msg :
		    rc == CSIRT_ENOTFOUND ? "no such incident" : csirt_rc_name(rc));
		return NULL;
	}
	return j;
}

int
cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "incident", required_argument, NULL, 'n' },
		{ "period", required_argument, NULL, 'p' },
		{ "year", required_argument, NULL, 'y' },
		{ "quarter", required_argument, NULL, 'q' },
		{ "data", required_argument, NULL, 'd' },
		{ "org", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *input = NULL, *output = NULL, *format = NULL;
	const char *kind, *store_opt = NULL, *period = NULL, *data_dir = "./var";
	int64_t incident_id = 0, year = 0, quarter = 0, org_id = 0;
	enum report_format fmt;
	struct csirt_err err;
	json_t *j;
	int64_t num;
	int c, rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	kind = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "i:o:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': input = optarg; break;
		case 'o': output = optarg; break;
		case 'f': format = optarg; break;
		case 'n':
			if (parse_int64(optarg, 1, INT64_MAX, &num) != CSIRT_OK) {
				fprintf(stderr, "csirt report: --incident wants "
				    "a positive number\n");
				return 2;
			}
			store_opt = "--incident";
			incident_id = num;
			break;
		case 'p':
			store_opt = "--period";
			period = optarg;
			break;
		case 'd': data_dir = optarg; break;
		case 'g':
			if (parse_int64(optarg, 1, INT64_MAX, &num) != CSIRT_OK) {
				fprintf(stderr, "csirt report: --org wants an organisation id\n");
				return 2;
			}
			store_opt = "--org";
			org_id = num;
			break;
		case 'y':
			if (parse_int64(optarg, 2000, 9999, &num) != CSIRT_OK) {
				fprintf(stderr, "csirt report: --year wants a "
				    "year such as 2026\n");
				return 2;
			}
			store_opt = "--year";
			year = num;
			break;
		case 'q':
			if (parse_int64(optarg, 1, 4, &num) != CSIRT_OK) {
				fprintf(stderr, "csirt report: --quarter wants "
				    "1, 2, 3 or 4\n");
				return 2;
			}
			store_opt = "--quarter";
			quarter = num;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (strcmp(kind, "misp") != 0 && !report_kind_valid(kind)) {
		fprintf(stderr, "csirt report: unknown kind '%s'\n", kind);
		usage(stderr);
		return 2;
	}
	if (output == NULL) {
		fprintf(stderr, "csirt report: -o OUT is required\n");
		return 2;
	}
	if (input == NULL && store_opt != NULL) {
		j = from_store(kind, data_dir, incident_id, period, year, quarter, org_id);
		if (j == NULL)
			return 1;
	} else if (input == NULL) {
		fprintf(stderr, "csirt report: --input FILE.json is required\n");
		return 2;
	} else {
		j = load_input(input);
		if (j == NULL)
			return 1;
	}
	if (strcmp(kind, "misp") == 0) {
		rc = export_misp(j, output);
		json_decref(j);
		return rc;
	}
	if (format != NULL) {
		char probe[16];

		snprintf(probe, sizeof(probe), "x.%s", format);
		rc = report_format_from_path(probe, &fmt);
	} else {
		rc = report_format_from_path(output, &fmt);
	}
	if (rc != CSIRT_OK) {
		fprintf(stderr, "csirt report: cannot tell the format: use an "
		    "output ending in .pdf, .docx or .html, or --format\n");
		json_decref(j);
		return 2;
	}
	csirt_err_clear(&err);
	rc = report_render(kind, j, fmt, output, &err);
	json_decref(j);
	report_cleanup();
	if (rc != CSIRT_OK) {
		fprintf(stderr, "csirt report: %s\n", err.msg[0] ? err.msg :
		    csirt_rc_name((enum csirt_rc)rc));
		return 1;
	}
	return 0;
}
