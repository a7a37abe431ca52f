package journal

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/parsers/infotool"
)

// Encoding is the text encoding of a journal, told by its byte order mark
// (the same as parsers/infotool's): CP1252 without BOM (rewritten as bytes,
// never decoded), UTF8 after EF BB BF, UTF16LE after FF FE (read as 16-bit
// little-endian code units).
type Encoding = infotool.Encoding

// The encodings of a journal.
const (
	CP1252  = infotool.CP1252
	UTF8    = infotool.UTF8
	UTF16LE = infotool.UTF16LE
)

// Narrow code units: what a UTF-16 code unit becomes for the line grammar.
const (
	narrowOther = 0x80 // any character outside ASCII
	narrowHigh  = 0x81 // first half of a surrogate pair
	narrowLow   = 0x82 // second half of a surrogate pair
)

// encodingError is invalid UTF-16 at a unit of a chunk.
type encodingError struct {
	unit int // index of the offending code unit (or the lone byte)
	msg  string
}

// narrowUTF16 appends one byte per code unit of the UTF-16LE data to dst:
// ASCII as it is, other characters as narrowOther/High/Low. Unpaired
// surrogates and a lone last byte are errors.
func narrowUTF16(dst, data []byte) ([]byte, *encodingError) {
	n := len(data) / 2
	pendingHigh := false
	for i := 0; i < n; i++ {
		u := uint16(data[2*i]) | uint16(data[2*i+1])<<8
		switch {
		case u < 0x80:
			if pendingHigh {
				return dst, &encodingError{i - 1, fmt.Sprintf("unpaired high surrogate 0x%04X", prevUnit(data, i))}
			}
			dst = append(dst, byte(u))
		case u >= 0xD800 && u < 0xDC00:
			if pendingHigh {
				return dst, &encodingError{i - 1, fmt.Sprintf("unpaired high surrogate 0x%04X", prevUnit(data, i))}
			}
			pendingHigh = true
			dst = append(dst, narrowHigh)
		case u >= 0xDC00 && u < 0xE000:
			if !pendingHigh {
				return dst, &encodingError{i, fmt.Sprintf("unpaired low surrogate 0x%04X", u)}
			}
			pendingHigh = false
			dst = append(dst, narrowLow)
		default:
			if pendingHigh {
				return dst, &encodingError{i - 1, fmt.Sprintf("unpaired high surrogate 0x%04X", prevUnit(data, i))}
			}
			dst = append(dst, narrowOther)
		}
	}
	if pendingHigh {
		return dst, &encodingError{n - 1, fmt.Sprintf("unpaired high surrogate 0x%04X at the end", prevUnit(data, n))}
	}
	if len(data)%2 != 0 {
		return dst, &encodingError{n, "odd number of bytes: a lone byte at the end"}
	}
	return dst, nil
}

func prevUnit(data []byte, i int) uint16 {
	return uint16(data[2*i-2]) | uint16(data[2*i-1])<<8
}

// column is the 1-based character column of unit i of a line.
func column(e Encoding, line []byte, i int) int {
	if i > len(line) {
		i = len(line)
	}
	switch e {
	case UTF8:
		return utf8.RuneCount(line[:i]) + 1
	case UTF16LE:
		return i - bytes.Count(line[:i], []byte{narrowLow}) + 1
	default:
		return i + 1
	}
}
