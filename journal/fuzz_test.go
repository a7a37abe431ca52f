package journal

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// FuzzFix checks the fast path on any input: no panic; the output differs
// from the input only in CONTENTTYPE digit runs turned into 1092; fixing
// twice is fixing once; the chunk size changes nothing; lenient mode fails
// only on invalid UTF-16.
func FuzzFix(f *testing.F) {
	ins, _ := filepath.Glob("testdata/*.in")
	if len(ins) < 10 {
		f.Fatalf("only %d seed files in testdata", len(ins))
	}
	for _, in := range ins {
		data, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(3), false)
	}
	f.Add([]byte("[JOURNAL]\nCONTENTTYPE=\\x35\\x30\\x30\n"), uint8(1), true)
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8, lenient bool) {
		o := Options{Lenient: lenient}
		out, rep, err := fixAll(t, data, o)
		o.ChunkSize = int(chunk)%32 + 1
		o.Workers = 2
		out2, rep2, err2 := fixAll(t, data, o)
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Fatalf("chunk size %d changes the error: %v / %v", o.ChunkSize, err, err2)
		}
		if err != nil {
			if lenient && rep.Encoding != UTF16LE {
				t.Fatalf("lenient run failed: %v", err)
			}
			return
		}
		if !bytes.Equal(out, out2) || rep.Fixes() != rep2.Fixes() || rep.Skipped != rep2.Skipped {
			t.Fatalf("chunk size %d changes the output or report", o.ChunkSize)
		}
		checkOnlyDigitRuns(t, data, out, rep)
		again, rep3, err := fixAll(t, out, Options{Lenient: lenient})
		if err != nil || !bytes.Equal(again, out) || rep3.Fixes() != 0 {
			t.Fatalf("second fix: err %v, %d fixes, output changed %v", err, rep3.Fixes(), !bytes.Equal(again, out))
		}
	})
}

// checkOnlyDigitRuns requires out to be in with some CONTENTTYPE values'
// digit runs (plain or \x3N escaped) replaced by 1092, as many as reported.
func checkOnlyDigitRuns(t *testing.T, in, out []byte, rep Report) {
	t.Helper()
	if rep.Encoding == UTF16LE {
		in, out = decodeForTest(in), decodeForTest(out)
	}
	inLines, outLines := bytes.Split(in, []byte("\n")), bytes.Split(out, []byte("\n"))
	if len(inLines) != len(outLines) {
		t.Fatalf("%d lines in, %d out", len(inLines), len(outLines))
	}
	var changed int64
	for i := range inLines {
		a, b := inLines[i], outLines[i]
		if bytes.Equal(a, b) {
			continue
		}
		changed++
		eq := bytes.IndexByte(a, '=')
		if !bytes.EqualFold(a[:eq], []byte("CONTENTTYPE")) || !bytes.Equal(a[:eq+1], b[:eq+1]) {
			t.Fatalf("line %d changed but is no CONTENTTYPE field:\n%q\n%q", i+1, a, b)
		}
		k := bytes.Index(b[eq:], []byte("1092"))
		if k < 0 || !bytes.Equal(a[:eq+k], b[:eq+k]) {
			t.Fatalf("line %d: changed outside the number:\n%q\n%q", i+1, a, b)
		}
		suffix := b[eq+k+4:]
		if !bytes.HasSuffix(a, suffix) {
			t.Fatalf("line %d: text after the number changed:\n%q\n%q", i+1, a, b)
		}
		run := a[eq+k : len(a)-len(suffix)]
		for j := 0; j < len(run); j++ {
			switch {
			case isDigit(run[j]):
			case j+3 < len(run) && run[j] == '\\' && run[j+1] == 'x' && run[j+2] == '3' && isDigit(run[j+3]):
				j += 3
			default:
				t.Fatalf("line %d: replaced %q, which is no digit run", i+1, run)
			}
		}
	}
	if changed != rep.Fixes() {
		t.Fatalf("%d lines changed, report says %d fixes", changed, rep.Fixes())
	}
}

// decodeForTest turns UTF-16LE (after the BOM; valid, or Fix would have
// failed) into UTF-8 so lines compare as text.
func decodeForTest(b []byte) []byte {
	b = b[2:]
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return []byte(string(utf16.Decode(u)))
}
