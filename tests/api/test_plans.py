"""Response plans, drills, suppliers and budget lines over the real API
(issue 6, /work contract in docs/api.md): plan versions and superseding,
approving and reviewing moving the response-plan obligation, scenarios
checked against the taxonomy, drills completed moving the drill obligation
(live-fire only), suppliers with the expiring filter, budget shares under
both regimes, tenant isolation, bad input without partial writes, and
warnings matched to open scan findings."""
import datetime
import unittest

from harness import Client, ServerTest

SCENARIO = {"taxonomy_code": "1.3", "title": "Mã độc tống tiền trên máy chủ",
            "priority_steps": ["Cô lập máy chủ", "Báo cáo Sở"],
            "keep_running_conditions": "Chuyển sang máy chủ dự phòng nếu dữ liệu sạch",
            "resources": "Đội ứng cứu tỉnh", "estimated_budget": 50000000}


def officer(cls, username, org):
    """A unit officer of 'org', signed in (for setUpClass)."""
    body = {"username": username, "role": "unit_officer", "password": "password-" + username, "org_id": org}
    uid = cls.admin.post("/api/users", body).json["id"]
    c = Client(cls.server)
    assert c.login(username, "password-" + username).status == 200
    return uid, c


def day(offset=0):
    return (datetime.date.today() + datetime.timedelta(days=offset)).isoformat()


class Plans(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.admin
        cls.province = a.post("/api/orgs", {"name": "UBND tỉnh", "type": "province"}).json["id"]
        cls.unit_a = a.post("/api/orgs", {"name": "Sở Y tế", "parent_id": cls.province}).json["id"]
        cls.unit_b = a.post("/api/orgs", {"name": "Sở Tài chính", "parent_id": cls.province}).json["id"]

        def system(name, owner, level=3):
            return a.post("/api/systems", {"name": name, "owner_org_id": owner, "operator_org_id": owner,
                                           "level": level}).json["id"]
        cls.sys_a = system("Hệ thống HIS", cls.unit_a)
        cls.sys_a2 = system("Cổng Sở Y tế", cls.unit_a)
        cls.sys_b = system("Quản lý ngân sách", cls.unit_b)
        _, cls.officer_a = officer(cls, "officer_a", cls.unit_a)
        _, cls.officer_b = officer(cls, "officer_b", cls.unit_b)

    def obligation(self, system, kind, date):
        items = self.ok(self.admin.get(f"/api/systems/{system}/obligations?kind={kind}&date={date}"))["items"]
        self.assertEqual(len(items), 1, items)
        return items[0]

    def new_plan(self, system=None, client=None, **extra):
        body = {"title": "Phương án ứng cứu HIS", "scenarios": [SCENARIO, dict(SCENARIO, taxonomy_code="2.1",
                                                                                 title="Mất điện")],
                "resources": "2 máy chủ dự phòng", "estimated_budget": 120000000, "notes": ""}
        body.update(extra)
        return self.ok((client or self.admin).post(f"/api/systems/{system or self.sys_a}/plans", body), 201)["id"]

    def test_plan_versions_approval_review_and_obligation(self):
        sysid = self.sys_a2
        before = self.obligation(sysid, "response_plan", day())
        self.assertEqual(before["status"], "overdue")
        v1 = self.new_plan(sysid)
        p = self.ok(self.admin.get(f"/api/plans/{v1}"))
        self.assertEqual((p["version"], p["status"], p["system_id"]), (1, "draft", sysid))
        self.assertEqual(p["scenarios"][0]["priority_steps"], SCENARIO["priority_steps"])
        self.assertEqual(p["scenarios"][1]["estimated_budget"], 50000000)
        self.ok(self.admin.patch(f"/api/plans/{v1}", {"notes": "bản nháp"}))
        approved_on = day(-60)
        p = self.ok(self.admin.post(f"/api/plans/{v1}/approve", {"approved_on": approved_on, "note": "QĐ 12"}))
        self.assertEqual((p["status"], p["approved_on"]), ("approved", approved_on))
        self.assertIsNotNone(p["approved_by"])
        self.assertIsNotNone(p["approved_at"])
        ob = self.obligation(sysid, "response_plan", day())
        self.assertEqual((ob["status"], ob["rests_on_date"]), ("done", approved_on))
        due_after_approval = ob["due_on"]
        self.assertIsNotNone(due_after_approval)
        # an approved plan is not edited: a new version is made
        r = self.admin.patch(f"/api/plans/{v1}", {"title": "sửa"})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json["error"]["code"], "conflict")
        self.assertEqual(self.admin.post(f"/api/plans/{v1}/approve", {"approved_on": day()}).status, 409)
        v2 = self.new_plan(sysid, title="Phương án 2")
        self.assertEqual(self.ok(self.admin.get(f"/api/plans/{v2}"))["version"], 2)
        self.assertEqual(self.admin.post(f"/api/plans/{v2}/review", {"reviewed_on": day()}).status, 409)
        self.ok(self.admin.post(f"/api/plans/{v2}/approve", {"approved_on": day(-30)}))
        self.assertEqual(self.ok(self.admin.get(f"/api/plans/{v1}"))["status"], "superseded")
        # a review by the unit officer in scope moves the due date again
        p = self.ok(self.officer_a.post(f"/api/plans/{v2}/review", {"reviewed_on": day(-1), "note": "rà soát"}))
        self.assertEqual(p["reviewed_on"], day(-1))
        ob = self.obligation(sysid, "response_plan", day())
        self.assertEqual((ob["status"], ob["rests_on_date"]), ("done", day(-1)))
        self.assertGreater(ob["due_on"], due_after_approval)
        acts = self.ok(self.admin.get(f"/api/systems/{sysid}/activities"))["items"]
        self.assertEqual(sum(1 for x in acts if x["kind"] == "response_plan"), 3)
        plans = self.ok(self.admin.get(f"/api/systems/{sysid}/plans"))
        self.assertEqual([x["version"] for x in plans["items"]], [2, 1])
        self.assertEqual(plans["total"], 2)
        # only the Department approves; dates in the future are refused
        v3 = self.new_plan(sysid, client=self.officer_a)
        self.assertEqual(self.officer_a.post(f"/api/plans/{v3}/approve", {"approved_on": day()}).status, 403)
        self.assertEqual(self.admin.post(f"/api/plans/{v3}/approve", {"approved_on": day(5)}).status, 400)
        self.assertEqual(self.admin.post(f"/api/plans/{v3}/approve", {"approved_on": "2026-02-30"}).status, 400)
        self.assertEqual(self.ok(self.admin.get(f"/api/plans/{v3}"))["status"], "draft")
        audit = self.ok(self.admin.get("/api/audit?per_page=200"))["items"]
        self.assertTrue(any(e.get("entity") == "response_plan" and e.get("action") == "approve" for e in audit))

    def test_scenarios_are_checked_without_partial_writes(self):
        path = f"/api/systems/{self.sys_a}/plans"
        count = self.ok(self.admin.get(path))["total"]
        bad = [
            [dict(SCENARIO, taxonomy_code="9.9")],
            [dict(SCENARIO, taxonomy_code=1)],
            [dict(SCENARIO, extra="x")],
            [dict(SCENARIO, priority_steps="not a list")],
            [dict(SCENARIO, priority_steps=["x" * 2001])],
            [dict(SCENARIO, estimated_budget=-1)],
            [dict(SCENARIO, estimated_budget="many")],
            [dict(SCENARIO, title="")],
            [SCENARIO] * 51,
            "not a list",
            ["not an object"],
        ]
        for scen in bad:
            r = self.admin.post(path, {"title": "x", "scenarios": scen})
            self.assertEqual(r.status, 400, (scen if len(str(scen)) < 200 else "big", r))
            self.assertEqual(r.json["error"]["field"], "scenarios")
        for body in ({"title": "x" * 301}, {"title": 5}, {"scenarios": []}, {"title": "x", "version": 7},
                     {"title": "x", "status": "approved"}, {"title": "x", "estimated_budget": 1.5},
                     {"title": "x", "notes": "n" * 20001}, {"title": "x", "unknown": 1}):
            self.assertEqual(self.admin.post(path, body).status, 400, body)
        self.assertEqual(self.admin.request("POST", path, raw=b"[1,2]",
                                            headers={"Content-Type": "application/json"}).status, 400)
        # oversize: over the scenarios' cap (256 KB) and over the body cap
        for steps, size in ((10, 1000), (30, 2000)):
            big = [dict(SCENARIO, priority_steps=["b" * size] * steps)] * 50
            self.assertIn(self.admin.post(path, {"title": "x", "scenarios": big}).status, (400, 413))
        self.assertEqual(self.ok(self.admin.get(path))["total"], count)
        # a group of the taxonomy is a valid scenario; a bad PATCH changes nothing
        pid = self.new_plan(scenarios=[dict(SCENARIO, taxonomy_code="1")])
        r = self.admin.patch(f"/api/plans/{pid}", {"title": "mới", "scenarios": [dict(SCENARIO, taxonomy_code="x")]})
        self.assertEqual(r.status, 400)
        p = self.ok(self.admin.get(f"/api/plans/{pid}"))
        self.assertEqual((p["title"], p["scenarios"][0]["taxonomy_code"]), ("Phương án ứng cứu HIS", "1"))

    def test_drills_complete_and_move_the_obligation(self):
        plan = self.new_plan(self.sys_a)
        other_plan = self.new_plan(self.sys_b)
        path = f"/api/systems/{self.sys_a}/drills"
        self.assertEqual(self.obligation(self.sys_a, "drill", day())["status"], "overdue")
        r = self.admin.post(path, {"title": "x", "kind": "live_fire", "plan_id": other_plan})
        self.assertEqual((r.status, r.json["error"]["field"]), (400, "plan_id"))
        self.assertEqual(self.admin.post(path, {"title": "x", "kind": "war_game"}).status, 400)
        self.assertEqual(self.admin.post(path, {"title": "x", "kind": "tabletop",
                                                "scenario_code": "7.7"}).status, 400)
        self.assertEqual(self.admin.post(path, {"title": "x", "kind": "tabletop",
                                                "planned_on": "tomorrow"}).status, 400)
        # a tabletop exercise does not satisfy the live-fire drill
        tt = self.ok(self.admin.post(path, {"title": "Diễn tập trên bàn", "kind": "tabletop",
                                            "planned_on": day(-20)}), 201)["id"]
        self.ok(self.admin.post(f"/api/drills/{tt}/complete", {"held_on": day(-20)}))
        self.assertEqual(self.obligation(self.sys_a, "drill", day())["status"], "overdue")
        did = self.ok(self.officer_a.post(path, {
            "title": "Diễn tập thực chiến mã độc", "kind": "live_fire", "plan_id": plan,
            "scenario_code": "1.3", "planned_on": day(-3), "participants": ["Đội ứng cứu", "Sở Y tế"]}), 201)["id"]
        d = self.ok(self.admin.get(f"/api/drills/{did}"))
        self.assertEqual((d["status"], d["plan_version"], d["plan_id"]), ("planned", 1, plan))
        bad = {"held_on": day(-2), "findings": [{"text": "x", "severity": "extreme"}]}
        self.assertEqual(self.admin.post(f"/api/drills/{did}/complete", bad).status, 400)
        self.assertEqual(self.admin.post(f"/api/drills/{did}/complete", {"held_on": day(3)}).status, 400)
        self.assertEqual(self.ok(self.admin.get(f"/api/drills/{did}"))["status"], "planned")
        findings = [{"text": "Sao lưu chưa kiểm tra khôi phục", "severity": "high", "status": "open"},
                    {"text": "Danh bạ đầu mối cũ", "severity": "low"}]
        d = self.ok(self.officer_a.post(f"/api/drills/{did}/complete", {
            "held_on": day(-2), "findings": findings, "lessons_learned": "Cần diễn tập khôi phục"}))
        self.assertEqual((d["status"], d["held_on"], d["lessons_learned"]), ("done", day(-2), "Cần diễn tập khôi phục"))
        self.assertEqual(d["findings"][1], {"text": "Danh bạ đầu mối cũ", "severity": "low", "status": "open"})
        ob = self.obligation(self.sys_a, "drill", day())
        self.assertEqual((ob["status"], ob["rests_on_date"]), ("done", day(-2)))
        acts = [x for x in self.ok(self.admin.get(f"/api/systems/{self.sys_a}/activities"))["items"]
                if x["kind"] == "drill"]
        self.assertEqual(len(acts), 2)
        self.assertIn("live_fire", acts[0]["summary"])
        self.assertIn("tabletop", acts[1]["summary"])
        self.assertEqual(self.admin.post(f"/api/drills/{did}/complete", {"held_on": day(-1)}).status, 409)
        self.assertEqual(self.admin.post(f"/api/drills/{did}/cancel", {"reason": "x"}).status, 409)
        self.ok(self.admin.patch(f"/api/drills/{did}", {"notes": "báo cáo gửi Sở"}))
        c = self.ok(self.admin.post(path, {"title": "Hủy", "kind": "live_fire"}), 201)["id"]
        self.assertEqual(self.admin.post(f"/api/drills/{c}/cancel", {}).status, 400)
        d = self.ok(self.admin.post(f"/api/drills/{c}/cancel", {"reason": "Trùng lịch"}))
        self.assertEqual((d["status"], d["cancel_reason"]), ("cancelled", "Trùng lịch"))
        self.assertEqual(self.admin.patch(f"/api/drills/{c}", {"title": "y"}).status, 409)
        drills = self.ok(self.admin.get(path))
        self.assertEqual(drills["total"], 3)

    def test_suppliers(self):
        path = f"/api/systems/{self.sys_a}/suppliers"
        s1 = self.ok(self.admin.post(path, {"name": "Công ty Viettel", "role": "hosting", "contract_no": "HĐ-01",
                                            "contract_start": "2025-01-01", "contract_end": day(10),
                                            "contact_name": "Anh Nam", "contact_phone": "0912",
                                            "operates": "Máy chủ, tường lửa"}), 201)["id"]
        s2 = self.ok(self.officer_a.post(path, {"name": "FPT IS", "role": "developer",
                                                "contract_end": day(100)}), 201)["id"]
        s3 = self.ok(self.admin.post(f"/api/systems/{self.sys_b}/suppliers", {"name": "VNPT", "role": "telecom",
                                                                              "contract_end": day(5)}), 201)["id"]
        for body in ({"name": "x", "role": "friend"}, {"name": "x", "contract_end": "2026-13-01"},
                     {"role": "other"}, {"name": ["x"]}, {"name": "x", "system_id": self.sys_b}):
            self.assertEqual(self.admin.post(path, body).status, 400, body)
        items = self.ok(self.admin.get(path))["items"]
        self.assertEqual({i["id"] for i in items}, {s1, s2})
        self.assertEqual(items[0]["system_name"], "Hệ thống HIS")
        soon = self.ok(self.admin.get("/api/suppliers?expiring_days=30"))["items"]
        self.assertEqual({i["id"] for i in soon}, {s1, s3})
        self.assertEqual({i["id"] for i in self.ok(self.admin.get(f"/api/suppliers?expiring_days=30&org_id={self.unit_a}"))["items"]}, {s1})
        self.assertEqual({i["id"] for i in self.ok(self.admin.get("/api/suppliers?q=FPT"))["items"]}, {s2})
        self.assertEqual({i["id"] for i in self.ok(self.officer_b.get("/api/suppliers"))["items"]}, {s3})
        self.assertEqual(self.admin.get("/api/suppliers?expiring_days=-1").status, 400)
        s = self.ok(self.admin.patch(f"/api/suppliers/{s2}", {"contract_end": day(20), "notes": "gia hạn"}))
        self.assertEqual(s["contract_end"], day(20))
        self.assertEqual(self.admin.patch(f"/api/suppliers/{s2}", {"contract_end": "soon"}).status, 400)
        self.ok(self.admin.request("DELETE", f"/api/suppliers/{s2}"))
        self.assertEqual(self.admin.get(f"/api/suppliers/{s2}").status, 404)
        self.assertEqual(self.admin.request("DELETE", f"/api/suppliers/{s2}").status, 404)

    def test_budget_share_under_both_regimes(self):
        body = {"org_id": self.unit_a, "system_id": self.sys_a, "name": "Dự án nâng cấp HIS", "year": 2026,
                "total_amount": 1000000000, "security_amount": 120000000}
        lid = self.ok(self.officer_a.post("/api/budget-lines", body), 201)["id"]
        line = self.ok(self.admin.get(f"/api/budget-lines/{lid}"))
        self.assertEqual(line["security_share"], 12.0)
        checks = {c["regime"]: c for c in line["checks"]}
        self.assertEqual((checks["vn-2017"]["required_percent"], checks["vn-2017"]["met"]), (10, True))
        self.assertEqual((checks["vn-2026"]["required_percent"], checks["vn-2026"]["met"]), (15, False))
        self.assertIn("14/CT-TTg", checks["vn-2017"]["source"])
        self.assertIn("Art 38", checks["vn-2026"]["source"])
        line = self.ok(self.admin.patch(f"/api/budget-lines/{lid}", {"security_amount": 150000000}))
        self.assertEqual([c["met"] for c in line["checks"]], [True, True])
        self.assertEqual(line["security_share"], 15.0)
        line = self.ok(self.admin.patch(f"/api/budget-lines/{lid}", {"security_amount": 1}))
        self.assertEqual(line["security_share"], 0.0)
        self.assertEqual([c["met"] for c in line["checks"]], [False, False])
        for change in ({"security_amount": 2000000000}, {"total_amount": 0}, {"total_amount": "1"},
                       {"year": 1999}, {"security_amount": -5}, {"org_id": 99999}):
            self.assertEqual(self.admin.patch(f"/api/budget-lines/{lid}", change).status, 400, change)
        self.assertEqual(self.ok(self.admin.get(f"/api/budget-lines/{lid}"))["security_amount"], 1)
        for bad in (dict(body, security_amount=body["total_amount"] + 1), dict(body, name=""),
                    dict(body, total_amount=10 ** 16), dict(body, year="2026")):
            self.assertEqual(self.admin.post("/api/budget-lines", bad).status, 400)
        other = self.ok(self.admin.post("/api/budget-lines", dict(body, org_id=self.unit_b, system_id=None,
                                                                  year=2025)), 201)["id"]
        self.assertEqual({x["id"] for x in self.ok(self.admin.get("/api/budget-lines?year=2026"))["items"]}, {lid})
        self.assertEqual({x["id"] for x in self.ok(self.admin.get(f"/api/budget-lines?org_id={self.unit_b}"))["items"]},
                         {other})
        self.assertEqual(self.ok(self.admin.get(f"/api/budget-lines?org_id={self.province}"))["total"], 2)
        # tenants
        self.assertEqual(self.officer_b.get(f"/api/budget-lines/{lid}").status, 404)
        self.assertEqual(self.officer_b.patch(f"/api/budget-lines/{lid}", {"name": "x"}).status, 404)
        self.assertEqual(self.officer_b.request("DELETE", f"/api/budget-lines/{lid}").status, 404)
        self.assertEqual(self.officer_b.post("/api/budget-lines", body).status, 400)
        self.assertEqual({x["id"] for x in self.ok(self.officer_b.get("/api/budget-lines"))["items"]}, {other})
        self.ok(self.admin.request("DELETE", f"/api/budget-lines/{other}"))
        self.assertEqual(self.admin.get(f"/api/budget-lines/{other}").status, 404)

    def test_tenant_isolation(self):
        plan = self.new_plan(self.sys_a)
        drill = self.ok(self.admin.post(f"/api/systems/{self.sys_a}/drills", {"title": "x", "kind": "tabletop"}),
                        201)["id"]
        sup = self.ok(self.admin.post(f"/api/systems/{self.sys_a}/suppliers", {"name": "x"}), 201)["id"]
        ob = self.officer_b
        for path in (f"/api/plans/{plan}", f"/api/drills/{drill}", f"/api/suppliers/{sup}",
                     f"/api/systems/{self.sys_a}/plans", f"/api/systems/{self.sys_a}/drills",
                     f"/api/systems/{self.sys_a}/suppliers"):
            self.assertEqual(ob.get(path).status, 404, path)
        self.assertEqual(ob.patch(f"/api/plans/{plan}", {"title": "x"}).status, 404)
        self.assertEqual(ob.post(f"/api/plans/{plan}/review", {"reviewed_on": day()}).status, 404)
        self.assertEqual(ob.patch(f"/api/drills/{drill}", {"title": "x"}).status, 404)
        self.assertEqual(ob.post(f"/api/drills/{drill}/complete", {"held_on": day()}).status, 404)
        self.assertEqual(ob.post(f"/api/drills/{drill}/cancel", {"reason": "x"}).status, 404)
        self.assertEqual(ob.patch(f"/api/suppliers/{sup}", {"name": "x"}).status, 404)
        self.assertEqual(ob.request("DELETE", f"/api/suppliers/{sup}").status, 404)
        for kind, body in (("plans", {"title": "x"}), ("drills", {"title": "x", "kind": "tabletop"}),
                           ("suppliers", {"name": "x"})):
            self.assertEqual(ob.post(f"/api/systems/{self.sys_a}/{kind}", body).status, 404, kind)
            self.assertEqual(self.officer_a.post(f"/api/systems/{self.sys_a}/{kind}", body).status, 201, kind)
        self.assertEqual(self.ok(self.admin.get(f"/api/drills/{drill}"))["status"], "planned")
        self.assertEqual(self.ok(self.admin.get(f"/api/suppliers/{sup}"))["name"], "x")
        self.assertEqual(self.officer_a.get(f"/api/plans/{plan}").status, 200)


class WarningsFromFindings(ServerTest):
    """A warning's CVE ids against open scan findings, both ways round."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.admin
        cls.org = a.post("/api/orgs", {"name": "Sở Xây dựng"}).json["id"]
        cls.sys = a.post("/api/systems", {"name": "Cổng xây dựng", "owner_org_id": cls.org,
                                          "operator_org_id": cls.org}).json["id"]
        cls.user, cls.officer = officer(cls, "officer_x", cls.org)

    def scan(self, when, cves):
        return self.ok(self.admin.post(f"/api/systems/{self.sys}/scans", {
            "performed_at": when, "findings": [{"cve": c, "component": "nginx", "port": 443} for c in cves]}), 201)

    def warn(self, cve):
        return self.ok(self.admin.post("/api/warnings", {
            "title": "Cảnh báo " + cve, "cves": [cve], "products": [{"name": "không-có-thành-phần-nào"}],
            "required_action": "Cập nhật", "due_on": "2026-12-31"}), 201)

    def test_matched_on_issue_and_after_a_later_scan(self):
        self.scan("2026-11-01T09:00", ["CVE-2099-7001"])
        w = self.warn("CVE-2099-7001")
        self.assertEqual(w["targets"], 1)
        t = self.ok(self.admin.get(f"/api/warnings/{w['id']}"))["targets"][0]
        self.assertEqual((t["system_id"], t["matched_by"], t["match"]), (self.sys, "finding", "yes"))
        self.assertRegex(t["match_reason"], r"^finding #\d+: CVE-2099-7001 in nginx, port 443$")
        # issued before any finding: no target; the scan that finds it adds one
        w2 = self.warn("CVE-2099-7002")
        self.assertEqual(w2["targets"], 0)
        self.scan("2026-11-02T09:00", ["CVE-2099-7001", "CVE-2099-7002"])
        t2 = self.ok(self.admin.get(f"/api/warnings/{w2['id']}"))["targets"]
        self.assertEqual([(x["system_id"], x["matched_by"]) for x in t2], [(self.sys, "finding")])
        self.assertEqual(len(self.ok(self.admin.get(f"/api/warnings/{w['id']}"))["targets"]), 1)  # not twice
        notes = self.ok(self.officer.get("/api/notifications"))["items"]
        self.assertEqual(sum(1 for n in notes if n["title"] == "Cảnh báo CVE-2099-7002"), 1)
        # a fixed finding no longer matches a new warning
        self.scan("2026-11-03T09:00", [])
        self.assertEqual(self.warn("CVE-2099-7001")["targets"], 0)


if __name__ == "__main__":
    unittest.main()


class DemoData(unittest.TestCase):
    """`csirt demo` gives the screens one plan with two scenarios, a done
    drill, two suppliers and two budget lines."""

    def test_demo_has_issue6_records(self):
        import os
        import shutil
        import subprocess
        import tempfile
        from harness import ADMIN_PASSWORD, CSIRT, Server
        d = tempfile.mkdtemp(prefix="csirt-demo-")
        try:
            out = subprocess.run([CSIRT, "demo", "--data", d], capture_output=True, timeout=300,
                                 env=dict(os.environ, CSIRT_ADMIN_PASSWORD=ADMIN_PASSWORD))
            self.assertEqual(out.returncode, 0, out.stderr)
            server = Server(data_dir=d).start()
            try:
                c = Client(server)
                self.assertEqual(c.login("admin", ADMIN_PASSWORD).status, 200)
                his = c.get("/api/systems?q=HIS").json["items"][0]["id"]
                plans = c.get(f"/api/systems/{his}/plans").json["items"]
                self.assertEqual([(p["status"], len(p["scenarios"])) for p in plans], [("approved", 2)])
                drills = c.get(f"/api/systems/{his}/drills").json["items"]
                self.assertEqual([(x["status"], x["plan_id"]) for x in drills], [("done", plans[0]["id"])])
                self.assertEqual(c.get(f"/api/systems/{his}/suppliers").json["total"], 2)
                self.assertEqual(c.get("/api/budget-lines").json["total"], 2)
                ob = c.get(f"/api/systems/{his}/obligations?kind=drill").json["items"][0]
                self.assertEqual(ob["status"], "done")
            finally:
                server.stop()
        finally:
            shutil.rmtree(d, ignore_errors=True)
