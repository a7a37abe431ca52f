// Package mask reads infotool mask exports (`infotool maskexport`, .mdl
// files): the record definitions of an Xpressions database, one MASK block per
// record type, and compares two of them ([Diff]) to show what an upgrade must
// carry over by hand, above all the customer's CUSTOM fields.
//
//	; maskexport of server XPR01
//	MASK JOURNAL VERSION 7
//	{
//	    FIELD MSGID        STRING(32)    KEY
//	    FIELD CONTENTTYPE  INT           DEFAULT 0
//	    FIELD X_COSTCENTER STRING(16)    CUSTOM    ; added by the customer
//	}
//
// The language is defined by grammar/Mask.g4. Keywords, mask names and field
// names are case-insensitive; ';' starts a comment outside quoted strings.
// The file may be cp1252, or UTF-8 or UTF-16LE with a BOM, like the data
// exports.
package mask

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/antlr4-go/antlr/v4"

	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/parsers/internal/syntax"
	"github.com/xdm-migrate/xdm/parsers/mask/internal/gen"
	"github.com/xdm-migrate/xdm/position"
)

// File is a parsed mask export.
type File struct {
	Name     string
	Encoding infotool.Encoding
	Masks    []*Mask
}

// Mask is one MASK block: the definition of a record type.
type Mask struct {
	Name    string
	Version int
	Fields  []*Field
	// Line is the line of the MASK keyword.
	Line int
}

// Type is a field type as the mask export spells it, upper case.
type Type string

// The field types.
const (
	String   Type = "STRING"
	Int      Type = "INT"
	DateTime Type = "DATETIME"
	Binary   Type = "BINARY"
	Bool     Type = "BOOL"
)

// Flags are the field flags other than DEFAULT.
type Flags uint8

// The flags.
const (
	Key Flags = 1 << iota
	Index
	Optional
	Custom
)

var flagNames = []struct {
	f    Flags
	name string
}{{Key, "KEY"}, {Index, "INDEX"}, {Optional, "OPTIONAL"}, {Custom, "CUSTOM"}}

// String lists the flags as in the file: "KEY INDEX".
func (f Flags) String() string {
	var parts []string
	for _, n := range flagNames {
		if f&n.f != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, " ")
}

// Field is one FIELD line of a mask.
type Field struct {
	Name string
	Type Type
	// Length is the n of STRING(n) or BINARY(n); 0 when not given.
	Length int
	Flags  Flags
	// Default is the DEFAULT value as written (a number, or a quoted string
	// with its quotes); HasDefault tells an empty default from none.
	Default    string
	HasDefault bool
	// Line and Column locate the FIELD keyword.
	Line, Column int
}

// Custom reports whether the field is customer-specific (flag CUSTOM).
func (f *Field) Custom() bool { return f.Flags&Custom != 0 }

// TypeString returns the type as written in a mask: STRING(32), INT.
func (f *Field) TypeString() string {
	if f.Length > 0 {
		return fmt.Sprintf("%s(%d)", f.Type, f.Length)
	}
	return string(f.Type)
}

// String returns the field as a FIELD line would declare it, without FIELD.
func (f *Field) String() string {
	s := f.Name + " " + f.TypeString()
	if f.Flags != 0 {
		s += " " + f.Flags.String()
	}
	if f.HasDefault {
		s += " DEFAULT " + f.Default
	}
	return s
}

// Mask returns the mask called name (case-insensitive), or nil.
func (f *File) Mask(name string) *Mask {
	for _, m := range f.Masks {
		if strings.EqualFold(m.Name, name) {
			return m
		}
	}
	return nil
}

// Field returns the field called name (case-insensitive), or nil.
func (m *Mask) Field(name string) *Field {
	for _, f := range m.Fields {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// Parse reads a whole mask export (they are small) from r; name is used in
// errors: input that does not fit the format is a *position.Error with
// line and column (in characters), wrapping infotool.ErrSyntax.
func Parse(r io.Reader, name string) (*File, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	enc, bom := infotool.DetectEncoding(data)
	text := string(infotool.DecodeText(withoutEOFMarker(data[bom:], enc), enc))

	var errs syntax.Listener
	lexer := gen.NewMaskLexer(antlr.NewInputStream(text))
	parser := gen.NewMaskParser(antlr.NewCommonTokenStream(lexer, antlr.TokenDefaultChannel))
	errs.Attach(lexer, parser)
	tree := parser.File()
	if errs.Failed {
		return nil, syntaxError(&errs, name)
	}
	b := builder{file: &File{Name: name, Encoding: enc}, name: name}
	for _, m := range tree.AllMask() {
		if err := b.mask(m); err != nil {
			return nil, err
		}
	}
	return b.file, nil
}

// withoutEOFMarker returns text less a DOS end-of-file marker that ends it,
// as the data exports' reader keeps it apart: a single byte 0x1A, in a
// UTF-16LE file also the code unit 1A 00.
func withoutEOFMarker(text []byte, enc infotool.Encoding) []byte {
	n := len(text)
	switch {
	case enc == infotool.UTF16LE && n%2 == 0 && n >= 2 && text[n-2] == 0x1A && text[n-1] == 0:
		return text[:n-2]
	case enc == infotool.UTF16LE && n%2 == 0:
		return text
	case n > 0 && text[n-1] == 0x1A:
		return text[:n-1]
	}
	return text
}

type builder struct {
	file *File
	name string
}

func (b *builder) errorAt(t antlr.Token, expected, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if expected != "" {
		msg += ", expected " + expected
	}
	return &position.Error{File: b.name, Line: int64(t.GetLine()), Column: t.GetColumn() + 1, Offset: -1,
		Err: syntax.Wrap(infotool.ErrSyntax, msg)}
}

func (b *builder) number(n antlr.TerminalNode, min int, what string) (int, error) {
	v, err := strconv.Atoi(n.GetText())
	if err != nil || v < min {
		return 0, b.errorAt(n.GetSymbol(), fmt.Sprintf("a number >= %d", min), "invalid %s %s", what, n.GetText())
	}
	return v, nil
}

func (b *builder) mask(mc gen.IMaskContext) error {
	nameTok := mc.Name().GetStart()
	m := &Mask{Name: nameTok.GetText(), Line: mc.MASK().GetSymbol().GetLine()}
	if prev := b.file.Mask(m.Name); prev != nil {
		return b.errorAt(nameTok, "each mask defined once", "mask %s is defined again (first at line %d)", m.Name, prev.Line)
	}
	var err error
	if m.Version, err = b.number(mc.NUMBER(), 0, "version"); err != nil {
		return err
	}
	for _, fc := range mc.AllField() {
		f, err := b.field(fc)
		if err != nil {
			return err
		}
		if prev := m.Field(f.Name); prev != nil {
			return b.errorAt(fc.Name().GetStart(), "each field defined once per mask",
				"field %s is defined again in mask %s (first at line %d)", f.Name, m.Name, prev.Line)
		}
		m.Fields = append(m.Fields, f)
	}
	b.file.Masks = append(b.file.Masks, m)
	return nil
}

func (b *builder) field(fc gen.IFieldContext) (*Field, error) {
	kw := fc.FIELD().GetSymbol()
	f := &Field{Name: fc.Name().GetStart().GetText(), Line: kw.GetLine(), Column: kw.GetColumn() + 1}
	var err error
	switch t := fc.Type_().(type) {
	case *gen.StringTypeContext:
		f.Type = String
		f.Length, err = b.number(t.NUMBER(), 1, "STRING length")
	case *gen.BinaryTypeContext:
		f.Type = Binary
		if t.NUMBER() != nil {
			f.Length, err = b.number(t.NUMBER(), 1, "BINARY length")
		}
	case *gen.IntTypeContext:
		f.Type = Int
	case *gen.DatetimeTypeContext:
		f.Type = DateTime
	case *gen.BoolTypeContext:
		f.Type = Bool
	}
	if err != nil {
		return nil, err
	}
	for _, fl := range fc.AllFlag() {
		var bit Flags
		switch t := fl.(type) {
		case *gen.KeyFlagContext:
			bit = Key
		case *gen.IndexFlagContext:
			bit = Index
		case *gen.OptionalFlagContext:
			bit = Optional
		case *gen.CustomFlagContext:
			bit = Custom
		case *gen.DefaultFlagContext:
			if f.HasDefault {
				return nil, b.errorAt(t.GetStart(), "each flag once", "DEFAULT given twice for field %s", f.Name)
			}
			f.HasDefault = true
			f.Default = t.GetStop().GetText()
			continue
		}
		if f.Flags&bit != 0 {
			return nil, b.errorAt(fl.GetStart(), "each flag once", "flag %s given twice for field %s", bit, f.Name)
		}
		f.Flags |= bit
	}
	return f, nil
}

var (
	expectedNames = map[int]string{
		gen.MaskLexerMASK:    "MASK",
		gen.MaskLexerIDENT:   "a name",
		gen.MaskLexerVERSION: "VERSION",
		gen.MaskLexerNUMBER:  "a number",
		gen.MaskLexerLBRACE:  "'{'",
		gen.MaskLexerFIELD:   "FIELD",
		gen.MaskLexerRBRACE:  "'}'",
		gen.MaskLexerSTRING:  "a type (STRING(n), INT, DATETIME, BINARY, BINARY(n), BOOL)",
		gen.MaskLexerLPAREN:  "'('",
		gen.MaskLexerRPAREN:  "')'",
		gen.MaskLexerKEY:     "a flag (KEY, INDEX, OPTIONAL, CUSTOM, DEFAULT value)",
		gen.MaskLexerQUOTED:  "a quoted string",
		antlr.TokenEOF:       "the end of the file",
	}
	expectedOrder = []int{gen.MaskLexerMASK, gen.MaskLexerIDENT, gen.MaskLexerVERSION,
		gen.MaskLexerSTRING, gen.MaskLexerLPAREN, gen.MaskLexerNUMBER, gen.MaskLexerQUOTED,
		gen.MaskLexerRPAREN, gen.MaskLexerLBRACE, gen.MaskLexerKEY, gen.MaskLexerFIELD,
		gen.MaskLexerRBRACE, antlr.TokenEOF}
)

func syntaxError(e *syntax.Listener, name string) error {
	var msg string
	switch {
	case e.Token == nil:
		msg = "unexpected input"
	case e.Token.GetTokenType() == antlr.TokenEOF:
		msg = "unexpected end of the file"
	default:
		msg = "unexpected " + syntax.Quote(e.Token.GetText())
	}
	if slices.Contains(e.Expected, gen.MaskLexerIDENT) {
		// A name may be spelled like any keyword, so every keyword is
		// expected too: say what a name is instead of listing them.
		msg += ", expected a name (a letter, then letters, digits and _)"
	} else if expected := syntax.Expected(e.Expected, expectedNames, expectedOrder); expected != "" {
		msg += ", expected " + expected
	}
	// Offsets are unknown: the grammar parses the decoded text.
	return &position.Error{File: name, Line: int64(e.Line), Column: e.Column + 1, Offset: -1,
		Err: syntax.Wrap(infotool.ErrSyntax, msg)}
}
