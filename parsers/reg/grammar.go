package reg

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/antlr4-go/antlr/v4"

	"github.com/xdm-migrate/xdm/parsers/internal/syntax"
	"github.com/xdm-migrate/xdm/parsers/reg/internal/gen"
	"github.com/xdm-migrate/xdm/position"
)

// entryParser is a lexer, token stream and parser generated from
// grammar/Reg.g4, reused from entry to entry.
type entryParser struct {
	stream syntax.Units
	lexer  *gen.RegLexer
	tokens *antlr.CommonTokenStream
	parser *gen.Reg
	errs   syntax.Listener
}

var parsers = sync.Pool{New: func() any { return newEntryParser() }}

func newEntryParser() *entryParser {
	p := &entryParser{}
	p.lexer = gen.NewRegLexer(&p.stream)
	p.tokens = antlr.NewCommonTokenStream(p.lexer, antlr.TokenDefaultChannel)
	p.parser = gen.NewReg(p.tokens)
	// The entries are parsed from the token list, not from a tree: a value
	// of megabytes would make a tree of hundreds of thousands of nodes.
	p.parser.BuildParseTrees = false
	p.errs.Attach(p.lexer, p.parser)
	return p
}

// parse parses one entry (rule `header` for the first one, else `entry`)
// and returns what it found, or the first syntax error.
func (p *entryParser) parse(raw []byte, w int, first bool) (entry, bool) {
	p.stream.Reset(raw, w, "")
	p.lexer.SetInputStream(&p.stream)
	p.tokens.SetTokenSource(p.lexer)
	p.parser.SetInputStream(p.tokens)
	p.errs.Reset()
	if first {
		p.parser.Header()
	} else {
		p.parser.Entry()
	}
	if p.errs.Failed {
		return entry{}, false
	}
	return fromTokens(p.tokens.GetAllTokens(), first), true
}

// grammarEntry parses an entry with the grammar.
func grammarEntry(raw []byte, w int, first bool) (entry, bool) {
	p := parsers.Get().(*entryParser)
	defer parsers.Put(p)
	return p.parse(raw, w, first)
}

// fromTokens finds the pieces of an entry in the tokens of a successful
// parse: the grammar has checked their order, so a walk suffices.
func fromTokens(toks []antlr.Token, first bool) entry {
	i := 0
	next := func() antlr.Token {
		for toks[i].GetTokenType() == gen.RegLexerWS {
			i++
		}
		t := toks[i]
		i++
		return t
	}
	t := next()
	if first {
		if t.GetTokenType() == gen.RegLexerV4 {
			return entry{kind: KindHeader, version: Version4}
		}
		return entry{kind: KindHeader, version: Version5}
	}
	switch t.GetTokenType() {
	case gen.RegLexerLBRACK, gen.RegLexerLBRACK_DEL:
		e := entry{kind: KindKey, del: t.GetTokenType() == gen.RegLexerLBRACK_DEL}
		last := i // the last ']' ends the path
		for k := i; k < len(toks); k++ {
			if toks[k].GetTokenType() == gen.RegLexerRBRACK {
				last = k
			}
		}
		e.key = span{toks[i].GetStart(), toks[last].GetStart()}
		return e
	case gen.RegLexerAT, gen.RegLexerQUOTE:
		return valueFromTokens(toks, t, next)
	case gen.RegLexerSEMI:
		return entry{kind: KindComment}
	}
	return entry{kind: KindBlank}
}

func valueFromTokens(toks []antlr.Token, t antlr.Token, next func() antlr.Token) entry {
	e := entry{kind: KindValue}
	// quoted returns the units between an opening quote and its QUOTE_END.
	quoted := func(open antlr.Token) span {
		end := next()
		for end.GetTokenType() != gen.RegLexerQUOTE_END {
			end = next()
		}
		return span{open.GetStop() + 1, end.GetStart()}
	}
	if t.GetTokenType() == gen.RegLexerAT {
		e.nameAt = true
	} else {
		e.name = quoted(t)
	}
	next() // '='
	d := next()
	switch d.GetTokenType() {
	case gen.RegLexerMINUS:
		e.form = FormDelete
	case gen.RegLexerQUOTE:
		e.form = FormString
		e.str = quoted(d)
	case gen.RegLexerDWORD:
		e.form = FormDword
		v := next()
		e.dword = span{v.GetStart(), v.GetStop() + 1}
	default: // HEX, HEX_TYPE
		e.form = FormHex
		if d.GetTokenType() == gen.RegLexerHEX_TYPE {
			e.hexType = true
			e.typ = span{d.GetStart() + 4, d.GetStop() - 1}
		}
		for _, h := range toks[d.GetTokenIndex()+1:] {
			if h.GetTokenType() == gen.RegLexerHEXBYTES {
				e.hex = append(e.hex, span{h.GetStart(), h.GetStop() + 1})
			}
		}
	}
	return e
}

// expectedNames words the tokens the parser can expect, in the order they
// are listed.
var (
	expectedNames = map[int]string{
		gen.RegLexerV5:          `the header "Windows Registry Editor Version 5.00" or "REGEDIT4"`,
		gen.RegLexerV4:          `the header "Windows Registry Editor Version 5.00" or "REGEDIT4"`,
		gen.RegLexerLBRACK:      "a key line [KEY]",
		gen.RegLexerAT:          `a value line "NAME"=DATA or @=DATA`,
		gen.RegLexerSEMI:        "a comment ';'",
		gen.RegLexerKEYTEXT:     "the key path right after '['",
		gen.RegLexerRBRACK:      "']' at the end of the key path",
		gen.RegLexerQUOTE_END:   `the closing '"'`,
		gen.RegLexerEQ:          "'=' after the value name",
		gen.RegLexerMINUS:       `the data ("text", dword:, hex:, hex(N):) or '-'`,
		gen.RegLexerDWORD_VALUE: "one to eight hex digits after dword:",
		gen.RegLexerHEXBYTES:    "bytes of one or two hex digits separated by ','",
		gen.RegLexerCOMMA:       "','",
		gen.RegLexerNL:          "the end of the line",
		antlr.TokenEOF:          "the end of the line",
	}
	expectedOrder = []int{gen.RegLexerV5, gen.RegLexerLBRACK, gen.RegLexerAT, gen.RegLexerSEMI,
		gen.RegLexerKEYTEXT, gen.RegLexerRBRACK, gen.RegLexerQUOTE_END, gen.RegLexerEQ,
		gen.RegLexerMINUS, gen.RegLexerDWORD_VALUE, gen.RegLexerHEXBYTES, gen.RegLexerCOMMA,
		gen.RegLexerNL, antlr.TokenEOF}
)

// grammarError parses an entry that does not fit the format with the
// grammar and returns the error it finds, placed in the file: name, the
// entry's first line and its byte offset. The scanner calls it for every
// entry it refuses, so that errors are worded alike whichever parser read
// the file.
func grammarError(raw []byte, w int, first bool, name string, line, offset int64) *position.Error {
	p := parsers.Get().(*entryParser)
	defer parsers.Put(p)
	if _, ok := p.parse(raw, w, first); ok {
		// The scanner refused what the grammar accepts: a defect the
		// differential tests exist to catch. The grammar defines the format,
		// but no entry may pass unread, so it is reported.
		return &position.Error{File: name, Line: line, Column: 1, Offset: offset,
			Err: fmt.Errorf("%w: internal error: the scanner refused an entry the grammar accepts", ErrSyntax)}
	}
	return p.syntaxError(raw, w, first, name, line, offset)
}

// syntaxError turns the listener's first error into a *position.Error.
func (p *entryParser) syntaxError(raw []byte, w int, first bool, name string, line, offset int64) *position.Error {
	e := &p.errs
	at := 0
	if e.Token != nil {
		at = e.Token.GetStart()
	}
	pe := placeError(raw, w, at, name, line, offset)
	expected := syntax.Expected(e.Expected, expectedNames, expectedOrder)
	if syntax.Contains(e.Expected, gen.RegLexerDWORD) {
		expected = expectedNames[gen.RegLexerMINUS]
	}
	if e.Token == nil {
		pe.Err = syntax.Wrap(ErrSyntax, "unexpected input"+withExpected(expected))
		return pe
	}
	t := e.Token
	found := "unexpected " + syntax.Quote(p.stream.GetText(t.GetStart(), t.GetStop()))
	switch t.GetTokenType() {
	case antlr.TokenEOF:
		found = "unexpected end of the file"
	case gen.RegLexerNL:
		found = "unexpected end of the line"
	}
	switch {
	case first:
		pe.Err = syntax.Wrap(ErrHeader, headerProblem(p.stream.GetText(0, p.stream.Size()-1)))
	case t.GetTokenType() == gen.RegLexerBAD_ESCAPE:
		pe.Err = syntax.Wrap(ErrEscape, badEscape(p.stream.GetText(t.GetStart(), t.GetStart()+1))+
			`, expected \\, \", \n or \r after the backslash (write a backslash as \\)`)
	case syntax.Contains(e.Expected, gen.RegLexerHEXBYTES) && syntax.Contains(e.Expected, gen.RegLexerSEMI) &&
		!syntax.Contains(e.Expected, gen.RegLexerCOMMA):
		// The start of a line after a continuation backslash.
		pe.Err = syntax.Wrap(ErrSyntax, found+", expected hex bytes continuing the data of the value above (its line ends with '\\'), a comment or a blank line")
	default:
		pe.Err = syntax.Wrap(ErrSyntax, found+withExpected(expected))
	}
	return pe
}

// badEscape words a backslash that starts no escape: the backslash and the
// character after it as they stand, unless that is no visible character.
func badEscape(seq string) string {
	r := []rune(seq)
	if len(r) < 2 || r[1] < ' ' || r[1] == 0x7F {
		return "a backslash that escapes nothing at the end of the line"
	}
	return "invalid escape " + seq
}

func withExpected(s string) string {
	if s == "" {
		return ""
	}
	return ", expected " + s
}

// headerProblem words what is wrong with a first line.
func headerProblem(line string) string {
	line = strings.TrimRight(line, "\r\n")
	trimmed := strings.TrimLeft(line, " \t")
	want := `expected "Windows Registry Editor Version 5.00" or "REGEDIT4" as the first line`
	bare := strings.TrimRight(trimmed, " \t")
	switch {
	case bare != trimmed && (bare == Version5.Header() || bare == Version4.Header()):
		return "blanks after the header " + strconv.Quote(bare) + ", expected the end of the line (regedit refuses the file)"
	case strings.EqualFold(bare, Version5.Header()) || strings.EqualFold(bare, Version4.Header()):
		return "the header " + strconv.Quote(bare) + " in other letter case: regedit refuses it; " + want
	case trimmed == "REGEDIT":
		return `"REGEDIT" is the Windows 3.1 format, which xdm does not read; ` + want
	case trimmed == "":
		return "the first line is empty; " + want
	}
	return "found " + syntax.Quote(trimmed) + "; " + want
}

// placeError returns a *position.Error at unit index at of an entry that
// starts at line (1-based) and byte offset offset of the file: line and
// column are counted in the entry, whose lines may end in CRLF, LF or CR.
func placeError(raw []byte, w, at int, name string, line, offset int64) *position.Error {
	u := newUnits(raw, w)
	col := 1
	for i := 0; i < at && i < u.n; {
		if e := u.lineEnd(i); e >= 0 {
			line++
			col = 1
			i = e
			continue
		}
		col++
		i++
	}
	return &position.Error{File: name, Line: line, Column: col, Offset: offset + int64(at*w)}
}
