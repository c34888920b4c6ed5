/*
 * procedure.c - the step order of Circular 20/2017 Art 11 and the few
 * departures from "one step forward" the article allows (see procedure.h).
 */
#include "csirt/common.h"

#include <string.h>

#include "csirt/procedure.h"

struct step_info {
	const char *code;
	const char *label;
	const char *vi;
	const char *en;
};

/* Names as GLOSSARY.md writes them (the wording of Art 11). */
static const struct step_info steps[STEP_COUNT] = {
	[STEP_1A] = { "1a", "1a", "Tiếp nhận, xác minh sự cố", "Receive and verify" },
	[STEP_1B] = { "1b", "1b", "Triển khai các bước ưu tiên ứng cứu ban đầu",
	    "Initial priority response steps" },
	[STEP_1C] = { "1c", "1c", "Triển khai lựa chọn phương án ứng cứu",
	    "Choose the response option" },
	[STEP_1D] = { "1d", "1d", "Chỉ đạo xử lý sự cố (nếu cần)",
	    "Direction by the steering committee (if needed)" },
	[STEP_1DD] = { "1dd", "1đ", "Báo cáo sự cố", "Report the incident" },
	[STEP_1E] = { "1e", "1e", "Điều phối công tác ứng cứu", "Coordinate the response" },
	[STEP_2] = { "2", "2", "Triển khai ứng cứu, ngăn chặn và xử lý sự cố",
	    "Respond, contain and handle" },
	[STEP_3A] = { "3a", "3a", "Xử lý sự cố, gỡ bỏ", "Eradicate" },
	[STEP_3B] = { "3b", "3b", "Khôi phục", "Recover" },
	[STEP_3C] = { "3c", "3c", "Kiểm tra, đánh giá hệ thống thông tin",
	    "Test and assess the system" },
	[STEP_4] = { "4", "4", "Tổng kết, đánh giá", "Review and lessons learned" },
	[STEP_CLOSED] = { "closed", "closed", "Đã đóng", "Closed" },
};

static bool
step_valid(enum incident_step s)
{
	return (int)s >= 0 && s < STEP_COUNT;
}

const char *
procedure_step_code(enum incident_step step)
{
	return step_valid(step) ? steps[step].code : NULL;
}

const char *
procedure_step_label(enum incident_step step)
{
	return step_valid(step) ? steps[step].label : NULL;
}

const char *
procedure_step_name(enum incident_step step, const char *lang)
{
	if (!step_valid(step))
		return NULL;
	if (lang != NULL && strcmp(lang, "vi") == 0)
		return steps[step].vi;
	return steps[step].en;
}

enum csirt_rc
procedure_step_parse(const char *code, enum incident_step *out)
{
	if (code == NULL)
		return CSIRT_EINVAL;
	for (int i = 0; i < STEP_COUNT; i++) {
		if (strcmp(code, steps[i].code) == 0 ||
		    strcmp(code, steps[i].label) == 0) {
			*out = (enum incident_step)i;
			return CSIRT_OK;
		}
	}
	return CSIRT_EINVAL;
}

/*
 * The whole transition relation in one place. 'why' receives the reason a
 * move that is otherwise in the graph is refused by the facts (the 3c
 * branches and the closure report), so the message can say what is missing.
 */
static bool
allowed(enum incident_step from, enum incident_step to,
    const struct procedure_ctx *ctx, const char **why)
{
	bool stable = ctx != NULL && ctx->system_stable;
	bool closure = ctx != NULL && ctx->closure_report_complete;

	*why = NULL;
	switch (from) {
	case STEP_1C:
		/* 1d is "if needed": the steering committee may not be asked. */
		return to == STEP_1D || to == STEP_1DD;
	case STEP_3C:
		if (to == STEP_2) {
			if (stable)
				*why = "the system was assessed as stable, so the response does not loop back to step 2";
			return !stable;
		}
		if (to == STEP_4) {
			if (!stable)
				*why = "the system is not stable: Art 11 step 3c loops back to step 2";
			return stable;
		}
		return false;
	case STEP_4:
		if (to != STEP_CLOSED)
			return false;
		if (!closure)
			*why = "closing needs the data of the closure report (Form 04, Biểu mẫu 04; TT 20/2017 Art 9.2.b)";
		return closure;
	case STEP_CLOSED:
		return false;
	default:
		return to == from + 1;
	}
}

enum csirt_rc
procedure_check(enum incident_step from, enum incident_step to,
    const struct procedure_ctx *ctx, struct csirt_err *err)
{
	const char *why;

	if (!step_valid(from) || !step_valid(to))
		return csirt_err_set(err, CSIRT_EINVAL, "step", "unknown procedure step");
	if (allowed(from, to, ctx, &why))
		return CSIRT_OK;
	if (from == to)
		return csirt_err_set(err, CSIRT_ECONFLICT, "step",
		    "the incident is already at step %s (%s)", steps[from].label,
		    steps[from].en);
	if (from == STEP_CLOSED)
		return csirt_err_set(err, CSIRT_ECONFLICT, "step",
		    "the incident is closed; it cannot move to step %s (%s)",
		    steps[to].label, steps[to].en);
	return csirt_err_set(err, CSIRT_ECONFLICT, "step",
	    "cannot move from step %s (%s) to step %s (%s): %s",
	    steps[from].label, steps[from].en, steps[to].label, steps[to].en,
	    why != NULL ? why : "the procedure of TT 20/2017 Art 11 goes forward one step at a time");
}

size_t
procedure_next_steps(enum incident_step from, const struct procedure_ctx *ctx,
    enum incident_step *out, size_t max)
{
	size_t n = 0;
	const char *why;

	if (!step_valid(from))
		return 0;
	for (int to = 0; to < STEP_COUNT; to++) {
		if (!allowed(from, (enum incident_step)to, ctx, &why))
			continue;
		if (n < max)
			out[n] = (enum incident_step)to;
		n++;
	}
	return n;
}
