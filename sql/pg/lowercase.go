// Package pg lowercases the UCC invitation addresses in a live XPR PostgreSQL
// database (mrsdb), the step the XPR upgrade manual does with
//
//	UPDATE symVCC.symConferenceUserTempl SET InvitationAddress = lower(InvitationAddress);
//	UPDATE symConferencing.Invitees SET InvitationAddress = lower(InvitationAddress);
//
// but safely: it finds the tables whatever the case of their names, checks the
// unique indexes first and changes nothing when lowercasing would make two
// values collide, updates only the rows that change, in one transaction, and
// reports what it did. Lowercasing is the server's own lower(), so the result
// is exactly what the manual's statements would give.
package pg

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/xdm-migrate/xdm/sql/ucc"
)

// Target is one column to lowercase (see package ucc).
type Target = ucc.Target

// DefaultTargets are the two columns of the XPR upgrade manual.
var DefaultTargets = ucc.DefaultTargets

// Options tune Lowercase. The zero value updates DefaultTargets for real.
type Options struct {
	// Targets to lowercase; nil means DefaultTargets.
	Targets []Target
	// DryRun runs everything, reports the counts and a sample, and rolls back.
	DryRun bool
	// RequireAll makes a target that is not in the database an error
	// (ErrMissing) instead of a note in the report.
	RequireAll bool
	// SampleSize is the number of changes per table in a dry run's sample;
	// 0 means 10, a negative value none.
	SampleSize int
}

// Report is what Lowercase found and did.
type Report struct {
	Tables     []TableResult `json:"tables"`
	Collisions []Collision   `json:"collisions,omitempty"`
	DryRun     bool          `json:"dry_run"`
	// Committed is true when the changes were committed (not a dry run, no
	// collisions, no error).
	Committed bool `json:"committed"`
}

// Changed is the number of rows changed (or, in a dry run, that would change)
// over all tables.
func (r *Report) Changed() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Rows
	}
	return n
}

// TableResult is the outcome for one target. A target can match several
// tables when the database holds differently-cased copies; each is reported.
type TableResult struct {
	Target Target `json:"target"`
	Found  bool   `json:"found"`
	// Schema, Table and Column are the exact names found in the catalog.
	Schema string `json:"schema,omitempty"`
	Table  string `json:"table,omitempty"`
	Column string `json:"column,omitempty"`
	// Note says why a target was not found (no such table, or no such column).
	Note string `json:"note,omitempty"`
	// Rows is the number of rows changed (in a dry run: that would change).
	Rows int64 `json:"rows"`
	// Sample holds some changes (dry run only).
	Sample []Change `json:"sample,omitempty"`
}

// Name is the table's exact name, quoted as SQL needs it.
func (t TableResult) Name() string { return pgx.Identifier{t.Schema, t.Table}.Sanitize() }

// Change is one value before and after lowercasing.
type Change struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// Collision is a set of values that a unique index or constraint would
// reject after lowercasing.
type Collision struct {
	Table string `json:"table"` // quoted schema.table
	Index string `json:"index"` // name of the unique index (or the constraint's index)
	// Columns are the index's key columns or expressions, Key their values
	// after lowercasing (NULL shown as "NULL").
	Columns []string `json:"columns"`
	Key     []string `json:"key"`
	// Values are the current values of the column in the colliding rows.
	Values []string `json:"values"`
}

func (c Collision) String() string {
	parts := make([]string, len(c.Columns))
	for i := range c.Columns {
		parts[i] = c.Columns[i] + "=" + c.Key[i]
	}
	return fmt.Sprintf("%s: unique index %s: (%s) would be shared by %s",
		c.Table, pgx.Identifier{c.Index}.Sanitize(), strings.Join(parts, ", "), quoteList(c.Values))
}

func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

var (
	// ErrCollisions is returned (with the report listing them) when
	// lowercasing would violate a unique index; nothing was changed.
	ErrCollisions = errors.New("lowercasing would create duplicate values in a unique index; nothing was changed")
	// ErrMissing is returned with Options.RequireAll when a target is absent.
	ErrMissing = errors.New("table or column not found")
)

// Lowercase lowercases the target columns in one transaction on conn. It
// locks the tables against writes (SHARE ROW EXCLUSIVE), checks every unique
// index that involves the column for values that would collide, and only then
// runs UPDATE ... SET col = lower(col) WHERE col <> lower(col). With
// collisions it rolls back and returns the report with ErrCollisions. A
// second run changes nothing.
func Lowercase(ctx context.Context, conn *pgx.Conn, opt Options) (*Report, error) {
	targets := opt.Targets
	if targets == nil {
		targets = DefaultTargets
	}
	sample := opt.SampleSize
	if sample == 0 {
		sample = 10
	}
	rep := &Report{DryRun: opt.DryRun}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return rep, fmt.Errorf("beginning the transaction: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after Commit

	var missing []string
	for _, t := range targets {
		found, err := findTables(ctx, tx, t)
		if err != nil {
			return rep, err
		}
		for _, f := range found {
			if !f.Found {
				missing = append(missing, t.String()+" ("+f.Note+")")
			}
		}
		rep.Tables = append(rep.Tables, found...)
	}
	if opt.RequireAll && len(missing) > 0 {
		return rep, fmt.Errorf("%w: %s", ErrMissing, strings.Join(missing, "; "))
	}
	for _, t := range rep.Tables {
		if !t.Found {
			continue
		}
		if _, err := tx.Exec(ctx, "LOCK TABLE "+t.Name()+" IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return rep, fmt.Errorf("locking %s: %w", t.Name(), err)
		}
	}
	for _, t := range rep.Tables {
		if !t.Found {
			continue
		}
		cs, err := collisions(ctx, tx, t)
		if err != nil {
			return rep, err
		}
		rep.Collisions = append(rep.Collisions, cs...)
	}
	if len(rep.Collisions) > 0 {
		return rep, ErrCollisions
	}
	for i := range rep.Tables {
		t := &rep.Tables[i]
		if !t.Found {
			continue
		}
		col := pgx.Identifier{t.Column}.Sanitize()
		where := " WHERE " + col + " <> lower(" + col + ")"
		if opt.DryRun && sample > 0 {
			rows, _ := tx.Query(ctx, "SELECT "+col+", lower("+col+") FROM "+t.Name()+where+" ORDER BY 1 LIMIT $1", sample)
			t.Sample, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Change, error) {
				var c Change
				return c, r.Scan(&c.Old, &c.New)
			})
			if err != nil {
				return rep, fmt.Errorf("sampling %s: %w", t.Name(), err)
			}
		}
		tag, err := tx.Exec(ctx, "UPDATE "+t.Name()+" SET "+col+" = lower("+col+")"+where)
		if err != nil {
			return rep, fmt.Errorf("updating %s: %w", t.Name(), err)
		}
		t.Rows = tag.RowsAffected()
	}
	if opt.DryRun {
		return rep, nil // the deferred Rollback undoes the updates
	}
	if err := tx.Commit(ctx); err != nil {
		return rep, fmt.Errorf("committing: %w", err)
	}
	rep.Committed = true
	return rep, nil
}

// findTables looks t up in the catalog, ignoring case. It returns one result
// per matching table (or a single not-found result).
func findTables(ctx context.Context, tx pgx.Tx, t Target) ([]TableResult, error) {
	const q = `
SELECT n.nspname, c.relname, coalesce(a.attname, '')
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a
  ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND lower(a.attname) = lower($3)
WHERE c.relkind IN ('r', 'p') AND lower(n.nspname) = lower($1) AND lower(c.relname) = lower($2)
ORDER BY n.nspname, c.relname, a.attname`
	rows, _ := tx.Query(ctx, q, t.Schema, t.Table, t.Column)
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (TableResult, error) {
		res := TableResult{Target: t}
		err := r.Scan(&res.Schema, &res.Table, &res.Column)
		res.Found = res.Column != ""
		if !res.Found {
			res.Note = "table has no column " + t.Column
		}
		return res, err
	})
	if err != nil {
		return nil, fmt.Errorf("looking up %s in the catalog: %w", t, err)
	}
	if len(found) == 0 {
		return []TableResult{{Target: t, Note: "no such table"}}, nil
	}
	return found, nil
}

// uniqueIndex is a unique index of a table that involves the column.
type uniqueIndex struct {
	name       string
	keys       []string // key columns and expressions, as pg_get_indexdef prints them
	pred       string   // partial index predicate, "" for none
	nullsEqual bool     // NULLS NOT DISTINCT (PostgreSQL 15+)
}

// uniqueIndexes lists the valid unique indexes (including those behind
// primary keys and unique constraints) of t whose key columns, expressions or
// predicate involve t.Column. Exclusion constraints are not considered.
func uniqueIndexes(ctx context.Context, tx pgx.Tx, t TableResult) ([]uniqueIndex, error) {
	// to_jsonb(i) reads indnullsnotdistinct where it exists (15+) without
	// failing on older servers; indnkeyatts exists from 11 on, so fall back to
	// indnatts. Expressions and predicates are matched by their Var nodes.
	const q = `
WITH col AS (
  SELECT a.attrelid, a.attnum FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = $1::regclass AND a.attname = $2
)
SELECT ic.relname,
       ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, false)
             FROM generate_series(1, coalesce((to_jsonb(i)->>'indnkeyatts')::int, i.indnatts)) k ORDER BY k),
       coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid), ''),
       coalesce((to_jsonb(i)->>'indnullsnotdistinct')::bool, false)
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN col ON col.attrelid = i.indrelid
WHERE i.indisunique AND i.indisvalid
  AND (col.attnum = ANY (i.indkey::int2[])
       OR i.indexprs::text ~ (':varattno ' || col.attnum || ' ')
       OR i.indpred::text ~ (':varattno ' || col.attnum || ' '))
ORDER BY ic.relname`
	rows, _ := tx.Query(ctx, q, t.Name(), t.Column)
	idx, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (uniqueIndex, error) {
		var u uniqueIndex
		return u, r.Scan(&u.name, &u.keys, &u.pred, &u.nullsEqual)
	})
	if err != nil {
		return nil, fmt.Errorf("reading the unique indexes of %s: %w", t.Name(), err)
	}
	return idx, nil
}

// collisions evaluates every unique index of t over the rows as they would
// be after lowercasing: a subquery presents each row with the column
// lowercased under its own name, so the index's key expressions and
// predicate (lower(x), partial indexes) are evaluated exactly as the index
// would evaluate them after the UPDATE.
func collisions(ctx context.Context, tx pgx.Tx, t TableResult) ([]Collision, error) {
	idx, err := uniqueIndexes(ctx, tx, t)
	if err != nil || len(idx) == 0 {
		return nil, err
	}
	var cols []string
	rows, _ := tx.Query(ctx, `SELECT attname FROM pg_catalog.pg_attribute
WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, t.Name())
	if cols, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, fmt.Errorf("reading the columns of %s: %w", t.Name(), err)
	}
	col := pgx.Identifier{t.Column}.Sanitize()
	sel := make([]string, len(cols))
	for i, c := range cols {
		if c == t.Column {
			sel[i] = "lower(" + col + ") AS " + col
		} else {
			sel[i] = pgx.Identifier{c}.Sanitize()
		}
	}
	newRows := "(SELECT " + strings.Join(sel, ", ") + ", " + col + " AS xdm_old_value FROM " + t.Name() + ") AS " +
		pgx.Identifier{t.Table}.Sanitize()

	var out []Collision
	for _, u := range idx {
		keys := make([]string, len(u.keys))
		var conds []string
		for i, k := range u.keys {
			keys[i] = "(" + k + ")"
			if !u.nullsEqual {
				conds = append(conds, keys[i]+" IS NOT NULL")
			}
		}
		if u.pred != "" {
			conds = append(conds, "("+u.pred+")")
		}
		where := ""
		if len(conds) > 0 {
			where = " WHERE " + strings.Join(conds, " AND ")
		}
		texts := make([]string, len(keys))
		for i, k := range keys {
			texts[i] = "coalesce(" + k + "::text, 'NULL')"
		}
		q := "SELECT ARRAY[" + strings.Join(texts, ", ") + "], array_agg(coalesce(xdm_old_value::text, 'NULL') ORDER BY xdm_old_value)" +
			" FROM " + newRows + where + " GROUP BY " + strings.Join(keys, ", ") + " HAVING count(*) > 1 ORDER BY 1"
		rows, _ := tx.Query(ctx, q)
		cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Collision, error) {
			c := Collision{Table: t.Name(), Index: u.name, Columns: u.keys}
			return c, r.Scan(&c.Key, &c.Values)
		})
		if err != nil {
			return nil, fmt.Errorf("checking unique index %s of %s: %w", u.name, t.Name(), err)
		}
		out = append(out, cs...)
	}
	return out, nil
}
