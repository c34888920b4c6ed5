/*
 * form03_time.c - the detection time of Form 03 item 5 as people type it.
 *
 * The form asks for "ngày (dd/mm/yy)" and "giờ (giờ, phút)"; in e-mails
 * this comes as "20/11/2026 10:30", "10h30 ngày 20/11/2026", "20-11-26",
 * or ISO 8601 from tools. We look for one date and at most one time
 * anywhere in the value, build an ISO string and let time_parse_iso()
 * validate it; without an offset that means Vietnam time (UTC+7).
 */
#include "csirt/common.h"

#include <stdio.h>
#include <string.h>

#include "csirt/form03_text.h"

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads 1..max digits at s[*i]; returns -1 if none. */
static int
read_num(const char *s, size_t len, size_t *i, int max)
{
	int v = 0, k = 0;

	while (*i < len && k < max && is_digit(s[*i])) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	if (k == 0 || (*i < len && is_digit(s[*i])))
		return -1;
	return v;
}

/* A date d/m/y at s[start]: on success sets d, m, y and *end past it. */
static bool
find_date(const char *s, size_t len, size_t start, int *d, int *m, int *y, size_t *end)
{
	size_t i = start, ylen;
	int dd, mm, yy;
	char sep;

	dd = read_num(s, len, &i, 2);
	if (dd < 0 || i >= len || (s[i] != '/' && s[i] != '-' && s[i] != '.'))
		return false;
	sep = s[i++];
	mm = read_num(s, len, &i, 2);
	if (mm < 0 || i >= len || s[i] != sep)
		return false;
	i++;
	ylen = i;
	yy = read_num(s, len, &i, 4);
	ylen = i - ylen;
	if (yy < 0 || (ylen != 2 && ylen != 4))
		return false;
	*d = dd;
	*m = mm;
	*y = ylen == 2 ? yy + 2000 : yy;
	*end = i;
	return true;
}

/* A time h:mm or "10h30" or "10h" at s[start]; h, mi set only on success. */
static bool
find_time(const char *s, size_t len, size_t start, int *h_out, int *mi_out, size_t *end)
{
	size_t i = start;
	int hh, mm, *h = &hh, *mi = &mm;

	*h = read_num(s, len, &i, 2);
	if (*h < 0 || i >= len)
		return false;
	if (s[i] == ':' || s[i] == 'h' || s[i] == 'H' || s[i] == 'g') {
		char sep = s[i++];

		if (i < len && is_digit(s[i])) {
			*mi = read_num(s, len, &i, 2);
			if (*mi < 0)
				return false;
			if (sep == ':' && i < len && s[i] == ':') {	/* seconds: dropped */
				i++;
				if (read_num(s, len, &i, 2) < 0)
					return false;
			}
		} else if (sep == ':') {
			return false;
		} else {
			*mi = 0;
		}
		if (*h > 23 || *mi > 59)	/* "trong 24h" is a duration */
			return false;
		*h_out = hh;
		*mi_out = mm;
		*end = i;
		return true;
	}
	return false;
}

enum csirt_rc
form03_parse_time(const char *s, size_t len, int64_t *out)
{
	char iso[96];
	int d = -1, m = 0, y = 0, h = -1, mi = 0;
	size_t i = 0;

	/* Tools write ISO 8601: try it whole first. */
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len >= 10 && len < sizeof(iso)) {
		memcpy(iso, s, len);
		iso[len] = '\0';
		if (time_parse_iso(iso, out) == CSIRT_OK)
			return CSIRT_OK;
	}
	while (i < len) {
		size_t end;

		if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) {
			i++;
			continue;
		}
		if (d < 0 && find_date(s, len, i, &d, &m, &y, &end)) {
			i = end;
			continue;
		}
		if (h < 0 && find_time(s, len, i, &h, &mi, &end)) {
			i = end;
			continue;
		}
		while (i < len && is_digit(s[i]))
			i++;
	}
	if (d < 0)
		return CSIRT_EINVAL;
	if (h < 0) {
		h = 0;
		mi = 0;
	}
	if (m > 12 || d > 31)
		return CSIRT_EINVAL;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d", y, m, d, h, mi);
	return time_parse_iso(iso, out);
}
