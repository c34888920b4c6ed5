#include "csirt/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum csirt_rc
parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return CSIRT_EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return CSIRT_EINVAL;
	*out = v;
	return CSIRT_OK;
}

int64_t
time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool
valid_date(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int max;

	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

enum csirt_rc
time_parse_iso(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 7 * 3600;
	size_t n = s ? strlen(s) : 0;
	const char *p;

	if (n < 10 || n > 40)
		return CSIRT_EINVAL;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 0 || mo < 0 || d < 0 || s[4] != '-' || s[7] != '-' || !valid_date(y, mo, d))
		return CSIRT_EINVAL;
	p = s + 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		h = digits(p + 1, 2);
		if (h < 0 || p[3] != ':')
			return CSIRT_EINVAL;
		mi = digits(p + 4, 2);
		if (mi < 0)
			return CSIRT_EINVAL;
		p += 6;
		if (*p == ':') {
			sec = digits(p + 1, 2);
			if (sec < 0)
				return CSIRT_EINVAL;
			p += 3;
			if (*p == '.') {	/* fractional seconds: accepted, dropped */
				p++;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return CSIRT_EINVAL;
		if (*p == 'Z' || *p == 'z') {
			off = 0;
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh = digits(p + 1, 2), om;

			if (oh < 0 || p[3] != ':')
				return CSIRT_EINVAL;
			om = digits(p + 4, 2);
			if (om < 0 || oh > 14 || om > 59)
				return CSIRT_EINVAL;
			off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
			p += 6;
		}
	}
	if (*p != '\0')
		return CSIRT_EINVAL;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return CSIRT_OK;
}

void
time_format_iso(int64_t t, char out[32])
{
	/* Days to civil date (H. Hinnant's algorithm): no gmtime_r(), whose
	 * time-zone lock and bookkeeping cost more than the arithmetic when a
	 * list page formats hundreds of times. */
	int64_t days = t / 86400, secs = t % 86400, era, doe, yoe, doy, mp, y, m, d;
	unsigned v[6];

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0 || y > 9999) {
		snprintf(out, 32, "0000-00-00T00:00:00Z");
		return;
	}
	v[0] = (unsigned)y;
	v[1] = (unsigned)m;
	v[2] = (unsigned)d;
	v[3] = (unsigned)(secs / 3600);
	v[4] = (unsigned)(secs / 60 % 60);
	v[5] = (unsigned)(secs % 60);
	out[0] = (char)('0' + v[0] / 1000);
	out[1] = (char)('0' + v[0] / 100 % 10);
	out[2] = (char)('0' + v[0] / 10 % 10);
	out[3] = (char)('0' + v[0] % 10);
	out[4] = '-';
	for (int i = 1; i < 6; i++) {
		char *p = out + 2 + 3 * i;

		p[0] = (char)('0' + v[i] / 10 % 10);
		p[1] = (char)('0' + v[i] % 10);
		p[2] = "--T::Z"[i];
	}
	out[20] = '\0';
}

bool
utf8_valid(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p, *end = s + len;

	while (s < end) {
		unsigned c = *s;
		size_t n;
		unsigned cp;

		if (c == 0)
			return false;
		if (c < 0x80) {
			s++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - s) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		/* overlong, surrogate or out of range */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		s += n + 1;
	}
	return true;
}

void
hex_encode(const unsigned char *in, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * len] = '\0';
}

void *
huge_alloc(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	(void)madvise(p, bytes, MADV_HUGEPAGE);
	return p;
}

void
huge_free(void *p, size_t bytes)
{
	if (p != NULL)
		(void)munmap(p, bytes);
}
