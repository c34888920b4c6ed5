/*
 * budget.h - budget lines (kinh phí) of IT plans and projects, each with
 * its information-security amount, checked against the share every rule
 * set requires (data/obligations/<regime>.json, "budget": 10 % under
 * Directive 14/CT-TTg, 15 % under Law 116/2025 Art 38.1). Scope: a unit
 * officer sees and changes the lines of its organisation's subtree.
 * Inputs are borrowed; outputs are new references the caller frees.
 */
#ifndef CSIRT_BUDGET_H
#define CSIRT_BUDGET_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

/* in {org_id, system_id?, name, year, total_amount, security_amount, notes}. */
enum csirt_rc budget_create(struct store *st, const struct actor *who, json_t *in, int64_t *id,
    struct csirt_err *err);
/* org_id (its subtree) and year filter when non-zero. {"items","total"}. */
enum csirt_rc budget_list(struct store *st, const struct actor *who, int64_t org_id,
    int64_t year, json_t **out);
/* Each line carries security_share (percent, 2 decimals) and checks:
 * [{regime, rule, source, required_percent, met}]. */
enum csirt_rc budget_get(struct store *st, const struct actor *who, int64_t id, json_t **out);
enum csirt_rc budget_update(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err);
enum csirt_rc budget_delete(struct store *st, const struct actor *who, int64_t id);

/* The checks of one line under every rule set (pure). New reference. */
json_t *budget_checks(int64_t total, int64_t security);

#endif
