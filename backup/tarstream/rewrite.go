package tarstream

import (
	"errors"
	"fmt"
	"path"
	"strconv"
)

// maxOctal11 is the largest size an 11-digit octal size field holds
// (8 GiB - 1), the ustar limit.
const maxOctal11 = 1<<33 - 1

// ErrSizeLayout is returned by PatchHeader when the new size needs more room
// in the headers than the old one had.
var ErrSizeLayout = errors.New("the new size does not fit the header layout of the old one")

// WithSize returns the member's header blocks for a data size of size,
// differing from Raw only where the size is written and in checksums:
//
//   - A PAX size record, if there is one, gets the new value; the PAX
//     header's own size and checksum follow. The main header's size field
//     gets the new size too when it fits there, else zeros.
//   - Otherwise the main header's size field gets the new size in the
//     layout it had (the same number of octal digits, or GNU base-256).
//   - A size too large for the field (over 8 GiB - 1 in 11 octal digits)
//     becomes base-256 in a GNU header, as GNU tar writes it, and a PAX
//     size record otherwise: added to the member's PAX header, or in a new
//     PAX header before the main header.
func (e *Entry) WithSize(size int64) ([]byte, error) {
	if e.Sparse {
		return nil, fmt.Errorf("%s: a sparse member cannot be rewritten", e.Name)
	}
	if !e.IsRegular() {
		return nil, fmt.Errorf("%s: only a regular file's size can be rewritten, not type %q", e.Name, e.Type)
	}
	main := append([]byte(nil), e.MainHeader()...)
	tail := e.Raw[e.main+BlockSize:] // none for non-sparse members
	field := main[offSize : offSize+lenSize]

	if e.pax >= 0 && e.hasPAXSize() {
		setSizeFieldOrZero(field, size)
		setChecksum(main)
		pax := e.paxWith(size)
		return e.assemble(pax, main, tail), nil
	}
	if setSizeField(field, size) {
		setChecksum(main)
		return e.assemble(e.paxBlocks(), main, tail), nil
	}
	if e.Format == FormatGNU {
		writeBase256(field, size)
		setChecksum(main)
		return e.assemble(e.paxBlocks(), main, tail), nil
	}
	setSizeFieldOrZero(field, size)
	setChecksum(main)
	var pax []byte
	if e.pax >= 0 {
		pax = e.paxWith(size)
	} else {
		pax = newPAXHeader(main, size)
	}
	return e.assemble(pax, main, tail), nil
}

// Patchable reports whether WithSize returns headers of the same length as
// Raw for every size up to 8 GiB - 1, so that a writer can write the
// headers first and patch them in place once the size is known.
func (e *Entry) Patchable() bool {
	if e.Sparse || (e.pax >= 0 && e.hasPAXSize()) {
		return false
	}
	field := e.MainHeader()[offSize : offSize+lenSize]
	if field[0]&0x80 != 0 {
		return true
	}
	start, end := digitSpan(field)
	return end-start >= 11
}

func (e *Entry) hasPAXSize() bool {
	for _, r := range e.paxRecs {
		if r.key == "size" {
			return true
		}
	}
	return false
}

// assemble joins the extension headers before the PAX header, the PAX
// blocks, the headers between it and the main header, the main header and
// what follows it.
func (e *Entry) assemble(pax, main, tail []byte) []byte {
	var out []byte
	if e.pax >= 0 {
		end := e.pax + len(e.paxBlocks())
		out = append(out, e.Raw[:e.pax]...)
		out = append(out, pax...)
		out = append(out, e.Raw[end:e.main]...)
	} else {
		out = append(out, e.Raw[:e.main]...)
		out = append(out, pax...)
	}
	out = append(out, main...)
	return append(out, tail...)
}

// paxBlocks returns the PAX header and its data blocks as read, or nil.
func (e *Entry) paxBlocks() []byte {
	if e.pax < 0 {
		return nil
	}
	return e.Raw[e.pax : e.pax+BlockSize+int(PaddedSize(int64(len(e.paxData))))]
}

// paxWith returns the member's PAX header and blocks with the size record
// set to size (added at the end when there is none), every other record
// as it was.
func (e *Entry) paxWith(size int64) []byte {
	var data []byte
	found := false
	pos := 0
	for _, r := range e.paxRecs {
		n := recordLen(e.paxData[pos:])
		if r.key == "size" && !found {
			data = append(data, paxRecordBytes("size", strconv.FormatInt(size, 10))...)
			found = true
		} else {
			data = append(data, e.paxData[pos:pos+n]...)
		}
		pos += n
	}
	data = append(data, e.paxData[pos:]...) // NUL padding, if any
	if !found {
		data = append(data, paxRecordBytes("size", strconv.FormatInt(size, 10))...)
	}
	hdr := append([]byte(nil), e.Raw[e.pax:e.pax+BlockSize]...)
	return paxHeaderBlocks(hdr, data)
}

// recordLen returns the length of the PAX record at the start of b (already
// validated by parsePAX).
func recordLen(b []byte) int {
	n := 0
	for _, c := range b {
		if c == ' ' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// paxHeaderBlocks sets the size and checksum of the PAX header hdr for data
// and returns the header followed by data padded to whole blocks.
func paxHeaderBlocks(hdr, data []byte) []byte {
	field := hdr[offSize : offSize+lenSize]
	if !setSizeField(field, int64(len(data))) {
		setSizeFieldOrZero(field, int64(len(data)))
	}
	setChecksum(hdr)
	out := append(hdr, data...)
	return append(out, make([]byte, PaddedSize(int64(len(data)))-int64(len(data)))...)
}

// paxRecordBytes formats one record; its length counts its own digits.
func paxRecordBytes(key, value string) []byte {
	body := " " + key + "=" + value + "\n"
	n := len(body) + 1
	for len(strconv.Itoa(n))+len(body) != n {
		n++
	}
	return []byte(strconv.Itoa(n) + body)
}

// newPAXHeader builds a PAX 'x' header holding only a size record, for a
// member whose main header is main: its name follows GNU tar's pattern
// (DIR/PaxHeaders/NAME), its other fields are main's.
func newPAXHeader(main []byte, size int64) []byte {
	hdr := make([]byte, BlockSize)
	copy(hdr, main)
	name := cString(main[offName : offName+lenName])
	dir, base := path.Split(name)
	pname := dir + "PaxHeaders/" + base
	if len(pname) > lenName {
		pname = pname[:lenName]
	}
	clear(hdr[offName : offName+lenName])
	copy(hdr[offName:], pname)
	clear(hdr[offLinkname : offLinkname+lenLinkname])
	hdr[offTypeflag] = TypePAX
	copy(hdr[offMagic:], "ustar\x0000")
	copy(hdr[offChksum:offChksum+lenChksum], "000000\x00 ")
	return paxHeaderBlocks(hdr, paxRecordBytes("size", strconv.FormatInt(size, 10)))
}

// setSizeField writes size into a size field in the layout it has: as many
// octal digits as it had (zero-padded), or base-256. It reports false when
// the size does not fit.
func setSizeField(field []byte, size int64) bool {
	if v, ok := parseNumeric(field); ok && v == size {
		return true // already says so, in whatever layout
	}
	if field[0]&0x80 != 0 {
		writeBase256(field, size)
		return true
	}
	start, end := digitSpan(field)
	if end-start < 11 {
		// A short or empty field (some writers leave it blank for types
		// without data): give it the usual 11 digits and a NUL.
		if size > maxOctal11 {
			return false
		}
		copy(field, "00000000000\x00")
		start, end = 0, 11
	}
	tmp := make([]byte, end-start)
	if !writeOctal(tmp, size) {
		return false
	}
	copy(field[start:end], tmp)
	return true
}

// setSizeFieldOrZero writes size if it fits the field, else zero: the
// value that counts is then in a PAX record.
func setSizeFieldOrZero(field []byte, size int64) {
	if !setSizeField(field, size) {
		setSizeField(field, 0)
	}
}

// PatchHeader returns the header blocks for the new size when they have the
// length of Raw (see Patchable), or ErrSizeLayout.
func (e *Entry) PatchHeader(size int64) ([]byte, error) {
	raw, err := e.WithSize(size)
	if err != nil {
		return nil, err
	}
	if len(raw) != len(e.Raw) {
		return nil, fmt.Errorf("%s: %d bytes: %w", e.Name, size, ErrSizeLayout)
	}
	return raw, nil
}
