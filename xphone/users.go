package xphone

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/xdm-migrate/xdm/position"
)

// Output encodings.
const (
	EncodingUTF8        = "utf-8"
	EncodingWindows1252 = "windows-1252"
)

// Input encodings ConvertUsers detects.
const (
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
	// encUTF8NoBOM is UTF-8 recognised by its content (see decodeInput).
	encUTF8NoBOM = "utf-8 (no BOM)"
)

// UsersOptions controls ConvertUsers. The zero value writes UTF-8 with BOM,
// TAB-separated, CRLF, and leaves phone numbers as they are.
type UsersOptions struct {
	// Phone normalises phone numbers (see PhoneFormat.Normalize).
	Phone PhoneFormat
	// Encoding of the output: EncodingUTF8 (with BOM, default) or EncodingWindows1252.
	Encoding string
	// Separator of the output: '\t' (default), ',', ';' or ' '.
	Separator rune
	// Progress is called after each input row with the number of rows read.
	Progress func(rows int)
}

// User is one row written to the V9 users.csv.
type User struct {
	Line    int    `json:"line"`    // line of the row in the V4 users.csv
	ID      string `json:"id"`      // V9 ID
	Account string `json:"account"` // V9 account
	Key     string `json:"key"`     // the value of Mapping.KeyColumn: voicemail/<Key>/
}

// Problem is a row that was not written or a value that was kept as it was,
// with the line of the V4 users.csv the row starts on.
type Problem struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"` // source column, when one is to blame
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d: ", p.Line)
	switch {
	case p.Column != "" && p.Value == "":
		b.WriteString(p.Column + " ")
	case p.Column != "":
		b.WriteString(p.Column + " " + quote(p.Value) + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// quote puts s in double quotes, showing tabs and line breaks as \t, \r,
// \n; backslashes stay as they are (DOMAIN\user).
func quote(s string) string {
	return `"` + strings.NewReplacer("\t", `\t`, "\r", `\r`, "\n", `\n`).Replace(s) + `"`
}

// UsersReport is the outcome of ConvertUsers.
type UsersReport struct {
	Encoding  string    `json:"encoding"`  // detected: utf-8, utf-8 (no BOM), utf-16le, utf-16be, windows-1252
	Separator string    `json:"separator"` // detected: ";", "," or "\t"
	Header    []string  `json:"header"`    // the output header
	Rows      int       `json:"rows"`      // data rows read
	Users     []User    `json:"users"`     // rows written, in input order
	Skipped   []Problem `json:"skipped"`   // rows not written
	Warnings  []Problem `json:"warnings"`  // rows written with a value left as it was (phone numbers)
}

// ErrInvalid is wrapped by errors about input that does not fit the format.
var ErrInvalid = errors.New("invalid export")

// decodeInput detects the encoding from the BOM and returns the text as
// UTF-8 without the BOM: UTF-8 and UTF-16 need a BOM, anything else is
// Windows-1252, with one exception: text without a BOM that has non-ASCII
// bytes and is entirely valid UTF-8 is UTF-8 (Windows-1252 text with
// umlauts practically never is valid UTF-8, while UTF-8 read as
// Windows-1252 would turn every ü into Ã¼).
func decodeInput(b []byte) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:], EncodingUTF8, nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		return out, encUTF16LE, err
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		return out, encUTF16BE, err
	}
	if utf8.Valid(b) && bytes.ContainsFunc(b, func(r rune) bool { return r >= utf8.RuneSelf }) {
		return b, encUTF8NoBOM, nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	return out, EncodingWindows1252, err
}

// detectSeparator picks the most frequent of ';', ',' and TAB outside
// quotes in the header line; ';' on a tie or when there is none.
func detectSeparator(text []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range text {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		counts[c]++
	}
	best := byte(';')
	for _, c := range []byte{',', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

func separatorName(r rune) string {
	switch r {
	case '\t':
		return "TAB"
	case ' ':
		return "space"
	}
	return `"` + string(r) + `"`
}

// outColumn is one column of the output: a source column index or a constant.
type outColumn struct {
	target string
	src    int // -1: constant
	value  string
	phone  bool
}

// ConvertUsers reads a V4 users.csv from r and writes the V9 Text connector
// file to w: the header, then one line per user in input order. Rows that
// miss a mandatory attribute, repeat an ID or account (the first one wins),
// have a value the V9 connector would misread or that the output encoding
// cannot hold are not written and are listed in the report's Skipped. The
// error is non-nil only when nothing sensible can be written: an unreadable
// header, a mandatory column missing, an I/O error.
func ConvertUsers(ctx context.Context, r io.Reader, w io.Writer, m Mapping, opts UsersOptions) (UsersReport, error) {
	var rep UsersReport
	if err := m.Validate(); err != nil {
		return rep, err
	}
	sep := opts.Separator
	if sep == 0 {
		sep = '\t'
	}
	if !strings.ContainsRune("\t,; ", sep) {
		return rep, fmt.Errorf("output separator %q: TAB, comma, semicolon or space expected", sep)
	}
	var enc func(string) (string, error)
	utf8Out := false
	switch strings.ToLower(opts.Encoding) {
	case "", EncodingUTF8, "utf8":
		utf8Out = true
		enc = func(s string) (string, error) { return s, nil }
	case EncodingWindows1252, "cp1252":
		e := charmap.Windows1252.NewEncoder()
		enc = func(s string) (string, error) { return e.String(s) }
	default:
		return rep, fmt.Errorf("output encoding %q: utf-8 or windows-1252 expected", opts.Encoding)
	}
	ur, err := NewUsersReader(r)
	if err != nil {
		return rep, err
	}
	rep.Encoding = ur.Encoding
	rep.Separator = string(ur.Separator)
	header := ur.Header
	cols, keyIdx, err := plan(header, m)
	if err != nil {
		return rep, &position.Error{Line: 1, Offset: -1, Err: err}
	}
	outHeader := make([]string, len(cols))
	for i, c := range cols {
		outHeader[i] = c.target
	}
	rep.Header = outHeader
	for _, h := range outHeader {
		if strings.ContainsRune(h, sep) || strings.ContainsAny(h, "\r\n") {
			return rep, &position.Error{Line: 1, Offset: -1, Err: fmt.Errorf("%w: output column name %s contains the separator %s or a line break",
				ErrInvalid, quote(h), separatorName(sep))}
		}
	}
	hline, err := formatLine(outHeader, sep, enc)
	if err != nil {
		return rep, fmt.Errorf("output header: %w", err)
	}
	bw := &errWriter{w: w}
	if utf8Out {
		bw.write("\uFEFF")
	}
	bw.write(hline)

	ids := map[string]int{}
	accounts := map[string]int{}
	mandatory := map[string]bool{}
	for _, t := range Mandatory {
		mandatory[strings.ToLower(t)] = true
	}
	vals := make([]string, len(cols))
	for {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		row, err := ur.Read()
		if err == io.EOF {
			break
		}
		var le *position.Error
		if errors.As(err, &le) {
			rep.Rows++
			rep.Skipped = append(rep.Skipped, Problem{Line: row.Line, Message: le.Err.Error()})
			continue
		}
		if err != nil {
			return rep, err
		}
		rep.Rows++
		if opts.Progress != nil {
			opts.Progress(rep.Rows)
		}
		line, rec := row.Line, row.Fields
		skip := func(col, val, format string, args ...any) {
			rep.Skipped = append(rep.Skipped, Problem{Line: line, Column: col, Value: val, Message: fmt.Sprintf(format, args...)})
		}
		ok := true
		var warnings []Problem // kept only if the row is written
		for i, c := range cols {
			v := c.value
			if c.src >= 0 {
				v = rec[c.src]
			}
			if c.phone && opts.Phone.Country != "" {
				if n, err := opts.Phone.Normalize(v); err != nil {
					warnings = append(warnings, Problem{Line: line, Column: header[c.src], Value: v, Message: "cannot be normalised: " + err.Error()})
				} else {
					v = n
				}
			}
			vals[i] = v
		}
		for i, c := range cols {
			src := sourceName(header, c)
			switch v := vals[i]; {
			case mandatory[strings.ToLower(c.target)] && strings.TrimSpace(v) == "":
				skip(src, "", "is empty; %s is mandatory", c.target)
			case strings.ContainsRune(v, sep):
				skip(src, v, "contains the output separator %s: the V9 connector would split it", separatorName(sep))
			case strings.ContainsAny(v, "\r\n"):
				skip(src, v, "contains a line break: the V9 connector would split the row")
			case i == 0 && strings.HasPrefix(v, "#"):
				skip(src, v, "starts with #: the V9 connector would read the row as a comment")
			case !utf8.ValidString(v):
				skip(src, v, "is not valid UTF-8")
			default:
				continue
			}
			ok = false
			break
		}
		if !ok {
			continue
		}
		u := User{Line: line}
		for i, c := range cols {
			switch strings.ToLower(c.target) {
			case "id":
				u.ID = vals[i]
			case "account":
				u.Account = vals[i]
			}
		}
		if keyIdx >= 0 {
			u.Key = rec[keyIdx]
		}
		idKey, accKey := strings.TrimSpace(u.ID), strings.ToLower(strings.TrimSpace(u.Account))
		if first, dup := ids[idKey]; dup {
			skip("", u.ID, "duplicate ID %s, first on line %d", quote(u.ID), first)
			continue
		}
		if first, dup := accounts[accKey]; dup {
			skip("", u.Account, "duplicate account %s, first on line %d", quote(u.Account), first)
			continue
		}
		out, err := formatLine(vals, sep, enc)
		if err != nil {
			skip("", "", "%v", err)
			continue
		}
		ids[idKey] = line
		accounts[accKey] = line
		bw.write(out)
		rep.Users = append(rep.Users, u)
		rep.Warnings = append(rep.Warnings, warnings...)
	}
	return rep, bw.err
}

func sourceName(header []string, c outColumn) string {
	if c.src >= 0 {
		return header[c.src]
	}
	return c.target + " (constant)"
}

// plan resolves the mapping against the header: the output columns in order
// and the index of the key column (-1 if absent).
func plan(header []string, m Mapping) ([]outColumn, int, error) {
	find := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
				return i
			}
		}
		return -1
	}
	seen := map[string]int{}
	for i, h := range header {
		if h == "" {
			continue // unnamed columns (a trailing separator) can repeat
		}
		if j, dup := seen[h]; dup {
			return nil, -1, fmt.Errorf("%w: column %q appears twice in the header (fields %d and %d)", ErrInvalid, h, j+1, i+1)
		}
		seen[h] = i
	}
	isPhone := map[string]bool{}
	for _, p := range m.PhoneColumns {
		isPhone[strings.ToLower(p)] = true
	}
	mandatory := map[string]bool{}
	for _, t := range Mandatory {
		mandatory[strings.ToLower(t)] = true
	}
	used := make([]bool, len(header))
	var cols []outColumn
	for _, c := range m.Columns {
		i := find(c.Source)
		if i < 0 {
			if mandatory[strings.ToLower(c.Target)] {
				return nil, -1, fmt.Errorf("%w: the header has no column %s (mapped to the mandatory %s); it has: %s",
					ErrInvalid, c.Source, c.Target, strings.Join(header, ", "))
			}
			continue
		}
		used[i] = true
		cols = append(cols, outColumn{target: c.Target, src: i, phone: isPhone[strings.ToLower(c.Target)]})
	}
	if m.KeepUnmapped {
		for i, h := range header {
			if !used[i] {
				cols = append(cols, outColumn{target: h, src: i, phone: isPhone[strings.ToLower(h)]})
			}
		}
	}
	for _, c := range m.Constants {
		cols = append(cols, outColumn{target: c.Target, src: -1, value: c.Value, phone: false})
	}
	key := -1
	if m.KeyColumn != "" {
		key = find(m.KeyColumn)
	}
	if key < 0 {
		for _, c := range cols {
			if strings.EqualFold(c.target, "ID") {
				key = c.src
			}
		}
	}
	return cols, key, nil
}

// formatLine joins vals with sep, ends the line with CRLF and encodes it.
func formatLine(vals []string, sep rune, enc func(string) (string, error)) (string, error) {
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteRune(sep)
		}
		b.WriteString(v)
	}
	b.WriteString("\r\n")
	out, err := enc(b.String())
	if err != nil {
		for _, v := range vals {
			if _, e := enc(v); e != nil {
				return "", fmt.Errorf("value %s cannot be written in Windows-1252", quote(v))
			}
		}
		return "", err
	}
	return out, nil
}

// errWriter remembers the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) write(s string) {
	if e.err == nil {
		_, e.err = io.WriteString(e.w, s)
	}
}
