package reg

import (
	"bytes"
	"fmt"

	"github.com/xdm-migrate/xdm/parsers/internal/wintext"
)

// Encoding is the text encoding of a .reg file, decided by its first bytes.
type Encoding int

const (
	// ANSI is the single-byte code page of a file without byte-order mark,
	// the encoding of REGEDIT4 exports. xdm reads it as Windows-1252.
	ANSI Encoding = iota
	// UTF16LE is UTF-16 little-endian, announced by the byte-order mark FF FE:
	// the encoding of "Windows Registry Editor Version 5.00" exports.
	UTF16LE
)

var bomUTF16LE = []byte{0xFF, 0xFE}

// String returns "ansi" or "utf-16le".
func (e Encoding) String() string {
	if e == UTF16LE {
		return "utf-16le"
	}
	return "ansi"
}

// MarshalText writes the encoding by its name, as String does.
func (e Encoding) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText reads the name MarshalText writes.
func (e *Encoding) UnmarshalText(b []byte) error {
	switch string(b) {
	case "ansi":
		*e = ANSI
	case "utf-16le":
		*e = UTF16LE
	default:
		return fmt.Errorf("reg: unknown encoding %q", b)
	}
	return nil
}

// BOM returns the byte-order mark a file in this encoding starts with.
func (e Encoding) BOM() []byte {
	if e == UTF16LE {
		return bomUTF16LE
	}
	return nil
}

// width is the size in bytes of one code unit.
func (e Encoding) width() int {
	if e == UTF16LE {
		return 2
	}
	return 1
}

// Decode returns the text of b, bytes in this encoding.
func (e Encoding) Decode(b []byte) string {
	if e == UTF16LE {
		return wintext.DecodeUTF16LE(b)
	}
	return wintext.DecodeCP1252(b)
}

// Append appends s in this encoding to dst. ok is false when the encoding
// cannot write a character of s (only ANSI: code page 1252 has 251 of them).
func (e Encoding) Append(dst []byte, s string) (out []byte, ok bool) {
	if e == UTF16LE {
		return wintext.AppendUTF16LE(dst, s), true
	}
	return wintext.AppendCP1252(dst, s)
}

// unit returns the code unit at byte offset i of b (i on a unit boundary).
func unit(b []byte, i, w int) rune {
	if w == 1 {
		return rune(b[i])
	}
	return rune(b[i]) | rune(b[i+1])<<8
}

// detect returns the encoding of a file from its first bytes (at least 4,
// fewer only for a shorter file), the length of its byte-order mark, and an
// error for the encodings regedit refuses.
func detect(head []byte) (Encoding, int, error) {
	switch {
	case bytes.HasPrefix(head, bomUTF16LE):
		return UTF16LE, 2, nil
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return ANSI, 0, errEncoding("the file starts with a UTF-8 byte-order mark: regedit reads it as ANSI text and refuses the header; save it as Unicode (UTF-16LE), as regedit exports it")
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return ANSI, 0, errEncoding("the file is UTF-16 big-endian, which regedit does not read; save it as Unicode (UTF-16LE)")
	case len(head) >= 4 && head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0:
		return ANSI, 0, errEncoding("the file is UTF-16LE without its byte-order mark (FF FE), which regedit needs to read it")
	}
	return ANSI, 0, nil
}
