/*
 * test_fpdb.c - golden answers of the banner parser on the seed corpus
 * (tests/scan/corpus/banner: real greetings of SSH, FTP, SMTP, IMAP, POP3,
 * MySQL/MariaDB, HTTP, Redis, PostgreSQL, memcached and DNS servers), so
 * that services the suite cannot start here are still checked field by
 * field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "csirt/scan_fp.h"
#include "scan/fp_internal.h"

static const char *corpus;

struct golden {
	const char *file;
	int result;
	const char *service, *product, *version, *package_version, *cpe;
};

static const struct golden golden[] = {
	{ "ssh-debian", 2, "ssh", "OpenSSH", "9.2p1", "1:9.2p1-2+deb12u10",
	  "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*" },
	{ "ssh-plain", 2, "ssh", "OpenSSH", "8.4", "", "cpe:2.3:a:openbsd:openssh:8.4:-:*:*:*:*:*:*" },
	{ "ssh-dropbear", 2, "ssh", "Dropbear sshd", "2022.83", "", NULL },
	{ "ftp-vsftpd", 2, "ftp", "vsftpd", "3.0.3", "", NULL },
	{ "smtp-exim", 2, "smtp", "Exim", "4.96", "", NULL },
	{ "smtp-postfix", 2, "smtp", "Postfix", "", "", NULL },
	{ "imap-dovecot", 2, "imap", "Dovecot imapd", "", "", NULL },
	{ "pop3-dovecot", 2, "pop3", "Dovecot pop3d", "", "", NULL },
	{ "mysql-mariadb", 2, "mysql", "MariaDB", "10.11.6", "1:10.11.6-0+deb12u1",
	  "cpe:2.3:a:mariadb:mariadb:10.11.6:*:*:*:*:*:*:*" },
	/* Captured from Debian 12's mariadbd: MariaDB 10.x prefixes "5.5.5-" for old clients. */
	{ "mysql-mariadb-live", 2, "mysql", "MariaDB", "10.11.19", "1:10.11.19-0+deb12u1",
	  "cpe:2.3:a:mariadb:mariadb:10.11.19:*:*:*:*:*:*:*" },
	{ "mysql-oracle", 2, "mysql", "MySQL", "8.0.36", "", NULL },
	{ "http-nginx", 2, "http", "nginx", "1.22.1", "", "cpe:2.3:a:f5:nginx:1.22.1:*:*:*:*:*:*:*" },
	{ "http-apache", 2, "http", "Apache httpd", "2.4.62", "", NULL },
	{ "redis-info", 2, "redis", "Redis", "7.0.15", "", "cpe:2.3:a:redis:redis:7.0.15:*:*:*:*:*:*:*" },
	{ "redis-noauth", 2, "redis", "Redis", "", "", "cpe:2.3:a:redis:redis:*:*:*:*:*:*:*:*" },
	{ "pg-trust", 2, "postgresql", "PostgreSQL", "15.18", "15.18-0+deb12u1", NULL },
	{ "pg-scram", 2, "postgresql", "PostgreSQL", "", "", NULL },
	{ "pg-error", 2, "postgresql", "PostgreSQL", "", "", NULL },
	{ "memcached", 2, "memcached", "memcached", "1.6.18", "", NULL },
	{ "dns-bind", 2, "dns", "ISC BIND", "9.18.28", "1:9.18.28-1~deb12u2", NULL },
	{ "tls-alert", 0, NULL, NULL, NULL, NULL, NULL },
	{ "empty", 0, NULL, NULL, NULL, NULL, NULL },
};

static void
test_golden(void **state)
{
	struct fpdb *db = NULL;
	struct csirt_err err;

	(void)state;
	assert_int_equal(fpdb_load_default(&db, &err), CSIRT_OK);
	for (size_t k = 0; k < ARRAY_SIZE(golden); k++) {
		const struct golden *g = &golden[k];
		char path[512];
		unsigned char buf[8192];
		struct scan_service out;
		FILE *f;
		size_t n;
		int m;

		snprintf(path, sizeof(path), "%s/%s", corpus, g->file);
		f = fopen(path, "rb");
		assert_non_null(f);
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		memset(&out, 0, sizeof(out));
		m = fpdb_match(db, n ? db->probes[buf[0] % db->nprobes].name : "banner",
		    buf + 1, n ? n - 1 : 0, &out, NULL);
		if (m != g->result)
			fail_msg("%s: result %d, want %d (%s %s)", g->file, m, g->result, out.service,
			    out.product);
		if (g->result == 0)
			continue;
		if (strcmp(out.service, g->service) || strcmp(out.product, g->product) ||
		    strcmp(out.version, g->version) || strcmp(out.package_version, g->package_version))
			fail_msg("%s: got %s/%s/%s/%s", g->file, out.service, out.product, out.version,
			    out.package_version);
		if (g->cpe != NULL && strcmp(out.cpe, g->cpe) != 0)
			fail_msg("%s: cpe %s", g->file, out.cpe);
	}
	fpdb_free(db);
}

static void
test_tls_hint(void **state)
{
	static const char resp[] = "HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\n\r\n"
	    "<center>The plain HTTP request was sent to HTTPS port</center>";
	struct fpdb *db = NULL;
	struct scan_service out;
	bool tls = false;

	(void)state;
	assert_int_equal(fpdb_load_default(&db, NULL), CSIRT_OK);
	memset(&out, 0, sizeof(out));
	fpdb_match(db, "http-get", (const unsigned char *)resp, sizeof(resp) - 1, &out, &tls);
	assert_true(tls);
	fpdb_free(db);
}

static void
test_bad_databases(void **state)
{
	static const char *bad[] = {
		"", "[]", "{\"probes\":[],\"matches\":[]}",
		"{\"probes\":[{\"name\":\"banner\",\"send\":\"\"}],\"matches\":[{\"probe\":\"nope\","
		"\"service\":\"x\",\"regex\":\"a\"}]}",
		"{\"probes\":[{\"name\":\"banner\",\"send\":\"\"}],\"matches\":[{\"probe\":\"banner\","
		"\"service\":\"x\",\"regex\":\"(\"}]}",
		"{\"probes\":[{\"name\":\"p\",\"send\":\"\",\"ports\":[0]}],\"matches\":[]}",
	};
	struct csirt_err err;

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct fpdb *db = NULL;

		assert_int_not_equal(fpdb_load(bad[k], strlen(bad[k]), &db, &err), CSIRT_OK);
		assert_null(db);
	}
}

/*
 * A server that closes every connection at once (seen on this machine):
 * OpenSSL's ClientHello draws a reset, then its alert goes to a dead
 * socket, which raises SIGPIPE.
 */
static void *
rude_server(void *arg)
{
	int lfd = *(int *)arg;

	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			return NULL;
		close(fd);	/* FIN now; whatever the client sends next gets a reset */
	}
}

/* Regression: SSL_connect/SSL_write to a reset peer killed csirt scan with SIGPIPE. */
static void
test_reset_peer_no_sigpipe(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct scan_addrs addrs = { 0 };
	struct netscan_open open = { 0, 0 };
	struct scan_service *out = NULL;
	struct fp_opts opts = { .banner_wait_ms = 20, .probe_wait_ms = 100, .workers = 2 };
	struct fpdb *db = NULL;
	pthread_t th;
	bool range;

	(void)state;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 64), 0);
	getsockname(lfd, (struct sockaddr *)&sa, &len);
	open.port = ntohs(sa.sin_port);
	assert_int_equal(pthread_create(&th, NULL, rude_server, &lfd), 0);
	assert_int_equal(scan_target_resolve("127.0.0.1", &addrs, &range, NULL), CSIRT_OK);
	assert_int_equal(fpdb_load_default(&db, NULL), CSIRT_OK);
	/* Several rounds: the reset must win the race against our writes at least once. */
	for (int round = 0; round < 5; round++) {
		assert_int_equal(fp_run(db, &addrs, &open, 1, &opts, &out, NULL), CSIRT_OK);
		assert_true(strcmp(out[0].service, "unknown") == 0 || strcmp(out[0].service, "tls") == 0);
		free(out);
	}
	shutdown(lfd, SHUT_RDWR);
	close(lfd);
	pthread_join(th, NULL);
	fpdb_free(db);
	scan_addrs_release(&addrs);
}

/* An SSH-style greeter on ::1: fingerprinting works over IPv6 end to end. */
static void *
greeter(void *arg)
{
	int lfd = *(int *)arg;

	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		static const char banner[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n";

		if (fd < 0)
			return NULL;
		send(fd, banner, sizeof(banner) - 1, MSG_NOSIGNAL);
		usleep(100000);
		close(fd);
	}
}

static void
test_ipv6_fingerprint(void **state)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	socklen_t len = sizeof(sa);
	int lfd = socket(AF_INET6, SOCK_STREAM, 0);
	struct scan_addrs addrs = { 0 };
	struct netscan_open open = { 0, 0 };
	struct scan_service *out = NULL;
	struct fpdb *db = NULL;
	pthread_t th;
	bool range;

	(void)state;
	sa.sin6_addr = in6addr_loopback;
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		printf("# SKIP: no IPv6 loopback here\n");
		if (lfd >= 0)
			close(lfd);
		skip();
	}
	assert_int_equal(listen(lfd, 16), 0);
	getsockname(lfd, (struct sockaddr *)&sa, &len);
	open.port = ntohs(sa.sin6_port);
	assert_int_equal(pthread_create(&th, NULL, greeter, &lfd), 0);
	assert_int_equal(scan_target_resolve("::1", &addrs, &range, NULL), CSIRT_OK);
	assert_int_equal(fpdb_load_default(&db, NULL), CSIRT_OK);
	assert_int_equal(fp_run(db, &addrs, &open, 1, NULL, &out, NULL), CSIRT_OK);
	assert_string_equal(out[0].host, "::1");
	assert_string_equal(out[0].service, "ssh");
	assert_string_equal(out[0].package_version, "1:9.2p1-2+deb12u10");
	free(out);
	shutdown(lfd, SHUT_RDWR);
	close(lfd);
	pthread_join(th, NULL);
	fpdb_free(db);
	scan_addrs_release(&addrs);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_tls_hint),
		cmocka_unit_test(test_bad_databases),
		cmocka_unit_test(test_reset_peer_no_sigpipe),
		cmocka_unit_test(test_ipv6_fingerprint),
	};

	corpus = argc > 1 ? argv[1] : "tests/scan/corpus/banner";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
