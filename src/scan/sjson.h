/*
 * sjson.h - a small C view of simdjson's DOM, for the vulnerability
 * importers. simdjson parses the CVE corpus about 30 times faster than
 * jansson (docs/BENCHMARKS-scan.md), and parsing is nearly all of an
 * import's time. Values are small handles into the parsed document and
 * live as long as it does. Internal to src/scan.
 */
#ifndef CSIRT_SCAN_SJSON_H
#define CSIRT_SCAN_SJSON_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sjdoc;

#ifdef __cplusplus
#define SJ_ALIGN alignas(8)
#else
#define SJ_ALIGN _Alignas(8)
#endif

struct sjval {
	SJ_ALIGN unsigned char raw[16];
	bool ok;		/* false: missing, or the wrong type for the call that made it */
};

struct sjiter {
	SJ_ALIGN unsigned char cur[16];
	SJ_ALIGN unsigned char end[16];
};

/* Parses (pointer, length). NULL on malformed input, with a message in msg. */
struct sjdoc *sj_parse(const char *data, size_t len, char *msg, size_t msgcap);
void sj_free(struct sjdoc *d);
struct sjval sj_root(const struct sjdoc *d);

struct sjval sj_get(struct sjval obj, const char *key);	/* object member */
const char *sj_str(struct sjval v);	/* "" unless a string */
bool sj_is_string(struct sjval v);
bool sj_is_object(struct sjval v);
bool sj_is_array(struct sjval v);
bool sj_is_number(struct sjval v);
bool sj_is_true(struct sjval v);
double sj_num(struct sjval v);		/* 0 unless a number */

/* Array iteration: for (ok = sj_array_first(a, &it, &v); ok; ok = sj_array_next(&it, &v)) */
bool sj_array_first(struct sjval arr, struct sjiter *it, struct sjval *out);
bool sj_array_next(struct sjiter *it, struct sjval *out);
/* Object iteration, with the member's key. */
bool sj_object_first(struct sjval obj, struct sjiter *it, const char **key, struct sjval *out);
bool sj_object_next(struct sjiter *it, const char **key, struct sjval *out);

#ifdef __cplusplus
}
#endif

#endif
