// Package atlas reads and edits the <databases> section of XPhone Connect's
// atlas.xml, the server configuration the XPhone guide has the administrator
// edit by hand twice: when moving to an external SQL Server (every database
// must point to the external server, with useLogin="Windows") and after the
// SQL Server Express update, where every Data Source=(local)\XPCONNECT becomes
// (local)\XPCONNECT2019.
//
// Edits are byte-preserving: only the attribute values that change are
// rewritten; the encoding, a byte order mark, the XML declaration,
// indentation, line ends, comments and every other attribute stay as they
// are. A file that is not well-formed XML 1.0 is refused with its line and
// column. Connection strings are parsed (Data Source, Initial Catalog,
// Integrated Security, User ID, Password and their synonyms); a password
// never leaves the package except masked.
//
// The layout of atlas.xml is not published by C4B. xdm takes as a database
// every element below a <databases> element that has a connectionString
// attribute; its name is its name (or id, or key) attribute, else its
// element name; its login mode is its useLogin attribute. See
// docs/xphone-atlas.md for what is inferred.
package atlas

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/xdm-migrate/xdm/position"
)

// MaxSize is the largest atlas.xml Parse reads (a real one is a few KiB).
const MaxSize = 16 << 20

// Errors (each wrapped in a *position.Error when it has a place).
var (
	ErrTooLarge    = fmt.Errorf("the file is larger than %d bytes: not an atlas.xml", MaxSize)
	ErrEncoding    = errors.New("unsupported encoding")
	ErrNoDatabases = errors.New("no database with a connectionString attribute below a <databases> element")
	// ErrNoMatch is returned by Apply when no database matches the edit
	// (an --instance that no Data Source names, a database name that is
	// not there).
	ErrNoMatch = errors.New("no database matches")
)

// File is a parsed atlas.xml.
type File struct {
	name  string
	enc   string // "utf-8", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1"
	bom   []byte
	text  []byte // the document without BOM; UTF-16 decoded to UTF-8
	elems []element
}

// Database is one entry of the <databases> section.
type Database struct {
	Name string `json:"name"`
	// Element is the element's name, Line and Column where its tag starts.
	Element string `json:"element"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	// ConnectionString is the parsed connectionString attribute.
	ConnectionString ConnectionString `json:"-"`
	// UseLogin is the useLogin attribute ("" when there is none).
	UseLogin string `json:"use_login,omitempty"`
	// Err is set when the connection string cannot be read.
	Err error `json:"-"`

	el *element
}

// Parse reads an atlas.xml; name is used in errors.
func Parse(data []byte, name string) (*File, error) {
	if len(data) > MaxSize {
		return nil, &position.Error{File: name, Offset: -1, Err: ErrTooLarge}
	}
	f := &File{name: name}
	if err := f.decode(data); err != nil {
		return nil, err
	}
	s := &scanner{name: name, text: f.text, utf8: f.enc == "utf-8" || strings.HasPrefix(f.enc, "utf-16")}
	if err := s.scan(); err != nil {
		return nil, err
	}
	f.elems = s.elems
	return f, nil
}

// decode finds the encoding (byte order mark, else the XML declaration,
// else UTF-8: XML 1.0, 4.3.3 and appendix F) and sets f.text.
func (f *File) decode(data []byte) error {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		f.enc, f.bom, f.text = "utf-8", data[:3], data[3:]
		return nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order, enc := unicode.LittleEndian, "utf-16le"
		if data[0] == 0xFE {
			order, enc = unicode.BigEndian, "utf-16be"
		}
		codec := unicode.UTF16(order, unicode.IgnoreBOM)
		text, err := codec.NewDecoder().Bytes(data[2:])
		if err == nil {
			var back []byte
			back, err = codec.NewEncoder().Bytes(text)
			if err == nil && !bytes.Equal(back, data[2:]) {
				err = errors.New("the file is not valid UTF-16: it would not be written back as it is")
			}
		}
		if err != nil {
			return &position.Error{File: f.name, Offset: -1, Err: fmt.Errorf("%w: %v", ErrEncoding, err)}
		}
		f.enc, f.bom, f.text = enc, data[:2], text
		return nil
	}
	f.text, f.enc = data, "utf-8"
	switch label := declaredEncoding(data); label {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
	case "windows-1252", "cp1252", "iso-8859-1", "latin1", "iso-8859-15":
		f.enc = label
	default:
		return &position.Error{File: f.name, Line: 1, Offset: -1, Err: fmt.Errorf("%w %q (xdm reads UTF-8, UTF-16 with a byte order mark, windows-1252 and ISO-8859-1)", ErrEncoding, label)}
	}
	return nil
}

// declaredEncoding returns the lower-case encoding name of the XML
// declaration at the start of data, or "".
func declaredEncoding(data []byte) string {
	if !bytes.HasPrefix(data, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := data[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+8:], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) < 2 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	j := bytes.IndexByte(rest[1:], rest[0])
	if j < 0 {
		return ""
	}
	return strings.ToLower(string(rest[1 : 1+j]))
}

// Encoding names the file's encoding.
func (f *File) Encoding() string { return f.enc }

// BOM reports whether the file starts with a byte order mark.
func (f *File) BOM() bool { return len(f.bom) > 0 }

// Databases returns the entries of the <databases> section, in file order.
func (f *File) Databases() []Database {
	var out []Database
	for i := range f.elems {
		el := &f.elems[i]
		if !slices.ContainsFunc(el.path, func(n string) bool { return strings.EqualFold(localName(n), "databases") }) {
			continue
		}
		cs, ok := f.attr(el, "connectionString")
		if !ok {
			continue
		}
		d := Database{Name: el.name, Element: el.name, el: el}
		for _, key := range []string{"name", "id", "key"} {
			if v, ok := f.attr(el, key); ok {
				d.Name = v
				break
			}
		}
		d.UseLogin, _ = f.attr(el, "useLogin")
		d.ConnectionString, d.Err = ParseConnectionString(cs)
		s := &scanner{text: f.text, utf8: f.enc == "utf-8" || strings.HasPrefix(f.enc, "utf-16")}
		d.Line, d.Column = s.lineCol(el.start)
		out = append(out, d)
	}
	return out
}

// localName strips a namespace prefix.
func localName(n string) string {
	if i := strings.LastIndexByte(n, ':'); i >= 0 {
		return n[i+1:]
	}
	return n
}

// findAttr returns the attribute name (case-insensitive) of el.
func findAttr(el *element, name string) (*attr, bool) {
	for i := range el.attrs {
		if strings.EqualFold(el.attrs[i].name, name) {
			return &el.attrs[i], true
		}
	}
	return nil, false
}

// attr returns an attribute's value, references resolved, in UTF-8.
func (f *File) attr(el *element, name string) (string, bool) {
	a, ok := findAttr(el, name)
	if !ok {
		return "", false
	}
	v, _ := f.unescape(f.text[a.valueStart:a.valueEnd])
	return string(v), true
}

// singleByte returns the decoder of a single-byte file's encoding, or nil.
func (f *File) singleByte() *charmap.Charmap {
	switch f.enc {
	case "windows-1252", "cp1252":
		return charmap.Windows1252
	case "iso-8859-1", "latin1":
		return charmap.ISO8859_1
	case "iso-8859-15":
		return charmap.ISO8859_15
	}
	return nil
}

// unescape returns an attribute value as a reader sees it (W3C XML 1.0,
// 3.3.3 attribute-value normalization, for an attribute without a declared
// type): references resolved, a tab, line feed, carriage return or CR LF
// written as such read as one space, in UTF-8. For each byte of the
// result it returns the offset in raw where it comes from, plus one entry
// for the end.
func (f *File) unescape(raw []byte) ([]byte, []int) {
	cm := f.singleByte()
	out := make([]byte, 0, len(raw))
	offs := make([]int, 0, len(raw)+1)
	for i := 0; i < len(raw); {
		if c := raw[i]; c == '\t' || c == '\n' || c == '\r' {
			out, offs = append(out, ' '), append(offs, i)
			i++
			if c == '\r' && i < len(raw) && raw[i] == '\n' {
				i++ // end-of-line handling made CR LF one line feed
			}
			continue
		}
		if raw[i] == '&' {
			if end := bytes.IndexByte(raw[i:], ';'); end > 0 {
				if r, ok := resolve(string(raw[i+1 : i+end])); ok {
					for range r {
						offs = append(offs, i)
					}
					out = append(out, r...)
					i += end + 1
					continue
				}
			}
		}
		if cm != nil && raw[i] >= 0x80 {
			r := string(cm.DecodeByte(raw[i]))
			for range r {
				offs = append(offs, i)
			}
			out = append(out, r...)
		} else {
			out = append(out, raw[i])
			offs = append(offs, i)
		}
		i++
	}
	return out, append(offs, len(raw))
}

func resolve(ref string) (string, bool) {
	switch ref {
	case "amp":
		return "&", true
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "quot":
		return `"`, true
	case "apos":
		return "'", true
	}
	var r rune
	var err error
	switch {
	case strings.HasPrefix(ref, "#x"):
		_, err = fmt.Sscanf(ref[2:], "%x", &r)
	case strings.HasPrefix(ref, "#"):
		_, err = fmt.Sscanf(ref[1:], "%d", &r)
	default:
		return "", false
	}
	if err != nil {
		return "", false
	}
	return string(r), true
}
