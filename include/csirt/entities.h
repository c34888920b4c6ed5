/*
 * entities.h - the field definitions of each entity (see schema.h), the
 * single description of what the API accepts and the store keeps.
 */
#ifndef CSIRT_ENTITIES_H
#define CSIRT_ENTITIES_H

#include "csirt/schema.h"

extern const struct entity_def entity_org;
extern const struct entity_def entity_user;
extern const struct entity_def entity_system;
extern const struct entity_def entity_team_member;
extern const struct entity_def entity_incident;
extern const struct entity_def entity_task;
extern const struct entity_def entity_comment;
extern const struct entity_def entity_alert;
extern const struct entity_def entity_evidence;
extern const struct entity_def entity_activity;
extern const struct entity_def entity_org_activity;
/* issue 6: plans, drills, suppliers, budget (plans.h, budget.h) */
extern const struct entity_def entity_response_plan;
extern const struct entity_def entity_drill;
extern const struct entity_def entity_supplier;
extern const struct entity_def entity_budget_line;

#endif
