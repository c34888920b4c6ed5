"""`csirt intake email` files into the same database the server reads: a
[TBSC] notification becomes an incident with its Form 03 fields,
observables and attachments kept as evidence (bytes intact); any other
message becomes an alert. Broken mail is refused and files nothing."""
import hashlib
import os
import subprocess
import unittest

from harness import CSIRT, ServerTest

MAIL = os.path.join(os.path.dirname(__file__), "..", "intake", "data")


def intake(data_dir, name=None, raw=None):
    if raw is None:
        with open(os.path.join(MAIL, name), "rb") as f:
            raw = f.read()
    return subprocess.run([CSIRT, "intake", "email", "--data", data_dir], input=raw,
                          capture_output=True, timeout=60)


class Intake(ServerTest):

    def test_tbsc_mail_becomes_an_incident(self):
        p = intake(self.server.data_dir, "tbsc_form03_qp.eml")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"filed incident", p.stdout)
        items = self.ok(self.admin.get("/api/incidents?q=thay%20doi%20giao%20dien"))["items"]
        inc = self.ok(self.admin.get(f"/api/incidents/{items[0]['id']}"))
        self.assertEqual(inc["source"], "email")
        self.assertEqual(inc["system_name"], "Cổng thông tin điện tử tỉnh")
        self.assertEqual(inc["detected_at"], "2026-11-20T03:30:00Z")  # 10:30 in Vietnam
        self.assertIn("Sự cố thay đổi giao diện", inc["title"])
        obs = {o["value"] for o in self.ok(self.admin.get(f"/api/incidents/{inc['id']}/observables"))["items"]}
        self.assertIn("45.77.10.20", obs)

    def test_attachments_are_kept_as_evidence(self):
        p = intake(self.server.data_dir, "multipart_attachments.eml")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"2 attachment(s)", p.stdout)
        inc = self.ok(self.admin.get("/api/incidents?q=nhat%20ky%20truy%20cap"))["items"][0]
        ev = self.ok(self.admin.get(f"/api/incidents/{inc['id']}/evidence"))["items"]
        self.assertEqual(sorted(e["filename"] for e in ev), ["auth.log", "mau.zip"])
        for e in ev:
            body = self.admin.get(f"/api/evidence/{e['id']}/content").raw
            self.assertEqual(hashlib.sha256(body).hexdigest(), e["sha256"])
            self.assertEqual(len(body), e["size"])

    def test_other_mail_becomes_an_alert(self):
        before = self.ok(self.admin.get("/api/alerts"))["total"]
        p = intake(self.server.data_dir, "html_only.eml")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"filed alert", p.stdout)
        alerts = self.ok(self.admin.get("/api/alerts"))
        self.assertEqual(alerts["total"], before + 1)
        self.assertEqual(alerts["items"][0]["source"], "email")

    def test_broken_mail_files_nothing(self):
        before = self.ok(self.admin.get("/api/incidents"))["total"]
        p = intake(self.server.data_dir, raw=b"not mail at all")
        self.assertNotEqual(p.returncode, 0)
        p = intake(self.server.data_dir, "truncated.eml")
        self.assertEqual(self.ok(self.admin.get("/api/incidents"))["total"], before + (1 if p.returncode == 0 else 0))


if __name__ == "__main__":
    unittest.main()
