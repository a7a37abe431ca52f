package infotool

import (
	"bytes"
	"io"

	"github.com/xdm-migrate/xdm/parsers/internal/readbuf"
)

// Reader reads the records of a data export one at a time. Memory is bounded
// by the largest record plus one read: the file is never held whole.
//
// The bytes before the first header (blank and comment lines) are the
// preamble ([Reader.Preamble]); a single 0x1A at the very end is the trailer
// ([Reader.Trailer]). The BOM, the preamble, every Record.Raw in order and
// the trailer are the file, byte for byte.
type Reader struct {
	in   readbuf.Buffer
	name string
	enc  Encoding
	w    int // code unit width: 1, or 2 for UTF-16LE
	pos  int // where the next record (or the preamble) starts in in.Buf

	started  bool
	skipping bool  // after a preamble error: drop lines up to the first header
	err      error // sticky: an I/O error or io.EOF
	line     int   // line number of in.Buf[pos]
	preamble []byte
	trailer  []byte
}

// NewReader returns a Reader of the data export r; name (usually the file
// name) is used in error messages.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{in: readbuf.New(r), name: name, line: 1}
}

// Encoding returns the file's encoding, known after the first Read.
func (r *Reader) Encoding() Encoding { return r.enc }

// Preamble returns the bytes between the BOM and the first header: blank and
// comment lines (the whole file when it has no header). It is set by the
// first Read. After an error in the preamble it holds the lines up to and
// including the offending line only.
func (r *Reader) Preamble() []byte { return r.preamble }

// Trailer returns the DOS end-of-file byte 0x1A that ended the file (for
// UTF-16LE also the unit 1A 00), or nil. It is set once Read returned io.EOF.
func (r *Reader) Trailer() []byte { return r.trailer }

// InputOffset returns the byte offset in the file just after the last record
// returned by Read (or after the preamble): where reading could resume.
func (r *Reader) InputOffset() int64 { return r.in.Base + int64(r.pos) }

// Read returns the next record, or io.EOF after the last one.
//
// A *position.Error (the record or the preamble does not fit the format;
// see ErrSyntax) is not final: the next Read continues with the next record, so a caller can list
// every bad record. Any other error is returned again by every later call.
func (r *Reader) Read() (*Record, error) {
	raw, err := r.ReadRaw()
	if err != nil {
		return nil, err
	}
	return parseRecord(raw.Raw, r.enc, r.name, raw.Line, raw.Offset)
}

// RawRecord is a record as the splitter cuts it, not parsed yet.
type RawRecord struct {
	// Raw is the record's bytes as in the file (see Record.Raw).
	Raw []byte
	// Line is the 1-based line of the header, Offset the file offset of Raw[0].
	Line   int
	Offset int64
}

// ReadRaw returns the next record's bytes without parsing them, or io.EOF:
// the fast byte splitter alone. Parse them with [ParseRecord], on other
// goroutines if need be ([Reader.Walk] does that). Errors are as for Read;
// the preamble is checked by the grammar either way.
func (r *Reader) ReadRaw() (RawRecord, error) {
	if r.err == nil {
		r.err = r.in.Err()
	}
	if r.err != nil {
		return RawRecord{}, r.err
	}
	if !r.started {
		r.started = true
		if err := r.start(); err != nil {
			return RawRecord{}, err
		}
	}
	r.pos = r.in.Slide(r.pos)
	if r.skipping {
		if err := r.skipToHeader(); err != nil {
			return RawRecord{}, err
		}
	}
	if err := r.need(r.pos); err != nil {
		return RawRecord{}, err
	}
	if r.atEnd() {
		r.err = io.EOF
		return RawRecord{}, io.EOF
	}
	end, err := r.recordEnd()
	if err != nil {
		return RawRecord{}, err
	}
	raw := RawRecord{Raw: bytes.Clone(r.in.Buf[r.pos:end]), Line: r.line, Offset: r.InputOffset()}
	r.line += countLines(raw.Raw, r.enc)
	r.pos = end
	return raw, nil
}

// start reads the BOM and the preamble.
func (r *Reader) start() error {
	if err := r.need(2); err != nil {
		return err
	}
	var bom int
	r.enc, bom = DetectEncoding(r.in.Buf)
	r.w = r.enc.unitWidth()
	r.pos = bom
	ls := r.pos
	for {
		if err := r.need(ls); err != nil {
			return err
		}
		if ls >= len(r.in.Buf) || r.isHeader(ls) {
			break
		}
		end, ok, err := r.lineEnd(ls)
		if err != nil {
			return err
		}
		if !r.ignorable(ls, end) {
			// Junk before the first header: parse what we have up to the end
			// of this line so that the grammar names the error.
			r.preamble = bytes.Clone(r.in.Buf[r.pos:end])
			at := r.InputOffset()
			r.line += countLines(r.preamble, r.enc)
			r.pos = end
			r.skipping = true
			if err := checkPreamble(r.preamble, r.enc, r.name, at); err != nil {
				return err
			}
			ls = r.pos
			continue
		}
		if !ok {
			ls = r.trimTrailer(end)
			break
		}
		ls = end
	}
	r.preamble = bytes.Clone(r.in.Buf[r.pos:ls])
	at := r.InputOffset()
	r.line += countLines(r.preamble, r.enc)
	r.pos = ls
	return checkPreamble(r.preamble, r.enc, r.name, at)
}

// atEnd reports whether nothing but the trailer is left.
func (r *Reader) atEnd() bool {
	return r.in.EOF && r.pos >= len(r.in.Buf)-len(r.trailer)
}

// skipToHeader drops the lines up to the first header (after a preamble error).
func (r *Reader) skipToHeader() error {
	r.skipping = false
	for {
		if err := r.need(r.pos); err != nil {
			return err
		}
		if r.atEnd() || r.isHeader(r.pos) {
			return nil
		}
		end, ok, err := r.lineEnd(r.pos)
		if err != nil {
			return err
		}
		if !ok {
			end = r.trimTrailer(end)
		}
		r.line += countLines(r.in.Buf[r.pos:end], r.enc)
		r.pos = end
		r.pos = r.in.Slide(r.pos)
	}
}

// recordEnd returns the end of the record starting at r.pos: the start of
// the next header line, or the end of the input without the trailer.
func (r *Reader) recordEnd() (int, error) {
	ls := r.pos
	for {
		end, ok, err := r.lineEnd(ls)
		if err != nil {
			return 0, err
		}
		if !ok {
			return r.trimTrailer(end), nil
		}
		ls = end
		if err := r.need(ls); err != nil {
			return 0, err
		}
		if ls >= len(r.in.Buf) {
			return r.trimTrailer(ls), nil
		}
		if r.isHeader(ls) {
			return ls, nil
		}
	}
}

// lineEnd returns the index after the line terminator of the line starting
// at ls, reading more input as needed. ok is false for the last line of the
// input when it has no terminator; end is then the end of the input.
func (r *Reader) lineEnd(ls int) (end int, ok bool, err error) {
	from := ls
	for {
		if i := r.indexLF(ls, from); i >= 0 {
			return i + r.w, true, nil
		}
		if r.in.EOF {
			return len(r.in.Buf), false, nil
		}
		// Resume the search where this one stopped, on a unit boundary.
		from = len(r.in.Buf) - (len(r.in.Buf)-ls)%r.w
		if r.w == 2 && from-2 >= ls {
			from -= 2 // its high byte may not have been there
		}
		if err := r.in.Fill(); err != nil {
			return 0, false, err
		}
	}
}

// indexLF finds the next LF unit at or after from in the line starting at ls.
func (r *Reader) indexLF(ls, from int) int {
	if r.w == 1 {
		if i := bytes.IndexByte(r.in.Buf[from:], '\n'); i >= 0 {
			return from + i
		}
		return -1
	}
	for i := from; ; {
		j := bytes.IndexByte(r.in.Buf[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j
		if (i-ls)%2 == 0 && i+1 < len(r.in.Buf) && r.in.Buf[i+1] == 0 {
			return i
		}
		i++
	}
}

// isHeader reports whether the line at ls starts with '['. The caller has
// made sure a whole unit is buffered.
func (r *Reader) isHeader(ls int) bool {
	if len(r.in.Buf)-ls < r.w {
		return false
	}
	return r.in.Buf[ls] == '[' && (r.w == 1 || r.in.Buf[ls+1] == 0)
}

// ignorable reports whether the line in.Buf[ls:end] is blank or starts (after
// blanks) with ';'. The grammar decides for sure; this only finds where the
// preamble must end.
func (r *Reader) ignorable(ls, end int) bool {
	for i := ls; i+r.w <= end; i += r.w {
		if r.w == 2 && r.in.Buf[i+1] != 0 {
			return false
		}
		switch r.in.Buf[i] {
		case ' ', '\t':
			continue
		case ';', '\r', '\n', 0x1A:
			return true
		}
		return false
	}
	return true
}

// trimTrailer returns end, less a DOS end-of-file marker that ends the input.
// Only called at the end of the input.
func (r *Reader) trimTrailer(end int) int {
	b := r.in.Buf[:end]
	n := 0
	switch {
	case r.w == 1 && len(b) > r.pos && b[len(b)-1] == 0x1A:
		n = 1
	case r.w == 2 && (len(b)-r.pos)%2 == 1 && b[len(b)-1] == 0x1A:
		n = 1
	case r.w == 2 && len(b)-r.pos >= 2 && (len(b)-r.pos)%2 == 0 && b[len(b)-2] == 0x1A && b[len(b)-1] == 0:
		n = 2
	}
	if n > 0 {
		r.trailer = bytes.Clone(b[len(b)-n:])
	}
	return end - n
}

// need reads until a whole unit at i is buffered, or the input ends.
func (r *Reader) need(i int) error { return r.in.Need(i + r.unitWidth()) }

func (r *Reader) unitWidth() int {
	if r.w == 0 {
		return 1
	}
	return r.w
}

// WriteTo reads the rest of the input and writes it back through a Writer:
// BOM, preamble, every record's Raw, trailer. Called on a new Reader it
// copies the file byte for byte while checking every record against the
// grammar; it stops at the first error.
func (r *Reader) WriteTo(dst io.Writer) (int64, error) {
	rec, err := r.Read()
	w := NewWriter(dst, r.enc)
	if err == nil || err == io.EOF {
		err = w.WriteRaw(r.preamble)
	}
	for err == nil {
		err = w.Write(rec)
		if err == nil {
			rec, err = r.Read()
		}
	}
	if err == io.EOF {
		err = w.WriteRaw(r.trailer)
	}
	return w.n, err
}
