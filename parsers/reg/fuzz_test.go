package reg

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/position"
)

func addSamples(f *testing.F) {
	for _, path := range sampleFiles(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("REGEDIT4\r\n[HKEY_USERS\\a]\r\n\"v\"=hex:01,\\\r\n\r\n;c\r\n  02,\\"))
	f.Add([]byte("\xff\xfeR\x00E\x00G\x00E\x00D\x00I\x00T\x004\x00\n\x00[\x00"))
	f.Add([]byte("REGEDIT4\r\r\n\"a\"=\"\\"))
}

// FuzzReader: no input panics the reader; every error has a place; and
// the byte-order mark and every record's Raw add up to the input, byte for
// byte, even around errors (an input refused as a whole aside).
func FuzzReader(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data), "fuzz")
		var out bytes.Buffer
		failed := false
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			var pe *position.Error
			if !errors.As(err, &pe) && err != nil {
				t.Fatalf("not a *position.Error: %v", err)
			}
			if err != nil && (pe.Line < 1 || pe.Column < 1 || pe.Offset < 0 || pe.Offset > int64(len(data))) {
				t.Fatalf("error without a place: %#v", pe)
			}
			if errors.Is(err, ErrEncoding) && r.err != nil {
				return // refused as a whole
			}
			if err != nil {
				failed = true
				continue
			}
			if out.Len() == 0 {
				out.Write(r.Encoding().BOM())
			}
			if !failed && int64(out.Len()) != rec.Offset {
				t.Fatalf("record at offset %d after %d bytes", rec.Offset, out.Len())
			}
			out.Write(rec.Raw)
		}
		// Records with errors are not returned: compare where there were none.
		if !failed && !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("records differ from the input:\n in %q\nout %q", data, out.Bytes())
		}
	})
}

// FuzzDifferential: the scanner and the grammar read any input alike, and
// it fits the grammar's whole-file rule exactly when the reader finds no
// syntax error in it.
func FuzzDifferential(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		compareReaders(t, data)
	})
}

// FuzzFormatValue: any value the writer formats reads back as the same
// value, in both encodings, whatever its name and data.
func FuzzFormatValue(f *testing.F) {
	f.Add("Name", uint8(FormString), uint32(1), "text with \\ and \"", []byte{}, false)
	f.Add("", uint8(FormHex), uint32(7), "", []byte("A\x00B\x00\x00\x00\x00\x00"), true)
	f.Add("Lines\r\n", uint8(FormString), uint32(1), "a\nb", []byte{}, true)
	f.Add("Blob", uint8(FormHex), uint32(3), "", bytes.Repeat([]byte{0xAB}, 300), false)
	f.Add("\U0001F600 name", uint8(FormDword), uint32(4), "", []byte{1, 2, 3, 4}, true)
	f.Fuzz(func(t *testing.T, name string, form uint8, typ uint32, text string, data []byte, wide bool) {
		enc := ANSI
		if wide {
			enc = UTF16LE
		}
		if !utf8.ValidString(name) || !utf8.ValidString(text) {
			return
		}
		v := &Value{Name: name, Form: Form(form % 4), Type: Type(typ), Text: text, Bytes: data, Encoding: enc}
		switch v.Form {
		case FormDelete:
			v.Type, v.Text, v.Bytes = RegNone, "", nil
		case FormString:
			v.Type, v.Bytes = RegSZ, nil
		case FormDword:
			v.Type, v.Text = RegDword, ""
			if len(v.Bytes) != 4 {
				return
			}
		case FormHex:
			v.Text = ""
			if v.Bytes == nil {
				v.Bytes = []byte{}
			}
		}
		line, err := FormatValue(v, enc, "\r\n", "\r\n")
		if err != nil {
			if errors.Is(err, ErrUnrepresentable) {
				return
			}
			t.Fatal(err)
		}
		head, _ := enc.Append(nil, Version5.Header()+"\r\n[HKEY_CURRENT_USER\\k]\r\n")
		file := append(enc.BOM(), head...)
		file = append(file, line...)
		r := NewReader(bytes.NewReader(file), "fuzz")
		var got *Record
		for got == nil || got.Kind != KindValue {
			if got, err = r.Read(); err != nil {
				t.Fatalf("%v reading back %q", err, line)
			}
		}
		if !bytes.Equal(got.Raw, line) {
			t.Fatalf("record %q, formatted %q", got.Raw, line)
		}
		want := *v
		if v.Form == FormString && bytes.ContainsAny([]byte(text), "\r\n\x00") {
			// Written as hex(1): the same data in the registry.
			if got.Value.Type != RegSZ || !bytes.Equal(got.Value.RegistryData(), v.RegistryData()) {
				t.Fatalf("hex(1) of %q reads back as %+v", text, got.Value)
			}
			return
		}
		if got.Value.Name != want.Name || got.Value.Form != want.Form || got.Value.Type != want.Type ||
			got.Value.Text != want.Text || !bytes.Equal(got.Value.Bytes, want.Bytes) {
			t.Fatalf("wrote %+v, read %+v from %q", want, *got.Value, line)
		}
		if _, err := r.Read(); err != io.EOF {
			t.Fatalf("more after the value: %v", err)
		}
	})
}
