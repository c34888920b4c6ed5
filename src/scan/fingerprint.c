/*
 * fingerprint.c - the network side of fingerprinting: for each open port,
 * listen for a greeting, then send the database's probes one per fresh
 * connection (a probe may leave the protocol in a state the next could not
 * use), ports' likely probes first, until a full match. When an answer says
 * the port speaks TLS, or nothing matched in clear text, a TLS handshake is
 * tried; if it succeeds the certificate is recorded and the probes run again
 * inside TLS.
 *
 * Why a small thread pool with blocking sockets instead of one event loop:
 * fingerprinting touches tens of ports, not tens of thousands, and every
 * probe is a short conversation with timeouts; threads keep that
 * conversation readable. Discovery (netscan.c) is the part that needs epoll.
 *
 * Waiting: the greeting wait is short (250 ms by default) because services
 * that greet do so at once; services that wait for the client get a probe.
 * An answer is read until the peer closes, the buffer is full, or 40 ms
 * pass without more bytes after the first.
 */
#include "csirt/common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "csirt/scan_fp.h"
#include "scan/fp_internal.h"

#define RESP_MAX 16384
#define IDLE_GAP_MS 40

struct fp_conn {
	int fd;
	SSL *ssl;
};

struct fp_ctx {
	const struct fpdb *db;
	const struct scan_addrs *addrs;
	const struct netscan_open *open;
	size_t n;
	struct scan_service *out;
	SSL_CTX *tls;
	int banner_wait, probe_wait;
	bool no_tls;
	atomic_size_t next;
};

static void
set_timeout(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static void
conn_close(struct fp_conn *c)
{
	if (c->ssl != NULL) {
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Connects with a timeout; false if the port no longer answers. */
static bool
conn_open(const struct scan_addr *a, uint16_t port, int timeout_ms, struct fp_conn *c)
{
	struct sockaddr_storage sa = a->sa;
	struct pollfd pfd;
	int soerr = 0, one = 1;
	socklen_t len = sizeof(soerr);

	c->ssl = NULL;
	if (sa.ss_family == AF_INET)
		((struct sockaddr_in *)&sa)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&sa)->sin6_port = htons(port);
	c->fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return false;
	if (connect(c->fd, (struct sockaddr *)&sa, a->salen) != 0 && errno != EINPROGRESS)
		goto fail;
	pfd.fd = c->fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, timeout_ms) != 1)
		goto fail;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 || soerr != 0)
		goto fail;
	if (netscan_is_self_connect(c->fd))
		goto fail;
	/* Back to blocking I/O bounded by socket timeouts. */
	if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) & ~O_NONBLOCK) != 0)
		goto fail;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	set_timeout(c->fd, timeout_ms);
	return true;
fail:
	conn_close(c);
	return false;
}

static int
conn_write(struct fp_conn *c, const void *data, size_t len)
{
	if (c->ssl != NULL)
		return SSL_write(c->ssl, data, (int)len) == (int)len ? 0 : -1;
	return send(c->fd, data, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static ssize_t
conn_read_some(struct fp_conn *c, unsigned char *buf, size_t cap)
{
	if (c->ssl != NULL) {
		int n = SSL_read(c->ssl, buf, (int)cap);

		return n > 0 ? n : -1;
	}
	return recv(c->fd, buf, cap, 0);
}

/* Reads an answer: waits up to 'first_ms' for the first bytes, then until a short silence. */
static size_t
conn_read(struct fp_conn *c, unsigned char *buf, size_t cap, int first_ms)
{
	size_t len = 0;
	ssize_t n;

	set_timeout(c->fd, first_ms);
	n = conn_read_some(c, buf, cap);
	if (n <= 0)
		return 0;
	len = (size_t)n;
	set_timeout(c->fd, IDLE_GAP_MS);
	while (len < cap) {
		n = conn_read_some(c, buf + len, cap - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	return len;
}

/* The probe payload with "{host}" replaced by the target (IPv6 in brackets). */
static size_t
probe_payload(const struct fp_probe *p, const struct scan_addr *a, unsigned char *out, size_t cap)
{
	const unsigned char *s = p->send;
	size_t n = 0;
	char host[64];

	if (a->sa.ss_family == AF_INET6)
		snprintf(host, sizeof(host), "[%s]", a->text);
	else
		snprintf(host, sizeof(host), "%s", a->text);
	for (size_t k = 0; k < p->send_len && n < cap; k++) {
		if (k + 6 <= p->send_len && memcmp(s + k, "{host}", 6) == 0) {
			size_t hl = strlen(host);

			if (n + hl > cap)
				break;
			memcpy(out + n, host, hl);
			n += hl;
			k += 5;
			continue;
		}
		out[n++] = s[k];
	}
	return n;
}

static void
record_cert(SSL *ssl, struct scan_service *out)
{
	X509 *cert = SSL_get1_peer_certificate(ssl);
	BIO *bio;
	struct tm tm;

	if (cert == NULL)
		return;
	bio = BIO_new(BIO_s_mem());
	if (bio != NULL) {
		int n;

		X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
		n = BIO_read(bio, out->tls_subject, sizeof(out->tls_subject) - 1);
		out->tls_subject[n > 0 ? n : 0] = '\0';
		(void)BIO_reset(bio);
		X509_NAME_print_ex(bio, X509_get_issuer_name(cert), 0, XN_FLAG_RFC2253);
		n = BIO_read(bio, out->tls_issuer, sizeof(out->tls_issuer) - 1);
		out->tls_issuer[n > 0 ? n : 0] = '\0';
		BIO_free(bio);
	}
	if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1)
		strftime(out->tls_not_after, sizeof(out->tls_not_after), "%Y-%m-%dT%H:%M:%SZ", &tm);
	X509_free(cert);
}

static bool
conn_open_tls(struct fp_ctx *ctx, const struct scan_addr *a, uint16_t port, struct fp_conn *c,
    struct scan_service *cert_out)
{
	if (!conn_open(a, port, ctx->probe_wait, c))
		return false;
	c->ssl = SSL_new(ctx->tls);
	if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1 || SSL_connect(c->ssl) != 1) {
		ERR_clear_error();
		conn_close(c);
		return false;
	}
	if (cert_out != NULL)
		record_cert(c->ssl, cert_out);
	return true;
}

/* Copies what a match found (service .. probe), leaving address and TLS details alone. */
static void
copy_identity(struct scan_service *dst, const struct scan_service *src)
{
	memcpy(dst->service, src->service,
	    offsetof(struct scan_service, tls_subject) - offsetof(struct scan_service, service));
	dst->soft = src->soft;
}

static bool
port_listed(const uint16_t *ports, size_t n, uint16_t port)
{
	for (size_t k = 0; k < n; k++)
		if (ports[k] == port)
			return true;
	return false;
}

/*
 * Runs the greeting wait and every probe (likely ones first) over clear
 * text or TLS. Returns 2 on a full match, 1 on a soft one, 0 on none.
 */
static int
probe_all(struct fp_ctx *ctx, const struct scan_addr *a, uint16_t port, bool tls,
    struct scan_service *best, bool *tls_hint, bool *answered)
{
	const struct fpdb *db = ctx->db;
	unsigned char *resp = malloc(RESP_MAX), payload[2048];
	struct scan_service cand;
	int result = 0;

	if (resp == NULL)
		return 0;
	/* pass 0: probes listing this port; pass 1: the others */
	for (int pass = 0; pass < 2 && result < 2; pass++) {
		for (size_t k = 0; k < db->nprobes && result < 2; k++) {
			const struct fp_probe *p = &db->probes[k];
			bool listed = port_listed(tls ? p->tls_ports : p->ports,
			    tls ? p->ntls_ports : p->nports, port);
			struct fp_conn c = { .fd = -1 };
			bool retry = false;
			size_t len, plen;
			int m;

			if ((int)k == db->banner) {
				if (pass != 0)
					continue;
			} else if (listed != (pass == 0)) {
				continue;
			}
			if (tls ? !conn_open_tls(ctx, a, port, &c, NULL) :
			    !conn_open(a, port, ctx->probe_wait, &c))
				break;
			plen = probe_payload(p, a, payload, sizeof(payload));
			if (plen > 0 && conn_write(&c, payload, plen) != 0) {
				conn_close(&c);
				continue;
			}
			len = conn_read(&c, resp, RESP_MAX,
			    (int)k == db->banner ? ctx->banner_wait : ctx->probe_wait);
			conn_close(&c);
			if (len > 0)
				*answered = true;
			memset(&cand, 0, sizeof(cand));
			m = fpdb_match(db, p->name, resp, len, &cand, &retry);
			if (retry)
				*tls_hint = true;
			if (m > result) {
				copy_identity(best, &cand);
				result = m;
			}
			/* A TLS port answers clear text with an alert or a complaint: stop here. */
			if (!tls && *tls_hint)
				break;
			if (!tls && len > 0 && resp[0] == 0x15 && len >= 2 && resp[1] == 0x03) {
				*tls_hint = true;
				break;
			}
		}
	}
	free(resp);
	return result;
}

static void
fingerprint_one(struct fp_ctx *ctx, size_t i)
{
	const struct scan_addr *a = &ctx->addrs->v[ctx->open[i].addr];
	uint16_t port = ctx->open[i].port;
	struct scan_service *out = &ctx->out[i];
	bool tls_hint = false, answered = false, tls_first = false;
	int m = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->host, sizeof(out->host), "%s", a->text);
	out->port = port;
	snprintf(out->service, sizeof(out->service), "unknown");
	for (size_t k = 0; k < ctx->db->nprobes; k++)
		if (port_listed(ctx->db->probes[k].tls_ports, ctx->db->probes[k].ntls_ports, port))
			tls_first = true;
	if (!tls_first || ctx->no_tls)
		m = probe_all(ctx, a, port, false, out, &tls_hint, &answered);
	/* A full clear-text match still yields to a port that said it wants TLS. */
	if (!ctx->no_tls && (tls_first || tls_hint || m == 0)) {
		struct fp_conn c = { .fd = -1 };
		struct scan_service tls_out;

		memset(&tls_out, 0, sizeof(tls_out));
		if (conn_open_tls(ctx, a, port, &c, &tls_out)) {
			int mt;

			conn_close(&c);
			out->tls = true;
			memcpy(out->tls_subject, tls_out.tls_subject, sizeof(out->tls_subject));
			memcpy(out->tls_issuer, tls_out.tls_issuer, sizeof(out->tls_issuer));
			memcpy(out->tls_not_after, tls_out.tls_not_after, sizeof(out->tls_not_after));
			memset(&tls_out, 0, sizeof(tls_out));
			mt = probe_all(ctx, a, port, true, &tls_out, &tls_hint, &answered);
			if (mt >= m && mt > 0) {
				copy_identity(out, &tls_out);
				m = mt;
			} else if (m == 0) {
				snprintf(out->service, sizeof(out->service), "tls");
			}
			if (strcmp(out->service, "http") == 0)
				snprintf(out->service, sizeof(out->service), "https");
		}
	}
	if (m == 0 && strcmp(out->service, "unknown") == 0 && answered)
		snprintf(out->info, sizeof(out->info), "answered, no match in the probe database");
}

/*
 * A peer that closes while OpenSSL writes to it raises SIGPIPE, which would
 * kill the whole program (send() has MSG_NOSIGNAL, SSL_write has no such
 * flag). The signal goes to the writing thread, so the workers block it:
 * the write then fails with EPIPE, and the process-wide disposition is left
 * alone. A SIGPIPE left pending dies with the thread.
 */
static void *
worker(void *arg)
{
	struct fp_ctx *ctx = arg;
	sigset_t pipe_only;

	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, NULL);
	for (;;) {
		size_t i = atomic_fetch_add(&ctx->next, 1);

		if (i >= ctx->n)
			break;
		fingerprint_one(ctx, i);
	}
	return NULL;
}

enum csirt_rc
fp_run(const struct fpdb *db, const struct scan_addrs *addrs, const struct netscan_open *open,
    size_t n, const struct fp_opts *opts, struct scan_service **out, struct csirt_err *err)
{
	struct fp_ctx ctx = {
		.db = db, .addrs = addrs, .open = open, .n = n,
		.banner_wait = opts && opts->banner_wait_ms > 0 ? opts->banner_wait_ms : 250,
		.probe_wait = opts && opts->probe_wait_ms > 0 ? opts->probe_wait_ms : 1500,
		.no_tls = opts ? opts->no_tls : false,
	};
	int workers = opts && opts->workers > 0 ? opts->workers : 32;
	pthread_t *threads = NULL;
	int started = 0;
	enum csirt_rc rc = CSIRT_OK;

	*out = NULL;
	if (n == 0)
		return CSIRT_OK;
	atomic_init(&ctx.next, 0);
	ctx.out = calloc(n, sizeof(*ctx.out));
	ctx.tls = SSL_CTX_new(TLS_client_method());
	if ((size_t)workers > n)
		workers = (int)n;
	threads = calloc((size_t)workers, sizeof(*threads));
	if (ctx.out == NULL || ctx.tls == NULL || threads == NULL) {
		rc = csirt_err_set(err, CSIRT_ENOMEM, NULL, "cannot set up fingerprinting");
		goto out;
	}
	/* We want to see any server's certificate, old or self-signed: no verification here. */
	SSL_CTX_set_verify(ctx.tls, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_security_level(ctx.tls, 0);
	for (int k = 0; k < workers; k++) {
		if (pthread_create(&threads[k], NULL, worker, &ctx) != 0)
			break;
		started++;
	}
	if (started == 0) {
		/* No threads: run here, then drop a pending SIGPIPE and restore the mask. */
		sigset_t pipe_only, old;
		struct timespec zero = { 0, 0 };

		sigemptyset(&pipe_only);
		sigaddset(&pipe_only, SIGPIPE);
		pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
		worker(&ctx);
		while (sigtimedwait(&pipe_only, NULL, &zero) == SIGPIPE)
			;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	for (int k = 0; k < started; k++)
		pthread_join(threads[k], NULL);
	*out = ctx.out;
	ctx.out = NULL;
out:
	free(threads);
	free(ctx.out);
	SSL_CTX_free(ctx.tls);
	return rc;
}
