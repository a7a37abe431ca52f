package reg

import (
	"bytes"
	"fmt"
	"io"

	"github.com/xdm-migrate/xdm/parsers/internal/readbuf"
	"github.com/xdm-migrate/xdm/position"
)

// Reader reads the records of a .reg file one at a time. Memory is bounded
// by the largest record (a value with all its continuation lines) plus one
// read: the file is never held whole.
type Reader struct {
	// Grammar makes Read parse every record with the ANTLR parser generated
	// from grammar/Reg.g4. By default a hand-written scanner that accepts
	// exactly the same input reads them, many times faster; either way the
	// grammar words the errors, so both give the same records and errors.
	Grammar bool
	// NoData makes Read check every value in full but not decode its data:
	// Value.Text and Value.Bytes of strings and hex data stay empty. For
	// work on keys in big files.
	NoData bool

	in   readbuf.Buffer
	name string
	enc  Encoding
	w    int // code unit width: 1, or 2 for UTF-16LE
	pos  int // where the next record starts in in.Buf

	started bool
	err     error // sticky: an I/O error, an encoding error or io.EOF
	line    int64 // line number of in.Buf[pos]
	version Version
	lineEnd []byte

	// The key the next value belongs to.
	keyState keyState
	key      string
	keyLine  int64
}

type keyState int

const (
	noKey keyState = iota
	openKey
	deletedKey
	badKey // a key line with an error: its values are not reported again
)

// NewReader returns a Reader of the .reg file r; name (usually the file name)
// is used in error messages.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{in: readbuf.New(r), name: name, line: 1, w: 1}
}

// Encoding returns the file's encoding, known after the first Read.
func (r *Reader) Encoding() Encoding { return r.enc }

// Version returns the version the header announces, known after the first
// Read (0 when the header is invalid).
func (r *Reader) Version() Version { return r.version }

// LineEnd returns the line end of the header line ("\r\n", "\n" or "\r"),
// the one a writer of the same file should use; "\r\n", regedit's, when the
// header has none.
func (r *Reader) LineEnd() string {
	if len(r.lineEnd) == 0 {
		return "\r\n"
	}
	return r.enc.Decode(r.lineEnd)
}

// InputOffset returns the byte offset in the file just after the last
// record returned by Read: where reading could resume.
func (r *Reader) InputOffset() int64 { return r.in.Base + int64(r.pos) }

// Read returns the next record, or io.EOF after the last one.
//
// A *position.Error (the record does not fit the format) is not final: the
// next Read continues with the next record, so that a caller can list every
// problem. Any other error, and a file in an encoding regedit does not read
// (ErrEncoding), is returned again by every later call.
func (r *Reader) Read() (*Record, error) {
	if r.err == nil {
		r.err = r.in.Err()
	}
	if r.err != nil {
		return nil, r.err
	}
	first := !r.started
	if first {
		r.started = true
		if err := r.start(); err != nil {
			return nil, err
		}
	}
	r.pos = r.in.Slide(r.pos)
	if err := r.in.Need(r.pos + r.w); err != nil {
		return nil, err
	}
	if !first && r.pos >= len(r.in.Buf) && r.in.EOF {
		r.err = io.EOF
		return nil, io.EOF
	}
	end, lines, err := r.cut(first)
	if err != nil {
		return nil, err
	}
	p := parsed{raw: bytes.Clone(r.in.Buf[r.pos:end]), enc: r.enc, name: r.name,
		line: r.line, offset: r.InputOffset(), noData: r.NoData}
	r.line += lines
	r.pos = end
	rec, perr := r.parse(&p, first)
	if first {
		r.lineEnd = terminator(p.raw, r.w)
	}
	if perr != nil {
		r.keyStateAfterError(&p)
		return nil, perr
	}
	if first {
		r.version = rec.Version
	}
	if err := r.track(rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// start reads the byte-order mark.
func (r *Reader) start() error {
	if err := r.in.Need(4); err != nil { // detect looks at up to four bytes
		return err
	}
	enc, bom, err := detect(r.in.Buf[:min(len(r.in.Buf), 4)])
	if err != nil {
		r.err = &position.Error{File: r.name, Line: 1, Column: 1, Offset: 0, Err: err}
		return r.err
	}
	r.enc, r.w, r.pos = enc, enc.width(), bom
	return nil
}

// parse checks and decodes a record.
func (r *Reader) parse(p *parsed, first bool) (*Record, *position.Error) {
	if len(p.raw)%r.w != 0 {
		return nil, p.errorAt(len(p.raw)/r.w, ErrEncoding, "incomplete UTF-16 code unit at the end of the file, expected an even number of bytes")
	}
	var e entry
	var ok bool
	switch {
	case r.Grammar:
		e, ok = grammarEntry(p.raw, r.w, first)
	case first:
		e, ok = scanHeader(p.raw, r.w)
	default:
		e, ok = scanEntry(p.raw, r.w)
	}
	if !ok {
		return nil, grammarError(p.raw, r.w, first, p.name, p.line, p.offset)
	}
	return p.build(e)
}

// keyStateAfterError keeps the values of a key line with an error from
// being reported as outside a key.
func (r *Reader) keyStateAfterError(p *parsed) {
	u := newUnits(p.raw, r.w)
	if u.at(u.blanks(0)) == '[' {
		r.keyState, r.key = badKey, ""
	}
}

// track follows the key that values belong to and refuses values outside
// one.
func (r *Reader) track(rec *Record) error {
	switch rec.Kind {
	case KindKey:
		r.key, r.keyLine = rec.Key, rec.Line
		r.keyState = openKey
		if rec.Delete {
			r.keyState = deletedKey
		}
	case KindValue:
		rec.Key = r.key
		msg := ""
		switch r.keyState {
		case noKey:
			msg = "a value before the first key line, expected a key line [KEY] before it (regedit drops the value)"
		case deletedKey:
			msg = fmt.Sprintf("a value after the key deletion [-%s] of line %d, expected a key line [KEY] before it (regedit drops the value)", r.key, r.keyLine)
		}
		if msg != "" {
			return &position.Error{File: r.name, Line: rec.Line, Column: 1, Offset: rec.Offset,
				Err: fmt.Errorf("%w: %s", ErrNoKey, msg)}
		}
	}
	return nil
}

// cut returns the end of the record starting at r.pos and the number of
// line ends in it: one line, or for a hex value whose line ends with '\'
// every line up to the last one of its data.
func (r *Reader) cut(first bool) (end int, lines int64, err error) {
	end, nl, err := r.physicalLine(r.pos)
	if err != nil || first {
		return end, nl, err
	}
	lines = nl
	if !valueContinues(newUnits(r.in.Buf[r.pos:end], r.w)) {
		return end, lines, nil
	}
	for nl == 1 {
		if err := r.in.Need(end + r.w); err != nil {
			return 0, 0, err
		}
		if end >= len(r.in.Buf) {
			break
		}
		var mark rune
		end, nl, mark, err = r.continuedLine(end)
		if err != nil {
			return 0, 0, err
		}
		lines += nl
		if mark == 0 || mark == '\\' {
			continue // a blank or comment line inside the data, or one that continues
		}
		break
	}
	return end, lines, nil
}

// continuedLine returns the end of a line inside hex data, as physicalLine
// does, and what decides whether the data goes on after it: 0 for a blank
// line or a comment line (';' first), '\\' when a backslash comes before any
// ';' (the data continues), another non-zero value when it ends there. It is the loop
// of the continuation lines, most of a big export: one pass over each, over
// the buffered bytes.
func (r *Reader) continuedLine(ls int) (end int, nl int64, mark rune, err error) {
	i, w := ls, r.w
	text := false // a unit other than a blank was seen
	for {
		for b := r.in.Buf; i+w <= len(b); i += w {
			c := rune(b[i])
			if w == 2 {
				c |= rune(b[i+1]) << 8
			}
			switch {
			case c == '\n' || c == '\r':
				end, nl, err = r.physicalLine(i)
				return end, nl, mark, err
			case c == ' ' || c == '\t':
			case c == ';' && !text:
				end, nl, err = r.physicalLine(i)
				return end, nl, 0, err // a comment line
			case c == '\\' || c == ';':
				end, nl, err = r.physicalLine(i)
				return end, nl, c, err
			default:
				text, mark = true, c|1<<24 // never 0, even for a NUL
			}
		}
		if r.in.EOF {
			return len(r.in.Buf), 0, mark, nil
		}
		if err := r.in.Fill(); err != nil {
			return 0, 0, 0, err
		}
	}
}

// valueContinues reports whether a line is a hex value whose data ends in
// the continuation backslash. It finds the data as the lexer does, but
// checks nothing: the parser does.
func valueContinues(u units) bool {
	i := u.blanks(0)
	switch u.at(i) {
	case '@':
		i++
	case '"':
		for i++; ; i++ {
			c := u.at(i)
			if c == '\\' && u.at(i+1) != '\r' && u.at(i+1) != '\n' {
				i++
				continue
			}
			if c == '"' {
				break
			}
			if c == -1 || c == '\r' || c == '\n' {
				return false
			}
		}
		i++
	default:
		return false
	}
	i = u.blanks(i)
	if u.at(i) != '=' {
		return false
	}
	i = u.blanks(i + 1)
	return u.hasPrefix(i, "hex") && dataContinues(u, i+3)
}

// dataContinues reports whether the hex data from i on ends with the
// continuation backslash: whether a '\' comes before any ';' on the line.
func dataContinues(u units, i int) bool {
	for {
		switch u.at(i) {
		case '\\':
			return true
		case ';', '\r', '\n', -1:
			return false
		}
		i++
	}
}

// physicalLine returns the end of the line starting at ls, after its line
// end (CRLF, LF or CR), reading more input as needed, and 1 when it has a
// line end, 0 when it ends the input.
func (r *Reader) physicalLine(ls int) (end int, nl int64, err error) {
	i := ls
	for {
		if err := r.in.Need(i + r.w); err != nil {
			return 0, 0, err
		}
		if i+r.w > len(r.in.Buf) {
			return len(r.in.Buf), 0, nil // the end of the input (an odd byte included)
		}
		if i = r.indexLineEnd(i); i < 0 {
			// None in the buffer: read more and search on from where this
			// search stopped, on a unit boundary.
			i = len(r.in.Buf) - (len(r.in.Buf)-ls)%r.w
			continue
		}
		if unit(r.in.Buf, i, r.w) == '\n' {
			return i + r.w, 1, nil
		}
		if err := r.in.Need(i + 2*r.w); err != nil {
			return 0, 0, err
		}
		if i+2*r.w <= len(r.in.Buf) && unit(r.in.Buf, i+r.w, r.w) == '\n' {
			return i + 2*r.w, 1, nil
		}
		return i + r.w, 1, nil
	}
}

// indexLineEnd returns the index of the first CR or LF unit in in.Buf from i
// (a unit boundary) on, or -1.
func (r *Reader) indexLineEnd(i int) int {
	b := r.in.Buf
	if r.w == 1 {
		for ; i < len(b); i++ {
			if c := b[i]; c <= '\r' && (c == '\r' || c == '\n') {
				return i
			}
		}
		return -1
	}
	for ; i+1 < len(b); i += 2 {
		if c := b[i]; c <= '\r' && (c == '\r' || c == '\n') && b[i+1] == 0 {
			return i
		}
	}
	return -1
}

// WriteTo reads the rest of the input and writes it back: the byte-order
// mark and every record's Raw. Called on a new Reader it copies the file
// byte for byte while checking every record; it stops at the first error.
func (r *Reader) WriteTo(dst io.Writer) (int64, error) {
	var w *Writer
	for {
		rec, err := r.Read()
		if err == io.EOF {
			if w == nil { // an empty file is refused by Read; nothing to write
				return 0, nil
			}
			return w.Written(), nil
		}
		if err != nil {
			if w == nil {
				return 0, err
			}
			return w.Written(), err
		}
		if w == nil {
			w = NewWriter(dst, r.enc, r.LineEnd())
		}
		if err := w.WriteRecord(rec); err != nil {
			return w.Written(), err
		}
	}
}
