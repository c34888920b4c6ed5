/* observable_tld.h - internal to src/intake: the TLD list of observable_tld.c. */
#ifndef CSIRT_INTAKE_OBSERVABLE_TLD_H
#define CSIRT_INTAKE_OBSERVABLE_TLD_H

#include <stddef.h>

enum tld_kind {
	TLD_UNKNOWN,
	TLD_KNOWN,
	TLD_FILE_EXT,	/* a real TLD that is also a common file extension */
};

/* Looks up (label, len), any case. */
enum tld_kind observable_tld_lookup(const char *label, size_t len);

#endif
