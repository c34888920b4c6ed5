/*
 * hunts_slice.c - one uncompressed log read in slices, so that a hunt's
 * progress moves while one big file is read (the engine's readers count a
 * buffer's bytes when they start on it). Each slice is something its
 * reader accepts on its own, and record numbers are made file-wide again,
 * so the events are those of one read of the whole buffer; the fuzz target
 * fuzz_hunt_slices compares the two on arbitrary input.
 */
#include "csirt/common.h"
#include "services/hunts_int.h"

#include <string.h>

#define EVTX_HEADER 4096
#define EVTX_CHUNK 65536

struct sliced {
	hunt_event_fn fn;
	void *ctx;
	uint64_t record_base;	/* added to the record numbers of this slice */
	bool stopped;		/* fn said stop */
};

static bool
on_sliced_event(struct hunt_event *ev, void *ctx)
{
	struct sliced *s = ctx;

	ev->record += s->record_base;
	if (!s->fn(ev, s->ctx)) {
		s->stopped = true;
		return false;
	}
	return true;
}

static bool
evtx_chunk_at(const unsigned char *d, size_t len, size_t off)
{
	return off + 8 <= len && memcmp(d + off, "ElfChnk\0", 8) == 0;
}

/* End of the EVTX slice that starts at 'start': 'slice' bytes of whole
 * chunks (one at least), extended so that the next slice starts on a
 * chunk signature; a bad chunk is thus always read inside a slice, where
 * the reader skips and counts it as it does in a whole file. */
static size_t
evtx_slice_end(const unsigned char *d, size_t len, size_t start, size_t slice)
{
	size_t first = start == 0 && len >= 8 && memcmp(d, "ElfFile\0", 8) == 0 ? EVTX_HEADER : start;
	size_t chunks = slice / EVTX_CHUNK ? slice / EVTX_CHUNK : 1;
	size_t end;

	if (first >= len || len - first <= chunks * EVTX_CHUNK)
		return len;
	end = first + chunks * EVTX_CHUNK;
	while (end < len && !evtx_chunk_at(d, len, end))
		end += EVTX_CHUNK;
	return end < len ? end : len;
}

/* Does the line that ends just before d[nl] ('\n') end with '}' (spaces,
 * tabs and '\r' aside)? 'from' bounds the look back. */
static bool
line_ends_object(const unsigned char *d, size_t from, size_t nl)
{
	while (nl > from && (d[nl - 1] == ' ' || d[nl - 1] == '\t' || d[nl - 1] == '\r'))
		nl--;
	return nl > from && d[nl - 1] == '}';
}

/* End of a slice of whole lines from 'start', about 'slice' bytes. For
 * JSON the cut also needs a line ending in '}' before one starting with
 * '{': inside a valid JSON value, a '}' and a '{' are always separated by
 * ',' or ':', so such a cut never splits one. */
static size_t
line_slice_end(const unsigned char *d, size_t len, size_t start, size_t slice, bool json)
{
	size_t end = slice < len - start ? start + slice : len;

	while (end < len) {
		const unsigned char *nl = memchr(d + end, '\n', len - end);
		size_t at;

		if (nl == NULL)
			return len;
		at = (size_t)(nl - d);
		end = at + 1;
		if (!json || (end < len && d[end] == '{' && line_ends_object(d, start, at)))
			return end;
	}
	return len;
}

static uint64_t
count_lines(const unsigned char *d, size_t len)
{
	const unsigned char *p = d, *e = d + len;
	uint64_t n = 0;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

enum csirt_rc
hunts_read_sliced(const unsigned char *d, size_t len, enum hunt_format fmt, size_t slice,
    const char *source, hunt_event_fn fn, void *ctx, struct hunt_read_stats *st,
    bool (*between)(void *ctx, size_t done))
{
	struct sliced s = { .fn = fn, .ctx = ctx };
	uint64_t records0 = st->events + st->bad_records;
	size_t start = 0, end;
	enum csirt_rc rc = CSIRT_OK;

	if (slice == 0)
		slice = HUNTS_SLICE_BYTES;
	/* Bounded: every slice is at least one byte (one chunk, one line). */
	for (; start < len && !s.stopped && rc == CSIRT_OK; start = end) {
		if (between != NULL && !between(ctx, start))
			break;
		switch (fmt) {
		case HUNT_FORMAT_EVTX:
			end = evtx_slice_end(d, len, start, slice);
			rc = hunt_evtx_read(d + start, end - start, source, on_sliced_event, &s, st);
			break;
		case HUNT_FORMAT_JSONL:
			end = line_slice_end(d, len, start, slice, true);
			/* the reader numbers every record it tries, read or skipped */
			s.record_base = st->events + st->bad_records - records0;
			rc = hunt_jsonl_read((const char *)d + start, end - start, source,
			    on_sliced_event, &s, st);
			break;
		case HUNT_FORMAT_SYSLOG:
			end = line_slice_end(d, len, start, slice, false);
			rc = hunt_syslog_read((const char *)d + start, end - start, source,
			    on_sliced_event, &s, st);
			s.record_base += count_lines(d + start, end - start);	/* its line numbers */
			break;
		default:
			return CSIRT_OK;	/* nothing to read (empty) */
		}
	}
	return rc;
}
