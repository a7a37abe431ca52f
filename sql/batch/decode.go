package batch

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is the character encoding a script was written in, as Decode
// found it.
type Encoding struct {
	Name string // "UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16BE", "windows-1252", ...
	BOM  []byte // the byte order mark the file started with, nil without one
	enc  encoding.Encoding
}

// UTF8 is the encoding of a file without a byte order mark read without a code page.
var UTF8 = Encoding{Name: "UTF-8"}

// codePages are the code pages -f accepts besides 65001 (UTF-8).
var codePages = map[int]*charmap.Charmap{
	437: charmap.CodePage437, 850: charmap.CodePage850, 858: charmap.CodePage858,
	1250: charmap.Windows1250, 1251: charmap.Windows1251, 1252: charmap.Windows1252,
	1253: charmap.Windows1253, 1254: charmap.Windows1254, 1257: charmap.Windows1257,
	28591: charmap.ISO8859_1, 28605: charmap.ISO8859_15,
}

// Decode returns r converted to UTF-8. A byte order mark (UTF-8, UTF-16LE,
// UTF-16BE) decides the encoding and is removed; without one the input is
// read in codePage (sqlcmd -f: 1252, 1250, 850, ...), or as UTF-8 when
// codePage is 0 or 65001. Line terminators and every other byte are kept.
func Decode(r io.Reader, codePage int) (io.Reader, Encoding, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(3)
	if err != nil && err != io.EOF {
		return nil, Encoding{}, err
	}
	switch {
	case bytes.HasPrefix(head, bom):
		br.Discard(3)
		return br, Encoding{Name: "UTF-8 BOM", BOM: bom}, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		e := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
		br.Discard(2)
		return transform.NewReader(br, e.NewDecoder()), Encoding{Name: "UTF-16LE", BOM: []byte{0xFF, 0xFE}, enc: e}, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		e := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
		br.Discard(2)
		return transform.NewReader(br, e.NewDecoder()), Encoding{Name: "UTF-16BE", BOM: []byte{0xFE, 0xFF}, enc: e}, nil
	}
	switch codePage {
	case 0, 65001:
		return br, UTF8, nil
	}
	cm, ok := codePages[codePage]
	if !ok {
		return nil, Encoding{}, fmt.Errorf("code page %d is not supported (use 65001, 1252, 1250, 1251, 850, 437, ...)", codePage)
	}
	return transform.NewReader(br, cm.NewDecoder()), Encoding{Name: fmt.Sprintf("code page %d", codePage), enc: cm}, nil
}

// OpenFile opens a script file and decodes it as Decode does. Closing the
// result closes the file.
func OpenFile(name string, codePage int) (io.ReadCloser, Encoding, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, Encoding{}, err
	}
	r, enc, err := Decode(f, codePage)
	if err != nil {
		f.Close()
		return nil, Encoding{}, fmt.Errorf("%s: %w", name, err)
	}
	return readCloser{r, f}, enc, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// NewWriter returns a writer that converts UTF-8 to e and writes it to w,
// starting with e's byte order mark: what a tool rewriting a script writes
// so that its output has the encoding of its input. Close it to flush.
func (e Encoding) NewWriter(w io.Writer) io.WriteCloser {
	if len(e.BOM) > 0 {
		w = &bomWriter{w: w, bom: e.BOM}
	}
	if e.enc == nil {
		return nopCloser{w}
	}
	return transform.NewWriter(w, e.enc.NewEncoder())
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// bomWriter writes bom before the first bytes.
type bomWriter struct {
	w    io.Writer
	bom  []byte
	done bool
}

func (b *bomWriter) Write(p []byte) (int, error) {
	if !b.done {
		b.done = true
		if _, err := b.w.Write(b.bom); err != nil {
			return 0, err
		}
	}
	return b.w.Write(p)
}
