package batch

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
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

// The encodings Decode recognises by their byte order mark, and UTF8
// without one. Pass them to NewWriter to write a script in that encoding.
var (
	// UTF8 is the encoding of a file without a byte order mark read without
	// a code page. sqlcmd reads such a file in the ANSI code page unless it
	// is given -f 65001.
	UTF8 = Encoding{Name: "UTF-8"}
	// UTF8BOM is UTF-8 starting with the byte order mark EF BB BF. sqlcmd
	// needs -f 65001 for it too.
	UTF8BOM = Encoding{Name: "UTF-8 BOM", BOM: bom}
	// UTF16LE is UTF-16 little-endian starting with the byte order mark
	// FF FE: what SSMS saves as "Unicode text", and what sqlcmd reads
	// without -f, whatever the code page of the machine.
	UTF16LE = Encoding{Name: "UTF-16LE", BOM: []byte{0xFF, 0xFE}, enc: unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)}
	// UTF16BE is UTF-16 big-endian starting with the byte order mark FE FF.
	UTF16BE = Encoding{Name: "UTF-16BE", BOM: []byte{0xFE, 0xFF}, enc: unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)}
)

// codePages are the code pages -f accepts besides 65001 (UTF-8).
var codePages = map[int]*charmap.Charmap{
	437: charmap.CodePage437, 850: charmap.CodePage850, 852: charmap.CodePage852,
	858: charmap.CodePage858, 866: charmap.CodePage866, 874: charmap.Windows874,
	1250: charmap.Windows1250, 1251: charmap.Windows1251, 1252: charmap.Windows1252,
	1253: charmap.Windows1253, 1254: charmap.Windows1254, 1255: charmap.Windows1255,
	1256: charmap.Windows1256, 1257: charmap.Windows1257, 1258: charmap.Windows1258,
	28591: charmap.ISO8859_1, 28605: charmap.ISO8859_15,
}

// dbcsPages are the double-byte Windows code pages -f accepts: 932
// (Japanese Shift-JIS, Microsoft's variant), 936 (Simplified Chinese GBK),
// 949 (Korean Unified Hangul Code, which x/text calls EUC-KR) and 950
// (Traditional Chinese Big5).
var dbcsPages = map[int]encoding.Encoding{
	932: japanese.ShiftJIS, 936: simplifiedchinese.GBK,
	949: korean.EUCKR, 950: traditionalchinese.Big5,
}

// codePageCodec is the x/text encoding of code page id, nil if -f does not
// accept it.
func codePageCodec(id int) encoding.Encoding {
	if cm, ok := codePages[id]; ok {
		return cm
	}
	if e, ok := dbcsPages[id]; ok {
		return e
	}
	return nil
}

// errUnsupportedCodePage is the error for a code page -f does not accept.
func errUnsupportedCodePage(id int) error {
	return fmt.Errorf("code page %d is not supported (use 65001, 1252, 1250, 1251, 850, 437, 932, 936, 949, 950, ...)", id)
}

// Decode returns r converted to UTF-8. A byte order mark (UTF-8, UTF-16LE,
// UTF-16BE) decides the encoding and is removed; without one the input is
// read in codePage (sqlcmd -f: 1252, 1250, 850, 932, ...), or as UTF-8 when
// codePage is 0 or 65001. Line terminators and every other byte are kept.
func Decode(r io.Reader, codePage int) (io.Reader, Encoding, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(3)
	if err != nil && err != io.EOF {
		return nil, Encoding{}, err
	}
	for _, e := range []Encoding{UTF8BOM, UTF16LE, UTF16BE} {
		if bytes.HasPrefix(head, e.BOM) {
			br.Discard(len(e.BOM))
			if e.enc == nil {
				return br, e, nil
			}
			return transform.NewReader(br, e.enc.NewDecoder()), e, nil
		}
	}
	switch codePage {
	case 0, 65001:
		return br, UTF8, nil
	}
	cm := codePageCodec(codePage)
	if cm == nil {
		return nil, Encoding{}, errUnsupportedCodePage(codePage)
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
// starting with e's byte order mark (written with the first bytes): what a
// tool rewriting a script writes so that its output has the encoding of its
// input, or what a tool writing a script for sqlcmd writes (UTF16LE).
//
// The conversion streams: a UTF-8 sequence split across Write calls is
// converted whole. Text that is not valid UTF-8 (or a sequence left
// incomplete at Close) is an error, encoding.ErrInvalidUTF8 from
// golang.org/x/text/encoding, when e converts: nothing is replaced by U+FFFD
// or '?' silently: text a code page cannot hold (an emoji in 932, say) is
// an error too. For UTF8 and UTF8BOM the bytes are copied unchanged. Text
// read from a code page is written back byte for byte, except a character
// a double-byte page has two codes for (932's NEC and IBM extensions: 87 90
// and 81 E0 are both "≒"), which is written in the code x/text chooses.
// Close it to flush; Close does not close w.
func (e Encoding) NewWriter(w io.Writer) io.WriteCloser {
	if len(e.BOM) > 0 {
		w = &bomWriter{w: w, bom: e.BOM}
	}
	if e.enc == nil {
		return nopCloser{w}
	}
	return transform.NewWriter(w, transform.Chain(encoding.UTF8Validator, e.enc.NewEncoder()))
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
