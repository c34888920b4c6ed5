/*
 * audit_anchor.c - writing and checking anchors of the audit chain
 * (see include/csirt/audit_anchor.h).
 */
#include "csirt/common.h"
#include "csirt/audit_anchor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ANCHOR_LINE_MAX 256
#define ANCHORS_MAX 1000000	/* lines read from the file, at most */

enum csirt_rc
audit_anchor_write(struct store *st, const char *dir, int64_t *last_id)
{
	char path[4096], hash[65], iso[32], line[ANCHOR_LINE_MAX];
	int64_t id;
	int fd, n;
	enum csirt_rc rc = store_audit_head(st, &id, hash);

	if (rc != CSIRT_OK || id == 0 || id == *last_id)
		return rc;
	time_format_iso(time_now(), iso);
	n = snprintf(line, sizeof(line), "%lld %s %s\n", (long long)id, hash, iso);
	snprintf(path, sizeof(path), "%s/%s", dir, AUDIT_ANCHOR_FILE);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0) {
		log_error("audit anchor: cannot open %s: %s", path, strerror(errno));
		return CSIRT_EIO;
	}
	if (write(fd, line, (size_t)n) != n || fsync(fd) != 0) {
		log_error("audit anchor: cannot write %s: %s", path, strerror(errno));
		close(fd);
		return CSIRT_EIO;
	}
	close(fd);
	*last_id = id;
	log_info("audit anchor: row %lld hash %s", (long long)id, hash);
	return CSIRT_OK;
}

/* "ID HASH ..." or "ID:HASH" -> id, hash. */
static int
anchor_parse(const char *text, int64_t *id, char hash[65])
{
	char num[24];
	size_t i = 0;

	while (text[i] >= '0' && text[i] <= '9' && i < sizeof(num) - 1) {
		num[i] = text[i];
		i++;
	}
	num[i] = '\0';
	if (i == 0 || (text[i] != ' ' && text[i] != ':') ||
	    parse_int64(num, 1, INT64_MAX, id) != CSIRT_OK)
		return -1;
	text += i + 1;
	for (i = 0; i < 64; i++) {
		char c = text[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		hash[i] = c;
	}
	hash[64] = '\0';
	return text[64] == '\0' || text[64] == ' ' || text[64] == '\n' ? 0 : -1;
}

static enum csirt_rc
anchor_check_one(struct store *st, const char *text, const char *where, char *msg, size_t msgsz)
{
	char want[65], have[65];
	int64_t id;
	enum csirt_rc rc;

	if (anchor_parse(text, &id, want) != 0) {
		snprintf(msg, msgsz, "%s: not an anchor (ID HASH): %.80s", where, text);
		return CSIRT_EINVAL;
	}
	rc = store_audit_row_hash(st, id, have);
	if (rc == CSIRT_ENOTFOUND) {
		snprintf(msg, msgsz, "row %lld named by the anchor in %s is gone: the newest rows"
		    " were removed", (long long)id, where);
		return CSIRT_ECONFLICT;
	}
	if (rc != CSIRT_OK)
		return rc;
	if (strcmp(want, have) != 0) {
		snprintf(msg, msgsz, "row %lld differs from the anchor in %s: the chain was"
		    " rewritten", (long long)id, where);
		return CSIRT_ECONFLICT;
	}
	return CSIRT_OK;
}

enum csirt_rc
audit_anchor_check(struct store *st, const char *dir, char **given, size_t n, size_t *checked,
    char *msg, size_t msgsz)
{
	char path[4096], line[ANCHOR_LINE_MAX], where[64];
	enum csirt_rc rc = CSIRT_OK;
	size_t lines = 0;
	FILE *f;

	*checked = 0;
	for (size_t i = 0; i < n && rc == CSIRT_OK; i++) {
		rc = anchor_check_one(st, given[i], "--anchor", msg, msgsz);
		*checked += rc == CSIRT_OK;
	}
	if (rc != CSIRT_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", dir, AUDIT_ANCHOR_FILE);
	f = fopen(path, "re");
	if (f == NULL)
		return errno == ENOENT ? CSIRT_OK : CSIRT_EIO;
	while (rc == CSIRT_OK && fgets(line, sizeof(line), f) != NULL && lines < ANCHORS_MAX) {
		lines++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		snprintf(where, sizeof(where), "%s line %zu", AUDIT_ANCHOR_FILE, lines);
		rc = anchor_check_one(st, line, where, msg, msgsz);
		*checked += rc == CSIRT_OK;
	}
	fclose(f);
	return rc;
}
