/*
 * hunt_post.h - hunt hits as alerts to the platform (libcurl):
 * POST {URL}/api/alerts, "Authorization: Bearer T", JSON body
 *   {"source":"hunt","title","description","severity","rule_id",
 *    "dedup_key":"<rule_id>|<host>|<key fields>","observables":[{type,value}],
 *    "event_time","host","raw":{record},"system_id"?}
 * Identical dedup keys are sent once per run; the platform de-duplicates
 * across runs with the same key.
 */
#ifndef CSIRT_HUNT_POST_H
#define CSIRT_HUNT_POST_H

#include <stdint.h>

#include "csirt/err.h"
#include "csirt/hunt.h"
#include "csirt/hunt_output.h"

struct hunt_poster;

struct hunt_post_stats {
	uint64_t sent;		/* accepted (2xx) */
	uint64_t failed;	/* refused or unreachable */
	uint64_t deduplicated;	/* same dedup_key already sent this run */
	char first_error[200];
};

/* system_id < 0: none. Caller frees with hunt_poster_free. */
struct hunt_poster *hunt_poster_new(const char *base_url, const char *token,
    int64_t system_id, struct csirt_err *err);
void hunt_post_hit(struct hunt_poster *p, const struct hunt_event *ev,
    const struct hunt_hit *hit);
void hunt_poster_finish(struct hunt_poster *p, struct hunt_post_stats *out);

/*
 * Records the finished hunt as the system's threat-hunting activity
 * (Directive 18/CT-TTg: at least every 6 months) through POST
 * {URL}/api/systems/{id}/activities. 'result' (borrowed) holds the counts.
 * Does nothing without a system id.
 */
enum csirt_rc hunt_poster_record_activity(struct hunt_poster *p, const char *summary,
    void *result, struct csirt_err *err);
void hunt_poster_free(struct hunt_poster *p);

/* The alert body for a hit (a new jansson reference as void *). */
/* Longest dedup key the platform keeps (alerts.dedup_key); longer keys are
 * sent as "sha256:<hex of the key>". */
#define HUNT_DEDUP_KEY_MAX 500

void *hunt_alert_json(const struct hunt_event *ev, const struct hunt_hit *hit,
    int64_t system_id);

#endif
