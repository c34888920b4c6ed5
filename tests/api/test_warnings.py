"""Warnings over the real API and CLI: a coordinator issues one, csirt
matches it to the systems whose components are affected, each target is
acknowledged then closed with a note and evidence, overdue targets show,
a unit officer sees only its own; CISA KEV imported from a fixture and,
when present, from the real catalogue in ../shared/data/vuln."""
import os
import subprocess
import unittest

from harness import CSIRT, ServerTest

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "obligations", "data", "kev-small.json")
SHARED = os.environ.get("SHARED_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))


class Warnings(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.admin
        cls.province = a.post("/api/orgs", {"name": "UBND tỉnh", "type": "province"}).json["id"]
        cls.unit_a = a.post("/api/orgs", {"name": "Sở Tài chính", "parent_id": cls.province}).json["id"]
        cls.unit_b = a.post("/api/orgs", {"name": "Sở Nội vụ", "parent_id": cls.province}).json["id"]
        # the register stores components as {"items": [{"name","version","cpe"}]}
        comps = lambda *c: {"items": [dict(zip(("name", "version", "cpe"), x)) for x in c]}
        cls.web_a = a.post("/api/systems", {"name": "Cổng Sở Tài chính", "owner_org_id": cls.unit_a,
                                            "operator_org_id": cls.unit_a,
                                            "components": comps(("nginx", "1.22.1", "cpe:2.3:a:f5:nginx:1.22.1"))}).json["id"]
        cls.web_b = a.post("/api/systems", {"name": "Cổng Sở Nội vụ", "owner_org_id": cls.unit_b,
                                            "operator_org_id": cls.unit_b,
                                            "components": comps(("nginx", "1.25.3", ""), ("Exchange Server", "2019", ""))}).json["id"]
        cls.mail = a.post("/api/systems", {"name": "Thư điện tử", "owner_org_id": cls.province,
                                           "operator_org_id": cls.province,
                                           "components": comps(("postfix", "3.7.11", ""))}).json["id"]
        assert cls.web_a and cls.web_b and cls.mail

    def issue(self, **extra):
        body = {"title": "Lỗ hổng nghiêm trọng trong nginx", "cves": ["CVE-2099-1000"],
                "products": [{"cpe": "cpe:2.3:a:f5:nginx", "version_min": "1.22.0", "version_max": "1.22.9"}],
                "iocs": ["198.51.100.9"], "required_action": "Cập nhật lên 1.22.10", "due_on": "2026-12-31"}
        body.update(extra)
        return self.ok(self.admin.post("/api/warnings", body), 201)

    def test_issue_match_and_close(self):
        r = self.issue()
        self.assertEqual(r["targets"], 1)  # 1.25.3 is outside the range, postfix is not nginx
        w = self.ok(self.admin.get(f"/api/warnings/{r['id']}"))
        self.assertEqual([t["system_id"] for t in w["targets"]], [self.web_a])
        t = w["targets"][0]
        self.assertEqual((t["state"], t["match"], t["overdue"]), ("open", "yes", False))
        self.assertIn("1.22.1", t["match_reason"])

        _, officer_a = self.make_user("officer_tc", "unit_officer", self.unit_a)
        _, officer_b = self.make_user("officer_nv", "unit_officer", self.unit_b)
        self.assertEqual(officer_b.get(f"/api/warnings/{r['id']}").status, 404)
        self.assertEqual(officer_b.post(f"/api/warning-targets/{t['id']}", {"state": "acknowledged"}).status, 404)
        self.assertEqual(officer_a.post("/api/warnings", {"title": "x"}).status, 403)
        self.assertEqual(officer_a.post(f"/api/warning-targets/{t['id']}", {"state": "fixed"}).status, 400)  # no note
        self.ok(officer_a.post(f"/api/warning-targets/{t['id']}", {"state": "acknowledged"}))
        self.assertEqual(officer_a.post(f"/api/warning-targets/{t['id']}", {"state": "acknowledged"}).status, 409)
        self.ok(officer_a.post(f"/api/warning-targets/{t['id']}",
                               {"state": "fixed", "note": "Đã cập nhật 1.22.10", "evidence": "nginx -v: 1.22.10"}))
        t = self.ok(officer_a.get(f"/api/warnings/{r['id']}"))["targets"][0]
        self.assertEqual((t["state"], t["evidence"]), ("fixed", "nginx -v: 1.22.10"))
        self.assertIsNotNone(t["resolved_at"])
        self.assertEqual(officer_a.post(f"/api/warning-targets/{t['id']}", {"state": "open"}).status, 409)
        self.ok(self.admin.post(f"/api/warning-targets/{t['id']}", {"state": "open"}))  # the Department reopens
        lst = self.ok(officer_a.get("/api/warnings"))["items"]
        self.assertEqual([x["id"] for x in lst], [r["id"]])
        self.assertEqual(lst[0]["targets"]["open"], 1)

    def test_overdue_and_possible_match(self):
        r = self.issue(title="Postfix", products=[{"name": "postfix", "version_max": "3.8"}], due_on="2020-01-01")
        w = self.ok(self.admin.get(f"/api/warnings/{r['id']}"))
        self.assertEqual([(t["system_id"], t["overdue"]) for t in w["targets"]], [(self.mail, True)])
        r = self.issue(title="No version", products=[{"name": "Exchange Server", "version_min": "2016"}])
        t = self.ok(self.admin.get(f"/api/warnings/{r['id']}"))["targets"]
        self.assertEqual([(x["system_id"], x["match"]) for x in t], [(self.web_b, "yes")])

    def test_bad_warnings(self):
        good = {"title": "t", "products": [{"name": "x"}], "required_action": "a", "due_on": "2026-12-31"}
        for change in [{"title": ""}, {"products": []}, {"products": [{"vendor": "x"}]},
                       {"products": [{"name": 5}]}, {"due_on": "31/12/2026"}, {"cves": "CVE-1"},
                       {"required_action": None}, {"extra": 1}, {"iocs": ["x" * 600]}]:
            body = dict(good, **change)
            self.assertEqual(self.admin.post("/api/warnings", body).status, 400, change)
        self.assertEqual(self.admin.get("/api/warnings/999999").status, 404)
        self.assertEqual(self.admin.post("/api/warning-targets/999999", {"state": "acknowledged"}).status, 404)

    def run_cli(self, path):
        return subprocess.run([CSIRT, "warnings", "import-kev", path, "--data", self.server.data_dir],
                              capture_output=True, text=True, timeout=120)

    def test_kev_import_fixture(self):
        p = self.run_cli(FIXTURE)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("imported 3 warnings, skipped 0", p.stdout)
        self.assertIn("3 system targets", p.stdout)  # nginx x2 (no range), Exchange x1
        p = self.run_cli(FIXTURE)
        self.assertIn("imported 0 warnings, skipped 3", p.stdout)
        items = self.ok(self.admin.get("/api/warnings?matched=1&per_page=200"))["items"]
        kev = {x["external_id"]: x for x in items if x["source"] == "cisa-kev"}
        self.assertEqual(set(kev), {"CVE-2099-0001", "CVE-2099-0002"})
        self.assertEqual(kev["CVE-2099-0001"]["targets"]["overdue"], 2)  # due 2026-11-15
        bad = os.path.join(self.server.data_dir, "bad.json")
        with open(bad, "w") as f:
            f.write('{"vulnerabilities": [{"cveID": "CVE-1"}]}')
        p = self.run_cli(bad)
        self.assertEqual(p.returncode, 1)
        self.assertIn("malformed", p.stderr)
        self.assertEqual(self.run_cli("/nonexistent.json").returncode, 1)

    def test_kev_import_real_catalogue(self):
        path = os.path.join(SHARED, "vuln", "kev-known_exploited_vulnerabilities.json")
        if not os.path.exists(path):
            if os.environ.get("CI") == "true":
                self.fail("shared data missing: " + path)
            print("notice: " + path + " is absent; skipping the real KEV import")
            raise unittest.SkipTest("shared data absent")
        p = self.run_cli(path)
        self.assertEqual(p.returncode, 0, p.stderr)
        n = int(p.stdout.split()[1])
        self.assertGreater(n, 1000)
        items = self.ok(self.admin.get("/api/warnings?matched=1&per_page=200"))["items"]
        self.assertTrue(any(x["source"] == "cisa-kev" for x in items))


if __name__ == "__main__":
    unittest.main()
