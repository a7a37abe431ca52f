// Package connstr reads the key=value connection strings of SQL Server as
// the programs that take them read them, and keeps where each setting
// stands: internal/secret masks the values it must hide at those places,
// xphone/atlas replaces one value byte for byte and leaves the rest of the
// string as it was.
//
// The programs disagree, so there is one reader per program: ADONet for
// .NET's SqlClient (what XPhone Connect reads from atlas.xml), GoMSSQL for
// go-mssqldb's ADO form and ODBC for its "odbc:" form (what xdm's sql
// commands pass to the driver). They share the setting they return and the
// reading of quoted and braced values.
package connstr

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Setting is one part of a connection string.
type Setting struct {
	// Key is the keyword as written, without the blanks around it.
	Key string
	// Value is the value as the program reads it: quotes removed, doubled
	// quotes and braces resolved, blanks trimmed where the program trims
	// them.
	Value string
	// NoValue reports a part without "=" (go-mssqldb and ODBC take the
	// part and ignore it).
	NoValue bool
	// Start and End delimit the part in the string, without the ";" that
	// ends it. ValueStart and ValueEnd delimit the value as written (for
	// ADONet and ODBC from its first character, quotes included, to its
	// last; for GoMSSQL everything after the "=", which the driver trims).
	Start, End, ValueStart, ValueEnd int
}

// ErrSyntax is the cause of a string the program would refuse.
var ErrSyntax = errors.New("invalid connection string")

// ADONet reads s as .NET's SqlClient does (DbConnectionStringBuilder
// without ODBC rules): settings separated by ";", keywords trimmed, "=="
// standing for "=" in a keyword, values quoted with ' or " (a doubled quote
// stands for itself) or, as XPhone also writes them, in braces ("}}" for
// "}"), else running to the next ";" with trailing blanks trimmed. Errors
// (ErrSyntax) do not quote the text: it may be a password.
func ADONet(s string) ([]Setting, error) {
	var out []Setting
	i := 0
	for {
		for i < len(s) && (s[i] == ';' || isBlank(s[i])) {
			i++
		}
		if i >= len(s) {
			return out, nil
		}
		st := Setting{Start: i}
		var key strings.Builder
		for {
			if i >= len(s) {
				return out, fmt.Errorf("%w: the setting at byte %d has no \"=\"", ErrSyntax, st.Start+1)
			}
			if s[i] == '=' {
				if i+1 < len(s) && s[i+1] == '=' { // "==" is a literal '=' in a keyword
					key.WriteByte('=')
					i += 2
					continue
				}
				break
			}
			key.WriteByte(s[i])
			i++
		}
		st.Key = strings.TrimSpace(key.String())
		if st.Key == "" {
			return out, fmt.Errorf("%w: an empty keyword at byte %d", ErrSyntax, st.Start+1)
		}
		i++ // '='
		for i < len(s) && isBlank(s[i]) {
			i++
		}
		st.ValueStart = i
		if i < len(s) && (s[i] == '"' || s[i] == '\'' || s[i] == '{') {
			closer := s[i]
			if closer == '{' {
				closer = '}'
			}
			v, end, ok := quoted(s, i+1, closer)
			if !ok {
				return out, fmt.Errorf("%w: a value opened with %c is not closed", ErrSyntax, s[i])
			}
			st.Value, i = v, end
		} else {
			end := strings.IndexByte(s[i:], ';')
			if end < 0 {
				end = len(s) - i
			}
			st.Value = strings.TrimRight(s[i:i+end], " \t\r\n")
			i += len(st.Value)
		}
		st.ValueEnd = i
		for i < len(s) && isBlank(s[i]) {
			i++
		}
		if i < len(s) && s[i] != ';' {
			return out, fmt.Errorf("%w: \";\" expected after the value of %s", ErrSyntax, st.Key)
		}
		st.End = i
		out = append(out, st)
	}
}

// GoMSSQL reads s as go-mssqldb reads an ADO connection string: parts split
// at ";" outside double quotes ("" is a quote inside them), the key up to
// the first "=", key and value trimmed, a value in double quotes unquoted.
// Blank parts are left out. It reads any string.
func GoMSSQL(s string) []Setting {
	var out []Setting
	inQuotes := false
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch {
			case s[i] == '"' && inQuotes && i+1 < len(s) && s[i+1] == '"':
				i++
				continue
			case s[i] == '"':
				inQuotes = !inQuotes
				continue
			case s[i] != ';' || inQuotes:
				continue
			}
		}
		if part := s[start:i]; strings.TrimSpace(part) != "" {
			out = append(out, goMSSQLPart(part, start))
		}
		start = i + 1
	}
	return out
}

func goMSSQLPart(part string, start int) Setting {
	rawKey, rawVal, hasEq := strings.Cut(part, "=")
	st := Setting{Key: strings.TrimSpace(rawKey), NoValue: !hasEq, Start: start, End: start + len(part)}
	if !hasEq {
		st.ValueStart, st.ValueEnd = st.End, st.End
		return st
	}
	st.ValueStart, st.ValueEnd = start+len(rawKey)+1, st.End
	v := strings.TrimSpace(rawVal)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = strings.ReplaceAll(v[1:len(v)-1], `""`, `"`)
	}
	st.Value = v
	return st
}

// ODBC reads s from offset start as go-mssqldb reads an ODBC connection
// string: key=value pairs split at ";", a value either bare (to the next
// ";", trailing blanks trimmed) or in braces, "}}" standing for "}". A key
// without a value is a part with NoValue. It fails (ErrSyntax) where the
// driver does: a part that starts with "=", a brace that is not closed,
// text after a braced value.
func ODBC(s string, start int) ([]Setting, error) {
	var out []Setting
	pos := start
	for pos < len(s) {
		pos = skipODBCSpace(s, pos, true)
		if pos == len(s) {
			break
		}
		st := Setting{Start: pos}
		if s[pos] == '=' {
			return out, fmt.Errorf("%w: a part at byte %d starts with \"=\"", ErrSyntax, pos+1)
		}
		for pos < len(s) && s[pos] != '=' && s[pos] != ';' {
			pos++
		}
		st.Key = strings.TrimRightFunc(s[st.Start:pos], unicode.IsSpace)
		if pos == len(s) || s[pos] == ';' {
			st.NoValue, st.End, st.ValueStart, st.ValueEnd = true, pos, pos, pos
			out = append(out, st)
			continue
		}
		pos = skipODBCSpace(s, pos+1, false)
		st.ValueStart = pos
		if pos < len(s) && s[pos] == '{' {
			v, end, ok := quoted(s, pos+1, '}')
			if !ok {
				return out, fmt.Errorf("%w: a value opened with { is not closed", ErrSyntax)
			}
			st.Value, pos = v, end
			if after := skipODBCSpace(s, pos, false); after < len(s) && s[after] != ';' {
				return out, fmt.Errorf("%w: \";\" expected after the value of %s", ErrSyntax, st.Key)
			}
		} else {
			for pos < len(s) && s[pos] != ';' {
				pos++
			}
			st.Value = strings.TrimRightFunc(s[st.ValueStart:pos], unicode.IsSpace)
		}
		st.End, st.ValueEnd = pos, pos
		out = append(out, st)
	}
	return out, nil
}

// quoted reads a value from s[i:], just after its opening quote or brace,
// up to closer; a doubled closer stands for itself. It returns the value
// and the index after the closer, or false when the value is not closed.
func quoted(s string, i int, closer byte) (string, int, bool) {
	var v strings.Builder
	for j := i; j < len(s); j++ {
		if s[j] == closer {
			if j+1 < len(s) && s[j+1] == closer {
				v.WriteByte(closer)
				j++
				continue
			}
			return v.String(), j + 1, true
		}
		v.WriteByte(s[j])
	}
	return "", 0, false
}

// isBlank reports the blanks SqlClient trims around keywords and values.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// skipODBCSpace returns the position of the first character from pos that
// is no white space (nor, with semicolons, a ";").
func skipODBCSpace(s string, pos int, semicolons bool) int {
	for pos < len(s) {
		c, size := utf8.DecodeRuneInString(s[pos:])
		if !unicode.IsSpace(c) && !(semicolons && c == ';') {
			break
		}
		pos += size
	}
	return pos
}
