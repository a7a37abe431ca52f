package downgrade

import (
	"strings"

	"github.com/xdm-migrate/xdm/sql/tsql"
)

// module is a CREATE OR ALTER being rewritten into a stub CREATE and an
// ALTER. The stub is written once every rule has run, because it names the
// refusals that keep the module from being created.
type module struct {
	at     int    // the CREATE token
	object string // "VIEW dbo.v", as findings name it
	exists string // the test that the object is missing
	// stub returns the CREATE statement of a stub that raises msg.
	stub func(msg string) string
	// logon is set for a LOGON trigger: a stub that raises an error would
	// refuse every login to the server, so a refused one gets no stub.
	logon bool
}

// matchCreateOrAlter rewrites CREATE OR ALTER <module> name ... into
//
//	IF <missing> EXEC sp_executesql N'CREATE <module> name <stub>';
//	GO
//	ALTER <module> name ...
//
// The stub is created only when the object does not exist, and ALTER then
// gives it its real definition. Unlike DROP + CREATE this keeps permissions,
// extended properties and the object_id that other objects refer to, which
// is what CREATE OR ALTER itself does. When the ALTER fails on the target
// (a refused body, a missing table), the stub stays: so that it never
// silently does nothing, it raises an error naming the object and why it is
// a stub whenever it is used.
func matchCreateOrAlter(b *batch, r *ruleDef) {
	for _, i := range b.at("CREATE") {
		if !(b.word(i, "CREATE") && b.word(i+1, "OR") && b.word(i+2, "ALTER")) {
			continue
		}
		kindAt := i + 3
		next, parts := b.name(kindAt + 1)
		if parts == nil {
			b.report(i, r, Refuse, 0, "cannot read the object name after CREATE OR ALTER; rewrite by hand")
			continue
		}
		name := b.compact(kindAt+1, next)
		if len(b.at("NATIVE_COMPILATION")) > 0 || hasPair(b, "EXTERNAL", "NAME") {
			b.report(i, r, Refuse, 0, "a natively compiled or CLR module cannot be altered from a T-SQL stub; drop and create it by hand")
			continue
		}
		m := module{at: i, object: b.objectAt(i), exists: "OBJECT_ID(" + sqlString(name) + ") IS NULL"}
		switch b.upper(kindAt) {
		case "PROC", "PROCEDURE":
			params := b.procedureParams(next)
			m.stub = func(msg string) string {
				return "CREATE PROCEDURE " + name + params + " AS RAISERROR(" + raiserrorText(msg) + ", 16, 1); RETURN 1;"
			}
		case "VIEW":
			m.stub = func(msg string) string {
				return "CREATE VIEW " + name + " AS SELECT " + failingValue(msg) + " AS stub;"
			}
		case "FUNCTION":
			tail := b.functionStub(next)
			m.stub = func(msg string) string { return "CREATE FUNCTION " + name + tail(failingValue(msg)) }
		case "TRIGGER":
			var ok bool
			if ok = b.triggerStub(next, name, parts, &m); !ok {
				b.report(i, r, Refuse, 0, "cannot read the trigger header (ON ... FOR|AFTER|INSTEAD OF ... AS); rewrite by hand")
				continue
			}
		default:
			b.report(i, r, Refuse, 0, "CREATE OR ALTER "+b.upper(kindAt)+" has no rewrite; write it by hand")
			continue
		}
		b.modules = append(b.modules, m)
		b.report(i, r, Rewrite, 0, "")
	}
}

// finishModules writes the stub of each CREATE OR ALTER, now that the
// refusals in its body are known.
func (b *batch) finishModules() {
	for _, m := range b.modules {
		var why []string
		for k, f := range b.findings {
			if f.Action != Refuse || f.Object != m.object {
				continue
			}
			why = append(why, f.Feature+" ("+f.Introduced.String()+")")
			if m.logon {
				b.findings[k].Message += "; " + m.object + " is not created (a stub would refuse every login)"
			} else {
				b.findings[k].Message += "; " + m.object + " is created as a stub that raises this error when used"
			}
		}
		if m.logon && len(why) > 0 {
			b.replace(m.at, m.at+3, "ALTER")
			continue
		}
		var msg string
		if len(why) > 0 {
			msg = "xdm: " + m.object + " could not be created on " + b.target.String() + ": it uses " +
				strings.Join(dedupe(why), ", ") + "; rewrite it by hand"
		} else {
			msg = "xdm: " + m.object + " is a placeholder: the ALTER that defines it failed when the script ran"
		}
		b.replace(m.at, m.at+3, "IF "+m.exists+" EXEC sp_executesql "+sqlString(m.stub(msg))+b.sep+"ALTER")
	}
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// stubMessageMax keeps a stub's message well inside what RAISERROR and a
// conversion error print (2,047 characters).
const stubMessageMax = 400

// raiserrorText quotes msg as the message of RAISERROR, which reads % as
// the start of a format specification.
func raiserrorText(msg string) string {
	return sqlString(strings.ReplaceAll(shorten(msg, stubMessageMax), "%", "%%"))
}

// failingValue is an expression that fails with msg in the error text when
// it is evaluated: views and functions cannot RAISERROR, and the conversion
// error SQL Server raises quotes the value.
func failingValue(msg string) string {
	return "CAST(" + sqlString(shorten(msg, stubMessageMax)) + " AS int)"
}

// procedureParams returns the parameter list of a procedure whose name ends
// before from, with a leading blank, or "": the stub takes the same
// parameters, so that a call reaches its error rather than failing on the
// argument list.
func (b *batch) procedureParams(from int) string {
	for k := from; k < len(b.toks); k++ {
		if b.parent[k] != -1 {
			continue
		}
		if b.wordIn(k, "AS", "WITH", "FOR") {
			if k == from {
				return ""
			}
			return " " + b.raw(from, k)
		}
	}
	return ""
}

// functionStub returns the rest of a stub CREATE FUNCTION of the same kind
// (scalar, inline or multi-statement table-valued, which ALTER cannot
// change) and with the same parameters, given the expression that fails.
func (b *batch) functionStub(from int) func(fail string) string {
	params := "()"
	if b.punct(from, "(") {
		params = b.raw(from, b.after(from))
	}
	for k := from; k < len(b.toks); k++ {
		if b.parent[k] != -1 || !b.word(k, "RETURNS") {
			continue
		}
		switch {
		case b.word(k+1, "TABLE"):
			return func(fail string) string { return params + " RETURNS TABLE AS RETURN (SELECT " + fail + " AS stub);" }
		case k+1 < len(b.toks) && b.toks[k+1].Kind == tsql.Variable:
			return func(fail string) string {
				return params + " RETURNS @stub TABLE (stub int) AS BEGIN INSERT @stub VALUES (" + fail + "); RETURN; END;"
			}
		}
		break
	}
	return func(fail string) string { return params + " RETURNS int AS BEGIN RETURN " + fail + "; END;" }
}

// triggerStub sets the existence test and stub of a trigger, copying its
// header (ON target, FOR|AFTER|INSTEAD OF events) so that ALTER matches.
// A DML trigger's stub raises its error and rolls the statement back; a DDL
// trigger's stub raises it only (rolling back would block every later DDL
// of the script); a LOGON trigger's stub does nothing, since any error in it
// refuses the login.
func (b *batch) triggerStub(from int, name string, parts []string, m *module) bool {
	if !b.word(from, "ON") {
		return false
	}
	as := -1
	sawFor := false
	for k := from + 1; k < len(b.toks) && b.parent[k] == -1; k++ {
		if b.wordIn(k, "FOR", "AFTER", "INSTEAD") {
			sawFor = true
		}
		if b.word(k, "LOGON") {
			m.logon = true
		}
		if sawFor && b.word(k, "AS") {
			as = k
			break
		}
	}
	if as < 0 {
		return false
	}
	short := parts[len(parts)-1]
	header := "CREATE TRIGGER " + name + " " + b.compact(from, as) + " AS "
	switch {
	case b.word(from+1, "DATABASE"):
		m.exists = "NOT EXISTS (SELECT 1 FROM sys.triggers WHERE parent_class = 0 AND name = " + sqlString(short) + ")"
		m.stub = func(msg string) string { return header + "RAISERROR(" + raiserrorText(msg) + ", 16, 1);" }
	case b.word(from+1, "ALL") && b.word(from+2, "SERVER"):
		m.exists = "NOT EXISTS (SELECT 1 FROM sys.server_triggers WHERE name = " + sqlString(short) + ")"
		m.stub = func(msg string) string {
			if m.logon {
				return header + "SET NOCOUNT ON;"
			}
			return header + "RAISERROR(" + raiserrorText(msg) + ", 16, 1);"
		}
	default:
		m.exists = "OBJECT_ID(" + sqlString(name) + ", N'TR') IS NULL"
		m.stub = func(msg string) string {
			return header + "RAISERROR(" + raiserrorText(msg) + ", 16, 1); ROLLBACK TRANSACTION;"
		}
	}
	return true
}
