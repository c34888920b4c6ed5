/*
 * sigma_int.h - the compiled form of Sigma rules, shared by the files of
 * the Sigma engine (sigma_rule.c loads and compiles, sigma_cond.c parses
 * conditions, sigma_value.c turns values and modifiers into patterns,
 * sigma_match.c evaluates). Not a public interface.
 */
#ifndef CSIRT_HUNT_SIGMA_INT_H
#define CSIRT_HUNT_SIGMA_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>
#include <yaml.h>

#include "csirt/common.h"
#include "csirt/sigma.h"

/* How one value is compared with a field. */
enum sigma_pat_kind {
	PAT_EQ,		/* whole value equals lit */
	PAT_CONTAINS,
	PAT_STARTS,
	PAT_ENDS,
	PAT_GLOB,	/* tokens with * ? and windash classes */
	PAT_RE,
	PAT_CIDR,
	PAT_LT, PAT_LTE, PAT_GT, PAT_GTE,
	PAT_NUMEQ,	/* a number equals num (the date-part modifiers) */
};

/* Date-part modifiers (minute, hour, day, week, month, year): the field is
 * read as a date and the part compared as a number. */
enum sigma_datepart { DP_NONE = 0, DP_MINUTE, DP_HOUR, DP_DAY, DP_WEEK,
	DP_MONTH, DP_YEAR };

/* Glob tokens: a literal byte, or one of these (above 255). */
#define GLOB_STAR 256
#define GLOB_ONE 257
#define GLOB_DASH 258

struct sigma_pat {
	enum sigma_pat_kind kind;
	char *lit;		/* literal (lowercased unless cased); PAT_RE: one
				 * that every match holds, or NULL (prefilter) */
	size_t lit_len;
	uint16_t *glob;		/* PAT_GLOB tokens */
	size_t glob_len;
	pcre2_code *re;
	uint8_t addr[16], prefix_bits;	/* PAT_CIDR (IPv4 mapped into v6) */
	bool v4;
	double num;		/* PAT_LT.., PAT_NUMEQ */
	uint8_t datepart;	/* enum sigma_datepart: compare that part */
};

enum sigma_fm_kind {
	FM_VALUES,	/* compare with pats (any, or all with |all) */
	FM_NULL,	/* field absent or empty */
	FM_EXISTS,	/* exists: true/false in 'exists' */
	FM_FIELDREF,	/* compare with another field's value */
	FM_KEYWORD,	/* no field: any value of the event */
};

struct sigma_fieldmatch {
	enum sigma_fm_kind kind;
	char *field;		/* as written in the rule; NULL for keywords */
	int field_id;		/* interned, for O(1) lookup in an event */
	bool all;		/* |all: every pattern must match */
	bool cased;		/* compare the original value, not lowercased */
	bool neq;		/* |neq: matches when no pattern matches */
	bool exists;
	int ref_id;		/* FM_FIELDREF: the other field */
	enum sigma_pat_kind ref_kind;	/* EQ / CONTAINS / STARTS / ENDS */
	struct sigma_pat *pats;
	size_t npats;
};

/* One alternative of a search identifier: AND of field matches. */
struct sigma_conj {
	struct sigma_fieldmatch *fms;
	size_t nfms;
};

/* A search identifier: OR of alternatives (a list of maps), or one map. */
struct sigma_sel {
	char *name;
	struct sigma_conj *alts;
	size_t nalts;
};

enum sigma_node_kind { NODE_SEL, NODE_AND, NODE_OR, NODE_NOT, NODE_TRUE };

struct sigma_node {
	enum sigma_node_kind kind;
	int sel;			/* NODE_SEL */
	struct sigma_node **kids;	/* AND / OR / NOT */
	size_t nkids;
};

/* A concrete source a logsource maps to: channel and optional event IDs. */
struct sigma_target {
	char *channel;		/* lowercased; NULL = any channel */
	int32_t *eids;		/* NULL = any event ID */
	size_t neids;
	enum hunt_format format;	/* HUNT_FORMAT_UNKNOWN = any */
	char *program;		/* syslog program (lowercased), NULL = any */
};

struct sigma_detection {
	struct sigma_sel *sels;
	size_t nsels;
	struct sigma_node *cond;
};

struct sigma_rule {
	struct sigma_rule_info info;
	char **tags;
	char *name;
	struct sigma_detection det;
	struct sigma_target *targets;
	size_t ntargets;
	struct sigma_detection **filters;	/* borrowed from filter docs */
	size_t nfilters;
	/* sigma_eid.c: the EventID values (sorted) one of which the event
	 * must have for the detection to match; NULL when none is known */
	int32_t *need_eids;
	size_t nneed_eids;
};

/* sigma_eid.c: fills each rule's need_eids and rs->eid_field (built with
 * the prefilter); the matcher skips a rule whose set lacks the event's
 * single, canonical EventID. */
enum csirt_rc sigma_eid_build(struct sigma_ruleset *rs);
bool sigma_eid_needed(const struct sigma_rule *r, int32_t id);
/* "4730" -> 4730: 1-9 digits, no leading zero (what equality with a
 * rule's canonical ID can match); false otherwise */
bool sigma_eid_parse(const char *s, size_t n, int32_t *out);

/*
 * The literal prefilter (sigma_prefilter.c): per rule a set of literals one
 * of which an event must hold for the rule to have any chance; one caseless
 * Hyperscan scan of the event's lowercased values marks the rules whose
 * literal it holds. Built by compile unless CSIRT_HUNT_NO_PREFILTER is set.
 */
struct sigma_prefilter;
enum csirt_rc sigma_prefilter_build(struct sigma_ruleset *rs);
void sigma_prefilter_free(struct sigma_prefilter *pf);
/* true when the rule has a literal set (evaluate it only if marked) */
bool sigma_prefilter_has(const struct sigma_prefilter *pf, uint32_t rule);
/* true when 'found' (the clause bits an event met) is all the rule needs */
bool sigma_prefilter_met(const struct sigma_prefilter *pf, uint32_t rule,
    uint8_t found);
size_t sigma_prefilter_count(const struct sigma_prefilter *pf);
/* One per matcher (thread); NULL when the prefilter holds no literal.
 * Caller frees with hs_free_scratch. */
hs_scratch_t *sigma_prefilter_scratch(const struct sigma_prefilter *pf);
/* For every rule with a literal of database db (a list's pf_db: field
 * literals, text = the values of the list's pf_fields; its pf_kwdb:
 * keyword literals, text = every value) in [text, text+len): found[rule]
 * gets the literal's clause bit (found[] is valid where stamp[rule] ==
 * gen: the first literal of an event clears it), and a rule whose clauses
 * are all met is appended to marked[*nmarked] once (room for every rule).
 * Several scans of one event add up. db < 0: nothing to mark. False when
 * the scan failed (then evaluate every rule). */
bool sigma_prefilter_mark(const struct sigma_prefilter *pf,
    hs_scratch_t *scratch, int32_t db, const char *text, size_t len,
    uint32_t gen, uint32_t *stamp, uint8_t *found, uint32_t *marked,
    size_t *nmarked);

/* A meta-filter document (Sigma filters spec). */
struct sigma_filter {
	char **rule_refs;	/* ids or names */
	size_t nrefs;
	struct sigma_detection det;
	struct sigma_target *targets;
	size_t ntargets;
};

/* A correlation rule (sigma_corr.c). */
enum sigma_corr_type { CORR_EVENT_COUNT, CORR_VALUE_COUNT, CORR_TEMPORAL,
	CORR_TEMPORAL_ORDERED, CORR_VALUE_SUM, CORR_VALUE_AVG };

/* aliases: in hits of rule 'rule', group-by name 'alias' is field 'field' */
struct sigma_corr_alias {
	char *alias, *rule, *field;
};

/* The condition: every bound present must hold (a range is two bounds). */
struct sigma_corr_cond {
	bool has_lo, lo_incl, has_hi, hi_incl, has_eq, has_neq;
	double lo, hi, eq, neq;
};

struct sigma_corr {
	struct sigma_rule_info info;
	char **tags;
	char *name;
	enum sigma_corr_type type;
	char **refs;		/* rule ids or names, as written */
	size_t nrefs;
	uint32_t *ref_rules;	/* resolved index per ref: a rule, or a
				 * correlation when ref_is_corr[k] */
	bool *ref_is_corr;	/* chained: the ref names a correlation */
	int *group;		/* group-by field ids (as written) */
	char **group_names;	/* group-by names as written */
	size_t ngroup;
	int *group_ids;		/* per ref, ngroup field ids (aliases applied) */
	struct sigma_corr_alias *aliases;
	size_t naliases;
	int value_field;	/* value_count, value_sum, value_avg */
	char *value_name;
	int64_t timespan;	/* seconds */
	int64_t threshold;	/* as soon as: count >= threshold fires */
	struct sigma_corr_cond cond;
	bool window_end;	/* decided when the window closes */
};

/* Which correlations a rule feeds: (correlation, position in its list). */
struct sigma_corr_ref {
	uint32_t corr;
	uint32_t ref;
};

struct corr_state;
struct sigma_fields;

bool sigma_corr_parse(struct sigma_ruleset *rs, yaml_document_t *doc,
    yaml_node_t *root, yaml_node_t *corr, struct sigma_corr *c, char *why,
    size_t wl);
void sigma_corr_free(struct sigma_corr *c);
struct corr_state *sigma_corr_states_new(size_t n);
void sigma_corr_states_free(struct corr_state *st, size_t n);
struct corr_state *sigma_corr_state_at(struct corr_state *st, size_t i);
/* Resolves aliases into group_ids once ref_rules are known; false (why
 * filled) when an alias leaves a rule without a field. */
bool sigma_corr_resolve(const struct sigma_ruleset *rs, struct sigma_corr *c,
    char *why, size_t wl);
/*
 * Feeds one hit of the corr's ref-th rule on event 'ev' (first/fstamp/gen:
 * the matcher's field index of it). Correlation hits go to fn: with 'ev'
 * itself when it completes a count, or with 'scratch' (a small event of
 * the group-by values and the aggregate) when it closes a window.
 * Returns how many hits were reported.
 */
size_t sigma_corr_feed(const struct sigma_corr *c, struct corr_state *st,
    const struct hunt_event *ev, const int *first, const uint32_t *fstamp,
    uint32_t gen, size_t ref, struct sigma_hit *out,
    struct hunt_event *scratch, sigma_hit_fn fn, void *ctx);
/* Closes every open window (end of input); returns hits reported. */
size_t sigma_corr_flush(const struct sigma_corr *c, struct corr_state *st,
    struct sigma_hit *out, struct hunt_event *scratch, sigma_hit_fn fn,
    void *ctx);

/* YAML helpers of sigma_rule.c */
yaml_node_t *sigma_yaml_get(yaml_document_t *doc, yaml_node_t *map,
    const char *key);
char *sigma_yaml_str(yaml_node_t *n);	/* caller frees; NULL if not scalar */
char **sigma_yaml_strlist(yaml_document_t *doc, yaml_node_t *seq, size_t *n);

/* logsource -> targets, from the mapping YAML */
struct sigma_lsmap {
	char *product, *category, *service;	/* NULL = wildcard */
	struct sigma_target *targets;
	size_t ntargets;
};

/* Field aliases: in events of a target, 'from' is read as field 'to'. */
struct sigma_alias {
	struct sigma_target when;
	char *from, *to;
};

/* A placeholder of |expand and the values it stands for. */
struct sigma_placeholder {
	char *name;		/* without the percent signs */
	char **values;
	size_t nvalues;
};

const struct sigma_placeholder *sigma_placeholder_find(
    const struct sigma_ruleset *rs, const char *name, size_t len);
void sigma_placeholders_release(struct sigma_ruleset *rs);

/* Interned field names (lowercased) -> small integers. */
struct sigma_fields {
	char **names;
	size_t *lens;		/* strlen of each name */
	size_t n, cap;
	uint64_t *slots;	/* open addressing: hash << 32 | id + 1; 0 empty */
	size_t nslots;
};

/* Rules of one (channel, event ID): ascending rule indexes. */
struct sigma_rulelist {
	uint32_t *rules;
	size_t n, cap;
	/* for the prefilter (sigma_prefilter.c): the field ids the field
	 * literals of these rules lie in; an event scans only what its lists
	 * need */
	int *pf_fields;
	size_t npf_fields;
	/* the prefilter's databases of these rules' field literals and
	 * keyword literals (-1: none) */
	int32_t pf_db, pf_kwdb;
	/* its rules without a literal set (always evaluated), ascending,
	 * and a bitmap of all its rules: an event then visits its marked and
	 * always rules instead of every rule of its lists */
	uint32_t *pf_always;
	size_t npf_always;
	uint64_t *pf_bits;
};

struct sigma_eidlist {
	int32_t eid;
	struct sigma_rulelist list;
};

/*
 * A channel's rules, split by event ID, so an event is tried only against
 * the rules of its own (channel, event ID) plus the channel's rules that
 * take any event ID.
 */
struct sigma_bucket {
	char *channel;		/* lowercased */
	struct sigma_rulelist any_eid;
	struct sigma_eidlist *eids;	/* sorted by eid after compile */
	size_t neids;
};

struct sigma_ruleset {
	struct sigma_rule **rules;
	size_t nrules, caprules;
	struct sigma_filter **filters;
	size_t nfilters, capfilters;
	struct sigma_reject *rejects;
	size_t nrejects, caprejects;
	struct sigma_lsmap *lsmaps;
	size_t nlsmaps;
	struct sigma_alias *aliases;
	size_t naliases;
	struct sigma_fields fields;
	struct sigma_placeholder *placeholders;	/* for |expand */
	size_t nplaceholders;
	/* dispatch index, built by compile */
	struct sigma_bucket *buckets;	/* by channel */
	size_t nbuckets;
	struct sigma_rulelist any;	/* rules with a target of any channel */
	struct sigma_prefilter *prefilter;	/* NULL: off (sigma_prefilter.c) */
	int eid_field;		/* field id of "eventid"; -1: no gate (sigma_eid.c) */
	char *cache_dir;	/* where compiled prefilters are kept, or NULL */
	struct sigma_corr **corrs;
	size_t ncorrs, capcorrs;
	struct sigma_corr_ref **rule_corrs;	/* per rule, NULL-terminated by n */
	size_t *nrule_corrs;
	/* chained correlations: per correlation, those fed by its hits */
	struct sigma_corr_ref **corr_corrs;
	size_t *ncorr_corrs;
	bool compiled;
};



/* Room for a reject's reason (sigma_rule.c, sigma_load.c). */
#define WHY_LEN 200

/* sigma_rule.c, for sigma_load.c: adds one YAML document of a rule file
 * (a rule, a filter, a correlation; what cannot be used is rejected with
 * its reason), and records a reject. */
enum csirt_rc sigma_add_document(struct sigma_ruleset *rs,
    yaml_document_t *doc, const char *path);
enum csirt_rc sigma_reject(struct sigma_ruleset *rs, const char *path,
    const char *id, const char *title, const char *reason);

/* sigma_relit.c: the longest run of plain characters every match of the
 * regex [re, re+n) holds, as a new string (caller frees; *out_len its
 * length), or NULL when there is none it can be sure of. */
char *sigma_re_literal(const char *re, size_t n, bool caseless,
    size_t *out_len);

/* sigma_fields */
int sigma_fields_intern(struct sigma_fields *ft, const char *name, size_t len);
int sigma_fields_find(const struct sigma_fields *ft, const char *name,
    size_t len);
void sigma_fields_release(struct sigma_fields *ft);

/* sigma_value.c: turns one field key (with modifiers) and its values into
 * a field match. Returns false with a reason in 'why' (static or in buf). */
bool sigma_value_compile(struct sigma_ruleset *rs, const char *key,
    yaml_document_t *doc, yaml_node_t *val, struct sigma_fieldmatch *out,
    char *why, size_t whylen);
bool sigma_keywords_compile(yaml_document_t *doc, yaml_node_t *list,
    bool all, struct sigma_fieldmatch *out, char *why, size_t whylen);
void sigma_fieldmatch_release(struct sigma_fieldmatch *fm);

/* sigma_cond.c: parses a condition string over the given identifiers. */
struct sigma_node *sigma_cond_parse(const char *text, size_t len,
    const struct sigma_sel *sels, size_t nsels, char *why, size_t whylen);
void sigma_node_free(struct sigma_node *n);

/* sigma_match.c */
bool sigma_pat_match(const struct sigma_pat *p, const char *v, size_t len);

/* small helpers shared by the files */
char *sigma_strndup(const char *s, size_t n);
void sigma_detection_release(struct sigma_detection *d);

#endif
