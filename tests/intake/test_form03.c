/* Unit tests for src/intake/form03_text.c and form03_time.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <string.h>

#include "csirt/form03_text.h"

/* A Form 03 as a unit pastes it into an e-mail, with the form's numbering. */
static const char form_vi[] =
    "BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG\r\n"
    "1. Thông tin tổ chức/cá nhân báo cáo sự cố (*):\r\n"
    "   - Tên: Trung tâm Công nghệ thông tin tỉnh\r\n"
    "   - Địa chỉ: 15 Trần Phú, TP. Hà Tĩnh\r\n"
    "   - Điện thoại: 0239 3855 123\r\n"
    "   - Email: ttcntt@hatinh.gov.vn\r\n"
    "2. Thông tin người liên hệ:\r\n"
    "   - Họ và tên (*): Nguyễn Văn An\r\n"
    "   - Chức vụ: Phó Giám đốc\r\n"
    "   - Điện thoại (*): 0912 345 678\r\n"
    "   - Email (*): an.nv@hatinh.gov.vn\r\n"
    "3. Thông tin chi tiết về hệ thống:\r\n"
    "   - Tên đơn vị vận hành hệ thống (*): Trung tâm CNTT\r\n"
    "   - Cơ quan chủ quản: Sở Thông tin và Truyền thông\r\n"
    "   - Tên hệ thống: Cổng thông tin điện tử tỉnh\r\n"
    "   - Cấp độ (nếu có): Cấp 3\r\n"
    "4. Mô tả sơ bộ về sự cố (*):\r\n"
    "Trang chủ bị thay đổi giao diện.\r\n"
    "Kẻ tấn công để lại thông điệp.\r\n"
    "\r\n"
    "5. Thời điểm phát hiện (*): 10:30 ngày 20/11/2026\r\n"
    "6. Tình trạng sự cố: Chưa được xử lý\r\n"
    "7. Phương thức phát hiện: Xem xét file nhật ký\r\n"
    "8. Đã thông báo cho: Cơ quan điều phối quốc gia\r\n"
    "9. Hệ điều hành: CentOS 7\r\n"
    "   Các dịch vụ: Web server, Database server\r\n"
    "   Các biện pháp an toàn thông tin đã triển khai: Tường lửa\r\n"
    "   Địa chỉ IP công khai: 203.113.131.5, 10.0.0.999, 2001:DB8::1; 203.113.131.5\r\n"
    "   Tên miền: hatinh.gov.vn, www.hatinh.gov.vn., not_a_domain\r\n"
    "   Mục đích chính của hệ thống: Cung cấp thông tin\r\n"
    "   Thông tin cần bảo mật: Có\r\n"
    "10. Kiến nghị, đề xuất hỗ trợ: Đề nghị hỗ trợ phân tích mã độc\r\n"
    "\r\n"
    "Dòng không có nhãn nào: không được đoán.\r\n";

static void
test_vietnamese_form(void **state)
{
	struct form03_fields f;

	form03_fields_init(&f);
	assert_int_equal(form03_extract(form_vi, sizeof(form_vi) - 1, &f), CSIRT_OK);
	assert_string_equal(f.reporter_org, "Trung tâm Công nghệ thông tin tỉnh");
	assert_string_equal(f.reporter_address, "15 Trần Phú, TP. Hà Tĩnh");
	assert_string_equal(f.reporter_phone, "0239 3855 123");
	assert_string_equal(f.reporter_email, "ttcntt@hatinh.gov.vn");
	assert_string_equal(f.contact_name, "Nguyễn Văn An");
	assert_string_equal(f.contact_position, "Phó Giám đốc");
	assert_string_equal(f.contact_phone, "0912 345 678");
	assert_string_equal(f.contact_email, "an.nv@hatinh.gov.vn");
	assert_string_equal(f.operator_name, "Trung tâm CNTT");
	assert_string_equal(f.owner_name, "Sở Thông tin và Truyền thông");
	assert_string_equal(f.system_name, "Cổng thông tin điện tử tỉnh");
	assert_string_equal(f.system_level, "Cấp 3");
	assert_string_equal(f.description,
	    "Trang chủ bị thay đổi giao diện.\nKẻ tấn công để lại thông điệp.");
	assert_string_equal(f.detected_at_text, "10:30 ngày 20/11/2026");
	/* 2026-11-20 10:30 in Vietnam is 03:30 UTC */
	assert_int_equal(f.detected_at, 1795145400);
	assert_string_equal(f.handled_status, "Chưa được xử lý");
	assert_string_equal(f.detection_method, "Xem xét file nhật ký");
	assert_string_equal(f.notified, "Cơ quan điều phối quốc gia");
	assert_string_equal(f.os, "CentOS 7");
	assert_string_equal(f.services, "Web server, Database server");
	assert_string_equal(f.security_measures, "Tường lửa");
	assert_string_equal(f.public_ips, "203.113.131.5,2001:db8::1");
	assert_string_equal(f.domains, "hatinh.gov.vn,www.hatinh.gov.vn");
	assert_string_equal(f.purpose, "Cung cấp thông tin");
	assert_int_equal(f.confidential, 1);
	assert_string_equal(f.recommendations, "Đề nghị hỗ trợ phân tích mã độc");
	form03_fields_free(&f);
	assert_null(f.reporter_org);
	assert_int_equal(f.confidential, -1);
}

/* The same labels typed without diacritics, values on the next line. */
static void
test_no_diacritics(void **state)
{
	static const char text[] =
	    "Ten he thong:\n"
	    "  He thong thu dien tu\n"
	    "Nguoi lien he: Tran Thi Binh\n"
	    "Dien thoai: 0987654321\n"
	    "Thoi gian phat hien: 2026-11-21T08:15:00+07:00\n"
	    "Mo ta su co:\n"
	    "May chu gui thu rac.\n"
	    "Nghi nhiem ma doc.\n"
	    "\n"
	    "Noi dung khac khong thuoc mo ta.\n"
	    "Bao mat thong tin: khong\n"
	    "Dia chi IP: 198.51.100.7\n";
	struct form03_fields f;

	form03_fields_init(&f);
	assert_int_equal(form03_extract(text, sizeof(text) - 1, &f), CSIRT_OK);
	assert_string_equal(f.system_name, "He thong thu dien tu");
	assert_string_equal(f.contact_name, "Tran Thi Binh");
	/* after "Nguoi lien he" the phone is the contact's */
	assert_string_equal(f.contact_phone, "0987654321");
	assert_null(f.reporter_phone);
	assert_int_equal(f.detected_at, 1795223700);
	assert_string_equal(f.description, "May chu gui thu rac.\nNghi nhiem ma doc.");
	assert_int_equal(f.confidential, 0);
	assert_string_equal(f.public_ips, "198.51.100.7");
	assert_null(f.reporter_org);
	assert_null(f.os);
	form03_fields_free(&f);
}

static void
test_english_and_nothing_invented(void **state)
{
	static const char text[] =
	    "Organization: Provincial Hospital\n"
	    "Contact person: Le Van C\n"
	    "Phone: +84 912 000 111\n"
	    "System name: HIS\n"
	    "Detected at: 05/01/26 7h\n"
	    "Source IP of the attack: 192.0.2.66\n"	/* not the system's public IP */
	    "Domain: his.benhvien.vn\n"
	    "Confidential: maybe\n";
	static const char plain[] = "Chào anh,\nHệ thống bị tấn công lúc 10:30.\nCảm ơn.";
	struct form03_fields f;

	form03_fields_init(&f);
	assert_int_equal(form03_extract(text, sizeof(text) - 1, &f), CSIRT_OK);
	assert_string_equal(f.reporter_org, "Provincial Hospital");
	assert_string_equal(f.contact_name, "Le Van C");
	assert_string_equal(f.contact_phone, "+84 912 000 111");
	assert_string_equal(f.system_name, "HIS");
	/* 05/01/2026 07:00 Vietnam time = 2026-01-05T00:00Z */
	assert_int_equal(f.detected_at, 1767571200);
	assert_null(f.public_ips);
	assert_string_equal(f.domains, "his.benhvien.vn");
	assert_int_equal(f.confidential, -1);
	form03_fields_free(&f);

	assert_int_equal(form03_extract(plain, sizeof(plain) - 1, &f), CSIRT_OK);
	assert_null(f.reporter_org);
	assert_null(f.description);
	assert_null(f.detected_at_text);
	assert_int_equal(f.detected_at, 0);
	form03_fields_free(&f);
}

/* Form 03 item 5 as printed: the date and the time on two lines. */
static void
test_date_and_time_lines(void **state)
{
	static const char text[] =
	    "5. Ngày phát hiện (*) (dd/mm/yy): 20/11/26\n"
	    "   Giờ phát hiện (*): 10h30\n";
	struct form03_fields f;

	form03_fields_init(&f);
	assert_int_equal(form03_extract(text, sizeof(text) - 1, &f), CSIRT_OK);
	assert_string_equal(f.detected_at_text, "20/11/26 10h30");
	assert_int_equal(f.detected_at, 1795145400);
	form03_fields_free(&f);
}

static void
test_hostile(void **state)
{
	/* invalid UTF-8, a NUL, a label with no end, no final newline */
	static const char text[] = "Tên hệ thống: \xC0\xAF\n\0Tên miền:\nMô tả: a\xFF";
	struct form03_fields f;

	form03_fields_init(&f);
	assert_int_equal(form03_extract(text, sizeof(text) - 1, &f), CSIRT_OK);
	assert_null(f.system_name);
	assert_null(f.domains);
	assert_null(f.description);
	form03_fields_free(&f);
	assert_int_equal(form03_extract("", 0, &f), CSIRT_OK);
	form03_fields_free(&f);
}

static void
test_time(void **state)
{
	int64_t t;

	assert_int_equal(form03_parse_time("20/11/2026", 10, &t), CSIRT_OK);
	assert_int_equal(t, 1795107600);	/* midnight in Vietnam */
	assert_int_equal(form03_parse_time("20/11/2026 10:30", 16, &t), CSIRT_OK);
	assert_int_equal(t, 1795145400);
	assert_int_equal(form03_parse_time("10h30 ngày 20-11-2026", strlen("10h30 ngày 20-11-2026"),
	    &t), CSIRT_OK);
	assert_int_equal(t, 1795145400);
	assert_int_equal(form03_parse_time("2026-11-20T03:30:00Z", 20, &t), CSIRT_OK);
	assert_int_equal(t, 1795145400);
	assert_int_equal(form03_parse_time("trong 24h, 20.11.26", 19, &t), CSIRT_OK);
	assert_int_equal(t, 1795107600);
	assert_int_equal(form03_parse_time("31/02/2026", 10, &t), CSIRT_EINVAL);
	assert_int_equal(form03_parse_time("hôm qua", strlen("hôm qua"), &t), CSIRT_EINVAL);
	assert_int_equal(form03_parse_time("10:30", 5, &t), CSIRT_EINVAL);
	assert_int_equal(form03_parse_time("1/2/345", 7, &t), CSIRT_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vietnamese_form),
		cmocka_unit_test(test_no_diacritics),
		cmocka_unit_test(test_english_and_nothing_invented),
		cmocka_unit_test(test_date_and_time_lines),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
