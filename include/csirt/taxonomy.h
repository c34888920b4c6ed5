/*
 * taxonomy.h - the incident taxonomy of the provincial response plan
 * (seed 004, Đắk Lắk 06/2021, DOMAIN.md §10): four groups of situations
 * and their sub-types, 25 entries in all. The data is
 * data/domain/taxonomy.json, compiled into the binary.
 *
 * An incident is classified with a leaf: a sub-type ("1.1" ... "3.5") or
 * group 4, which has none. Each entry also says which row of the Form 05
 * summary (Biểu mẫu 05, TT 20/2017) counts it: the rows are the forms of
 * attack, identical to group 1; groups 2-4 are not attacks and have no row
 * (see docs/rulepacks.md, "Taxonomy and Form 05").
 */
#ifndef CSIRT_TAXONOMY_H
#define CSIRT_TAXONOMY_H

#include <stdbool.h>
#include <stddef.h>

#include "csirt/err.h"

struct taxonomy_entry {
	const char *code;	/* "1", "1.1" ... "4" */
	const char *parent;	/* group code, or NULL for a group */
	const char *name_vi;
	const char *name_en;
	bool leaf;		/* may classify an incident */
	int form05_row;		/* 1..10, or 0 when no row counts it */
};

struct taxonomy;

/* Parses taxonomy data (pointer, length). The caller frees *out. */
enum csirt_rc taxonomy_parse(const char *data, size_t len, const char *name,
    struct taxonomy **out, struct csirt_err *err);
void taxonomy_free(struct taxonomy *tax);

/* The built-in taxonomy, loaded once; NULL only if the shipped data is broken. */
const struct taxonomy *taxonomy_builtin(void);

size_t taxonomy_count(const struct taxonomy *tax);
const struct taxonomy_entry *taxonomy_at(const struct taxonomy *tax, size_t i);
const struct taxonomy_entry *taxonomy_find(const struct taxonomy *tax,
    const char *code);

/*
 * CSIRT_OK when 'code' can classify an incident (a leaf); CSIRT_EINVAL with
 * a message otherwise (unknown code, or a group that has sub-types).
 */
enum csirt_rc taxonomy_validate(const struct taxonomy *tax, const char *code,
    struct csirt_err *err);

/* name in "vi" or "en" */
const char *taxonomy_name(const struct taxonomy_entry *e, const char *lang);

/* Number of Form 05 rows (10), and the entry that names row 'row' (1-based). */
int taxonomy_form05_rows(const struct taxonomy *tax);
const struct taxonomy_entry *taxonomy_form05_row(const struct taxonomy *tax,
    int row);

#endif
