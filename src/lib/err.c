#include "csirt/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const rc_names[CSIRT_RC_COUNT] = {
	[CSIRT_OK] = "ok",
	[CSIRT_ENOMEM] = "out_of_memory",
	[CSIRT_EINVAL] = "invalid",
	[CSIRT_ENOTFOUND] = "not_found",
	[CSIRT_ECONFLICT] = "conflict",
	[CSIRT_EUNAUTH] = "unauthenticated",
	[CSIRT_EFORBIDDEN] = "forbidden",
	[CSIRT_ETOOBIG] = "too_large",
	[CSIRT_ELIMIT] = "rate_limited",
	[CSIRT_EPARSE] = "malformed",
	[CSIRT_EIO] = "io_error",
	[CSIRT_EDB] = "storage_error",
	[CSIRT_EUNSUPPORTED] = "unsupported",
	[CSIRT_EINTERNAL] = "internal",
};

const char *
csirt_rc_name(enum csirt_rc rc)
{
	if ((unsigned)rc >= CSIRT_RC_COUNT)
		return "unknown";
	return rc_names[rc];
}

enum csirt_rc
csirt_err_set(struct csirt_err *err, enum csirt_rc rc, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return rc;
	err->rc = rc;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return rc;
}

void
csirt_err_clear(struct csirt_err *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
}
