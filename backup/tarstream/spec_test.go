package tarstream_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/backup/tarstream"
)

// The archives in this file are written block by block from the format
// references (POSIX pax "ustar Interchange Format" and "pax Interchange
// Format", GNU tar's "Basic Tar Format"), not with a tar library, so that
// they hold what the references allow even where the usual writers do
// otherwise.

// hdr describes one header block; zero fields are left as NULs.
type hdr struct {
	name, linkname, prefix string
	typ                    byte
	size                   string // the size field's bytes, as written
	magic                  string // "ustar\x0000" (POSIX), "ustar  \x00" (old GNU), "" (7th edition)
	signed                 bool   // write the checksum as the signed sum
}

// block returns the 512-byte header block h describes, with its checksum.
func (h hdr) block() []byte {
	b := make([]byte, 512)
	copy(b[0:100], h.name)
	copy(b[100:108], "0000644\x00")
	copy(b[108:116], "0000000\x00")
	copy(b[116:124], "0000000\x00")
	copy(b[124:136], h.size)
	copy(b[136:148], "14500000000\x00")
	b[156] = h.typ
	copy(b[157:257], h.linkname)
	copy(b[257:265], h.magic)
	copy(b[345:500], h.prefix)
	copy(b[148:156], "        ")
	var sum int64
	for _, c := range b {
		if h.signed {
			sum += int64(int8(c))
		} else {
			sum += int64(c)
		}
	}
	copy(b[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return b
}

const posix, oldGNU = "ustar\x0000", "ustar  \x00"

// octal is a size field of 11 digits and a NUL.
func octal(n int) string { return fmt.Sprintf("%011o\x00", n) }

// data returns s padded to whole blocks.
func data(s string) []byte {
	b := []byte(s)
	return append(b, make([]byte, tarstream.PaddedSize(int64(len(b)))-int64(len(b)))...)
}

// paxRecord formats one "LENGTH keyword=value\n" record, LENGTH counting
// the whole record (its own digits included) in bytes.
func paxRecord(key, value string) string {
	body := " " + key + "=" + value + "\n"
	for n := len(body) + 1; ; n++ {
		if s := fmt.Sprint(n) + body; len(s) == n {
			return s
		}
	}
}

func archive(parts ...[]byte) []byte {
	return append(bytes.Join(parts, nil), make([]byte, 1024)...)
}

// TestSpecArchives reads archives written from the references and checks
// names, sizes and data of every member, and that copying gives the input
// back byte for byte.
func TestSpecArchives(t *testing.T) {
	type want struct{ name, link, data string }
	cases := []struct {
		name string
		arch []byte
		want []want
	}{
		{
			// POSIX pax: "data blocks for files of typeflag 1 (hard
			// link) may be included, which means that the size field
			// may be greater than zero".
			"pax-hard-link-with-data",
			archive(
				hdr{name: "PaxHeaders/a", typ: 'x', size: octal(len(paxRecord("mtime", "1"))), magic: posix}.block(),
				data(paxRecord("mtime", "1")),
				hdr{name: "a", typ: '0', size: octal(5), magic: posix}.block(), data("hello"),
				hdr{name: "PaxHeaders/b", typ: 'x', size: octal(len(paxRecord("mtime", "1"))), magic: posix}.block(),
				data(paxRecord("mtime", "1")),
				hdr{name: "b", linkname: "a", typ: '1', size: octal(5), magic: posix}.block(), data("hello"),
				hdr{name: "c", typ: '0', size: octal(3), magic: posix}.block(), data("abc"),
			),
			[]want{{"a", "", "hello"}, {"b", "a", "hello"}, {"c", "", "abc"}},
		},
		{
			// POSIX pax: a record whose value is empty deletes the
			// field: the header block's own name and size apply.
			"pax-empty-value",
			archive(
				hdr{name: "PaxHeaders/dump.sql", typ: 'x', size: octal(len(paxRecord("path", "") + paxRecord("size", ""))), magic: posix}.block(),
				data(paxRecord("path", "")+paxRecord("size", "")),
				hdr{name: "dump.sql", typ: '0', size: octal(4), magic: posix}.block(), data("COPY"),
			),
			[]want{{"dump.sql", "", "COPY"}},
		},
		{
			// ustar: the name is prefix "/" name.
			"ustar-prefix",
			archive(hdr{name: "dump.sql", prefix: strings.Repeat("d", 150), typ: '0', size: octal(2), magic: posix}.block(), data("ab")),
			[]want{{strings.Repeat("d", 150) + "/dump.sql", "", "ab"}},
		},
		{
			// old GNU: bytes 345.. are times, not a prefix.
			"gnu-no-prefix",
			archive(hdr{name: "dump.sql", prefix: "00000000000", typ: '0', size: octal(2), magic: oldGNU}.block(), data("ab")),
			[]want{{"dump.sql", "", "ab"}},
		},
		{
			// A name and prefix of full length, without NUL.
			"ustar-full-fields",
			archive(hdr{name: strings.Repeat("n", 100), prefix: strings.Repeat("p", 155), typ: '0', size: octal(1), magic: posix}.block(), data("x")),
			[]want{{strings.Repeat("p", 155) + "/" + strings.Repeat("n", 100), "", "x"}},
		},
		{
			"gnu-long-name-and-link",
			archive(
				hdr{name: "././@LongLink", typ: 'L', size: octal(201), magic: oldGNU}.block(), data(strings.Repeat("L", 200)+"\x00"),
				hdr{name: "././@LongLink", typ: 'K', size: octal(151), magic: oldGNU}.block(), data(strings.Repeat("K", 150)+"\x00"),
				hdr{name: strings.Repeat("L", 100), linkname: strings.Repeat("K", 100), typ: '2', size: octal(0), magic: oldGNU}.block(),
				hdr{name: "././@LongLink", typ: 'L', size: octal(301), magic: oldGNU}.block(), data(strings.Repeat("M", 300)+"\x00"),
				hdr{name: strings.Repeat("M", 100), typ: '0', size: octal(3), magic: oldGNU}.block(), data("abc"),
			),
			[]want{{strings.Repeat("L", 200), strings.Repeat("K", 150), ""}, {strings.Repeat("M", 300), "", "abc"}},
		},
		{
			// PAX lengths count bytes, their own digits included: 9 and
			// 10, 99 and 100 bytes; a UTF-8 path.
			"pax-multi-byte-lengths",
			archive(
				hdr{name: "PaxHeaders/x", typ: 'x', size: octal(len(paxRecord("path", "ä/"+strings.Repeat("é", 45)+".sql") + paxRecord("a", "") + paxRecord("comment", strings.Repeat("c", 84)))), magic: posix}.block(),
				data(paxRecord("path", "ä/"+strings.Repeat("é", 45)+".sql")+paxRecord("a", "")+paxRecord("comment", strings.Repeat("c", 84))),
				hdr{name: "x", typ: '0', size: octal(1), magic: posix}.block(), data("1"),
			),
			[]want{{"ä/" + strings.Repeat("é", 45) + ".sql", "", "1"}},
		},
		{
			"pax-size-overrides-field",
			archive(
				hdr{name: "PaxHeaders/big", typ: 'x', size: octal(len(paxRecord("size", "600"))), magic: posix}.block(), data(paxRecord("size", "600")),
				hdr{name: "big", typ: '0', size: octal(0), magic: posix}.block(), data(strings.Repeat("b", 600)),
			),
			[]want{{"big", "", strings.Repeat("b", 600)}},
		},
		{
			"global-header-passes",
			archive(
				hdr{name: "pax_global_header", typ: 'g', size: octal(len(paxRecord("comment", "g"))), magic: posix}.block(), data(paxRecord("comment", "g")),
				hdr{name: "a", typ: '0', size: octal(1), magic: posix}.block(), data("a"),
			),
			[]want{{"pax_global_header", "", paxRecord("comment", "g")}, {"a", "", "a"}},
		},
		{
			// GNU base-256: the high bit of the first byte set.
			"base-256-size",
			archive(hdr{name: "a", typ: '0', size: "\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x01", magic: oldGNU}.block(), data(strings.Repeat("z", 513))),
			[]want{{"a", "", strings.Repeat("z", 513)}},
		},
		{
			// 7th edition: no magic, typeflag NUL, size with leading
			// blanks and a blank at the end; a signed checksum (a
			// byte over 127 in the name).
			"v7-nul-type-signed-checksum",
			archive(hdr{name: "caf\xe9", typ: 0, size: "         12 ", signed: true}.block(), data("0123456789")),
			[]want{{"caf\xe9", "", "0123456789"}},
		},
		{
			"folder-symlink-empty",
			archive(
				hdr{name: "d/", typ: '5', size: octal(0), magic: posix}.block(),
				hdr{name: "d/s", linkname: "../x", typ: '2', size: octal(0), magic: posix}.block(),
				hdr{name: "d/e", typ: '0', size: octal(0), magic: posix}.block(),
				hdr{name: "d/h", linkname: "d/e", typ: '1', size: octal(0), magic: posix}.block(),
			),
			[]want{{"d/", "", ""}, {"d/s", "../x", ""}, {"d/e", "", ""}, {"d/h", "d/e", ""}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := tarstream.NewReader(bytes.NewReader(c.arch))
			var out bytes.Buffer
			var got []want
			for {
				e, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				out.Write(e.Raw)
				var d bytes.Buffer
				if err := r.CopyData(io.MultiWriter(&out, &d), 0, nil); err != nil {
					t.Fatal(err)
				}
				got = append(got, want{e.Name, e.Linkname, strings.TrimRight(d.String(), "\x00")})
			}
			if _, err := r.CopyTrailer(&out); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("members %q, want %q", got, c.want)
			}
			if !bytes.Equal(out.Bytes(), c.arch) {
				t.Error("the copy differs from the archive")
			}
		})
	}
}
