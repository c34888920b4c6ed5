/*
 * parse_jansson.c - how fast jansson parses the generated CVE corpus (the
 * measurement behind choosing simdjson for the importers).
 * usage: parse_jansson FILE...
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char **argv)
{
	double total = 0;
	size_t bytes = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		struct timespec a, z;
		long n;
		char *b;
		json_t *j;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
			return 1;
		rewind(f);
		b = malloc((size_t)n);
		if (b == NULL || fread(b, 1, (size_t)n, f) != (size_t)n)
			return 1;
		fclose(f);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
		j = json_loadb(b, (size_t)n, 0, NULL);
		json_decref(j);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &z);
		total += (double)(z.tv_sec - a.tv_sec) + (double)(z.tv_nsec - a.tv_nsec) / 1e9;
		bytes += (size_t)n;
		free(b);
	}
	printf("jansson:  %.1f MB in %.2f s cpu = %.0f MB/s\n", (double)bytes / 1e6, total,
	    (double)bytes / 1e6 / total);
	return 0;
}
