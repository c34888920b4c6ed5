/*
 * embedded.h - files built into the binary: rule packs and calendars from
 * data/ (as "data/..."), the web interface from ui/ (as "ui/..."). They are
 * read-only and live for the whole process.
 */
#ifndef CSIRT_EMBEDDED_H
#define CSIRT_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;		/* e.g. "data/rules/vn-2017.json" */
	const unsigned char *data;	/* NUL-terminated for convenience */
	size_t size;			/* without the NUL */
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_file_count;

/* Returns the file or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
