package reg

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// TestFormatLikeRegedit: every value of the export written by Wine's
// regedit (whose export is checked against Windows' by Wine's own tests),
// and of the samples written from the documentation with regedit's line
// breaks, comes out of FormatValue byte for byte as in the file.
func TestFormatLikeRegedit(t *testing.T) {
	n := 0
	for _, name := range []string{"wine-export.reg", "xpr-v5.reg", "regedit4.reg"} {
		data, err := os.ReadFile("../../testdata/reg/" + name)
		if err != nil {
			t.Fatal(err)
		}
		r := NewReader(bytes.NewReader(data), name)
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.Kind != KindValue {
				continue
			}
			got, err := FormatValue(rec.Value, r.Encoding(), "\r\n", "\r\n")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, rec.Raw) {
				t.Errorf("%s:%d: formatted\n%q\nfile\n%q", name, rec.Line, r.Encoding().Decode(got), r.Encoding().Decode(rec.Raw))
			}
			n++
		}
	}
	if n < 30 {
		t.Fatalf("only %d values compared", n)
	}
}

// bigBinary returns a REGEDIT4 file with one REG_BINARY value of size bytes,
// its lines broken as regedit does: the first after the comma that reaches
// column 77, then 25 bytes a line. It is built here, not by the Writer.
func bigBinary(size int) ([]byte, []byte) {
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i*7 + i>>8)
	}
	var b bytes.Buffer
	b.WriteString("REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS]\r\n")
	line := `"Big"=hex:`
	b.WriteString(line)
	col := len(line)
	for i, c := range data {
		fmt.Fprintf(&b, "%02x", c)
		if i == len(data)-1 {
			break
		}
		b.WriteByte(',')
		if col += 3; col >= 77 {
			b.WriteString("\\\r\n  ")
			col = 2
		}
	}
	b.WriteString("\r\n\r\n")
	return b.Bytes(), data
}

// TestBigBinary: a 4 MiB binary value (12 MiB of text, 167,773 lines) is
// one record, read alike by the scanner and the grammar, and written back
// byte for byte.
func TestBigBinary(t *testing.T) {
	file, data := bigBinary(4 << 20)
	for _, grammar := range []bool{false, true} {
		r := NewReader(bytes.NewReader(file), "big.reg")
		r.Grammar = grammar
		var values []*Record
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.Kind == KindValue {
				values = append(values, rec)
			}
		}
		if len(values) != 1 || !bytes.Equal(values[0].Value.Bytes, data) {
			t.Fatalf("grammar=%v: %d values, first %d bytes", grammar, len(values), len(values[0].Value.Bytes))
		}
		got, err := FormatValue(values[0].Value, ANSI, "\r\n", "\r\n")
		if err != nil || !bytes.Equal(got, values[0].Raw) {
			t.Fatalf("grammar=%v: formatted value differs from the file (%v)", grammar, err)
		}
	}
	var out bytes.Buffer
	if _, err := NewReader(bytes.NewReader(file), "big.reg").WriteTo(&out); err != nil || !bytes.Equal(out.Bytes(), file) {
		t.Fatalf("round trip: %v", err)
	}
}

// TestRegeditLineBreaks: the first line of hex data holds bytes until it
// reaches 77 characters (the comma included), every further line 25.
func TestRegeditLineBreaks(t *testing.T) {
	v := &Value{Name: "DigitalProductId", Form: FormHex, Type: RegBinary, Bytes: make([]byte, 60)}
	b, err := FormatValue(v, ANSI, "\r\n", "\r\n")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	want := []int{78, 78, 52} // `"DigitalProductId"=hex:` is 23 characters: 18 bytes, then 25, then 17
	if len(lines) != len(want) {
		t.Fatalf("%d lines: %q", len(lines), lines)
	}
	for i, l := range lines {
		if len(l) != want[i] {
			t.Errorf("line %d: %d characters, want %d: %q", i+1, len(l), want[i], l)
		}
	}
}

func TestWithKeyAndReplace(t *testing.T) {
	data, err := os.ReadFile("../../testdata/reg/no-final-newline.reg")
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(bytes.NewReader(data), "no-final-newline.reg")
	var out bytes.Buffer
	w := NewWriter(&out, UTF16LE, "\r\n")
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch rec.Kind {
		case KindKey:
			var moved *Record
			if moved, err = rec.WithKey(`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS`); err == nil {
				err = w.WriteRecord(moved)
			}
		case KindValue:
			v := *rec.Value
			v.Text = "changed"
			err = w.ReplaceValue(rec, &v)
		default:
			err = w.WriteRecord(rec)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	want := strings.ReplaceAll(UTF16LE.Decode(data), `SOFTWARE\PP-COM`, `SOFTWARE\Wow6432Node\PP-COM`)
	want = strings.Replace(want, `"no line end after me"`, `"changed"`, 1)
	if got := UTF16LE.Decode(out.Bytes()); got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

func TestWriteNewFile(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, ANSI, "")
	steps := []error{
		w.WriteHeader(Version4), w.WriteBlank(),
		w.WriteKey(`HKEY_CURRENT_USER\Software\PP-COM`, false),
		w.WriteValue(&Value{Name: "A", Form: FormString, Type: RegSZ, Text: `C:\x "y"`}),
		w.WriteValue(&Value{Form: FormDword, Type: RegDword, Bytes: []byte{0x0f, 0, 0, 0}}),
		w.WriteValue(&Value{Name: "Gone", Form: FormDelete}),
		w.WriteKey(`HKEY_CURRENT_USER\Software\Old`, true),
	}
	for _, err := range steps {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := "REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\PP-COM]\r\n\"A\"=\"C:\\\\x \\\"y\\\"\"\r\n@=dword:0000000f\r\n\"Gone\"=-\r\n[-HKEY_CURRENT_USER\\Software\\Old]\r\n"
	if out.String() != want {
		t.Fatalf("got\n%q\nwant\n%q", out.String(), want)
	}
	if err := w.WriteValue(&Value{Name: "Euro \u20ac and \u4e2d", Form: FormString, Type: RegSZ}); err == nil {
		t.Fatal("a character code page 1252 lacks was written")
	}
}
