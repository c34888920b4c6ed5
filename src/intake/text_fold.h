/* text_fold.h - internal to src/intake: Vietnamese text folded to ASCII. */
#ifndef CSIRT_INTAKE_TEXT_FOLD_H
#define CSIRT_INTAKE_TEXT_FOLD_H

#include <stddef.h>

/*
 * Folds UTF-8 (s, len) to lower-case ASCII for matching labels: Vietnamese
 * letters lose their marks ("Thời điểm" -> "thoi diem"), combining marks
 * (as windows-1258 text has after conversion) are dropped, every other
 * character that is not a letter or digit becomes one space, runs of spaces
 * collapse and the result is trimmed. Writes at most outsz-1 bytes and a
 * NUL; returns the length written. Invalid UTF-8 bytes become spaces.
 */
size_t text_fold_ascii(const char *s, size_t len, char *out, size_t outsz);

#endif
