/*
 * http_int.h - internals of the HTTP layer: the request and response a
 * handler sees, the route table and helpers. Handlers parse the request,
 * call a service and render the result; they hold no business rules.
 */
#ifndef CSIRT_HTTP_INT_H
#define CSIRT_HTTP_INT_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>

#include "csirt/accounts.h"
#include "csirt/actor.h"
#include "csirt/buf.h"
#include "csirt/err.h"
#include "csirt/server.h"
#include "csirt/store.h"
#include "http/write_pool.h"

#define MAX_PATH_PARAMS 4

struct server;

struct request {
	struct MHD_Connection *conn;
	const struct server_config *cfg;
	const char *method;
	const char *url;
	const struct route *route;
	int64_t params[MAX_PATH_PARAMS];	/* {id} segments, in order */
	char text_param[128];			/* a {code} segment */
	struct buf body;
	int body_too_big;
	/* evidence uploads stream to a temporary file while being hashed */
	FILE *upload;
	char upload_path[1200];
	void *upload_hash;			/* crypto_hash_sha256_state */
	size_t upload_size;
	struct store *st;
	struct actor actor;
	int authenticated;
	int via_cookie;
	char csrf[TOKEN_HEX_LEN + 1];
	char client_ip[64];
	/* a write run on the write pool while MHD holds the connection
	 * suspended; 'res' (owned) is its answer: MHD calls back only once
	 * the pool has resumed the connection */
	struct write_job job;
	struct response *res;
};

struct response {
	unsigned status;
	json_t *json;			/* owned */
	char *raw;			/* owned, or NULL */
	size_t raw_len;
	const void *static_data;	/* not owned (embedded files) */
	size_t static_len;
	int fd;				/* file to send, or -1 */
	size_t fd_size;
	const char *content_type;
	char headers[4][2][256];
	int n_headers;
};

typedef void (*handler_fn)(struct request *req, struct response *res);

#define RF_PUBLIC	0x01	/* no authentication needed */
#define RF_STREAM	0x02	/* body streams to a file (evidence upload) */
#define RF_PUBLIC_LIMIT	0x04	/* small body cap and per-address rate limit */

struct route {
	const char *method;
	const char *pattern;	/* "/api/incidents/{id}/tasks"; {code} = text */
	handler_fn handler;
	unsigned roles;		/* roles allowed (RF_PUBLIC routes ignore it) */
	unsigned flags;
};

extern const struct route api_routes[];
extern const size_t api_route_count;

/* Response helpers. The error shape is {"error":{"code","message"[,"field"]}}. */
void res_json(struct response *res, unsigned status, json_t *body);	/* consumes body */
void res_error(struct response *res, unsigned status, const char *code, const char *msg);
void res_err(struct response *res, enum csirt_rc rc, const struct csirt_err *err);
void res_header(struct response *res, const char *name, const char *value);
unsigned http_status_for(enum csirt_rc rc);

/* Parses the body as a JSON object; on failure answers 400 and returns NULL. */
json_t *req_json(struct request *req, struct response *res);
const char *req_query(struct request *req, const char *name);
/* Integer query parameter in [min,max] or 'def' when absent; -1 and a 400
 * response when present but invalid. */
int req_query_int(struct request *req, struct response *res, const char *name, int64_t min,
    int64_t max, int64_t def, int64_t *out);

/*
 * Streamed uploads (RF_STREAM routes). req_upload_finish closes the
 * temporary file and gives its SHA-256; without a body, or when writing
 * it failed, it answers (400 with 'usage', or 500) and returns -1.
 * req_upload_moved forgets the temporary path once a service has moved
 * the file to the file store (so that the request's cleanup leaves it).
 */
int req_upload_finish(struct request *req, struct response *res, const char *usage,
    char hex[65]);
void req_upload_moved(struct request *req);

/* Answers with a stored file as a download (never rendered: it may be
 * hostile), or with the error 'rc'. Consumes fd and meta, which holds
 * "filename" and "sha256". */
void res_stored_file(struct response *res, enum csirt_rc rc, int fd, json_t *meta);

/* Static files of the web interface; 0 when 'url' is not one. */
int ui_serve(struct request *req, struct response *res);

#endif
