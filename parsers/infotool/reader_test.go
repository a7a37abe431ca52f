package infotool

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/xdm-migrate/xdm/position"
)

// sampleFiles are the data export samples of testdata/infotool.
func sampleFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("../../testdata/infotool/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	return files
}

// readAll reads every record; it fails the test on any error.
func readAll(t *testing.T, name string, data []byte) (*Reader, []*Record) {
	t.Helper()
	r := NewReader(bytes.NewReader(data), name)
	var recs []*Record
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return r, recs
		}
		if err != nil {
			t.Fatalf("%v", err)
		}
		recs = append(recs, rec)
	}
}

func TestRoundTripSamples(t *testing.T) {
	for _, f := range sampleFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			// One byte at a time exercises every refill path of the splitter.
			for _, src := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data))} {
				var out bytes.Buffer
				_, err := NewReader(src, f).WriteTo(&out)
				if strings.Contains(f, "invalid-") {
					var pe *position.Error
					if !errors.As(err, &pe) || pe.Line == 0 || pe.Column == 0 {
						t.Fatalf("want a ParseError with line:col, got %v", err)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Bytes(), data) {
					t.Fatalf("round trip differs: %d bytes in, %d out", len(data), out.Len())
				}
			}
		})
	}
}

func TestJournalSample(t *testing.T) {
	data, err := os.ReadFile("../../testdata/infotool/journal.txt")
	if err != nil {
		t.Fatal(err)
	}
	r, recs := readAll(t, "journal.txt", data)
	if r.Encoding() != CP1252 || len(recs) != 7 {
		t.Fatalf("encoding %v, %d records; want cp1252, 7", r.Encoding(), len(recs))
	}
	first := recs[0]
	if first.Type != "JOURNAL" || first.HasKey || first.Line != 5 || first.Offset != int64(len(r.Preamble())) {
		t.Errorf("first record: type %q haskey %v line %d offset %d", first.Type, first.HasKey, first.Line, first.Offset)
	}
	if got := first.Values("recipient"); len(got) != 2 || string(got[0]) != "mueller" || string(got[1]) != "hr-office" {
		t.Errorf("RECIPIENT values %q", got)
	}
	subj, _ := first.Field("Subject")
	if string(subj.Value) != "Voice message from Hans Müller" || string(subj.Raw) != `Voice message from Hans M\xfcller` || subj.Line != 8 || subj.Column != 1 {
		t.Errorf("SUBJECT: %+v", subj)
	}
	body, _ := first.Field("BODY")
	if !body.Binary || !bytes.HasPrefix(body.Value, []byte("RIFF")) {
		t.Errorf("BODY: binary %v value %q", body.Binary, body.Value)
	}
	ct, _ := recs[3].Field("CONTENTTYPE")
	if string(ct.Raw) != " 599 " {
		t.Errorf("CONTENTTYPE raw %q, want blanks kept", ct.Raw)
	}
	if !bytes.HasSuffix(first.Raw, []byte("CONTENTTYPE=4352\r\n\r\n")) || !bytes.HasPrefix(first.Raw, []byte("[JOURNAL]\r\n")) {
		t.Errorf("first Raw does not run from the header to the next header: %q", first.Raw)
	}
	// The comment before the fourth record belongs to the third.
	if !bytes.Contains(recs[2].Raw, []byte("; the next record was forwarded")) {
		t.Errorf("comment line not kept in the record before it")
	}
	if string(recs[4].Fields[2].Value) != "Termin\r\nDonnerstag 10:00\tRaum 2" {
		t.Errorf("escapes: %q", recs[4].Fields[2].Value)
	}
}

func TestEncodings(t *testing.T) {
	for _, tc := range []struct {
		file string
		enc  Encoding
	}{{"journal-utf8.txt", UTF8}, {"journal-utf16.txt", UTF16LE}} {
		data, err := os.ReadFile("../../testdata/infotool/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		r, recs := readAll(t, tc.file, data)
		if r.Encoding() != tc.enc || len(recs) != 2 {
			t.Fatalf("%s: encoding %v, %d records", tc.file, r.Encoding(), len(recs))
		}
		if got := string(recs[0].Values("SUBJECT")[0]); got != "Grüße von Jürgen – 10 €" {
			t.Errorf("%s: SUBJECT %q", tc.file, got)
		}
		if got := string(recs[1].Values("SUBJECT")[0]); got != "日本語 A" {
			t.Errorf("%s: SUBJECT %q", tc.file, got)
		}
		if recs[1].Line != 7 || recs[1].Offset != int64(len(tc.enc.BOM())+len(r.Preamble())+len(recs[0].Raw)) {
			t.Errorf("%s: second record line %d offset %d", tc.file, recs[1].Line, recs[1].Offset)
		}
	}
}

func TestEndOfFile(t *testing.T) {
	data, err := os.ReadFile("../../testdata/infotool/journal-cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	r, recs := readAll(t, "journal-cases.txt", data)
	last := recs[len(recs)-1]
	if !bytes.Equal(r.Trailer(), []byte{0x1A}) || !bytes.HasSuffix(last.Raw, []byte("CONTENTTYPE=4352")) {
		t.Errorf("trailer %q, last record ends %q", r.Trailer(), last.Raw[len(last.Raw)-20:])
	}
	if v := last.Values("CONTENTTYPE"); len(v) != 1 || string(v[0]) != "4352" {
		t.Errorf("last value %q", v)
	}
	if r.InputOffset() != int64(len(data)-1) {
		t.Errorf("InputOffset %d, want %d", r.InputOffset(), len(data)-1)
	}
}

func TestLongLine(t *testing.T) {
	data, err := os.ReadFile("../../testdata/infotool/journal-longline.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, recs := readAll(t, "journal-longline.txt", data)
	body, ok := recs[0].Field("BODY")
	if !ok || !body.Binary || len(body.Value) != 40000 || len(body.Raw) < 64<<10 {
		t.Fatalf("BODY: binary %v, %d bytes", body.Binary, len(body.Value))
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		is       error
	}{
		{"; c\nthis is no header\n[J]\n", "x:2:1: unexpected \"this\", expected a record header", ErrSyntax},
		{"  [J]\n", "x:1:3: unexpected \"[\"", ErrSyntax},
		{"[J]\nA=1\nB=C:\\temp\\x\n", `x:3:10: invalid escape \x, expected \\, \n, \r, \t or \xHH`, ErrEscape},
		{"[J]\nA=\\", `x:2:3: invalid escape \, expected`, ErrEscape},
		{"[J]\nA=\\xG1\n", `x:2:3: invalid escape \x,`, ErrEscape},
		{"[J]\nNAME =1\n", "x:2:5: unexpected \" \", expected '=' after the field name", ErrSyntax},
		{"[J]\nNAME\n", "x:2:5: unexpected end of the line, expected '='", ErrSyntax},
		{"[J]\n  A=1\n", "x:2:3: unexpected \"A\", expected the end of the line", ErrSyntax},
		{"[J]\n1A=1\n", "x:2:1: unexpected \"1\", expected a field line NAME=VALUE", ErrSyntax},
		{"[J]\n_A=1\n", "x:2:1: unexpected \"_\"", ErrSyntax},
		{"[J K]\n", "x:1:3: unexpected \" \", expected ':' or ']'", ErrSyntax},
		{"[]\n", "x:1:2: unexpected \"]\", expected a record type", ErrSyntax},
		{"[J] x\n", "x:1:5: unexpected \"x\", expected the end of the line", ErrSyntax},
		{"[J:k\n", "x:1:5: unexpected end of the line, expected ']'", ErrSyntax},
		{"[J]\nB=0x123\n", "x:2:3: binary value with 3 hex digits, expected an even number", ErrBinary},
		{"\xef\xbb\xbf[J]\nS=ü \\q\n", `x:2:5: invalid escape \q,`, ErrEscape},
		// A code page 1252 byte in a message is shown as its character.
		{"[J]\nS=\\\xe4\n", `x:2:3: invalid escape \ä,`, ErrEscape},
		{"[J]\n\xe4=1\n", `x:2:1: unexpected "ä"`, ErrSyntax},
	} {
		r := NewReader(strings.NewReader(tc.in), "x")
		var err error
		for err == nil {
			_, err = r.Read()
		}
		var pe *position.Error
		if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), tc.want) || !errors.Is(err, tc.is) {
			t.Errorf("%q: got %v, want %s... (%v)", tc.in, err, tc.want, tc.is)
		}
	}
}

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		in    string
		check func(*Record) bool
	}{
		{"[J]", func(r *Record) bool { return r.Type == "J" && len(r.Fields) == 0 }},
		{"[USER:]\r\n", func(r *Record) bool { return r.HasKey && r.Key == "" }},
		{"[USER:a b=c;d]  \n", func(r *Record) bool { return r.Key == "a b=c;d" }},
		{"[4_X]\nA=\n", func(r *Record) bool { return r.Type == "4_X" && len(r.Fields[0].Value) == 0 }},
		{"[J]\nA==[x];y\\\\\n", func(r *Record) bool { return string(r.Fields[0].Value) == "=[x];y\\" }},
		{"[J]\nA=a\rb\r\n", func(r *Record) bool { return string(r.Fields[0].Raw) == "a\rb" }},
		{"[J]\nA=0x\n", func(r *Record) bool { return !r.Fields[0].Binary }},
		{"[J]\nA=0x1F \n", func(r *Record) bool { return !r.Fields[0].Binary }},
		{"[J]\nA=0X1F\n", func(r *Record) bool { return !r.Fields[0].Binary }},
		{"[J]\nA=0xab12\n", func(r *Record) bool { return r.Fields[0].Binary && string(r.Fields[0].Value) == "\xab\x12" }},
		{"[J]\nA=\\x41\\x0a0x12\n", func(r *Record) bool { return string(r.Fields[0].Value) == "A\n0x12" }},
		{"[J]\n \t\n\t; c\nb_1=x\n", func(r *Record) bool { return r.Fields[0].Name == "b_1" && r.Fields[0].Line == 4 }},
	} {
		r := NewReader(strings.NewReader(tc.in), "x")
		rec, err := r.Read()
		if err != nil || !tc.check(rec) {
			t.Errorf("%q: %v %+v", tc.in, err, rec)
		}
	}
}

// A ParseError in one record does not stop the reader.
func TestContinueAfterError(t *testing.T) {
	r := NewReader(strings.NewReader("junk\n[A]\nX=\\q\n[B]\nY=1\n"), "x")
	var types []string
	var errs int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs++
			continue
		}
		types = append(types, rec.Type)
	}
	if errs != 2 || strings.Join(types, ",") != "B" {
		t.Errorf("errors %d, records %v", errs, types)
	}
}

func TestParseRecord(t *testing.T) {
	rec, err := ParseRecord([]byte("[JOURNAL]\r\nCONTENTTYPE=4352\r\n"), CP1252, "f", 10)
	if err != nil || rec.Fields[0].Line != 11 {
		t.Fatalf("%v %+v", err, rec)
	}
	_, err = ParseRecord([]byte("[JOURNAL]\r\nX\r\n"), CP1252, "f", 10)
	if err == nil || !strings.HasPrefix(err.Error(), "f:11:2:") {
		t.Fatalf("error %v, want at f:11:2", err)
	}
}

// The grammar's whole-file rule accepts exactly the files the splitter and
// the per-record rule accept: the two-step reading changes nothing. (The
// even number of hex digits of a binary value is checked after the parse,
// so invalid-binary.txt fits the grammar.)
func TestFileRuleAgrees(t *testing.T) {
	for _, f := range sampleFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		r := NewReader(bytes.NewReader(data), f)
		_, readErr := r.WriteTo(&out)
		body := data[len(r.Encoding().BOM()) : len(data)-len(r.Trailer())]
		p := newRecordParser()
		p.reset(body, r.Encoding(), f)
		p.parser.File()
		if p.errs.Failed != (readErr != nil && !errors.Is(readErr, ErrBinary)) {
			t.Errorf("%s: file rule failed=%v, reader error %v", f, p.errs.Failed, readErr)
		}
	}
}

// An I/O error is final: every later Read returns it again.
func TestIOErrorIsSticky(t *testing.T) {
	boom := errors.New("disk gone")
	src := io.MultiReader(strings.NewReader("[A]\nX=1\n[B]\nY="), iotest.ErrReader(boom))
	r := NewReader(src, "x")
	rec, err := r.Read()
	if err != nil || rec.Type != "A" {
		t.Fatalf("first record: %v %v", rec, err)
	}
	for range 2 {
		if _, err := r.Read(); !errors.Is(err, boom) {
			t.Fatalf("got %v, want %v", err, boom)
		}
	}
	// Also when it comes while the preamble is read.
	r = NewReader(io.MultiReader(strings.NewReader("; c\n"), iotest.ErrReader(boom)), "x")
	for range 2 {
		if _, err := r.Read(); !errors.Is(err, boom) {
			t.Fatalf("in the preamble: got %v, want %v", err, boom)
		}
	}
}

// A line of several megabytes is read whole, through short reads.
func TestMultiMegabyteLine(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789ABCDEF"), 256<<10) // 4 MiB of hex digits
	input := "[JOURNAL]\r\nBODY=0x" + string(body) + "\r\nCONTENTTYPE=4352\n[JOURNAL]\nX=" + string(body[:3<<20])
	r := NewReader(iotest.HalfReader(strings.NewReader(input)), "big")
	var out bytes.Buffer
	if _, err := r.WriteTo(&out); err != nil || out.String() != input {
		t.Fatalf("round trip: %v (%d of %d bytes)", err, out.Len(), len(input))
	}
	_, recs := readAll(t, "big", []byte(input))
	if f, _ := recs[0].Field("BODY"); !f.Binary || len(f.Value) != len(body)/2 {
		t.Errorf("BODY: binary %v, %d bytes", f.Binary, len(f.Value))
	}
	if f, _ := recs[1].Field("X"); len(f.Raw) != 3<<20 || recs[1].Line != 4 {
		t.Errorf("last line: %d bytes, record line %d", len(f.Raw), recs[1].Line)
	}
}

// TestErrorOffsets: an error's Offset is the byte offset of the place its
// line and column name, in every encoding.
func TestErrorOffsets(t *testing.T) {
	utf16 := func(s string) string {
		b := []byte{0xFF, 0xFE}
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return string(b)
	}
	for _, tc := range []struct {
		in, at string // at: the text at the error, found in in
	}{
		{"[A]\nX=1\n[J]\nS=ab\\q\n", `\q`},
		{"[A]\r\nX=1\r\n[J]\r\nB=0x123\r\n", "0x123"},
		{"\xef\xbb\xbf[A]\nX=ü\n[J]\nS=ö\\q\n", `\q`},
		{"junk\n[A]\n", "junk"},
		{"; ok\r\n[A]\r\nX=1\r\n[B K]\r\n", " K]"},
		{utf16("[A]\r\nX=1\r\n[J]\r\nS=ab\\q\r\n"), utf16(`\q`)[2:]},
	} {
		var err error
		for r := NewReader(strings.NewReader(tc.in), "x"); err == nil; {
			_, err = r.Read()
		}
		var pe *position.Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if want := int64(strings.Index(tc.in, tc.at)); pe.Offset != want {
			t.Errorf("%q: %v at offset %d, want %d", tc.in, err, pe.Offset, want)
		}
	}
}

// TestDetectKind: the first word after blank and comment lines decides,
// whatever the line ends (a mask export may end lines in a lone CR) and
// whatever follows the word.
func TestDetectKind(t *testing.T) {
	utf16 := func(s string) []byte {
		b := []byte{0xFF, 0xFE}
		for _, c := range s {
			b = append(b, byte(c), 0)
		}
		return b
	}
	for in, want := range map[string]Kind{
		"; maskexport\r\nMASK JOURNAL VERSION 7\r\n{\r\n}\r\n": KindMask,
		"; maskexport\rMASK J VERSION 1\r{\r}\r":               KindMask,
		"\t\n  mask j version 1 { }":                           KindMask,
		"MASK;a comment\n J VERSION 1 { }":                     KindMask,
		string(utf16("; x\r\nMASK J VERSION 1 { }")):           KindMask,
		"; DATABASE JOURNAL\r\n[JOURNAL]\r\nA=1\r\n":           KindFull,
		"MASKS=1\r\n":          KindFull,
		"; only a comment\r\n": KindFull,
		"":                     KindFull,
	} {
		if got := DetectKind([]byte(in)); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
}
