package syntax

import (
	"unicode/utf16"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"
)

// Units is an antlr.CharStream over the code units of a text: bytes for a
// single-byte encoding, 16-bit little-endian units for UTF-16LE. Grammars
// that give meaning to ASCII only work on both without decoding, and token
// positions map straight back to byte offsets (index × width).
type Units struct {
	data  []byte
	width int
	size  int
	index int
	name  string
}

// Reset points the stream at data, in units of width bytes (1 or 2).
func (s *Units) Reset(data []byte, width int, name string) {
	s.data, s.width, s.size, s.index, s.name = data, width, len(data)/width, 0, name
}

// Width is the size of one unit in bytes.
func (s *Units) Width() int { return s.width }

// Consume implements antlr.IntStream.
func (s *Units) Consume() {
	if s.index >= s.size {
		panic("cannot consume EOF")
	}
	s.index++
}

// LA implements antlr.IntStream.
func (s *Units) LA(offset int) int {
	if offset == 0 {
		return 0
	}
	if offset < 0 {
		offset++
	}
	pos := s.index + offset - 1
	if pos < 0 || pos >= s.size {
		return antlr.TokenEOF
	}
	if s.width == 1 {
		return int(s.data[pos])
	}
	return int(s.data[2*pos]) | int(s.data[2*pos+1])<<8
}

// Mark implements antlr.IntStream.
func (s *Units) Mark() int { return -1 }

// Release implements antlr.IntStream.
func (s *Units) Release(int) {}

// Index implements antlr.IntStream.
func (s *Units) Index() int { return s.index }

// Size implements antlr.IntStream.
func (s *Units) Size() int { return s.size }

// GetSourceName implements antlr.IntStream.
func (s *Units) GetSourceName() string { return s.name }

// Seek implements antlr.IntStream.
func (s *Units) Seek(index int) { s.index = min(index, s.size) }

// Bytes returns the bytes of units start..stop (inclusive), clamped.
func (s *Units) Bytes(start, stop int) []byte {
	stop = min(stop, s.size-1)
	if start < 0 || start > stop {
		return nil
	}
	return s.data[start*s.width : (stop+1)*s.width]
}

// GetText implements antlr.CharStream: the units start..stop as text (a
// single-byte text as Latin-1, which is exact for the ASCII that error
// messages show).
func (s *Units) GetText(start, stop int) string {
	b := s.Bytes(start, stop)
	if s.width == 1 {
		if utf8.Valid(b) {
			return string(b)
		}
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(u))
}

// GetTextFromTokens implements antlr.CharStream.
func (s *Units) GetTextFromTokens(start, stop antlr.Token) string {
	if start == nil || stop == nil {
		return ""
	}
	return s.GetText(start.GetStart(), stop.GetStop())
}

// GetTextFromInterval implements antlr.CharStream.
func (s *Units) GetTextFromInterval(i antlr.Interval) string {
	return s.GetText(i.Start, i.Stop)
}
