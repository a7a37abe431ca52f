package batch

import (
	"bytes"
	"fmt"
)

// lexer tracks whether the end of a line is inside a string, a quoted or
// bracketed identifier or a block comment: only lines that start outside all
// of them can hold GO or a command. A -- comment ends with its line. With
// refs set it also finds the $(NAME) references outside comments, as sqlcmd
// does: in code and inside strings and identifiers, never in comments.
type lexer struct {
	state  byte // one of the st* constants
	depth  int  // nesting of /* */ when state is stComment
	opened bool // scan entered a string, identifier or comment
	openAt int  // where in the line it entered the last one: its byte index (the N of N'...')
	refs   []span
}

// span is a $(NAME) reference in a line: line[start:end].
type span struct{ start, end int }

const (
	stCode    byte = iota // T-SQL outside quotes and comments
	stString              // inside '...'
	stQuoted              // inside "..."
	stBracket             // inside [...]
	stComment             // inside /* ... */
)

// special marks the bytes that can change the state in stCode; specialRef
// adds '$' for the references.
var special, specialRef = [256]bool{'\'': true, '"': true, '[': true, '-': true, '/': true},
	[256]bool{'\'': true, '"': true, '[': true, '-': true, '/': true, '$': true}

// isNameByte reports whether c may appear in the NAME of a $(NAME)
// reference: ASCII letters, digits, '_' and '-', the characters sqlcmd
// accepts there.
func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// isIdentByte reports whether c may continue a T-SQL word, so that an N
// before it is part of that word rather than the prefix of N'...'.
func isIdentByte(c byte) bool {
	return isNameByte(c) && c != '-' || c == '@' || c == '#' || c == '$' || c >= 0x80
}

// reference reports whether b[i:] starts a $(NAME) reference: end is the
// index after its ')'; bad is true for a "$(" that is not followed by a
// name and ')' on the same line, which sqlcmd refuses.
func reference(b []byte, i int) (end int, ok, bad bool) {
	if i+1 >= len(b) || b[i] != '$' || b[i+1] != '(' {
		return 0, false, false
	}
	j := i + 2
	for j < len(b) && isNameByte(b[j]) {
		j++
	}
	if j < len(b) && b[j] == ')' {
		return j + 1, true, false
	}
	return 0, false, true
}

// scan advances the state over one line (terminator included). With refs it
// records the references in lx.refs (reset first) and returns the index of
// the first malformed "$(", or -1.
func (lx *lexer) scan(b []byte, refs bool) (bad int) {
	lx.refs = lx.refs[:0]
	table := &special
	if refs {
		table = &specialRef
	}
	i := 0
	for i < len(b) {
		switch lx.state {
		case stCode:
			for i < len(b) && !table[b[i]] {
				i++
			}
			if i >= len(b) {
				return -1
			}
			c := b[i]
			switch c {
			case '\'':
				lx.state, lx.opened, lx.openAt = stString, true, i
				if i > 0 && (b[i-1] == 'N' || b[i-1] == 'n') && (i == 1 || !isIdentByte(b[i-2])) {
					lx.openAt = i - 1 // N'...' is one token
				}
			case '"':
				lx.state, lx.opened, lx.openAt = stQuoted, true, i
			case '[':
				lx.state, lx.opened, lx.openAt = stBracket, true, i
			case '-':
				if i+1 < len(b) && b[i+1] == '-' {
					return -1 // the rest of the line is a comment
				}
			case '/':
				if i+1 < len(b) && b[i+1] == '*' {
					lx.state, lx.depth, lx.opened, lx.openAt = stComment, 1, true, i
					i++
				}
			case '$':
				end, ok, malformed := reference(b, i)
				if malformed {
					return i
				}
				if ok {
					lx.refs = append(lx.refs, span{i, end})
					i = end
					continue
				}
			}
			i++
		case stString, stQuoted, stBracket:
			closer := byte('\'')
			switch lx.state {
			case stQuoted:
				closer = '"'
			case stBracket:
				closer = ']'
			}
			j := bytes.IndexByte(b[i:], closer)
			stop := len(b)
			if j >= 0 {
				stop = i + j
			}
			if refs {
				if bad := lx.refsIn(b, i, stop); bad >= 0 {
					return bad
				}
			}
			if j < 0 {
				return -1
			}
			i = stop + 1
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
				return -1
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
	return -1
}

// refsIn records the references in b[from:to], inside a string; it returns
// the index of a malformed "$(" or -1.
func (lx *lexer) refsIn(b []byte, from, to int) int {
	for from < to {
		k := bytes.IndexByte(b[from:to], '$')
		if k < 0 {
			return -1
		}
		i := from + k
		end, ok, malformed := reference(b[:to], i)
		switch {
		case malformed:
			return i
		case ok:
			lx.refs = append(lx.refs, span{i, end})
			from = end
		default:
			from = i + 1
		}
	}
	return -1
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

// commands are the sqlcmd commands by their lower-case name after the
// colon, as the sqlcmd documentation lists them.
var commands = map[string]bool{
	"setvar": true, "r": true, "on error": true, "exit": true, "quit": true,
	"reset": true, "listvar": true, "error": true, "out": true, "list": true,
	"connect": true, "ed": true, "serverlist": true, "xml": true,
	"perftrace": true, "help": true, "!!": true,
}

// colonless are the commands sqlcmd also recognises without the colon, for
// osql scripts.
var colonless = map[string]bool{"exit": true, "quit": true, "reset": true, "ed": true, "on error": true}

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

// eol returns the terminator of line: "\r\n", "\n" or "".
func eol(line []byte) []byte {
	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		return line[len(line)-2:]
	case bytes.HasSuffix(line, []byte("\n")):
		return line[len(line)-1:]
	}
	return nil
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

// stripComment cuts a command's arguments at a -- comment, as sqlcmd does:
// "--" at the start or after a blank, outside "double quotes" (in which ""
// is a quote).
func stripComment(args []byte) []byte {
	blank, quoted := true, false
	for i := 0; i < len(args); i++ {
		c := args[i]
		switch {
		case quoted && c == '"' && i+1 < len(args) && args[i+1] == '"':
			i++
		case c == '"':
			quoted = !quoted
			blank = false
		case isBlank(c):
			blank = true
		case !quoted && blank && c == '-' && i+1 < len(args) && args[i+1] == '-':
			return args[:i]
		default:
			blank = false
		}
	}
	return args
}

// classified is a line recognised as GO or a command.
type classified struct {
	kind   lineKind
	repeat int    // GO count; 0 when count holds a $(NAME) to substitute first
	count  []byte // GO: the count as written, comment removed, blanks trimmed
	name   string // command name, lower case: "setvar", "on error", "!!"
	args   []byte // command arguments: comment removed, blanks trimmed
	colon  bool   // the command was written with its colon
	err    error  // a malformed GO or command: ErrSyntax or ErrUnknownCommand
	msg    string
	col    int // 1-based column the error points at
}

// classify looks at a line (no terminator) that starts outside strings and
// comments. start skips a byte order mark.
func classify(content []byte, start int) classified {
	i := skipBlanks(content, start)
	rest := content[i:]
	switch {
	case len(rest) == 0:
		return classified{}
	case rest[0] == ':' && len(rest) >= 2 && rest[1] == ':':
		return classified{} // "::fn_name(...)", T-SQL's old function syntax
	case rest[0] == ':':
		return classifyCommand(content, i+1, true)
	case len(rest) >= 2 && rest[0] == '!' && rest[1] == '!':
		return classified{kind: lineCommand, name: "!!", args: trimBlanks(stripComment(rest[2:]))}
	case hasWord(rest, "go") && (len(rest) == 2 || isBlank(rest[2]) || bytes.HasPrefix(rest[2:], []byte("--"))):
		return classifyGo(content, i+2)
	case lower(rest[0]) == 'e' || lower(rest[0]) == 'q' || lower(rest[0]) == 'r' || lower(rest[0]) == 'o':
		return classifyCommand(content, i, false)
	}
	return classified{}
}

// classifyGo parses what follows GO: [count] [-- comment]. A count that
// holds a $(NAME) reference is left for the Reader to substitute.
func classifyGo(content []byte, i int) classified {
	start := skipBlanks(content, i)
	count := trimBlanks(stripComment(content[start:]))
	c := classified{kind: lineGo, repeat: 1, count: count}
	if len(count) == 0 {
		return c
	}
	n, ok := parseCount(count)
	switch {
	case ok:
		c.repeat = n
	case bytes.Contains(count, []byte("$(")):
		c.repeat = 0
	default:
		return goCountError(count, start+1)
	}
	return c
}

// parseCount reads a GO count: digits only, from 1 to 2^31-1.
func parseCount(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n >= 1 && n <= 1<<31-1
}

func goCountError(count []byte, col int) classified {
	return classified{err: ErrSyntax, col: col,
		msg: fmt.Sprintf("after GO expected a repeat count from 1 to 2147483647, a -- comment or the end of the line, found %q", count)}
}

// classifyCommand parses a command whose name starts at content[i]. colon
// tells whether it was written with ':'; without, only the commands sqlcmd
// recognises for osql scripts are commands (exit, quit, reset, ed, on error,
// followed by a blank or the end of the line, or exit followed by '(').
func classifyCommand(content []byte, i int, colon bool) classified {
	start := i
	for i < len(content) && 'a' <= lower(content[i]) && lower(content[i]) <= 'z' {
		i++
	}
	if i == start && i+1 < len(content) && content[i] == '!' && content[i+1] == '!' {
		return classified{kind: lineCommand, name: "!!", colon: colon, args: trimBlanks(stripComment(content[i+2:]))}
	}
	name := string(bytes.ToLower(content[start:i]))
	if name == "on" && i+6 <= len(content) && content[i] == ' ' && hasWord(content[i+1:], "error") {
		name, i = "on error", i+6
	}
	ends := i == len(content) || isBlank(content[i]) || (name == "exit" && content[i] == '(')
	switch {
	case !colon && (!colonless[name] || !ends):
		return classified{}
	case !commands[name] || !ends:
		return classified{err: ErrUnknownCommand, col: start,
			msg: fmt.Sprintf("%q is not an sqlcmd command (the commands are :setvar, :r, :on error, :exit, :quit, :reset, :listvar, :out, :error, ...)", content[start-1:])}
	}
	return classified{kind: lineCommand, name: name, colon: colon, args: trimBlanks(stripComment(content[i:]))}
}
