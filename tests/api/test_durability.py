"""Durability: kill -9 the server during a burst of concurrent writes.
After a restart every incident that was acknowledged (201 with its
tracking code) is present, the database passes PRAGMA integrity_check and
the audit chain is intact."""
import os
import signal
import sqlite3
import subprocess
import threading
import time
import unittest

from harness import ADMIN_PASSWORD, CSIRT, Client, Server


class Durability(unittest.TestCase):

    def burst(self, server, admin, writers, seconds, stop_server):
        """Writers file incidents at once until stop_server() has run;
        returns the (id, tracking code) of every acknowledged one."""
        acked = []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n):
            c = Client(server)
            c.cookie, c.csrf = admin.cookie, admin.csrf
            i = 0
            while not stop.is_set() and i < 2000:
                i += 1
                try:
                    r = c.post("/api/incidents", {"title": f"Sự cố {n}-{i}", "detected_at": "2026-11-01T08:00",
                                                  "observables": [{"type": "ip", "value": f"10.{n}.{i % 250}.1"}]})
                except OSError:
                    return  # the server went away under us: expected
                if r.status == 201:
                    with lock:
                        acked.append((r.json["id"], r.json["tracking_code"]))

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop_server()
        stop.set()
        for t in threads:
            t.join()
        return acked

    def test_sigterm_during_write_burst(self):
        """A stop (SIGTERM) while writes are queued for the write threads:
        the server runs what it accepted, exits 0 within seconds, and every
        acknowledged incident is in the database."""
        server = Server().start()
        admin = Client(server)
        self.assertEqual(admin.login("admin", ADMIN_PASSWORD).status, 200)
        codes = []

        def stop_server():
            server.proc.send_signal(signal.SIGTERM)
            codes.append(server.proc.wait(timeout=30))

        acked = self.burst(server, admin, 12, 1.5, stop_server)
        self.assertEqual(codes, [0])
        self.assertGreater(len(acked), 20, "the burst wrote too little to test anything")
        con = sqlite3.connect(os.path.join(server.data_dir, "csirt.db"))
        stored = dict(con.execute("SELECT id, tracking_code FROM incidents"))
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        con.close()
        lost = [(i, c) for i, c in acked if stored.get(i) != c]
        self.assertEqual(lost, [], f"{len(lost)} of {len(acked)} acknowledged incidents lost")

    def test_kill_9_during_write_burst(self):
        server = Server().start()
        admin = Client(server)
        self.assertEqual(admin.login("admin", ADMIN_PASSWORD).status, 200)

        def stop_server():
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait()

        acked = self.burst(server, admin, 4, 1.5, stop_server)
        self.assertGreater(len(acked), 20, "the burst wrote too little to test anything")

        db = os.path.join(server.data_dir, "csirt.db")
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        con.close()
        server2 = Server(data_dir=server.data_dir).start()
        try:
            c = Client(server2)
            self.assertEqual(c.login("admin", ADMIN_PASSWORD).status, 200)
            missing = []
            for iid, code in acked:
                r = c.get(f"/api/incidents/{iid}")
                if r.status != 200 or r.json["tracking_code"] != code:
                    missing.append((iid, code, r.status))
            self.assertEqual(missing, [], f"{len(missing)} of {len(acked)} acknowledged incidents lost")
            v = c.get("/api/audit/verify").json
            self.assertTrue(v["intact"], v)
        finally:
            server2.kill()
        out = subprocess.run([CSIRT, "audit", "verify", "--data", server.data_dir], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        print(f"\n{len(acked)} incidents acknowledged before kill -9; all present after restart")
        server.stop()


if __name__ == "__main__":
    unittest.main()
