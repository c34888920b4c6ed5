/*
 * periodic.c - the Department's periodic reports:
 *   quarterly: report on information-security threats and risks (seed 002
 *              §2.f), to the provincial leadership;
 *   annual:    annual report to the provincial People's Committee.
 * Both have the same body: incidents by type, cause, organisation and month
 * (tables and charts), serious incidents, response times against
 * deadlines, compliance, warnings and their remediation, and the drills,
 * scans and hunts done. No legal form prescribes them; the layout is the
 * Decree 30 report layout. Input shape in docs/report.md.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/forms.h"

/* Bars beyond this many would be unreadable on an A4 page. */
#define CHART_MAX_BARS 20

/*
 * A breakdown: an array of {label, count} (by_month uses "month"): a table,
 * then a chart of its first CHART_MAX_BARS entries, whose title says so
 * when entries were left out.
 */
static void
breakdown(struct doc *d, json_t *in, const char *path, const char *what,
    const char *phrase, const char *label_key, enum chart_kind kind)
{
	static const double w[] = { 1, 6, 3 };
	const char *h[] = { "STT", what, "Số sự cố" };
	const char *k[] = { NULL, label_key, "count" };
	json_t *a = jget(in, path);
	size_t n = json_is_array(a) ? json_array_size(a) : 0;
	size_t shown = n < CHART_MAX_BARS ? n : CHART_MAX_BARS;
	struct doc_chart *c;
	char title[256];

	table_from_array(d, in, path, h, k, w, 3);
	if (n == 0)
		return;
	if (shown < n)
		snprintf(title, sizeof(title), "Số sự cố theo %s (%zu/%zu nhóm "
		    "đầu tiên)", phrase, shown, n);
	else
		snprintf(title, sizeof(title), "Số sự cố theo %s", phrase);
	c = doc_chart(d, kind, title, shown);
	for (size_t i = 0; i < shown && c != NULL; i++) {
		json_t *e = json_array_get(a, i);
		json_t *l = json_object_get(e, label_key);
		json_t *v = json_object_get(e, "count");

		doc_chart_point(d, c, i, json_is_string(l) ?
		    json_string_value(l) : "",
		    json_is_number(v) ? json_number_value(v) : 0);
	}
}

static void
period_title(struct doc *d, json_t *in, bool annual)
{
	static const char *const roman[] = { "I", "II", "III", "IV" };
	long long y = jint(in, "period.year", 0);
	long long q = jint(in, "period.quarter", 0);

	if (annual) {
		doc_set(d, &d->doc_type, "BÁO CÁO");
		if (y > 0)
			doc_setf(d, &d->summary, "Công tác bảo đảm an toàn thông "
			    "tin mạng năm %lld", y);
		else
			doc_set(d, &d->summary, "Công tác bảo đảm an toàn thông "
			    "tin mạng năm ……");
		return;
	}
	doc_set(d, &d->doc_type, "BÁO CÁO");
	if (y > 0 && q >= 1 && q <= 4)
		doc_setf(d, &d->summary, "Tình hình nguy cơ, rủi ro an toàn thông "
		    "tin mạng quý %s năm %lld", roman[q - 1], y);
	else
		doc_set(d, &d->summary, "Tình hình nguy cơ, rủi ro an toàn thông "
		    "tin mạng quý …… năm ……");
}

static enum csirt_rc
periodic_build(struct doc *d, json_t *in, bool annual, struct csirt_err *err)
{
	doc_title_block(d, in, jstring(in, "organisation.name"), "GIÁM ĐỐC");
	period_title(d, in, annual);
	if (d->n_addressees == 0 && annual)
		doc_addressee(d, "Ủy ban nhân dân tỉnh");

	doc_heading(d, "I. TỔNG QUAN");
	field_path(d, in, "Đơn vị báo cáo", "organisation.name");
	field_path(d, in, "Tổng số sự cố tiếp nhận", "totals.incidents");
	field_path(d, in, "Số sự cố nghiêm trọng", "totals.serious");
	field_path(d, in, "Số sự cố đã xử lý xong", "totals.closed");
	field_path(d, in, "Số sự cố đang xử lý", "totals.open");
	{
		char *s = jtext(in, "assessment");

		doc_paragraph(d, s);
		free(s);
	}

	doc_heading(d, "II. SỰ CỐ THEO THÁNG, LOẠI, NGUYÊN NHÂN VÀ CƠ QUAN");
	doc_heading(d, "1. Theo tháng");
	breakdown(d, in, "by_month", "Tháng", "tháng", "month", CHART_LINE);
	doc_heading(d, "2. Theo loại sự cố");
	breakdown(d, in, "by_type", "Loại sự cố", "loại sự cố", "label", CHART_BAR);
	doc_heading(d, "3. Theo nguyên nhân");
	breakdown(d, in, "by_cause", "Nguyên nhân", "nguyên nhân", "label", CHART_BAR);
	doc_heading(d, "4. Theo cơ quan, đơn vị");
	breakdown(d, in, "by_organisation", "Cơ quan, đơn vị", "cơ quan, đơn vị", "label",
	    CHART_BAR);

	doc_heading(d, "III. SỰ CỐ NGHIÊM TRỌNG");
	{
		static const char *const h[] = { "STT", "Mã", "Sự cố",
		    "Cơ quan, đơn vị", "Phát hiện", "Tình trạng" };
		static const char *const k[] = { NULL, "tracking_code", "title",
		    "organisation", "detected_at", "status" };
		static const double w[] = { 0.6, 2.1, 2.8, 2, 1.6, 1.4 };

		table_from_array(d, in, "serious_incidents", h, k, w, 6);
	}

	doc_heading(d, "IV. THỜI GIAN XỬ LÝ SO VỚI THỜI HẠN");
	{
		static const char *const h[] = { "Thời hạn", "Căn cứ",
		    "Tổng số", "Đúng hạn", "Quá hạn", "Trung vị (giờ)" };
		static const char *const k[] = { "label", "rule", "total", "met",
		    "missed", "median_hours" };
		static const double w[] = { 3, 2, 1, 1, 1, 1.4 };

		table_from_array(d, in, "response_times", h, k, w, 6);
	}

	doc_heading(d, "V. TÌNH HÌNH TUÂN THỦ");
	{
		static const char *const h[] = { "STT", "Cơ quan, đơn vị",
		    "Nghĩa vụ", "Hạn", "Tình trạng" };
		static const char *const k[] = { NULL, "organisation",
		    "obligation", "due_at", "status" };
		static const double w[] = { 0.6, 2.6, 3.2, 1.6, 1.6 };

		table_from_array(d, in, "compliance", h, k, w, 5);
	}

	doc_heading(d, "VI. CẢNH BÁO ĐÃ BAN HÀNH VÀ KẾT QUẢ KHẮC PHỤC");
	{
		static const char *const h[] = { "Số hiệu", "Nội dung",
		    "Ngày ban hành", "Số đơn vị nhận", "Đã khắc phục",
		    "Chưa khắc phục" };
		static const char *const k[] = { "code", "title", "issued_at",
		    "targets", "remediated", "pending" };
		static const double w[] = { 1.4, 3.4, 1.6, 1.2, 1.2, 1.2 };

		table_from_array(d, in, "warnings", h, k, w, 6);
	}

	doc_heading(d, "VII. DIỄN TẬP, RÀ QUÉT VÀ SĂN TÌM MỐI NGUY");
	doc_heading(d, "1. Diễn tập");
	{
		static const char *const h[] = { "Ngày", "Nội dung",
		    "Thành phần", "Kết quả" };
		static const char *const k[] = { "date", "title", "participants",
		    "result" };
		static const double w[] = { 1.4, 3.2, 2.4, 3 };

		table_from_array(d, in, "activities.drills", h, k, w, 4);
	}
	doc_heading(d, "2. Rà quét lỗ hổng");
	{
		static const char *const h[] = { "Ngày", "Phạm vi", "Phát hiện" };
		static const char *const k[] = { "date", "scope", "findings" };
		static const double w[] = { 1.4, 5, 3.6 };

		table_from_array(d, in, "activities.scans", h, k, w, 3);
	}
	doc_heading(d, "3. Săn tìm mối nguy");
	{
		static const char *const h[] = { "Ngày", "Phạm vi", "Kết quả" };
		static const char *const k[] = { "date", "scope", "hits" };
		static const double w[] = { 1.4, 5, 3.6 };

		table_from_array(d, in, "activities.hunts", h, k, w, 3);
	}

	doc_heading(d, "VIII. ĐỀ XUẤT, KIẾN NGHỊ");
	field_path(d, in, "Đề xuất, kiến nghị", "recommendations");
	return doc_finish(d, err);
}

enum csirt_rc
form_build_quarterly(struct doc *d, json_t *in, struct csirt_err *err)
{
	return periodic_build(d, in, false, err);
}

enum csirt_rc
form_build_annual(struct doc *d, json_t *in, struct csirt_err *err)
{
	return periodic_build(d, in, true, err);
}
