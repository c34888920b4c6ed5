"""Obligations over the real API: the regime chosen by date, recording an
activity or a report moves the due dates, filters, a unit officer's scope,
the dashboard summary and the CSV export (with its formula guard)."""
import csv
import io
import unittest

from harness import ServerTest


class Obligations(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.admin
        cls.province = a.post("/api/orgs", {"name": "UBND tỉnh", "type": "province"}).json["id"]
        cls.unit_a = a.post("/api/orgs", {"name": "Sở Y tế", "type": "department",
                                          "parent_id": cls.province}).json["id"]
        cls.unit_b = a.post("/api/orgs", {"name": "=HYPERLINK(\"x\")", "type": "department",
                                          "parent_id": cls.province}).json["id"]
        cls.sys_a = a.post("/api/systems", {"name": "Hệ thống một cửa điện tử", "level": 3,
                                            "owner_org_id": cls.province,
                                            "operator_org_id": cls.unit_a}).json["id"]
        cls.sys_b = a.post("/api/systems", {"name": "Cổng bệnh viện", "owner_org_id": cls.unit_b,
                                            "operator_org_id": cls.unit_b}).json["id"]

    def obligations(self, path, client=None, **query):
        q = "&".join(f"{k}={v}" for k, v in query.items())
        return self.ok((client or self.admin).get(path + ("?" + q if q else "")))

    def one(self, items, **match):
        found = [i for i in items if all(i.get(k) == v for k, v in match.items())]
        self.assertEqual(len(found), 1, (match, items))
        return found[0]

    def test_recording_a_scan_moves_the_due_date(self):
        path = f"/api/systems/{self.sys_a}/obligations"
        r = self.obligations(path, date="2026-09-01", kind="vuln_scan")
        self.assertEqual(r["regime"], "vn-2026")
        item = self.one(r["items"])
        self.assertEqual(item["status"], "overdue")
        self.assertIsNone(item["due_on"])
        self.assertEqual(item["confidence"], "M")
        self.ok(self.admin.post(f"/api/systems/{self.sys_a}/activities",
                                {"kind": "vuln_scan", "performed_at": "2026-08-01T09:00:00+07:00",
                                 "summary": "Quét định kỳ"}), 201)
        item = self.one(self.obligations(path, date="2026-09-01", kind="vuln_scan")["items"])
        self.assertEqual((item["status"], item["due_on"], item["rests_on_date"]),
                         ("done", "2027-02-01", "2026-08-01"))  # level 3: every 6 months
        self.assertEqual(item["rests_on"], "vuln_scan")
        item = self.one(self.obligations(path, date="2027-01-15", kind="vuln_scan")["items"])
        self.assertEqual(item["status"], "due_soon")

    def test_regime_by_date_and_levels(self):
        r = self.obligations(f"/api/systems/{self.sys_a}/obligations", date="2026-06-01")
        self.assertEqual(r["regime"], "vn-2017")
        kinds = {i["kind"]: i for i in r["items"]}
        self.assertEqual(set(kinds), {"level_approval", "assessment", "vuln_scan", "threat_hunt",
                                      "response_plan", "drill"})
        self.assertEqual(kinds["drill"]["status"], "overdue")  # level 3: yearly
        self.assertEqual(kinds["level_approval"]["status"], "done")
        self.assertIn("Art 20.2.c", kinds["assessment"]["source"])
        r = self.obligations(f"/api/systems/{self.sys_b}/obligations", date="2026-06-01")
        kinds = {i["kind"]: i for i in r["items"]}
        self.assertEqual(kinds["drill"]["status"], "unknown")  # level not determined
        self.assertEqual(kinds["level_approval"]["status"], "overdue")
        self.assertEqual(kinds["level_approval"]["due_on"], "2024-09-30")
        r = self.obligations(f"/api/systems/{self.sys_a}/obligations", date="2026-09-01", lang="vi")
        self.assertIn("regulation", {i["kind"] for i in r["items"]})
        self.assertEqual(self.one(r["items"], kind="drill")["label"], "Diễn tập ứng cứu sự cố")

    def test_org_reports_and_contact_point(self):
        r = self.obligations("/api/obligations", date="2026-09-01", org_id=self.unit_a, kind="form05")
        self.assertEqual(self.one(r["items"], scope="org")["status"], "overdue")
        self.ok(self.admin.post(f"/api/orgs/{self.unit_a}/activities",
                                {"kind": "form05", "performed_at": "2026-06-10T10:00:00+07:00"}), 201)
        r = self.obligations("/api/obligations", date="2026-09-01", org_id=self.unit_a, kind="form05")
        item = self.one(r["items"], scope="org")
        self.assertEqual((item["status"], item["due_on"]), ("done", "2026-12-14"))
        reports = self.ok(self.admin.get(f"/api/orgs/{self.unit_a}/activities"))["items"]
        self.assertEqual([x["kind"] for x in reports], ["form05"])
        self.assertEqual(self.admin.post(f"/api/orgs/{self.unit_a}/activities",
                                         {"kind": "form99", "performed_at": "2026-06-10T10:00:00+07:00"}).status, 400)
        self.assertEqual(self.admin.post(f"/api/orgs/{self.unit_a}/activities",
                                         {"kind": "form01", "performed_at": "2099-01-01T10:00:00+07:00"}).status, 400)
        self.assertEqual(self.admin.post("/api/orgs/999999/activities",
                                         {"kind": "form01", "performed_at": "2026-06-10T10:00:00+07:00"}).status, 404)
        # the contact point rests on the organisation's published date
        r = self.obligations("/api/obligations", date="2026-09-01", org_id=self.unit_a, kind="contact_point")
        self.assertEqual(self.one(r["items"])["status"], "overdue")
        self.ok(self.admin.patch(f"/api/orgs/{self.unit_a}", {"contact_published_on": "2022-11-01"}))
        r = self.obligations("/api/obligations", date="2026-09-01", org_id=self.unit_a, kind="contact_point")
        self.assertEqual(self.one(r["items"])["status"], "done")
        # the Mẫu 08 report to the Ministry is for owners of systems only
        r = self.obligations("/api/obligations", date="2026-12-22", kind="annual_report_mps")
        self.assertEqual(self.one(r["items"], org_id=self.unit_a)["status"], "not_applicable")
        self.assertEqual(self.one(r["items"], org_id=self.province)["status"], "due_soon")

    def test_filters_and_bad_input(self):
        r = self.obligations("/api/obligations", date="2026-09-01", status="overdue")
        self.assertTrue(r["items"])
        self.assertEqual({i["status"] for i in r["items"]}, {"overdue"})
        r = self.obligations("/api/obligations", date="2026-09-01", org_id=self.unit_b)
        self.assertEqual({i["org_id"] for i in r["items"]}, {self.unit_b})
        self.assertEqual({i["system_id"] for i in r["items"] if i["scope"] == "system"}, {self.sys_b})
        for q in ["status=late", "date=2026-02-30", "date=yesterday", "org_id=abc"]:
            self.assertEqual(self.admin.get("/api/obligations?" + q).status, 400, q)
        self.assertEqual(self.admin.get("/api/obligations?date=2017-01-01").status, 422)
        self.assertEqual(self.admin.get("/api/systems/999999/obligations").status, 404)

    def test_unit_officer_sees_its_subtree_only(self):
        _, officer = self.make_user("officer_a", "unit_officer", self.unit_a)
        r = self.obligations("/api/obligations", client=officer, date="2026-09-01")
        self.assertEqual({i["org_id"] for i in r["items"] if i["scope"] == "org"}, {self.unit_a})
        self.assertEqual({i["system_id"] for i in r["items"] if i["scope"] == "system"}, {self.sys_a})
        self.assertEqual(officer.get(f"/api/systems/{self.sys_b}/obligations").status, 404)
        self.assertEqual(officer.post(f"/api/orgs/{self.unit_b}/activities",
                                      {"kind": "form01", "performed_at": "2026-06-10T10:00:00+07:00"}).status, 404)
        s = self.obligations("/api/obligations/summary", client=officer, date="2026-09-01")
        self.assertEqual({o["org_id"] for o in s["orgs"]} - {self.province}, {self.unit_a})

    def test_summary_counts_match_the_list(self):
        items = self.obligations("/api/obligations", date="2026-09-01")["items"]
        s = self.obligations("/api/obligations/summary", date="2026-09-01")
        self.assertEqual(s["regime"], "vn-2026")
        self.assertIn("overdue", s["statuses"])
        self.assertEqual(sum(o["total"] for o in s["orgs"]), len(items))
        for o in s["orgs"]:
            self.assertEqual(sum(o["counts"].values()), o["total"])
            mine = [i for i in items if i["org_id"] == o["org_id"]]
            self.assertEqual(o["counts"]["overdue"], sum(1 for i in mine if i["status"] == "overdue"))

    def test_csv_export(self):
        r = self.admin.get("/api/obligations.csv?date=2026-09-01")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["Content-Type"].startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8"))))
        items = self.obligations("/api/obligations", date="2026-09-01")["items"]
        self.assertEqual(rows[0][:4], ["regime", "scope", "org_id", "org_name"])
        self.assertEqual(len(rows), len(items) + 1)
        names = {row[3] for row in rows[1:]}
        self.assertIn("'=HYPERLINK(\"x\")", names)  # a formula never reaches a spreadsheet as one
        self.assertNotIn("=HYPERLINK(\"x\")", names)


class Dossiers(ServerTest):
    """A level dossier from draft to approval: the steps the procedure
    allows, who may take them, the time limit of each step, and approval
    setting the system's level and recording a level_approval activity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.admin
        cls.province = a.post("/api/orgs", {"name": "UBND tỉnh", "type": "province"}).json["id"]
        cls.unit = a.post("/api/orgs", {"name": "Sở Tư pháp", "type": "department",
                                        "parent_id": cls.province}).json["id"]
        cls.other = a.post("/api/orgs", {"name": "Sở Xây dựng", "type": "department",
                                         "parent_id": cls.province}).json["id"]
        cls.system = a.post("/api/systems", {"name": "Hệ thống giải quyết thủ tục hành chính",
                                             "owner_org_id": cls.province,
                                             "operator_org_id": cls.unit}).json["id"]

    def step(self, client, did, to, expect=200, **extra):
        r = client.post(f"/api/dossiers/{did}/transitions", dict(to=to, reason="bước " + to, **extra))
        self.assertEqual(r.status, expect, r)
        return r.json

    def add_parts(self, client, did, parts, expect=201):
        for part in parts:
            r = client.request("POST", f"/api/dossiers/{did}/parts/{part}?filename={part}.pdf",
                               raw=("%PDF-1.4 " + part).encode(), headers={"Content-Type": "application/pdf"})
            self.assertEqual(r.status, expect, (part, r))

    def assert_due(self, d):
        # The step's limit is a date, or null with the reason: the calendar
        # data may not cover the coming working days (it says so).
        if d["due_on"] is None:
            self.assertTrue(d["due_note"].startswith("unknown:") or "no time limit" in d["due_note"], d)
        else:
            self.assertRegex(d["due_on"], r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$")

    def test_from_draft_to_approval(self):
        _, officer = self.make_user("officer_tp", "unit_officer", self.unit)
        _, stranger = self.make_user("officer_xd", "unit_officer", self.other)
        body = {"system_id": self.system, "proposed_level": 3,
                "justification": "Hệ thống giải quyết thủ tục hành chính (NĐ 331 Art 13)",
                "criteria": ["n331-13-administrative-procedures"]}
        self.assertEqual(stranger.post("/api/dossiers", body).status, 400)
        did = self.ok(officer.post("/api/dossiers", body), 201)["id"]
        d = self.ok(officer.get(f"/api/dossiers/{did}"))
        self.assertEqual((d["state"], d["proposed_level"]), ("draft", 3))
        self.assertEqual(d["criteria"], ["n331-13-administrative-procedures"])
        self.assertIn("approver", d)
        self.assertEqual(stranger.get(f"/api/dossiers/{did}").status, 404)
        self.assertEqual(self.ok(stranger.get("/api/dossiers"))["items"], [])

        self.step(officer, did, "approved", 403)        # the Department approves, not the operator
        self.step(self.admin, did, "appraisal", 409)     # not from draft
        r = officer.post(f"/api/dossiers/{did}/transitions", {"to": "submitted"})
        self.assertEqual(r.status, 409, r)                # NĐ 85 Art 15: the parts first
        self.assertIn("overview", r.json["error"]["message"])
        self.add_parts(officer, did, ["overview", "design", "justification", "security_plan"])
        self.add_parts(stranger, did, ["overview"], 404)
        self.add_parts(officer, did, ["annex"], 400)
        self.assertEqual(officer.request("POST", f"/api/dossiers/{did}/parts/design", raw=b"").status, 400)
        d = self.ok(officer.get(f"/api/dossiers/{did}"))
        self.assertEqual(sorted(p["part"] for p in d["parts"]), ["design", "justification", "overview", "security_plan"])
        import hashlib
        self.assertEqual(d["parts"][0]["sha256"], hashlib.sha256(b"%PDF-1.4 overview").hexdigest())
        r = officer.get(f"/api/dossiers/{did}/parts/overview")
        self.assertEqual((r.status, r.raw), (200, b"%PDF-1.4 overview"))
        self.assertIn('filename="overview.pdf"', r.headers["Content-Disposition"])
        self.assertEqual(stranger.get(f"/api/dossiers/{did}/parts/overview").status, 404)
        self.assertEqual(officer.get(f"/api/dossiers/{did}/parts/infosec_opinion").status, 404)
        d = self.step(officer, did, "submitted")
        self.add_parts(officer, did, ["design"], 409)     # a submitted dossier is not edited
        self.assert_due(d)
        d = self.step(self.admin, did, "validity_check")
        self.step(self.admin, did, "approved", 409)      # appraisal first
        d = self.step(self.admin, did, "appraisal")
        self.assertEqual(d["regime"], "vn-2026")
        self.assert_due(d)
        d = self.step(self.admin, did, "approval")
        self.assert_due(d)
        # NĐ 331/2026 Art 30.7: the quy chế comes before the approval
        r = self.admin.post(f"/api/dossiers/{did}/transitions", {"to": "approved"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("30.7", r.json["error"]["message"])
        self.ok(self.admin.post(f"/api/systems/{self.system}/activities",
                                {"kind": "regulation", "performed_at": "2026-10-01T09:00:00+07:00",
                                 "summary": "Quy chế bảo đảm an ninh mạng"}), 201)
        d = self.step(self.admin, did, "approved", decision_no="123/QĐ-UBND", decision_date="2026-11-20")
        self.assertEqual((d["state"], d["decision_no"]), ("approved", "123/QĐ-UBND"))
        self.assertEqual([s["to_state"] for s in d["steps"]],
                         ["submitted", "validity_check", "appraisal", "approval", "approved"])
        # times as everywhere else in the API: ISO 8601, not seconds
        self.assertRegex(d["steps"][0]["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        for part in d["parts"]:
            self.assertRegex(part["created_at"], r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(self.ok(self.admin.get(f"/api/systems/{self.system}"))["level"], 3)
        acts = self.ok(self.admin.get(f"/api/systems/{self.system}/activities"))
        kinds = [x["kind"] for x in (acts["items"] if isinstance(acts, dict) else acts)]
        self.assertIn("level_approval", kinds)
        self.step(self.admin, did, "draft", 409)          # approved is final
        ob = self.ok(self.admin.get(f"/api/systems/{self.system}/obligations?kind=level_approval"))
        self.assertEqual(ob["items"][0]["status"], "done")

    def test_return_and_rework_and_bad_input(self):
        did = self.ok(self.admin.post("/api/dossiers", {"system_id": self.system, "proposed_level": 4}), 201)["id"]
        self.add_parts(self.admin, did, ["overview", "design", "justification", "security_plan"])
        self.step(self.admin, did, "submitted", 409)      # level 4: the specialised unit's opinion too
        self.add_parts(self.admin, did, ["infosec_opinion"])
        self.step(self.admin, did, "submitted")
        self.step(self.admin, did, "returned")
        self.step(self.admin, did, "draft")
        for body in [{}, {"to": "flying"}, {"to": "submitted", "decision_date": "20-11-2026"},
                     {"to": "submitted", "reason": 7}]:
            r = self.admin.post(f"/api/dossiers/{did}/transitions", body)
            self.assertIn(r.status, (400,), (body, r))
        for body in [{"system_id": self.system, "proposed_level": 6}, {"proposed_level": 3},
                     {"system_id": 999999, "proposed_level": 2}]:
            self.assertEqual(self.admin.post("/api/dossiers", body).status, 400, body)
        self.assertEqual(self.admin.get("/api/dossiers/999999").status, 404)
        d = self.ok(self.admin.get(f"/api/dossiers/{did}?lang=vi"))
        self.assertIn("Bộ Công an", d["appraiser"])       # level 4 under NĐ 331 Art 18.3


if __name__ == "__main__":
    unittest.main()
