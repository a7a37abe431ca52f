// Package syntax holds what the ANTLR-based parsers of xdm share: an error
// listener that keeps the first syntax error with the token types the parser
// expected, and the wording of "expected ..." lists.
package syntax

import (
	"strconv"
	"strings"

	"github.com/antlr4-go/antlr/v4"
)

// Listener records the first syntax error of a parse; later ones (the
// parser's recovery) are ignored.
type Listener struct {
	antlr.DefaultErrorListener
	// Failed reports that an error was seen.
	Failed bool
	// Token is the offending token; nil for a lexer error.
	Token antlr.Token
	// Line (1-based) and Column (0-based), as the recognizer reports them.
	Line, Column int
	// Expected are the token types the parser could have accepted.
	Expected []int
}

// Reset prepares the listener for the next parse.
func (l *Listener) Reset() {
	*l = Listener{Expected: l.Expected[:0]}
}

// SyntaxError implements antlr.ErrorListener.
func (l *Listener) SyntaxError(rec antlr.Recognizer, sym any, line, col int, _ string, _ antlr.RecognitionException) {
	if l.Failed {
		return
	}
	l.Failed = true
	l.Line, l.Column = line, col
	if t, ok := sym.(antlr.Token); ok {
		l.Token = t
	}
	if p, ok := rec.(antlr.Parser); ok {
		for _, iv := range p.GetExpectedTokens().GetIntervals() {
			for t := iv.Start; t < iv.Stop; t++ {
				l.Expected = append(l.Expected, t)
			}
		}
	}
}

// Attach replaces the console listeners of a lexer and a parser by l.
func (l *Listener) Attach(lexer antlr.Lexer, parser antlr.Parser) {
	lexer.RemoveErrorListeners()
	lexer.AddErrorListener(l)
	parser.RemoveErrorListeners()
	parser.AddErrorListener(l)
}

// Expected describes the expected token types with names (types without a
// name are left out, repeated descriptions said once), in the order of order:
// "a, b or c".
func Expected(types []int, names map[int]string, order []int) string {
	var parts []string
	seen := map[string]bool{}
	for _, t := range order {
		d, ok := names[t]
		if !ok || seen[d] || !contains(types, t) {
			continue
		}
		seen[d] = true
		parts = append(parts, d)
	}
	return JoinOr(parts)
}

// JoinOr joins a list as "a, b or c".
func JoinOr(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

func contains(types []int, t int) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

// Quote shows found input in an error message: quoted, at most 24
// characters.
func Quote(s string) string {
	r := []rune(s)
	if len(r) > 24 {
		return strings.TrimSuffix(strconv.Quote(string(r[:24])), `"`) + `..."`
	}
	return strconv.Quote(s)
}

// Contains reports whether t is among types.
func Contains(types []int, t int) bool { return contains(types, t) }

// Wrap returns an error with message msg that wraps sentinel (for errors.Is)
// without repeating the sentinel's text.
func Wrap(sentinel error, msg string) error { return &wrapped{msg: msg, err: sentinel} }

type wrapped struct {
	msg string
	err error
}

func (e *wrapped) Error() string { return e.msg }
func (e *wrapped) Unwrap() error { return e.err }
