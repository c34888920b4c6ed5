"""Who may do what. Every route of the API (read from GET /api/routes, so a
new route cannot escape the matrix) is called by every role: a role that is
not allowed gets 403, one that is allowed never gets 401 or 403. Then the
tenant rule: a unit officer sees and changes only its own organisation's
subtree, and another tenant's ids answer 404. Then sessions and CSRF."""
import re
import unittest

from harness import Client, ServerTest

ROLES = ["admin", "coordinator", "responder", "unit_officer", "auditor"]


class Access(ServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.admin
        cls.province = a.post("/api/orgs", {"name": "UBND tỉnh", "type": "province"}).json["id"]
        cls.unit_a = a.post("/api/orgs", {"name": "Sở Y tế", "type": "department",
                                          "parent_id": cls.province}).json["id"]
        cls.unit_a_child = a.post("/api/orgs", {"name": "Bệnh viện tỉnh", "type": "unit",
                                                "parent_id": cls.unit_a}).json["id"]
        cls.unit_b = a.post("/api/orgs", {"name": "Sở Tài chính", "type": "department",
                                          "parent_id": cls.province}).json["id"]
        cls.sys_a = a.post("/api/systems", {"name": "HIS bệnh viện", "owner_org_id": cls.unit_a,
                                            "operator_org_id": cls.unit_a_child, "level": 3}).json["id"]
        cls.sys_b = a.post("/api/systems", {"name": "Quản lý ngân sách", "owner_org_id": cls.unit_b,
                                            "operator_org_id": cls.unit_b, "level": 2}).json["id"]
        cls.inc_a = a.post("/api/incidents", {"title": "Sự cố A", "detected_at": "2026-11-01T08:00",
                                              "org_id": cls.unit_a_child, "systems": [cls.sys_a]}).json["id"]
        cls.inc_b = a.post("/api/incidents", {"title": "Sự cố B", "detected_at": "2026-11-01T08:00",
                                              "org_id": cls.unit_b, "systems": [cls.sys_b]}).json["id"]
        cls.clients = {}
        for role in ROLES:
            org = cls.unit_a if role == "unit_officer" else None
            body = {"username": "u_" + role, "role": role, "password": "password-" + role}
            if org:
                body["org_id"] = org
            assert a.post("/api/users", body).status == 201
            c = Client(cls.server)
            assert c.login("u_" + role, "password-" + role).status == 200
            cls.clients[role] = c
        cls.officer_b = Client(cls.server)
        a.post("/api/users", {"username": "officer_b", "role": "unit_officer", "org_id": cls.unit_b,
                              "password": "password-officer-b"})
        assert cls.officer_b.login("officer_b", "password-officer-b").status == 200
        cls.routes = a.get("/api/routes").json["items"]

    def fill(self, path):
        return re.sub(r"\{code\}", "x", path.replace("{id}", str(self.inc_a)))

    def test_every_route_against_every_role(self):
        self.assertGreater(len(self.routes), 40)
        checked = 0
        for r in self.routes:
            if r["public"] or r["path"] in ("/api/auth/password",):
                continue
            for role in ROLES:
                c = self.clients[role]
                # A body that is valid JSON but usually incomplete: allowed
                # roles get past authorisation (any status but 401/403).
                res = c.request(r["method"], self.fill(r["path"]),
                                body={} if r["method"] in ("POST", "PATCH") else None)
                allowed = role in r["roles"]
                if allowed:
                    self.assertNotIn(res.status, (401, 403), (role, r, res))
                else:
                    self.assertEqual(res.status, 403, (role, r, res))
                checked += 1
        self.assertGreater(checked, 200)

    def test_unauthenticated_gets_401_everywhere(self):
        anon = Client(self.server)
        for r in self.routes:
            if r["public"]:
                continue
            res = anon.request(r["method"], self.fill(r["path"]), body={} if r["method"] != "GET" else None)
            self.assertEqual(res.status, 401, (r, res))

    def test_unit_officer_sees_only_its_subtree(self):
        off = self.clients["unit_officer"]
        ids = {i["id"] for i in self.ok(off.get("/api/incidents?per_page=200"))["items"]}
        self.assertIn(self.inc_a, ids)
        self.assertNotIn(self.inc_b, ids)
        self.assertEqual(off.get(f"/api/incidents/{self.inc_b}").status, 404)
        self.assertEqual(off.get(f"/api/incidents/{self.inc_b}/timeline").status, 404)
        self.assertEqual(off.patch(f"/api/incidents/{self.inc_b}", {"title": "x"}).status, 404)
        self.assertEqual(off.post(f"/api/incidents/{self.inc_b}/transitions",
                                  {"to": "1b", "reason": "x"}).status, 404)
        self.assertEqual(off.post(f"/api/incidents/{self.inc_b}/comments", {"body": "x"}).status, 404)
        self.assertEqual(off.get(f"/api/incidents?org_id={self.unit_b}").json["total"], 0)
        # a text search matching both tenants' incidents shows only its own
        found = self.ok(off.get("/api/incidents?q=su%20co"))
        self.assertEqual(([i["id"] for i in found["items"]], found["total"]), ([self.inc_a], 1))
        self.assertEqual(off.get(f"/api/systems/{self.sys_b}").status, 404)
        self.assertEqual(off.get(f"/api/orgs/{self.unit_b}").status, 404)
        orgs = {o["id"] for o in self.ok(off.get("/api/orgs"))["items"]}
        self.assertEqual(orgs, {self.unit_a, self.unit_a_child})
        systems = {s["id"] for s in self.ok(off.get("/api/systems"))["items"]}
        self.assertEqual(systems, {self.sys_a})
        # it files incidents for its own organisation only
        r = off.post("/api/incidents", {"title": "Của tôi", "detected_at": "2026-11-02T08:00"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.admin.get(f"/api/incidents/{r.json['id']}").json["org_id"], self.unit_a)
        r = off.post("/api/incidents", {"title": "Của người khác", "detected_at": "2026-11-02T08:00",
                                        "org_id": self.unit_b})
        self.assertEqual(r.status, 400, r)
        r = off.post("/api/incidents", {"title": "Hệ thống khác", "detected_at": "2026-11-02T08:00",
                                        "systems": [self.sys_b]})
        self.assertEqual(r.status, 400, r)
        # the other tenant sees the mirror image
        ob = self.officer_b
        self.assertEqual(ob.get(f"/api/incidents/{self.inc_a}").status, 404)
        self.assertEqual(ob.get(f"/api/incidents/{self.inc_b}").status, 200)
        # evidence of another tenant is invisible too
        ev = self.admin.post(f"/api/incidents/{self.inc_a}/evidence?filename=a.txt", raw=b"secret").json
        self.assertEqual(ob.get(f"/api/evidence/{ev['id']}/content").status, 404)
        self.assertEqual(off.get(f"/api/evidence/{ev['id']}/content").status, 200)

    def test_csrf_and_sessions(self):
        c = Client(self.server)
        c.login("u_responder", "password-responder")
        r = c.post("/api/incidents", {"title": "x", "detected_at": "2026-11-02T08:00"}, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json["error"]["code"], "csrf")
        r = c.post("/api/incidents", {"title": "x", "detected_at": "2026-11-02T08:00"},
                   headers={"X-CSRF-Token": "0" * 64}, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(c.get("/api/auth/me").status, 200)
        c.post("/api/auth/logout")
        self.assertEqual(c.get("/api/auth/me").status, 401)

    def test_api_token(self):
        c = self.clients["responder"]
        tok = self.ok(c.post("/api/tokens", {"name": "hunt on server 1"}), 201)
        self.assertTrue(tok["token"].startswith("csirt_"))
        machine = Client(self.server, token=tok["token"])
        # tokens are not cookies: no CSRF token needed
        r = machine.post("/api/alerts", {"source": "hunt", "title": "từ máy"})
        self.assertEqual(r.status, 201, r)
        # Warm every server thread's credential cache, then revoke: the
        # very next request on any thread must be refused.
        for _ in range(12):
            self.assertEqual(machine.get("/api/incidents").status, 200)
        self.ok(c.request("DELETE", f"/api/tokens/{tok['id']}"))
        for _ in range(12):
            self.assertEqual(machine.get("/api/incidents").status, 401)
        listed = self.ok(c.get("/api/tokens"))["items"]
        self.assertNotIn("token_hash", listed[0])

    def test_no_secret_leaves(self):
        users = self.ok(self.admin.get("/api/users?per_page=100"))["items"]
        for u in users:
            self.assertNotIn("password_hash", u)
        with open(self.server.data_dir + "/server.log", encoding="utf-8", errors="replace") as f:
            log = f.read()
        self.assertNotIn("password-responder", log)
        self.assertNotIn("admin-password-for-tests", log)


if __name__ == "__main__":
    unittest.main()
