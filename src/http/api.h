/*
 * api.h - the handlers of the JSON API, one group per file.
 */
#ifndef CSIRT_HTTP_API_H
#define CSIRT_HTTP_API_H

#include "http/http_int.h"

#define H(name) void name(struct request *req, struct response *res)
H(api_health); H(api_login); H(api_logout); H(api_me); H(api_password);
H(api_token_create); H(api_token_list); H(api_token_revoke);
H(api_incident_list); H(api_incident_create); H(api_incident_get); H(api_incident_update);
H(api_incident_transition); H(api_incident_classify); H(api_incident_deadline_met);
H(api_incident_tasks); H(api_incident_task_add); H(api_task_update);
H(api_incident_comments); H(api_incident_comment_add);
H(api_incident_observables); H(api_incident_observable_add); H(api_observable_get);
H(api_incident_evidence); H(api_incident_evidence_add); H(api_evidence_content);
H(api_evidence_custody); H(api_incident_timeline); H(api_incident_transitions);
H(api_public_report); H(api_public_status);
H(api_alert_list); H(api_alert_create); H(api_alert_get); H(api_alert_merge);
H(api_alert_promote); H(api_alert_dismiss);
H(api_org_list); H(api_org_create); H(api_org_get); H(api_org_update);
H(api_system_list); H(api_system_create); H(api_system_get); H(api_system_update);
H(api_user_list); H(api_user_create); H(api_user_get); H(api_user_update);
H(api_user_password); H(api_system_activities); H(api_system_activity_add);
H(api_team_get); H(api_team_update); H(api_member_list); H(api_member_create);
H(api_member_update);
H(api_taxonomy); H(api_rulepacks); H(api_procedure); H(api_audit_list); H(api_audit_verify);
H(api_dashboard); H(api_route_list);
H(api_incident_form); H(api_report);
H(api_system_scan_add); H(api_system_findings); H(api_findings); H(api_finding_decide);
H(api_findings_csv); H(api_system_findings_csv);
H(api_obligation_list); H(api_obligation_summary); H(api_obligation_csv);
H(api_system_obligations); H(api_org_activities); H(api_org_activity_add);
H(api_dossier_list); H(api_dossier_create); H(api_dossier_get); H(api_dossier_transition);
H(api_dossier_part_add); H(api_notification_list); H(api_notification_read);
H(api_dossier_part_get);
H(api_warning_list); H(api_warning_create); H(api_warning_get); H(api_warning_target_update);
H(api_system_plans); H(api_system_plan_add); H(api_plan_get); H(api_plan_update);
H(api_plan_approve); H(api_plan_review);
H(api_system_drills); H(api_system_drill_add); H(api_drill_get); H(api_drill_update);
H(api_drill_complete); H(api_drill_cancel);
H(api_system_suppliers); H(api_suppliers); H(api_system_supplier_add); H(api_supplier_get);
H(api_supplier_update); H(api_supplier_delete);
H(api_budget_list); H(api_budget_create); H(api_budget_get); H(api_budget_update);
H(api_budget_delete);
H(api_system_hunt_start); H(api_hunt_list); H(api_hunt_get); H(api_hunt_hits);
#undef H

/* A POST that creates something below the object of the path's first id:
 * parses the body, calls fn, answers 201 {"id"} or the error. */
typedef enum csirt_rc (*api_create_fn)(struct store *st, const struct actor *who, int64_t parent,
    json_t *in, int64_t *id, struct csirt_err *err);
void api_create_under(struct request *req, struct response *res, api_create_fn fn);

/* Answers for a result: 'ok' body on success or the error shape. */
void api_reply(struct response *res, enum csirt_rc rc, const struct csirt_err *err,
    unsigned status, json_t *body);

#endif
