/*
 * version.c - version ordering for dpkg, rpm, SemVer and plain upstream
 * strings. Written from the published rules (deb-version(7), the rpmvercmp
 * description on the Fedora wiki, semver.org 2.0) and checked against libdpkg
 * and librpm by a differential test over a million random pairs.
 *
 * Every comparison walks both strings with indices bounded by their lengths;
 * a NUL byte ends a string, as it does for dpkg and rpm.
 */
#include "csirt/common.h"

#include <string.h>

#include "csirt/scan_version.h"

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * The weight of a non-digit character in dpkg order: '~' before the end of
 * the string, the end before letters, letters before everything else.
 */
static int
dpkg_order(int c)
{
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

/* dpkg's comparison of one part (epoch, upstream or revision). */
static int
dpkg_part_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen || j < blen) {
		int first_diff = 0;

		/* Non-digit run: compare character weights one by one. */
		while ((i < alen && !is_digit(a[i])) || (j < blen && !is_digit(b[j]))) {
			int ac = dpkg_order(i < alen ? (unsigned char)a[i] : 0);
			int bc = dpkg_order(j < blen ? (unsigned char)b[j] : 0);

			if (ac != bc)
				return ac - bc;
			if (i < alen)
				i++;
			if (j < blen)
				j++;
		}
		/* Digit run: numeric value, leading zeros do not count. */
		while (i < alen && a[i] == '0')
			i++;
		while (j < blen && b[j] == '0')
			j++;
		while (i < alen && j < blen && is_digit(a[i]) && is_digit(b[j])) {
			if (!first_diff)
				first_diff = a[i] - b[j];
			i++;
			j++;
		}
		if (i < alen && is_digit(a[i]))
			return 1;
		if (j < blen && is_digit(b[j]))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

struct evr {
	const char *e, *v, *r;
	size_t elen, vlen, rlen;
	bool has_e, has_r;
};

/*
 * Splits [epoch:]version[-release]: the epoch ends at the first ':', the
 * release starts after the last '-' (dpkg and rpm agree on both).
 */
static void
evr_split(const char *s, size_t len, struct evr *out)
{
	const char *colon = memchr(s, ':', len);
	const char *p = s;
	size_t n = len;

	memset(out, 0, sizeof(*out));
	out->r = "";
	if (colon != NULL) {
		out->has_e = true;
		out->e = s;
		out->elen = (size_t)(colon - s);
		p = colon + 1;
		n = len - out->elen - 1;
	}
	out->v = p;
	out->vlen = n;
	for (size_t k = n; k > 0; k--) {
		if (p[k - 1] == '-') {
			out->has_r = true;
			out->vlen = k - 1;
			out->r = p + k;
			out->rlen = n - k;
			break;
		}
	}
}

/*
 * dpkg reads the epoch with strtol(): an optional sign, then digits, and
 * rejects anything else. A missing epoch is 0. The digits are compared by
 * value (for the malformed rest, dpkg's part order keeps it total).
 */
static void
dpkg_epoch_digits(const struct evr *x, const char **p, size_t *n)
{
	*p = x->has_e ? x->e : "0";
	*n = x->has_e ? x->elen : 1;
	while (*n > 0 && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*n)--;
	}
	if (*n > 0 && (**p == '+' || **p == '-')) {
		(*p)++;
		(*n)--;
	}
}

static int
dpkg_epoch_compare(const struct evr *x, const struct evr *y)
{
	const char *a, *b;
	size_t alen, blen;

	dpkg_epoch_digits(x, &a, &alen);
	dpkg_epoch_digits(y, &b, &blen);
	return dpkg_part_compare(a, alen, b, blen);
}

static int
dpkg_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	struct evr x, y;
	int rc;

	evr_split(a, alen, &x);
	evr_split(b, blen, &y);
	rc = dpkg_epoch_compare(&x, &y);
	if (rc)
		return rc;
	rc = dpkg_part_compare(x.v, x.vlen, y.v, y.vlen);
	if (rc)
		return rc;
	return dpkg_part_compare(x.r, x.rlen, y.r, y.rlen);
}

static bool
is_alnum(int c)
{
	return is_digit(c) || is_alpha(c);
}

/* Compares two digit strings by value, whatever their length. */
static int
digits_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen > 0 && *a == '0') {
		a++;
		alen--;
	}
	while (blen > 0 && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen > blen ? 1 : -1;
	for (size_t k = 0; k < alen; k++)
		if (a[k] != b[k])
			return a[k] > b[k] ? 1 : -1;
	return 0;
}

static int
bytes_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int rc = n ? memcmp(a, b, n) : 0;

	if (rc)
		return rc > 0 ? 1 : -1;
	if (alen != blen)
		return alen > blen ? 1 : -1;
	return 0;
}

/*
 * rpm's segment order: separators are skipped, '~' sorts before anything
 * (even the end), '^' after the end but before anything else, digit
 * segments beat letter segments and compare by value, letter segments
 * compare bytewise; whoever has segments left is newer.
 */
static int
rpm_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
		return 0;
	while (i < alen || j < blen) {
		size_t si, sj;
		bool numeric;
		int rc;

		while (i < alen && !is_alnum(a[i]) && a[i] != '~' && a[i] != '^')
			i++;
		while (j < blen && !is_alnum(b[j]) && b[j] != '~' && b[j] != '^')
			j++;
		if ((i < alen && a[i] == '~') || (j < blen && b[j] == '~')) {
			if (!(i < alen && a[i] == '~'))
				return 1;
			if (!(j < blen && b[j] == '~'))
				return -1;
			i++;
			j++;
			continue;
		}
		if ((i < alen && a[i] == '^') || (j < blen && b[j] == '^')) {
			if (i >= alen)
				return -1;
			if (j >= blen)
				return 1;
			if (a[i] != '^')
				return 1;
			if (b[j] != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (i >= alen || j >= blen)
			break;
		si = i;
		sj = j;
		numeric = is_digit(a[i]);
		if (numeric) {
			while (i < alen && is_digit(a[i]))
				i++;
			while (j < blen && is_digit(b[j]))
				j++;
		} else {
			while (i < alen && is_alpha(a[i]))
				i++;
			while (j < blen && is_alpha(b[j]))
				j++;
		}
		/* Different kinds: a number is newer than letters. */
		if (j == sj)
			return numeric ? 1 : -1;
		if (numeric)
			rc = digits_compare(a + si, i - si, b + sj, j - sj);
		else
			rc = bytes_compare(a + si, i - si, b + sj, j - sj);
		if (rc)
			return rc;
	}
	if (i >= alen && j >= blen)
		return 0;
	return i >= alen ? -1 : 1;
}

/*
 * rpm splits differently from dpkg: an epoch only when the string starts
 * with digits (possibly none) followed by ':', and the release after the
 * last '-' that follows those digits; any other ':' is a separator.
 */
static void
rpm_evr_split(const char *s, size_t len, struct evr *out)
{
	size_t d = 0, start;

	memset(out, 0, sizeof(*out));
	out->r = "";
	while (d < len && is_digit(s[d]))
		d++;
	start = 0;
	if (d < len && s[d] == ':') {
		out->has_e = true;
		out->e = s;
		out->elen = d;
		start = d + 1;
	}
	out->v = s + start;
	out->vlen = len - start;
	for (size_t k = len; k > d; k--) {
		if (s[k - 1] == '-') {
			out->has_r = true;
			out->vlen = k - 1 - start;
			out->r = s + k;
			out->rlen = len - k;
			break;
		}
	}
}

/*
 * rpm's EVR order (rpm.vercmp): epoch (missing or empty = 0), version, then
 * release; when only one side has a release (even an empty one), it is newer.
 */
static int
rpm_evr_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	struct evr x, y;
	int rc;

	rpm_evr_split(a, alen, &x);
	rpm_evr_split(b, blen, &y);
	if (x.has_e && x.elen == 0) {
		x.e = "0";
		x.elen = 1;
	}
	if (y.has_e && y.elen == 0) {
		y.e = "0";
		y.elen = 1;
	}
	rc = rpm_compare(x.has_e ? x.e : "0", x.has_e ? x.elen : 1,
	    y.has_e ? y.e : "0", y.has_e ? y.elen : 1);
	if (rc)
		return rc;
	rc = rpm_compare(x.v, x.vlen, y.v, y.vlen);
	if (rc)
		return rc;
	if (x.has_r != y.has_r)
		return x.has_r ? 1 : -1;
	return rpm_compare(x.r, x.rlen, y.r, y.rlen);
}

static bool
all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t k = 0; k < n; k++)
		if (!is_digit(s[k]))
			return false;
	return true;
}

/* One dot-separated identifier: numbers by value and before words. */
static int
semver_ident_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	bool an = all_digits(a, alen), bn = all_digits(b, blen);

	if (an && bn)
		return digits_compare(a, alen, b, blen);
	if (an != bn)
		return an ? -1 : 1;
	return bytes_compare(a, alen, b, blen);
}

/* Compares dot-separated identifier lists; 'pad' fills a missing one (core: "0"). */
static int
semver_list_compare(const char *a, size_t alen, const char *b, size_t blen, bool pad)
{
	size_t i = 0, j = 0;

	while (i < alen || j < blen) {
		const char *ea = i < alen ? memchr(a + i, '.', alen - i) : NULL;
		const char *eb = j < blen ? memchr(b + j, '.', blen - j) : NULL;
		size_t na = i < alen ? (ea ? (size_t)(ea - a) : alen) - i : 0;
		size_t nb = j < blen ? (eb ? (size_t)(eb - b) : blen) - j : 0;
		int rc;

		if (i >= alen && !pad)
			return -1;	/* fewer pre-release fields sort first */
		if (j >= blen && !pad)
			return 1;
		rc = semver_ident_compare(i < alen ? a + i : "0", i < alen ? na : 1,
		    j < blen ? b + j : "0", j < blen ? nb : 1);
		if (rc)
			return rc;
		i = i < alen ? i + na + 1 : i;
		j = j < blen ? j + nb + 1 : j;
	}
	return 0;
}

static void
semver_split(const char *s, size_t len, const char **core, size_t *clen,
    const char **pre, size_t *plen)
{
	const char *plus, *dash;

	if (len > 0 && (s[0] == 'v' || s[0] == 'V')) {
		s++;
		len--;
	}
	plus = memchr(s, '+', len);
	if (plus != NULL)
		len = (size_t)(plus - s);
	dash = memchr(s, '-', len);
	*core = s;
	*clen = dash ? (size_t)(dash - s) : len;
	*pre = dash ? dash + 1 : NULL;
	*plen = dash ? len - *clen - 1 : 0;
}

static int
semver_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *ca, *cb, *pa, *pb;
	size_t cal, cbl, pal, pbl;
	int rc;

	semver_split(a, alen, &ca, &cal, &pa, &pal);
	semver_split(b, blen, &cb, &cbl, &pb, &pbl);
	rc = semver_list_compare(ca, cal, cb, cbl, true);
	if (rc)
		return rc;
	/* A pre-release sorts before the release it leads to. */
	if (pa == NULL || pb == NULL)
		return pa == pb ? 0 : (pa == NULL ? 1 : -1);
	return semver_list_compare(pa, pal, pb, pbl, false);
}

int
version_compare(enum version_scheme scheme, const char *a, size_t alen,
    const char *b, size_t blen)
{
	alen = strnlen(a, alen);
	blen = strnlen(b, blen);
	switch (scheme) {
	case VERSION_DPKG:
		return dpkg_compare(a, alen, b, blen);
	case VERSION_RPM:
		return rpm_compare(a, alen, b, blen);
	case VERSION_RPM_EVR:
		return rpm_evr_compare(a, alen, b, blen);
	case VERSION_SEMVER:
		return semver_compare(a, alen, b, blen);
	case VERSION_UPSTREAM:
		return dpkg_part_compare(a, alen, b, blen);
	}
	return bytes_compare(a, alen, b, blen);
}

int
version_compare_str(enum version_scheme scheme, const char *a, const char *b)
{
	return version_compare(scheme, a, strlen(a), b, strlen(b));
}

int
version_scheme_parse(const char *name)
{
	static const struct {
		const char *name;
		enum version_scheme scheme;
	} names[] = {
		{ "dpkg", VERSION_DPKG }, { "deb", VERSION_DPKG },
		{ "rpm", VERSION_RPM }, { "rpm-evr", VERSION_RPM_EVR },
		{ "semver", VERSION_SEMVER }, { "upstream", VERSION_UPSTREAM },
	};

	for (size_t k = 0; k < ARRAY_SIZE(names); k++)
		if (strcmp(name, names[k].name) == 0)
			return (int)names[k].scheme;
	return -1;
}
