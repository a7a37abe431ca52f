package mssql

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// tableBuffer is how many rows a result set holds back to size its columns;
// later rows are printed as they come, with those widths.
const tableBuffer = 1000

// printer is the Results of one batch: it writes result sets, messages and
// row counts the way sqlcmd lays them out, and remembers the first error.
type printer struct {
	out, errOut io.Writer
	noResults   bool
	file        string // where the batch starts, for error messages
	line        int64

	failed    *Message // first error (or state 127 message)
	state127  bool
	wantValue bool // :exit(query): keep the first value
	value     any
	haveValue bool

	cols      []string
	rows      [][]string
	widths    []int
	streaming bool // header printed, rows go straight out
}

func (p *printer) Message(m Message) {
	if m.State == 127 {
		p.state127 = true
	}
	if (m.IsError() || m.State == 127) && p.failed == nil {
		mm := m
		p.failed = &mm
	}
	if !m.IsError() {
		p.flush()
		fmt.Fprintln(p.out, m.Text)
		return
	}
	fmt.Fprintf(p.errOut, "Msg %d, Level %d, State %d, Server %s, Line %d\n%s\n", m.Number, m.Class, m.State, m.Server, m.Line, m.Text)
	if p.file != "" {
		fmt.Fprintf(p.errOut, "(at %s:%d)\n", p.file, p.line+int64(max(m.Line, 1))-1)
	}
}

func (p *printer) ResultSet(columns []string) {
	p.flush()
	p.cols = columns
	p.widths = make([]int, len(columns))
	for i, c := range columns {
		p.widths[i] = utf8.RuneCountInString(c)
	}
}

func (p *printer) Row(values []any) {
	if p.wantValue && !p.haveValue && len(values) > 0 {
		p.value, p.haveValue = values[0], true
	}
	if p.noResults || p.cols == nil {
		return
	}
	row := make([]string, len(values))
	for i, v := range values {
		row[i] = formatValue(v)
	}
	if p.streaming {
		p.printRow(row)
		return
	}
	for i, s := range row {
		if i < len(p.widths) {
			p.widths[i] = max(p.widths[i], utf8.RuneCountInString(s))
		}
	}
	p.rows = append(p.rows, row)
	if len(p.rows) >= tableBuffer {
		p.startStreaming()
	}
}

func (p *printer) RowsAffected(n int64) {
	p.flush()
	if n == 1 {
		fmt.Fprintln(p.out, "(1 row affected)")
	} else {
		fmt.Fprintf(p.out, "(%d rows affected)\n", n)
	}
}

// flush prints a result set still held back.
func (p *printer) flush() {
	if p.cols == nil || p.noResults {
		p.cols = nil
		return
	}
	if !p.streaming {
		p.startStreaming()
	}
	fmt.Fprintln(p.out)
	p.cols, p.streaming = nil, false
}

func (p *printer) startStreaming() {
	p.printRow(p.cols)
	dashes := make([]string, len(p.cols))
	for i := range p.cols {
		dashes[i] = strings.Repeat("-", p.widths[i])
	}
	p.printRow(dashes)
	for _, r := range p.rows {
		p.printRow(r)
	}
	p.rows, p.streaming = nil, true
}

func (p *printer) printRow(cells []string) {
	var b strings.Builder
	for i, c := range cells {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c)
		if i < len(cells)-1 && i < len(p.widths) {
			b.WriteString(strings.Repeat(" ", max(0, p.widths[i]-utf8.RuneCountInString(c))))
		}
	}
	b.WriteByte('\n')
	io.WriteString(p.out, b.String())
}

// formatValue shows a column value as sqlcmd does: NULL, 0x-hex for binary.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return "0x" + strings.ToUpper(hex.EncodeToString(x))
	case time.Time:
		return x.Format("2006-01-02 15:04:05.000")
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return fmt.Sprint(v)
}
