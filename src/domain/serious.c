/*
 * serious.c - the serious/normal test (see serious.h). The criteria and
 * their order follow Decision 05/2017/QĐ-TTg Art 9; the pack says whether
 * the test applies at all and with which thresholds.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <string.h>

#include "csirt/serious.h"
#include "domain/json_strict.h"

enum {
	CRIT_LEVEL,
	CRIT_NATIONAL_CRITICAL,
	CRIT_SERVICE_DISRUPTION,
	CRIT_SECRET_DISCLOSURE,
	CRIT_INTEGRITY_UNRECOVERABLE,
	CRIT_LOSS_OF_CONTROL,
	CRIT_WIDE_SPREAD,
	CRIT_OWNER_CANNOT_HANDLE,
	CRIT_COUNT
};

static const struct serious_criterion criteria[CRIT_COUNT] = {
	[CRIT_LEVEL] = { "system_level", "Hệ thống thông tin có cấp độ đủ điều kiện (QĐ 05: cấp độ 4, 5)",
	    "System at a qualifying security level (QĐ 05: level 4 or 5)" },
	[CRIT_NATIONAL_CRITICAL] = { "national_critical_list",
	    "Hệ thống thuộc Danh mục hệ thống thông tin quan trọng quốc gia",
	    "System on the national critical information systems list" },
	[CRIT_SERVICE_DISRUPTION] = { "impact_service_disruption",
	    "Gián đoạn dịch vụ", "Service disruption" },
	[CRIT_SECRET_DISCLOSURE] = { "impact_secret_disclosure",
	    "Có thể lộ lọt dữ liệu tuyệt mật hoặc bí mật nhà nước",
	    "Possible disclosure of top-secret data or state secrets" },
	[CRIT_INTEGRITY_UNRECOVERABLE] = { "impact_integrity_unrecoverable",
	    "Dữ liệu quan trọng mất tính toàn vẹn và không khôi phục được",
	    "Important data lost integrity and cannot be recovered" },
	[CRIT_LOSS_OF_CONTROL] = { "impact_loss_of_control",
	    "Mất quyền điều khiển hệ thống", "Loss of control of the system" },
	[CRIT_WIDE_SPREAD] = { "impact_wide_spread",
	    "Có khả năng lan rộng, gây ảnh hưởng dây chuyền",
	    "Likely wide spread or cascading harm" },
	[CRIT_OWNER_CANNOT_HANDLE] = { "owner_cannot_handle",
	    "Chủ quản hệ thống không tự kiểm soát, xử lý được",
	    "The owner cannot control and handle it alone" },
};

static const char *const impact_names[] = { "service_disruption",
    "secret_disclosure", "integrity_unrecoverable", "loss_of_control",
    "wide_spread" };

const char *
serious_impact_name(unsigned bit)
{
	for (unsigned i = 0; i < ARRAY_SIZE(impact_names); i++)
		if (bit == 1u << i)
			return impact_names[i];
	return NULL;
}

const char *
severity_code(enum severity s)
{
	switch (s) {
	case SEVERITY_NORMAL: return "normal";
	case SEVERITY_SERIOUS: return "serious";
	case SEVERITY_UNDEFINED: return "undefined";
	}
	return "unknown";
}

static void
hold(struct serious_result *out, int crit)
{
	if (out->held_count < SERIOUS_CRITERIA_MAX)
		out->held[out->held_count++] = &criteria[crit];
}

enum csirt_rc
serious_assess(const struct rulepack *pack, const struct serious_input *in,
    struct serious_result *out, struct csirt_err *err)
{
	const struct rulepack_serious *def = &pack->serious;
	const bool impact[5] = { in->impact_service_disruption,
	    in->impact_secret_disclosure, in->impact_integrity_unrecoverable,
	    in->impact_loss_of_control, in->impact_wide_spread };
	bool system_qualifies = false, impact_held = false, owner_ok;

	if (in->system_level < 0 || in->system_level > 5)
		return csirt_err_set(err, CSIRT_EINVAL, "system_level",
		    "the security level must be 0 (not classified) or 1 to 5");
	memset(out, 0, sizeof(*out));
	out->rule_id = def->rule_id;
	out->source = def->source;
	out->confidence = def->confidence;

	if (!def->defined) {
		/* The law gives no test: say so, never guess (DOMAIN-2026 §4). */
		out->result = SEVERITY_UNDEFINED;
		snprintf(out->message_vi, sizeof(out->message_vi), "%s", def->note.vi);
		snprintf(out->message_en, sizeof(out->message_en), "%s", def->note.en);
		goto out;
	}

	/* Condition 1, first half: which systems qualify. */
	if (in->system_level >= def->min_level) {
		system_qualifies = true;
		hold(out, CRIT_LEVEL);
	}
	if (def->national_critical_list && in->national_critical_list) {
		system_qualifies = true;
		hold(out, CRIT_NATIONAL_CRITICAL);
	}
	/* Condition 1, second half: one of the impacts a-đ the pack counts. */
	for (int i = 0; i < 5; i++) {
		if (impact[i] && (def->impacts & (1u << i))) {
			impact_held = true;
			hold(out, CRIT_SERVICE_DISRUPTION + i);
		}
	}
	/* Condition 2. */
	if (in->owner_cannot_handle)
		hold(out, CRIT_OWNER_CANNOT_HANDLE);
	owner_ok = !def->owner_cannot_handle_required || in->owner_cannot_handle;

	if (system_qualifies && impact_held && owner_ok) {
		out->result = SEVERITY_SERIOUS;
		snprintf(out->message_vi, sizeof(out->message_vi),
		    "Sự cố nghiêm trọng theo %s.", def->source);
		snprintf(out->message_en, sizeof(out->message_en),
		    "Serious incident under %s.", def->source);
		goto out;
	}
	out->result = SEVERITY_NORMAL;
	snprintf(out->message_vi, sizeof(out->message_vi),
	    "Sự cố thông thường: %s (%s).",
	    !system_qualifies ? "hệ thống không thuộc cấp độ hoặc danh mục đủ điều kiện" :
	    !impact_held ? "không có hậu quả nào thuộc các điểm a-đ" :
	    "chủ quản tự xử lý được", def->source);
	snprintf(out->message_en, sizeof(out->message_en),
	    "Normal incident: %s (%s).",
	    !system_qualifies ? "the system is not at a qualifying level or on the list" :
	    !impact_held ? "none of the impacts a-đ holds" :
	    "the owner can handle it", def->source);
out:
	/* A long source may have been cut: never split a character. */
	jstrict_trim(out->message_vi);
	jstrict_trim(out->message_en);
	return CSIRT_OK;
}
