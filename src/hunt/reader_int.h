/*
 * reader_int.h - the readers over a part of a buffer, for reading a large
 * file in windows (input.c) and for splitting it between threads. Not a
 * public interface: hunt.h's readers read a whole buffer.
 *
 * A range never splits a record: EVTX ranges start and end on chunk
 * boundaries, text ranges start after a newline. Record numbers continue
 * from *record (JSON: documents; syslog: lines), so reading a file in
 * ranges numbers records exactly as reading it whole. The range readers do
 * not add to stats->bytes: the caller counts the file once.
 */
#ifndef CSIRT_HUNT_READER_INT_H
#define CSIRT_HUNT_READER_INT_H

#include "csirt/hunt.h"

#define HUNT_EVTX_CHUNK 65536

/* Offset of the first chunk: 4096 after a file header, 0 for carved chunks. */
size_t hunt_evtx_first_chunk(const unsigned char *data, size_t len);

/* The chunks in [start, end) of the EVTX file [data, data+len); the
 * truncated last chunk is read when end == len. */
enum csirt_rc hunt_evtx_read_range(const unsigned char *data, size_t len,
    size_t start, size_t end, const char *source, hunt_event_fn fn,
    void *ctx, struct hunt_read_stats *st);

/* JSON documents that start in [start, end); end is at a newline. */
enum csirt_rc hunt_jsonl_read_range(const char *data, size_t start,
    size_t end, uint64_t *record, const char *source, hunt_event_fn fn,
    void *ctx, struct hunt_read_stats *st);

/*
 * JSON strings are scanned 16 bytes at a time with SSE2 where the machine
 * has it; false selects the portable scanner (words of eight bytes) for
 * every read that starts after the call. For tests, which check that both
 * give the same events; process-wide.
 */
void hunt_jsonl_set_simd(bool on);

/*
 * Makes the event's arena hold at least text_len + len bytes without taking
 * them (a reader decodes past text_len, then takes what it wrote by
 * setting text_len). False, with ev->overflow left alone, when that would
 * pass HUNT_EVENT_MAX_TEXT or memory is short. Pointers into the arena
 * move when it grows.
 */
bool hunt_event_room(struct hunt_event *ev, size_t len);

/* Syslog / auditd lines in [start, end). */
enum csirt_rc hunt_syslog_read_range(const char *data, size_t start,
    size_t end, uint64_t *line, const char *source, hunt_event_fn fn,
    void *ctx, struct hunt_read_stats *st);

#endif
