/*
 * hunts.c - threat hunts on uploaded logs: the requests' side (start,
 * show, list, hits) and the queue that hands hunts to the one background
 * worker (hunts_run.c). Rules and IOC lists are loaded once, at start, so
 * that a broken rule folder stops `csirt serve` loudly, as a broken rule
 * pack does, and the first hunt does not wait for the compile.
 */
#include "csirt/common.h"
#include "csirt/entities.h"
#include "csirt/filestore.h"
#include "csirt/hunt_ioc.h"
#include "csirt/hunts.h"
#include "csirt/registry.h"
#include "csirt/sigma.h"
#include "services/hunts_int.h"
#include "services/services_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hunts_state hunts_state = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

/* ---- start and stop ------------------------------------------------ */

static enum csirt_rc
load_engines(const char *const *rule_paths, size_t nrules, const char *const *ioc_paths,
    size_t niocs, struct csirt_err *err)
{
	struct hunts_state *s = &hunts_state;
	char cache[sizeof(s->data_dir) + 8];

	if (nrules > 0) {
		s->rules = sigma_ruleset_new(NULL, 0, err);
		if (s->rules == NULL)
			return err && err->rc ? err->rc : CSIRT_ENOMEM;
		for (size_t i = 0; i < nrules; i++)
			if (sigma_ruleset_add_path(s->rules, rule_paths[i], err) != CSIRT_OK)
				return err->rc ? err->rc : CSIRT_EIO;
		/* the rules' compiled prefilter is kept in DATA/cache: ~0.5 s
		 * saved at every later start with the same rules */
		snprintf(cache, sizeof(cache), "%s/cache", s->data_dir);
		if (sigma_ruleset_set_cache(s->rules, cache) != CSIRT_OK)
			return csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
		if (sigma_ruleset_compile(s->rules) != CSIRT_OK)
			return csirt_err_set(err, CSIRT_ENOMEM, NULL, "cannot compile the Sigma rules");
		if (sigma_ruleset_count(s->rules) == 0)
			return csirt_err_set(err, CSIRT_EINVAL, "hunt-rules",
			    "no usable Sigma rule in --hunt-rules (%zu not usable)",
			    sigma_ruleset_reject_count(s->rules));
	}
	if (niocs > 0) {
		s->iocs = ioc_set_new();
		if (s->iocs == NULL)
			return CSIRT_ENOMEM;
		for (size_t i = 0; i < niocs; i++)
			if (ioc_set_load_file(s->iocs, ioc_paths[i], err) != CSIRT_OK)
				return err->rc ? err->rc : CSIRT_EIO;
	}
	return CSIRT_OK;
}

/* Hunts a previous run left behind can never finish: their worker is gone. */
static enum csirt_rc
mark_interrupted(const char *data_dir, struct csirt_err *err)
{
	struct store *st = NULL;
	enum csirt_rc rc = store_open(data_dir, &st, err);
	int64_t n = 0;

	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc == CSIRT_OK)
		rc = store_exec(st, "UPDATE hunts SET status = 'failed', error = ?1, finished_at = ?2"
		    " WHERE status IN ('queued', 'running')", json_pack("[s,I]", HUNT_INTERRUPTED,
		    (json_int_t)time_now()), &n, NULL);
	if (rc == CSIRT_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
	if (rc == CSIRT_OK && n > 0)
		log_info("hunts: %lld hunt(s) interrupted by the last stop marked failed", (long long)n);
	store_close(st);
	return rc;
}

enum csirt_rc
hunts_service_start(const char *data_dir, const char *const *rule_paths, size_t nrules,
    const char *const *ioc_paths, size_t niocs, char *log_counts, size_t log_counts_size,
    struct csirt_err *err)
{
	struct hunts_state *s = &hunts_state;
	enum csirt_rc rc;

	if (log_counts && log_counts_size)
		log_counts[0] = '\0';
	snprintf(s->data_dir, sizeof(s->data_dir), "%s", data_dir);
	rc = mark_interrupted(data_dir, err);
	if (rc != CSIRT_OK)
		return rc;
	rc = load_engines(rule_paths, nrules, ioc_paths, niocs, err);
	if (rc != CSIRT_OK)
		goto fail;
	if (s->rules == NULL && s->iocs == NULL)
		return CSIRT_OK;	/* hunting not configured: starts answer 409 */
	if (log_counts && log_counts_size)
		snprintf(log_counts, log_counts_size, "%zu Sigma rules loaded (%zu not usable), "
		    "%zu IOCs", s->rules ? sigma_ruleset_count(s->rules) : 0,
		    s->rules ? sigma_ruleset_reject_count(s->rules) : 0,
		    s->iocs ? ioc_set_count(s->iocs) : 0);
	s->stop = false;
	if (pthread_create(&s->thread, NULL, hunts_worker_main, NULL) != 0) {
		rc = csirt_err_set(err, CSIRT_EINTERNAL, NULL, "cannot start the hunt worker");
		goto fail;
	}
	s->started = true;
	return CSIRT_OK;
fail:
	sigma_ruleset_free(s->rules);
	ioc_set_free(s->iocs);
	s->rules = NULL;
	s->iocs = NULL;
	return rc;
}

void
hunts_service_stop(void)
{
	struct hunts_state *s = &hunts_state;
	struct hunt_job *j;

	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	if (s->started)
		pthread_join(s->thread, NULL);
	s->started = false;
	while ((j = s->head) != NULL) {	/* left queued: failed at the next start */
		s->head = j->next;
		free(j);
	}
	s->tail = NULL;
	s->queued = 0;
	sigma_ruleset_free(s->rules);
	ioc_set_free(s->iocs);
	s->rules = NULL;
	s->iocs = NULL;
}

/* ---- start a hunt ---------------------------------------------------- */

/* The name the user gave the file, kept for the report: no folders (of
 * either kind of slash), no control or quote characters, valid UTF-8. */
static void
hunt_filename(const char *in, char out[256])
{
	const char *base = in ? in : "";
	size_t n = 0;

	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	for (; *base && n < 255; base++) {
		unsigned char c = (unsigned char)*base;

		if (c >= 0x20 && c != 0x7f && c != '"')
			out[n++] = (char)c;
	}
	for (int k = 0; k < 3 && n > 0 && !utf8_valid(out, n); k++)
		n--;	/* the cap cut a character: drop its first bytes */
	out[n] = '\0';
	if (n == 0 || !utf8_valid(out, n) || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		snprintf(out, 256, "log");
}

enum csirt_rc
hunts_create(struct store *st, const struct actor *who, int64_t system_id, const char *data_dir,
    const char *tmp_path, const char *sha256, int64_t size, const char *filename, int64_t *id,
    struct csirt_err *err)
{
	struct hunts_state *s = &hunts_state;
	struct hunt_job *job;
	json_t *sys = NULL, *after;
	char name[256];
	size_t queued;
	enum csirt_rc rc;

	if (!filestore_hash_ok(sha256))
		return CSIRT_EINTERNAL;
	rc = registry_get(st, who, &entity_system, system_id, &sys);	/* another tenant: 404 */
	json_decref(sys);
	if (rc != CSIRT_OK)
		return rc;
	pthread_mutex_lock(&s->lock);
	queued = s->queued;
	pthread_mutex_unlock(&s->lock);
	if (!s->started)
		return csirt_err_set(err, CSIRT_ECONFLICT, NULL, "threat hunting is not configured on"
		    " this server: start it with --hunt-rules PATH (Sigma rules) or --hunt-ioc FILE");
	if (queued >= HUNT_MAX_QUEUED)
		return csirt_err_set(err, CSIRT_ELIMIT, NULL, "%d hunts are already waiting; try again"
		    " when some have finished", HUNT_MAX_QUEUED);
	job = calloc(1, sizeof(*job));
	if (job == NULL)
		return CSIRT_ENOMEM;
	hunt_filename(filename, name);
	rc = filestore_put(data_dir, tmp_path, sha256);
	if (rc != CSIRT_OK)
		goto out;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = store_exec(st, "INSERT INTO hunts (system_id, status, filename, sha256, size, bytes_total,"
	    " created_by, created_at) VALUES (?1, 'queued', ?2, ?3, ?4, ?4, ?5, ?6)",
	    json_pack("[I,s,s,I,o,I]", (json_int_t)system_id, name, sha256, (json_int_t)size,
	    who->user_id ? json_integer(who->user_id) : json_null(), (json_int_t)time_now()),
	    NULL, id);
	if (rc != CSIRT_OK) {
		store_rollback(st);
		goto out;
	}
	after = json_pack("{s:I,s:s,s:s,s:I}", "system_id", (json_int_t)system_id, "filename", name,
	    "sha256", sha256, "size", (json_int_t)size);
	svc_audit(st, who, "start", "hunt", *id, NULL, after);
	json_decref(after);
	rc = store_commit(st);
	if (rc != CSIRT_OK)
		goto out;
	job->id = *id;
	job->system_id = system_id;
	job->who = *who;
	snprintf(job->sha256, sizeof(job->sha256), "%s", sha256);
	snprintf(job->filename, sizeof(job->filename), "%s", name);
	pthread_mutex_lock(&s->lock);
	if (s->tail)
		s->tail->next = job;
	else
		s->head = job;
	s->tail = job;
	s->queued++;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return CSIRT_OK;
out:
	free(job);
	return rc;
}

/* ---- read ---------------------------------------------------------- */

static const char hunt_columns[] = "SELECT h.id, h.system_id, s.name AS system_name, h.status,"
    " h.filename, h.sha256, h.size, h.bytes_done, h.bytes_total, h.events, h.hits,"
    " h.alerts_created, h.alerts_deduplicated, h.summary, h.error, h.warning, h.activity_id,"
    " u.username AS created_by, h.created_at, h.started_at, h.finished_at"
    " FROM hunts h JOIN systems s ON s.id = h.system_id LEFT JOIN users u ON u.id = h.created_by";

static void
iso_field(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);
	char iso[32];

	if (json_is_integer(v)) {
		time_format_iso(json_integer_value(v), iso);
		json_object_set_new(o, name, json_string(iso));
	} else {
		json_object_set_new(o, name, json_null());
	}
}

/* A row of hunt_columns as the API shows it: progress grouped, times ISO. */
static void
render_hunt(json_t *r)
{
	static const char *const progress[] = { "bytes_done", "bytes_total", "events", "hits" };
	json_t *p = json_object(), *summary;

	for (size_t i = 0; i < ARRAY_SIZE(progress); i++)
		json_object_set(p, progress[i], json_object_get(r, progress[i]));
	json_object_set_new(r, "progress", p);
	json_object_del(r, "bytes_done");
	json_object_del(r, "bytes_total");
	json_object_del(r, "events");
	json_object_set(r, "hits", json_object_get(p, "hits"));
	summary = json_loads(json_string_value(json_object_get(r, "summary")) ?
	    json_string_value(json_object_get(r, "summary")) : "{}", 0, NULL);
	json_object_set_new(r, "summary", summary ? summary : json_object());
	iso_field(r, "created_at");
	iso_field(r, "started_at");
	iso_field(r, "finished_at");
}

/* Loads hunt 'id' if its system is in the actor's scope. */
static enum csirt_rc
hunt_load(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	json_t *rows = NULL, *sys = NULL, *r;
	char sql[sizeof(hunt_columns) + 32];
	enum csirt_rc rc;

	snprintf(sql, sizeof(sql), "%s WHERE h.id = ?1", hunt_columns);
	rc = store_query_json(st, sql, json_pack("[I]", (json_int_t)id), &rows);
	if (rc != CSIRT_OK)
		return rc;
	r = json_array_get(rows, 0);
	if (r == NULL) {
		json_decref(rows);
		return CSIRT_ENOTFOUND;
	}
	rc = registry_get(st, who, &entity_system,
	    json_integer_value(json_object_get(r, "system_id")), &sys);
	json_decref(sys);
	if (rc == CSIRT_OK)
		*out = json_incref(r);
	json_decref(rows);
	return rc;
}

enum csirt_rc
hunts_get(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	json_t *h = NULL, *alerts = NULL, *ids;
	enum csirt_rc rc = hunt_load(st, who, id, &h);
	size_t i;
	json_t *v;

	if (rc != CSIRT_OK)
		return rc;
	rc = store_query_json(st, "SELECT alert_id FROM hunt_alerts WHERE hunt_id = ?1"
	    " ORDER BY alert_id LIMIT 1000", json_pack("[I]", (json_int_t)id), &alerts);
	if (rc != CSIRT_OK) {
		json_decref(h);
		return rc;
	}
	ids = json_array();
	json_array_foreach(alerts, i, v)
		json_array_append(ids, json_object_get(v, "alert_id"));
	json_decref(alerts);
	render_hunt(h);
	json_object_set_new(h, "alert_ids", ids);
	*out = h;
	return CSIRT_OK;
}

/* Rows of hunts whose system is in the actor's scope (owner or operator
 * in its organisation subtree; scope 0 = the whole province). */
static const char scope_where[] = " WHERE (?1 = 0 OR s.owner_org_id IN (SELECT id FROM sub)"
    " OR s.operator_org_id IN (SELECT id FROM sub)) AND (?2 = 0 OR h.system_id = ?2)";
static const char scope_with[] = "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT o.id"
    " FROM orgs o JOIN sub ON o.parent_id = sub.id) ";

enum csirt_rc
hunts_list(struct store *st, const struct actor *who, int64_t system_id, int64_t page,
    int64_t per_page, json_t **out)
{
	json_t *rows = NULL, *count = NULL, *sys = NULL, *r;
	int64_t scope = actor_scope(who);
	struct buf sql;
	enum csirt_rc rc;
	size_t i;

	if (system_id) {
		rc = registry_get(st, who, &entity_system, system_id, &sys);
		json_decref(sys);
		if (rc != CSIRT_OK)
			return rc;
	}
	buf_init(&sql, 4096);
	if (buf_printf(&sql, "%s%s%s ORDER BY h.id DESC LIMIT ?3 OFFSET ?4", scope_with,
	    hunt_columns, scope_where) != CSIRT_OK) {
		buf_release(&sql);
		return CSIRT_ENOMEM;
	}
	rc = store_query_json(st, sql.data, json_pack("[I,I,I,I]", (json_int_t)scope,
	    (json_int_t)system_id, (json_int_t)per_page, (json_int_t)((page - 1) * per_page)), &rows);
	buf_reset(&sql);
	if (rc == CSIRT_OK && buf_printf(&sql, "%sSELECT count(*) AS n FROM hunts h JOIN systems s"
	    " ON s.id = h.system_id%s", scope_with, scope_where) != CSIRT_OK)
		rc = CSIRT_ENOMEM;
	if (rc == CSIRT_OK)
		rc = store_query_json(st, sql.data, json_pack("[I,I]", (json_int_t)scope,
		    (json_int_t)system_id), &count);
	buf_release(&sql);
	if (rc != CSIRT_OK) {
		json_decref(rows);
		return rc;
	}
	json_array_foreach(rows, i, r)
		render_hunt(r);
	*out = json_pack("{s:o,s:O,s:I,s:I}", "items", rows, "total",
	    json_object_get(json_array_get(count, 0), "n"), "page", (json_int_t)page, "per_page",
	    (json_int_t)per_page);
	json_decref(count);
	return *out ? CSIRT_OK : CSIRT_ENOMEM;
}

enum csirt_rc
hunts_hits(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	json_t *h = NULL, *rows = NULL, *r;
	enum csirt_rc rc = hunt_load(st, who, id, &h);
	size_t i;

	if (rc != CSIRT_OK)
		return rc;
	rc = store_query_json(st, "SELECT seq, engine, rule_id, title, level, time, host, source,"
	    " record, matched, alert_id FROM hunt_hits WHERE hunt_id = ?1 ORDER BY seq",
	    json_pack("[I]", (json_int_t)id), &rows);
	if (rc != CSIRT_OK) {
		json_decref(h);
		return rc;
	}
	json_array_foreach(rows, i, r) {
		json_t *m = json_loads(json_string_value(json_object_get(r, "matched")) ?
		    json_string_value(json_object_get(r, "matched")) : "{}", 0, NULL);

		json_object_set_new(r, "matched", m ? m : json_object());
	}
	*out = json_pack("{s:I,s:s,s:O,s:o,s:b}", "hunt_id", (json_int_t)id, "status",
	    json_string_value(json_object_get(h, "status")), "total", json_object_get(h, "hits"),
	    "items", rows, "capped", json_integer_value(json_object_get(h, "hits")) >
	    (json_int_t)json_array_size(rows));
	json_decref(h);
	return *out ? CSIRT_OK : CSIRT_ENOMEM;
}
