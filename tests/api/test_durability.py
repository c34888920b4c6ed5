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

    def test_kill_9_during_write_burst(self):
        server = Server().start()
        admin = Client(server)
        self.assertEqual(admin.login("admin", ADMIN_PASSWORD).status, 200)
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
                    return  # the server died under us: expected
                if r.status == 201:
                    with lock:
                        acked.append((r.json["id"], r.json["tracking_code"]))

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
        stop.set()
        for t in threads:
            t.join()
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
