package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/sql/version"
)

// Queryer is what Read needs from a connection: *sql.DB, *sql.Conn and
// *sql.Tx all have it.
type Queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ReadOptions tune Read. The zero value reads everything.
type ReadOptions struct {
	// Progress, when set, is called after each catalog query with the
	// number of queries done and their total.
	Progress func(done, total int)
}

// ErrUnsupported is the cause of Read's error for an object xdm cannot
// script (an encrypted module, a CLR type, a FileTable, a selective XML
// index...); the message names the object.
var ErrUnsupported = errors.New("cannot be scripted")

// Read reads the catalog of the connection's current database. It first asks
// the server for its version and then runs Queries(version).
func Read(ctx context.Context, db Queryer, opts ReadOptions) (*Snapshot, error) {
	s, err := readSource(ctx, db)
	if err != nil {
		return nil, err
	}
	a := newAssembly(s)
	queries := a.queries(s.Source.Version)
	for i, q := range queries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := run(ctx, db, q, s.Source.Version); err != nil {
			return nil, fmt.Errorf("catalog query %s: %w", q.name, err)
		}
		if opts.Progress != nil {
			opts.Progress(i+1, len(queries))
		}
	}
	if s.Database.Name == "" {
		return nil, errors.New("catalog: the current database was not found in sys.databases")
	}
	return s, s.Validate()
}

// readSource asks the server for its version, edition and name.
func readSource(ctx context.Context, db Queryer) (*Snapshot, error) {
	var pv, edition, server string
	q := query{name: "server", cols: []column{
		{field: f("CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128))", "product_version"), into: &pv},
		{field: f("CAST(SERVERPROPERTY('Edition') AS nvarchar(128))", "edition"), into: &edition},
		{field: f("CAST(@@SERVERNAME AS nvarchar(128))", "server"), into: &server},
	}}
	n := 0
	q.row = func() error { n++; return nil }
	if err := run(ctx, db, q, 0); err != nil {
		return nil, fmt.Errorf("reading the server version: %w", err)
	}
	if n != 1 {
		return nil, fmt.Errorf("reading the server version: %d rows", n)
	}
	v, err := version.Parse(pv)
	if err != nil {
		return nil, fmt.Errorf("server version %s: %w", pv, err)
	}
	return &Snapshot{Format: FormatVersion, Source: Source{Server: server, ProductVersion: pv, Version: v, Edition: edition}}, nil
}

// run executes q and hands every row to q.row, its values stored in the
// variables q's columns are bound to.
func run(ctx context.Context, db Queryer, q query, v version.Version) error {
	rows, err := db.QueryContext(ctx, q.sql(v))
	if err != nil {
		return err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	if len(names) != len(q.cols) {
		return fmt.Errorf("%s, want %d", plural.Count(len(names), "column"), len(q.cols))
	}
	vals := make([]sql.NullString, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range q.cols {
			if err := store(c.into, vals[i].String); err != nil {
				return fmt.Errorf("column %s: %w", c.alias, err)
			}
		}
		if err := q.row(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// store converts a value as the driver gives it as text (NULL is "") into
// the variable into points to.
func store(into any, s string) error {
	switch p := into.(type) {
	case *string:
		*p = s
	case *bool:
		switch s {
		case "", "0", "false":
			*p = false
		case "1", "true":
			*p = true
		default:
			return fmt.Errorf("%q is not a bit", s)
		}
	case *int64:
		if s == "" {
			*p = 0
			return nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not an integer", s)
		}
		*p = n
	case *int:
		var n int64
		if err := store(&n, s); err != nil {
			return err
		}
		*p = int(n)
	case *float64:
		if s == "" {
			*p = 0
			return nil
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		*p = x
	default:
		return fmt.Errorf("cannot store into %T", into)
	}
	return nil
}
