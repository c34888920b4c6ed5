/*
 * libevtx_parse.c - what using Debian's libevtx would cost: open each file,
 * walk every record and get it as XML (the library's way to reach the
 * EventData names), in one process. Compared with our reader in run.sh.
 * usage: libevtx_parse FILE...
 */
#include <libevtx.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char **argv)
{
	struct timespec a, b;
	uint64_t records = 0, bytes_xml = 0, failed_files = 0, failed_records = 0;
	uint8_t *xml = malloc(1 << 20);

	clock_t c0 = clock();

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 1; i < argc; i++) {
		libevtx_file_t *f = NULL;
		int n = 0;

		if (libevtx_file_initialize(&f, NULL) != 1 ||
		    libevtx_file_open(f, argv[i], LIBEVTX_OPEN_READ, NULL) != 1 ||
		    libevtx_file_get_number_of_records(f, &n, NULL) != 1) {
			failed_files++;
			libevtx_file_free(&f, NULL);
			continue;
		}
		for (int r = 0; r < n; r++) {
			libevtx_record_t *rec = NULL;
			size_t sz = 0;

			if (libevtx_file_get_record_by_index(f, r, &rec, NULL) != 1 ||
			    libevtx_record_get_utf8_xml_string_size(rec, &sz, NULL) != 1 ||
			    sz > (1 << 20) ||
			    libevtx_record_get_utf8_xml_string(rec, xml, sz, NULL) != 1) {
				failed_records++;
			} else {
				records++;
				bytes_xml += sz;
			}
			libevtx_record_free(&rec, NULL);
		}
		libevtx_file_close(f, NULL);
		libevtx_file_free(&f, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("libevtx_wall_s=%.3f libevtx_cpu_s=%.3f records=%llu "
	    "failed_records=%llu failed_files=%llu xml_MB=%.1f\n",
	    (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
	    (double)(clock() - c0) / CLOCKS_PER_SEC, (unsigned long long)records,
	    (unsigned long long)failed_records, (unsigned long long)failed_files,
	    (double)bytes_xml / 1e6);
	free(xml);
	return 0;
}
