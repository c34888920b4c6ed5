/*
 * forms_incident.c - the documents made from one incident:
 *   Form 03 (Báo cáo ban đầu sự cố) and Form 04 (Báo cáo kết thúc ứng phó
 *   sự cố) of Circular 20/2017/TT-BTTTT, Phụ lục I; fields as
 *   docs/DOMAIN.md §2.9 lists them, with the legal minimum content of
 *   Decision 05/2017 Art 11.4 (type, spread, impact, measures, supporters,
 *   initial result) as fields of their own;
 *   the 72-hour report of Decree 331/2026 Art 31.2.d, for which no form is
 *   prescribed: the document says so and carries the content the decree
 *   names (cause, scope of impact, remediation).
 * The input is the incident JSON of the API (docs/report.md).
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/forms.h"

const char *
label_severity(const char *s)
{
	if (s == NULL)
		return NULL;
	if (strcmp(s, "serious") == 0)
		return "Sự cố nghiêm trọng";
	if (strcmp(s, "normal") == 0)
		return "Sự cố thông thường";
	if (strcmp(s, "undefined") == 0)
		return "Chưa xác định";
	return s;
}

const char *
label_handled(const char *s)
{
	if (s == NULL)
		return NULL;
	if (strcmp(s, "handled") == 0)
		return "Đã được xử lý";
	if (strcmp(s, "not_handled") == 0)
		return "Chưa được xử lý";
	return s;
}

const char *
label_notified(const char *s)
{
	if (strcmp(s, "network_member") == 0)
		return "Thành viên mạng lưới ứng cứu sự cố chịu trách nhiệm ứng cứu cho tổ chức/cá nhân";
	if (strcmp(s, "isp") == 0)
		return "Doanh nghiệp cung cấp dịch vụ viễn thông, Internet trực tiếp";
	if (strcmp(s, "coordinator") == 0)
		return "Cơ quan điều phối quốc gia";
	return s;
}

const char *
label_step(const char *s)
{
	if (s == NULL)
		return NULL;
	if (strcmp(s, "closed") == 0)
		return "Đã kết thúc";
	return s;
}

static char *
system_level(json_t *in)
{
	json_t *v = jget(in, "system_level");
	char s[32];

	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return NULL;	/* 0 = not levelled: "(nếu có)" stays empty */
	snprintf(s, sizeof(s), "Cấp %lld", (long long)json_integer_value(v));
	return strdup(s);
}

static char *
incident_type(json_t *in)
{
	const char *code = jstring(in, "taxonomy_code");
	const char *name = jstring(in, "taxonomy_name");
	char *s = NULL;

	if (code && name) {
		if (asprintf(&s, "%s - %s", code, name) < 0)
			s = NULL;
		return s;
	}
	return code ? strdup(code) : name ? strdup(name) : NULL;
}

static char *
notified_text(json_t *in)
{
	json_t *a = jget(in, "notified");
	struct buf b;
	size_t i;
	json_t *e;

	buf_init(&b, 4096);
	json_array_foreach(a, i, e) {
		if (!json_is_string(e))
			continue;
		if (b.len)
			buf_append_str(&b, "; ");
		buf_append_str(&b, label_notified(json_string_value(e)));
	}
	if (b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static void
reporter_section(struct doc *d, json_t *in, int n)
{
	doc_heading(d, "%d. Thông tin về tổ chức, cá nhân báo cáo sự cố (*)", n);
	field_path(d, in, "Tên tổ chức, cá nhân", "reporter.org");
	field_path(d, in, "Địa chỉ", "reporter.address");
	field_path(d, in, "Điện thoại", "reporter.phone");
	field_path(d, in, "Thư điện tử", "reporter.email");
}

static void
system_fields(struct doc *d, json_t *in)
{
	field_path(d, in, "Tên đơn vị vận hành hệ thống thông tin (*)",
	    "operator_name");
	field_path(d, in, "Tên cơ quan chủ quản", "owner_name");
	field_path(d, in, "Tên hệ thống thông tin", "system_name");
	doc_field_take(d, "Cấp độ an toàn hệ thống thông tin (nếu có)",
	    system_level(in));
}

static void
incident_head(struct doc *d, json_t *in, const char *form, const char *title,
    const char *position)
{
	doc_set(d, &d->form_label, form);
	doc_title_block(d, in, jstring(in, "reporter.org"), position);
	doc_set(d, &d->doc_type, title);
	field_path(d, in, "Mã theo dõi sự cố", "tracking_code");
}

enum csirt_rc
form_build_form03(struct doc *d, json_t *in, struct csirt_err *err)
{
	incident_head(d, in, "Biểu mẫu 03\n(Ban hành kèm theo Thông tư số "
	    "20/2017/TT-BTTTT ngày 12/9/2017)", "BÁO CÁO BAN ĐẦU SỰ CỐ",
	    "ĐẠI DIỆN TỔ CHỨC, CÁ NHÂN BÁO CÁO");
	reporter_section(d, in, 1);

	doc_heading(d, "2. Thông tin người liên hệ");
	field_path(d, in, "Họ và tên (*)", "contact.name");
	field_path(d, in, "Chức vụ", "contact.position");
	field_path(d, in, "Điện thoại (*)", "contact.phone");
	field_path(d, in, "Thư điện tử (*)", "contact.email");

	doc_heading(d, "3. Thông tin về hệ thống thông tin bị sự cố");
	system_fields(d, in);
	field_path(d, in, "Tên tổ chức cung cấp dịch vụ an toàn thông tin "
	    "(nếu có)", "security_provider");
	field_path(d, in, "Tên doanh nghiệp cung cấp dịch vụ kết nối (ISP) "
	    "(nếu có)", "isp");

	doc_heading(d, "4. Mô tả sơ bộ về sự cố (*)");
	field_path(d, in, "Tên sự cố", "title");
	doc_field_take(d, "Loại sự cố", incident_type(in));
	doc_field(d, "Phân loại mức độ", label_severity(jstring(in, "severity")));
	field_path(d, in, "Mô tả", "description");
	field_path(d, in, "Mức độ lan truyền", "spread");
	field_path(d, in, "Ảnh hưởng đến hoạt động bình thường", "impact");

	doc_heading(d, "5. Thời điểm phát hiện sự cố (*)");
	doc_field_take(d, "Ngày, giờ phát hiện", jdatetime(in, "detected_at"));

	doc_heading(d, "6. Tình trạng sự cố (*)");
	doc_field(d, "Tình trạng", label_handled(jstring(in, "handled_status")));

	doc_heading(d, "7. Phương thức phát hiện sự cố (*)");
	field_path(d, in, "Phát hiện qua", "detection_methods");

	doc_heading(d, "8. Đã gửi thông báo sự cố cho (*)");
	doc_field_take(d, "Đã thông báo", notified_text(in));

	doc_heading(d, "9. Thông tin bổ sung về hệ thống bị sự cố");
	field_path(d, in, "Hệ điều hành, phiên bản", "os");
	field_path(d, in, "Các dịch vụ có trên hệ thống", "services");
	field_path(d, in, "Các biện pháp bảo đảm an toàn thông tin đã triển khai",
	    "security_measures");
	field_path(d, in, "Địa chỉ IP công khai của hệ thống", "public_ips");
	field_path(d, in, "Tên miền của hệ thống", "domains");
	field_path(d, in, "Mục đích chính sử dụng hệ thống", "purpose");
	field_path(d, in, "Thông tin, tài liệu gửi kèm", "attachments_kind");
	field_path(d, in, "Thông tin trong thông báo này cần được giữ bí mật",
	    "confidential");

	doc_heading(d, "10. Biện pháp đã triển khai, tổ chức hỗ trợ, kiến nghị");
	field_path(d, in, "Các biện pháp đã triển khai hoặc dự kiến", "measures_taken");
	field_path(d, in, "Tổ chức tham gia hỗ trợ", "supporters");
	field_path(d, in, "Kết quả ứng cứu ban đầu", "initial_result");
	field_path(d, in, "Kiến nghị, đề xuất hỗ trợ", "recommendations");

	doc_heading(d, "11. Thời gian thực hiện báo cáo sự cố (*)");
	doc_field_take(d, "Ngày, giờ báo cáo", jdatetime(in, "reported_at"));

	doc_notice(d, "Ghi chú: (*) là các mục bắt buộc. Khi gửi báo cáo qua "
	    "thư điện tử, tiêu đề thư phải bắt đầu bằng \"[TBSC]\".");
	return doc_finish(d, err);
}

enum csirt_rc
form_build_form04(struct doc *d, json_t *in, struct csirt_err *err)
{
	char *ended;

	incident_head(d, in, "Biểu mẫu 04\n(Ban hành kèm theo Thông tư số "
	    "20/2017/TT-BTTTT ngày 12/9/2017)",
	    "BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ", "ĐẠI DIỆN TỔ CHỨC, CÁ NHÂN BÁO CÁO");
	reporter_section(d, in, 1);

	doc_heading(d, "2. Thông tin về báo cáo ban đầu sự cố");
	field_path(d, in, "Số, ký hiệu báo cáo ban đầu",
	    "closure.initial_report_ref");
	doc_field_take(d, "Ngày báo cáo ban đầu",
	    jdate(in, "closure.initial_report_date"));

	doc_heading(d, "3. Thông tin về hệ thống thông tin bị sự cố");
	system_fields(d, in);
	field_path(d, in, "Tên sự cố", "title");
	doc_field_take(d, "Loại sự cố", incident_type(in));
	field_path(d, in, "Mô tả sự cố", "description");
	doc_field_take(d, "Ngày, giờ phát hiện (*)", jdatetime(in, "detected_at"));

	doc_heading(d, "4. Kết quả xử lý sự cố");
	field_path(d, in, "Tóm tắt sự cố và kết quả xử lý", "closure.summary");
	field_path(d, in, "Đề xuất, kiến nghị", "closure.proposals");
	ended = jdatetime(in, "closure.response_ended_at");
	if (ended == NULL)
		ended = jdatetime(in, "closed_at");
	doc_field_take(d, "Thời điểm kết thúc ứng phó", ended);

	doc_heading(d, "5. Tài liệu gửi kèm");
	{
		static const char *const h[] = { "STT", "Tên tài liệu" };
		static const char *const k[] = { NULL, "" };
		static const double w[] = { 1, 9 };

		table_from_array(d, in, "closure.attached_documents", h, k, w, 2);
	}
	return doc_finish(d, err);
}

enum csirt_rc
form_build_report72h(struct doc *d, json_t *in, struct csirt_err *err)
{
	doc_set(d, &d->form_label, "Nghị định 331/2026/NĐ-CP, Điều 31 khoản 2 "
	    "điểm d");
	doc_title_block(d, in, jstring(in, "owner_name"), "THỦ TRƯỞNG CƠ QUAN, TỔ CHỨC");
	doc_set(d, &d->doc_type, "BÁO CÁO");
	doc_set(d, &d->summary, "Sự cố an ninh mạng: nguyên nhân, phạm vi ảnh "
	    "hưởng và biện pháp khắc phục");
	if (d->n_addressees == 0)
		doc_addressee(d, "Cơ quan chuyên trách của Bộ Công an");
	doc_notice(d, "Nghị định 331/2026/NĐ-CP chưa quy định mẫu báo cáo sự "
	    "cố. Văn bản này trình bày các nội dung mà Điều 31 khoản 2 điểm d "
	    "yêu cầu: nguyên nhân, phạm vi ảnh hưởng và biện pháp khắc phục, "
	    "báo cáo trong thời hạn 72 giờ kể từ thời điểm phát hiện sự cố.");
	field_path(d, in, "Mã theo dõi sự cố", "tracking_code");

	doc_heading(d, "1. Cơ quan, tổ chức báo cáo");
	field_path(d, in, "Chủ quản hệ thống thông tin", "owner_name");
	field_path(d, in, "Đơn vị vận hành", "operator_name");
	field_path(d, in, "Người liên hệ", "contact.name");
	field_path(d, in, "Chức vụ", "contact.position");
	field_path(d, in, "Điện thoại", "contact.phone");
	field_path(d, in, "Thư điện tử", "contact.email");

	doc_heading(d, "2. Hệ thống thông tin bị sự cố");
	field_path(d, in, "Tên hệ thống thông tin", "system_name");
	doc_field_take(d, "Cấp độ", system_level(in));
	field_path(d, in, "Địa chỉ IP công khai", "public_ips");
	field_path(d, in, "Tên miền", "domains");

	doc_heading(d, "3. Sự cố");
	field_path(d, in, "Tên sự cố", "title");
	doc_field_take(d, "Loại sự cố", incident_type(in));
	doc_field(d, "Phân loại mức độ", label_severity(jstring(in, "severity")));
	doc_field_take(d, "Thời điểm phát hiện", jdatetime(in, "detected_at"));
	field_path(d, in, "Mô tả", "description");

	doc_heading(d, "4. Nguyên nhân");
	field_path(d, in, "Nguyên nhân", "cause");

	doc_heading(d, "5. Phạm vi ảnh hưởng");
	field_path(d, in, "Phạm vi, mức độ lan truyền", "spread");
	field_path(d, in, "Ảnh hưởng", "impact");

	doc_heading(d, "6. Biện pháp khắc phục");
	field_path(d, in, "Biện pháp đã thực hiện", "measures_taken");
	field_path(d, in, "Kết quả", "initial_result");
	field_path(d, in, "Tổ chức hỗ trợ", "supporters");

	doc_heading(d, "7. Dấu hiệu nhận biết (IOC)");
	{
		static const char *const h[] = { "STT", "Loại", "Giá trị" };
		static const char *const k[] = { NULL, "type", "value" };
		static const double w[] = { 1, 2, 7 };

		table_from_array(d, in, "observables", h, k, w, 3);
	}
	doc_heading(d, "8. Thời hạn báo cáo");
	{
		static const char *const h[] = { "Nội dung", "Hạn", "Trạng thái",
		    "Căn cứ" };
		static const char *const k[] = { "label", "due_at", "status",
		    "source" };
		static const double w[] = { 4, 2.2, 1.6, 2.2 };

		table_from_array(d, in, "deadlines", h, k, w, 4);
	}
	doc_heading(d, "9. Kiến nghị");
	field_path(d, in, "Kiến nghị", "recommendations");
	return doc_finish(d, err);
}
