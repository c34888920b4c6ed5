/*
 * ui.c - serves the web interface compiled into the binary (ui/dist).
 * Paths without a file extension are client-side routes: they get
 * index.html so that reloading any screen works.
 */
#include "csirt/common.h"
#include "csirt/embedded.h"
#include "http/http_int.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *
mime_for(const char *path)
{
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < ARRAY_SIZE(mime_types); i++)
		if (strcmp(dot, mime_types[i].ext) == 0)
			return mime_types[i].type;
	return "application/octet-stream";
}

/* ui/build.mjs stores each asset also gzip-compressed (NAME.gz): a
 * browser that accepts gzip gets that, so the dashboard's first load is
 * about a third of its raw size. */
static const struct embedded_file *
gzip_variant(struct request *req, const char *name)
{
	const char *ae = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Accept-Encoding");
	char gz[520];

	if (ae == NULL || strstr(ae, "gzip") == NULL)
		return NULL;
	snprintf(gz, sizeof(gz), "%s.gz", name);
	return embedded_find(gz);
}

int
ui_serve(struct request *req, struct response *res)
{
	const struct embedded_file *gz;
	char name[512];
	const struct embedded_file *f = NULL;
	const char *path = req->url;
	const char *last = strrchr(path, '/');

	if (strstr(path, "..") || strlen(path) > 400)
		return 0;
	if (strcmp(path, "/") != 0 && last && strchr(last, '.')) {
		snprintf(name, sizeof(name), "ui%s", path);
		f = embedded_find(name);
		if (f == NULL)
			return 0;
	} else {
		f = embedded_find("ui/index.html");
		if (f == NULL) {
			res->status = 200;
			res->content_type = "text/plain; charset=utf-8";
			res->static_data = "csirt: the web interface is not built into this binary;"
			    " the API is at /api/\n";
			res->static_len = strlen(res->static_data);
			return 1;
		}
	}
	res->status = 200;
	res->static_data = f->data;
	res->static_len = f->size;
	res->content_type = mime_for(f->name);
	res_header(res, "Vary", "Accept-Encoding");
	gz = gzip_variant(req, f->name);
	if (gz != NULL) {
		res->static_data = gz->data;
		res->static_len = gz->size;
		res_header(res, "Content-Encoding", "gzip");
	}
	/* Hashed asset names could be cached for long; index.html never. */
	res_header(res, "Cache-Control", strstr(f->name, "/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
	return 1;
}
