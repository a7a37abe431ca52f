package journal

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/xdm-migrate/xdm/position"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the current output")

// fixAll runs Fix over data with the given chunk size and workers.
func fixAll(t testing.TB, data []byte, o Options) ([]byte, Report, error) {
	t.Helper()
	var out bytes.Buffer
	rep, err := Fix(context.Background(), bytes.NewReader(data), &out, o)
	return out.Bytes(), rep, err
}

// chunkSizes are the chunk sizes every golden case runs with: tiny ones cut
// every line (and the CONTENTTYPE lines) across reads.
var chunkSizes = []int{1, 2, 3, 7, 16, 64, 4096, 0}

func TestGolden(t *testing.T) {
	ins, _ := filepath.Glob("testdata/*.in")
	if len(ins) < 10 {
		t.Fatalf("only %d golden cases found", len(ins))
	}
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(in, ".in") + ".golden"
			got, rep, err := fixAll(t, data, Options{Name: in})
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("output differs from %s:\n got %q\nwant %q", golden, got, want)
			}
			if n := rep.Fixes(); (n == 0) != bytes.Equal(data, want) {
				t.Errorf("report counts %d fixes, but input and output equal: %v", n, bytes.Equal(data, want))
			}
			for _, cs := range chunkSizes {
				for _, workers := range []int{1, 3} {
					got2, rep2, err := fixAll(t, data, Options{ChunkSize: cs, Workers: workers})
					if err != nil {
						t.Fatalf("chunk size %d: %v", cs, err)
					}
					if !bytes.Equal(got2, want) {
						t.Fatalf("chunk size %d, %d workers: output differs:\n got %q\nwant %q", cs, workers, got2, want)
					}
					if rep2.Records != rep.Records || rep2.Fixes() != rep.Fixes() || rep2.CRLFLines != rep.CRLFLines || rep2.LFLines != rep.LFLines {
						t.Errorf("chunk size %d: report %+v, with default chunks %+v", cs, rep2, rep)
					}
				}
			}
			// Reads of one byte, or of odd sizes, change nothing.
			for _, r := range []io.Reader{iotest.OneByteReader(bytes.NewReader(data)), iotest.HalfReader(bytes.NewReader(data))} {
				var out bytes.Buffer
				if _, err := Fix(context.Background(), r, &out, Options{ChunkSize: 3}); err != nil || !bytes.Equal(out.Bytes(), want) {
					t.Fatalf("short reads: err %v, output %q", err, out.Bytes())
				}
			}
			// Idempotent: the fixed journal needs no fix.
			again, rep3, err := fixAll(t, want, Options{ChunkSize: 5})
			if err != nil || !bytes.Equal(again, want) || rep3.Fixes() != 0 {
				t.Errorf("fixing the fixed journal: err %v, %d fixes, changed %v", err, rep3.Fixes(), !bytes.Equal(again, want))
			}
		})
	}
}

func TestReportBasic(t *testing.T) {
	data, _ := os.ReadFile("testdata/basic-crlf.in")
	_, rep, err := fixAll(t, data, Options{Name: "journal.txt"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]int64{4352: 1, 500: 1, 599: 1, 550: 1, 555: 1}
	if len(rep.Changed) != len(want) {
		t.Errorf("changed %v, want %v", rep.Changed, want)
	}
	for v, n := range want {
		if rep.Changed[v] != n {
			t.Errorf("changed[%d] = %d, want %d", v, rep.Changed[v], n)
		}
	}
	if rep.Records != 10 || rep.JournalRecords != 10 || rep.ContentTypes != 11 {
		t.Errorf("records %d, journal %d, contenttypes %d; want 10, 10, 11", rep.Records, rep.JournalRecords, rep.ContentTypes)
	}
	if rep.Encoding != CP1252 || rep.LineEndings != "CRLF" || !rep.FinalNewline || rep.EOFMark {
		t.Errorf("encoding %v, endings %s, final newline %v, eof mark %v", rep.Encoding, rep.LineEndings, rep.FinalNewline, rep.EOFMark)
	}
	if rep.BytesRead != int64(len(data)) {
		t.Errorf("bytes read %d, want %d", rep.BytesRead, len(data))
	}
}

func TestReportEncodingsAndEndings(t *testing.T) {
	for _, c := range []struct {
		file     string
		enc      Encoding
		endings  string
		final    bool
		eof      bool
		changed  map[int]int64
		journals int64
		records  int64
	}{
		{"utf8-bom", UTF8, "CRLF", true, false, map[int]int64{4352: 1, 505: 1}, 2, 2},
		{"utf16le", UTF16LE, "CRLF", true, false, map[int]int64{4352: 1, 505: 1}, 2, 3},
		{"utf16le-lf-nofinal", UTF16LE, "LF", false, true, map[int]int64{4352: 1, 599: 1}, 2, 2},
		{"utf16le-eof-byte", UTF16LE, "CRLF", false, true, map[int]int64{4352: 1, 599: 1}, 2, 2},
		{"mixed-endings", CP1252, "mixed", true, false, map[int]int64{4352: 1, 500: 1, 501: 1}, 3, 3},
		{"no-final-newline", CP1252, "CRLF", false, false, map[int]int64{4352: 1, 501: 1}, 2, 2},
		{"eof-mark", CP1252, "CRLF", true, true, map[int]int64{4352: 1, 501: 1}, 2, 2},
		{"eof-mark-no-newline", CP1252, "CRLF", false, true, map[int]int64{4352: 1, 501: 1}, 2, 2},
		{"leading-zeros", CP1252, "CRLF", true, false, map[int]int64{4352: 1, 500: 1, 599: 1}, 9, 9},
		{"untouched-elsewhere", CP1252, "CRLF", true, false, map[int]int64{4352: 1}, 1, 6},
		{"lowercase-name", CP1252, "CRLF", true, false, map[int]int64{4352: 1, 510: 1, 520: 1, 530: 1, 540: 1}, 5, 5},
		{"nothing-to-fix", CP1252, "CRLF", true, false, map[int]int64{}, 2, 3},
	} {
		data, _ := os.ReadFile("testdata/" + c.file + ".in")
		_, rep, err := fixAll(t, data, Options{ChunkSize: 8})
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if rep.Encoding != c.enc || rep.LineEndings != c.endings || rep.FinalNewline != c.final || rep.EOFMark != c.eof {
			t.Errorf("%s: encoding %v endings %s final %v eof %v; want %v %s %v %v", c.file,
				rep.Encoding, rep.LineEndings, rep.FinalNewline, rep.EOFMark, c.enc, c.endings, c.final, c.eof)
		}
		if rep.JournalRecords != c.journals || rep.Records != c.records {
			t.Errorf("%s: %d records, %d journal; want %d, %d", c.file, rep.Records, rep.JournalRecords, c.records, c.journals)
		}
		if len(rep.Changed) != len(c.changed) {
			t.Errorf("%s: changed %v, want %v", c.file, rep.Changed, c.changed)
		}
		for v, n := range c.changed {
			if rep.Changed[v] != n {
				t.Errorf("%s: changed %v, want %v", c.file, rep.Changed, c.changed)
				break
			}
		}
	}
}

// TestMultiMegabyteLines puts the CONTENTTYPE field between binary fields
// of several megabytes, so lines are longer than any chunk.
func TestMultiMegabyteLines(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789ABCDEF"), 3<<20/16)
	var in, want bytes.Buffer
	for i, ct := range []string{"4352", "777", "0501"} {
		for _, b := range []*bytes.Buffer{&in, &want} {
			b.WriteString("[JOURNAL]\r\nBODY=0x")
			b.Write(big)
			b.WriteString("\r\n")
		}
		in.WriteString("CONTENTTYPE=" + ct)
		if ct == "777" {
			want.WriteString("CONTENTTYPE=777")
		} else {
			want.WriteString("CONTENTTYPE=1092")
		}
		for _, b := range []*bytes.Buffer{&in, &want} {
			b.WriteString("\r\nSUBJECT=")
			b.Write(big[:1<<20+i])
			b.WriteString("\r\n")
		}
	}
	for _, cs := range []int{0, 64 << 10, 3 << 20} {
		got, rep, err := fixAll(t, in.Bytes(), Options{ChunkSize: cs, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("chunk size %d: output differs (len %d, want %d)", cs, len(got), want.Len())
		}
		if rep.Fixes() != 2 {
			t.Errorf("chunk size %d: %d fixes, want 2", cs, rep.Fixes())
		}
	}
}

// errorCases are inputs the fast path rejects, with file:line:col and part
// of the message.
var errorCases = []struct {
	in   string
	pos  string // file:line:col
	want string // part of the message
}{
	{"[JOURNAL]\r\nCONTENTTYPE=abc\r\n", "j:2:13", "expected a decimal number"},
	{"[JOURNAL]\r\nCONTENTTYPE=\r\n", "j:2:13", "found end of line"},
	{"[JOURNAL]\r\nCONTENTTYPE=  \t\r\n", "j:2:16", "found end of line"},
	{"[JOURNAL]\r\nCONTENTTYPE=-500\r\n", "j:2:13", "without sign"},
	{"[JOURNAL]\r\nCONTENTTYPE=+500\r\n", "j:2:13", "without sign"},
	{"[JOURNAL]\r\nCONTENTTYPE=0x1100\r\n", "j:2:13", "hexadecimal"},
	{"[JOURNAL]\r\nCONTENTTYPE=45 52\r\n", "j:2:16", "only spaces or tabs after"},
	{"[JOURNAL]\r\nCONTENTTYPE=4352x\r\n", "j:2:17", `found "x"`},
	{"[JOURNAL]\r\nCONTENTTYPE=4352\r\r\n", "j:2:17", "control character 0x0D"},
	{"[JOURNAL]\r\nCONTENTTYPE=4352\x1a\x1a", "j:2:17", "control character 0x1A"},
	{"[JOURNAL]\r\nCONTENTTYPE=4.352\r\n", "j:2:14", `found "."`},
	{"[JOURNAL]\r\nCONTENTTYPE =4352\r\n", "j:2:12", "expected '=' after the field name CONTENTTYPE, found a space"},
	{"[JOURNAL]\r\n CONTENTTYPE=4352\r\n", "j:2:2", "only comments may be indented"},
	{"CONTENTTYPE=4352\r\n[JOURNAL]\r\n", "j:1:1", "before the first field"},
	{"garbage\r\n[JOURNAL]\r\n", "j:1:1", "expected a record header [TYPE] or [TYPE:KEY] before the first field, found \"g\""},
	{"[JOURNAL]\r\n1ABC=x\r\n", "j:2:1", "expected a record header"},
	{"[JOURNAL]\r\n=x\r\n", "j:2:1", "expected a record header"},
	{"[JOURNAL]\r\nFOO\r\n", "j:2:4", "expected '=' after the field name FOO, found end of line"},
	{"[JOURNAL\r\nX=1\r\n", "j:1:9", "expected ']'"},
	{"[JOURNAL] x\r\n", "j:1:11", "expected end of line after the record header"},
	{"[JOURNAL:a\rb]\r\n", "j:1:11", "control character 0x0D"},
	{"[JOURNAL]\r\nBODY=0x123\r\n", "j:2:6", "even number of hex digits"},
	{"[USER]\r\nBODY=0xABCDEF0\r\n", "j:2:6", "found 7"},
	{"[]\r\n", "j:1:2", "expected a record type"},
	{"[JOURNAL:abc\r\n", "j:1:13", "expected ']'"},
	{"[JOURNAL]\r\nSUBJECT=C:\\data\r\n", "j:2:11", "escape sequence"},
	{"[JOURNAL]\r\nSUBJECT=\\x4\r\n", "j:2:9", "escape sequence"},
	{"[JOURNAL]\r\nSUBJECT=ab\\\r\n", "j:2:11", "found end of line"},
	{"[USER]\r\nX=1\r\n[JOURNAL]\r\nA=1\r\nB=2\r\ncontenttype=5OO\r\n", "j:6:14", `found "O"`},
	{"\xef\xbb\xbf[JOURNAL:M\xc3\xbcller]\r\nSUBJECT=\xc3\xbc\xc3\xbc\\q\r\n", "j:2:11", "escape sequence"},
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		_, _, err := fixAll(t, []byte(c.in), Options{Name: "j"})
		if err == nil {
			t.Errorf("%q: no error, want %s %s", c.in, c.pos, c.want)
			continue
		}
		var se *position.Error
		if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: %v is not a *position.Error wrapping ErrSyntax", c.in, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.pos+": ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s: ...%s...", c.in, err, c.pos, c.want)
		}
		// The same error whatever the chunking.
		for _, cs := range []int{1, 3, 10} {
			_, _, err2 := fixAll(t, []byte(c.in), Options{Name: "j", ChunkSize: cs, Workers: 2})
			if err2 == nil || err2.Error() != err.Error() {
				t.Errorf("%q, chunk size %d: %v, want %v", c.in, cs, err2, err)
			}
		}
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			b = append(b, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
			continue
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func TestUTF16Errors(t *testing.T) {
	bom := "\xff\xfe"
	for _, c := range []struct {
		in     []byte
		prefix string
		want   string
	}{
		{append([]byte(bom), utf16le("[JOURNAL]\r\nCONTENTTYPE=4352\r\n")...)[:2+2*27+1], "j:2:17: invalid UTF-16: odd number of bytes", "(byte offset 56)"},
		{append(append([]byte(bom), utf16le("[JOURNAL]\r\nSUBJECT=")...), 0x00, 0xD8, 'a', 0, '\r', 0, '\n', 0), "j:2:9: invalid UTF-16: unpaired high surrogate 0xD800", "(byte offset 40)"},
		{append(append([]byte(bom), utf16le("[JOURNAL]\r\nSUBJECT=\U0001F600")...), 0x00, 0xDC, '\r', 0, '\n', 0), "j:2:10: invalid UTF-16: unpaired low surrogate 0xDC00", "(byte offset 44)"},
		{append(append([]byte(bom), utf16le("[JOURNAL]\r\nSUBJECT=")...), 0x00, 0xD8), "j:2:9: invalid UTF-16: unpaired high surrogate 0xD800 at the end", "(byte offset 40)"},
		{append([]byte(bom), utf16le("[JOURNAL]\r\nCONTENTTYPE=\u00e4\r\n")...), "j:2:13: expected a decimal number as CONTENTTYPE, found a non-ASCII character", "(byte offset 48)"},
	} {
		for _, cs := range []int{0, 2, 5} {
			_, _, err := fixAll(t, c.in, Options{Name: "j", ChunkSize: cs})
			if err == nil || !strings.HasPrefix(err.Error(), c.prefix) || !strings.HasSuffix(err.Error(), c.want) {
				t.Errorf("chunk size %d, % x:\n got %v\nwant %s ... %s", cs, c.in, err, c.prefix, c.want)
			}
		}
	}
}

func TestLenient(t *testing.T) {
	in := "; x\r\nFIELD=before header\r\n[JOURNAL]\r\nCONTENTTYPE=abc\r\nCONTENTTYPE=4352\r\n[BROKEN\r\nCONTENTTYPE=500\r\n[USER]\r\nCONTENTTYPE=501\r\n  bad indented\r\nX=\\q\r\n"
	// The fields after a broken header belong to a record of unknown type:
	// not touched.
	want := strings.Replace(in, "=4352", "=1092", 1)
	for _, cs := range []int{0, 1, 4} {
		got, rep, err := fixAll(t, []byte(in), Options{Lenient: true, ChunkSize: cs})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("chunk size %d:\n got %q\nwant %q", cs, got, want)
		}
		lines := []int64{}
		for _, is := range rep.Issues {
			lines = append(lines, is.Line)
		}
		if rep.Skipped != 5 || len(rep.Issues) != 5 || lines[0] != 2 || lines[1] != 4 || lines[2] != 6 || lines[3] != 10 || lines[4] != 11 {
			t.Errorf("chunk size %d: skipped %d, issues %+v", cs, rep.Skipped, rep.Issues)
		}
		if rep.Fixes() != 1 {
			t.Errorf("chunk size %d: %d fixes, want 1", cs, rep.Fixes())
		}
		// Each issue is the error strict mode would give, placed in the file.
		if is := rep.Issues[4]; is.File != "journal" || is.Column != 3 || is.Offset != int64(strings.Index(in, `\q`)) ||
			!errors.Is(is, ErrSyntax) || !strings.HasPrefix(is.Error(), "journal:11:3: expected an escape sequence") {
			t.Errorf("chunk size %d: issue %v at offset %d", cs, is, is.Offset)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := bytes.Repeat([]byte("[JOURNAL]\r\nCONTENTTYPE=4352\r\n"), 1000)
	_, err := Fix(ctx, bytes.NewReader(data), &bytes.Buffer{}, Options{ChunkSize: 100})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

// TestValidate runs every golden case and the grammar's samples with the
// full grammar as well: same output, every record validated.
func TestValidate(t *testing.T) {
	for name, data := range differentialInputs(t) {
		want, rep, err := fixAll(t, data, Options{})
		for _, cs := range []int{0, 5, 64} {
			got, rep2, err2 := fixAll(t, data, Options{Validate: true, ChunkSize: cs, Workers: 2})
			if (err == nil) != (err2 == nil) {
				t.Errorf("%s, chunk size %d: without --validate %v, with %v", name, cs, err, err2)
				continue
			}
			if err != nil {
				continue
			}
			if !bytes.Equal(got, want) || rep2.Fixes() != rep.Fixes() {
				t.Errorf("%s, chunk size %d: --validate changes the output", name, cs)
			}
			if rep2.Validated != rep.Records {
				t.Errorf("%s, chunk size %d: %d of %d records validated", name, cs, rep2.Validated, rep.Records)
			}
		}
	}
}

// TestParseRecords checks the grammar pass alone (the fast path rejects the
// same inputs first, so through Fix it never gets to report them).
func TestParseRecords(t *testing.T) {
	data := []byte("; pre\r\n[JOURNAL]\r\nA=1\r\n[USER]\r\nB=2\r\n C=3\r\n[JOURNAL]\r\nD=4\x1a")
	f := &fixer{enc: CP1252}
	cs := &chunkStats{}
	cerr := f.parseRecords(data, state{last: true}, cs)
	if cerr == nil || cerr.line != 6 || cerr.column != 2 || cerr.unit != bytes.Index(data, []byte("C=3")) || !strings.Contains(cerr.msg, "infotool grammar") {
		t.Fatalf("strict: %+v", cerr)
	}
	f.lenient = true
	cs = &chunkStats{}
	if cerr := f.parseRecords(data, state{last: true}, cs); cerr != nil {
		t.Fatal(cerr)
	}
	if cs.validated != 2 || cs.skipped != 1 || len(cs.issues) != 1 || cs.issues[0].Line != 6 {
		t.Errorf("lenient: %d validated, %d skipped, issues %+v", cs.validated, cs.skipped, cs.issues)
	}
	// A line the fast path reported already is not reported twice.
	cs = &chunkStats{issues: []*position.Error{{Line: 6, Column: 1, Err: errors.New("fast")}}}
	if cerr := f.parseRecords(data, state{last: true}, cs); cerr != nil || cs.skipped != 0 || len(cs.issues) != 1 {
		t.Errorf("reported twice: %+v", cs.issues)
	}
	u := utf16le("[JOURNAL]\r\nA=1\r\n[USER]\r\n=2\r\n")
	f = &fixer{enc: UTF16LE}
	cerr = f.parseRecords(append(u, 0x1a), state{last: true}, &chunkStats{})
	if cerr == nil || cerr.line != 4 || cerr.unit != 24 {
		t.Fatalf("UTF-16: %+v", cerr)
	}
}
