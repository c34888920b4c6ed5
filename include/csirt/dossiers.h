/*
 * dossiers.h - level dossiers (hồ sơ đề xuất cấp độ) of information
 * systems: create, read, list and move along the procedure (obligation.h,
 * dossier_*). Scope as for systems: a unit officer sees the dossiers of the
 * systems its organisation owns or operates. Time limits: docs/obligations.md.
 */
#ifndef CSIRT_DOSSIERS_H
#define CSIRT_DOSSIERS_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

/* in: {"system_id","proposed_level","justification","criteria":[...]}
 * (borrowed). CSIRT_EINVAL for a system out of scope. */
enum csirt_rc dossier_create(struct store *st, const struct actor *who, json_t *in,
    int64_t *id, struct csirt_err *err);

/* *out: the dossier with its steps, due_on (or null and due_note), the
 * appraiser and approver for its level. New reference; caller frees. */
enum csirt_rc dossier_get(struct store *st, const struct actor *who, int64_t id,
    const char *lang, json_t **out);

/* system_id 0 = every visible system. *out: {"items":[...]}, new reference. */
enum csirt_rc dossier_list(struct store *st, const struct actor *who, int64_t system_id,
    const char *lang, json_t **out);

struct dossier_step_in {
	const char *to;			/* a state name */
	const char *reason;		/* or NULL */
	const char *decision_no;	/* approval decision, or NULL */
	const char *decision_date;	/* "YYYY-MM-DD", or NULL */
};

/* One step; CSIRT_ECONFLICT when the procedure does not allow it (or the
 * quy chế is missing at approval under NĐ 331), CSIRT_EFORBIDDEN when the
 * actor's role may not take it. Strings are borrowed. */
enum csirt_rc dossier_transition(struct store *st, const struct actor *who, int64_t id,
    const struct dossier_step_in *in, struct csirt_err *err);

struct dossier_part_in {
	const char *part;		/* overview, design, justification, security_plan,
					   infosec_opinion */
	const char *tmp_path;		/* the upload, moved to DATA/evidence/<sha256> */
	const char *sha256;		/* lowercase hex of the content */
	int64_t size;
	const char *filename;		/* already made safe */
	const char *content_type;
};

/* Adds one part to a draft dossier (ECONFLICT otherwise). A dossier is
 * submitted only with parts 1-4, and 5 for levels 4-5. */
enum csirt_rc dossier_add_part(struct store *st, const struct actor *who, int64_t id,
    const char *data_dir, const struct dossier_part_in *in, struct csirt_err *err);

/* Opens the newest upload of a part for download: *fd (caller closes),
 * *meta {"filename","sha256","size"} (new reference). ENOTFOUND when the
 * dossier is out of scope or the part was never uploaded. */
enum csirt_rc dossier_open_part(struct store *st, const struct actor *who, int64_t id,
    const char *part, const char *data_dir, int *fd, json_t **meta);

#endif
