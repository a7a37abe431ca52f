package infotool

import (
	"github.com/antlr4-go/antlr/v4"
)

// unitStream is an antlr.CharStream over the code units of a record: bytes
// for cp1252 and UTF-8, 16-bit units for UTF-16LE. The grammar only gives
// meaning to ASCII, so it works on all three without decoding, and token
// positions map straight back to byte offsets (index × width).
type unitStream struct {
	data  []byte
	width int
	size  int
	index int
	name  string
}

func (s *unitStream) reset(data []byte, width int, name string) {
	s.data, s.width, s.size, s.index, s.name = data, width, len(data)/width, 0, name
}

func (s *unitStream) Consume() {
	if s.index >= s.size {
		panic("cannot consume EOF")
	}
	s.index++
}

func (s *unitStream) LA(offset int) int {
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

func (s *unitStream) Mark() int             { return -1 }
func (s *unitStream) Release(int)           {}
func (s *unitStream) Index() int            { return s.index }
func (s *unitStream) Size() int             { return s.size }
func (s *unitStream) GetSourceName() string { return s.name }

func (s *unitStream) Seek(index int) {
	s.index = min(index, s.size)
}

// bytes returns the bytes of units start..stop (inclusive), clamped.
func (s *unitStream) bytes(start, stop int) []byte {
	stop = min(stop, s.size-1)
	if start < 0 || start > stop {
		return nil
	}
	return s.data[start*s.width : (stop+1)*s.width]
}

func (s *unitStream) GetText(start, stop int) string {
	b := s.bytes(start, stop)
	if s.width == 2 {
		return string(appendUTF16(nil, b))
	}
	return string(b)
}

func (s *unitStream) GetTextFromTokens(start, stop antlr.Token) string {
	if start == nil || stop == nil {
		return ""
	}
	return s.GetText(start.GetStart(), stop.GetStop())
}

func (s *unitStream) GetTextFromInterval(i antlr.Interval) string {
	return s.GetText(i.Start, i.Stop)
}
