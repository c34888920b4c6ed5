/*
 * sigma.h - Sigma rules: load (libyaml), compile, match against hunt events.
 *
 * A rule set is built once (sigma_ruleset_new, then sigma_ruleset_add_*),
 * sealed with sigma_ruleset_compile(), and then matched against any number
 * of events, from one thread at a time per struct sigma_matcher (the rule
 * set itself is read-only after compile and may be shared by threads).
 *
 * A rule that cannot be compiled is never dropped silently: it is kept in
 * the list of rejects with its file and reason (sigma_ruleset_rejects).
 */
#ifndef CSIRT_SIGMA_H
#define CSIRT_SIGMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/err.h"
#include "csirt/hunt.h"

struct sigma_ruleset;
struct sigma_matcher;

enum sigma_level {
	SIGMA_LEVEL_INFORMATIONAL = 0,
	SIGMA_LEVEL_LOW,
	SIGMA_LEVEL_MEDIUM,
	SIGMA_LEVEL_HIGH,
	SIGMA_LEVEL_CRITICAL,
};

/* What a hit reports about its rule; strings live as long as the set. */
struct sigma_rule_info {
	const char *id;		/* "" when the rule has none */
	const char *title;
	const char *path;	/* file the rule came from */
	enum sigma_level level;
	const char *const *tags;	/* e.g. "attack.t1059.001" */
	size_t ntags;
};

struct sigma_reject {
	const char *path;
	const char *id;		/* may be "" */
	const char *title;	/* may be "" */
	const char *reason;
};

/* One field that took part in a match, for the report. */
struct sigma_matched_field {
	const char *name;	/* point into the event: valid in the callback */
	const char *value;
};

#define SIGMA_MAX_MATCHED 8

struct sigma_hit {
	const struct sigma_rule_info *rule;
	struct sigma_matched_field fields[SIGMA_MAX_MATCHED];
	size_t nfields;
};

/*
 * New empty set. 'mapping_yaml' is the logsource/field mapping (NULL: the
 * built-in data/hunt/sigma-windows.yml). Returns NULL on out-of-memory or
 * a broken mapping (err says why). Caller frees with sigma_ruleset_free.
 */
struct sigma_ruleset *sigma_ruleset_new(const char *mapping_yaml,
    size_t mapping_len, struct csirt_err *err);
void sigma_ruleset_free(struct sigma_ruleset *rs);

/*
 * Values for the placeholders of the |expand modifier: YAML of the form
 * "placeholders: {Name: [value, ...], Other: value}" (Sigma wildcards
 * allowed in the values). A name given again replaces its earlier values.
 * Call before adding the rules that use them: a rule whose placeholder has
 * no value is rejected with that reason. sigma_ruleset_new() loads the
 * built-in data/hunt/sigma-placeholders.yml first. 'origin' names the text
 * in error messages.
 */
enum csirt_rc sigma_ruleset_set_placeholders(struct sigma_ruleset *rs,
    const char *yaml, size_t len, const char *origin, struct csirt_err *err);
/* The same from a file (at most 1 MiB). */
enum csirt_rc sigma_ruleset_load_placeholders(struct sigma_ruleset *rs,
    const char *path, struct csirt_err *err);

/*
 * Adds the rules of one YAML text (one or more documents). Rules that fail
 * are recorded as rejects; the call fails only on out-of-memory.
 * 'path' is copied and names the rules' origin in reports.
 */
enum csirt_rc sigma_ruleset_add_yaml(struct sigma_ruleset *rs,
    const char *yaml, size_t len, const char *path);

/* A .yml/.yaml file, or a directory walked recursively (sorted order). */
enum csirt_rc sigma_ruleset_add_path(struct sigma_ruleset *rs,
    const char *path, struct csirt_err *err);

/*
 * A directory where compile keeps the compiled literal prefilter (created
 * if missing; files are named by a hash of their content's source, so
 * rules that changed never get a stale one). NULL (the default) compiles
 * it every time (~0.4 s for SigmaHQ's Windows rules). 'dir' is copied.
 */
enum csirt_rc sigma_ruleset_set_cache(struct sigma_ruleset *rs,
    const char *dir);

/* Resolves filters and builds the dispatch index. Call once, after adds. */
enum csirt_rc sigma_ruleset_compile(struct sigma_ruleset *rs);

size_t sigma_ruleset_count(const struct sigma_ruleset *rs);
const struct sigma_rule_info *sigma_ruleset_rule(const struct sigma_ruleset *rs,
    size_t i);
size_t sigma_ruleset_reject_count(const struct sigma_ruleset *rs);
/* Correlation rules in use: their state is per matcher, so a hunt with any
 * reads its events on one thread. */
size_t sigma_ruleset_correlation_count(const struct sigma_ruleset *rs);
const struct sigma_reject *sigma_ruleset_reject(const struct sigma_ruleset *rs,
    size_t i);

/* Per-thread scratch for matching. Caller frees with sigma_matcher_free. */
struct sigma_matcher *sigma_matcher_new(const struct sigma_ruleset *rs);
void sigma_matcher_free(struct sigma_matcher *m);

/*
 * Calls fn once for each rule the event matches, in rule order (the order
 * rules were added), so output is deterministic. Returns the hit count.
 */
typedef void (*sigma_hit_fn)(const struct hunt_event *ev,
    const struct sigma_hit *hit, void *ctx);
size_t sigma_match(struct sigma_matcher *m, const struct hunt_event *ev,
    sigma_hit_fn fn, void *ctx);

/*
 * Call once at the end of the input: closes the open windows of the
 * correlation rules decided at the end of a window (lt, lte, neq, ranges,
 * value_sum, value_avg) and reports their hits, in the order the windows
 * opened. Such a hit's event holds the group-by values and the aggregate
 * (event_count, value_count, value_sum or value_avg), with the time, host
 * and source of the window's last hit. Returns the hit count.
 */
size_t sigma_matcher_flush(struct sigma_matcher *m, sigma_hit_fn fn,
    void *ctx);

const char *sigma_level_name(enum sigma_level level);

#endif
