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

// position returns where want starts in out, failing the test if it is not
// there.
func position(t *testing.T, out, want string) int {
	t.Helper()
	i := strings.Index(out, want)
	if i < 0 {
		t.Fatalf("script lacks %s:\n%s", want, out)
	}
	return i
}

// TestForeignKeysAfterEveryKey: a foreign key is added only when the key it
// references exists, whatever the tables' order: all primary keys, unique
// constraints and unique indexes come first.
func TestForeignKeysAfterEveryKey(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
	  "tables": [
	    {"schema": "dbo", "name": "A", "columns": [{"name": "Id", "type": {"name": "int"}}, {"name": "BId", "type": {"name": "int"}}, {"name": "BCode", "type": {"name": "int"}}],
	     "primaryKey": {"name": "PK_A", "clustered": true, "columns": [{"name": "Id"}]},
	     "foreignKeys": [{"name": "FK_A_B", "columns": ["BId"], "refSchema": "dbo", "refTable": "B", "refColumns": ["Id"]},
	                     {"name": "FK_A_BCode", "columns": ["BCode"], "refSchema": "dbo", "refTable": "B", "refColumns": ["Code"]}]},
	    {"schema": "dbo", "name": "B", "columns": [{"name": "Id", "type": {"name": "int"}}, {"name": "Code", "type": {"name": "int"}}],
	     "primaryKey": {"name": "PK_B", "columns": [{"name": "Id"}]},
	     "indexes": [{"name": "UX_B_Code", "kind": "NONCLUSTERED", "unique": true, "columns": [{"name": "Code"}]}]}]}`)
	out, _ := scriptChecked(t, snap, Options{Target: version.SQL2014})
	for _, key := range []string{"ADD CONSTRAINT [PK_B] PRIMARY KEY NONCLUSTERED", "CREATE UNIQUE NONCLUSTERED INDEX [UX_B_Code]"} {
		for _, fk := range []string{"ADD CONSTRAINT [FK_A_B]", "ADD CONSTRAINT [FK_A_BCode]"} {
			if position(t, out, key) > position(t, out, fk) {
				t.Errorf("%s comes after %s", key, fk)
			}
		}
	}
}

// TestModulesInOneOrder: triggers, views and functions are ordered by their
// dependencies: an INSTEAD OF trigger comes after its view, a trigger after
// the function it calls, a view on a synonym after the synonym.
func TestModulesInOneOrder(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
	  "tables": [{"schema": "dbo", "name": "T", "columns": [{"name": "Id", "type": {"name": "int"}}, {"name": "At", "type": {"name": "datetime2", "scale": 7}, "nullable": true}],
	    "primaryKey": {"name": "PK_T", "clustered": true, "columns": [{"name": "Id"}]}}],
	  "synonyms": [{"schema": "dbo", "name": "zT", "target": "[dbo].[T]"}],
	  "modules": [
	    {"schema": "dbo", "name": "trT", "kind": "TRIGGER", "parentSchema": "dbo", "parentTable": "T", "ansiNulls": true, "quotedIdentifier": true,
	     "definition": "CREATE TRIGGER dbo.trT ON dbo.T AFTER INSERT AS\nUPDATE t SET At = dbo.zNow() FROM dbo.T AS t JOIN inserted AS i ON i.Id = t.Id;\n"},
	    {"schema": "dbo", "name": "trV", "kind": "TRIGGER", "parentSchema": "dbo", "parentTable": "vT", "ansiNulls": true, "quotedIdentifier": true,
	     "definition": "CREATE TRIGGER dbo.trV ON dbo.vT INSTEAD OF INSERT AS\nINSERT INTO dbo.T (Id) SELECT Id FROM inserted;\n"},
	    {"schema": "dbo", "name": "vT", "kind": "VIEW", "ansiNulls": true, "quotedIdentifier": true,
	     "definition": "CREATE VIEW dbo.vT AS SELECT Id FROM dbo.zT;\n"},
	    {"schema": "dbo", "name": "zNow", "kind": "FUNCTION", "ansiNulls": true, "quotedIdentifier": true,
	     "definition": "CREATE FUNCTION dbo.zNow() RETURNS datetime2 AS BEGIN RETURN SYSUTCDATETIME(); END\n"}],
	  "dependencies": [
	    {"schema": "dbo", "name": "trT", "refSchema": "dbo", "refName": "zNow"},
	    {"schema": "dbo", "name": "trT", "refSchema": "dbo", "refName": "T"},
	    {"schema": "dbo", "name": "trV", "refSchema": "dbo", "refName": "T"},
	    {"schema": "dbo", "name": "vT", "refSchema": "dbo", "refName": "zT"}]}`)
	out, rep := scriptChecked(t, snap, Options{Target: version.SQL2012})
	for _, pair := range [][2]string{
		{"CREATE VIEW dbo.vT", "CREATE TRIGGER dbo.trV"},
		{"CREATE FUNCTION dbo.zNow", "CREATE TRIGGER dbo.trT"},
		{"CREATE SYNONYM [dbo].[zT]", "CREATE VIEW dbo.vT"},
	} {
		if position(t, out, pair[0]) > position(t, out, pair[1]) {
			t.Errorf("%s comes after %s", pair[0], pair[1])
		}
	}
	if len(rep.Cycles) != 0 {
		t.Errorf("cycles %v", rep.Cycles)
	}
}

// TestOneStatementPerBatch: each constraint and index is a batch of its
// own, so a CHECK the target refuses (ISJSON on 2014) fails alone, and the
// report names the constraint, not the table.
func TestOneStatementPerBatch(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
	  "tables": [{"schema": "dbo", "name": "Docs", "columns": [
	    {"name": "Id", "type": {"name": "int"}}, {"name": "Code", "type": {"name": "nvarchar", "maxLength": 40}},
	    {"name": "Json", "type": {"name": "nvarchar", "maxLength": -1}, "nullable": true}, {"name": "Doc", "type": {"name": "xml", "maxLength": -1}, "nullable": true}],
	    "primaryKey": {"name": "PK_Docs", "clustered": true, "columns": [{"name": "Id"}]},
	    "uniques": [{"name": "UQ_Docs_Code", "columns": [{"name": "Code"}]}],
	    "indexes": [{"name": "PXML_Docs", "kind": "XML", "columns": [{"name": "Doc"}]},
	                {"name": "SXML_Docs_Path", "kind": "XML", "columns": [{"name": "Doc"}], "xml": {"using": "PXML_Docs", "for": "PATH"}}],
	    "checks": [{"name": "CK_Docs_Json", "definition": "(isjson([Json])=(1))"}, {"name": "CK_Docs_Code", "definition": "(len([Code])>(0))"}]}]}`)
	out, rep := scriptChecked(t, snap, Options{Target: version.SQL2014})
	var refused []string
	for _, n := range rep.Notes {
		if n.Refused() {
			refused = append(refused, n.Object)
		}
	}
	if strings.Join(refused, " ") != "[dbo].[Docs].[CK_Docs_Json]" {
		t.Errorf("refused %v, want the check constraint alone", refused)
	}
	for _, b := range splitScript(t, "docs.sql", out) {
		text := string(b.SQL)
		if strings.Count(text, "ALTER TABLE")+strings.Count(text, "CREATE ")-strings.Count(text, "CREATE TABLE") > 1 {
			t.Errorf("batch with more than one constraint or index:\n%s", text)
		}
	}
}

// TestXMLAndSpatialIndexes: a secondary XML index stays secondary (USING
// the primary, FOR PATH/VALUE/PROPERTY) and a spatial index keeps its
// bounding box, grids and cells per object; the 2012 auto grid becomes a
// plain grid on 2008.
func TestXMLAndSpatialIndexes(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
	  "tables": [{"schema": "geo", "name": "Sites", "columns": [
	    {"name": "Id", "type": {"name": "int"}}, {"name": "Doc", "type": {"name": "xml", "maxLength": -1}, "nullable": true},
	    {"name": "Area", "type": {"name": "geometry", "maxLength": -1}, "nullable": true}, {"name": "Where", "type": {"name": "geography", "maxLength": -1}, "nullable": true}],
	    "primaryKey": {"name": "PK_Sites", "clustered": true, "columns": [{"name": "Id"}]},
	    "indexes": [
	      {"name": "PXML_Sites", "kind": "XML", "columns": [{"name": "Doc"}], "options": {"dataCompression": "PAGE"}},
	      {"name": "SXML_Path", "kind": "XML", "columns": [{"name": "Doc"}], "xml": {"using": "PXML_Sites", "for": "PATH"}},
	      {"name": "SXML_Value", "kind": "XML", "columns": [{"name": "Doc"}], "xml": {"using": "PXML_Sites", "for": "VALUE"}},
	      {"name": "SXML_Property", "kind": "XML", "columns": [{"name": "Doc"}], "xml": {"using": "PXML_Sites", "for": "PROPERTY"}},
	      {"name": "SIX_Area", "kind": "SPATIAL", "columns": [{"name": "Area"}], "filegroup": "PRIMARY", "options": {"fillFactor": 90},
	       "spatial": {"tessellation": "GEOMETRY_GRID", "boundingBox": [-180, -90.5, 180, 1e6], "grids": ["LOW", "MEDIUM", "MEDIUM", "HIGH"], "cellsPerObject": 16}},
	      {"name": "SIX_Auto", "kind": "SPATIAL", "columns": [{"name": "Area"}],
	       "spatial": {"tessellation": "GEOMETRY_AUTO_GRID", "boundingBox": [0, 0, 500, 200], "cellsPerObject": 8}},
	      {"name": "SIX_Where", "kind": "SPATIAL", "columns": [{"name": "Where"}],
	       "spatial": {"tessellation": "GEOGRAPHY_GRID", "grids": ["MEDIUM", "MEDIUM", "MEDIUM", "MEDIUM"], "cellsPerObject": 16}}]}],
	  "schemas": [{"name": "geo", "owner": "dbo"}]}`)
	common := []string{
		"CREATE PRIMARY XML INDEX [PXML_Sites] ON [geo].[Sites] ([Doc]);",
		"CREATE XML INDEX [SXML_Path] ON [geo].[Sites] ([Doc]) USING XML INDEX [PXML_Sites] FOR PATH;",
		"CREATE XML INDEX [SXML_Value] ON [geo].[Sites] ([Doc]) USING XML INDEX [PXML_Sites] FOR VALUE;",
		"CREATE XML INDEX [SXML_Property] ON [geo].[Sites] ([Doc]) USING XML INDEX [PXML_Sites] FOR PROPERTY;",
		"CREATE SPATIAL INDEX [SIX_Area] ON [geo].[Sites] ([Area]) USING GEOMETRY_GRID WITH (BOUNDING_BOX = (-180, -90.5, 180, 1E+06), GRIDS = (LEVEL_1 = LOW, LEVEL_2 = MEDIUM, LEVEL_3 = MEDIUM, LEVEL_4 = HIGH), CELLS_PER_OBJECT = 16, FILLFACTOR = 90) ON [PRIMARY];",
		"CREATE SPATIAL INDEX [SIX_Where] ON [geo].[Sites] ([Where]) USING GEOGRAPHY_GRID WITH (GRIDS = (LEVEL_1 = MEDIUM, LEVEL_2 = MEDIUM, LEVEL_3 = MEDIUM, LEVEL_4 = MEDIUM), CELLS_PER_OBJECT = 16);",
	}
	for target, auto := range map[version.Version]string{
		version.SQL2008: "CREATE SPATIAL INDEX [SIX_Auto] ON [geo].[Sites] ([Area]) USING GEOMETRY_GRID WITH (BOUNDING_BOX = (0, 0, 500, 200), CELLS_PER_OBJECT = 8);",
		version.SQL2012: "CREATE SPATIAL INDEX [SIX_Auto] ON [geo].[Sites] ([Area]) USING GEOMETRY_AUTO_GRID WITH (BOUNDING_BOX = (0, 0, 500, 200), CELLS_PER_OBJECT = 8);",
		version.SQL2019: "CREATE SPATIAL INDEX [SIX_Auto] ON [geo].[Sites] ([Area]) USING GEOMETRY_AUTO_GRID WITH (BOUNDING_BOX = (0, 0, 500, 200), CELLS_PER_OBJECT = 8);",
	} {
		out, rep := scriptChecked(t, snap, Options{Target: target})
		for _, want := range append(common, auto) {
			if !strings.Contains(out, want+"\r\nGO\r\n") {
				t.Errorf("%s: script lacks the batch %s\n%s", target, want, out)
			}
		}
		if !hasNote(rep, "[geo].[Sites].[PXML_Sites]", "XML index compression") {
			t.Errorf("%s: the XML index's lost compression is not reported: %v", target, rep.Notes)
		}
		if hasNote(rep, "[geo].[Sites].[SIX_Auto]", "spatial auto grid") != (target == version.SQL2008) {
			t.Errorf("%s: auto grid note: %v", target, rep.Notes)
		}
	}
}

// hasNote reports whether rep has a note on object for rule.
func hasNote(rep *Report, object, rule string) bool {
	for _, n := range rep.Notes {
		if n.Object == object && n.Rule == rule {
			return true
		}
	}
	return false
}

// columnstoreSnapshot has a table with a filtered nonclustered columnstore
// index, one with a clustered columnstore index beside a primary key, one
// with a clustered columnstore index over nvarchar(max), and one with a
// clustered columnstore index alone.
const columnstoreSnapshot = `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
  "tables": [
    {"schema": "dbo", "name": "Calls", "columns": [{"name": "Id", "type": {"name": "int"}}, {"name": "Secs", "type": {"name": "int"}}],
     "primaryKey": {"name": "PK_Calls", "clustered": true, "columns": [{"name": "Id"}]},
     "indexes": [{"name": "NCCI_Calls", "kind": "NONCLUSTERED COLUMNSTORE", "columns": [{"name": "Id"}, {"name": "Secs"}], "filter": "([Secs]>(0))"}],
     "rows": [[1, 30]]},
    {"schema": "dbo", "name": "Facts", "columns": [{"name": "Id", "type": {"name": "int"}}, {"name": "V", "type": {"name": "int"}}],
     "primaryKey": {"name": "PK_Facts", "columns": [{"name": "Id"}]},
     "indexes": [{"name": "CCI_Facts", "kind": "CLUSTERED COLUMNSTORE", "options": {"compressionDelay": 10}}]},
    {"schema": "dbo", "name": "Logs", "columns": [{"name": "Id", "type": {"name": "int"}}, {"name": "Text", "type": {"name": "nvarchar", "maxLength": -1}, "nullable": true}],
     "indexes": [{"name": "CCI_Logs", "kind": "CLUSTERED COLUMNSTORE"}]},
    {"schema": "dbo", "name": "Stats", "columns": [{"name": "Day", "type": {"name": "date"}}, {"name": "N", "type": {"name": "bigint"}}],
     "indexes": [{"name": "CCI_Stats", "kind": "CLUSTERED COLUMNSTORE", "options": {"dataCompression": "COLUMNSTORE_ARCHIVE"}}]}]}`

// TestColumnstorePerTarget: each columnstore index is kept where the target
// runs it as the source does, else left out and reported; never created where
// it would make a table read-only or fail.
func TestColumnstorePerTarget(t *testing.T) {
	snap := snapshotOf(t, columnstoreSnapshot)
	kept := map[version.Version][]string{
		version.SQL2008: {},
		version.SQL2012: {},
		version.SQL2014: {"CCI_Stats"},
		version.SQL2016: {"NCCI_Calls", "CCI_Facts", "CCI_Stats"},
		version.SQL2019: {"NCCI_Calls", "CCI_Facts", "CCI_Logs", "CCI_Stats"},
	}
	for target, want := range kept {
		out, rep := scriptChecked(t, snap, Options{Target: target})
		for _, ix := range []string{"NCCI_Calls", "CCI_Facts", "CCI_Logs", "CCI_Stats"} {
			table := map[string]string{"NCCI_Calls": "Calls", "CCI_Facts": "Facts", "CCI_Logs": "Logs", "CCI_Stats": "Stats"}[ix]
			in := strings.Contains(out, "COLUMNSTORE INDEX ["+ix+"]")
			noted := hasNote(rep, "[dbo].["+table+"].["+ix+"]", "columnstore index")
			if in != contains(want, ix) || noted == in {
				t.Errorf("%s: %s scripted %v, reported %v", target, ix, in, noted)
			}
		}
	}
	out, _ := scriptChecked(t, snap, Options{Target: version.SQL2016})
	for _, want := range []string{
		"CREATE NONCLUSTERED COLUMNSTORE INDEX [NCCI_Calls] ON [dbo].[Calls] ([Id], [Secs]) WHERE ([Secs]>(0));",
		"CREATE CLUSTERED COLUMNSTORE INDEX [CCI_Facts] ON [dbo].[Facts] WITH (COMPRESSION_DELAY = 10);",
		"CREATE CLUSTERED COLUMNSTORE INDEX [CCI_Stats] ON [dbo].[Stats] WITH (DATA_COMPRESSION = COLUMNSTORE_ARCHIVE);",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("2016 script lacks %s", want)
		}
	}
	// The rows are loaded before any columnstore index exists.
	if position(t, out, "INSERT INTO [dbo].[Calls]") > position(t, out, "COLUMNSTORE INDEX [NCCI_Calls]") {
		t.Error("data loaded after the columnstore index")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestIdentityReseed: after the data the identity continues where the
// source's did, past rows deleted at the end, for any seed and increment;
// a table without rows continues there too.
func TestIdentityReseed(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
	  "tables": [
	    {"schema": "dbo", "name": "Up", "columns": [{"name": "Id", "type": {"name": "int"}, "identity": {"seed": "1000", "increment": "7", "last": "1049"}}],
	     "rows": [[1000], [1007]]},
	    {"schema": "dbo", "name": "Down", "columns": [{"name": "Id", "type": {"name": "bigint"}, "identity": {"seed": "-1", "increment": "-5", "last": "-26"}}],
	     "rows": [[-1]]},
	    {"schema": "dbo", "name": "Empty", "columns": [{"name": "Id", "type": {"name": "decimal", "precision": 38, "scale": 0}, "identity": {"seed": "1", "increment": "1", "last": "99999999999999999999999999"}}]},
	    {"schema": "dbo", "name": "Fresh", "columns": [{"name": "Id", "type": {"name": "int"}, "identity": {"seed": "1", "increment": "1"}}]}]}`)
	out, _ := scriptChecked(t, snap, Options{Target: version.SQL2008})
	for _, want := range []string{
		"IF IDENT_CURRENT(N'[dbo].[Up]') < 1049 DBCC CHECKIDENT (N'[dbo].[Up]', RESEED, 1049);",
		"IF IDENT_CURRENT(N'[dbo].[Down]') > -26 DBCC CHECKIDENT (N'[dbo].[Down]', RESEED, -26);",
		"IF IDENT_CURRENT(N'[dbo].[Empty]') < 100000000000000000000000000 DBCC CHECKIDENT (N'[dbo].[Empty]', RESEED, 100000000000000000000000000);",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("script lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "[dbo].[Fresh]', RESEED") {
		t.Error("a table whose identity was never used is reseeded")
	}
	if position(t, out, "INSERT INTO [dbo].[Up]") > position(t, out, "RESEED, 1049") {
		t.Error("reseed before the data")
	}
	if schema, _ := scriptChecked(t, snap, Options{Target: version.SQL2008, SchemaOnly: true}); strings.Contains(schema, "CHECKIDENT") {
		t.Error("a schema-only script reseeds")
	}
}

// TestReportNamesWhatIsLost: the report names each database scoped
// configuration a target lacks (with what that version offers instead), a
// schema owner left out, and for a refused function everything that fails
// with it: the table whose computed column calls it, and a view on that
// table.
func TestReportNamesWhatIsLost(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D", "compatibilityLevel": 150,
	    "scopedConfigurations": [{"name": "MAXDOP", "value": "4", "valueForSecondary": "1"}, {"name": "LEGACY_CARDINALITY_ESTIMATION", "value": "1"},
	                             {"name": "IDENTITY_CACHE", "value": "0"}, {"name": "TSQL_SCALAR_UDF_INLINING", "value": "0"}]},
	  "schemas": [{"name": "app", "owner": "AppOwner"}],
	  "tables": [{"schema": "app", "name": "Users", "columns": [{"name": "Login", "type": {"name": "nvarchar", "maxLength": 100}},
	    {"name": "Clean", "type": {"name": "nvarchar", "maxLength": 100}, "nullable": true, "computed": {"definition": "([app].[fn_Clean]([Login]))"}}]}],
	  "modules": [
	    {"schema": "app", "name": "fn_Clean", "kind": "FUNCTION", "ansiNulls": true, "quotedIdentifier": true,
	     "definition": "CREATE FUNCTION app.fn_Clean (@s nvarchar(50)) RETURNS nvarchar(50) WITH SCHEMABINDING AS BEGIN RETURN TRIM(@s); END\n"},
	    {"schema": "app", "name": "vUsers", "kind": "VIEW", "ansiNulls": true, "quotedIdentifier": true,
	     "definition": "CREATE VIEW app.vUsers AS SELECT Login, Clean FROM app.Users;\n"}],
	  "dependencies": [{"schema": "app", "name": "Users", "refSchema": "app", "refName": "fn_Clean", "via": "computed"},
	                   {"schema": "app", "name": "vUsers", "refSchema": "app", "refName": "Users"}]}`)
	for _, tc := range []struct {
		target  version.Version
		written []string
		lost    []string
	}{
		{version.SQL2014, nil, []string{"MAXDOP", "LEGACY_CARDINALITY_ESTIMATION", "IDENTITY_CACHE", "TSQL_SCALAR_UDF_INLINING"}},
		{version.SQL2017, []string{"SET MAXDOP = 4;", "FOR SECONDARY SET MAXDOP = 1;", "SET LEGACY_CARDINALITY_ESTIMATION = ON;", "SET IDENTITY_CACHE = OFF;"}, []string{"TSQL_SCALAR_UDF_INLINING"}},
		{version.SQL2019, []string{"SET MAXDOP = 4;", "SET LEGACY_CARDINALITY_ESTIMATION = ON;", "SET IDENTITY_CACHE = OFF;", "SET TSQL_SCALAR_UDF_INLINING = OFF;"}, nil},
	} {
		out, rep := scriptChecked(t, snap, Options{Target: tc.target, CreateDatabase: true})
		for _, w := range tc.written {
			if !strings.Contains(out, "ALTER DATABASE SCOPED CONFIGURATION "+w) {
				t.Errorf("%s: script lacks %s", tc.target, w)
			}
		}
		var lost []string
		for _, n := range rep.Notes {
			if name, ok := strings.CutPrefix(n.Rule, "scoped configuration "); ok {
				lost = append(lost, name)
				if name == "LEGACY_CARDINALITY_ESTIMATION" && !strings.Contains(n.Message, "COMPATIBILITY_LEVEL 110 or trace flag 9481") {
					t.Errorf("%s: the note does not say what 2014 offers instead: %s", tc.target, n)
				}
			}
		}
		if strings.Join(lost, " ") != strings.Join(tc.lost, " ") {
			t.Errorf("%s: lost %v, want %v", tc.target, lost, tc.lost)
		}
		if !hasNote(rep, "[app]", "schema owner") || strings.Contains(out, "AUTHORIZATION [AppOwner]") {
			t.Errorf("%s: schema owner not reported", tc.target)
		}
		var refusal *Note
		for i := range rep.Notes {
			if rep.Notes[i].Refused() {
				refusal = &rep.Notes[i]
			}
		}
		switch {
		case tc.target < version.SQL2017 && (refusal == nil || refusal.Object != "[app].[fn_Clean]" || strings.Join(refusal.Affects, " ") != "[app].[Users] [app].[vUsers]"):
			t.Errorf("%s: refusal %+v, want TRIM in [app].[fn_Clean] affecting [app].[Users] and [app].[vUsers]", tc.target, refusal)
		case tc.target >= version.SQL2017 && refusal != nil:
			t.Errorf("%s: refusal %+v", tc.target, refusal)
		}
	}
}

// TestTemporalBelow2016: below 2016 the period columns get defaults, so an
// application's INSERT that leaves them out works; 2016 and later get
// system versioning back after the data.
func TestTemporalBelow2016(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
	  "tables": [
	    {"schema": "dbo", "name": "T", "columns": [{"name": "Id", "type": {"name": "int"}},
	      {"name": "From", "type": {"name": "datetime2", "scale": 7}, "generatedAlways": "ROW START", "hidden": true},
	      {"name": "To", "type": {"name": "datetime2", "scale": 2}, "generatedAlways": "ROW END", "hidden": true}],
	     "primaryKey": {"name": "PK_T", "clustered": true, "columns": [{"name": "Id"}]},
	     "temporal": {"historySchema": "dbo", "historyTable": "THistory", "periodStart": "From", "periodEnd": "To"},
	     "rows": [[1, "2025-01-01T00:00:00.0000000", "9999-12-31T23:59:59.99"]]},
	    {"schema": "dbo", "name": "THistory", "columns": [{"name": "Id", "type": {"name": "int"}},
	      {"name": "From", "type": {"name": "datetime2", "scale": 7}}, {"name": "To", "type": {"name": "datetime2", "scale": 2}}]}]}`)
	old, rep := scriptChecked(t, snap, Options{Target: version.SQL2014})
	for _, want := range []string{"[From] datetime2(7) NOT NULL DEFAULT (sysutcdatetime())", "[To] datetime2(2) NOT NULL DEFAULT ('9999-12-31 23:59:59.99')"} {
		if !strings.Contains(old, want) {
			t.Errorf("2014: script lacks %s", want)
		}
	}
	if !hasNote(rep, "[dbo].[T]", "temporal table") || strings.Contains(old, "SYSTEM_VERSIONING") {
		t.Errorf("2014: %v", rep.Notes)
	}
	cur, _ := scriptChecked(t, snap, Options{Target: version.SQL2016})
	if strings.Contains(cur, "DEFAULT (sysutcdatetime())") || !strings.Contains(cur, "SET (SYSTEM_VERSIONING = ON (HISTORY_TABLE = [dbo].[THistory], DATA_CONSISTENCY_CHECK = ON));") {
		t.Errorf("2016 script:\n%s", cur)
	}
}

// TestSequenceDefaultsBefore2012: on 2008 a column default NEXT VALUE FOR a
// sequence, plain or computing with the number, is left out of its table
// (which loads with its rows), reported in the words of xdm sql downgrade
// (column and sequence named); the left-out sequence lists as affected only
// the procedure that calls NEXT VALUE FOR, not the table.
func TestSequenceDefaultsBefore2012(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D"},
	  "sequences": [{"schema": "dbo", "name": "S", "type": {"name": "bigint"}, "start": "1", "increment": "1", "min": "1", "max": "9223372036854775807", "current": "2"}],
	  "tables": [{"schema": "dbo", "name": "T", "columns": [
	    {"name": "Id", "type": {"name": "bigint"}, "default": {"name": "DF_T_Id", "definition": "(NEXT VALUE FOR [dbo].[S])"}},
	    {"name": "Code", "type": {"name": "varchar", "maxLength": 24}, "collation": "Latin1_General_CI_AS",
	     "default": {"name": "DF_T_Code", "definition": "('T-'+CONVERT([varchar](20),NEXT VALUE FOR [dbo].[S]))"}}],
	    "primaryKey": {"name": "PK_T", "clustered": true, "columns": [{"name": "Id"}]},
	    "rows": [[1, "T-1"], [2, "T-2"]]}],
	  "modules": [{"schema": "dbo", "name": "usp_Next", "kind": "PROCEDURE", "definition": "CREATE PROCEDURE dbo.usp_Next @n bigint OUTPUT AS SET @n = NEXT VALUE FOR dbo.S;", "ansiNulls": true, "quotedIdentifier": true}],
	  "dependencies": [{"schema": "dbo", "name": "T", "refSchema": "dbo", "refName": "S", "via": "default"},
	                   {"schema": "dbo", "name": "usp_Next", "refSchema": "dbo", "refName": "S"}]}`)
	out, rep := scriptChecked(t, snap, Options{Target: version.SQL2008})
	if strings.Contains(out, "NEXT VALUE FOR [dbo].[S]") || !strings.Contains(out, "CREATE TABLE [dbo].[T]") || !strings.Contains(out, "(2, 'T-2')") {
		t.Errorf("want the table and its rows without the defaults:\n%s", out)
	}
	loss := " is created without its default NEXT VALUE FOR dbo.S; rows inserted later without the column get NULL, or fail if it is NOT NULL (the script's own rows keep their values); number them by hand or with IDENTITY"
	want := map[string]bool{"default omitted: column Id of dbo.T" + loss: false, "default omitted: column Code of dbo.T" + loss: false}
	for _, n := range rep.Notes {
		switch {
		case n.Object == "[dbo].[S]":
			if n.Rule != "sequence" || strings.Join(n.Affects, ",") != "[dbo].[usp_Next]" || strings.Contains(n.Message, "will fail") {
				t.Errorf("sequence note %s", n)
			}
		case n.Object == "[dbo].[T]":
			_, msg, _ := strings.Cut(n.Message, "of the object's text: ")
			if _, ok := want[msg]; !ok || n.Rule != "create-sequence" || n.Action != "omit" {
				t.Errorf("table note %s", n)
			}
			want[msg] = true
		}
	}
	for msg, seen := range want {
		if !seen {
			t.Errorf("no note %q", msg)
		}
	}
}
