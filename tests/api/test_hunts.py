"""Hunts started from the web interface, over the real API: a log uploaded
to a system is hunted in the background with real SigmaHQ rules and an IOC
list; hits become alerts linked to the system (de-duplicated against an
earlier web hunt and against `csirt hunt --post` of the same log), the hunt
becomes the system's threat-hunting activity (its obligation moves), and a
hit becomes an incident in one step. Also: another tenant gets 404, a
corrupt log fails with a reason and records nothing, big logs read in
slices keep their record numbers, a restart marks an unfinished hunt
failed, and a server without rules answers 409."""
import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

from harness import CSIRT, Client, Server, ServerTest

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("SHARED_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))
SIGMA = os.path.join(SHARED, "sigma")
RULES = os.path.join(SIGMA, "rules", "windows", "process_creation")
CASE = os.path.join(SIGMA, "regression_data", "rules", "windows", "process_creation",
                    "proc_creation_win_bitsadmin_download")
BITSADMIN_RULE = "d059842b-6b9d-4ed1-b5c3-5b89143c6ede"  # "File Download Via Bitsadmin"
EVTX = os.path.join(CASE, BITSADMIN_RULE + ".evtx")
ATTACK = os.path.join(SHARED, "evtx", "EVTX-ATTACK-SAMPLES")
# `csirt hunt --post` sends this case's hits without error (test_engines.py);
# the bitsadmin one it cannot: see docs/hunt.md, "Hunting from the web".
REDSUN_CASE = "2026/Exploits/RedSun/file_event_win_exploit_redsun_indicators"
REDSUN_RULE = os.path.join(SIGMA, "rules-emerging-threats", REDSUN_CASE + ".yml")
REDSUN_EVTX = os.path.join(SIGMA, "regression_data", "rules-emerging-threats", REDSUN_CASE,
                           "f2e4b7d9-5c3a-4f8b-9e1d-7a6c2b3f4e5d.evtx")
BIG_EVTX = [os.path.join(ATTACK, *p) for p in (
    ("Privilege Escalation", "Sysmon_UACME_64.evtx"),
    ("Persistence", "persistence_sysmon_11_13_1_shime_appfix.evtx"),
    ("Privilege Escalation", "privesc_unquoted_svc_sysmon_1_11.evtx"),
    ("Other", "rdpcorets_148_mst120_bluekeep_rpdscan_full.evtx"))]

if not all(os.path.exists(p) for p in [RULES, EVTX, REDSUN_RULE, REDSUN_EVTX] + BIG_EVTX):
    if os.environ.get("CI") == "true":
        print("shared data missing under " + SHARED + " (CI=true: failing)")
        sys.exit(1)
    print("notice: shared data absent under " + SHARED + "; test_hunts SKIPPED")
    sys.exit(77)

IOC_IP = "203.0.113.77"
IOC_DOMAIN = "evil.example.org"


def wait(client, hunt_id, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        h = client.get(f"/api/hunts/{hunt_id}").json
        if h["status"] in ("done", "failed"):
            return h
        time.sleep(0.1)
    raise AssertionError(f"hunt {hunt_id} did not finish: {h}")


def upload(client, system_id, data, name="log.evtx"):
    return client.post(f"/api/systems/{system_id}/hunts?filename={name}", raw=data,
                       headers={"Content-Type": "application/octet-stream"})


class Hunts(ServerTest):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="csirt-hunts-")
        ioc = os.path.join(cls.tmp, "iocs.txt")
        with open(ioc, "w") as f:
            f.write(f"# test list\n{IOC_IP}\n{IOC_DOMAIN}\n")
        cls.server = Server(args=["--hunt-rules", RULES, "--hunt-rules", REDSUN_RULE,
                                  "--hunt-ioc", ioc]).start()
        cls.admin = Client(cls.server)
        assert cls.admin.login("admin", "admin-password-for-tests").status == 200
        a = cls.admin
        cls.province = a.post("/api/orgs", {"name": "UBND tỉnh", "type": "province"}).json["id"]
        cls.unit_a = a.post("/api/orgs", {"name": "Sở Y tế", "parent_id": cls.province}).json["id"]
        cls.unit_b = a.post("/api/orgs", {"name": "Sở Tài chính", "parent_id": cls.province}).json["id"]
        cls.sys_a = a.post("/api/systems", {"name": "Cổng thông tin Sở Y tế", "owner_org_id": cls.unit_a,
                                            "operator_org_id": cls.unit_a, "level": 3}).json["id"]
        cls.sys_b = a.post("/api/systems", {"name": "Kế toán Sở Tài chính", "owner_org_id": cls.unit_b,
                                            "operator_org_id": cls.unit_b, "level": 2}).json["id"]
        cls.sys_c = a.post("/api/systems", {"name": "Máy chủ thư", "owner_org_id": cls.province,
                                            "operator_org_id": cls.province, "level": 2}).json["id"]
        with open(EVTX, "rb") as f:
            cls.evtx = f.read()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        for name in os.listdir(cls.tmp):
            os.unlink(os.path.join(cls.tmp, name))
        os.rmdir(cls.tmp)

    def officer(self, name, org):
        return self.make_user(name, "unit_officer", org)[1]

    def open_alerts(self, system_id):
        items = self.ok(self.admin.get("/api/alerts?status=open&per_page=200"))["items"]
        return [x for x in items if x["system_id"] == system_id]

    def test_a_hunt_becomes_alerts_activity_and_incident(self):
        a = self.admin
        path = f"/api/systems/{self.sys_a}/obligations?kind=threat_hunt"
        before = self.ok(a.get(path))["items"][0]
        self.assertNotEqual(before["status"], "done")

        r = upload(a, self.sys_a, self.evtx, "Security.evtx")
        self.assertEqual(r.status, 202, r)
        first = wait(a, r.json["id"])
        self.assertEqual(first["status"], "done", first)
        self.assertEqual((first["system_id"], first["filename"], first["size"]),
                         (self.sys_a, "Security.evtx", len(self.evtx)))
        self.assertEqual(first["progress"]["bytes_done"], len(self.evtx))
        self.assertEqual(first["progress"]["bytes_total"], len(self.evtx))
        self.assertGreater(first["progress"]["events"], 0)
        self.assertGreater(first["hits"], 0)
        self.assertGreater(first["alerts_created"], 0)
        self.assertEqual(first["alerts_deduplicated"], 0)
        self.assertEqual(first["created_by"], "admin")
        self.assertTrue(first["started_at"] and first["finished_at"])
        rules = {x["rule_id"] for x in first["summary"]["by_rule"]}
        self.assertIn(BITSADMIN_RULE, rules)
        self.assertEqual(sum(first["summary"]["by_level"].values()), first["hits"])

        hits = self.ok(a.get(f"/api/hunts/{first['id']}/hits"))
        self.assertEqual(hits["total"], first["hits"])
        bits = [h for h in hits["items"] if h["rule_id"] == BITSADMIN_RULE]
        self.assertTrue(bits and bits[0]["matched"] and bits[0]["host"] and bits[0]["time"], hits)
        self.assertIn(bits[0]["alert_id"], first["alert_ids"])

        alert = self.ok(a.get(f"/api/alerts/{bits[0]['alert_id']}"))
        self.assertEqual((alert["system_id"], alert["source"], alert["rule_id"], alert["status"]),
                         (self.sys_a, "hunt", BITSADMIN_RULE, "open"))
        mine = self.open_alerts(self.sys_a)
        self.assertEqual(len(mine), first["alerts_created"])

        acts = self.ok(a.get(f"/api/systems/{self.sys_a}/activities"))["items"]
        hunt_acts = [x for x in acts if x["kind"] == "threat_hunt"]
        self.assertEqual(len(hunt_acts), 1, acts)
        self.assertEqual(hunt_acts[0]["result"]["hunt_id"], first["id"])
        self.assertEqual(hunt_acts[0]["id"], first["activity_id"])
        after = self.ok(a.get(path))["items"][0]
        self.assertEqual((after["status"], after["rests_on"]), ("done", "threat_hunt"), after)

        audit = self.ok(a.get(f"/api/audit?entity=hunt&entity_id={first['id']}"))["items"]
        self.assertTrue(any(x["action"] == "start" for x in audit), audit)

        # the same log again: the same alerts, counted again, none new
        second = wait(a, upload(a, self.sys_a, self.evtx, "Security-copy.evtx").json["id"])
        self.assertEqual(second["status"], "done", second)
        self.assertEqual(second["alerts_created"], 0)
        self.assertEqual(second["alerts_deduplicated"], first["alerts_created"])
        self.assertEqual(sorted(second["alert_ids"]), sorted(first["alert_ids"]))
        again = self.open_alerts(self.sys_a)
        self.assertEqual(len(again), len(mine))
        self.assertTrue(all(x["count"] >= 2 for x in again), again)

        # and a hit becomes an incident in one step
        inc = self.ok(a.post(f"/api/alerts/{bits[0]['alert_id']}/promote", {}))["incident_id"]
        self.assertEqual(self.ok(a.get(f"/api/incidents/{inc}"))["systems"][0]["id"], self.sys_a)

        listed = self.ok(a.get(f"/api/hunts?system_id={self.sys_a}"))
        self.assertGreaterEqual(listed["total"], 2)
        self.assertEqual(listed["items"][0]["id"], second["id"])

    def test_cli_and_web_hunts_share_dedup_keys(self):
        a = self.admin
        sid = self.ok(a.post("/api/systems", {"name": "Máy trạm kế toán", "owner_org_id": self.unit_b,
                                              "operator_org_id": self.unit_b}), 201)["id"]
        with open(REDSUN_EVTX, "rb") as f:
            h = wait(a, upload(a, sid, f.read(), "redsun.evtx").json["id"])
        self.assertEqual(h["status"], "done", h)
        self.assertGreater(h["alerts_created"], 0)
        before = {x["id"]: x["count"] for x in self.open_alerts(sid)}
        self.assertEqual(sorted(before), sorted(h["alert_ids"]))
        token = self.ok(a.post("/api/tokens", {"name": "cli hunt"}), 201)["token"]
        out = subprocess.run([CSIRT, "hunt", "--rules", REDSUN_RULE, "--format", "jsonl", "--quiet",
                              "--post", f"http://127.0.0.1:{self.server.port}", "--token", token,
                              "--system", str(sid), REDSUN_EVTX],
                             capture_output=True, text=True, timeout=240)
        self.assertEqual(out.returncode, 0, out.stderr)
        after = {x["id"]: x["count"] for x in self.open_alerts(sid)}
        self.assertEqual(sorted(after), sorted(before))  # merged, not new
        self.assertTrue(all(after[k] == before[k] + 1 for k in before), (before, after))

    def test_tenants(self):
        off_a = self.officer("hunt_officer_a", self.unit_a)
        off_b = self.officer("hunt_officer_b", self.unit_b)
        self.assertEqual(upload(off_b, self.sys_a, self.evtx).status, 404)
        self.assertEqual(upload(off_b, 999999, self.evtx).status, 404)
        r = upload(off_a, self.sys_a, self.evtx)
        self.assertEqual(r.status, 202, r)
        h = wait(off_a, r.json["id"])
        self.assertEqual((h["status"], h["created_by"]), ("done", "hunt_officer_a"))
        for path in (f"/api/hunts/{h['id']}", f"/api/hunts/{h['id']}/hits",
                     f"/api/hunts?system_id={self.sys_a}"):
            self.assertEqual(off_b.get(path).status, 404, path)
        self.assertNotIn(h["id"], [x["id"] for x in self.ok(off_b.get("/api/hunts"))["items"]])
        self.assertIn(h["id"], [x["id"] for x in self.ok(off_a.get("/api/hunts"))["items"]])
        self.assertEqual(self.ok(off_a.get(f"/api/hunts/{h['id']}/hits"))["hunt_id"], h["id"])

    def test_corrupt_logs_fail_and_record_nothing(self):
        a = self.admin
        acts = len(self.ok(a.get(f"/api/systems/{self.sys_b}/activities"))["items"])
        bad_gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 4000  # invalid block type
        h = wait(a, upload(a, self.sys_b, bad_gzip, "Security.evtx.gz").json["id"])
        self.assertEqual(h["status"], "failed", h)
        self.assertIn("gzip", h["error"])
        binary = b"\x00\x01\x02\x03" * 2000
        h = wait(a, upload(a, self.sys_b, binary, "dump.bin").json["id"])
        self.assertEqual(h["status"], "failed", h)
        self.assertIn("not a log", h["error"])
        self.assertEqual((h["alerts_created"], h["activity_id"]), (0, None))
        self.assertEqual(len(self.ok(a.get(f"/api/systems/{self.sys_b}/activities"))["items"]), acts)
        r = a.post(f"/api/systems/{self.sys_b}/hunts?filename=x.log")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(a.get("/api/hunts/999999").status, 404)
        self.assertEqual(a.get("/api/hunts?per_page=0").status, 400)
        # a gzip'd log is opened like the command line opens it
        h = wait(a, upload(a, self.sys_b, gzip.compress(self.evtx), "Security.evtx.gz").json["id"])
        self.assertEqual(h["status"], "done", h)
        self.assertGreater(h["hits"], 0)

    def test_file_names_are_kept_safe(self):
        a = self.admin
        for given, kept in (("C:%5Clogs%5CS%C3%A9curit%C3%A9.evtx", "Sécurité.evtx"),
                            ("..%2F..%2Fetc%2Fpasswd", "passwd"), ("%22%0A", "log"), ("", "log")):
            r = a.post(f"/api/systems/{self.sys_c}/hunts?filename={given}", raw=self.evtx)
            self.assertEqual(r.status, 202, r)
            self.assertEqual(wait(a, r.json["id"])["filename"], kept, given)

    def test_big_text_logs_keep_record_numbers(self):
        """Logs over the worker's 4 MiB slice are read slice by slice; the
        hits keep the record (line) numbers of the whole file and progress
        ends at the whole size."""
        a = self.admin
        lines = []
        for i in range(1, 100001):
            if i == 75000:
                lines.append(f"Nov 23 10:00:00 web01 sshd[123]: Failed password for root from {IOC_IP} port 2222 ssh2")
            else:
                lines.append(f"Nov 23 10:00:00 web01 sshd[123]: Accepted publickey for u{i} from 10.0.0.{i % 250} port 50000 ssh2")
        syslog = ("\n".join(lines) + "\n").encode()
        self.assertGreater(len(syslog), 4 << 20)
        h = wait(a, upload(a, self.sys_c, syslog, "auth.log").json["id"])
        self.assertEqual(h["status"], "done", h)
        self.assertEqual((h["progress"]["events"], h["progress"]["bytes_done"]), (100000, len(syslog)))
        hits = self.ok(a.get(f"/api/hunts/{h['id']}/hits"))["items"]
        self.assertEqual([(x["engine"], x["record"], x["host"]) for x in hits], [("ioc", 75000, "web01")])

        rows = []
        for i in range(1, 100001):
            if i == 77777:
                rows.append({"EventID": 3, "Computer": "ws01", "DestinationHostname": "a." + IOC_DOMAIN})
            else:
                rows.append({"EventID": 1, "Computer": "ws01", "CommandLine": f"cmd.exe /c echo {i} padding"})
        jsonl = ("\n".join(json.dumps(r) for r in rows) + "\n").encode()
        self.assertGreater(len(jsonl), 4 << 20)
        h = wait(a, upload(a, self.sys_c, jsonl, "events.jsonl").json["id"])
        self.assertEqual(h["status"], "done", h)
        self.assertEqual(h["progress"]["events"], 100000)
        hits = self.ok(a.get(f"/api/hunts/{h['id']}/hits"))["items"]
        self.assertEqual([(x["engine"], x["record"]) for x in hits], [("ioc", 77777)])
        alert = self.ok(a.get(f"/api/alerts/{hits[0]['alert_id']}"))
        self.assertIn("a." + IOC_DOMAIN, [o["value"] for o in alert["observables"]])

    def test_big_evtx_in_slices_finds_what_the_cli_finds(self):
        """Real EVTX chunks from four files behind one header (over 4 MiB):
        the worker reads it in slices of whole chunks; the hits must be the
        ones `csirt hunt` finds reading the file whole."""
        parts = []
        for i, p in enumerate(BIG_EVTX):
            with open(p, "rb") as f:
                data = f.read()
            parts.append(data if i == 0 else data[4096:])
        big = b"".join(parts)
        self.assertGreater(len(big), 4 << 20)
        path = os.path.join(self.tmp, "merged.evtx")
        with open(path, "wb") as f:
            f.write(big)
        out = subprocess.run([CSIRT, "hunt", "--rules", RULES, "--format", "jsonl", "--quiet", path],
                             capture_output=True, text=True, timeout=240)
        self.assertEqual(out.returncode, 0, out.stderr)
        cli = sorted((j["rule_id"], j["record"]) for j in map(json.loads, out.stdout.splitlines()))
        self.assertGreater(len(cli), 10)
        h = wait(self.admin, upload(self.admin, self.sys_c, big, "merged.evtx").json["id"])
        self.assertEqual(h["status"], "done", h)
        self.assertEqual(h["hits"], len(cli))
        hits = self.ok(self.admin.get(f"/api/hunts/{h['id']}/hits"))["items"]
        self.assertEqual(sorted((x["rule_id"], x["record"]) for x in hits), cli)

    def test_rule_prefilter_is_cached_in_the_data_folder(self):
        cache = os.path.join(self.server.data_dir, "cache")
        self.assertTrue(any(n.startswith("sigma-prefilter-") and n.endswith(".hsdb")
                            for n in os.listdir(cache)), os.listdir(cache))

    def test_z_restart_marks_unfinished_hunts_failed(self):
        a = self.admin
        h = wait(a, upload(a, self.sys_c, self.evtx).json["id"])
        self.server.kill()
        db = sqlite3.connect(os.path.join(self.server.data_dir, "csirt.db"))
        db.execute("UPDATE hunts SET status = 'running', finished_at = NULL WHERE id = ?", (h["id"],))
        db.commit()
        db.close()
        self.server.start()
        h = self.ok(a.get(f"/api/hunts/{h['id']}"))
        self.assertEqual(h["status"], "failed")
        self.assertIn("interrupted", h["error"])


class WithoutRules(ServerTest):

    def test_starting_a_hunt_answers_409(self):
        a = self.admin
        org = self.ok(a.post("/api/orgs", {"name": "Sở Nội vụ"}), 201)["id"]
        sid = self.ok(a.post("/api/systems", {"name": "Một cửa", "owner_org_id": org,
                                              "operator_org_id": org}), 201)["id"]
        r = upload(a, sid, b"Nov 23 10:00:00 host sshd[1]: hello\n", "auth.log")
        self.assertEqual(r.status, 409, r)
        self.assertIn("--hunt-rules", r.json["error"]["message"])
        self.assertEqual(self.ok(a.get("/api/hunts"))["total"], 0)


if __name__ == "__main__":
    unittest.main()
