/*
 * email_json.c - a parsed e-mail as JSON, for `csirt intake email --json`
 * and for the services that store it. Attachments appear by name, type,
 * size and SHA-256 (the key of the content-addressed evidence store), never
 * by their bytes.
 */
#include "csirt/common.h"

#include <sodium.h>
#include <string.h>

#include "csirt/intake_email.h"

/* Sets key to a string, or leaves it out when s is NULL. */
static int
set_str(json_t *obj, const char *key, const char *s)
{
	if (s == NULL)
		return 0;
	return json_object_set_new(obj, key, json_string(s));
}

static json_t *
form03_to_json(const struct form03_fields *f)
{
	json_t *o = json_object();
	int bad = 0;

	if (o == NULL)
		return NULL;
	bad |= set_str(o, "reporter_org", f->reporter_org);
	bad |= set_str(o, "reporter_address", f->reporter_address);
	bad |= set_str(o, "reporter_phone", f->reporter_phone);
	bad |= set_str(o, "reporter_email", f->reporter_email);
	bad |= set_str(o, "contact_name", f->contact_name);
	bad |= set_str(o, "contact_position", f->contact_position);
	bad |= set_str(o, "contact_phone", f->contact_phone);
	bad |= set_str(o, "contact_email", f->contact_email);
	bad |= set_str(o, "operator_name", f->operator_name);
	bad |= set_str(o, "owner_name", f->owner_name);
	bad |= set_str(o, "system_name", f->system_name);
	bad |= set_str(o, "system_level", f->system_level);
	bad |= set_str(o, "description", f->description);
	bad |= set_str(o, "detected_at_text", f->detected_at_text);
	if (f->detected_at != 0) {
		char iso[32];

		time_format_iso(f->detected_at, iso);
		bad |= json_object_set_new(o, "detected_at", json_string(iso));
	}
	bad |= set_str(o, "handled_status", f->handled_status);
	bad |= set_str(o, "detection_method", f->detection_method);
	bad |= set_str(o, "notified", f->notified);
	bad |= set_str(o, "os", f->os);
	bad |= set_str(o, "services", f->services);
	bad |= set_str(o, "security_measures", f->security_measures);
	bad |= set_str(o, "public_ips", f->public_ips);
	bad |= set_str(o, "domains", f->domains);
	bad |= set_str(o, "purpose", f->purpose);
	bad |= set_str(o, "recommendations", f->recommendations);
	if (f->confidential >= 0)
		bad |= json_object_set_new(o, "confidential", json_boolean(f->confidential));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
attachment_to_json(const struct email_attachment *a)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];

	crypto_hash_sha256(digest, a->data, a->size);
	hex_encode(digest, sizeof(digest), hex);
	return json_pack("{s:s, s:s, s:I, s:s}",
	    "filename", a->filename,
	    "content_type", a->content_type,
	    "size", (json_int_t)a->size,
	    "sha256", hex);
}

json_t *
email_report_to_json(const struct email_report *r)
{
	json_t *o, *atts, *obs, *form, *date;
	int bad = 0;

	email_global_init();	/* libsodium, for the hashes */
	if (r->date != 0) {
		char iso[32];

		time_format_iso(r->date, iso);
		date = json_string(iso);
	} else {
		date = json_null();
	}
	o = json_pack("{s:s, s:{s:s, s:s}, s:s, s:b, s:o, s:s}",
	    "message_id", r->message_id ? r->message_id : "",
	    "from", "name", r->from_name ? r->from_name : "",
	    "address", r->from_addr ? r->from_addr : "",
	    "subject", r->subject ? r->subject : "",
	    "tbsc", r->tbsc,
	    "date", date,
	    "body_text", r->body_text ? r->body_text : "");
	if (o == NULL)
		return NULL;
	atts = json_array();
	obs = json_array();
	form = form03_to_json(&r->fields);
	bad |= json_object_set_new(o, "attachments", atts);
	bad |= json_object_set_new(o, "form03", form);
	bad |= json_object_set_new(o, "observables", obs);
	for (size_t i = 0; i < r->n_attachments && !bad; i++)
		bad |= json_array_append_new(atts, attachment_to_json(&r->attachments[i]));
	for (size_t i = 0; i < r->n_observables && !bad; i++)
		bad |= json_array_append_new(obs, json_pack("{s:s, s:s}",
		    "type", observable_type_code(r->observables[i].type),
		    "value", r->observables[i].value));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
