/*
 * fields.h - reading the JSON input of the form builders (internal to
 * src/report): dotted paths, values as printable text, Vietnamese dates,
 * the title block shared by every document, and the limits an input must
 * stay within before anything is laid out.
 */
#ifndef CSIRT_REPORT_FIELDS_H
#define CSIRT_REPORT_FIELDS_H

#include <jansson.h>

#include "csirt/err.h"
#include "report/doc.h"

/* Limits on the input, checked once by input_check before building. */
#define INPUT_MAX_DEPTH 12
#define INPUT_MAX_NODES 200000
#define INPUT_MAX_STRING 65536

/*
 * Rejects inputs a document cannot hold: not an object, nested deeper than
 * INPUT_MAX_DEPTH, more than INPUT_MAX_NODES values, a string longer than
 * INPUT_MAX_STRING bytes, an array longer than DOC_MAX_TABLE_ROWS.
 */
enum csirt_rc input_check(json_t *root, struct csirt_err *err);

/* The value at a dotted path ("reporter.org"), or NULL. Borrowed. */
json_t *jget(json_t *root, const char *path);

/*
 * The value at 'path' as text: strings as they are, integers and reals in
 * decimal, booleans as "Có"/"Không", arrays of those joined with "; ".
 * Returns a new string the caller frees, or NULL when absent or empty.
 */
char *jtext(json_t *root, const char *path);
char *value_text(json_t *v);

/* ISO 8601 at 'path' as "dd/mm/yyyy HH:MM" (Vietnam time) or "dd/mm/yyyy";
 * text that does not parse is returned as it is. Caller frees; NULL if absent. */
char *jdatetime(json_t *root, const char *path);
char *jdate(json_t *root, const char *path);
char *format_datetime(const char *iso, bool with_time);

/* The string at 'path', or NULL when absent or not a string. Borrowed. */
const char *jstring(json_t *root, const char *path);

/* The builders' last step: CSIRT_ENOMEM (with a message) if an allocation
 * failed while building, else CSIRT_OK. */
enum csirt_rc doc_finish(struct doc *d, struct csirt_err *err);

/* A label and a JSON key under a common prefix ("owner" + "name"). */
struct field_spec {
	const char *label, *key;
};

/* Adds one field per spec, from "<prefix>.<key>". */
void fields_under(struct doc *d, json_t *root, const char *prefix,
    const struct field_spec *specs, size_t n);

/* An integer at 'path' or 'fallback'. */
long long jint(json_t *root, const char *path, long long fallback);

/* "1.250.000" (Vietnamese thousands separator). */
void format_count(double v, char *out, size_t n);

/*
 * Fills the title block (issuer, number, place and date, addressees,
 * signer, recipients) from input.document, with the given defaults for the
 * issuer and the signer's position where the input gives none.
 */
void doc_title_block(struct doc *d, json_t *input, const char *issuer_default,
    const char *position_default);

/* Adds a field whose value is the text at 'path' (empty if absent). */
void field_path(struct doc *d, json_t *root, const char *label,
    const char *path);

/*
 * Adds a table from the array at 'path': one row per element, one column
 * per key in 'keys' (a NULL key numbers the row). 'headers' are the column
 * titles. An absent or empty array gives a header and one empty row.
 */
void table_from_array(struct doc *d, json_t *root, const char *path,
    const char *const *headers, const char *const *keys,
    const double *widths, size_t cols);

#endif
