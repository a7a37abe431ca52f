# Writes the .reg samples of testdata/reg from text, with regedit's hex line
# breaks computed here (independently of xdm's writer).
import os, struct
OUT = os.path.dirname(os.path.abspath(__file__))

def hexdata(prefix_len, typ, data):
    """regedit's hex: after a comma, break when the line is >= 77 chars."""
    p = "hex:" if typ is None else "hex(%x):" % typ
    s = p
    col = prefix_len + len(p)
    for i, b in enumerate(data):
        s += "%02x" % b
        if i == len(data) - 1:
            break
        s += ","
        col += 3
        if col >= 77:
            s += "\\\r\n  "
            col = 2
    return s

def name(n):
    return "@" if n is None else '"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"'

def val(n, kind, v, enc="utf-16-le"):
    nm = name(n)
    pl = len(nm.encode("utf-16-le")) // 2 + 1
    if kind == "sz":
        return nm + '="' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if kind == "dword":
        return nm + "=dword:%08x" % v
    if kind == "del":
        return nm + "=-"
    if kind == "bin":
        return nm + "=" + hexdata(pl, None, v)
    if kind == "expand":
        return nm + "=" + hexdata(pl, 2, (v + "\0").encode(enc))
    if kind == "multi":
        return nm + "=" + hexdata(pl, 7, ("\0".join(v) + "\0\0").encode(enc))
    if kind == "qword":
        return nm + "=" + hexdata(pl, 0xb, struct.pack("<Q", v))
    if kind == "hexn":
        t, data = v
        return nm + "=" + hexdata(pl, t, data)
    raise ValueError(kind)

def write(fn, text, enc):
    b = text.encode(enc)
    if enc == "utf-16-le":
        b = b"\xff\xfe" + b
    with open(os.path.join(OUT, fn), "wb") as f:
        f.write(b)

CRLF = "\r\n"
def export(header, keys, enc="utf-16-le"):
    # regedit: header CRLF, then per key CRLF [key] CRLF values..., then a final CRLF
    out = header + CRLF
    for k, vals in keys:
        out += CRLF + "[" + k + "]" + CRLF
        for v in vals:
            out += v + CRLF
    out += CRLF
    return out

lic = bytes((i * 37 + 11) % 256 for i in range(120))
mrs = "HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS"
xpr = export("Windows Registry Editor Version 5.00", [
    ("HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM", []),
    (mrs, [
        val(None, "sz", "OpenScape Xpressions"),
        val("InstallDir", "sz", "C:\\Program Files (x86)\\PP-COM\\MRS"),
        val("ServerName", "sz", "TLCLKN1"),
        val("LogLevel", "dword", 3),
        val("MaxSessions", "dword", 200),
        val("DataPath", "expand", "%PROGRAMDATA%\\PP-COM\\MRS\\Data"),
        val("License", "bin", lic),
        val("InstallTime", "qword", 0x01DA5E6F12345678),
        val("Marker", "hexn", (0, b"")),
        val("Quote \"and\" backslash \\ name", "sz", "a \"quoted\" \\ value"),
    ]),
    (mrs + "\\MRS Globals", [
        val("Monitor Directory", "multi", ["\\\\XPR\\MrsMonitor", "\\\\TLCLKN1\\MrsMonitor"]),
        val("Home Server", "sz", "\\\\TLCLKN1\\MrsHome"),
        val("Server List", "multi", ["TLCLKN1", "TLCLKN2", "XPR"]),
        val("Empty List", "multi", []),
        val("Big Endian", "hexn", (5, bytes([0, 0, 1, 0]))),
        val("Resource", "hexn", (0x100, b"\x01\x02\x03")),
    ]),
    (mrs + "\\TcpApl\\NwPlugTcp", [
        val("BindAddress", "sz", "10.1.2.3"),
        val("Port", "dword", 2101),
    ]),
    (mrs + "\\Users\\J\u00fcrgen \U0001F600", [
        val("Greeting", "sz", "Gr\u00fc\u00df Gott \U0001F600 \U0001D11E"),
        val("Signature \U0001D11E", "expand", "%USERPROFILE%\\\U0001F600.txt"),
    ]),
])
write("xpr-v5.reg", xpr, "utf-16-le")

# REGEDIT4: ANSI (code page 1252), hex(2)/hex(7) data as ANSI bytes.
r4 = export("REGEDIT4", [
    ("HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS", [
        val(None, "sz", "OpenScape Xpressions"),
        val("Stra\u00dfe", "sz", "M\u00fcnchen \u20ac"),
        val("LogLevel", "dword", 0xffffffff),
        val("DataPath", "expand", "%ProgramFiles%\\PP-COM", enc="cp1252"),
        val("Monitor Directory", "multi", ["\\\\XPR\\MrsMonitor", "\\\\TLCLKN1\\MrsMonitor"], enc="cp1252"),
        val("License", "bin", lic[:40]),
    ]),
    ("HKEY_CURRENT_USER\\Software\\PP-COM\\Client", [
        val("LastUser", "sz", "J\u00fcrgen"),
    ]),
], enc="cp1252")
write("regedit4.reg", r4, "cp1252")

# Deletions of keys and values, as an administrator writes them.
dele = ("Windows Registry Editor Version 5.00" + CRLF + CRLF +
        "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS\\Obsolete]" + CRLF + CRLF +
        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS]" + CRLF +
        '"OldSetting"=-' + CRLF +
        "@=-" + CRLF +
        '"NewSetting"="1"' + CRLF + CRLF)
write("deletions.reg", dele, "utf-16-le")

# No final line end: the last value ends the file.
nofinal = ("Windows Registry Editor Version 5.00" + CRLF + CRLF +
           "[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS]" + CRLF +
           '"LogLevel"=dword:00000001' + CRLF +
           '"Last"="no line end after me"')
write("no-final-newline.reg", nofinal, "utf-16-le")

# Continuations written by hand: blanks, comments after the backslash and
# between the lines, a trailing comma, data starting on the next line, and a
# backslash at the very end of the file.
cont = ("Windows Registry Editor Version 5.00\r\n"
        "; hand-edited continuations\r\n"
        "\r\n"
        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS]  ; the server's key\r\n"
        '"Blanks"=hex:01,02,  \\\r\n'
        "\t 03,04\r\n"
        '"Comments"=hex(7):41,00,\\ ; first line\r\n'
        "; a comment line between\r\n"
        "\r\n"
        "  42,00,00,00,\\;no blank before\r\n"
        "  00,00\r\n"
        '"Trailing comma"=hex:0a,0b,\r\n'
        '"Starts below"=hex(2):\\\r\n'
        "  25,00,41,00,25,00,00,00\r\n"
        '"Single digits"=hex:1,2,a,B\r\n'
        '"Spaced"=hex: 01, 02,\t03 ; comment\r\n'
        '  "Indented"  =  dword:  0000000a  ;  blanks everywhere\r\n'
        '"Ends the file"=hex:ff,\\\r\n')
write("continuations.reg", cont, "utf-16-le")

# Escapes and odd names.
esc = ("Windows Registry Editor Version 5.00\r\n\r\n"
       "[HKEY_CURRENT_USER\\Software\\PP-COM\\Odd \"Key\" /Name] ]\r\n"
       '"Back\\\\slash"="C:\\\\Temp\\\\"\r\n'
       '"Quote\\"d"="say \\"hi\\""\r\n'
       '"Lines"="one\\ntwo\\rthree"\r\n'
       '""="empty name is the default value"\r\n'
       '"With=Equals;Semi"="#not a comment;"\r\n'
       '"Empty"=""\r\n'
       '"\\t is no escape"="x"\r\n')
write("escapes-invalid.reg", esc, "utf-16-le")
esc_ok = esc.replace('"\\t is no escape"="x"\r\n', '"Tab\there"="tab\tinside"\r\n')
write("escapes.reg", esc_ok, "utf-16-le")

# Line ends: LF only, and CR only (regedit reads both).
lf = "REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\PP-COM]\n\"LF\"=hex:01,02,\\\n  03\n\n"
write("lf.reg", lf, "cp1252")
cr = "Windows Registry Editor Version 5.00\r\r[HKEY_CURRENT_USER\\Software\\PP-COM]\r\"CR\"=\"only\"\r\n\"Mixed\"=dword:00000002\n"
write("cr-mixed.reg", cr, "utf-16-le")

# Invalid files, one problem each.
V5 = "Windows Registry Editor Version 5.00\r\n\r\n"
K = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS]\r\n"
invalid = {
    "invalid-root.reg": V5 + "[HKLM\\SOFTWARE\\PP-COM\\MRS]\r\n\"A\"=\"b\"\r\n",
    "invalid-escape.reg": V5 + K + '"Path"="C:\\Program Files\\PP-COM"\r\n',
    "invalid-bracket.reg": V5 + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS\r\n",
    "invalid-dword.reg": V5 + K + '"Count"=dword:123456789\r\n',
    "invalid-continuation.reg": V5 + K + '"Blob"=hex:01,02,\\\r\n' + K + '"A"="b"\r\n',
    "invalid-backslash.reg": V5 + K + '"Blob"=hex:01,02\\\r\n  03\r\n',
    "invalid-header.reg": "Windows Registry Editor Version 5.00 \r\n\r\n" + K,
    "invalid-nokey.reg": V5 + '"Orphan"="value"\r\n' + K,
    "invalid-type.reg": V5 + K + '"T"=hex(100000000):00\r\n',
    "invalid-quote.reg": V5 + K + '"Unclosed"="text\r\n',
}
for fn, text in invalid.items():
    write(fn, text, "utf-16-le")
with open(os.path.join(OUT, "invalid-utf8.reg"), "wb") as f:
    f.write(("\ufeff" + V5 + K).encode("utf-8"))

# A cluster node's export: the node name TLCLKN1 inside and outside the two
# subtrees the cluster manual names, as a word and not.
w64 = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node"
node = export("Windows Registry Editor Version 5.00", [
    (w64 + "\\PP-COM\\MRS", [
        val("ServerName", "sz", "TLCLKN1"),
        val("Computer", "sz", "tlclkn1.corp.example"),
        val("Backup Node", "sz", "TLCLKN10"),
        val("Peer", "sz", "TLCLKN1-B"),
        val("Data", "expand", "\\\\TLCLKN1\\MrsData"),
        val("LogLevel", "dword", 3),
    ]),
    (w64 + "\\PP-COM\\MRS\\MRS Globals", [
        val("Monitor Directory", "multi", ["\\\\XPR\\MrsMonitor", "\\\\TLCLKN1\\MrsMonitor"]),
        val("Home Server", "sz", "\\\\TLCLKN1\\MrsHome"),
        val("Servers", "multi", ["TLCLKN1", "TLCLKN2"]),
    ]),
    (w64 + "\\PP-COM\\MRS\\Nodes\\TLCLKN1", [
        val("TLCLKN1 Port", "dword", 2101),
    ]),
    (w64 + "\\SIEMENS\\OpenScape", [
        val("Host", "sz", "TLCLKN1"),
    ]),
    ("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName", [
        val("ComputerName", "sz", "TLCLKN1"),
    ]),
    ("HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS", [
        val("ServerName", "sz", "TLCLKN1"),
    ]),
])
write("cluster-node.reg", node, "utf-16-le")
