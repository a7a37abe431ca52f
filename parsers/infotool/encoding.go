package infotool

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/parsers/internal/wintext"
)

// Encoding is the text encoding of an export file, decided by its first bytes.
type Encoding int

const (
	// CP1252 is Windows code page 1252, the encoding of a file without BOM.
	CP1252 Encoding = iota
	// UTF8 is UTF-8, announced by the BOM EF BB BF.
	UTF8
	// UTF16LE is UTF-16 little-endian, announced by the BOM FF FE.
	UTF16LE
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
)

// String returns "cp1252", "utf-8" or "utf-16le".
func (e Encoding) String() string {
	switch e {
	case CP1252:
		return "cp1252"
	case UTF8:
		return "utf-8"
	case UTF16LE:
		return "utf-16le"
	}
	return "unknown"
}

// BOM returns the byte-order mark a file in this encoding starts with (none
// for CP1252).
func (e Encoding) BOM() []byte {
	switch e {
	case UTF8:
		return bomUTF8
	case UTF16LE:
		return bomUTF16LE
	}
	return nil
}

// DetectEncoding returns the encoding announced by the start of a file and the
// length of its BOM. head should hold at least the first 3 bytes of the file
// (fewer only when the file is shorter).
func DetectEncoding(head []byte) (Encoding, int) {
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		return UTF8, len(bomUTF8)
	case bytes.HasPrefix(head, bomUTF16LE):
		return UTF16LE, len(bomUTF16LE)
	}
	return CP1252, 0
}

// unitWidth is the size in bytes of one code unit of the encoding.
func (e Encoding) unitWidth() int {
	if e == UTF16LE {
		return 2
	}
	return 1
}

// isASCII reports whether b has no byte >= 0x80.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// appendCP1252 appends the UTF-8 form of cp1252 text to dst.
func appendCP1252(dst, src []byte) []byte {
	for _, c := range src {
		if c < 0x80 {
			dst = append(dst, c)
		} else {
			dst = utf8.AppendRune(dst, wintext.CP1252Rune(c))
		}
	}
	return dst
}

// appendUTF16 appends the UTF-8 form of UTF-16LE bytes to dst. An unpaired
// surrogate becomes U+FFFD; an odd last byte is ignored (the parser reports it).
func appendUTF16(dst, src []byte) []byte {
	for i := 0; i+1 < len(src); i += 2 {
		u := rune(src[i]) | rune(src[i+1])<<8
		if utf16.IsSurrogate(u) && i+3 < len(src) {
			u2 := rune(src[i+2]) | rune(src[i+3])<<8
			if r := utf16.DecodeRune(u, u2); r != utf8.RuneError {
				dst = utf8.AppendRune(dst, r)
				i += 2
				continue
			}
		}
		if utf16.IsSurrogate(u) {
			u = utf8.RuneError
		}
		dst = utf8.AppendRune(dst, u)
	}
	return dst
}

// DecodeText converts text in enc to UTF-8 (UTF-8 text is returned as it is).
func DecodeText(b []byte, enc Encoding) []byte {
	switch enc {
	case CP1252:
		if isASCII(b) {
			return b
		}
		return appendCP1252(make([]byte, 0, len(b)+len(b)/4), b)
	case UTF16LE:
		return appendUTF16(make([]byte, 0, len(b)/2), b)
	}
	return b
}
