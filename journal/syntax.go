package journal

import (
	"bytes"
	"fmt"
	"strconv"
)

// This file holds the line grammar of an infotool data export as the fast
// path sees it. It works on "narrow" text: single-byte input as it is, and
// UTF-16LE input with every code unit mapped to one byte (ASCII stays ASCII,
// everything else becomes a byte >= 0x80, see narrowUTF16). Every decision
// of the format depends on ASCII characters only, so both encodings share
// this code and the positions it returns are unit indexes.

// lineKind is what a line of a data export is.
type lineKind uint8

const (
	lineBlank   lineKind = iota // empty or spaces and tabs only
	lineComment                 // ';' after optional spaces or tabs
	lineHeader                  // [TYPE] or [TYPE:KEY]
	lineField                   // NAME=VALUE
	lineBad                     // none of the above
)

// syntaxIssue is a place in a line that does not fit the format.
type syntaxIssue struct {
	col int // 0-based unit index in the line
	msg string
}

var nameChar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
		t[c+'a'-'A'] = true
	}
	t['_'] = true
	return t
}()

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// describe names a character of narrow text for an error message.
func describe(line []byte, i int) string {
	if i >= len(line) {
		return "end of line"
	}
	c := line[i]
	switch {
	case c == ' ':
		return "a space"
	case c == '\t':
		return "a tab"
	case c >= 0x80:
		return "a non-ASCII character"
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf("control character 0x%02X", c)
	default:
		return strconv.Quote(string(c))
	}
}

// parseHeader checks a line starting with '[': [TYPE] or [TYPE:KEY], then
// optional spaces or tabs. It returns the record type.
func parseHeader(line []byte) (typ []byte, iss *syntaxIssue) {
	i := 1
	for i < len(line) && nameChar[line[i]] {
		i++
	}
	if i == 1 {
		return nil, &syntaxIssue{i, "expected a record type (letters, digits, _) after '[', found " + describe(line, i)}
	}
	typ = line[1:i]
	if i < len(line) && line[i] == ':' {
		k := bytes.IndexByte(line[i+1:], ']')
		if k < 0 {
			k = len(line) - i - 1
		}
		if cr := bytes.IndexByte(line[i+1:i+1+k], '\r'); cr >= 0 {
			return nil, &syntaxIssue{i + 1 + cr, "expected ']' to close the record header, found " + describe(line, i+1+cr)}
		}
		i += 1 + k
		if i == len(line) {
			return nil, &syntaxIssue{i, "expected ']' to close the record header, found end of line"}
		}
	}
	if i >= len(line) || line[i] != ']' {
		return nil, &syntaxIssue{i, "expected ']' or ':KEY]' after the record type, found " + describe(line, i)}
	}
	for i++; i < len(line) && isSpace(line[i]); i++ {
	}
	if i != len(line) {
		return nil, &syntaxIssue{i, "expected end of line after the record header, found " + describe(line, i)}
	}
	return typ, nil
}

// classify tells what a line (without its line ending) is. For a field it
// returns the end of the name (the '='); for a header the record type.
func classify(line []byte) (kind lineKind, nameEnd int, typ []byte, iss *syntaxIssue) {
	if len(line) == 0 {
		return lineBlank, 0, nil, nil
	}
	switch c := line[0]; {
	case c == '[':
		typ, iss = parseHeader(line)
		if iss != nil {
			return lineBad, 0, nil, iss
		}
		return lineHeader, 0, typ, nil
	case c == ';':
		return lineComment, 0, nil, nil
	case isSpace(c):
		i := 1
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i == len(line) {
			return lineBlank, 0, nil, nil
		}
		if line[i] == ';' {
			return lineComment, 0, nil, nil
		}
		return lineBad, 0, nil, &syntaxIssue{i, "expected ';' after the indentation (only comments may be indented), found " + describe(line, i)}
	case isLetter(c):
		i := 1
		for i < len(line) && nameChar[line[i]] {
			i++
		}
		if i == len(line) || line[i] != '=' {
			return lineBad, 0, nil, &syntaxIssue{i, fmt.Sprintf("expected '=' after the field name %s, found %s", line[:i], describe(line, i))}
		}
		return lineField, i, nil, nil
	default:
		return lineBad, 0, nil, &syntaxIssue{0, "expected a record header [TYPE], a field NAME=VALUE, a comment or a blank line, found " + describe(line, 0)}
	}
}

func isHex(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

// escapeLen returns the length of the escape sequence at v[i] (a backslash),
// or 0 when it is not one of \\ \n \r \t \xHH.
func escapeLen(v []byte, i int) int {
	if i+1 >= len(v) {
		return 0
	}
	switch v[i+1] {
	case '\\', 'n', 'r', 't':
		return 2
	case 'x':
		if i+3 < len(v) && isHex(v[i+2]) && isHex(v[i+3]) {
			return 4
		}
	}
	return 0
}

// checkEscapes finds the first backslash in a value that does not start an
// escape sequence; it returns its index or -1.
func checkEscapes(v []byte) (int, *syntaxIssue) {
	for i := 0; ; {
		k := bytes.IndexByte(v[i:], '\\')
		if k < 0 {
			return -1, nil
		}
		i += k
		n := escapeLen(v, i)
		if n == 0 {
			return i, &syntaxIssue{i, `expected an escape sequence \\, \n, \r, \t or \xHH after the backslash, found ` + describe(v, i+1)}
		}
		i += n
	}
}

// checkBinary rejects a binary value (0x and hex digits, nothing else) with
// an odd number of digits: it spells no whole bytes. Only a value of odd
// length can be one, so long binary values of a valid file are not scanned.
func checkBinary(v []byte) *syntaxIssue {
	if len(v) < 3 || v[0] != '0' || v[1] != 'x' || len(v)%2 == 0 {
		return nil
	}
	for _, c := range v[2:] {
		if !isHex(c) {
			return nil
		}
	}
	return &syntaxIssue{0, fmt.Sprintf("expected an even number of hex digits after 0x in a binary value, found %d", len(v)-2)}
}

// maybeBinary reports whether checkBinary has anything to check in v: an
// odd length and the 0x prefix. Inlined, it spares most values the call.
func maybeBinary(v []byte) bool {
	return len(v) >= 3 && len(v)%2 == 1 && v[0] == '0' && v[1] == 'x'
}

// isContentType reports whether a field name is CONTENTTYPE in any case.
func isContentType(name []byte) bool { return isWord(name, "contenttype") }

// isJournal reports whether a record type is JOURNAL in any case.
func isJournal(typ []byte) bool { return isWord(typ, "journal") }

// isWord reports whether a name (letters, digits and '_') is the lower-case
// word w in any case: OR-ing 0x20 lowercases the letters and maps no digit
// or '_' onto a letter. It is bytes.EqualFold without its Unicode paths.
func isWord(name []byte, w string) bool {
	if len(name) != len(w) {
		return false
	}
	for i := range len(w) {
		if name[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

// unescapeAt returns the character that v[i:] stands for and the number of
// units it takes (escapes are valid: checkEscapes ran before).
func unescapeAt(v []byte, i int) (c byte, n int) {
	if v[i] != '\\' {
		return v[i], 1
	}
	switch v[i+1] {
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'x':
		h, _ := strconv.ParseUint(string(v[i+2:i+4]), 16, 8)
		return byte(h), 4
	}
	return v[i+1], 2
}

// remapIndex numbers the CONTENTTYPE values the fix replaces: 500..599 are
// 0..99, 4352 is 100. It is -1 for every other number.
func remapIndex(digits []byte) int {
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	switch {
	case len(digits) == 3 && digits[0] == '5':
		return int(digits[1]-'0')*10 + int(digits[2]-'0')
	case string(digits) == "4352":
		return 100
	}
	return -1
}

// remapValue is the old CONTENTTYPE value of a remapIndex.
func remapValue(i int) int {
	if i == 100 {
		return 4352
	}
	return 500 + i
}

// plainContentType is contentType for a valid value without escapes, the
// common case, in one pass; ok is false for anything else, which contentType
// then reads (and words the error of).
func plainContentType(v []byte) (start, end, remap int, ok bool) {
	i := 0
	for i < len(v) && isSpace(v[i]) {
		i++
	}
	start = i
	for i < len(v) && isDigit(v[i]) {
		i++
	}
	end = i
	for i < len(v) && isSpace(v[i]) {
		i++
	}
	if end == start || i != len(v) {
		return 0, 0, -1, false
	}
	return start, end, remapIndex(v[start:end]), true
}

// contentType reads a CONTENTTYPE value (escapes already checked): spaces or
// tabs, decimal digits, spaces or tabs. It returns the units [start, end)
// that spell the digits and the remapIndex of the number.
func contentType(v []byte) (start, end, remap int, iss *syntaxIssue) {
	var buf [16]byte
	digits := buf[:0] // on the stack unless the number is longer
	i := 0
	for i < len(v) {
		c, n := unescapeAt(v, i)
		if !isSpace(c) {
			break
		}
		i += n
	}
	start = i
	for i < len(v) {
		c, n := unescapeAt(v, i)
		if !isDigit(c) {
			break
		}
		digits = append(digits, c)
		i += n
	}
	end = i
	if len(digits) == 0 {
		msg := "expected a decimal number as CONTENTTYPE, found " + describe(v, i)
		if i < len(v) {
			if c, _ := unescapeAt(v, i); c == '-' || c == '+' {
				msg = "expected a decimal number without sign as CONTENTTYPE, found " + describe(v, i)
			}
		}
		return 0, 0, -1, &syntaxIssue{i, msg}
	}
	for i < len(v) {
		c, n := unescapeAt(v, i)
		if !isSpace(c) {
			msg := "expected only spaces or tabs after the CONTENTTYPE number, found " + describe(v, i)
			if c|0x20 == 'x' && len(digits) == 1 && digits[0] == '0' {
				msg = "expected a decimal number as CONTENTTYPE, found a hexadecimal value"
				i = start
			}
			return 0, 0, -1, &syntaxIssue{i, msg}
		}
		i += n
	}
	return start, end, remapIndex(digits), nil
}
