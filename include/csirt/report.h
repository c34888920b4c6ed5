/*
 * report.h - official forms and periodic reports (PDF, DOCX, HTML) and the
 * MISP export of an incident.
 *
 * The engine depends on src/lib only. Its input is JSON (jansson): an
 * incident as the API produces it for the incident forms (form03, form04,
 * report72h), or an aggregate object for the others; docs/report.md gives
 * every shape. Missing optional fields print empty (dotted lines on the
 * form); the engine never makes values up.
 *
 * Kinds: form01 form02 form03 form04 form05 mau08 report72h quarterly annual.
 */
#ifndef CSIRT_REPORT_H
#define CSIRT_REPORT_H

#include <stdbool.h>
#include <jansson.h>

#include "csirt/buf.h"
#include "csirt/err.h"

enum report_format {
	REPORT_PDF,
	REPORT_DOCX,
	REPORT_HTML,
};

/* Hard cap on one rendered document (PDF with charts included). */
#define REPORT_OUTPUT_MAX ((size_t)64 * 1024 * 1024)

/* True when 'kind' names a form or report this engine renders. */
bool report_kind_valid(const char *kind);

/* The kinds, NULL-terminated, in the order the CLI lists them. */
extern const char *const report_kinds[];

/* Picks the format from a file name's extension (.pdf .docx .html .htm). */
enum csirt_rc report_format_from_path(const char *path, enum report_format *out);

/* "application/pdf", ... for HTTP responses. */
const char *report_content_type(enum report_format fmt);

/*
 * Renders 'kind' from 'input' (borrowed) into 'out', which the caller has
 * initialised (buf_init) and releases; at most REPORT_OUTPUT_MAX bytes are
 * used whatever out->max says. On error 'out' is left empty and 'err' (may
 * be NULL) says why in user-safe words.
 */
enum csirt_rc report_render_buf(const char *kind, json_t *input,
    enum report_format fmt, struct buf *out, struct csirt_err *err);

/*
 * Renders to 'out_path'. The document is built in memory and written to a
 * temporary file in the same folder that is renamed over 'out_path' only
 * when complete: an error never leaves a partial file behind.
 */
enum csirt_rc report_render(const char *kind, json_t *input,
    enum report_format fmt, const char *out_path, struct csirt_err *err);

/*
 * Turns an incident (borrowed) into a MISP event in MISP's JSON format:
 * {"Event": {uuid, info, date, threat_level_id, analysis, distribution,
 * published, timestamp, Attribute: [...], Tag: [...]}}. Observables map to
 * ip-dst, domain, url, md5, sha1, sha256, email-src, filename (others to
 * "text", category "Other", not for IDS). The event uuid is the incident's
 * "uuid" field when it has one, otherwise a new random one.
 * Returns a new reference, or NULL when 'incident' is not an object or
 * memory runs out.
 */
json_t *report_misp_event(json_t *incident);

/*
 * Releases pango's font map, which otherwise lives for the whole process.
 * Call it once at exit (the CLI does), so that a leak checker sees only
 * real leaks; rendering after it is not allowed.
 */
void report_cleanup(void);

#endif
