#!/usr/bin/python3
"""Starts real Debian services on loopback (nginx with and without TLS,
OpenSSH on a high port, PostgreSQL, Redis, MariaDB, Exim, vsftpd, Dovecot
IMAP and POP3, BIND, memcached), scans them with `csirt scan --format
jsonl`, and checks service, product and version against dpkg's ground
truth: the upstream version must equal the one dpkg has installed, and
where the wire shows the distribution revision, the reconstructed package
version must equal dpkg's exactly. Also checks the scope rule.

usage: test_services.py CSIRT_BINARY SERVICES_SH
Exit 77 (skip) without root or the base packages, unless CI=true. A service
whose package is missing is skipped with a notice, unless CI=true; a
service whose package is installed but does not start is a failure."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

csirt, services_sh = sys.argv[1], sys.argv[2]
ci = os.environ.get("CI") == "true"


def skip(why):
    print("SKIP: " + why)
    sys.exit(1 if ci else 77)


if os.geteuid() != 0:
    skip("needs root to start sshd and PostgreSQL")
for tool in ("nginx", "redis-server", "/usr/sbin/sshd", "openssl"):
    if shutil.which(tool) is None:
        skip(tool + " is not installed (scripts/packages/scan.txt)")
if not any(os.scandir("/usr/lib/postgresql")) if os.path.isdir("/usr/lib/postgresql") else True:
    skip("PostgreSQL is not installed")


def dpkg_version(pkg):
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], check=True,
                          capture_output=True, text=True).stdout


def upstream(version):
    v = version.split(":", 1)[-1]
    return v.rsplit("-", 1)[0] if "-" in v else v


# The daemon each service of services.sh needs (scripts/packages/scan-test.txt).
daemons = {"mysql": "mariadbd", "smtp": "exim4", "ftp": "vsftpd", "dovecot": "dovecot",
           "dns": "named", "memcached": "memcached"}

failures = []
d = tempfile.mkdtemp(prefix="csirt-scan-")
os.chmod(d, 0o755)
try:
    subprocess.run(["sh", services_sh, "start", d])
    for line in open(os.path.join(d, "failed.txt")):
        name = line.split()[0]
        if not ci and name in daemons and shutil.which(daemons[name], path=os.environ.get(
                "PATH", "") + ":/usr/sbin") is None:
            print("SKIP %s: %s is not installed (scripts/packages/scan-test.txt)" % (name, daemons[name]))
        else:
            failures.append("service did not start: " + line.strip())
    svcs = [line.split() for line in open(os.path.join(d, "services.txt"))]
    svcs += [line.split() for line in open(os.path.join(d, "services-more.txt"))]
    ports = ",".join(s[1] for s in svcs)
    out = subprocess.run([csirt, "scan", "--ports", ports, "--format", "jsonl", "127.0.0.1"],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        failures.append("csirt scan failed: " + out.stderr)
    found = {}
    for line in out.stdout.splitlines():
        o = json.loads(line)
        for key in ("host", "port", "service", "product", "version", "cpe"):
            if key not in o:
                failures.append("missing %s in %s" % (key, line))
        found[o["port"]] = o
    expect = {"http": ("http", "nginx"), "https": ("https", "nginx"), "ssh": ("ssh", "OpenSSH"),
              "redis": ("redis", "Redis"), "postgresql": ("postgresql", "PostgreSQL"),
              "mysql": ("mysql", "MariaDB"), "smtp": ("smtp", "Exim"), "ftp": ("ftp", "vsftpd"),
              "imap": ("imap", "Dovecot imapd"), "pop3": ("pop3", "Dovecot pop3d"),
              "dns": ("dns", "ISC BIND"), "memcached": ("memcached", "memcached")}
    # Dovecot's greeting has no version ("* OK [...] Dovecot (Debian) ready."): the
    # scanner must leave it empty, never guess it from somewhere else.
    no_version_on_wire = ("imap", "pop3")
    for name, port, pkg in svcs:
        o = found.get(int(port))
        truth = dpkg_version(pkg)
        if o is None:
            failures.append("%s on %s not reported" % (name, port))
            continue
        service, product = expect[name]
        got = (o["service"], o["product"], o["version"])
        want = (service, product, "" if name in no_version_on_wire else upstream(truth))
        status = "ok" if got == want else "WRONG"
        print("%-10s port %-5s dpkg %-22s scan %s %s %s %s" % (name, port, truth, *got,
              o.get("package_version", "")))
        if got != want:
            failures.append("%s: got %s, dpkg says %s" % (name, got, want))
        if "package_version" in o and o["package_version"] != truth:
            failures.append("%s: package version %s, dpkg says %s" % (name, o["package_version"], truth))
        if name == "ssh" and o.get("package_version") != truth:
            failures.append("ssh: the Debian revision on the wire was not turned into %s" % truth)
        if name in ("mysql", "dns") and o.get("package_version") != truth:
            failures.append("%s: the Debian revision on the wire was not turned into %s" % (name, truth))
        if name in ("imap", "pop3", "dns") and o.get("distro") != "Debian":
            failures.append("%s: distro %s, the greeting says Debian" % (name, o.get("distro")))
        if o.get("distro", "Debian") not in ("Debian", "Ubuntu"):
            failures.append("%s: distro %s is not a distribution" % (name, o["distro"]))
        if name == "dns":
            # version.bind is what named -v prints after "BIND " (unless configured away)
            v = subprocess.run(["named", "-v"], capture_output=True, text=True).stdout.split()
            if v[:2] != ["BIND", "%s-%s-%s" % (o["version"], o.get("revision"), o.get("distro"))]:
                failures.append("dns: scan says %s, named -v says %s" % (o, v[:2]))
        if name == "https" and "CN=csirt-test.example" not in o.get("tls_subject", ""):
            failures.append("https: certificate subject not read: %s" % o)
        if name == "https" and not o.get("tls_not_after", "").startswith("20"):
            failures.append("https: certificate expiry not read")
        if not o["cpe"].startswith("cpe:2.3:a:"):
            failures.append("%s: bad cpe %s" % (name, o["cpe"]))
    # Services that hide their version: identified, version left empty, never guessed.
    extra = [line.split() for line in open(os.path.join(d, "services-extra.txt"))]
    out = subprocess.run([csirt, "scan", "--ports", ",".join(s[1] for s in extra), "--format", "jsonl",
                          "127.0.0.1"], capture_output=True, text=True, timeout=60)
    got = {json.loads(l)["port"]: json.loads(l) for l in out.stdout.splitlines()}
    want = {"http-hidden": ("http", "nginx", "", ""), "redis-auth": ("redis", "Redis", "", "authentication required"),
            "dns-hidden": ("dns", "", "", "")}
    for name, port, pkg in extra:
        o = got.get(int(port), {})
        g = (o.get("service"), o.get("product"), o.get("version"), o.get("info", ""))
        print("%-11s port %-5s scan %s" % (name, port, g))
        if g != want[name]:
            failures.append("%s: got %s, want %s" % (name, g, want[name]))
    # The default port list (top100) works as shipped.
    r = subprocess.run([csirt, "scan", "--ports-only", "127.0.0.1"], capture_output=True, text=True)
    if r.returncode != 0:
        failures.append("default port list failed: %s" % r.stderr)
    # Scope: a range is refused without --authorize, scanned and logged with it.
    r = subprocess.run([csirt, "scan", "--ports", ports, "127.0.0.0/30"], capture_output=True, text=True)
    if r.returncode != 2 or "outside the scan scope" not in r.stderr:
        failures.append("range without --authorize was not refused: %d %s" % (r.returncode, r.stderr))
    r = subprocess.run([csirt, "scan", "--ports-only", "--ports", ports, "--authorize", "ticket 42",
                        "127.0.0.0/30"], capture_output=True, text=True)
    if r.returncode != 0 or 'reason="ticket 42"' not in r.stderr:
        failures.append("authorised range scan not logged: %d %s" % (r.returncode, r.stderr))
    with open(os.path.join(d, "scope.txt"), "w") as f:
        f.write("# registered addresses\n127.0.0.2\n")
    r = subprocess.run([csirt, "scan", "--scope", os.path.join(d, "scope.txt"), "--ports", ports,
                        "127.0.0.1"], capture_output=True, text=True)
    if r.returncode != 2:
        failures.append("address outside --scope file was not refused")
finally:
    subprocess.run(["sh", services_sh, "stop", d])
    shutil.rmtree(d, ignore_errors=True)

for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
