package pgdump

// COPY text format, as the PostgreSQL COPY documentation defines it: fields
// separated by tabs, rows by newlines, \N alone is NULL, and inside a field a
// backslash starts one of \b \f \n \r \t \v (the control character), \ and
// one to three octal digits (the byte with that value, modulo 256), \x and one
// or two hex digits (that byte), or \ and any other character, which stands
// for that character itself.

// nullField is the default NULL marker of COPY text format.
const nullField = `\N`

// escapeOf maps a byte COPY TO escapes to the letter after the backslash;
// unescape is the reverse. Zero means none.
var escapeOf, unescape = func() (esc, unesc [256]byte) {
	for _, p := range [...][2]byte{{'\\', '\\'}, {'\b', 'b'}, {'\f', 'f'}, {'\n', 'n'}, {'\r', 'r'}, {'\t', 't'}, {'\v', 'v'}} {
		esc[p[0]], unesc[p[1]] = p[1], p[0]
	}
	return esc, unesc
}()

// DecodeField decodes one COPY text field into dst (appending) and returns
// it; null is true for the NULL marker \N. Malformed input never fails: a
// trailing lone backslash stands for itself, as the server would refuse it
// anyway.
func DecodeField(dst, field []byte) (out []byte, null bool) {
	if string(field) == nullField {
		return dst, true
	}
	for i := 0; i < len(field); i++ {
		c := field[i]
		if c != '\\' || i+1 == len(field) {
			dst = append(dst, c)
			continue
		}
		i++
		c = field[i]
		switch {
		case unescape[c] != 0 && c != '\\':
			dst = append(dst, unescape[c])
		case c >= '0' && c <= '7':
			v := int(c - '0')
			for k := 0; k < 2 && i+1 < len(field) && field[i+1] >= '0' && field[i+1] <= '7'; k++ {
				i++
				v = v*8 + int(field[i]-'0')
			}
			dst = append(dst, byte(v&0o377))
		case c == 'x' && i+1 < len(field) && isHex(field[i+1]):
			i++
			v := unhex(field[i])
			if i+1 < len(field) && isHex(field[i+1]) {
				i++
				v = v<<4 | unhex(field[i])
			}
			dst = append(dst, v)
		default:
			dst = append(dst, c)
		}
	}
	return dst, false
}

// EncodeField appends value to dst in COPY text format the way COPY TO (and
// so pg_dump) writes it: backslash, and the control characters that have a
// letter escape, escaped; every other byte as it is.
func EncodeField(dst, value []byte) []byte {
	for _, c := range value {
		if e := escapeOf[c]; e != 0 {
			dst = append(dst, '\\', e)
		} else {
			dst = append(dst, c)
		}
	}
	return dst
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	default:
		return c - '0'
	}
}
