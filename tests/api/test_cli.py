"""The command line: --help lists every subcommand; `csirt audit verify`
tells an intact audit log from one that was edited, shortened in the middle
or reordered."""
import os
import shutil
import sqlite3
import subprocess
import unittest

from harness import ADMIN_PASSWORD, CSIRT, Client, Server


def run(*args, **kw):
    return subprocess.run([CSIRT, *args], capture_output=True, text=True, **kw)


class Cli(unittest.TestCase):

    def test_help_lists_every_subcommand(self):
        out = run("--help")
        self.assertEqual(out.returncode, 0)
        for cmd in ("serve", "audit", "rules"):
            self.assertIn(cmd, out.stdout)
        self.assertEqual(run("no-such-command").returncode, 2)
        self.assertEqual(run("serve", "--listen", "nonsense").returncode, 2)

    def test_audit_verify_detects_tampering(self):
        server = Server().start()
        c = Client(server)
        self.assertEqual(c.login("admin", ADMIN_PASSWORD).status, 200)
        for i in range(5):
            self.assertEqual(c.post("/api/incidents", {"title": f"Sự cố {i}", "detected_at": "2026-11-01"}).status, 201)
        server.kill()
        d = server.data_dir
        ok = run("audit", "verify", "--data", d)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("intact", ok.stdout)

        def tampered(sql):
            copy = d + "-copy"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(d, copy)
            con = sqlite3.connect(os.path.join(copy, "csirt.db"))
            # SQLite refuses through its triggers; an attacker edits the file
            con.executescript("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;" + sql)
            con.commit()
            con.close()
            out = run("audit", "verify", "--data", copy)
            shutil.rmtree(copy, ignore_errors=True)
            return out

        out = tampered("UPDATE audit SET actor = 'someone-else' WHERE id = 3;")
        self.assertEqual(out.returncode, 1)
        self.assertIn("row 3", out.stdout)
        out = tampered("DELETE FROM audit WHERE id = 4;")
        self.assertEqual(out.returncode, 1)
        self.assertIn("row 5", out.stdout)
        out = tampered("UPDATE audit SET after = replace(after, 'Sự cố 2', 'Sự cố X');")
        self.assertEqual(out.returncode, 1)
        # and through SQLite itself the log refuses to change
        con = sqlite3.connect(os.path.join(d, "csirt.db"))
        with self.assertRaises(sqlite3.DatabaseError):
            con.execute("UPDATE audit SET actor = 'x' WHERE id = 1")
        con.close()
        server.stop()

    def test_audit_anchors_detect_truncation(self):
        server = Server().start()
        c = Client(server)
        self.assertEqual(c.login("admin", ADMIN_PASSWORD).status, 200)
        for i in range(4):
            self.assertEqual(c.post("/api/incidents", {"title": f"Sự cố {i}", "detected_at": "2026-11-01"}).status, 201)
        head = run("audit", "head", "--data", server.data_dir)
        self.assertEqual(head.returncode, 0, head.stderr)
        anchor = head.stdout.strip()
        newest = int(anchor.split(":")[0])
        self.assertGreater(newest, 4)
        server.kill()  # SIGTERM: a clean stop anchors the newest row in the data folder
        d = server.data_dir
        with open(os.path.join(d, "audit-anchors.txt"), encoding="ascii") as f:
            lines = f.read().split("\n")
        self.assertTrue(any(line.startswith(f"{newest} ") for line in lines), lines)
        ok = run("audit", "verify", "--data", d, "--anchor", anchor)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("anchor(s) checked", ok.stdout)

        # Cutting off the newest rows leaves a chain that is intact in
        # itself: only the anchors tell.
        con = sqlite3.connect(os.path.join(d, "csirt.db"))
        con.executescript(f"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id >= {newest - 1};")
        con.commit()
        con.close()
        out = run("audit", "verify", "--data", d, "--anchor", anchor)
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn(f"row {newest}", out.stdout)
        os.unlink(os.path.join(d, "audit-anchors.txt"))
        out = run("audit", "verify", "--data", d)
        self.assertEqual(out.returncode, 0, out.stdout)  # without an anchor it cannot know
        out = run("audit", "verify", "--data", d, "--anchor", anchor)
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("were removed", out.stdout)
        bad = run("audit", "verify", "--data", d, "--anchor", "12:nothex")
        self.assertEqual(bad.returncode, 2)
        server.stop()


if __name__ == "__main__":
    unittest.main()
