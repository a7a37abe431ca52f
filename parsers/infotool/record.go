package infotool

import (
	"errors"
	"strings"
)

// Record is one record of a data export: a header line [TYPE] or [TYPE:KEY]
// and everything up to the next header.
type Record struct {
	// Type is the record type as written in the header (JOURNAL, USER, ...).
	Type string
	// Key is the text after ':' in [TYPE:KEY], decoded to UTF-8.
	Key string
	// HasKey reports whether the header had a ':' (Key may still be empty).
	HasKey bool
	// Fields are the NAME=VALUE lines in file order; a name may repeat.
	Fields []Field
	// Raw is the record's bytes exactly as in the file, in the file's
	// encoding: the header line and every line up to the next header,
	// including blank and comment lines and all line terminators.
	Raw []byte
	// Line is the 1-based line number of the header.
	Line int
	// Offset is the byte offset of Raw[0] in the file (a BOM counts).
	Offset int64
}

// Field is one NAME=VALUE line.
type Field struct {
	// Name is the field name as written; compare names with strings.EqualFold.
	Name string
	// Raw is the value exactly as in the file: the bytes after the first '='
	// up to, not including, the line terminator, in the file's encoding.
	Raw []byte
	// Value is the decoded value: escapes resolved and the text converted to
	// UTF-8. For a binary field it is the bytes the hex digits spell.
	Value []byte
	// Binary reports a value of the form 0x<hex digits>.
	Binary bool
	// Line and Column (1-based) locate the field name in the file.
	Line, Column int
}

// Field returns the first field called name (case-insensitive).
func (r *Record) Field(name string) (*Field, bool) {
	for i := range r.Fields {
		if strings.EqualFold(r.Fields[i].Name, name) {
			return &r.Fields[i], true
		}
	}
	return nil, false
}

// Values returns the decoded values of every field called name
// (case-insensitive), in file order: the values of a multi-valued field.
func (r *Record) Values(name string) [][]byte {
	var vs [][]byte
	for i := range r.Fields {
		if strings.EqualFold(r.Fields[i].Name, name) {
			vs = append(vs, r.Fields[i].Value)
		}
	}
	return vs
}

// Errors wrapped by the *position.Error that the readers and parsers return
// for input that does not fit the format; test with errors.Is. The error's
// message says what was found and what was expected, e.g. `unexpected "?",
// expected '=' after the field name`; its Column counts characters (code
// units for UTF-16LE).
var (
	// ErrSyntax: the input does not fit the grammar at Line:Column.
	ErrSyntax = errors.New("syntax error")
	// ErrEscape: a backslash in a value starts no valid escape.
	ErrEscape = errors.New("invalid escape")
	// ErrBinary: a binary value 0x... has an odd number of hex digits.
	ErrBinary = errors.New("invalid binary value")
)
