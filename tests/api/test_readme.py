"""The README's curl walkthrough, run as written against a fresh server:
if the README's commands stop working, this test fails."""
import os
import re
import subprocess
import unittest

from harness import Client, Server

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")


class Readme(unittest.TestCase):

    def test_walkthrough(self):
        with open(README, encoding="utf-8") as f:
            text = f.read()
        blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
        self.assertEqual(len(blocks), 1, "the README should have one ```sh walkthrough block")
        server = Server(env={"CSIRT_ADMIN_PASSWORD": "change-me-now-please"}).start()
        try:
            out = subprocess.run(["bash", "-e", "-c", blocks[0]], capture_output=True, text=True,
                                 env=dict(os.environ, CSIRT=f"http://127.0.0.1:{server.port}"), timeout=120)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertNotIn('"error"', out.stdout, out.stdout)
            c = Client(server)
            self.assertEqual(c.login("admin", "change-me-now-please").status, 200)
            inc = c.get("/api/incidents/1").json
            self.assertEqual(inc["status"], "closed")
            self.assertEqual(inc["lessons_learned"], "Bật giám sát toàn vẹn tệp")
            self.assertIn('"intact":true', out.stdout)
            self.assertIn('"step":"closed"', out.stdout)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
