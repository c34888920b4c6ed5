/*
 * email.c - an e-mail (RFC 5322/MIME) turned into a struct email_report.
 *
 * GMime does the MIME work: headers, RFC 2047 words, transfer encodings,
 * charsets. What we add is policy: limits checked before and during the
 * walk of the MIME tree, the choice of the body, the naming of attachments
 * so that a hostile file name cannot point outside an evidence folder, and
 * an all-or-nothing result.
 *
 * The tree is walked by our own recursion, bounded by limits->max_depth,
 * so that the limits on parts and depth are ours and not GMime's. GMime's
 * parser reports what it had to repair through a warning callback; a
 * truncated message or a structure it calls an exploit attempt is refused
 * (CSIRT_EPARSE), lesser repairs are accepted as mail clients do.
 */
#include "csirt/common.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>
#include <libxml/parser.h>
#include <sodium.h>

#include "csirt/intake_email.h"
#include "intake/html_text.h"

#define FILENAME_MAX_BYTES 200

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
init_libraries(void)
{
	g_mime_init();
	xmlInitParser();
	if (sodium_init() < 0)
		log_error("libsodium failed to initialise");
}

void
email_global_init(void)
{
	pthread_once(&init_once, init_libraries);
}

void
email_limits_default(struct email_limits *limits)
{
	limits->max_message = 25u << 20;
	limits->max_attachments = 50;
	limits->max_attachment_size = 25u << 20;
	limits->max_parts = 500;
	limits->max_depth = 20;
	limits->max_observables = 500;
	limits->max_headers = 10000;
	limits->max_attachments_total = 50u << 20;
}

/* State of one parse. */
struct walk {
	const struct email_limits *lim;
	struct csirt_err *err;
	size_t parts;
	struct buf body;
	struct email_attachment *att;
	size_t n_att;
	unsigned parser_trouble;	/* bit per GMimeParserWarning refused */
	size_t headers;			/* header fields seen by the parser */
	size_t attachment_bytes;	/* decoded, all attachments so far */
	bool too_many_headers;
	GMimeStream *input;		/* what the parser reads */
};

/* The text of one message: its first plain part(s), else its first HTML part. */
struct message_text {
	GPtrArray *plain;	/* GMimeTextPart *, not owned */
	GMimeTextPart *html;
	GPtrArray *nested;	/* GMimeMessage *, not owned */
	bool inside_saved;	/* this message is inside a forwarded one kept whole */
};

/*
 * Parser findings we refuse. The others (duplicated headers, 8-bit
 * headers, bad parameters...) are everyday mail and GMime repairs them.
 */
static void
on_parser_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
    gpointer user_data)
{
	struct walk *w = user_data;

	switch (code) {
	case GMIME_WARN_TRUNCATED_MESSAGE:
	case GMIME_CRIT_NESTING_OVERFLOW:
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		w->parser_trouble |= 1u << (unsigned)code;
		break;
	default:
		break;
	}
}

/*
 * Called by the parser for every header field of every part. GMime keeps
 * each one as an object (18 MB of "X: y" lines took 30 s and 1.9 GB), and
 * cannot be told to stop; so past max_headers we end the input where the
 * parser stands: it sees end-of-file, stops, and email_parse reports the
 * limit rather than the truncation.
 */
static void
on_header(GMimeParser *parser, const char *header, const char *value, gint64 offset,
    gpointer user_data)
{
	struct walk *w = user_data;

	if (++w->headers <= w->lim->max_headers || w->too_many_headers)
		return;
	w->too_many_headers = true;
	g_mime_stream_set_bounds(w->input, 0, g_mime_stream_tell(w->input));
}

/* Appends (s, n) as valid UTF-8: bad bytes become U+FFFD; NUL and, unless
 * keep_lines, control characters become spaces. */
static enum csirt_rc
append_clean(struct buf *b, const char *s, size_t n, bool keep_lines)
{
	size_t i = 0;
	enum csirt_rc rc = CSIRT_OK;

	while (i < n && rc == CSIRT_OK) {
		unsigned char c = (unsigned char)s[i];
		size_t k;

		if (c < 0x80) {
			if (c == 0 || c == 0x7f || (c < 0x20 && !(keep_lines &&
			    (c == '\n' || c == '\t'))) ) {
				/* CR of CRLF is dropped, other controls are spaces */
				if (c != '\r')
					rc = buf_append(b, " ", 1);
			} else {
				rc = buf_append(b, s + i, 1);
			}
			i++;
			continue;
		}
		k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F) {
			rc = buf_append(b, " ", 1);	/* C1 control, U+0080-U+009F */
			i += 2;
		} else if (k > 1 && i + k <= n && utf8_valid(s + i, k)) {
			rc = buf_append(b, s + i, k);
			i += k;
		} else {
			rc = buf_append(b, "\xEF\xBF\xBD", 3);
			i++;
		}
	}
	return rc;
}

/*
 * A file name safe to use inside an evidence folder: the last path
 * component (so "../../etc/passwd" gives "passwd"), valid UTF-8, no
 * control characters, no leading dot, at most FILENAME_MAX_BYTES bytes cut
 * at a character boundary; "attachment-N" when nothing is left.
 */
static char *
filename_sanitise(const char *name, size_t index)
{
	struct buf b;
	const char *base = name;
	char *clean;
	size_t len, start = 0;

	buf_init(&b, 4 * FILENAME_MAX_BYTES);
	if (name != NULL) {
		for (const char *p = name; *p; p++)
			if (*p == '/' || *p == '\\')
				base = p + 1;
		if (append_clean(&b, base, strnlen(base, 4 * FILENAME_MAX_BYTES / 2),
		    false) == CSIRT_ENOMEM) {
			buf_release(&b);
			return NULL;
		}
	}
	clean = buf_detach(&b);
	if (clean == NULL)
		return NULL;
	/*
	 * Bidirectional controls (U+202A-U+202E, U+2066-U+2069) let
	 * "invoice<U+202E>fdp.exe" show as "invoiceexe.pdf": each becomes '_',
	 * so that the name reads as what it is.
	 */
	for (char *p = clean; *p; p++) {
		unsigned char *u = (unsigned char *)p;

		if (u[0] == 0xE2 && ((u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
		    (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9))) {
			memmove(p + 1, p + 3, strlen(p + 3) + 1);
			*p = '_';
		}
	}
	while (clean[start] == '.' || clean[start] == ' ')
		start++;
	len = strlen(clean + start);
	while (len > 0 && clean[start + len - 1] == ' ')
		len--;
	if (len > FILENAME_MAX_BYTES) {
		len = FILENAME_MAX_BYTES;
		while (len > 0 && ((unsigned char)clean[start + len] & 0xC0) == 0x80)
			len--;	/* do not cut a UTF-8 sequence */
	}
	memmove(clean, clean + start, len);
	clean[len] = '\0';
	if (len == 0) {
		free(clean);
		buf_init(&b, 64);
		if (buf_printf(&b, "attachment-%zu", index + 1) != CSIRT_OK) {
			buf_release(&b);
			return NULL;
		}
		clean = buf_detach(&b);
	}
	return clean;
}

static void
attachment_free(struct email_attachment *a)
{
	free(a->filename);
	free(a->content_type);
	free(a->data);
}

/* Takes a new attachment slot, checking the count limit. */
static enum csirt_rc
attachment_new(struct walk *w, struct email_attachment **out)
{
	struct email_attachment *grown;

	if (w->n_att >= w->lim->max_attachments)
		return csirt_err_set(w->err, CSIRT_ETOOBIG, "attachments",
		    "the message has more than %zu attachments", w->lim->max_attachments);
	grown = realloc(w->att, (w->n_att + 1) * sizeof(*grown));
	if (grown == NULL)
		return csirt_err_set(w->err, CSIRT_ENOMEM, NULL, "out of memory");
	w->att = grown;
	*out = &w->att[w->n_att];
	memset(*out, 0, sizeof(**out));
	w->n_att++;
	return CSIRT_OK;
}

/* Moves the bytes of a memory stream into the attachment, checking its size. */
static enum csirt_rc
attachment_take_bytes(struct walk *w, struct email_attachment *a, GMimeStream *mem)
{
	GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	size_t n = bytes ? bytes->len : 0;

	if (n > w->lim->max_attachment_size)
		return csirt_err_set(w->err, CSIRT_ETOOBIG, "attachments",
		    "attachment '%s' is larger than %zu bytes", a->filename,
		    w->lim->max_attachment_size);
	if (n > w->lim->max_attachments_total - w->attachment_bytes)
		return csirt_err_set(w->err, CSIRT_ETOOBIG, "attachments",
		    "the attachments total more than %zu bytes", w->lim->max_attachments_total);
	w->attachment_bytes += n;
	a->data = malloc(n > 0 ? n : 1);
	if (a->data == NULL)
		return csirt_err_set(w->err, CSIRT_ENOMEM, NULL, "out of memory");
	if (n > 0)
		memcpy(a->data, bytes->data, n);
	a->size = n;
	return CSIRT_OK;
}

/*
 * "type/subtype" in lower case, as RFC 2045 allows it (token characters
 * only), else "application/octet-stream": GMime passes on what a broken
 * or hostile Content-Type header says, bytes that are not even UTF-8
 * included. Returns a new string (NULL on ENOMEM).
 */
static char *
content_type_clean(const char *s)
{
	static const char tspecials[] = "()<>@,;:\\\"/[]?=";
	size_t slashes = 0, n = s ? strlen(s) : 0;
	bool ok = n > 2 && n < 128 && s[0] != '/' && s[n - 1] != '/';
	char *d;

	for (size_t i = 0; i < n && ok; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '/')
			slashes++;
		else if (c <= 0x20 || c >= 0x7f || strchr(tspecials, c) != NULL)
			ok = false;
	}
	d = strdup(ok && slashes == 1 ? s : "application/octet-stream");
	for (char *p = d; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

/*
 * Adds an attachment named 'name' (sanitised here; NULL for none) of type
 * 'type' with the bytes of 'src': a leaf part is decoded (base64 and
 * quoted-printable undone); a forwarded message is written back whole,
 * since it is evidence in itself.
 */
static enum csirt_rc
add_attachment(struct walk *w, const char *name, const char *type, GMimeObject *src)
{
	struct email_attachment *a = NULL;
	GMimeStream *mem = NULL;
	gssize written = 0;
	enum csirt_rc rc;

	rc = attachment_new(w, &a);
	if (rc != CSIRT_OK)
		return rc;
	a->filename = filename_sanitise(name, w->n_att - 1);
	a->content_type = content_type_clean(type);
	mem = g_mime_stream_mem_new();
	if (a->filename == NULL || a->content_type == NULL || mem == NULL) {
		rc = csirt_err_set(w->err, CSIRT_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (GMIME_IS_PART(src)) {
		GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(src));

		if (content != NULL)
			written = g_mime_data_wrapper_write_to_stream(content, mem);
	} else {
		written = g_mime_object_write_to_stream(src, NULL, mem);
	}
	if (written < 0) {
		rc = csirt_err_set(w->err, CSIRT_EPARSE, "attachments",
		    "attachment '%s' could not be decoded", a->filename);
		goto out;
	}
	rc = attachment_take_bytes(w, a, mem);
out:
	if (mem)
		g_object_unref(mem);
	return rc;
}

static enum csirt_rc
add_part_attachment(struct walk *w, GMimePart *part)
{
	char *type = g_mime_content_type_get_mime_type(
	    g_mime_object_get_content_type(GMIME_OBJECT(part)));
	enum csirt_rc rc;

	rc = add_attachment(w, g_mime_part_get_filename(part), type, GMIME_OBJECT(part));
	g_free(type);
	return rc;
}

static enum csirt_rc
add_message_attachment(struct walk *w, GMimeMessagePart *mp, GMimeMessage *msg)
{
	const char *name;
	char gen[64];

	name = g_mime_object_get_content_disposition_parameter(GMIME_OBJECT(mp), "filename");
	if (name == NULL)
		name = g_mime_object_get_content_type_parameter(GMIME_OBJECT(mp), "name");
	if (name == NULL) {
		snprintf(gen, sizeof(gen), "message-%zu.eml", w->n_att + 1);
		name = gen;
	}
	return add_attachment(w, name, "message/rfc822", GMIME_OBJECT(msg));
}

/* True for a text/plain or text/html part that is meant to be read, not saved. */
static bool
is_body_part(GMimeObject *obj)
{
	const char *disp;

	if (!GMIME_IS_TEXT_PART(obj))
		return false;
	disp = g_mime_object_get_disposition(obj);
	if (disp != NULL && g_ascii_strcasecmp(disp, "attachment") == 0)
		return false;
	if (g_mime_part_get_filename(GMIME_PART(obj)) != NULL)
		return false;
	return g_mime_content_type_is_type(g_mime_object_get_content_type(obj), "text", "plain") ||
	    g_mime_content_type_is_type(g_mime_object_get_content_type(obj), "text", "html");
}

static enum csirt_rc
count_part(struct walk *w, int depth)
{
	if (++w->parts > w->lim->max_parts)
		return csirt_err_set(w->err, CSIRT_ETOOBIG, NULL,
		    "the message has more than %zu MIME parts", w->lim->max_parts);
	if (depth > w->lim->max_depth)
		return csirt_err_set(w->err, CSIRT_ETOOBIG, NULL,
		    "the message is nested more than %d levels deep", w->lim->max_depth);
	return CSIRT_OK;
}

/* Walks one message's MIME tree; forwarded messages are queued in mt->nested. */
static enum csirt_rc
walk_tree(struct walk *w, GMimeObject *obj, int depth, struct message_text *mt)
{
	enum csirt_rc rc;

	if (obj == NULL)
		return CSIRT_OK;
	rc = count_part(w, depth);
	if (rc != CSIRT_OK)
		return rc;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);

		for (int i = 0; i < n && rc == CSIRT_OK; i++)
			rc = walk_tree(w, g_mime_multipart_get_part(mp, i), depth + 1, mt);
		return rc;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));

		if (inner == NULL)
			return CSIRT_OK;
		/*
		 * Only the outermost forwarded message is kept whole: the ones
		 * inside it are already in its bytes, and saving each again
		 * made a 21 MB chain of 18 messages cost 9 s and 450 MB.
		 */
		if (!mt->inside_saved)
			rc = add_message_attachment(w, GMIME_MESSAGE_PART(obj), inner);
		if (rc == CSIRT_OK)
			g_ptr_array_add(mt->nested, inner);
		return rc;
	}
	if (!GMIME_IS_PART(obj))	/* message/partial and the like: skipped */
		return CSIRT_OK;
	if (is_body_part(obj)) {
		if (g_mime_content_type_is_type(g_mime_object_get_content_type(obj), "text", "plain"))
			g_ptr_array_add(mt->plain, obj);
		else if (mt->html == NULL)
			mt->html = GMIME_TEXT_PART(obj);
		return CSIRT_OK;
	}
	return add_part_attachment(w, GMIME_PART(obj));
}

/* True when UTF-8 text holds a combining diacritical mark (U+0300-U+036F). */
static bool
has_combining_marks(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (((unsigned char)s[i] == 0xCC && (unsigned char)s[i + 1] >= 0x80) ||
		    ((unsigned char)s[i] == 0xCD && (unsigned char)s[i + 1] <= 0xAF))
			return true;
	return false;
}

/*
 * Composes valid UTF-8 (s, n) to NFC into out, line by line: a combining
 * sequence never spans a line break, and GLib's normaliser is slow on long
 * input (measured: half the run time of a 10 MB message when called on a
 * 300 kB body at once; see docs/BENCHMARKS-intake.md).
 */
static enum csirt_rc
append_nfc(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;
	enum csirt_rc rc = CSIRT_OK;

	while (i < n && rc == CSIRT_OK) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) + 1 : n;
		char *nfc;

		if (!has_combining_marks(s + i, end - i)) {
			rc = buf_append(out, s + i, end - i);
		} else {
			nfc = g_utf8_normalize(s + i, (gssize)(end - i), G_NORMALIZE_DEFAULT_COMPOSE);
			if (nfc == NULL)
				return CSIRT_EINTERNAL;	/* input was cleaned: valid UTF-8 */
			rc = buf_append_str(out, nfc);
			g_free(nfc);
		}
		i = end;
	}
	return rc;
}

/*
 * Cleans (s, n) into valid UTF-8 and composes it (NFC), so that "ệ" typed
 * as e + two combining marks (Mac mail, windows-1258 text) compares and
 * searches equal to the precomposed letter. Returns a malloc'd string.
 */
static enum csirt_rc
text_clean_nfc(const char *s, size_t n, size_t max, bool keep_lines, char **out)
{
	struct buf clean, nfc;
	enum csirt_rc rc;

	buf_init(&clean, max);
	buf_init(&nfc, max);
	rc = append_clean(&clean, s, n, keep_lines);
	if (rc == CSIRT_OK && clean.len > 0)
		rc = append_nfc(&nfc, clean.data, clean.len);
	if (rc == CSIRT_OK)
		*out = buf_detach(&nfc);
	buf_release(&clean);
	buf_release(&nfc);
	return rc;
}

/* A new clean one-line NFC copy of s (NULL gives ""), or NULL on ENOMEM. */
static char *
header_copy(const char *s, size_t max)
{
	char *copy = NULL;

	if (s == NULL)
		s = "";
	/* a header longer than max is cut; 4 * max holds any cleaning */
	if (text_clean_nfc(s, strnlen(s, max), 4 * max, false, &copy) != CSIRT_OK)
		return NULL;
	return copy;
}

/*
 * 8-bit text that declares no charset: UTF-8 if it is valid, else the
 * legacy Vietnamese code page, which Windows mail clients used for years.
 */
static const char *const fallback_charsets[] = { "UTF-8", "windows-1258", NULL };

/* Appends a text part, converted to UTF-8 from its charset. */
static enum csirt_rc
append_text_part(struct walk *w, GMimeTextPart *tp, bool html)
{
	char *text = g_mime_text_part_get_text(tp), *nfc = NULL;
	enum csirt_rc rc = CSIRT_OK;

	if (text == NULL)
		return CSIRT_OK;
	if (g_mime_text_part_get_charset(tp) == NULL && !g_utf8_validate(text, -1, NULL)) {
		char *conv = g_convert(text, -1, "UTF-8", fallback_charsets[1], NULL, NULL, NULL);

		if (conv != NULL) {
			g_free(text);
			text = conv;
		}
	}
	if (w->body.len > 0)
		rc = buf_append(&w->body, "\n\n", 2);
	if (rc == CSIRT_OK)
		rc = text_clean_nfc(text, strlen(text), w->body.max, true, &nfc);
	if (rc == CSIRT_OK) {
		if (html)
			rc = html_text_append(nfc, strlen(nfc), &w->body);
		else
			rc = buf_append_str(&w->body, nfc);
	}
	free(nfc);
	g_free(text);
	if (rc == CSIRT_ETOOBIG)
		return csirt_err_set(w->err, rc, "body", "the message text is over %zu bytes",
		    w->body.max);
	if (rc != CSIRT_OK)
		return csirt_err_set(w->err, rc, NULL, "out of memory");
	return CSIRT_OK;
}

/*
 * A message: its tree, then its text, then the messages forwarded in it
 * (which are inside a message kept whole: the top one keeps them).
 */
static enum csirt_rc
walk_message(struct walk *w, GMimeMessage *msg, int depth, bool inside_saved)
{
	struct message_text mt = {
		.plain = g_ptr_array_new(),
		.nested = g_ptr_array_new(),
		.inside_saved = inside_saved,
	};
	enum csirt_rc rc;

	rc = walk_tree(w, g_mime_message_get_mime_part(msg), depth, &mt);
	for (guint i = 0; i < mt.plain->len && rc == CSIRT_OK; i++)
		rc = append_text_part(w, g_ptr_array_index(mt.plain, i), false);
	if (rc == CSIRT_OK && mt.plain->len == 0 && mt.html != NULL)
		rc = append_text_part(w, mt.html, true);
	for (guint i = 0; i < mt.nested->len && rc == CSIRT_OK; i++)
		rc = walk_message(w, g_ptr_array_index(mt.nested, i), depth + 1, true);
	g_ptr_array_free(mt.plain, TRUE);
	g_ptr_array_free(mt.nested, TRUE);
	return rc;
}

/*
 * GMime builds every part of a message before we can count them, at about
 * 1.4 kB of memory each: a 3 MB message of 300,000 empty parts took 4 s and
 * 405 MB (measured with /usr/bin/time). So before parsing, we count the
 * lines that could be MIME boundaries (every one starts with "--") and
 * refuse a message with more than DASH_LINES_PER_PART times max_parts of
 * them. A genuine message that long is a text attachment full of "--"
 * lines (an SQL dump), far past this bound; the error says what it is.
 */
#define DASH_LINES_PER_PART 40

static size_t
count_dash_lines(const char *data, size_t len, size_t stop)
{
	size_t count = len >= 2 && data[0] == '-' && data[1] == '-';
	const char *p = data, *end = data + len;

	while (count <= stop && (p = memmem(p, (size_t)(end - p), "\n--", 3)) != NULL) {
		count++;
		p += 3;
	}
	return count;
}

/* An e-mail has at least one of these; random bytes have none. */
static bool
looks_like_mail(GMimeMessage *msg)
{
	static const char *const names[] = {
		"From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
		"Received", "Content-Type", "Return-Path", "Sender",
	};
	GMimeHeaderList *h = g_mime_object_get_header_list(GMIME_OBJECT(msg));

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (g_mime_header_list_contains(h, names[i]))
			return true;
	return false;
}

static bool
subject_is_tbsc(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return strncasecmp(s, "[TBSC]", 6) == 0;
}

/* Fills the header fields of r from msg. */
static enum csirt_rc
read_headers(GMimeMessage *msg, struct email_report *r, struct csirt_err *err)
{
	InternetAddressList *from = g_mime_message_get_from(msg);
	const char *name = NULL, *addr = NULL;
	GDateTime *date = g_mime_message_get_date(msg);

	if (from != NULL && internet_address_list_length(from) > 0) {
		InternetAddress *ia = internet_address_list_get_address(from, 0);

		name = internet_address_get_name(ia);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
	}
	r->message_id = header_copy(g_mime_message_get_message_id(msg), 998);
	r->from_name = header_copy(name, 998);
	r->from_addr = header_copy(addr, 998);
	r->subject = header_copy(g_mime_message_get_subject(msg), 4096);
	if (!r->message_id || !r->from_name || !r->from_addr || !r->subject)
		return csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
	r->tbsc = subject_is_tbsc(r->subject);
	r->date = date != NULL ? g_date_time_to_unix(date) : 0;
	if (r->date < 0)
		r->date = 0;
	return CSIRT_OK;
}

/* Observables of subject and body, in that order. */
static enum csirt_rc
find_observables(struct email_report *r, size_t max, struct csirt_err *err)
{
	size_t n;

	if (max == 0)
		return CSIRT_OK;
	r->observables = calloc(max, sizeof(*r->observables));
	if (r->observables == NULL)
		return csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
	n = observable_extract(r->subject, strlen(r->subject), r->observables, max);
	if (n < max) {
		/* extract into the rest, then drop what the subject already had */
		struct observable *rest = r->observables + n;
		size_t m = observable_extract(r->body_text, strlen(r->body_text), rest, max - n);
		size_t kept = 0;

		for (size_t i = 0; i < m; i++) {
			bool dup = false;

			for (size_t j = 0; j < n && !dup; j++)
				dup = r->observables[j].type == rest[i].type &&
				    strcmp(r->observables[j].value, rest[i].value) == 0;
			if (!dup)
				rest[kept++] = rest[i];
		}
		n += kept;
	}
	r->n_observables = n;
	return CSIRT_OK;
}

enum csirt_rc
email_parse(const char *data, size_t len, const struct email_limits *limits,
    struct email_report *out, struct csirt_err *err)
{
	struct email_limits defaults;
	struct walk w;
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeParserOptions *options = NULL;
	GMimeMessage *msg = NULL;
	enum csirt_rc rc;

	memset(out, 0, sizeof(*out));
	form03_fields_init(&out->fields);
	if (limits == NULL) {
		email_limits_default(&defaults);
		limits = &defaults;
	}
	memset(&w, 0, sizeof(w));
	w.lim = limits;
	w.err = err;
	buf_init(&w.body, limits->max_message);
	if (data == NULL || len == 0)
		return csirt_err_set(err, CSIRT_EPARSE, NULL, "the message is empty");
	if (len > limits->max_message)
		return csirt_err_set(err, CSIRT_ETOOBIG, NULL,
		    "the message is larger than %zu bytes", limits->max_message);
	if (limits->max_parts <= SIZE_MAX / DASH_LINES_PER_PART &&
	    count_dash_lines(data, len, limits->max_parts * DASH_LINES_PER_PART) >
	    limits->max_parts * DASH_LINES_PER_PART)
		return csirt_err_set(err, CSIRT_ETOOBIG, NULL,
		    "the message has more than %zu lines starting with \"--\" (possible MIME "
		    "boundaries; at most %zu parts are accepted)",
		    limits->max_parts * DASH_LINES_PER_PART, limits->max_parts);
	email_global_init();

	stream = g_mime_stream_mem_new_with_buffer(data, len);
	parser = g_mime_parser_new_with_stream(stream);
	options = g_mime_parser_options_new();
	g_mime_parser_options_set_warning_callback(options, on_parser_warning, &w);
	g_mime_parser_options_set_fallback_charsets(options, (const char **)fallback_charsets);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	w.input = stream;
	g_mime_parser_set_header_regex(parser, "^", on_header, &w);
	msg = g_mime_parser_construct_message(parser, options);
	if (w.too_many_headers) {
		rc = csirt_err_set(err, CSIRT_ETOOBIG, NULL,
		    "the message has more than %zu header fields", limits->max_headers);
		goto out;
	}
	if (msg == NULL || !looks_like_mail(msg)) {
		rc = csirt_err_set(err, CSIRT_EPARSE, NULL, "the input is not an e-mail message");
		goto out;
	}
	if (w.parser_trouble & (1u << GMIME_WARN_TRUNCATED_MESSAGE)) {
		rc = csirt_err_set(err, CSIRT_EPARSE, NULL, "the message is truncated");
		goto out;
	}
	if (w.parser_trouble != 0) {
		rc = csirt_err_set(err, CSIRT_EPARSE, NULL,
		    "the MIME structure of the message is malformed");
		goto out;
	}
	rc = read_headers(msg, out, err);
	if (rc != CSIRT_OK)
		goto out;
	rc = walk_message(&w, msg, 0, false);
	if (rc != CSIRT_OK)
		goto out;
	out->body_text = buf_detach(&w.body);
	out->attachments = w.att;
	out->n_attachments = w.n_att;
	w.att = NULL;
	w.n_att = 0;
	if (out->body_text == NULL) {
		rc = csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
		goto out;
	}
	rc = form03_extract(out->body_text, strlen(out->body_text), &out->fields);
	if (rc != CSIRT_OK) {
		csirt_err_set(err, rc, NULL, "out of memory");
		goto out;
	}
	rc = find_observables(out, limits->max_observables, err);
out:
	for (size_t i = 0; i < w.n_att; i++)
		attachment_free(&w.att[i]);
	free(w.att);
	buf_release(&w.body);
	if (msg)
		g_object_unref(msg);
	if (options)
		g_mime_parser_options_free(options);
	if (parser)
		g_object_unref(parser);
	if (stream)
		g_object_unref(stream);
	if (rc != CSIRT_OK)
		email_report_free(out);
	return rc;
}

void
email_report_free(struct email_report *r)
{
	if (r == NULL)
		return;
	free(r->message_id);
	free(r->from_name);
	free(r->from_addr);
	free(r->subject);
	free(r->body_text);
	for (size_t i = 0; i < r->n_attachments; i++)
		attachment_free(&r->attachments[i]);
	free(r->attachments);
	form03_fields_free(&r->fields);
	free(r->observables);
	memset(r, 0, sizeof(*r));
	form03_fields_init(&r->fields);
}
