/*
 * post.c - hits become alerts in the platform: one POST per distinct
 * dedup key to {URL}/api/alerts with a bearer token (libcurl).
 *
 * The dedup key is rule_id|host|matched values, so the same finding on the
 * same host is one alert however many records repeat it; keys already sent
 * in this run are skipped here, and the platform de-duplicates across runs.
 * After several failures in a row the poster stops trying (an unreachable
 * server must not turn a hunt into hours of timeouts) and counts the rest
 * as failed, which the caller reports.
 */
#include "csirt/common.h"

#include <curl/curl.h>
#include <sodium.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/hunt_post.h"

#define POST_TIMEOUT_S 15L
#define POST_MAX_CONSECUTIVE_FAILURES 5
#define POST_MAX_KEYS 1000000

struct hunt_poster {
	CURL *curl;
	struct curl_slist *headers;
	char *url;
	int64_t system_id;
	char **keys;		/* sent dedup keys: open addressing */
	size_t nkeys, capkeys;
	int consecutive_failures;
	struct hunt_post_stats st;
};

static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

struct hunt_poster *
hunt_poster_new(const char *base_url, const char *token, int64_t system_id,
    struct csirt_err *err)
{
	struct hunt_poster *p = calloc(1, sizeof(*p));
	struct buf b;
	size_t l = strlen(base_url);

	if (p == NULL)
		return NULL;
	if (strncmp(base_url, "http://", 7) != 0 &&
	    strncmp(base_url, "https://", 8) != 0) {
		csirt_err_set(err, CSIRT_EINVAL, "post",
		    "--post needs an http:// or https:// URL");
		free(p);
		return NULL;
	}
	buf_init(&b, 8192);
	while (l > 0 && base_url[l - 1] == '/')
		l--;
	if (buf_append(&b, base_url, l) != CSIRT_OK ||
	    buf_append_str(&b, "/api/alerts") != CSIRT_OK)
		goto fail;
	p->url = buf_detach(&b);
	if (buf_printf(&b, "Authorization: Bearer %s", token) != CSIRT_OK)
		goto fail;
	p->headers = curl_slist_append(NULL, b.data);
	buf_release(&b);
	p->headers = curl_slist_append(p->headers,
	    "Content-Type: application/json");
	p->curl = curl_easy_init();
	if (p->curl == NULL || p->headers == NULL)
		goto fail;
	p->system_id = system_id;
	curl_easy_setopt(p->curl, CURLOPT_URL, p->url);
	curl_easy_setopt(p->curl, CURLOPT_HTTPHEADER, p->headers);
	curl_easy_setopt(p->curl, CURLOPT_TIMEOUT, POST_TIMEOUT_S);
	curl_easy_setopt(p->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(p->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	return p;
fail:
	buf_release(&b);
	csirt_err_set(err, CSIRT_ENOMEM, "post", "cannot set up the HTTP client");
	hunt_poster_free(p);
	return NULL;
}

void
hunt_poster_free(struct hunt_poster *p)
{
	if (p == NULL)
		return;
	if (p->curl)
		curl_easy_cleanup(p->curl);
	curl_slist_free_all(p->headers);
	for (size_t i = 0; i < p->capkeys; i++)
		free(p->keys[i]);
	free(p->keys);
	free(p->url);
	free(p);
}

static uint64_t
str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Returns true if the key was new (and remembers it). */
static bool
key_add(struct hunt_poster *p, const char *key)
{
	size_t j;

	if ((p->nkeys + 1) * 2 > p->capkeys) {
		size_t cap = p->capkeys ? p->capkeys * 2 : 1024;
		char **t;

		if (p->nkeys >= POST_MAX_KEYS)
			return true;	/* stop remembering; server dedups */
		t = calloc(cap, sizeof(*t));
		if (t == NULL)
			return true;
		for (size_t i = 0; i < p->capkeys; i++) {
			if (p->keys[i] == NULL)
				continue;
			j = str_hash(p->keys[i]) & (cap - 1);
			while (t[j] != NULL)
				j = (j + 1) & (cap - 1);
			t[j] = p->keys[i];
		}
		free(p->keys);
		p->keys = t;
		p->capkeys = cap;
	}
	for (j = str_hash(key) & (p->capkeys - 1); p->keys[j] != NULL;
	    j = (j + 1) & (p->capkeys - 1))
		if (strcmp(p->keys[j], key) == 0)
			return false;
	p->keys[j] = strdup(key);
	if (p->keys[j] != NULL)
		p->nkeys++;
	return true;
}

static bool
hexrun(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f') ||
		    (v[i] >= 'A' && v[i] <= 'F')))
			return false;
	return true;
}

static void
observable(json_t *arr, const char *type, const char *v, size_t n)
{
	json_t *o;
	size_t i;

	json_array_foreach(arr, i, o) {
		json_t *val = json_object_get(o, "value");

		if (json_string_length(val) == n &&
		    memcmp(json_string_value(val), v, n) == 0)
			return;
	}
	o = json_object();
	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "value", json_stringn(v, n));
	json_array_append_new(arr, o);
}

/* What kind of observable a value is, by its shape (NULL: none). */
static const char *
classify(const char *v, size_t n)
{
	bool dot = false, alpha = false, other = false;

	if (n == 32 && hexrun(v, n)) return "md5";
	if (n == 40 && hexrun(v, n)) return "sha1";
	if (n == 64 && hexrun(v, n)) return "sha256";
	/* a URL only when the whole value is one: a command line that contains
	 * one ("bitsadmin /transfer x https://...") is not an observable */
	if (memmem(v, n, "://", 3) != NULL)
		return memchr(v, ' ', n) == NULL && memchr(v, '"', n) == NULL ? "url" : NULL;
	if (memchr(v, '\\', n) != NULL) return "file";
	if (memchr(v, '@', n) != NULL && memchr(v, '.', n) != NULL &&
	    memchr(v, ' ', n) == NULL) return "email";
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (c == '.') dot = true;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) alpha = true;
		else if (!(c >= '0' && c <= '9') && c != '-' && c != ':') other = true;
	}
	if (dot && !alpha && !other && n <= 15) return "ip";
	if (!alpha && !other && memchr(v, ':', n) != NULL && n > 2) return "ip";
	if (dot && alpha && !other) return "domain";
	return NULL;
}

/* "SHA1=..,MD5=..,SHA256=.." (Sysmon Hashes) -> one observable each. */
static void
hashes(json_t *arr, const char *v)
{
	const char *p = v;

	while (p != NULL && *p) {
		const char *eq = strchr(p, '='), *end;

		if (eq == NULL)
			break;
		end = strchr(eq + 1, ',');
		if (end == NULL)
			end = eq + 1 + strlen(eq + 1);
		if (classify(eq + 1, (size_t)(end - eq - 1)) != NULL &&
		    hexrun(eq + 1, (size_t)(end - eq - 1)))
			observable(arr, classify(eq + 1, (size_t)(end - eq - 1)),
			    eq + 1, (size_t)(end - eq - 1));
		p = *end ? end + 1 : NULL;
	}
}

void *
hunt_alert_json(const struct hunt_event *ev, const struct hunt_hit *hit,
    int64_t system_id)
{
	static const char *const obs_fields[] = { "SourceIp", "DestinationIp",
		"IpAddress", "DestinationHostname", "QueryName", "Image",
		"TargetFilename", "Hashes", "Hash", "md5", "sha1", "sha256" };
	json_t *o = json_object(), *obs = json_array(), *raw = json_object();
	struct buf key, desc;

	if (o == NULL || obs == NULL || raw == NULL) {
		json_decref(o);
		json_decref(obs);
		json_decref(raw);
		return NULL;
	}
	buf_init(&key, 4096);
	buf_init(&desc, 8192);
	buf_printf(&key, "%s|%s", hit->rule_id, ev->host);
	buf_printf(&desc, "%s rule \"%s\" matched on host %s at %s (%s, record %"
	    PRIu64 ").", hit->engine, hit->title, ev->host[0] ? ev->host : "?",
	    ev->time[0] ? ev->time : "?", ev->source, ev->record);
	for (size_t i = 0; i < hit->nfields; i++) {
		const char *v = hit->fields[i].value;
		const char *t = classify(v, strlen(v));

		buf_printf(&key, "|%s", v);
		buf_printf(&desc, " %s=%s", hit->fields[i].name, v);
		if (strcmp(hit->fields[i].name, "Hashes") == 0)
			hashes(obs, v);
		else if (t != NULL)
			observable(obs, t, v, strlen(v));
	}
	for (size_t i = 0; i < ARRAY_SIZE(obs_fields); i++) {
		const struct hunt_field *f = hunt_event_get(ev, obs_fields[i],
		    strlen(obs_fields[i]));
		const char *t;

		if (f == NULL || f->value_len == 0)
			continue;
		if (strcmp(obs_fields[i], "Hashes") == 0) {
			hashes(obs, f->value);
			continue;
		}
		t = classify(f->value, f->value_len);
		if (t != NULL)
			observable(obs, t, f->value, f->value_len);
	}
	for (size_t i = 0; i < ev->nfields; i++)
		if (json_object_get(raw, ev->fields[i].name) == NULL)
			json_object_set_new(raw, ev->fields[i].name,
			    json_stringn(ev->fields[i].value,
			    ev->fields[i].value_len));
	json_object_set_new(o, "source", json_string("hunt"));
	json_object_set_new(o, "title", json_string(hit->title));
	json_object_set_new(o, "description",
	    json_string(desc.data ? desc.data : ""));
	json_object_set_new(o, "severity",
	    json_string(hunt_level_severity(hit->level)));
	json_object_set_new(o, "rule_id", json_string(hit->rule_id));
	if (key.len > HUNT_DEDUP_KEY_MAX) {
		/* the platform keeps keys of at most HUNT_DEDUP_KEY_MAX bytes: a
		 * longer one is replaced by its hash, the same for every run */
		unsigned char d[crypto_hash_sha256_BYTES];
		char hex[2 * crypto_hash_sha256_BYTES + 1];

		crypto_hash_sha256(d, (const unsigned char *)key.data, key.len);
		hex_encode(d, sizeof(d), hex);
		buf_reset(&key);
		buf_printf(&key, "sha256:%s", hex);
	}
	json_object_set_new(o, "dedup_key", json_string(key.data ? key.data : ""));
	json_object_set_new(o, "observables", obs);
	/* syslog times ("Nov 23 10:00:00") are not ISO 8601: then the alert
	 * takes the time it is received */
	{
		int64_t when;

		if (time_parse_iso(ev->time, &when) == CSIRT_OK)
			json_object_set_new(o, "event_time", json_string(ev->time));
	}
	json_object_set_new(o, "host", json_string(ev->host));
	json_object_set_new(o, "raw", raw);
	if (system_id >= 0)
		json_object_set_new(o, "system_id", json_integer(system_id));
	buf_release(&key);
	buf_release(&desc);
	return o;
}

void
hunt_post_hit(struct hunt_poster *p, const struct hunt_event *ev,
    const struct hunt_hit *hit)
{
	json_t *body = hunt_alert_json(ev, hit, p->system_id);
	char *text;
	long code = 0;
	CURLcode cc;

	if (body == NULL) {
		p->st.failed++;
		return;
	}
	if (!key_add(p, json_string_value(json_object_get(body, "dedup_key")))) {
		p->st.deduplicated++;
		json_decref(body);
		return;
	}
	if (p->consecutive_failures >= POST_MAX_CONSECUTIVE_FAILURES) {
		p->st.failed++;
		json_decref(body);
		return;
	}
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (text == NULL) {
		p->st.failed++;
		return;
	}
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(text));
	cc = curl_easy_perform(p->curl);
	if (cc == CURLE_OK)
		curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &code);
	free(text);
	if (cc == CURLE_OK && code >= 200 && code < 300) {
		p->st.sent++;
		p->consecutive_failures = 0;
		return;
	}
	p->st.failed++;
	p->consecutive_failures++;
	if (p->st.first_error[0] == '\0') {
		if (cc != CURLE_OK)
			snprintf(p->st.first_error, sizeof(p->st.first_error),
			    "%s", curl_easy_strerror(cc));
		else
			snprintf(p->st.first_error, sizeof(p->st.first_error),
			    "the server answered HTTP %ld", code);
	}
}

void
hunt_poster_finish(struct hunt_poster *p, struct hunt_post_stats *out)
{
	*out = p->st;
}

enum csirt_rc
hunt_poster_record_activity(struct hunt_poster *p, const char *summary, void *result,
    struct csirt_err *err)
{
	struct buf url;
	json_t *body;
	char *text, when[32];
	long code = 0;
	size_t base;
	CURLcode cc;

	if (p->system_id < 0)
		return CSIRT_OK;
	/* p->url is BASE/api/alerts: the activity goes to BASE/api/systems/ID/activities. */
	base = strlen(p->url) - strlen("/api/alerts");
	buf_init(&url, 8192);
	if (buf_append(&url, p->url, base) != CSIRT_OK ||
	    buf_printf(&url, "/api/systems/%lld/activities", (long long)p->system_id) != CSIRT_OK) {
		buf_release(&url);
		return CSIRT_ENOMEM;
	}
	time_format_iso(time_now(), when);
	body = json_pack("{s:s,s:s,s:s,s:O}", "kind", "threat_hunt", "performed_at", when, "summary",
	    summary, "result", (json_t *)result);
	text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (text == NULL) {
		buf_release(&url);
		return CSIRT_ENOMEM;
	}
	curl_easy_setopt(p->curl, CURLOPT_URL, url.data);
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(text));
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, text);
	cc = curl_easy_perform(p->curl);
	if (cc == CURLE_OK)
		curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(p->curl, CURLOPT_URL, p->url);
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, NULL);
	free(text);
	buf_release(&url);
	if (cc != CURLE_OK || code != 201)
		return csirt_err_set(err, CSIRT_EIO, "post", "the hunt could not be recorded as the"
		    " system's activity (HTTP %ld%s%s)", code, cc != CURLE_OK ? ": " : "",
		    cc != CURLE_OK ? curl_easy_strerror(cc) : "");
	return CSIRT_OK;
}
