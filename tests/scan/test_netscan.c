/*
 * test_netscan.c - discovery against sockets this test opens itself on
 * loopback (IPv4 and IPv6), port-list parsing, target resolution, and a
 * full 65,535-port sweep of 127.0.0.1 in which every port reported open
 * must be a real listener in /proc/net/tcp (no phantom self-connects).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "csirt/scan_net.h"

/* Opens a listener on an ephemeral loopback port; returns the fd, sets *port. */
static int
listen_loopback(int family, uint16_t *port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd = socket(family, SOCK_STREAM, 0);

	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	}
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 128) != 0)
		return -1;
	getsockname(fd, (struct sockaddr *)&ss, &len);
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

static void
test_portspec(void **state)
{
	struct port_set ps;
	struct csirt_err err;

	(void)state;
	assert_int_equal(portspec_parse("22,80,1000-1009", &ps, &err), CSIRT_OK);
	assert_int_equal(ps.count, 12);
	assert_true(port_set_has(&ps, 1009));
	assert_false(port_set_has(&ps, 1010));
	assert_int_equal(portspec_parse("all", &ps, &err), CSIRT_OK);
	assert_int_equal(ps.count, 65535);
	assert_int_equal(portspec_parse("top100", &ps, &err), CSIRT_OK);
	assert_int_equal(ps.count, 100);
	assert_int_equal(portspec_parse("top20,22", &ps, &err), CSIRT_OK);
	assert_int_equal(ps.count, 20);
	assert_true(port_set_has(&ps, 443));
	assert_int_equal(portspec_parse("0", &ps, &err), CSIRT_EINVAL);
	assert_int_equal(portspec_parse("65536", &ps, &err), CSIRT_EINVAL);
	assert_int_equal(portspec_parse("10-5", &ps, &err), CSIRT_EINVAL);
	assert_int_equal(portspec_parse("80,x", &ps, &err), CSIRT_EINVAL);
	assert_int_equal(portspec_parse("top99999", &ps, &err), CSIRT_EINVAL);
	assert_int_equal(portspec_parse("", &ps, &err), CSIRT_EINVAL);
}

static void
test_resolve(void **state)
{
	struct scan_addrs a = { 0 };
	struct csirt_err err;
	bool range;

	(void)state;
	assert_int_equal(scan_target_resolve("127.0.0.1", &a, &range, &err), CSIRT_OK);
	assert_false(range);
	assert_int_equal(scan_target_resolve("10.1.2.3/30", &a, &range, &err), CSIRT_OK);
	assert_true(range);
	assert_int_equal(a.n, 5);
	assert_string_equal(a.v[1].text, "10.1.2.0");
	assert_string_equal(a.v[4].text, "10.1.2.3");
	assert_int_equal(scan_target_resolve("::1", &a, &range, &err), CSIRT_OK);
	assert_string_equal(a.v[5].text, "::1");
	assert_int_equal(scan_target_resolve("fd00::/126", &a, &range, &err), CSIRT_OK);
	assert_int_equal(a.n, 10);
	assert_int_equal(scan_target_resolve("10.0.0.0/8", &a, &range, &err), CSIRT_EINVAL);
	assert_int_equal(scan_target_resolve("no-such-host.invalid", &a, &range, &err),
	    CSIRT_ENOTFOUND);
	scan_addrs_release(&a);
}

static void
scan_family(int family, const char *target)
{
	struct scan_addrs a = { 0 };
	struct port_set ps;
	struct netscan_open *open = NULL;
	struct netscan_stats st;
	struct csirt_err err;
	uint16_t p1, p2;
	int f1 = listen_loopback(family, &p1), f2 = listen_loopback(family, &p2);
	char spec[64];
	bool range;
	size_t n;

	assert_true(f1 >= 0 && f2 >= 0);
	/* Two listeners and a port we just freed, so it is closed. */
	{
		uint16_t p3;
		int f3 = listen_loopback(family, &p3);

		close(f3);
		snprintf(spec, sizeof(spec), "%u,%u,%u", p1, p2, p3);
	}
	assert_int_equal(portspec_parse(spec, &ps, &err), CSIRT_OK);
	assert_int_equal(scan_target_resolve(target, &a, &range, &err), CSIRT_OK);
	assert_int_equal(netscan_run(&a, &ps, NULL, &open, &n, &st, &err), CSIRT_OK);
	assert_int_equal(n, 2);
	assert_int_equal(open[0].port, p1 < p2 ? p1 : p2);
	assert_int_equal(open[1].port, p1 < p2 ? p2 : p1);
	assert_int_equal(st.attempted, 3);
	assert_int_equal(st.refused, 1);
	free(open);
	scan_addrs_release(&a);
	close(f1);
	close(f2);
}

static void
test_scan_v4(void **state)
{
	(void)state;
	scan_family(AF_INET, "127.0.0.1");
}

static void
test_scan_v6(void **state)
{
	(void)state;
	scan_family(AF_INET6, "::1");
}

/* Marks every loopback/any listener in /proc/net/tcp as listening. */
static void
read_listeners(uint8_t *listening)
{
	FILE *f = fopen("/proc/net/tcp", "r");
	char line[512];

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned int addr, port, st;

		if (sscanf(line, " %*d: %8x:%4x %*8x:%*4x %2x", &addr, &port, &st) == 3 &&
		    st == 0x0A && (addr == 0 || addr == htonl(INADDR_LOOPBACK)))
			listening[port] = 1;
	}
	fclose(f);
}

static void
test_full_sweep_no_phantoms(void **state)
{
	static uint8_t listening[65536];
	struct scan_addrs a = { 0 };
	struct port_set ps;
	struct netscan_stats st;
	struct csirt_err err;
	uint16_t mine;
	int fd = listen_loopback(AF_INET, &mine);
	bool range;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(portspec_parse("all", &ps, &err), CSIRT_OK);
	assert_int_equal(scan_target_resolve("127.0.0.1", &a, &range, &err), CSIRT_OK);
	/* One sweep loop and two (the default on two CPUs): sockets are reused
	 * across attempts, so each attempt must be counted exactly once. */
	for (int threads = 1; threads <= 2; threads++) {
		struct netscan_opts o = { .threads = threads };
		struct netscan_open *open = NULL;
		bool found = false;
		size_t n;

		/*
		 * Other engineers' services come and go on this machine: a port counts
		 * as a real listener if it was listening before or after the sweep.
		 */
		memset(listening, 0, sizeof(listening));
		read_listeners(listening);
		assert_int_equal(netscan_run(&a, &ps, &o, &open, &n, &st, &err), CSIRT_OK);
		assert_int_equal(st.attempted, 65535);
		assert_int_equal(st.open + st.refused + st.timed_out + st.self_connects +
		    st.other_errors, st.attempted);
		assert_int_equal(st.open, n);
		read_listeners(listening);
		for (size_t k = 0; k < n; k++) {
			if (open[k].port == mine)
				found = true;
			if (!listening[open[k].port])
				fail_msg("port %u reported open but nothing listens there", open[k].port);
			if (k > 0 && open[k].port <= open[k - 1].port)
				fail_msg("open ports not sorted or listed twice");
		}
		assert_true(found);
		printf("# full sweep, %d loop(s): %zu open, %llu refused, %llu self-connects rejected\n",
		    threads, n, (unsigned long long)st.refused, (unsigned long long)st.self_connects);
		free(open);
	}
	scan_addrs_release(&a);
	close(fd);
}

/* Forces a self-connect: bind to a port, then connect to that same port. */
static void
test_self_connect_detected(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), other;
	uint16_t port;

	(void)state;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_true(netscan_is_self_connect(fd));
	close(fd);
	/* And a genuine connection is not one. */
	other = listen_loopback(AF_INET, &port);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = htons(port);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_false(netscan_is_self_connect(fd));
	close(fd);
	close(other);
}

static void
test_rate_limit(void **state)
{
	struct scan_addrs a = { 0 };
	struct port_set ps;
	struct netscan_open *open = NULL;
	struct netscan_opts opts = { .rate = 200 };
	struct csirt_err err;
	struct timespec t0, t1;
	bool range;
	size_t n;
	double secs;

	(void)state;
	/* 100 attempts at 200/s: the bucket starts with 16, so at least ~0.4 s. */
	assert_int_equal(portspec_parse("40001-40100", &ps, &err), CSIRT_OK);
	assert_int_equal(scan_target_resolve("127.0.0.1", &a, &range, &err), CSIRT_OK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(netscan_run(&a, &ps, &opts, &open, &n, NULL, &err), CSIRT_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs >= 0.35);
	free(open);
	scan_addrs_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_portspec),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_scan_v4),
		cmocka_unit_test(test_scan_v6),
		cmocka_unit_test(test_full_sweep_no_phantoms),
		cmocka_unit_test(test_self_connect_detected),
		cmocka_unit_test(test_rate_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
