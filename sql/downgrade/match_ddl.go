package downgrade

import (
	"sort"
	"strings"

	"github.com/xdm-migrate/xdm/sql/tsql"
	"github.com/xdm-migrate/xdm/sql/version"
)

// run applies every rule that concerns the target.
func (b *batch) run() {
	for _, r := range ruleTable {
		if r.applies(b.target) {
			r.match(b, r)
		}
	}
	b.finishLists()
	b.finishModules()
	b.dynamicSQL()
	sort.SliceStable(b.findings, func(x, y int) bool {
		fx, fy := b.findings[x], b.findings[y]
		if fx.Line != fy.Line {
			return fx.Line < fy.Line
		}
		return fx.Column < fy.Column
	})
}

func (r *ruleDef) applies(target version.Version) bool {
	return r.Introduced == 0 || r.Introduced > target
}

// dropKinds maps DROP <kind> IF EXISTS to the test that the object exists.
var dropKinds = map[string]func(name string, parts []string) string{
	"TABLE":     objectTest("U"),
	"VIEW":      objectTest("V"),
	"PROCEDURE": objectTest(""),
	"PROC":      objectTest(""),
	"FUNCTION":  objectTest(""),
	"AGGREGATE": objectTest("AF"),
	"SEQUENCE":  objectTest("SO"),
	"SYNONYM":   objectTest("SN"),
	"DEFAULT":   objectTest("D"),
	"RULE":      objectTest("R"),
	"TYPE":      func(n string, _ []string) string { return "TYPE_ID(" + sqlString(n) + ") IS NOT NULL" },
	"SCHEMA":    func(_ string, p []string) string { return "SCHEMA_ID(" + sqlString(last(p)) + ") IS NOT NULL" },
	"DATABASE":  func(_ string, p []string) string { return "DB_ID(" + sqlString(last(p)) + ") IS NOT NULL" },
	"USER":      principalTest,
	"ROLE":      principalTest,
	"ASSEMBLY": func(_ string, p []string) string {
		return "EXISTS (SELECT 1 FROM sys.assemblies WHERE name = " + sqlString(last(p)) + ")"
	},
}

func objectTest(typ string) func(string, []string) string {
	return func(n string, p []string) string {
		if strings.HasPrefix(last(p), "#") && len(p) == 1 {
			n = "tempdb.." + n
		}
		if typ == "" {
			return "OBJECT_ID(" + sqlString(n) + ") IS NOT NULL"
		}
		return "OBJECT_ID(" + sqlString(n) + ", N'" + typ + "') IS NOT NULL"
	}
}

func principalTest(_ string, p []string) string {
	return "DATABASE_PRINCIPAL_ID(" + sqlString(last(p)) + ") IS NOT NULL"
}

func last(p []string) string { return p[len(p)-1] }

// matchDropIfExists rewrites DROP <kind> IF EXISTS a, b into one guarded DROP
// per object, inside BEGIN ... END unless the statement certainly starts a
// statement of its own (so that an enclosing IF or ELSE still covers all of it).
func matchDropIfExists(b *batch, r *ruleDef) {
	for _, i := range b.at("DROP") {
		if !b.word(i, "DROP") {
			continue
		}
		if !(b.word(i+2, "IF") && b.word(i+3, "EXISTS")) {
			// DROP EXTERNAL TABLE IF EXISTS, DROP SECURITY POLICY IF EXISTS, ...
			if b.word(i+1, "SECURITY") && b.word(i+2, "POLICY") {
				continue // matchSecurityPolicy
			}
			for k := i + 2; k < i+5 && k < len(b.toks) && b.toks[k].Kind == tsql.Word; k++ {
				if b.word(k, "IF") && b.word(k+1, "EXISTS") {
					b.report(i, r, Refuse, 0, "DROP "+b.compact(i+1, k)+" IF EXISTS has no rewrite; write it by hand")
					break
				}
			}
			continue
		}
		kind := b.upper(i + 1)
		if kind == "COLUMN" || kind == "CONSTRAINT" {
			continue // ALTER TABLE ... DROP: matchAlterTableDropIfExists
		}
		test, ok := dropKinds[kind]
		if kind == "INDEX" || kind == "TRIGGER" {
			ok = true
		}
		if !ok {
			b.report(i, r, Refuse, 0, "DROP "+kind+" IF EXISTS has no rewrite; write it by hand")
			continue
		}
		var stmts []string
		k := i + 4
		end := -1
		for {
			next, parts := b.name(k)
			if parts == nil {
				break
			}
			name := b.compact(k, next)
			item := b.raw(k, next)
			var cond string
			switch kind {
			case "INDEX":
				tnext, tparts := b.name(next + 1)
				if !b.word(next, "ON") || tparts == nil {
					break
				}
				table := b.compact(next+1, tnext)
				if b.word(tnext, "WITH") && b.punct(tnext+1, "(") {
					tnext = b.after(tnext + 1)
				}
				item = b.raw(k, tnext)
				cond = "EXISTS (SELECT 1 FROM sys.indexes WHERE name = " + sqlString(last(parts)) +
					" AND object_id = OBJECT_ID(" + sqlString(table) + "))"
				next = tnext
			case "TRIGGER":
				cond = objectTest("TR")(name, parts)
			default:
				cond = test(name, parts)
			}
			if cond == "" {
				break
			}
			stmts = append(stmts, "IF "+cond+" DROP "+b.text(i+1)+" "+item)
			end = next
			if !b.punct(next, ",") {
				break
			}
			k = next + 1
		}
		if kind == "TRIGGER" && end > 0 && b.word(end, "ON") {
			// DDL triggers: ON DATABASE / ON ALL SERVER, for every name.
			scope, catalog := "", ""
			switch {
			case b.word(end+1, "DATABASE"):
				scope, catalog, end = " ON DATABASE", "sys.triggers WHERE parent_class = 0 AND", end+2
			case b.word(end+1, "ALL") && b.word(end+2, "SERVER"):
				scope, catalog, end = " ON ALL SERVER", "sys.server_triggers WHERE", end+3
			}
			if scope == "" {
				stmts = nil
			}
			k := i + 4
			for n := range stmts {
				next, parts := b.name(k)
				stmts[n] = "IF EXISTS (SELECT 1 FROM " + catalog + " name = " + sqlString(last(parts)) + ") DROP TRIGGER " +
					b.raw(k, next) + scope
				k = next + 1
			}
		}
		if len(stmts) == 0 {
			b.report(i, r, Refuse, 0, "cannot read the object list of DROP "+kind+" IF EXISTS; rewrite by hand")
			continue
		}
		if kind == "SEQUENCE" && b.target < version.SQL2012 {
			b.dropStatement(i, end, true)
			b.report(i, r, Omit, 0, "statement omitted: the target has no sequences, so there is nothing to drop")
			continue
		}
		b.replace(i, end, b.guarded(i, stmts))
		b.report(i, r, Rewrite, 0, "")
	}
}

// guarded joins the statements that replace one statement starting at toks[i].
func (b *batch) guarded(i int, stmts []string) string {
	if b.atStmtStart(i) {
		return strings.Join(stmts, "; ")
	}
	return "BEGIN " + strings.Join(stmts, "; ") + "; END"
}

// matchAlterTableDropIfExists rewrites ALTER TABLE t DROP COLUMN IF EXISTS a,
// CONSTRAINT IF EXISTS c into one guarded ALTER TABLE per column or constraint.
func matchAlterTableDropIfExists(b *batch, r *ruleDef) {
	for _, i := range b.at("ALTER") {
		if !(b.word(i, "ALTER") && b.word(i+1, "TABLE")) {
			continue
		}
		tnext, tparts := b.name(i + 2)
		if tparts == nil || !b.word(tnext, "DROP") {
			continue
		}
		table := b.compact(i+2, tnext)
		var stmts []string
		any, bad := false, false
		k := tnext + 1
		kind, ifExists := "CONSTRAINT", false
		end := k
		for {
			switch {
			case b.word(k, "COLUMN"):
				kind, ifExists, k = "COLUMN", false, k+1
			case b.word(k, "CONSTRAINT"):
				kind, ifExists, k = "CONSTRAINT", false, k+1
			}
			if b.word(k, "IF") && b.word(k+1, "EXISTS") {
				ifExists, any, k = true, true, k+2
			}
			next, parts := b.name(k)
			if parts == nil || (len(parts) == 1 && b.wordIn(k, "PERIOD")) {
				bad = true
				break
			}
			item := b.raw(k, next)
			if kind == "CONSTRAINT" && b.word(next, "WITH") && b.punct(next+1, "(") {
				next = b.after(next + 1)
				item = b.raw(k, next)
			}
			s := "ALTER TABLE " + table + " DROP " + kind + " " + item
			if ifExists {
				cond := "COL_LENGTH(" + sqlString(table) + ", " + sqlString(last(parts)) + ") IS NOT NULL"
				if kind == "CONSTRAINT" {
					cond = "EXISTS (SELECT 1 FROM sys.objects WHERE name = " + sqlString(last(parts)) +
						" AND parent_object_id = OBJECT_ID(" + sqlString(table) + "))"
				}
				s = "IF " + cond + " " + s
			}
			stmts = append(stmts, s)
			end = next
			if !b.punct(next, ",") {
				break
			}
			k = next + 1
		}
		if !any {
			continue
		}
		if bad {
			b.report(i, r, Refuse, 0, "cannot read the DROP list of ALTER TABLE "+table+"; rewrite by hand")
			continue
		}
		b.replace(i, end, b.guarded(i, stmts))
		b.report(i, r, Rewrite, 0, "")
	}
}

// hasPair reports whether the word w1 is directly followed by w2 somewhere in the batch.
func hasPair(b *batch, w1, w2 string) bool {
	for _, k := range b.at(w1) {
		if b.word(k+1, w2) {
			return true
		}
	}
	return false
}
