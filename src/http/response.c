/*
 * response.c - building responses and reading requests: one error shape
 * for the whole API, status codes from the result type.
 */
#include "csirt/common.h"
#include "http/http_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

unsigned
http_status_for(enum csirt_rc rc)
{
	switch (rc) {
	case CSIRT_OK: return 200;
	case CSIRT_EINVAL: return 400;
	case CSIRT_EPARSE: return 400;
	case CSIRT_EUNAUTH: return 401;
	case CSIRT_EFORBIDDEN: return 403;
	case CSIRT_ENOTFOUND: return 404;
	case CSIRT_ECONFLICT: return 409;
	case CSIRT_ETOOBIG: return 413;
	case CSIRT_ELIMIT: return 429;
	case CSIRT_EUNSUPPORTED: return 422;
	default: return 500;
	}
}

void
res_json(struct response *res, unsigned status, json_t *body)
{
	json_decref(res->json);
	res->json = body;
	res->status = status;
}

void
res_error(struct response *res, unsigned status, const char *code, const char *msg)
{
	res_json(res, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg));
}

void
res_err(struct response *res, enum csirt_rc rc, const struct csirt_err *err)
{
	unsigned status = http_status_for(rc);
	const char *msg = err && err->msg[0] ? err->msg : NULL;
	json_t *e;

	if (msg == NULL) {
		switch (rc) {
		case CSIRT_ENOTFOUND: msg = "not found"; break;
		case CSIRT_EFORBIDDEN: msg = "not allowed"; break;
		case CSIRT_ECONFLICT: msg = "conflicts with the current state"; break;
		case CSIRT_EINVAL: msg = "invalid request"; break;
		default: msg = "internal error; see the server log"; break;
		}
	}
	/* Server-side failures never echo internal details to the client. */
	if (status >= 500)
		msg = "internal error; see the server log";
	e = json_pack("{s:s,s:s}", "code", csirt_rc_name(rc), "message", msg);
	if (err && err->field[0] && status < 500)
		json_object_set_new(e, "field", json_string(err->field));
	res_json(res, status, json_pack("{s:o}", "error", e));
}

void
res_header(struct response *res, const char *name, const char *value)
{
	if (res->n_headers >= 4)
		return;
	snprintf(res->headers[res->n_headers][0], 256, "%s", name);
	snprintf(res->headers[res->n_headers][1], 256, "%s", value);
	res->n_headers++;
}

json_t *
req_json(struct request *req, struct response *res)
{
	json_error_t jerr;
	json_t *v;
	char msg[200];

	if (req->body.len == 0) {
		res_error(res, 400, "invalid", "a JSON body is required");
		return NULL;
	}
	if (!utf8_valid(req->body.data, req->body.len)) {
		res_error(res, 400, "invalid", "the body is not valid UTF-8");
		return NULL;
	}
	v = json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL) {
		snprintf(msg, sizeof(msg), "malformed JSON at line %d column %d: %s", jerr.line,
		    jerr.column, jerr.text);
		res_error(res, 400, "malformed", msg);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		res_error(res, 400, "invalid", "the body must be a JSON object");
		return NULL;
	}
	return v;
}

const char *
req_query(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

int
req_query_int(struct request *req, struct response *res, const char *name, int64_t min,
    int64_t max, int64_t def, int64_t *out)
{
	const char *v = req_query(req, name);
	char msg[160];

	if (v == NULL || *v == '\0') {
		*out = def;
		return 0;
	}
	if (parse_int64(v, min, max, out) != CSIRT_OK) {
		snprintf(msg, sizeof(msg), "query parameter '%.40s' must be an integer from %lld to %lld",
		    name, (long long)min, (long long)max);
		res_error(res, 400, "invalid", msg);
		return -1;
	}
	return 0;
}

int
req_upload_finish(struct request *req, struct response *res, const char *usage, char hex[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	if (req->upload == NULL || req->upload_size == 0) {
		res_error(res, 400, "invalid", usage);
		return -1;
	}
	if (fflush(req->upload) != 0 || ferror(req->upload)) {
		res_err(res, CSIRT_EIO, NULL);
		return -1;
	}
	fclose(req->upload);
	req->upload = NULL;
	crypto_hash_sha256_final(req->upload_hash, digest);
	hex_encode(digest, sizeof(digest), hex);
	return 0;
}

void
req_upload_moved(struct request *req)
{
	if (access(req->upload_path, F_OK) != 0)
		req->upload_path[0] = '\0';
}

void
res_stored_file(struct response *res, enum csirt_rc rc, int fd, json_t *meta)
{
	struct stat sb;
	char disp[400];

	if (rc == CSIRT_OK && fstat(fd, &sb) != 0) {	/* the file's own size, not the row's */
		close(fd);
		rc = CSIRT_EIO;
	}
	if (rc != CSIRT_OK) {
		json_decref(meta);
		res_err(res, rc, NULL);
		return;
	}
	res->fd = fd;
	res->fd_size = (size_t)sb.st_size;
	res->status = 200;
	res->content_type = "application/octet-stream";
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
	    json_string_value(json_object_get(meta, "filename")));
	res_header(res, "Content-Disposition", disp);
	res_header(res, "X-Content-SHA256", json_string_value(json_object_get(meta, "sha256")));
	json_decref(meta);
}
