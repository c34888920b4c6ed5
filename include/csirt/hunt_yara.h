/*
 * hunt_yara.h - YARA over files and folders (libyara), on several threads,
 * skipping files unchanged since the last run.
 *
 * Rule files that do not compile are reported with libyara's message and
 * left out; the others still run. The externals signature-base's rules
 * use (filename, filepath, extension, filetype, owner) are defined for
 * every scanned file.
 */
#ifndef CSIRT_HUNT_YARA_H
#define CSIRT_HUNT_YARA_H

#include <stddef.h>
#include <stdint.h>

#include "csirt/err.h"
#include "csirt/hunt.h"
#include "csirt/hunt_output.h"

struct hunt_yara;

/* Compiles the rule files (.yar/.yara) under each path. Returns NULL with
 * err set when nothing usable is left. Caller frees with hunt_yara_free. */
struct hunt_yara *hunt_yara_new(const char *const *paths, size_t n,
    struct csirt_err *err);
void hunt_yara_free(struct hunt_yara *y);

size_t hunt_yara_rule_count(const struct hunt_yara *y);
size_t hunt_yara_reject_count(const struct hunt_yara *y);
/* "file: message" of the i-th rule file left out */
const char *hunt_yara_reject(const struct hunt_yara *y, size_t i);

struct hunt_yara_stats {
	uint64_t files;		/* files considered */
	uint64_t scanned;	/* actually scanned */
	uint64_t skipped;	/* unchanged since the cached run */
	uint64_t errors;	/* could not be scanned (reported) */
	uint64_t bytes;		/* bytes scanned */
};

/*
 * Scans the files under 'paths' with 'threads' threads (0: one per core).
 * 'cache' is a file remembering (path, size, mtime, rules, matches); NULL
 * disables skipping. Hits go to fn in file order (deterministic), each as a
 * hunt_event with the fields path/size/rule/namespace and a hunt_hit.
 */
typedef void (*hunt_yara_hit_fn)(const struct hunt_event *ev,
    const struct hunt_hit *hit, void *ctx);
typedef void (*hunt_yara_error_fn)(const char *path, const char *msg,
    void *ctx);
enum csirt_rc hunt_yara_scan(struct hunt_yara *y, const char *const *paths,
    size_t n, unsigned threads, const char *cache, hunt_yara_hit_fn fn,
    hunt_yara_error_fn on_error, void *ctx, struct hunt_yara_stats *st);

#endif
