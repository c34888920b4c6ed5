/*
 * misp.c - an incident as a MISP event (MISP core format, JSON), for
 * sharing with other CSIRTs.
 *
 * Event: uuid, info, date, threat_level_id, analysis, distribution,
 * published, timestamp, Orgc, Attribute[], Tag[] - the fields the MISP core
 * format says an event SHALL carry (values are strings, as MISP writes
 * them). Observables become attributes; a value that does not look like
 * its declared type (an "md5" that is not 32 hex digits) is exported as
 * "text" in category "Other" and not flagged for IDS, because a wrong
 * to_ids indicator would make every partner's sensors alert on junk.
 *
 * Mapping choices:
 *   severity serious -> threat_level_id 1 (high), normal -> 2 (medium),
 *   undefined or absent -> 4 (undefined);
 *   step "closed" -> analysis 2 (complete), "1a" -> 0 (initial), others 1;
 *   confidential -> distribution 0 (this organisation only) and tlp:amber,
 *   otherwise distribution 1 (this community) and tlp:green.
 */
#include "csirt/common.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "csirt/report.h"

struct misp_type {
	const char *from;	/* observable type as the store names it */
	const char *type;	/* MISP attribute type */
	const char *category;
	bool to_ids;
};

static const struct misp_type misp_types[] = {
	{ "ip", "ip-dst", "Network activity", true },
	{ "ipv4", "ip-dst", "Network activity", true },
	{ "ipv6", "ip-dst", "Network activity", true },
	{ "ip-dst", "ip-dst", "Network activity", true },
	{ "domain", "domain", "Network activity", true },
	{ "hostname", "domain", "Network activity", true },
	{ "url", "url", "Network activity", true },
	{ "md5", "md5", "Payload delivery", true },
	{ "sha1", "sha1", "Payload delivery", true },
	{ "sha256", "sha256", "Payload delivery", true },
	{ "email", "email-src", "Payload delivery", true },
	{ "email-src", "email-src", "Payload delivery", true },
	{ "filename", "filename", "Payload delivery", false },
	{ "file", "filename", "Payload delivery", false },
};

static const struct misp_type misp_text = { "", "text", "Other", false };

static bool
all_hex(const char *s, size_t want)
{
	size_t n = strlen(s);

	if (n != want)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* A light plausibility check per type; MISP validates further on import. */
static bool
value_fits(const char *type, const char *v)
{
	if (v[0] == '\0' || strlen(v) > 4096)
		return false;
	if (strcmp(type, "md5") == 0)
		return all_hex(v, 32);
	if (strcmp(type, "sha1") == 0)
		return all_hex(v, 40);
	if (strcmp(type, "sha256") == 0)
		return all_hex(v, 64);
	if (strcmp(type, "email-src") == 0)
		return strchr(v, '@') != NULL && strchr(v, ' ') == NULL;
	if (strcmp(type, "url") == 0)
		return strstr(v, "://") != NULL && strchr(v, ' ') == NULL;
	if (strcmp(type, "ip-dst") == 0) {
		for (const char *p = v; *p; p++)
			if (!isxdigit((unsigned char)*p) && *p != '.' &&
			    *p != ':' && *p != '/')
				return false;
		return true;
	}
	if (strcmp(type, "domain") == 0)
		return strchr(v, '.') != NULL && strchr(v, ' ') == NULL &&
		    strchr(v, '/') == NULL;
	return true;
}

static const struct misp_type *
map_type(const char *from, const char *value)
{
	for (size_t i = 0; i < ARRAY_SIZE(misp_types); i++)
		if (strcasecmp(misp_types[i].from, from) == 0)
			return value_fits(misp_types[i].type, value) ?
			    &misp_types[i] : &misp_text;
	return &misp_text;
}

/* A random (version 4) UUID. */
static bool
uuid_new(char out[37])
{
	unsigned char r[16];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return false;
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5],
	    r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
	return true;
}

static bool
uuid_valid(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

static const char *
str_or(json_t *o, const char *key, const char *fallback)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) && json_string_length(v) > 0 ?
	    json_string_value(v) : fallback;
}

static const char *
threat_level(const char *severity)
{
	if (severity && strcmp(severity, "serious") == 0)
		return "1";
	if (severity && strcmp(severity, "normal") == 0)
		return "2";
	return "4";
}

static const char *
analysis(const char *step)
{
	if (step && strcmp(step, "closed") == 0)
		return "2";
	if (step && strcmp(step, "1a") == 0)
		return "0";
	return "1";
}

/* The event date (YYYY-MM-DD, Vietnam time) from detected_at, else today. */
static void
event_date(json_t *incident, char out[32])
{
	json_t *v = json_object_get(incident, "detected_at");
	int64_t t;
	time_t vn;
	struct tm tm;

	if (!json_is_string(v) ||
	    time_parse_iso(json_string_value(v), &t) != CSIRT_OK ||
	    t < 0 || t > (int64_t)253402300799)
		t = time_now();
	vn = (time_t)(t + 7 * 3600);
	gmtime_r(&vn, &tm);
	snprintf(out, 32, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}

static json_t *
attribute_new(json_t *obs, const char *ts)
{
	const char *from = str_or(obs, "type", "");
	const char *value = str_or(obs, "value", NULL);
	const struct misp_type *m;
	char uuid[37];

	if (value == NULL || !uuid_new(uuid))
		return NULL;
	m = map_type(from, value);
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}",
	    "uuid", uuid, "type", m->type, "category", m->category,
	    "value", value, "to_ids", m->to_ids, "distribution", "5",
	    "timestamp", ts, "comment", m == &misp_text && from[0] ?
	    from : "");
}

static json_t *
tag(const char *name)
{
	return json_pack("{s:s}", "name", name);
}

json_t *
report_misp_event(json_t *incident)
{
	json_t *event = NULL, *attrs, *tags, *obs, *v;
	const char *uuid_in = str_or(incident, "uuid", NULL);
	bool confidential;
	char uuid[37], date[32], ts[24], info[1024];
	size_t i;

	if (!json_is_object(incident))
		return NULL;
	confidential = json_is_true(json_object_get(incident, "confidential"));
	if (uuid_in != NULL && uuid_valid(uuid_in))
		snprintf(uuid, sizeof(uuid), "%s", uuid_in);
	else if (!uuid_new(uuid))
		return NULL;
	event_date(incident, date);
	snprintf(ts, sizeof(ts), "%lld", (long long)time_now());
	snprintf(info, sizeof(info), "%s%s%s",
	    str_or(incident, "tracking_code", ""),
	    json_object_get(incident, "tracking_code") ? ": " : "",
	    str_or(incident, "title", "Incident"));

	attrs = json_array();
	tags = json_array();
	event = json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, "
	    "s:{s:s}, s:o, s:o}}", "Event", "uuid", uuid, "info", info,
	    "date", date,
	    "threat_level_id", threat_level(str_or(incident, "severity", NULL)),
	    "analysis", analysis(str_or(incident, "step", NULL)),
	    "distribution", confidential ? "0" : "1", "published", 0,
	    "timestamp", ts, "Orgc", "name",
	    str_or(json_object_get(incident, "reporter"), "org", "csirt"),
	    "Attribute", attrs, "Tag", tags);
	if (event == NULL)
		return NULL;	/* json_pack's "o" released attrs and tags */
	if (json_array_append_new(tags, tag(confidential ? "tlp:amber" :
	    "tlp:green")) != 0)
		goto fail;
	v = json_object_get(incident, "taxonomy_code");
	if (json_is_string(v)) {
		char t[160];

		snprintf(t, sizeof(t), "csirt:taxonomy=\"%.100s\"",
		    json_string_value(v));
		if (json_array_append_new(tags, tag(t)) != 0)
			goto fail;
	}
	json_array_foreach(json_object_get(incident, "observables"), i, obs) {
		json_t *a;

		if (i >= 10000)
			break;	/* input_check-style cap on a hostile list */
		if (!json_is_object(obs))
			continue;
		a = attribute_new(obs, ts);
		if (a != NULL && json_array_append_new(attrs, a) != 0)
			goto fail;
	}
	return event;
fail:
	json_decref(event);
	return NULL;
}
