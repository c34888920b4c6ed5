/*
 * warnings.c - issuing and importing warnings, matching them to systems,
 * and the life of each target (see warnings.h). Matching runs once, when
 * the warning is issued: a target records which component matched and
 * why, so a later change of the system does not rewrite history.
 */
#include "csirt/common.h"
#include "csirt/calendar.h"
#include "csirt/entities.h"
#include "csirt/notify.h"
#include "csirt/obligations.h"
#include "csirt/registry.h"
#include "csirt/warning_match.h"
#include "csirt/warnings.h"
#include "services/services_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TEXT_MAX 255	/* KEV has product names of 179 bytes */

static int
text_ok(json_t *v, size_t max)
{
	const char *s = json_string_value(v);

	return s && strlen(s) <= max && utf8_valid(s, strlen(s));
}

/* A list of short strings ("cves", "iocs"), at most n items. */
static enum csirt_rc
check_list(json_t *in, const char *key, size_t n, size_t len, struct csirt_err *err)
{
	json_t *a = json_object_get(in, key), *v;
	size_t i;

	if (a == NULL)
		return CSIRT_OK;
	if (!json_is_array(a) || json_array_size(a) > n)
		return csirt_err_set(err, CSIRT_EINVAL, key, "must be a list of at most %zu texts", n);
	json_array_foreach(a, i, v)
		if (!text_ok(v, len))
			return csirt_err_set(err, CSIRT_EINVAL, key, "item %zu is not a short text", i);
	return CSIRT_OK;
}

static enum csirt_rc
check_products(json_t *a, struct csirt_err *err)
{
	static const char *const keys[] = { "cpe", "name", "version_min", "version_max" };
	json_t *p;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > 100)
		return csirt_err_set(err, CSIRT_EINVAL, "products",
		    "give 1 to 100 affected products, each {\"cpe\"} or {\"name\"}");
	json_array_foreach(a, i, p) {
		const char *k;
		json_t *v;

		if (!json_is_object(p) || (!json_object_get(p, "cpe") && !json_object_get(p, "name")))
			return csirt_err_set(err, CSIRT_EINVAL, "products",
			    "product %zu needs \"cpe\" or \"name\"", i);
		json_object_foreach(p, k, v) {
			size_t n;

			for (n = 0; n < ARRAY_SIZE(keys) && strcmp(k, keys[n]) != 0; n++)
				;
			if (n == ARRAY_SIZE(keys) || !text_ok(v, TEXT_MAX) || !*json_string_value(v))
				return csirt_err_set(err, CSIRT_EINVAL, "products",
				    "product %zu: only cpe, name, version_min, version_max, as short texts",
				    i);
		}
	}
	return CSIRT_OK;
}

static enum csirt_rc
check_warning(json_t *in, struct csirt_err *err)
{
	static const char *const keys[] = { "title", "cves", "products", "iocs", "description",
		"required_action", "due_on" };
	const char *k;
	json_t *v;
	int64_t day;
	enum csirt_rc rc;

	if (!json_is_object(in))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "a JSON object is expected");
	json_object_foreach(in, k, v) {
		size_t n;

		for (n = 0; n < ARRAY_SIZE(keys) && strcmp(k, keys[n]) != 0; n++)
			;
		if (n == ARRAY_SIZE(keys))
			return csirt_err_set(err, CSIRT_EINVAL, k, "unknown field");
	}
	if (!text_ok(json_object_get(in, "title"), 500) ||
	    !*json_string_value(json_object_get(in, "title")))
		return csirt_err_set(err, CSIRT_EINVAL, "title", "a title is required (500 bytes)");
	if (!text_ok(json_object_get(in, "required_action"), 4000))
		return csirt_err_set(err, CSIRT_EINVAL, "required_action",
		    "the required action is required (4000 bytes)");
	if (json_object_get(in, "description") && !text_ok(json_object_get(in, "description"), 20000))
		return csirt_err_set(err, CSIRT_EINVAL, "description", "too long or not text");
	if (obligations_parse_day(json_string_value(json_object_get(in, "due_on")), &day) != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EINVAL, "due_on", "the deadline as YYYY-MM-DD");
	if ((rc = check_list(in, "cves", 50, 30, err)) != CSIRT_OK ||
	    (rc = check_list(in, "iocs", 200, 500, err)) != CSIRT_OK)
		return rc;
	return check_products(json_object_get(in, "products"), err);
}

/* What a warning is matched against: every system's recorded components
 * and the open scan findings that carry a CVE id. */
struct match_data {
	json_t *systems;	/* [{"id","components"}] */
	json_t *findings;	/* [{"id","system_id","component","cve","port"}] */
};

static enum csirt_rc match_systems(struct store *st, int64_t id, json_t *in,
    const struct match_data *md, int64_t *targets);

static char *
dump(json_t *in, const char *key)
{
	json_t *v = json_object_get(in, key);

	return v ? json_dumps(v, JSON_COMPACT) : strdup("[]");
}

/* Inserts one warning and its targets (inside the caller's transaction).
 * *changes is 0 when (source, external_id) was already there. */
static enum csirt_rc
insert_warning(struct store *st, const struct actor *who, json_t *in, const char *source,
    const char *external_id, const struct match_data *md, int64_t *id, int64_t *targets,
    int64_t *changes)
{
	char *cves = dump(in, "cves"), *products = dump(in, "products"), *iocs = dump(in, "iocs");
	enum csirt_rc rc = CSIRT_ENOMEM;

	*targets = 0;
	if (cves && products && iocs)
		rc = store_exec(st, "INSERT INTO warnings (title, source, external_id, cves, products,"
		    " iocs, description, required_action, due_on, issued_by, created_at)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
		    " ON CONFLICT (source, external_id) DO NOTHING",
		    json_pack("[s,s,s?,s,s,s,s,s,s,o,I]", json_string_value(json_object_get(in, "title")),
		    source, external_id, cves, products, iocs,
		    json_string_value(json_object_get(in, "description")) ?
		    json_string_value(json_object_get(in, "description")) : "",
		    json_string_value(json_object_get(in, "required_action")),
		    json_string_value(json_object_get(in, "due_on")),
		    who->user_id ? json_integer(who->user_id) : json_null(), (json_int_t)time_now()),
		    changes, id);
	free(cves);
	free(products);
	free(iocs);
	if (rc != CSIRT_OK || *changes == 0)
		return rc;
	rc = match_systems(st, *id, in, md, targets);
	if (rc == CSIRT_OK && *targets > 0) {
		int64_t told = 0;

		rc = notify_warning(st, *id, &told);
	}
	return rc;
}

static int
has_cve(json_t *cves, const char *cve)
{
	json_t *c;
	size_t i;

	json_array_foreach(cves, i, c)
		if (json_is_string(c) && strcasecmp(json_string_value(c), cve) == 0)
			return 1;
	return 0;
}

/* The first open finding of 'system_id' with one of 'cves', as the reason
 * of a target ("finding #12: CVE-... in openssl, port 443"); 0 if none. */
static int
finding_match(json_t *findings, int64_t system_id, json_t *cves, char *why, size_t size)
{
	json_t *f;
	size_t i;

	json_array_foreach(findings, i, f) {
		const char *cve = json_string_value(json_object_get(f, "cve"));

		if (json_integer_value(json_object_get(f, "system_id")) != system_id || cve == NULL ||
		    !has_cve(cves, cve))
			continue;
		snprintf(why, size, "finding #%lld: %.64s in %.120s, port %lld",
		    (long long)json_integer_value(json_object_get(f, "id")), cve,
		    json_string_value(json_object_get(f, "component")),
		    (long long)json_integer_value(json_object_get(f, "port")));
		return 1;
	}
	return 0;
}

static enum csirt_rc
add_target(struct store *st, int64_t warning_id, int64_t system_id, const char *match,
    const char *matched_by, const char *why)
{
	return store_exec(st, "INSERT INTO warning_targets (warning_id, system_id, match,"
	    " match_reason, matched_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    json_pack("[I,I,s,s,s,I]", (json_int_t)warning_id, (json_int_t)system_id, match, why,
	    matched_by, (json_int_t)time_now()), NULL, NULL);
}

/* One target per system whose components the products affect, or which
 * has an open scan finding of one of the warning's CVE ids. */
static enum csirt_rc
match_systems(struct store *st, int64_t id, json_t *in, const struct match_data *md,
    int64_t *targets)
{
	json_t *plist = json_object_get(in, "products"), *cves = json_object_get(in, "cves");
	json_t *s;
	size_t i;
	enum csirt_rc rc;

	json_array_foreach(md->systems, i, s) {
		json_t *comps = json_loads(json_string_value(json_object_get(s, "components")), 0, NULL);
		char why[256];
		/* The register's API stores components as an object (FT_OBJECT):
		 * {"items":[{"name","version","cpe"}]}; a bare array is read too. */
		enum warning_match m = warning_match_components(plist, json_is_object(comps) ?
		    json_object_get(comps, "items") : comps, why, sizeof(why));

		int64_t sys = json_integer_value(json_object_get(s, "id"));

		json_decref(comps);
		if (m != WM_NO)
			rc = add_target(st, id, sys, m == WM_YES ? "yes" : "possibly", "component",
			    why);
		else if (finding_match(md->findings, sys, cves, why, sizeof(why)))
			rc = add_target(st, id, sys, "yes", "finding", why);
		else
			continue;
		if (rc != CSIRT_OK)
			return rc;
		(*targets)++;
	}
	return CSIRT_OK;
}

static enum csirt_rc
load_match_data(struct store *st, struct match_data *md)
{
	enum csirt_rc rc = store_query_json(st, "SELECT id, components FROM systems ORDER BY id",
	    NULL, &md->systems);

	if (rc == CSIRT_OK)
		rc = store_query_json(st, "SELECT id, system_id, component, cve, port FROM findings"
		    " WHERE status = 'open' AND cve <> '' ORDER BY id", NULL, &md->findings);
	return rc;
}

static void
match_data_free(struct match_data *md)
{
	json_decref(md->systems);
	json_decref(md->findings);
}

enum csirt_rc
warnings_match_scan(struct store *st, int64_t system_id, int64_t *targets)
{
	json_t *findings = NULL, *warnings = NULL, *w;
	size_t i;
	enum csirt_rc rc;

	*targets = 0;
	rc = store_query_json(st, "SELECT id, system_id, component, cve, port FROM findings"
	    " WHERE system_id = ?1 AND status = 'open' AND cve <> '' ORDER BY id",
	    json_pack("[I]", (json_int_t)system_id), &findings);
	if (rc != CSIRT_OK || json_array_size(findings) == 0)
		goto out;
	rc = store_query_json(st, "SELECT w.id, w.cves FROM warnings w WHERE NOT EXISTS"
	    " (SELECT 1 FROM warning_targets t WHERE t.warning_id = w.id AND t.system_id = ?1)"
	    " ORDER BY w.id", json_pack("[I]", (json_int_t)system_id), &warnings);
	json_array_foreach(warnings, i, w) {
		json_t *cves;
		char why[256];
		int hit;

		if (rc != CSIRT_OK)
			break;
		cves = json_loads(json_string_value(json_object_get(w, "cves")), 0, NULL);
		hit = finding_match(findings, system_id, cves, why, sizeof(why));
		json_decref(cves);
		if (!hit)
			continue;
		rc = add_target(st, json_integer_value(json_object_get(w, "id")), system_id, "yes",
		    "finding", why);
		if (rc == CSIRT_OK) {
			int64_t told = 0;

			rc = notify_warning_system(st, json_integer_value(json_object_get(w, "id")),
			    system_id, &told);
			(*targets)++;
		}
	}
out:
	json_decref(findings);
	json_decref(warnings);
	return rc;
}

enum csirt_rc
warning_issue(struct store *st, const struct actor *who, json_t *in, int64_t *id,
    int64_t *targets, struct csirt_err *err)
{
	struct match_data md = { NULL, NULL };
	int64_t changes = 0;
	enum csirt_rc rc = check_warning(in, err);

	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = load_match_data(st, &md);
	if (rc == CSIRT_OK)
		rc = insert_warning(st, who, in, "manual", NULL, &md, id, targets, &changes);
	match_data_free(&md);
	if (rc == CSIRT_OK) {
		svc_audit(st, who, "issue", "warning", *id, NULL, in);
		return store_commit(st);
	}
	store_rollback(st);
	return rc;
}

/* A KEV entry as a warning of ours, matched by product name (KEV's vendor
 * names are not CPE vendors); NULL when the entry is malformed. */
static json_t *
kev_entry(json_t *v)
{
	static const char *const keys[] = { "cveID", "product", "vulnerabilityName",
		"requiredAction", "dueDate" };
	const char *desc = json_string_value(json_object_get(v, "shortDescription"));
	char title[600];

	for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
		if (!text_ok(json_object_get(v, keys[k]), k == 3 ? 4000 : 400))
			return NULL;
	snprintf(title, sizeof(title), "%.40s: %.400s", json_string_value(json_object_get(v,
	    "cveID")), json_string_value(json_object_get(v, "vulnerabilityName")));
	return json_pack("{s:s,s:[O],s:[{s:O}],s:s,s:O,s:O}", "title", title, "cves",
	    json_object_get(v, "cveID"), "products", "name", json_object_get(v, "product"),
	    "description", desc && text_ok(json_object_get(v, "shortDescription"), 20000) ? desc :
	    "", "required_action", json_object_get(v, "requiredAction"), "due_on",
	    json_object_get(v, "dueDate"));
}

enum csirt_rc
warnings_import_kev(struct store *st, const struct actor *who, const char *data, size_t len,
    int64_t *imported, int64_t *skipped, int64_t *targets, struct csirt_err *err)
{
	json_error_t jerr;
	json_t *root = NULL, *vulns, *v;
	struct match_data md = { NULL, NULL };
	size_t i;
	enum csirt_rc rc;

	*imported = *skipped = *targets = 0;
	if (len > WARNINGS_KEV_MAX_BYTES)
		return csirt_err_set(err, CSIRT_ETOOBIG, NULL, "the catalogue is over 16 MB");
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	vulns = json_object_get(root, "vulnerabilities");
	if (!json_is_array(vulns)) {
		json_decref(root);
		return csirt_err_set(err, CSIRT_EPARSE, NULL,
		    "not a KEV catalogue: a JSON object with \"vulnerabilities\" is expected");
	}
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = load_match_data(st, &md);
	json_array_foreach(vulns, i, v) {
		json_t *w;
		int64_t id = 0, n = 0, changes = 0;
		struct csirt_err e;

		if (rc != CSIRT_OK)
			break;
		w = json_is_object(v) ? kev_entry(v) : NULL;
		csirt_err_clear(&e);
		if (w == NULL || check_warning(w, &e) != CSIRT_OK) {
			json_decref(w);
			rc = csirt_err_set(err, CSIRT_EPARSE, NULL,
			    "KEV entry %zu is malformed%s%s; nothing was imported", i,
			    e.msg[0] ? ": " : "", e.msg);
			break;
		}
		rc = insert_warning(st, who, w, "cisa-kev",
		    json_string_value(json_object_get(v, "cveID")), &md, &id, &n, &changes);
		json_decref(w);
		if (changes)
			(*imported)++;
		else
			(*skipped)++;
		*targets += n;
	}
	if (rc == CSIRT_OK) {
		json_t *note = json_pack("{s:I,s:I,s:I}", "imported", (json_int_t)*imported, "skipped",
		    (json_int_t)*skipped, "targets", (json_int_t)*targets);

		svc_audit(st, who, "import_kev", "warning", 0, NULL, note);
		json_decref(note);
		rc = store_commit(st);
	} else {
		store_rollback(st);
	}
out:
	match_data_free(&md);
	json_decref(root);
	return rc;
}

/* Is the target's system one the actor may see? */
static int
visible(struct store *st, const struct actor *who, json_t *t)
{
	json_t *sys = NULL;
	enum csirt_rc rc = registry_get(st, who, &entity_system,
	    json_integer_value(json_object_get(t, "system_id")), &sys);

	json_decref(sys);
	return rc == CSIRT_OK;
}

static enum csirt_rc
targets_of(struct store *st, const struct actor *who, int64_t warning_id, json_t **out)
{
	char today[16];
	int y, m, d;
	json_t *rows = NULL, *t, *keep;
	size_t i;
	enum csirt_rc rc;

	calendar_ymd(calendar_day_of(time_now()), &y, &m, &d);
	snprintf(today, sizeof(today), "%04d-%02d-%02d", y, m, d);
	rc = store_query_json(st, "SELECT t.id, t.system_id, s.name AS system_name, s.owner_org_id,"
	    " s.operator_org_id, t.state, t.match, t.matched_by, t.match_reason, t.note, t.evidence,"
	    " t.acknowledged_at, t.resolved_at, w.due_on,"
	    " (t.state IN ('open', 'acknowledged') AND w.due_on < ?2) AS overdue"
	    " FROM warning_targets t JOIN systems s ON s.id = t.system_id"
	    " JOIN warnings w ON w.id = t.warning_id WHERE t.warning_id = ?1 ORDER BY t.id",
	    json_pack("[I,s]", (json_int_t)warning_id, today), &rows);
	if (rc != CSIRT_OK)
		return rc;
	keep = json_array();
	json_array_foreach(rows, i, t) {
		if (!visible(st, who, t))
			continue;
		json_object_set_new(t, "overdue", json_boolean(json_integer_value(json_object_get(t,
		    "overdue"))));
		json_array_append(keep, t);
	}
	json_decref(rows);
	*out = keep;
	return CSIRT_OK;
}

enum csirt_rc
warning_get(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	static const char *const lists[] = { "cves", "products", "iocs" };
	json_t *rows = NULL, *w, *targets = NULL;
	enum csirt_rc rc = store_query_json(st, "SELECT id, title, source, external_id, cves,"
	    " products, iocs, description, required_action, due_on, created_at FROM warnings"
	    " WHERE id = ?1", json_pack("[I]", (json_int_t)id), &rows);

	if (rc != CSIRT_OK)
		return rc;
	w = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (w == NULL)
		return CSIRT_ENOTFOUND;
	rc = targets_of(st, who, id, &targets);
	if (rc == CSIRT_OK && actor_scope(who) && json_array_size(targets) == 0)
		rc = CSIRT_ENOTFOUND;	/* not addressed to this organisation */
	if (rc != CSIRT_OK) {
		json_decref(w);
		json_decref(targets);
		return rc;
	}
	for (size_t k = 0; k < ARRAY_SIZE(lists); k++) {
		json_t *p = json_loads(json_string_value(json_object_get(w, lists[k])), 0, NULL);

		json_object_set_new(w, lists[k], p ? p : json_array());
	}
	json_object_set_new(w, "targets", targets);
	*out = w;
	return CSIRT_OK;
}

enum csirt_rc
warning_list(struct store *st, const struct actor *who, int only_matched, int64_t page,
    int64_t per_page, json_t **out)
{
	json_t *rows = NULL, *w, *items = json_array();
	size_t i;
	int64_t skip = (page - 1) * per_page;
	enum csirt_rc rc;

	if (actor_scope(who))
		only_matched = 1;
	rc = store_query_json(st, "SELECT id, title, source, external_id, due_on, created_at,"
	    " (SELECT COUNT(*) FROM warning_targets t WHERE t.warning_id = w.id) AS n"
	    " FROM warnings w ORDER BY id DESC", NULL, &rows);
	json_array_foreach(rows, i, w) {
		json_t *targets = NULL, *t, *counts;
		size_t k;

		if (rc != CSIRT_OK || (int64_t)json_array_size(items) >= per_page)
			break;
		if (only_matched && json_integer_value(json_object_get(w, "n")) == 0)
			continue;
		rc = targets_of(st, who, json_integer_value(json_object_get(w, "id")), &targets);
		if (rc != CSIRT_OK || (only_matched && json_array_size(targets) == 0)) {
			json_decref(targets);
			continue;
		}
		if (skip-- > 0) {
			json_decref(targets);
			continue;
		}
		counts = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "open", 0, "acknowledged", 0, "fixed",
		    0, "not_affected", 0, "accepted_risk", 0, "overdue", 0);
		json_array_foreach(targets, k, t) {
			json_t *c = json_object_get(counts, json_string_value(json_object_get(t,
			    "state")));

			if (c)
				json_integer_set(c, json_integer_value(c) + 1);
			if (json_is_true(json_object_get(t, "overdue")))
				json_integer_set(json_object_get(counts, "overdue"),
				    json_integer_value(json_object_get(counts, "overdue")) + 1);
		}
		json_decref(targets);
		json_object_del(w, "n");
		json_object_set_new(w, "targets", counts);
		json_array_append(items, w);
	}
	json_decref(rows);
	if (rc != CSIRT_OK) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o,s:I,s:I}", "items", items, "page", (json_int_t)page, "per_page",
	    (json_int_t)per_page);
	return CSIRT_OK;
}

static int
step_allowed(const char *from, const char *to, int staff)
{
	int open = strcmp(from, "open") == 0, acked = strcmp(from, "acknowledged") == 0;

	if (strcmp(to, "acknowledged") == 0)
		return open;
	if (strcmp(to, "fixed") == 0 || strcmp(to, "not_affected") == 0 ||
	    strcmp(to, "accepted_risk") == 0)
		return open || acked;
	if (strcmp(to, "open") == 0)
		return staff && !open;		/* the Department reopens */
	return -1;
}

enum csirt_rc
warning_target_update(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	const char *to = json_string_value(json_object_get(in, "state"));
	json_t *note = json_object_get(in, "note"), *ev = json_object_get(in, "evidence");
	json_t *rows = NULL, *t, *after;
	int staff = who->role == ROLE_ADMIN || who->role == ROLE_COORDINATOR ||
	    who->role == ROLE_RESPONDER;
	int ok, resolving;
	enum csirt_rc rc;

	if (to == NULL || (note && !text_ok(note, 4000)) || (ev && !text_ok(ev, 4000)))
		return csirt_err_set(err, CSIRT_EINVAL, "state",
		    "\"state\" is required; note and evidence are texts of at most 4000 bytes");
	resolving = strcmp(to, "fixed") == 0 || strcmp(to, "not_affected") == 0 ||
	    strcmp(to, "accepted_risk") == 0;
	if (resolving && (note == NULL || json_string_length(note) == 0))
		return csirt_err_set(err, CSIRT_EINVAL, "note",
		    "say what was done (or why not affected, or the risk accepted)");
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_query_json(st, "SELECT id, system_id, state, note, evidence FROM warning_targets"
	    " WHERE id = ?1", json_pack("[I]", (json_int_t)id), &rows);
	t = json_array_get(rows, 0);
	if (rc == CSIRT_OK && (t == NULL || !visible(st, who, t)))
		rc = CSIRT_ENOTFOUND;
	if (rc != CSIRT_OK)
		goto out_rollback;
	ok = step_allowed(json_string_value(json_object_get(t, "state")), to, staff);
	if (ok <= 0) {
		rc = csirt_err_set(err, ok < 0 ? CSIRT_EINVAL : CSIRT_ECONFLICT, "state",
		    ok < 0 ? "unknown state" : "this step is not allowed from %s",
		    json_string_value(json_object_get(t, "state")));
		goto out_rollback;
	}
	rc = store_exec(st, "UPDATE warning_targets SET state = ?1,"
	    " note = COALESCE(?2, note), evidence = COALESCE(?3, evidence),"
	    " acknowledged_at = CASE WHEN ?1 = 'acknowledged' THEN ?4 ELSE acknowledged_at END,"
	    " resolved_at = CASE WHEN ?5 THEN ?4 ELSE NULL END, updated_by = ?6 WHERE id = ?7",
	    json_pack("[s,O?,O?,I,b,o,I]", to, note, ev, (json_int_t)time_now(), resolving,
	    who->user_id ? json_integer(who->user_id) : json_null(), (json_int_t)id), NULL, NULL);
	if (rc != CSIRT_OK)
		goto out_rollback;
	after = json_pack("{s:s,s:O?,s:O?}", "state", to, "note", note, "evidence", ev);
	svc_audit(st, who, "target_update", "warning_target", id, t, after);
	json_decref(after);
	json_decref(rows);
	return store_commit(st);

out_rollback:
	store_rollback(st);
	json_decref(rows);
	return rc;
}
