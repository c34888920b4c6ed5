/*
 * fold.c - search folding for Vietnamese. SQLite's unicode61 tokenizer
 * removes combining diacritics but keeps "đ" (a letter of its own, not a
 * d with a mark), so csirt folds text itself before indexing and querying.
 */
#include "csirt/common.h"

#include <ctype.h>

#include "lib/fold_table.h"

unsigned
text_fold_codepoint(unsigned cp)
{
	if (cp < 0x80)
		return (unsigned)tolower((int)cp);
	if (cp >= FOLD_LATIN_FIRST && cp <= FOLD_LATIN_LAST && fold_latin[cp - FOLD_LATIN_FIRST])
		return fold_latin[cp - FOLD_LATIN_FIRST];
	if (cp >= FOLD_LATIN_EXT_FIRST && cp <= FOLD_LATIN_EXT_LAST &&
	    fold_latin_ext[cp - FOLD_LATIN_EXT_FIRST])
		return fold_latin_ext[cp - FOLD_LATIN_EXT_FIRST];
	return 0;
}

enum csirt_rc
text_fold(const char *in, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)in, *end = s + len;
	enum csirt_rc rc = CSIRT_OK;

	while (s < end && rc == CSIRT_OK) {
		unsigned c = *s, cp, folded;
		size_t n;

		if (c < 0x80) {
			char ch = (char)tolower((int)c);
			rc = buf_append(out, &ch, 1);
			s++;
			continue;
		}
		n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (n == 1 || (size_t)(end - s) < n) {
			rc = buf_append(out, s, 1);
			s++;
			continue;
		}
		cp = c & (0xFF >> (n + 1));
		for (size_t i = 1; i < n; i++)
			cp = (cp << 6) | (s[i] & 0x3F);
		folded = text_fold_codepoint(cp);
		if (folded) {
			char ch = (char)folded;
			rc = buf_append(out, &ch, 1);
		} else {
			rc = buf_append(out, s, n);
		}
		s += n;
	}
	return rc;
}
