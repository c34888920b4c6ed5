/*
 * output.c - scan results in JSON lines, CSV (RFC 4180 quoting) and a
 * human table. JSON goes through jansson so every banner-derived string is
 * escaped; CSV fields are quoted and a leading = + - @ is defused, since
 * these files are opened in spreadsheets.
 */
#include "csirt/common.h"

#include <string.h>

#include "csirt/scan_output.h"

static void
put(json_t *o, const char *key, const char *value, bool always)
{
	if (always || value[0] != '\0')
		json_object_set_new(o, key, json_string(value));
}

json_t *
scan_service_to_json(const struct scan_service *s)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	put(o, "host", s->host, true);
	json_object_set_new(o, "port", json_integer(s->port));
	put(o, "service", s->service, true);
	put(o, "product", s->product, true);
	put(o, "version", s->version, true);
	put(o, "cpe", s->cpe, true);
	json_object_set_new(o, "tls", json_boolean(s->tls));
	put(o, "distro", s->distro, false);
	put(o, "revision", s->revision, false);
	put(o, "package", s->package, false);
	put(o, "package_version", s->package_version, false);
	put(o, "info", s->info, false);
	put(o, "probe", s->probe, false);
	put(o, "tls_subject", s->tls_subject, false);
	put(o, "tls_issuer", s->tls_issuer, false);
	put(o, "tls_not_after", s->tls_not_after, false);
	return o;
}

int
scan_format_parse(const char *name)
{
	if (strcmp(name, "table") == 0)
		return SCAN_FORMAT_TABLE;
	if (strcmp(name, "jsonl") == 0)
		return SCAN_FORMAT_JSONL;
	if (strcmp(name, "csv") == 0)
		return SCAN_FORMAT_CSV;
	return -1;
}

static void
csv_field(FILE *out, const char *s, bool last)
{
	fputc('"', out);
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
	fputc(last ? '\n' : ',', out);
}

void
scan_write_header(FILE *out, enum scan_format f)
{
	if (f == SCAN_FORMAT_CSV)
		fputs("host,port,service,product,version,cpe,tls,package,package_version,"
		    "tls_subject,tls_not_after,info\n", out);
	else if (f == SCAN_FORMAT_TABLE)
		fprintf(out, "%-20s %-6s %-11s %-16s %-12s %s\n", "HOST", "PORT", "SERVICE",
		    "PRODUCT", "VERSION", "PACKAGE / INFO");
}

void
scan_write_service(FILE *out, enum scan_format f, const struct scan_service *s)
{
	char port[8];

	snprintf(port, sizeof(port), "%u", s->port);
	if (f == SCAN_FORMAT_JSONL) {
		json_t *o = scan_service_to_json(s);
		char *line = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

		if (line != NULL)
			fprintf(out, "%s\n", line);
		free(line);
		json_decref(o);
	} else if (f == SCAN_FORMAT_CSV) {
		csv_field(out, s->host, false);
		csv_field(out, port, false);
		csv_field(out, s->service, false);
		csv_field(out, s->product, false);
		csv_field(out, s->version, false);
		csv_field(out, s->cpe, false);
		csv_field(out, s->tls ? "yes" : "no", false);
		csv_field(out, s->package, false);
		csv_field(out, s->package_version, false);
		csv_field(out, s->tls_subject, false);
		csv_field(out, s->tls_not_after, false);
		csv_field(out, s->info, true);
	} else {
		char extra[256];

		if (s->package_version[0])
			snprintf(extra, sizeof(extra), "%s %s", s->package, s->package_version);
		else
			snprintf(extra, sizeof(extra), "%s", s->info);
		fprintf(out, "%-20s %-6s %-11s %-16s %-12s %s%s%s\n", s->host, port, s->service,
		    s->product, s->version, extra, s->tls ? " [tls] " : "",
		    s->tls ? s->tls_subject : "");
	}
}
