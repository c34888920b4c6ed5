/*
 * rulepack.c - reading and choosing rule packs (see rulepack.h and the
 * schema in docs/rulepacks.md). A pack keeps its parsed JSON document: the
 * strings of its rules point into it, so nothing is copied twice.
 */
#include "csirt/common.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/calendar.h"
#include "csirt/embedded.h"
#include "csirt/rulepack.h"
#include "csirt/serious.h"
#include "domain/json_strict.h"

static const char *const trigger_names[TRIGGER_COUNT] = {
	[TRIGGER_ALWAYS] = "always",
	[TRIGGER_BEYOND_CAPACITY] = "beyond_capacity",
	[TRIGGER_SERIOUS] = "serious",
	[TRIGGER_NATIONAL_SECURITY] = "national_security_signs",
	[TRIGGER_PERSONAL_DATA] = "personal_data",
	[TRIGGER_COMPLEX] = "complex",
	[TRIGGER_CONTACT_CHANGED] = "contact_point_changed",
	[TRIGGER_NOTIFICATION_RECEIVED] = "notification_received",
};

static const char *const anchor_names[ANCHOR_COUNT] = {
	[ANCHOR_DETECTED] = "detected_at",
	[ANCHOR_RECEIVED] = "received_at",
	[ANCHOR_RESPONSE_ENDED] = "response_ended_at",
	[ANCHOR_CONTACT_CHANGED] = "contact_changed_at",
};

static const char *const unit_names[UNIT_COUNT] = {
	[UNIT_IMMEDIATE] = "immediate",
	[UNIT_HOURS] = "hours",
	[UNIT_CALENDAR_DAYS] = "calendar_days",
	[UNIT_WORKING_DAYS] = "working_days",
	[UNIT_NONE] = "none",
};

/* DOMAIN-2026.md §11: H, MH, M, L, U. */
static const char *const confidences[] = { "H", "MH", "M", "L", "U" };

const char *
rulepack_trigger_name(enum rule_trigger t)
{
	return (unsigned)t < TRIGGER_COUNT ? trigger_names[t] : "unknown";
}

const char *
rulepack_anchor_name(enum rule_anchor a)
{
	return (unsigned)a < ANCHOR_COUNT ? anchor_names[a] : "unknown";
}

const char *
rulepack_unit_name(enum rule_unit u)
{
	return (unsigned)u < UNIT_COUNT ? unit_names[u] : "unknown";
}

const char *
rulepack_text(const struct rulepack_text *t, const char *lang)
{
	bool vi = lang != NULL && strcmp(lang, "vi") == 0;

	if (vi)
		return t->vi != NULL ? t->vi : t->en;
	return t->en != NULL ? t->en : t->vi;
}

void
rulepack_free(struct rulepack *pack)
{
	if (pack == NULL)
		return;
	json_decref(pack->json);
	free(pack);
}

json_t *
rulepack_to_json(const struct rulepack *pack)
{
	return json_incref(pack->json);
}

static enum csirt_rc
parse_confidence(const struct jctx *ctx, json_t *obj, const char *path,
    const char **out)
{
	int i;
	enum csirt_rc rc;

	rc = jstrict_enum(ctx, obj, path, "confidence", confidences,
	    (int)ARRAY_SIZE(confidences), &i);
	if (rc == CSIRT_OK)
		*out = confidences[i];
	return rc;
}

static enum csirt_rc
parse_duration(const struct jctx *ctx, json_t *obj, const char *path,
    struct rulepack_rule *r)
{
	static const char *const keys[] = { "value", "unit", NULL };
	char sub[JSTRICT_PATH_MAX];
	json_t *d = NULL;
	int64_t value = -1;
	int unit;
	enum csirt_rc rc;

	if ((rc = jstrict_object(ctx, obj, path, "duration", true, &d)) != CSIRT_OK)
		return rc;
	jstrict_path(sub, sizeof(sub), "%s.duration", path);
	if ((rc = jstrict_keys(ctx, d, sub, keys)) != CSIRT_OK ||
	    (rc = jstrict_enum(ctx, d, sub, "unit", unit_names, UNIT_COUNT, &unit)) != CSIRT_OK ||
	    (rc = jstrict_int(ctx, d, sub, "value", false, 1, 3650, &value)) != CSIRT_OK)
		return rc;
	r->unit = (enum rule_unit)unit;
	if (r->unit == UNIT_IMMEDIATE || r->unit == UNIT_NONE) {
		if (value != -1)
			return jstrict_fail(ctx, CSIRT_EPARSE, sub,
			    "unit \"%s\" takes no \"value\"", unit_names[unit]);
		r->value = 0;
	} else {
		if (value == -1)
			return jstrict_fail(ctx, CSIRT_EPARSE, sub,
			    "unit \"%s\" needs a \"value\"", unit_names[unit]);
		r->value = (int)value;
	}
	return CSIRT_OK;
}

static enum csirt_rc
parse_rule(const struct jctx *ctx, json_t *jr, const char *path,
    struct rulepack *pack, struct rulepack_rule *r)
{
	static const char *const keys[] = { "id", "label", "trigger", "anchor",
	    "duration", "recipient", "source", "confidence", "note", NULL };
	int trigger, anchor;
	enum csirt_rc rc;

	if (!json_is_object(jr))
		return jstrict_fail(ctx, CSIRT_EPARSE, path, "must be an object");
	memset(r, 0, sizeof(*r));
	if ((rc = jstrict_keys(ctx, jr, path, keys)) != CSIRT_OK ||
	    (rc = jstrict_id(ctx, jr, path, "id", &r->id)) != CSIRT_OK ||
	    (rc = jstrict_text(ctx, jr, path, "label", true, &r->label)) != CSIRT_OK ||
	    (rc = jstrict_enum(ctx, jr, path, "trigger", trigger_names, TRIGGER_COUNT, &trigger)) != CSIRT_OK ||
	    (rc = jstrict_enum(ctx, jr, path, "anchor", anchor_names, ANCHOR_COUNT, &anchor)) != CSIRT_OK ||
	    (rc = parse_duration(ctx, jr, path, r)) != CSIRT_OK ||
	    (rc = jstrict_text(ctx, jr, path, "recipient", true, &r->recipient)) != CSIRT_OK ||
	    (rc = jstrict_string(ctx, jr, path, "source", true, &r->source)) != CSIRT_OK ||
	    (rc = parse_confidence(ctx, jr, path, &r->confidence)) != CSIRT_OK ||
	    (rc = jstrict_text(ctx, jr, path, "note", false, &r->note)) != CSIRT_OK)
		return rc;
	r->trigger = (enum rule_trigger)trigger;
	r->anchor = (enum rule_anchor)anchor;
	for (size_t i = 0; i < pack->rule_count; i++)
		if (strcmp(pack->rules[i].id, r->id) == 0)
			return jstrict_fail(ctx, CSIRT_EPARSE, path,
			    "rule id \"%s\" is used twice", r->id);
	return CSIRT_OK;
}

static enum csirt_rc
parse_impacts(const struct jctx *ctx, json_t *s, const char *path,
    unsigned *out)
{
	static const char *const names[] = { "service_disruption",
	    "secret_disclosure", "integrity_unrecoverable", "loss_of_control",
	    "wide_spread" };
	char sub[JSTRICT_PATH_MAX];
	json_t *arr, *v;
	size_t i;
	enum csirt_rc rc;

	rc = jstrict_array(ctx, s, path, "impacts", ARRAY_SIZE(names), &arr);
	if (rc != CSIRT_OK)
		return rc;
	*out = 0;
	json_array_foreach(arr, i, v) {
		bool found = false;
		char clip[33];

		jstrict_path(sub, sizeof(sub), "%s.impacts[%zu]", path, i);
		if (!json_is_string(v))
			return jstrict_fail(ctx, CSIRT_EPARSE, sub, "must be a string");
		for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
			if (strcmp(json_string_value(v), names[k]) == 0) {
				if (*out & (1u << k))
					return jstrict_fail(ctx, CSIRT_EPARSE, sub,
					    "impact \"%s\" is listed twice", names[k]);
				*out |= 1u << k;
				found = true;
			}
		}
		if (!found)
			return jstrict_fail(ctx, CSIRT_EPARSE, sub,
			    "unknown impact \"%s\" (expected service_disruption, secret_disclosure, integrity_unrecoverable, loss_of_control or wide_spread)",
			    jstrict_clip(json_string_value(v), 32, clip));
	}
	if (*out == 0)
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"impacts\" must list at least one impact");
	return CSIRT_OK;
}

static enum csirt_rc
parse_serious(const struct jctx *ctx, json_t *root, struct rulepack_serious *s)
{
	static const char *const keys_defined[] = { "defined", "rule_id", "source",
	    "confidence", "note", "min_level", "national_critical_list",
	    "impacts", "owner_cannot_handle_required", NULL };
	static const char *const keys_undefined[] = { "defined", "rule_id",
	    "source", "confidence", "note", NULL };
	const char *path = "$.serious";
	json_t *js = NULL;
	int64_t level;
	enum csirt_rc rc;

	if ((rc = jstrict_object(ctx, root, "$", "serious", true, &js)) != CSIRT_OK ||
	    (rc = jstrict_bool(ctx, js, path, "defined", true, &s->defined)) != CSIRT_OK ||
	    (rc = jstrict_keys(ctx, js, path, s->defined ? keys_defined : keys_undefined)) != CSIRT_OK ||
	    (rc = jstrict_id(ctx, js, path, "rule_id", &s->rule_id)) != CSIRT_OK ||
	    (rc = jstrict_string(ctx, js, path, "source", true, &s->source)) != CSIRT_OK ||
	    (rc = parse_confidence(ctx, js, path, &s->confidence)) != CSIRT_OK ||
	    (rc = jstrict_text(ctx, js, path, "note", !s->defined, &s->note)) != CSIRT_OK)
		return rc;
	if (!s->defined)
		return CSIRT_OK;
	if ((rc = jstrict_int(ctx, js, path, "min_level", true, 1, 5, &level)) != CSIRT_OK ||
	    (rc = jstrict_bool(ctx, js, path, "national_critical_list", true, &s->national_critical_list)) != CSIRT_OK ||
	    (rc = parse_impacts(ctx, js, path, &s->impacts)) != CSIRT_OK ||
	    (rc = jstrict_bool(ctx, js, path, "owner_cannot_handle_required", true, &s->owner_cannot_handle_required)) != CSIRT_OK)
		return rc;
	s->min_level = (int)level;
	return CSIRT_OK;
}

enum csirt_rc
rulepack_parse(const char *data, size_t len, const char *name,
    struct rulepack **out, struct csirt_err *err)
{
	static const char *const keys[] = { "schema", "id", "title",
	    "valid_from", "note", "serious", "rules", NULL };
	struct jctx ctx = { name ? name : "rule pack", err };
	struct rulepack *pack = NULL;
	char sub[JSTRICT_PATH_MAX];
	json_t *root = NULL, *rules, *jr;
	const char *id;
	size_t i;
	enum csirt_rc rc;

	rc = jstrict_open(&ctx, data, len, keys, &root, &id);
	if (rc != CSIRT_OK)
		return rc;
	pack = calloc(1, sizeof(*pack));
	if (pack == NULL) {
		json_decref(root);
		return csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
	}
	pack->json = root;	/* freed with the pack from here on */
	pack->id = id;
	if ((rc = jstrict_text(&ctx, root, "$", "title", true, &pack->title)) != CSIRT_OK ||
	    (rc = jstrict_date(&ctx, root, "$", "valid_from", true, &pack->valid_from, &pack->valid_from_day)) != CSIRT_OK ||
	    (rc = jstrict_text(&ctx, root, "$", "note", false, &pack->note)) != CSIRT_OK ||
	    (rc = parse_serious(&ctx, root, &pack->serious)) != CSIRT_OK ||
	    (rc = jstrict_array(&ctx, root, "$", "rules", RULEPACK_MAX_RULES, &rules)) != CSIRT_OK)
		goto out;
	json_array_foreach(rules, i, jr) {
		jstrict_path(sub, sizeof(sub), "$.rules[%zu]", i);
		rc = parse_rule(&ctx, jr, sub, pack, &pack->rules[i]);
		if (rc != CSIRT_OK)
			goto out;
		pack->rule_count++;
	}
	*out = pack;
	pack = NULL;
out:
	rulepack_free(pack);
	return rc;
}

enum csirt_rc
rulepack_load_file(const char *path, struct rulepack **out,
    struct csirt_err *err)
{
	const char *base = strrchr(path, '/');
	char *data;
	size_t n;
	enum csirt_rc rc;

	rc = jstrict_read_file(path, &data, &n, err);
	if (rc == CSIRT_ENOTFOUND)
		rc = CSIRT_EIO;		/* for a pack named by the user, absent is an I/O error */
	if (rc != CSIRT_OK)
		return rc;
	rc = rulepack_parse(data, n, base ? base + 1 : path, out, err);
	free(data);
	return rc;
}

/* The built-in packs: every .json file under data/rules/, sorted by valid_from. */
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static struct rulepack *builtin[16];
static size_t builtin_n;

static int
by_valid_from(const void *a, const void *b)
{
	const struct rulepack *pa = *(struct rulepack *const *)a;
	const struct rulepack *pb = *(struct rulepack *const *)b;

	return (pa->valid_from_day > pb->valid_from_day) -
	    (pa->valid_from_day < pb->valid_from_day);
}

static void
builtin_load(void)
{
	static const char prefix[] = "data/rules/";

	for (size_t i = 0; i < embedded_file_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		struct csirt_err err;
		struct rulepack *p;
		size_t n = strlen(f->name);

		if (strncmp(f->name, prefix, sizeof(prefix) - 1) != 0 ||
		    n < 5 || strcmp(f->name + n - 5, ".json") != 0)
			continue;
		if (builtin_n == ARRAY_SIZE(builtin)) {
			log_error("rule packs: more than %zu built in", ARRAY_SIZE(builtin));
			break;
		}
		if (rulepack_parse((const char *)f->data, f->size,
		    f->name + sizeof(prefix) - 1, &p, &err) != CSIRT_OK) {
			log_error("rule packs: %s", err.msg);
			continue;
		}
		builtin[builtin_n++] = p;
	}
	qsort(builtin, builtin_n, sizeof(builtin[0]), by_valid_from);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum csirt_rc
rulepack_load_dir(const char *dir, struct csirt_err *err)
{
	struct rulepack *loaded[ARRAY_SIZE(builtin)];
	char *names[ARRAY_SIZE(builtin)];
	size_t n_names = 0, n_loaded = 0;
	struct dirent *de;
	DIR *d;
	enum csirt_rc rc = CSIRT_OK;

	rulepack_builtin_count();	/* the built-in packs first */
	d = opendir(dir);
	if (d == NULL)
		return errno == ENOENT ? CSIRT_OK : csirt_err_set(err, CSIRT_EIO,
		    NULL, "cannot read the folder %s: %s", dir, strerror(errno));
	/* Bounded by the registry's size; sorted so the order is stable. */
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (n_names == ARRAY_SIZE(names)) {
			rc = csirt_err_set(err, CSIRT_ETOOBIG, NULL,
			    "%s holds more than %zu rule packs", dir, ARRAY_SIZE(names));
			goto out;
		}
		if ((names[n_names] = strdup(de->d_name)) == NULL) {
			rc = csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
			goto out;
		}
		n_names++;
	}
	qsort(names, n_names, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n_names; i++) {
		char path[4096];

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path)) {
			rc = csirt_err_set(err, CSIRT_EINVAL, NULL, "path too long in %s", dir);
			goto out;
		}
		rc = rulepack_load_file(path, &loaded[n_loaded], err);
		if (rc != CSIRT_OK)
			goto out;
		n_loaded++;
	}
	/* All parsed: now merge, replacing packs with the same id. */
	for (size_t i = 0; i < n_loaded; i++) {
		size_t k;

		for (k = 0; k < builtin_n; k++)
			if (strcmp(builtin[k]->id, loaded[i]->id) == 0)
				break;
		if (k == ARRAY_SIZE(builtin)) {
			rc = csirt_err_set(err, CSIRT_ETOOBIG, NULL,
			    "more than %zu rule packs in all", ARRAY_SIZE(builtin));
			goto out;
		}
		if (k < builtin_n)
			rulepack_free(builtin[k]);
		else
			builtin_n++;
		builtin[k] = loaded[i];
		loaded[i] = NULL;
	}
	qsort(builtin, builtin_n, sizeof(builtin[0]), by_valid_from);
out:
	for (size_t i = 0; i < n_loaded; i++)
		rulepack_free(loaded[i]);
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	closedir(d);
	return rc;
}

size_t
rulepack_builtin_count(void)
{
	pthread_once(&builtin_once, builtin_load);
	return builtin_n;
}

const struct rulepack *
rulepack_builtin_at(size_t i)
{
	return i < rulepack_builtin_count() ? builtin[i] : NULL;
}

const struct rulepack *
rulepack_find(const char *id)
{
	for (size_t i = 0; id != NULL && i < rulepack_builtin_count(); i++)
		if (strcmp(builtin[i]->id, id) == 0)
			return builtin[i];
	return NULL;
}

enum csirt_rc
rulepack_for_date(int64_t detected_at, const struct rulepack **out,
    struct csirt_err *err)
{
	int64_t day = calendar_day_of(detected_at);
	const struct rulepack *best = NULL;

	for (size_t i = 0; i < rulepack_builtin_count(); i++)
		if (builtin[i]->valid_from_day <= day)
			best = builtin[i];
	if (best == NULL)
		return csirt_err_set(err, CSIRT_ENOTFOUND, "detected_at",
		    "no rule pack applies to an incident detected before %s",
		    rulepack_builtin_count() ? builtin[0]->valid_from : "any pack");
	*out = best;
	return CSIRT_OK;
}

const struct rulepack_rule *
rulepack_rule_find(const struct rulepack *pack, const char *id)
{
	for (size_t i = 0; id != NULL && i < pack->rule_count; i++)
		if (strcmp(pack->rules[i].id, id) == 0)
			return &pack->rules[i];
	return NULL;
}
