/*
 * text_fold.c - Vietnamese text folded to plain lower-case ASCII, so that a
 * label typed with or without diacritics ("Tên miền", "Ten mien", "TÊN
 * MIỀN") matches one table entry.
 *
 * Vietnamese letters live in Latin-1 (à, é, ô...), Latin Extended-A/B (ă, đ,
 * ĩ, ũ, ơ, ư) and the Latin Extended Additional block U+1EA0-U+1EF9, which
 * Unicode orders by base letter: A (24 code points), E (16), I (4), O (24),
 * U (14), Y (8). Windows-1258 text carries tones as combining marks
 * (U+0300-U+036F), which are simply dropped.
 */
#include "csirt/common.h"

#include <glib.h>

#include "intake/text_fold.h"

/* Base letter of U+00C0-U+00FF; 0 where the character is not a letter we fold. */
/*
 * Letters are folded as search folds them (src/lib/fold.c); label matching
 * adds a few look-alikes that Vietnamese text typed on foreign keyboards
 * uses: Ð (Icelandic eth) for Đ, Æ and Ø.
 */
static char
fold_cp(unsigned cp)
{
	unsigned base;

	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			return (char)(cp - 'A' + 'a');
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			return (char)cp;
		return ' ';
	}
	if (cp >= 0x300 && cp <= 0x36F)
		return 0;	/* a combining mark: dropped */
	switch (cp) {
	case 0xD0: case 0xF0: return 'd';
	case 0xC6: case 0xE6: return 'a';
	case 0xD8: case 0xF8: return 'o';
	}
	base = text_fold_codepoint(cp);
	return base ? (char)base : ' ';
}

static unsigned
utf8_next(const char *s, size_t len, size_t *n)
{
	gunichar cp = g_utf8_get_char_validated(s, (gssize)len);

	if (cp == (gunichar)-1 || cp == (gunichar)-2) {
		*n = 1;
		return 0xFFFD;
	}
	*n = (size_t)(g_utf8_next_char(s) - s);
	return cp;
}

size_t
text_fold_ascii(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i = 0, o = 0;
	bool space = true;	/* drops leading spaces */

	if (outsz == 0)
		return 0;
	while (i < len && o + 1 < outsz) {
		size_t n;
		char c = fold_cp(utf8_next(s + i, len - i, &n));

		i += n;
		if (c == 0)
			continue;
		if (c == ' ') {
			if (!space)
				out[o++] = ' ';
			space = true;
			continue;
		}
		out[o++] = c;
		space = false;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}
