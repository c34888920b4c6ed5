/*
 * hunts_run.c - the background worker that runs hunts, one at a time, on
 * its own store connection (request threads only queue them).
 *
 * A hunt maps the stored log, feeds it to the engine (src/hunt) and keeps,
 * in memory: counts by level and rule, the first HUNT_MAX_STORED_HITS hits
 * and one alert body per distinct dedup key (hunt_alert_json(), the body
 * `csirt hunt --post` sends). When the log is read, each body goes through
 * alert_create(), the service behind POST /api/alerts, so a key already
 * open (from an earlier hunt of the same log, web or CLI) is merged, not
 * repeated; then the hunt becomes the system's threat_hunt activity.
 *
 * Progress: the engine counts a file's bytes when it starts reading it, so
 * one big log would jump to 100% at once; an uncompressed log is therefore
 * read in slices (hunts_slice.c). Compressed logs are read whole; their
 * progress moves per archive entry.
 */
#include "csirt/common.h"
#include "csirt/alerts.h"
#include "csirt/filestore.h"
#include "csirt/hunt.h"
#include "csirt/hunt_ioc.h"
#include "csirt/hunt_output.h"
#include "csirt/hunt_post.h"
#include "csirt/hunts.h"
#include "csirt/observable.h"
#include "csirt/registry.h"
#include "csirt/sigma.h"
#include "services/hunts_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_EVERY_S 0.25
#define MAX_RULES_IN_SUMMARY 200
/* Limits of the alert entity (entities.c); a body over them is refused. */
#define ALERT_TITLE_MAX 500
#define ALERT_DESC_MAX 20000
#define ALERT_RULE_MAX 200
#define ALERT_HOST_MAX 300
#define ALERT_RAW_MAX 262144
#define ALERT_OBS_MAX 100

struct run {
	struct store *st;
	const struct hunt_job *job;
	struct sigma_matcher *m;
	struct hunt_read_stats stats;
	uint64_t problems;		/* reader errors (files, chunks, records) */
	char first_problem[300];
	uint64_t bytes_done, bytes_total;
	double last_flush;
	bool stopped;
	/* results */
	uint64_t hits;
	uint64_t by_level[5];
	json_t *by_rule;		/* rule_id -> {rule_id, title, level, hits} */
	json_t *stored;			/* the first hits, rows of hunt_hits */
	json_t *bodies;			/* dedup key -> alert body (null past the cap) */
	json_t *order;			/* dedup keys in order of first hit */
	uint64_t alerts_over_cap;
};

bool
hunts_stopping(void)
{
	bool stop;

	pthread_mutex_lock(&hunts_state.lock);
	stop = hunts_state.stop;
	pthread_mutex_unlock(&hunts_state.lock);
	return stop;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes progress; errors are logged only: progress is a courtesy. */
static void
flush_progress(struct run *r)
{
	uint64_t done = r->bytes_done < r->bytes_total ? r->bytes_done : r->bytes_total;

	r->last_flush = now_s();
	if (store_begin(r->st) != CSIRT_OK)
		return;
	if (store_exec(r->st, "UPDATE hunts SET bytes_done = ?1, bytes_total = ?2, events = ?3,"
	    " hits = ?4 WHERE id = ?5", json_pack("[I,I,I,I,I]", (json_int_t)done,
	    (json_int_t)r->bytes_total, (json_int_t)r->stats.events, (json_int_t)r->hits,
	    (json_int_t)r->job->id), NULL, NULL) == CSIRT_OK)
		(void)store_commit(r->st);
	else
		store_rollback(r->st);
}

/* ---- alert bodies within the alert entity's limits ----------------- */

/* Cuts a string member to 'max' bytes on a UTF-8 character boundary. */
static void
fit_text(json_t *o, const char *name, size_t max)
{
	const char *s = json_string_value(json_object_get(o, name));
	size_t n;

	if (s == NULL || (n = strlen(s)) <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	json_object_set_new(o, name, json_stringn(s, n));
}

/*
 * The body from hunt_alert_json() (which already hashes long dedup keys and
 * leaves out times that are not ISO 8601) made acceptable to
 * alert_create(): texts cut to the entity's limits, an oversize event
 * replaced by a note, and observables the platform would refuse dropped
 * rather than losing the alert.
 */
static void
fit_alert(json_t *body)
{
	json_t *obs = json_object_get(body, "observables"), *kept = json_array(), *o;
	char *raw;
	size_t i;

	fit_text(body, "title", ALERT_TITLE_MAX);
	fit_text(body, "description", ALERT_DESC_MAX);
	fit_text(body, "rule_id", ALERT_RULE_MAX);
	fit_text(body, "host", ALERT_HOST_MAX);
	raw = json_dumps(json_object_get(body, "raw"), JSON_COMPACT);
	if (raw == NULL || strlen(raw) > ALERT_RAW_MAX - 64)
		json_object_set_new(body, "raw", json_pack("{s:s}", "note",
		    "the event is too large to keep here; it is in the hunted log"));
	free(raw);
	json_array_foreach(obs, i, o) {
		enum observable_type t;
		char norm[OBSERVABLE_VALUE_MAX];
		const char *v = json_string_value(json_object_get(o, "value"));

		if (json_array_size(kept) < ALERT_OBS_MAX && v &&
		    observable_type_parse(json_string_value(json_object_get(o, "type")), &t) == CSIRT_OK &&
		    observable_normalise(t, v, strlen(v), norm, sizeof(norm)) == CSIRT_OK)
			json_array_append(kept, o);
	}
	json_object_set_new(body, "observables", kept);
}

/* ---- hits ---------------------------------------------------------- */

static void
count_rule(struct run *r, const struct hunt_hit *hit)
{
	json_t *e = json_object_get(r->by_rule, hit->rule_id);

	if (e == NULL) {
		if (json_object_size(r->by_rule) >= 10000)
			return;
		e = json_pack("{s:s,s:s,s:s,s:s,s:I}", "engine", hit->engine, "rule_id", hit->rule_id,
		    "title", hit->title ? hit->title : "", "level", sigma_level_name(hit->level),
		    "hits", (json_int_t)0);
		if (e == NULL || json_object_set_new(r->by_rule, hit->rule_id, e) != 0)
			return;
	}
	json_object_set_new(e, "hits", json_integer(json_integer_value(json_object_get(e, "hits")) + 1));
}

static void
keep_hit(struct run *r, const struct hunt_event *ev, const struct hunt_hit *hit, const char *key)
{
	json_t *matched = json_object(), *row;

	for (size_t i = 0; i < hit->nfields; i++)
		json_object_set_new(matched, hit->fields[i].name, json_string(hit->fields[i].value));
	row = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:s}", "engine", hit->engine,
	    "rule_id", hit->rule_id, "title", hit->title ? hit->title : "", "level",
	    sigma_level_name(hit->level), "time", ev->time, "host", ev->host, "source", ev->source,
	    "record", (json_int_t)ev->record, "matched", matched, "dedup_key", key);
	if (row != NULL)
		json_array_append_new(r->stored, row);
}

static void
on_hit(struct run *r, const struct hunt_event *ev, const struct hunt_hit *hit)
{
	json_t *body;
	const char *key;

	r->hits++;
	if ((unsigned)hit->level < ARRAY_SIZE(r->by_level))
		r->by_level[hit->level]++;
	count_rule(r, hit);
	body = hunt_alert_json(ev, hit, r->job->system_id);
	if (body == NULL)
		return;
	fit_alert(body);
	key = json_string_value(json_object_get(body, "dedup_key"));
	if (json_array_size(r->stored) < HUNT_MAX_STORED_HITS)
		keep_hit(r, ev, hit, key ? key : "");
	if (key == NULL || json_object_get(r->bodies, key) != NULL) {
		json_decref(body);	/* the same finding again: one alert */
		return;
	}
	if (json_array_size(r->order) < HUNT_MAX_ALERTS) {
		json_array_append_new(r->order, json_string(key));
		json_object_set_new(r->bodies, key, body);
	} else {
		if (json_object_size(r->bodies) < 4 * HUNT_MAX_ALERTS)
			json_object_set_new(r->bodies, key, json_null());
		r->alerts_over_cap++;
		json_decref(body);
	}
}

static void
on_sigma(const struct hunt_event *ev, const struct sigma_hit *sh, void *ctx)
{
	struct hunt_hit hit = hunt_hit_of_sigma(sh);

	on_hit(ctx, ev, &hit);
}

static void
on_ioc(const struct hunt_event *ev, const struct hunt_hit *hit, void *ctx)
{
	on_hit(ctx, ev, hit);
}

static bool
on_event(struct hunt_event *ev, void *ctx)
{
	struct run *r = ctx;

	if (r->m != NULL)
		(void)sigma_match(r->m, ev, on_sigma, r);
	if (hunts_state.iocs != NULL)
		(void)ioc_match(hunts_state.iocs, ev, on_ioc, r);
	if ((r->stats.events & 1023) == 0) {
		if (hunts_stopping()) {
			r->stopped = true;
			return false;
		}
		if (now_s() - r->last_flush >= PROGRESS_EVERY_S)
			flush_progress(r);
	}
	return true;
}

static void
on_error(const char *source, const char *msg, void *ctx)
{
	struct run *r = ctx;

	if (r->problems++ == 0)
		snprintf(r->first_problem, sizeof(r->first_problem), "%s: %s", source, msg);
}

/* True when the engine would take [d, len) for text but it is binary. */
static bool
looks_binary(const unsigned char *d, size_t len)
{
	return memchr(d, '\0', len < 65536 ? len : 65536) != NULL;
}

/* Between two slices: progress, and a stop asked for. */
static bool
between_slices(void *ctx, size_t done)
{
	struct run *r = ctx;

	r->bytes_done = done;
	if (now_s() - r->last_flush >= PROGRESS_EVERY_S)
		flush_progress(r);
	return !r->stopped;
}

/* Reads the whole log; returns a user-safe reason when it cannot be. */
static const char *
read_log(struct run *r, const unsigned char *d, size_t len)
{
	struct hunt_input_opts in = { .on_event = on_event, .on_error = on_error, .ctx = r,
		.stats = &r->stats };
	const char *src = r->job->filename;
	enum hunt_format fmt;
	enum csirt_rc rc;

	if ((len >= 2 && d[0] == 0x1f && d[1] == 0x8b) || (len >= 4 && memcmp(d, "PK\3\4", 4) == 0)) {
		/* compressed: the engine opens it; progress per entry */
		if (hunt_input_read_buffer(d, len, src, &in) == CSIRT_ENOMEM)
			return "out of memory while reading the log";
		r->bytes_done = len;
		return NULL;
	}
	fmt = hunt_format_detect(d, len);
	if (fmt == HUNT_FORMAT_SYSLOG && looks_binary(d, len))
		return "not a log the hunt can read (Windows EVTX, JSON lines, syslog or auditd text,"
		    " gzip or zip of these)";
	rc = hunts_read_sliced(d, len, fmt, HUNTS_SLICE_BYTES, src, on_event, r, &r->stats,
	    between_slices);
	if (rc == CSIRT_ENOMEM)
		return "out of memory while reading the log";
	if (rc == CSIRT_EPARSE)
		on_error(src, "not a readable log format", r);
	r->bytes_done = len;
	return NULL;
}

/* ---- results --------------------------------------------------------- */

static json_t *
summary_json(const struct run *r)
{
	json_t *levels = json_object(), *rules = json_array(), *v;
	const char *k;

	for (int l = SIGMA_LEVEL_CRITICAL; l >= SIGMA_LEVEL_INFORMATIONAL; l--)
		json_object_set_new(levels, sigma_level_name((enum sigma_level)l),
		    json_integer((json_int_t)r->by_level[l]));
	json_object_foreach(r->by_rule, k, v)
		json_array_append(rules, v);
	/* most hits first, then by rule id: a stable order */
	for (size_t i = 1; i < json_array_size(rules); i++)
		for (size_t j = i; j > 0; j--) {
			json_t *a = json_array_get(rules, j - 1), *b = json_array_get(rules, j);
			json_int_t ha = json_integer_value(json_object_get(a, "hits"));
			json_int_t hb = json_integer_value(json_object_get(b, "hits"));

			if (ha > hb || (ha == hb && strcmp(json_string_value(json_object_get(a, "rule_id")),
			    json_string_value(json_object_get(b, "rule_id"))) <= 0))
				break;
			json_incref(a);
			json_array_set(rules, j - 1, b);
			json_array_set_new(rules, j, a);
		}
	while (json_array_size(rules) > MAX_RULES_IN_SUMMARY)
		json_array_remove(rules, json_array_size(rules) - 1);
	return json_pack("{s:o,s:o,s:I}", "by_level", levels, "by_rule", rules, "rules",
	    (json_int_t)json_object_size(r->by_rule));
}

/* Each distinct finding through the alert service; links kept in
 * 'links' (dedup key -> {alert_id, merged}). Each alert is its own
 * transaction (the service's), so a stop asked for meanwhile is honoured
 * between two alerts; false then. */
static bool
raise_alerts(struct run *r, json_t *links, uint64_t *created, uint64_t *merged,
    uint64_t *failed, char *first_error, size_t first_error_size)
{
	size_t i;
	json_t *k;

	json_array_foreach(r->order, i, k) {
		json_t *body = json_object_get(r->bodies, json_string_value(k));
		struct csirt_err err;
		int64_t id = 0, into = 0;

		if ((i & 63) == 63 && hunts_stopping())
			return false;
		csirt_err_clear(&err);
		if (alert_create(r->st, &r->job->who, body, &id, &into, &err) != CSIRT_OK) {
			if ((*failed)++ == 0)
				snprintf(first_error, first_error_size, "%s", err.msg[0] ? err.msg :
				    "storage error");
			continue;
		}
		if (into)
			(*merged)++;
		else
			(*created)++;
		json_object_set_new(links, json_string_value(k), json_pack("{s:I,s:b}", "alert_id",
		    (json_int_t)id, "merged", into != 0));
	}
	return true;
}

static enum csirt_rc
record_activity(struct run *r, const json_t *summary, uint64_t created, uint64_t merged,
    int64_t *activity_id, struct csirt_err *err)
{
	char when[32], text[600];
	json_t *in;
	enum csirt_rc rc;

	time_format_iso(time_now(), when);
	snprintf(text, sizeof(text), "web hunt of %s: %" PRIu64 " events, %" PRIu64 " hits",
	    r->job->filename, r->stats.events, r->hits);
	in = json_pack("{s:s,s:s,s:s,s:{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:O}}", "kind", "threat_hunt",
	    "performed_at", when, "summary", text, "result", "hunt_id", (json_int_t)r->job->id,
	    "file", r->job->filename, "sha256", r->job->sha256, "events",
	    (json_int_t)r->stats.events, "bytes", (json_int_t)r->bytes_total, "hits",
	    (json_int_t)r->hits, "alerts_created", (json_int_t)created, "alerts_deduplicated",
	    (json_int_t)merged, "by_level", json_object_get(summary, "by_level"));
	if (in == NULL)
		return CSIRT_ENOMEM;
	rc = registry_activity_add(r->st, &r->job->who, r->job->system_id, in, activity_id, err);
	json_decref(in);
	return rc;
}

/* The final row, the stored hits and the alert links, in one transaction. */
static enum csirt_rc
finish_done(struct run *r, json_t *summary, json_t *links, uint64_t created, uint64_t merged,
    int64_t activity_id, const char *warning)
{
	char *text = json_dumps(summary, JSON_COMPACT);
	enum csirt_rc rc;
	const char *k;
	json_t *v;
	size_t i;

	if (text == NULL)
		return CSIRT_ENOMEM;
	rc = store_begin(r->st);
	if (rc == CSIRT_OK)
		rc = store_exec(r->st, "UPDATE hunts SET status = 'done', bytes_done = ?1, bytes_total = ?1,"
		    " events = ?2, hits = ?3, alerts_created = ?4, alerts_deduplicated = ?5, summary = ?6,"
		    " warning = ?7, activity_id = ?8, finished_at = ?9 WHERE id = ?10",
		    json_pack("[I,I,I,I,I,s,s,o,I,I]", (json_int_t)r->bytes_total,
		    (json_int_t)r->stats.events, (json_int_t)r->hits, (json_int_t)created,
		    (json_int_t)merged, text, warning, activity_id ? json_integer(activity_id) :
		    json_null(), (json_int_t)time_now(), (json_int_t)r->job->id), NULL, NULL);
	json_array_foreach(r->stored, i, v) {
		json_t *link = json_object_get(links, json_string_value(json_object_get(v, "dedup_key")));
		char *matched = json_dumps(json_object_get(v, "matched"), JSON_COMPACT);

		if (rc == CSIRT_OK)
			rc = store_exec(r->st, "INSERT INTO hunt_hits (hunt_id, seq, engine, rule_id, title,"
			    " level, time, host, source, record, matched, dedup_key, alert_id) VALUES"
			    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
			    json_pack("[I,I,O,O,O,O,O,O,O,O,s,O,o]", (json_int_t)r->job->id,
			    (json_int_t)i + 1, json_object_get(v, "engine"), json_object_get(v, "rule_id"),
			    json_object_get(v, "title"), json_object_get(v, "level"),
			    json_object_get(v, "time"), json_object_get(v, "host"),
			    json_object_get(v, "source"), json_object_get(v, "record"),
			    matched ? matched : "{}", json_object_get(v, "dedup_key"),
			    link ? json_incref(json_object_get(link, "alert_id")) : json_null()),
			    NULL, NULL);
		free(matched);
	}
	json_object_foreach(links, k, v)
		if (rc == CSIRT_OK)
			rc = store_exec(r->st, "INSERT OR IGNORE INTO hunt_alerts (hunt_id, alert_id, merged)"
			    " VALUES (?1, ?2, ?3)", json_pack("[I,O,b]", (json_int_t)r->job->id,
			    json_object_get(v, "alert_id"), json_is_true(json_object_get(v, "merged"))),
			    NULL, NULL);
	if (rc == CSIRT_OK)
		rc = store_commit(r->st);
	else
		store_rollback(r->st);
	free(text);
	return rc;
}

static void
finish_failed(struct run *r, const char *why)
{
	log_warn("hunt %lld failed: %s", (long long)r->job->id, why);
	if (store_begin(r->st) != CSIRT_OK)
		return;
	if (store_exec(r->st, "UPDATE hunts SET status = 'failed', error = ?1, events = ?2, hits = ?3,"
	    " finished_at = ?4 WHERE id = ?5", json_pack("[s,I,I,I,I]", why,
	    (json_int_t)r->stats.events, (json_int_t)r->hits, (json_int_t)time_now(),
	    (json_int_t)r->job->id), NULL, NULL) == CSIRT_OK)
		(void)store_commit(r->st);
	else
		store_rollback(r->st);
}

/* Hits became alerts, the hunt an activity: the end of a readable log. */
static void
conclude(struct run *r)
{
	json_t *summary = summary_json(r), *links = json_object();
	uint64_t created = 0, merged = 0, failed = 0;
	char alert_error[CSIRT_ERR_MSG_MAX] = "", warning[900] = "";
	struct csirt_err err;
	int64_t activity_id = 0;
	struct buf w;

	if (!raise_alerts(r, links, &created, &merged, &failed, alert_error, sizeof(alert_error))) {
		/* the alerts raised so far stay: a new hunt of the log merges them */
		finish_failed(r, HUNT_INTERRUPTED);
		json_decref(summary);
		json_decref(links);
		return;
	}
	csirt_err_clear(&err);
	buf_init(&w, sizeof(warning) - 1);
	if (record_activity(r, summary, created, merged, &activity_id, &err) != CSIRT_OK)
		buf_printf(&w, "not recorded as the system's activity: %s. ", err.msg[0] ? err.msg :
		    "storage error");
	if (failed)
		buf_printf(&w, "%" PRIu64 " alert(s) could not be created: %s. ", failed, alert_error);
	if (r->alerts_over_cap)
		buf_printf(&w, "%" PRIu64 " more distinct findings than the %d alerts one hunt raises"
		    " were counted, not raised. ", r->alerts_over_cap, HUNT_MAX_ALERTS);
	if (r->problems || r->stats.bad_records || r->stats.bad_chunks)
		buf_printf(&w, "%" PRIu64 " unreadable parts skipped (%" PRIu64 " records, %" PRIu64
		    " chunks): %s", r->problems, r->stats.bad_records, r->stats.bad_chunks,
		    r->first_problem[0] ? r->first_problem : r->stats.first_error);
	snprintf(warning, sizeof(warning), "%s", w.data ? w.data : "");
	buf_release(&w);
	if (finish_done(r, summary, links, created, merged, activity_id, warning) != CSIRT_OK)
		finish_failed(r, "the results could not be stored");
	log_info("hunt %lld done: %" PRIu64 " events, %" PRIu64 " hits, %" PRIu64 " alerts new, %"
	    PRIu64 " merged", (long long)r->job->id, r->stats.events, r->hits, created, merged);
	json_decref(summary);
	json_decref(links);
}

static void
run_job(struct store *st, const struct hunt_job *job)
{
	struct run r = { .st = st, .job = job };
	const char *why = NULL;
	char reason[400];
	struct stat sb = { 0 };
	void *map = MAP_FAILED;
	int fd = -1;

	r.by_rule = json_object();
	r.stored = json_array();
	r.bodies = json_object();
	r.order = json_array();
	if (store_begin(st) == CSIRT_OK) {
		if (store_exec(st, "UPDATE hunts SET status = 'running', started_at = ?1 WHERE id = ?2",
		    json_pack("[I,I]", (json_int_t)time_now(), (json_int_t)job->id), NULL, NULL) ==
		    CSIRT_OK)
			(void)store_commit(st);
		else
			store_rollback(st);
	}
	if (hunts_state.rules != NULL && (r.m = sigma_matcher_new(hunts_state.rules)) == NULL) {
		why = "out of memory";
		goto out;
	}
	if (filestore_open(hunts_state.data_dir, job->sha256, &fd) != CSIRT_OK ||
	    fstat(fd, &sb) != 0) {
		why = "the uploaded log is missing from the file store";
		goto out;
	}
	r.bytes_total = (uint64_t)sb.st_size;
	if (sb.st_size > 0)
		map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		why = "the uploaded log cannot be read";
		goto out;
	}
	(void)madvise(map, (size_t)sb.st_size, MADV_SEQUENTIAL);
	r.last_flush = now_s();
	flush_progress(&r);
	why = read_log(&r, map, (size_t)sb.st_size);
	/* correlations that are decided when their window closes report now */
	if (why == NULL && !r.stopped && r.m != NULL)
		(void)sigma_matcher_flush(r.m, on_sigma, &r);
	if (why == NULL && r.stopped)
		why = HUNT_INTERRUPTED;
	if (why == NULL && r.stats.events == 0) {
		/* nothing read: not a hunt of anything, so no activity either */
		if (r.problems || r.stats.first_error[0]) {
			snprintf(reason, sizeof(reason), "no readable events: %s", r.first_problem[0] ?
			    r.first_problem : r.stats.first_error);
			why = reason;
		} else {
			why = "no events found in the log";
		}
	}
	if (why == NULL)
		conclude(&r);
out:
	if (why != NULL)
		finish_failed(&r, why);
	if (map != MAP_FAILED)
		munmap(map, (size_t)sb.st_size);
	if (fd >= 0)
		close(fd);
	sigma_matcher_free(r.m);
	json_decref(r.by_rule);
	json_decref(r.stored);
	json_decref(r.bodies);
	json_decref(r.order);
}

void *
hunts_worker_main(void *arg)
{
	struct hunts_state *s = &hunts_state;
	struct store *st = NULL;
	struct csirt_err err;

	(void)arg;
	if (store_open(s->data_dir, &st, &err) != CSIRT_OK) {
		log_error("hunts: the worker cannot open the database: %s", err.msg);
		return NULL;
	}
	for (;;) {
		struct hunt_job *job;

		pthread_mutex_lock(&s->lock);
		while (!s->stop && s->head == NULL)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->stop) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		job = s->head;
		s->head = job->next;
		if (s->head == NULL)
			s->tail = NULL;
		s->queued--;
		pthread_mutex_unlock(&s->lock);
		run_job(st, job);
		free(job);
	}
	store_close(st);
	return NULL;
}
