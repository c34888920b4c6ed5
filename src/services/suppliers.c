/*
 * suppliers.c - suppliers and service providers of a system (third-party
 * and supply-chain risk, DOMAIN.md §6): contract, contact, and what they
 * operate or can reach. The list across systems filters by organisation,
 * name and contracts ending within N days (to renew or to revoke access).
 */
#include "csirt/common.h"
#include "csirt/calendar.h"
#include "csirt/entities.h"
#include "csirt/plans.h"
#include "services/services_int.h"

#include <stdio.h>
#include <string.h>

/* Contract days must be real days when given. */
static enum csirt_rc
check_days(json_t *rec, struct csirt_err *err)
{
	enum csirt_rc rc = svc_day_field(rec, "contract_start", 0, 0, NULL, err);

	if (rc == CSIRT_OK)
		rc = svc_day_field(rec, "contract_end", 0, 0, NULL, err);
	return rc;
}

enum csirt_rc
supplier_create(struct store *st, const struct actor *who, int64_t system_id, json_t *in,
    int64_t *id, struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = schema_validate(&entity_supplier, in, 1, &rec, err);

	if (rc == CSIRT_OK)
		rc = check_days(rec, err);
	if (rc == CSIRT_OK)
		rc = svc_system_record_insert(st, who, &entity_supplier, system_id, rec, NULL, id,
		    err);
	json_decref(rec);
	return rc;
}

static void
day_text(int64_t day, char out[16])
{
	int y, m, d;

	calendar_ymd(day, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

enum csirt_rc
supplier_list(struct store *st, const struct actor *who, const struct supplier_filter *f,
    json_t **out)
{
	int64_t today = calendar_day_of(time_now());
	char from[16], to[16], like[300];
	json_t *rows = NULL, *r, *items;
	size_t i;
	enum csirt_rc rc;

	if (f->system_id && (rc = svc_system_visible(st, who, f->system_id)) != CSIRT_OK)
		return rc;
	day_text(today, from);
	day_text(today + (f->expiring_days > 0 ? f->expiring_days : 0), to);
	snprintf(like, sizeof(like), "%%%.200s%%", f->q ? f->q : "");
	rc = store_query_json(st, "SELECT p.id, p.system_id, s.name AS system_name, s.owner_org_id,"
	    " s.operator_org_id, p.name, p.role, p.contract_no, p.contract_start, p.contract_end,"
	    " p.contact_name, p.contact_phone, p.contact_email, p.operates, p.notes, p.created_at,"
	    " p.updated_at FROM suppliers p JOIN systems s ON s.id = p.system_id"
	    " WHERE (?1 = 0 OR p.system_id = ?1) AND p.name LIKE ?2"
	    " AND (?3 < 0 OR (p.contract_end <> '' AND p.contract_end BETWEEN ?4 AND ?5))"
	    " ORDER BY s.name, p.name, p.id", json_pack("[I,s,I,s,s]", (json_int_t)f->system_id,
	    like, (json_int_t)f->expiring_days, from, to), &rows);
	if (rc != CSIRT_OK)
		return rc;
	items = json_array();
	json_array_foreach(rows, i, r) {
		int64_t own = json_integer_value(json_object_get(r, "owner_org_id"));
		int64_t op = json_integer_value(json_object_get(r, "operator_org_id"));
		int a = 1, b = 0;

		if (f->org_id) {
			store_org_in_subtree(st, f->org_id, own, &a);
			store_org_in_subtree(st, f->org_id, op, &b);
			if (!a && !b)
				continue;
		}
		if (!f->system_id && svc_system_visible(st, who,
		    json_integer_value(json_object_get(r, "system_id"))) != CSIRT_OK)
			continue;
		json_object_del(r, "owner_org_id");
		json_object_del(r, "operator_org_id");
		schema_render(&entity_supplier, r);
		json_array_append(items, r);
	}
	json_decref(rows);
	*out = svc_items(items);
	return *out ? CSIRT_OK : CSIRT_ENOMEM;
}

enum csirt_rc
supplier_get(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	return svc_system_record_load(st, who, &entity_supplier, id, out);
}

enum csirt_rc
supplier_update(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = schema_validate(&entity_supplier, in, 0, &rec, err);

	if (rc == CSIRT_OK)
		rc = check_days(rec, err);
	if (rc == CSIRT_OK)
		rc = svc_record_update(st, who, &entity_supplier, id, rec, supplier_get, NULL,
		    "update", err);
	json_decref(rec);
	return rc;
}

enum csirt_rc
supplier_delete(struct store *st, const struct actor *who, int64_t id)
{
	return svc_record_delete(st, who, &entity_supplier, id, supplier_get);
}
