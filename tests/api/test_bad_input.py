"""Bad input gets a clear 4xx in the one error shape: never a crash, never
a partial write. After each attack the server still answers and the number
of incidents is unchanged."""
import http.client
import socket
import unittest

from harness import Client, ServerTest


class BadInput(ServerTest):

    def count(self):
        return self.admin.get("/api/incidents?per_page=1").json["total"]

    def assert_error(self, r, status, field=None):
        self.assertEqual(r.status, status, r)
        self.assertIn("error", r.json)
        self.assertTrue(r.json["error"]["code"] and r.json["error"]["message"], r.json)
        if field:
            self.assertEqual(r.json["error"].get("field"), field, r.json)

    def test_malformed_and_hostile_bodies(self):
        before = self.count()
        a = self.admin
        cases = [
            (b"{", 400), (b"[]", 400), (b"null", 400), (b"\"x\"", 400),
            (b'{"title": "a", "title": "b", "detected_at": "2026-11-01"}', 400),  # duplicate key
            (b'{"title": "\xff\xfe", "detected_at": "2026-11-01"}', 400),  # invalid UTF-8
            (b'{"title": "a\\u0000b", "detected_at": "2026-11-01"}', 400),  # NUL in text
            (b"", 400),
        ]
        for raw, status in cases:
            self.assert_error(a.post("/api/incidents", raw=raw, headers={"Content-Type": "application/json"}),
                              status)
        self.assert_error(a.post("/api/incidents", {"title": "x", "detected_at": "2026-11-01", "hacker": 1}),
                          400, "hacker")
        self.assert_error(a.post("/api/incidents", {"title": 5, "detected_at": "2026-11-01"}), 400, "title")
        self.assert_error(a.post("/api/incidents", {"title": "x", "detected_at": "hôm qua"}), 400, "detected_at")
        self.assert_error(a.post("/api/incidents", {"title": "x", "detected_at": "2099-01-01"}), 400,
                          "detected_at")
        self.assert_error(a.post("/api/incidents", {"detected_at": "2026-11-01"}), 400, "title")
        self.assert_error(a.post("/api/incidents", {"title": "x" * 400, "detected_at": "2026-11-01"}), 400,
                          "title")
        self.assert_error(a.post("/api/incidents", {"title": "x", "detected_at": "2026-11-01",
                                                    "notified": ["everyone"]}), 400, "notified")
        self.assert_error(a.post("/api/incidents", {"title": "x", "detected_at": "2026-11-01",
                                                    "system_level": 9}), 400, "system_level")
        self.assert_error(a.post("/api/incidents", {"title": "x", "detected_at": "2026-11-01",
                                                    "taxonomy_code": "9.9"}), 400, "taxonomy_code")
        self.assert_error(a.post("/api/incidents", {"title": "x", "detected_at": "2026-11-01",
                                                    "step": "closed"}), 400, "step")
        self.assert_error(a.post("/api/incidents", {"title": "x", "detected_at": "2026-11-01",
                                                    "systems": [424242]}), 400, "systems")
        self.assert_error(a.post("/api/incidents", {"title": "x", "detected_at": "2026-11-01",
                                                    "org_id": 424242}), 400, "org_id")
        # a failure late in the transaction (a bad observable after the row
        # was inserted) leaves nothing behind
        self.assert_error(a.post("/api/incidents", {"title": "x", "detected_at": "2026-11-01",
                                                    "observables": [{"type": "ip", "value": "1.2.3.4"},
                                                                    {"type": "ip", "value": "nope"}]}), 400)
        self.assertEqual(self.count(), before)

    def test_oversize_body(self):
        big = b'{"title": "' + b"a" * (2 << 20) + b'", "detected_at": "2026-11-01"}'
        self.assert_error(self.admin.post("/api/incidents", raw=big), 413)
        anon = Client(self.server)
        self.assert_error(anon.post("/api/public/reports", raw=b'{"title":"' + b"b" * 70000 + b'"}'), 413)
        self.assertEqual(self.admin.get("/api/health").status, 200)

    def test_bad_paths_and_queries(self):
        a = self.admin
        self.assert_error(a.get("/api/incidents/0"), 404)
        self.assert_error(a.get("/api/incidents/abc"), 404)
        self.assert_error(a.get("/api/incidents/99999999999999999999999"), 404)
        self.assert_error(a.get("/api/nothing"), 404)
        self.assert_error(a.request("DELETE", "/api/incidents"), 405)
        self.assert_error(a.get("/api/incidents?page=0"), 400)
        self.assert_error(a.get("/api/incidents?per_page=100000"), 400)
        self.assert_error(a.get("/api/incidents?from=yesterday"), 400)
        self.assert_error(a.get("/api/incidents?q=" + "a" * 600), 400)

    def test_truncated_request(self):
        # a client that promises a body and disappears
        s = socket.create_connection(("127.0.0.1", self.server.port))
        s.sendall(b"POST /api/public/reports HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"tit")
        s.close()
        self.assertEqual(self.admin.get("/api/health").status, 200)

    def test_login_throttling(self):
        c = Client(self.server)
        for _ in range(5):
            self.assertEqual(c.login("nobody", "wrong-password").status, 401)
        r = c.login("nobody", "wrong-password")
        self.assert_error(r, 429)
        self.assertIn("Retry-After", r.headers)
        self.assertIn("minutes", r.json["error"]["message"])

    def test_public_rate_limit(self):
        anon = Client(self.server)
        statuses = []
        for i in range(25):
            statuses.append(anon.post("/api/public/reports", {"title": f"báo cáo {i}",
                            "detected_at": "2026-11-01", "reporter_email": "x@y.vn"}).status)
        self.assertIn(429, statuses)
        self.assertEqual(statuses.count(201), 20)


if __name__ == "__main__":
    unittest.main()
