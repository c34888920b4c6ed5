/*
 * input_window.c - reading a buffer or a stream in windows, on threads.
 *
 * A window never splits a record (EVTX chunks, text lines). With
 * opts->threads > 1 a window is cut into parts that the threads take in
 * turn (see hunt.h), and inputs read ahead keep two windows in flight
 * (struct pipeline) so no thread waits at a window's end. The sources
 * (files, stdin, gzip, zip) are input.c's.
 */
#include "csirt/common.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "csirt/hunt.h"
#include "csirt/util.h"
#include "input_int.h"
#include "reader_int.h"

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

/*
 * Cuts [pos, wend) of data into n parts (at record boundaries), numbered
 * on from 'record', their events to ctx[0..n) (the caller's ctx when ctx
 * is NULL). With count_last, returns the number of text records before
 * the window's end (EVTX: 'record'), counted, so that the next window can
 * be laid out before this one is read; without, the last part is not
 * counted (its reader numbers on from where it starts).
 */
static uint64_t
parts_layout(struct part *parts, unsigned n, const unsigned char *data,
    size_t len, size_t pos, size_t wend, enum hunt_format fmt,
    uint64_t record, const char *source, struct hunt_input_opts *o,
    void *const *ctx, bool count_last)
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
		if (fmt != HUNT_FORMAT_EVTX && (count_last || i + 1 < n))
			record += count_records(data, at, end, fmt);
		at = end;
	}
	return record;
}

/* After a part is read, on the caller's thread: its stats, a stop it
 * asked for, and its buffered output when it has a context of its own
 * (ctx, NULL when its events went to the caller's). */
static enum csirt_rc
part_done(const struct part *p, struct hunt_input_opts *o, void *ctx,
    bool *stop)
{
	stats_merge(o->stats, &p->st);
	*stop |= p->stopped;
	if (ctx != NULL && o->on_flush != NULL)
		o->on_flush(ctx, o->ctx);
	return p->rc == CSIRT_ENOMEM ? CSIRT_ENOMEM : CSIRT_OK;
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
	size_t have;		/* bytes in buf (streams) */
	size_t pos, wend;	/* the window */
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
	    source, o, o->thread_ctx + f->ctx_base, true);
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
	for (unsigned i = 0; i < f->n; i++)
		if (part_done(&f->parts[i], o, o->thread_ctx[f->ctx_base + i],
		    stop) != CSIRT_OK)
			rc = CSIRT_ENOMEM;
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

/*
 * One window, start to end: on threads, as the pipeline's only window in
 * flight (its threads live for this window: a pipe's next window may be
 * long in coming); else, or when it cannot be cut ('whole': pretty JSON),
 * as one part on this thread, its events to the first context when there
 * are contexts, else to the caller's ctx. 'record' is the number of text
 * records before the window, and after it on return.
 */
static enum csirt_rc
read_window(const unsigned char *data, size_t len, size_t pos, size_t wend,
    enum hunt_format fmt, bool whole, uint64_t *record, const char *source,
    struct hunt_input_opts *o, bool *stop)
{
	void *const *ctx = parts_of(o) > 0 ? o->thread_ctx : NULL;
	struct pipeline *pl;
	struct part one;
	enum csirt_rc rc;

	if (!whole && parts_of(o) >= 2 && (pl = pipe_start(o)) != NULL) {
		pipe_post(pl, &pl->f[0], data, len, pos, wend, fmt, record,
		    source, o);
		rc = pipe_finish(pl, &pl->f[0], o, stop);
		if (pipe_end(pl, o, false) != CSIRT_OK)
			rc = CSIRT_ENOMEM;
		return rc;
	}
	(void)parts_layout(&one, 1, data, len, pos, wend, fmt, *record, source,
	    o, ctx, false);
	part_run(&one);
	if (fmt != HUNT_FORMAT_EVTX)
		*record = one.record;
	return part_done(&one, o, ctx != NULL ? ctx[0] : NULL, stop);
}

/* Windows of data in memory, two in flight (see struct pipeline). */
static enum csirt_rc
windows_ahead(struct pipeline *pl, const unsigned char *data, size_t len,
    size_t window, enum hunt_format fmt, const char *source,
    struct hunt_input_opts *o, bool mapped)
{
	struct flight *f = &pl->f[0];	/* the next to post */
	size_t pos = 0;
	uint64_t record = 0;
	bool stop = false, cut = false;
	enum csirt_rc rc = CSIRT_OK;

	/* Bounded: every window advances pos by at least one byte. */
	while (pos < len) {
		size_t wend = boundary(data, len, fmt,
		    window >= len - pos ? len : pos + window);

		if (wend <= pos)
			wend = len;
		if (f->live) {	/* the window before last: done first */
			rc = pipe_finish(pl, f, o, &stop);
			if (mapped)
				release_pages(data, f->pos, f->wend);
			if (stop || rc != CSIRT_OK) {
				cut = true;
				break;
			}
		}
		f->pos = pos;
		f->wend = wend;
		pipe_post(pl, f, data, len, pos, wend, fmt, &record, source, o);
		pos = wend;
		f = f == &pl->f[0] ? &pl->f[1] : &pl->f[0];
	}
	if (pipe_end(pl, o, cut) != CSIRT_OK)
		rc = CSIRT_ENOMEM;
	return rc;
}

enum csirt_rc
input_read_windows(const unsigned char *data, size_t len, const char *source,
    struct hunt_input_opts *o, bool mapped)
{
	enum hunt_format fmt = hunt_format_detect(data, len);
	size_t pos = 0, window = o->window ? o->window : HUNT_INPUT_WINDOW;
	uint64_t record = 0;
	bool stop = false, whole = false;
	enum csirt_rc rc = CSIRT_OK;
	struct pipeline *pl;

	if (fmt == HUNT_FORMAT_UNKNOWN)
		return CSIRT_OK;	/* empty file */
	if (fmt == HUNT_FORMAT_EVTX && !input_evtx_signed(data, len)) {
		input_report(o, source, "not a readable log format");
		return CSIRT_OK;
	}
	if (fmt == HUNT_FORMAT_JSONL && !input_json_one_per_line(data, len)) {
		window = len;	/* pretty JSON: one window, one part */
		whole = true;
	}
	o->stats->bytes += len;
	if (!whole && len > window && parts_of(o) >= 2 &&
	    (pl = pipe_start(o)) != NULL)
		return windows_ahead(pl, data, len, window, fmt, source, o,
		    mapped);
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

/*
 * One turn of a stream read in windows (gzip as it inflates, stdin as it
 * arrives): reads buf[0, wend), wend being the last record boundary in
 * buf[0, *have) (EVTX chunk, text line), or all of it once the stream has
 * ended; then moves the rest to the front for the next turn.
 */
enum csirt_rc
input_stream_turn(unsigned char *buf, size_t *have, bool ended,
    enum hunt_format fmt, uint64_t *record, const char *source,
    struct hunt_input_opts *o, bool *stop, uint64_t *total)
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
		if (total + have > input_cap(o)) {
			input_report(o, source, "decompressed data over the size cap");
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
			input_report(o, source, "%s", src->what);
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
enum csirt_rc
input_stream_rest(struct stream_src *src, unsigned char *buf, size_t cap,
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
		if (total + have > input_cap(o)) {
			input_report(o, source, "decompressed data over the size cap");
			break;
		}
		rc = input_stream_turn(buf, &have, ended, fmt, &record, source, o,
		    &stop, &total);
		if (!ended)
			ended = src->fill(src, buf, cap, &have);
		if (src->corrupt && !reported) {
			input_report(o, source, "%s", src->what);
			reported = true;
		}
	}
	o->stats->bytes += total;
	huge_free(buf, cap);
	return rc;
}

