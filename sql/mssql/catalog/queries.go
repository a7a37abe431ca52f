package catalog

import (
	"strings"

	"github.com/xdm-migrate/xdm/sql/version"
)

// Query is one catalog query, named by what it reads.
type Query struct {
	Name string
	SQL  string
}

// field is one selected expression. A field newer than the source (since >
// source version) is replaced by its absent expression, so a column that does
// not exist on the source's version is never named.
type field struct {
	expr   string
	alias  string
	since  version.Version
	absent string
}

func f(expr, alias string) field { return field{expr: expr, alias: alias} }

func since(v version.Version, expr, alias, absent string) field {
	return field{expr: expr, alias: alias, since: v, absent: absent}
}

// column binds a field to the variable its value is read into (*string,
// *bool, *int, *int64 or *float64): the value reaches Go by position and
// type, never by a name looked up at run time.
type column struct {
	field
	into any
}

// query is a catalog query with what to do with each row: row is called
// after the row's values are stored in the columns' variables.
type query struct {
	name string
	cols []column
	from string
	// fromFor, when set, gives the FROM part for the source version.
	fromFor func(version.Version) string
	row     func() error
}

func (q query) sql(v version.Version) string {
	from := q.from
	if q.fromFor != nil {
		from = q.fromFor(v)
	}
	var b strings.Builder
	b.WriteString("SELECT\n")
	for i, c := range q.cols {
		expr := c.expr
		if c.since != 0 && v < c.since {
			expr = c.absent
		}
		b.WriteString("  " + expr + " AS " + c.alias)
		if i < len(q.cols)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(from)
	return b.String()
}

// Constants for absent columns.
const (
	noBit  = "CAST(0 AS bit)"
	noInt  = "CAST(0 AS int)"
	noText = "CAST(NULL AS nvarchar(4000))"
)

// Queries returns the catalog queries for a source server of version v, in
// the order Read runs them. Each selects only columns and views that exist on
// v; the values of newer features come back as constants.
func Queries(v version.Version) []Query {
	var out []Query
	for _, q := range newAssembly(&Snapshot{}).queries(v) {
		out = append(out, Query{Name: q.name, SQL: q.sql(v)})
	}
	return out
}

// queries lists the catalog queries for v in the order Read runs them: the
// parts of tables (columns, indexes, keys, checks) before the tables and
// table types that take them, so that every row is placed as it arrives.
func (a *assembly) queries(v version.Version) []query {
	q := []query{
		a.database(), a.files(), a.schemas(),
		a.columns(), a.indexColumns(), a.indexes(), a.foreignKeyColumns(), a.foreignKeys(), a.checks(),
		a.types(), a.synonyms(), a.tables(), a.modules(),
		a.extendedProperties(), a.principals(), a.roleMembers(), a.dependencies(),
	}
	if v >= version.SQL2012 {
		q = append(q, a.sequences())
	}
	if v >= version.SQL2016 {
		q = append(q, a.scopedConfigurations())
	}
	return q
}
