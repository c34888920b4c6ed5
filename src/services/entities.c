/*
 * entities.c - what each record holds, with the limits the API enforces.
 * Incident fields follow Form 03 of Circular 20/2017 and the minimum of
 * Decision 05/2017 Art 11.4 (docs: DOMAIN.md §2.9).
 */
#include "csirt/common.h"
#include "csirt/entities.h"

#define T(n, len) { n, FT_TEXT, 0, len, 0, 0, NULL }
#define TR(n, len) { n, FT_TEXT, FF_REQUIRED, len, 0, 0, NULL }
#define RO_TIME(n) { n, FT_TIME, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL }
#define RO_INT(n) { n, FT_INT, FF_READONLY, 0, 0, 0, NULL }
#define LIST(n, len, items) { n, FT_LIST, 0, len, 0, items, NULL }
#define BOOL(n) { n, FT_BOOL, 0, 0, 0, 0, NULL }
#define REF(n) { n, FT_REF, FF_NULLABLE, 0, 0, 0, NULL }
#define REFR(n) { n, FT_REF, FF_REQUIRED, 0, 0, 0, NULL }
#define ENUM(n, choices) { n, FT_ENUM, 0, 64, 0, 0, choices }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const org_types[] = { "province", "department", "district", "commune", "unit",
	"enterprise", "central", "police", "military", "other", NULL };

static const struct field_def org_fields[] = {
	REF("parent_id"), TR("name", 300), T("short_name", 100), ENUM("type", org_types),
	T("address", 500), T("phone", 50), T("email", 200),
	T("contact_hotline", 50), T("contact_email", 200), T("contact_web", 500),
	T("contact_published_on", 10), T("member_code", 50),
	RO_TIME("created_at"), RO_TIME("updated_at"),
};
const struct entity_def entity_org = { "org", "orgs", org_fields, COUNT(org_fields) };

static const char *const roles[] = { "admin", "coordinator", "responder", "unit_officer", "auditor",
	NULL };

/* password_hash is not a field: it never enters or leaves through the API. */
static const struct field_def user_fields[] = {
	REF("org_id"), { "username", FT_TEXT, FF_REQUIRED | FF_CREATE_ONLY, 64, 0, 0, NULL },
	T("full_name", 200), T("email", 200), T("phone", 50), T("position", 200),
	{ "role", FT_ENUM, FF_REQUIRED, 32, 0, 0, roles }, BOOL("disabled"),
	{ "must_change_password", FT_BOOL, FF_READONLY, 0, 0, 0, NULL },
	RO_TIME("created_at"), RO_TIME("updated_at"),
};
const struct entity_def entity_user = { "user", "users", user_fields, COUNT(user_fields) };

static const char *const system_types[] = { "internal", "citizen_service", "infrastructure",
	"industrial_control", "other", NULL };

static const struct field_def system_fields[] = {
	TR("name", 300), REFR("owner_org_id"), REFR("operator_org_id"),
	{ "level", FT_INT, 0, 0, 0, 5, NULL }, ENUM("system_type", system_types),
	T("description", 4000), BOOL("national_critical"),
	LIST("public_ips", 64, 256), LIST("domains", 253, 256),
	{ "components", FT_OBJECT, 0, 65536, 0, 0, NULL },
	T("os", 200), LIST("services", 200, 100), T("isp", 200), T("security_provider", 200),
	RO_TIME("created_at"), RO_TIME("updated_at"),
};
const struct entity_def entity_system = { "system", "systems", system_fields, COUNT(system_fields) };

/* Expert groups of Forms 01/02 (DOMAIN.md §12.1: four groups). */
static const char *const expertise[] = { "management", "network_system", "malware_analysis",
	"forensics_pentest", NULL };

static const struct field_def member_fields[] = {
	REF("user_id"), REF("org_id"), TR("full_name", 200), T("position", 200),
	T("role_in_team", 100), { "expertise", FT_LIST, 0, 64, 0, 4, expertise },
	T("certificates", 1000), T("phone", 50), T("email", 200), BOOL("is_primary_contact"),
	T("pgp_fingerprint", 100), T("joined_on", 10), T("left_on", 10),
	RO_TIME("created_at"), RO_TIME("updated_at"),
};
const struct entity_def entity_team_member = { "team_member", "team_members", member_fields,
	COUNT(member_fields) };

static const char *const handled[] = { "handled", "not_handled", NULL };
/* Form 03 item 7 and 8 option lists (DOMAIN.md §2.9). */
static const char *const detection[] = { "ids", "log_review", "notified_by", "other", NULL };
static const char *const notified[] = { "network_member", "isp", "coordinator", NULL };

static const struct field_def incident_fields[] = {
	{ "tracking_code", FT_TEXT, FF_READONLY, 32, 0, 0, NULL },
	TR("title", 300), T("description", 20000), REF("org_id"),
	{ "source", FT_TEXT, FF_READONLY, 16, 0, 0, NULL },
	{ "step", FT_TEXT, FF_READONLY, 8, 0, 0, NULL },
	{ "status", FT_TEXT, FF_READONLY, 16, 0, 0, NULL },
	{ "severity", FT_TEXT, FF_READONLY, 16, 0, 0, NULL },
	{ "serious_criteria", FT_LIST, FF_READONLY, 64, 0, 16, NULL },
	{ "taxonomy_code", FT_TEXT, 0, 8, 0, 0, NULL },
	{ "rulepack", FT_TEXT, FF_READONLY, 32, 0, 0, NULL },
	{ "detected_at", FT_TIME, FF_REQUIRED, 0, 0, 0, NULL },
	{ "reported_at", FT_TIME, FF_READONLY, 0, 0, 0, NULL },
	{ "response_ended_at", FT_TIME, FF_NULLABLE, 0, 0, 0, NULL },
	RO_TIME("closed_at"),
	T("reporter_org", 300), T("reporter_address", 500), T("reporter_phone", 50),
	T("reporter_email", 200), T("contact_name", 200), T("contact_position", 200),
	T("contact_phone", 50), T("contact_email", 200), T("operator_name", 300),
	T("owner_name", 300), T("system_name", 300),
	{ "system_level", FT_INT, 0, 0, 0, 5, NULL }, T("isp", 300), T("security_provider", 300),
	ENUM("handled_status", handled),
	{ "detection_methods", FT_LIST, 0, 300, 0, 8, NULL },
	{ "notified", FT_LIST, 0, 32, 0, 3, notified },
	T("os", 200), LIST("services", 200, 50), LIST("security_measures", 200, 50),
	LIST("public_ips", 64, 256), LIST("domains", 253, 256), T("purpose", 1000),
	LIST("attachments_kind", 200, 20), BOOL("confidential"), T("recommendations", 10000),
	T("spread", 4000), T("impact", 4000), T("measures_taken", 10000),
	LIST("supporters", 300, 50), T("initial_result", 10000),
	BOOL("beyond_capacity"), BOOL("national_security_signs"), BOOL("personal_data"),
	{ "closure", FT_OBJECT, 0, 65536, 0, 0, NULL },
	T("root_cause", 10000), T("lessons_learned", 20000),
	{ "attribution", FT_OBJECT, 0, 65536, 0, 0, NULL }, T("estimated_damage", 1000),
	{ "created_by", FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL },
	RO_TIME("created_at"), RO_TIME("updated_at"),
};
/* keep 'detection' referenced for documentation of accepted values */
const char *const *incident_detection_methods = detection;
const struct entity_def entity_incident = { "incident", "incidents", incident_fields,
	COUNT(incident_fields) };

static const char *const task_status[] = { "open", "in_progress", "done", "cancelled", NULL };

static const struct field_def task_fields[] = {
	{ "incident_id", FT_REF, FF_READONLY, 0, 0, 0, NULL },
	TR("title", 300), T("description", 4000), REF("assignee_id"),
	{ "due_at", FT_TIME, FF_NULLABLE, 0, 0, 0, NULL }, ENUM("status", task_status),
	{ "created_by", FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL },
	RO_TIME("created_at"), RO_TIME("updated_at"),
};
const struct entity_def entity_task = { "task", "tasks", task_fields, COUNT(task_fields) };

static const struct field_def comment_fields[] = {
	{ "incident_id", FT_REF, FF_READONLY, 0, 0, 0, NULL },
	{ "author_id", FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL },
	TR("body", 20000), RO_TIME("created_at"),
};
const struct entity_def entity_comment = { "comment", "comments", comment_fields,
	COUNT(comment_fields) };

static const char *const alert_sev[] = { "info", "low", "medium", "high", "critical", NULL };

static const struct field_def alert_fields[] = {
	{ "source", FT_TEXT, FF_REQUIRED | FF_CREATE_ONLY, 32, 0, 0, NULL },
	TR("title", 500), T("description", 20000), ENUM("severity", alert_sev),
	T("rule_id", 200), T("dedup_key", 500), T("host", 300), REF("system_id"),
	{ "org_id", FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL },
	{ "raw", FT_OBJECT, 0, 262144, 0, 0, NULL },
	{ "status", FT_TEXT, FF_READONLY, 16, 0, 0, NULL },
	{ "merged_into", FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL },
	{ "incident_id", FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL },
	RO_INT("count"), RO_TIME("first_seen"), RO_TIME("last_seen"), RO_TIME("created_at"),
};
const struct entity_def entity_alert = { "alert", "alerts", alert_fields, COUNT(alert_fields) };

static const struct field_def evidence_fields[] = {
	{ "incident_id", FT_REF, FF_READONLY, 0, 0, 0, NULL },
	{ "sha256", FT_TEXT, FF_READONLY, 64, 0, 0, NULL },
	{ "filename", FT_TEXT, FF_READONLY, 255, 0, 0, NULL },
	RO_INT("size"), { "content_type", FT_TEXT, FF_READONLY, 200, 0, 0, NULL },
	T("description", 4000),
	{ "added_by", FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL }, RO_TIME("added_at"),
};
const struct entity_def entity_evidence = { "evidence", "evidence", evidence_fields,
	COUNT(evidence_fields) };

/* Directive 18/CT-TTg item 2 (scan, hunt), item 4 (drill); Decree 85 Art
 * 20.2.c (assessment); level approval (Decree 85 Art 17). */
static const char *const activity_kinds[] = { "vuln_scan", "threat_hunt", "drill", "assessment",
	"level_approval", "response_plan", "regulation", "system_change", NULL };

static const struct field_def activity_fields[] = {
	{ "system_id", FT_REF, FF_READONLY, 0, 0, 0, NULL },
	{ "kind", FT_ENUM, FF_REQUIRED, 32, 0, 0, activity_kinds },
	{ "performed_at", FT_TIME, FF_REQUIRED, 0, 0, 0, NULL },
	T("summary", 4000), { "result", FT_OBJECT, 0, 262144, 0, 0, NULL },
	{ "recorded_by", FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL }, RO_TIME("created_at"),
};
const struct entity_def entity_activity = { "activity", "activities", activity_fields,
	COUNT(activity_fields) };

/* Reports an organisation sends on a schedule (migration 0010). */
static const char *const org_activity_kinds[] = { "form01", "form05", "annual_report",
	"annual_report_mps", NULL };

static const struct field_def org_activity_fields[] = {
	{ "org_id", FT_REF, FF_READONLY, 0, 0, 0, NULL },
	{ "kind", FT_ENUM, FF_REQUIRED, 32, 0, 0, org_activity_kinds },
	{ "performed_at", FT_TIME, FF_REQUIRED, 0, 0, 0, NULL },
	T("summary", 4000),
	{ "recorded_by", FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL }, RO_TIME("created_at"),
};
const struct entity_def entity_org_activity = { "org_activity", "org_activities",
	org_activity_fields, COUNT(org_activity_fields) };

/* --- issue 6: response plans, drills, suppliers, budget lines ---------- */

/* VND amounts: at most 10^15 (a million billion), so that share checks in
 * integers (amount * 100) cannot overflow. */
#define VND(n, flags) { n, FT_INT, flags, 0, 0, 1000000000000000LL, NULL }
#define RO_TEXT(n, len) { n, FT_TEXT, FF_READONLY, len, 0, 0, NULL }
#define RO_REF(n) { n, FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL }

/* scenarios is a list of objects, which the schema's types do not
 * describe: the plans service validates it (plans.c) and stores it here. */
static const struct field_def plan_fields[] = {
	RO_REF("system_id"), RO_INT("version"), TR("title", 300), RO_TEXT("status", 16),
	{ "scenarios", FT_OBJECT, FF_READONLY, 0, 0, 0, NULL },
	T("resources", 20000), VND("estimated_budget", 0), T("notes", 20000),
	RO_REF("approved_by"), RO_TIME("approved_at"), RO_TEXT("approved_on", 10),
	RO_TEXT("approval_note", 4000), RO_TEXT("reviewed_on", 10), RO_TEXT("review_note", 4000),
	RO_REF("created_by"), RO_TIME("created_at"), RO_TIME("updated_at"),
};
const struct entity_def entity_response_plan = { "response_plan", "response_plans", plan_fields,
	COUNT(plan_fields) };

static const char *const drill_kinds[] = { "tabletop", "live_fire", NULL };

static const struct field_def drill_fields[] = {
	RO_REF("system_id"), REF("plan_id"), { "plan_version", FT_INT, FF_READONLY | FF_NULLABLE, 0,
	0, 0, NULL }, TR("title", 300), { "kind", FT_ENUM, FF_REQUIRED, 32, 0, 0, drill_kinds },
	RO_TEXT("status", 16), T("scenario_code", 8), T("planned_on", 10), RO_TEXT("held_on", 10),
	LIST("participants", 300, 200), { "findings", FT_OBJECT, FF_READONLY, 0, 0, 0, NULL },
	T("lessons_learned", 20000), T("notes", 20000), RO_TEXT("cancel_reason", 4000),
	RO_REF("created_by"), RO_TIME("created_at"), RO_TIME("updated_at"),
};
const struct entity_def entity_drill = { "drill", "drills", drill_fields, COUNT(drill_fields) };

static const char *const supplier_roles[] = { "developer", "operator", "hosting", "cloud",
	"security_service", "maintenance", "telecom", "other", NULL };

static const struct field_def supplier_fields[] = {
	RO_REF("system_id"), TR("name", 300), ENUM("role", supplier_roles), T("contract_no", 100),
	T("contract_start", 10), T("contract_end", 10), T("contact_name", 200),
	T("contact_phone", 50), T("contact_email", 200), T("operates", 4000), T("notes", 4000),
	RO_TIME("created_at"), RO_TIME("updated_at"),
};
const struct entity_def entity_supplier = { "supplier", "suppliers", supplier_fields,
	COUNT(supplier_fields) };

static const struct field_def budget_fields[] = {
	REFR("org_id"), REF("system_id"), TR("name", 300),
	{ "year", FT_INT, FF_REQUIRED, 0, 2000, 2100, NULL },
	{ "total_amount", FT_INT, FF_REQUIRED, 0, 1, 1000000000000000LL, NULL },
	VND("security_amount", FF_REQUIRED), T("notes", 4000),
	RO_TIME("created_at"), RO_TIME("updated_at"),
};
const struct entity_def entity_budget_line = { "budget_line", "budget_lines", budget_fields,
	COUNT(budget_fields) };
