/*
 * observable.h - indicators found in free text (an e-mail, a report, a
 * comment): IP addresses, domains, URLs, e-mail addresses and file hashes.
 *
 * Used by e-mail intake and by the API (observables on incidents), so it
 * knows nothing of either. Values are normalised so that the same indicator
 * written two ways ("EXAMPLE.vn." and "example[.]vn") is one observable and
 * can be matched across incidents ("seen before").
 */
#ifndef CSIRT_OBSERVABLE_H
#define CSIRT_OBSERVABLE_H

#include <stddef.h>

#include "csirt/err.h"

enum observable_type {
	OBS_IP,
	OBS_DOMAIN,
	OBS_URL,
	OBS_HASH_MD5,
	OBS_HASH_SHA1,
	OBS_HASH_SHA256,
	OBS_EMAIL,
	OBS_FILE,
	OBS_TYPE_COUNT
};

/* Longest normalised value kept, with its NUL; longer indicators are skipped. */
#define OBSERVABLE_VALUE_MAX 1024

struct observable {
	enum observable_type type;
	char value[OBSERVABLE_VALUE_MAX];	/* normalised, NUL-terminated */
};

/* "ip", "domain", "url", "md5", "sha1", "sha256", "email", "file"; "" if out of range. */
const char *observable_type_code(enum observable_type type);

/* The type for a code from observable_type_code(); CSIRT_EINVAL if unknown. */
enum csirt_rc observable_type_parse(const char *code, enum observable_type *out);

/*
 * Validates and normalises one indicator given as (in, len), not
 * NUL-terminated. "Defanged" forms are re-fanged first (hxxp://, [.], [dot],
 * [:], [@], [at]). Then, by type:
 *   ip      canonical text of inet_ntop (IPv6 compressed, lower case);
 *           surrounding [] are dropped
 *   domain  lower case, trailing dots removed, every label checked
 *           (letters, digits, '-'), at least two labels, TLD not numeric
 *   url     scheme http/https/ftp/ftps, scheme and host lower-cased
 *   md5/sha1/sha256   hex of the right length, lower-cased
 *   email   local@domain, the domain normalised as above
 *   file    a file name: no control characters, not empty
 * Writes a NUL-terminated value into out. Returns CSIRT_EINVAL when the
 * input is not a valid indicator of that type, CSIRT_ETOOBIG when it does
 * not fit in outsz.
 */
enum csirt_rc observable_normalise(enum observable_type type, const char *in,
    size_t len, char *out, size_t outsz);

/*
 * Finds indicators in (text, len), which need not be NUL-terminated nor
 * valid UTF-8 (indicators are ASCII; other bytes separate them, so an IP
 * right after Vietnamese text is found). Fills at most 'max' entries of
 * 'out', de-duplicated by (type, value), in order of first appearance, and
 * returns how many. Not taken: version numbers ("1.2.3.4.5"), file names
 * whose extension is not a known top-level domain ("report.docx"). A URL
 * also yields its host as a domain or IP.
 */
size_t observable_extract(const char *text, size_t len, struct observable *out,
    size_t max);

#endif
