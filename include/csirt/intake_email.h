/*
 * intake_email.h - an incident report received by e-mail (RFC 5322/MIME),
 * parsed into a structured report: sender, subject, date, the text body,
 * the attachments (kept as evidence), the Form 03 fields written in the
 * body and the indicators (IP, domain, URL, hash...) mentioned in it.
 *
 * MIME is parsed by GMime 3 (Debian libgmime-3.0), never by hand. This is
 * a pure parsing library: storing the result is the caller's business.
 */
#ifndef CSIRT_INTAKE_EMAIL_H
#define CSIRT_INTAKE_EMAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "csirt/err.h"
#include "csirt/form03_text.h"
#include "csirt/observable.h"

struct email_limits {
	size_t max_message;		/* whole message, bytes; default 25 MiB */
	size_t max_attachments;		/* default 50 */
	size_t max_attachment_size;	/* decoded bytes of one; default 25 MiB */
	size_t max_attachments_total;	/* decoded bytes of all; default 50 MiB */
	size_t max_parts;		/* MIME parts in all, nested included; default 500 */
	int max_depth;			/* nesting of multiparts and messages; default 20 */
	size_t max_observables;		/* indicators kept; default 500 */
	size_t max_headers;		/* header fields, all parts together; default 10,000 */
};

struct email_attachment {
	char *filename;		/* sanitised: no path separators, no control
				   characters, at most 200 bytes of UTF-8; never NULL */
	char *content_type;	/* "type/subtype", lower case; never NULL */
	unsigned char *data;	/* decoded content (base64/QP undone) */
	size_t size;
};

struct email_report {
	char *message_id;	/* without <>; "" if absent */
	char *from_name;	/* display name, decoded; "" if absent */
	char *from_addr;	/* "" if absent */
	char *subject;		/* decoded (RFC 2047), UTF-8; "" if absent */
	bool tbsc;		/* subject starts with "[TBSC]" after white space, any case */
	int64_t date;		/* seconds UTC from the Date header, 0 if absent or bad */
	char *body_text;	/* UTF-8 text: see email_parse(); "" if none */
	struct email_attachment *attachments;
	size_t n_attachments;
	struct form03_fields fields;	/* from body_text */
	struct observable *observables;	/* from subject and body_text */
	size_t n_observables;
};

/* The defaults above. */
void email_limits_default(struct email_limits *limits);

/* Initialises GMime and libsodium once; idempotent and thread-safe. */
void email_global_init(void);

/*
 * Parses the message (data, len), which need not be NUL-terminated.
 * 'limits' may be NULL for the defaults. On CSIRT_OK, 'out' holds a report
 * that the caller frees with email_report_free(). On error 'out' is left
 * empty (zeroed), 'err' (may be NULL) says why, and the code is:
 *   CSIRT_ETOOBIG  the message, an attachment, the number of attachments,
 *                  parts or header fields, or the nesting depth is over its
 *                  limit
 *   CSIRT_EPARSE   not an e-mail, truncated, or malformed beyond repair
 *   CSIRT_ENOMEM
 *
 * The body is the first text/plain part of the message that is not an
 * attachment (or, if it has none, its first text/html part turned into
 * text), converted to UTF-8 from its declared charset. Messages forwarded
 * as attachments (message/rfc822) add their own body after a blank line,
 * and are themselves kept as an attachment (.eml) as well as their parts;
 * messages forwarded inside those are not saved again (they are in the
 * outer .eml), but their parts are attachments too.
 * Every other part, inline images included, is an attachment.
 */
enum csirt_rc email_parse(const char *data, size_t len, const struct email_limits *limits,
    struct email_report *out, struct csirt_err *err);

/* Frees everything the report owns and zeroes it; r may be NULL. */
void email_report_free(struct email_report *r);

/*
 * The report as JSON: headers, tbsc, date (ISO 8601 UTC, or null), body,
 * attachments as {filename, content_type, size, sha256} (not their bytes),
 * the Form 03 fields found ("form03", absent fields left out), and the
 * observables as {type, value}. Returns a new reference, NULL on ENOMEM.
 */
json_t *email_report_to_json(const struct email_report *r);

#endif
