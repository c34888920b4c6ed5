/*
 * cmd_demo.c - `csirt demo --data DIR`: fills an empty installation with a
 * realistic sample province, so that a newcomer sees the product working:
 * the Department and the People's Committee, departments and districts
 * with their units, about twenty information systems at levels 1 to 4,
 * the response team, about thirty incidents spread over the procedure
 * steps and the taxonomy (with observables, tasks, evidence and comments)
 * and open alerts. Everything goes through the services, so the audit log
 * and the deadlines are the real ones.
 */
#include "csirt/common.h"
#include "csirt/accounts.h"
#include "csirt/alerts.h"
#include "csirt/budget.h"
#include "csirt/calendar.h"
#include "csirt/entities.h"
#include "csirt/incidents.h"
#include "csirt/plans.h"
#include "csirt/registry.h"
#include "csirt/store.h"
#include "cli/commands.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEMO_PASSWORD "demo-password-2026"

struct demo_org {
	const char *name, *short_name, *type;
	int parent;	/* index into the table, -1 for the root */
	const char *hotline, *email;
};

/* A fictional province, "tỉnh Hòa Bình Xanh": names are typical of a
 * Vietnamese province, none is a real body's record. */
static const struct demo_org orgs[] = {
	{ "UBND tỉnh Hòa Bình Xanh", "UBND tỉnh", "province", -1, "", "" },
	{ "Sở Thông tin và Truyền thông", "Sở TT&TT", "department", 0, "1022", "ucsc@stttt.hbx.gov.vn" },
	{ "Trung tâm Giám sát, điều hành đô thị thông minh", "IOC", "unit", 1, "0262 3 812 345", "ioc@hbx.gov.vn" },
	{ "Văn phòng UBND tỉnh", "VP UBND", "department", 0, "0262 3 852 111", "vp@hbx.gov.vn" },
	{ "Sở Y tế", "Sở Y tế", "department", 0, "0262 3 852 222", "syt@hbx.gov.vn" },
	{ "Bệnh viện Đa khoa tỉnh", "BVĐK", "unit", 4, "0262 3 852 223", "bvdk@hbx.gov.vn" },
	{ "Sở Tài chính", "Sở Tài chính", "department", 0, "0262 3 852 333", "stc@hbx.gov.vn" },
	{ "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "department", 0, "0262 3 852 444", "sgddt@hbx.gov.vn" },
	{ "Sở Tài nguyên và Môi trường", "Sở TN&MT", "department", 0, "0262 3 852 555", "stnmt@hbx.gov.vn" },
	{ "Công an tỉnh", "CA tỉnh", "police", 0, "0262 3 852 666", "ca@hbx.gov.vn" },
	{ "UBND thành phố Xanh", "UBND TP", "district", 0, "0262 3 853 100", "tp@hbx.gov.vn" },
	{ "UBND phường Đông Hòa", "P. Đông Hòa", "commune", 10, "", "" },
	{ "UBND huyện Krông Núi", "UBND huyện KN", "district", 0, "0262 3 853 200", "kn@hbx.gov.vn" },
	{ "UBND xã Ea Đăk", "Xã Ea Đăk", "commune", 12, "", "" },
	{ "UBND huyện Đồi Chè", "UBND huyện ĐC", "district", 0, "0262 3 853 300", "dc@hbx.gov.vn" },
};

struct demo_system {
	const char *name;
	int owner, operator_;
	int level;
	const char *type, *ip, *domain, *os;
};

static const struct demo_system systems[] = {
	{ "Cổng thông tin điện tử tỉnh", 0, 1, 3, "citizen_service", "203.0.113.10", "hbx.gov.vn", "Ubuntu 22.04" },
	{ "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh", 0, 1, 3, "citizen_service", "203.0.113.11", "dichvucong.hbx.gov.vn", "Red Hat Enterprise Linux 8" },
	{ "Hệ thống quản lý văn bản và điều hành", 0, 1, 3, "internal", "203.0.113.12", "qlvb.hbx.gov.vn", "Windows Server 2019" },
	{ "Trung tâm dữ liệu tỉnh", 0, 1, 4, "infrastructure", "203.0.113.1", "", "VMware ESXi 7" },
	{ "Mạng truyền số liệu chuyên dùng cấp tỉnh", 0, 1, 3, "infrastructure", "", "", "" },
	{ "Hệ thống thư điện tử công vụ", 0, 1, 2, "internal", "203.0.113.14", "mail.hbx.gov.vn", "Zimbra 9" },
	{ "Hệ thống giám sát an toàn thông tin (SOC)", 1, 2, 3, "infrastructure", "203.0.113.20", "", "Debian 12" },
	{ "Hệ thống hội nghị truyền hình trực tuyến", 3, 3, 2, "internal", "203.0.113.21", "", "" },
	{ "Phần mềm quản lý bệnh viện (HIS)", 4, 5, 3, "citizen_service", "203.0.113.30", "his.bvdk.hbx.gov.vn", "Windows Server 2016" },
	{ "Cổng thông tin Sở Y tế", 4, 4, 2, "citizen_service", "203.0.113.31", "syt.hbx.gov.vn", "CentOS 7" },
	{ "Hệ thống quản lý ngân sách", 6, 6, 3, "internal", "203.0.113.40", "", "Windows Server 2019" },
	{ "Cổng thông tin Sở Tài chính", 6, 6, 1, "citizen_service", "203.0.113.41", "stc.hbx.gov.vn", "Ubuntu 20.04" },
	{ "Cơ sở dữ liệu ngành giáo dục", 7, 7, 3, "infrastructure", "203.0.113.50", "csdl.sgddt.hbx.gov.vn", "Oracle Linux 8" },
	{ "Cổng thông tin Sở GD&ĐT", 7, 7, 1, "citizen_service", "203.0.113.51", "sgddt.hbx.gov.vn", "Ubuntu 22.04" },
	{ "Cơ sở dữ liệu đất đai", 8, 8, 3, "infrastructure", "203.0.113.60", "", "Windows Server 2019" },
	{ "Cổng thông tin UBND thành phố", 10, 10, 1, "citizen_service", "203.0.113.70", "tp.hbx.gov.vn", "Ubuntu 20.04" },
	{ "Một cửa điện tử thành phố", 10, 10, 2, "citizen_service", "203.0.113.71", "motcua.tp.hbx.gov.vn", "Windows Server 2016" },
	{ "Cổng thông tin huyện Krông Núi", 12, 12, 1, "citizen_service", "203.0.113.80", "kn.hbx.gov.vn", "Ubuntu 18.04" },
	{ "Mạng nội bộ UBND huyện Đồi Chè", 14, 14, 1, "internal", "", "", "" },
	{ "Hệ thống camera giám sát giao thông", 0, 2, 2, "industrial_control", "203.0.113.90", "", "" },
};

struct demo_incident {
	const char *title, *taxonomy, *final_step;
	int system;		/* index, -1 none */
	int days_ago;
	const char *obs_type, *obs_value;
	int serious;		/* classify with impacts */
};

static const struct demo_incident incidents[] = {
	{ "Tấn công thay đổi giao diện Cổng thông tin điện tử tỉnh", "1.5", "closed", 0, 140, "ip", "198.51.100.23", 0 },
	{ "Mã độc mã hóa dữ liệu trên máy chủ quản lý văn bản", "1.6", "3c", 2, 3, "sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 1 },
	{ "Thư điện tử giả mạo lãnh đạo tỉnh yêu cầu chuyển tiền", "1.2", "2", 5, 1, "email", "lanhdao.tinh@hbx-gov.vn.example", 0 },
	{ "Tấn công từ chối dịch vụ vào cổng dịch vụ công", "1.1", "3b", 1, 2, "ip", "192.0.2.150", 0 },
	{ "Truy cập trái phép tài khoản quản trị HIS bệnh viện", "1.4", "1e", 8, 0, "ip", "198.51.100.77", 0 },
	{ "Mã độc đánh cắp thông tin trên máy trạm Sở Tài chính", "1.3", "3a", 10, 4, "domain", "update-check.example.net", 0 },
	{ "Rò rỉ dữ liệu học sinh từ cơ sở dữ liệu ngành giáo dục", "1.8", "1c", 12, 6, "url", "http://paste.example.org/raw/abc123", 0 },
	{ "Mất điện kéo dài tại Trung tâm dữ liệu tỉnh", "2.1", "closed", 3, 200, NULL, NULL, 0 },
	{ "Đứt cáp quang kết nối Internet của Trung tâm dữ liệu", "2.2", "closed", 3, 95, NULL, NULL, 0 },
	{ "Lỗi phần mềm một cửa điện tử sau khi nâng cấp", "2.3", "4", 16, 12, NULL, NULL, 0 },
	{ "Quá tải cổng thông tin trong kỳ tuyển sinh", "2.4", "closed", 13, 120, NULL, NULL, 0 },
	{ "Cấu hình sai tường lửa làm gián đoạn mạng chuyên dùng", "3.2", "3c", 4, 9, NULL, NULL, 0 },
	{ "Quản trị viên xóa nhầm cơ sở dữ liệu đất đai", "3.5", "3b", 14, 7, NULL, NULL, 0 },
	{ "Ngập lụt phòng máy chủ UBND huyện Đồi Chè", "4", "1b", 18, 2, NULL, NULL, 0 },
	{ "Tấn công dò quét mật khẩu vào hệ thống thư điện tử", "1.4", "1a", 5, 0, "ip", "203.0.113.200", 0 },
	{ "Chèn mã độc quảng cáo cờ bạc vào cổng thông tin huyện", "1.5", "1dd", 17, 5, "domain", "casino-vn.example.com", 0 },
	{ "Mã độc tống tiền trên máy chủ camera giao thông", "1.6", "2", 19, 1, "sha256", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", 0 },
	{ "Tấn công tổng hợp vào Trung tâm dữ liệu tỉnh", "1.9", "1d", 3, 1, "ip", "192.0.2.66", 1 },
	{ "Lỗi cập nhật phần cứng lưu trữ SAN", "3.1", "closed", 3, 60, NULL, NULL, 0 },
	{ "Phần mềm gián điệp trên máy tính lãnh đạo Sở", "1.8", "3a", 6, 8, "domain", "cdn-telemetry.example.org", 0 },
	{ "Giả mạo trang dịch vụ công để thu thập thông tin người dân", "1.2", "1c", 1, 3, "url", "https://dichvucong-hbx.example.com/login", 0 },
	{ "Tấn công SQL injection vào Cổng thông tin Sở Y tế", "1.4", "4", 9, 20, "ip", "198.51.100.91", 0 },
	{ "Lỗi đồng bộ dữ liệu ngân sách", "2.3", "closed", 10, 170, NULL, NULL, 0 },
	{ "Dừng dịch vụ bắt buộc để bảo trì khẩn cấp hệ thống thư", "3.4", "closed", 5, 80, NULL, NULL, 0 },
	{ "Mã độc lây qua USB tại UBND xã", "1.3", "2", -1, 2, "sha256", "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9", 0 },
	{ "Vi phạm quy trình cấp quyền tài khoản quản trị", "3.3", "1e", 2, 10, NULL, NULL, 0 },
	{ "Tấn công phá hoại dữ liệu trên hệ thống hội nghị truyền hình", "1.7", "3b", 7, 6, "ip", "192.0.2.201", 0 },
	{ "Hỏa hoạn nhỏ tại phòng thiết bị mạng Sở GD&ĐT", "4", "closed", 13, 45, NULL, NULL, 0 },
	{ "Sự cố khác do lỗi hạ tầng kỹ thuật của nhà cung cấp", "2.5", "1b", 15, 1, NULL, NULL, 0 },
	{ "Khai thác lỗ hổng trên máy chủ web Sở TN&MT", "1.10", "1a", 14, 0, "ip", "198.51.100.140", 0 },
};

static const char *const step_order[] = { "1a", "1b", "1c", "1d", "1dd", "1e", "2", "3a", "3b",
	"3c", "4", "closed" };

static int
fail(const char *what, const struct csirt_err *err)
{
	fprintf(stderr, "csirt demo: %s: %s\n", what, err && err->msg[0] ? err->msg : "failed");
	return 1;
}

static int
move_to(struct store *st, const struct actor *who, int64_t id, const char *target, int with_loop)
{
	struct csirt_err err;
	char reason[200];
	int looped = 0;

	for (size_t i = 1; i < ARRAY_SIZE(step_order); i++) {
		const char *to = step_order[i];

		if (strcmp(to, "1d") == 0)
			continue;	/* direction by the steering committee only if needed */
		if (strcmp(to, "closed") == 0) {
			json_t *c = json_pack("{s:{s:s,s:s,s:s}}", "closure", "summary",
			    "Đã xử lý dứt điểm, hệ thống hoạt động bình thường", "proposals",
			    "Rà soát cấu hình và cập nhật bản vá định kỳ", "initial_report_ref", "BC-01/UCSC");
			json_object_set_new(c, "lessons_learned",
			    json_string("Cần sao lưu định kỳ và diễn tập phương án ứng cứu"));
			if (incident_update(st, who, id, c, &err) != CSIRT_OK) {
				json_decref(c);
				return fail("closure data", &err);
			}
			json_decref(c);
		}
		snprintf(reason, sizeof(reason), "Hoàn thành bước trước, chuyển sang bước %s", to);
		csirt_err_clear(&err);
		if (incident_transition(st, who, id, to, reason, -1, &err) != CSIRT_OK)
			return fail("transition", &err);
		if (with_loop && !looped && strcmp(to, "3c") == 0 && strcmp(target, "3c") != 0) {
			/* the test of 3c found the system unstable once */
			if (incident_transition(st, who, id, "2", "Kiểm tra cho thấy hệ thống chưa ổn định",
			    0, &err) != CSIRT_OK)
				return fail("loop", &err);
			looped = 1;
			i = 6;	/* continue from 2 */
			continue;
		}
		if (strcmp(to, target) == 0)
			break;
	}
	return 0;
}

static int
add_evidence(struct store *st, const struct actor *who, const char *dir, int64_t id, const char *text)
{
	char tmp[1200], evdir[1100], hex[65];
	unsigned char digest[32];
	struct csirt_err err;
	int64_t eid;
	FILE *f;

	snprintf(evdir, sizeof(evdir), "%s/evidence", dir);
	mkdir(evdir, 0750);
	snprintf(tmp, sizeof(tmp), "%s/evidence/demo-%lld.tmp", dir, (long long)id);
	f = fopen(tmp, "wb");
	if (f == NULL)
		return 1;
	fputs(text, f);
	fclose(f);
	crypto_hash_sha256(digest, (const unsigned char *)text, strlen(text));
	hex_encode(digest, sizeof(digest), hex);
	if (incident_add_evidence(st, who, id, dir, tmp, hex, (int64_t)strlen(text), "nhat-ky-may-chu.log",
	    "text/plain", "Trích xuất nhật ký máy chủ", &eid, &err) != CSIRT_OK)
		return fail("evidence", &err);
	return 0;
}

/* Issue 6 sample: the hospital system's approved response plan with two
 * scenarios, a live-fire drill held, two suppliers and two budget lines. */
static int
demo_plans(struct store *st, const struct actor *who, int64_t sys, int64_t org_a, int64_t org_b)
{
	struct csirt_err err;
	char today[16], ago[16], soon[16], later[16];
	int64_t plan = 0, id = 0, now = calendar_day_of(time_now());
	int y, m, d, rc = 0;
	json_t *rec;

	calendar_ymd(now, &y, &m, &d);
	snprintf(today, sizeof(today), "%04d-%02d-%02d", y, m, d);
	calendar_ymd(now - 40, &y, &m, &d);
	snprintf(ago, sizeof(ago), "%04d-%02d-%02d", y, m, d);
	calendar_ymd(now + 20, &y, &m, &d);
	snprintf(soon, sizeof(soon), "%04d-%02d-%02d", y, m, d);
	calendar_ymd(now + 400, &y, &m, &d);
	snprintf(later, sizeof(later), "%04d-%02d-%02d", y, m, d);
	csirt_err_clear(&err);
	rec = json_pack("{s:s,s:[{s:s,s:s,s:[s,s,s],s:s,s:s,s:I},{s:s,s:s,s:[s,s],s:s,s:s,s:I}],"
	    "s:s,s:I}", "title", "Phương án ứng cứu sự cố Phần mềm quản lý bệnh viện (HIS)",
	    "scenarios", "taxonomy_code", "1.3", "title", "Mã độc mã hóa dữ liệu bệnh án",
	    "priority_steps", "Cô lập máy chủ HIS khỏi mạng", "Báo cáo Đội ứng cứu sự cố tỉnh",
	    "Khôi phục từ bản sao lưu ngoại tuyến", "keep_running_conditions",
	    "Tiếp nhận bệnh nhân bằng phiếu giấy; dữ liệu sạch mới được kết nối lại", "resources",
	    "Đội ứng cứu tỉnh, nhà phát triển phần mềm", "estimated_budget", (json_int_t)80000000,
	    "taxonomy_code", "2.1", "title", "Mất điện kéo dài tại phòng máy", "priority_steps",
	    "Chuyển sang máy phát điện", "Tắt có kiểm soát các máy chủ không thiết yếu",
	    "keep_running_conditions", "Máy phát đủ nhiên liệu cho 8 giờ", "resources",
	    "Tổ kỹ thuật bệnh viện", "estimated_budget", (json_int_t)20000000,
	    "resources", "Máy chủ dự phòng tại Trung tâm dữ liệu tỉnh", "estimated_budget",
	    (json_int_t)100000000);
	if (plan_create(st, who, sys, rec, &plan, &err) != CSIRT_OK)
		rc = -1;
	json_decref(rec);
	rec = json_pack("{s:s,s:s}", "approved_on", ago, "note", "Quyết định phê duyệt của Sở Y tế");
	if (rc == 0 && plan_approve(st, who, plan, rec, &err) != CSIRT_OK)
		rc = -1;
	json_decref(rec);
	rec = json_pack("{s:s,s:s,s:I,s:s,s:s,s:[s,s]}", "title",
	    "Diễn tập thực chiến: mã độc mã hóa dữ liệu HIS", "kind", "live_fire", "plan_id",
	    (json_int_t)plan, "scenario_code", "1.3", "planned_on", ago, "participants",
	    "Đội ứng cứu sự cố tỉnh", "Phòng CNTT Bệnh viện đa khoa tỉnh");
	if (rc == 0 && drill_create(st, who, sys, rec, &id, &err) != CSIRT_OK)
		rc = -1;
	json_decref(rec);
	rec = json_pack("{s:s,s:[{s:s,s:s,s:s}],s:s}", "held_on", today, "findings", "text",
	    "Bản sao lưu chưa được thử khôi phục định kỳ", "severity", "high", "status", "open",
	    "lessons_learned", "Cần thử khôi phục bản sao lưu mỗi quý");
	if (rc == 0 && drill_complete(st, who, id, rec, &err) != CSIRT_OK)
		rc = -1;
	json_decref(rec);
	rec = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "name", "Công ty phần mềm Y tế Việt",
	    "role", "developer", "contract_no", "12/2025/HĐ-BV", "contract_end", soon,
	    "contact_phone", "0262 3 811 111", "operates", "Mã nguồn và máy chủ ứng dụng HIS");
	if (rc == 0 && supplier_create(st, who, sys, rec, &id, &err) != CSIRT_OK)
		rc = -1;
	json_decref(rec);
	rec = json_pack("{s:s,s:s,s:s,s:s}", "name", "Viettel", "role", "telecom", "contract_end",
	    later, "operates", "Đường truyền Internet và kênh thuê riêng");
	if (rc == 0 && supplier_create(st, who, sys, rec, &id, &err) != CSIRT_OK)
		rc = -1;
	json_decref(rec);
	rec = json_pack("{s:I,s:I,s:s,s:i,s:I,s:I}", "org_id", (json_int_t)org_a, "system_id",
	    (json_int_t)sys, "name", "Dự án nâng cấp HIS", "year", y - 1, "total_amount",
	    (json_int_t)2000000000, "security_amount", (json_int_t)240000000);
	if (rc == 0 && budget_create(st, who, rec, &id, &err) != CSIRT_OK)
		rc = -1;
	json_decref(rec);
	rec = json_pack("{s:I,s:s,s:i,s:I,s:I}", "org_id", (json_int_t)org_b, "name",
	    "Kế hoạch ứng dụng CNTT năm sau", "year", y, "total_amount", (json_int_t)5000000000,
	    "security_amount", (json_int_t)800000000);
	if (rc == 0 && budget_create(st, who, rec, &id, &err) != CSIRT_OK)
		rc = -1;
	json_decref(rec);
	if (rc != 0)
		fail("plans, drills, suppliers, budget", &err);
	return rc;
}

int
cmd_demo(int argc, char **argv)
{
	const char *dir = "./var";
	struct store *st = NULL;
	struct csirt_err err;
	struct actor admin = { 0 }, coord = { 0 };
	int64_t org_ids[ARRAY_SIZE(orgs)], sys_ids[ARRAY_SIZE(systems)], id, uid, merged;
	char generated[80], code[TRACKING_CODE_MAX], iso[32];
	json_t *rows = NULL, *rec;
	int created, rc = 1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else {
			fprintf(stderr, "usage: csirt demo [--data DIR]\n");
			return 2;
		}
	}
	csirt_err_clear(&err);
	if (store_open(dir, &st, &err) != CSIRT_OK)
		return fail("open", &err);
	if (store_query_json(st, "SELECT (SELECT count(*) FROM orgs) + (SELECT count(*) FROM incidents)"
	    " AS n", NULL, &rows) != CSIRT_OK)
		goto out;
	if (json_integer_value(json_object_get(json_array_get(rows, 0), "n")) > 0) {
		fprintf(stderr, "csirt demo: %s already holds data; use an empty --data folder\n", dir);
		json_decref(rows);
		goto out;
	}
	json_decref(rows);
	if (accounts_bootstrap(st, generated, sizeof(generated), &created, &err) != CSIRT_OK ||
	    accounts_actor(st, 1, &admin) != CSIRT_OK) {
		fail("administrator", &err);
		goto out;
	}
	for (size_t i = 0; i < ARRAY_SIZE(orgs); i++) {
		rec = json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", orgs[i].name, "short_name",
		    orgs[i].short_name, "type", orgs[i].type, "contact_hotline", orgs[i].hotline,
		    "contact_email", orgs[i].email);
		if (orgs[i].parent >= 0)
			json_object_set_new(rec, "parent_id", json_integer(org_ids[orgs[i].parent]));
		if (orgs[i].email[0])
			json_object_set_new(rec, "contact_published_on", json_string("2022-11-25"));
		if (registry_create(st, &admin, &entity_org, rec, &org_ids[i], &err) != CSIRT_OK) {
			json_decref(rec);
			fail("organisation", &err);
			goto out;
		}
		json_decref(rec);
	}
	/* People: the Department's coordinator, four responders, officers. */
	static const struct {
		const char *username, *name, *role;
		int org;
	} people[] = {
		{ "dieuphoi", "Nguyễn Thị Lan", "coordinator", 1 },
		{ "ucsc.an", "Trần Văn An", "responder", 2 },
		{ "ucsc.binh", "Lê Thị Bình", "responder", 2 },
		{ "ucsc.cuong", "Phạm Quốc Cường", "responder", 1 },
		{ "ucsc.dung", "Hoàng Minh Dũng", "responder", 9 },
		{ "syt.it", "Võ Thị Hạnh", "unit_officer", 4 },
		{ "stc.it", "Đặng Văn Khoa", "unit_officer", 6 },
		{ "tp.it", "Bùi Thị Mai", "unit_officer", 10 },
		{ "thanhtra", "Đỗ Văn Nam", "auditor", 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(people); i++) {
		rec = json_pack("{s:s,s:s,s:s,s:I}", "username", people[i].username, "full_name",
		    people[i].name, "role", people[i].role, "org_id", (json_int_t)org_ids[people[i].org]);
		if (accounts_create_user(st, &admin, rec, DEMO_PASSWORD, &uid, &err) != CSIRT_OK) {
			json_decref(rec);
			fail("user", &err);
			goto out;
		}
		json_decref(rec);
		if (strcmp(people[i].role, "responder") == 0) {
			rec = json_pack("{s:I,s:I,s:s,s:s,s:[s,s]}", "user_id", (json_int_t)uid, "org_id",
			    (json_int_t)org_ids[people[i].org], "full_name", people[i].name, "role_in_team",
			    i == 1 ? "Tổ trưởng kỹ thuật" : "Thành viên", "expertise", "network_system",
			    i % 2 ? "malware_analysis" : "forensics_pentest");
			registry_create(st, &admin, &entity_team_member, rec, &id, &err);
			json_decref(rec);
		}
		if (i == 0)
			accounts_actor(st, uid, &coord);
	}
	rec = json_pack("{s:s,s:s,s:s,s:I}", "name", "Đội ứng cứu sự cố an toàn thông tin mạng tỉnh Hòa Bình Xanh",
	    "decision_no", "851/QĐ-UBND", "decision_date", "2019-04-16", "secretariat_org_id",
	    (json_int_t)org_ids[2]);
	registry_team_update(st, &admin, rec, &err);
	json_decref(rec);
	for (size_t i = 0; i < ARRAY_SIZE(systems); i++) {
		const struct demo_system *s = &systems[i];

		rec = json_pack("{s:s,s:I,s:I,s:i,s:s,s:s}", "name", s->name, "owner_org_id",
		    (json_int_t)org_ids[s->owner], "operator_org_id", (json_int_t)org_ids[s->operator_],
		    "level", s->level, "system_type", s->type, "os", s->os);
		if (s->ip[0])
			json_object_set_new(rec, "public_ips", json_pack("[s]", s->ip));
		if (s->domain[0])
			json_object_set_new(rec, "domains", json_pack("[s]", s->domain));
		if (registry_create(st, &admin, &entity_system, rec, &sys_ids[i], &err) != CSIRT_OK) {
			json_decref(rec);
			fail("system", &err);
			goto out;
		}
		json_decref(rec);
	}
	for (size_t i = 0; i < ARRAY_SIZE(incidents); i++) {
		const struct demo_incident *d = &incidents[i];
		int64_t org = d->system >= 0 ? org_ids[systems[d->system].operator_] : org_ids[13];

		time_format_iso(time_now() - (int64_t)d->days_ago * 86400 - 3600 * (int64_t)(i % 7) - 600,
		    iso);
		rec = json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:[s],s:[s]}", "title", d->title,
		    "detected_at", iso, "taxonomy_code", d->taxonomy, "org_id", (json_int_t)org,
		    "description", "Đơn vị vận hành phát hiện dấu hiệu bất thường và báo cáo Đội ứng cứu sự cố.",
		    "contact_name", "Cán bộ phụ trách CNTT", "contact_phone", "0262 3 800 000",
		    "reporter_org", orgs[d->system >= 0 ? systems[d->system].operator_ : 13].name,
		    "detection_methods", "log_review", "notified", "coordinator");
		if (d->system >= 0) {
			json_object_set_new(rec, "systems", json_pack("[I]", (json_int_t)sys_ids[d->system]));
			json_object_set_new(rec, "system_name", json_string(systems[d->system].name));
			json_object_set_new(rec, "system_level", json_integer(systems[d->system].level));
		}
		if (d->obs_type)
			json_object_set_new(rec, "observables", json_pack("[{s:s,s:s}]", "type", d->obs_type,
			    "value", d->obs_value));
		if (incident_create(st, &coord, rec, "api", &id, code, &err) != CSIRT_OK) {
			json_decref(rec);
			fail("incident", &err);
			goto out;
		}
		json_decref(rec);
		if (d->serious) {
			rec = json_pack("{s:[s,s],s:b}", "impacts", "service_disruption", "loss_of_control",
			    "owner_cannot_handle", 1);
			incident_classify(st, &coord, id, rec, &err);
			json_decref(rec);
		}
		if (strcmp(d->final_step, "1a") != 0 && strcmp(d->final_step, "1b") != 0) {
			rec = json_pack("{s:s,s:I}", "title", "Thu thập và phân tích nhật ký hệ thống",
			    "assignee_id", (json_int_t)(3 + i % 4));
			incident_add_task(st, &coord, id, rec, &uid, &err);
			json_decref(rec);
			rec = json_pack("{s:s}", "body", "Đã liên hệ đơn vị vận hành, đang cô lập máy chủ bị ảnh hưởng.");
			incident_add_comment(st, &coord, id, rec, &uid, &err);
			json_decref(rec);
		}
		if (i % 3 == 0 && add_evidence(st, &coord, dir, id,
		    "2026-11-20T08:12:01+07:00 sshd[812]: Failed password for root from 198.51.100.77\n") != 0)
			goto out;
		if (move_to(st, &coord, id, d->final_step, i % 5 == 0) != 0)
			goto out;
	}
	/* Open alerts from the hunting engine and the monitoring centre. */
	for (int i = 0; i < 6; i++) {
		static const char *const titles[] = { "Mimikatz được thực thi (Sigma)",
			"Kết nối tới máy chủ điều khiển đã biết (IOC)", "PowerShell tải mã từ Internet",
			"Đăng nhập thất bại hàng loạt", "Tệp khớp luật YARA ransomware",
			"Dò quét cổng từ địa chỉ nước ngoài" };
		rec = json_pack("{s:s,s:s,s:s,s:I,s:[{s:s,s:s}]}", "source", i % 2 ? "ioc" : "hunt",
		    "title", titles[i], "severity", i % 3 == 0 ? "high" : "medium", "system_id",
		    (json_int_t)sys_ids[i * 3 % ARRAY_SIZE(systems)], "observables", "type", "ip", "value",
		    i < 3 ? "198.51.100.77" : "192.0.2.150");
		alert_create(st, &admin, rec, &id, &merged, &err);
		json_decref(rec);
	}
	if (demo_plans(st, &admin, sys_ids[8], org_ids[systems[8].owner], org_ids[6]) != 0)
		goto out;
	printf("csirt demo: sample province written to %s: %zu organisations, %zu information systems,"
	    " %zu incidents, alerts, the response team\n", dir, ARRAY_SIZE(orgs), ARRAY_SIZE(systems),
	    ARRAY_SIZE(incidents));
	printf("  users (password %s): dieuphoi (coordinator), ucsc.an (responder),"
	    " syt.it (unit officer), thanhtra (auditor)\n", DEMO_PASSWORD);
	if (generated[0])
		printf("  admin one-time password: %s\n", generated);
	else if (created)
		printf("  admin password: the one in CSIRT_ADMIN_PASSWORD\n");
	rc = 0;
out:
	store_close(st);
	return rc;
}
