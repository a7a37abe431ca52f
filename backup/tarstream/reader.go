package tarstream

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
)

// Limits on what is held in memory: the data of extension headers (PAX
// records, GNU long names) and the extension blocks of an old GNU sparse
// header. Real archives stay far below (a long path, a sparse map).
const (
	maxExtensionData = 16 << 20
	maxSparseBlocks  = 1 << 16
)

// Entry is one member of the archive as it is stored: the header blocks
// that describe it (extension headers first) and the size of the data that
// follows them.
type Entry struct {
	// Name is the member's path: the PAX path record, else the GNU long
	// name, else the ustar prefix and name. Linkname likewise.
	Name, Linkname string
	// Type is the main header's type flag.
	Type byte
	// Format is the main header's format, by its magic.
	Format Format
	// Size is the number of data bytes stored after the headers (without
	// the padding to a whole block): the PAX size record, else the size
	// field; 0 for the types that have no data (symbolic links, folders,
	// devices, FIFOs, and hard links outside a pax archive).
	Size int64
	// Sparse marks a GNU sparse member (type S or GNU.sparse PAX records):
	// its stored data is not the file's content. It is passed through.
	Sparse bool
	// Offset is the archive offset of Raw[0]; DataOffset of the data.
	Offset, DataOffset int64
	// Raw holds every header block of the member as read: PAX 'x' and GNU
	// L/K headers with their data blocks, the main header, and the
	// extension blocks of an old GNU sparse header.
	Raw []byte

	main    int         // offset of the main header in Raw
	pax     int         // offset of the PAX 'x' header in Raw, -1 if none
	paxData []byte      // its records
	paxRecs []paxRecord // parsed
}

// paxRecord is one "length keyword=value\n" record of a PAX header.
type paxRecord struct{ key, value string }

// IsRegular reports whether the member is a regular file (types 0, NUL, 7).
func (e *Entry) IsRegular() bool {
	return e.Type == TypeReg || e.Type == TypeRegOld || e.Type == TypeCont
}

// MainHeader returns the member's own 512-byte header block.
func (e *Entry) MainHeader() []byte { return e.Raw[e.main : e.main+BlockSize] }

// PaddedSize is Size rounded up to whole blocks.
func PaddedSize(size int64) int64 { return (size + BlockSize - 1) / BlockSize * BlockSize }

// Reader reads the members of a TAR stream one at a time. It reads the
// stream in blocks and never ahead of the member it is on, so the caller
// can copy a member's data from the underlying reader itself (CopyData),
// which lets the operating system copy file to file.
type Reader struct {
	r   io.Reader
	off int64 // offset of the next byte of r

	cur      *Entry
	dataLeft int64 // unread data bytes of cur
	padLeft  int64 // unread padding bytes of cur
	atEnd    bool
	endBlock []byte
	pax      bool // a PAX header ('x' or 'g') was read: the archive is in pax format
}

// NewReader returns a Reader of the TAR stream r. When r is an io.Seeker
// (a file), members that are skipped are seeked over, not read.
func NewReader(r io.Reader) *Reader { return &Reader{r: r} }

// Offset returns the archive offset of the next byte the Reader would read.
func (r *Reader) Offset() int64 { return r.off }

// Next skips what is left of the current member and returns the next one.
// It returns io.EOF at the first zero block, the start of the end of the
// archive; Trailer then reads the rest.
func (r *Reader) Next() (*Entry, error) {
	if r.atEnd {
		return nil, io.EOF
	}
	if err := r.skip(r.dataLeft + r.padLeft); err != nil {
		return nil, err
	}
	r.cur, r.dataLeft, r.padLeft = nil, 0, 0
	e := &Entry{Offset: r.off, pax: -1}
	var longName, longLink *string
	for {
		blockOff := r.off
		blk, err := r.readBlock()
		if err != nil {
			return nil, r.headerEOF(err, e, blockOff)
		}
		if isZero(blk) {
			if len(e.Raw) > 0 {
				return nil, errAt(blockOff, ErrHeader, "a zero block follows the extension header at offset %d instead of the member it describes", e.Offset)
			}
			r.atEnd, r.endBlock = true, blk
			return nil, io.EOF
		}
		if err := verifyChecksum(blk, blockOff); err != nil {
			if blockOff == 0 {
				if c := compression(blk); c != "" {
					return nil, errAt(0, ErrNotTar, "the file is %s-compressed: decompress it first (xdm reads the TAR itself)", c)
				}
				return nil, errAt(0, ErrNotTar, "its first block is no TAR header (%v)", errors.Unwrap(err))
			}
			return nil, err
		}
		size, ok := parseNumeric(blk[offSize : offSize+lenSize])
		if !ok {
			return nil, errAt(blockOff+offSize, ErrHeader, "size field %q is not a number", blk[offSize:offSize+lenSize])
		}
		typ := blk[offTypeflag]
		if typ == TypePAX || typ == TypePAXGlobal {
			r.pax = true
		}
		switch typ {
		case TypePAX, TypeGNULong, TypeGNULink:
			data, err := r.readExtension(blk, size, blockOff, &e.Raw)
			if err != nil {
				return nil, err
			}
			switch typ {
			case TypePAX:
				if e.pax >= 0 {
					return nil, errAt(blockOff, ErrHeader, "a second PAX extended header for one member")
				}
				recs, err := parsePAX(data, r.off-int64(PaddedSize(size)))
				if err != nil {
					return nil, err
				}
				e.pax, e.paxData, e.paxRecs = len(e.Raw)-int(BlockSize+PaddedSize(size)), data, recs
			case TypeGNULong:
				s := cString(data)
				longName = &s
			default:
				s := cString(data)
				longLink = &s
			}
			continue
		}
		e.main = len(e.Raw)
		e.Raw = append(e.Raw, blk...)
		if err := r.finish(e, blk, size, longName, longLink); err != nil {
			return nil, err
		}
		r.cur, r.dataLeft, r.padLeft = e, e.Size, PaddedSize(e.Size)-e.Size
		return e, nil
	}
}

// headerEOF turns the end of the input while a header was expected into
// the error it is.
func (r *Reader) headerEOF(err error, e *Entry, off int64) error {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errAt(off, ErrTruncated, "the input ends inside a header block")
	case err != io.EOF:
		return err
	case len(e.Raw) > 0:
		return errAt(off, ErrTruncated, "the input ends after the extension header at offset %d, before the member it describes", e.Offset)
	default:
		return errAt(off, ErrTruncated, "the input ends without the zero blocks that end an archive")
	}
}

// readExtension reads the data of a PAX or GNU long-name header and appends
// the header and its blocks to raw.
func (r *Reader) readExtension(blk []byte, size, off int64, raw *[]byte) ([]byte, error) {
	if size > maxExtensionData {
		return nil, errAt(off, ErrHeader, "extension header of type %q holds %d bytes, more than the %d this reader accepts", blk[offTypeflag], size, maxExtensionData)
	}
	padded := PaddedSize(size)
	start := len(*raw)
	*raw = append(*raw, blk...)
	*raw = append(*raw, make([]byte, padded)...)
	if _, err := io.ReadFull(r.r, (*raw)[start+BlockSize:]); err != nil {
		return nil, r.dataEOF(err, off)
	}
	r.off += padded
	return (*raw)[start+BlockSize : start+BlockSize+int(size)], nil
}

func (r *Reader) dataEOF(err error, headerOff int64) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return errAt(headerOff, ErrTruncated, "the input ends inside the data of the member whose header is at offset %d", headerOff)
	}
	return err
}

// finish fills in the entry from its main header block and reads the
// extension blocks of an old GNU sparse header.
func (r *Reader) finish(e *Entry, blk []byte, size int64, longName, longLink *string) error {
	e.Type = blk[offTypeflag]
	e.Format = formatOf(blk)
	e.Name = cString(blk[offName : offName+lenName])
	if e.Format == FormatUSTAR {
		if p := cString(blk[offPrefix : offPrefix+lenPrefix]); p != "" {
			e.Name = p + "/" + e.Name
		}
	}
	e.Linkname = cString(blk[offLinkname : offLinkname+lenLinkname])
	if longName != nil {
		e.Name = *longName
	}
	if longLink != nil {
		e.Linkname = *longLink
	}
	for _, rec := range e.paxRecs {
		switch {
		case rec.value == "" && (rec.key == "path" || rec.key == "linkpath" || rec.key == "size"):
			// POSIX pax: an empty value deletes the record; the header
			// block's field applies.
		case rec.key == "path":
			e.Name = rec.value
		case rec.key == "linkpath":
			e.Linkname = rec.value
		case rec.key == "size":
			n, err := strconv.ParseInt(rec.value, 10, 64)
			if err != nil || n < 0 {
				return errAt(e.Offset, ErrHeader, "PAX size record %q is not a size", rec.value)
			}
			size = n
		case strings.HasPrefix(rec.key, "GNU.sparse."):
			e.Sparse = true
		}
	}
	switch e.Type {
	case TypeLink:
		// ustar: a hard link's size shall be zero and no data follows
		// (GNU tar and Go read none whatever the field says); pax: "data
		// blocks for files of typeflag 1 (hard link) may be included",
		// as bsdtar reads them. An archive with a PAX header is pax.
		if !r.pax {
			size = 0
		}
	case TypeSymlink, TypeChar, TypeBlock, TypeDir, TypeFifo:
		// POSIX: no data blocks follow these, whatever the size field says.
		size = 0
	case TypeGNUSparse:
		e.Sparse = true
		if err := r.readSparseExtensions(e, blk); err != nil {
			return err
		}
	}
	e.Size = size
	e.DataOffset = r.off
	return nil
}

// readSparseExtensions reads the extension blocks that follow an old GNU
// sparse header whose isextended byte is set; each may announce another.
func (r *Reader) readSparseExtensions(e *Entry, blk []byte) error {
	more := blk[offGNUExtended] != 0
	for n := 0; more; n++ {
		if n >= maxSparseBlocks {
			return errAt(e.Offset, ErrHeader, "more than %d sparse extension blocks", maxSparseBlocks)
		}
		off := r.off
		ext, err := r.readBlock()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return r.headerEOF(err, e, off)
		}
		e.Raw = append(e.Raw, ext...)
		more = ext[offExtExtended] != 0
	}
	return nil
}

// parsePAX reads the records "length keyword=value\n" of a PAX header
// (POSIX pax, "pax Extended Header"); off is the data's archive offset.
func parsePAX(data []byte, off int64) ([]paxRecord, error) {
	var recs []paxRecord
	for pos := 0; pos < len(data); {
		rest := data[pos:]
		if isZero(rest) {
			break // NUL padding some writers leave after the last record
		}
		sp := bytes.IndexByte(rest, ' ')
		if sp <= 0 {
			return nil, errAt(off+int64(pos), ErrHeader, "PAX record without a length")
		}
		n, err := strconv.Atoi(string(rest[:sp]))
		if err != nil || n <= sp+1 || n > len(rest) || rest[n-1] != '\n' {
			return nil, errAt(off+int64(pos), ErrHeader, "PAX record length %q does not match the record", rest[:sp])
		}
		kv := rest[sp+1 : n-1]
		eq := bytes.IndexByte(kv, '=')
		if eq <= 0 {
			return nil, errAt(off+int64(pos), ErrHeader, "PAX record without keyword=value")
		}
		recs = append(recs, paxRecord{key: string(kv[:eq]), value: string(kv[eq+1:])})
		pos += n
	}
	return recs, nil
}

// compression names the compressor whose magic number starts blk, or "".
func compression(blk []byte) string {
	for _, m := range []struct{ magic, name string }{
		{"\x1f\x8b", "gzip"}, {"BZh", "bzip2"}, {"\xfd7zXZ\x00", "xz"}, {"\x28\xb5\x2f\xfd", "zstd"}, {"7z\xbc\xaf\x27\x1c", "7-Zip"}, {"PK\x03\x04", "ZIP"},
	} {
		if bytes.HasPrefix(blk, []byte(m.magic)) {
			return m.name
		}
	}
	return ""
}

// readBlock reads one block; io.EOF when the input ends before it.
func (r *Reader) readBlock() ([]byte, error) {
	blk := make([]byte, BlockSize)
	n, err := io.ReadFull(r.r, blk)
	r.off += int64(n)
	if err != nil {
		return nil, err
	}
	return blk, nil
}

// skip discards n bytes of the current member.
func (r *Reader) skip(n int64) error {
	if n == 0 {
		return nil
	}
	headerOff := r.off
	if r.cur != nil {
		headerOff = r.cur.Offset
	}
	if s, ok := r.r.(io.Seeker); ok {
		// Seek past, then check that the input is that long: a seek past
		// the end succeeds, the read after it does not.
		if _, err := s.Seek(n-1, io.SeekCurrent); err == nil {
			var one [1]byte
			if _, err := io.ReadFull(r.r, one[:]); err != nil {
				return r.dataEOF(err, headerOff)
			}
			r.off += n
			r.dataLeft, r.padLeft = 0, 0
			return nil
		}
	}
	m, err := io.CopyN(io.Discard, r.r, n)
	r.off += m
	if err != nil {
		return r.dataEOF(err, headerOff)
	}
	r.dataLeft, r.padLeft = 0, 0
	return nil
}

// Read reads the current member's data (not its padding).
func (r *Reader) Read(p []byte) (int, error) {
	if r.dataLeft <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.dataLeft {
		p = p[:r.dataLeft]
	}
	n, err := r.r.Read(p)
	r.off += int64(n)
	r.dataLeft -= int64(n)
	if err == io.EOF && r.dataLeft > 0 {
		err = r.dataEOF(io.ErrUnexpectedEOF, r.cur.Offset)
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}

// CopyData copies what is left of the current member's data and its
// padding to w, as they are. It reads the underlying reader directly, so
// that a copy from file to file can use the system's copy (io.Copy and
// *os.File.ReadFrom); progress, if set, is called with the archive offset
// reached every step bytes.
func (r *Reader) CopyData(w io.Writer, step int64, progress func(offset int64)) error {
	n := r.dataLeft + r.padLeft
	if step <= 0 {
		step = n
	}
	for n > 0 {
		m, err := io.CopyN(w, r.r, min(step, n))
		r.off += m
		n -= m
		r.consume(m)
		if progress != nil {
			progress(r.off)
		}
		if err != nil {
			if r.cur != nil {
				return r.dataEOF(err, r.cur.Offset)
			}
			return err
		}
	}
	return nil
}

// consume counts m bytes read past the data and padding of the current member.
func (r *Reader) consume(m int64) {
	d := min(m, r.dataLeft)
	r.dataLeft -= d
	r.padLeft -= m - d
}

// SkipPadding reads the padding after the current member's data, which
// must have been read in full.
func (r *Reader) SkipPadding() error {
	if r.dataLeft != 0 {
		return errors.New("tarstream: SkipPadding before the data was read")
	}
	return r.skip(r.padLeft)
}

// Trailer describes what follows the last member.
type Trailer struct {
	// Len is the number of bytes from the first zero block to the end of
	// the input (GNU tar and bsdtar pad the archive to a multiple of 10240
	// bytes, Go's archive/tar writes two blocks).
	Len int64 `json:"bytes"`
	// ZeroBlocks counts the zero blocks at its start; POSIX asks for two.
	ZeroBlocks int64 `json:"zero_blocks"`
	// Garbage is the offset of the first non-zero byte after the zero
	// blocks, or -1.
	Garbage int64 `json:"garbage_offset"`
}

// CopyTrailer copies the end of the archive to w as it is, after Next
// returned io.EOF: the zero blocks and anything that follows them.
func (r *Reader) CopyTrailer(w io.Writer) (Trailer, error) {
	if !r.atEnd {
		return Trailer{}, errors.New("tarstream: CopyTrailer before the end of the archive")
	}
	t := Trailer{Len: BlockSize, ZeroBlocks: 1, Garbage: -1}
	if _, err := w.Write(r.endBlock); err != nil {
		return t, err
	}
	buf := make([]byte, 64<<10)
	zeros := true
	var partial int64 // bytes of the block being counted as zero
	for {
		n, err := r.r.Read(buf)
		chunk := buf[:n]
		for i := 0; i < n; {
			if zeros {
				take := min(int64(n-i), BlockSize-partial)
				if isZero(chunk[i : i+int(take)]) {
					partial += take
					if partial == BlockSize {
						t.ZeroBlocks++
						partial = 0
					}
					i += int(take)
					continue
				}
				zeros = false
			}
			if t.Garbage < 0 {
				if j := bytes.IndexFunc(chunk[i:], func(c rune) bool { return c != 0 }); j >= 0 {
					t.Garbage = r.off + int64(i+j)
				}
			}
			break
		}
		if n > 0 {
			if _, werr := w.Write(chunk); werr != nil {
				return t, werr
			}
			r.off += int64(n)
			t.Len += int64(n)
		}
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return t, err
		}
	}
}
