/*
 * routes.c - every endpoint of the API with the roles allowed to call it
 * (DOMAIN.md §12.5). Scope within a role (a unit officer's own
 * organisation) is checked by the services. docs/api.md documents these;
 * the API tests walk this table (GET /api/routes) for the role matrix.
 */
#include "csirt/common.h"
#include "http/api.h"

#define ALL ROLES_ALL
#define STAFF ROLES_STAFF
#define READ_STAFF (ROLES_STAFF | ROLE_AUDITOR)
#define WORK (ROLES_STAFF | ROLE_UNIT_OFFICER)	/* may change incidents in scope */
#define MANAGE (ROLE_ADMIN | ROLE_COORDINATOR)	/* the register */
#define ADMIN ROLE_ADMIN

const struct route api_routes[] = {
	{ "GET", "/api/health", api_health, 0, RF_PUBLIC },
	{ "POST", "/api/auth/login", api_login, 0, RF_PUBLIC },
	{ "POST", "/api/auth/logout", api_logout, 0, RF_PUBLIC },
	{ "GET", "/api/auth/me", api_me, ALL, 0 },
	{ "POST", "/api/auth/password", api_password, ALL, 0 },
	{ "GET", "/api/tokens", api_token_list, ALL, 0 },
	{ "POST", "/api/tokens", api_token_create, ALL, 0 },
	{ "DELETE", "/api/tokens/{id}", api_token_revoke, ALL, 0 },

	{ "POST", "/api/public/reports", api_public_report, 0, RF_PUBLIC | RF_PUBLIC_LIMIT },
	{ "GET", "/api/public/reports/{code}", api_public_status, 0, RF_PUBLIC | RF_PUBLIC_LIMIT },

	{ "GET", "/api/incidents", api_incident_list, ALL, 0 },
	{ "POST", "/api/incidents", api_incident_create, WORK, 0 },
	{ "GET", "/api/incidents/{id}", api_incident_get, ALL, 0 },
	{ "PATCH", "/api/incidents/{id}", api_incident_update, WORK, 0 },
	{ "POST", "/api/incidents/{id}/transitions", api_incident_transition, WORK, 0 },
	{ "GET", "/api/incidents/{id}/transitions", api_incident_transitions, ALL, 0 },
	{ "POST", "/api/incidents/{id}/classify", api_incident_classify, STAFF, 0 },
	{ "POST", "/api/incidents/{id}/deadlines/{code}/met", api_incident_deadline_met, WORK, 0 },
	{ "GET", "/api/incidents/{id}/forms/{code}", api_incident_form, ALL, 0 },
	{ "GET", "/api/reports/{code}", api_report, READ_STAFF, 0 },
	{ "GET", "/api/incidents/{id}/timeline", api_incident_timeline, ALL, 0 },
	{ "GET", "/api/incidents/{id}/tasks", api_incident_tasks, ALL, 0 },
	{ "POST", "/api/incidents/{id}/tasks", api_incident_task_add, STAFF, 0 },
	{ "PATCH", "/api/tasks/{id}", api_task_update, WORK, 0 },
	{ "GET", "/api/incidents/{id}/comments", api_incident_comments, ALL, 0 },
	{ "POST", "/api/incidents/{id}/comments", api_incident_comment_add, WORK, 0 },
	{ "GET", "/api/incidents/{id}/observables", api_incident_observables, ALL, 0 },
	{ "POST", "/api/incidents/{id}/observables", api_incident_observable_add, WORK, 0 },
	{ "GET", "/api/observables/{id}", api_observable_get, ALL, 0 },
	{ "GET", "/api/incidents/{id}/evidence", api_incident_evidence, ALL, 0 },
	{ "POST", "/api/incidents/{id}/evidence", api_incident_evidence_add, WORK, RF_STREAM },
	{ "GET", "/api/evidence/{id}/content", api_evidence_content, WORK | ROLE_AUDITOR, 0 },
	{ "GET", "/api/evidence/{id}", api_evidence_custody, ALL, 0 },

	{ "GET", "/api/alerts", api_alert_list, READ_STAFF, 0 },
	{ "POST", "/api/alerts", api_alert_create, STAFF, 0 },
	{ "GET", "/api/alerts/{id}", api_alert_get, READ_STAFF, 0 },
	{ "POST", "/api/alerts/{id}/merge", api_alert_merge, STAFF, 0 },
	{ "POST", "/api/alerts/{id}/promote", api_alert_promote, STAFF, 0 },
	{ "POST", "/api/alerts/{id}/dismiss", api_alert_dismiss, STAFF, 0 },

	{ "GET", "/api/orgs", api_org_list, ALL, 0 },
	{ "POST", "/api/orgs", api_org_create, MANAGE, 0 },
	{ "GET", "/api/orgs/{id}", api_org_get, ALL, 0 },
	{ "PATCH", "/api/orgs/{id}", api_org_update, MANAGE | ROLE_UNIT_OFFICER, 0 },
	{ "GET", "/api/systems", api_system_list, ALL, 0 },
	{ "POST", "/api/systems", api_system_create, MANAGE | ROLE_UNIT_OFFICER, 0 },
	{ "GET", "/api/systems/{id}", api_system_get, ALL, 0 },
	{ "PATCH", "/api/systems/{id}", api_system_update, MANAGE | ROLE_UNIT_OFFICER, 0 },
	{ "GET", "/api/systems/{id}/activities", api_system_activities, ALL, 0 },
	{ "POST", "/api/systems/{id}/activities", api_system_activity_add, WORK, 0 },
	{ "POST", "/api/systems/{id}/scans", api_system_scan_add, STAFF | ROLE_UNIT_OFFICER, 0 },
	{ "GET", "/api/systems/{id}/findings", api_system_findings, ALL, 0 },
	{ "GET", "/api/findings", api_findings, ALL, 0 },
	{ "PATCH", "/api/findings/{id}", api_finding_decide, MANAGE | ROLE_UNIT_OFFICER, 0 },
	{ "GET", "/api/users", api_user_list, ADMIN | ROLE_AUDITOR, 0 },
	{ "POST", "/api/users", api_user_create, ADMIN, 0 },
	{ "GET", "/api/users/{id}", api_user_get, ADMIN | ROLE_AUDITOR, 0 },
	{ "PATCH", "/api/users/{id}", api_user_update, ADMIN, 0 },
	{ "POST", "/api/users/{id}/password", api_user_password, ADMIN, 0 },
	{ "GET", "/api/team", api_team_get, ALL, 0 },
	{ "PATCH", "/api/team", api_team_update, MANAGE, 0 },
	{ "GET", "/api/team/members", api_member_list, ALL, 0 },
	{ "POST", "/api/team/members", api_member_create, MANAGE, 0 },
	{ "PATCH", "/api/team/members/{id}", api_member_update, MANAGE, 0 },

	{ "GET", "/api/taxonomy", api_taxonomy, ALL, 0 },
	{ "GET", "/api/procedure", api_procedure, ALL, 0 },
	{ "GET", "/api/rulepacks", api_rulepacks, ALL, 0 },
	{ "GET", "/api/dashboard", api_dashboard, ALL, 0 },
	{ "GET", "/api/audit", api_audit_list, ADMIN | ROLE_AUDITOR, 0 },
	{ "GET", "/api/audit/verify", api_audit_verify, ADMIN | ROLE_AUDITOR, 0 },
	{ "GET", "/api/routes", api_route_list, ALL, 0 },
	{ "GET", "/api/obligations", api_obligation_list, ALL, 0 },
	{ "GET", "/api/obligations/summary", api_obligation_summary, ALL, 0 },
	{ "GET", "/api/obligations.csv", api_obligation_csv, ALL, 0 },
	{ "GET", "/api/systems/{id}/obligations", api_system_obligations, ALL, 0 },
	{ "GET", "/api/orgs/{id}/activities", api_org_activities, ALL, 0 },
	{ "POST", "/api/orgs/{id}/activities", api_org_activity_add, WORK, 0 },
	{ "GET", "/api/dossiers", api_dossier_list, ALL, 0 },
	{ "POST", "/api/dossiers", api_dossier_create, MANAGE | ROLE_UNIT_OFFICER, 0 },
	{ "GET", "/api/dossiers/{id}", api_dossier_get, ALL, 0 },
	{ "POST", "/api/dossiers/{id}/transitions", api_dossier_transition, MANAGE | ROLE_UNIT_OFFICER, 0 },
	{ "GET", "/api/warnings", api_warning_list, ALL, 0 },
	{ "POST", "/api/warnings", api_warning_create, MANAGE, 0 },
	{ "GET", "/api/warnings/{id}", api_warning_get, ALL, 0 },
	{ "POST", "/api/warning-targets/{id}", api_warning_target_update, WORK, 0 },
	{ "POST", "/api/dossiers/{id}/parts/{code}", api_dossier_part_add, MANAGE | ROLE_UNIT_OFFICER, RF_STREAM },
	{ "GET", "/api/notifications", api_notification_list, ALL, 0 },
	{ "POST", "/api/notifications/{id}/read", api_notification_read, ALL, 0 },
	{ "GET", "/api/dossiers/{id}/parts/{code}", api_dossier_part_get, ALL, 0 },
	{ "GET", "/api/findings.csv", api_findings_csv, ALL, 0 },
	{ "GET", "/api/systems/{id}/findings.csv", api_system_findings_csv, ALL, 0 },
};
const size_t api_route_count = sizeof(api_routes) / sizeof(api_routes[0]);
