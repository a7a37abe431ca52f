package pgdump

import (
	"fmt"
	"strings"
)

// Report is what Rewrite found.
type Report struct {
	// Encoding is the dump's client_encoding (UTF8 when it sets none).
	Encoding string `json:"encoding"`
	// CType and LocaleProvider are the database's LC_CTYPE (or LOCALE) and
	// locale provider from the CREATE DATABASE of a dump made with pg_dump -C,
	// empty otherwise. lower() depends on them: see LocaleMismatch.
	CType          string `json:"ctype,omitempty"`
	LocaleProvider string `json:"locale_provider,omitempty"`
	// Tables are the COPY blocks of target tables, in file order.
	Tables []TableReport `json:"tables"`
	// Missing are the targets without a COPY block in the dump.
	Missing []Target `json:"missing,omitempty"`
	// Rows and Changed count the data rows of the target tables and those
	// whose value was (or, with collisions, would be) lowercased.
	Rows    int64 `json:"rows"`
	Changed int64 `json:"changed"`
	// Sample holds the first changes.
	Sample     []Change    `json:"sample,omitempty"`
	Collisions []Collision `json:"collisions,omitempty"`
}

// TableReport is one COPY block of a target table.
type TableReport struct {
	Target Target `json:"target"`
	// Schema, Table and Column are the names as the dump has them.
	Schema  string `json:"schema"`
	Table   string `json:"table"`
	Column  string `json:"column"`
	Line    int64  `json:"line"` // of the COPY header
	Rows    int64  `json:"rows"`
	Changed int64  `json:"changed"`
}

// LocaleMismatch says how the database's own lower() would differ from the
// rewrite, as far as the dump tells (see Report.LocaleMismatch).
type LocaleMismatch int

const (
	// LocaleMatches: lower() would give the same, or the dump does not say.
	LocaleMatches LocaleMismatch = iota
	// LocaleICU: the database uses ICU, whose lower() maps a word-final Σ
	// to ς and İ to i̇, where the rewrite writes σ and i.
	LocaleICU
	// LocaleASCIIOnly: the database's LC_CTYPE is C or POSIX, so its lower()
	// changes only A-Z; Options.ASCII matches it.
	LocaleASCIIOnly
	// LocaleBeyondASCII: the database's LC_CTYPE lowercases more than A-Z,
	// which the rewrite with Options.ASCII does not.
	LocaleBeyondASCII
)

// LocaleMismatch tells, for a dump that names its database's locale (made
// with pg_dump -C), whether the database's own lower() would differ from
// this rewrite with the given Options.ASCII setting.
func (r *Report) LocaleMismatch(ascii bool) LocaleMismatch {
	c := strings.ToUpper(r.CType)
	switch {
	case strings.EqualFold(r.LocaleProvider, "icu"):
		return LocaleICU
	case !ascii && (c == "C" || c == "POSIX"):
		return LocaleASCIIOnly
	case ascii && c != "" && c != "C" && c != "POSIX":
		return LocaleBeyondASCII
	}
	return LocaleMatches
}

// Change is one rewritten value (in UTF-8, whatever the dump's encoding).
type Change struct {
	Line int64  `json:"line"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Collision is a set of rows that a unique constraint or index of the dump
// would reject after lowercasing.
type Collision struct {
	Table string `json:"table"` // schema.table as in the dump
	// Constraint is the constraint or index name, ConstraintLine where the
	// dump defines it.
	Constraint     string `json:"constraint"`
	ConstraintLine int64  `json:"constraint_line"`
	// Columns are the key columns, Key their shared values after
	// lowercasing (NULL as "NULL").
	Columns []string `json:"columns"`
	Key     []string `json:"key"`
	// Values are the colliding values as the dump has them, Lines their rows.
	Values []string `json:"values"`
	Lines  []int64  `json:"lines"`
}

func (c Collision) String() string {
	parts := make([]string, len(c.Columns))
	for i := range c.Columns {
		parts[i] = c.Columns[i] + "=" + c.Key[i]
	}
	where := make([]string, len(c.Values))
	for i := range c.Values {
		where[i] = fmt.Sprintf("%q (line %d)", c.Values[i], c.Lines[i])
	}
	return fmt.Sprintf("%s: %s (line %d): (%s) would be shared by %s",
		c.Table, c.Constraint, c.ConstraintLine, strings.Join(parts, ", "), strings.Join(where, ", "))
}
