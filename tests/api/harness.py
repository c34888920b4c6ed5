"""Test harness: starts the real csirt server on a free loopback port with
a fresh data folder (a real SQLite file), and talks to it over HTTP with
the standard library only. Used by every API test."""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

CSIRT = os.environ.get("CSIRT_BIN", "build/csirt")
ADMIN_PASSWORD = "admin-password-for-tests"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, data_dir=None, env=None, args=None):
        self.args = list(args or [])  # more `csirt serve` flags
        self.own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="csirt-test-")
        self.port = free_port()
        self.env = dict(os.environ, CSIRT_ADMIN_PASSWORD=ADMIN_PASSWORD)
        if env:
            self.env.update(env)
        self.proc = None

    def start(self):
        self.log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.proc = subprocess.Popen(
            [CSIRT, "serve", "--listen", f"127.0.0.1:{self.port}", "--data", self.data_dir] + self.args,
            stdout=self.log, stderr=self.log, env=self.env)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: see " + self.data_dir + "/server.log")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/api/health")
                ok = c.getresponse().status == 200
                c.close()
                if ok:
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start within 20 s")

    def kill(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()

    def sanitizer_report(self):
        """What AddressSanitizer, LeakSanitizer or UBSan said in the server
        log (the ASan+UBSan pass runs the same tests), or ''."""
        try:
            with open(os.path.join(self.data_dir, "server.log"), encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            return ""
        marks = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
        return text if any(m in text for m in marks) else ""

    def stop(self):
        self.kill()
        report = self.sanitizer_report()
        if report:
            raise AssertionError("sanitizer report from the server:\n" + report[-4000:])
        if self.own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


class Client:
    """One user agent: keeps the session cookie and the CSRF token."""

    def __init__(self, server, token=None):
        self.server = server
        self.cookie = None
        self.csrf = None
        self.token = token

    def request(self, method, path, body=None, raw=None, headers=None, csrf=True):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        c = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        payload = r.read()
        c.close()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie" and v.startswith("csirt_session="):
                self.cookie = v.split(";")[0]
        ctype = r.getheader("Content-Type", "")
        parsed = None
        if ctype.startswith("application/json") and payload:
            parsed = json.loads(payload)
        return Response(r.status, parsed, payload, dict(r.getheaders()))

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def login(self, username, password):
        r = self.post("/api/auth/login", {"username": username, "password": password})
        if r.status == 200:
            self.csrf = r.json["csrf_token"]
        return r


class Response:
    def __init__(self, status, json_body, raw, headers):
        self.status = status
        self.json = json_body
        self.raw = raw
        self.headers = headers

    def __repr__(self):
        return f"<{self.status} {self.raw[:300]!r}>"


class ServerTest(unittest.TestCase):
    """A test class with one server for all its tests and an admin client."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.admin = Client(cls.server)
        r = cls.admin.login("admin", ADMIN_PASSWORD)
        assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def ok(self, r, status=200):
        self.assertEqual(r.status, status, r)
        return r.json

    def make_user(self, username, role, org_id=None):
        body = {"username": username, "role": role, "password": "password-" + username}
        if org_id:
            body["org_id"] = org_id
        uid = self.ok(self.admin.post("/api/users", body), 201)["id"]
        c = Client(self.server)
        self.ok(c.login(username, "password-" + username))
        return uid, c
