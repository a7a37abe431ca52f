// Package tarstream reads a TAR archive at the level of its 512-byte blocks,
// so that a member can be copied byte for byte, headers included, and a
// changed member's header rewritten with only its size and checksum (and a
// PAX size record when the size needs one) different.
//
// It follows the ustar format of POSIX (IEEE Std 1003.1, pax utility,
// "ustar Interchange Format Block" and "pax Interchange Format"), with the
// GNU tar extensions documented in the GNU tar manual ("Basic Tar Format",
// "GNU Extensions to the Archive Format", "Sparse Formats"): GNU long names
// and link names (type L and K, named ././@LongLink), base-256 numbers, the
// old GNU sparse header (type S) and the PAX GNU.sparse keywords. See
// docs/tar-format.md for what is read, what is rewritten and what is passed
// through untouched.
//
// Go's archive/tar is not used: it re-encodes headers on writing, and an
// unchanged member must come out exactly as it went in.
package tarstream

import (
	"bytes"
	"errors"
	"fmt"
)

// BlockSize is the size of a TAR block.
const BlockSize = 512

// Offsets and lengths of the header fields (POSIX ustar; GNU uses the
// prefix area for times and the old sparse map).
const (
	offName     = 0
	lenName     = 100
	offSize     = 124
	lenSize     = 12
	offChksum   = 148
	lenChksum   = 8
	offTypeflag = 156
	offLinkname = 157
	lenLinkname = 100
	offMagic    = 257
	offPrefix   = 345
	lenPrefix   = 155

	offGNUSparse     = 386 // 4 entries of offset[12] numbytes[12]
	offGNUExtended   = 482
	offGNURealSize   = 483
	gnuExtBlockCount = 21 // sparse entries in an extension block
	offExtExtended   = 504
)

// Type flags (POSIX ustar, GNU).
const (
	TypeReg       = '0'
	TypeRegOld    = 0 // NUL: a regular file in pre-POSIX archives
	TypeLink      = '1'
	TypeSymlink   = '2'
	TypeChar      = '3'
	TypeBlock     = '4'
	TypeDir       = '5'
	TypeFifo      = '6'
	TypeCont      = '7'
	TypePAX       = 'x'
	TypePAXGlobal = 'g'
	TypeGNULong   = 'L'
	TypeGNULink   = 'K'
	TypeGNUSparse = 'S'
)

// Format is the header format of a member's main header, by its magic.
type Format uint8

const (
	// FormatV7 has no magic: the 7th edition Unix header (name, link name,
	// numbers; no user names, no prefix).
	FormatV7 Format = iota
	// FormatUSTAR has the POSIX magic "ustar\x00" version "00" (also what
	// a PAX archive's headers carry).
	FormatUSTAR
	// FormatGNU has the old GNU magic "ustar " version " \x00".
	FormatGNU
)

func (f Format) String() string {
	switch f {
	case FormatUSTAR:
		return "ustar"
	case FormatGNU:
		return "gnu"
	default:
		return "v7"
	}
}

func formatOf(block []byte) Format {
	switch {
	case string(block[offMagic:offMagic+8]) == "ustar  \x00":
		return FormatGNU
	case string(block[offMagic:offMagic+6]) == "ustar\x00":
		return FormatUSTAR
	default:
		return FormatV7
	}
}

// Errors of a TAR stream. Each is wrapped in an *Error that names the byte
// offset.
var (
	// ErrTruncated: the input ends inside a header or a member's data, or
	// without the zero blocks that end an archive.
	ErrTruncated = errors.New("the archive is truncated")
	// ErrChecksum: a header block's checksum does not match its bytes.
	ErrChecksum = errors.New("header checksum does not match")
	// ErrNotTar: the input's first block is no TAR header.
	ErrNotTar = errors.New("not a TAR archive")
	// ErrHeader: a header field that cannot be read (a size that is not a
	// number, a PAX record that does not fit its format).
	ErrHeader = errors.New("invalid header")
)

// Error is a problem at a byte offset of the archive.
type Error struct {
	Offset int64 // of the block (or byte) where the problem is
	Err    error // ErrTruncated, ErrChecksum or ErrHeader, wrapped with details
}

func (e *Error) Error() string { return fmt.Sprintf("byte offset %d: %v", e.Offset, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

func errAt(off int64, sentinel error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Offset: off, Err: fmt.Errorf("%w: %s", sentinel, msg)}
}

// isZero reports whether b holds only zero bytes.
func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// checksums returns the unsigned and the signed sum of the header with the
// checksum field taken as spaces: POSIX asks for the unsigned sum, some old
// tars wrote the signed one, and GNU tar and Go accept both.
func checksums(block []byte) (unsigned, signed int64) {
	for i, c := range block[:BlockSize] {
		if i >= offChksum && i < offChksum+lenChksum {
			c = ' '
		}
		unsigned += int64(c)
		signed += int64(int8(c))
	}
	return unsigned, signed
}

// digitSpan returns the span of the octal digits in a numeric field: after
// leading spaces (and NULs, which some writers use as padding), up to the
// first space or NUL.
func digitSpan(field []byte) (start, end int) {
	for start < len(field) && (field[start] == ' ' || field[start] == 0) {
		start++
	}
	end = start
	for end < len(field) && field[end] >= '0' && field[end] <= '7' {
		end++
	}
	return start, end
}

// parseNumeric reads a numeric header field: octal digits (leading spaces
// allowed, ended by a space, NUL or the field's end) or, when the first
// byte has its high bit set, GNU's base-256 big-endian number.
func parseNumeric(field []byte) (int64, bool) {
	if len(field) > 0 && field[0]&0x80 != 0 {
		if field[0] == 0xff {
			return 0, false // negative
		}
		v := int64(field[0] & 0x7f)
		for _, c := range field[1:] {
			if v > (1<<63-1)>>8 {
				return 0, false
			}
			v = v<<8 | int64(c)
		}
		return v, true
	}
	start, end := digitSpan(field)
	for _, c := range field[end:] {
		if c != ' ' && c != 0 {
			return 0, false
		}
	}
	if start == end {
		// An empty field (all NULs or spaces) is zero, as GNU tar and Go
		// read it.
		return 0, true
	}
	var v int64
	for _, c := range field[start:end] {
		if v > (1<<63-1)>>3 {
			return 0, false
		}
		v = v<<3 | int64(c-'0')
	}
	return v, true
}

// cString returns the field up to its first NUL.
func cString(field []byte) string {
	if i := bytes.IndexByte(field, 0); i >= 0 {
		field = field[:i]
	}
	return string(field)
}

// verifyChecksum checks the checksum of a header block.
func verifyChecksum(block []byte, off int64) error {
	want, ok := parseNumeric(block[offChksum : offChksum+lenChksum])
	if !ok {
		return errAt(off, ErrChecksum, "checksum field %q is not an octal number", block[offChksum:offChksum+lenChksum])
	}
	u, s := checksums(block)
	if want != u && want != s {
		return errAt(off, ErrChecksum, "the header says %o, its bytes sum to %o", want, u)
	}
	return nil
}

// setChecksum recomputes the checksum of block in the layout its field
// already has (the width of its digits and the bytes around them), so that
// only the digits change. A field without digits gets POSIX's usual layout,
// six digits, NUL, space.
func setChecksum(block []byte) {
	field := block[offChksum : offChksum+lenChksum]
	u, signed := checksums(block)
	if v, ok := parseNumeric(field); ok && (v == u || v == signed) {
		return // still right: keep the bytes as the writer wrote them
	}
	start, end := digitSpan(field)
	if end-start < 6 {
		copy(field, "000000\x00 ")
		start, end = 0, 6
	}
	writeOctal(field[start:end], u)
}

// writeOctal writes v into dst as zero-padded octal digits filling dst.
func writeOctal(dst []byte, v int64) bool {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = byte('0' + v&7)
		v >>= 3
	}
	return v == 0
}

// writeBase256 writes v into the whole field as GNU's base-256 number.
func writeBase256(field []byte, v int64) {
	for i := len(field) - 1; i > 0; i-- {
		field[i] = byte(v)
		v >>= 8
	}
	field[0] = 0x80
}
