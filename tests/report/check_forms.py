#!/usr/bin/env python3
"""Renders every form and report from the fixtures with the real `csirt
report` command and checks that every field value of the fixture appears in
the output text, diacritics included.

  pdf:  pdftotext (poppler) on the PDF; pdffonts must show only embedded
        Liberation Serif; pdftoppm must render every page.
  html: the page with tags stripped and entities decoded.
  docx: LibreOffice headless converts every DOCX to PDF (proof that it
        opens), then pdftotext as above.

usage: check_forms.py CSIRT DATA_DIR FORMATS(comma-separated)
Exit 77 (skipped) when a tool is missing, unless CI=true.
"""
import datetime
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

KINDS = [
    ("form01", "form01"), ("form02", "form02"), ("form03", "incident"),
    ("form04", "incident"), ("form05", "form05"), ("mau08", "mau08"),
    ("report72h", "incident"), ("quarterly", "quarterly"),
    ("annual", "annual"),
]

VN = datetime.timezone(datetime.timedelta(hours=7))

# What each incident form prints (docs/DOMAIN.md §2.9 and docs/report.md).
INCIDENT_COMMON = ["tracking_code", "title", "taxonomy_code", "taxonomy_name",
                   "operator_name", "owner_name", "system_name", "detected_at",
                   "description"]
INCIDENT_PATHS = {
    "form03": INCIDENT_COMMON + [
        "reporter", "contact", "isp", "security_provider", "detection_methods",
        "os", "services", "security_measures", "public_ips", "domains",
        "purpose", "attachments_kind", "recommendations", "spread", "impact",
        "measures_taken", "supporters", "initial_result", "reported_at"],
    "form04": INCIDENT_COMMON + [
        "reporter", "closure"],
    "report72h": INCIDENT_COMMON + [
        "contact", "public_ips", "domains", "cause", "spread", "impact",
        "measures_taken", "initial_result", "supporters", "observables",
        "deadlines.0.label", "deadlines.0.due_at", "deadlines.0.status",
        "deadlines.0.source", "recommendations"],
}
INCIDENT_LABELS = {
    "form03": ["Sự cố nghiêm trọng", "Chưa được xử lý", "Cấp 3",
               "Cơ quan điều phối quốc gia"],
    "form04": ["Cấp 3"],
    "report72h": ["Sự cố nghiêm trọng", "Cấp 3",
                  "Nghị định 331/2026/NĐ-CP chưa quy định mẫu báo cáo"],
}
MAU08_CODES = {
    "approved": "Đã được phê duyệt", "sent_for_appraisal": "Đã gửi thẩm định",
    "partial": "Đã triển khai một số hạng mục",
    "not_started": "Chưa triển khai",
    "both": "Trước khi đưa vào sử dụng; Định kỳ",
    "before_use": "Trước khi đưa vào sử dụng",
}
DATE_ONLY = ("initial_report_date", "expected_all_approved_date",
             "expected_approval_date", "expected_full_implementation")


def vn_datetime(s, with_time=True):
    if len(s) == 10:
        d = datetime.datetime.fromisoformat(s + "T00:00:00+07:00")
    else:
        d = datetime.datetime.fromisoformat(s)
    d = d.astimezone(VN)
    return d.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


def thousands(n):
    return f"{int(n):,}".replace(",", ".")


def leaves(value, path=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, f"{path}.{i}")
    else:
        yield path, value


def expected(kind, data):
    """(path, text) pairs the document must contain."""
    out = []
    doc = data.get("document", {})
    for path, v in leaves(doc, "document"):
        if path == "document.date":
            d = datetime.date.fromisoformat(v)
            out.append((path, f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"))
        elif isinstance(v, str) and v:
            out.append((path, v))
    if kind in INCIDENT_PATHS:
        pairs = []
        for p in INCIDENT_PATHS[kind]:
            node = data
            for part in p.split("."):
                node = node[int(part)] if isinstance(node, list) else node[part]
            pairs += list(leaves(node, p))
        out += [(f"label:{t}", t) for t in INCIDENT_LABELS[kind]]
    else:
        pairs = [(p, v) for p, v in leaves(data)
                 if not p.startswith("document.") and not p.startswith("period.")
                 and p != "year"]
    for p, v in pairs:
        key = p.split(".")[-1]
        if isinstance(v, bool) or v is None or v == "":
            continue
        if isinstance(v, (int, float)):
            if kind == "form05" and p.startswith("rows."):
                out.append((p, thousands(v)))
            elif kind == "mau08" and key == "proposed_level":
                out.append((p, str(v)))
            else:
                out.append((p, f"{v:g}" if isinstance(v, float) else str(v)))
            continue
        if key.endswith("_at"):
            out.append((p, vn_datetime(v)))
        elif key in DATE_ONLY:
            out.append((p, vn_datetime(v, with_time=False)))
        elif kind == "mau08" and v in MAU08_CODES:
            out.append((p, MAU08_CODES[v]))
        else:
            out.append((p, v))
    return out


def squash(text):
    """Comparison form: NFC, case-folded, without any white space (a value
    may wrap over lines or table rows)."""
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"\s+", "", text)


def pdf_text(path):
    # The crop leaves out the top margin, where page numbers sit (Decree
    # 30): a number there would split a value that runs over a page break.
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-x", "0",
                           "-y", "48", "-W", "596", "-H", "800", path, "-"],
                          check=True, capture_output=True, text=True).stdout


def check_fonts(path):
    out = subprocess.run(["pdffonts", path], check=True, capture_output=True,
                         text=True).stdout.splitlines()[2:]
    bad = [l for l in out if "LiberationSerif" not in l or " yes " not in l]
    return [f"font not embedded Liberation Serif: {l}" for l in bad]


def check_pages(path, tmp):
    prefix = os.path.join(tmp, "page")
    subprocess.run(["pdftoppm", "-r", "20", "-png", path, prefix], check=True)
    pages = [f for f in os.listdir(tmp) if f.startswith("page")]
    for f in pages:
        os.unlink(os.path.join(tmp, f))
    return [] if pages else [f"pdftoppm rendered no page of {path}"]


def html_text(path):
    with open(path, encoding="utf-8") as f:
        s = f.read()
    s = re.sub(r"<style>.*?</style>", " ", s, flags=re.S)
    s = re.sub(r"<[^>]+>", " ", s)
    return html.unescape(s)


def need(tool):
    if shutil.which(tool):
        return True
    msg = f"check_forms: {tool} is not installed (scripts/deps.sh installs it)"
    if os.environ.get("CI") == "true":
        print(msg + "; failing because CI=true")
        sys.exit(1)
    print(msg + "; skipping")
    sys.exit(77)


def main():
    csirt, data_dir, formats = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    if "pdf" in formats or "docx" in formats:
        for t in ("pdftotext", "pdffonts", "pdftoppm"):
            need(t)
    if "docx" in formats:
        need("libreoffice")
    failures = []
    checked = 0
    with tempfile.TemporaryDirectory(prefix="csirt-forms-") as tmp:
        rendered = []
        for kind, fixture in KINDS:
            src = os.path.join(data_dir, fixture + ".json")
            with open(src, encoding="utf-8") as f:
                data = json.load(f)
            for fmt in formats:
                out = os.path.join(tmp, f"{kind}.{fmt}")
                r = subprocess.run([csirt, "report", kind, "--input", src,
                                    "-o", out], capture_output=True, text=True)
                if r.returncode != 0:
                    failures.append(f"{kind}.{fmt}: csirt failed: {r.stderr}")
                    continue
                rendered.append((kind, fmt, out, expected(kind, data)))
        docx = [r[2] for r in rendered if r[1] == "docx"]
        if docx:
            lo_out = os.path.join(tmp, "lo")
            env = dict(os.environ, HOME=os.path.join(tmp, "home"))
            subprocess.run(["libreoffice", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", lo_out] + docx,
                           check=True, capture_output=True, env=env,
                           timeout=500)
        for kind, fmt, out, want in rendered:
            if fmt == "html":
                text = html_text(out)
            else:
                pdf = out
                if fmt == "docx":
                    pdf = os.path.join(tmp, "lo", f"{kind}.pdf")
                    if not os.path.exists(pdf):
                        failures.append(f"{kind}.docx: LibreOffice did not "
                                        "convert it")
                        continue
                else:
                    failures += check_fonts(pdf)
                failures += check_pages(pdf, tmp)
                text = pdf_text(pdf)
            hay = squash(text)
            for path, value in want:
                checked += 1
                if squash(value) not in hay:
                    failures.append(f"{kind}.{fmt}: {path} = {value!r} "
                                    "not found")
    for f in failures:
        print("FAIL", f)
    print(f"check_forms: {len(rendered)} documents, {checked} values checked, "
          f"{len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
