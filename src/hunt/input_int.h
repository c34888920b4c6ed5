/*
 * input_int.h - between input.c (the sources: files, stdin, gzip, zip)
 * and input_window.c (windows, parts, threads). Not a public interface.
 */
#ifndef CSIRT_HUNT_INPUT_INT_H
#define CSIRT_HUNT_INPUT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "csirt/hunt.h"

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

/* input.c */
void input_report(struct hunt_input_opts *o, const char *source,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The cap on one (decompressed) input. */
size_t input_cap(const struct hunt_input_opts *o);
/* JSON documents one per line? Pretty-printed documents cannot be split
 * at newlines and are read in one window. */
bool input_json_one_per_line(const unsigned char *data, size_t len);
/* An EVTX file or chunk signature at data. */
bool input_evtx_signed(const unsigned char *data, size_t len);

/* input_window.c */
/* [data, data+len) in memory, in windows ('mapped': a read-only file
 * mapping whose pages are released as windows are done). */
enum csirt_rc input_read_windows(const unsigned char *data, size_t len,
    const char *source, struct hunt_input_opts *o, bool mapped);
/*
 * The rest of a stream that is never waited for (a regular file, gzip, a
 * zip member), from its first window buf[0, have). Takes buf (from
 * huge_alloc(cap)).
 */
enum csirt_rc input_stream_rest(struct stream_src *src, unsigned char *buf,
    size_t cap, size_t have, bool ended, enum hunt_format fmt,
    const char *source, struct hunt_input_opts *o);
/* One turn of a stream read a window at a time (a pipe): reads the
 * records whole in buf[0, *have), moves the rest to the front. */
enum csirt_rc input_stream_turn(unsigned char *buf, size_t *have, bool ended,
    enum hunt_format fmt, uint64_t *record, const char *source,
    struct hunt_input_opts *o, bool *stop, uint64_t *total);

#endif
