"""The engines feed the platform: `csirt hunt --post` turns hits into
alerts on the real server (de-duplicated on a second run, linked to the
system hunted) and records the hunt as that system's threat-hunting
activity; an alert then becomes an incident in one step."""
import os
import subprocess
import unittest

from harness import CSIRT, ServerTest

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "sigma")
CASE = "2026/Exploits/RedSun/file_event_win_exploit_redsun_indicators"
RULE = os.path.join(DATA, "rules-emerging-threats", CASE + ".yml")
EVTX = os.path.join(DATA, "regression_data", "rules-emerging-threats", CASE,
                    "f2e4b7d9-5c3a-4f8b-9e1d-7a6c2b3f4e5d.evtx")


class Engines(ServerTest):

    def setUp(self):
        if not (os.path.exists(RULE) and os.path.exists(EVTX)):
            if os.environ.get("CI") == "true":
                self.fail("shared data missing: " + RULE)
            self.skipTest("../shared/data is not beside the project")

    def test_hunt_posts_alerts_and_records_the_activity(self):
        a = self.admin
        org = self.ok(a.post("/api/orgs", {"name": "Sở Tài chính"}), 201)["id"]
        system = self.ok(a.post("/api/systems", {"name": "Máy chủ kế toán", "owner_org_id": org,
                                                 "operator_org_id": org, "level": 3}), 201)["id"]
        token = self.ok(a.post("/api/tokens", {"name": "hunt"}), 201)["token"]
        url = f"http://127.0.0.1:{self.server.port}"
        cmd = [CSIRT, "hunt", "--rules", RULE, "--format", "jsonl", "--quiet", "--post", url,
               "--token", token, "--system", str(system), EVTX]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("f2e4b7d9-5c3a-4f8b-9e1d-7a6c2b3f4e5d", out.stdout)
        alerts = self.ok(a.get("/api/alerts?status=open"))["items"]
        mine = [x for x in alerts if x["system_id"] == system]
        self.assertEqual(len(mine), 1, alerts)
        self.assertEqual(mine[0]["source"], "hunt")
        self.assertEqual(mine[0]["rule_id"], "f2e4b7d9-5c3a-4f8b-9e1d-7a6c2b3f4e5d")
        # the same hunt again: the same alert, counted twice, not a new one
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        again = [x for x in self.ok(a.get("/api/alerts?status=open"))["items"] if x["system_id"] == system]
        self.assertEqual(len(again), 1)
        self.assertGreaterEqual(again[0]["count"], 2)
        acts = self.ok(a.get(f"/api/systems/{system}/activities"))["items"]
        self.assertTrue(any(x["kind"] == "threat_hunt" for x in acts), acts)
        inc = self.ok(a.post(f"/api/alerts/{again[0]['id']}/promote", {}))["incident_id"]
        self.assertEqual(self.ok(a.get(f"/api/incidents/{inc}"))["systems"][0]["id"], system)

    def test_hunt_post_bodies_the_api_accepts(self):
        """A command line holding a URL, a dedup key over 500 bytes and a
        time that is not ISO 8601 (syslog style): the alert still arrives
        (the API used to refuse such bodies and the hit was lost)."""
        a = self.admin
        here = os.path.join(os.path.dirname(__file__), "data")
        token = self.ok(a.post("/api/tokens", {"name": "hunt shapes"}), 201)["token"]
        cmd = [CSIRT, "hunt", "--rules", os.path.join(here, "hunt_post_shapes.yml"), "--format", "jsonl",
               "--quiet", "--post", f"http://127.0.0.1:{self.server.port}", "--token", token,
               os.path.join(here, "hunt_post_shapes.jsonl")]
        for _ in range(2):
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            self.assertEqual(out.returncode, 0, out.stderr)
        mine = [x for x in self.ok(a.get("/api/alerts?status=open"))["items"]
                if x["rule_id"] == "6f1d2c7e-0b4a-4e55-9a61-2f3c9d1e7a01"]
        self.assertEqual(len(mine), 1, out.stderr)
        self.assertGreaterEqual(mine[0]["count"], 2)  # the hashed key de-duplicates
        full = self.ok(a.get(f"/api/alerts/{mine[0]['id']}"))
        kinds = {o["type"] for o in full.get("observables", [])}
        self.assertNotIn("url", kinds)  # the command line is not a URL



class ScanTracking(ServerTest):
    """Findings of a system over time: new, still open, fixed, reopened;
    decisions stay; every scan is the system's vuln_scan activity."""

    def test_findings_lifecycle_and_cli_post(self):
        a = self.admin
        org = self.ok(a.post("/api/orgs", {"name": "Sở Nội vụ"}), 201)["id"]
        system = self.ok(a.post("/api/systems", {"name": "Cổng dịch vụ công", "owner_org_id": org,
                                                 "operator_org_id": org, "level": 3}), 201)["id"]

        def f(cve, comp="nginx", port=443):
            return {"cve": cve, "component": comp, "port": port, "lane": "potential",
                    "installed": "1.22.1", "cvss": 7.5, "kev": cve == "CVE-2021-23017"}

        def scan(day, findings):
            return self.ok(a.post(f"/api/systems/{system}/scans", {"performed_at": f"2026-11-{day}T09:00",
                                  "findings": findings}), 201)
        t = scan(10, [f("CVE-2021-23017"), f("CVE-2022-41741")])
        self.assertEqual((t["new"], t["fixed"]), (2, 0))
        t = scan(11, [f("CVE-2021-23017")])
        self.assertEqual((t["still_open"], t["fixed"]), (1, 1))
        t = scan(12, [f("CVE-2021-23017"), f("CVE-2022-41741")])
        self.assertEqual(t["reopened"], 1)
        items = {x["cve"]: x for x in self.ok(a.get(f"/api/systems/{system}/findings"))["items"]}
        self.assertEqual(items["CVE-2022-41741"]["reopened"], 1)
        self.assertTrue(items["CVE-2021-23017"]["kev"])
        fid = items["CVE-2022-41741"]["id"]
        self.assertEqual(a.patch(f"/api/findings/{fid}", {"status": "accepted_risk"}).status, 400)
        self.ok(a.patch(f"/api/findings/{fid}", {"status": "accepted_risk", "reason": "Hệ thống sắp thay thế"}))
        t = scan(13, [f("CVE-2021-23017")])
        self.assertEqual(t["fixed"], 0)  # a decision is not undone by a scan
        csv = a.get(f"/api/findings?org_id={org}&format=csv")
        self.assertEqual(csv.status, 200)
        self.assertIn(b"CVE-2021-23017", csv.raw)
        self.assertIn(b"accepted_risk", csv.raw)
        acts = [x for x in self.ok(a.get(f"/api/systems/{system}/activities"))["items"] if x["kind"] == "vuln_scan"]
        self.assertEqual(len(acts), 4)
        # the command line posts a real scan of this server's own port
        token = self.ok(a.post("/api/tokens", {"name": "scan"}), 201)["token"]
        out = subprocess.run([CSIRT, "scan", "--ports", str(self.server.port), "--authorize", "test of csirt",
                              "--format", "jsonl", "--post", f"http://127.0.0.1:{self.server.port}",
                              "--token", token, "--system", str(system), "127.0.0.1"],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(str(self.server.port), out.stdout)
        acts = [x for x in self.ok(a.get(f"/api/systems/{system}/activities"))["items"] if x["kind"] == "vuln_scan"]
        self.assertEqual(len(acts), 5)


if __name__ == "__main__":
    unittest.main()
