/*
 * warning_match.c - a warning's affected products against a system's
 * components (see warning_match.h). Hand-written because the rules are
 * ours (a CPE prefix or a plain name, an inclusive range); a CPE library
 * would add a dependency for a string split. Versions are compared by the
 * scanner's comparator (scan_version.h).
 */
#include "csirt/common.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "csirt/scan_version.h"
#include "csirt/warning_match.h"
#include "domain/json_strict.h"

#define MATCH_MAX_ITEMS 1000
#define FIELD_MAX 256

/* Upstream order ("9.2p1", "1.22.1"), the scanner's comparator: one
 * notion of "version" in the whole program. */
static int
vcmp(const char *a, const char *b)
{
	return version_compare(VERSION_UPSTREAM, a, strnlen(a, FIELD_MAX), b, strnlen(b, FIELD_MAX));
}

/* Field k (0-based) of a colon-separated CPE 2.3 string, into out. */
static int
cpe_field(const char *cpe, int k, char *out, size_t size)
{
	const char *p = cpe, *end;
	size_t n;

	for (int i = 0; i < k; i++) {
		p = strchr(p, ':');
		if (p == NULL)
			return 0;
		p++;
	}
	end = strchr(p, ':');
	n = end ? (size_t)(end - p) : strlen(p);
	if (n == 0 || n >= size)
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	return strcmp(out, "*") != 0 && strcmp(out, "-") != 0;
}

static const char *
str_of(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s && strlen(s) < FIELD_MAX ? s : NULL;
}

static enum warning_match
match_one(json_t *prod, json_t *comp, char *why, size_t why_size)
{
	const char *pcpe = str_of(prod, "cpe"), *pname = str_of(prod, "name");
	const char *ccpe = str_of(comp, "cpe"), *cname = str_of(comp, "name");
	const char *cver = str_of(comp, "version");
	const char *vmin = str_of(prod, "version_min"), *vmax = str_of(prod, "version_max");
	char pv[FIELD_MAX], pp[FIELD_MAX], cv[FIELD_MAX], cp[FIELD_MAX], ver[FIELD_MAX] = "";
	int named = 0;

	if (ccpe && cpe_field(ccpe, 5, ver, sizeof(ver)) && (cver == NULL || *cver == '\0'))
		cver = ver;
	if (pcpe && strncmp(pcpe, "cpe:2.3:", 8) == 0 && cpe_field(pcpe, 3, pv, sizeof(pv)) &&
	    cpe_field(pcpe, 4, pp, sizeof(pp))) {
		char pver[FIELD_MAX];

		if (ccpe && cpe_field(ccpe, 3, cv, sizeof(cv)) && cpe_field(ccpe, 4, cp, sizeof(cp)))
			named = strcasecmp(pv, cv) == 0 && strcasecmp(pp, cp) == 0;
		else if (cname)
			named = strcasecmp(pp, cname) == 0;
		if (named && cpe_field(pcpe, 5, pver, sizeof(pver))) {
			if (cver == NULL || *cver == '\0')
				goto possibly;
			if (vcmp(pver, cver) != 0)
				return WM_NO;
		}
	} else if (pname) {
		named = (cname && strcasecmp(pname, cname) == 0) ||
		    (ccpe && cpe_field(ccpe, 4, cp, sizeof(cp)) && strcasecmp(pname, cp) == 0);
	}
	if (!named)
		return WM_NO;
	if (vmin || vmax) {
		if (cver == NULL || *cver == '\0')
			goto possibly;
		if ((vmin && vcmp(cver, vmin) < 0) ||
		    (vmax && vcmp(cver, vmax) > 0))
			return WM_NO;
	}
	snprintf(why, why_size, "%s %s matches %s", cname ? cname : ccpe ? ccpe : "component",
	    cver ? cver : "", pcpe ? pcpe : pname);
	return WM_YES;
possibly:
	snprintf(why, why_size, "%s has no recorded version; %s may be affected",
	    cname ? cname : ccpe ? ccpe : "component", pcpe ? pcpe : pname);
	return WM_POSSIBLY;
}

enum warning_match
warning_match_components(json_t *products, json_t *components, char *why, size_t why_size)
{
	enum warning_match best = WM_NO;
	char buf[256];
	size_t np = json_array_size(products), nc = json_array_size(components);

	why[0] = '\0';
	for (size_t i = 0; i < np && i < MATCH_MAX_ITEMS; i++) {
		for (size_t j = 0; j < nc && j < MATCH_MAX_ITEMS; j++) {
			json_t *p = json_array_get(products, i), *c = json_array_get(components, j);
			enum warning_match m;

			if (!json_is_object(p) || !json_is_object(c))
				continue;
			m = match_one(p, c, buf, sizeof(buf));
			/* Names may fill the text: never cut a character in two. */
			jstrict_trim(buf);
			if (m == WM_YES) {
				snprintf(why, why_size, "%s", buf);
				jstrict_trim(why);
				return WM_YES;
			}
			if (m == WM_POSSIBLY && best == WM_NO) {
				best = m;
				snprintf(why, why_size, "%s", buf);
				jstrict_trim(why);
			}
		}
	}
	return best;
}
