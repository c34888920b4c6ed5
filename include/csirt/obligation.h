/*
 * obligation.h - the obligations engine: what the law asks of every
 * information system and organisation on a schedule (level approval,
 * periodic assessment, vulnerability scans and threat hunts, response
 * plans, drills, the published contact point, Forms 01 and 05, the annual
 * report on Mẫu 08...), and whether each is done, due soon or overdue on a
 * given day. Pure functions: no store, no clock; the caller passes "today".
 *
 * The schedules are data: data/obligations/<regime>.json, one file per rule
 * pack (vn-2017, vn-2026), schema in docs/rulepacks.md ("Obligations").
 * The set that applies on a day is the one with the latest valid_from not
 * after it. Each result names the rule, its source, its confidence, the
 * regime and the activity it rests on.
 */
#ifndef CSIRT_OBLIGATION_H
#define CSIRT_OBLIGATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/calendar.h"
#include "csirt/err.h"
#include "csirt/rulepack.h"

#define OBLIGATION_MAX_RULES 32
#define OBLIGATION_MAX_DATES 4
#define OBLIGATION_NO_DAY INT64_MIN	/* "has not happened" / "no date" */

/*
 * The recorded facts an obligation rests on. System kinds come from the
 * activities table (plus the two 2026 additions), organisation kinds from
 * org_activities (migration 0010) and orgs.contact_published_on.
 */
enum obligation_activity {
	OA_VULN_SCAN,		/* rà quét lỗ hổng */
	OA_THREAT_HUNT,		/* săn lùng mối nguy hại */
	OA_DRILL,		/* diễn tập thực chiến */
	OA_ASSESSMENT,		/* kiểm tra, đánh giá định kỳ */
	OA_LEVEL_APPROVAL,	/* phê duyệt cấp độ */
	OA_RESPONSE_PLAN,	/* kế hoạch ứng phó sự cố: issued or reviewed */
	OA_REGULATION,		/* quy chế bảo đảm an ninh mạng issued */
	OA_SYSTEM_CHANGE,	/* a change to the system (the plan must follow) */
	OA_CONTACT_POINT,	/* đầu mối ứng cứu sự cố published (org) */
	OA_FORM01,		/* Biểu mẫu 01 updated (org) */
	OA_FORM05,		/* Biểu mẫu 05 sent (org) */
	OA_ANNUAL_REPORT,	/* Mẫu 08 annual report sent to the owner (org) */
	OA_ANNUAL_REPORT_MPS,	/* Mẫu 08 sent by the owner to the Ministry (org) */
	OA_COUNT		/* also "rests on no activity" */
};

enum obligation_scope { OBL_SCOPE_SYSTEM, OBL_SCOPE_ORG };

/* How the due date is set. */
enum obligation_schedule {
	OBL_ONCE,		/* done once it happened; optional fixed deadline */
	OBL_INTERVAL,		/* again every N months after the last one */
	OBL_ANNUAL_DATES,	/* before fixed days of every year (Form 05) */
	OBL_INFORMATIONAL,	/* the law sets no checkable schedule */
	OBL_SCHEDULE_COUNT
};

enum obligation_status {
	OBL_DONE,		/* compliant today */
	OBL_DUE_SOON,		/* due within the lead time */
	OBL_OVERDUE,		/* the due date passed, or never done */
	OBL_NOT_APPLICABLE,	/* the rule does not apply (level, scope) */
	OBL_UNKNOWN,		/* cannot say: level not set, informational */
	OBL_PENDING,		/* not done yet, but not due yet either */
	OBL_STATUS_COUNT
};

struct obligation_rule {
	const char *id;
	const char *kind;		/* stable name: "vuln_scan", "form05"... */
	struct rulepack_text label;
	enum obligation_scope scope;
	enum obligation_schedule schedule;
	enum obligation_activity activity;	/* the fact it rests on */
	int months[6];			/* OBL_INTERVAL: by level 0..5; 0 = n/a */
	int min_level;			/* 0 = every system */
	int64_t deadline_day;		/* OBL_ONCE: fixed deadline or NO_DAY */
	int64_t since_day;		/* the duty exists from (NO_DAY = always):
					   earlier dated deadlines do not count */
	int n_dates;			/* OBL_ANNUAL_DATES: "before" month/day */
	int dates[OBLIGATION_MAX_DATES][2];
	bool after_change;		/* must also follow OA_SYSTEM_CHANGE */
	bool before_approval;		/* must come before OA_LEVEL_APPROVAL */
	bool owners_only;		/* org rule for system owners only */
	const char *source;
	const char *confidence;		/* H, MH, M, L, U */
	struct rulepack_text note;	/* may be NULL strings */
};

/* Working-day or calendar limits of the level-dossier steps. */
struct obligation_limit {
	enum rule_unit unit;		/* WORKING_DAYS, CALENDAR_DAYS or NONE */
	int value;
};

enum dossier_step { DOSSIER_VALIDITY_CHECK, DOSSIER_APPRAISAL, DOSSIER_APPROVAL,
	DOSSIER_STEP_COUNT };

struct obligation_set {
	const char *id;			/* "vn-2017" */
	int64_t valid_from_day;
	int lead_days;			/* "due soon" window */
	size_t rule_count;
	struct obligation_rule rules[OBLIGATION_MAX_RULES];
	/* level dossier limits: [step][level 0..5] */
	struct obligation_limit dossier[DOSSIER_STEP_COUNT][6];
	const char *dossier_source;
	/* who appraises and who approves a dossier, by level 1..5 ([0] unused) */
	struct rulepack_text appraiser[6], approver[6];
	const char *authorities_source;
	/* the information-security share of an IT plan or project budget
	 * (optional "budget"): has_budget false when the set has none */
	bool has_budget;
	int budget_percent;		/* required share, whole percent */
	const char *budget_rule, *budget_source, *budget_confidence;
	void *json;			/* owns every string above */
};

/* The facts of one system or organisation. Days are calendar_day numbers. */
struct obligation_facts {
	int level;			/* 0 = not classified */
	bool owns_systems;		/* organisations: owner of some system */
	int64_t last[OA_COUNT];		/* latest day of each, or NO_DAY */
	int64_t first_approval;		/* earliest OA_LEVEL_APPROVAL or NO_DAY */
};

struct obligation_result {
	const struct obligation_set *set;	/* borrowed */
	const struct obligation_rule *rule;	/* borrowed */
	enum obligation_status status;
	int64_t due_day;			/* or NO_DAY */
	int64_t rests_on_day;			/* the activity's day, or NO_DAY */
	char reason[160];			/* why, in English */
};

/* Parses a set (pointer, length; need not be NUL-terminated). Strict like
 * rule packs: unknown keys, types, kinds are errors naming file and path.
 * On success *out is new; the caller frees it with obligation_set_free(). */
enum csirt_rc obligation_set_parse(const char *data, size_t len, const char *name,
    struct obligation_set **out, struct csirt_err *err);
void obligation_set_free(struct obligation_set *set);

/* The sets under data/obligations/, loaded once, for the life of the
 * process. NULL when none applies on 'day' (before every set). */
const struct obligation_set *obligation_set_for_day(int64_t day);
size_t obligation_builtin_count(void);
/* The i-th built-in set (0 .. count-1, oldest valid_from first), or NULL. */
const struct obligation_set *obligation_builtin_at(size_t i);

/* Fills facts with "nothing recorded". */
void obligation_facts_init(struct obligation_facts *f);

/*
 * Evaluates every rule of 'set' of the given scope for 'facts' on 'today'.
 * Writes at most 'max' results; returns how many were written.
 */
size_t obligation_evaluate(const struct obligation_set *set, enum obligation_scope scope,
    const struct obligation_facts *facts, int64_t today, struct obligation_result *out,
    size_t max);

/*
 * The due day of a dossier step entered on 'entered_day' for a system of
 * 'level' (1..5). CSIRT_ENOTFOUND when the law sets no limit;
 * CSIRT_EUNSUPPORTED (reason in err) when the count reaches a year whose
 * days off are not announced. 'cal' NULL = built-in.
 */
enum csirt_rc obligation_dossier_due(const struct obligation_set *set,
    const struct calendar *cal, enum dossier_step step, int level, int64_t entered_day,
    int64_t *due_day, struct csirt_err *err);

/*
 * The level dossier (hồ sơ đề xuất cấp độ) lifecycle, NĐ 85/2016 Art 14-17
 * and NĐ 331/2026 Art 20-24: draft -> submitted -> validity_check ->
 * appraisal -> approval -> approved, and "returned" from any step after
 * draft (incomplete, or not accepted), back to draft for rework. The
 * "approval" step is the approval file's own 7 working days (Art 17.2 /
 * 24.2), after the appraisal opinion.
 */
enum dossier_state { DS_DRAFT, DS_SUBMITTED, DS_VALIDITY_CHECK, DS_APPRAISAL, DS_APPROVAL,
	DS_APPROVED, DS_RETURNED, DS_STATE_COUNT };

const char *dossier_state_name(enum dossier_state s);
int dossier_state_from_name(const char *name);		/* -1 if unknown */
/* True when the law's procedure allows from -> to. */
bool dossier_transition_allowed(enum dossier_state from, enum dossier_state to);
/* The step whose time limit runs while in 'state', or -1 (no limit runs). */
int dossier_state_step(enum dossier_state state);

/* Stable names ("done", "due_soon", ...; "vuln_scan", ...). NULL if out of range. */
const char *obligation_status_name(enum obligation_status s);
const char *obligation_activity_name(enum obligation_activity a);
/* -1 when unknown. */
int obligation_activity_from_name(const char *name);
int obligation_status_from_name(const char *name);

/* One result as JSON (label in 'lang'); dates as "YYYY-MM-DD" or null.
 * Returns a new reference, NULL on ENOMEM. */
json_t *obligation_result_to_json(const struct obligation_result *r, const char *lang);

#endif
