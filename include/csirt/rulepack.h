/*
 * rulepack.h - the law as data. A rule pack holds the deadline rules and the
 * serious-incident definition of one legal regime (vn-2017: Circular
 * 20/2017 and Decision 05/2017; vn-2026: Law 116/2025 and Decree 331/2026).
 * The pack that applies to an incident is chosen by its detection date.
 * The schema is in docs/rulepacks.md; the parser is strict: an unknown key,
 * a wrong type or an unknown unit is an error that names the file and the
 * JSON path.
 */
#ifndef CSIRT_RULEPACK_H
#define CSIRT_RULEPACK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/err.h"

#define RULEPACK_MAX_BYTES (1024 * 1024)
#define RULEPACK_MAX_RULES 64

/* When a rule applies (closed list; the schema rejects anything else). */
enum rule_trigger {
	TRIGGER_ALWAYS,			/* every incident */
	TRIGGER_BEYOND_CAPACITY,	/* exceeds the operator's capacity */
	TRIGGER_SERIOUS,		/* serious incident */
	TRIGGER_NATIONAL_SECURITY,	/* signs touching national security */
	TRIGGER_PERSONAL_DATA,		/* personal data affected */
	TRIGGER_COMPLEX,		/* "complex" incident (NĐ 331 31.2.d) */
	TRIGGER_CONTACT_CHANGED,	/* the incident contact point changed */
	TRIGGER_NOTIFICATION_RECEIVED,	/* a notification was received */
	TRIGGER_COUNT
};

/* The moment a rule counts from. */
enum rule_anchor {
	ANCHOR_DETECTED,	/* thời điểm phát hiện */
	ANCHOR_RECEIVED,	/* notification received */
	ANCHOR_RESPONSE_ENDED,	/* response (handling) ended */
	ANCHOR_CONTACT_CHANGED,	/* contact point changed */
	ANCHOR_COUNT
};

enum rule_unit {
	UNIT_IMMEDIATE,		/* due at the anchor ("ngay", "ngay lập tức") */
	UNIT_HOURS,
	UNIT_CALENDAR_DAYS,
	UNIT_WORKING_DAYS,
	UNIT_NONE,		/* the law sets no limit */
	UNIT_COUNT
};

struct rulepack_text {
	const char *vi;
	const char *en;
};

struct rulepack_rule {
	const char *id;
	struct rulepack_text label;
	enum rule_trigger trigger;
	enum rule_anchor anchor;
	enum rule_unit unit;
	int value;			/* 0 for immediate and none */
	struct rulepack_text recipient;
	const char *source;		/* article(s) */
	const char *confidence;		/* "H", "MH", "M", "L" or "U" */
	struct rulepack_text note;	/* may be NULL strings */
};

/* The serious-incident definition of a pack ("serious" in the schema). */
struct rulepack_serious {
	bool defined;			/* false: the law defines none */
	const char *rule_id;
	const char *source;
	const char *confidence;
	struct rulepack_text note;	/* may be NULL strings */
	/* Only when defined (the test of QĐ 05/2017 Art 9, or a province's own): */
	int min_level;			/* system level that qualifies, e.g. 4 */
	bool national_critical_list;	/* the national critical list qualifies */
	unsigned impacts;		/* bit set of SERIOUS_IMPACT_* (serious.h) */
	bool owner_cannot_handle_required;
};

struct rulepack {
	const char *id;
	struct rulepack_text title;
	int64_t valid_from_day;		/* calendar_day_* number, VN date */
	const char *valid_from;		/* "YYYY-MM-DD" as written */
	struct rulepack_text note;
	struct rulepack_serious serious;
	size_t rule_count;
	struct rulepack_rule rules[RULEPACK_MAX_RULES];
	void *json;			/* owns every string above */
};

/*
 * Parses and validates a pack (pointer, length; need not be NUL-terminated;
 * at most RULEPACK_MAX_BYTES). 'name' (a file name) starts every error
 * message. On success *out is a new pack; the caller frees it.
 */
enum csirt_rc rulepack_parse(const char *data, size_t len, const char *name,
    struct rulepack **out, struct csirt_err *err);

/* Reads a file and parses it; CSIRT_EIO when it cannot be read. */
enum csirt_rc rulepack_load_file(const char *path, struct rulepack **out,
    struct csirt_err *err);

void rulepack_free(struct rulepack *pack);

/*
 * The pack as validated JSON (the document it was parsed from), for the
 * API's view of the rules. Returns a new reference; the caller must not
 * modify it (it is shared with the pack).
 */
json_t *rulepack_to_json(const struct rulepack *pack);

/*
 * The packs shipped under data/rules/, loaded once (thread-safe) and kept
 * for the life of the process, ordered by valid_from. Count is 0 only if
 * the shipped data is broken (a unit test guards against that).
 */
size_t rulepack_builtin_count(void);
const struct rulepack *rulepack_builtin_at(size_t i);
const struct rulepack *rulepack_find(const char *id);

/*
 * Adds the packs of every *.json file in 'dir' (a province's own, e.g.
 * DATA/rules) to the built-in ones; a pack with the id of a built-in pack
 * replaces it. Strict: the first file that does not parse stops the load
 * with its error (nothing is added then). Call it once at start, before
 * other threads read packs: it frees a replaced pack, so pointers obtained
 * earlier from rulepack_find/rulepack_for_date become invalid.
 * A missing directory is not an error.
 */
enum csirt_rc rulepack_load_dir(const char *dir, struct csirt_err *err);

/*
 * The built-in pack that applies to an incident detected at 'detected_at'
 * (seconds since the epoch, UTC): the one with the latest valid_from not
 * after the detection date in Vietnam. CSIRT_ENOTFOUND before every pack.
 */
enum csirt_rc rulepack_for_date(int64_t detected_at,
    const struct rulepack **out, struct csirt_err *err);

const struct rulepack_rule *rulepack_rule_find(const struct rulepack *pack,
    const char *id);

/* Stable ASCII names used in the schema. */
const char *rulepack_trigger_name(enum rule_trigger t);
const char *rulepack_anchor_name(enum rule_anchor a);
const char *rulepack_unit_name(enum rule_unit u);

/* Picks the vi or en text (falls back to the other if one is missing). */
const char *rulepack_text(const struct rulepack_text *t, const char *lang);

#endif
