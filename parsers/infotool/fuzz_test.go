package infotool

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/xdm-migrate/xdm/position"
)

// FuzzReader: no input panics the reader or the parser, and whenever the
// preamble is valid the splitter's pieces (BOM, preamble, raw records,
// trailer) add up to the input byte for byte.
func FuzzReader(f *testing.F) {
	for _, path := range sampleFiles(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) < 8<<10 {
			f.Add(data)
		}
	}
	f.Add([]byte("\xff\xfe[\x00J\x00]\x00\n\x00A\x00=\x00\\\x00q\x00\x1a"))
	f.Add([]byte("[J]\r\nA=0x12\rB\n\x1a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data), "fuzz")
		var out bytes.Buffer
		preambleOK := true
		for first := true; ; first = false {
			raw, err := r.ReadRaw()
			if err == io.EOF {
				break
			}
			var pe *position.Error
			if errors.As(err, &pe) {
				if first {
					preambleOK = false
				}
				if pe.Line < 1 || pe.Column < 1 || pe.Offset < 0 || pe.Offset > int64(len(data)) {
					t.Fatalf("error without position: %v at offset %d", err, pe.Offset)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if first {
				out.Write(r.Encoding().BOM())
				out.Write(r.Preamble())
			}
			out.Write(raw.Raw)
			rec, err := ParseRecord(raw.Raw, r.Encoding(), "fuzz", raw.Line)
			if err == nil {
				for _, fl := range rec.Fields {
					if !bytes.Contains(raw.Raw, fl.Raw) {
						t.Fatalf("field %s: Raw %q is not part of the record", fl.Name, fl.Raw)
					}
				}
			} else if !errors.As(err, &pe) {
				t.Fatalf("not a ParseError: %v", err)
			}
		}
		if out.Len() == 0 && preambleOK {
			out.Write(r.Encoding().BOM())
			out.Write(r.Preamble())
		}
		out.Write(r.Trailer())
		if preambleOK && !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("pieces differ from the input:\n in %q\nout %q", data, out.Bytes())
		}
	})
}

// FuzzParseRecord: any bytes in any encoding parse or fail with a
// positioned ParseError, never panic; ValidateRecord fails exactly when
// ParseRecord does, with the same error.
func FuzzParseRecord(f *testing.F) {
	f.Add([]byte("[JOURNAL]\r\nA=\\x4\r\n"), uint8(0))
	f.Add([]byte("[\x00J\x00]\x00"), uint8(2))
	f.Add([]byte("[J:\xc3\xa4]\nB=0x0\n"), uint8(1))
	// Odd binary values: the whole value (checked), and a part of one (text).
	f.Add([]byte("[J]\r\nB=0x1\\n\r\nC=0xABC\r\nD=0xAB C"), uint8(0))
	f.Add([]byte("[\x00J\x00]\x00\n\x00B\x00=\x000\x00x\x001\x00"), uint8(2))
	// Every record of the sample files, valid and invalid, in its encoding.
	files, _ := filepath.Glob("../../testdata/infotool/*.txt")
	if len(files) == 0 {
		f.Fatal("no samples in ../../testdata/infotool")
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		r := NewReader(bytes.NewReader(data), name)
		for {
			rr, err := r.ReadRaw()
			if err != nil {
				break
			}
			f.Add(rr.Raw, uint8(r.Encoding()))
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte, enc uint8) {
		_, err := ParseRecord(raw, Encoding(enc%3), "fuzz", 1)
		var pe *position.Error
		if err != nil && (!errors.As(err, &pe) || pe.Line < 1 || pe.Column < 1 || pe.Offset < 0 || pe.Offset > int64(len(raw))) {
			t.Fatalf("%v", err)
		}
		verr := ValidateRecord(raw, Encoding(enc%3), "fuzz", 1)
		if fmt.Sprint(verr) != fmt.Sprint(err) {
			t.Fatalf("ValidateRecord: %v\nParseRecord:    %v", verr, err)
		}
	})
}
