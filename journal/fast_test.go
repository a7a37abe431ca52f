package journal

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testgen/infotoolgen"
)

// The fast path of scan (lineScan.fast, with its word operations) must do
// exactly what the general path (lineScan.line, every line on its own) does:
// the same edits, counts, issues and error, on any text and from any state.

// scanBoth scans text with and without the fast path and fails on any
// difference. It returns the number of lines.
func scanBoth(t *testing.T, text []byte, st state, lenient bool) int64 {
	t.Helper()
	fast, general := &fixer{lenient: lenient}, &fixer{lenient: lenient, noFast: true}
	var csFast, csGeneral chunkStats
	editsFast, errFast := fast.scan(text, st, &csFast)
	editsGeneral, errGeneral := general.scan(text, st, &csGeneral)
	if !reflect.DeepEqual(errFast, errGeneral) {
		t.Fatalf("state %+v, lenient %v: error %+v, general path %+v\ntext %q", st, lenient, errFast, errGeneral, text)
	}
	if len(editsFast) != len(editsGeneral) || (len(editsFast) > 0 && !reflect.DeepEqual(editsFast, editsGeneral)) {
		t.Fatalf("state %+v, lenient %v: edits %v, general path %v\ntext %q", st, lenient, editsFast, editsGeneral, text)
	}
	if !reflect.DeepEqual(csFast, csGeneral) {
		t.Fatalf("state %+v, lenient %v: stats %+v, general path %+v\ntext %q", st, lenient, csFast, csGeneral, text)
	}
	return csFast.crlf + csFast.lf
}

// scanStates runs scanBoth from every state a chunk can start in.
func scanStates(t *testing.T, text []byte) {
	t.Helper()
	for _, st := range []state{{}, {header: true}, {header: true, journal: true}, {header: true, journal: true, last: true}} {
		for _, lenient := range []bool{false, true} {
			scanBoth(t, text, st, lenient)
		}
	}
}

// mutations are byte strings that the fast path must leave to the general
// one, or read exactly as it does: each is put at random places of a valid
// journal.
var mutations = []string{
	"\\", "\\x3", "\\x35", "\\q", "0x", "=0x1", "=0x12", "=0xabc", "\r", "\r\r\n", "\n", "\v", "\n\v", "\x00", "\x7f", "\x80",
	"\xff", " ", "\t", ";", "[", "]", "[JOURNAL]", "[journal]  ", "[JOURNAL:K]", "[USER]", "[JOURNAL", "=", "==", "_", "9",
	"CONTENTTYPE=", "contenttype=4352", "CONTENTTYPE=5x", "CONTENTTYPE= 0599 \t", "CONTENTTYPE=-1", "CONTENTTYPE=0x10",
	"CONTENTTYPF=1", "CONTENTTYPEX=500", "A_VERY_LONG_FIELD_NAME=1", "ABCDEFGHIJKLMNOPQ=1", "ABCDEFGHIJKLMNOP=1",
	"ABCDEFGHIJKLMNO@=1", "@", "`", "{", "/", ":",
}

// TestFastPathAgrees compares the two paths on generated journals (header
// records, full records with BODY values, LF and mixed line endings) and on
// the same journals with random mutations, so that every check of the fast
// path meets lines it must accept and lines it must refuse.
func TestFastPathAgrees(t *testing.T) {
	var lines int64
	for _, o := range []infotoolgen.Options{
		{Size: 64 << 10, Headers: true},
		{Size: 64 << 10, Headers: true, MixedLineEnds: true, Seed: 2},
		{Size: 256 << 10, MaxBinary: 300, Seed: 3},
		{Size: 256 << 10, MaxBinary: 300, MixedLineEnds: true, Seed: 4},
	} {
		var buf bytes.Buffer
		if _, err := infotoolgen.WriteJournal(&buf, o); err != nil {
			t.Fatal(err)
		}
		text := buf.Bytes()
		lines += scanBoth(t, text, state{}, false)
		scanStates(t, text)
		rng := rand.New(rand.NewPCG(o.Seed, 15))
		for range 300 {
			mutated := bytes.Clone(text[:rng.IntN(len(text))])
			for range rng.IntN(4) + 1 {
				at := rng.IntN(len(mutated) + 1)
				m := mutations[rng.IntN(len(mutations))]
				mutated = append(mutated[:at:at], append([]byte(m), mutated[at:]...)...)
			}
			scanStates(t, mutated)
		}
	}
	if lines < 10000 {
		t.Fatalf("only %d lines compared", lines)
	}
}

// TestFastPathTakesCommonLines checks that the fast path does read the
// common lines (the comparison above would pass if it read none): on a
// journal of header records the general path reads only the lines before the
// first header and those near the end.
func TestFastPathTakesCommonLines(t *testing.T) {
	for _, mixed := range []bool{false, true} {
		var buf bytes.Buffer
		if _, err := infotoolgen.WriteJournal(&buf, infotoolgen.Options{Size: 64 << 10, Headers: true, MixedLineEnds: mixed}); err != nil {
			t.Fatal(err)
		}
		text := buf.Bytes()
		s := lineScan{f: &fixer{}, text: text, cs: &chunkStats{}, backslash: len(text)}
		pos := s.fast()
		if s.err != nil || s.cs.journals < 400 || len(text)-pos > 64+bulkRoom+64 {
			t.Fatalf("fast path: error %v, %d JOURNAL headers, stopped %d bytes before the end", s.err, s.cs.journals, len(text)-pos)
		}
		if s.general > 4 {
			t.Errorf("mixed line endings %v: the general path read %d of %d lines", mixed, s.general, s.lineNo)
		}
	}
}

// FuzzFastPath compares the two paths on any text, repeated so that it
// reaches past the end, which only the general path reads.
func FuzzFastPath(f *testing.F) {
	ins, _ := filepath.Glob("testdata/*.in")
	if len(ins) < 10 {
		f.Fatalf("only %d seed files in testdata", len(ins))
	}
	for _, in := range ins {
		data, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(4))
	}
	for _, m := range mutations {
		f.Add([]byte(fmt.Sprintf("[JOURNAL]\r\nCONTENTTYPE=500\r\n%s\r\nA=1\n", m)), uint8(8))
	}
	f.Fuzz(func(t *testing.T, data []byte, reps uint8) {
		if len(data) == 0 {
			return
		}
		text := bytes.Repeat(data, int(reps%32)+1)
		for len(text) < 4*(64+bulkRoom) {
			text = append(text, data...)
		}
		scanStates(t, text)
	})
}

// TestClassifyBlock compares classifyBlock (assembly on amd64) with the
// portable classifyBlockGo and with the nameChar table, on random blocks
// and on blocks of every byte value.
func TestClassifyBlock(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 64))
	var blocks [][64]byte
	for c := 0; c < 256; c += 64 {
		var b [64]byte
		for k := range b {
			b[k] = byte(c + k)
		}
		blocks = append(blocks, b)
	}
	for range 1000 {
		var b [64]byte
		for k := range b {
			b[k] = byte(rng.Uint32())
			if rng.IntN(2) == 0 { // more of the bytes the bitmaps mark
				marked := "\n\r=azAZ09_@[`{/:\x80\xe1"
				b[k] = marked[rng.IntN(len(marked))]
			}
		}
		blocks = append(blocks, b)
	}
	for _, b := range blocks {
		var got, want blockBits
		classifyBlock(&b, &got)
		classifyBlockGo(&b, &want)
		if got != want {
			t.Fatalf("block %q: classifyBlock %+v, classifyBlockGo %+v", b, got, want)
		}
		for k, c := range b {
			bit := uint64(1) << k
			if (want.name&bit != 0) != nameChar[c] || (want.letter&bit != 0) != isLetter(c) ||
				(want.nl&bit != 0) != (c == '\n') || (want.cr&bit != 0) != (c == '\r') || (want.eq&bit != 0) != (c == '=') ||
				(want.x&bit != 0) != (c == 'x') {
				t.Fatalf("byte %q: bitmaps %+v at bit %d", c, want, k)
			}
		}
	}
}

// TestFastPathLongLines compares the two paths on lines longer than a
// block, starting at every offset of a block, plain and with the bytes that
// make the bulk check look at a line (an escape, a '\r', "=0x", an 'x' after
// a "0", a long name) at random places, and long CONTENTTYPE values to remap, and checks that the plain long
// values were skipped (not classified block by block).
func TestFastPathLongLines(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 64))
	value := func(n int, rare string) []byte {
		v := make([]byte, n)
		for k := range v {
			v[k] = "abcdefghij 0123456789=,.-ABCXYZ"[rng.IntN(31)]
			if rare != "" && rng.IntN(500) == 0 {
				v[k] = rare[rng.IntN(len(rare))]
			}
		}
		return v
	}
	var lines int64
	for pad := range 140 {
		for _, rare := range []string{"", "\\", "\r", "x0=", "\r\\x0=\n"} {
			var b bytes.Buffer
			b.WriteString("[JOURNAL]\r\nMSGID=1\r\n")
			b.WriteString("N" + string(bytes.Repeat([]byte{'A'}, pad)) + "=1\r\n")
			for _, n := range []int{200, 1000, 5000} {
				fmt.Fprintf(&b, "SUBJECT=%s\r\nTEXT=0x%s\r\n", value(n+pad, rare), bytes.Repeat([]byte("ab"), n))
				fmt.Fprintf(&b, "L%s=%s\n", bytes.Repeat([]byte("ONG_NAME"), pad%20), value(n, rare))
				fmt.Fprintf(&b, "\r\n[JOURNAL]\r\nCONTENTTYPE=%s4352\r\n", bytes.Repeat([]byte("0"), n))
			}
			b.WriteString("\r\n[JOURNAL]\r\nCONTENTTYPE=4352\r\n")
			text := b.Bytes()
			lines += scanBoth(t, text, state{}, false)
			scanStates(t, text)
			if rare == "" {
				s := lineScan{f: &fixer{}, text: text, cs: &chunkStats{}, backslash: len(text)}
				if s.fast(); s.skipped < int64(len(text))/2 {
					t.Errorf("pad %d: the bulk check skipped %d of %d bytes", pad, s.skipped, len(text))
				}
			}
		}
	}
	if lines < 1000 {
		t.Fatalf("only %d lines compared", lines)
	}
}
