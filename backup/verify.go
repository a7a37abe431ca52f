package backup

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/position"
)

// Problems Verify finds in members (wrapped in a *position.Error).
var (
	// ErrCopyBlock: a COPY block of dump.sql whose rows do not match its
	// column list, or that is not ended by "\.".
	ErrCopyBlock = errors.New("COPY block")
	// ErrXML: an XML member that is not well-formed.
	ErrXML = errors.New("not well-formed XML")
)

// copyChecker checks the COPY blocks of a plain pg_dump as it is written
// to it: every data row has as many tab-separated fields as the COPY
// header has columns, and every block ends with a line "\.". It keeps the
// current line only up to maxCheckedLine bytes: a row's fields are
// counted as it streams by.
type copyChecker struct {
	name    string
	report  func(*position.Error)
	line    int64
	head    []byte // the start of the current line, for headers and "\."
	fields  int    // fields of the current line so far
	inCopy  bool
	columns int // of the current block, -1 when the header has no list
	start   int64
	lines   map[int64]bool // lines reported (the first few)
	// unterminated: the input ended inside a COPY block, reported at its
	// header line (the engine reports the same at the last line).
	unterminated bool
}

// reported reports whether the checker reported a problem on line.
func (c *copyChecker) reported(line int64) bool { return c.lines[line] }

func (c *copyChecker) problem(pe *position.Error) {
	if len(c.lines) < 1000 {
		c.lines[pe.Line] = true
	}
	c.report(pe)
}

const maxCheckedLine = 64 << 10

func newCopyChecker(name string, report func(*position.Error)) *copyChecker {
	return &copyChecker{name: name, report: report, line: 1, fields: 1, lines: map[int64]bool{}}
}

func (c *copyChecker) Write(p []byte) (int, error) {
	for len(p) > 0 {
		nl := bytes.IndexByte(p, '\n')
		part := p
		if nl >= 0 {
			part = p[:nl]
		}
		if c.inCopy {
			c.fields += bytes.Count(part, []byte{'\t'})
		}
		if room := maxCheckedLine - len(c.head); room > 0 {
			c.head = append(c.head, part[:min(room, len(part))]...)
		}
		if nl < 0 {
			break
		}
		c.endLine()
		p = p[nl+1:]
	}
	return len(p), nil
}

// endLine handles the line that just ended.
func (c *copyChecker) endLine() {
	line := bytes.TrimSuffix(c.head, []byte{'\r'})
	switch {
	case c.inCopy && string(line) == `\.`:
		c.inCopy = false
	case c.inCopy:
		if c.columns >= 0 && c.fields != c.columns {
			c.problem(&position.Error{File: c.name, Line: c.line, Column: 1, Offset: -1,
				Err: fmt.Errorf("%w: a row of %s in the block of line %d, whose COPY header lists %s", ErrCopyBlock, plural.Count(c.fields, "field"), c.start, plural.Count(c.columns, "column"))})
		}
	case bytes.HasPrefix(line, []byte("COPY ")) && bytes.HasSuffix(line, []byte("FROM stdin;")):
		c.inCopy, c.start, c.columns = true, c.line, copyColumns(line)
	}
	c.line++
	c.head, c.fields = c.head[:0], 1
}

// finish reports a COPY block that the end of the file left open.
func (c *copyChecker) finish() {
	if len(c.head) > 0 {
		c.endLine()
	}
	if c.inCopy {
		c.unterminated = true
		c.problem(&position.Error{File: c.name, Line: c.start, Column: 1, Offset: -1,
			Err: fmt.Errorf(`%w: the block is not ended by a line "\." before the end of the file`, ErrCopyBlock)})
	}
}

// copyColumns counts the columns of "COPY name (a, "b,c", d) FROM stdin;",
// or returns -1 when there is no list.
func copyColumns(line []byte) int {
	open := bytes.IndexByte(line, '(')
	if open < 0 {
		return -1
	}
	n, quoted := 1, false
	for _, ch := range line[open+1:] {
		switch {
		case ch == '"':
			quoted = !quoted
		case quoted:
		case ch == ',':
			n++
		case ch == ')':
			return n
		}
	}
	return -1
}

// headRecorder keeps the first bytes read through it.
type headRecorder struct {
	r    io.Reader
	head []byte
}

const headSize = 1024

func (h *headRecorder) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if room := headSize - len(h.head); room > 0 {
		h.head = append(h.head, p[:min(room, n)]...)
	}
	return n, err
}

// headEncoding reads the start of a text member and names its encoding by
// its byte order mark.
func headEncoding(r io.Reader, none string) (string, error) {
	head := make([]byte, 4)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", err
	}
	return bomEncoding(head[:n], none), nil
}

func bomEncoding(head []byte, none string) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return "utf-16le"
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "utf-16be"
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8"
	}
	return none
}

// xmlEncoding names an XML file's encoding: its byte order mark, else the
// encoding of its XML declaration, else UTF-8 (XML 1.0, 4.3.3).
func xmlEncoding(head []byte) string {
	if e := bomEncoding(head, ""); e != "" {
		return e
	}
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return "utf-8"
	}
	decl := head
	if end := bytes.Index(head, []byte("?>")); end >= 0 {
		decl = head[:end]
	}
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return "utf-8"
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	rest = bytes.TrimLeft(bytes.TrimPrefix(rest, []byte("=")), " \t\r\n")
	if len(rest) < 2 || (rest[0] != '"' && rest[0] != '\'') {
		return "utf-8"
	}
	end := bytes.IndexByte(rest[1:], rest[0])
	if end < 0 {
		return "utf-8"
	}
	return strings.ToLower(string(rest[1 : 1+end]))
}

// checkXML reads an XML member to its end and returns where it is not
// well-formed, or nil.
func checkXML(name string, r io.Reader) *position.Error {
	var head [3]byte
	n, _ := io.ReadFull(r, head[:])
	in := io.MultiReader(bytes.NewReader(head[:n]), r)
	switch {
	case n >= 2 && head[0] == 0xFF && head[1] == 0xFE:
		in = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(in)
	case n >= 2 && head[0] == 0xFE && head[1] == 0xFF:
		in = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Reader(in)
	case n == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		in = r // the BOM is not part of the document
	}
	d := xml.NewDecoder(in)
	d.Strict = true
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-16", "utf-16le", "utf-16be", "utf-8":
			return input, nil // already decoded above, or UTF-8
		case "us-ascii", "ascii":
			return input, nil // a subset of UTF-8, which the decoder checks
		case "iso-8859-15", "latin-9", "latin9":
			return charmap.ISO8859_15.NewDecoder().Reader(input), nil
		case "windows-1252", "cp1252":
			return charmap.Windows1252.NewDecoder().Reader(input), nil
		case "iso-8859-1", "latin1":
			return charmap.ISO8859_1.NewDecoder().Reader(input), nil
		}
		return nil, fmt.Errorf("encoding %q is not supported", label)
	}
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if roots == 0 {
				return &position.Error{File: name, Line: 1, Offset: -1, Err: fmt.Errorf("%w: no root element", ErrXML)}
			}
			return nil
		}
		if err != nil {
			line, col := d.InputPos()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				err = errors.New(se.Msg)
			}
			return &position.Error{File: name, Line: int64(line), Column: col, Offset: -1, Err: fmt.Errorf("%w: %v", ErrXML, err)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				line, col := d.InputPos()
				return &position.Error{File: name, Line: int64(line), Column: col, Offset: -1, Err: fmt.Errorf("%w: text outside the root element", ErrXML)}
			}
		}
		if roots > 1 && depth == 1 {
			line, col := d.InputPos()
			return &position.Error{File: name, Line: int64(line), Column: col, Offset: -1, Err: fmt.Errorf("%w: a second root element", ErrXML)}
		}
	}
}
