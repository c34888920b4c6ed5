/*
 * serious.h - is an incident serious (sự cố nghiêm trọng)?
 *
 * Under the 2017 regime Decision 05/2017/QĐ-TTg Art 9 decides: serious when
 * (1) the system is level 4 or 5 or on the national critical list AND
 * suffers one of five impacts (a-đ), and (2) the owner cannot handle it.
 * Otherwise the incident is normal. Under the 2026 regime no text defines a
 * serious incident (DOMAIN-2026.md §4, rule 17): the result is "undefined"
 * unless the province's rule pack configures a definition. Which definition
 * applies always comes from the rule pack.
 */
#ifndef CSIRT_SERIOUS_H
#define CSIRT_SERIOUS_H

#include <stdbool.h>
#include <stddef.h>

#include "csirt/err.h"
#include "csirt/rulepack.h"

/* The impacts of Art 9.1 a-đ, as bits of rulepack_serious.impacts. */
enum serious_impact {
	SERIOUS_IMPACT_SERVICE_DISRUPTION = 1u << 0,	/* a */
	SERIOUS_IMPACT_SECRET_DISCLOSURE = 1u << 1,	/* b */
	SERIOUS_IMPACT_INTEGRITY_UNRECOVERABLE = 1u << 2, /* c */
	SERIOUS_IMPACT_LOSS_OF_CONTROL = 1u << 3,	/* d */
	SERIOUS_IMPACT_WIDE_SPREAD = 1u << 4,		/* đ */
	SERIOUS_IMPACT_ALL = (1u << 5) - 1
};

/* Name of an impact bit as the schema writes it ("service_disruption"...). */
const char *serious_impact_name(unsigned bit);

struct serious_input {
	int system_level;		/* 0 = not classified, 1..5 */
	bool national_critical_list;
	bool impact_service_disruption;
	bool impact_secret_disclosure;
	bool impact_integrity_unrecoverable;
	bool impact_loss_of_control;
	bool impact_wide_spread;
	bool owner_cannot_handle;
};

enum severity { SEVERITY_NORMAL, SEVERITY_SERIOUS, SEVERITY_UNDEFINED };

const char *severity_code(enum severity s);	/* "normal", "serious", "undefined" */

struct serious_criterion {
	const char *id;		/* stable ASCII, e.g. "level_4_5", "impact_loss_of_control" */
	const char *vi;
	const char *en;
};

#define SERIOUS_CRITERIA_MAX 8

struct serious_result {
	enum severity result;
	size_t held_count;
	const struct serious_criterion *held[SERIOUS_CRITERIA_MAX]; /* static data */
	const char *rule_id;		/* borrowed from the pack */
	const char *source;		/* borrowed from the pack */
	const char *confidence;		/* borrowed from the pack */
	char message_vi[256];
	char message_en[256];
};

/*
 * Applies the pack's definition to the facts. CSIRT_EINVAL for a level
 * outside 0..5. The result borrows strings from 'pack', which must outlive it.
 */
enum csirt_rc serious_assess(const struct rulepack *pack,
    const struct serious_input *in, struct serious_result *out,
    struct csirt_err *err);

#endif
