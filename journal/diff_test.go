package journal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/position"
)

// The differential test: the fast path must agree with the grammar-based
// record Reader of parsers/infotool. The expected output is computed from
// the Reader's records (which fields are CONTENTTYPE fields of JOURNAL
// records, their decoded values) and an independent, regexp-based reading of
// the raw value; the fast path must produce the same bytes, and reject the
// same inputs on the same line.

// grammarResult is the grammar's verdict on an input.
type grammarResult struct {
	out     []byte
	fixes   int
	errLine int // 0: accepted
	err     error
}

var (
	decimal     = regexp.MustCompile(`^[ \t]*([0-9]+)[ \t]*$`)
	rawValueTok = regexp.MustCompile(`\\x[0-9A-Fa-f]{2}|\\[\\nrt]|[\s\S]`)
	bigLow      = big.NewInt(499)
	bigHigh     = big.NewInt(600)
	big4352     = big.NewInt(4352)
)

// grammarFix runs the grammar's Reader over data and applies the CONTENTTYPE
// rule to the raw lines of the CONTENTTYPE fields of JOURNAL records.
func grammarFix(data []byte) grammarResult {
	rd := infotool.NewReader(bytes.NewReader(data), "g")
	fixLines := map[int]bool{} // 1-based lines whose CONTENTTYPE digits become 1092
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *position.Error
			if errors.As(err, &pe) {
				return grammarResult{errLine: int(pe.Line), err: err}
			}
			return grammarResult{errLine: -1, err: err}
		}
		if !strings.EqualFold(rec.Type, "JOURNAL") {
			continue
		}
		for _, f := range rec.Fields {
			if !strings.EqualFold(f.Name, "CONTENTTYPE") {
				continue
			}
			m := decimal.FindSubmatch(f.Value)
			if f.Binary || m == nil {
				return grammarResult{errLine: f.Line, err: fmt.Errorf("line %d: CONTENTTYPE %q is no decimal number", f.Line, f.Value)}
			}
			n, _ := new(big.Int).SetString(string(m[1]), 10)
			if n.Cmp(big4352) == 0 || (n.Cmp(bigLow) > 0 && n.Cmp(bigHigh) < 0) {
				fixLines[f.Line] = true
			}
		}
	}

	enc, bom := infotool.DetectEncoding(data)
	w := 1
	if enc == infotool.UTF16LE {
		w = 2
	}
	body := data[bom : len(data)-len(rd.Trailer())]
	out := append([]byte{}, data[:bom]...)
	line := 1
	for len(body) > 0 {
		end := len(body)
		for i := 0; i+w <= len(body); i += w {
			if body[i] == '\n' && (w == 1 || body[i+1] == 0) {
				end = i + w
				break
			}
		}
		l := body[:end]
		body = body[end:]
		if fixLines[line] {
			l = fixRawLine(l, w)
		}
		out = append(out, l...)
		line++
	}
	out = append(out, rd.Trailer()...)
	return grammarResult{out: out, fixes: len(fixLines)}
}

// fixRawLine replaces the digits of the value of a CONTENTTYPE line (units of
// width w, value ASCII: the grammar found a decimal number in it).
func fixRawLine(l []byte, w int) []byte {
	var narrow strings.Builder
	for i := 0; i+w <= len(l); i += w {
		narrow.WriteByte(l[i])
	}
	s := narrow.String()
	eq := strings.IndexByte(s, '=') + 1
	s = strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")
	start, end := -1, -1
	pos := eq
	for _, tok := range rawValueTok.FindAllString(s[eq:], -1) {
		c := tok[0]
		switch {
		case strings.HasPrefix(tok, `\x`):
			var b byte
			fmt.Sscanf(tok[2:], "%02x", &b)
			c = b
		case strings.HasPrefix(tok, `\`):
			c = map[byte]byte{'\\': '\\', 'n': '\n', 'r': '\r', 't': '\t'}[tok[1]]
		}
		if c >= '0' && c <= '9' {
			if start < 0 {
				start = pos
			}
			end = pos + len(tok)
		}
		pos += len(tok)
	}
	repl := []byte("1092")
	if w == 2 {
		repl = []byte("1\x000\x009\x002\x00")
	}
	out := append([]byte{}, l[:start*w]...)
	out = append(out, repl...)
	return append(out, l[end*w:]...)
}

// compareWithGrammar runs both and reports any disagreement.
func compareWithGrammar(t *testing.T, data []byte) {
	t.Helper()
	got, rep, err := fixAll(t, data, Options{Name: "f", ChunkSize: 7})
	g := grammarFix(data)
	switch {
	case err == nil && g.err == nil:
		if !bytes.Equal(got, g.out) {
			t.Fatalf("outputs differ:\nfast    %q\ngrammar %q\ninput   %q", got, g.out, data)
		}
		if int(rep.Fixes()) != g.fixes {
			t.Fatalf("fast path fixed %d fields, grammar %d", rep.Fixes(), g.fixes)
		}
	case err != nil && g.err != nil:
		var se *position.Error
		if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrEncoding) {
			t.Fatalf("fast path error %v is no *position.Error wrapping ErrSyntax or ErrEncoding", err)
		}
		if int(se.Line) == g.errLine {
			return
		}
		if errors.Is(err, ErrEncoding) && g.errLine > int(se.Line) {
			return // see below: the grammar does not check surrogates
		}
		// The grammar rejects a record as a whole, at its first syntax
		// error; the CONTENTTYPE rule is checked on the records it accepts.
		// An earlier CONTENTTYPE error of a record with a later syntax
		// error shows when the input ends after the fast path's line.
		if int(se.Line) < g.errLine {
			if g2 := grammarFix(throughLine(data, int(se.Line))); g2.errLine == int(se.Line) {
				return
			}
		}
		t.Fatalf("rejected on different lines:\nfast    %v\ngrammar %v\ninput   %q", err, g.err, data)
	case err != nil && strings.Contains(err.Error(), "unpaired"):
		// The issue requires invalid UTF-16 to be an error; the grammar's
		// Reader reads an unpaired surrogate as U+FFFD.
	default:
		t.Fatalf("only one rejects:\nfast    %v\ngrammar %v\ninput   %q", err, g.err, data)
	}
}

// throughLine returns data up to the end of line n (1-based).
func throughLine(data []byte, n int) []byte {
	enc, bom := infotool.DetectEncoding(data)
	w := 1
	if enc == infotool.UTF16LE {
		w = 2
	}
	line := 1
	for i := bom; i+w <= len(data); i += w {
		if data[i] == '\n' && (w == 1 || data[i+1] == 0) {
			if line == n {
				return data[:i+w]
			}
			line++
		}
	}
	return data
}

func differentialInputs(t testing.TB) map[string][]byte {
	files, _ := filepath.Glob("testdata/*.in")
	more, _ := filepath.Glob("../testdata/infotool/*.txt")
	if len(files) < 10 || len(more) == 0 {
		t.Fatalf("%d golden inputs in testdata, %d grammar test files in ../testdata/infotool", len(files), len(more))
	}
	files = append(files, more...)
	inputs := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = b
	}
	return inputs
}

func TestDifferential(t *testing.T) {
	for name, data := range differentialInputs(t) {
		t.Run(filepath.Base(name), func(t *testing.T) { compareWithGrammar(t, data) })
	}
	// The error cases of TestErrors: both must reject them on the same line.
	for _, c := range errorCases {
		compareWithGrammar(t, []byte(c.in))
	}
}

func FuzzDifferential(f *testing.F) {
	for _, data := range differentialInputs(f) {
		f.Add(data)
	}
	for _, c := range errorCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		compareWithGrammar(t, data)
	})
}
