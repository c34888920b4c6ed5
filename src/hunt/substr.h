/*
 * substr.h - substring search over long values (substr.c). Internal to
 * src/hunt.
 */
#ifndef CSIRT_HUNT_SUBSTR_H
#define CSIRT_HUNT_SUBSTR_H

#include <stdbool.h>
#include <stddef.h>

/* Whether h[0, hn) holds n[0, nn) (an empty needle: always). Neither needs
 * a NUL; nothing outside the two ranges is read. */
bool hunt_contains_long(const char *h, size_t hn, const char *n, size_t nn);

/* Whether the SIMD path (AVX2) is the one taken on this machine. */
bool hunt_substr_simd(void);

#endif
