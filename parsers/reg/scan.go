package reg

// The hand-written scanner: it accepts exactly the entries that the
// grammar's `header` and `entry` rules accept (grammar/Reg.g4 with the modes
// of grammar/RegLexer.g4) and finds the same pieces in them, many times
// faster than the ANTLR runtime. TestDifferential and FuzzDifferential hold
// the two to that. On input it refuses, the grammar parses the entry again
// to word the error, so the scanner only has to say no.

// span is a range of code units [from, to) of an entry.
type span struct{ from, to int }

// entry is what a parse finds in an entry: its kind and where its pieces
// are. Both parsers fill it the same way; build decodes it into a Record.
type entry struct {
	kind    Kind
	version Version
	del     bool   // [-KEY]
	key     span   // the key path
	nameAt  bool   // @
	name    span   // the units between the quotes of the value name
	form    Form   // of the value's data
	hexType bool   // hex(N): rather than hex:
	typ     span   // the N of hex(N):
	str     span   // the units between the quotes of string data
	dword   span   // the digits of dword:
	hex     []span // the runs of hex bytes (HEXBYTES tokens)
}

// units is an entry's bytes read as code units of width w.
type units struct {
	b []byte
	w int
	n int // number of units
}

func newUnits(b []byte, w int) units { return units{b: b, w: w, n: len(b) / w} }

// at returns unit i, or -1 past the end.
func (u *units) at(i int) rune {
	if i >= u.n {
		return -1
	}
	if u.w == 1 {
		return rune(u.b[i])
	}
	return rune(u.b[2*i]) | rune(u.b[2*i+1])<<8
}

// hexDigits marks the ASCII hex digits.
var hexDigits = func() (t [128]bool) {
	for _, c := range "0123456789abcdefABCDEF" {
		t[c] = true
	}
	return t
}()

func isHexDigit(c rune) bool { return c >= 0 && c < 128 && hexDigits[c] }

func isBlank(c rune) bool { return c == ' ' || c == '\t' }

// blanks returns the index after the blanks at i.
func (u *units) blanks(i int) int {
	for isBlank(u.at(i)) {
		i++
	}
	return i
}

// lineEnd returns the index after the line end (CRLF, LF or CR) at i, or -1
// when there is none at i.
func (u *units) lineEnd(i int) int {
	switch u.at(i) {
	case '\r':
		if u.at(i+1) == '\n' {
			return i + 2
		}
		return i + 1
	case '\n':
		return i + 1
	}
	return -1
}

// hasPrefix reports whether the ASCII text s is at i.
func (u *units) hasPrefix(i int, s string) bool {
	if i+len(s) > u.n {
		return false
	}
	for k := 0; k < len(s); k++ {
		if u.at(i+k) != rune(s[k]) {
			return false
		}
	}
	return true
}

// last is the end of an entry: an optional line end, then nothing. It
// reports whether i is there.
func (u *units) last(i int) bool {
	if e := u.lineEnd(i); e >= 0 {
		i = e
	}
	return i == u.n
}

// lineRest accepts what may end a line after complete data (lexer mode
// LINE_END, parser rule lineEnd): blanks, then a comment or nothing. It
// returns the index of the line end (or the end), or -1.
func (u *units) lineRest(i int) int {
	i = u.blanks(i)
	if u.at(i) == ';' {
		return u.commentText(i + 1)
	}
	return u.endOfLine(i)
}

// endOfLine returns i when the line ends there, else -1.
func (u *units) endOfLine(i int) int {
	if c := u.at(i); c == -1 || c == '\r' || c == '\n' {
		return i
	}
	return -1
}

// commentText skips comment text (anything but a line end and NUL) and
// returns the index of the line end, or -1 at a NUL.
func (u *units) commentText(i int) int {
	for {
		switch u.at(i) {
		case -1, '\r', '\n':
			return i
		case 0:
			return -1
		}
		i++
	}
}

// quoted scans a quoted string whose opening quote is before i: text with
// the escapes \\ \" \n \r, up to the closing quote. It returns the index of
// the closing quote, or -1.
func (u *units) quoted(i int) int {
	for {
		switch u.at(i) {
		case '"':
			return i
		case '\\':
			switch u.at(i + 1) {
			case '"', '\\', 'n', 'r':
				i += 2
				continue
			}
			return -1
		case -1, '\r', '\n', 0:
			return -1
		}
		i++
	}
}

// scanHeader scans the first entry (parser rule `header`).
func scanHeader(b []byte, w int) (entry, bool) {
	u := newUnits(b, w)
	i := u.blanks(0)
	e := entry{kind: KindHeader}
	switch {
	case u.hasPrefix(i, "Windows Registry Editor Version 5.00"):
		e.version, i = Version5, i+36
	case u.hasPrefix(i, "REGEDIT4"):
		e.version, i = Version4, i+8
	default:
		return e, false
	}
	return e, u.last(i)
}

// scanEntry scans any other entry (parser rule `entry`).
func scanEntry(b []byte, w int) (entry, bool) {
	u := newUnits(b, w)
	i := u.blanks(0)
	var e entry
	switch u.at(i) {
	case '[':
		return u.keyLine(i + 1)
	case '@', '"':
		return u.valueLine(i)
	case ';':
		e.kind = KindComment
		i = u.commentText(i + 1)
	default:
		e.kind = KindBlank
	}
	return e, i >= 0 && u.last(i)
}

// keyLine scans the rest of a key line after its '['.
func (u *units) keyLine(i int) (entry, bool) {
	e := entry{kind: KindKey}
	if u.at(i) == '-' {
		e.del = true
		i++
	}
	end := i
	for {
		c := u.at(end)
		if c == -1 || c == '\r' || c == '\n' {
			break
		}
		if c == 0 {
			return e, false
		}
		end++
	}
	// The path runs to the last ']', which only blanks and a comment may
	// follow.
	last := -1
	for k := i; k < end; k++ {
		if u.at(k) == ']' {
			last = k
		}
	}
	if last <= i || isBlank(u.at(i)) {
		return e, false
	}
	if rest := u.blanks(last + 1); rest < end && u.at(rest) != ';' {
		return e, false
	}
	e.key = span{i, last}
	return e, u.last(end)
}

// valueLine scans a value line from its name.
func (u *units) valueLine(i int) (entry, bool) {
	e := entry{kind: KindValue}
	if u.at(i) == '@' {
		e.nameAt = true
		i++
	} else {
		end := u.quoted(i + 1)
		if end < 0 {
			return e, false
		}
		e.name = span{i + 1, end}
		i = end + 1
	}
	i = u.blanks(i)
	if u.at(i) != '=' {
		return e, false
	}
	i = u.blanks(i + 1)
	switch {
	case u.at(i) == '-':
		e.form = FormDelete
		i = u.lineRest(i + 1)
	case u.at(i) == '"':
		e.form = FormString
		end := u.quoted(i + 1)
		if end < 0 {
			return e, false
		}
		e.str = span{i + 1, end}
		i = u.lineRest(end + 1)
	case u.hasPrefix(i, "dword:"):
		e.form = FormDword
		i = u.blanks(i + 6)
		d := i
		for i < d+8 && isHexDigit(u.at(i)) {
			i++
		}
		if i == d {
			return e, false
		}
		e.dword = span{d, i}
		i = u.lineRest(i)
	case u.hasPrefix(i, "hex:"):
		e.form = FormHex
		i = u.hexData(&e, i+4)
	case u.hasPrefix(i, "hex("):
		e.form, e.hexType = FormHex, true
		d := i + 4
		i = d
		for isHexDigit(u.at(i)) {
			i++
		}
		if i == d || !u.hasPrefix(i, "):") {
			return e, false
		}
		e.typ = span{d, i}
		i = u.hexData(&e, i+2)
	default:
		return e, false
	}
	return e, i >= 0 && u.last(i)
}

// hexBytes scans a run of bytes (token HEXBYTES) at i, a hex digit: bytes of
// one or two digits, each after the first preceded by a comma and blanks.
// It returns the index after the run.
func (u *units) hexBytes(i int) int {
	for {
		i++
		if isHexDigit(u.at(i)) {
			i++
		}
		j := i
		if u.at(j) != ',' {
			return i
		}
		j = u.blanks(j + 1)
		if !isHexDigit(u.at(j)) {
			return i
		}
		i = j
	}
}

// hexData scans hex data from just after "hex:" or "hex(N):" (parser rules
// hexLines and below), with all its continuation lines, and records the
// runs of bytes in e. It returns the index of the final line end (or the
// end), or -1.
func (u *units) hexData(e *entry, i int) int {
	i = u.blanks(i)
	for {
		// A line of data: [bytes [, [blanks]]] then '\', a comment or the end.
		if isHexDigit(u.at(i)) {
			end := u.hexBytes(i)
			e.hex = append(e.hex, span{i, end})
			i = end
			if u.at(i) != ',' {
				return u.lineRest(i)
			}
			i = u.blanks(i + 1)
			if u.at(i) != '\\' {
				return u.lineRest(i)
			}
		} else if u.at(i) != '\\' {
			return u.lineRest(i)
		}
		// The continuation: the rest of the line after '\' and the blank and
		// comment lines up to the next line of bytes, or the end.
		if i = u.lineRest(i + 1); i < 0 {
			return -1
		}
		for {
			next := u.lineEnd(i)
			if next < 0 {
				return i // the end of the entry: the data ends with the backslash
			}
			i = u.blanks(next)
			switch c := u.at(i); {
			case c == ';':
				if i = u.commentText(i + 1); i < 0 {
					return -1
				}
				continue
			case c == -1 || c == '\r' || c == '\n':
				continue
			case !isHexDigit(c):
				return -1
			}
			break
		}
	}
}
