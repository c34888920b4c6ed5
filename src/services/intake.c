/*
 * intake.c - an e-mailed report becomes an incident (a "[TBSC]"
 * notification) or an alert (anything else).
 */
#include "csirt/common.h"
#include "csirt/actor.h"
#include "csirt/alerts.h"
#include "csirt/incidents.h"
#include "csirt/intake.h"
#include "csirt/observable.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
set_text(json_t *obj, const char *key, const char *v, size_t max)
{
	if (v && *v)
		json_object_set_new(obj, key, json_stringn(v, strnlen(v, max)));
}

/* "a, b; c" -> ["a","b","c"] */
static json_t *
split_list(const char *v)
{
	json_t *arr = json_array();
	const char *p = v;

	while (p && *p) {
		size_t n = strcspn(p, ",;");
		const char *s = p, *e = p + n;

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s && json_array_size(arr) < 50)
			json_array_append_new(arr, json_stringn(s, (size_t)(e - s)));
		p += n;
		if (*p)
			p++;
	}
	return arr;
}

static json_t *
observables_json(const struct email_report *r)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < r->n_observables && i < 100; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s}", "type",
		    observable_type_code(r->observables[i].type), "value", r->observables[i].value));
	return arr;
}

static const char *
subject_title(const struct email_report *r)
{
	const char *s = r->subject;

	while (*s == ' ' || *s == '\t')
		s++;
	if (strncasecmp(s, "[TBSC]", 6) == 0)
		s += 6;
	while (*s == ' ' || *s == '\t' || *s == ':' || *s == '-')
		s++;
	return *s ? s : "Thông báo sự cố qua thư điện tử";
}

static enum csirt_rc
store_attachment(struct store *st, const struct actor *who, const char *data_dir, int64_t id,
    const struct email_attachment *a, struct csirt_err *err)
{
	char tmp[1200], hex[65], dir[1100];
	unsigned char digest[32];
	int64_t eid;
	FILE *f;
	int fd;

	snprintf(dir, sizeof(dir), "%s/evidence", data_dir);
	mkdir(dir, 0750);
	snprintf(tmp, sizeof(tmp), "%s/evidence/mail-XXXXXX", data_dir);
	fd = mkstemp(tmp);
	if (fd < 0 || (f = fdopen(fd, "wb")) == NULL) {
		if (fd >= 0)
			close(fd);
		return csirt_err_set(err, CSIRT_EIO, NULL, "cannot write the evidence folder");
	}
	if (a->size && fwrite(a->data, 1, a->size, f) != a->size) {
		fclose(f);
		unlink(tmp);
		return csirt_err_set(err, CSIRT_EIO, NULL, "cannot write the evidence folder");
	}
	fclose(f);
	crypto_hash_sha256(digest, a->data, a->size);
	hex_encode(digest, sizeof(digest), hex);
	if (incident_add_evidence(st, who, id, data_dir, tmp, hex, (int64_t)a->size, a->filename,
	    a->content_type, "Tệp đính kèm thư thông báo sự cố", &eid, err) != CSIRT_OK) {
		unlink(tmp);
		return err->rc ? err->rc : CSIRT_EIO;
	}
	return CSIRT_OK;
}

enum csirt_rc
intake_email_file(struct store *st, const char *data_dir, const struct email_report *r,
    struct intake_result *out, struct csirt_err *err)
{
	const struct form03_fields *f = &r->fields;
	struct actor who;
	json_t *in;
	enum csirt_rc rc;
	int64_t detected = f->detected_at ? f->detected_at : (r->date ? r->date : time_now());
	char iso[32];

	memset(out, 0, sizeof(*out));
	memset(&who, 0, sizeof(who));
	snprintf(who.username, sizeof(who.username), "email:%.56s", r->from_addr);
	who.role = ROLE_NONE;	/* an e-mail is a third party: no scope, no privilege */
	if (detected > time_now())
		detected = time_now();
	time_format_iso(detected, iso);
	if (!r->tbsc) {
		json_t *att = json_array();

		for (size_t i = 0; i < r->n_attachments; i++) {
			unsigned char d[32];
			char hex[65];

			crypto_hash_sha256(d, r->attachments[i].data, r->attachments[i].size);
			hex_encode(d, sizeof(d), hex);
			json_array_append_new(att, json_pack("{s:s,s:s,s:I}", "filename",
			    r->attachments[i].filename, "sha256", hex, "size",
			    (json_int_t)r->attachments[i].size));
		}
		in = json_pack("{s:s,s:s%,s:s,s:s,s:s,s:{s:s,s:s,s:s,s:o},s:o}", "source", "email",
		    "title", subject_title(r), strnlen(subject_title(r), 500), "description",
		    r->body_text, "severity", "medium", "event_time", iso, "raw", "from", r->from_addr,
		    "message_id", r->message_id, "subject", r->subject, "attachments", att,
		    "observables", observables_json(r));
		if (r->message_id[0])
			json_object_set_new(in, "dedup_key", json_sprintf("email:%.480s", r->message_id));
		rc = alert_create(st, &who, in, &out->id, &out->merged_into, err);
		json_decref(in);
		return rc;
	}
	in = json_pack("{s:s%,s:s,s:o}", "title", subject_title(r), strnlen(subject_title(r), 300),
	    "detected_at", iso, "observables", observables_json(r));
	set_text(in, "description", f->description && *f->description ? f->description : r->body_text,
	    20000);
	set_text(in, "reporter_org", f->reporter_org, 300);
	set_text(in, "reporter_address", f->reporter_address, 500);
	set_text(in, "reporter_phone", f->reporter_phone, 50);
	set_text(in, "reporter_email", f->reporter_email && *f->reporter_email ? f->reporter_email :
	    r->from_addr, 200);
	set_text(in, "contact_name", f->contact_name ? f->contact_name : r->from_name, 200);
	set_text(in, "contact_position", f->contact_position, 200);
	set_text(in, "contact_phone", f->contact_phone, 50);
	set_text(in, "contact_email", f->contact_email, 200);
	set_text(in, "operator_name", f->operator_name, 300);
	set_text(in, "owner_name", f->owner_name, 300);
	set_text(in, "system_name", f->system_name, 300);
	set_text(in, "os", f->os, 200);
	set_text(in, "purpose", f->purpose, 1000);
	set_text(in, "recommendations", f->recommendations, 10000);
	if (f->detection_method && *f->detection_method)
		json_object_set_new(in, "detection_methods", split_list(f->detection_method));
	if (f->services && *f->services)
		json_object_set_new(in, "services", split_list(f->services));
	if (f->security_measures && *f->security_measures)
		json_object_set_new(in, "security_measures", split_list(f->security_measures));
	if (f->public_ips && *f->public_ips)
		json_object_set_new(in, "public_ips", split_list(f->public_ips));
	if (f->domains && *f->domains)
		json_object_set_new(in, "domains", split_list(f->domains));
	if (f->confidential >= 0)
		json_object_set_new(in, "confidential", json_boolean(f->confidential));
	if (f->system_level) {
		for (const char *p = f->system_level; *p; p++)
			if (*p >= '1' && *p <= '5') {
				json_object_set_new(in, "system_level", json_integer(*p - '0'));
				break;
			}
	}
	out->is_incident = 1;
	rc = incident_create(st, &who, in, "email", &out->id, out->tracking_code, err);
	json_decref(in);
	if (rc != CSIRT_OK)
		return rc;
	/* The incident is filed; attachments follow one by one. One that
	 * cannot be stored is reported, the incident stays. */
	for (size_t i = 0; i < r->n_attachments; i++) {
		rc = store_attachment(st, &who, data_dir, out->id, &r->attachments[i], err);
		if (rc != CSIRT_OK)
			return rc;
		out->evidence_count++;
	}
	return CSIRT_OK;
}
