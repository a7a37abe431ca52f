package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	_ "github.com/microsoft/go-mssqldb"

	"github.com/xdm-migrate/xdm/internal/tdsfake"
	"github.com/xdm-migrate/xdm/sql/version"
)

// newerColumns are catalog columns and views with the release that added
// them, as the SQL Server documentation of each catalog view lists them.
var newerColumns = []struct {
	name  string
	since version.Version
}{
	{"database_filestream_options", version.SQL2012},
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

// fakeCatalog answers the catalog queries of a SQL Server 2014 holding one
// table, one view and one procedure, through the real driver.
func fakeCatalog(t *testing.T) *tdsfake.Server {
	t.Helper()
	v := version.SQL2014
	byText := map[string]string{}
	for _, q := range Queries(v) {
		byText[q.SQL] = q.Name
	}
	alias := regexp.MustCompile(`(?m)^  .* AS (\w+),?$`)
	results := map[string][][]any{
		"database": {{"XPDATA", "Latin1_General_CI_AS", "120", "FULL", "1", "0", nil}},
		"files": {
			{"PRIMARY", "FG", "1", "XPDATA", `D:\Data\XPDATA.mdf`, "8192", "-1", "65536", "0"},
			{"", "LG", "0", "XPDATA_log", `D:\Data\XPDATA_log.ldf`, "8192", "2147483648", "0", "10"},
		},
		"schemas": {{"journal", "dbo"}},
		"tables":  {{"101", "dbo", "Users", "PRIMARY", "", "", "TABLE", "NONE", "3", "0", "0", nil, "0", "", "", "0", "0", "0"}},
		"columns": {
			{"101", "1", "UserId", "int", "", "4", "10", "0", "0", "", "1", "1", "1", "0", "0", "", "0", "", "", "0", "0", "0", "0", "0", "", "0", "0", "0", ""},
			{"101", "2", "Login", "nvarchar", "", "256", "0", "0", "0", "Latin1_General_CI_AS", "0", "", "", "0", "0", "", "0", "DF_Users_Login", "(N'x')", "0", "0", "0", "0", "0", "", "0", "0", "0", ""},
			{"101", "3", "Upper", "nvarchar", "", "256", "0", "0", "1", "Latin1_General_CI_AS", "0", "", "", "0", "1", "(upper([Login]))", "1", "", "", "0", "0", "0", "0", "0", "", "0", "0", "0", ""},
		},
		"indexes": {
			{"101", "1", "PK_Users", "CLUSTERED", "1", "1", "0", "", "0", "0", "0", "1", "1", "0", "PRIMARY", "NONE", "0", "0"},
			{"101", "2", "IX_Login", "NONCLUSTERED", "0", "0", "0", "([Login] IS NOT NULL)", "90", "0", "0", "1", "0", "0", "PRIMARY", "PAGE", "0", "0"},
		},
		"index_columns": {
			{"101", "1", "UserId", "0", "0"},
			{"101", "2", "Login", "1", "0"},
			{"101", "2", "Upper", "0", "1"},
		},
		"foreign_keys":        {{"201", "101", "FK_Self", "dbo", "Users", "NO_ACTION", "SET_NULL", "0", "0", "1"}},
		"foreign_key_columns": {{"201", "UserId", "UserId"}},
		"checks":              {{"101", "CK_Login", "(len([Login])>(0))", "0", "0", "0"}},
		"modules": {
			{"301", "dbo", "vUsers", "V ", "", "", "CREATE VIEW dbo.vUsers AS SELECT 1 AS x", "1", "1", "0", "0", "0"},
			{"302", "dbo", "trUsers", "TR", "dbo", "Users", "CREATE TRIGGER dbo.trUsers ON dbo.Users AFTER INSERT AS RETURN", "1", "0", "0", "1", "0"},
		},
		"extended_properties": {{"1", "MS_Description", "Users of XPhone", "dbo", "Users", "U ", ""}},
		"dependencies":        {{"dbo", "vUsers", "dbo", "Users"}},
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
		return []tdsfake.Token{tdsfake.Rows(cols, results[name]...)}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func TestReadThroughDriver(t *testing.T) {
	srv := fakeCatalog(t)
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
			{Name: "UserId", Type: Type{Name: "int", MaxLength: 4, Precision: 10}, Identity: &Identity{Seed: "1", Increment: "1"}},
			{Name: "Login", Type: Type{Name: "nvarchar", MaxLength: 256}, Collation: "Latin1_General_CI_AS", Default: &Default{Name: "DF_Users_Login", Definition: "(N'x')"}},
			{Name: "Upper", Type: Type{Name: "nvarchar", MaxLength: 256}, Nullable: true, Collation: "Latin1_General_CI_AS", Computed: &Computed{Definition: "(upper([Login]))", Persisted: true}},
		},
		PrimaryKey: &Key{Name: "PK_Users", Clustered: true, Columns: []IndexColumn{{Name: "UserId"}}, Filegroup: "PRIMARY"},
		Indexes: []Index{{Name: "IX_Login", Kind: "NONCLUSTERED", Columns: []IndexColumn{{Name: "Login", Descending: true}}, Included: []string{"Upper"},
			Filter: "([Login] IS NOT NULL)", Filegroup: "PRIMARY", Options: IndexOptions{FillFactor: 90, NoPageLocks: true, DataCompression: "PAGE"}}},
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
	if len(s.Dependencies) != 1 || s.Dependencies[0].RefName != "Users" {
		t.Errorf("dependencies %+v", s.Dependencies)
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
		{`{"format": 1, "database": {"name": "x"}, "tables": [{"schema": "dbo", "name": "t", "columns": [{"name": "a", "type": {"name": "int"}}], "rows": [[1, 2]]}]}`, "rows[0] has 2 values for 1 columns"},
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
		var pe *PositionError
		if !errors.As(err, &pe) || pe.Line != tc.line || pe.Column != tc.col {
			t.Errorf("%q: %v, want line %d column %d", tc.json, err, tc.line, tc.col)
		}
	}
}
