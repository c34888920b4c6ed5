/*
 * input.c - from a path to events: files, directories (recursively, in
 * sorted order so runs are deterministic), stdin ("-"), gzip (zlib) and zip
 * (libzip) opened transparently, the format guessed from the content.
 *
 * A file is read whole into memory (capped) because every reader works on
 * (pointer, length); EVTX files are at most a few GiB and the readers keep
 * no copy. A broken file is reported and skipped; the walk goes on.
 */
#include "csirt/common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "csirt/hunt.h"

#define INPUT_MAX_DEPTH 32
#define INPUT_DEFAULT_MAX ((size_t)4 << 30)
#define ZIP_MAX_ENTRIES 100000

static void
report(struct hunt_input_opts *o, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report(struct hunt_input_opts *o, const char *source, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o->on_error != NULL)
		o->on_error(source, msg, o->ctx);
}

static size_t
cap_of(const struct hunt_input_opts *o)
{
	return o->max_file ? o->max_file : INPUT_DEFAULT_MAX;
}

/* gzip (possibly several members) -> a new buffer; caller frees. */
static unsigned char *
gunzip(const unsigned char *in, size_t len, size_t cap, size_t *out_len,
    const char **why)
{
	z_stream zs;
	unsigned char *out = NULL;
	size_t have = 0, size = len * 4 + 65536;
	int zrc = Z_OK;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 32) != Z_OK) {
		*why = "zlib init failed";
		return NULL;
	}
	zs.next_in = (unsigned char *)(uintptr_t)in;
	while (zs.next_in < in + len) {
		size_t chunk_in = (size_t)(in + len - zs.next_in);

		if (have == size || out == NULL) {
			unsigned char *p;

			if (out != NULL)
				size *= 2;
			if (size > cap)
				size = cap;
			if (have >= size) {
				*why = "decompressed data over the size cap";
				goto fail;
			}
			p = realloc(out, size);
			if (p == NULL) {
				*why = "out of memory";
				goto fail;
			}
			out = p;
		}
		zs.avail_in = chunk_in > UINT32_MAX ? UINT32_MAX : (uInt)chunk_in;
		zs.next_out = out + have;
		zs.avail_out = size - have > UINT32_MAX ? UINT32_MAX :
		    (uInt)(size - have);
		zrc = inflate(&zs, Z_NO_FLUSH);
		have = (size_t)(zs.next_out - out);
		if (zrc == Z_STREAM_END) {
			/* concatenated members (logrotate, cat a.gz b.gz) */
			if (zs.next_in < in + len && inflateReset(&zs) != Z_OK)
				break;
			continue;
		}
		if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
			*why = "corrupt gzip data";
			goto fail;
		}
		if (zrc == Z_BUF_ERROR && zs.avail_in > 0 && have < size)
			break;	/* no progress possible */
		if (zrc == Z_BUF_ERROR && zs.avail_in == 0)
			break;	/* truncated: keep what we got */
	}
	inflateEnd(&zs);
	*out_len = have;
	return out;
fail:
	inflateEnd(&zs);
	free(out);
	return NULL;
}

static enum csirt_rc read_zip(const unsigned char *data, size_t len,
    const char *source, struct hunt_input_opts *o, int depth);

static enum csirt_rc
dispatch(const unsigned char *data, size_t len, const char *source,
    struct hunt_input_opts *o, int depth)
{
	struct hunt_read_stats *st = o->stats;
	enum csirt_rc rc = CSIRT_OK;

	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		const char *why = NULL;
		size_t ulen = 0;
		unsigned char *u;

		if (depth > 2) {
			report(o, source, "nested archives too deep");
			return CSIRT_OK;
		}
		u = gunzip(data, len, cap_of(o), &ulen, &why);
		if (u == NULL) {
			report(o, source, "%s", why);
			return CSIRT_OK;
		}
		rc = dispatch(u, ulen, source, o, depth + 1);
		free(u);
		return rc;
	}
	if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
		if (depth > 2) {
			report(o, source, "nested archives too deep");
			return CSIRT_OK;
		}
		return read_zip(data, len, source, o, depth + 1);
	}
	o->files++;
	switch (hunt_format_detect(data, len)) {
	case HUNT_FORMAT_EVTX:
		rc = hunt_evtx_read(data, len, source, o->on_event, o->ctx, st);
		break;
	case HUNT_FORMAT_JSONL:
		rc = hunt_jsonl_read((const char *)data, len, source, o->on_event,
		    o->ctx, st);
		break;
	case HUNT_FORMAT_SYSLOG:
		rc = hunt_syslog_read((const char *)data, len, source,
		    o->on_event, o->ctx, st);
		break;
	default:
		break;		/* empty file */
	}
	if (rc == CSIRT_EPARSE)
		report(o, source, "not a readable log format");
	return rc == CSIRT_ENOMEM ? rc : CSIRT_OK;
}

enum csirt_rc
hunt_input_read_buffer(const unsigned char *data, size_t len,
    const char *source, struct hunt_input_opts *o)
{
	return dispatch(data, len, source, o, 0);
}

static enum csirt_rc
read_zip(const unsigned char *data, size_t len, const char *source,
    struct hunt_input_opts *o, int depth)
{
	zip_error_t zerr;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t n;
	enum csirt_rc rc = CSIRT_OK;

	zip_error_init(&zerr);
	src = zip_source_buffer_create(data, len, 0, &zerr);
	if (src == NULL || (za = zip_open_from_source(src, ZIP_RDONLY, &zerr)) ==
	    NULL) {
		report(o, source, "bad zip archive: %s", zip_error_strerror(&zerr));
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&zerr);
		return CSIRT_OK;
	}
	n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n && i < ZIP_MAX_ENTRIES && rc == CSIRT_OK;
	    i++) {
		zip_stat_t zst;
		zip_file_t *zf;
		unsigned char *buf;
		char name[4096];
		zip_int64_t got;

		if (zip_stat_index(za, (zip_uint64_t)i, 0, &zst) != 0 ||
		    !(zst.valid & ZIP_STAT_SIZE) || zst.name == NULL ||
		    zst.name[0] == '\0' || zst.name[strlen(zst.name) - 1] == '/')
			continue;
		snprintf(name, sizeof(name), "%s:%s", source, zst.name);
		if (zst.size > cap_of(o)) {
			report(o, name, "zip entry over the size cap");
			continue;
		}
		buf = malloc(zst.size ? zst.size : 1);
		zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
		if (buf == NULL || zf == NULL) {
			free(buf);
			if (zf)
				zip_fclose(zf);
			report(o, name, "cannot read zip entry");
			continue;
		}
		got = zip_fread(zf, buf, zst.size);
		zip_fclose(zf);
		if (got < 0 || (zip_uint64_t)got != zst.size)
			report(o, name, "zip entry truncated or corrupt");
		if (got > 0) {
			/* names of entries live as long as the event callback */
			rc = dispatch(buf, (size_t)got, name, o, depth);
		}
		free(buf);
	}
	zip_close(za);
	zip_error_fini(&zerr);
	return rc;
}

static enum csirt_rc
read_fd(int fd, const char *source, struct hunt_input_opts *o)
{
	struct buf b;
	char chunk[1 << 16];
	ssize_t n;
	enum csirt_rc rc;

	buf_init(&b, cap_of(o));
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_append(&b, chunk, (size_t)n) != CSIRT_OK) {
			report(o, source, "input over the size cap");
			break;
		}
	rc = dispatch((const unsigned char *)(b.data ? b.data : ""), b.len,
	    source, o, 0);
	buf_release(&b);
	return rc;
}

static enum csirt_rc
read_file(const char *path, struct hunt_input_opts *o)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *map;
	enum csirt_rc rc;

	if (fd < 0) {
		report(o, path, "cannot open: %s", strerror(errno));
		return CSIRT_OK;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		rc = S_ISREG(st.st_mode) ? CSIRT_OK : read_fd(fd, path, o);
		close(fd);
		return rc;
	}
	if ((size_t)st.st_size > cap_of(o)) {
		report(o, path, "file over the size cap");
		close(fd);
		return CSIRT_OK;
	}
	/* mmap: the page cache is the buffer, no copy */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		rc = read_fd(fd, path, o);
		close(fd);
		return rc;
	}
	(void)madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	rc = dispatch(map, (size_t)st.st_size, path, o, 0);
	munmap(map, (size_t)st.st_size);
	close(fd);
	return rc;
}

static enum csirt_rc
walk(const char *path, struct hunt_input_opts *o, int depth)
{
	struct dirent **names;
	struct stat st;
	enum csirt_rc rc = CSIRT_OK;
	int n;

	if (stat(path, &st) != 0) {
		report(o, path, "cannot open: %s", strerror(errno));
		return depth == 0 ? CSIRT_EIO : CSIRT_OK;
	}
	if (!S_ISDIR(st.st_mode))
		return read_file(path, o);
	if (depth >= INPUT_MAX_DEPTH)
		return CSIRT_OK;
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		report(o, path, "cannot list directory");
		return depth == 0 ? CSIRT_EIO : CSIRT_OK;
	}
	for (int i = 0; i < n; i++) {
		char sub[4096];

		if (rc == CSIRT_OK && names[i]->d_name[0] != '.' &&
		    snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name) <
		    (int)sizeof(sub))
			rc = walk(sub, o, depth + 1);
		free(names[i]);
	}
	free(names);
	return rc;
}

enum csirt_rc
hunt_input_read_path(const char *path, struct hunt_input_opts *o)
{
	if (strcmp(path, "-") == 0)
		return read_fd(STDIN_FILENO, "(stdin)", o);
	return walk(path, o, 0);
}
