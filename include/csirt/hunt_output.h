/*
 * hunt_output.h - what a hunt reports: hits as a table, JSON lines or CSV,
 * a summary by level and rule, and the JSON of one hit (shared with the
 * alert client, hunt_post.h).
 */
#ifndef CSIRT_HUNT_OUTPUT_H
#define CSIRT_HUNT_OUTPUT_H

#include <stdio.h>

#include "csirt/hunt.h"
#include "csirt/sigma.h"

/* One hit of any engine (Sigma rule, IOC list, YARA rule). */
struct hunt_hit {
	const char *engine;	/* "sigma", "ioc", "yara" */
	const char *rule_id;
	const char *title;
	enum sigma_level level;
	const char *const *tags;
	size_t ntags;
	const struct sigma_matched_field *fields;
	size_t nfields;
};

/* The hit of a Sigma rule (the rule's id, or its path when it has none);
 * points into 'sh', which must outlive it. */
struct hunt_hit hunt_hit_of_sigma(const struct sigma_hit *sh);

enum hunt_out_format { HUNT_OUT_TABLE, HUNT_OUT_JSONL, HUNT_OUT_CSV };

struct hunt_output;

/* Writes hits to 'out' (not closed); returns NULL on out-of-memory. */
struct hunt_output *hunt_output_new(FILE *out, enum hunt_out_format fmt);
void hunt_output_free(struct hunt_output *o);

/*
 * Hunting on several threads: each thread writes its hits to a part (no
 * header, its own stream, e.g. open_memstream); hunt_output_take() then
 * writes the part's bytes to o's stream (o's header first if needed) and
 * moves the part's counts into o, leaving the part empty for more.
 */
struct hunt_output *hunt_output_new_part(FILE *out, enum hunt_out_format fmt);
void hunt_output_take(struct hunt_output *o, struct hunt_output *part,
    const char *bytes, size_t n);

/* Writes one hit of event 'ev'. */
void hunt_output_hit(struct hunt_output *o, const struct hunt_event *ev,
    const struct hunt_hit *hit);

/* The summary (hits by level, by rule) to 'to'; ends a table. */
void hunt_output_summary(struct hunt_output *o, FILE *to,
    const struct hunt_read_stats *st, uint64_t files);

uint64_t hunt_output_hits(const struct hunt_output *o);

/*
 * The JSON object of a hit: rule_id, title, level, tags, time, host,
 * source, record, channel, event_id, matched {field: value}, event {all
 * fields}, plus Timesketch's datetime/message/timestamp_desc.
 * Returns a new jansson reference (json_t *) as void * to keep jansson out
 * of this header; caller json_decref()s it.
 */
void *hunt_hit_json(const struct hunt_event *ev, const struct hunt_hit *hit);

/* Severity of a level in the platform's terms: low|medium|high|critical. */
const char *hunt_level_severity(enum sigma_level level);

#endif
