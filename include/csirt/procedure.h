/*
 * procedure.h - the normal incident-response procedure of Circular
 * 20/2017/TT-BTTTT Art 11 (Quy trình ứng cứu sự cố thông thường) as a state
 * machine. Pure rules: no I/O, no store. The services layer asks
 * procedure_check() before it records a transition; the UI asks
 * procedure_next_steps() to offer only the allowed moves.
 *
 * The rules (docs/rulepacks.md, "The procedure"):
 *  - forward one step at a time, in the order of Art 11;
 *  - 1d (direction by the steering committee, "nếu cần") may be skipped:
 *    1c -> 1đ is allowed;
 *  - 3c -> 2 (loop back) only when the system is not stable, and
 *    3c -> 4 only when it is (Art 11 step 3c);
 *  - 4 -> closed only when the closure report (Form 04) data is complete
 *    (TT 20 Art 9.2.b: the incident is closed only after Form 04);
 *  - a step to itself is refused (it records nothing new: a note or a
 *    comment is the way to add to the current step);
 *  - nothing leaves "closed"; anything else is CSIRT_ECONFLICT.
 */
#ifndef CSIRT_PROCEDURE_H
#define CSIRT_PROCEDURE_H

#include <stdbool.h>
#include <stddef.h>

#include "csirt/err.h"

enum incident_step {
	STEP_1A,	/* Tiếp nhận, xác minh sự cố */
	STEP_1B,	/* Triển khai các bước ưu tiên ứng cứu ban đầu */
	STEP_1C,	/* Triển khai lựa chọn phương án ứng cứu */
	STEP_1D,	/* Chỉ đạo xử lý sự cố (nếu cần) */
	STEP_1DD,	/* 1đ: Báo cáo sự cố */
	STEP_1E,	/* Điều phối công tác ứng cứu */
	STEP_2,		/* Triển khai ứng cứu, ngăn chặn và xử lý sự cố */
	STEP_3A,	/* Xử lý sự cố, gỡ bỏ */
	STEP_3B,	/* Khôi phục */
	STEP_3C,	/* Kiểm tra, đánh giá hệ thống thông tin */
	STEP_4,		/* Tổng kết, đánh giá */
	STEP_CLOSED,
	STEP_COUNT
};

struct procedure_ctx {
	bool closure_report_complete;	/* Form 04 data present */
	bool system_stable;		/* result of 3c */
};

/* Stable ASCII code for storage and the API: "1a" ... "1dd" ... "closed". */
const char *procedure_step_code(enum incident_step step);

/* The label users see: "1a" ... "1đ" ... "4", "đóng"/"closed" is a name. */
const char *procedure_step_label(enum incident_step step);

/*
 * Parses a code written by procedure_step_code(). Also accepts the label
 * "1đ" for 1dd. CSIRT_EINVAL for anything else (code may be NULL).
 */
enum csirt_rc procedure_step_parse(const char *code, enum incident_step *out);

/*
 * The step's name as GLOSSARY.md writes it; lang "vi" or "en" (anything
 * else gives English). NULL for an out-of-range step.
 */
const char *procedure_step_name(enum incident_step step, const char *lang);

/*
 * CSIRT_OK when 'from' -> 'to' is allowed with the facts in ctx (NULL ctx
 * means: not stable, no closure report). Otherwise CSIRT_ECONFLICT (or
 * CSIRT_EINVAL for an out-of-range step) with a message naming both steps.
 */
enum csirt_rc procedure_check(enum incident_step from, enum incident_step to,
    const struct procedure_ctx *ctx, struct csirt_err *err);

/*
 * Writes up to 'max' allowed targets from 'from' into out, in step order,
 * and returns how many there are (which may exceed max; at most 2 today).
 */
size_t procedure_next_steps(enum incident_step from,
    const struct procedure_ctx *ctx, enum incident_step *out, size_t max);

#endif
