/*
 * form03_text.c - Form 03 fields from "label: value" lines of a plain-text
 * report (Biểu mẫu 03, Circular 20/2017 Appendix I; DOMAIN.md §2.9).
 *
 * How a line is read:
 *  - numbering and bullets in front ("1.", "3.2)", "-", "*", "a)") are
 *    dropped, the label is what comes before the first ':' and is folded to
 *    ASCII (text_fold.c), with parenthesised notes such as "(*)" or
 *    "(nếu có)" removed first;
 *  - the label matches a table entry when it starts with the entry's words
 *    and has only a few more ("Tên hệ thống bị sự cố" matches "ten he
 *    thong"): none after a one-word entry ("IP nguồn tấn công" is not the
 *    system's "IP"), two after a two-word one, MAX_EXTRA_WORDS after longer
 *    ones; the longest matching entry wins;
 *  - the form asks for phone and e-mail twice (reporter in section 1,
 *    contact person in section 2), so "Điện thoại:" and "Email:" go to the
 *    person of the section last named; before any section, to the reporter;
 *  - a label with no value takes the next line; description-like fields
 *    also take the lines after, up to a blank line or the next label.
 * A line whose label is not in the table is left alone: the whole text
 * stays in the report's body, so nothing is lost and nothing is invented.
 */
#include "csirt/common.h"

#include <stdlib.h>
#include <string.h>

#include "csirt/form03_text.h"
#include "csirt/observable.h"
#include "intake/text_fold.h"

#define MAX_EXTRA_WORDS 5
#define LABEL_MAX 120		/* bytes before ':' looked at as a label */
#define FIELD_MAX (64 * 1024)	/* cap on one field's text */
#define LINE_MAX_SCAN 8192	/* longer lines are text, not "label: value" */

enum slot {
	S_REPORTER_ORG, S_REPORTER_ADDRESS, S_REPORTER_PHONE, S_REPORTER_EMAIL,
	S_CONTACT_NAME, S_CONTACT_POSITION, S_CONTACT_PHONE, S_CONTACT_EMAIL,
	S_OPERATOR, S_OWNER, S_SYSTEM_NAME, S_SYSTEM_LEVEL, S_DESCRIPTION,
	S_DETECTED, S_STATUS, S_METHOD, S_NOTIFIED, S_OS, S_SERVICES,
	S_MEASURES, S_IPS, S_DOMAINS, S_PURPOSE, S_RECOMMEND, S_CONFIDENTIAL,
	S_COUNT,
	/* contextual: resolved by the current section */
	S_NAME, S_ADDRESS, S_PHONE, S_EMAIL,
	S_NONE,		/* a section heading only */
};

enum section { SEC_NONE, SEC_REPORTER, SEC_CONTACT, SEC_SYSTEM };

/* Where each slot lives in struct form03_fields (S_CONFIDENTIAL is an int). */
static const size_t slot_offset[S_COUNT] = {
	[S_REPORTER_ORG] = offsetof(struct form03_fields, reporter_org),
	[S_REPORTER_ADDRESS] = offsetof(struct form03_fields, reporter_address),
	[S_REPORTER_PHONE] = offsetof(struct form03_fields, reporter_phone),
	[S_REPORTER_EMAIL] = offsetof(struct form03_fields, reporter_email),
	[S_CONTACT_NAME] = offsetof(struct form03_fields, contact_name),
	[S_CONTACT_POSITION] = offsetof(struct form03_fields, contact_position),
	[S_CONTACT_PHONE] = offsetof(struct form03_fields, contact_phone),
	[S_CONTACT_EMAIL] = offsetof(struct form03_fields, contact_email),
	[S_OPERATOR] = offsetof(struct form03_fields, operator_name),
	[S_OWNER] = offsetof(struct form03_fields, owner_name),
	[S_SYSTEM_NAME] = offsetof(struct form03_fields, system_name),
	[S_SYSTEM_LEVEL] = offsetof(struct form03_fields, system_level),
	[S_DESCRIPTION] = offsetof(struct form03_fields, description),
	[S_DETECTED] = offsetof(struct form03_fields, detected_at_text),
	[S_STATUS] = offsetof(struct form03_fields, handled_status),
	[S_METHOD] = offsetof(struct form03_fields, detection_method),
	[S_NOTIFIED] = offsetof(struct form03_fields, notified),
	[S_OS] = offsetof(struct form03_fields, os),
	[S_SERVICES] = offsetof(struct form03_fields, services),
	[S_MEASURES] = offsetof(struct form03_fields, security_measures),
	[S_IPS] = offsetof(struct form03_fields, public_ips),
	[S_DOMAINS] = offsetof(struct form03_fields, domains),
	[S_PURPOSE] = offsetof(struct form03_fields, purpose),
	[S_RECOMMEND] = offsetof(struct form03_fields, recommendations),
	[S_CONFIDENTIAL] = (size_t)-1,
};

/* Fields whose value may go on over several lines. */
static bool
slot_multiline(enum slot s)
{
	return s == S_DESCRIPTION || s == S_METHOD || s == S_NOTIFIED ||
	    s == S_SERVICES || s == S_MEASURES || s == S_PURPOSE || s == S_RECOMMEND;
}

/*
 * The labels, folded (no diacritics, lower case, punctuation as spaces).
 * Sources: the item titles of Form 03 as rendered by the [ITT] portal and
 * the legal content of Decision 05/2017 Art 11.4, both in DOMAIN.md §2.9
 * (the numbers below are the form's items); the plain headings units use in
 * e-mails ("Người liên hệ", "Tên miền"); and English equivalents.
 */
static const struct label {
	const char *words;
	enum slot slot;
	enum section section;	/* section this label opens, SEC_NONE to keep */
} labels[] = {
	/* 1. Tổ chức/cá nhân báo cáo sự cố: tên, địa chỉ, điện thoại, email */
	{ "ten to chuc ca nhan bao cao", S_REPORTER_ORG, SEC_REPORTER },
	{ "to chuc ca nhan bao cao", S_REPORTER_ORG, SEC_REPORTER },
	{ "thong tin to chuc ca nhan bao cao", S_NONE, SEC_REPORTER },
	{ "ten to chuc", S_REPORTER_ORG, SEC_REPORTER },
	{ "to chuc bao cao", S_REPORTER_ORG, SEC_REPORTER },
	{ "don vi bao cao", S_REPORTER_ORG, SEC_REPORTER },
	{ "co quan bao cao", S_REPORTER_ORG, SEC_REPORTER },
	{ "ten don vi", S_REPORTER_ORG, SEC_REPORTER },
	{ "nguoi bao cao", S_REPORTER_ORG, SEC_REPORTER },
	{ "reporting organization", S_REPORTER_ORG, SEC_REPORTER },
	{ "reporting organisation", S_REPORTER_ORG, SEC_REPORTER },
	{ "reporter", S_REPORTER_ORG, SEC_REPORTER },
	{ "organization", S_REPORTER_ORG, SEC_REPORTER },
	{ "organisation", S_REPORTER_ORG, SEC_REPORTER },
	{ "ten", S_NAME, SEC_NONE },
	{ "name", S_NAME, SEC_NONE },
	{ "dia chi", S_ADDRESS, SEC_NONE },
	{ "address", S_ADDRESS, SEC_NONE },
	{ "dien thoai", S_PHONE, SEC_NONE },
	{ "so dien thoai", S_PHONE, SEC_NONE },
	{ "dien thoai di dong", S_PHONE, SEC_NONE },
	{ "di dong", S_PHONE, SEC_NONE },
	{ "dt", S_PHONE, SEC_NONE },
	{ "sdt", S_PHONE, SEC_NONE },
	{ "phone", S_PHONE, SEC_NONE },
	{ "telephone", S_PHONE, SEC_NONE },
	{ "tel", S_PHONE, SEC_NONE },
	{ "mobile", S_PHONE, SEC_NONE },
	{ "email", S_EMAIL, SEC_NONE },
	{ "e mail", S_EMAIL, SEC_NONE },
	{ "thu dien tu", S_EMAIL, SEC_NONE },
	{ "email lien he", S_EMAIL, SEC_NONE },
	{ "dien thoai lien he", S_PHONE, SEC_NONE },
	/* 2. Người liên hệ: họ tên, chức vụ, điện thoại, email */
	{ "thong tin nguoi lien he", S_NONE, SEC_CONTACT },
	{ "thong tin lien he", S_NONE, SEC_CONTACT },
	{ "nguoi lien he", S_CONTACT_NAME, SEC_CONTACT },
	{ "ho ten nguoi lien he", S_CONTACT_NAME, SEC_CONTACT },
	{ "ho va ten nguoi lien he", S_CONTACT_NAME, SEC_CONTACT },
	{ "ho ten", S_CONTACT_NAME, SEC_CONTACT },
	{ "ho va ten", S_CONTACT_NAME, SEC_CONTACT },
	{ "contact", S_CONTACT_NAME, SEC_CONTACT },
	{ "contact person", S_CONTACT_NAME, SEC_CONTACT },
	{ "contact name", S_CONTACT_NAME, SEC_CONTACT },
	{ "chuc vu", S_CONTACT_POSITION, SEC_CONTACT },
	{ "position", S_CONTACT_POSITION, SEC_CONTACT },
	{ "dien thoai nguoi lien he", S_CONTACT_PHONE, SEC_CONTACT },
	{ "contact phone", S_CONTACT_PHONE, SEC_CONTACT },
	{ "email nguoi lien he", S_CONTACT_EMAIL, SEC_CONTACT },
	{ "contact email", S_CONTACT_EMAIL, SEC_CONTACT },
	/* 3. Thông tin hệ thống bị sự cố */
	{ "thong tin he thong", S_NONE, SEC_SYSTEM },
	{ "thong tin chi tiet ve he thong", S_NONE, SEC_SYSTEM },
	{ "ten don vi van hanh", S_OPERATOR, SEC_SYSTEM },
	{ "don vi van hanh", S_OPERATOR, SEC_SYSTEM },
	{ "to chuc van hanh", S_OPERATOR, SEC_SYSTEM },
	{ "operator", S_OPERATOR, SEC_SYSTEM },
	{ "system operator", S_OPERATOR, SEC_SYSTEM },
	{ "co quan chu quan", S_OWNER, SEC_SYSTEM },
	{ "ten co quan chu quan", S_OWNER, SEC_SYSTEM },
	{ "don vi chu quan", S_OWNER, SEC_SYSTEM },
	{ "chu quan", S_OWNER, SEC_SYSTEM },
	{ "owner", S_OWNER, SEC_SYSTEM },
	{ "system owner", S_OWNER, SEC_SYSTEM },
	{ "ten he thong", S_SYSTEM_NAME, SEC_SYSTEM },
	{ "he thong bi su co", S_SYSTEM_NAME, SEC_SYSTEM },
	{ "he thong thong tin", S_SYSTEM_NAME, SEC_SYSTEM },
	{ "system name", S_SYSTEM_NAME, SEC_SYSTEM },
	{ "affected system", S_SYSTEM_NAME, SEC_SYSTEM },
	{ "system", S_SYSTEM_NAME, SEC_SYSTEM },
	{ "cap do", S_SYSTEM_LEVEL, SEC_SYSTEM },
	{ "cap do he thong", S_SYSTEM_LEVEL, SEC_SYSTEM },
	{ "cap do an toan", S_SYSTEM_LEVEL, SEC_SYSTEM },
	{ "security level", S_SYSTEM_LEVEL, SEC_SYSTEM },
	{ "system level", S_SYSTEM_LEVEL, SEC_SYSTEM },
	/* 4. Mô tả sơ bộ về sự cố */
	{ "mo ta", S_DESCRIPTION, SEC_NONE },
	{ "mo ta su co", S_DESCRIPTION, SEC_NONE },
	{ "mo ta so bo", S_DESCRIPTION, SEC_NONE },
	{ "mo ta tom tat", S_DESCRIPTION, SEC_NONE },
	{ "noi dung su co", S_DESCRIPTION, SEC_NONE },
	{ "tom tat su co", S_DESCRIPTION, SEC_NONE },
	{ "description", S_DESCRIPTION, SEC_NONE },
	{ "incident description", S_DESCRIPTION, SEC_NONE },
	{ "summary", S_DESCRIPTION, SEC_NONE },
	/* 5. Ngày, giờ phát hiện */
	{ "thoi diem phat hien", S_DETECTED, SEC_NONE },
	{ "thoi gian phat hien", S_DETECTED, SEC_NONE },
	{ "ngay phat hien", S_DETECTED, SEC_NONE },
	{ "ngay gio phat hien", S_DETECTED, SEC_NONE },
	{ "gio phat hien", S_DETECTED, SEC_NONE },
	{ "ngay gio phat hien su co", S_DETECTED, SEC_NONE },
	{ "detected", S_DETECTED, SEC_NONE },
	{ "detected at", S_DETECTED, SEC_NONE },
	{ "detection time", S_DETECTED, SEC_NONE },
	{ "time of detection", S_DETECTED, SEC_NONE },
	{ "date detected", S_DETECTED, SEC_NONE },
	/* 6. Tình trạng sự cố (đã / chưa được xử lý) */
	{ "tinh trang", S_STATUS, SEC_NONE },
	{ "tinh trang su co", S_STATUS, SEC_NONE },
	{ "trang thai", S_STATUS, SEC_NONE },
	{ "ket qua xu ly", S_STATUS, SEC_NONE },
	{ "status", S_STATUS, SEC_NONE },
	{ "incident status", S_STATUS, SEC_NONE },
	/* 7. Cách thức phát hiện */
	{ "phuong thuc phat hien", S_METHOD, SEC_NONE },
	{ "phuong phap phat hien", S_METHOD, SEC_NONE },
	{ "cach thuc phat hien", S_METHOD, SEC_NONE },
	{ "cach phat hien", S_METHOD, SEC_NONE },
	{ "detection method", S_METHOD, SEC_NONE },
	{ "how detected", S_METHOD, SEC_NONE },
	/* 8. Đã thông báo cho */
	{ "da thong bao", S_NOTIFIED, SEC_NONE },
	{ "da thong bao cho", S_NOTIFIED, SEC_NONE },
	{ "da gui thong bao", S_NOTIFIED, SEC_NONE },
	{ "thong bao su co da duoc gui", S_NOTIFIED, SEC_NONE },
	{ "notified", S_NOTIFIED, SEC_NONE },
	{ "already notified", S_NOTIFIED, SEC_NONE },
	/* 9. Thông tin bổ sung về hệ thống */
	{ "he dieu hanh", S_OS, SEC_NONE },
	{ "operating system", S_OS, SEC_NONE },
	{ "os", S_OS, SEC_NONE },
	{ "dich vu", S_SERVICES, SEC_NONE },
	{ "cac dich vu", S_SERVICES, SEC_NONE },
	{ "dich vu tren he thong", S_SERVICES, SEC_NONE },
	{ "services", S_SERVICES, SEC_NONE },
	{ "bien phap", S_MEASURES, SEC_NONE },
	{ "bien phap bao mat", S_MEASURES, SEC_NONE },
	{ "bien phap an toan", S_MEASURES, SEC_NONE },
	{ "cac bien phap an toan thong tin", S_MEASURES, SEC_NONE },
	{ "security measures", S_MEASURES, SEC_NONE },
	{ "dia chi ip", S_IPS, SEC_NONE },
	{ "ip", S_IPS, SEC_NONE },
	{ "ip public", S_IPS, SEC_NONE },
	{ "dia chi ip public", S_IPS, SEC_NONE },
	{ "public ip", S_IPS, SEC_NONE },
	{ "ip address", S_IPS, SEC_NONE },
	{ "ip addresses", S_IPS, SEC_NONE },
	{ "ten mien", S_DOMAINS, SEC_NONE },
	{ "domain", S_DOMAINS, SEC_NONE },
	{ "domains", S_DOMAINS, SEC_NONE },
	{ "domain name", S_DOMAINS, SEC_NONE },
	{ "muc dich", S_PURPOSE, SEC_NONE },
	{ "muc dich chinh", S_PURPOSE, SEC_NONE },
	{ "muc dich su dung", S_PURPOSE, SEC_NONE },
	{ "purpose", S_PURPOSE, SEC_NONE },
	{ "bao mat thong tin", S_CONFIDENTIAL, SEC_NONE },
	{ "thong tin can bao mat", S_CONFIDENTIAL, SEC_NONE },
	{ "thong tin trong thong bao nay can duoc giu bi mat", S_CONFIDENTIAL, SEC_NONE },
	{ "giu bi mat", S_CONFIDENTIAL, SEC_NONE },
	{ "can giu bi mat", S_CONFIDENTIAL, SEC_NONE },
	{ "confidential", S_CONFIDENTIAL, SEC_NONE },
	/* 10. Kiến nghị, đề xuất hỗ trợ */
	{ "kien nghi", S_RECOMMEND, SEC_NONE },
	{ "de xuat", S_RECOMMEND, SEC_NONE },
	{ "de nghi", S_RECOMMEND, SEC_NONE },
	{ "kien nghi de xuat", S_RECOMMEND, SEC_NONE },
	{ "de nghi ho tro", S_RECOMMEND, SEC_NONE },
	{ "recommendations", S_RECOMMEND, SEC_NONE },
	{ "recommendation", S_RECOMMEND, SEC_NONE },
	{ "support requested", S_RECOMMEND, SEC_NONE },
};

struct reader {
	struct buf bufs[S_COUNT];
	int confidential;
	enum section section;
	enum slot pending;	/* field waiting for (more) lines, or S_NONE */
	bool pending_filled;
	bool oom;
};

void
form03_fields_init(struct form03_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->confidential = -1;
}

void
form03_fields_free(struct form03_fields *f)
{
	for (int s = 0; s < S_COUNT; s++) {
		if (s == S_CONFIDENTIAL)
			continue;
		free(*(char **)((char *)f + slot_offset[s]));
	}
	form03_fields_init(f);
}

/* Counts the words of a folded string (single spaces, trimmed). */
static size_t
word_count(const char *s)
{
	size_t n = *s ? 1 : 0;

	for (; *s; s++)
		n += *s == ' ';
	return n;
}

static size_t
extra_allowed(const char *words)
{
	size_t n = word_count(words);

	return n == 1 ? 0 : n == 2 ? 2 : MAX_EXTRA_WORDS;
}

static const struct label *
label_find(const char *folded)
{
	const struct label *best = NULL;
	size_t words = word_count(folded), best_len = 0;

	for (size_t i = 0; i < ARRAY_SIZE(labels); i++) {
		size_t n = strlen(labels[i].words);

		if (strncmp(folded, labels[i].words, n) != 0 ||
		    (folded[n] != '\0' && folded[n] != ' '))
			continue;
		if (words - word_count(labels[i].words) > extra_allowed(labels[i].words))
			continue;
		if (n > best_len) {
			best = &labels[i];
			best_len = n;
		}
	}
	return best;
}

/* Resolves a contextual slot by the current section. */
static enum slot
slot_resolve(enum slot s, enum section sec)
{
	switch (s) {
	case S_NAME:
		return sec == SEC_CONTACT ? S_CONTACT_NAME :
		    sec == SEC_SYSTEM ? S_SYSTEM_NAME : S_REPORTER_ORG;
	case S_ADDRESS:
		return S_REPORTER_ADDRESS;
	case S_PHONE:
		return sec == SEC_CONTACT ? S_CONTACT_PHONE : S_REPORTER_PHONE;
	case S_EMAIL:
		return sec == SEC_CONTACT ? S_CONTACT_EMAIL : S_REPORTER_EMAIL;
	default:
		return s;
	}
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trims (s, n) of white space, and of placeholder dots/underscores. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space((*s)[0])) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
	for (size_t i = 0; i < *n; i++) {
		char c = (*s)[i];

		if (c != '.' && c != '_' && c != '-' && c != ' ' && c != '\t')
			return;
	}
	*n = 0;		/* "......" or "____" is a blank in a printed form */
}

/* Yes/no of the confidentiality item: "Có", "Không", "Yes", "No". */
static int
parse_yes_no(const char *s, size_t n)
{
	char f[32];
	size_t len = text_fold_ascii(s, n, f, sizeof(f));
	char *sp;

	sp = memchr(f, ' ', len);
	if (sp)
		*sp = '\0';
	if (strcmp(f, "co") == 0 || strcmp(f, "yes") == 0 || strcmp(f, "true") == 0 ||
	    strcmp(f, "x") == 0)
		return 1;
	if (strcmp(f, "khong") == 0 || strcmp(f, "no") == 0 || strcmp(f, "false") == 0)
		return 0;
	return -1;
}

/* Adds each valid IP or host name of (s, n) to the comma-separated list b. */
static void
add_list(struct reader *r, struct buf *b, enum observable_type type,
    const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t start;
		char v[OBSERVABLE_VALUE_MAX];

		while (i < n && strchr(",; \t", s[i]) != NULL)
			i++;
		start = i;
		while (i < n && strchr(",; \t", s[i]) == NULL)
			i++;
		if (i == start ||
		    observable_normalise(type, s + start, i - start, v, sizeof(v)) != CSIRT_OK)
			continue;
		if (b->len > 0) {
			/* de-duplicate: compare with each entry already listed */
			bool seen = false;
			const char *p = b->data;

			while (!seen && p != NULL) {
				const char *comma = strchr(p, ',');
				size_t len = comma ? (size_t)(comma - p) : strlen(p);

				seen = len == strlen(v) && memcmp(p, v, len) == 0;
				p = comma ? comma + 1 : NULL;
			}
			if (seen)
				continue;
			if (buf_append(b, ",", 1) == CSIRT_ENOMEM)
				r->oom = true;
		}
		if (buf_append_str(b, v) == CSIRT_ENOMEM)
			r->oom = true;
	}
}

/* Stores a value into a slot; a text slot already filled keeps its first value. */
static void
store(struct reader *r, enum slot s, const char *v, size_t n, bool continuation)
{
	struct buf *b = &r->bufs[s];
	enum csirt_rc rc = CSIRT_OK;

	if (s == S_CONFIDENTIAL) {
		if (r->confidential == -1)
			r->confidential = parse_yes_no(v, n);
		return;
	}
	if (s == S_IPS) {
		add_list(r, b, OBS_IP, v, n);
		return;
	}
	if (s == S_DOMAINS) {
		add_list(r, b, OBS_DOMAIN, v, n);
		return;
	}
	if (continuation) {
		if (b->len > 0)
			rc = buf_append(b, "\n", 1);
	} else if (s == S_DETECTED && b->len > 0) {
		/* item 5 asks for the date and the time on separate lines */
		rc = buf_append(b, " ", 1);
	} else if (b->len > 0) {
		return;
	}
	if (rc == CSIRT_OK)
		rc = buf_append(b, v, n);
	/* Over FIELD_MAX the field keeps what fit: the body has it all. */
	if (rc == CSIRT_ENOMEM)
		r->oom = true;
}

/*
 * Splits "label: value" and finds the label. Returns NULL when the line is
 * not a known label; else value and vlen point past the colon.
 */
static const struct label *
line_label(const char *s, size_t n, const char **value, size_t *vlen)
{
	const char *colon = memchr(s, ':', n < LABEL_MAX ? n : LABEL_MAX);
	char raw[LABEL_MAX + 1], folded[LABEL_MAX + 1];
	size_t rn = 0, depth = 0, i = 0;

	if (colon == NULL)
		return NULL;
	/* Numbering and bullets: "1.", "3.2)", "a)", "-", "*", "•" */
	while (i < (size_t)(colon - s)) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '-' || c == '*' || c == '+' || c == '.' ||
		    c == ')' || (c >= '0' && c <= '9')) {
			i++;
		} else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0xA2) {
			i += 3;	/* U+2022 bullet */
		} else if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) &&
		    i + 1 < n && s[i + 1] == ')') {
			i += 2;
		} else {
			break;
		}
	}
	/* Drop parenthesised notes: "(*)", "(nếu có)", "(dd/mm/yyyy)". */
	for (; i < (size_t)(colon - s); i++) {
		if (s[i] == '(' || s[i] == '[') {
			depth++;
		} else if ((s[i] == ')' || s[i] == ']') && depth > 0) {
			depth--;
		} else if (depth == 0) {
			raw[rn++] = s[i];
		}
	}
	text_fold_ascii(raw, rn, folded, sizeof(folded));
	if (folded[0] == '\0')
		return NULL;
	*value = colon + 1;
	*vlen = n - (size_t)(colon + 1 - s);
	return label_find(folded);
}

static void
read_line(struct reader *r, const char *s, size_t n)
{
	const struct label *l = NULL;
	const char *v;
	size_t vlen;

	if (n <= LINE_MAX_SCAN && utf8_valid(s, n))
		l = line_label(s, n, &v, &vlen);
	else if (!utf8_valid(s, n))
		return;
	if (l == NULL) {
		const char *t = s;
		size_t tn = n;

		trim(&t, &tn);
		if (r->pending == S_NONE)
			return;
		if (tn == 0) {		/* a blank line ends a pending value */
			if (r->pending_filled)
				r->pending = S_NONE;
			return;
		}
		store(r, r->pending, t, tn, r->pending_filled);
		r->pending_filled = true;
		if (!slot_multiline(r->pending))
			r->pending = S_NONE;
		return;
	}
	if (l->section != SEC_NONE)
		r->section = l->section;
	r->pending = S_NONE;
	if (l->slot == S_NONE)
		return;
	{
		enum slot slot = slot_resolve(l->slot, r->section);

		trim(&v, &vlen);
		if (vlen > 0)
			store(r, slot, v, vlen, false);
		/* A value to come on the next line(s), or more of a long one. */
		if (vlen == 0 || slot_multiline(slot)) {
			r->pending = slot;
			r->pending_filled = vlen > 0;
		}
	}
}

enum csirt_rc
form03_extract(const char *text, size_t len, struct form03_fields *f)
{
	struct reader r;
	size_t i = 0;
	enum csirt_rc rc = CSIRT_OK;

	memset(&r, 0, sizeof(r));
	for (int s = 0; s < S_COUNT; s++)
		buf_init(&r.bufs[s], FIELD_MAX);
	r.confidential = -1;
	r.pending = S_NONE;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;

		read_line(&r, text + i, end - i);
		i = end + 1;
	}
	if (r.oom) {
		rc = CSIRT_ENOMEM;
		goto out;
	}
	form03_fields_free(f);
	for (int s = 0; s < S_COUNT; s++) {
		if (s == S_CONFIDENTIAL || r.bufs[s].len == 0)
			continue;
		*(char **)((char *)f + slot_offset[s]) = buf_detach(&r.bufs[s]);
	}
	f->confidential = r.confidential;
	if (f->detected_at_text != NULL)
		form03_parse_time(f->detected_at_text, strlen(f->detected_at_text),
		    &f->detected_at);
out:
	for (int s = 0; s < S_COUNT; s++)
		buf_release(&r.bufs[s]);
	return rc;
}
