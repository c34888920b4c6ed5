/*
 * input.c - from a path to events: files, directories (recursively, in
 * sorted order so runs are deterministic), stdin ("-"), gzip (zlib) and zip
 * (libzip) opened transparently, the format guessed from the content.
 *
 * Inputs are read in windows of HUNT_INPUT_WINDOW bytes that never split a
 * record (EVTX chunks, text lines), so resident memory stays near one
 * window however large the input: a regular file, stdin (or a pipe) and a
 * gzip stream are read (or inflated) into one reused window buffer as they
 * come. Zip members, and what cannot be cut at record boundaries (pretty
 * JSON), are mapped or read into memory (capped) and then read in the same
 * windows (input_window.c: windows, parts, threads). A broken file is
 * reported and skipped; the walk goes on.
 */
#include "csirt/common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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
#include "input_int.h"
#include "reader_int.h"

#define INPUT_MAX_DEPTH 32
#define INPUT_DEFAULT_MAX ((size_t)4 << 30)
#define ZIP_MAX_ENTRIES 100000

void
input_report(struct hunt_input_opts *o, const char *source, const char *fmt,
    ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o->on_error != NULL)
		o->on_error(source, msg, o->ctx);
}

size_t
input_cap(const struct hunt_input_opts *o)
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


/* JSON documents one per line? Pretty-printed documents cannot be split
 * at newlines and are read in one window. */
bool
input_json_one_per_line(const unsigned char *data, size_t len)
{
	size_t skip = 0, i;
	const unsigned char *nl;

	while (skip < len && skip < 4096 && (data[skip] == ' ' ||
	    data[skip] == '\t' || data[skip] == '\r' || data[skip] == '\n'))
		skip++;
	data += skip;
	len -= skip;
	nl = memchr(data, '\n', len < 1048576 ? len : 1048576);

	if (nl == NULL)
		return len < 1048576;
	i = (size_t)(nl - data);
	while (i > 0 && (data[i - 1] == '\r' || data[i - 1] == ' ' ||
	    data[i - 1] == '\t'))
		i--;
	return i > 0 && data[i - 1] == '}';
}

bool
input_evtx_signed(const unsigned char *data, size_t len)
{
	return len >= 8 && (memcmp(data, "ElfFile\0", 8) == 0 ||
	    memcmp(data, "ElfChnk\0", 8) == 0);
}

/*
 * Whether a stream whose first bytes are buf[0, have) can be read in
 * windows as it comes, and in which format: not an archive inside (gzip,
 * zip), not pretty-printed JSON, not an unsigned EVTX.
 */
static bool
streamable(const unsigned char *buf, size_t have, enum hunt_format *fmt)
{
	if (have >= 2 && ((buf[0] == 0x1f && buf[1] == 0x8b) ||
	    (have >= 4 && memcmp(buf, "PK\3\4", 4) == 0)))
		return false;
	*fmt = hunt_format_detect(buf, have);
	return !(*fmt == HUNT_FORMAT_JSONL && !input_json_one_per_line(buf, have)) &&
	    !(*fmt == HUNT_FORMAT_EVTX && !input_evtx_signed(buf, have));
}

/* A gzip stream in memory, inflated window by window. */
struct gz_src {
	struct stream_src base;	/* first: a gz_src is a stream_src */
	z_stream zs;
	const unsigned char *in;
	size_t len;
};

/* Inflates until buf is full or the data ends (concatenated members too:
 * logrotate, cat a.gz b.gz); a truncated end is an end, not bad data. */
static bool
gz_fill(struct stream_src *src, unsigned char *buf, size_t cap, size_t *have)
{
	struct gz_src *g = (struct gz_src *)src;

	while (*have < cap) {
		int zrc;

		g->zs.next_out = buf + *have;
		g->zs.avail_out = (uInt)(cap - *have);
		zrc = inflate(&g->zs, Z_NO_FLUSH);
		*have = (size_t)(g->zs.next_out - buf);
		if (g->zs.avail_in == 0 && (size_t)(g->zs.next_in - g->in) <
		    g->len) {
			size_t left = g->len - (size_t)(g->zs.next_in - g->in);

			g->zs.avail_in = left > UINT32_MAX ? UINT32_MAX :
			    (uInt)left;
		}
		if (zrc == Z_STREAM_END) {
			if (g->zs.avail_in == 0 || inflateReset(&g->zs) != Z_OK)
				return true;
		} else if (zrc != Z_OK) {
			if (zrc != Z_BUF_ERROR || g->zs.avail_in > 0)
				g->base.corrupt = true;
			return true;	/* truncated: keep what we got */
		}
	}
	return false;
}

/* A test's "one window" (a window over 1 GiB): the input is read whole. */
static bool
one_window(const struct hunt_input_opts *o)
{
	return o->window > ((size_t)1 << 30);
}

/* Room for a window and the record (EVTX chunk) cut at its end. */
static size_t
window_cap(const struct hunt_input_opts *o)
{
	size_t window = o->window ? o->window : HUNT_INPUT_WINDOW;
	size_t cap = window + 2 * HUNT_EVTX_CHUNK;

	return cap < 2 * HUNT_EVTX_CHUNK + 4096 ? 2 * HUNT_EVTX_CHUNK + 4096 :
	    cap;
}

/*
 * gzip read in windows as it is inflated, so a large .gz costs one window
 * of memory, not its decompressed size. The decompressed stream is cut at
 * record boundaries (EVTX chunks, text lines); the tail of a window moves
 * to the front of the buffer for the next. A stream that holds another
 * archive, or pretty-printed JSON, is inflated whole instead (first_ok
 * false: the caller falls back).
 */
static enum csirt_rc
gunzip_windows(const unsigned char *in, size_t len, const char *source,
    struct hunt_input_opts *o, bool *handled)
{
	size_t cap = window_cap(o), have = 0;
	unsigned char *buf;
	enum hunt_format fmt = HUNT_FORMAT_UNKNOWN;
	enum csirt_rc rc;
	bool ended;
	struct gz_src g = { .base = { .fill = gz_fill,
		.what = "corrupt gzip data" }, .in = in, .len = len };

	*handled = false;
	if (one_window(o))
		return CSIRT_OK;	/* inflated whole instead */
	buf = huge_alloc(cap);
	if (buf == NULL)
		return CSIRT_OK;
	if (inflateInit2(&g.zs, 15 + 32) != Z_OK) {
		huge_free(buf, cap);
		return CSIRT_OK;
	}
	g.zs.next_in = (unsigned char *)(uintptr_t)in;
	g.zs.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
	ended = gz_fill(&g.base, buf, cap, &have);
	/* bad data in the first window: let gunzip() say why; an archive or
	 * pretty JSON inside: inflated whole instead */
	if (g.base.corrupt || !streamable(buf, have, &fmt)) {
		inflateEnd(&g.zs);
		huge_free(buf, cap);
		return CSIRT_OK;
	}
	*handled = true;
	o->files++;
	rc = input_stream_rest(&g.base, buf, cap, have, ended, fmt, source, o);
	inflateEnd(&g.zs);
	return rc;
}

static enum csirt_rc read_zip(const unsigned char *data, size_t len,
    const char *source, struct hunt_input_opts *o, int depth);

static enum csirt_rc
dispatch(const unsigned char *data, size_t len, const char *source,
    struct hunt_input_opts *o, int depth, bool mapped)
{
	enum csirt_rc rc = CSIRT_OK;

	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		const char *why = NULL;
		size_t ulen = 0;
		unsigned char *u;

		bool handled;

		if (depth > 2) {
			input_report(o, source, "nested archives too deep");
			return CSIRT_OK;
		}
		rc = gunzip_windows(data, len, source, o, &handled);
		if (handled)
			return rc;
		u = gunzip(data, len, input_cap(o), &ulen, &why);
		if (u == NULL) {
			input_report(o, source, "%s", why);
			return CSIRT_OK;
		}
		rc = dispatch(u, ulen, source, o, depth + 1, false);
		free(u);
		return rc;
	}
	if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
		if (depth > 2) {
			input_report(o, source, "nested archives too deep");
			return CSIRT_OK;
		}
		return read_zip(data, len, source, o, depth + 1);
	}
	o->files++;
	return input_read_windows(data, len, source, o, mapped);
}

enum csirt_rc
hunt_input_read_buffer(const unsigned char *data, size_t len,
    const char *source, struct hunt_input_opts *o)
{
	return dispatch(data, len, source, o, 0, false);
}

/* A zip member, decompressed window by window. */
struct zip_src {
	struct stream_src base;	/* first: a zip_src is a stream_src */
	zip_file_t *zf;
	zip_uint64_t left;	/* bytes the directory says are still to come */
};

static bool
zip_fill(struct stream_src *src, unsigned char *buf, size_t cap, size_t *have)
{
	struct zip_src *z = (struct zip_src *)src;

	while (*have < cap && z->left > 0) {
		zip_int64_t n = zip_fread(z->zf, buf + *have, cap - *have);

		if (n <= 0) {
			z->base.corrupt = true;	/* shorter than it says */
			return true;
		}
		*have += (size_t)n;
		z->left -= (zip_uint64_t)n < z->left ? (zip_uint64_t)n : z->left;
	}
	return z->left == 0;
}

/*
 * One member: read in windows as it is decompressed when it is larger than
 * a window and can be cut at record boundaries (OTRF's datasets are zips of
 * JSON lines: a large member cost its whole size in memory); else read
 * whole (capped) and dispatched like a file (archives inside, pretty JSON).
 */
static enum csirt_rc
read_zip_member(zip_file_t *zf, zip_uint64_t size, const char *name,
    struct hunt_input_opts *o, int depth)
{
	struct zip_src z = { .base = { .fill = zip_fill,
		.what = "zip entry truncated or corrupt" }, .zf = zf, .left = size };
	size_t cap = window_cap(o), have = 0;
	unsigned char *buf, *whole;
	enum hunt_format fmt = HUNT_FORMAT_UNKNOWN;
	enum csirt_rc rc;
	bool ended;

	if (size > cap && !one_window(o) &&
	    (buf = huge_alloc(cap)) != NULL) {
		ended = zip_fill(&z.base, buf, cap, &have);
		if (!z.base.corrupt && streamable(buf, have, &fmt)) {
			o->files++;
			return input_stream_rest(&z.base, buf, cap, have, ended, fmt,
			    name, o);
		}
		/* not streamable: go on reading it whole after these bytes */
		whole = malloc(size);
		if (whole != NULL)
			memcpy(whole, buf, have);
		huge_free(buf, cap);
	} else {
		whole = malloc(size ? size : 1);
	}
	if (whole == NULL) {
		input_report(o, name, "cannot read zip entry");
		return CSIRT_OK;
	}
	(void)zip_fill(&z.base, whole, size, &have);
	if (z.base.corrupt)
		input_report(o, name, "%s", z.base.what);
	/* names of entries live as long as the event callback */
	rc = have > 0 ? dispatch(whole, have, name, o, depth, false) : CSIRT_OK;
	free(whole);
	return rc;
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
		input_report(o, source, "bad zip archive: %s", zip_error_strerror(&zerr));
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
		char name[4096];

		if (zip_stat_index(za, (zip_uint64_t)i, 0, &zst) != 0 ||
		    !(zst.valid & ZIP_STAT_SIZE) || zst.name == NULL ||
		    zst.name[0] == '\0' || zst.name[strlen(zst.name) - 1] == '/')
			continue;
		snprintf(name, sizeof(name), "%s:%s", source, zst.name);
		if (zst.size > input_cap(o)) {
			input_report(o, name, "zip entry over the size cap");
			continue;
		}
		zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
		if (zf == NULL) {
			input_report(o, name, "cannot read zip entry");
			continue;
		}
		rc = read_zip_member(zf, zst.size, name, o, depth);
		zip_fclose(zf);
	}
	zip_close(za);
	zip_error_fini(&zerr);
	return rc;
}

/* How long a pipe may stay quiet before what came is read as a window. */
#define STREAM_IDLE_MS 50

/*
 * Reads more of a pipe into buf[*have, cap): waits for the first bytes,
 * then goes on while more keep coming (STREAM_IDLE_MS at most between
 * them), so that a slow writer (tail -f) is hunted as it writes and a fast
 * one (cat) fills whole windows. With no wait at all, `cat file |` gave
 * windows of ~165 KB (the reader outran cat now and then): 3,746 windows
 * and 1.7x the wall time of the same file read directly. Returns true at
 * the end of the input (or on a read error: what came is kept).
 */
static bool
fill_fd(int fd, unsigned char *buf, size_t cap, size_t *have)
{
	bool got = false;

	while (*have < cap) {
		ssize_t n;

		if (got) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (poll(&p, 1, STREAM_IDLE_MS) == 0)
				return false;	/* quiet: read what came */
		}
		n = read(fd, buf + *have, cap - *have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return true;
		*have += (size_t)n;
		got = true;
	}
	return false;
}

struct fd_src {
	struct stream_src base;	/* first: an fd_src is a stream_src */
	int fd;
};

static bool
fd_fill(struct stream_src *src, unsigned char *buf, size_t cap, size_t *have)
{
	return fill_fd(((struct fd_src *)src)->fd, buf, cap, have);
}

/* Whether buf[0, have) holds a whole record to read: a line, or an EVTX
 * chunk after the file header. */
static bool
stream_ready(const unsigned char *buf, size_t have, enum hunt_format fmt)
{
	if (fmt == HUNT_FORMAT_EVTX)
		return have >= hunt_evtx_first_chunk(buf, have) + HUNT_EVTX_CHUNK;
	return memchr(buf, '\n', have) != NULL;
}

/* The whole input in memory (capped), 'first' being what was read of it
 * already: archives, pretty-printed JSON and unknown formats. */
static enum csirt_rc
read_fd_whole(int fd, const unsigned char *first, size_t nfirst, bool ended,
    const char *source, struct hunt_input_opts *o)
{
	struct buf b;
	char chunk[1 << 16];
	ssize_t n;
	enum csirt_rc rc;

	buf_init(&b, input_cap(o));
	if (nfirst > 0 && buf_append(&b, first, nfirst) != CSIRT_OK) {
		input_report(o, source, "input over the size cap");
		ended = true;
	}
	while (!ended && ((n = read(fd, chunk, sizeof(chunk))) > 0 ||
	    (n < 0 && errno == EINTR)))
		if (n > 0 && buf_append(&b, chunk, (size_t)n) != CSIRT_OK) {
			input_report(o, source, "input over the size cap");
			break;
		}
	rc = dispatch((const unsigned char *)(b.data ? b.data : ""), b.len,
	    source, o, 0, false);
	buf_release(&b);
	return rc;
}

/*
 * A pipe or stdin: read in windows as it arrives (resident memory stays
 * near one window however long the stream, as for a regular file), the same
 * way as a gzip stream. What cannot be cut at record boundaries (archives,
 * pretty-printed JSON) is read whole, capped, as before.
 */
static enum csirt_rc
read_fd(int fd, const char *source, struct hunt_input_opts *o, bool regular)
{
	struct fd_src fs = { .base = { .fill = fd_fill }, .fd = fd };
	size_t cap = window_cap(o), have = 0;
	uint64_t total = 0, record = 0;
	enum hunt_format fmt = HUNT_FORMAT_UNKNOWN;
	unsigned char *buf;
	bool ended, stop = false;
	enum csirt_rc rc = CSIRT_OK;

	if (one_window(o))
		return read_fd_whole(fd, NULL, 0, false, source, o);
	buf = huge_alloc(cap);
	if (buf == NULL)
		return read_fd_whole(fd, NULL, 0, false, source, o);
	/* enough to know the format: a first line, or an EVTX file header */
	do
		ended = fill_fd(fd, buf, cap, &have);
	while (!ended && have < cap && have < 8192 && memchr(buf, '\n', have) == NULL);
	if (!streamable(buf, have, &fmt) || fmt == HUNT_FORMAT_UNKNOWN) {
		rc = read_fd_whole(fd, buf, have, ended, source, o);
		huge_free(buf, cap);
		return rc;
	}
	o->files++;
	if (regular)	/* never waits for a writer: read ahead like gzip */
		return input_stream_rest(&fs.base, buf, cap, have, ended, fmt, source,
		    o);
	/* Each turn reads more of the input (fill_fd waits for at least one
	 * byte) or the end, and reads a window once a record is whole. */
	while (!stop && rc == CSIRT_OK && (have > 0 || !ended)) {
		if (have == cap || ended || stream_ready(buf, have, fmt))
			rc = input_stream_turn(buf, &have, ended, fmt, &record, source,
			    o, &stop, &total);
		if (!ended && !stop && rc == CSIRT_OK)
			ended = fill_fd(fd, buf, cap, &have);
	}
	o->stats->bytes += total;
	huge_free(buf, cap);
	return rc;
}

/*
 * Regular files are read into window buffers from huge_alloc()
 * (transparent huge pages), not mapped: on this kind of machine (a VM) a
 * page fault is dear. Mapping cost ~0.35 CPU s of page faults per 620 MB
 * where read() into a reused buffer cost 0.08-0.10; parsing 620 MB of
 * JSON lines went from 1.0 to 0.68-0.75 CPU s and 117 MB of EVTX from
 * 0.17 to 0.13-0.14 (docs/BENCHMARKS-hunt.md).
 */

/* How much of a file says how to read it (json_one_per_line looks as far). */
#define FILE_HEAD ((size_t)1 << 20)

static bool
pread_full(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

static enum csirt_rc
read_file(const char *path, struct hunt_input_opts *o)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char *head;
	size_t head_len;
	enum hunt_format fmt;
	bool windows;
	void *map;
	enum csirt_rc rc;

	if (fd < 0) {
		input_report(o, path, "cannot open: %s", strerror(errno));
		return CSIRT_OK;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		rc = S_ISREG(st.st_mode) ? CSIRT_OK : read_fd(fd, path, o, false);
		close(fd);
		return rc;
	}
	if ((size_t)st.st_size > input_cap(o)) {
		input_report(o, path, "file over the size cap");
		close(fd);
		return CSIRT_OK;
	}
	/* the first bytes say how: files that fit one window are read whole,
	 * those that can be cut at record boundaries in windows, the rest
	 * (archives, pretty JSON) mapped */
	head_len = (size_t)st.st_size < FILE_HEAD ? (size_t)st.st_size : FILE_HEAD;
	head = malloc(head_len);
	if (head == NULL || !pread_full(fd, head, head_len)) {
		input_report(o, path, "cannot read: %s", head ? strerror(errno) :
		    "out of memory");
		free(head);
		close(fd);
		return CSIRT_OK;
	}
	if (head_len == (size_t)st.st_size && head_len <= (o->window ?
	    o->window : HUNT_INPUT_WINDOW)) {	/* fits one window */
		rc = dispatch(head, head_len, path, o, 0, false);
		free(head);
		close(fd);
		return rc;
	}
	windows = streamable(head, head_len, &fmt) && fmt != HUNT_FORMAT_UNKNOWN;
	free(head);
	if (windows && lseek(fd, 0, SEEK_SET) == 0) {
		rc = read_fd(fd, path, o, true);
		close(fd);
		return rc;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		rc = read_fd(fd, path, o, false);
		close(fd);
		return rc;
	}
	(void)madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	rc = dispatch(map, (size_t)st.st_size, path, o, 0, true);
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
		input_report(o, path, "cannot open: %s", strerror(errno));
		return depth == 0 ? CSIRT_EIO : CSIRT_OK;
	}
	if (!S_ISDIR(st.st_mode))
		return read_file(path, o);
	if (depth >= INPUT_MAX_DEPTH)
		return CSIRT_OK;
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		input_report(o, path, "cannot list directory");
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
		return read_fd(STDIN_FILENO, "(stdin)", o, false);
	return walk(path, o, 0);
}
