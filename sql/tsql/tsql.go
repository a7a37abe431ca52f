// Package tsql splits Transact-SQL text into tokens with byte offsets.
//
// The tokens come from the ANTLR lexer generated from grammar/TSqlLexer.g4.
// Token offsets are byte offsets into the input, whatever its encoding: the
// input is read as UTF-8, and every byte that is not part of a valid UTF-8
// sequence (a cp1252 letter, say) counts as one character of its own, so a
// rewriter can cut and splice the original bytes around the tokens it matched.
//
// The lexer never fails: unterminated strings, names and comments run to the
// end of the input, and unknown characters become one-character Other tokens.
package tsql

import (
	"bytes"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"

	"github.com/xdm-migrate/xdm/sql/tsql/internal/gen"
)

// Kind classifies a token.
type Kind uint8

// Token kinds. Keywords the lexer knows and all other words are both Word;
// Token.Keyword tells them apart.
const (
	Other        Kind = iota // any other character
	Word                     // keyword or identifier: CREATE, STRING_AGG, dbo
	Bracketed                // [name], ]] escapes a ]
	Quoted                   // "name"
	String                   // 'text' or N'text', '' escapes a '
	Number                   // 12, 1.5, 2E3, $4.50
	Binary                   // 0x1F
	Variable                 // @name, @@ROWCOUNT
	TempName                 // #t, ##t
	SqlcmdVar                // $(NAME)
	Space                    // blanks and line breaks
	LineComment              // -- to end of line
	BlockComment             // /* ... */, nested
	Punct                    // ( ) , ; . = ::
	Operator                 // + - * / < > <> ...
)

var kindNames = [...]string{"Other", "Word", "Bracketed", "Quoted", "String", "Number", "Binary",
	"Variable", "TempName", "SqlcmdVar", "Space", "LineComment", "BlockComment", "Punct", "Operator"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(?)"
}

// Trivia reports whether tokens of this kind carry no syntax: blanks and comments.
func (k Kind) Trivia() bool { return k == Space || k == LineComment || k == BlockComment }

// Token is one token of the input.
type Token struct {
	Kind Kind
	// Keyword is true for the words the grammar lists as keywords.
	Keyword bool
	// Start and End are byte offsets: the token is src[Start:End].
	Start, End int
	// Line and Column (1-based; the column counts characters) of the first byte.
	Line, Column int
}

// Text returns the token's bytes in src.
func (t Token) Text(src []byte) []byte { return src[t.Start:t.End] }

// Is reports whether t is the word w, compared case-insensitively. w must be
// upper case ASCII.
func (t Token) Is(src []byte, w string) bool {
	return t.Kind == Word && t.End-t.Start == len(w) && equalFoldUpper(src[t.Start:t.End], w)
}

// IsPunct reports whether t is the punctuation or operator p.
func (t Token) IsPunct(src []byte, p string) bool {
	return (t.Kind == Punct || t.Kind == Operator) && string(src[t.Start:t.End]) == p
}

// equalFoldUpper compares b with the upper-case ASCII word w.
func equalFoldUpper(b []byte, w string) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// Lex returns all tokens of src, trivia included, in order; together they
// cover src exactly.
func Lex(src []byte) []Token {
	if len(src) == 0 {
		return nil
	}
	// Byte offset of every character as the ANTLR input stream counts them
	// ([]rune conversion: one character per invalid byte).
	offs := make([]int, 0, len(src)+1)
	for i := 0; i < len(src); {
		_, n := utf8.DecodeRune(src[i:])
		offs = append(offs, i)
		i += n
	}
	offs = append(offs, len(src))

	lx := gen.NewTSqlLexer(antlr.NewInputStream(string(src)))
	lx.RemoveErrorListeners()
	toks := make([]Token, 0, len(src)/4+1)
	line, col := 1, 1
	pos := 0 // byte offset up to which line/col are known
	advance := func(to int) {
		for pos < to {
			c := src[pos]
			switch {
			case c == '\n':
				line++
				col = 1
				pos++
			case c < utf8.RuneSelf:
				col++
				pos++
			default:
				_, n := utf8.DecodeRune(src[pos:])
				col++
				pos += n
			}
		}
	}
	for {
		at := lx.NextToken()
		tt := at.GetTokenType()
		if tt == antlr.TokenEOF {
			break
		}
		start, end := offs[at.GetStart()], offs[at.GetStop()+1]
		if end <= start {
			continue
		}
		advance(start)
		k, kw := kindOf(tt)
		toks = append(toks, Token{Kind: k, Keyword: kw, Start: start, End: end, Line: line, Column: col})
	}
	return toks
}

func kindOf(tt int) (Kind, bool) {
	switch tt {
	case gen.TSqlLexerID:
		return Word, false
	case gen.TSqlLexerBRACKET_ID:
		return Bracketed, false
	case gen.TSqlLexerQUOTED_ID:
		return Quoted, false
	case gen.TSqlLexerSTRING:
		return String, false
	case gen.TSqlLexerNUMBER, gen.TSqlLexerMONEY:
		return Number, false
	case gen.TSqlLexerBINARY:
		return Binary, false
	case gen.TSqlLexerVARIABLE:
		return Variable, false
	case gen.TSqlLexerTEMP_ID:
		return TempName, false
	case gen.TSqlLexerSQLCMD_VAR:
		return SqlcmdVar, false
	case gen.TSqlLexerWS:
		return Space, false
	case gen.TSqlLexerLINE_COMMENT:
		return LineComment, false
	case gen.TSqlLexerBLOCK_COMMENT:
		return BlockComment, false
	case gen.TSqlLexerLPAREN, gen.TSqlLexerRPAREN, gen.TSqlLexerCOMMA, gen.TSqlLexerSEMI,
		gen.TSqlLexerDOT, gen.TSqlLexerEQ, gen.TSqlLexerCOLON_COLON:
		return Punct, false
	case gen.TSqlLexerOPERATOR:
		return Operator, false
	case gen.TSqlLexerOTHER:
		return Other, false
	}
	if tt >= gen.TSqlLexerADD && tt <= gen.TSqlLexerWITH {
		return Word, true
	}
	return Other, false
}

// Unquote returns the name a Word, Bracketed or Quoted token stands for:
// [a]]b] is a]b, "a""b" is a"b.
func Unquote(text []byte) string {
	if len(text) >= 2 {
		switch text[0] {
		case '[':
			body := text[1:]
			if body[len(body)-1] == ']' {
				body = body[:len(body)-1]
			}
			return string(bytes.ReplaceAll(body, []byte("]]"), []byte("]")))
		case '"':
			body := text[1:]
			if body[len(body)-1] == '"' {
				body = body[:len(body)-1]
			}
			return string(bytes.ReplaceAll(body, []byte(`""`), []byte(`"`)))
		}
	}
	return string(text)
}
