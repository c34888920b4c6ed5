/*
 * test_ioc_post.c - IOC sets (every indicator type, subdomains, CIDR) and
 * the alert client against a real HTTP listener on loopback (a few lines
 * of sockets here: the platform's endpoint lives in another branch).
 */
#include "csirt/common.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "csirt/hunt.h"
#include "csirt/hunt_ioc.h"
#include "csirt/hunt_output.h"
#include "csirt/hunt_post.h"

static struct hunt_event ev;

static void
event(const char *const *kv)
{
	hunt_event_reset(&ev);
	ev.source = "t";
	for (size_t i = 0; kv[i] != NULL; i += 2)
		hunt_event_add(&ev, kv[i], strlen(kv[i]), kv[i + 1],
		    strlen(kv[i + 1]));
	hunt_event_finish(&ev);
}

struct hits {
	int n;
	char titles[8][300];
};

static void
on_hit(const struct hunt_event *e, const struct hunt_hit *hit, void *ctx)
{
	struct hits *h = ctx;

	(void)e;
	if (h->n < 8)
		snprintf(h->titles[h->n], sizeof(h->titles[0]), "%s", hit->title);
	h->n++;
}

static const char list[] =
    "# test list\n"
    "203.0.113.9\n"
    "198.51.100.0/24;scanner net\n"
    "2001:db8::/32\n"
    "evil.example.com\n"
    "bad.test,domain with comment\n"
    "http://dl.bad.test/x.exe\n"
    "44d88612fea8a8f36de82e1278abb02f\n"
    "mimikatz.exe\n"
    "^regex.*$\n"
    "\n";

static void
test_ioc_types(void **state)
{
	struct ioc_set *s = ioc_set_new();
	struct hits h = { 0 };
	static const char *const e1[] = { "DestinationIp", "203.0.113.9",
		"SourceIp", "198.51.100.77", NULL };
	static const char *const e2[] = { "QueryName", "cdn.evil.example.com",
		"message", "fetch http://dl.bad.test/x.exe now", NULL };
	static const char *const e3[] = { "Hashes",
		"MD5=44D88612FEA8A8F36DE82E1278ABB02F,SHA256=00", "Image",
		"C:\\Users\\a\\MiMiKaTz.exe", NULL };
	static const char *const e4[] = { "DestinationIp", "203.0.113.10",
		"QueryName", "notevil.example.com", "x", "2001:db8:1::5", NULL };
	static const char *const e5[] = { "QueryName", "example.com",
		"Image", "C:\\mimikatz.exe.bak", NULL };

	(void)state;
	assert_non_null(s);
	assert_int_equal(ioc_set_load_buffer(s, list, strlen(list), "t.txt"),
	    CSIRT_OK);
	assert_int_equal(ioc_set_skipped(s), 1);	/* the regex */
	event(e1);
	assert_int_equal(ioc_match(s, &ev, on_hit, &h), 2);
	assert_non_null(strstr(h.titles[0], "ip 203.0.113.9"));
	assert_non_null(strstr(h.titles[1], "cidr 198.51.100.77"));
	h.n = 0;
	event(e2);	/* subdomain; URL and its host (bad.test) */
	assert_int_equal(ioc_match(s, &ev, on_hit, &h), 3);
	h.n = 0;
	event(e3);	/* hash inside Hashes, case-insensitive; file name */
	assert_int_equal(ioc_match(s, &ev, on_hit, &h), 2);
	h.n = 0;
	event(e4);	/* near misses, and an IPv6 range hit */
	assert_int_equal(ioc_match(s, &ev, on_hit, &h), 1);
	assert_non_null(strstr(h.titles[0], "2001:db8:1::5"));
	h.n = 0;
	event(e5);	/* a parent of a listed domain is not a hit */
	assert_int_equal(ioc_match(s, &ev, on_hit, &h), 0);
	ioc_set_free(s);
}

/*
 * Tokens in prose: trailing ':' and '.' are not part of the indicator, and
 * the byte classes that rule out checks must not rule out these (an
 * address or hash followed by ':' or '.', an IPv6 address in brackets, a
 * path whose file name is listed); '@' makes no domain.
 */
static void
test_ioc_token_edges(void **state)
{
	struct ioc_set *s = ioc_set_new();
	struct hits h = { 0 };
	static const char *const e6[] = { "message", "connect to 203.0.113.9: "
		"refused; see evil.example.com. hash "
		"44d88612fea8a8f36de82e1278abb02f.", NULL };
	static const char *const e7[] = { "message", "[2001:db8::7]:443 "
		"user@evil.example.com C:\\tools\\MIMIKATZ.EXE:", NULL };

	(void)state;
	assert_non_null(s);
	assert_int_equal(ioc_set_load_buffer(s, list, strlen(list), "t.txt"),
	    CSIRT_OK);
	event(e6);
	assert_int_equal(ioc_match(s, &ev, on_hit, &h), 3);
	assert_non_null(strstr(h.titles[0], "ip 203.0.113.9 "));
	assert_non_null(strstr(h.titles[1], "domain evil.example.com "));
	assert_non_null(strstr(h.titles[2], "hash 44d88612fea8a8f36de82e1278abb02f "));
	h.n = 0;
	event(e7);
	assert_int_equal(ioc_match(s, &ev, on_hit, &h), 2);
	assert_non_null(strstr(h.titles[0], "cidr 2001:db8::7 "));
	assert_non_null(strstr(h.titles[1], "file MIMIKATZ.EXE "));
	ioc_set_free(s);
}

/* ---- a tiny HTTP server on loopback ---- */

struct server {
	int fd;
	int port;
	int requests;
	int status;		/* what to answer */
	char auth[256];
	char body[16384];
	char path[128];
};

static void
read_request(struct server *sv, int c)
{
	char req[32768];
	size_t len = 0;
	char *hdr_end = NULL, *cl;
	long want;

	while (len < sizeof(req) - 1) {
		ssize_t n = read(c, req + len, sizeof(req) - 1 - len);

		if (n <= 0)
			return;
		len += (size_t)n;
		req[len] = '\0';
		hdr_end = strstr(req, "\r\n\r\n");
		if (hdr_end == NULL)
			continue;
		cl = strcasestr(req, "Content-Length:");
		want = cl ? strtol(cl + 15, NULL, 10) : 0;
		if ((long)(len - (size_t)(hdr_end + 4 - req)) >= want)
			break;
	}
	if (hdr_end == NULL)
		return;
	sscanf(req, "POST %127s", sv->path);
	cl = strcasestr(req, "Authorization: ");
	if (cl != NULL)
		sscanf(cl + 15, "%255[^\r]", sv->auth);
	snprintf(sv->body, sizeof(sv->body), "%s", hdr_end + 4);
	sv->requests++;
}

static void *
serve(void *arg)
{
	struct server *sv = arg;

	for (;;) {
		int c = accept(sv->fd, NULL, NULL);
		char resp[128];
		int n;

		if (c < 0)
			return NULL;
		read_request(sv, c);
		n = snprintf(resp, sizeof(resp), "HTTP/1.1 %d X\r\nContent-Length: 2\r\n"
		    "Connection: close\r\n\r\n{}", sv->status);
		if (write(c, resp, (size_t)n) < 0)
			sv->status = -1;
		close(c);
	}
}

static void
server_start(struct server *sv, pthread_t *th)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sv->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(sv->fd >= 0);
	assert_int_equal(bind(sv->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(sv->fd, 8), 0);
	assert_int_equal(getsockname(sv->fd, (struct sockaddr *)&a, &al), 0);
	sv->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(th, NULL, serve, sv), 0);
}

static void
test_post_alerts(void **state)
{
	static struct server sv = { .status = 201 };
	static const char *const e[] = { "Computer", "pc1.vn", "Channel",
		"Security", "TimeCreated_SystemTime", "2026-01-02T03:04:05Z",
		"Image", "C:\\Temp\\evil.exe", "DestinationIp", "203.0.113.9",
		"Hashes", "MD5=44D88612FEA8A8F36DE82E1278ABB02F", NULL };
	struct sigma_matched_field mf = { "Image", "C:\\Temp\\evil.exe" };
	struct hunt_hit hit = { .engine = "sigma", .rule_id = "r-1",
		.title = "Evil", .level = SIGMA_LEVEL_CRITICAL, .fields = &mf,
		.nfields = 1 };
	struct hunt_post_stats ps;
	struct csirt_err err = { 0 };
	struct hunt_poster *p;
	pthread_t th;
	char url[128];
	json_t *body, *obs;
	json_error_t jerr;

	(void)state;
	server_start(&sv, &th);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", sv.port);
	p = hunt_poster_new(url, "tok123", 7, &err);
	assert_non_null(p);
	event(e);
	hunt_post_hit(p, &ev, &hit);
	hunt_post_hit(p, &ev, &hit);	/* same dedup key: not sent again */
	hunt_poster_finish(p, &ps);
	assert_int_equal(ps.sent, 1);
	assert_int_equal(ps.deduplicated, 1);
	assert_int_equal(ps.failed, 0);
	assert_int_equal(sv.requests, 1);
	assert_string_equal(sv.path, "/api/alerts");
	assert_string_equal(sv.auth, "Bearer tok123");
	body = json_loads(sv.body, 0, &jerr);
	assert_non_null(body);
	assert_string_equal(json_string_value(json_object_get(body, "source")),
	    "hunt");
	assert_string_equal(json_string_value(json_object_get(body, "severity")),
	    "critical");
	assert_string_equal(json_string_value(json_object_get(body, "dedup_key")),
	    "r-1|pc1.vn|C:\\Temp\\evil.exe");
	assert_string_equal(json_string_value(json_object_get(body, "event_time")),
	    "2026-01-02T03:04:05Z");
	assert_int_equal(json_integer_value(json_object_get(body, "system_id")), 7);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(body, "raw"), "Channel")), "Security");
	obs = json_object_get(body, "observables");
	assert_int_equal(json_array_size(obs), 3);	/* file, ip, md5 */
	json_decref(body);
	/* refused by the server: counted as failed, with the reason */
	sv.status = 403;
	hit.rule_id = "r-2";
	hunt_post_hit(p, &ev, &hit);
	hunt_poster_finish(p, &ps);
	assert_int_equal(ps.failed, 1);
	assert_non_null(strstr(ps.first_error, "403"));
	hunt_poster_free(p);
	/* not http(s) */
	assert_null(hunt_poster_new("ftp://x", "t", -1, &err));
	shutdown(sv.fd, SHUT_RDWR);
	close(sv.fd);
	pthread_join(th, NULL);
}

static int
setup(void **state)
{
	(void)state;
	hunt_event_init(&ev);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	hunt_event_release(&ev);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ioc_types),
		cmocka_unit_test(test_ioc_token_edges),
		cmocka_unit_test(test_post_alerts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
