package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"strings"
	"testing"

	_ "github.com/microsoft/go-mssqldb"

	"github.com/xdm-migrate/xdm/internal/tdsfake"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/version"
)

// newerColumns are catalog columns and views with the release that added
// them, as the SQL Server documentation of each catalog view lists them.
var newerColumns = []struct {
	name  string
	since version.Version
}{
	{"database_filestream_options", version.SQL2012},
	{"xml_index_type", version.SQL2012},
	{"database_scoped_configurations", version.SQL2016},
	{"is_value_default", version.SQL2017},
	{"is_filetable", version.SQL2012},
	{"sys.sequences", version.SQL2012},
	{"is_memory_optimized", version.SQL2014},
	{"durability_desc", version.SQL2014},
	{"uses_native_compilation", version.SQL2014},
	{"temporal_type", version.SQL2016},
	{"history_table_id", version.SQL2016},
	{"is_external", version.SQL2016},
	{"generated_always_type", version.SQL2016},
	{"is_hidden", version.SQL2016},
	{"masked_columns", version.SQL2016},
	{"compression_delay", version.SQL2016},
	{"is_node", version.SQL2017},
	{"is_edge", version.SQL2017},
	{"optimize_for_sequential_key", version.SQL2019},
	{"ledger_type", version.SQL2022},
}

func TestQueriesVersionGated(t *testing.T) {
	for _, v := range version.All() {
		qs := Queries(v)
		for _, c := range newerColumns {
			used := false
			for _, q := range qs {
				// Aliases are allowed to keep the name ("AS is_hidden"); the
				// column itself appears as alias.column or a view name.
				text := regexp.MustCompile(`AS `+c.name+`\b`).ReplaceAllString(q.SQL, "")
				if strings.Contains(text, c.name) {
					used = true
					if v < c.since {
						t.Errorf("%s: query %s reads %s, which is new in %s", v, q.Name, c.name, c.since)
					}
				}
			}
			if v >= c.since && !used {
				t.Errorf("%s: no query reads %s", v, c.name)
			}
		}
	}
}

// row is one result row of a catalog query by column alias; columns it does
// not name are NULL.
type row map[string]any

// fakeCatalog answers the catalog queries of a SQL Server 2014 holding one
// table, one view and one trigger, through the real driver; edit, when
// set, changes the results first.
func fakeCatalog(t *testing.T, edit func(map[string][]row)) *tdsfake.Server {
	t.Helper()
	v := version.SQL2014
	byText := map[string]string{}
	for _, q := range Queries(v) {
		byText[q.SQL] = q.Name
	}
	alias := regexp.MustCompile(`(?m)^  .* AS (\w+),?$`)
	results := map[string][]row{
		"database": {{"name": "XPDATA", "collation": "Latin1_General_CI_AS", "compatibility_level": "120", "recovery_model": "FULL", "rcsi": "1", "snapshot_isolation": "0"}},
		"files": {
			{"filegroup": "PRIMARY", "filegroup_type": "FG", "is_default": "1", "name": "XPDATA", "physical_name": `D:\Data\XPDATA.mdf`, "size_kb": "8192", "max_size_kb": "-1", "growth_kb": "65536", "growth_percent": "0"},
			{"filegroup": "", "filegroup_type": "LG", "is_default": "0", "name": "XPDATA_log", "physical_name": `D:\Data\XPDATA_log.ldf`, "size_kb": "8192", "max_size_kb": "2147483648", "growth_kb": "0", "growth_percent": "10"},
		},
		"schemas": {{"name": "journal", "owner": "dbo"}},
		"tables":  {{"object_id": "101", "schema_name": "dbo", "name": "Users", "filegroup": "PRIMARY", "textimage_filegroup": "", "filestream_filegroup": "", "lock_escalation": "TABLE", "data_compression": "NONE", "row_count": "3", "is_memory_optimized": "0"}},
		"columns": {
			{"object_id": "101", "column_id": "1", "name": "UserId", "type_name": "int", "max_length": "4", "precision": "10", "is_nullable": "0", "is_identity": "1", "seed": "1", "increment": "1", "identity_last": "42"},
			{"object_id": "101", "column_id": "2", "name": "Login", "type_name": "nvarchar", "max_length": "256", "collation": "Latin1_General_CI_AS", "default_name": "DF_Users_Login", "default_definition": "(N'x')", "default_system_named": "0"},
			{"object_id": "101", "column_id": "3", "name": "Upper", "type_name": "nvarchar", "max_length": "256", "is_nullable": "1", "collation": "Latin1_General_CI_AS", "is_computed": "1", "computed_definition": "(upper([Login]))", "is_persisted": "1"},
			{"object_id": "101", "column_id": "4", "name": "Doc", "type_name": "xml", "max_length": "-1", "is_nullable": "1"},
			{"object_id": "101", "column_id": "5", "name": "Area", "type_name": "geometry", "max_length": "-1", "is_nullable": "1"},
		},
		"indexes": {
			{"object_id": "101", "index_id": "1", "name": "PK_Users", "type_desc": "CLUSTERED", "is_unique": "1", "is_primary_key": "1", "allow_row_locks": "1", "allow_page_locks": "1", "filegroup": "PRIMARY", "data_compression": "NONE"},
			{"object_id": "101", "index_id": "2", "name": "IX_Login", "type_desc": "NONCLUSTERED", "filter": "([Login] IS NOT NULL)", "fill_factor": "90", "allow_row_locks": "1", "allow_page_locks": "0", "filegroup": "PRIMARY", "data_compression": "PAGE"},
			{"object_id": "101", "index_id": "3", "name": "PXML_Doc", "type_desc": "XML", "allow_row_locks": "1", "allow_page_locks": "1", "data_compression": "NONE", "xml_index_type": "0"},
			{"object_id": "101", "index_id": "4", "name": "SXML_Doc_Path", "type_desc": "XML", "allow_row_locks": "1", "allow_page_locks": "1", "data_compression": "NONE", "xml_using": "PXML_Doc", "xml_for": "PATH", "xml_index_type": "1"},
			{"object_id": "101", "index_id": "5", "name": "SIX_Area", "type_desc": "SPATIAL", "allow_row_locks": "1", "allow_page_locks": "1", "filegroup": "PRIMARY", "data_compression": "NONE",
				"tessellation": "GEOMETRY_GRID", "bounding_box_xmin": "-180", "bounding_box_ymin": "-90.5", "bounding_box_xmax": "180", "bounding_box_ymax": "1e+06",
				"level_1_grid": "LOW", "level_2_grid": "MEDIUM", "level_3_grid": "MEDIUM", "level_4_grid": "HIGH", "cells_per_object": "16"},
		},
		"index_columns": {
			{"object_id": "101", "index_id": "1", "column_name": "UserId", "is_descending": "0", "is_included": "0"},
			{"object_id": "101", "index_id": "2", "column_name": "Login", "is_descending": "1", "is_included": "0"},
			{"object_id": "101", "index_id": "2", "column_name": "Upper", "is_descending": "0", "is_included": "1"},
			{"object_id": "101", "index_id": "3", "column_name": "Doc", "is_descending": "0", "is_included": "0"},
			{"object_id": "101", "index_id": "4", "column_name": "Doc", "is_descending": "0", "is_included": "0"},
			{"object_id": "101", "index_id": "5", "column_name": "Area", "is_descending": "0", "is_included": "0"},
		},
		"foreign_keys":        {{"fk_id": "201", "object_id": "101", "name": "FK_Self", "ref_schema": "dbo", "ref_table": "Users", "on_delete": "NO_ACTION", "on_update": "SET_NULL", "is_not_trusted": "1"}},
		"foreign_key_columns": {{"fk_id": "201", "column_name": "UserId", "ref_column_name": "UserId"}},
		"checks":              {{"object_id": "101", "name": "CK_Login", "definition": "(len([Login])>(0))"}},
		"modules": {
			{"object_id": "301", "schema_name": "dbo", "name": "vUsers", "type": "V ", "parent_schema": "", "parent_name": "", "definition": "CREATE VIEW dbo.vUsers AS SELECT 1 AS x", "uses_ansi_nulls": "1", "uses_quoted_identifier": "1"},
			{"object_id": "302", "schema_name": "dbo", "name": "trUsers", "type": "TR", "parent_schema": "dbo", "parent_name": "Users", "definition": "CREATE TRIGGER dbo.trUsers ON dbo.Users AFTER INSERT AS RETURN", "uses_ansi_nulls": "1", "uses_quoted_identifier": "0", "is_disabled": "1"},
		},
		"extended_properties": {{"class": "1", "name": "MS_Description", "value": "Users of XPhone", "schema_name": "dbo", "object_name": "Users", "object_type": "U ", "minor_name": ""}},
		"dependencies": {
			{"schema_name": "dbo", "name": "vUsers", "ref_schema": "dbo", "ref_name": "Users", "via": ""},
			{"schema_name": "dbo", "name": "trUsers", "ref_schema": "dbo", "ref_name": "vUsers", "via": ""},
			{"schema_name": "dbo", "name": "trUsers", "ref_schema": "dbo", "ref_name": "vUsers", "via": ""},
		},
	}
	if edit != nil {
		edit(results)
	}
	srv, err := tdsfake.Start(func(q string) []tdsfake.Token {
		if strings.Contains(q, "SERVERPROPERTY('ProductVersion')") {
			return []tdsfake.Token{tdsfake.Rows([]string{"v", "e", "s"}, []any{"12.0.6024.0", "Standard Edition", "SRV1"})}
		}
		name, ok := byText[q]
		if !ok {
			return []tdsfake.Token{tdsfake.Error(208, 16, 1, "unexpected query", 1)}
		}
		var cols []string
		for _, m := range alias.FindAllStringSubmatch(q, -1) {
			cols = append(cols, m[1])
		}
		var rows [][]any
		for _, r := range results[name] {
			vals := make([]any, len(cols))
			seen := 0
			for i, c := range cols {
				if v, ok := r[c]; ok {
					vals[i] = v
					seen++
				}
			}
			if seen != len(r) {
				t.Errorf("query %s lacks a column of %v", name, r)
			}
			rows = append(rows, vals)
		}
		return []tdsfake.Token{tdsfake.Rows(cols, rows...)}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func TestReadThroughDriver(t *testing.T) {
	srv := fakeCatalog(t, nil)
	db, err := sql.Open("sqlserver", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var progress []int
	s, err := Read(context.Background(), db, ReadOptions{Progress: func(done, total int) {
		if total != len(Queries(version.SQL2014)) {
			t.Errorf("progress total %d", total)
		}
		progress = append(progress, done)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Source.Version != version.SQL2014 || s.Source.Server != "SRV1" {
		t.Errorf("source %+v", s.Source)
	}
	if len(progress) != len(Queries(version.SQL2014)) {
		t.Errorf("progress called %d times for %d queries", len(progress), len(Queries(version.SQL2014)))
	}
	for _, b := range srv.Batches() {
		for _, c := range newerColumns {
			if c.since > version.SQL2014 && strings.Contains(regexp.MustCompile(`AS `+c.name+`\b`).ReplaceAllString(b, ""), c.name) {
				t.Errorf("a 2014 server was asked for %s (new in %s)", c.name, c.since)
			}
		}
	}
	want := Table{Schema: "dbo", Name: "Users", Filegroup: "PRIMARY", LockEscalation: "TABLE", RowCount: 3,
		Columns: []Column{
			{Name: "UserId", Type: Type{Name: "int", MaxLength: 4, Precision: 10}, Identity: &Identity{Seed: "1", Increment: "1", Last: "42"}},
			{Name: "Login", Type: Type{Name: "nvarchar", MaxLength: 256}, Collation: "Latin1_General_CI_AS", Default: &Default{Name: "DF_Users_Login", Definition: "(N'x')"}},
			{Name: "Upper", Type: Type{Name: "nvarchar", MaxLength: 256}, Nullable: true, Collation: "Latin1_General_CI_AS", Computed: &Computed{Definition: "(upper([Login]))", Persisted: true}},
			{Name: "Doc", Type: Type{Name: "xml", MaxLength: -1}, Nullable: true},
			{Name: "Area", Type: Type{Name: "geometry", MaxLength: -1}, Nullable: true},
		},
		PrimaryKey: &Key{Name: "PK_Users", Clustered: true, Columns: []IndexColumn{{Name: "UserId"}}, Filegroup: "PRIMARY"},
		Indexes: []Index{{Name: "IX_Login", Kind: "NONCLUSTERED", Columns: []IndexColumn{{Name: "Login", Descending: true}}, Included: []string{"Upper"},
			Filter: "([Login] IS NOT NULL)", Filegroup: "PRIMARY", Options: IndexOptions{FillFactor: 90, NoPageLocks: true, DataCompression: "PAGE"}},
			{Name: "PXML_Doc", Kind: "XML", Columns: []IndexColumn{{Name: "Doc"}}},
			{Name: "SXML_Doc_Path", Kind: "XML", Columns: []IndexColumn{{Name: "Doc"}}, XML: &XMLIndex{Using: "PXML_Doc", For: "PATH"}},
			{Name: "SIX_Area", Kind: "SPATIAL", Columns: []IndexColumn{{Name: "Area"}}, Filegroup: "PRIMARY", Spatial: &SpatialIndex{Tessellation: "GEOMETRY_GRID",
				BoundingBox: []float64{-180, -90.5, 180, 1e6}, Grids: []string{"LOW", "MEDIUM", "MEDIUM", "HIGH"}, CellsPerObject: 16}},
		},
		ForeignKeys: []ForeignKey{{Name: "FK_Self", Columns: []string{"UserId"}, RefSchema: "dbo", RefTable: "Users", RefColumns: []string{"UserId"}, OnUpdate: "SET NULL", NotTrusted: true}},
		Checks:      []Check{{Name: "CK_Login", Definition: "(len([Login])>(0))"}},
	}
	if len(s.Tables) != 1 || !reflect.DeepEqual(s.Tables[0], want) {
		t.Errorf("table:\n got %+v\nwant %+v", s.Tables, want)
	}
	if len(s.Modules) != 2 || s.Modules[0].Kind != View || s.Modules[1].Kind != Trigger || s.Modules[1].ParentTable != "Users" || !s.Modules[1].Disabled || s.Modules[1].QuotedIdentifier {
		t.Errorf("modules %+v", s.Modules)
	}
	if len(s.Database.Filegroups) != 1 || len(s.Database.LogFiles) != 1 || s.Database.LogFiles[0].GrowthPercent != 10 || s.Database.Filegroups[0].Files[0].MaxSizeKB != -1 {
		t.Errorf("files %+v", s.Database)
	}
	if len(s.Properties) != 1 || s.Properties[0].Level1Type != "TABLE" || s.Properties[0].Value != "Users of XPhone" {
		t.Errorf("properties %+v", s.Properties)
	}
	// A trigger depends as itself, not as its table; a dependency through
	// two columns is listed once.
	wantDeps := []Dependency{{Schema: "dbo", Name: "trUsers", RefSchema: "dbo", RefName: "vUsers"}, {Schema: "dbo", Name: "vUsers", RefSchema: "dbo", RefName: "Users"}}
	if !reflect.DeepEqual(s.Dependencies, wantDeps) && !reflect.DeepEqual(s.Dependencies, []Dependency{wantDeps[1], wantDeps[0]}) {
		t.Errorf("dependencies %+v", s.Dependencies)
	}
}

// TestReadRefuses: what xdm cannot script, and a value of the wrong type,
// stop Read with an error naming it, never a panic.
func TestReadRefuses(t *testing.T) {
	for _, tc := range []struct {
		edit func(map[string][]row)
		want string
		is   error
	}{
		{func(r map[string][]row) { r["indexes"][2]["xml_index_type"] = "2" }, "PXML_Doc on object 101 is a selective XML index", ErrUnsupported},
		{func(r map[string][]row) { r["modules"][0]["definition"] = nil }, "dbo.vUsers is encrypted", ErrUnsupported},
		{func(r map[string][]row) { r["columns"][0]["max_length"] = "four" }, `catalog query columns: column max_length: "four" is not an integer`, nil},
		{func(r map[string][]row) { r["database"] = nil }, "the current database was not found", nil},
	} {
		srv := fakeCatalog(t, tc.edit)
		db, err := sql.Open("sqlserver", srv.DSN())
		if err != nil {
			t.Fatal(err)
		}
		_, err = Read(context.Background(), db, ReadOptions{})
		db.Close()
		if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	in, err := os.ReadFile("../script/testdata/xphone.in")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReadSnapshot(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := s.Write(&out); err != nil {
		t.Fatal(err)
	}
	s2, err := ReadSnapshot(&out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, s2) {
		t.Error("snapshot changed through Write and ReadSnapshot")
	}
}

func TestReadSnapshotErrors(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`{"format": 2, "database": {"name": "x"}}`, "format 2"},
		{`{"format": 1, "database": {"name": "x"}, "bogus": 1}`, "unknown field"},
		{`{"format": 1, "database": {}}`, "database.name is empty"},
		{`{"format": 1, "database": {"name": "x"}, "tables": [{"schema": "dbo", "name": "t", "columns": [{"name": "a", "type": {"name": "int"}}], "rows": [[1, 2]]}]}`, "rows[0] has 2 values for 1 column"},
		{`{"format": 1, "database": {"name": "x"}, "tables": [{"schema": "dbo", "name": "t", "columns": [{"name": "a", "type": {"name": "int"}}], "primaryKey": {"name": "pk", "columns": [{"name": "b"}]}}]}`, `names column "b"`},
		{`{"format": 1, "database": {"name": "x"}, "modules": [{"schema": "dbo", "name": "m", "kind": "RULE", "definition": "x"}]}`, `kind "RULE"`},
		{`{"format": 1, "database": {"name": "x"}, "modules": [{"schema": "dbo", "name": "m", "kind": "VIEW", "definition": ""}]}`, "encrypted"},
		{`{"format": 1, "database": {"name": "x"}, "tables": [{"schema": "dbo", "name": "t", "columns": [{"name": "a", "type": {"name": "int); DROP TABLE x; --"}}]}]}`, "not a plain word"},
		{`{"format": 1, "database": {"name": "x", "collation": "Latin1 --"}}`, "not a plain word"},
		{`{"format": 1, "database": {"name": "x"}, "tables": [{"schema": "dbo", "name": "t", "columns": [{"name": "a", "type": {"name": "int"}, "identity": {"seed": "1)", "increment": "1"}}]}]}`, "not a number"},
		{`{"format": 1, "database": {"name": "x"}, "tables": [{"schema": "dbo", "name": "t", "columns": [{"name": "a", "type": {"name": "int"}}], "lockEscalation": "AUTO; x"}]}`, "not one of"},
	} {
		_, err := ReadSnapshot(strings.NewReader(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.json, err, tc.want)
		}
	}
}

func TestQuoteName(t *testing.T) {
	for in, want := range map[string]string{"a": "[a]", "a]b": "[a]]b]", "]]": "[]]]]]", "": "[]", "x.y": "[x.y]"} {
		if got := QuoteName(in); got != want {
			t.Errorf("QuoteName(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSelectSQL(t *testing.T) {
	tb := &Table{Schema: "dbo", Name: "T]", PrimaryKey: &Key{Columns: []IndexColumn{{Name: "Id"}}},
		Columns: []Column{{Name: "Id", Type: Type{Name: "int"}}, {Name: "G", Type: Type{Name: "uniqueidentifier"}}, {Name: "H", Type: Type{Name: "hierarchyid", Schema: "sys"}}, {Name: "V", Type: Type{Name: "sql_variant"}}}}
	got := SelectSQL(tb, tb.Columns)
	for _, want := range []string{"CONVERT(char(36), [G])", "CAST([H] AS varbinary(max))", "SQL_VARIANT_PROPERTY([V], 'BaseType')", "FROM [dbo].[T]]]", "ORDER BY [Id]"} {
		if !strings.Contains(got, want) {
			t.Errorf("SelectSQL lacks %s:\n%s", want, got)
		}
	}
}

func TestDBRowsThroughDriver(t *testing.T) {
	srv, err := tdsfake.Start(func(q string) []tdsfake.Token {
		if !strings.HasPrefix(q, "SELECT [Id], [Name], [V], CAST(SQL_VARIANT_PROPERTY([V], 'BaseType')") || !strings.HasSuffix(q, "FROM [dbo].[T] ORDER BY [Id]") {
			return []tdsfake.Token{tdsfake.Error(102, 15, 1, "unexpected query: "+q, 1)}
		}
		return []tdsfake.Token{tdsfake.Rows([]string{"Id", "Name", "V", "b", "p", "s", "m", "c"},
			[]any{1, "x", "12.50", "decimal", "5", "2", "5", nil},
			[]any{2, nil, nil, nil, nil, nil, nil, nil})}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	db, err := sql.Open("sqlserver", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tb := &Table{Schema: "dbo", Name: "T", PrimaryKey: &Key{Columns: []IndexColumn{{Name: "Id"}}},
		Columns: []Column{{Name: "Id", Type: Type{Name: "int"}}, {Name: "Name", Type: Type{Name: "nvarchar", MaxLength: 20}}, {Name: "V", Type: Type{Name: "sql_variant"}}}}
	it, err := DBRows{DB: db}.Rows(context.Background(), tb, tb.Columns)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	row := make([]any, 3)
	if err := it.Next(row); err != nil {
		t.Fatal(err)
	}
	want := Variant{Type: Type{Name: "decimal", Precision: 5, Scale: 2, MaxLength: 5}, Value: "12.50"}
	if row[0] != int64(1) || row[1] != "x" || !reflect.DeepEqual(row[2], want) {
		t.Errorf("row 1: %#v", row)
	}
	if err := it.Next(row); err != nil || row[1] != nil || row[2] != nil {
		t.Errorf("row 2: %#v %v", row, err)
	}
	if err := it.Next(row); err != io.EOF {
		t.Errorf("after the last row: %v", err)
	}
}

func TestEmbeddedRows(t *testing.T) {
	tb := &Table{Schema: "dbo", Name: "T", Columns: []Column{{Name: "A", Type: Type{Name: "bigint"}}, {Name: "B", Type: Type{Name: "sql_variant"}}},
		Rows: [][]json.RawMessage{{json.RawMessage(`9223372036854775807`), json.RawMessage(`{"type": {"name": "int"}, "value": 7}`)}}}
	it, err := EmbeddedRows{}.Rows(context.Background(), tb, tb.Columns[1:])
	if err != nil {
		t.Fatal(err)
	}
	row := make([]any, 1)
	if err := it.Next(row); err != nil {
		t.Fatal(err)
	}
	if v, ok := row[0].(Variant); !ok || v.Type.Name != "int" || v.Value != json.Number("7") {
		t.Errorf("variant %#v", row[0])
	}
	if err := it.Next(row); err != io.EOF {
		t.Errorf("after the last row: %v", err)
	}
	if _, err := (EmbeddedRows{}).Rows(context.Background(), tb, []Column{{Name: "C"}}); err == nil {
		t.Error("unknown column accepted")
	}
}

func TestReadSnapshotPosition(t *testing.T) {
	for _, tc := range []struct {
		json      string
		line, col int
	}{
		{"{\n  \"format\": 1,\n  \"database\": {\"name\": x}\n}", 3, 24},
		{"{\n  \"format\": \"one\"\n}", 2, 18},
		{"{\n  \"format\": 1,", 2, 15},
	} {
		_, err := ReadSnapshot(strings.NewReader(tc.json))
		var pe *position.Error
		if !errors.As(err, &pe) || pe.Line != int64(tc.line) || pe.Column != tc.col || pe.File != "" {
			t.Errorf("%q: %v, want line %d column %d", tc.json, err, tc.line, tc.col)
		}
	}
}

// TestDriverFree: the catalog and the scripter work on any Queryer and
// RowSource; the driver is the caller's choice (the CLI's, through
// sql/mssql), so neither package pulls it in.
func TestDriverFree(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".", "../script").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if !strings.Contains(string(out), "github.com/xdm-migrate/xdm/sql/mssql/catalog") {
		t.Fatalf("go list printed no dependency list:\n%s", out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "go-mssqldb") || dep == "github.com/xdm-migrate/xdm/sql/mssql" {
			t.Errorf("catalog or script depends on %s", dep)
		}
	}
}
