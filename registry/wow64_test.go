package registry

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/reg/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// decode returns a sample's text, and encode makes bytes of text again, both
// independent of the code under test (the BOM is a character of the text).
func decode(t testing.TB, data []byte) (string, reg.Encoding) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return reg.UTF16LE.Decode(data[2:]), reg.UTF16LE
	}
	return reg.ANSI.Decode(data), reg.ANSI
}

func encode(t testing.TB, s string, enc reg.Encoding) []byte {
	b, ok := enc.Append(nil, s)
	if !ok {
		t.Fatalf("cannot encode %q", s)
	}
	if enc == reg.UTF16LE {
		return append([]byte{0xFF, 0xFE}, b...)
	}
	return b
}

// TestWow64Samples: every key line of PP-COM moves, nothing else changes;
// the same text with the paths replaced (as an editor would, but by the
// key line only) is the expected output, byte for byte.
func TestWow64Samples(t *testing.T) {
	cases := []struct {
		file         string
		moved, stays int
	}{
		{"xpr-v5.reg", 5, 0},
		{"regedit4.reg", 1, 1},
		{"deletions.reg", 2, 0},
		{"continuations.reg", 1, 0},
		{"no-final-newline.reg", 1, 0},
		{"cluster-node.reg", 1, 5},
	}
	for _, c := range cases {
		data := readSample(t, c.file)
		text, enc := decode(t, data)
		want := strings.NewReplacer(
			`[HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM`, `[HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM`,
			`[-HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM`, `[-HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM`,
		).Replace(text)
		var out bytes.Buffer
		var moves []Move
		rep, err := Wow64(context.Background(), bytes.NewReader(data), &out, Wow64Options{Name: c.file, OnMove: func(m Move) { moves = append(moves, m) }})
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if !bytes.Equal(out.Bytes(), encode(t, want, enc)) {
			t.Errorf("%s: output differs:\n%s", c.file, enc.Decode(out.Bytes()))
		}
		if rep.Moved != c.moved || len(moves) != c.moved || rep.Keys != c.moved+c.stays || rep.Read != int64(len(data)) || rep.Written != int64(out.Len()) {
			t.Errorf("%s: report %+v, %d moves", c.file, rep, len(moves))
		}
		// Moved files stay as they are.
		var again bytes.Buffer
		rep2, err := Wow64(context.Background(), bytes.NewReader(out.Bytes()), &again, Wow64Options{})
		if err != nil || rep2.Moved != 0 || rep2.AlreadyMoved < c.moved || !bytes.Equal(again.Bytes(), out.Bytes()) {
			t.Errorf("%s: second run: %+v %v", c.file, rep2, err)
		}
	}
}

func TestWow64Vendors(t *testing.T) {
	in := "REGEDIT4\n[HKEY_LOCAL_MACHINE\\Software\\Siemens\\X]\n[hkey_local_machine\\software\\pp-com]\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COMX]\n[HKEY_CURRENT_USER\\SOFTWARE\\PP-COM]\n[HKEY_LOCAL_MACHINE\\\\SOFTWARE\\PP-COM]\n"
	want := "REGEDIT4\n[HKEY_LOCAL_MACHINE\\Software\\Wow6432Node\\Siemens\\X]\n[hkey_local_machine\\software\\Wow6432Node\\pp-com]\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COMX]\n[HKEY_CURRENT_USER\\SOFTWARE\\PP-COM]\n[HKEY_LOCAL_MACHINE\\\\SOFTWARE\\Wow6432Node\\PP-COM]\n"
	var out bytes.Buffer
	rep, err := Wow64(context.Background(), strings.NewReader(in), &out, Wow64Options{Vendors: []string{"SIEMENS", "PP-COM"}})
	if err != nil || out.String() != want || rep.Moved != 3 {
		t.Fatalf("%v %+v\n%s", err, rep, out.String())
	}
	if _, err := Wow64(context.Background(), strings.NewReader(in), &out, Wow64Options{Vendors: []string{`PP-COM\MRS`}}); !errors.Is(err, ErrKeyPath) {
		t.Fatalf("a vendor with a backslash: %v", err)
	}
}

// TestWow64Invalid: a file that does not fit the format stops the copy at
// the first problem, named with its place.
func TestWow64Invalid(t *testing.T) {
	for _, name := range []string{"invalid-root.reg", "invalid-continuation.reg", "invalid-utf8.reg", "escapes-invalid.reg"} {
		_, err := Wow64(context.Background(), bytes.NewReader(readSample(t, name)), &bytes.Buffer{}, Wow64Options{Name: name})
		if err == nil || !strings.HasPrefix(err.Error(), name+":") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestWow64VendorNames: a vendor is one key name below SOFTWARE, and not
// Wow6432Node itself, whose keys would be moved into
// Wow6432Node\Wow6432Node.
func TestWow64VendorNames(t *testing.T) {
	in := readSample(t, "xpr-v5.reg")
	for _, v := range []string{"", `A\B`, "[x]", "Wow6432Node", "wow6432node"} {
		_, err := Wow64(context.Background(), bytes.NewReader(in), io.Discard, Wow64Options{Vendors: []string{v}})
		if !errors.Is(err, ErrKeyPath) {
			t.Errorf("vendor %q: %v, want ErrKeyPath", v, err)
		}
	}
}

func TestWow64Cancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Wow64(ctx, bytes.NewReader(readSample(t, "xpr-v5.reg")), &bytes.Buffer{}, Wow64Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("%v", err)
	}
}
