package script

import (
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

// Tests for the defects of issue 12, each written to fail before its fix.
// Every script they write goes through the oracle (scriptChecked).

// snapshotOf reads a snapshot from JSON text.
func snapshotOf(t *testing.T, js string) *catalog.Snapshot {
	t.Helper()
	snap, err := catalog.ReadSnapshot(strings.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// TestGuardedBatchesRun: text that sqlcmd would alter ("$(", a GO or :r
// line) goes through a variable and EXEC (@sql), never EXEC (expression),
// which no version accepts. A module body, an oddly named table's data with
// IDENTITY_INSERT, and an extended property all survive, and the dynamic
// SQL is exactly the original text.
func TestGuardedBatchesRun(t *testing.T) {
	body := "CREATE PROCEDURE [dbo].[p$(x)] AS\r\nPRINT N'a\r\nGO\r\n:r C:\\x.sql\r\n$(y)';\r\n"
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
	  "tables": [{"schema": "dbo", "name": "t$(x)", "columns": [
	    {"name": "Id", "type": {"name": "int"}, "identity": {"seed": "1", "increment": "1"}},
	    {"name": "V", "type": {"name": "nvarchar", "maxLength": 40}, "nullable": true}],
	    "primaryKey": {"name": "PK_t", "clustered": true, "columns": [{"name": "Id"}]},
	    "rows": [[1, "a$(b)"], [2, null]]}],
	  "modules": [{"schema": "dbo", "name": "p$(x)", "kind": "PROCEDURE", "definition": `+jsonString(body)+`, "ansiNulls": true, "quotedIdentifier": true}],
	  "extendedProperties": [{"name": "MS_Description", "value": "see $(HOME)", "schema": "dbo", "level1Type": "TABLE", "level1": "t$(x)"}]}`)
	for _, target := range []version.Version{version.SQL2008, version.SQL2014, version.SQL2022} {
		out, _ := scriptChecked(t, snap, Options{Target: target})
		if strings.Contains(out, "EXEC (CAST") || strings.Contains(out, "EXEC (N'") {
			t.Errorf("%s: EXEC of an expression:\n%s", target, out)
		}
		var inner []string
		for _, b := range splitScript(t, "guard.sql", out) {
			if m := reDynamic.FindStringSubmatch(string(b.SQL)); m != nil {
				s, err := parseStringExpr(m[1])
				if err != nil {
					t.Fatal(err)
				}
				inner = append(inner, s)
			}
		}
		if len(inner) != 4 { // CREATE TABLE, data, procedure, property
			t.Fatalf("%s: %d batches as dynamic SQL, want 4:\n%s", target, len(inner), out)
		}
		if !strings.Contains(inner[1], "SET IDENTITY_INSERT [dbo].[t$(x)] ON;") || !strings.Contains(inner[1], "N'a$' + N'(b)'") {
			t.Errorf("%s: data batch %q", target, inner[1])
		}
		if inner[2] != body {
			t.Errorf("%s: module body changed:\n got %q\nwant %q", target, inner[2], body)
		}
		if !strings.Contains(inner[3], "@value = N'see $(HOME)'") {
			t.Errorf("%s: extended property %q", target, inner[3])
		}
	}
}

// jsonString quotes s for a JSON document.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\r':
			b.WriteString(`\r`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
