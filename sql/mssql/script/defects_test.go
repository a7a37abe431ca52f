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

// TestVariantRowsKeepTheirTypes: sql_variant values of several base types in
// one multi-row VALUES list are each cast to sql_variant, so no row is
// converted to another row's type (N'x' to int fails; 12.50 would become
// float).
func TestVariantRowsKeepTheirTypes(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
	  "tables": [{"schema": "dbo", "name": "V", "columns": [
	    {"name": "Id", "type": {"name": "int"}},
	    {"name": "Val", "type": {"name": "sql_variant", "maxLength": 8016}, "nullable": true}],
	    "rows": [[1, {"type": {"name": "int"}, "value": 7}],
	             [2, {"type": {"name": "nvarchar", "maxLength": 40}, "collation": "Latin1_General_CI_AS", "value": "x"}],
	             [3, {"type": {"name": "decimal", "precision": 5, "scale": 2}, "value": "12.50"}],
	             [4, {"type": {"name": "datetime"}, "value": "2020-02-29T12:00:00.000"}],
	             [5, null]]}]}`)
	out, _ := scriptChecked(t, snap, Options{Target: version.SQL2014})
	for _, want := range []string{
		"(1, CAST(CAST(7 AS int) AS sql_variant))",
		"(2, CAST(CAST(N'x' AS nvarchar(20)) COLLATE Latin1_General_CI_AS AS sql_variant))",
		"(3, CAST(CAST(12.50 AS decimal(5,2)) AS sql_variant))",
		"(4, CAST(CAST('2020-02-29T12:00:00.000' AS datetime) AS sql_variant))",
		"(5, NULL)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("script lacks %s:\n%s", want, out)
		}
	}
	if strings.Count(out, "INSERT INTO") != 1 {
		t.Errorf("want the five rows in one INSERT:\n%s", out)
	}
}

// TestColumnSetNotInserted: a table with sparse columns and a column set
// gets its sparse columns inserted one by one; the INSERT never names the
// column set (SQL Server refuses both in one statement).
func TestColumnSetNotInserted(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
	  "tables": [{"schema": "dbo", "name": "Props", "columns": [
	    {"name": "Id", "type": {"name": "int"}},
	    {"name": "Color", "type": {"name": "nvarchar", "maxLength": 40}, "nullable": true, "sparse": true},
	    {"name": "Size", "type": {"name": "int"}, "nullable": true, "sparse": true},
	    {"name": "AllProps", "type": {"name": "xml", "maxLength": -1}, "nullable": true, "columnSet": true}],
	    "primaryKey": {"name": "PK_Props", "clustered": true, "columns": [{"name": "Id"}]},
	    "rows": [[1, "red", null, "<Color>red</Color>"], [2, null, 42, "<Size>42</Size>"]]}]}`)
	out, _ := scriptChecked(t, snap, Options{Target: version.SQL2008})
	if !strings.Contains(out, "[AllProps] xml COLUMN_SET FOR ALL_SPARSE_COLUMNS") {
		t.Errorf("column set not created:\n%s", out)
	}
	if !strings.Contains(out, "INSERT INTO [dbo].[Props] ([Id], [Color], [Size])\r\nVALUES\r\n(1, N'red', NULL),\r\n(2, NULL, 42);") {
		t.Errorf("INSERT must list the sparse columns and not the column set:\n%s", out)
	}
}
