/*
 * sigma_relit.c - a literal that every match of a regex holds, for the
 * prefilter (sigma_prefilter.c).
 *
 * Without one, a rule made only of regexes was evaluated on every event
 * of its lists: over OTRF JSON, the eight Invoke-Obfuscation rules of
 * PowerShell module logging ran PCRE over each of 25,480 payloads of
 * several kilobytes (Payload|re: 'cmd.{0,5}(?:/c|/r).+clip...').
 *
 * The reader is deliberately small and conservative: it follows a
 * top-level sequence of atoms and keeps the longest run of plain
 * characters that each occur exactly once in a row; anything else ends a
 * run (a class, a group, '.', an anchor, an escape that is not a plain
 * punctuation character, a byte of a multibyte character). A quantifier
 * that allows zero takes its atom out of the run. A top-level '|', an
 * unbalanced ')', or a construct it does not follow (\Q..\E, extended
 * mode) gives no literal at all. In caseless mode 'k' and 's' end a run
 * too: Unicode case folding matches them with U+212A (Kelvin) and U+017F
 * (long s), which an ASCII-caseless literal would miss.
 */
#include "sigma_int.h"

#include <stdlib.h>
#include <string.h>

#define RUN_MAX 256

struct relit {
	char run[RUN_MAX], best[RUN_MAX];
	size_t rl, bl;
	bool last_lit;		/* the last atom is the run's last byte */
	bool caseless;
};

static void
run_end(struct relit *r)
{
	if (r->rl > r->bl) {
		memcpy(r->best, r->run, r->rl);
		r->bl = r->rl;
	}
	r->rl = 0;
	r->last_lit = false;
}

static void
run_add(struct relit *r, char c)
{
	if (r->caseless && (c == 'k' || c == 'K' || c == 's' || c == 'S')) {
		run_end(r);
		return;
	}
	if (r->rl == RUN_MAX)
		run_end(r);
	r->run[r->rl++] = c;
	r->last_lit = true;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Past the class that starts at re[i] == '['; n when unterminated. */
static size_t
skip_class(const char *re, size_t n, size_t i)
{
	size_t j = i + 1;

	if (j < n && re[j] == '^')
		j++;
	if (j < n && re[j] == ']')
		j++;
	while (j < n && re[j] != ']') {
		if (re[j] == '\\')
			j += 2;
		else if (re[j] == '[' && j + 1 < n && re[j + 1] == ':') {
			const char *e = memchr(re + j + 2, ']', n - j - 2);

			j = e != NULL ? (size_t)(e - re) + 1 : n;
		} else
			j++;
	}
	return j < n ? j + 1 : n;
}

/* Past the group that starts at re[i] == '('; n when unterminated. */
static size_t
skip_group(const char *re, size_t n, size_t i)
{
	int depth = 0;

	while (i < n) {
		char c = re[i];

		if (c == '\\') {
			i += 2;
			continue;
		}
		if (c == '[') {
			i = skip_class(re, n, i);
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			return i + 1;
		i++;
	}
	return n;
}

/* A quantifier "{m}", "{m,}", "{m,n}" or "{,n}" at re[i] == '{': its
 * length, with *min its minimum; 0 when '{' is a plain character. */
static size_t
brace_quantifier(const char *re, size_t n, size_t i, unsigned long *min)
{
	size_t j = i + 1;
	bool digits = false, comma = false;

	*min = 0;
	while (j < n && (is_digit(re[j]) || (re[j] == ',' && !comma))) {
		if (re[j] == ',')
			comma = true;
		else if (!comma) {
			digits = true;
			if (*min < 100000)
				*min = *min * 10 + (unsigned long)(re[j] - '0');
		}
		j++;
	}
	if (j >= n || re[j] != '}' || j == i + 1 || (!digits && !comma))
		return 0;
	return j - i + 1;
}

/* Length of the escape at re[i] == '\\' (escapes with a braced, angled or
 * quoted argument, digits of octal and back references included). */
static size_t
escape_len(const char *re, size_t n, size_t i)
{
	size_t j = i + 2;
	char e;

	if (i + 1 >= n)
		return n - i;
	e = re[i + 1];
	if (strchr("pPxgkNou", e) != NULL && j < n &&
	    (re[j] == '{' || re[j] == '<' || re[j] == '\'')) {
		char close = re[j] == '{' ? '}' : re[j] == '<' ? '>' : '\'';
		const char *c = memchr(re + j + 1, close, n - j - 1);

		return c != NULL ? (size_t)(c - re) + 1 - i : n - i;
	}
	if (e == 'x')
		while (j < n && j < i + 4 && (is_digit(re[j]) ||
		    (re[j] >= 'a' && re[j] <= 'f') || (re[j] >= 'A' && re[j] <= 'F')))
			j++;
	else if (e == 'c' || e == 'p' || e == 'P')
		j++;	/* \cX, and a one-letter property: \pL */
	else if (e == 'g') {	/* \g1, \g-1, \g+1: a group by number */
		if (j < n && (re[j] == '-' || re[j] == '+'))
			j++;
		while (j < n && is_digit(re[j]))
			j++;
	} else if (is_digit(e))
		while (j < n && is_digit(re[j]))
			j++;
	return j <= n ? j - i : n - i;
}

char *
sigma_re_literal(const char *re, size_t n, bool caseless, size_t *out_len)
{
	struct relit r = { .caseless = caseless };
	size_t i = 0;
	char *out;

	*out_len = 0;
	/* inline flags that change how the pattern reads, or quoting */
	for (size_t k = 0; k + 1 < n; k++) {
		if (re[k] == '\\' && (re[k + 1] == 'Q' || re[k + 1] == 'E'))
			return NULL;
		if (re[k] == '(' && re[k + 1] == '?') {
			for (size_t f = k + 2; f < n && (is_alnum(re[f]) ||
			    re[f] == '-' || re[f] == '^'); f++) {
				if (re[f] == 'x')
					return NULL;
				if (re[f] == 'i')
					r.caseless = true;
			}
		}
	}
	/* Bounded: every turn moves i forward. */
	while (i < n) {
		char c = re[i];
		unsigned long min;
		size_t q;

		switch (c) {
		case '\\': {
			size_t l = escape_len(re, n, i);

			if (l == 2 && !is_alnum(re[i + 1]) &&
			    (unsigned char)re[i + 1] < 0x80)
				run_add(&r, re[i + 1]);
			else
				run_end(&r);
			i += l;
			continue;
		}
		case '[':
			run_end(&r);
			i = skip_class(re, n, i);
			continue;
		case '(':
			run_end(&r);
			i = skip_group(re, n, i);
			continue;
		case ')':
		case '|':
			return NULL;	/* alternation (or unbalanced) at the top */
		case '*':
		case '?':
			if (r.last_lit && r.rl > 0)
				r.rl--;	/* zero times: not in every match */
			run_end(&r);
			i++;
			break;
		case '+':
			run_end(&r);	/* once at least, maybe more: run cut */
			i++;
			break;
		case '{':
			if ((q = brace_quantifier(re, n, i, &min)) == 0) {
				run_add(&r, c);
				i++;
				continue;
			}
			if (min == 0 && r.last_lit && r.rl > 0)
				r.rl--;
			run_end(&r);
			i += q;
			break;
		case '.':
		case '^':
		case '$':
			run_end(&r);
			i++;
			continue;
		default:
			if ((unsigned char)c >= 0x80 || c == '\0')
				run_end(&r);	/* part of a multibyte character */
			else
				run_add(&r, c);
			i++;
			continue;
		}
		/* after a quantifier: its lazy or possessive mark */
		if (i < n && (re[i] == '?' || re[i] == '+'))
			i++;
	}
	run_end(&r);
	if (r.bl == 0 || (out = malloc(r.bl + 1)) == NULL)
		return NULL;
	memcpy(out, r.best, r.bl);
	out[r.bl] = '\0';
	*out_len = r.bl;
	return out;
}
