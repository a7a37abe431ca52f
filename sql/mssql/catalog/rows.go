package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// RowSource gives the rows of a table for scripting.
type RowSource interface {
	// Rows returns an iterator over the values of cols (a subset of t's
	// columns, in that order) for every row of t.
	Rows(ctx context.Context, t *Table, cols []Column) (RowIter, error)
}

// RowIter yields one row at a time, like database/sql's Rows, so that memory
// stays bounded whatever the table size.
//
// Next fills dst (len(cols) values) and returns io.EOF after the last row.
// Values are nil (NULL), bool (bit), int64 (integer types), float64 or
// float32 (float, real), string (text types, xml, and decimal, numeric,
// money and uniqueidentifier as their text), []byte (binary types,
// hierarchyid, geometry, geography), time.Time (date and time types) or
// Variant (sql_variant). Embedded snapshot rows may also give json.Number
// for numbers and strings for dates and 0x-prefixed binary.
type RowIter interface {
	Next(dst []any) error
	Close() error
}

// Variant is a sql_variant value with its base type.
type Variant struct {
	Type      Type
	Collation string
	Value     any
}

// EmbeddedRows is the RowSource of rows stored in the snapshot (Table.Rows).
type EmbeddedRows struct{}

// Rows implements RowSource.
func (EmbeddedRows) Rows(_ context.Context, t *Table, cols []Column) (RowIter, error) {
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j := range t.Columns {
			if t.Columns[j].Name == c.Name {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return nil, fmt.Errorf("table %s.%s has no column %q", t.Schema, t.Name, c.Name)
		}
	}
	return &embeddedIter{t: t, cols: cols, idx: idx}, nil
}

type embeddedIter struct {
	t    *Table
	cols []Column
	idx  []int
	row  int
}

func (it *embeddedIter) Next(dst []any) error {
	if it.row >= len(it.t.Rows) {
		return io.EOF
	}
	raw := it.t.Rows[it.row]
	it.row++
	for i, j := range it.idx {
		v, err := DecodeValue(raw[j])
		if err != nil {
			return fmt.Errorf("table %s.%s rows[%d] column %s: %w", it.t.Schema, it.t.Name, it.row-1, it.cols[i].Name, err)
		}
		dst[i] = v
	}
	return nil
}

func (it *embeddedIter) Close() error { return nil }

// DecodeValue turns one embedded JSON value into a row value: null, true and
// false, numbers (as json.Number, exact), strings, and for sql_variant an
// object {"type": {...Type...}, "value": ..., "collation": "..."}.
func DecodeValue(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	t := bytes.TrimSpace(raw)
	if len(t) > 0 && t[0] == '{' {
		var v struct {
			Type      Type            `json:"type"`
			Collation string          `json:"collation"`
			Value     json.RawMessage `json:"value"`
		}
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		inner, err := DecodeValue(v.Value)
		if err != nil {
			return nil, err
		}
		return Variant{Type: v.Type, Collation: v.Collation, Value: inner}, nil
	}
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	switch v.(type) {
	case nil, bool, json.Number, string:
		return v, nil
	}
	return nil, fmt.Errorf("unexpected JSON value %s", raw)
}

// DBRows is the RowSource of a live database: it runs one SELECT per table,
// converting the types that database/sql cannot carry exactly on the server
// (uniqueidentifier as text, CLR types as varbinary, sql_variant with its
// base type).
type DBRows struct {
	DB Queryer
}

// SelectSQL is the query DBRows runs for t's columns cols: ordered by the
// primary key (or clustered index) so that scripts are reproducible.
func SelectSQL(t *Table, cols []Column) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		q := QuoteName(c.Name)
		switch c.Type.Base() {
		case "uniqueidentifier":
			b.WriteString("CONVERT(char(36), " + q + ")")
		case "hierarchyid", "geometry", "geography":
			b.WriteString("CAST(" + q + " AS varbinary(max))")
		case "sql_variant":
			b.WriteString(q)
			for _, p := range []string{"BaseType", "Precision", "Scale", "MaxLength", "Collation"} {
				b.WriteString(", CAST(SQL_VARIANT_PROPERTY(" + q + ", '" + p + "') AS nvarchar(128))")
			}
		default:
			b.WriteString(q)
		}
	}
	b.WriteString(" FROM " + QualifiedName(t.Schema, t.Name))
	var order []string
	if t.PrimaryKey != nil {
		for _, c := range t.PrimaryKey.Columns {
			order = append(order, QuoteName(c.Name))
		}
	} else {
		for _, ix := range t.Indexes {
			if ix.Kind == "CLUSTERED" {
				for _, c := range ix.Columns {
					order = append(order, QuoteName(c.Name))
				}
			}
		}
	}
	if len(order) > 0 {
		b.WriteString(" ORDER BY " + strings.Join(order, ", "))
	}
	return b.String()
}

// Rows implements RowSource.
func (s DBRows) Rows(ctx context.Context, t *Table, cols []Column) (RowIter, error) {
	rows, err := s.DB.QueryContext(ctx, SelectSQL(t, cols))
	if err != nil {
		return nil, fmt.Errorf("reading %s.%s: %w", t.Schema, t.Name, err)
	}
	width := 0
	for _, c := range cols {
		width++
		if c.Type.Base() == "sql_variant" {
			width += 5
		}
	}
	return &dbIter{rows: rows, cols: cols, raw: make([]any, width), ptrs: make([]any, width), t: t}, nil
}

type dbIter struct {
	rows *sql.Rows
	cols []Column
	raw  []any
	ptrs []any
	t    *Table
}

func (it *dbIter) Next(dst []any) error {
	if !it.rows.Next() {
		if err := it.rows.Err(); err != nil {
			return fmt.Errorf("reading %s.%s: %w", it.t.Schema, it.t.Name, err)
		}
		return io.EOF
	}
	for i := range it.raw {
		it.ptrs[i] = &it.raw[i]
	}
	if err := it.rows.Scan(it.ptrs...); err != nil {
		return fmt.Errorf("reading %s.%s: %w", it.t.Schema, it.t.Name, err)
	}
	k := 0
	for i, c := range it.cols {
		v := it.raw[k]
		k++
		if c.Type.Base() == "sql_variant" {
			p := it.raw[k : k+5]
			k += 5
			if v != nil {
				v = variantOf(v, p)
			}
		}
		dst[i] = v
	}
	return nil
}

func variantOf(v any, p []any) Variant {
	str := func(x any) string {
		switch s := x.(type) {
		case string:
			return s
		case []byte:
			return string(s)
		}
		return ""
	}
	num := func(x any) int {
		n := 0
		fmt.Sscan(str(x), &n)
		return n
	}
	t := Type{Name: str(p[0]), Precision: num(p[1]), Scale: num(p[2]), MaxLength: num(p[3])}
	if b, ok := v.([]byte); ok && t.Base() != "binary" && t.Base() != "varbinary" && t.Base() != "uniqueidentifier" {
		v = string(b) // decimal and money come as text bytes
	}
	return Variant{Type: t, Collation: str(p[4]), Value: v}
}

func (it *dbIter) Close() error { return it.rows.Close() }
