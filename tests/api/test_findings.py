"""Findings lists and exports: GET /api/findings(.csv) and
/api/systems/{id}/findings(.csv) take the same filters (system_id, org_id,
state, lane, kev) and the same tenant scope; the CSV has a header row, one
row per finding of the JSON list, and cells that a spreadsheet would run as
a formula are defused with a leading '."""
import csv
import io
import unittest

from harness import ServerTest

COLUMNS = ["id", "system_id", "system_name", "component", "cve", "host", "port", "lane",
           "installed", "fixed_version", "cvss", "kev", "kev_due", "epss", "status", "first_seen",
           "last_seen", "fixed_at", "reopened", "decision_reason", "decided_at"]


class Findings(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.admin
        cls.province = a.post("/api/orgs", {"name": "UBND tỉnh", "type": "province"}).json["id"]
        cls.unit_a = a.post("/api/orgs", {"name": "Sở Y tế", "type": "department",
                                          "parent_id": cls.province}).json["id"]
        cls.unit_b = a.post("/api/orgs", {"name": "Sở Xây dựng", "type": "department",
                                          "parent_id": cls.province}).json["id"]
        cls.sys_a = a.post("/api/systems", {"name": "=HYPERLINK(\"http://x\",\"bấm\")", "level": 3,
                                            "owner_org_id": cls.unit_a,
                                            "operator_org_id": cls.unit_a}).json["id"]
        cls.sys_b = a.post("/api/systems", {"name": "Cổng \"xây dựng\"", "level": 2,
                                            "owner_org_id": cls.unit_b,
                                            "operator_org_id": cls.unit_b}).json["id"]

        def f(cve, comp, lane, kev, port=0, installed="1.0"):
            return {"cve": cve, "component": comp, "lane": lane, "kev": kev, "port": port,
                    "installed": installed, "cvss": 9.8 if kev else 5.3, "host": "10.0.0.5"}
        scans = {
            cls.sys_a: [f("CVE-2024-6387", "openssh", "confirmed", True, installed="1:9.2p1-2"),
                        f("CVE-2023-44487", "nginx", "potential", True, 443),
                        f("CVE-2022-41741", "nginx", "potential", False, 443),
                        f("CVE-2021-0001", "+cmd|' /C calc'!A0", "potential", False, 8080),
                        f("CVE-2021-0002", "@SUM(1+1)", "confirmed", False, installed="-2+3")],
            cls.sys_b: [f("CVE-2023-38545", "curl", "confirmed", False, installed="7.88.1-10"),
                        f("CVE-2023-44487", "nginx", "potential", True, 80)],
        }
        for system, found in scans.items():
            r = a.post(f"/api/systems/{system}/scans", {"performed_at": "2026-11-10T09:00",
                                                         "findings": found})
            assert r.status == 201, r
        # One finding decided, so that states differ.
        items = a.get(f"/api/systems/{cls.sys_a}/findings").json["items"]
        fid = [x["id"] for x in items if x["cve"] == "CVE-2022-41741"][0]
        r = a.patch(f"/api/findings/{fid}", {"status": "false_positive",
                                             "reason": "=1+1 không dùng mô-đun này"})
        assert r.status == 200, r

    def csv_rows(self, path, client=None):
        r = (client or self.admin).get(path)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers.get("Content-Type"), "text/csv; charset=utf-8")
        self.assertIn("attachment", r.headers.get("Content-Disposition", ""))
        rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8"), newline="")))
        self.assertEqual(rows[0], COLUMNS)
        return [dict(zip(COLUMNS, row)) for row in rows[1:]]

    def ids_json(self, path, client=None):
        r = (client or self.admin).get(path)
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json["truncated"])
        return sorted(x["id"] for x in r.json["items"])

    def test_csv_equals_json_for_every_filter(self):
        queries = ["", f"system_id={self.sys_a}", f"org_id={self.unit_b}", f"org_id={self.province}",
                   "state=open", "state=false_positive", "status=open", "lane=confirmed",
                   "lane=potential", "kev=true", "kev=false", "kev=1&lane=potential",
                   f"org_id={self.unit_a}&lane=confirmed&state=open&kev=0"]
        seen = set()
        for q in queries:
            want = self.ids_json("/api/findings?" + q)
            got = sorted(int(r["id"]) for r in self.csv_rows("/api/findings.csv?" + q))
            self.assertEqual(got, want, q)
            seen.add(tuple(want))
        self.assertGreater(len(seen), 8, "the filters must select different sets")
        # and the per-system routes
        for q in ["", "lane=confirmed", "kev=true", "state=false_positive"]:
            want = self.ids_json(f"/api/systems/{self.sys_a}/findings?" + q)
            got = sorted(int(r["id"]) for r in self.csv_rows(f"/api/systems/{self.sys_a}/findings.csv?" + q))
            self.assertEqual(got, want, q)

    def test_filters_select_what_they_say(self):
        def items(q):
            return self.admin.get("/api/findings?" + q).json["items"]
        self.assertEqual(len(items("")), 7)
        self.assertEqual({x["system_id"] for x in items(f"system_id={self.sys_b}")}, {self.sys_b})
        self.assertEqual({x["system_id"] for x in items(f"org_id={self.unit_a}")}, {self.sys_a})
        self.assertEqual(len(items(f"org_id={self.province}")), 7)
        self.assertEqual({x["lane"] for x in items("lane=confirmed")}, {"confirmed"})
        self.assertEqual(len(items("lane=confirmed")), 3)
        self.assertEqual({x["kev"] for x in items("kev=true")}, {True})
        self.assertEqual(len(items("kev=true")), 3)
        self.assertEqual(len(items("kev=false")), 4)
        self.assertEqual([x["cve"] for x in items("state=false_positive")], ["CVE-2022-41741"])
        self.assertEqual(len(items("state=open")), 6)
        self.assertEqual([x["cve"] for x in items(f"system_id={self.sys_b}&kev=true&lane=potential")],
                         ["CVE-2023-44487"])

    def test_csv_cells_cannot_run_as_formulas(self):
        rows = self.csv_rows(f"/api/findings.csv?system_id={self.sys_a}")
        names = {r["system_name"] for r in rows}
        self.assertEqual(names, {"'=HYPERLINK(\"http://x\",\"bấm\")"})
        comps = {r["component"] for r in rows}
        self.assertIn("'+cmd|' /C calc'!A0", comps)
        self.assertIn("'@SUM(1+1)", comps)
        self.assertIn("'-2+3", {r["installed"] for r in rows})
        self.assertIn("'=1+1 không dùng mô-đun này", {r["decision_reason"] for r in rows})
        for r in rows:
            for k, v in r.items():
                self.assertFalse(v[:1] in ("=", "+", "-", "@"), (k, v))
        # quotes inside a cell survive the round trip
        b = self.csv_rows(f"/api/systems/{self.sys_b}/findings.csv")
        self.assertEqual({r["system_name"] for r in b}, {"Cổng \"xây dựng\""})
        self.assertEqual({r["kev"] for r in b}, {"true", "false"})

    def test_tenant_scope(self):
        _, officer = self.make_user("officer_b", "unit_officer", self.unit_b)
        rows = self.csv_rows("/api/findings.csv", client=officer)
        self.assertEqual({int(r["system_id"]) for r in rows}, {self.sys_b})
        self.assertEqual(len(rows), 2)
        self.assertEqual(self.ids_json("/api/findings", client=officer),
                         sorted(int(r["id"]) for r in rows))
        for path in [f"/api/systems/{self.sys_a}/findings.csv", f"/api/systems/{self.sys_a}/findings",
                     f"/api/findings.csv?system_id={self.sys_a}", f"/api/findings.csv?org_id={self.unit_a}",
                     f"/api/findings?org_id={self.unit_a}"]:
            r = officer.get(path)
            self.assertEqual(r.status, 404, path)
            self.assertNotIn(b"CVE-2024-6387", r.raw)

    def test_bad_filters_are_refused(self):
        for q in ["state=closed", "lane=maybe", "kev=yes", "kev=", "org_id=abc", "system_id=-1",
                  "status=bogus"]:
            for path in ("/api/findings?", "/api/findings.csv?"):
                r = self.admin.get(path + q)
                self.assertEqual(r.status, 400, path + q)
        self.assertEqual(self.admin.get("/api/systems/999999/findings.csv").status, 404)
        # an organisation with no systems: a header row and nothing else
        self.assertEqual(self.csv_rows("/api/findings.csv?org_id=999999"), [])


if __name__ == "__main__":
    unittest.main()
