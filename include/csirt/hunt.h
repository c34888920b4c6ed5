/*
 * hunt.h - the event model of the threat-hunting engine and its readers.
 *
 * Every input format (EVTX, JSON lines, syslog) is turned into the same flat
 * event: a list of (name, value) UTF-8 pairs named the way Sigma rules name
 * them (EventID, Channel, Image, CommandLine, Provider_Name, ...), plus the
 * few facts every hit reports (time, host, source file, record number).
 *
 * An event and all its strings live in one growable arena that the reader
 * reuses for the next event: a callback that wants to keep anything copies it.
 * Strings are addressed by offset while the event is built (the arena may
 * move) and turned into pointers by hunt_event_finish().
 */
#ifndef CSIRT_HUNT_H
#define CSIRT_HUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/err.h"

/* Hard caps: an event never holds more than this, whatever the input says. */
#define HUNT_EVENT_MAX_FIELDS 1024
#define HUNT_EVENT_MAX_TEXT (8u << 20)

struct hunt_field {
	const char *name;	/* NUL-terminated, valid after hunt_event_finish */
	const char *value;	/* NUL-terminated UTF-8 (may hold no NUL inside) */
	const char *lower;	/* ASCII-lowercased copy of value, same length */
	uint32_t name_len;
	uint32_t value_len;
	/* offsets into the arena while the event is built */
	uint32_t name_off, value_off, lower_off;
};

enum hunt_format {
	HUNT_FORMAT_UNKNOWN = 0,
	HUNT_FORMAT_EVTX,
	HUNT_FORMAT_JSONL,
	HUNT_FORMAT_SYSLOG,
};

struct hunt_event {
	char *text;		/* arena; owned */
	size_t text_len, text_cap;
	struct hunt_field *fields;	/* owned */
	size_t nfields, fields_cap;
	bool overflow;		/* a cap was hit: some fields were dropped */

	/* Filled by the reader / hunt_event_finish(); point into the arena or
	 * at static strings; never NULL after finish. */
	const char *source;	/* file name (borrowed from the reader) */
	uint64_t record;	/* record number (EVTX) or line number */
	const char *time;	/* ISO-8601 UTC when known, else "" */
	const char *host;	/* Computer / Hostname / host, else "" */
	const char *channel;	/* Windows channel, else "" */
	int64_t event_id;	/* -1 when absent */
	const char *provider;	/* Provider_Name / SourceName, else "" */
	enum hunt_format format;
};

void hunt_event_init(struct hunt_event *ev);
void hunt_event_release(struct hunt_event *ev);
/* Empties the event, keeping its memory, before the next record. */
void hunt_event_reset(struct hunt_event *ev);

/*
 * Appends one field; the value is copied. Fails with CSIRT_ETOOBIG (and sets
 * ev->overflow) past the caps; the event stays usable.
 */
enum csirt_rc hunt_event_add(struct hunt_event *ev, const char *name,
    size_t name_len, const char *value, size_t value_len);

/*
 * Reserves 'len' bytes of arena and returns their offset (for readers that
 * decode a value straight into the arena); hunt_event_add_at() then turns
 * [off, off+len) into a field value. Returns UINT32_MAX when over the cap.
 */
uint32_t hunt_event_reserve(struct hunt_event *ev, size_t len);
enum csirt_rc hunt_event_add_at(struct hunt_event *ev, const char *name,
    size_t name_len, uint32_t value_off, size_t value_len);

/* Makes the pointers valid, lowercases values and fills time/host/... */
void hunt_event_finish(struct hunt_event *ev);

/*
 * Parses an IPv4 or IPv6 address of [v, v+len) into 16 bytes (IPv4 mapped
 * as ::ffff:a.b.c.d), for CIDR and IOC matching. False when it is none.
 */
bool hunt_parse_ip(const char *v, size_t len, uint8_t out[16]);

/* The first field of that name (ASCII case-insensitive), or NULL. */
const struct hunt_field *hunt_event_get(const struct hunt_event *ev,
    const char *name, size_t name_len);

/*
 * A reader calls this once per event. Returning false stops the reader
 * (used for caps and by fuzz targets); true goes on.
 */
typedef bool (*hunt_event_fn)(struct hunt_event *ev, void *ctx);

/* What a reader saw, for the summary and for "no file abandoned". */
struct hunt_read_stats {
	uint64_t events;	/* events handed to the callback */
	uint64_t bad_records;	/* records skipped as malformed */
	uint64_t bad_chunks;	/* EVTX chunks skipped as malformed */
	uint64_t bytes;		/* input bytes (decompressed) */
	char first_error[160];	/* the first problem, for the report */
};

/*
 * EVTX (Windows XML event log). Walks every 64 KiB chunk and every record
 * in it; a bad chunk or record is counted in stats and skipped, never the
 * whole file. Returns CSIRT_EPARSE only when the data is not EVTX at all.
 */
enum csirt_rc hunt_evtx_read(const unsigned char *data, size_t len,
    const char *source, hunt_event_fn fn, void *ctx,
    struct hunt_read_stats *stats);

/*
 * JSON lines: one JSON object a line; nested objects are flattened (see
 * docs/hunt.md for the names). A line that is not a JSON object is counted
 * as a bad record and skipped.
 */
enum csirt_rc hunt_jsonl_read(const char *data, size_t len,
    const char *source, hunt_event_fn fn, void *ctx,
    struct hunt_read_stats *stats);

/*
 * Syslog lines (RFC 3164 and RFC 5424) and Linux auditd lines
 * ("type=... msg=audit(...): key=value ...").
 */
enum csirt_rc hunt_syslog_read(const char *data, size_t len,
    const char *source, hunt_event_fn fn, void *ctx,
    struct hunt_read_stats *stats);

/* Guesses the format from the first bytes. */
enum hunt_format hunt_format_detect(const unsigned char *data, size_t len);

/*
 * Reads one path (file or directory, recursively; "-" is stdin), opening
 * gzip and zip transparently, and feeds every event to fn. Problems with
 * one file are reported through 'on_error' (may be NULL) and the walk goes
 * on. Returns CSIRT_EIO only when the path itself cannot be opened.
 */
typedef void (*hunt_error_fn)(const char *source, const char *msg, void *ctx);

struct hunt_input_opts {
	hunt_event_fn on_event;
	hunt_error_fn on_error;
	void *ctx;
	size_t max_file;	/* cap on one (decompressed) input; 0 = 4 GiB */
	struct hunt_read_stats *stats;	/* accumulated over all files */
	uint64_t files;		/* out: files read */
	/*
	 * Reading on several threads (optional; zero-initialised = one
	 * thread, events to on_event with 'ctx' as before). With threads > 1
	 * an input is read in windows of HUNT_INPUT_WINDOW bytes, each split
	 * into 'parts' parts (0 = as many as threads; at most
	 * HUNT_INPUT_MAX_PARTS) that the threads take in turn: the events of
	 * part i go to on_event with thread_ctx[i] (thread_ctx has 'parts'
	 * entries), from whichever thread took it (the caller's thread is one
	 * of them); a part is read by one thread from start to end, so a
	 * context is never used by two threads at once. After each window,
	 * on_flush(thread_ctx[i], ctx) is called for i = 0..parts-1 in order,
	 * on the calling thread, so a caller that buffers what each part found
	 * and writes it out in on_flush keeps the order of a one-thread run.
	 * More parts than threads keep every thread busy when parts cost
	 * unlike amounts. With parts >= 2 a window is cut into parts / 2
	 * parts, windows using thread_ctx[0 .. parts/2) and [parts/2 ..
	 * 2 * (parts/2)) in turn, each flushed in order once all its parts
	 * are done: inputs read ahead (regular files, gzip, zip members, data
	 * in memory) have two windows in flight; a pipe, one. With parts < 2
	 * a window is one part on the calling thread. Correlations across
	 * events need one thread (their state is per matcher).
	 */
	unsigned threads;
	unsigned parts;
	void *const *thread_ctx;
	void (*on_flush)(void *thread_ctx, void *ctx);
	size_t window;		/* 0 = HUNT_INPUT_WINDOW (tests use small ones) */
};

/*
 * Large inputs are read in windows of this many bytes, so resident memory
 * stays near one window whatever the input's size. 8 MiB rather than 32:
 * new memory is dear to touch on this kind of machine (a VM: zeroing the
 * fresh huge pages of a 32 MiB buffer was ~4% of a 620 MB JSON hunt), and
 * a window's parts keep both threads busy at this size.
 */
#define HUNT_INPUT_WINDOW ((size_t)8 << 20)
#define HUNT_INPUT_MAX_THREADS 16
#define HUNT_INPUT_MAX_PARTS 128

enum csirt_rc hunt_input_read_path(const char *path,
    struct hunt_input_opts *opts);

/* Reads a whole buffer of a known or detected format. */
enum csirt_rc hunt_input_read_buffer(const unsigned char *data, size_t len,
    const char *source, struct hunt_input_opts *opts);

#endif
