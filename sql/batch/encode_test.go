package batch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
)

// wantUTF16LE is the reference conversion, built without x/text: BOM, then
// every rune as one or two little-endian code units.
func wantUTF16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

// writeSplit writes p through e's writer in pieces ending at the given cut
// points, then closes it.
func writeSplit(e Encoding, p []byte, cuts []int) ([]byte, error) {
	var out bytes.Buffer
	w := e.NewWriter(&out)
	last := 0
	for _, c := range cuts {
		if _, err := w.Write(p[last:c]); err != nil {
			return out.Bytes(), err
		}
		last = c
	}
	if _, err := w.Write(p[last:]); err != nil {
		return out.Bytes(), err
	}
	return out.Bytes(), w.Close()
}

// randomCuts returns up to n sorted cut points in [0, size].
func randomCuts(rnd *rand.Rand, size, n int) []int {
	cuts := make([]int, rnd.IntN(n+1))
	for i := range cuts {
		cuts[i] = rnd.IntN(size + 1)
	}
	for i := 1; i < len(cuts); i++ { // insertion sort: few cuts
		for j := i; j > 0 && cuts[j] < cuts[j-1]; j-- {
			cuts[j], cuts[j-1] = cuts[j-1], cuts[j]
		}
	}
	return cuts
}

// scriptText mixes what a script holds: ASCII, CRLF, umlauts (2 bytes),
// the euro sign (3 bytes) and characters outside the BMP (4 bytes, a
// surrogate pair in UTF-16).
const scriptText = "INSERT INTO [dbo].[Users] VALUES (N'Jürgen Müller', N'€ 5', N'Grüße 😀 𝄞')\r\nGO\r\n"

func TestUTF16LEWriterSplits(t *testing.T) {
	p := []byte(scriptText + "ÄÖÜ\r\n" + scriptText)
	want := wantUTF16LE(string(p))
	// Every single cut point, inside every multi-byte sequence.
	for c := 0; c <= len(p); c++ {
		got, err := writeSplit(UTF16LE, p, []int{c})
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("cut at %d: err %v\ngot  % X\nwant % X", c, err, got, want)
		}
	}
	// Byte by byte.
	every := make([]int, len(p))
	for i := range every {
		every[i] = i
	}
	if got, err := writeSplit(UTF16LE, p, every); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("byte by byte: err %v", err)
	}
	// Random splits of random text, large enough to cross the writer's
	// internal buffers.
	rnd := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("a\r\n'ßü€😀𝄞\U0010FFFF\u0080\u07FF\u0800\uFFFD\uFFFF\x00")
	for range 300 {
		var b []byte
		for range rnd.IntN(9000) {
			b = utf8.AppendRune(b, alphabet[rnd.IntN(len(alphabet))])
		}
		got, err := writeSplit(UTF16LE, b, randomCuts(rnd, len(b), 40))
		if err != nil || !bytes.Equal(got, wantUTF16LE(string(b))) {
			t.Fatalf("%d bytes: err %v", len(b), err)
		}
	}
}

func TestEncodingWriterInvalidUTF8(t *testing.T) {
	for _, bad := range []string{
		"caf\xe9 au lait", // Latin-1
		"\xff",
		"\xed\xa0\x80",     // a surrogate encoded as UTF-8
		"\xc0\xaf",         // overlong
		"end \xf0\x9f\x98", // incomplete at the end: an error at Close
	} {
		for cut := 0; cut <= len(bad); cut++ {
			got, err := writeSplit(UTF16LE, []byte(bad), []int{cut})
			if !errors.Is(err, encoding.ErrInvalidUTF8) {
				t.Errorf("%q cut at %d: err %v, want ErrInvalidUTF8", bad, cut, err)
			}
			if bytes.Contains(got, []byte{0xFD, 0xFF}) {
				t.Errorf("%q: U+FFFD written: % X", bad, got)
			}
		}
	}
	// UTF-8 output copies bytes: nothing to convert, nothing refused.
	got, err := writeSplit(UTF8BOM, []byte("caf\xe9"), []int{2})
	if err != nil || string(got) != "\xef\xbb\xbfcaf\xe9" {
		t.Errorf("UTF-8 BOM: %q, %v", got, err)
	}
}

// TestEncodingWriterRoundTrip: what NewWriter writes, Decode reads back
// as the same text and the same encoding.
func TestEncodingWriterRoundTrip(t *testing.T) {
	for _, e := range []Encoding{UTF8, UTF8BOM, UTF16LE, UTF16BE} {
		var buf bytes.Buffer
		w := e.NewWriter(&buf)
		io.WriteString(w, scriptText)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), e.BOM) {
			t.Errorf("%s: starts with % X", e.Name, buf.Bytes()[:4])
		}
		r, got, err := Decode(&buf, 0)
		if err != nil {
			t.Fatal(err)
		}
		text, err := io.ReadAll(r)
		if err != nil || string(text) != scriptText || got.Name != e.Name {
			t.Errorf("%s: read back as %s: %q, %v", e.Name, got.Name, text, err)
		}
	}
}

// FuzzUTF16LEWriter: any input split at any two points converts as the
// reference does when it is UTF-8, and is refused when it is not.
func FuzzUTF16LEWriter(f *testing.F) {
	f.Add([]byte(scriptText), uint16(3), uint16(40))
	f.Add([]byte("😀"), uint16(1), uint16(3))
	f.Add([]byte("ab\xf0\x9f"), uint16(2), uint16(3))
	f.Fuzz(func(t *testing.T, p []byte, a, b uint16) {
		cuts := []int{int(a) % (len(p) + 1), int(b) % (len(p) + 1)}
		if cuts[0] > cuts[1] {
			cuts[0], cuts[1] = cuts[1], cuts[0]
		}
		got, err := writeSplit(UTF16LE, p, cuts)
		if !utf8.Valid(p) {
			if !errors.Is(err, encoding.ErrInvalidUTF8) {
				t.Fatalf("invalid UTF-8 %q: err %v", p, err)
			}
			return
		}
		if err != nil || !bytes.Equal(got, wantUTF16LE(string(p))) {
			t.Fatalf("%q cut at %v: err %v\ngot  % X", p, cuts, err, got)
		}
	})
}
