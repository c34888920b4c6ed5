/*
 * test_substr.c - hunt_contains_long (src/hunt/substr.c) answers as
 * memmem does: random haystacks over a small alphabet (so needles occur,
 * partly occur, and occur at the very end), needles of 0 to 70 bytes,
 * haystacks across the 32-byte blocks, each haystack in a buffer of its
 * own exact size (ASan sees a read past its end).
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hunt/substr.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned
next(unsigned mod)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % mod);
}

int
main(void)
{
	static const char alphabet[] = "ab\\:.A";
	unsigned long checks = 0, found = 0, failures = 0;

	printf("substr: SIMD path %s\n", hunt_substr_simd() ? "on" : "off");
	for (int round = 0; round < 200000; round++) {
		size_t hn = next(8) == 0 ? next(700) : next(100);
		size_t nn = next(4) == 0 ? next(71) : next(6);
		char *h = malloc(hn ? hn : 1), *n = malloc(nn ? nn : 1);
		bool want, got;

		if (h == NULL || n == NULL)
			return 1;
		for (size_t i = 0; i < hn; i++)
			h[i] = alphabet[next(sizeof(alphabet) - 1)];
		for (size_t i = 0; i < nn; i++)
			n[i] = alphabet[next(sizeof(alphabet) - 1)];
		/* often a real occurrence, at the end or anywhere */
		if (nn > 0 && nn <= hn && next(3) == 0) {
			size_t at = next(2) ? hn - nn : next((unsigned)(hn - nn + 1));

			memcpy(h + at, n, nn);
		}
		want = nn == 0 || (nn <= hn && memmem(h, hn, n, nn) != NULL);
		got = hunt_contains_long(h, hn, n, nn);
		checks++;
		found += want;
		if (got != want && failures++ < 5)
			printf("FAIL: haystack %zu, needle %zu: got %d, want %d\n",
			    hn, nn, got, want);
		free(h);
		free(n);
	}
	printf("substr: %lu checks (%lu found), %lu wrong\n", checks, found,
	    failures);
	return failures > 0;
}
