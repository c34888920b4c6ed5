/*
 * err.h - the one result type of csirt.
 *
 * Every fallible function returns enum csirt_rc. Functions that can say
 * more than a code (which field was wrong, which rule failed to compile)
 * take an optional struct csirt_err * and write a short, user-safe message
 * into it. The message never contains secrets: it may be shown to a user.
 */
#ifndef CSIRT_ERR_H
#define CSIRT_ERR_H

#include <stddef.h>

enum csirt_rc {
	CSIRT_OK = 0,
	CSIRT_ENOMEM,		/* allocation failed */
	CSIRT_EINVAL,		/* bad input from the caller or the user */
	CSIRT_ENOTFOUND,	/* no such object, or not visible to this actor */
	CSIRT_ECONFLICT,	/* state does not allow it (illegal transition, duplicate) */
	CSIRT_EUNAUTH,		/* not authenticated */
	CSIRT_EFORBIDDEN,	/* authenticated but not allowed */
	CSIRT_ETOOBIG,		/* input over a cap */
	CSIRT_ELIMIT,		/* rate limit or throttling */
	CSIRT_EPARSE,		/* malformed data */
	CSIRT_EIO,		/* file or network I/O */
	CSIRT_EDB,		/* storage failure */
	CSIRT_EUNSUPPORTED,	/* not supported by this build or data */
	CSIRT_EINTERNAL,	/* a bug: an invariant did not hold */
	CSIRT_RC_COUNT
};

#define CSIRT_ERR_MSG_MAX 256

struct csirt_err {
	enum csirt_rc rc;
	char field[64];			/* offending field, if any ("" otherwise) */
	char msg[CSIRT_ERR_MSG_MAX];	/* user-safe explanation */
};

/* A short stable name for the code ("invalid", "not_found"...). */
const char *csirt_rc_name(enum csirt_rc rc);

/*
 * Record an error in 'err' (which may be NULL) and return 'rc', so that a
 * caller can write: return csirt_err_set(err, CSIRT_EINVAL, "title", "...");
 * 'field' may be NULL.
 */
enum csirt_rc csirt_err_set(struct csirt_err *err, enum csirt_rc rc,
    const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

void csirt_err_clear(struct csirt_err *err);

#endif
