package mssql

import (
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Column describes a result set column as the driver reports it.
type Column struct {
	Name string
	// Type is the SQL Server type name in upper case: INT, NVARCHAR,
	// DATETIME2, ... (database/sql's DatabaseTypeName).
	Type string
	// Length is the declared length: characters for character types,
	// bytes for binary ones; more than 8000 (4000 for NCHAR/NVARCHAR) for
	// the (max) types. 0 when the type has none.
	Length int64
	// Precision and Scale of DECIMAL/NUMERIC; Scale is the fractional
	// second digits of TIME, DATETIME2 and DATETIMEOFFSET (7 when unknown).
	Precision, Scale int64
}

// Format are sqlcmd's output settings. The zero value is sqlcmd's default
// except for MaxVarWidth, where 0 means unlimited (sqlcmd's default is 256:
// DefaultFormat has it).
type Format struct {
	// Headers is how many rows are printed between column headings
	// (SQLCMDHEADERS, -h): 0 once per result set, -1 never.
	Headers int
	// Separator goes between columns (SQLCMDCOLSEP, -s); "" is a space.
	Separator string
	// Width wraps output lines at this many characters (SQLCMDCOLWIDTH,
	// -w); 0 does not wrap.
	Width int
	// TrimSpaces removes the padding of columns (-W).
	TrimSpaces bool
	// MaxVarWidth limits the display width of the (max) types, xml, text,
	// ntext and image (SQLCMDMAXVARTYPEWIDTH, -y); 0 is unlimited.
	MaxVarWidth int
	// MaxFixedWidth limits char(n), nchar(n), varchar(n), nvarchar(n),
	// varbinary(n) and sql_variant (SQLCMDMAXFIXEDTYPEWIDTH, -Y); 0 is
	// unlimited.
	MaxFixedWidth int
	// ControlChars replaces control characters in character columns
	// (-k): 0 keeps them, 1 replaces each by a space, 2 replaces each run
	// of them by one space.
	ControlChars int
	// ErrorLevel (SQLCMDERRORLEVEL, -m): error messages of a lower
	// severity are not printed; -1 also prints the "Msg" line of
	// informational messages.
	ErrorLevel int
}

// DefaultFormat is sqlcmd's output format without options.
var DefaultFormat = Format{MaxVarWidth: 256}

// printer is the Results of one batch: it writes result sets, messages and
// row counts the way sqlcmd lays them out, and remembers the first error.
type printer struct {
	out      io.Writer // result sets and row counts
	messages io.Writer // PRINT output and informational messages
	errOut   io.Writer // error messages
	format   Format
	failAt   uint8 // severity from which a message fails the batch
	file     string
	line     int64 // where the batch starts, for error messages

	noResults bool
	failed    *Message // first error (or state 127 message)
	state127  bool
	wantValue bool   // :exit(query): keep the first value of the last row
	value     string // that value
	hasValue  bool

	cols    []Column
	widths  []int // display width of each column; -1: unlimited
	rows    int   // rows of the current result set
	lineLen int   // characters on the current output line, for Width
}

func (p *printer) Message(m Message) {
	if m.State == 127 {
		p.state127 = true
	}
	failing := m.Class >= p.failAt || m.State == 127
	if failing && p.failed == nil {
		mm := m
		p.failed = &mm
	}
	p.endResultSet()
	if !m.IsError() {
		if p.format.ErrorLevel == -1 && (m.Number != 0 || m.Class != 0) {
			fmt.Fprintf(p.messages, "%s\n", m.header())
		}
		fmt.Fprintln(p.messages, m.Text)
		return
	}
	if p.format.ErrorLevel > 0 && int(m.Class) < p.format.ErrorLevel {
		return
	}
	fmt.Fprintf(p.errOut, "%s\n%s\n", m.header(), m.Text)
	if p.file != "" {
		fmt.Fprintf(p.errOut, "(at %s:%d)\n", p.file, p.line+int64(max(m.Line, 1))-1)
	}
}

// header is sqlcmd's first line of a message.
func (m Message) header() string {
	if m.Proc != "" {
		return fmt.Sprintf("Msg %d, Level %d, State %d, Server %s, Procedure %s, Line %d", m.Number, m.Class, m.State, m.Server, m.Proc, m.Line)
	}
	return fmt.Sprintf("Msg %d, Level %d, State %d, Server %s, Line %d", m.Number, m.Class, m.State, m.Server, m.Line)
}

func (p *printer) ResultSet(columns []Column) {
	p.endResultSet()
	p.cols, p.rows = columns, 0
	p.widths = make([]int, len(columns))
	for i, c := range columns {
		p.widths[i] = p.displayWidth(c)
	}
	if !p.noResults && p.format.Headers >= 0 {
		p.printHeadings()
	}
}

func (p *printer) Row(values []any) {
	if p.wantValue && len(values) > 0 {
		p.value, p.hasValue = "", true
		if len(p.cols) > 0 {
			p.value = formatValue(values[0], p.cols[0])
		} else {
			p.value = fmt.Sprint(values[0])
		}
	}
	if p.noResults || p.cols == nil {
		return
	}
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteString(p.separator())
		}
		var c Column
		if i < len(p.cols) {
			c = p.cols[i]
		}
		b.WriteString(p.cell(formatValue(v, c), i, c))
	}
	b.WriteByte('\n')
	p.write(p.out, b.String())
	p.rows++
	if p.format.Headers > 0 && p.rows%p.format.Headers == 0 {
		p.write(p.out, "\n")
		p.printHeadings()
	}
}

func (p *printer) RowsAffected(n int64) {
	p.endResultSet()
	if n == 1 {
		p.write(p.out, "(1 row affected)\n")
	} else {
		p.write(p.out, fmt.Sprintf("(%d rows affected)\n", n))
	}
}

// endResultSet ends a result set with the blank line sqlcmd prints.
func (p *printer) endResultSet() {
	if p.cols != nil && !p.noResults {
		p.write(p.out, "\n")
	}
	p.cols = nil
}

// flush ends the batch.
func (p *printer) flush() { p.endResultSet() }

func (p *printer) separator() string {
	if p.format.Separator == "" {
		return " "
	}
	return p.format.Separator
}

// printHeadings prints the column names and the dashes under them.
func (p *printer) printHeadings() {
	var names, dashes strings.Builder
	for i, c := range p.cols {
		if i > 0 {
			names.WriteString(p.separator())
			dashes.WriteString(p.separator())
		}
		w := p.widths[i]
		name := c.Name
		n := utf8.RuneCountInString(name)
		switch {
		case p.format.TrimSpaces:
			w = max(n, 1)
		case w < 0:
			w = n
		}
		if n > w {
			name, n = truncate(name, w), w
		}
		names.WriteString(name)
		if !p.format.TrimSpaces {
			names.WriteString(strings.Repeat(" ", w-n))
		}
		dashes.WriteString(strings.Repeat("-", w))
	}
	p.write(p.out, names.String()+"\n")
	p.write(p.out, dashes.String()+"\n")
}

// cell lays out one value in column i.
func (p *printer) cell(s string, i int, c Column) string {
	if isCharType(c.Type) {
		s = replaceControls(s, p.format.ControlChars)
	}
	w := -1
	if i < len(p.widths) {
		w = p.widths[i]
	}
	n := utf8.RuneCountInString(s)
	if w >= 0 && n > w {
		s, n = truncate(s, w), w
	}
	if p.format.TrimSpaces {
		return strings.TrimRight(s, " ")
	}
	if w < 0 || n >= w {
		return s
	}
	pad := strings.Repeat(" ", w-n)
	if rightAligned(c.Type) {
		return pad + s
	}
	return s + pad
}

// write writes s to w, wrapping lines at Format.Width.
func (p *printer) write(w io.Writer, s string) {
	if p.format.Width <= 0 {
		io.WriteString(w, s)
		return
	}
	var b strings.Builder
	for _, r := range s {
		if r == '\n' {
			p.lineLen = 0
		} else {
			if p.lineLen == p.format.Width {
				b.WriteByte('\n')
				p.lineLen = 0
			}
			p.lineLen++
		}
		b.WriteRune(r)
	}
	io.WriteString(w, b.String())
}

func truncate(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

// displayWidth is the width of a column: the ODBC display size of its type
// (at least the width of its name), limited by MaxVarWidth and
// MaxFixedWidth; -1 is unlimited.
func (p *printer) displayWidth(c Column) int {
	name := utf8.RuneCountInString(c.Name)
	fixed := func(n int64) int {
		if p.format.MaxFixedWidth > 0 {
			n = min(n, int64(p.format.MaxFixedWidth))
		}
		return max(int(n), name)
	}
	variable := func() int {
		if p.format.MaxVarWidth == 0 {
			return -1
		}
		return max(p.format.MaxVarWidth, name)
	}
	frac := func(base int) int {
		if c.Scale > 0 {
			return base + 1 + int(c.Scale)
		}
		return base
	}
	switch c.Type {
	case "BIT":
		return max(1, name)
	case "TINYINT":
		return max(3, name)
	case "SMALLINT":
		return max(6, name)
	case "INT":
		return max(11, name)
	case "BIGINT":
		return max(20, name)
	case "REAL":
		return max(14, name)
	case "FLOAT":
		return max(24, name)
	case "SMALLMONEY":
		return max(12, name)
	case "MONEY":
		return max(21, name)
	case "DECIMAL", "NUMERIC":
		return max(int(c.Precision)+2, name)
	case "DATE":
		return max(10, name)
	case "TIME":
		return max(frac(8), name)
	case "SMALLDATETIME":
		return max(19, name)
	case "DATETIME":
		return max(23, name)
	case "DATETIME2":
		return max(frac(19), name)
	case "DATETIMEOFFSET":
		return max(frac(26), name)
	case "UNIQUEIDENTIFIER":
		return max(36, name)
	case "CHAR", "VARCHAR":
		if c.Length > 8000 || c.Length <= 0 {
			return variable()
		}
		return fixed(c.Length)
	case "NCHAR", "NVARCHAR":
		if c.Length > 4000 || c.Length <= 0 {
			return variable()
		}
		return fixed(c.Length)
	case "BINARY", "VARBINARY":
		if c.Length > 8000 || c.Length <= 0 {
			return variable()
		}
		return fixed(2 + 2*c.Length)
	case "SQL_VARIANT":
		return fixed(8000)
	}
	return variable() // XML, TEXT, NTEXT, IMAGE, user-defined types
}

func rightAligned(typ string) bool {
	switch typ {
	case "BIT", "TINYINT", "SMALLINT", "INT", "BIGINT", "REAL", "FLOAT", "SMALLMONEY", "MONEY", "DECIMAL", "NUMERIC":
		return true
	}
	return false
}

func isCharType(typ string) bool {
	switch typ {
	case "CHAR", "VARCHAR", "TEXT", "NCHAR", "NVARCHAR", "NTEXT", "XML":
		return true
	}
	return false
}

// replaceControls applies -k to a value: mode 1 replaces each control
// character (U+0000-U+001F, U+007F) by a space, mode 2 each run of them.
func replaceControls(s string, mode int) string {
	if mode == 0 {
		return s
	}
	var b strings.Builder
	inRun := false
	for _, r := range s {
		ctl := r < 0x20 || r == 0x7F
		switch {
		case !ctl:
			b.WriteRune(r)
		case mode == 1 || !inRun:
			b.WriteByte(' ')
		}
		inRun = ctl
	}
	return b.String()
}

// formatValue shows a column value as sqlcmd does: NULL, 0x-hex for
// binary, dates in ODBC's canonical form with the column's fractional
// digits.
func formatValue(v any, c Column) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		switch c.Type {
		case "UNIQUEIDENTIFIER":
			if len(x) == 16 {
				return guid(x)
			}
		case "DECIMAL", "NUMERIC", "MONEY", "SMALLMONEY":
			return string(x)
		case "BINARY", "VARBINARY", "IMAGE", "TIMESTAMP", "ROWVERSION", "":
			return "0x" + strings.ToUpper(hex.EncodeToString(x))
		}
		if isCharType(c.Type) {
			return string(x)
		}
		return "0x" + strings.ToUpper(hex.EncodeToString(x))
	case time.Time:
		return formatTime(x, c)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case float64:
		if c.Type == "REAL" {
			return strconv.FormatFloat(x, 'g', 7, 32)
		}
		return formatFloat(x)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', 7, 32)
	}
	return fmt.Sprint(v)
}

func formatFloat(x float64) string {
	if math.Abs(x) >= 1e15 || (x != 0 && math.Abs(x) < 1e-4) {
		return strconv.FormatFloat(x, 'E', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

func formatTime(t time.Time, c Column) string {
	scale := int(c.Scale)
	frac := func(layout string) string {
		if scale > 0 {
			return layout + "." + strings.Repeat("0", scale)
		}
		return layout
	}
	switch c.Type {
	case "DATE":
		return t.Format("2006-01-02")
	case "TIME":
		return t.Format(frac("15:04:05"))
	case "SMALLDATETIME":
		return t.Format("2006-01-02 15:04:05")
	case "DATETIME2":
		return t.Format(frac("2006-01-02 15:04:05"))
	case "DATETIMEOFFSET":
		return t.Format(frac("2006-01-02 15:04:05") + " -07:00")
	}
	return t.Format("2006-01-02 15:04:05.000")
}

// guid formats a uniqueidentifier as SQL Server shows it: the driver
// returns its bytes in SQL Server's order, the first three groups
// little-endian.
func guid(b []byte) string {
	h := strings.ToUpper(hex.EncodeToString([]byte{b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6]}))
	rest := strings.ToUpper(hex.EncodeToString(b[8:]))
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + rest[:4] + "-" + rest[4:]
}
