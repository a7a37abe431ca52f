package journal

import (
	"encoding/binary"
	"math/bits"
)

// The fast path of scan reads the common lines of a journal (a field
// NAME=VALUE, a blank line, a [JOURNAL] header) eight bytes at a time: "SIMD
// within a register". Each function below returns, for the eight bytes of a
// word (little-endian: byte i in bits 8i to 8i+7), 0x80 in the bytes that
// have a property and 0 in the others. The additions never carry from one
// byte into the next (every byte is at most 0x7f when added to), so the
// result of each byte depends on that byte alone.

const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
	low7 = 0x7f7f7f7f7f7f7f7f
)

// load64 returns the eight bytes at b[i:] as a little-endian word.
func load64(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i:]) }

// nameBytes marks the bytes of w that may be part of a field name or record
// type: ASCII letters, digits and '_' (the nameChar table).
func nameBytes(w uint64) uint64 {
	x := w & low7
	l := x | 0x2020202020202020 // letters in lower case
	letter := (l + ones*(0x80-'a')) &^ (l + ones*(0x80-'z'-1))
	digit := (x + ones*(0x80-'0')) &^ (x + ones*(0x80-'9'-1))
	under := ^((x ^ ones*'_') + low7) // high bit set only where x is '_'
	return (letter | digit | under) &^ w & high
}

// firstMarked is the index of the byte of the lowest mark (m != 0).
func firstMarked(m uint64) int { return bits.TrailingZeros64(m) >> 3 }

// newlineBits returns a bit for each '\n' in text[i:i+64]: bit k for
// text[i+k]. Each word's exact marks are gathered into a byte: the
// multiplication moves the mark of byte j (bit 8j after the shift) to bit
// 56+j, and the sums of the other products stay below bit 56.
func newlineBits(text []byte, i int) uint64 {
	p := (*[64]byte)(text[i : i+64])
	return newlineByte(load64(p[:], 0)) | newlineByte(load64(p[:], 8))<<8 |
		newlineByte(load64(p[:], 16))<<16 | newlineByte(load64(p[:], 24))<<24 |
		newlineByte(load64(p[:], 32))<<32 | newlineByte(load64(p[:], 40))<<40 |
		newlineByte(load64(p[:], 48))<<48 | newlineByte(load64(p[:], 56))<<56
}

// newlineByte returns a bit for each '\n' in the word w.
func newlineByte(w uint64) uint64 {
	y := w ^ ones*'\n'
	m := ^((y&low7 + low7) | y) & high // exact: no carry crosses a byte
	return (m >> 7) * gatherBits >> 56
}

// gatherBits is the multiplier of newlineBits.
const gatherBits = 0x0102040810204080

// journalHeader is "[journal" as a little-endian word, and journalFold the
// bits that fold the letters of a word read from the input to lower case
// (every byte but the '[').
const (
	journalHeader = uint64('[') | uint64('j')<<8 | uint64('o')<<16 | uint64('u')<<24 |
		uint64('r')<<32 | uint64('n')<<40 | uint64('a')<<48 | uint64('l')<<56
	journalFold = 0x2020202020202000
)

// isJournalHeader reports whether text[i:] starts with "[JOURNAL]" in any
// case (i+9 <= len(text)). OR-ing 0x20 maps exactly the upper- and
// lower-case form of each letter of "journal" onto it, as isJournal does.
func isJournalHeader(text []byte, i int) bool {
	return load64(text, i)|journalFold == journalHeader && text[i+8] == ']'
}

// contentTyp is "contentt" as a little-endian word, compared with the first
// eight letters of a name folded to lower case.
const contentTyp = uint64('c') | uint64('o')<<8 | uint64('n')<<16 | uint64('t')<<24 |
	uint64('e')<<32 | uint64('n')<<40 | uint64('t')<<48 | uint64('t')<<56

// isContentTypeAt reports whether the name of 11 characters at text[i:] is
// CONTENTTYPE in any case, as isContentType does.
func isContentTypeAt(text []byte, i int) bool {
	return load64(text, i)|0x2020202020202020 == contentTyp &&
		text[i+8]|0x20 == 'y' && text[i+9]|0x20 == 'p' && text[i+10]|0x20 == 'e'
}
