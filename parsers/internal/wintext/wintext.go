// Package wintext converts the two text encodings of files written on
// Windows, code page 1252 (the "ANSI" code page of Western systems) and
// UTF-16LE, to and from Go strings.
//
// Code page 1252 leaves five bytes undefined (81, 8D, 8F, 90, 9D); like
// Windows' MultiByteToWideChar, they map to the C1 control characters of the
// same number, so that every byte string decodes to text and encodes back to
// the same bytes.
package wintext

import (
	"unicode/utf16"
	"unicode/utf8"
)

// cp1252High maps the bytes 0x80..0x9F to Unicode.
var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// cp1252Byte is the inverse of cp1252High for the runes that are not bytes
// of the same value.
var cp1252Byte = func() map[rune]byte {
	m := make(map[rune]byte, len(cp1252High))
	for i, r := range cp1252High {
		m[r] = byte(0x80 + i)
	}
	return m
}()

// CP1252Rune decodes one byte of code page 1252.
func CP1252Rune(b byte) rune {
	if b >= 0x80 && b < 0xA0 {
		return cp1252High[b-0x80]
	}
	return rune(b)
}

// DecodeCP1252 returns the text of code page 1252 bytes.
func DecodeCP1252(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	out := make([]byte, 0, len(b)+len(b)/2)
	for _, c := range b {
		out = utf8.AppendRune(out, CP1252Rune(c))
	}
	return string(out)
}

// AppendCP1252 appends s in code page 1252 to dst. ok is false when s holds
// a character the code page cannot write (dst then holds '?' in its place).
func AppendCP1252(dst []byte, s string) (out []byte, ok bool) {
	ok = true
	for _, r := range s {
		switch b, in := cp1252Byte[r]; {
		case in:
			dst = append(dst, b)
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			dst = append(dst, byte(r))
		default:
			dst, ok = append(dst, '?'), false
		}
	}
	return dst, ok
}

// DecodeUTF16LE returns the text of UTF-16LE bytes. An unpaired surrogate
// becomes U+FFFD and an odd last byte is ignored, so encoding the text need
// not give the same bytes again.
func DecodeUTF16LE(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(u))
}

// AppendUTF16LE appends s in UTF-16LE to dst.
func AppendUTF16LE(dst []byte, s string) []byte {
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			dst = append(dst, byte(r1), byte(r1>>8), byte(r2), byte(r2>>8))
			continue
		}
		dst = append(dst, byte(r), byte(r>>8))
	}
	return dst
}
