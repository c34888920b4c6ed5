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
 * windows. With opts->threads > 1 each window is split between threads
 * (see hunt.h). A broken file is reported and skipped; the walk goes on.
 */
#include "csirt/common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
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
#include "reader_int.h"

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


/* ---- windows and threads ---- */

/* One part of a window, read by one thread. */
struct part {
	const unsigned char *data;
	size_t len, start, end;
	enum hunt_format fmt;
	uint64_t record;	/* in: records before the part; out: after */
	const char *source;
	hunt_event_fn fn;
	void *ctx;
	bool stopped;		/* the callback asked to stop */
	struct hunt_read_stats st;
	enum csirt_rc rc;
};

static bool
part_event(struct hunt_event *ev, void *arg)
{
	struct part *p = arg;

	if (p->fn(ev, p->ctx))
		return true;
	p->stopped = true;
	return false;
}

static void *
part_run(void *arg)
{
	struct part *p = arg;

	switch (p->fmt) {
	case HUNT_FORMAT_EVTX:
		p->rc = hunt_evtx_read_range(p->data, p->len, p->start, p->end,
		    p->source, part_event, p, &p->st);
		break;
	case HUNT_FORMAT_JSONL:
		p->rc = hunt_jsonl_read_range((const char *)p->data, p->start,
		    p->end, &p->record, p->source, part_event, p, &p->st);
		break;
	case HUNT_FORMAT_SYSLOG:
		p->rc = hunt_syslog_read_range((const char *)p->data, p->start,
		    p->end, &p->record, p->source, part_event, p, &p->st);
		break;
	default:
		p->rc = CSIRT_OK;
		break;
	}
	return NULL;
}

/* The first record boundary at or after 'at' (text: after a newline). */
static size_t
boundary(const unsigned char *data, size_t len, enum hunt_format fmt,
    size_t at)
{
	const unsigned char *nl;

	if (at >= len)
		return len;
	if (fmt == HUNT_FORMAT_EVTX) {
		size_t base = hunt_evtx_first_chunk(data, len), k;

		if (at <= base)
			return base;
		k = (at - base + HUNT_EVTX_CHUNK - 1) / HUNT_EVTX_CHUNK;
		return base + k * HUNT_EVTX_CHUNK < len ?
		    base + k * HUNT_EVTX_CHUNK : len;
	}
	if (at == 0)
		return 0;
	nl = memchr(data + at - 1, '\n', len - at + 1);
	return nl ? (size_t)(nl - data) + 1 : len;
}

/* Records in [a, b) as the readers number them: JSON documents (one per
 * non-blank line in JSON lines) or syslog lines. */
static uint64_t
count_records(const unsigned char *data, size_t a, size_t b,
    enum hunt_format fmt)
{
	uint64_t n = 0;

	while (a < b) {
		const unsigned char *nl;

		if (fmt == HUNT_FORMAT_JSONL) {
			while (a < b && (data[a] == ' ' || data[a] == '\t' ||
			    data[a] == '\r' || data[a] == '\n'))
				a++;
			if (a >= b)
				break;
		}
		n++;
		nl = memchr(data + a, '\n', b - a);
		a = nl ? (size_t)(nl - data) + 1 : b;
	}
	return n;
}

/* JSON documents one per line? Pretty-printed documents cannot be split
 * at newlines and are read in one window. */
static bool
json_one_per_line(const unsigned char *data, size_t len)
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

static void
stats_merge(struct hunt_read_stats *to, const struct hunt_read_stats *from)
{
	to->events += from->events;
	to->bad_records += from->bad_records;
	to->bad_chunks += from->bad_chunks;
	if (to->first_error[0] == '\0')
		memcpy(to->first_error, from->first_error, sizeof(to->first_error));
}

/* Releases the pages of [a, b) of a read-only file mapping: they are read
 * again from the page cache if touched, never lost. */
static void
release_pages(const unsigned char *data, size_t a, size_t b)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	a = a / page * page;
	b = b / page * page;
	if (b > a)
		(void)madvise((void *)(uintptr_t)(data + a), b - a, MADV_DONTNEED);
}

static unsigned
threads_of(const struct hunt_input_opts *o)
{
	if (o->threads <= 1 || o->thread_ctx == NULL)
		return 1;
	return o->threads > HUNT_INPUT_MAX_THREADS ? HUNT_INPUT_MAX_THREADS :
	    o->threads;
}

/* How many parts (and contexts) a window is split into; 0 = one part on
 * the caller's 'ctx' (no threads asked for). */
static unsigned
parts_of(const struct hunt_input_opts *o)
{
	unsigned n;

	if (threads_of(o) == 1)
		return 0;
	n = o->parts ? o->parts : threads_of(o);
	return n > HUNT_INPUT_MAX_PARTS ? HUNT_INPUT_MAX_PARTS : n;
}

/* The parts of one window and the index of the next one to take. */
struct part_queue {
	struct part *parts;
	unsigned n;
	atomic_uint next;
};

static void *
queue_run(void *arg)
{
	struct part_queue *q = arg;
	unsigned i;

	while ((i = atomic_fetch_add(&q->next, 1)) < q->n)
		part_run(&q->parts[i]);
	return NULL;
}

/* A window being read: its parts, the threads reading them. */
struct window_run {
	struct part parts[HUNT_INPUT_MAX_PARTS];
	pthread_t tids[HUNT_INPUT_MAX_THREADS];
	struct part_queue q;
	unsigned nt, np, started;
	enum hunt_format fmt;
};

/*
 * Starts reading one window [pos, wend) of [data, data+len), split into
 * the parts of parts_of(o) (one part on the caller's ctx when no threads
 * were asked for; one part on the first context when 'whole': pretty JSON
 * cannot be cut), on nt - 1 threads of its own; window_end() has the
 * caller take parts too, then flushes. More parts than threads because
 * parts cost unlike amounts: with one part per thread, OTRF's windows
 * left one of two threads idle for 0-220 ms of each 120-360 ms window
 * (~23% of the run) while the other finished its half. 'record' is the
 * number of text records before the window.
 */
/*
 * Cuts [pos, wend) of data into n parts (at record boundaries), numbered
 * on from 'record', their events to ctx[0..n) (the caller's ctx when ctx
 * is NULL). Returns the number of text records before the window's end
 * (EVTX: 'record'), counted: the caller may lay out the next window
 * before this one is read.
 */
static uint64_t
parts_layout(struct part *parts, unsigned n, const unsigned char *data,
    size_t len, size_t pos, size_t wend, enum hunt_format fmt,
    uint64_t record, const char *source, struct hunt_input_opts *o,
    void *const *ctx)
{
	size_t at = pos;

	for (unsigned i = 0; i < n; i++) {
		struct part *p = &parts[i];
		size_t end = i + 1 == n ? wend : boundary(data, wend, fmt,
		    pos + (wend - pos) / n * (i + 1));

		if (end < at)
			end = at;
		memset(p, 0, sizeof(*p));
		p->data = data;
		p->len = fmt == HUNT_FORMAT_EVTX ? len : wend;
		p->start = at;
		p->end = end;
		p->fmt = fmt;
		p->record = record;
		p->source = source;
		p->fn = o->on_event;
		p->ctx = ctx != NULL ? ctx[i] : o->ctx;
		if (fmt != HUNT_FORMAT_EVTX)
			record += count_records(data, at, end, fmt);
		at = end;
	}
	return record;
}

/*
 * Starts reading one window [pos, wend) of [data, data+len), split into
 * the parts of parts_of(o) (one part on the caller's ctx when no threads
 * were asked for; one part on the first context when 'whole': pretty JSON
 * cannot be cut), on nt - 1 threads of its own; window_end() has the
 * caller take parts too, then flushes. More parts than threads because
 * parts cost unlike amounts: with one part per thread, OTRF's windows
 * left one of two threads idle for 0-220 ms of each 120-360 ms window
 * (~23% of the run) while the other finished its half. 'record' is the
 * number of text records before the window.
 */
static void
window_begin(struct window_run *w, const unsigned char *data, size_t len,
    size_t pos, size_t wend, enum hunt_format fmt, bool whole,
    uint64_t record, const char *source, struct hunt_input_opts *o)
{
	w->nt = threads_of(o);
	w->np = parts_of(o);
	w->fmt = fmt;
	w->started = 0;
	w->q.parts = w->parts;
	w->q.n = w->np && !whole ? w->np : 1;
	(void)parts_layout(w->parts, w->q.n, data, len, pos, wend, fmt, record,
	    source, o, w->np ? o->thread_ctx : NULL);
	atomic_init(&w->q.next, 0);
	if (w->nt > w->q.n)
		w->nt = w->q.n;
	for (unsigned t = 1; t < w->nt; t++)
		if (pthread_create(&w->tids[t], NULL, queue_run, &w->q) == 0)
			w->started |= 1u << t;
}

/* Takes the parts left on this thread, waits for the others, then
 * flushes every part's output in order. *record carries text record
 * numbers from window to window; *stop is set when a callback asked to
 * stop. */
static enum csirt_rc
window_end(struct window_run *w, struct hunt_input_opts *o, uint64_t *record,
    bool *stop)
{
	enum csirt_rc rc = CSIRT_OK;

	queue_run(&w->q);
	for (unsigned t = 1; t < w->nt; t++)
		if (w->started & (1u << t))
			pthread_join(w->tids[t], NULL);
	for (unsigned i = 0; i < w->q.n; i++) {
		stats_merge(o->stats, &w->parts[i].st);
		*stop |= w->parts[i].stopped;
		if (w->parts[i].rc == CSIRT_ENOMEM)
			rc = CSIRT_ENOMEM;
		if (w->np && o->on_flush != NULL)
			o->on_flush(o->thread_ctx[i], o->ctx);
	}
	if (w->fmt != HUNT_FORMAT_EVTX)
		*record = w->parts[w->q.n - 1].record;
	return rc;
}

/*
 * Two windows in flight. With a window at a time, the threads met at the
 * end of every window: the caller laid out the next one (counting its
 * records: ~0.4 ms a window, the threads idle), then waited for the
 * last part while the other thread had nothing left (measured on
 * otrf2x.jsonl, 2 threads, 146 windows: 0.06-0.07 s laying out and
 * 0.05-0.10 s waiting, of a 1.6 s hunt; both cores were busy only 1.74
 * of 2). Here the threads live as long as the input, the next window is
 * laid out while they read the current one, and a thread out of parts of
 * the older window takes parts of the newer. The caller flushes a window
 * once all its parts are done and then refills its buffer. Each window
 * uses half of the contexts (parts_of(o) / 2 parts), the two halves in
 * turn, so a context's buffered output is flushed before it is reused.
 */
struct flight {
	struct part parts[HUNT_INPUT_MAX_PARTS];
	unsigned n, next, done;	/* parts; the next to take; finished */
	unsigned ctx_base;	/* its parts' contexts: thread_ctx[ctx_base..] */
	unsigned char *buf;	/* the buffer it reads (streams) */
	size_t have, wend;	/* bytes in buf; the window's end */
	bool live;
};

struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* parts posted, a window done, closing */
	struct flight f[2];
	unsigned older;		/* f[older] is finished first */
	bool closing;
	pthread_t tids[HUNT_INPUT_MAX_THREADS];
	unsigned started;	/* bit t: tids[t] runs */
};

/* Under mu: a part to read, the older window's first. */
static struct part *
pipe_take(struct pipeline *pl, struct flight **fp)
{
	for (unsigned k = 0; k < 2; k++) {
		struct flight *f = &pl->f[(pl->older + k) % 2];

		if (f->live && f->next < f->n) {
			*fp = f;
			return &f->parts[f->next++];
		}
	}
	return NULL;
}

/* Under mu (released while reading): reads one part if there is one. */
static bool
pipe_run_one(struct pipeline *pl)
{
	struct flight *f;
	struct part *p = pipe_take(pl, &f);

	if (p == NULL)
		return false;
	pthread_mutex_unlock(&pl->mu);
	part_run(p);
	pthread_mutex_lock(&pl->mu);
	if (++f->done == f->n)
		pthread_cond_broadcast(&pl->cv);
	return true;
}

static void *
pipe_worker(void *arg)
{
	struct pipeline *pl = arg;

	pthread_mutex_lock(&pl->mu);
	while (!pl->closing)
		if (!pipe_run_one(pl))
			pthread_cond_wait(&pl->cv, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

/* NULL when it cannot start (then read a window at a time). */
static struct pipeline *
pipe_start(struct hunt_input_opts *o)
{
	struct pipeline *pl = calloc(1, sizeof(*pl));
	unsigned nt = threads_of(o);

	if (pl == NULL)
		return NULL;
	if (pthread_mutex_init(&pl->mu, NULL) != 0) {
		free(pl);
		return NULL;
	}
	if (pthread_cond_init(&pl->cv, NULL) != 0) {
		pthread_mutex_destroy(&pl->mu);
		free(pl);
		return NULL;
	}
	pl->f[1].ctx_base = parts_of(o) / 2;
	for (unsigned t = 1; t < nt; t++)
		if (pthread_create(&pl->tids[t], NULL, pipe_worker, pl) == 0)
			pl->started |= 1u << t;
	return pl;
}

/* Lays out window [pos, wend) of data in f (not live) and lets the
 * threads take its parts; *record moves past the window's records. */
static void
pipe_post(struct pipeline *pl, struct flight *f, const unsigned char *data,
    size_t len, size_t pos, size_t wend, enum hunt_format fmt,
    uint64_t *record, const char *source, struct hunt_input_opts *o)
{
	unsigned n = parts_of(o) / 2;

	*record = parts_layout(f->parts, n, data, len, pos, wend, fmt, *record,
	    source, o, o->thread_ctx + f->ctx_base);
	pthread_mutex_lock(&pl->mu);
	f->n = n;
	f->next = 0;
	f->done = 0;
	f->live = true;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
}

/* Reads parts (the newer window's too) until f's are done, then flushes
 * them in order. */
static enum csirt_rc
pipe_finish(struct pipeline *pl, struct flight *f, struct hunt_input_opts *o,
    bool *stop)
{
	enum csirt_rc rc = CSIRT_OK;

	pthread_mutex_lock(&pl->mu);
	while (f->done < f->n)
		if (!pipe_run_one(pl))
			pthread_cond_wait(&pl->cv, &pl->mu);
	f->live = false;
	pl->older = f == &pl->f[0] ? 1 : 0;
	pthread_mutex_unlock(&pl->mu);
	for (unsigned i = 0; i < f->n; i++) {
		stats_merge(o->stats, &f->parts[i].st);
		*stop |= f->parts[i].stopped;
		if (f->parts[i].rc == CSIRT_ENOMEM)
			rc = CSIRT_ENOMEM;
		if (o->on_flush != NULL)
			o->on_flush(o->thread_ctx[f->ctx_base + i], o->ctx);
	}
	return rc;
}

/* Under mu: no more parts of what is in flight are taken. */
static void
pipe_cut(struct pipeline *pl)
{
	for (unsigned k = 0; k < 2; k++)
		if (pl->f[k].live)
			pl->f[k].n = pl->f[k].next;
}

/* Finishes what is in flight (after a stop or an error, 'cut': only the
 * parts already taken, whose output is flushed; the rest is not read),
 * then stops the threads. */
static enum csirt_rc
pipe_end(struct pipeline *pl, struct hunt_input_opts *o, bool cut)
{
	unsigned first = pl->older;
	enum csirt_rc rc = CSIRT_OK;

	for (unsigned k = 0; k < 2; k++) {
		struct flight *f = &pl->f[(first + k) % 2];
		bool stop = false;

		if (cut) {
			pthread_mutex_lock(&pl->mu);
			pipe_cut(pl);
			pthread_mutex_unlock(&pl->mu);
		}
		if (f->live && pipe_finish(pl, f, o, &stop) != CSIRT_OK)
			rc = CSIRT_ENOMEM;
		cut |= stop || rc != CSIRT_OK;
	}
	pthread_mutex_lock(&pl->mu);
	pl->closing = true;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
	for (unsigned t = 1; t < HUNT_INPUT_MAX_THREADS; t++)
		if (pl->started & (1u << t))
			pthread_join(pl->tids[t], NULL);
	pthread_cond_destroy(&pl->cv);
	pthread_mutex_destroy(&pl->mu);
	free(pl);
	return rc;
}

/* One window, start to end (see window_begin). */
static enum csirt_rc
read_window(const unsigned char *data, size_t len, size_t pos, size_t wend,
    enum hunt_format fmt, bool whole, uint64_t *record, const char *source,
    struct hunt_input_opts *o, bool *stop)
{
	struct window_run *w = malloc(sizeof(*w));
	enum csirt_rc rc;

	if (w == NULL)
		return CSIRT_ENOMEM;
	window_begin(w, data, len, pos, wend, fmt, whole, *record, source, o);
	rc = window_end(w, o, record, stop);
	free(w);
	return rc;
}

static bool
evtx_signed(const unsigned char *data, size_t len)
{
	return len >= 8 && (memcmp(data, "ElfFile\0", 8) == 0 ||
	    memcmp(data, "ElfChnk\0", 8) == 0);
}

static enum csirt_rc
read_windows(const unsigned char *data, size_t len, const char *source,
    struct hunt_input_opts *o, bool mapped)
{
	enum hunt_format fmt = hunt_format_detect(data, len);
	size_t pos = 0, window = o->window ? o->window : HUNT_INPUT_WINDOW;
	uint64_t record = 0;
	bool stop = false, whole = false;
	enum csirt_rc rc = CSIRT_OK;

	if (fmt == HUNT_FORMAT_UNKNOWN)
		return CSIRT_OK;	/* empty file */
	if (fmt == HUNT_FORMAT_EVTX && !evtx_signed(data, len)) {
		report(o, source, "not a readable log format");
		return CSIRT_OK;
	}
	if (fmt == HUNT_FORMAT_JSONL && !json_one_per_line(data, len)) {
		window = len;	/* pretty JSON: one window, one part */
		whole = true;
	}
	o->stats->bytes += len;
	/* Bounded: every window advances pos by at least one byte. */
	while (pos < len && !stop && rc == CSIRT_OK) {
		size_t wend = boundary(data, len, fmt,
		    window >= len - pos ? len : pos + window);

		if (wend <= pos)
			wend = len;
		rc = read_window(data, len, pos, wend, fmt, whole, &record,
		    source, o, &stop);
		if (mapped)
			release_pages(data, pos, wend);
		pos = wend;
	}
	return rc;
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
	return !(*fmt == HUNT_FORMAT_JSONL && !json_one_per_line(buf, have)) &&
	    !(*fmt == HUNT_FORMAT_EVTX && !evtx_signed(buf, have));
}

/*
 * One turn of a stream read in windows (gzip as it inflates, stdin as it
 * arrives): reads buf[0, wend), wend being the last record boundary in
 * buf[0, *have) (EVTX chunk, text line), or all of it once the stream has
 * ended; then moves the rest to the front for the next turn.
 */
/* The last record boundary in buf[0, have) (EVTX chunk, text line), or
 * 'have' once the stream has ended (or when no boundary is in it). */
static size_t
stream_wend(const unsigned char *buf, size_t have, bool ended,
    enum hunt_format fmt)
{
	size_t wend = have;

	if (!ended && fmt == HUNT_FORMAT_EVTX) {
		size_t base = hunt_evtx_first_chunk(buf, have);

		wend = have > base ? base + (have - base) / HUNT_EVTX_CHUNK *
		    HUNT_EVTX_CHUNK : have;
	} else if (!ended) {
		const unsigned char *nl = memrchr(buf, '\n', have);

		wend = nl ? (size_t)(nl - buf) + 1 : have;
	}
	return wend == 0 ? have : wend;
}

static enum csirt_rc
stream_turn(unsigned char *buf, size_t *have, bool ended, enum hunt_format fmt,
    uint64_t *record, const char *source, struct hunt_input_opts *o,
    bool *stop, uint64_t *total)
{
	size_t wend = stream_wend(buf, *have, ended, fmt);
	enum csirt_rc rc;

	rc = read_window(buf, ended ? *have : wend, 0, wend, fmt, false,
	    record, source, o, stop);
	*total += wend;
	memmove(buf, buf + wend, *have - wend);
	*have -= wend;
	return rc;
}

/*
 * A stream read in windows: fill reads more of it into buf[*have, cap)
 * and returns true at its end (or on bad data: it then sets corrupt, and
 * the reader reports 'what' once, keeping what came before).
 */
struct stream_src {
	bool (*fill)(struct stream_src *src, unsigned char *buf, size_t cap,
	    size_t *have);
	bool corrupt;
	const char *what;
};

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

/*
 * A stream whose reading never waits for a writer (a regular file, gzip,
 * a zip member) on threads: window after window, two in flight (see
 * struct pipeline), the next read into the other buffer (its first bytes
 * the tail of the window before) while the threads read the current one.
 * Not for pipes: reading ahead could wait for input that only comes after
 * the window's hits are out (tail -f, a writer that waits for its reader).
 * Takes buf and spare (both from huge_alloc(cap)).
 */
static enum csirt_rc
stream_ahead(struct pipeline *pl, struct stream_src *src, unsigned char *buf,
    unsigned char *spare, size_t cap, size_t have, bool ended,
    enum hunt_format fmt, const char *source, struct hunt_input_opts *o)
{
	uint64_t total = 0, record = 0;
	bool stop = false, reported = false, cut = false;
	enum csirt_rc rc = CSIRT_OK;
	struct flight *f = &pl->f[0];	/* the next to post */

	f->buf = buf;
	pl->f[1].buf = spare;
	/* Bounded: every turn posts a window of the stream, or ends. */
	for (;;) {
		struct flight *other = f == &pl->f[0] ? &pl->f[1] : &pl->f[0];

		if (have == 0)
			break;
		if (total + have > cap_of(o)) {
			report(o, source, "decompressed data over the size cap");
			break;
		}
		f->have = have;
		f->wend = stream_wend(f->buf, have, ended, fmt);
		pipe_post(pl, f, f->buf, ended ? have : f->wend, 0, f->wend, fmt,
		    &record, source, o);
		total += f->wend;
		if (ended)
			break;
		/* the other buffer is free once its window is done */
		if (other->live) {
			rc = pipe_finish(pl, other, o, &stop);
			if (stop || rc != CSIRT_OK) {
				cut = true;
				break;
			}
		}
		have = f->have - f->wend;
		memcpy(other->buf, f->buf + f->wend, have);
		ended = src->fill(src, other->buf, cap, &have);
		if (src->corrupt && !reported) {
			report(o, source, "%s", src->what);
			reported = true;
		}
		f = other;
	}
	if (pipe_end(pl, o, cut) != CSIRT_OK)
		rc = CSIRT_ENOMEM;
	o->stats->bytes += total;
	huge_free(buf, cap);
	huge_free(spare, cap);
	return rc;
}

/*
 * The rest of a stream that is never waited for (a regular file, gzip, a
 * zip member), from its first window buf[0, have): on threads two windows
 * in flight (stream_ahead), else a window at a time. Takes buf (from
 * huge_alloc(cap)). The total is capped like any input.
 */
static enum csirt_rc
stream_rest(struct stream_src *src, unsigned char *buf, size_t cap,
    size_t have, bool ended, enum hunt_format fmt, const char *source,
    struct hunt_input_opts *o)
{
	uint64_t total = 0, record = 0;
	bool stop = false, reported = false;
	enum csirt_rc rc = CSIRT_OK;

	if (fmt != HUNT_FORMAT_UNKNOWN && parts_of(o) >= 2) {
		unsigned char *spare = huge_alloc(cap);
		struct pipeline *pl = spare != NULL ? pipe_start(o) : NULL;

		if (pl != NULL)
			return stream_ahead(pl, src, buf, spare, cap, have, ended,
			    fmt, source, o);
		huge_free(spare, cap);
	}
	/* Bounded: every turn reads a window and reads more, or ends. */
	while (fmt != HUNT_FORMAT_UNKNOWN && have > 0 && !stop &&
	    rc == CSIRT_OK) {
		if (total + have > cap_of(o)) {
			report(o, source, "decompressed data over the size cap");
			break;
		}
		rc = stream_turn(buf, &have, ended, fmt, &record, source, o,
		    &stop, &total);
		if (!ended)
			ended = src->fill(src, buf, cap, &have);
		if (src->corrupt && !reported) {
			report(o, source, "%s", src->what);
			reported = true;
		}
	}
	o->stats->bytes += total;
	huge_free(buf, cap);
	return rc;
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
	rc = stream_rest(&g.base, buf, cap, have, ended, fmt, source, o);
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
			report(o, source, "nested archives too deep");
			return CSIRT_OK;
		}
		rc = gunzip_windows(data, len, source, o, &handled);
		if (handled)
			return rc;
		u = gunzip(data, len, cap_of(o), &ulen, &why);
		if (u == NULL) {
			report(o, source, "%s", why);
			return CSIRT_OK;
		}
		rc = dispatch(u, ulen, source, o, depth + 1, false);
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
	return read_windows(data, len, source, o, mapped);
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
			return stream_rest(&z.base, buf, cap, have, ended, fmt,
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
		report(o, name, "cannot read zip entry");
		return CSIRT_OK;
	}
	(void)zip_fill(&z.base, whole, size, &have);
	if (z.base.corrupt)
		report(o, name, "%s", z.base.what);
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
		char name[4096];

		if (zip_stat_index(za, (zip_uint64_t)i, 0, &zst) != 0 ||
		    !(zst.valid & ZIP_STAT_SIZE) || zst.name == NULL ||
		    zst.name[0] == '\0' || zst.name[strlen(zst.name) - 1] == '/')
			continue;
		snprintf(name, sizeof(name), "%s:%s", source, zst.name);
		if (zst.size > cap_of(o)) {
			report(o, name, "zip entry over the size cap");
			continue;
		}
		zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
		if (zf == NULL) {
			report(o, name, "cannot read zip entry");
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

	buf_init(&b, cap_of(o));
	if (nfirst > 0 && buf_append(&b, first, nfirst) != CSIRT_OK) {
		report(o, source, "input over the size cap");
		ended = true;
	}
	while (!ended && ((n = read(fd, chunk, sizeof(chunk))) > 0 ||
	    (n < 0 && errno == EINTR)))
		if (n > 0 && buf_append(&b, chunk, (size_t)n) != CSIRT_OK) {
			report(o, source, "input over the size cap");
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
		return stream_rest(&fs.base, buf, cap, have, ended, fmt, source,
		    o);
	/* Each turn reads more of the input (fill_fd waits for at least one
	 * byte) or the end, and reads a window once a record is whole. */
	while (!stop && rc == CSIRT_OK && (have > 0 || !ended)) {
		if (have == cap || ended || stream_ready(buf, have, fmt))
			rc = stream_turn(buf, &have, ended, fmt, &record, source,
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
		report(o, path, "cannot open: %s", strerror(errno));
		return CSIRT_OK;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		rc = S_ISREG(st.st_mode) ? CSIRT_OK : read_fd(fd, path, o, false);
		close(fd);
		return rc;
	}
	if ((size_t)st.st_size > cap_of(o)) {
		report(o, path, "file over the size cap");
		close(fd);
		return CSIRT_OK;
	}
	/* the first bytes say how: files that fit one window are read whole,
	 * those that can be cut at record boundaries in windows, the rest
	 * (archives, pretty JSON) mapped */
	head_len = (size_t)st.st_size < FILE_HEAD ? (size_t)st.st_size : FILE_HEAD;
	head = malloc(head_len);
	if (head == NULL || !pread_full(fd, head, head_len)) {
		report(o, path, "cannot read: %s", head ? strerror(errno) :
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
		return read_fd(STDIN_FILENO, "(stdin)", o, false);
	return walk(path, o, 0);
}
