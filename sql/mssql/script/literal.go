package script

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
)

// AppendLiteral appends the T-SQL literal that gives back value v in a column
// of type t, and returns the extended buffer. Values are what a
// catalog.RowIter yields: nil, bool, int64, float64, float32, string, []byte,
// json.Number, time.Time or catalog.Variant (see catalog.RowIter for which Go
// types each SQL type accepts). t must be a system type: resolve alias types
// first.
//
// Strings never reach the script unescaped: quotes are doubled, "$(" is split
// so that sqlcmd variable substitution cannot see it, and a line break that
// would start a line sqlcmd reads as a command (GO, :r, !!, EXIT...) is
// written as NCHAR(13)/NCHAR(10).
func AppendLiteral(dst []byte, t catalog.Type, v any) ([]byte, error) {
	if v == nil {
		return append(dst, "NULL"...), nil
	}
	switch name := t.Base(); name {
	case "bit":
		b, err := toBool(v)
		if err != nil {
			return dst, err
		}
		if b {
			return append(dst, '1'), nil
		}
		return append(dst, '0'), nil
	case "tinyint", "smallint", "int", "bigint":
		s, err := toText(v)
		if err != nil {
			return dst, err
		}
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return dst, fmt.Errorf("%q is not an integer", s)
		}
		return append(dst, s...), nil
	case "decimal", "numeric", "money", "smallmoney":
		s, err := toText(v)
		if err != nil {
			return dst, err
		}
		if !isDecimal(s) {
			return dst, fmt.Errorf("%q is not a decimal number", s)
		}
		return append(dst, s...), nil
	case "float", "real":
		bits := 64
		if name == "real" || (t.Precision > 0 && t.Precision <= 24) {
			bits = 32
		}
		return appendFloat(dst, v, bits)
	case "date", "datetime", "smalldatetime", "datetime2", "time", "datetimeoffset":
		tm, err := toTime(v)
		if err != nil {
			return dst, err
		}
		dst = append(dst, '\'')
		dst = appendTime(dst, name, t.Scale, tm)
		return append(dst, '\''), nil
	case "char", "varchar", "text":
		s, err := toString(v)
		if err != nil {
			return dst, err
		}
		return appendString(dst, s, !isASCII(s), t.MaxLength < 0 || name == "text")
	case "nchar", "nvarchar", "ntext", "xml", "sysname":
		s, err := toString(v)
		if err != nil {
			return dst, err
		}
		return appendString(dst, s, true, t.MaxLength < 0 || name == "ntext" || name == "xml")
	case "uniqueidentifier":
		return appendGUID(dst, v)
	case "binary", "varbinary", "image", "timestamp", "rowversion":
		b, err := toBytes(v)
		if err != nil {
			return dst, err
		}
		return appendHex(dst, b), nil
	case "hierarchyid", "geometry", "geography":
		b, err := toBytes(v)
		if err != nil {
			return dst, err
		}
		dst = append(dst, "CAST("...)
		dst = appendHex(dst, b)
		return append(dst, " AS "+name+")"...), nil
	case "sql_variant":
		vr, ok := v.(catalog.Variant)
		if !ok {
			return dst, fmt.Errorf("sql_variant value of Go type %T (want catalog.Variant)", v)
		}
		if vr.Value == nil {
			return append(dst, "NULL"...), nil
		}
		if !isWord(vr.Type.Name) || vr.Type.IsUserDefined() || (vr.Collation != "" && !isWord(vr.Collation)) {
			return dst, fmt.Errorf("sql_variant base type %q / collation %q is not a plain name", vr.Type.Name, vr.Collation)
		}
		// Cast to the base type, then to sql_variant: in a multi-row VALUES
		// list every row must already be sql_variant, or SQL Server converts
		// the column to the highest-precedence base type among the rows.
		dst = append(dst, "CAST(CAST("...)
		dst, err := AppendLiteral(dst, vr.Type, vr.Value)
		if err != nil {
			return dst, err
		}
		dst = append(dst, " AS "...)
		dst = append(dst, vr.Type.SQL()...)
		dst = append(dst, ')')
		if vr.Collation != "" {
			dst = append(dst, " COLLATE "...)
			dst = append(dst, vr.Collation...)
		}
		return append(dst, " AS sql_variant)"...), nil
	default:
		return dst, fmt.Errorf("type %s cannot be scripted as a literal", t.SQL())
	}
}

// isWord reports whether s is a plain type or collation name.
func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			return false
		}
	}
	return true
}

func toText(v any) (string, error) {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int:
		return strconv.Itoa(x), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int16:
		return strconv.FormatInt(int64(x), 10), nil
	case uint8:
		return strconv.FormatInt(int64(x), 10), nil
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	case json.Number:
		return string(x), nil
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	}
	return "", fmt.Errorf("number of Go type %T", v)
}

func toBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case json.Number, string, []byte:
		s, _ := toText(x)
		switch strings.ToLower(s) {
		case "1", "true":
			return true, nil
		case "0", "false":
			return false, nil
		}
		return false, fmt.Errorf("%q is not a bit value", s)
	}
	return false, fmt.Errorf("bit of Go type %T", v)
}

// isDecimal accepts [-+]digits[.digits] as decimal, numeric and money text.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if s == "" || s == "." {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && !dot:
			dot = true
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

// appendFloat writes the shortest text that parses back to the same value.
// It always has an exponent, so T-SQL reads it as a float constant, not as a
// decimal that would be converted. A real is written as the exact double of
// its float32 value, so no double rounding happens on the way back.
func appendFloat(dst []byte, v any, bits int) ([]byte, error) {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int64:
		f = float64(x)
	case json.Number, string, []byte:
		s, _ := toText(x)
		p, err := strconv.ParseFloat(s, bits)
		if err != nil {
			return dst, fmt.Errorf("%q is not a float: %w", s, err)
		}
		f = p
	default:
		return dst, fmt.Errorf("float of Go type %T", v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, fmt.Errorf("float value %v has no T-SQL literal (SQL Server stores neither NaN nor infinity)", f)
	}
	if bits == 32 {
		f = float64(float32(f))
	}
	if f == 0 {
		return append(dst, "0E0"...), nil // also -0: SQL Server has no negative zero literal
	}
	return strconv.AppendFloat(dst, f, 'E', -1, 64), nil
}

var timeLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 -07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
	"15:04:05.999999999",
}

func toTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case string:
		// The common shape first: ISO date and time without an offset.
		if len(x) >= 19 && x[10] == 'T' && !strings.ContainsAny(x[19:], "+-Z") {
			if t, err := time.Parse("2006-01-02T15:04:05.999999999", x); err == nil {
				return t, nil
			}
		}
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, x); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a date/time (want ISO 8601, e.g. 2026-01-31T23:59:59.1234567+01:00)", x)
	}
	return time.Time{}, fmt.Errorf("date/time of Go type %T", v)
}

// appendTime writes the ISO 8601 forms every DATEFORMAT and language setting
// reads the same way, with the column's fractional-second digits.
func appendTime(dst []byte, name string, scale int, t time.Time) []byte {
	switch name {
	case "date":
		return t.AppendFormat(dst, "2006-01-02")
	case "smalldatetime":
		return t.AppendFormat(dst, "2006-01-02T15:04:05")
	case "datetime":
		// datetime keeps 1/300 s; three digits round back to the same tick.
		ms := (t.Nanosecond() + 500_000) / 1_000_000
		if ms == 1000 {
			ms = 999 // never carry into the next second: .999 rounds to the same tick as .9995
		}
		dst = t.AppendFormat(dst, "2006-01-02T15:04:05")
		return append(dst, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	case "time":
		dst = t.AppendFormat(dst, "15:04:05")
		return appendFraction(dst, t, scale)
	case "datetime2":
		dst = t.AppendFormat(dst, "2006-01-02T15:04:05")
		return appendFraction(dst, t, scale)
	default: // datetimeoffset
		dst = t.AppendFormat(dst, "2006-01-02T15:04:05")
		dst = appendFraction(dst, t, scale)
		return t.AppendFormat(dst, "-07:00")
	}
}

// appendFraction writes scale digits of the fraction, truncated: the value
// came from a column of that scale, so nothing below it is set.
func appendFraction(dst []byte, t time.Time, scale int) []byte {
	if scale <= 0 {
		return dst
	}
	if scale > 7 {
		scale = 7
	}
	var frac [9]byte
	ns := t.Nanosecond()
	for i := 8; i >= 0; i-- {
		frac[i] = byte('0' + ns%10)
		ns /= 10
	}
	return append(append(dst, '.'), frac[:scale]...)
}

func toString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	}
	return "", fmt.Errorf("text of Go type %T", v)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// maxPiece bounds one quoted piece of a split string: concatenating short
// literals is limited to 8000 bytes unless one operand is a max type, so a
// split string longer than that starts with CAST(... AS nvarchar(max)).
const maxNonMaxBytes = 8000

// appendString writes s as '...' or N'...'. A string that has to be split (for
// "$(" or a dangerous line start) becomes a concatenation; when it is longer
// than a non-max string can hold, the first piece is cast to (n)varchar(max).
func appendString(dst []byte, s string, national, isMax bool) ([]byte, error) {
	if !utf8.ValidString(s) {
		return dst, fmt.Errorf("text is not valid UTF-8")
	}
	if !mayNeedSplit(s) {
		return appendQuoted(dst, s, national), nil
	}
	pieces := splitString(s)
	if len(pieces) == 1 && pieces[0].lit {
		return appendQuoted(dst, s, national), nil
	}
	width := len(s)
	if national {
		width *= 2
	}
	castMax := isMax || width > maxNonMaxBytes
	for i, p := range pieces {
		if i > 0 {
			dst = append(dst, " + "...)
		}
		if i == 0 && castMax {
			dst = append(dst, "CAST("...)
		}
		if p.lit {
			dst = appendQuoted(dst, p.text, national)
		} else {
			fn := "CHAR("
			if national {
				fn = "NCHAR("
			}
			dst = strconv.AppendInt(append(dst, fn...), int64(p.text[0]), 10)
			dst = append(dst, ')')
		}
		if i == 0 && castMax {
			if national {
				dst = append(dst, " AS nvarchar(max))"...)
			} else {
				dst = append(dst, " AS varchar(max))"...)
			}
		}
	}
	return dst, nil
}

func appendQuoted(dst []byte, s string, national bool) []byte {
	if national {
		dst = append(dst, 'N')
	}
	dst = append(dst, '\'')
	for {
		i := strings.IndexByte(s, '\'')
		if i < 0 {
			break
		}
		dst = append(dst, s[:i+1]...)
		dst = append(dst, '\'')
		s = s[i+1:]
	}
	dst = append(dst, s...)
	return append(dst, '\'')
}

// mayNeedSplit is a quick scan for the bytes splitString cuts at.
func mayNeedSplit(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '$', '\r', '\n', 0:
			return true
		}
	}
	return false
}

// piece is a quoted run of text (lit) or a single control byte written as
// CHAR(n)/NCHAR(n).
type piece struct {
	text string
	lit  bool
}

// splitString cuts s where a literal would be unsafe in a sqlcmd script:
// between "$" and "(", at NUL bytes, and at the line breaks before a line that
// sqlcmd would read as a command. Most strings come back as one piece.
func splitString(s string) []piece {
	var out []piece
	start := 0
	emit := func(end int) {
		if end > start {
			out = append(out, piece{text: s[start:end], lit: true})
		}
		start = end
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '$':
			if i+1 < len(s) && s[i+1] == '(' {
				emit(i + 1)
			}
		case 0:
			emit(i)
			out = append(out, piece{text: s[i : i+1]})
			start = i + 1
		case '\r', '\n':
			// The break run that ends at j starts a new script line.
			j := i
			for j < len(s) && (s[j] == '\r' || s[j] == '\n') {
				j++
			}
			if dangerousLine(s[j:]) {
				emit(i)
				for k := i; k < j; k++ {
					out = append(out, piece{text: s[k : k+1]})
				}
				start = j
			}
			i = j - 1
		}
	}
	emit(len(s))
	if len(out) == 0 {
		out = append(out, piece{lit: true})
	}
	return out
}

// dangerousLine reports whether a script line starting with s could be read
// by sqlcmd or a batch splitter as a command instead of text: GO, a :command,
// !!, or the colon-less ED, RESET, EXIT and QUIT.
func dangerousLine(s string) bool {
	s = strings.TrimLeft(s, " \t")
	if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "!!") {
		return true
	}
	for _, w := range []string{"go", "ed", "reset", "exit", "quit"} {
		if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) {
			if len(s) == len(w) || !isWordByte(s[len(w)]) {
				return true
			}
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c == '@' || c == '#' || c == '$' || c >= 0x80 ||
		(c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func toBytes(v any) ([]byte, error) {
	switch x := v.(type) {
	case []byte:
		return x, nil
	case string:
		h := x
		if strings.HasPrefix(h, "0x") || strings.HasPrefix(h, "0X") {
			h = h[2:]
		}
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, fmt.Errorf("%.40q is not hexadecimal binary (want 0x...)", x)
		}
		return b, nil
	}
	return nil, fmt.Errorf("binary of Go type %T", v)
}

const hexDigits = "0123456789ABCDEF"

func appendHex(dst []byte, b []byte) []byte {
	dst = append(dst, "0x"...)
	for _, c := range b {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return dst
}

// appendGUID writes 'XXXXXXXX-XXXX-...'. Text is checked; 16 raw bytes are
// read in SQL Server's order (the first three groups little-endian).
func appendGUID(dst []byte, v any) ([]byte, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = strings.ToUpper(x)
	case []byte:
		if len(x) != 16 {
			return dst, fmt.Errorf("uniqueidentifier of %d bytes (want 16)", len(x))
		}
		o := []byte{x[3], x[2], x[1], x[0], x[5], x[4], x[7], x[6], x[8], x[9], x[10], x[11], x[12], x[13], x[14], x[15]}
		h := strings.ToUpper(hex.EncodeToString(o))
		s = h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	default:
		return dst, fmt.Errorf("uniqueidentifier of Go type %T", v)
	}
	if len(s) != 36 {
		return dst, fmt.Errorf("%q is not a uniqueidentifier", s)
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return dst, fmt.Errorf("%q is not a uniqueidentifier", s)
			}
		} else if !strings.ContainsRune(hexDigits, rune(c)) {
			return dst, fmt.Errorf("%q is not a uniqueidentifier", s)
		}
	}
	dst = append(dst, '\'')
	dst = append(dst, s...)
	return append(dst, '\''), nil
}
