/*
 * plans.h - the records of an information system that issue 6 adds:
 * response plans (phương án ứng cứu sự cố, versioned, scenarios keyed to
 * the taxonomy), drills (diễn tập) with findings, and suppliers (nhà cung
 * cấp). Scope as for systems: a unit officer sees and changes only the
 * records of systems its organisation's subtree owns or operates; other
 * ids answer CSIRT_ENOTFOUND. Every change is audited in its transaction.
 * Approving or reviewing a plan records a response_plan activity, and
 * completing a drill a drill activity: both move the obligations.
 * The API shapes are in docs/api.md ("Plans, drills, suppliers").
 *
 * Inputs are borrowed JSON objects as the API received them; outputs are
 * new references the caller frees. Lists are {"items":[...], "total":N}.
 */
#ifndef CSIRT_PLANS_H
#define CSIRT_PLANS_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

/* Limits of a plan's scenarios (each a list item of the JSON field). */
#define PLAN_MAX_SCENARIOS 50
#define PLAN_MAX_STEPS 30
#define PLAN_SCENARIOS_MAX_BYTES (256 * 1024)

/* --- response plans --- */
/* Checks a plan body as the API received it (pure): the scenarios (each
 * normalised with all six keys), then the other fields by the entity
 * definition. *rec: a new object for the store; CSIRT_EINVAL naming the
 * field otherwise. */
enum csirt_rc plan_validate(json_t *in, int creating, json_t **rec, struct csirt_err *err);
/* A new draft: version = the system's highest + 1. */
enum csirt_rc plan_create(struct store *st, const struct actor *who, int64_t system_id,
    json_t *in, int64_t *id, struct csirt_err *err);
/* Newest version first. */
enum csirt_rc plan_list(struct store *st, const struct actor *who, int64_t system_id,
    json_t **out);
enum csirt_rc plan_get(struct store *st, const struct actor *who, int64_t id, json_t **out);
/* Drafts only: CSIRT_ECONFLICT otherwise. */
enum csirt_rc plan_update(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err);
/* in {"approved_on":"YYYY-MM-DD","note"}: a draft becomes approved, the
 * system's approved version superseded. Staff (admin, coordinator) only. */
enum csirt_rc plan_approve(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err);
/* in {"reviewed_on","note"}: approved plans only. */
enum csirt_rc plan_review(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err);

/* --- drills --- */
/* Checks the findings of a completed drill (pure); NULL list = none.
 * *out: a new list, each {"text","severity","status"}. */
enum csirt_rc drill_findings_validate(json_t *list, json_t **out, struct csirt_err *err);
enum csirt_rc drill_create(struct store *st, const struct actor *who, int64_t system_id,
    json_t *in, int64_t *id, struct csirt_err *err);
enum csirt_rc drill_list(struct store *st, const struct actor *who, int64_t system_id,
    json_t **out);
enum csirt_rc drill_get(struct store *st, const struct actor *who, int64_t id, json_t **out);
/* Not when cancelled (CSIRT_ECONFLICT). */
enum csirt_rc drill_update(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err);
/* in {"held_on","findings":[{"text","severity","status"}],"lessons_learned"};
 * planned drills only. */
enum csirt_rc drill_complete(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err);
/* in {"reason"}; planned drills only. */
enum csirt_rc drill_cancel(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err);

/* --- suppliers --- */
struct supplier_filter {
	int64_t system_id;		/* 0 = every visible system */
	int64_t org_id;			/* owner or operator in this subtree; 0 = any */
	const char *q;			/* part of the name, or NULL */
	int64_t expiring_days;		/* -1 = any; else contract_end within N days */
};
enum csirt_rc supplier_create(struct store *st, const struct actor *who, int64_t system_id,
    json_t *in, int64_t *id, struct csirt_err *err);
enum csirt_rc supplier_list(struct store *st, const struct actor *who,
    const struct supplier_filter *f, json_t **out);
enum csirt_rc supplier_get(struct store *st, const struct actor *who, int64_t id, json_t **out);
enum csirt_rc supplier_update(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err);
enum csirt_rc supplier_delete(struct store *st, const struct actor *who, int64_t id);

#endif
