/*
 * form03_text.h - the fields of Form 03 (Biểu mẫu 03, "Báo cáo ban đầu sự
 * cố", Circular 20/2017 Appendix I; DOMAIN.md §2.9) found in a plain-text
 * report written as "label: value" lines, as units paste it into e-mails.
 *
 * Labels are recognised in Vietnamese with or without diacritics and in
 * English. Only what the text says is filled in: a field that is absent
 * stays NULL, nothing is guessed.
 */
#ifndef CSIRT_FORM03_TEXT_H
#define CSIRT_FORM03_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "csirt/err.h"

/* Every char * is NULL when absent, else a UTF-8 string owned by the struct. */
struct form03_fields {
	char *reporter_org;		/* 1. tổ chức/cá nhân báo cáo */
	char *reporter_address;
	char *reporter_phone;
	char *reporter_email;
	char *contact_name;		/* 2. người liên hệ */
	char *contact_position;
	char *contact_phone;
	char *contact_email;
	char *operator_name;		/* 3. đơn vị vận hành */
	char *owner_name;		/*    cơ quan chủ quản */
	char *system_name;
	char *system_level;		/*    cấp độ, as written ("Cấp 3") */
	char *description;		/* 4. mô tả sự cố (may span lines) */
	char *detected_at_text;		/* 5. as written */
	int64_t detected_at;		/*    seconds UTC, read as Vietnam time; 0 if none */
	char *handled_status;		/* 6. */
	char *detection_method;		/* 7. */
	char *notified;			/* 8. */
	char *os;			/* 9. */
	char *services;
	char *security_measures;
	char *public_ips;		/*    comma-separated, each a valid IPv4/IPv6 */
	char *domains;			/*    comma-separated valid host names */
	char *purpose;
	char *recommendations;		/* 10. */
	int confidential;		/*    -1 unknown, 0 no, 1 yes */
};

/* Empties f: all NULL, detected_at 0, confidential -1. */
void form03_fields_init(struct form03_fields *f);

/* Frees the strings and re-inits f. */
void form03_fields_free(struct form03_fields *f);

/*
 * Reads "label: value" lines from (text, len) into f, which must have been
 * initialised; text need not be NUL-terminated. Invalid UTF-8 is skipped
 * line by line. Returns CSIRT_OK (also when nothing was found) or
 * CSIRT_ENOMEM, in which case f is left empty.
 */
enum csirt_rc form03_extract(const char *text, size_t len, struct form03_fields *f);

/*
 * Parses a detection time as people write it: "dd/mm/yyyy [hh:mm]" (also
 * with '-' or '.', two-digit years as 20yy, the time before or after the
 * date, "10h30" as well as "10:30"), or ISO 8601. Times without an offset
 * are Vietnam time (UTC+7). Returns CSIRT_EINVAL when no valid date is found.
 */
enum csirt_rc form03_parse_time(const char *s, size_t len, int64_t *out);

#endif
