/*
 * server.c - the HTTP server around libmicrohttpd: accepts a request,
 * accumulates its body under a cap, finds its route, authenticates it,
 * checks CSRF and the role, runs the handler and sends the response.
 */
#include "csirt/common.h"
#include "csirt/audit_anchor.h"
#include "csirt/server.h"
#include "http/http_int.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
server_config_defaults(struct server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->listen_addr, sizeof(cfg->listen_addr), "127.0.0.1");
	cfg->port = 8080;
	snprintf(cfg->data_dir, sizeof(cfg->data_dir), "./var");
	/* One worker per CPU: measured on 2 cores with 100,000 incidents, 2
	 * threads listed 16,000 req/s with p99 5 ms where 4 gave 20,000 req/s
	 * with p99 14 ms (time slices lost to switching), and created 1,070/s
	 * (docs/BENCHMARKS-api.md). */
	{
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		cfg->threads = n < 2 ? 2 : n > 64 ? 64 : (unsigned)n;
	}
	/* Writes wait on the disk more than on the CPU: eight under way at
	 * once make commit batches of up to eight (src/http/write_pool.h). */
	cfg->write_threads = 8;
	cfg->max_json_body = 1 << 20;
	cfg->max_public_body = 64 << 10;
	cfg->max_evidence = (size_t)256 << 20;
	cfg->public_reports_per_hour = 20;
}

/* ---- public rate limit: a fixed window per client address ---------- */

#define RATE_SLOTS 4096

static struct {
	char ip[64];
	int64_t window;
	unsigned count;
} rate_slots[RATE_SLOTS];
static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;

static int
rate_allow(const char *ip, unsigned per_hour)
{
	unsigned h = 2166136261u;
	int64_t window = time_now() / 3600;
	int ok;

	for (const char *p = ip; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	pthread_mutex_lock(&rate_lock);
	h %= RATE_SLOTS;
	if (strcmp(rate_slots[h].ip, ip) != 0 || rate_slots[h].window != window) {
		snprintf(rate_slots[h].ip, sizeof(rate_slots[h].ip), "%s", ip);
		rate_slots[h].window = window;
		rate_slots[h].count = 0;
	}
	ok = rate_slots[h].count < per_hour;
	if (ok)
		rate_slots[h].count++;
	pthread_mutex_unlock(&rate_lock);
	return ok;
}

/* ---- routing ------------------------------------------------------- */

/* Matches 'url' against 'pattern'; {id} takes a positive integer, {code}
 * takes [A-Za-z0-9._-]{1,127}. */
static int
route_match(const char *pattern, const char *url, struct request *req)
{
	const char *p = pattern, *u = url;
	int n = 0;

	while (*p && *u) {
		if (p[0] == '{') {
			const char *close = strchr(p, '}');
			const char *end = strchr(u, '/');
			size_t len = end ? (size_t)(end - u) : strlen(u);
			char seg[128];

			if (close == NULL || len == 0 || len >= sizeof(seg))
				return 0;
			memcpy(seg, u, len);
			seg[len] = '\0';
			if (strncmp(p, "{code}", 6) == 0) {
				for (size_t i = 0; i < len; i++)
					if (!(seg[i] == '-' || seg[i] == '.' || seg[i] == '_' ||
					    (seg[i] >= '0' && seg[i] <= '9') ||
					    ((seg[i] | 32) >= 'a' && (seg[i] | 32) <= 'z')))
						return 0;
				snprintf(req->text_param, sizeof(req->text_param), "%s", seg);
			} else {
				int64_t v;

				if (n >= MAX_PATH_PARAMS || parse_int64(seg, 1, INT64_MAX, &v) != CSIRT_OK)
					return 0;
				req->params[n++] = v;
			}
			p = close + 1;
			u += len;
			continue;
		}
		if (*p != *u)
			return 0;
		p++;
		u++;
	}
	return *p == '\0' && *u == '\0';
}

/* Finds the route; *path_known tells a 405 from a 404. */
static const struct route *
route_find(struct request *req, int *path_known)
{
	*path_known = 0;
	for (size_t i = 0; i < api_route_count; i++) {
		const struct route *r = &api_routes[i];

		memset(req->params, 0, sizeof(req->params));
		if (!route_match(r->pattern, req->url, req))
			continue;
		*path_known = 1;
		if (strcmp(r->method, req->method) == 0)
			return r;
	}
	return NULL;
}

/* ---- authentication ------------------------------------------------ */

static const char *
cookie_value(struct request *req)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "csirt_session");
}

static void
authenticate(struct request *req)
{
	const char *auth = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Authorization");
	const char *cookie;

	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		if (accounts_api_token(req->st, auth + 7, &req->actor) == CSIRT_OK)
			req->authenticated = 1;
		return;
	}
	cookie = cookie_value(req);
	if (cookie && accounts_session(req->st, cookie, &req->actor, req->csrf) == CSIRT_OK) {
		req->authenticated = 1;
		req->via_cookie = 1;
	}
}

static int
is_state_changing(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    strcmp(method, "OPTIONS") != 0;
}

/* ---- responses ----------------------------------------------------- */

static void
add_security_headers(struct MHD_Response *r)
{
	/* Everything is served by csirt itself: no inline script or style, no
	 * other origin. */
	MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
	    " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
	    " frame-ancestors 'none'; form-action 'self'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result
send_response(struct request *req, struct response *res)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (res->fd >= 0) {
		r = MHD_create_response_from_fd(res->fd_size, res->fd);
	} else if (res->static_data) {
		r = MHD_create_response_from_buffer(res->static_len, (void *)res->static_data,
		    MHD_RESPMEM_PERSISTENT);
	} else {
		if (res->json) {
			free(res->raw);
			res->raw = json_dumps(res->json, JSON_COMPACT);
			res->raw_len = res->raw ? strlen(res->raw) : 0;
			if (res->content_type == NULL)
				res->content_type = "application/json; charset=utf-8";
		}
		r = MHD_create_response_from_buffer(res->raw_len, res->raw ? res->raw : (void *)"",
		    res->raw ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
		res->raw = NULL;	/* MHD frees it now */
	}
	if (r == NULL)
		return MHD_NO;
	if (res->content_type)
		MHD_add_response_header(r, "Content-Type", res->content_type);
	if (strncmp(req->url, "/api/", 5) == 0)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	add_security_headers(r);
	for (int i = 0; i < res->n_headers; i++)
		MHD_add_response_header(r, res->headers[i][0], res->headers[i][1]);
	ret = MHD_queue_response(req->conn, res->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- the request life cycle ---------------------------------------- */

static void
client_address(struct request *req)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(req->client_ip, sizeof(req->client_ip), "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, req->client_ip,
		    sizeof(req->client_ip));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, req->client_ip,
		    sizeof(req->client_ip));
}

static size_t
body_cap(const struct request *req)
{
	if (req->route && (req->route->flags & RF_PUBLIC_LIMIT))
		return req->cfg->max_public_body;
	return req->cfg->max_json_body;
}

static void
upload_cleanup(struct request *req)
{
	if (req->upload) {
		fclose(req->upload);
		req->upload = NULL;
	}
	if (req->upload_path[0]) {
		unlink(req->upload_path);
		req->upload_path[0] = '\0';
	}
	free(req->upload_hash);
	req->upload_hash = NULL;
}

static int
upload_start(struct request *req)
{
	char dir[1100];
	int fd;

	snprintf(dir, sizeof(dir), "%s/evidence", req->cfg->data_dir);
	mkdir(dir, 0750);
	snprintf(dir, sizeof(dir), "%s/evidence/tmp", req->cfg->data_dir);
	mkdir(dir, 0750);
	snprintf(req->upload_path, sizeof(req->upload_path), "%s/upload-XXXXXX", dir);
	fd = mkstemp(req->upload_path);
	if (fd < 0) {
		req->upload_path[0] = '\0';
		return -1;
	}
	req->upload = fdopen(fd, "wb");
	req->upload_hash = malloc(sizeof(crypto_hash_sha256_state));
	if (req->upload == NULL || req->upload_hash == NULL) {
		if (req->upload == NULL)
			close(fd);
		upload_cleanup(req);
		return -1;
	}
	crypto_hash_sha256_init(req->upload_hash);
	return 0;
}

static void response_free(struct response *res);

static void
request_free(struct request *req)
{
	if (req->res) {
		response_free(req->res);
		free(req->res);
	}
	upload_cleanup(req);
	buf_release(&req->body);
	free(req);
}

static void
dispatch(struct request *req, struct response *res)
{
	int path_known = 0;
	const char *token;

	if (strncmp(req->url, "/api/", 5) != 0) {
		if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) {
			if (ui_serve(req, res))
				return;
		}
		res_error(res, 404, "not_found", "no such page");
		return;
	}
	if (req->route == NULL) {
		req->route = route_find(req, &path_known);
		if (req->route == NULL) {
			if (path_known)
				res_error(res, 405, "method_not_allowed", "this method is not allowed here");
			else
				res_error(res, 404, "not_found", "no such endpoint");
			return;
		}
	}
	if (req->body_too_big) {
		res_error(res, 413, "too_large", "the request body is too large");
		return;
	}
	if (req->st == NULL) {
		res_error(res, 503, "storage_error", "the database is not available");
		return;
	}
	if (req->route->flags & RF_PUBLIC_LIMIT) {
		if (strcmp(req->method, "POST") == 0 &&
		    !rate_allow(req->client_ip, req->cfg->public_reports_per_hour)) {
			res_header(res, "Retry-After", "3600");
			res_error(res, 429, "rate_limited",
			    "too many reports from this address; try again later");
			return;
		}
	}
	if (!(req->route->flags & RF_PUBLIC)) {
		authenticate(req);
		if (!req->authenticated) {
			res_error(res, 401, "unauthenticated", "log in first");
			return;
		}
		if (req->via_cookie && is_state_changing(req->method)) {
			token = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-CSRF-Token");
			if (token == NULL || strlen(token) != TOKEN_HEX_LEN ||
			    sodium_memcmp(token, req->csrf, TOKEN_HEX_LEN) != 0) {
				res_error(res, 403, "csrf", "missing or wrong X-CSRF-Token header");
				return;
			}
		}
		if (!(req->route->roles & req->actor.role)) {
			res_error(res, 403, "forbidden", "your role does not allow this");
			return;
		}
	}
	req->route->handler(req, res);
}

static struct write_pool *write_pool;

static void
response_init(struct response *res)
{
	memset(res, 0, sizeof(*res));
	res->fd = -1;
	res->status = 200;
}

static void
response_free(struct response *res)
{
	json_decref(res->json);
	free(res->raw);
}

/* Runs the request's handler on this thread; a write counts as under way
 * for group commit meanwhile. */
static void
run_request(struct request *req, struct response *res, int writes)
{
	req->st = store_thread(req->cfg->data_dir);
	if (writes)
		store_write_intent(1);
	dispatch(req, res);
	if (writes)
		store_write_intent(-1);
}

/* On a write pool thread, while MHD holds the connection suspended. */
static void
run_deferred(struct write_job *job)
{
	struct request *req = (struct request *)((char *)job - offsetof(struct request, job));

	run_request(req, req->res, 1);
	/* the last touch of 'req': once resumed, MHD may answer and free it */
	MHD_resume_connection(req->conn);
}

/* Hands a write to the pool; returns 0 if it will be answered later. */
static int
defer_write(struct request *req)
{
	if (write_pool == NULL || (req->res = malloc(sizeof(*req->res))) == NULL)
		return -1;
	response_init(req->res);
	req->job.run = run_deferred;
	/* suspended before it is queued, so that a fast job cannot resume a
	 * connection that is not suspended yet */
	MHD_suspend_connection(req->conn);
	if (write_pool_submit(write_pool, &req->job) == 0)
		return 0;
	MHD_resume_connection(req->conn);	/* stopping: run it here */
	free(req->res);
	req->res = NULL;
	return -1;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	const struct server_config *cfg = cls;
	struct request *req = *con_cls;
	struct response res;
	enum MHD_Result ret;
	int writes;
	int path_known;

	if (req == NULL) {
		req = calloc(1, sizeof(*req));
		if (req == NULL)
			return MHD_NO;
		req->conn = conn;
		req->cfg = cfg;
		req->method = method;
		req->url = url;
		buf_init(&req->body, cfg->max_json_body);
		client_address(req);
		if (strncmp(url, "/api/", 5) == 0)
			req->route = route_find(req, &path_known);
		if (req->route)
			req->body.max = body_cap(req);
		*con_cls = req;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (req->route && (req->route->flags & RF_STREAM)) {
			if (req->upload == NULL && !req->body_too_big && req->upload_path[0] == '\0' &&
			    upload_start(req) != 0)
				req->body_too_big = 1;
			if (req->upload && !req->body_too_big) {
				if (req->upload_size + *upload_data_size > cfg->max_evidence) {
					req->body_too_big = 1;
					upload_cleanup(req);
				} else {
					fwrite(upload_data, 1, *upload_data_size, req->upload);
					crypto_hash_sha256_update(req->upload_hash,
					    (const unsigned char *)upload_data, *upload_data_size);
					req->upload_size += *upload_data_size;
				}
			}
		} else if (!req->body_too_big &&
		    buf_append(&req->body, upload_data, *upload_data_size) != CSIRT_OK) {
			req->body_too_big = 1;
			buf_release(&req->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->res != NULL)	/* the write pool has answered */
		return send_response(req, req->res);
	writes = is_state_changing(req->method);
	if (writes && defer_write(req) == 0)
		return MHD_YES;
	response_init(&res);
	run_request(req, &res, writes);
	ret = send_response(req, &res);
	response_free(&res);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	if (*con_cls)
		request_free(*con_cls);
	*con_cls = NULL;
}

static volatile sig_atomic_t stop_requested;

/* How often the server anchors the audit chain outside the database
 * (include/csirt/audit_anchor.h): at start, every so many seconds when the
 * log has grown, and at stop. */
#define AUDIT_ANCHOR_EVERY_S 300

static void
anchor_audit(const struct server_config *cfg, int64_t *anchored)
{
	struct store *st = store_thread(cfg->data_dir);

	if (st)
		audit_anchor_write(st, cfg->data_dir, anchored);
}

static void
on_signal(int sig)
{
	stop_requested = 1;
}

enum csirt_rc
server_run(const struct server_config *cfg, struct csirt_err *err)
{
	struct MHD_Daemon *d;
	struct sockaddr_in sa4;
	struct sockaddr_in6 sa6;
	struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME;
	struct sigaction act;
	int64_t anchored = 0;
	MHD_socket listen_fd;

	memset(&sa4, 0, sizeof(sa4));
	memset(&sa6, 0, sizeof(sa6));
	if (inet_pton(AF_INET, cfg->listen_addr, &sa4.sin_addr) == 1) {
		sa4.sin_family = AF_INET;
		sa4.sin_port = htons(cfg->port);
		sa = (struct sockaddr *)&sa4;
	} else if (inet_pton(AF_INET6, cfg->listen_addr, &sa6.sin6_addr) == 1) {
		sa6.sin6_family = AF_INET6;
		sa6.sin6_port = htons(cfg->port);
		sa = (struct sockaddr *)&sa6;
		flags |= MHD_USE_IPv6;
	} else {
		return csirt_err_set(err, CSIRT_EINVAL, "listen", "cannot parse address '%s'",
		    cfg->listen_addr);
	}
	if (store_group_commit_start(cfg->data_dir, err) != CSIRT_OK)
		return err->rc;
	if (cfg->write_threads && write_pool_start(cfg->write_threads, &write_pool, err) != CSIRT_OK) {
		store_group_commit_stop();
		return err->rc;
	}
	d = MHD_start_daemon(flags, cfg->port, NULL, NULL, on_request, (void *)cfg,
	    MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads ? cfg->threads : 2),
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
	    MHD_OPTION_END);
	if (d == NULL) {
		write_pool_stop(write_pool);
		write_pool = NULL;
		store_group_commit_stop();
		return csirt_err_set(err, CSIRT_EIO, "listen", "cannot listen on %s:%u (in use?)",
		    cfg->listen_addr, cfg->port);
	}
	memset(&act, 0, sizeof(act));
	act.sa_handler = on_signal;
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_info("serving on http://%s:%u (data in %s)", cfg->listen_addr, cfg->port,
	    cfg->data_dir);
	anchor_audit(cfg, &anchored);
	while (!stop_requested) {
		/* sleep() ends early on SIGINT/SIGTERM */
		for (unsigned slept = 0; slept < AUDIT_ANCHOR_EVERY_S && !stop_requested; slept++)
			sleep(1);
		anchor_audit(cfg, &anchored);
	}
	log_info("stopping");
	/* every queued write is run and its connection resumed before MHD
	 * stops (it must not stop with connections suspended) */
	listen_fd = MHD_quiesce_daemon(d);
	write_pool_stop(write_pool);
	write_pool = NULL;
	MHD_stop_daemon(d);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
	anchor_audit(cfg, &anchored);
	store_group_commit_stop();
	return CSIRT_OK;
}
