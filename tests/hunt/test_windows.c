/*
 * test_windows.c - reading in windows and on several threads gives the
 * same events, in the same order, with the same record numbers, as reading
 * the whole buffer on one thread: JSON lines (with blank and bad lines),
 * syslog, pretty-printed JSON (one window) and a multi-chunk EVTX file
 * from the shared data (skipped with a notice when it is absent, unless
 * CI=true). Each input is also gzipped and zipped: a .gz and a large zip
 * member are read window by window as they are decompressed, and must
 * give the same events again; and each is also read from stdin, through a
 * pipe fed by a thread, which is read in windows as it arrives, and from
 * a regular file.
 *
 * Usage: test_hunt_windows SHARED_DATA
 */
#include "csirt/common.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>
#include <zlib.h>

#include "csirt/hunt.h"

/* One line per event: record number and a hash of every field. */
struct trace {
	struct buf b;
	uint64_t events;
};

static uint64_t
event_hash(const struct hunt_event *ev)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < ev->nfields; i++) {
		const struct hunt_field *f = &ev->fields[i];

		for (size_t k = 0; k < f->name_len; k++)
			h = (h ^ (unsigned char)f->name[k]) * 1099511628211ULL;
		h = (h ^ 0x1f) * 1099511628211ULL;
		for (size_t k = 0; k < f->value_len; k++)
			h = (h ^ (unsigned char)f->value[k]) * 1099511628211ULL;
		h = (h ^ 0x1e) * 1099511628211ULL;
	}
	return h;
}

static bool
on_event(struct hunt_event *ev, void *ctx)
{
	struct trace *t = ctx;
	char line[64];
	int n = snprintf(line, sizeof(line), "%llu %016llx\n",
	    (unsigned long long)ev->record, (unsigned long long)event_hash(ev));

	t->events++;
	return buf_append(&t->b, line, (size_t)n) == CSIRT_OK;
}

/* The threads' traces are appended to the main one in order, as a hunt
 * appends each thread's hits to its output. */
static void
on_flush(void *thread_ctx, void *ctx)
{
	struct trace *part = thread_ctx, *all = ctx;

	if (part->b.len > 0 &&
	    buf_append(&all->b, part->b.data, part->b.len) != CSIRT_OK)
		abort();	/* over the 64 MiB cap: a broken test */
	all->events += part->events;
	part->b.len = 0;
	part->events = 0;
}

static int failures;

/* Events seen before on_event_stop asks the reader to stop. */
static atomic_uint stop_after;

static bool
on_event_stop(struct hunt_event *ev, void *ctx)
{
	return on_event(ev, ctx) && atomic_fetch_sub(&stop_after, 1) > 1;
}

static void check_same(const char *what, const unsigned char *data,
    size_t len, uint64_t min_events);

/* gzip of data, in two members (as cat a.gz b.gz gives), then the same
 * check on it. */
static void
check_gzip(const char *what, const unsigned char *data, size_t len,
    uint64_t min_events)
{
	size_t cap = len + len / 2 + 4096, out = 0, half = len / 2;
	unsigned char *gz = malloc(cap);
	char name[64];

	if (gz == NULL)
		abort();
	for (int member = 0; member < 2; member++) {
		z_stream zs;

		memset(&zs, 0, sizeof(zs));
		if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK)
			abort();
		zs.next_in = (unsigned char *)(uintptr_t)(data +
		    (member ? half : 0));
		zs.avail_in = (uInt)(member ? len - half : half);
		zs.next_out = gz + out;
		zs.avail_out = (uInt)(cap - out);
		if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
			abort();
		out = cap - zs.avail_out;
		deflateEnd(&zs);
	}
	snprintf(name, sizeof(name), "%s.gz", what);
	check_same(name, gz, out, min_events);
	free(gz);
}

/* A zip holding data as its one member (deflated), then the same check on
 * it: a member larger than a window is read in windows as it is
 * decompressed. */
static void
check_zip(const char *what, const unsigned char *data, size_t len,
    uint64_t min_events)
{
	char path[] = "/tmp/csirt-windows-zip-XXXXXX", name[64];
	int fd = mkstemp(path), err = 0;
	zip_t *z;
	zip_source_t *src;
	struct stat st;
	unsigned char *bytes;

	if (fd < 0)
		abort();
	close(fd);
	z = zip_open(path, ZIP_TRUNCATE, &err);
	src = z ? zip_source_buffer(z, data, len, 0) : NULL;
	if (src == NULL || zip_file_add(z, "logs/member", src, 0) < 0 ||
	    zip_close(z) != 0)
		abort();
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0 ||
	    (bytes = malloc((size_t)st.st_size)) == NULL ||
	    read(fd, bytes, (size_t)st.st_size) != st.st_size)
		abort();
	close(fd);
	unlink(path);
	snprintf(name, sizeof(name), "%s.zip", what);
	check_same(name, bytes, (size_t)st.st_size, min_events);
	free(bytes);
}

struct feeder {
	const unsigned char *data;
	size_t len;
	int fd;
};

static void *
feed(void *arg)
{
	struct feeder *f = arg;
	size_t off = 0;

	while (off < f->len) {
		ssize_t n = write(f->fd, f->data + off, f->len - off);

		if (n <= 0)
			break;	/* the reader stopped early: EPIPE */
		off += (size_t)n;
	}
	close(f->fd);
	return NULL;
}

/* hunt_input_read_path("-") with 'data' arriving on stdin through a pipe. */
static enum csirt_rc
read_via_stdin(const unsigned char *data, size_t len, struct hunt_input_opts *o)
{
	int fds[2], saved = dup(STDIN_FILENO);
	struct feeder f = { data, len, -1 };
	pthread_t t;
	enum csirt_rc rc;

	if (saved < 0 || pipe(fds) != 0 || dup2(fds[0], STDIN_FILENO) < 0)
		abort();
	close(fds[0]);
	f.fd = fds[1];
	if (pthread_create(&t, NULL, feed, &f) != 0)
		abort();
	rc = hunt_input_read_path("-", o);
	dup2(saved, STDIN_FILENO);	/* closes the pipe: a blocked writer ends */
	close(saved);
	pthread_join(t, NULL);
	return rc;
}

/* hunt_input_read_path(FILE) with 'data' written to a regular file (read
 * into window buffers with read(), files over 1 MiB; smaller ones whole). */
static enum csirt_rc
read_via_file(const unsigned char *data, size_t len, struct hunt_input_opts *o)
{
	char path[] = "/tmp/csirt-windows-XXXXXX";
	int fd = mkstemp(path);
	size_t off = 0;
	enum csirt_rc rc;

	if (fd < 0)
		abort();
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	close(fd);
	rc = hunt_input_read_path(path, o);
	unlink(path);
	return rc;
}

/* Reads 'data' whole on one thread, then in windows of several sizes on
 * 1, 2 and 3 threads (and 2 threads taking 7 parts in turn), from the
 * buffer, from stdin and from a file; every trace must be the same. */
static void
check_same(const char *what, const unsigned char *data, size_t len,
    uint64_t min_events)
{
	static const size_t windows[] = { 0, 1, 700, 65536, 200000 };
	struct trace whole = { 0 };
	struct hunt_read_stats st = { 0 };
	struct hunt_input_opts o = { 0 };

	buf_init(&whole.b, (size_t)64 << 20);
	o.on_event = on_event;
	o.ctx = &whole;
	o.stats = &st;
	o.window = (size_t)1 << 40;	/* one window: the whole buffer */
	if (hunt_input_read_buffer(data, len, what, &o) != CSIRT_OK ||
	    whole.events < min_events) {
		printf("FAIL %s: whole read gave %llu events\n", what,
		    (unsigned long long)whole.events);
		failures++;
	}
	/* threads 1-3 with a part per thread, and 2 threads taking 7 parts in
	 * turn (whichever thread takes a part, its events go to its context) */
	for (size_t w = 0; w < ARRAY_SIZE(windows); w++)
		for (unsigned nt = 1; nt <= 4; nt++) {
			struct trace all = { 0 }, parts[7];
			void *ctxs[7];
			struct hunt_read_stats st2 = { 0 };
			struct hunt_input_opts o2 = { 0 };

			buf_init(&all.b, (size_t)64 << 20);
			for (int i = 0; i < 7; i++) {
				ctxs[i] = &parts[i];
				memset(&parts[i], 0, sizeof(parts[i]));
				buf_init(&parts[i].b, (size_t)64 << 20);
			}
			o2.on_event = on_event;
			o2.ctx = &all;
			o2.stats = &st2;
			o2.window = windows[w];
			o2.threads = nt <= 3 ? nt : 2;
			o2.parts = nt <= 3 ? 0 : 7;
			o2.thread_ctx = ctxs;
			o2.on_flush = on_flush;
			for (int via = 0; via < 3; via++) {
				static const char *const vias[] = { "", " on stdin",
					" from a file" };

				all.b.len = 0;
				all.events = 0;
				memset(&st2, 0, sizeof(st2));
				if (via == 1)
					(void)read_via_stdin(data, len, &o2);
				else if (via == 2)
					(void)read_via_file(data, len, &o2);
				else
					(void)hunt_input_read_buffer(data, len, what, &o2);
				if (all.b.len != whole.b.len || (all.b.len > 0 &&
				    memcmp(all.b.data, whole.b.data, all.b.len) != 0) ||
				    st2.events != st.events ||
				    st2.bad_records != st.bad_records) {
					printf("FAIL %s%s: window %zu, %u threads, %u "
					    "parts: %llu events (%llu bad) vs %llu (%llu "
					    "bad) whole\n", what, vias[via], windows[w],
					    o2.threads, o2.parts,
					    (unsigned long long)st2.events,
					    (unsigned long long)st2.bad_records,
					    (unsigned long long)st.events,
					    (unsigned long long)st.bad_records);
					failures++;
				}
			}
			buf_release(&all.b);
			for (int i = 0; i < 7; i++)
				buf_release(&parts[i].b);
		}
	printf("%s: %llu events, %llu bad records, same in every window, "
	    "thread and part count, from a buffer, stdin and a file\n", what, (unsigned long long)st.events,
	    (unsigned long long)st.bad_records);
	buf_release(&whole.b);
}


static enum csirt_rc read_via_file(const unsigned char *data, size_t len,
    struct hunt_input_opts *o);

/*
 * A callback that asks to stop, on threads with two windows in flight:
 * the read ends (no hang), what was read is flushed, and nothing of it is
 * left in a context to come out with the next input: reading the same
 * data again with the same contexts gives exactly the one-thread trace.
 */
static void
check_stop(const char *what, const unsigned char *data, size_t len)
{
	struct trace whole = { 0 }, all = { 0 }, parts[7];
	void *ctxs[7];
	struct hunt_read_stats st = { 0 }, st2 = { 0 };
	struct hunt_input_opts o = { 0 }, o2 = { 0 };

	buf_init(&whole.b, (size_t)64 << 20);
	buf_init(&all.b, (size_t)64 << 20);
	o.on_event = on_event;
	o.ctx = &whole;
	o.stats = &st;
	o.window = (size_t)1 << 40;
	(void)hunt_input_read_buffer(data, len, what, &o);
	for (int i = 0; i < 7; i++) {
		ctxs[i] = &parts[i];
		memset(&parts[i], 0, sizeof(parts[i]));
		buf_init(&parts[i].b, (size_t)64 << 20);
	}
	o2.on_event = on_event_stop;
	o2.ctx = &all;
	o2.stats = &st2;
	o2.window = 700;
	o2.threads = 2;
	o2.parts = 7;
	o2.thread_ctx = ctxs;
	o2.on_flush = on_flush;
	for (int via = 0; via < 2; via++) {
		const char *from = via ? "a file" : "a buffer";

		all.b.len = 0;
		all.events = 0;
		atomic_store(&stop_after, 100);
		if (via)
			(void)read_via_file(data, len, &o2);
		else
			(void)hunt_input_read_buffer(data, len, what, &o2);
		if (all.events < 100 || all.events >= whole.events) {
			printf("FAIL %s from %s: a stop after 100 events read "
			    "%llu of %llu\n", what, from,
			    (unsigned long long)all.events,
			    (unsigned long long)whole.events);
			failures++;
		}
		all.b.len = 0;
		all.events = 0;
		atomic_store(&stop_after, UINT_MAX);
		(void)read_via_file(data, len, &o2);
		if (all.b.len != whole.b.len ||
		    memcmp(all.b.data, whole.b.data, all.b.len) != 0) {
			printf("FAIL %s from %s: after a stop, the next read "
			    "differs (%llu events, %llu whole)\n", what, from,
			    (unsigned long long)all.events,
			    (unsigned long long)whole.events);
			failures++;
		} else {
			printf("%s from %s: a stop ends the read, and leaves "
			    "nothing behind\n", what, from);
		}
	}
	buf_release(&whole.b);
	buf_release(&all.b);
	for (int i = 0; i < 7; i++)
		buf_release(&parts[i].b);
}

static void
check_text(void)
{
	struct buf b;

	buf_init(&b, (size_t)16 << 20);
	/* JSON lines with blank lines, CRLF and a bad line in the middle */
	for (int i = 0; i < 3000; i++) {
		char line[200];
		int n = snprintf(line, sizeof(line), "%s{\"EventID\": %d, "
		    "\"Channel\": \"Security\", \"n\": \"%d\"}%s\n",
		    i % 97 == 0 ? "\n  " : "", 4600 + i % 50, i,
		    i % 13 == 0 ? "\r" : "");

		buf_append(&b, line, (size_t)n);
		if (i == 1500)
			buf_append_str(&b, "not json at all\n");
	}
	check_same("jsonl", (const unsigned char *)b.data, b.len, 3000);
	check_stop("jsonl", (const unsigned char *)b.data, b.len);
	check_gzip("jsonl", (const unsigned char *)b.data, b.len, 3000);
	check_zip("jsonl", (const unsigned char *)b.data, b.len, 3000);
	b.len = 0;
	for (int i = 0; i < 3000; i++) {
		char line[200];
		int n = snprintf(line, sizeof(line), "<13>Jan  %d 10:00:%02d host%d "
		    "sshd[%d]: Failed password for root\n%s", 1 + i % 28, i % 60,
		    i % 7, i, i % 50 == 0 ? "\n" : "");

		buf_append(&b, line, (size_t)n);
	}
	check_same("syslog", (const unsigned char *)b.data, b.len, 3000);
	check_gzip("syslog", (const unsigned char *)b.data, b.len, 3000);
	check_zip("syslog", (const unsigned char *)b.data, b.len, 3000);
	b.len = 0;
	/* pretty JSON cannot be split at newlines: read in one window */
	for (int i = 0; i < 200; i++) {
		char doc[200];
		int n = snprintf(doc, sizeof(doc), "{\n  \"EventID\": %d,\n"
		    "  \"n\": {\n    \"x\": %d\n  }\n}\n", i, i);

		buf_append(&b, doc, (size_t)n);
	}
	check_same("pretty json", (const unsigned char *)b.data, b.len, 200);
	check_gzip("pretty json", (const unsigned char *)b.data, b.len, 200);
	check_zip("pretty json", (const unsigned char *)b.data, b.len, 200);
	buf_release(&b);
}

/*
 * stdin is read as it arrives, not whole first: the feeder writes the first
 * half, then waits (up to 5 s) for an event to come out before it writes
 * the rest; a reader that waited for the end of the input would give none.
 */
static atomic_int streamed_events;

static bool
on_streamed(struct hunt_event *ev, void *ctx)
{
	(void)ev;
	(void)ctx;
	atomic_fetch_add(&streamed_events, 1);
	return true;
}

static void *
feed_in_halves(void *arg)
{
	struct feeder *f = arg;
	size_t half = f->len / 2, off = 0;

	while (off < half) {	/* the first half */
		ssize_t n = write(f->fd, f->data + off, half - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	for (int waited = 0; waited < 500 && atomic_load(&streamed_events) == 0; waited++)
		usleep(10000);
	if (atomic_load(&streamed_events) == 0) {
		printf("FAIL stdin: no event before the input ended (read whole?)\n");
		failures++;
	}
	while (off < f->len) {
		ssize_t n = write(f->fd, f->data + off, f->len - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(f->fd);
	return NULL;
}

static void
check_stdin_streams(void)
{
	struct buf b;
	struct hunt_read_stats st = { 0 };
	struct hunt_input_opts o = { 0 };
	int fds[2], saved = dup(STDIN_FILENO);
	struct feeder f;
	pthread_t t;

	buf_init(&b, (size_t)16 << 20);
	for (int i = 0; i < 2000; i++)
		buf_printf(&b, "{\"EventID\": %d, \"n\": \"%d\"}\n", 4600 + i % 50, i);
	o.on_event = on_streamed;
	o.stats = &st;
	o.window = 4096;
	if (saved < 0 || pipe(fds) != 0 || dup2(fds[0], STDIN_FILENO) < 0)
		abort();
	close(fds[0]);
	f.data = (const unsigned char *)b.data;
	f.len = b.len;
	f.fd = fds[1];
	if (pthread_create(&t, NULL, feed_in_halves, &f) != 0)
		abort();
	(void)hunt_input_read_path("-", &o);
	dup2(saved, STDIN_FILENO);
	close(saved);
	pthread_join(t, NULL);
	if (st.events != 2000) {
		printf("FAIL stdin stream: %llu events of 2000\n", (unsigned long long)st.events);
		failures++;
	} else {
		printf("stdin: events came out while the input was still arriving\n");
	}
	buf_release(&b);
}

static int
check_evtx(const char *shared)
{
	char path[4096];
	FILE *f;
	struct stat sb;
	unsigned char *data;
	const char *ci = getenv("CI");

	snprintf(path, sizeof(path), "%s/evtx/EVTX-ATTACK-SAMPLES/Execution/"
	    "rogue_msi_url_1040_1042.evtx", shared);
	if (stat(path, &sb) != 0) {
		if (ci != NULL && strcmp(ci, "true") == 0) {
			printf("FAIL: shared data %s missing and CI=true\n", path);
			return 1;
		}
		printf("SKIP evtx part: shared data %s missing\n", path);
		return 77;
	}
	data = malloc((size_t)sb.st_size);
	f = fopen(path, "rb");
	if (data == NULL || f == NULL ||
	    fread(data, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
		printf("FAIL: cannot read %s\n", path);
		return 1;
	}
	fclose(f);
	check_same("evtx", data, (size_t)sb.st_size, 100);
	check_gzip("evtx", data, (size_t)sb.st_size, 100);
	check_zip("evtx", data, (size_t)sb.st_size, 100);
	free(data);
	return 0;
}

int
main(int argc, char **argv)
{
	int evtx;

	signal(SIGPIPE, SIG_IGN);	/* a reader that stops early */
	check_text();
	check_stdin_streams();
	evtx = check_evtx(argc > 1 ? argv[1] : "../shared/data");
	if (failures > 0 || evtx == 1)
		return 1;
	return evtx;
}
