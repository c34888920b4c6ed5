/*
 * test_ioc_scan.c - the IOC tokenizer's vector and portable paths cut the
 * same tokens as a plain byte-by-byte loop (the matcher's definition of a
 * token), and the matcher finds the same hits on every path.
 *
 * usage: test_hunt_ioc_scan [SHARED_DATA]: with it, every value of the
 * shared JSON lines and EVTX samples is also cut on every path.
 */
#include "csirt/common.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csirt/hunt.h"
#include "csirt/hunt_ioc.h"
#include "hunt/ioc_scan.h"

static int failures;

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			failures++;                                          \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);          \
			printf(__VA_ARGS__);                                 \
			printf("\n");                                        \
		}                                                            \
	} while (0)

static const char *const impl_names[] = { "best", "scalar", "avx2", "avx512" };

struct tok {
	size_t off, n;
};

#define MAXTOK (IOC_MAX_TOKENS + 1)

static bool
is_sep(unsigned char c)
{
	return (ioc_byte_class[c] & IOC_C_SEP) != 0;
}

static bool
is_hexc(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/*
 * The reference: the loop the matcher used before the masks, byte by byte.
 * With 'flags' lacking IOC_SCAN_EVERY only the candidates are kept: tokens
 * that hold "://", and tokens without a byte that no domain or address has
 * that, trimmed of trailing '.' and ':', hold a ':' and have an IPv6
 * address's bytes, length and colons, or hold a '.' and no ':', or hold
 * neither and start with 32 hex digits (IOC_SCAN_HASHES). Tokens over IOC_TOKEN_MAX are
 * never returned.
 */
static size_t
ref_tokens(const char *v, size_t len, unsigned flags, struct tok *out)
{
	size_t p = 0, ntok = 0, nout = 0;

	while (p < len && ntok < IOC_MAX_TOKENS) {
		size_t t, e;

		while (p < len && is_sep((unsigned char)v[p]))
			p++;
		t = p;
		while (p < len && !is_sep((unsigned char)v[p]))
			p++;
		if (p == t)
			continue;
		ntok++;
		e = p;
		while (e > t && (v[e - 1] == '.' || v[e - 1] == ':'))
			e--;
		if (e - t > IOC_TOKEN_MAX)
			continue;	/* longer than any key */
		if (!(flags & IOC_SCAN_EVERY)) {
			bool scheme = false, keep;

			for (size_t i = t; i + 3 <= e; i++)
				scheme = scheme || memcmp(v + i, "://", 3) == 0;
			if (memchr(v + t, ':', e - t) != NULL) {
				/* only an IPv6 address: hex digits, '.' and
				 * ':', at most 45 bytes, "::" or 6 colons */
				size_t colons = 0;
				bool dbl = false, addr = e - t <= 45;

				for (size_t i = t; i < e; i++) {
					colons += v[i] == ':';
					dbl = dbl || (v[i] == ':' && i > t &&
					    v[i - 1] == ':');
					addr = addr && (is_hexc((unsigned char)v[i]) ||
					    v[i] == '.' || v[i] == ':');
				}
				keep = addr && (dbl || colons >= 6);
			} else {
				keep = memchr(v + t, '.', e - t) != NULL;
			}
			if (!keep && memchr(v + t, ':', e - t) == NULL &&
			    (flags & IOC_SCAN_HASHES) && e - t >= 32) {
				keep = true;
				for (size_t i = t; i < t + 32; i++)
					keep = keep && is_hexc((unsigned char)v[i]);
			}
			if (ioc_token_class(v + t, e - t) & IOC_C_NODOM)
				keep = false;	/* no domain, address or URL */
			if (!keep && !scheme)
				continue;
		}
		out[nout].off = t;
		out[nout].n = e - t;
		nout++;
	}
	return nout;
}

static size_t
scan_tokens(const char *v, size_t len, unsigned flags, enum ioc_impl impl,
    struct tok *out)
{
	static struct ioc_scan sc;
	size_t nout = 0, off, n;

	unsigned got;

	ioc_scan_start(&sc, v, len, flags, impl);
	while (nout < MAXTOK && ioc_scan_next(&sc, &off, &n, &got)) {
		unsigned want = ioc_token_class(v + off, n) & (IOC_C_COLON |
		    IOC_C_DOT | IOC_C_NOIP | IOC_C_SLASH | IOC_C_NODOM);
		bool scheme = false;

		for (size_t i = 0; i + 3 <= n; i++)
			scheme = scheme || memcmp(v + off + i, "://", 3) == 0;
		if (scheme)
			want |= IOC_C_SCHEME;
		CHECK(got == want, "%s: classes of token at %zu+%zu: %#x, "
		    "bytes say %#x", impl_names[impl], off, n, got, want);
		out[nout].off = off;
		out[nout].n = n;
		nout++;
	}
	return nout;
}

static struct tok want_toks[MAXTOK], got_toks[MAXTOK];

/* Every path and both modes against the reference; a label for failures. */
static void
compare_value(const char *v, size_t len, const char *label)
{
	static const unsigned modes[] = { IOC_SCAN_EVERY, 0, IOC_SCAN_HASHES };

	for (size_t mi = 0; mi < ARRAY_SIZE(modes); mi++) {
		size_t nw = ref_tokens(v, len, modes[mi], want_toks);

		for (int impl = IOC_IMPL_SCALAR; impl < IOC_IMPL_COUNT; impl++) {
			size_t ng;
			bool same;

			if (!ioc_impl_available((enum ioc_impl)impl))
				continue;
			ng = scan_tokens(v, len, modes[mi], (enum ioc_impl)impl,
			    got_toks);
			/* the quick test may say "maybe", never "no" wrongly */
			CHECK(nw == 0 || ioc_scan_worth(v, len, modes[mi],
			    (enum ioc_impl)impl), "%s, mode %u, %s: value "
			    "turned away", impl_names[impl], modes[mi], label);
			same = ng == nw;
			for (size_t i = 0; same && i < ng; i++)
				same = got_toks[i].off == want_toks[i].off &&
				    got_toks[i].n == want_toks[i].n;
			CHECK(same, "%s, mode %u, %s (%zu bytes): %zu tokens, "
			    "want %zu", impl_names[impl], modes[mi], label, len,
			    ng, nw);
			if (!same) {
				for (size_t i = 0; i < ng && i < nw; i++)
					if (got_toks[i].off != want_toks[i].off ||
					    got_toks[i].n != want_toks[i].n) {
						printf("  first difference: token %zu "
						    "got %zu+%zu want %zu+%zu\n", i,
						    got_toks[i].off, got_toks[i].n,
						    want_toks[i].off, want_toks[i].n);
						break;
					}
				return;
			}
		}
	}
}

/* All 256 bytes, on every path, against the class table. */
static void
test_classes(void)
{
	unsigned char bytes[256];

	for (int i = 0; i < 256; i++)
		bytes[i] = (unsigned char)i;
	for (int impl = IOC_IMPL_SCALAR; impl < IOC_IMPL_COUNT; impl++) {
		if (!ioc_impl_available((enum ioc_impl)impl)) {
			printf("note: %s not on this CPU\n", impl_names[impl]);
			continue;
		}
		for (size_t b = 0; b < 4; b++) {
			struct ioc_block o;

			ioc_classify((const char *)bytes + 64 * b, 64, &o,
			    (enum ioc_impl)impl);
			for (unsigned i = 0; i < 64; i++) {
				unsigned c = bytes[64 * b + i], k = ioc_byte_class[c];
				unsigned got = (unsigned)((o.sep >> i & 1) * IOC_C_SEP |
				    (o.dot >> i & 1) * IOC_C_DOT |
				    (o.colon >> i & 1) * IOC_C_COLON |
				    (o.noip >> i & 1) * IOC_C_NOIP |
				    (o.slash >> i & 1) * IOC_C_SLASH |
				    (o.nodom >> i & 1) * IOC_C_NODOM);

				CHECK(got == (k & (IOC_C_SEP | IOC_C_DOT |
				    IOC_C_COLON | IOC_C_NOIP | IOC_C_SLASH |
				    IOC_C_NODOM)),
				    "%s: byte %#x: %#x, table %#x",
				    impl_names[impl], c, got, k);
				CHECK((o.fslash >> i & 1) == (c == '/'),
				    "%s: byte %#x: '/' bit", impl_names[impl], c);
			}
		}
		/* a short block: the padding is spaces */
		{
			struct ioc_block o;

			ioc_classify("a.b", 3, &o, (enum ioc_impl)impl);
			CHECK(o.sep == ~0ULL << 3 && o.dot == 2,
			    "%s: short block", impl_names[impl]);
		}
	}
	/* the table itself: what the matcher always called separators */
	{
		static const char seps[] = " \t\r\n,;\"'()[]<>=|";
		int n = 0;

		for (int c = 0; c < 256; c++)
			n += is_sep((unsigned char)c);
		CHECK(n == (int)sizeof(seps) - 1, "%d separators", n);
		for (size_t i = 0; i + 1 < sizeof(seps); i++)
			CHECK(is_sep((unsigned char)seps[i]), "separator %#x",
			    seps[i]);
		CHECK(!is_sep(0) && !is_sep('.') && !is_sep(':') &&
		    !is_sep('\\') && !is_sep(0xc3), "non-separators");
	}
}

static char buf[12000];

/* Puts 'tok' at 'at' in a value of 'len' filler bytes 'fill'. */
static void
place(size_t len, char fill, size_t at, const char *tok)
{
	memset(buf, fill, len);
	memcpy(buf + at, tok, strlen(tok));
}

static void
test_edges(void)
{
	static const char *const toks[] = { "1.2.3.4", "evil.example.com.",
		"44d88612fea8a8f36de82e1278abb02f", "http://a.b/c:",
		"C:\\x\\y.exe", "\xc3\xa9t\xc3\xa9.vn", "a", ":", "...", "::1",
		"44D88612FEA8A8F36DE82E1278ABB02F44D88612FEA8A8F36DE82E1278ABB02F",
		"44d88612fea8a8f36de82e1278abb02",
		/* colons: IPv6 with 7, 6 and a v4 tail, "::"; times and
		 * 5 colons are no address */
		"2001:db8:0:0:1:0:0:1", "0:0:0:0:0:ffff:1.2.3.4", "fe80::1.",
		"1:2:3:4:5:6", "02:50:54.631", "2020-06-10T02:50:56.537Z",
		"a::", "::ffff:10.1.2.3", "x\0y.z" };
	static const char seps[] = " \t\r\n,;\"'()[]<>=|";
	char label[64];

	/* each token at every offset around the 64-byte and chunk edges,
	 * in values that end right after it or go on */
	for (size_t k = 0; k < ARRAY_SIZE(toks); k++) {
		size_t tl = k == ARRAY_SIZE(toks) - 1 ? 5 : strlen(toks[k]);

		for (size_t at = 0; at < 200; at++) {
			size_t pos = at < 100 ? at : IOC_CHUNK - 100 + at;

			for (int tail = 0; tail < 3; tail++) {
				size_t len = pos + tl + (tail == 0 ? 0 :
				    tail == 1 ? 1 : 70);

				memset(buf, ' ', len);
				memcpy(buf + pos, toks[k], tl);
				if (tail == 2)
					memset(buf + pos + tl + 1, 'q', 40);
				snprintf(label, sizeof(label), "token %zu at %zu",
				    k, pos);
				compare_value(buf, len, label);
			}
		}
	}
	/* every separator between two candidates */
	for (size_t i = 0; i + 1 < sizeof(seps); i++) {
		snprintf(buf, sizeof(buf), "a.b%cc:d%c%c1.2.3.4", seps[i],
		    seps[i], seps[i]);
		compare_value(buf, strlen(buf), "separators");
	}
	/* long tokens: around the chunk length, with or without a dot, at
	 * the value's end or not, and trailing dots that trim to nothing or
	 * to a short token */
	for (size_t tl = IOC_CHUNK - 3; tl <= IOC_CHUNK + 3; tl++)
		for (int variant = 0; variant < 6; variant++) {
			size_t lead = variant % 2 ? 5 : 0, len;

			place(lead + tl + 10, ' ', 0, "");
			memset(buf + lead, variant < 2 ? 'a' : variant < 4 ? '.' :
			    'f', tl);
			if (variant >= 4)
				buf[lead] = 'z';	/* "z...." */
			if (variant >= 4)
				memset(buf + lead + 1, '.', tl - 1);
			len = lead + tl + (variant % 3 == 0 ? 0 : 10);
			snprintf(label, sizeof(label), "long %zu v%d", tl, variant);
			compare_value(buf, len, label);
		}
	/* a token of several chunks, then more tokens */
	memset(buf, 'b', 5000);
	memcpy(buf + 5000, " x.y 1.2.3.4", 12);
	compare_value(buf, 5012, "5000-byte token");
	/* more than IOC_MAX_TOKENS tokens, candidates before and after */
	{
		size_t len = 0;

		for (int i = 0; i < 300; i++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    i % 7 == 0 ? "h%d.x " : "w%d ", i);
		compare_value(buf, len, "300 tokens");
	}
	/* hex runs of 31 to 65 across word and chunk edges */
	for (size_t run = 31; run <= 65; run++)
		for (size_t at = IOC_CHUNK - 70; at < IOC_CHUNK + 5; at += 3) {
			place(at + run + 20, ' ', at, "");
			memset(buf + at, 'e', run);
			buf[at + run] = run % 2 ? 'g' : ' ';
			compare_value(buf, at + run + 20, "hex run");
		}
}

/* Random values over an alphabet heavy in the bytes that matter. */
static void
test_random(void)
{
	static const char alpha[] = " .:/\\aZf09-_,\"=\xc3\xa9\0x";
	uint64_t x = 88172645463325252ULL;

	for (int iter = 0; iter < 3000; iter++) {
		size_t len;
		uint64_t mode;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		len = (size_t)(x % 3000);
		mode = x >> 60;
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* long runs of one byte now and then: long tokens */
			buf[i] = mode < 4 && i > 0 && x % 8 != 0 ? buf[i - 1] :
			    alpha[x % (sizeof(alpha) - 1)];
		}
		compare_value(buf, len, "random");
	}
}

/* The matcher: the same hits, in the same order, on every path. */
struct hits {
	char text[64][200];
	int n;
};

static void
on_hit(const struct hunt_event *ev, const struct hunt_hit *hit, void *ctx)
{
	struct hits *h = ctx;

	(void)ev;
	if (h->n < 64)
		snprintf(h->text[h->n], sizeof(h->text[0]), "%s|%s|%s",
		    hit->title, hit->fields[0].name, hit->fields[0].value);
	h->n++;
}

static void
test_match_paths(void)
{
	static const char list[] = "203.0.113.9\n198.51.100.0/24\n2001:db8::/32\n"
	    "evil.example.com\nhttp://dl.bad.test/x.exe\n"
	    "44d88612fea8a8f36de82e1278abb02f\nmimikatz.exe\nlate.example.org\n";
	static const char list_nofile[] = "203.0.113.9\nevil.example.com\n"
	    "44d88612fea8a8f36de82e1278abb02f\nlate.example.org\n";
	static const char *const values[] = {
		"connect to 203.0.113.9: refused; see a.evil.example.com. hash "
		"44D88612FEA8A8F36DE82E1278ABB02F.",
		"[2001:db8::7]:443 user@evil.example.com C:\\tools\\MIMIKATZ.EXE:",
		"GET http://dl.bad.test/x.exe and http://198.51.100.7/",
	};
	const char *lists[] = { list, list_nofile };

	for (size_t li = 0; li < ARRAY_SIZE(lists); li++) {
		struct ioc_set *s = ioc_set_new();
		struct hunt_event ev;
		static struct hits want, got;

		CHECK(s != NULL && ioc_set_load_buffer(s, lists[li],
		    strlen(lists[li]), "t.txt") == CSIRT_OK, "load");
		hunt_event_init(&ev);
		for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
			char name[8];

			snprintf(name, sizeof(name), "f%zu", i);
			hunt_event_add(&ev, name, strlen(name), values[i],
			    strlen(values[i]));
		}
		/* a value of long tokens with a hit past the first chunk */
		memset(buf, 'k', 3000);
		memcpy(buf + 2990, " late.example.org", 17);
		hunt_event_add(&ev, "long", 4, buf, 3007);
		hunt_event_finish(&ev);
		want.n = 0;
		(void)ioc_match_impl(s, &ev, on_hit, &want, IOC_IMPL_SCALAR);
		/* ip, domain, hash; cidr, file; url, cidr of a URL's host;
		 * the domain past the first chunk */
		CHECK(want.n == (li == 0 ? 8 : 4), "list %zu: %d hits", li,
		    want.n);
		for (int i = 0; want.n != (li == 0 ? 8 : 4) && i < want.n; i++)
			printf("  hit %s\n", want.text[i]);
		for (int impl = IOC_IMPL_BEST; impl < IOC_IMPL_COUNT; impl++) {
			if (!ioc_impl_available((enum ioc_impl)impl))
				continue;
			got.n = 0;
			(void)ioc_match_impl(s, &ev, on_hit, &got,
			    (enum ioc_impl)impl);
			CHECK(got.n == want.n, "%s: %d hits, scalar %d",
			    impl_names[impl], got.n, want.n);
			for (int i = 0; i < got.n && i < want.n && i < 64; i++)
				CHECK(strcmp(got.text[i], want.text[i]) == 0,
				    "%s: hit %d: %s, scalar %s", impl_names[impl],
				    i, got.text[i], want.text[i]);
		}
		hunt_event_release(&ev);
		ioc_set_free(s);
	}
}

static size_t every_hits;

/*
 * The candidates' filters never change the hits: with no file names in
 * the set, ioc_match on every path finds what looking at every token
 * (ioc_match_every) finds, in the same order. 'min_hits': the event must
 * hit at least that often, so that the comparison says something.
 */
static void
compare_every(const struct ioc_set *s, const struct hunt_event *ev,
    int min_hits, const char *label)
{
	static struct hits want, got;

	want.n = 0;
	(void)ioc_match_every(s, ev, on_hit, &want);
	every_hits += (size_t)want.n;
	CHECK(want.n >= min_hits, "%s: %d hits, want %d or more", label,
	    want.n, min_hits);
	for (int impl = IOC_IMPL_BEST; impl < IOC_IMPL_COUNT; impl++) {
		if (!ioc_impl_available((enum ioc_impl)impl))
			continue;
		got.n = 0;
		(void)ioc_match_impl(s, ev, on_hit, &got, (enum ioc_impl)impl);
		CHECK(got.n == want.n, "%s, %s: %d hits, every token %d", label,
		    impl_names[impl], got.n, want.n);
		for (int i = 0; i < got.n && i < want.n && i < 64; i++)
			CHECK(strcmp(got.text[i], want.text[i]) == 0,
			    "%s, %s: hit %d: %s, every token %s", label,
			    impl_names[impl], i, got.text[i], want.text[i]);
	}
}

/* Crafted events: tokens at values' ends and starts and across words and
 * chunks, empty values, more than IOC_MAX_TOKENS tokens, domains by case
 * and depth, IPv6 forms and the times that look like them. */
static void
test_match_every(void)
{
	static const char list[] =
	    "203.0.113.9\n198.51.100.0/24\nfe80::3b31:a8fa:5adc:7b9e\n"
	    "2001:500::/32\n::1\nEvil.Example.COM\na.io\nx.y.z.example.org\n"
	    "44d88612fea8a8f36de82e1278abb02f\n"
	    "http://dl.bad.test/x\nbad.test\n";
	static const char *const toks[] = {
		"203.0.113.9", "198.51.100.77", "fe80:0:0:0:3b31:a8fa:5adc:7b9e",
		"FE80::3B31:A8FA:5ADC:7B9E", "2001:500:2f:0:0:0:0:f",
		"0:0:0:0:0:0:0:1", "::1", "cdn.EVIL.example.com",
		"evil.example.com.", "www.A.IO", "a.io", "q.x.y.z.example.org",
		"y.z.example.org", "44D88612FEA8A8F36DE82E1278ABB02F",
		"http://dl.bad.test/x", "https://m.bad.test:8443/p",
		"02:50:54.631", "2020-06-10T02:50:56.537Z", "C:\\a.io\\b",
		"UtcTime:", "1:2:3:4:5:6",
	};
	struct ioc_set *s = ioc_set_new();
	struct hunt_event ev;
	char label[80];

	CHECK(s != NULL && ioc_set_load_buffer(s, list, strlen(list),
	    "every.txt") == CSIRT_OK, "load");
	hunt_event_init(&ev);
	/* each token alone, at every offset around word and chunk edges,
	 * after an empty value, with and without text after it */
	for (size_t k = 0; k < ARRAY_SIZE(toks); k++) {
		size_t tl = strlen(toks[k]);
		int expect = k < 16 && k != 12 ? 1 : 0;

		for (size_t at = 0; at < 140; at += 3) {
			size_t pos = at < 70 ? at : IOC_CHUNK - 140 + at;

			for (int tail = 0; tail < 2; tail++) {
				size_t len = pos + tl + (tail ? 9 : 0);

				memset(buf, ' ', len);
				memcpy(buf + pos, toks[k], tl);
				if (tail)
					memcpy(buf + pos + tl, " 02:50:54", 9);
				hunt_event_reset(&ev);
				hunt_event_add(&ev, "empty", 5, "", 0);
				hunt_event_add(&ev, "v", 1, buf, len);
				hunt_event_finish(&ev);
				snprintf(label, sizeof(label), "token %zu at %zu",
				    k, pos);
				compare_every(s, &ev, expect, label);
			}
		}
	}
	/* every token in one value, NUL-separated values of one byte less
	 * to one more than a word, and more than IOC_MAX_TOKENS tokens */
	{
		size_t len = 0;

		hunt_event_reset(&ev);
		for (int r = 0; r < 20; r++)
			for (size_t k = 0; k < ARRAY_SIZE(toks); k++)
				len += (size_t)snprintf(buf + len, sizeof(buf) - len,
				    "%s%s", toks[k], r % 2 ? "\t" : ", ");
		hunt_event_add(&ev, "many", 4, buf, len);
		for (size_t k = 0; k < ARRAY_SIZE(toks); k++) {
			size_t tl = strlen(toks[k]);

			for (size_t pad = 63 - tl % 64; pad < 66 - tl % 64; pad++) {
				memset(buf, 'x', pad);
				buf[pad] = ' ';
				memcpy(buf + pad + 1, toks[k], tl);
				hunt_event_add(&ev, "w", 1, buf, pad + 1 + tl);
			}
		}
		hunt_event_finish(&ev);
		compare_every(s, &ev, 10, "many tokens");
	}
	hunt_event_release(&ev);
	ioc_set_free(s);
}

static size_t shared_values, dir_values;

/* Values per shared folder: enough for every kind of field, quick under
 * ASan. */
#define SHARED_VALUES_MAX 100000

static bool
on_event(struct hunt_event *ev, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < ev->nfields; i++) {
		compare_value(ev->fields[i].value, ev->fields[i].value_len,
		    ev->fields[i].name);
		shared_values++;
		dir_values++;
	}
	return failures < 20 && dir_values < SHARED_VALUES_MAX;
}

static void
on_error(const char *source, const char *msg, void *ctx)
{
	(void)ctx;
	printf("note: %s: %s\n", source, msg);
}

/*
 * An IOC list made of the shared events' own addresses, hashes, URLs and
 * domains (and the domains' parents), so that matching them hits often:
 * only domains ending in .com, .net, .org or .local, which no file name
 * does (a file name in the set would make every token a candidate).
 */
static char shared_list[1 << 20];
static size_t shared_list_len, shared_list_n;

static bool
list_worthy(const char *t, size_t n)
{
	static const char *const ends[] = { ".com", ".net", ".org", ".local" };
	uint8_t ip[16];
	bool hex = n == 32 || n == 40 || n == 64;

	for (size_t i = 0; i < n && hex; i++)
		hex = is_hexc((unsigned char)t[i]);
	if (hex || memmem(t, n, "://", 3) != NULL || hunt_parse_ip(t, n, ip))
		return true;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && t[i] != '.' && t[i] != '-')
			return false;
	for (size_t k = 0; k < ARRAY_SIZE(ends); k++) {
		size_t el = strlen(ends[k]);

		if (n > el && strncasecmp(t + n - el, ends[k], el) == 0)
			return true;
	}
	return false;
}

static void
list_add(const char *t, size_t n)
{
	if (n == 0 || n > 200 || shared_list_len + n + 1 > sizeof(shared_list))
		return;
	memcpy(shared_list + shared_list_len, t, n);
	shared_list_len += n;
	shared_list[shared_list_len++] = '\n';
	shared_list_n++;
}

static bool
on_collect(struct hunt_event *ev, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < ev->nfields && shared_list_n < 4000; i++) {
		const char *v = ev->fields[i].value;
		size_t len = ev->fields[i].value_len, p = 0;

		while (p < len) {
			size_t t, e;

			while (p < len && is_sep((unsigned char)v[p]))
				p++;
			for (t = p; p < len && !is_sep((unsigned char)v[p]); p++)
				;
			e = p;
			while (e > t && (v[e - 1] == '.' || v[e - 1] == ':'))
				e--;
			if (e > t && list_worthy(v + t, e - t)) {
				const char *dot = memchr(v + t, '.', e - t);

				list_add(v + t, e - t);
				if (dot != NULL && memchr(dot + 1, '.',
				    (size_t)(v + e - dot - 1)) != NULL &&
				    list_worthy(dot + 1, (size_t)(v + e - dot - 1)))
					list_add(dot + 1, (size_t)(v + e - dot - 1));
			}
		}
	}
	dir_values += ev->nfields;
	return dir_values < SHARED_VALUES_MAX;
}

static const struct ioc_set *shared_set;

static bool
on_match(struct hunt_event *ev, void *ctx)
{
	(void)ctx;
	compare_every(shared_set, ev, 0, ev->source);
	dir_values += ev->nfields;
	return failures < 20 && dir_values < SHARED_VALUES_MAX;
}

/* Reads each dir with 'fn', up to about SHARED_VALUES_MAX values. */
static void
read_dirs(const char *root, const char *const *dirs, size_t ndirs,
    hunt_event_fn fn)
{
	for (size_t i = 0; i < ndirs; i++) {
		struct hunt_read_stats st = { 0 };
		struct hunt_input_opts in = { .on_event = fn,
			.on_error = on_error, .stats = &st };
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		dir_values = 0;
		(void)hunt_input_read_path(path, &in);
	}
}

/* Returns 77 when the shared data is absent (and CI is not "true"). */
static int
test_shared(const char *root)
{
	/* a part of each: every path and mode against the reference is
	 * about 30 times the work of matching */
	static const char *const dirs[] = {
		"jsonl/datasets/atomic/windows/persistence",
		"evtx/EVTX-ATTACK-SAMPLES/Lateral Movement",
	};
	const char *ci = getenv("CI");

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		struct hunt_read_stats st = { 0 };
		struct hunt_input_opts in = { .on_event = on_event,
			.on_error = on_error, .stats = &st };
		char path[4096];
		struct stat sb;

		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if (stat(path, &sb) != 0) {
			if (ci != NULL && strcmp(ci, "true") == 0) {
				printf("FAIL: shared data %s missing and CI=true\n",
				    path);
				return 1;
			}
			printf("SKIP: %s not found\n", path);
			return 77;
		}
		dir_values = 0;
		(void)hunt_input_read_path(path, &in);
	}
	printf("shared data: %zu values cut on every path\n", shared_values);
	CHECK(shared_values > 10000, "only %zu shared values", shared_values);
	/* their own indicators: the same hits as every token gives */
	read_dirs(root, dirs, ARRAY_SIZE(dirs), on_collect);
	{
		struct ioc_set *s = ioc_set_new();

		CHECK(s != NULL && ioc_set_load_buffer(s, shared_list,
		    shared_list_len, "shared.txt") == CSIRT_OK, "load");
		shared_set = s;
		every_hits = 0;
		read_dirs(root, dirs, ARRAY_SIZE(dirs), on_match);
		printf("shared data: %zu indicators, %zu hits on every path\n",
		    ioc_set_count(s), every_hits);
		CHECK(every_hits > 1000, "only %zu hits", every_hits);
		ioc_set_free(s);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	ioc_scan_init();
	test_classes();
	test_edges();
	test_random();
	test_match_paths();
	test_match_every();
	if (argc > 1)
		rc = test_shared(argv[1]);
	printf("%d failures\n", failures);
	if (failures > 0)
		return 1;
	return rc;
}
