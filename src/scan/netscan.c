/*
 * netscan.c - TCP connect discovery on one epoll set.
 *
 * Each (address, port) pair gets a non-blocking socket and a connect(); the
 * loop keeps up to max_inflight of them open, refills as they finish, and
 * paces new attempts with a token bucket when a rate is set. A connect that
 * completes is checked for TCP self-connect before it counts as open: on
 * loopback, a connect to a closed port in the ephemeral range can be given
 * that very port as its source and "succeed" against itself.
 *
 * Open sockets are closed with SO_LINGER 0 (a reset): a full sweep would
 * otherwise leave thousands of TIME_WAIT entries and starve later connects.
 * Refused sockets are not closed at all but connect again (see struct
 * conn), and a large sweep runs one loop per CPU (see netscan_run):
 * measured in docs/BENCHMARKS-scan.md.
 */
#include "csirt/common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "csirt/embedded.h"
#include "csirt/scan_net.h"

#define DEFAULT_INFLIGHT 1024
#define DEFAULT_TIMEOUT_MS 1500
#define MAX_RANGE_ADDRS 65536

bool
port_set_has(const struct port_set *s, uint16_t port)
{
	return (s->bits[port / 8] >> (port % 8)) & 1;
}

static void
port_set_add(struct port_set *s, uint16_t port)
{
	if (!port_set_has(s, port)) {
		s->bits[port / 8] |= (uint8_t)(1u << (port % 8));
		s->count++;
	}
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Adds the first n ports of the embedded top-ports list. */
static enum csirt_rc
portspec_top(int64_t n, struct port_set *out, struct csirt_err *err)
{
	const struct embedded_file *f = embedded_find("data/scan/top-ports.txt");
	const char *p, *end;
	int64_t taken = 0;

	if (f == NULL)
		return csirt_err_set(err, CSIRT_EINTERNAL, "ports", "top-ports list missing from build");
	p = (const char *)f->data;
	end = p + f->size;
	while (p < end && taken < n) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[16];
		int64_t port;

		if (len > 0 && len < sizeof(line) && p[0] != '#') {
			memcpy(line, p, len);
			line[len] = '\0';
			if (parse_int64(line, 1, 65535, &port) == CSIRT_OK) {
				if (!port_set_has(out, (uint16_t)port))
					taken++;
				port_set_add(out, (uint16_t)port);
			}
		}
		p += len + 1;
	}
	if (taken < n)
		return csirt_err_set(err, CSIRT_EINVAL, "ports",
		    "top%lld asks for more ports than the list holds (%lld)", (long long)n,
		    (long long)taken);
	return CSIRT_OK;
}

enum csirt_rc
portspec_parse(const char *spec, struct port_set *out, struct csirt_err *err)
{
	char copy[1024], *save = NULL, *tok;

	memset(out, 0, sizeof(*out));
	if (spec == NULL || spec[0] == '\0' || strlen(spec) >= sizeof(copy))
		return csirt_err_set(err, CSIRT_EINVAL, "ports", "empty or overlong port list");
	snprintf(copy, sizeof(copy), "%s", spec);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		int64_t lo, hi;
		enum csirt_rc rc;

		if (strcmp(tok, "all") == 0 || strcmp(tok, "-") == 0) {
			for (uint32_t p = 1; p <= 65535; p++)
				port_set_add(out, (uint16_t)p);
			continue;
		}
		if (strncmp(tok, "top", 3) == 0) {
			if (parse_int64(tok + 3, 1, 65535, &lo) != CSIRT_OK)
				return csirt_err_set(err, CSIRT_EINVAL, "ports", "bad top-N: '%s'", tok);
			rc = portspec_top(lo, out, err);
			if (rc != CSIRT_OK)
				return rc;
			continue;
		}
		if (dash != NULL) {
			*dash = '\0';
			if (parse_int64(tok, 1, 65535, &lo) != CSIRT_OK ||
			    parse_int64(dash + 1, 1, 65535, &hi) != CSIRT_OK || lo > hi)
				return csirt_err_set(err, CSIRT_EINVAL, "ports", "bad port range");
		} else if (parse_int64(tok, 1, 65535, &lo) == CSIRT_OK) {
			hi = lo;
		} else {
			return csirt_err_set(err, CSIRT_EINVAL, "ports", "bad port: '%s'", tok);
		}
		for (int64_t p = lo; p <= hi; p++)
			port_set_add(out, (uint16_t)p);
	}
	if (out->count == 0)
		return csirt_err_set(err, CSIRT_EINVAL, "ports", "no ports");
	return CSIRT_OK;
}

void
scan_addrs_release(struct scan_addrs *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static bool
addr_equal(const struct sockaddr_storage *x, const struct sockaddr_storage *y, bool port)
{
	if (x->ss_family != y->ss_family)
		return false;
	if (x->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)x, *b = (const void *)y;

		return a->sin_addr.s_addr == b->sin_addr.s_addr &&
		    (!port || a->sin_port == b->sin_port);
	}
	if (x->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)x, *b = (const void *)y;

		return memcmp(&a->sin6_addr, &b->sin6_addr, 16) == 0 &&
		    (!port || a->sin6_port == b->sin6_port);
	}
	return false;
}

bool
scan_addrs_contains(const struct scan_addrs *a, const struct scan_addr *x)
{
	for (size_t k = 0; k < a->n; k++)
		if (addr_equal(&a->v[k].sa, &x->sa, false))
			return true;
	return false;
}

static enum csirt_rc
addrs_push(struct scan_addrs *a, const struct sockaddr *sa, socklen_t len)
{
	struct scan_addr *x;

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		struct scan_addr *v = realloc(a->v, cap * sizeof(*v));

		if (v == NULL)
			return CSIRT_ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	x = &a->v[a->n];
	memset(x, 0, sizeof(*x));
	memcpy(&x->sa, sa, len);
	x->salen = len;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    x->text, sizeof(x->text));
	else
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    x->text, sizeof(x->text));
	if (scan_addrs_contains(a, x))
		return CSIRT_OK;	/* a name may list an address twice */
	a->n++;
	return CSIRT_OK;
}

/* Expands "a.b.c.d/len" or "x::y/len" into every address of the range. */
static enum csirt_rc
resolve_cidr(const char *target, const char *slash, struct scan_addrs *out,
    struct csirt_err *err)
{
	char host[64];
	int64_t bits;
	size_t hlen = (size_t)(slash - target);
	struct sockaddr_in v4 = { .sin_family = AF_INET };
	struct sockaddr_in6 v6 = { .sin6_family = AF_INET6 };

	if (hlen >= sizeof(host))
		return csirt_err_set(err, CSIRT_EINVAL, "target", "bad address range");
	memcpy(host, target, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, &v4.sin_addr) == 1) {
		uint32_t base, count;

		if (parse_int64(slash + 1, 16, 32, &bits) != CSIRT_OK)
			return csirt_err_set(err, CSIRT_EINVAL, "target",
			    "IPv4 ranges must be /16 to /32");
		count = 1u << (32 - bits);
		base = ntohl(v4.sin_addr.s_addr) & ~(count - 1);
		for (uint32_t k = 0; k < count; k++) {
			v4.sin_addr.s_addr = htonl(base + k);
			if (addrs_push(out, (struct sockaddr *)&v4, sizeof(v4)) != CSIRT_OK)
				return CSIRT_ENOMEM;
		}
		return CSIRT_OK;
	}
	if (inet_pton(AF_INET6, host, &v6.sin6_addr) == 1) {
		uint32_t count;

		if (parse_int64(slash + 1, 112, 128, &bits) != CSIRT_OK)
			return csirt_err_set(err, CSIRT_EINVAL, "target",
			    "IPv6 ranges must be /112 to /128");
		count = 1u << (128 - bits);
		v6.sin6_addr.s6_addr[14] &= (uint8_t)(~(count - 1) >> 8);
		v6.sin6_addr.s6_addr[15] &= (uint8_t)(~(count - 1));
		for (uint32_t k = 0; k < count; k++) {
			struct sockaddr_in6 one = v6;
			uint32_t low = ((uint32_t)v6.sin6_addr.s6_addr[14] << 8 |
			    v6.sin6_addr.s6_addr[15]) + k;

			one.sin6_addr.s6_addr[14] = (uint8_t)(low >> 8);
			one.sin6_addr.s6_addr[15] = (uint8_t)low;
			if (addrs_push(out, (struct sockaddr *)&one, sizeof(one)) != CSIRT_OK)
				return CSIRT_ENOMEM;
		}
		return CSIRT_OK;
	}
	return csirt_err_set(err, CSIRT_EINVAL, "target", "bad address range");
}

enum csirt_rc
scan_target_resolve(const char *target, struct scan_addrs *out, bool *is_range,
    struct csirt_err *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG };
	struct addrinfo *res = NULL, *ai;
	const char *slash = strchr(target, '/');
	size_t before = out->n;
	enum csirt_rc rc = CSIRT_OK;
	int gai;

	*is_range = false;
	if (strlen(target) > 253)
		return csirt_err_set(err, CSIRT_EINVAL, "target", "target name too long");
	if (slash != NULL) {
		*is_range = true;
		return resolve_cidr(target, slash, out, err);
	}
	gai = getaddrinfo(target, NULL, &hints, &res);
	if (gai != 0)
		return csirt_err_set(err, CSIRT_ENOTFOUND, "target", "cannot resolve '%s': %s",
		    target, gai_strerror(gai));
	for (ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		rc = addrs_push(out, ai->ai_addr, ai->ai_addrlen);
		if (rc != CSIRT_OK)
			break;
	}
	freeaddrinfo(res);
	/* A literal address names itself; a host name is a scope question. */
	{
		struct in6_addr tmp;

		if (inet_pton(AF_INET, target, &tmp) != 1 && inet_pton(AF_INET6, target, &tmp) != 1)
			*is_range = true;
	}
	if (rc == CSIRT_OK && out->n == before && before == 0)
		return csirt_err_set(err, CSIRT_ENOTFOUND, "target", "'%s' has no address", target);
	return rc;
}

/*
 * A slot of the in-flight table. Its socket outlives one attempt: on Linux a
 * TCP socket whose connect was refused can connect again, so a closed port
 * costs two connect() calls (start, then collect the result) instead of
 * socket, connect, epoll_ctl and close. That halves the system calls of a
 * sweep, where nearly every port is closed. The socket stays in the epoll
 * set (edge-triggered) for its whole life.
 */
struct conn {
	int fd;			/* -1: no socket */
	bool busy;		/* a connect is in flight */
	sa_family_t family;	/* of the socket, to reuse it only for the same family */
	uint32_t addr;
	uint16_t port;
	int64_t deadline;
};

struct sweep {
	const struct scan_addrs *addrs;
	const struct port_set *ports;
	uint32_t next_addr;
	uint32_t next_port;	/* next port to look at for next_addr */
	struct netscan_open *open;
	size_t nopen, capopen;
	struct netscan_stats st;
};

/* The next (address, port) pair to try, in address-major order; false when done. */
static bool
sweep_next(struct sweep *s, uint32_t *addr, uint16_t *port)
{
	while (s->next_addr < s->addrs->n) {
		while (s->next_port <= 65535) {
			uint32_t p = s->next_port++;

			if (p > 0 && port_set_has(s->ports, (uint16_t)p)) {
				*addr = s->next_addr;
				*port = (uint16_t)p;
				return true;
			}
		}
		s->next_addr++;
		s->next_port = 0;
	}
	return false;
}

static enum csirt_rc
sweep_record(struct sweep *s, uint32_t addr, uint16_t port)
{
	if (s->nopen == s->capopen) {
		size_t cap = s->capopen ? s->capopen * 2 : 64;
		struct netscan_open *v = realloc(s->open, cap * sizeof(*v));

		if (v == NULL)
			return CSIRT_ENOMEM;
		s->open = v;
		s->capopen = cap;
	}
	s->open[s->nopen].addr = addr;
	s->open[s->nopen].port = port;
	s->nopen++;
	s->st.open++;
	return CSIRT_OK;
}

/* True when the connection is TCP talking to itself (same address and port at both ends). */
bool
netscan_is_self_connect(int fd)
{
	struct sockaddr_storage local, peer;
	socklen_t ll = sizeof(local), pl = sizeof(peer);

	if (getsockname(fd, (struct sockaddr *)&local, &ll) != 0 ||
	    getpeername(fd, (struct sockaddr *)&peer, &pl) != 0)
		return false;
	return addr_equal(&local, &peer, true);
}

static void
close_reset(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

static void
conn_drop(struct conn *c, bool reset)
{
	if (reset)
		close_reset(c->fd);
	else
		close(c->fd);	/* close() also takes the socket out of the epoll set */
	c->fd = -1;
	c->busy = false;
}

/* The target of a slot as a socket address. */
static void
conn_sockaddr(const struct sweep *s, const struct conn *c, struct sockaddr_storage *sa,
    socklen_t *len)
{
	const struct scan_addr *a = &s->addrs->v[c->addr];

	*sa = a->sa;
	*len = a->salen;
	if (sa->ss_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(c->port);
	else
		((struct sockaddr_in6 *)sa)->sin6_port = htons(c->port);
}

/* An attempt that ended: counts it and leaves the slot idle (socket kept
 * for the next attempt when it can be reused) or empty. */
static enum csirt_rc
conn_result(struct sweep *s, struct conn *c, int result)
{
	enum csirt_rc rc = CSIRT_OK;

	c->busy = false;
	switch (result) {
	case 0:
		if (netscan_is_self_connect(c->fd))
			s->st.self_connects++;
		else
			rc = sweep_record(s, c->addr, c->port);
		conn_drop(c, true);	/* a reset: no TIME_WAIT left behind */
		return rc;
	case ECONNREFUSED:
		s->st.refused++;
		return CSIRT_OK;	/* the socket is ready to connect again */
	case ETIMEDOUT:
	case EHOSTUNREACH:
	case ENETUNREACH:
		s->st.timed_out++;
		break;
	default:
		s->st.other_errors++;
		break;
	}
	conn_drop(c, false);
	return CSIRT_OK;
}

/* Starts one connect in slot c; returns 1 if in flight, 0 if it finished
 * at once, -1 on a local error (errno says which). */
static int
conn_start(struct sweep *s, int ep, struct conn *c, uint32_t addr, uint16_t port, int timeout)
{
	struct sockaddr_storage sa;
	socklen_t salen;
	int saved;

	c->addr = addr;
	c->port = port;
	conn_sockaddr(s, c, &sa, &salen);
	if (c->fd >= 0 && c->family != sa.ss_family)
		conn_drop(c, false);
	if (c->fd < 0) {
		struct epoll_event ev = { .events = EPOLLOUT | EPOLLET, .data.ptr = c };

		c->fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (c->fd < 0)
			return -1;
		c->family = sa.ss_family;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
			saved = errno;
			conn_drop(c, false);
			errno = saved;
			return -1;
		}
	}
	s->st.attempted++;
	if (connect(c->fd, (struct sockaddr *)&sa, salen) == 0)
		return conn_result(s, c, 0) == CSIRT_OK ? 0 : -1;	/* loopback may do this */
	if (errno == EINPROGRESS) {
		c->busy = true;
		c->deadline = now_ms() + timeout;
		return 1;
	}
	if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == EADDRNOTAVAIL) {
		saved = errno;
		s->st.attempted--;	/* retried later */
		conn_drop(c, false);
		errno = saved;
		return -1;
	}
	conn_result(s, c, errno);
	return 0;
}

/*
 * An event on a busy slot. The event's flags are not trusted: with a
 * reused socket a late wake-up of its previous attempt can arrive. A second
 * connect() to the same target tells the truth and, when the attempt
 * failed, makes the socket reusable: EALREADY still in flight, 0 (or
 * EISCONN) connected, anything else the attempt's error.
 * Returns 1 when the attempt ended.
 */
static int
conn_finish(struct sweep *s, struct conn *c, enum csirt_rc *rc)
{
	struct sockaddr_storage sa;
	socklen_t salen;
	int result = 0;

	*rc = CSIRT_OK;
	if (!c->busy || c->fd < 0)
		return 0;
	conn_sockaddr(s, c, &sa, &salen);
	if (connect(c->fd, (struct sockaddr *)&sa, salen) != 0) {
		if (errno == EALREADY || errno == EINPROGRESS)
			return 0;
		result = errno == EISCONN ? 0 : errno;
	}
	*rc = conn_result(s, c, result);
	return 1;
}

static int
open_cmp(const void *a, const void *b)
{
	const struct netscan_open *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->port - (int)y->port;
}

/* Raises the soft descriptor limit toward the hard one; returns how many we may use. */
static int
fd_budget(int want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 256;
	if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < (rlim_t)want + 64) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)want + 64 ? rl.rlim_max : (rlim_t)want + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < 96)
		return 32;
	return (int)(rl.rlim_cur - 64 < (rlim_t)want ? rl.rlim_cur - 64 : (rlim_t)want);
}

/* One sweep loop on its own epoll set: every (address, port) of 'ports'. */
static enum csirt_rc
sweep_run(const struct scan_addrs *addrs, const struct port_set *ports, int inflight_max,
    int timeout, int rate, struct netscan_open **out, size_t *nout, struct netscan_stats *stats,
    struct csirt_err *err)
{
	struct sweep s = { .addrs = addrs, .ports = ports };
	struct epoll_event *events = NULL;
	struct conn *conns = NULL;
	int ep = -1, inflight = 0, free_hint = 0;
	double tokens = 0;
	int64_t last_refill = now_ms(), last_expiry = last_refill;
	bool more = true;
	enum csirt_rc rc = CSIRT_OK;

	*out = NULL;
	*nout = 0;
	conns = calloc((size_t)inflight_max, sizeof(*conns));
	events = calloc((size_t)inflight_max, sizeof(*events));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (conns == NULL || events == NULL || ep < 0) {
		rc = csirt_err_set(err, CSIRT_ENOMEM, NULL, "cannot set up the scan");
		goto out;
	}
	for (int k = 0; k < inflight_max; k++)
		conns[k].fd = -1;
	if (rate > 0)
		tokens = rate < 16 ? rate : 16;

	while (more || inflight > 0) {
		int64_t now = now_ms();
		int wait_ms = 50, n;

		if (rate > 0) {
			tokens += (double)(now - last_refill) * rate / 1000.0;
			if (tokens > rate)
				tokens = rate;	/* at most one second of burst */
			last_refill = now;
		}
		/* Fill free slots while the rate allows. */
		while (more && inflight < inflight_max && (rate <= 0 || tokens >= 1)) {
			uint32_t a;
			uint16_t p;
			int started;

			if (!sweep_next(&s, &a, &p)) {
				more = false;
				break;
			}
			while (conns[free_hint].busy)
				free_hint = (free_hint + 1) % inflight_max;
			started = conn_start(&s, ep, &conns[free_hint], a, p, timeout);
			if (rate > 0)
				tokens -= 1;
			if (started < 0) {
				if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
				    errno == EADDRNOTAVAIL) {
					/* Out of descriptors or ports: retry the pair later. */
					s.next_port = p;
					s.next_addr = a;
					break;
				}
				s.st.other_errors++;
				continue;
			}
			if (started > 0)
				inflight++;
		}
		if (rate > 0 && more && tokens < 1)
			wait_ms = 1 + (int)(1000.0 / rate);
		n = epoll_wait(ep, events, inflight_max, inflight > 0 ? wait_ms : 0);
		if (n < 0 && errno != EINTR) {
			rc = csirt_err_set(err, CSIRT_EIO, NULL, "epoll_wait failed");
			goto out;
		}
		for (int k = 0; k < n; k++) {
			if (conn_finish(&s, events[k].data.ptr, &rc))
				inflight--;
			if (rc != CSIRT_OK)
				goto out;
		}
		/* Expire connections that got no answer. */
		now = now_ms();
		if (inflight > 0 && now - last_expiry >= 50) {
			last_expiry = now;
			for (int k = 0; k < inflight_max; k++) {
				if (conns[k].busy && conns[k].deadline <= now) {
					conn_drop(&conns[k], false);
					s.st.timed_out++;
					inflight--;
				}
			}
		}
	}
	*out = s.open;
	*nout = s.nopen;
	s.open = NULL;
out:
	if (conns != NULL)
		for (int k = 0; k < inflight_max; k++)
			if (conns[k].fd >= 0)
				close(conns[k].fd);
	if (ep >= 0)
		close(ep);
	free(conns);
	free(events);
	free(s.open);
	if (stats != NULL)
		*stats = s.st;
	return rc;
}

struct worker {
	pthread_t thread;
	const struct scan_addrs *addrs;
	struct port_set ports;
	int inflight, timeout;
	struct netscan_open *open;
	size_t nopen;
	struct netscan_stats st;
	struct csirt_err err;
	enum csirt_rc rc;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	w->rc = sweep_run(w->addrs, &w->ports, w->inflight, w->timeout, 0, &w->open, &w->nopen,
	    &w->st, &w->err);
	return NULL;
}

/*
 * A large sweep without a rate limit runs as one loop per CPU (at most
 * SWEEP_THREADS), each on every n-th port: nearly all of a loopback sweep's
 * time is the kernel's work inside connect() (sending the SYN, taking the
 * reset), which one thread cannot spread over two cores.
 */
#define SWEEP_THREADS 2
#define SWEEP_THREADS_MIN_PAIRS 4096

enum csirt_rc
netscan_run(const struct scan_addrs *addrs, const struct port_set *ports,
    const struct netscan_opts *opts, struct netscan_open **out, size_t *nout,
    struct netscan_stats *stats, struct csirt_err *err)
{
	int inflight_max = opts && opts->max_inflight > 0 ? opts->max_inflight : DEFAULT_INFLIGHT;
	int timeout = opts && opts->timeout_ms > 0 ? opts->timeout_ms : DEFAULT_TIMEOUT_MS;
	int rate = opts ? opts->rate : 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int n = cpus > SWEEP_THREADS ? SWEEP_THREADS : cpus < 1 ? 1 : (int)cpus;
	struct worker *w = NULL;
	struct netscan_stats total = { 0 };
	size_t nopen = 0;
	enum csirt_rc rc = CSIRT_OK;
	int started = 0;

	*out = NULL;
	*nout = 0;
	inflight_max = fd_budget(inflight_max);
	if (opts != NULL && opts->threads > 0)
		n = opts->threads < SWEEP_THREADS ? opts->threads : SWEEP_THREADS;
	if (rate > 0 || (uint64_t)ports->count * addrs->n < SWEEP_THREADS_MIN_PAIRS ||
	    inflight_max < 2 * n)
		n = 1;
	if (n == 1) {
		rc = sweep_run(addrs, ports, inflight_max, timeout, rate, out, nout, stats, err);
		if (rc == CSIRT_OK && *nout > 1)
			qsort(*out, *nout, sizeof(**out), open_cmp);
		return rc;
	}
	w = calloc((size_t)n, sizeof(*w));
	if (w == NULL)
		return csirt_err_set(err, CSIRT_ENOMEM, NULL, "cannot set up the scan");
	for (int k = 0; k < n; k++) {
		w[k].addrs = addrs;
		w[k].inflight = inflight_max / n;
		w[k].timeout = timeout;
		csirt_err_clear(&w[k].err);
	}
	for (uint32_t p = 1, i = 0; p <= 65535; p++)
		if (port_set_has(ports, (uint16_t)p))
			port_set_add(&w[i++ % (uint32_t)n].ports, (uint16_t)p);
	for (; started < n; started++) {
		if (pthread_create(&w[started].thread, NULL, worker_main, &w[started]) != 0) {
			rc = csirt_err_set(err, CSIRT_ENOMEM, NULL, "cannot start the scan threads");
			break;
		}
	}
	for (int k = 0; k < started; k++) {
		pthread_join(w[k].thread, NULL);
		if (rc == CSIRT_OK && w[k].rc != CSIRT_OK) {
			rc = w[k].rc;
			if (err != NULL)
				*err = w[k].err;
		}
		total.attempted += w[k].st.attempted;
		total.open += w[k].st.open;
		total.refused += w[k].st.refused;
		total.timed_out += w[k].st.timed_out;
		total.self_connects += w[k].st.self_connects;
		total.other_errors += w[k].st.other_errors;
		nopen += w[k].nopen;
	}
	if (rc == CSIRT_OK && nopen > 0) {
		*out = malloc(nopen * sizeof(**out));
		if (*out == NULL)
			rc = CSIRT_ENOMEM;
		for (int k = 0; rc == CSIRT_OK && k < n; k++) {
			memcpy(*out + *nout, w[k].open, w[k].nopen * sizeof(**out));
			*nout += w[k].nopen;
		}
		if (rc == CSIRT_OK)
			qsort(*out, *nout, sizeof(**out), open_cmp);
	}
	for (int k = 0; k < n; k++)
		free(w[k].open);
	free(w);
	if (stats != NULL)
		*stats = total;
	return rc;
}
