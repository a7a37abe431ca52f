package batch

import (
	"bytes"
	"fmt"
)

// lexer tracks whether the end of a line is inside a string, a quoted or
// bracketed identifier or a block comment: only lines that start outside all
// of them can hold GO or a command. A -- comment ends with its line.
type lexer struct {
	state  byte // one of the st* constants
	depth  int  // nesting of /* */ when state is stComment
	opened bool // scan entered a string, identifier or comment
}

const (
	stCode    byte = iota // T-SQL outside quotes and comments
	stString              // inside '...'
	stQuoted              // inside "..."
	stBracket             // inside [...]
	stComment             // inside /* ... */
)

// special marks the bytes that can change the state in stCode.
var special = [256]bool{'\'': true, '"': true, '[': true, '-': true, '/': true}

// scan advances the state over one line (terminator included).
func (lx *lexer) scan(b []byte) {
	i := 0
	for i < len(b) {
		switch lx.state {
		case stCode:
			for i < len(b) && !special[b[i]] {
				i++
			}
			if i >= len(b) {
				return
			}
			c := b[i]
			i++
			switch c {
			case '\'':
				lx.state = stString
				lx.opened = true
			case '"':
				lx.state = stQuoted
				lx.opened = true
			case '[':
				lx.state = stBracket
				lx.opened = true
			case '-':
				if i < len(b) && b[i] == '-' {
					return // the rest of the line is a comment
				}
			case '/':
				if i < len(b) && b[i] == '*' {
					lx.state, lx.depth, lx.opened = stComment, 1, true
					i++
				}
			}
		case stString, stQuoted, stBracket:
			closer := byte('\'')
			switch lx.state {
			case stQuoted:
				closer = '"'
			case stBracket:
				closer = ']'
			}
			j := bytes.IndexByte(b[i:], closer)
			if j < 0 {
				return
			}
			i += j + 1
			if i < len(b) && b[i] == closer {
				i++ // doubled: an escaped closer
				continue
			}
			lx.state = stCode
		case stComment:
			for i < len(b) && b[i] != '*' && b[i] != '/' {
				i++
			}
			if i+1 >= len(b) {
				return
			}
			switch {
			case b[i] == '*' && b[i+1] == '/':
				lx.depth--
				i += 2
				if lx.depth == 0 {
					lx.state = stCode
				}
			case b[i] == '/' && b[i+1] == '*':
				lx.depth++
				i += 2
			default:
				i++
			}
		}
	}
}

// what names the construct a state is inside of, for messages.
func (lx *lexer) what() string {
	switch lx.state {
	case stString:
		return "a '...' string"
	case stQuoted:
		return `a "..." identifier`
	case stBracket:
		return "a [...] identifier"
	case stComment:
		return "a /* */ comment"
	}
	return "code"
}

// lineKind is what a line outside strings and comments is.
type lineKind byte

const (
	lineSQL lineKind = iota
	lineGo
	lineCommand
)

// commands are the sqlcmd commands by their lower-case name after the colon.
var commands = map[string]bool{
	"setvar": true, "r": true, "on error": true, "exit": true, "quit": true,
	"reset": true, "listvar": true, "error": true, "out": true, "list": true,
	"connect": true, "ed": true, "serverlist": true, "xml": true,
	"perftrace": true, "help": true, "!!": true,
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// trimEOL returns line without its "\n" or "\r\n".
func trimEOL(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	return line
}

func skipBlanks(b []byte, i int) int {
	for i < len(b) && isBlank(b[i]) {
		i++
	}
	return i
}

func trimBlanks(b []byte) []byte {
	i := skipBlanks(b, 0)
	j := len(b)
	for j > i && isBlank(b[j-1]) {
		j--
	}
	return b[i:j]
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasWord reports whether b starts with the lower-case ASCII word w, case-insensitively.
func hasWord(b []byte, w string) bool {
	if len(b) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if lower(b[i]) != w[i] {
			return false
		}
	}
	return true
}

// classified is a line recognised as GO or a command.
type classified struct {
	kind   lineKind
	repeat int    // GO count
	name   string // command name, lower case: "setvar", "on error", "!!"
	args   []byte // command arguments, blanks trimmed
	err    string // a malformed GO or command: why
	col    int    // 1-based column the error points at
}

// classify looks at a line (no terminator) that starts outside strings and
// comments. start skips a byte order mark.
func classify(content []byte, start int) classified {
	i := skipBlanks(content, start)
	rest := content[i:]
	switch {
	case len(rest) == 0:
		return classified{}
	case rest[0] == ':':
		return classifyCommand(content, i+1, true)
	case len(rest) >= 2 && rest[0] == '!' && rest[1] == '!':
		return classified{kind: lineCommand, name: "!!", args: trimBlanks(rest[2:])}
	case hasWord(rest, "go") && (len(rest) == 2 || isBlank(rest[2]) || bytes.HasPrefix(rest[2:], []byte("--"))):
		return classifyGo(content, i+2)
	case lower(rest[0]) == 'e' || lower(rest[0]) == 'q' || lower(rest[0]) == 'r':
		return classifyCommand(content, i, false)
	}
	return classified{}
}

// classifyGo parses what follows GO: [count] [-- comment].
func classifyGo(content []byte, i int) classified {
	c := classified{kind: lineGo, repeat: 1}
	i = skipBlanks(content, i)
	if i < len(content) && '0' <= content[i] && content[i] <= '9' {
		start, n := i, 0
		for i < len(content) && '0' <= content[i] && content[i] <= '9' {
			n = n*10 + int(content[i]-'0')
			if n > 1<<31-1 {
				return classified{err: fmt.Sprintf("GO count %s is too large", content[start:]), col: start + 1}
			}
			i++
		}
		if n == 0 {
			return classified{err: "GO count must be a positive integer, found 0", col: start + 1}
		}
		c.repeat = n
		i = skipBlanks(content, i)
	}
	if i < len(content) && !bytes.HasPrefix(content[i:], []byte("--")) {
		return classified{err: fmt.Sprintf("after GO expected a repeat count, a -- comment or the end of the line, found %q", content[i:]), col: i + 1}
	}
	return c
}

// classifyCommand parses a command whose name starts at content[i]. colon
// tells whether it was written with ':'; without, only exit, quit, reset and
// ed standing alone on the line (or exit(...)) are commands.
func classifyCommand(content []byte, i int, colon bool) classified {
	start := i
	for i < len(content) && (('a' <= lower(content[i]) && lower(content[i]) <= 'z') || (content[i] == '!' && i == start)) {
		i++
	}
	if i < len(content) && content[i] == '!' && i == start+1 && content[start] == '!' {
		i++
	}
	name := string(bytes.ToLower(content[start:i]))
	if i < len(content) && !isBlank(content[i]) && !(name == "exit" && content[i] == '(') {
		if !colon {
			return classified{}
		}
		return classified{err: fmt.Sprintf("unknown sqlcmd command :%s", content[start:]), col: start}
	}
	args := trimBlanks(content[i:])
	if !colon {
		switch {
		case name == "exit" && (len(args) == 0 || args[0] == '('):
		case (name == "quit" || name == "reset" || name == "ed") && len(args) == 0:
		default:
			return classified{}
		}
	}
	if name == "on" {
		if !hasWord(args, "error") || (len(args) > 5 && !isBlank(args[5])) {
			return classified{err: "expected :on error exit|ignore", col: start}
		}
		name, args = "on error", trimBlanks(args[5:])
	}
	if !commands[name] {
		return classified{err: fmt.Sprintf("unknown sqlcmd command :%s", name), col: start}
	}
	return classified{kind: lineCommand, name: name, args: args}
}
