package infotool

import (
	"bytes"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"

	"github.com/xdm-migrate/xdm/parsers/infotool/internal/gen"
	"github.com/xdm-migrate/xdm/parsers/internal/syntax"
)

// recordParser is a lexer, token stream and parser generated from
// grammar/Infotool.g4, reused from record to record (creating them costs more
// than parsing a small record). Each owns its ATN and DFA cache: with the
// runtime's shared ones, every character lexed takes a lock common to all
// goroutines, and parsing on two workers was no faster than on one.
type recordParser struct {
	stream unitStream
	lexer  *gen.InfotoolLexer
	tokens *antlr.CommonTokenStream
	parser *gen.Infotool
	errs   syntax.Listener
}

// parserPool keeps warm parsers: a parser's private DFA is built up while it
// parses, so unlike a sync.Pool, whose items the garbage collector drops, the
// pool keeps up to maxIdleParsers of them for good.
var parserPool = idleParsers{}

const maxIdleParsers = 64

type idleParsers struct {
	mu   sync.Mutex
	idle []*recordParser
}

func (p *idleParsers) Get() *recordParser {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		rp := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return rp
	}
	return newRecordParser()
}

func (p *idleParsers) Put(rp *recordParser) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) < maxIdleParsers {
		p.idle = append(p.idle, rp)
	}
}

func newRecordParser() *recordParser {
	p := &recordParser{}
	p.lexer = gen.NewInfotoolLexer(&p.stream)
	p.lexer.UsePrivateATN()
	p.tokens = antlr.NewCommonTokenStream(p.lexer, antlr.TokenDefaultChannel)
	p.parser = gen.NewInfotool(p.tokens)
	p.parser.UsePrivateATN()
	// The grammar is LL(1) but for a few lines; SLL prediction is exact for it
	// and skips the full-context retry.
	p.parser.GetInterpreter().SetPredictionMode(antlr.PredictionModeSLL)
	p.errs.Attach(p.lexer, p.parser)
	return p
}

func (p *recordParser) reset(data []byte, enc Encoding, name string) {
	p.stream.reset(data, enc.unitWidth(), name)
	p.lexer.SetInputStream(&p.stream)
	p.tokens.SetTokenSource(p.lexer)
	p.parser.SetInputStream(p.tokens)
	p.errs.Reset()
}

// ParseRecord parses one record's bytes raw (in encoding enc: a header line
// and every line up to the next header, as [Record.Raw] holds them) with the
// grammar. name and line (the header's 1-based line number) place errors in
// the file. The returned Record's Offset is 0. ParseRecord may be called from
// several goroutines at once.
func ParseRecord(raw []byte, enc Encoding, name string, line int) (*Record, error) {
	return parseRecord(raw, enc, name, line, 0)
}

// ValidateRecord checks one record's bytes against the grammar as
// ParseRecord does, and returns the same error, but builds no Record: field
// values are not decoded (a binary BODY of megabytes is only checked, not
// turned into bytes), so checking a file costs less time and memory.
func ValidateRecord(raw []byte, enc Encoding, name string, line int) error {
	_, err := parse(raw, enc, name, line, 0, false)
	return err
}

func parseRecord(raw []byte, enc Encoding, name string, line int, offset int64) (*Record, error) {
	return parse(raw, enc, name, line, offset, true)
}

// parse parses a record; with decode false it checks the values without
// decoding them, and the Record it returns has no Value in its fields.
func parse(raw []byte, enc Encoding, name string, line int, offset int64, decode bool) (*Record, error) {
	if err := checkUnits(raw, enc, name, line); err != nil {
		return nil, err
	}
	p := parserPool.Get()
	defer parserPool.Put(p)
	p.reset(raw, enc, name)
	// Checking needs no tree: building one took a fifth of the allocations.
	p.parser.BuildParseTrees = decode
	tree := p.parser.SingleRecord()
	if p.errs.Failed {
		return nil, p.syntaxError(raw, enc, name, line, "")
	}
	if !decode {
		if err := p.checkBinaryTokens(name, line); err != nil {
			return nil, err
		}
		return nil, nil
	}
	rec := &Record{Raw: raw, Line: line, Offset: offset}
	return rec, p.build(rec, tree.Record(), enc, name, decode)
}

// checkUnits rejects a UTF-16LE record with an odd number of bytes: its last
// code unit is cut.
func checkUnits(raw []byte, enc Encoding, name string, line int) error {
	if enc != UTF16LE || len(raw)%2 == 0 {
		return nil
	}
	lines := countLines(raw[:len(raw)-1], enc)
	last := raw[:len(raw)-1]
	if i := lastLineStart(last, enc); i > 0 {
		last = last[i:]
	}
	return &ParseError{File: name, Line: line + lines, Column: len(last)/2 + 1,
		Err:      syntax.Wrap(ErrSyntax, "incomplete UTF-16 code unit at the end of the file"),
		Expected: "an even number of bytes in a UTF-16LE file"}
}

// checkPreamble parses the lines before the first header with the grammar's
// preamble rule: only blank and comment lines may stand there.
func checkPreamble(raw []byte, enc Encoding, name string) error {
	if err := checkUnits(raw, enc, name, 1); err != nil {
		return err
	}
	p := parserPool.Get()
	defer parserPool.Put(p)
	p.reset(raw, enc, name)
	p.parser.Preamble()
	if p.errs.Failed {
		return p.syntaxError(raw, enc, name, 1,
			"a record header [TYPE] or [TYPE:KEY], a comment line or a blank line")
	}
	return nil
}

// build fills rec from the parse tree.
func (p *recordParser) build(rec *Record, tree gen.IRecordContext, enc Encoding, name string, decode bool) error {
	h := tree.Header()
	rec.Type = string(DecodeText(p.tokenBytes(h.TYPE().GetSymbol()), enc))
	if h.COLON() != nil {
		rec.HasKey = true
		if k := h.KEYTEXT(); k != nil {
			rec.Key = string(DecodeText(p.tokenBytes(k.GetSymbol()), enc))
		}
	}
	lines := tree.AllLine()
	for _, l := range lines {
		if l.Field() != nil {
			rec.Fields = make([]Field, 0, len(lines))
			break
		}
	}
	for _, l := range lines {
		f := l.Field()
		if f == nil {
			continue
		}
		nameTok := f.NAME().GetSymbol()
		fld := Field{
			Name:   string(DecodeText(p.tokenBytes(nameTok), enc)),
			Line:   rec.Line + nameTok.GetLine() - 1,
			Column: nameTok.GetColumn() + 1,
		}
		if err := p.value(&fld, f, enc, decode); err != nil {
			err.File, err.Line = name, fld.Line
			return err
		}
		rec.Fields = append(rec.Fields, fld)
	}
	return nil
}

// value sets the Raw, Value and Binary of a field from its value tokens;
// with decode false it leaves Value nil and only checks what decoding checks.
func (p *recordParser) value(fld *Field, f gen.IFieldContext, enc Encoding, decode bool) *ParseError {
	eq := f.EQ().GetSymbol()
	w := enc.unitWidth()
	children := f.Value().GetChildren()
	if len(children) == 0 {
		at := (eq.GetStop() + 1) * w
		fld.Raw = p.stream.data[at:at]
		fld.Value = fld.Raw
		return nil
	}
	first := children[0].(antlr.TerminalNode).GetSymbol()
	last := children[len(children)-1].(antlr.TerminalNode).GetSymbol()
	fld.Raw = p.stream.bytes(first.GetStart(), last.GetStop())

	if len(children) == 1 {
		switch first.GetTokenType() {
		case gen.InfotoolLexerBINARY:
			digits := fld.Raw[2*w:]
			if err := checkBinaryDigits(first, len(digits)/w); err != nil {
				return err
			}
			fld.Binary = true
			if decode {
				fld.Value = decodeHex(digits, w)
			}
			return nil
		case gen.InfotoolLexerTEXT:
			if decode {
				fld.Value = DecodeText(fld.Raw, enc)
			}
			return nil
		}
	}
	if !decode {
		return nil
	}
	// Escapes: resolve them in the file's encoding, then decode the text.
	buf := make([]byte, 0, len(fld.Raw))
	for _, c := range children {
		t := c.(antlr.TerminalNode).GetSymbol()
		b := p.tokenBytes(t)
		if t.GetTokenType() != gen.InfotoolLexerESCAPE {
			buf = append(buf, b...)
			continue
		}
		u := unescape(b, w)
		if w == 2 {
			buf = append(buf, u, 0)
		} else {
			buf = append(buf, u)
		}
	}
	fld.Value = DecodeText(buf, enc)
	return nil
}

// unescape decodes one ESCAPE token (\\ \n \r \t \xHH) of units of width w.
func unescape(b []byte, w int) byte {
	switch b[w] {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'x':
		return hexByte(b[2*w], b[3*w])
	}
	return '\\'
}

func decodeHex(digits []byte, w int) []byte {
	out := make([]byte, len(digits)/w/2)
	for i := range out {
		out[i] = hexByte(digits[2*i*w], digits[(2*i+1)*w])
	}
	return out
}

func hexByte(hi, lo byte) byte { return hexNibble(hi)<<4 | hexNibble(lo) }

func hexNibble(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

func (p *recordParser) tokenBytes(t antlr.Token) []byte {
	return p.stream.bytes(t.GetStart(), t.GetStop())
}

// expectedNames words the tokens the parser can expect.
var (
	expectedNames = map[int]string{
		gen.InfotoolLexerNAME:    "a field line NAME=VALUE (the name starts with a letter), a comment line or a blank line",
		gen.InfotoolLexerLBRACK:  "a record header [TYPE] or [TYPE:KEY]",
		gen.InfotoolLexerTYPE:    "a record type (letters, digits and '_')",
		gen.InfotoolLexerKEYTEXT: "a key",
		gen.InfotoolLexerCOLON:   "':'",
		gen.InfotoolLexerRBRACK:  "']'",
		gen.InfotoolLexerEQ:      "'=' after the field name",
		gen.InfotoolLexerSEMI:    "a comment",
		gen.InfotoolLexerNL:      "the end of the line",
		antlr.TokenEOF:           "the end of the line",
	}
	expectedOrder = []int{gen.InfotoolLexerNAME, gen.InfotoolLexerLBRACK, gen.InfotoolLexerTYPE,
		gen.InfotoolLexerKEYTEXT, gen.InfotoolLexerCOLON, gen.InfotoolLexerRBRACK,
		gen.InfotoolLexerEQ, gen.InfotoolLexerSEMI, gen.InfotoolLexerNL, antlr.TokenEOF}
)

// syntaxError turns the listener's first error into a ParseError. expected,
// if set, replaces the wording derived from the grammar.
func (p *recordParser) syntaxError(raw []byte, enc Encoding, name string, line int, expected string) *ParseError {
	e := &p.errs
	pe := &ParseError{File: name, Line: line + e.Line - 1, Column: e.Column + 1}
	if expected == "" {
		if syntax.Contains(e.Expected, gen.InfotoolLexerNAME) {
			expected = expectedNames[gen.InfotoolLexerNAME]
		} else {
			expected = syntax.Expected(e.Expected, expectedNames, expectedOrder)
		}
	}
	pe.Expected = expected
	t := e.Token
	if t == nil {
		pe.Err = syntax.Wrap(ErrSyntax, "unexpected input")
		return pe
	}
	pe.Line = line + t.GetLine() - 1
	pe.Column = column(raw, enc, t.GetStart(), t.GetColumn())
	switch t.GetTokenType() {
	case antlr.TokenEOF:
		pe.Err = syntax.Wrap(ErrSyntax, "unexpected end of input")
	case gen.InfotoolLexerNL:
		pe.Err = syntax.Wrap(ErrSyntax, "unexpected end of the line")
	case gen.InfotoolLexerBAD_ESCAPE:
		seq := p.stream.GetText(t.GetStart(), t.GetStart()+1)
		pe.Err = syntax.Wrap(ErrEscape, "invalid escape "+seq)
		pe.Expected = `\\, \n, \r, \t or \xHH (two hex digits) after the backslash`
	default:
		pe.Err = syntax.Wrap(ErrSyntax, "unexpected "+syntax.Quote(p.stream.GetText(t.GetStart(), t.GetStop())))
	}
	return pe
}

// column converts a 0-based unit column into a 1-based character column: the
// same for cp1252 and UTF-16LE, runes for UTF-8.
func column(raw []byte, enc Encoding, start, unitCol int) int {
	if enc != UTF8 || start < unitCol || start > len(raw) {
		return unitCol + 1
	}
	return utf8.RuneCount(raw[start-unitCol:start]) + 1
}

// countLines counts the line ends (LF units) in b.
func countLines(b []byte, enc Encoding) int {
	if enc != UTF16LE {
		return bytes.Count(b, []byte{'\n'})
	}
	n := 0
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == '\n' && b[i+1] == 0 {
			n++
		}
	}
	return n
}

// lastLineStart returns the offset where the last line of b starts.
func lastLineStart(b []byte, enc Encoding) int {
	if enc != UTF16LE {
		return bytes.LastIndexByte(b, '\n') + 1
	}
	for i := len(b) &^ 1; i >= 2; i -= 2 {
		if b[i-2] == '\n' && b[i-1] == 0 {
			return i
		}
	}
	return 0
}

// checkBinaryDigits rejects the BINARY token tok, the whole value of a
// field, when its n hex digits spell no whole bytes. The error has the
// token's column; the caller places it in the file.
func checkBinaryDigits(tok antlr.Token, n int) *ParseError {
	if n%2 == 0 {
		return nil
	}
	return &ParseError{Column: tok.GetColumn() + 1,
		Err:      syntax.Wrap(ErrBinary, fmt.Sprintf("binary value with %d hex digits", n)),
		Expected: "an even number of hex digits after 0x"}
}

// checkBinaryTokens makes without a parse tree the one check that value
// makes of a tree: a BINARY token that is a field's whole value (right after
// the '=' and before the line's end) must have an even number of hex digits.
// Token positions count code units, as value's digit count does.
func (p *recordParser) checkBinaryTokens(name string, line int) *ParseError {
	toks := p.tokens.GetAllTokens()
	for i := 1; i+1 < len(toks); i++ {
		t := toks[i]
		if t.GetTokenType() != gen.InfotoolLexerBINARY || toks[i-1].GetTokenType() != gen.InfotoolLexerEQ {
			continue
		}
		if next := toks[i+1].GetTokenType(); next != gen.InfotoolLexerNL && next != antlr.TokenEOF {
			continue
		}
		if err := checkBinaryDigits(t, t.GetStop()-t.GetStart()+1-2); err != nil {
			err.File, err.Line = name, line+t.GetLine()-1
			return err
		}
	}
	return nil
}
