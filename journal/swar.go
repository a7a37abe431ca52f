package journal

import (
	"encoding/binary"
	"math/bits"
)

// These functions read eight bytes at a time ("SIMD within a register"):
// the bitmaps of a block where the processor has no assembly version of
// classifyBlock, and the names and values of the lines the bulk check looks
// at. The mark functions return, for the eight bytes of a word
// (little-endian: byte i in bits 8i to 8i+7), 0x80 in the bytes that have a
// property and 0 in the others. Their additions never carry from one byte
// into the next (every byte is at most 0x7f when added to), so the result of
// each byte depends on that byte alone.

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

// digitsOnly reports whether the n bytes at text[i:] are 1 to 8 decimal
// digits (i+8 <= len(text)). Subtracting '0' from each byte leaves a digit
// below 10 and every other byte at 10 or more (or, below '0', with the high
// bit set); a borrow only runs from a byte that is no digit to the bytes
// above it, so the lowest byte that is no digit is always seen.
func digitsOnly(text []byte, i, n int) bool {
	if n < 1 || n > 8 {
		return false
	}
	d := load64(text, i) - ones*'0'
	return (d+ones*(0x80-10)|d)&high&(1<<(8*n)-1) == 0
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

// classifyBlockGo fills bb for the 64 bytes of b, eight at a time. It is
// the portable version of classifyBlock.
func classifyBlockGo(b *[64]byte, bb *blockBits) {
	*bb = blockBits{}
	for k := 0; k < 64; k += 8 {
		w := load64(b[:], k)
		x := w & low7
		l := x | 0x2020202020202020
		letter := (l + ones*(0x80-'a')) &^ (l + ones*(0x80-'z'-1)) &^ w & high
		digit := (x + ones*(0x80-'0')) &^ (x + ones*(0x80-'9'-1))
		bb.nl |= gather(equalBytes(w, '\n')) << k
		bb.cr |= gather(equalBytes(w, '\r')) << k
		bb.eq |= gather(equalBytes(w, '=')) << k
		bb.letter |= gather(letter) << k
		bb.name |= gather(letter|(digit|equalBytes(w, '_'))&^w&high) << k
		bb.x |= gather(equalBytes(w, 'x')) << k
	}
}

// equalBytes marks the bytes of w that are c (c < 0x80), exactly: no carry
// crosses a byte.
func equalBytes(w uint64, c byte) uint64 {
	y := w ^ ones*uint64(c)
	return ^((y&low7 + low7) | y) & high
}

// gather moves the marks of the eight bytes of m (bit 8j+7) to bits 0 to
// 7: after the shift the mark of byte j is bit 8j, the multiplication moves
// it to bit 56+j, and the sums of the other products stay below bit 56.
func gather(m uint64) uint64 { return (m >> 7) * 0x0102040810204080 >> 56 }
