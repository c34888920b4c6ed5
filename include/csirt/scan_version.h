/*
 * scan_version.h - ordering of version strings the way each packaging world
 * orders them. A vulnerability range is only as right as the comparison it
 * is evaluated with: "1:9.2p1-2+deb12u3" must sort as dpkg sorts it, an RPM
 * "1.0~rc1" as rpm sorts it. Every scheme is proven against its reference
 * implementation (libdpkg, librpm) in tests/scan/test_version_diff.c.
 *
 * Inputs are (pointer, length) and need not be NUL-terminated; any byte
 * sequence is accepted and ordered (malformed strings get a total, stable
 * order instead of an error, so a hostile banner cannot stop a match run).
 */
#ifndef CSIRT_SCAN_VERSION_H
#define CSIRT_SCAN_VERSION_H

#include <stddef.h>

enum version_scheme {
	VERSION_DPKG,		/* [epoch:]upstream[-revision], deb-version(7) */
	VERSION_RPM,		/* rpmvercmp() on one string */
	VERSION_RPM_EVR,	/* [epoch:]version[-release], rpm's EVR order */
	VERSION_SEMVER,		/* SemVer 2.0 precedence; leading 'v' and +build ignored */
	VERSION_UPSTREAM,	/* plain upstream ("9.2p1", "1.22.1"): dpkg's upstream order */
};

/* Returns <0, 0 or >0 as a sorts before, equal to or after b. */
int version_compare(enum version_scheme scheme, const char *a, size_t alen,
    const char *b, size_t blen);

/* Same, for NUL-terminated strings (trusted, program-made). */
int version_compare_str(enum version_scheme scheme, const char *a, const char *b);

/* Parses "dpkg", "deb", "rpm", "rpm-evr", "semver", "upstream"; -1 if unknown. */
int version_scheme_parse(const char *name);

#endif
