package batch

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/position"
	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// ScriptOptions say how OpenScript reads a file that has no byte order mark.
type ScriptOptions struct {
	// CodePage is the code page of such a file: 65001 for UTF-8, or one of
	// the code pages Decode accepts (1252, 1250, 850, 932, ...). 0 means 1252,
	// the Windows ANSI code page of western European systems, which is
	// what sqlcmd uses there when it is given no -f.
	CodePage int
	// Guess is sqlcmd's reading without -f: a file that is not valid in
	// CodePage but is valid UTF-8 is read as UTF-8. Without Guess a byte
	// that CodePage does not define is an error.
	Guess bool
	// Chosen, if set, is called once for each file without a byte order
	// mark whose bytes read differently in CodePage and in UTF-8 (it holds
	// bytes above 0x7F and is valid UTF-8), with the reading chosen.
	Chosen func(Reading)
}

// Reading tells how a file that could be read two ways was read.
type Reading struct {
	File     string
	Encoding Encoding // the reading chosen
	Other    Encoding // the reading not chosen
	// Line is the first line whose text differs between the two readings.
	Line int64
	// Invalid, when not empty, says why the code page reading was not
	// chosen: the first byte the code page does not define, and where.
	Invalid string
}

// OpenScript opens a script file for a Reader as sqlcmd reads it: a byte
// order mark (UTF-8, UTF-16LE, UTF-16BE) decides the encoding; without one
// the file is read in opt.CodePage (see ScriptOptions). The result is UTF-8
// with every byte of the file accounted for: a byte sequence that is not
// valid in the encoding read (a byte the code page does not define, invalid
// UTF-8, an unpaired UTF-16 surrogate, a file cut inside a character) makes
// Read return a *position.Error wrapping ErrEncoding, with the file, line,
// column and offset in bytes of the file, before anything of that line is
// returned. Nothing is replaced by U+FFFD. Closing the result closes the
// file.
func OpenScript(name string, opt ScriptOptions) (io.ReadCloser, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	r, err := newScriptReader(f, name, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// scriptBufSize is how many bytes a scriptReader reads at a time (tests
// make it tiny to split characters across reads).
var scriptBufSize = 64 << 10

// decoding is how scriptReader turns bytes into UTF-8.
type decoding byte

const (
	decASCII   decoding = iota // guessing: only bytes below 0x80 so far
	decUTF8                    // validate, copy
	decCP                      // single-byte code page, table lookup
	decDBCS                    // double-byte code page, table lookup
	decUTF16LE                 // convert
	decUTF16BE
)

// scriptReader decodes and validates one script file.
type scriptReader struct {
	f    *os.File
	name string
	opt  ScriptOptions
	cp   *codePage
	dec  decoding

	raw     []byte // raw bytes read, not yet decoded (a carried partial character first)
	out     []byte // decoded bytes not yet returned
	outBuf  []byte
	off     int64 // file offset of raw[0]
	line    int64 // lines before raw[0] (count of line feeds)
	lineOff int64 // file offset where the line of raw[0] starts
	eof     bool
	err     error
}

// codePage is a code page as tables. For a single-byte page: the UTF-8 of
// each byte, and which bytes it defines. A double-byte page has dbcs.
type codePage struct {
	id    int
	utf8  [256][]byte
	valid [256]bool
	dbcs  *dbcsTable
}

// dbcsTable is a double-byte code page (932, 936, 949, 950) as tables built
// from its x/text decoder on first use: x/text decoders replace invalid
// input by U+FFFD, where a script reader must say which byte is wrong, so
// the reader looks characters up here instead. Every byte below 0x80 is
// ASCII in these pages; a byte from 0x80 is a character of its own, the
// lead byte of a two-byte character, or undefined. Trail bytes may be ASCII
// ('\', '[', '|', ...) but are never CR or LF, so lines are counted on the
// raw bytes.
type dbcsTable struct {
	enc    encoding.Encoding
	once   sync.Once
	single [128]string // UTF-8 of byte 0x80+i standing alone, "" if none
	lead   [128]bool   // byte 0x80+i starts a two-byte character
	pair   []string    // UTF-8 of lead 0x80+i, trail j at i*256+j, "" if none
}

func (t *dbcsTable) build() {
	t.once.Do(func() {
		dec := t.enc.NewDecoder()
		var dst [16]byte
		for i := range 128 {
			dec.Reset()
			n, _, err := dec.Transform(dst[:], []byte{byte(0x80 + i)}, false)
			if err == transform.ErrShortSrc {
				t.lead[i] = true
				continue
			}
			if r, _ := utf8.DecodeRune(dst[:n]); n > 0 && r != utf8.RuneError {
				t.single[i] = string(dst[:n])
			}
		}
		t.pair = make([]string, 128*256)
		for i := range 128 {
			if !t.lead[i] {
				continue
			}
			for j := range 256 {
				dec.Reset()
				n, used, err := dec.Transform(dst[:], []byte{byte(0x80 + i), byte(j)}, true)
				// A lead byte with a trail byte it does not take decodes
				// to U+FFFD (and the trail byte alone): no character.
				if err == nil && used == 2 && n > 0 && !bytes.Contains(dst[:n], []byte("\uFFFD")) {
					t.pair[i*256+j] = string(dst[:n])
				}
			}
		}
	})
}

// decode appends the UTF-8 of the complete characters at the start of b to
// dst and returns how many bytes of b it used. A lead byte at the end of b
// waits for the next chunk unless final. At a byte that starts no character
// it stops and returns its index as bad (what says why); bad is -1 else.
func (t *dbcsTable) decode(dst, b []byte, final bool, id int) (out []byte, used, bad int, what string) {
	i := 0
	for i < len(b) {
		n := asciiPrefix(b[i:])
		dst = append(dst, b[i:i+n]...)
		if i += n; i == len(b) {
			break
		}
		c := b[i] - 0x80
		switch {
		case t.single[c] != "":
			dst = append(dst, t.single[c]...)
			i++
		case !t.lead[c]:
			return dst, i, i, fmt.Sprintf("byte 0x%02X is not defined in code page %d", b[i], id)
		case i+1 == len(b) && !final:
			return dst, i, -1, ""
		case i+1 == len(b):
			return dst, i, i, fmt.Sprintf("the file ends after lead byte 0x%02X, inside a double-byte character of code page %d", b[i], id)
		case t.pair[int(c)*256+int(b[i+1])] == "":
			return dst, i, i, fmt.Sprintf("lead byte 0x%02X followed by 0x%02X is not a character of code page %d", b[i], b[i+1], id)
		default:
			dst = append(dst, t.pair[int(c)*256+int(b[i+1])]...)
			i += 2
		}
	}
	return dst, i, -1, ""
}

var codePageTables = map[int]*codePage{}

func codePageTable(id int) (*codePage, error) {
	if t, ok := codePageTables[id]; ok {
		return t, nil
	}
	if e, ok := dbcsPages[id]; ok {
		t := &codePage{id: id, dbcs: &dbcsTable{enc: e}}
		codePageTables[id] = t
		return t, nil
	}
	cm, ok := codePages[id]
	if !ok {
		return nil, errUnsupportedCodePage(id)
	}
	t := &codePage{id: id}
	for b := 0; b < 256; b++ {
		r := cm.DecodeByte(byte(b))
		t.valid[b] = r != utf8.RuneError
		t.utf8[b] = utf8.AppendRune(nil, r)
	}
	codePageTables[id] = t
	return t, nil
}

func init() {
	for id := range codePages {
		_, _ = codePageTable(id) // fill the tables once, before any goroutine reads them
	}
	for id := range dbcsPages {
		_, _ = codePageTable(id) // the double-byte tables are built on first use
	}
}

// codePageEncoding is the Encoding of code page id.
func codePageEncoding(id int) Encoding {
	if id == 65001 {
		return UTF8
	}
	return Encoding{Name: fmt.Sprintf("code page %d", id), enc: codePageCodec(id)}
}

func newScriptReader(f *os.File, name string, opt ScriptOptions) (*scriptReader, error) {
	if opt.CodePage == 0 {
		opt.CodePage = 1252
	}
	s := &scriptReader{f: f, name: name, opt: opt, raw: make([]byte, 0, scriptBufSize)}
	var head [3]byte
	n, err := io.ReadFull(f, head[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	h := head[:n]
	switch {
	case bytes.HasPrefix(h, UTF8BOM.BOM):
		s.dec, s.off = decUTF8, 3
	case bytes.HasPrefix(h, UTF16LE.BOM):
		s.dec, s.off = decUTF16LE, 2
	case bytes.HasPrefix(h, UTF16BE.BOM):
		s.dec, s.off = decUTF16BE, 2
	case opt.CodePage == 65001:
		s.dec = decUTF8
	default:
		cp, err := codePageTable(opt.CodePage)
		if err != nil {
			return nil, err
		}
		s.cp, s.dec = cp, decCP
		if cp.dbcs != nil {
			cp.dbcs.build()
			s.dec = decDBCS
		}
		if opt.Guess || opt.Chosen != nil {
			s.dec = decASCII
		}
	}
	s.lineOff = 0
	s.raw = append(s.raw, h[s.off:]...)
	return s, nil
}

func (s *scriptReader) Close() error { return s.f.Close() }

func (s *scriptReader) Read(p []byte) (int, error) {
	for len(s.out) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		s.fill()
	}
	n := copy(p, s.out)
	s.out = s.out[n:]
	return n, nil
}

// fill reads the next chunk and decodes what of it is complete into out.
func (s *scriptReader) fill() {
	if !s.eof {
		if len(s.raw) == cap(s.raw) { // a tiny buffer full of a carried partial character
			s.raw = append(s.raw, 0)[:len(s.raw)]
		}
		start := len(s.raw)
		buf := s.raw[:cap(s.raw)]
		n, err := s.f.Read(buf[start:])
		s.raw = buf[:start+n]
		switch {
		case err == io.EOF:
			s.eof = true
		case err != nil:
			s.err = err
			return
		}
	}
	used, err := s.decode(s.raw, s.eof)
	if err != nil {
		s.err = err
		return
	}
	s.advance(used)
	if s.eof && len(s.out) == 0 {
		if len(s.raw) > 0 { // a character cut by the end of the file
			s.err = s.invalid(0, "the file ends inside a character")
			return
		}
		s.err = io.EOF
	}
}

// advance drops the first n raw bytes, which were decoded, keeping the line
// count.
func (s *scriptReader) advance(n int) {
	done := s.raw[:n]
	if s.dec == decUTF16LE || s.dec == decUTF16BE {
		for i := 0; i+1 < len(done); i += 2 {
			if s.unit(done[i:]) == '\n' {
				s.line++
				s.lineOff = s.off + int64(i) + 2
			}
		}
	} else if k := bytes.Count(done, []byte{'\n'}); k > 0 {
		s.line += int64(k)
		s.lineOff = s.off + int64(bytes.LastIndexByte(done, '\n')) + 1
	}
	s.off += int64(n)
	s.raw = append(s.raw[:0], s.raw[n:]...)
}

// decode decodes the complete characters at the start of b into out and
// returns how many bytes it used; a character cut by the end of b waits for
// the next chunk unless final.
func (s *scriptReader) decode(b []byte, final bool) (int, error) {
	switch s.dec {
	case decASCII:
		i := asciiPrefix(b)
		if i == len(b) {
			s.out = b
			return s.copyOut(len(b)), nil
		}
		if err := s.guess(s.off + int64(i)); err != nil {
			return 0, err
		}
		if i == 0 { // nothing before the first byte above 0x7F: decode it now
			return s.decode(b, final)
		}
		s.out = b[:i]
		return s.copyOut(i), nil
	case decUTF8:
		n := len(b)
		if !final {
			n = completeUTF8(b)
		}
		if bad := invalidUTF8(b[:n]); bad >= 0 {
			return 0, s.invalid(bad, fmt.Sprintf("byte 0x%02X is not valid UTF-8", b[bad]))
		}
		s.out = b[:n]
		return s.copyOut(n), nil
	case decCP:
		return s.decodeCP(b)
	case decDBCS:
		out, used, bad, what := s.cp.dbcs.decode(s.outBuf[:0], b, final, s.cp.id)
		if bad >= 0 {
			return 0, s.invalid(bad, what)
		}
		s.outBuf, s.out = out, out
		return used, nil
	default:
		return s.decodeUTF16(b, final)
	}
}

// copyOut copies out, which points into raw, into outBuf: raw is reused.
func (s *scriptReader) copyOut(n int) int {
	s.outBuf = append(s.outBuf[:0], s.out...)
	s.out = s.outBuf
	return n
}

func (s *scriptReader) decodeCP(b []byte) (int, error) {
	s.outBuf = s.outBuf[:0]
	for i := 0; i < len(b); {
		n := asciiPrefix(b[i:])
		s.outBuf = append(s.outBuf, b[i:i+n]...)
		i += n
		if i == len(b) {
			break
		}
		c := b[i]
		if !s.cp.valid[c] {
			return 0, s.invalid(i, fmt.Sprintf("byte 0x%02X is not defined in code page %d", c, s.cp.id))
		}
		s.outBuf = append(s.outBuf, s.cp.utf8[c]...)
		i++
	}
	s.out = s.outBuf
	return len(b), nil
}

func (s *scriptReader) unit(b []byte) uint16 {
	if s.dec == decUTF16LE {
		return uint16(b[0]) | uint16(b[1])<<8
	}
	return uint16(b[0])<<8 | uint16(b[1])
}

func (s *scriptReader) decodeUTF16(b []byte, final bool) (int, error) {
	s.outBuf = s.outBuf[:0]
	i := 0
	for i+1 < len(b) {
		u := s.unit(b[i:])
		switch {
		case utf16.IsSurrogate(rune(u)) && u < 0xDC00:
			if i+3 >= len(b) {
				if !final {
					s.out = s.outBuf
					return i, nil
				}
				return 0, s.invalid(i, "a UTF-16 high surrogate at the end of the file")
			}
			lo := s.unit(b[i+2:])
			r := utf16.DecodeRune(rune(u), rune(lo))
			if r == utf8.RuneError {
				return 0, s.invalid(i, fmt.Sprintf("UTF-16 high surrogate %04X is not followed by a low surrogate", u))
			}
			s.outBuf = utf8.AppendRune(s.outBuf, r)
			i += 4
		case utf16.IsSurrogate(rune(u)):
			return 0, s.invalid(i, fmt.Sprintf("UTF-16 low surrogate %04X without a high surrogate", u))
		default:
			s.outBuf = utf8.AppendRune(s.outBuf, rune(u))
			i += 2
		}
	}
	s.out = s.outBuf
	return i, nil
}

// guess decides how a file without byte order mark is read, at its first
// byte above 0x7F (at offset from): in the code page, or as UTF-8 when
// Guess is set and the rest of the file is valid UTF-8 but not valid in the
// code page. It reads the rest of the file once for that.
func (s *scriptReader) guess(from int64) error {
	st, err := scanRest(s.f, from, s.cp)
	if err != nil {
		return err
	}
	cpEnc := codePageEncoding(s.cp.id)
	line := s.line + 1 + int64(bytes.Count(s.raw[:from-s.off], []byte{'\n'}))
	chosen := Reading{File: s.name, Encoding: cpEnc, Other: UTF8, Line: line}
	s.dec = decCP
	if s.cp.dbcs != nil {
		s.dec = decDBCS
	}
	if st.cpInvalid >= 0 && st.utf8Valid && s.opt.Guess {
		chosen.Encoding, chosen.Other = UTF8, cpEnc
		chosen.Invalid = fmt.Sprintf("byte 0x%02X at offset %d is not defined in code page %d", st.cpByte, st.cpInvalid, s.cp.id)
		s.dec = decUTF8
	}
	if st.utf8Valid && s.opt.Chosen != nil {
		s.opt.Chosen(chosen)
	}
	return nil
}

// restScan is what scanRest found.
type restScan struct {
	utf8Valid bool
	cpInvalid int64 // offset of the first byte the code page does not define, -1 if none
	cpByte    byte
}

// scanRest reads f from offset from to its end and checks it as UTF-8 and
// as the code page.
func scanRest(f io.ReaderAt, from int64, cp *codePage) (restScan, error) {
	st := restScan{utf8Valid: true, cpInvalid: -1}
	buf := make([]byte, 256<<10)
	var carry int
	off := from
	for {
		n, err := f.ReadAt(buf[carry:], off)
		b := buf[:carry+n]
		final := err == io.EOF
		if err != nil && err != io.EOF {
			return st, err
		}
		if st.cpInvalid < 0 && cp.dbcs == nil {
			for i, c := range b[carry:] {
				if c >= 0x80 && !cp.valid[c] {
					st.cpInvalid, st.cpByte = off+int64(i), c
					break
				}
			}
		}
		end := len(b)
		if !final {
			end = completeUTF8(b)
		}
		if st.utf8Valid && !utf8.Valid(b[:end]) {
			st.utf8Valid = false
		}
		if final || (!st.utf8Valid && st.cpInvalid >= 0) {
			if final && end < len(b) {
				st.utf8Valid = false
			}
			var serr error
			if cp.dbcs != nil {
				st.cpInvalid, st.cpByte, serr = scanDBCS(f, from, cp)
			}
			return st, serr
		}
		carry = copy(buf, b[end:])
		off += int64(n)
	}
}

// scanDBCS reads f from offset from to its end in the double-byte code page
// cp and returns the offset and value of the first byte that starts no
// character, -1 if none.
func scanDBCS(f io.ReaderAt, from int64, cp *codePage) (int64, byte, error) {
	buf := make([]byte, 256<<10)
	var carry int
	off := from // file offset of buf[carry]
	var out []byte
	for {
		n, err := f.ReadAt(buf[carry:], off)
		if err != nil && err != io.EOF {
			return -1, 0, err
		}
		b := buf[:carry+n]
		var used, bad int
		out, used, bad, _ = cp.dbcs.decode(out[:0], b, err == io.EOF, cp.id)
		if bad >= 0 {
			return off - int64(carry) + int64(bad), b[bad], nil
		}
		if err == io.EOF {
			return -1, 0, nil
		}
		off += int64(n)
		carry = copy(buf, b[used:])
	}
}

// asciiPrefix returns the length of the prefix of b below 0x80, eight
// bytes at a time.
func asciiPrefix(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return i
		}
	}
	return len(b)
}

// completeUTF8 returns the length of the prefix of b that does not end in
// the middle of a UTF-8 sequence (at most 3 bytes are left over).
func completeUTF8(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < 0x80 {
			return len(b)
		}
		if c >= 0xC0 { // a lead byte: is its sequence complete?
			need := 2
			switch {
			case c >= 0xF0:
				need = 4
			case c >= 0xE0:
				need = 3
			}
			if k < need {
				return len(b) - k
			}
			return len(b)
		}
	}
	return len(b)
}

// invalidUTF8 returns the index of the first byte of b that starts no valid
// UTF-8 sequence, or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// invalid returns the error for an invalid byte at raw[i].
func (s *scriptReader) invalid(i int, what string) error {
	line := s.line + 1
	lineOff := s.lineOff
	if s.dec == decUTF16LE || s.dec == decUTF16BE {
		for j := 0; j+1 < i; j += 2 {
			if s.unit(s.raw[j:]) == '\n' {
				line++
				lineOff = s.off + int64(j) + 2
			}
		}
	} else if k := bytes.Count(s.raw[:i], []byte{'\n'}); k > 0 {
		line += int64(k)
		lineOff = s.off + int64(bytes.LastIndexByte(s.raw[:i], '\n')) + 1
	}
	off := s.off + int64(i)
	return &position.Error{File: s.name, Line: line, Column: int(off-lineOff) + 1, Offset: off,
		Err: &problem{kind: ErrEncoding, msg: what}}
}
