/*
 * notify.c - notifications (see notify.h). E-mail goes through libcurl's
 * SMTP client (Debian's libcurl), one message per notification; the
 * subject is RFC 2047 encoded (UTF-8, base64) and the body is UTF-8 text,
 * so Vietnamese arrives intact. Header fields never carry a CR or LF from
 * data: addresses with one are refused.
 */
#include "csirt/common.h"
#include "csirt/buf.h"
#include "csirt/calendar.h"
#include "csirt/notify.h"
#include "csirt/obligations.h"
#include "services/services_int.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAIL_MAX (256 * 1024)

static enum csirt_rc
insert(struct store *st, int64_t user_id, const char *kind, const char *title, const char *body,
    const char *link)
{
	return store_exec(st, "INSERT INTO notifications (user_id, kind, title, body, link,"
	    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", json_pack("[I,s,s,s,s,I]",
	    (json_int_t)user_id, kind, title, body, link, (json_int_t)time_now()), NULL, NULL);
}

enum csirt_rc
notify_warning(struct store *st, int64_t warning_id, int64_t *created)
{
	return notify_warning_system(st, warning_id, 0, created);
}

enum csirt_rc
notify_warning_system(struct store *st, int64_t warning_id, int64_t system_id,
    int64_t *created)
{
	json_t *rows = NULL, *r;
	char link[64];
	size_t i;
	enum csirt_rc rc;

	*created = 0;
	rc = store_query_json(st, "SELECT DISTINCT u.id AS user_id, w.title, w.required_action,"
	    " w.due_on FROM warning_targets t JOIN systems s ON s.id = t.system_id"
	    " JOIN warnings w ON w.id = t.warning_id JOIN users u"
	    " ON u.org_id IN (s.owner_org_id, s.operator_org_id) AND u.disabled = 0"
	    " WHERE t.warning_id = ?1 AND (?2 = 0 OR t.system_id = ?2)",
	    json_pack("[I,I]", (json_int_t)warning_id, (json_int_t)system_id), &rows);
	if (rc != CSIRT_OK)
		return rc;
	snprintf(link, sizeof(link), "/warnings/%lld", (long long)warning_id);
	json_array_foreach(rows, i, r) {
		char body[4200];

		snprintf(body, sizeof(body), "Hạn xử lý / deadline: %s\n\n%s",
		    json_string_value(json_object_get(r, "due_on")),
		    json_string_value(json_object_get(r, "required_action")));
		rc = insert(st, json_integer_value(json_object_get(r, "user_id")), "warning",
		    json_string_value(json_object_get(r, "title")), body, link);
		if (rc != CSIRT_OK)
			break;
		(*created)++;
	}
	json_decref(rows);
	return rc;
}

/* The digest text of one organisation: its lines of overdue and due soon;
 * with a lead time ('soon' not NULL), "due soon" is every obligation not
 * done whose due day comes by 'soon' instead of the data's own window. */
static void
digest_text(json_t *items, int64_t org_id, const char *soon, struct buf *b, int *n)
{
	json_t *it;
	size_t i;

	*n = 0;
	json_array_foreach(items, i, it) {
		const char *st = json_string_value(json_object_get(it, "status"));
		const char *sys = json_string_value(json_object_get(it, "system_name"));
		const char *due = json_string_value(json_object_get(it, "due_on"));

		if (json_integer_value(json_object_get(it, "org_id")) != org_id)
			continue;
		if (soon != NULL && (strcmp(st, "due_soon") == 0 || strcmp(st, "pending") == 0))
			st = due != NULL && strcmp(due, soon) <= 0 ? "due_soon" : "pending";
		if (strcmp(st, "overdue") != 0 && strcmp(st, "due_soon") != 0)
			continue;
		buf_printf(b, "- [%s] %s%s%s (%s)%s%s\n", st,
		    json_string_value(json_object_get(it, "label")), sys ? " — " : "", sys ? sys : "",
		    json_string_value(json_object_get(it, "rule_id")), due ? ", hạn " : "",
		    due ? due : "");
		(*n)++;
	}
}

/* The open warning targets of one organisation's systems whose deadline
 * passed or comes within 'lead' days. */
static void
digest_warnings(json_t *targets, int64_t org_id, const char *today, const char *soon,
    struct buf *b, int *n)
{
	json_t *t;
	size_t i;

	json_array_foreach(targets, i, t) {
		const char *due = json_string_value(json_object_get(t, "due_on"));

		if ((json_integer_value(json_object_get(t, "owner_org_id")) != org_id &&
		    json_integer_value(json_object_get(t, "operator_org_id")) != org_id) ||
		    due == NULL || strcmp(due, soon) > 0)
			continue;
		buf_printf(b, "- [%s] %s — %s, hạn %s\n", strcmp(due, today) < 0 ?
		    "warning overdue" : "warning due soon",
		    json_string_value(json_object_get(t, "title")),
		    json_string_value(json_object_get(t, "system_name")), due);
		(*n)++;
	}
}

static void
day_text(int64_t day, char out[16])
{
	int y, m, d;

	calendar_ymd(day, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

enum csirt_rc
notify_digest(struct store *st, int64_t day, int lead_days, int64_t *created,
    struct csirt_err *err)
{
	struct obligations_filter f = { .lang = "vi", .day = day };
	struct actor system = { 0, "system", ROLE_ADMIN, 0 };
	json_t *list = NULL, *users = NULL, *targets = NULL, *u;
	char today[16], soon[16];
	size_t i;
	enum csirt_rc rc;

	*created = 0;
	rc = obligations_list(st, &system, &f, &list, err);
	if (rc != CSIRT_OK)
		return rc;
	day_text(day ? day : calendar_day_of(time_now()), today);
	/* warnings: a week ahead unless a lead time is given */
	day_text((day ? day : calendar_day_of(time_now())) + (lead_days > 0 ? lead_days : 7), soon);
	rc = store_query_json(st, "SELECT w.title, w.due_on, s.name AS system_name,"
	    " s.owner_org_id, s.operator_org_id FROM warning_targets t"
	    " JOIN warnings w ON w.id = t.warning_id JOIN systems s ON s.id = t.system_id"
	    " WHERE t.state IN ('open', 'acknowledged') ORDER BY w.due_on", NULL, &targets);
	if (rc == CSIRT_OK)
		rc = store_query_json(st, "SELECT id, org_id FROM users WHERE disabled = 0"
	    " AND org_id IS NOT NULL", NULL, &users);
	if (rc == CSIRT_OK)
		rc = store_begin(st);
	json_array_foreach(users, i, u) {
		struct buf b;
		char title[120];
		int n;

		if (rc != CSIRT_OK)
			break;
		buf_init(&b, MAIL_MAX);
		digest_text(json_object_get(list, "items"),
		    json_integer_value(json_object_get(u, "org_id")), lead_days > 0 ? soon : NULL,
		    &b, &n);
		{
			int nw = 0;

			digest_warnings(targets, json_integer_value(json_object_get(u, "org_id")),
			    today, soon, &b, &nw);
			n += nw;
		}
		if (n > 0 && buf_append(&b, "", 1) == CSIRT_OK) {
			snprintf(title, sizeof(title), "Việc quá hạn hoặc sắp đến hạn: %d (%s)", n,
			    json_string_value(json_object_get(list, "date")));
			rc = insert(st, json_integer_value(json_object_get(u, "id")), "digest", title,
			    b.data, "/obligations");
			if (rc == CSIRT_OK)
				(*created)++;
		}
		buf_release(&b);
	}
	if (rc == CSIRT_OK && users)
		rc = store_commit(st);
	else if (users)
		store_rollback(st);
	json_decref(users);
	json_decref(targets);
	json_decref(list);
	return rc;
}

struct payload {
	const char *data;
	size_t len, off;
};

static size_t
read_payload(char *out, size_t size, size_t nmemb, void *arg)
{
	struct payload *p = arg;
	size_t n = size * nmemb;

	if (n > p->len - p->off)
		n = p->len - p->off;
	memcpy(out, p->data + p->off, n);
	p->off += n;
	return n;
}

static int
header_safe(const char *s)
{
	return s && *s && strlen(s) < 254 && !strpbrk(s, "\r\n<>\"") && strchr(s, '@');
}

/* One message; returns 0 or writes the reason into why. */
static int
send_one(const char *url, const char *from, const char *to, const char *subject,
    const char *body, char *why, size_t why_size)
{
	char subj64[512], date[64], rcpt[300], mfrom[300];
	struct curl_slist *list = NULL;
	struct payload p;
	struct buf msg;
	CURL *c;
	CURLcode cc;
	time_t now = time(NULL);
	struct tm tm;

	if (!header_safe(to) || !header_safe(from)) {
		snprintf(why, why_size, "unusable address");
		return -1;
	}
	sodium_bin2base64(subj64, sizeof(subj64), (const unsigned char *)subject,
	    strnlen(subject, 300), sodium_base64_VARIANT_ORIGINAL);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_init(&msg, MAIL_MAX);
	if (buf_printf(&msg, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: =?UTF-8?B?%s?=\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n", date, from, to, subj64) != CSIRT_OK) {
		buf_release(&msg);
		snprintf(why, why_size, "message too large");
		return -1;
	}
	/* Body lines end in CRLF; a line that is a lone "." is SMTP's own
	 * business (curl escapes it). */
	for (const char *s = body; *s; s++)
		if (buf_append(&msg, *s == '\n' ? "\r\n" : s, *s == '\n' ? 2 : 1) != CSIRT_OK)
			break;
	buf_append(&msg, "\r\n", 2);
	snprintf(rcpt, sizeof(rcpt), "<%s>", to);
	snprintf(mfrom, sizeof(mfrom), "<%s>", from);
	p = (struct payload){ msg.data, msg.len, 0 };
	c = curl_easy_init();
	if (c == NULL) {
		buf_release(&msg);
		snprintf(why, why_size, "libcurl did not start");
		return -1;
	}
	list = curl_slist_append(list, rcpt);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, mfrom);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, list);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_payload);
	curl_easy_setopt(c, CURLOPT_READDATA, &p);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)(strncmp(url, "smtps:", 6) == 0 ?
	    CURLUSESSL_ALL : CURLUSESSL_NONE));
	cc = curl_easy_perform(c);
	curl_slist_free_all(list);
	curl_easy_cleanup(c);
	buf_release(&msg);
	if (cc != CURLE_OK) {
		snprintf(why, why_size, "%s", curl_easy_strerror(cc));
		return -1;
	}
	return 0;
}

enum csirt_rc
notify_send_pending(struct store *st, const char *smtp_url, const char *from, int64_t *sent,
    int64_t *failed, struct csirt_err *err)
{
	json_t *rows = NULL, *r;
	size_t i;
	enum csirt_rc rc;

	*sent = *failed = 0;
	if (smtp_url == NULL || (strncmp(smtp_url, "smtp://", 7) != 0 &&
	    strncmp(smtp_url, "smtps://", 8) != 0))
		return csirt_err_set(err, CSIRT_EINVAL, "smtp_url",
		    "set CSIRT_SMTP_URL to smtp://HOST:PORT or smtps://HOST:PORT");
	if (!header_safe(from))
		return csirt_err_set(err, CSIRT_EINVAL, "from", "set CSIRT_SMTP_FROM to an address");
	rc = store_query_json(st, "SELECT n.id, n.title, n.body, u.email FROM notifications n"
	    " JOIN users u ON u.id = n.user_id WHERE n.emailed_at IS NULL AND u.email <> ''"
	    " ORDER BY n.id LIMIT 1000", NULL, &rows);
	if (rc != CSIRT_OK)
		return rc;
	json_array_foreach(rows, i, r) {
		char why[CURL_ERROR_SIZE + 32] = "";
		int bad = send_one(smtp_url, from, json_string_value(json_object_get(r, "email")),
		    json_string_value(json_object_get(r, "title")),
		    json_string_value(json_object_get(r, "body")), why, sizeof(why));

		if (bad && why[0] == '\0')
			snprintf(why, sizeof(why), "failed");
		rc = store_exec(st, "UPDATE notifications SET email_error = ?2, emailed_at ="
		    " CASE WHEN ?2 = '' THEN ?3 ELSE NULL END WHERE id = ?1",
		    json_pack("[O,s,I]", json_object_get(r, "id"), why, (json_int_t)time_now()),
		    NULL, NULL);
		if (rc != CSIRT_OK)
			break;
		if (bad)
			(*failed)++;
		else
			(*sent)++;
	}
	json_decref(rows);
	return rc;
}

enum csirt_rc
notify_list(struct store *st, const struct actor *who, int unread_only, json_t **out)
{
	json_t *rows = NULL;
	enum csirt_rc rc = store_query_json(st, "SELECT id, kind, title, body, link, read_at,"
	    " emailed_at, created_at FROM notifications WHERE user_id = ?1"
	    " AND (?2 = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT 200",
	    json_pack("[I,i]", (json_int_t)who->user_id, unread_only), &rows);

	if (rc != CSIRT_OK)
		return rc;
	*out = json_pack("{s:o}", "items", rows);
	return *out ? CSIRT_OK : CSIRT_ENOMEM;
}

enum csirt_rc
notify_mark_read(struct store *st, const struct actor *who, int64_t id)
{
	int64_t changes = 0;
	enum csirt_rc rc = store_exec(st, "UPDATE notifications SET read_at = ?3 WHERE id = ?1"
	    " AND user_id = ?2 AND read_at IS NULL", json_pack("[I,I,I]", (json_int_t)id,
	    (json_int_t)who->user_id, (json_int_t)time_now()), &changes, NULL);

	return rc == CSIRT_OK && changes == 0 ? CSIRT_ENOTFOUND : rc;
}
