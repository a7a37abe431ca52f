package downgrade

import (
	"bytes"
	"strings"
	"sync"

	"github.com/xdm-migrate/xdm/sql/version"
)

// The fast path for data batches.
//
// Lexing with the ANTLR runtime runs at a few MB/s, and most of a scripted
// database is INSERT ... VALUES batches that no rule can touch. Every rule
// matches only where one of its trigger words (ruleDef.words) is a code token:
// an unquoted word, or for the type rules a [bracketed] or "quoted" name. So
// mayMatch scans the bytes the way the lexer would, skipping strings,
// comments, variables and numbers, and looks the words up. When none is a
// trigger of a rule that concerns the target, no rule can match and the batch
// is passed through unlexed: the result is the same as lexing it, which
// TestPrefilterAndSpans and FuzzRewriteBatch check. The scanner may say
// "maybe" more often than needed (that only costs time), never less.

var triggerSets sync.Map // version.Version -> *triggerSet

// triggerSet is the trigger words of the rules for one target, with a cheap
// first test (length and first letter) before the map lookup.
type triggerSet struct {
	words          map[string]bool
	names          map[string]bool // the words rules also match as [name] or "name" (types)
	minLen, maxLen int
	first          [256]bool
}

func triggers(target version.Version) *triggerSet {
	if m, ok := triggerSets.Load(target); ok {
		return m.(*triggerSet)
	}
	ts := &triggerSet{words: map[string]bool{}, names: map[string]bool{}, minLen: 1 << 30}
	for _, r := range append(ruleTable, dynamicTrigger) {
		if !r.applies(target) {
			continue
		}
		for _, w := range r.words {
			ts.words[w] = true
			if strings.HasPrefix(r.ID, "type-") {
				ts.names[w] = true // matchNewType accepts [json] as well
			}
			ts.minLen, ts.maxLen = min(ts.minLen, len(w)), max(ts.maxLen, len(w))
			ts.first[w[0]] = true
			ts.first[w[0]|0x20] = true
		}
	}
	triggerSets.Store(target, ts)
	return ts
}

// dynamicTrigger is not a rule: it makes the batches that execute a string
// (EXEC (N'...'), EXEC sp_executesql) go through the lexer, whose rules
// then look inside the string (dynamic.go).
var dynamicTrigger = &ruleDef{words: []string{"EXEC", "EXECUTE"}}

// mayMatch reports whether some rule for the target might match src.
func mayMatch(src []byte, target version.Version) bool {
	sc := scanner{set: triggers(target)}
	return sc.scan(src)
}

// scanner finds trigger words in code, line by line: it carries the state
// (inside a string, a name or a comment) from one call to the next, so a
// script can be fed to it one complete line at a time.
type scanner struct {
	set   *triggerSet
	mode  byte // 0 code, '\'' string, ']' bracketed name, '"' quoted name, '*' block comment
	depth int  // block comment nesting
	up    [64]byte
}

func (s *scanner) isSet(w []byte) bool {
	return s.lookup(w, s.set.words)
}

// isName reports whether the body of a [name] or "name" is a trigger.
func (s *scanner) isName(w []byte) bool {
	return len(s.set.names) > 0 && s.lookup(w, s.set.names)
}

func (s *scanner) lookup(w []byte, set map[string]bool) bool {
	if len(w) < s.set.minLen || len(w) > s.set.maxLen || !s.set.first[w[0]] {
		return false
	}
	for k, c := range w {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		s.up[k] = c
	}
	return set[string(s.up[:len(w)])]
}

// scan reports whether src, continuing the text scanned so far, holds a
// trigger word in code (or as a whole [name] or "name").
func (s *scanner) scan(src []byte) bool {
	n := len(src)
	i := 0
	hit := false
	for i < n {
		switch s.mode {
		case '\'', ']', '"':
			end, closed := skipQuoted(src, i, s.mode)
			if closed {
				s.mode = 0
			}
			i = end
			continue
		case '*':
			i = s.skipComment(src, i)
			continue
		}
		c := src[i]
		switch {
		case c == '\'':
			s.mode = '\''
			i++
		case c == '[' || c == '"':
			q := byte(']')
			if c == '"' {
				q = '"'
			}
			end, closed := skipQuoted(src, i+1, q)
			body := src[i+1 : end]
			if closed {
				body = body[:len(body)-1]
			} else {
				s.mode = q // an unterminated name runs to the end, as in the lexer
			}
			if s.isName(body) {
				hit = true
			}
			i = end
		case c == '-' && i+1 < n && src[i+1] == '-':
			if k := bytes.IndexAny(src[i:], "\r\n"); k >= 0 {
				i += k
			} else {
				i = n
			}
		case c == '/' && i+1 < n && src[i+1] == '*':
			s.mode, s.depth = '*', 1
			i = s.skipComment(src, i+2)
		case c == '@' || c == '#':
			i++
			for i < n && wordByte(src[i]) {
				i++
			}
		case c == '0' && i+1 < n && (src[i+1] == 'x' || src[i+1] == 'X'):
			i += 2
			for i < n && isHex(src[i]) {
				i++
			}
		case isDigit(c) || (c == '.' && i+1 < n && isDigit(src[i+1])):
			i = skipNumber(src, i)
		case wordByte(c) && c != '$':
			j := i + 1
			for j < n && wordByte(src[j]) {
				j++
			}
			if s.isSet(src[i:j]) {
				hit = true
			}
			i = j
		default:
			i++
		}
	}
	return hit
}

// skipComment continues a /* */ comment at i (nesting in s.depth) and
// returns the index after it, or len(src).
func (s *scanner) skipComment(src []byte, i int) int {
	for i < len(src) {
		if src[i] == '/' && i+1 < len(src) && src[i+1] == '*' {
			s.depth++
			i += 2
			continue
		}
		if src[i] == '*' && i+1 < len(src) && src[i+1] == '/' {
			s.depth--
			i += 2
			if s.depth == 0 {
				s.mode = 0
				return i
			}
			continue
		}
		i++
	}
	return i
}

// skipQuoted returns the index after the closing quote q (a doubled q is an
// escaped one) and true, or len(src) and false when there is none.
func skipQuoted(src []byte, i int, q byte) (int, bool) {
	for i < len(src) {
		k := bytes.IndexByte(src[i:], q)
		if k < 0 {
			break
		}
		i += k
		if i+1 < len(src) && src[i+1] == q {
			i += 2
			continue
		}
		return i + 1, true
	}
	return len(src), false
}

// skipNumber mirrors the lexer's NUMBER: digits [. digits] [E [+-] digits].
func skipNumber(src []byte, i int) int {
	n := len(src)
	for i < n && isDigit(src[i]) {
		i++
	}
	if i < n && src[i] == '.' {
		i++
		for i < n && isDigit(src[i]) {
			i++
		}
	}
	if i < n && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < n && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < n && isDigit(src[j]) {
			for j < n && isDigit(src[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}
