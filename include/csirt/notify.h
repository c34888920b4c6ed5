/*
 * notify.h - notifications: in-app rows for users, and e-mail of those
 * rows through an SMTP server with libcurl. Who is told: the users of the
 * organisations that own or operate an affected system (a new warning),
 * or the users of an organisation with obligations overdue or due soon
 * (the daily digest, run from cron: csirt notify digest, then send).
 */
#ifndef CSIRT_NOTIFY_H
#define CSIRT_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

/* Inside the caller's transaction: one notification per user of the
 * organisations owning or operating a target of warning 'warning_id'. */
enum csirt_rc notify_warning(struct store *st, int64_t warning_id, int64_t *created);
/* The same for the target of one system only (a target added later, when
 * a scan finds one of the warning's CVE ids). */
enum csirt_rc notify_warning_system(struct store *st, int64_t warning_id, int64_t system_id,
    int64_t *created);

/* One digest per user of every organisation with obligations overdue or
 * due soon on 'day' (a calendar day; 0 = today), and open warning targets
 * of its systems overdue or due within a week. 'lead_days' > 0 sets how far
 * ahead "due soon" looks for both (0: the obligation data's own window,
 * 30 days, and a week for warnings). */
enum csirt_rc notify_digest(struct store *st, int64_t day, int lead_days, int64_t *created,
    struct csirt_err *err);

/* Sends every notification not yet e-mailed, to users with an address,
 * through 'smtp_url' (smtp://host:port or smtps://...), from 'from'. A
 * failure is recorded on the row and retried next time. */
enum csirt_rc notify_send_pending(struct store *st, const char *smtp_url, const char *from,
    int64_t *sent, int64_t *failed, struct csirt_err *err);

/* The caller's own notifications, newest first (at most 200). */
enum csirt_rc notify_list(struct store *st, const struct actor *who, int unread_only,
    json_t **out);
enum csirt_rc notify_mark_read(struct store *st, const struct actor *who, int64_t id);

#endif
