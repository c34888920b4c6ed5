/*
 * scan_net.h - discovery: which TCP ports of which addresses accept a
 * connection. A full connect (no raw sockets, no privileges) with many
 * connections in flight on one epoll set, a global rate limit, IPv4 and
 * IPv6, and no phantom ports: a loopback connect that met itself (TCP
 * simultaneous open, local address and port equal to the target's) is a
 * closed port, not an open one.
 *
 * Scope: a scan touches only the addresses it is allowed to. The caller
 * builds a scope (the addresses registered to the systems being scanned, or
 * the literal addresses the operator typed); a target outside it is refused
 * unless an authorisation reason is given, which is logged.
 */
#ifndef CSIRT_SCAN_NET_H
#define CSIRT_SCAN_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "csirt/err.h"

/* A set of TCP ports, one bit each. */
struct port_set {
	uint8_t bits[65536 / 8];
	uint32_t count;
};

/*
 * Parses a port specification: "22", "1-1024", "22,80,443", "top100"
 * (the top-N list shipped in data/scan/top-ports.txt, N up to its length),
 * "all" or "-" (1-65535), or any comma list of those.
 */
enum csirt_rc portspec_parse(const char *spec, struct port_set *out, struct csirt_err *err);
bool port_set_has(const struct port_set *s, uint16_t port);

/* One address to scan, with its printable form. */
struct scan_addr {
	struct sockaddr_storage sa;
	socklen_t salen;
	char text[48];		/* "127.0.0.1", "::1" */
};

/* Growing list of addresses; caller frees with scan_addrs_release(). */
struct scan_addrs {
	struct scan_addr *v;
	size_t n, cap;
};

void scan_addrs_release(struct scan_addrs *a);
bool scan_addrs_contains(const struct scan_addrs *a, const struct scan_addr *x);

/*
 * Adds the addresses a target names: an IPv4 or IPv6 literal, a CIDR range
 * (at most /16 for IPv4, /112 for IPv6), or a host name (all its addresses).
 * '*is_range' is set when the target named more than one address by a
 * range or a name, so that the caller can apply its scope rule.
 */
enum csirt_rc scan_target_resolve(const char *target, struct scan_addrs *out,
    bool *is_range, struct csirt_err *err);

struct netscan_opts {
	int max_inflight;	/* connections in flight at once; 0 = 1024 (capped by RLIMIT_NOFILE) */
	int rate;		/* connection attempts per second; 0 = unlimited */
	int timeout_ms;		/* per connection; 0 = 1500 */
	int threads;		/* sweep loops; 0 = one per CPU, at most 2 (1 with a rate) */
};

/* An open port: index into the address list and the port. */
struct netscan_open {
	uint32_t addr;
	uint16_t port;
};

struct netscan_stats {
	uint64_t attempted, open, refused, timed_out, self_connects, other_errors;
};

/*
 * Connect-scans every (address, port). On success '*out' is a new array of
 * '*nout' open ports sorted by address then port (caller frees); 'stats'
 * may be NULL.
 */
enum csirt_rc netscan_run(const struct scan_addrs *addrs, const struct port_set *ports,
    const struct netscan_opts *opts, struct netscan_open **out, size_t *nout,
    struct netscan_stats *stats, struct csirt_err *err);

/* True when connected socket 'fd' talks to itself (TCP simultaneous open). */
bool netscan_is_self_connect(int fd);

#endif
