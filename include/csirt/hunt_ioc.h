/*
 * hunt_ioc.h - IOC sets: IPs and CIDR ranges, domains (a listed domain
 * matches its subdomains), URLs, MD5/SHA-1/SHA-256 hashes and file names,
 * loaded from plain lists and matched against every value of an event.
 *
 * List format: one indicator a line; '#' starts a comment; the indicator is
 * the first token before ';', ',', tab or space (so signature-base's
 * "value;comment", ipsum's "ip<TAB>score" and maltrail's lists load as
 * they are). The type is recognised from the value itself.
 */
#ifndef CSIRT_HUNT_IOC_H
#define CSIRT_HUNT_IOC_H

#include <stddef.h>

#include "csirt/err.h"
#include "csirt/hunt.h"
#include "csirt/hunt_output.h"

struct ioc_set;

/* Caller frees with ioc_set_free. NULL on out-of-memory. */
struct ioc_set *ioc_set_new(void);
void ioc_set_free(struct ioc_set *s);

/* 'name' labels hits from this list (copied). Lines that are not an
 * indicator (regexes, blanks) are counted in ioc_set_skipped. */
enum csirt_rc ioc_set_load_buffer(struct ioc_set *s, const char *data,
    size_t len, const char *name);
enum csirt_rc ioc_set_load_file(struct ioc_set *s, const char *path,
    struct csirt_err *err);

size_t ioc_set_count(const struct ioc_set *s);
size_t ioc_set_skipped(const struct ioc_set *s);

/*
 * Calls fn once per distinct indicator found in the event (field name and
 * the matching token are in hit->fields[0]). Returns the number of hits.
 * The set is read-only here: threads may share it.
 */
typedef void (*ioc_hit_fn)(const struct hunt_event *ev,
    const struct hunt_hit *hit, void *ctx);
size_t ioc_match(const struct ioc_set *s, const struct hunt_event *ev,
    ioc_hit_fn fn, void *ctx);

#endif
