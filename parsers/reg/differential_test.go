package reg

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/antlr4-go/antlr/v4"

	"github.com/xdm-migrate/xdm/parsers/internal/syntax"
	"github.com/xdm-migrate/xdm/parsers/reg/internal/gen"
	"github.com/xdm-migrate/xdm/position"
)

// grammarFile parses a whole file with the grammar's `file` rule, the
// definition of the format, and reports whether it fits (the checks the
// grammar cannot make, such as root keys, aside).
func grammarFile(data []byte) bool {
	enc, bom, err := detect(data[:min(len(data), 4)])
	if err != nil || (len(data)-bom)%enc.width() != 0 {
		return false
	}
	var s syntax.Units
	s.Reset(data[bom:], enc.width(), "file")
	lexer := gen.NewRegLexer(&s)
	parser := gen.NewReg(antlr.NewCommonTokenStream(lexer, antlr.TokenDefaultChannel))
	parser.BuildParseTrees = false
	var errs syntax.Listener
	errs.Attach(lexer, parser)
	parser.File()
	return !errs.Failed
}

// semantic reports an error the reader finds beyond the grammar.
func semantic(err error) bool {
	return errors.Is(err, ErrRootKey) || errors.Is(err, ErrTypeNumber) || errors.Is(err, ErrNoKey)
}

// readAll reads a file with the scanner or the grammar and returns its
// records and errors, and whether it fits the grammar (no error other than
// a semantic one).
func readAll(data []byte, grammar bool) (recs []*Record, errs []string, fits bool) {
	return readFrom(bytes.NewReader(data), grammar)
}

func readFrom(in io.Reader, grammar bool) (recs []*Record, errs []string, fits bool) {
	r := NewReader(in, "f")
	r.Grammar = grammar
	fits = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, errs, fits
		}
		if err != nil {
			errs = append(errs, err.Error())
			var pe *position.Error
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Column < 1 {
				errs = append(errs, "UNPLACED")
			}
			if !semantic(err) {
				fits = false
			}
			if r.err != nil {
				return recs, errs, fits
			}
			continue
		}
		recs = append(recs, rec)
	}
}

// compareReaders checks that the scanner and the grammar read data alike,
// and that the file fits the `file` rule exactly when the reader finds no
// syntax error in it.
func compareReaders(t *testing.T, data []byte) {
	t.Helper()
	scanRecs, scanErrs, scanFits := readAll(data, false)
	gramRecs, gramErrs, _ := readAll(data, true)
	if !reflect.DeepEqual(scanErrs, gramErrs) {
		t.Fatalf("errors differ for %q:\nscanner: %q\ngrammar: %q", data, scanErrs, gramErrs)
	}
	if !reflect.DeepEqual(scanRecs, gramRecs) {
		t.Fatalf("records differ for %q:\nscanner: %v\ngrammar: %v", data, scanRecs, gramRecs)
	}
	// Reads of one byte put every buffer boundary everywhere.
	if oneRecs, oneErrs, _ := readFrom(iotest.OneByteReader(bytes.NewReader(data)), false); !reflect.DeepEqual(oneRecs, scanRecs) || !reflect.DeepEqual(oneErrs, scanErrs) {
		t.Fatalf("one-byte reads differ for %q:\n%v %q\n%v %q", data, oneRecs, oneErrs, scanRecs, scanErrs)
	}
	for _, e := range scanErrs {
		if e == "UNPLACED" {
			t.Fatalf("an error without a place for %q: %q", data, scanErrs)
		}
	}
	if whole := grammarFile(data); whole != scanFits {
		t.Fatalf("the file rule says fits=%v, the reader %v (errors %q) for %q", whole, scanFits, scanErrs, data)
	}
}

// TestDifferentialSamples: the scanner, the grammar entry by entry and the
// grammar's whole-file rule agree on every sample.
func TestDifferentialSamples(t *testing.T) {
	for _, path := range sampleFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		compareReaders(t, data)
	}
}

// fragments are the pieces random lines are built of: every token of the
// grammar, near misses and the characters that end or break tokens.
var fragments = []string{
	"[", "[-", "]", " ]", "] ", `"`, `\`, `\\`, `\"`, `\n`, `\r`, `\t`, `\0`, "@", "=", "-",
	"dword:", "dword", "hex:", "hex(", "hex(2):", "hex(7):", "hex(b):", "hex(100000000):", "hex(0x2):", "):",
	"0", "01", "1f", "ABC", "123456789", "00000001", ",", ", ", ",\t", " ", "\t", ";", "; c \\", "#",
	"\r\n", "\n", "\r", "x", "é", "\U0001F600", "\x00", "HKEY_CURRENT_USER", "HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM",
	"HKLM\\x", "Name", "REGEDIT4", "Windows Registry Editor Version 5.00",
}

// randomEntry returns a line of 1 to 10 random fragments.
func randomEntry(rng *rand.Rand) string {
	var b strings.Builder
	for n := 1 + rng.IntN(10); n > 0; n-- {
		b.WriteString(fragments[rng.IntN(len(fragments))])
	}
	return b.String()
}

// likelyEntry returns a line that is often valid: a template of the format
// with random fragments spliced in.
func likelyEntry(rng *rand.Rand) string {
	templates := []string{
		`[HKEY_CURRENT_USER\Software\%s]`, `[-HKEY_CURRENT_USER\%s]`, `"%s"="v"`, `@="%s"`, `"a"=%s`,
		`"a"=dword:%s`, `"a"=hex:%s`, `"a"=hex(7):01,%s`, "\"a\"=hex:01,\\\r\n  %s", "\"a\"=hex:01,%s\\\r\n;c\r\n\r\n  02",
		`; %s`, `  %s`, `"a" = "%s" ; c`,
	}
	return fmt.Sprintf(templates[rng.IntN(len(templates))], randomEntry(rng))
}

func encode(s string, wide bool) []byte {
	if wide {
		b, _ := UTF16LE.Append(nil, s)
		return b
	}
	b, _ := ANSI.Append(nil, s)
	return b
}

// TestDifferentialEntries: on many thousand random entries, in both
// encodings, the scanner accepts exactly what the grammar's `entry` rule
// accepts and finds the same pieces.
func TestDifferentialEntries(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2024))
	accepted := 0
	for i := range 20000 {
		line := randomEntry(rng)
		if i%2 == 0 {
			line = likelyEntry(rng)
		}
		for _, wide := range []bool{false, true} {
			raw := encode(line, wide)
			w := 1
			if wide {
				w = 2
			}
			se, sok := scanEntry(raw, w)
			ge, gok := grammarEntry(raw, w, false)
			if sok != gok {
				t.Fatalf("%q (utf16 %v): scanner ok=%v, grammar ok=%v", line, wide, sok, gok)
			}
			if sok && !reflect.DeepEqual(se, ge) {
				t.Fatalf("%q (utf16 %v): scanner %+v, grammar %+v", line, wide, se, ge)
			}
			hs, hok := scanHeader(raw, w)
			hg, hgok := grammarEntry(raw, w, true)
			if hok != hgok || (hok && !reflect.DeepEqual(hs, hg)) {
				t.Fatalf("header %q: scanner %v %+v, grammar %v %+v", line, hok, hs, hgok, hg)
			}
			if sok {
				accepted++
			}
		}
	}
	if accepted < 4000 {
		t.Fatalf("only %d of 40000 random entries valid: the test says too little", accepted)
	}
}

// TestDifferentialFiles: random files of random and likely lines are read
// alike by the scanner and the grammar, and fit the `file` rule exactly
// when the reader finds no syntax error.
func TestDifferentialFiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2024))
	fit := 0
	for i := range 3000 {
		var b strings.Builder
		b.WriteString([]string{"Windows Registry Editor Version 5.00\r\n", "REGEDIT4\n", " REGEDIT4\r", ""}[rng.IntN(4)])
		for n := rng.IntN(6); n > 0; n-- {
			if rng.IntN(3) == 0 {
				b.WriteString(randomEntry(rng))
			} else {
				b.WriteString(likelyEntry(rng))
			}
			b.WriteString([]string{"\r\n", "\n", "\r", ""}[rng.IntN(4)])
		}
		wide := i%2 == 1
		data := encode(b.String(), wide)
		if wide {
			data = append([]byte{0xFF, 0xFE}, data...)
		}
		compareReaders(t, data)
		if grammarFile(data) {
			fit++
		}
	}
	if fit < 100 {
		t.Fatalf("only %d of 3000 random files fit the grammar: the test says too little", fit)
	}
}
