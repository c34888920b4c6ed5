"""Notifications: a new warning tells the users of the affected
organisations in the app, `csirt notify send` e-mails them through libcurl
to a local SMTP sink started here (and reads what arrived), a failed send
is kept and retried, and `csirt notify digest` lists obligations overdue or
due soon per organisation."""
import asyncore
import email
import email.header
import os
import smtpd
import subprocess
import threading
import warnings as pywarnings

from harness import CSIRT, Client, ServerTest, free_port

pywarnings.filterwarnings("ignore", category=DeprecationWarning)


class Sink(smtpd.SMTPServer):
    def __init__(self, port):
        super().__init__(("127.0.0.1", port), None, decode_data=False)
        self.messages = []

    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        self.messages.append((mailfrom, rcpttos, email.message_from_bytes(data)))


class Notifications(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.port = free_port()
        cls.sink = Sink(cls.port)
        cls.loop = threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.1}, daemon=True)
        cls.loop.start()
        a = cls.admin
        cls.unit = a.post("/api/orgs", {"name": "Sở Giáo dục"}).json["id"]
        cls.other = a.post("/api/orgs", {"name": "Sở Du lịch"}).json["id"]
        a.post("/api/systems", {"name": "Cổng Sở Giáo dục", "owner_org_id": cls.unit, "operator_org_id": cls.unit,
                                "components": {"items": [{"name": "nginx", "version": "1.22.1"}]}})
        cls.officer = cls.make_officer("officer_gd", cls.unit, "it@sogd.example.vn")
        cls.other_officer = cls.make_officer("officer_dl", cls.other, "it@sodl.example.vn")

    @classmethod
    def tearDownClass(cls):
        cls.sink.close()
        super().tearDownClass()

    @classmethod
    def make_officer(cls, name, org, mail):
        r = cls.admin.post("/api/users", {"username": name, "role": "unit_officer", "org_id": org,
                                          "password": "password-" + name, "email": mail})
        assert r.status == 201, r
        c = Client(cls.server)
        assert c.login(name, "password-" + name).status == 200
        return c

    def cli(self, *args, env=None):
        e = dict(os.environ, **(env or {}))
        return subprocess.run([CSIRT, "notify", *args, "--data", self.server.data_dir],
                              capture_output=True, text=True, timeout=60, env=e)

    def smtp(self, port=None):
        return {"CSIRT_SMTP_URL": f"smtp://127.0.0.1:{port or self.port}", "CSIRT_SMTP_FROM": "csirt@sotttt.example.vn"}

    def test_1_new_warning_in_app_then_by_mail(self):
        title = "Cảnh báo lỗ hổng nginx — cập nhật khẩn"
        self.ok(self.admin.post("/api/warnings", {"title": title, "products": [{"name": "nginx"}],
                                                  "required_action": "Cập nhật", "due_on": "2026-12-31"}), 201)
        mine = self.ok(self.officer.get("/api/notifications"))["items"]
        self.assertEqual([(n["kind"], n["title"]) for n in mine], [("warning", title)])
        self.assertEqual(self.ok(self.other_officer.get("/api/notifications"))["items"], [])

        p = self.cli("send", env=self.smtp(free_port()))  # nobody listens there
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("0 sent, 1 failed", p.stdout, p.stderr)
        p = self.cli("send", env=self.smtp())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("1 sent, 0 failed", p.stdout)
        self.assertEqual(len(self.sink.messages), 1)
        mailfrom, rcpts, msg = self.sink.messages[0]
        self.assertEqual((mailfrom, rcpts), ("csirt@sotttt.example.vn", ["it@sogd.example.vn"]))
        subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
        self.assertEqual(subject, title)
        self.assertIn("2026-12-31", msg.get_payload(decode=True).decode("utf-8"))
        self.assertIn("0 sent", self.cli("send", env=self.smtp()).stdout)  # nothing twice
        n = mine[0]
        self.ok(self.officer.post(f"/api/notifications/{n['id']}/read"))
        self.assertEqual(self.officer.post(f"/api/notifications/{n['id']}/read").status, 404)
        self.assertEqual(self.other_officer.post(f"/api/notifications/{n['id']}/read").status, 404)
        self.assertEqual(self.ok(self.officer.get("/api/notifications?unread=1"))["items"], [])

    def test_2_daily_digest(self):
        p = self.cli("digest", "--date", "2026-09-01")
        self.assertEqual(p.returncode, 0, p.stderr)
        digests = [n for n in self.ok(self.officer.get("/api/notifications"))["items"] if n["kind"] == "digest"]
        self.assertEqual(len(digests), 1)
        self.assertIn("2026-09-01", digests[0]["title"])
        self.assertIn("[overdue]", digests[0]["body"])
        self.assertIn("Cổng Sở Giáo dục", digests[0]["body"])
        # the warning of test 1 (due 2026-12-31) is still open: due soon a week before
        self.assertNotIn("[warning", digests[0]["body"])
        self.assertEqual(self.cli("digest", "--date", "2026-12-26").returncode, 0)
        latest = self.ok(self.officer.get("/api/notifications"))["items"][0]
        self.assertIn("[warning due soon] Cảnh báo lỗ hổng nginx", latest["body"])
        self.assertEqual(self.cli("digest", "--date", "2027-01-05").returncode, 0)
        latest = self.ok(self.officer.get("/api/notifications"))["items"][0]
        self.assertIn("[warning overdue] Cảnh báo lỗ hổng nginx", latest["body"])
        # a longer lead time: the warning due 2026-12-31 is announced on
        # 2026-12-01 with 30 days, not with the default week
        self.assertEqual(self.cli("digest", "--date", "2026-12-01").returncode, 0)
        latest = self.ok(self.officer.get("/api/notifications"))["items"][0]
        self.assertNotIn("[warning", latest["body"])
        self.assertEqual(self.cli("digest", "--date", "2026-12-01", "--lead-days", "30").returncode, 0)
        latest = self.ok(self.officer.get("/api/notifications"))["items"][0]
        self.assertIn("[warning due soon] Cảnh báo lỗ hổng nginx", latest["body"])

    def test_3_bad_configuration(self):
        p = self.cli("send", env={"CSIRT_SMTP_URL": "http://x", "CSIRT_SMTP_FROM": "a@b"})
        self.assertEqual(p.returncode, 1)
        self.assertIn("CSIRT_SMTP_URL", p.stderr)
        self.assertEqual(self.cli("digest", "--date", "2026-02-30").returncode, 2)
        self.assertEqual(self.cli("digest", "--lead-days", "0").returncode, 2)
        self.assertEqual(self.cli("nothing").returncode, 2)
