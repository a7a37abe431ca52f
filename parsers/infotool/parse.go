package infotool

import (
	"bytes"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/parsers/infotool/internal/gen"
	"github.com/xdm-migrate/xdm/parsers/internal/syntax"
	"github.com/xdm-migrate/xdm/position"
)

// recordParser is a lexer, token stream and parser generated from
// grammar/Infotool.g4, reused from record to record (creating them costs more
// than parsing a small record). Each owns its ATN and DFA cache: with the
// runtime's shared ones, every character lexed takes a lock common to all
// goroutines, and parsing on two workers was no faster than on one.
type recordParser struct {
	stream syntax.Units
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
	p.stream.Reset(data, enc.unitWidth(), name)
	p.lexer.SetInputStream(&p.stream)
	p.tokens.SetTokenSource(p.lexer)
	p.parser.SetInputStream(p.tokens)
	p.errs.Reset()
}

// ParseRecord parses one record's bytes raw (in encoding enc: a header line
// and every line up to the next header, as [Record.Raw] holds them) with the
// grammar. name and line (the header's 1-based line number) place errors in
// the file; an error's Offset counts from raw[0], and the returned Record's
// Offset is 0. Input that does not fit is a *position.Error wrapping
// ErrSyntax, ErrEscape or ErrBinary. ParseRecord may be called from several
// goroutines at once.
func ParseRecord(raw []byte, enc Encoding, name string, line int) (*Record, error) {
	return parseRecord(raw, enc, name, line, 0)
}

// ValidateRecord checks one record's bytes against the grammar as
// ParseRecord does, and returns the same error, but builds no Record: field
// values are not decoded (a binary BODY of megabytes is only checked, not
// turned into bytes), so checking a file costs less time and memory.
func ValidateRecord(raw []byte, enc Encoding, name string, line int) error {
	_, err := parse(raw, enc, name, line, 0, checkOnly)
	return err
}

// parseMode is how much of a record parse builds.
type parseMode uint8

const (
	checkOnly  parseMode = iota // no Record: ValidateRecord
	headerOnly                  // a Record without Fields: Walk with SkipFields
	full                        // every field decoded
)

func parseRecord(raw []byte, enc Encoding, name string, line int, offset int64) (*Record, error) {
	return parse(raw, enc, name, line, offset, full)
}

// place is where a piece of input starts in its file: the name, the 1-based
// line and the byte offset.
type place struct {
	name   string
	line   int
	offset int64
	w      int // code unit width
}

// at returns an error at line (of the file) and 1-based column col, unit
// index unit of the piece, wrapping sentinel with msg.
func (pl place) at(line, col, unit int, sentinel error, msg string) *position.Error {
	return &position.Error{File: pl.name, Line: int64(line), Column: col,
		Offset: pl.offset + int64(unit*pl.w), Err: syntax.Wrap(sentinel, msg)}
}

// parse parses a record. Without the full mode it checks the values
// without a parse tree and without decoding them.
func parse(raw []byte, enc Encoding, name string, line int, offset int64, mode parseMode) (*Record, error) {
	pl := place{name: name, line: line, offset: offset, w: enc.unitWidth()}
	if err := checkUnits(raw, enc, pl); err != nil {
		return nil, err
	}
	p := parserPool.Get()
	defer parserPool.Put(p)
	p.reset(raw, enc, name)
	// Checking needs no tree: building one took a fifth of the allocations.
	p.parser.BuildParseTrees = mode == full
	tree := p.parser.SingleRecord()
	if p.errs.Failed {
		return nil, p.syntaxError(raw, enc, pl, "")
	}
	if mode != full {
		if err := p.checkBinaryTokens(pl); err != nil {
			return nil, err
		}
		if mode == checkOnly {
			return nil, nil
		}
	}
	rec := &Record{Raw: raw, Line: line, Offset: offset}
	if mode == headerOnly {
		p.headerFromTokens(rec, enc)
		return rec, nil
	}
	if err := p.build(rec, tree.Record(), enc, pl); err != nil {
		return rec, err
	}
	return rec, nil
}

// headerFromTokens sets the record's Type, Key and HasKey from the tokens of
// its header line, without a parse tree.
func (p *recordParser) headerFromTokens(rec *Record, enc Encoding) {
	for _, t := range p.tokens.GetAllTokens() {
		switch t.GetTokenType() {
		case gen.InfotoolLexerTYPE:
			rec.Type = string(DecodeText(p.tokenBytes(t), enc))
		case gen.InfotoolLexerCOLON:
			rec.HasKey = true
		case gen.InfotoolLexerKEYTEXT:
			rec.Key = string(DecodeText(p.tokenBytes(t), enc))
		case gen.InfotoolLexerRBRACK, gen.InfotoolLexerNL:
			return
		}
	}
}

// checkUnits rejects a UTF-16LE record with an odd number of bytes: its last
// code unit is cut.
func checkUnits(raw []byte, enc Encoding, pl place) error {
	if enc != UTF16LE || len(raw)%2 == 0 {
		return nil
	}
	lines := countLines(raw[:len(raw)-1], enc)
	last := raw[:len(raw)-1]
	if i := lastLineStart(last, enc); i > 0 {
		last = last[i:]
	}
	pe := pl.at(pl.line+lines, len(last)/2+1, 0, ErrSyntax,
		"incomplete UTF-16 code unit at the end of the file, expected an even number of bytes in a UTF-16LE file")
	pe.Offset = pl.offset + int64(len(raw)-1)
	return pe
}

// checkPreamble parses the lines before the first header (which start at
// byte offset, after the BOM) with the grammar's preamble rule: only blank
// and comment lines may stand there.
func checkPreamble(raw []byte, enc Encoding, name string, offset int64) error {
	pl := place{name: name, line: 1, offset: offset, w: enc.unitWidth()}
	if err := checkUnits(raw, enc, pl); err != nil {
		return err
	}
	p := parserPool.Get()
	defer parserPool.Put(p)
	p.reset(raw, enc, name)
	p.parser.Preamble()
	if p.errs.Failed {
		return p.syntaxError(raw, enc, pl,
			"a record header [TYPE] or [TYPE:KEY], a comment line or a blank line")
	}
	return nil
}

// build fills rec from the parse tree.
func (p *recordParser) build(rec *Record, tree gen.IRecordContext, enc Encoding, pl place) error {
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
		if err := p.value(&fld, f, enc, pl); err != nil {
			return err
		}
		rec.Fields = append(rec.Fields, fld)
	}
	return nil
}

// value sets the Raw, Value and Binary of a field from its value tokens.
func (p *recordParser) value(fld *Field, f gen.IFieldContext, enc Encoding, pl place) *position.Error {
	eq := f.EQ().GetSymbol()
	w := enc.unitWidth()
	children := f.Value().GetChildren()
	if len(children) == 0 {
		// An empty value: an empty slice of the record, just after the '='.
		eqBytes := p.stream.Bytes(eq.GetStart(), eq.GetStop())
		fld.Raw = eqBytes[len(eqBytes):]
		fld.Value = fld.Raw
		return nil
	}
	first := children[0].(antlr.TerminalNode).GetSymbol()
	last := children[len(children)-1].(antlr.TerminalNode).GetSymbol()
	fld.Raw = p.stream.Bytes(first.GetStart(), last.GetStop())

	if len(children) == 1 {
		switch first.GetTokenType() {
		case gen.InfotoolLexerBINARY:
			digits := fld.Raw[2*w:]
			if err := checkBinaryDigits(first, len(digits)/w, pl); err != nil {
				return err
			}
			fld.Binary = true
			fld.Value = decodeHex(digits, w)
			return nil
		case gen.InfotoolLexerTEXT:
			fld.Value = DecodeText(fld.Raw, enc)
			return nil
		}
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
	return p.stream.Bytes(t.GetStart(), t.GetStop())
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

// syntaxError turns the listener's first error into a *position.Error.
// expected, if set, replaces the wording derived from the grammar.
func (p *recordParser) syntaxError(raw []byte, enc Encoding, pl place, expected string) *position.Error {
	e := &p.errs
	if expected == "" {
		if syntax.Contains(e.Expected, gen.InfotoolLexerNAME) {
			expected = expectedNames[gen.InfotoolLexerNAME]
		} else {
			expected = syntax.Expected(e.Expected, expectedNames, expectedOrder)
		}
	}
	t := e.Token
	if t == nil {
		// A lexer error: the listener has the line and unit column.
		unit := lineStartUnit(raw, enc, e.Line) + e.Column
		return pl.at(pl.line+e.Line-1, e.Column+1, unit, ErrSyntax, withExpected("unexpected input", expected))
	}
	line, col, unit := pl.line+t.GetLine()-1, column(raw, enc, t.GetStart(), t.GetColumn()), t.GetStart()
	switch t.GetTokenType() {
	case antlr.TokenEOF:
		return pl.at(line, col, unit, ErrSyntax, withExpected("unexpected end of input", expected))
	case gen.InfotoolLexerNL:
		return pl.at(line, col, unit, ErrSyntax, withExpected("unexpected end of the line", expected))
	case gen.InfotoolLexerBAD_ESCAPE:
		seq := p.stream.GetText(t.GetStart(), t.GetStart()+1)
		return pl.at(line, col, unit, ErrEscape, withExpected("invalid escape "+seq,
			`\\, \n, \r, \t or \xHH (two hex digits) after the backslash`))
	}
	return pl.at(line, col, unit, ErrSyntax,
		withExpected("unexpected "+syntax.Quote(p.stream.GetText(t.GetStart(), t.GetStop())), expected))
}

// withExpected appends ", expected ..." to a message when there is something
// to expect.
func withExpected(msg, expected string) string {
	if expected == "" {
		return msg
	}
	return msg + ", expected " + expected
}

// lineStartUnit returns the unit index where the 1-based line n of raw starts.
func lineStartUnit(raw []byte, enc Encoding, n int) int {
	w := enc.unitWidth()
	start := 0
	for k := 1; k < n; k++ {
		i := nextLF(raw, start, w)
		if i < 0 {
			break
		}
		start = i + w
	}
	return start / w
}

// nextLF returns the byte index of the first LF unit at or after from, or -1.
func nextLF(b []byte, from, w int) int {
	for i := from; i+w <= len(b); i += w {
		if b[i] == '\n' && (w == 1 || b[i+1] == 0) {
			return i
		}
	}
	return -1
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
// field, when its n hex digits spell no whole bytes.
func checkBinaryDigits(tok antlr.Token, n int, pl place) *position.Error {
	if n%2 == 0 {
		return nil
	}
	return pl.at(pl.line+tok.GetLine()-1, tok.GetColumn()+1, tok.GetStart(), ErrBinary,
		fmt.Sprintf("binary value with %s, expected an even number of hex digits after 0x", plural.Count(n, "hex digit")))
}

// checkBinaryTokens makes without a parse tree the one check that value
// makes of a tree: a BINARY token that is a field's whole value (right after
// the '=' and before the line's end) must have an even number of hex digits.
// Token positions count code units, as value's digit count does.
func (p *recordParser) checkBinaryTokens(pl place) *position.Error {
	toks := p.tokens.GetAllTokens()
	for i := 1; i+1 < len(toks); i++ {
		t := toks[i]
		if t.GetTokenType() != gen.InfotoolLexerBINARY || toks[i-1].GetTokenType() != gen.InfotoolLexerEQ {
			continue
		}
		if next := toks[i+1].GetTokenType(); next != gen.InfotoolLexerNL && next != antlr.TokenEOF {
			continue
		}
		if err := checkBinaryDigits(t, t.GetStop()-t.GetStart()+1-2, pl); err != nil {
			return err
		}
	}
	return nil
}
