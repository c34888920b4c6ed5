// parse_simdjson.cpp - how fast simdjson parses the generated CVE corpus,
// reading each record's id so the parse is not optimised away.
// usage: parse_simdjson FILE...
#include <cstdio>
#include <ctime>
#include <simdjson.h>

int
main(int argc, char **argv)
{
	simdjson::dom::parser parser;
	double total = 0;
	size_t bytes = 0, records = 0;

	for (int i = 1; i < argc; i++) {
		simdjson::padded_string json = simdjson::padded_string::load(argv[i]).value();
		struct timespec a, z;

		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
		simdjson::dom::element doc = parser.parse(json);
		for (auto r : doc.get_array()) {
			std::string_view id = r["cveMetadata"]["cveId"];
			(void)id;
			records++;
		}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &z);
		total += (double)(z.tv_sec - a.tv_sec) + (double)(z.tv_nsec - a.tv_nsec) / 1e9;
		bytes += json.size();
	}
	std::printf("simdjson: %.1f MB in %.2f s cpu = %.0f MB/s (%zu records)\n", (double)bytes / 1e6,
	    total, (double)bytes / 1e6 / total, records);
	return 0;
}
