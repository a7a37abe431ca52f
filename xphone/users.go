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
	out, err := newUsersWriter(w, opts)
	if err != nil {
		return rep, err
	}
	ur, err := NewUsersReader(r)
	if err != nil {
		return rep, err
	}
	rep.Encoding = ur.Encoding
	rep.Separator = string(ur.Separator)
	conv, err := newUserConverter(ur.Header, m, opts.Phone, out.sep)
	if err != nil {
		return rep, err
	}
	rep.Header = conv.outHeader()
	if err := out.header(rep.Header); err != nil {
		return rep, err
	}
	if err := convertRows(ctx, ur, conv, out, opts, &rep); err != nil {
		return rep, err
	}
	return rep, out.err
}

// convertRows converts the rows of ur into out and rep.
func convertRows(ctx context.Context, ur *UsersReader, conv *userConverter, out *usersWriter, opts UsersOptions, rep *UsersReport) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := ur.Read()
		if err == io.EOF {
			break
		}
		// A malformed row is skipped and reading goes on; any other error
		// is final, also a *position.Error of the input (the reader would
		// return it again and again).
		var pe *position.Error
		if errors.As(err, &pe) && errors.Is(err, ErrRow) {
			rep.Rows++
			rep.Skipped = append(rep.Skipped, Problem{Line: row.Line, Message: pe.Err.Error()})
			continue
		}
		if err != nil {
			return err
		}
		rep.Rows++
		if opts.Progress != nil {
			opts.Progress(rep.Rows)
		}
		u, vals, warnings, problem := conv.convert(row)
		if problem == nil {
			problem = out.row(row.Line, vals)
		}
		if problem != nil {
			rep.Skipped = append(rep.Skipped, *problem)
			continue
		}
		conv.written(u)
		rep.Users = append(rep.Users, u)
		rep.Warnings = append(rep.Warnings, warnings...)
	}
	return nil
}

// usersWriter writes the lines of the V9 users.csv: CRLF, the separator and
// the encoding of the options; it remembers the first write error.
type usersWriter struct {
	w       io.Writer
	sep     rune
	enc     func(string) (string, error)
	names   []string // the output columns, for problems
	utf8BOM bool
	err     error
}

func newUsersWriter(w io.Writer, opts UsersOptions) (*usersWriter, error) {
	uw := &usersWriter{w: w, sep: opts.Separator}
	if uw.sep == 0 {
		uw.sep = '\t'
	}
	if !strings.ContainsRune("\t,; ", uw.sep) {
		return nil, fmt.Errorf("output separator %q: TAB, comma, semicolon or space expected", uw.sep)
	}
	switch strings.ToLower(opts.Encoding) {
	case "", EncodingUTF8, "utf8":
		uw.utf8BOM = true
		uw.enc = func(s string) (string, error) { return s, nil }
	case EncodingWindows1252, "cp1252":
		e := charmap.Windows1252.NewEncoder()
		uw.enc = func(s string) (string, error) { return e.String(s) }
	default:
		return nil, fmt.Errorf("output encoding %q: utf-8 or windows-1252 expected", opts.Encoding)
	}
	return uw, nil
}

// header writes the byte order mark (UTF-8) and the header line.
func (uw *usersWriter) header(names []string) error {
	for _, h := range names {
		if strings.ContainsRune(h, uw.sep) || strings.ContainsAny(h, "\r\n") {
			return &position.Error{Line: 1, Offset: -1, Err: fmt.Errorf("%w: output column name %s contains the separator %s or a line break",
				ErrInvalid, quote(h), separatorName(uw.sep))}
		}
	}
	line, err := formatLine(names, uw.sep, uw.enc)
	if err != nil {
		return fmt.Errorf("output header: %w", err)
	}
	uw.names = names
	if uw.utf8BOM {
		uw.write("\uFEFF")
	}
	uw.write(line)
	return nil
}

// row writes the line of the row at line of the input, or returns why it
// cannot be written.
func (uw *usersWriter) row(line int, vals []string) *Problem {
	out, err := formatLine(vals, uw.sep, uw.enc)
	if err != nil {
		if i, r, ok := unencodable(vals, uw.enc); ok {
			return &Problem{Line: line, Column: uw.column(i), Value: vals[i], Message: cannotEncode(r)}
		}
		return &Problem{Line: line, Message: err.Error()}
	}
	uw.write(out)
	return nil
}

func (uw *usersWriter) write(s string) {
	if uw.err == nil {
		_, uw.err = io.WriteString(uw.w, s)
	}
}

// userConverter turns V4 rows into V9 users: the mapped values, the checks
// the V9 connector needs, and the IDs and accounts already written.
type userConverter struct {
	header    []string
	cols      []outColumn
	keyIdx    int
	phone     PhoneFormat
	sep       rune
	mandatory map[string]bool
	ids       map[string]int // trimmed ID -> line written
	accounts  map[string]int // folded account -> line written
	vals      []string
}

func newUserConverter(header []string, m Mapping, phone PhoneFormat, sep rune) (*userConverter, error) {
	cols, keyIdx, err := plan(header, m)
	if err != nil {
		return nil, &position.Error{Line: 1, Offset: -1, Err: err}
	}
	c := &userConverter{header: header, cols: cols, keyIdx: keyIdx, phone: phone, sep: sep,
		mandatory: map[string]bool{}, ids: map[string]int{}, accounts: map[string]int{}, vals: make([]string, len(cols))}
	for _, t := range Mandatory {
		c.mandatory[strings.ToLower(t)] = true
	}
	return c, nil
}

// outHeader is the header of the output: the target names.
func (c *userConverter) outHeader() []string {
	names := make([]string, len(c.cols))
	for i, col := range c.cols {
		names[i] = col.target
	}
	return names
}

// convert maps a row. It returns the user and its values, the phone numbers
// kept as they were, or the problem that keeps the row out of the output.
// The values are valid until the next call.
func (c *userConverter) convert(row Row) (User, []string, []Problem, *Problem) {
	line := row.Line
	warnings := c.values(row)
	if p := c.check(line); p != nil {
		return User{}, nil, nil, p
	}
	u := User{Line: line}
	for i, col := range c.cols {
		switch strings.ToLower(col.target) {
		case "id":
			u.ID = c.vals[i]
		case "account":
			u.Account = c.vals[i]
		}
	}
	if c.keyIdx >= 0 {
		u.Key = row.Fields[c.keyIdx]
	}
	if first, dup := c.ids[strings.TrimSpace(u.ID)]; dup {
		return u, nil, nil, &Problem{Line: line, Value: u.ID, Message: fmt.Sprintf("duplicate ID %s, first on line %d", quote(u.ID), first)}
	}
	if first, dup := c.accounts[strings.ToLower(strings.TrimSpace(u.Account))]; dup {
		return u, nil, nil, &Problem{Line: line, Value: u.Account, Message: fmt.Sprintf("duplicate account %s, first on line %d", quote(u.Account), first)}
	}
	return u, c.vals, warnings, nil
}

// written records that u's line was written: later rows with its ID or
// account are duplicates.
func (c *userConverter) written(u User) {
	c.ids[strings.TrimSpace(u.ID)] = u.Line
	c.accounts[strings.ToLower(strings.TrimSpace(u.Account))] = u.Line
}

// values sets c.vals from the row: the mapped columns and constants, phone
// numbers normalised where they can be; it returns those that cannot.
func (c *userConverter) values(row Row) []Problem {
	var warnings []Problem
	for i, col := range c.cols {
		v := col.value
		if col.src >= 0 {
			v = row.Fields[col.src]
		}
		if col.phone && c.phone.Country != "" {
			if n, err := c.phone.Normalize(v); err != nil {
				warnings = append(warnings, Problem{Line: row.Line, Column: c.header[col.src], Value: v, Message: "cannot be normalised: " + err.Error()})
			} else {
				v = n
			}
		}
		c.vals[i] = v
	}
	return warnings
}

// check returns the first value of c.vals the V9 connector would misread.
func (c *userConverter) check(line int) *Problem {
	for i, col := range c.cols {
		problem := func(val, format string, args ...any) *Problem {
			return &Problem{Line: line, Column: sourceName(c.header, col), Value: val, Message: fmt.Sprintf(format, args...)}
		}
		switch v := c.vals[i]; {
		case c.mandatory[strings.ToLower(col.target)] && strings.TrimSpace(v) == "":
			return problem("", "is empty; %s is mandatory", col.target)
		case strings.ContainsRune(v, c.sep):
			return problem(v, "contains the output separator %s: the V9 connector would split it", separatorName(c.sep))
		case strings.ContainsAny(v, "\r\n"):
			return problem(v, "contains a line break: the V9 connector would split the row")
		case i == 0 && strings.HasPrefix(v, "#"):
			return problem(v, "starts with #: the V9 connector would read the row as a comment")
		case !utf8.ValidString(v):
			return problem(v, "is not valid UTF-8")
		}
	}
	return nil
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
		if i, r, ok := unencodable(vals, enc); ok {
			return "", fmt.Errorf("value %s: %s", quote(vals[i]), cannotEncode(r))
		}
		return "", err
	}
	return out, nil
}

// unencodable finds the first value enc cannot write and the first
// character in it that is to blame.
func unencodable(vals []string, enc func(string) (string, error)) (field int, r rune, ok bool) {
	for i, v := range vals {
		if _, err := enc(v); err == nil {
			continue
		}
		for _, r := range v {
			if _, err := enc(string(r)); err != nil {
				return i, r, true
			}
		}
	}
	return 0, 0, false
}

// cannotEncode words a character that Windows-1252 has no byte for.
func cannotEncode(r rune) string {
	return fmt.Sprintf("character U+%04X %q cannot be written in Windows-1252 (write users.csv as UTF-8 instead)", r, r)
}

// column names the output column of field i.
func (uw *usersWriter) column(i int) string {
	if i < len(uw.names) {
		return uw.names[i]
	}
	return fmt.Sprintf("field %d", i+1)
}
