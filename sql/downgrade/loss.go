package downgrade

import (
	"sort"
	"strings"
)

// lossOf says what does not come into being on the target when the
// statement holding toks[i] fails there: the table with its constraints and
// their cascades, the constraint or column an ALTER TABLE adds, the schema
// with its owner, the index, the module. "" when it cannot tell, and for a
// CREATE OR ALTER module, whose stub says it (finishModules).
func (b *batch) lossOf(i int) string {
	k := sort.Search(len(b.decls), func(k int) bool { return b.decls[k].at > i }) - 1
	if k < 0 {
		return ""
	}
	d := b.decls[k]
	kind, _, _ := strings.Cut(d.name, " ")
	create := b.word(d.at, "CREATE")
	switch kind {
	case "PROCEDURE", "FUNCTION", "VIEW", "TRIGGER":
		switch {
		case b.word(d.at+1, "OR"):
			return ""
		case create:
			return d.name + " is not created"
		case b.word(d.at, "ALTER"):
			return "the ALTER fails, so " + d.name + " keeps its old definition, or the empty stub that SSMS's \"check for object existence\" creates just before it, which does nothing when used"
		}
		return ""
	}
	if i >= b.stmtEnd(d.at+1) || !b.wordIn(d.at, "CREATE", "ALTER") {
		return ""
	}
	switch {
	case kind == "TABLE" && create:
		return d.name + " is not created" + b.tableParts(d.at, b.stmtEnd(d.at+1))
	case kind == "TABLE":
		return b.alterTableLoss(d)
	case kind == "SCHEMA" && create:
		next, _ := b.name(d.at + 2)
		if b.word(next, "AUTHORIZATION") {
			if _, owner := b.name(next + 1); owner != nil {
				return d.name + " is not created, nor given its owner " + last(owner)
			}
		}
		return d.name + " is not created"
	case create:
		return d.name + " is not created"
	}
	return ""
}

// tableParts lists the named constraints of the statement toks[from:to],
// each foreign key with its referential actions: " (with CONSTRAINT PK_t,
// CONSTRAINT FK_t_u ON DELETE CASCADE)".
func (b *batch) tableParts(from, to int) string {
	var parts []string
	for k := from; k < to; k++ {
		if !b.word(k, "CONSTRAINT") {
			continue
		}
		next, name := b.name(k + 1)
		if name == nil {
			continue
		}
		part := "CONSTRAINT " + last(name)
		end := to
		for e := next; e < to; e++ {
			if b.parent[e] == b.parent[k] && b.punct(e, ",") {
				end = e
				break
			}
		}
		if actions := b.referentialActions(next, end); actions != "" {
			part += " " + actions
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) > 8 {
		parts = append(parts[:8], "...")
	}
	return " (with " + strings.Join(parts, ", ") + ")"
}

// referentialActions returns the ON DELETE / ON UPDATE actions in
// toks[from:to] other than NO ACTION: "ON DELETE CASCADE".
func (b *batch) referentialActions(from, to int) string {
	var acts []string
	for k := from; k < to; k++ {
		if !b.word(k, "ON") || !b.wordIn(k+1, "DELETE", "UPDATE") {
			continue
		}
		switch {
		case b.word(k+2, "CASCADE"):
			acts = append(acts, "ON "+b.upper(k+1)+" CASCADE")
		case b.word(k+2, "SET") && b.wordIn(k+3, "NULL", "DEFAULT"):
			acts = append(acts, "ON "+b.upper(k+1)+" SET "+b.upper(k+3))
		}
	}
	return strings.Join(acts, " ")
}

// alterTableLoss says what the ALTER TABLE statement d would have added.
func (b *batch) alterTableLoss(d decl) string {
	end := b.stmtEnd(d.at + 1)
	for k := d.at + 2; k < end; k++ {
		if b.parent[k] != -1 || !b.word(k, "ADD") {
			continue
		}
		if b.word(k+1, "CONSTRAINT") {
			if _, name := b.name(k + 2); name != nil {
				loss := "CONSTRAINT " + last(name) + " of " + d.name + " is not added"
				if acts := b.referentialActions(k+2, end); acts != "" {
					loss += ", nor its " + acts
				}
				return loss
			}
		}
		if _, ix := b.name(k + 2); b.word(k+1, "INDEX") && ix != nil {
			return "INDEX " + last(ix) + " of " + d.name + " is not added"
		}
		if _, col := b.name(k + 1); col != nil && !b.wordIn(k+1, "DEFAULT", "CHECK", "PRIMARY", "UNIQUE", "FOREIGN", "PERIOD", "INDEX") {
			return "column " + last(col) + " of " + d.name + " is not added"
		}
		return d.name + " is not changed"
	}
	return d.name + " is not changed"
}
