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
static const char latin1[64] =
    "aaaaaaaceeeeiiii"	/* C0-CF: À..Ï (Æ taken as a) */
    "dnooooo\0ouuuuy\0\0"	/* D0-DF: Ð (for Đ) Ñ Ò..Ö × Ø Ù..Ü Ý Þ ß */
    "aaaaaaaceeeeiiii"	/* E0-EF */
    "dnooooo\0ouuuuy\0y";	/* F0-FF */

/* Ranges of U+1EA0-U+1EF9 by base letter, in Unicode order. */
static const struct {
	unsigned first, last;
	char base;
} viet_ranges[] = {
	{ 0x1EA0, 0x1EB7, 'a' }, { 0x1EB8, 0x1EC7, 'e' }, { 0x1EC8, 0x1ECB, 'i' },
	{ 0x1ECC, 0x1EE3, 'o' }, { 0x1EE4, 0x1EF1, 'u' }, { 0x1EF2, 0x1EF9, 'y' },
};

/* The letters of Latin Extended-A/B that Vietnamese uses. */
static const struct {
	unsigned cp;
	char base;
} viet_extra[] = {
	{ 0x0102, 'a' }, { 0x0103, 'a' }, { 0x0110, 'd' }, { 0x0111, 'd' },
	{ 0x0128, 'i' }, { 0x0129, 'i' }, { 0x0168, 'u' }, { 0x0169, 'u' },
	{ 0x01A0, 'o' }, { 0x01A1, 'o' }, { 0x01AF, 'u' }, { 0x01B0, 'u' },
};

/* 0 drop (combining mark), ' ' separator, else the ASCII letter. */
static char
fold_cp(unsigned cp)
{
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			return (char)(cp - 'A' + 'a');
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			return (char)cp;
		return ' ';
	}
	if (cp >= 0x300 && cp <= 0x36F)
		return 0;
	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1[cp - 0xC0] ? latin1[cp - 0xC0] : ' ';
	for (size_t i = 0; i < ARRAY_SIZE(viet_extra); i++)
		if (viet_extra[i].cp == cp)
			return viet_extra[i].base;
	for (size_t i = 0; i < ARRAY_SIZE(viet_ranges); i++)
		if (cp >= viet_ranges[i].first && cp <= viet_ranges[i].last)
			return viet_ranges[i].base;
	return ' ';
}

/* Decodes one UTF-8 character (GLib); *n gets its length, 1 for a bad byte. */
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
