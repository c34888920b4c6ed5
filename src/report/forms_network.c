/*
 * forms_network.c - the two forms about membership of the national incident
 * response network (mạng lưới ứng cứu sự cố), Circular 20/2017 Phụ lục I:
 *   Form 01: Bản khai hồ sơ thành viên mạng lưới (member profile, updated
 *            yearly);
 *   Form 02: Đơn đăng ký tham gia mạng lưới (voluntary application).
 * Fields as docs/DOMAIN.md §2.9 lists them; input shape in docs/report.md.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/forms.h"

/* One count of a staff or expert group, e.g. "staff_counts.by_field.it". */
static void
count_field(struct doc *d, json_t *in, const char *label, const char *path)
{
	field_path(d, in, label, path);
}

static void
contact_person(struct doc *d, json_t *in, const char *prefix)
{
	static const struct field_spec f[] = {
		{ "Họ và tên", "name" }, { "Chức vụ", "position" },
		{ "Địa chỉ liên hệ", "address" },
		{ "Điện thoại cố định", "landline" },
		{ "Điện thoại di động", "mobile" }, { "Fax", "fax" },
		{ "Thư điện tử", "email" },
	};

	fields_under(d, in, prefix, f, ARRAY_SIZE(f));
}

static void
systems_table(struct doc *d, json_t *in)
{
	static const char *const h[] = { "STT", "Tên hệ thống thông tin",
	    "Cấp độ" };
	static const char *const k[] = { NULL, "name", "level" };
	static const double w[] = { 1, 7, 2 };

	table_from_array(d, in, "systems", h, k, w, 3);
}

static void
staff_table(struct doc *d, json_t *in)
{
	static const char *const h[] = { "STT", "Họ và tên", "Trường đào tạo",
	    "Chuyên ngành", "Văn bằng, chứng chỉ", "Tháng, năm tốt nghiệp" };
	static const char *const k[] = { NULL, "name", "school",
	    "specialisation", "degrees", "graduated" };
	static const double w[] = { 0.8, 2.4, 2.4, 2, 2.4, 1.6 };

	table_from_array(d, in, "staff", h, k, w, 6);
}

static void
expert_counts(struct doc *d, json_t *in, const char *num)
{
	char label[160];

	snprintf(label, sizeof(label), "%s.1. Chuyên gia quản lý an toàn thông tin", num);
	count_field(d, in, label, "staff_counts.experts.management");
	snprintf(label, sizeof(label), "%s.2. Chuyên gia kỹ thuật phòng thủ, chống tấn công", num);
	count_field(d, in, label, "staff_counts.experts.defence");
	snprintf(label, sizeof(label), "%s.3. Chuyên gia bảo vệ hệ thống, ứng dụng", num);
	count_field(d, in, label, "staff_counts.experts.protection");
	snprintf(label, sizeof(label), "%s.4. Chuyên gia kiểm tra, đánh giá an toàn thông tin", num);
	count_field(d, in, label, "staff_counts.experts.testing");
}

enum csirt_rc
form_build_form01(struct doc *d, json_t *in, struct csirt_err *err)
{
	doc_set(d, &d->form_label, "Biểu mẫu 01\n(Ban hành kèm theo Thông tư số "
	    "20/2017/TT-BTTTT ngày 12/9/2017)");
	doc_title_block(d, in, jstring(in, "organisation.name"),
	    "NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT");
	doc_set(d, &d->doc_type, "BẢN KHAI HỒ SƠ THÀNH VIÊN");
	doc_set(d, &d->summary, "Mạng lưới ứng cứu sự cố an toàn thông tin mạng "
	    "quốc gia");

	doc_heading(d, "1. Thông tin chung");
	field_path(d, in, "Tên tổ chức", "organisation.name");
	field_path(d, in, "Tên cơ quan chủ quản", "organisation.owner_body");
	field_path(d, in, "Địa chỉ", "organisation.address");
	field_path(d, in, "Điện thoại", "organisation.phone");
	field_path(d, in, "Fax", "organisation.fax");
	field_path(d, in, "Thư điện tử", "organisation.email");
	field_path(d, in, "Trang thông tin điện tử", "organisation.website");
	field_path(d, in, "Lãnh đạo phụ trách an toàn thông tin",
	    "organisation.leader.name");
	field_path(d, in, "Chức vụ", "organisation.leader.position");

	doc_heading(d, "2. Thông tin tiếp nhận sự cố");
	field_path(d, in, "Địa chỉ", "reception.address");
	field_path(d, in, "Điện thoại cố định", "reception.landline");
	field_path(d, in, "Điện thoại di động", "reception.mobile");
	field_path(d, in, "Fax", "reception.fax");
	field_path(d, in, "Thư điện tử", "reception.email");

	doc_heading(d, "3. Đầu mối liên hệ ứng cứu sự cố");
	doc_heading(d, "3.1. Đầu mối chính");
	contact_person(d, in, "contacts.primary");
	doc_heading(d, "3.2. Đầu mối dự phòng");
	contact_person(d, in, "contacts.backup");

	doc_heading(d, "4. Mô tả hoạt động, năng lực ứng cứu sự cố");
	field_path(d, in, "Nhân lực, công nghệ, kinh nghiệm, đối tượng phục vụ",
	    "activities");

	doc_heading(d, "5. Hệ thống thông tin thuộc phạm vi quản lý, hỗ trợ");
	systems_table(d, in);

	doc_heading(d, "6. Nhân lực công nghệ thông tin, an toàn thông tin");
	count_field(d, in, "6.1. Chuyên ngành công nghệ thông tin", "staff_counts.by_field.it");
	count_field(d, in, "6.1. Chuyên ngành an toàn thông tin", "staff_counts.by_field.infosec");
	count_field(d, in, "6.1. Chuyên ngành tương đương", "staff_counts.by_field.equivalent");
	count_field(d, in, "6.2. Trên đại học", "staff_counts.by_level.postgraduate");
	count_field(d, in, "6.2. Đại học", "staff_counts.by_level.university");
	count_field(d, in, "6.2. Cao đẳng", "staff_counts.by_level.college");
	count_field(d, in, "6.2. Trung cấp", "staff_counts.by_level.intermediate");
	count_field(d, in, "6.3. Chứng chỉ quốc tế", "staff_counts.certificates.international");
	count_field(d, in, "6.3. Chứng chỉ trong nước", "staff_counts.certificates.domestic");

	doc_heading(d, "7. Nhân lực có kinh nghiệm, được đào tạo về an toàn thông tin");
	expert_counts(d, in, "7");

	doc_heading(d, "8. Danh sách nhân lực (Tổng hợp kèm theo Biểu mẫu 01)");
	staff_table(d, in);
	return doc_finish(d, err);
}

static void
channel(struct doc *d, json_t *in, const char *prefix)
{
	static const struct field_spec f[] = {
		{ "Đơn vị, cá nhân", "unit" },
		{ "Điện thoại cố định", "landline" },
		{ "Điện thoại di động", "mobile" }, { "Fax", "fax" },
	};

	fields_under(d, in, prefix, f, ARRAY_SIZE(f));
}

enum csirt_rc
form_build_form02(struct doc *d, json_t *in, struct csirt_err *err)
{
	doc_set(d, &d->form_label, "Biểu mẫu 02\n(Ban hành kèm theo Thông tư số "
	    "20/2017/TT-BTTTT ngày 12/9/2017)");
	doc_title_block(d, in, jstring(in, "organisation.name"),
	    "NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT");
	doc_set(d, &d->doc_type, "ĐƠN ĐĂNG KÝ");
	doc_set(d, &d->summary, "Tham gia mạng lưới ứng cứu sự cố an toàn thông "
	    "tin mạng quốc gia");

	doc_heading(d, "I. THÔNG TIN TỔ CHỨC");
	field_path(d, in, "Tên tổ chức", "organisation.name");
	field_path(d, in, "Địa chỉ", "organisation.address");
	field_path(d, in, "Điện thoại", "organisation.phone");
	field_path(d, in, "Fax", "organisation.fax");
	field_path(d, in, "Thư điện tử", "organisation.email");

	doc_heading(d, "II. THÔNG TIN HOẠT ĐỘNG");
	doc_heading(d, "1. Giới thiệu lĩnh vực hoạt động, năng lực ứng cứu sự cố");
	field_path(d, in, "Nhân lực, công nghệ, kinh nghiệm, đối tượng phục vụ",
	    "activities");
	doc_heading(d, "2. Hệ thống thông tin quản lý hoặc hỗ trợ");
	systems_table(d, in);
	doc_heading(d, "3. Số lượng chuyên gia");
	expert_counts(d, in, "3");
	doc_heading(d, "4. Danh sách nhân lực");
	staff_table(d, in);

	doc_heading(d, "III. THÔNG TIN LIÊN LẠC TRONG MẠNG LƯỚI");
	field_path(d, in, "1. Trang thông tin điện tử", "network.website");
	field_path(d, in, "2. Thư điện tử của tổ chức", "network.email");
	field_path(d, in, "Khóa công khai PGP/GPG - User ID", "network.pgp.user_id");
	field_path(d, in, "Khóa công khai PGP/GPG - Fingerprint",
	    "network.pgp.fingerprint");
	field_path(d, in, "Khóa công khai PGP/GPG - Liên kết", "network.pgp.link");
	doc_heading(d, "3. Đầu mối liên lạc trong giờ hành chính");
	channel(d, in, "network.office_hours");
	doc_heading(d, "4. Đầu mối liên lạc ngoài giờ hành chính");
	channel(d, in, "network.after_hours");
	doc_heading(d, "5. Đầu mối lãnh đạo phụ trách an toàn thông tin");
	field_path(d, in, "Họ và tên", "network.leadership.name");
	field_path(d, in, "Chức vụ", "network.leadership.position");
	field_path(d, in, "Điện thoại cố định", "network.leadership.landline");
	field_path(d, in, "Điện thoại di động", "network.leadership.mobile");
	field_path(d, in, "Thư điện tử", "network.leadership.email");
	doc_heading(d, "6. Địa chỉ nhận văn bản");
	field_path(d, in, "Người nhận", "network.postal.recipient");
	field_path(d, in, "Chức vụ", "network.postal.position");
	field_path(d, in, "Tổ chức", "network.postal.organisation");
	field_path(d, in, "Địa chỉ", "network.postal.address");
	field_path(d, in, "Điện thoại", "network.postal.phone");
	doc_heading(d, "7. Phương thức liên lạc khác");
	field_path(d, in, "Tài khoản nhắn tin", "network.other_channels");

	doc_paragraph(d, "Tổ chức cam kết các thông tin kê khai trên là đúng sự "
	    "thật và tuân thủ quy định về hoạt động của mạng lưới ứng cứu sự cố.");
	return doc_finish(d, err);
}
