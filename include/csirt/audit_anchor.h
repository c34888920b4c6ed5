/*
 * audit_anchor.h - anchors of the audit chain kept outside the database.
 *
 * The hash chain shows a changed, removed or reordered row, but not that
 * its newest rows were cut off, nor a chain rewritten from the start. An
 * anchor is a row id and the hash that row had: the server appends one to
 * DATA/audit-anchors.txt (and to its log, which can be shipped elsewhere)
 * whenever the log has grown; an operator may copy `csirt audit head`
 * anywhere. Verification checks that every anchored row is still there,
 * with the same hash.
 */
#ifndef CSIRT_AUDIT_ANCHOR_H
#define CSIRT_AUDIT_ANCHOR_H

#include <stddef.h>
#include <stdint.h>

#include "csirt/err.h"
#include "csirt/store.h"

#define AUDIT_ANCHOR_FILE "audit-anchors.txt"

/* Appends "ID HASH ISO-TIME\n" for the newest row to DIR/audit-anchors.txt
 * (fsynced) unless that row is already the last anchor written by this
 * process (*last_id in/out; 0 at first). Logs the anchor. */
enum csirt_rc audit_anchor_write(struct store *st, const char *dir, int64_t *last_id);

/* Checks the anchors in DIR/audit-anchors.txt (absent file: none) and the
 * 'n' given as "ID:HASH" texts. CSIRT_ECONFLICT with 'msg' naming the first
 * anchor that fails; CSIRT_EINVAL for an anchor that cannot be read.
 * *checked: how many anchors were checked. */
enum csirt_rc audit_anchor_check(struct store *st, const char *dir, char **given, size_t n,
    size_t *checked, char *msg, size_t msgsz);

#endif
