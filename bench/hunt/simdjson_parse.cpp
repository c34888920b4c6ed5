// simdjson_parse.cpp - the peer measurement for the JSON lines reader:
// Debian's simdjson (libsimdjson-dev, C++ only) over the same JSON lines,
// every document walked, every key and string unescaped. The file is
// loaded before timing. Not part of the build (csirt is C11); build it as
//   g++ -O2 -std=c++17 bench/hunt/simdjson_parse.cpp -o simdjson_parse -lsimdjson
// Usage: simdjson_parse dom|ondemand FILE.jsonl
#include <simdjson.h>

#include <cstdio>
#include <cstring>
#include <sys/resource.h>

using namespace simdjson;

static size_t total;

static void
walk_dom(dom::element e)
{
	switch (e.type()) {
	case dom::element_type::OBJECT:
		for (auto f : dom::object(e)) {
			total += f.key.size();
			walk_dom(f.value);
		}
		break;
	case dom::element_type::ARRAY:
		for (auto x : dom::array(e))
			walk_dom(x);
		break;
	case dom::element_type::STRING:
		total += std::string_view(e).size();
		break;
	default:
		total += 1;
		break;
	}
}

static void
walk_od(ondemand::value v)
{
	switch (v.type()) {
	case ondemand::json_type::object:
		for (auto f : v.get_object()) {
			total += std::string_view(f.unescaped_key()).size();
			walk_od(f.value());
		}
		break;
	case ondemand::json_type::array:
		for (auto x : v.get_array())
			walk_od(x.value());
		break;
	case ondemand::json_type::string:
		total += std::string_view(v.get_string()).size();
		break;
	default:
		total += std::string_view(v.raw_json_token()).size();
		break;
	}
}

static double
cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	padded_string json = padded_string::load(argv[2]);
	size_t n = 0;
	double c0 = cpu();

	if (strcmp(argv[1], "dom") == 0) {
		dom::parser parser;

		for (dom::element doc : parser.parse_many(json, 1 << 20)) {
			walk_dom(doc);
			n++;
		}
	} else {
		ondemand::parser parser;
		ondemand::document_stream docs = parser.iterate_many(json, 1 << 20);

		for (auto doc : docs) {
			walk_od(doc.get_value());
			n++;
		}
	}
	printf("simdjson_%s implementation=%s events=%zu bytes_out=%zu "
	    "parse_cpu_s=%.3f\n", argv[1],
	    get_active_implementation()->name().c_str(), n, total, cpu() - c0);
	return 0;
}
