package tarstream_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/backup/tarstream"
)

type member struct {
	name string
	data string
	typ  byte
}

func build(t testing.TB, format tar.Format, ms []member, pax map[string]string) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range ms {
		h := &tar.Header{Name: m.name, Size: int64(len(m.data)), Mode: 0o644, ModTime: time.Unix(1700000000, 0), Format: format, Typeflag: tar.TypeReg, PAXRecords: pax}
		if m.typ != 0 {
			h.Typeflag, h.Size = m.typ, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		io.WriteString(tw, m.data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readAll lists the members as the Reader sees them, with their data.
func readAll(t testing.TB, arch []byte) ([]*tarstream.Entry, []string, tarstream.Trailer) {
	r := tarstream.NewReader(bytes.NewReader(arch))
	var es []*tarstream.Entry
	var ds []string
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		d, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		es, ds = append(es, e), append(ds, string(d))
	}
	tr, err := r.CopyTrailer(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return es, ds, tr
}

var longName = strings.Repeat("folder-with-a-long-name/", 6) + "file.txt"

func TestReaderAgreesWithArchiveTar(t *testing.T) {
	ms := []member{{"a.txt", "hello", 0}, {longName, "long", 0}, {"dir/", "", tar.TypeDir}, {"empty", "", 0}, {"big", strings.Repeat("x", 1500), 0}}
	for _, f := range []tar.Format{tar.FormatUSTAR, tar.FormatPAX, tar.FormatGNU} {
		use := ms
		if f == tar.FormatUSTAR {
			use = append([]member{}, ms[0])
			use = append(use, ms[2:]...)
		}
		arch := build(t, f, use, nil)
		es, ds, tr := readAll(t, arch)
		if len(es) != len(use) {
			t.Fatalf("%v: %d members", f, len(es))
		}
		for i, m := range use {
			if es[i].Name != m.name || ds[i] != m.data {
				t.Errorf("%v: member %d: %q (%d bytes)", f, i, es[i].Name, len(ds[i]))
			}
		}
		if tr.ZeroBlocks != 2 || tr.Garbage != -1 {
			t.Errorf("%v: trailer %+v", f, tr)
		}
	}
}

// TestWithSize rewrites a member's size in every header layout and checks
// with archive/tar that the result reads as a member of the new size.
func TestWithSize(t *testing.T) {
	cases := []struct {
		name    string
		format  tar.Format
		pax     map[string]string
		size    int64
		sameLen bool
	}{
		{"ustar-small", tar.FormatUSTAR, nil, 12345, true},
		{"gnu-huge-base256", tar.FormatGNU, nil, 10 << 30, true},
		{"pax-huge-new-header", tar.FormatUSTAR, nil, 9 << 30, false},
		{"pax-records-huge", tar.FormatPAX, map[string]string{"comment": "x"}, 9 << 30, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			arch := build(t, c.format, []member{{"dir/dump.sql", "abc", 0}}, c.pax)
			r := tarstream.NewReader(bytes.NewReader(arch))
			e, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			same, _ := e.WithSize(e.Size)
			if !bytes.Equal(same, e.Raw) {
				t.Fatal("WithSize of the same size changed the header")
			}
			hdr, err := e.WithSize(c.size)
			if err != nil {
				t.Fatal(err)
			}
			if (len(hdr) == len(e.Raw)) != c.sameLen {
				t.Fatalf("header %d -> %d bytes", len(e.Raw), len(hdr))
			}
			tr := tar.NewReader(bytes.NewReader(append(hdr, make([]byte, 1024)...)))
			h, err := tr.Next()
			if err != nil {
				t.Fatal(err)
			}
			if h.Size != c.size || h.Name != "dir/dump.sql" {
				t.Fatalf("archive/tar reads %q, %d bytes", h.Name, h.Size)
			}
			got, _ := readHeader(t, hdr)
			if got.Size != c.size {
				t.Fatalf("tarstream reads %d", got.Size)
			}
		})
	}
}

// TestPAXSizeRecordRewritten: a member whose PAX header has a size record
// gets the new size there too.
func TestPAXSizeRecordRewritten(t *testing.T) {
	// Go writes a size record only when it must; build one by hand.
	arch := build(t, tar.FormatPAX, []member{{"dump.sql", "abc", 0}}, map[string]string{"comment": "x"})
	r := tarstream.NewReader(bytes.NewReader(arch))
	e, _ := r.Next()
	withRecord, _ := e.WithSize(9 << 30)
	e2, _ := readHeader(t, withRecord)
	if e2.Patchable() {
		t.Fatal("a member with a PAX size record cannot be patched in place")
	}
	back, err := e2.WithSize(1000)
	if err != nil {
		t.Fatal(err)
	}
	h, err := tar.NewReader(bytes.NewReader(append(back, make([]byte, 2048)...))).Next()
	if err != nil || h.Size != 1000 || h.PAXRecords["comment"] != "x" {
		t.Fatalf("%v %+v", err, h)
	}
}

func readHeader(t *testing.T, hdr []byte) (*tarstream.Entry, error) {
	r := tarstream.NewReader(bytes.NewReader(append(bytes.Clone(hdr), make([]byte, 1024)...)))
	e, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	return e, nil
}

func TestErrors(t *testing.T) {
	arch := build(t, tar.FormatPAX, []member{{"a", strings.Repeat("y", 700), 0}, {"b", "z", 0}}, nil)
	bad := bytes.Clone(arch)
	bad[1536] ^= 1 // the name of the second member's header
	cases := []struct {
		name string
		in   []byte
		want error
		off  int64
	}{
		{"checksum", bad, tarstream.ErrChecksum, 1536},
		{"not-tar", []byte(strings.Repeat("plain text, no archive\n", 40)), tarstream.ErrNotTar, 0},
		{"gzip", gzipped(t, build(t, tar.FormatPAX, []member{{"a", noise(4096), 0}}, nil)), tarstream.ErrNotTar, 0},
		{"inside-header", arch[:100], tarstream.ErrTruncated, 0},
		{"inside-data", arch[:700], tarstream.ErrTruncated, 0},
		{"no-end-blocks", arch[:512*5], tarstream.ErrTruncated, 2560},
	}
	for _, c := range cases {
		r := tarstream.NewReader(bytes.NewReader(c.in))
		var err error
		for err == nil {
			_, err = r.Next()
			if err == nil {
				_, err = io.Copy(io.Discard, r)
			}
		}
		var te *tarstream.Error
		if !errors.Is(err, c.want) || !errors.As(err, &te) || te.Offset != c.off {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestCopyIsByteExact: headers, data and padding copied as read give the
// archive back, trailer included.
func TestCopyIsByteExact(t *testing.T) {
	arch := build(t, tar.FormatGNU, []member{{longName, "one", 0}, {"two", strings.Repeat("2", 513), 0}}, nil)
	arch = append(arch, make([]byte, 10240-len(arch)%10240)...)
	var out bytes.Buffer
	r := tarstream.NewReader(bytes.NewReader(arch))
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out.Write(e.Raw)
		if err := r.CopyData(&out, 100, nil); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := r.CopyTrailer(&out)
	if err != nil || !bytes.Equal(out.Bytes(), arch) {
		t.Fatalf("copy differs (%v)", err)
	}
	if tr.ZeroBlocks < 2 || tr.Len%512 != 0 {
		t.Fatalf("trailer %+v", tr)
	}
}

// gzipped compresses b as "tar -z" would.
func gzipped(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCompressedArchiveNamed: a compressed archive is named as such, so
// that the user knows to decompress it.
func TestCompressedArchiveNamed(t *testing.T) {
	arch := build(t, tar.FormatPAX, []member{{"a", noise(4096), 0}}, nil)
	_, err := tarstream.NewReader(bytes.NewReader(gzipped(t, arch))).Next()
	if !errors.Is(err, tarstream.ErrNotTar) || !strings.Contains(err.Error(), "gzip-compressed") {
		t.Fatalf("err %v", err)
	}
}

// noise returns n bytes that do not compress.
func noise(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return string(b)
}
