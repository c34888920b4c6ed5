#!/usr/bin/python3
"""Writes the e-mail fixtures of tests/intake/data/. They are committed; this
script says how each was made (encodings are easy to get wrong by hand).
Run from anywhere: python3 tests/intake/make_fixtures.py"""
import base64
import os
import quopri
import unicodedata
from email.header import Header

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def write(name, text):
    data = text if isinstance(text, bytes) else text.encode("ascii")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


def qp(text):
    return quopri.encodestring(text.encode("utf-8")).decode("ascii")


def b64(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return "\n".join(s[i:i + width] for i in range(0, len(s), width))


def enc_header(text):
    return Header(text, "utf-8").encode()


FORM03 = """Kính gửi Sở Thông tin và Truyền thông,

BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG
1. Thông tin tổ chức/cá nhân báo cáo sự cố (*):
- Tên: Trung tâm Công nghệ thông tin tỉnh
- Địa chỉ: 15 Trần Phú, TP. Hà Tĩnh
- Điện thoại: 0239 3855 123
- Email: ttcntt@hatinh.gov.vn
2. Thông tin người liên hệ:
- Họ và tên (*): Nguyễn Văn An
- Chức vụ: Phó Giám đốc
- Điện thoại (*): 0912 345 678
- Email (*): an.nv@hatinh.gov.vn
3. Thông tin chi tiết về hệ thống:
- Tên đơn vị vận hành hệ thống (*): Trung tâm CNTT
- Cơ quan chủ quản: Sở Thông tin và Truyền thông
- Tên hệ thống: Cổng thông tin điện tử tỉnh
- Cấp độ (nếu có): Cấp 3
4. Mô tả sơ bộ về sự cố (*):
Trang chủ bị thay đổi giao diện, kẻ tấn công tải lên webshell tại hxxp://hatinh[.]gov[.]vn/uploads/x.php
và kết nối tới máy chủ điều khiển 45.77.10[.]20.

5. Thời điểm phát hiện (*): 10:30 ngày 20/11/2026
6. Tình trạng sự cố: Chưa được xử lý
7. Phương thức phát hiện: Xem xét file nhật ký
9. Hệ điều hành: CentOS 7
Địa chỉ IP công khai: 203.113.131.5
Tên miền: hatinh.gov.vn
Thông tin cần bảo mật: Có
10. Kiến nghị, đề xuất hỗ trợ: Đề nghị hỗ trợ phân tích mã độc

Trân trọng.
"""

write("tbsc_form03_qp.eml", f"""Return-Path: <ttcntt@hatinh.gov.vn>
Message-ID: <20261120103500.1234@hatinh.gov.vn>
Date: Fri, 20 Nov 2026 10:35:00 +0700
From: {enc_header("Trung tâm CNTT Hà Tĩnh")} <ttcntt@hatinh.gov.vn>
To: csirt@stttt.hatinh.gov.vn
Subject: {enc_header("[TBSC] Sự cố thay đổi giao diện Cổng thông tin điện tử tỉnh")}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

{qp(FORM03)}""")

LOG = b"".join(b"Nov 20 10:%02d:01 web1 sshd[811]: Failed password for root from 45.77.10.20 port 5%03d ssh2\n" % (i, i) for i in range(40))
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) + b"\x00\xff\xfe" * 20
write("multipart_attachments.eml", f"""Message-ID: <att-1@example.vn>
Date: Sat, 21 Nov 2026 01:00:00 +0000
From: "SOC Bệnh viện" <soc@benhvien.example.vn>
To: csirt@example.vn
Subject: =?utf-8?b?W1RCU0NdIE5o4bqtdCBrw70gdHJ1eSBj4bqtcA==?=
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="==outer=="

--==outer==
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

""".encode() + "Gửi kèm nhật ký SSH và mẫu nén.\nTên hệ thống: Máy chủ web bệnh viện\n".encode("utf-8") + f"""
--==outer==
Content-Type: text/plain; charset=us-ascii; name="auth.log"
Content-Disposition: attachment; filename="auth.log"
Content-Transfer-Encoding: base64

{b64(LOG)}
--==outer==
Content-Type: application/zip; name="mau.zip"
Content-Disposition: attachment; filename="mau.zip"
Content-Transfer-Encoding: base64

{b64(ZIP)}
--==outer==--
""".encode())

write("html_only.eml", """Message-ID: <html-1@example.vn>
Date: Sun, 22 Nov 2026 08:00:00 +0700
From: webmail@example.vn
To: csirt@example.vn
Subject: Canh bao lua dao
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

""".encode() + """<html><head><title>ignored</title><style>p {color:red}</style></head>
<body><p>Phát hiện trang <b>giả mạo</b>:</p><div>Tên miền: vietcombank-xacthuc.com</div>
<script>alert('x')</script><p>Mô tả: Trang
thu thập   mật khẩu<br>của khách hàng</p></body></html>
""".encode("utf-8"))


def to_cp1258(text):
    """Vietnamese in windows-1258: base letters from the code page, tones as
    combining marks (what Windows does), composing only where cp1258 can."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        # letter (with circumflex, breve or horn) from the code page, tone combining
        parts = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones))
        out += letter.encode("cp1258") + "".join(m for m in parts if m in tones).encode("cp1258")
    return out


write("charset_1258.eml", b"""Message-ID: <cp1258-1@example.vn>
Date: Mon, 23 Nov 2026 09:00:00 +0700
From: old-outlook@example.vn
To: csirt@example.vn
Subject: [tbsc] Bao cao su co
MIME-Version: 1.0
Content-Type: text/plain; charset=windows-1258
Content-Transfer-Encoding: 8bit

""" + to_cp1258("Tên hệ thống: Một cửa điện tử\nMô tả: Máy chủ bị nhiễm mã độc tống tiền.\n"))

write("rfc2047_subject.eml", f"""Message-ID: <2047@example.vn>
Date: Tue, 24 Nov 2026 12:00:00 +0700
From: =?UTF-8?Q?L=C3=AA_Th=E1=BB=8B_Hoa?= <hoa@example.vn>
To: csirt@example.vn
Subject: =?UTF-8?Q?=5BTBSC=5D_T=E1=BA=A5n_c=C3=B4ng?= =?ISO-8859-1?Q?_caf=E9?=
 =?UTF-8?B?IHThu6sgY2jhu5FpIGThu4tjaCB24bul?=
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Caf=E9 Internet bi tan cong.
""")

INNER = """Message-ID: <inner@unit.example.vn>
Date: Wed, 25 Nov 2026 07:00:00 +0700
From: unit@unit.example.vn
To: soc@example.vn
Subject: [TBSC] Ma doc tren may tram
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner-b"

--inner-b
Content-Type: text/plain; charset=utf-8

Tên hệ thống: Máy trạm kế toán
SHA256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
--inner-b
Content-Type: application/octet-stream; name="sample.bin"
Content-Disposition: attachment; filename="sample.bin"
Content-Transfer-Encoding: base64

TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=
--inner-b--
"""
write("nested_rfc822.eml", f"""Message-ID: <outer@example.vn>
Date: Wed, 25 Nov 2026 08:00:00 +0700
From: soc@example.vn
To: csirt@example.vn
Subject: Fwd: [TBSC] Ma doc tren may tram
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer-b"

--outer-b
Content-Type: text/plain; charset=utf-8

Chuyen tiep bao cao cua don vi.
--outer-b
Content-Type: message/rfc822
Content-Disposition: attachment; filename="bao-cao.eml"

{INNER}
--outer-b--
""".encode("utf-8"))

full = open(os.path.join(HERE, "multipart_attachments.eml"), "rb").read()
cut = full.index(b"Content-Type: application/zip")
write("truncated.eml", full[:cut + 200])

parts = "".join(f"--b\nContent-Type: application/octet-stream; name=\"p{i}.bin\"\n\nx{i}\n" for i in range(1000))
write("many_parts.eml", f"""Message-ID: <many@example.vn>
From: flood@example.vn
Subject: many parts
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

{parts}--b--
""")

write("traversal.eml", f"""Message-ID: <trav@example.vn>
From: x@example.vn
Subject: names
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="t"

--t
Content-Type: text/plain

see attached
--t
Content-Type: text/plain; name="../../etc/passwd"
Content-Disposition: attachment; filename="../../etc/passwd"

root:x:0:0
--t
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*=UTF-8''..%5C..%5Cwindows%5Cb%C3%A1o%07c%C3%A1o.exe

MZ
--t
Content-Type: image/png
Content-Disposition: inline; filename="..."
Content-ID: <img1>

PNG
--t--
""")
# Seeds for the fuzz corpus (corpus/email is this folder): an HTML phishing
# mail with links, a chain of forwarded messages, a right-to-left override.
write("links_html.eml", """From: a@example.vn
Subject: =?utf-8?q?C=E1=BA=A3nh_b=C3=A1o?=
Content-Type: text/html; charset=utf-8

""".encode() + """<p><a href="http://vcb-xacthuc.example.com/login">Đăng nhập tại đây</a></p>
<p><a href="https://tinh.gov.vn">https://tinh.gov.vn</a><img src="cid:x"></p>
""".encode("utf-8"))

write("forward_chain.eml", """From: a@example.vn
Content-Type: message/rfc822

From: b@example.vn
Content-Type: message/rfc822

From: c@example.vn
Content-Type: text/plain; name=leaf.txt
Content-Disposition: attachment

leaf
""")

write("rlo_name.eml", """From: a@example.vn
MIME-Version: 1.0
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*=UTF-8''invoice%E2%80%AEfdp%C2%85x.exe

MZ
""")
print("fixtures written to", HERE)
