package atlas

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/position"
)

// ErrNotWellFormed is the cause of every well-formedness error, inside a
// *position.Error naming the line and column.
var ErrNotWellFormed = errors.New("not well-formed XML")

// element is a start tag (or empty-element tag) of the document.
type element struct {
	name       string
	path       []string // names of the ancestors, root first
	start, end int      // the tag's bytes in the text: '<' .. '>' inclusive end exclusive
	attrs      []attr
}

// attr is one attribute with the bytes of its value (between the quotes,
// escapes as written).
type attr struct {
	name                 string
	nameStart            int
	valueStart, valueEnd int
	quote                byte
}

// scanner checks that a document is well-formed XML 1.0 (W3C XML 1.0,
// fifth edition: the document, element, attribute, reference, comment,
// processing-instruction, CDATA and doctype productions) and collects the
// elements. It works on the text as bytes: UTF-8, or an ASCII-compatible
// single-byte encoding; the markup is ASCII either way.
type scanner struct {
	name  string
	text  []byte
	utf8  bool // check UTF-8 and count columns in characters
	pos   int
	stack []string
	elems []element
	dtd   bool // a document type declaration was read: it may declare entities
}

func (s *scanner) errAt(pos int, format string, args ...any) error {
	line, col := s.lineCol(pos)
	return &position.Error{File: s.name, Line: int64(line), Column: col, Offset: int64(pos),
		Err: fmt.Errorf("%w: %s", ErrNotWellFormed, fmt.Sprintf(format, args...))}
}

func (s *scanner) scan() error {
	if err := s.checkChars(); err != nil {
		return err
	}
	t := s.text
	if bytes.HasPrefix(t, []byte("<?xml")) && len(t) > 5 && isSpace(t[5]) {
		end := bytes.Index(t, []byte("?>"))
		if end < 0 {
			return s.errAt(0, "the XML declaration is not closed by \"?>\"")
		}
		s.pos = end + 2
	}
	roots := 0
	for s.pos < len(t) {
		c := t[s.pos]
		switch {
		case isSpace(c):
			s.pos++
		case bytes.HasPrefix(t[s.pos:], []byte("<!--")):
			if err := s.comment(); err != nil {
				return err
			}
		case bytes.HasPrefix(t[s.pos:], []byte("<?")):
			if err := s.pi(); err != nil {
				return err
			}
		case bytes.HasPrefix(t[s.pos:], []byte("<!DOCTYPE")):
			if roots > 0 {
				return s.errAt(s.pos, "a document type declaration after the root element")
			}
			if err := s.doctype(); err != nil {
				return err
			}
		case c == '<':
			if roots > 0 {
				return s.errAt(s.pos, "a second root element; a document has one")
			}
			roots++
			if err := s.element(); err != nil {
				return err
			}
		default:
			return s.errAt(s.pos, "text outside the root element")
		}
	}
	if roots == 0 {
		return s.errAt(len(t), "no root element")
	}
	return nil
}

// checkChars rejects the characters XML 1.0 excludes (control characters
// other than tab, line feed and carriage return) and, in UTF-8, invalid
// byte sequences.
func (s *scanner) checkChars() error {
	for i := 0; i < len(s.text); {
		c := s.text[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return s.errAt(i, "control character 0x%02X is not allowed in XML", c)
		}
		if c < 0x80 || !s.utf8 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(s.text[i:])
		if r == utf8.RuneError && n <= 1 {
			return s.errAt(i, "invalid UTF-8 byte 0x%02X", c)
		}
		if r == 0xFFFE || r == 0xFFFF {
			return s.errAt(i, "character U+%04X is not allowed in XML", r)
		}
		i += n
	}
	return nil
}

func (s *scanner) comment() error {
	start := s.pos
	end := bytes.Index(s.text[s.pos+4:], []byte("--"))
	if end < 0 {
		return s.errAt(start, "the comment is not closed by \"-->\"")
	}
	at := s.pos + 4 + end
	if at+2 >= len(s.text) || s.text[at+2] != '>' {
		return s.errAt(at, "\"--\" inside a comment; a comment ends with \"-->\"")
	}
	s.pos = at + 3
	return nil
}

func (s *scanner) pi() error {
	start := s.pos
	s.pos += 2
	name, ok := s.name_()
	if !ok {
		return s.errAt(s.pos, "a processing instruction needs a target name")
	}
	if len(name) == 3 && (name[0]|0x20) == 'x' && (name[1]|0x20) == 'm' && (name[2]|0x20) == 'l' {
		return s.errAt(start, "an XML declaration is allowed only at the very start of the document")
	}
	end := bytes.Index(s.text[s.pos:], []byte("?>"))
	if end < 0 {
		return s.errAt(start, "the processing instruction is not closed by \"?>\"")
	}
	if end > 0 && !isSpace(s.text[s.pos]) {
		return s.errAt(s.pos, "a space after the processing instruction's target")
	}
	s.pos += end + 2
	return nil
}

func (s *scanner) doctype() error {
	start := s.pos
	var quote byte
	depth := 0
	for i := s.pos + 9; i < len(s.text); i++ {
		c := s.text[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth == 0:
			s.pos = i + 1
			s.dtd = true
			return nil
		}
	}
	return s.errAt(start, "the document type declaration is not closed by \">\"")
}

func (s *scanner) element() error {
	start := s.pos
	s.pos++
	name, ok := s.name_()
	if !ok {
		return s.errAt(s.pos, "an element name after \"<\"")
	}
	el := element{name: name, path: append([]string(nil), s.stack...), start: start}
	seen := map[string]bool{}
	for {
		hadSpace := s.skipSpace()
		if s.pos >= len(s.text) {
			return s.errAt(start, "the start tag <%s is not closed", name)
		}
		c := s.text[s.pos]
		if c == '>' || (c == '/' && s.pos+1 < len(s.text) && s.text[s.pos+1] == '>') {
			empty := c == '/'
			s.pos++
			if empty {
				s.pos++
			}
			el.end = s.pos
			s.elems = append(s.elems, el)
			if empty {
				return nil
			}
			return s.content(name, start)
		}
		if !hadSpace {
			return s.errAt(s.pos, "a space, \">\" or \"/>\" expected in the start tag of <%s>", name)
		}
		a, err := s.attribute()
		if err != nil {
			return err
		}
		if seen[a.name] {
			return s.errAt(a.nameStart, "attribute %s appears twice in <%s>", a.name, name)
		}
		seen[a.name] = true
		el.attrs = append(el.attrs, a)
	}
}

func (s *scanner) attribute() (attr, error) {
	nameStart := s.pos
	name, ok := s.name_()
	if !ok {
		return attr{}, s.errAt(s.pos, "an attribute name, \">\" or \"/>\" expected")
	}
	s.skipSpace()
	if s.pos >= len(s.text) || s.text[s.pos] != '=' {
		return attr{}, s.errAt(s.pos, "\"=\" expected after attribute %s", name)
	}
	s.pos++
	s.skipSpace()
	if s.pos >= len(s.text) || (s.text[s.pos] != '"' && s.text[s.pos] != '\'') {
		return attr{}, s.errAt(s.pos, "a quoted value expected for attribute %s", name)
	}
	q := s.text[s.pos]
	a := attr{name: name, nameStart: nameStart, valueStart: s.pos + 1, quote: q}
	for i := s.pos + 1; i < len(s.text); i++ {
		switch s.text[i] {
		case q:
			a.valueEnd = i
			s.pos = i + 1
			return a, nil
		case '<':
			return attr{}, s.errAt(i, "\"<\" is not allowed in an attribute value (write &lt;)")
		case '&':
			n, err := s.reference(i)
			if err != nil {
				return attr{}, err
			}
			i += n - 1
		}
	}
	return attr{}, s.errAt(a.valueStart-1, "the value of attribute %s is not closed", name)
}

// content reads an element's content up to its end tag.
func (s *scanner) content(name string, start int) error {
	s.stack = append(s.stack, name)
	defer func() { s.stack = s.stack[:len(s.stack)-1] }()
	t := s.text
	for s.pos < len(t) {
		i := bytes.IndexAny(t[s.pos:], "<&]")
		if i < 0 {
			break
		}
		s.pos += i
		switch {
		case t[s.pos] == ']':
			if bytes.HasPrefix(t[s.pos:], []byte("]]>")) {
				return s.errAt(s.pos, "\"]]>\" is not allowed in text")
			}
			s.pos++
		case t[s.pos] == '&':
			n, err := s.reference(s.pos)
			if err != nil {
				return err
			}
			s.pos += n
		case bytes.HasPrefix(t[s.pos:], []byte("</")):
			s.pos += 2
			end, ok := s.name_()
			if !ok || end != name {
				return s.errAt(s.pos-len(end), "</%s> expected to close <%s> of line %d", name, name, s.lineOf(start))
			}
			s.skipSpace()
			if s.pos >= len(t) || t[s.pos] != '>' {
				return s.errAt(s.pos, "\">\" expected to end </%s", name)
			}
			s.pos++
			return nil
		case bytes.HasPrefix(t[s.pos:], []byte("<!--")):
			if err := s.comment(); err != nil {
				return err
			}
		case bytes.HasPrefix(t[s.pos:], []byte("<![CDATA[")):
			end := bytes.Index(t[s.pos:], []byte("]]>"))
			if end < 0 {
				return s.errAt(s.pos, "the CDATA section is not closed by \"]]>\"")
			}
			s.pos += end + 3
		case bytes.HasPrefix(t[s.pos:], []byte("<?")):
			if err := s.pi(); err != nil {
				return err
			}
		default:
			if err := s.element(); err != nil {
				return err
			}
		}
	}
	return s.errAt(start, "<%s> is not closed: </%s> expected before the end of the file", name, name)
}

// reference checks the entity or character reference at i and returns its
// length.
func (s *scanner) reference(i int) (int, error) {
	end := bytes.IndexByte(s.text[i:], ';')
	if end < 0 || end > 64 {
		return 0, s.errAt(i, "\"&\" must start a reference such as &amp; (write &amp; for the character)")
	}
	ref := s.text[i+1 : i+end]
	if len(ref) > 1 && ref[0] == '#' {
		var v uint64
		var err error
		if ref[1] == 'x' {
			v, err = strconv.ParseUint(string(ref[2:]), 16, 32)
		} else {
			v, err = strconv.ParseUint(string(ref[1:]), 10, 32)
		}
		if err != nil || !isXMLChar(rune(v)) {
			return 0, s.errAt(i, "invalid character reference")
		}
		return end + 1, nil
	}
	if !isName(ref) {
		// The reference is not quoted: in a connection string it may be
		// part of a password.
		return 0, s.errAt(i, "invalid entity reference (write & as &amp;)")
	}
	if !s.dtd && !predefinedEntity(string(ref)) {
		// WFC Entity Declared: without a DTD only the five exist.
		return 0, s.errAt(i, "undeclared entity &%s; (without a DTD only &amp; &lt; &gt; &apos; &quot; exist; write & as &amp;)", ref)
	}
	return end + 1, nil
}

func predefinedEntity(name string) bool {
	switch name {
	case "amp", "lt", "gt", "apos", "quot":
		return true
	}
	return false
}

func isXMLChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// name_ reads an XML Name at the current position.
func (s *scanner) name_() (string, bool) {
	start := s.pos
	for s.pos < len(s.text) && isNameByte(s.text[s.pos], s.pos == start) {
		s.pos++
	}
	return string(s.text[start:s.pos]), s.pos > start
}

// isNameByte accepts the ASCII name characters of XML 1.0 and every
// non-ASCII byte (the non-ASCII name characters are not told apart).
func isNameByte(c byte, first bool) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == ':', c >= 0x80:
		return true
	case c >= '0' && c <= '9', c == '-', c == '.':
		return !first
	}
	return false
}

func isName(b []byte) bool {
	for i, c := range b {
		if !isNameByte(c, i == 0) {
			return false
		}
	}
	return len(b) > 0
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (s *scanner) skipSpace() bool {
	start := s.pos
	for s.pos < len(s.text) && isSpace(s.text[s.pos]) {
		s.pos++
	}
	return s.pos > start
}

func (s *scanner) lineOf(pos int) int { l, _ := s.lineCol(pos); return l }

func (s *scanner) lineCol(pos int) (int, int) {
	line := bytes.Count(s.text[:pos], []byte{'\n'}) + 1
	lineStart := bytes.LastIndexByte(s.text[:pos], '\n') + 1
	if s.utf8 {
		return line, utf8.RuneCount(s.text[lineStart:pos]) + 1
	}
	return line, pos - lineStart + 1
}
