/*
 * forms_summary.c - the two summary forms:
 *   Form 05 of Circular 20/2017 (Báo cáo tổng hợp 06 tháng / 01 năm về hoạt
 *   động tiếp nhận và xử lý sự cố), with its table by incident type and a
 *   totals row;
 *   Mẫu 08 of Decree 331/2026 (V/v kết quả công tác bảo đảm an ninh mạng hệ
 *   thống thông tin), the yearly level and compliance report with its
 *   summary counts, owner and specialised unit, and 12-column table.
 * Input shapes (aggregates the lead's services build from the store) are in
 * docs/report.md.
 */
#include "csirt/common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/forms.h"

/* The incident types Form 05 lists (docs/DOMAIN.md §2.9), printed when the
 * input has no rows so that the blank form still has its table. */
static const char *const form05_types[] = {
	"Tấn công từ chối dịch vụ",
	"Tấn công giả mạo",
	"Tấn công sử dụng mã độc",
	"Truy cập trái phép, chiếm quyền điều khiển",
	"Thay đổi giao diện",
	"Mã hóa phần mềm, dữ liệu, thiết bị",
	"Phá hoại thông tin, dữ liệu, phần mềm",
	"Nghe trộm, gián điệp, lấy cắp thông tin, dữ liệu",
	"Tấn công tổng hợp sử dụng kết hợp nhiều hình thức",
	"Các hình thức tấn công khác",
};

static char *
number_text(json_t *v)
{
	char s[48];

	if (json_is_number(v)) {
		format_count(json_number_value(v), s, sizeof(s));
		return strdup(s);
	}
	return value_text(v);
}

enum csirt_rc
form_build_form05(struct doc *d, json_t *in, struct csirt_err *err)
{
	static const char *const h[] = { "STT", "Loại sự cố, tấn công mạng",
	    "Số lượng", "Tự xử lý", "Có hỗ trợ của tổ chức khác trong nước",
	    "Có hỗ trợ của tổ chức nước ngoài",
	    "Đề nghị cơ quan điều phối hỗ trợ",
	    "Ước tính thiệt hại (đồng)" };
	static const char *const k[] = { NULL, "type", "count", "self_handled",
	    "domestic_support", "foreign_support", "coordinator_support",
	    "estimated_damage" };
	static const double w[] = { 0.7, 3.2, 1.1, 1.1, 1.5, 1.5, 1.5, 1.8 };
	json_t *rows = jget(in, "rows");
	size_t n = json_is_array(rows) ? json_array_size(rows) : 0;
	size_t shown = n ? n : ARRAY_SIZE(form05_types);
	const char *kind = jstring(in, "period.kind");
	bool year = kind && strcmp(kind, "year") == 0;
	long long y = jint(in, "period.year", 0);
	long long from = jint(in, "period.from_month", year ? 1 : 0);
	long long to = jint(in, "period.to_month", year ? 12 : 0);
	double sums[8] = { 0 };
	bool summable[8] = { false, false, true, true, true, true, true, true };
	struct doc_table *t;
	char s[48];

	doc_set(d, &d->form_label, "Biểu mẫu 05\n(Ban hành kèm theo Thông tư số "
	    "20/2017/TT-BTTTT ngày 12/9/2017)");
	doc_title_block(d, in, jstring(in, "organisation.name"),
	    "NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT");
	doc_set(d, &d->doc_type, year ? "BÁO CÁO TỔNG HỢP 01 NĂM" :
	    "BÁO CÁO TỔNG HỢP 06 THÁNG");
	if (y > 0 && from > 0 && to > 0)
		doc_setf(d, &d->summary, "Về hoạt động tiếp nhận và xử lý sự cố\n"
		    "(từ tháng %02lld đến tháng %02lld năm %lld)", from, to, y);
	else
		doc_set(d, &d->summary, "Về hoạt động tiếp nhận và xử lý sự cố\n"
		    "(từ tháng …… đến tháng …… năm ……)");
	if (d->n_addressees == 0)
		doc_addressee(d, "Trung tâm Ứng cứu khẩn cấp máy tính Việt Nam");

	field_path(d, in, "Tên tổ chức", "organisation.name");
	field_path(d, in, "Địa chỉ", "organisation.address");
	field_path(d, in, "Mã thành viên mạng lưới", "organisation.member_code");

	doc_heading(d, "1. Tình hình tiếp nhận và xử lý sự cố theo loại sự cố, "
	    "tấn công mạng");
	t = doc_table(d, shown + 2, 8, w);
	if (t == NULL)
		return doc_finish(d, err);
	for (size_t c = 0; c < 8; c++)
		doc_table_set(d, t, 0, c, h[c]);
	for (size_t i = 0; i < shown; i++) {
		json_t *row = n ? json_array_get(rows, i) : NULL;

		snprintf(s, sizeof(s), "%zu", i + 1);
		doc_table_set(d, t, i + 1, 0, s);
		if (row == NULL) {
			doc_table_set(d, t, i + 1, 1, form05_types[i]);
			continue;
		}
		for (size_t c = 1; c < 8; c++) {
			json_t *v = json_object_get(row, k[c]);

			if (c >= 2 && json_is_number(v))
				sums[c] += json_number_value(v);
			else if (c >= 2 && v != NULL && !json_is_null(v))
				summable[c] = false;	/* text: no honest total */
			doc_table_take(d, t, i + 1, c, c >= 2 ? number_text(v) :
			    value_text(v));
		}
	}
	doc_table_set(d, t, shown + 1, 1, "Tổng cộng");
	for (size_t c = 2; c < 8 && n > 0; c++) {
		if (!summable[c])
			continue;
		format_count(sums[c], s, sizeof(s));
		doc_table_set(d, t, shown + 1, c, s);
	}
	t->last_row_bold = true;

	doc_heading(d, "2. Danh sách tổ chức trong nước đã hỗ trợ xử lý sự cố");
	field_path(d, in, "Tổ chức", "domestic_supporters");
	doc_heading(d, "3. Danh sách tổ chức nước ngoài đã hỗ trợ xử lý sự cố");
	field_path(d, in, "Tổ chức", "foreign_supporters");
	doc_heading(d, "4. Đề xuất, kiến nghị");
	field_path(d, in, "Đề xuất, kiến nghị", "recommendations");
	return doc_finish(d, err);
}

struct code_label {
	const char *code, *label;
};

/* Mẫu 08 enumerations: the input may give the code or the wording. */
static const struct code_label approval_labels[] = {
	{ "drafting", "Đang dự thảo" },
	{ "sent_for_appraisal", "Đã gửi thẩm định" },
	{ "appraised", "Đã thẩm định" },
	{ "approved", "Đã được phê duyệt" },
	{ "not_started", "Chưa triển khai" },
	{ "partial", "Đã triển khai một số hạng mục" },
	{ "full", "Đã triển khai đầy đủ" },
	{ "before_use", "Trước khi đưa vào sử dụng" },
	{ "periodic", "Định kỳ" },
	{ "both", "Trước khi đưa vào sử dụng; Định kỳ" },
};

static char *
coded_text(json_t *v)
{
	if (json_is_string(v))
		for (size_t i = 0; i < ARRAY_SIZE(approval_labels); i++)
			if (strcmp(json_string_value(v),
			    approval_labels[i].code) == 0)
				return strdup(approval_labels[i].label);
	return value_text(v);
}

static void
body_fields(struct doc *d, json_t *in, const char *prefix)
{
	static const struct field_spec f[] = {
		{ "Tên cơ quan, đơn vị", "name" },
		{ "Văn bản quy định chức năng, nhiệm vụ", "founding_document" },
		{ "Người đại diện, chức vụ", "representative" },
		{ "Địa chỉ", "address" },
		{ "Điện thoại, thư điện tử", "phone_email" },
	};

	fields_under(d, in, prefix, f, ARRAY_SIZE(f));
}

enum csirt_rc
form_build_mau08(struct doc *d, json_t *in, struct csirt_err *err)
{
	static const char *const h[] = { "TT", "Tên hệ thống thông tin",
	    "Chủ quản", "Đơn vị vận hành", "Cấp độ đề xuất",
	    "Tình trạng phê duyệt", "Quyết định phê duyệt (số, ngày, cơ quan)",
	    "Quy chế (số, ngày, cơ quan ban hành)", "Dự kiến phê duyệt",
	    "Triển khai phương án", "Dự kiến triển khai đầy đủ",
	    "Kiểm tra, đánh giá" };
	static const char *const k[] = { NULL, "name", "owner", "operator",
	    "proposed_level", "approval_status", "approval_decision",
	    "regulation", "expected_approval_date", "plan_implementation",
	    "expected_full_implementation", "inspection" };
	/* Widths let a date (dd/mm/yyyy) fit on one line in 8 pt type. */
	static const double w[] = { 0.45, 1.5, 1.1, 1.1, 0.65, 1.1, 1.4, 1.4,
	    1.35, 1.1, 1.35, 1.1 };
	json_t *sys = jget(in, "systems");
	size_t n = json_is_array(sys) ? json_array_size(sys) : 0;
	long long y = jint(in, "year", 0);
	struct doc_table *t;
	char s[24];

	doc_set(d, &d->form_label, "Mẫu 08\n(Kèm theo Nghị định số "
	    "331/2026/NĐ-CP)");
	doc_title_block(d, in, jstring(in, "owner.name"), "THỦ TRƯỞNG CƠ QUAN");
	doc_set(d, &d->vv, "V/v kết quả công tác bảo đảm an ninh mạng hệ thống "
	    "thông tin");
	if (d->n_addressees == 0)
		doc_addressee(d, "……");
	if (y > 1 && y < 10000)
		doc_setf(d, &d->summary, "Số liệu từ ngày 15/12/%lld đến ngày "
		    "14/12/%lld", y - 1, y);

	doc_heading(d, "1. Kết quả tổng hợp");
	if (y > 1 && y < 10000)
		doc_paragraph(d, d->summary);
	field_path(d, in, "Tổng số hệ thống thông tin thuộc phạm vi quản lý",
	    "summary.total_systems");
	{
		static const char *const bh[] = { "Loại hệ thống", "Số lượng" };
		static const char *const bk[] = { "type", "count" };
		static const double bw[] = { 7, 3 };
		json_t *bt = jget(in, "summary.by_type");

		if (json_is_array(bt) && json_array_size(bt) > 0)
			table_from_array(d, in, "summary.by_type", bh, bk, bw, 2);
		else
			field_path(d, in, "Số hệ thống thông tin theo loại",
			    "summary.by_type");
	}
	field_path(d, in, "Số hệ thống đã lập hồ sơ đề xuất cấp độ",
	    "summary.with_dossier");
	field_path(d, in, "Số hệ thống đã được thẩm định", "summary.appraised");
	field_path(d, in, "Số hệ thống đã được phê duyệt", "summary.approved");
	field_path(d, in, "Số hệ thống đã phê duyệt được kiểm tra, đánh giá "
	    "định kỳ", "summary.periodically_inspected");
	doc_field_take(d, "Thời gian dự kiến phê duyệt toàn bộ hệ thống",
	    jdate(in, "summary.expected_all_approved_date"));

	doc_heading(d, "2. Thông tin chủ quản hệ thống thông tin");
	body_fields(d, in, "owner");
	doc_heading(d, "3. Thông tin đơn vị chuyên trách về an ninh mạng");
	body_fields(d, in, "specialised_unit");

	doc_heading(d, "4. Danh sách hệ thống thông tin");
	t = doc_table(d, (n ? n : 1) + 1, 12, w);
	if (t == NULL)
		return doc_finish(d, err);
	for (size_t c = 0; c < 12; c++)
		doc_table_set(d, t, 0, c, h[c]);
	for (size_t i = 0; i < n; i++) {
		json_t *row = json_array_get(sys, i);

		snprintf(s, sizeof(s), "%zu", i + 1);
		doc_table_set(d, t, i + 1, 0, s);
		for (size_t c = 1; c < 12 && json_is_object(row); c++) {
			json_t *v = json_object_get(row, k[c]);

			if (c == 8 || c == 10)
				doc_table_take(d, t, i + 1, c,
				    json_is_string(v) ? format_datetime(
				    json_string_value(v), false) : NULL);
			else
				doc_table_take(d, t, i + 1, c, coded_text(v));
		}
	}
	return doc_finish(d, err);
}
