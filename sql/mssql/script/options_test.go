package script

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

// genRows is a RowSource of n generated rows for every table: (i, text i).
type genRows struct{ n int }

func (g genRows) Rows(_ context.Context, t *catalog.Table, cols []catalog.Column) (catalog.RowIter, error) {
	return &genIter{n: g.n, cols: cols}, nil
}

type genIter struct {
	i, n int
	cols []catalog.Column
	buf  []byte
}

func (it *genIter) Next(dst []any) error {
	if it.i >= it.n {
		return io.EOF
	}
	it.i++
	for k, c := range it.cols {
		switch c.Type.Base() {
		case "int", "bigint":
			dst[k] = int64(it.i)
		case "nvarchar", "varchar":
			it.buf = strconv.AppendInt(append(it.buf[:0], "row "...), int64(it.i), 10)
			dst[k] = string(append(it.buf, ", it's $(n)"...))
		case "float":
			dst[k] = float64(it.i) / 3
		case "datetime2":
			dst[k] = time.Date(2026, 1, 2, 3, 4, 5, 123456700+it.i%1000*100, time.UTC)
		case "varbinary":
			dst[k] = []byte{byte(it.i), 0xFF}
		default:
			dst[k] = nil
		}
	}
	return nil
}

func (it *genIter) Close() error { return nil }

func genSnapshot() *catalog.Snapshot {
	return &catalog.Snapshot{Format: catalog.FormatVersion,
		Source:   catalog.Source{Version: version.SQL2019},
		Database: catalog.Database{Name: "Bench"},
		Tables: []catalog.Table{{Schema: "dbo", Name: "Journal", RowCount: 0,
			Columns: []catalog.Column{
				{Name: "Id", Type: catalog.Type{Name: "bigint"}, Identity: &catalog.Identity{Seed: "1", Increment: "1"}},
				{Name: "Text", Type: catalog.Type{Name: "nvarchar", MaxLength: 400}, Nullable: true},
				{Name: "Score", Type: catalog.Type{Name: "float"}, Nullable: true},
				{Name: "At", Type: catalog.Type{Name: "datetime2", Scale: 7}},
				{Name: "Blob", Type: catalog.Type{Name: "varbinary", MaxLength: 16}, Nullable: true},
			},
			PrimaryKey: &catalog.Key{Name: "PK_Journal", Clustered: true, Columns: []catalog.IndexColumn{{Name: "Id"}}},
		}},
	}
}

func TestRowsPerInsertAndBatchRows(t *testing.T) {
	for _, tc := range []struct {
		rows, perInsert, batchRows   int
		wantInserts, wantDataBatches int
	}{
		{10, 3, 5, 4, 2}, // 3+2 | 3+2
		{10, 1000, 10000, 1, 1},
		{2500, 1000, 10000, 3, 1},
		{7, 2, 2, 4, 4},
		{0, 1000, 10000, 0, 0},
	} {
		opts := Options{DataOnly: true, Rows: genRows{tc.rows}, RowsPerInsert: tc.perInsert, BatchRows: tc.batchRows}
		if tc.rows == 0 {
			// An empty data-only script holds only the header.
			opts.DataOnly = false
		}
		out, rep := scriptChecked(t, genSnapshot(), opts)
		inserts := strings.Count(out, "INSERT INTO [dbo].[Journal]")
		batches := strings.Count(out, "SET IDENTITY_INSERT [dbo].[Journal] ON;")
		offs := strings.Count(out, "SET IDENTITY_INSERT [dbo].[Journal] OFF;\r\nGO\r\n")
		valuesRows := strings.Count(out, "\r\n(")
		if inserts != tc.wantInserts || batches != tc.wantDataBatches || offs != batches || valuesRows != tc.rows {
			t.Errorf("%+v: %d INSERTs, %d batches (%d closed), %d rows", tc, inserts, batches, offs, valuesRows)
		}
		if tc.rows > 0 && (len(rep.Tables) != 1 || rep.Tables[0].Rows != int64(tc.rows)) {
			t.Errorf("%+v: report %+v", tc, rep.Tables)
		}
		if strings.Contains(out, "$(") {
			t.Errorf("script holds $(")
		}
	}
}

func TestOptionErrors(t *testing.T) {
	for _, o := range []Options{
		{SchemaOnly: true, DataOnly: true},
		{RowsPerInsert: 1001},
		{Target: 99},
		{Include: []string{" "}},
	} {
		scriptFails(t, context.Background(), genSnapshot(), o)
	}
}

func TestIncludeExclude(t *testing.T) {
	objects := func(o Options) string {
		out, _ := scriptFor(t, version.SQL2019, func(x *Options) {
			x.Include, x.Exclude, x.CreateDatabase, x.Principals = o.Include, o.Exclude, false, false
		})
		var got []string
		for _, m := range regexp.MustCompile(`(?m)^CREATE (TABLE|VIEW|PROCEDURE|FUNCTION|TRIGGER) (\S+)`).FindAllStringSubmatch(out, -1) {
			got = append(got, m[2])
		}
		return strings.Join(got, " ")
	}
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{Include: []string{"journal.*"}}, "[journal].[Entries] [journal].[EntriesHistory]"},
		{Options{Include: []string{"*.Users"}}, "[dbo].[Users] dbo.trUsers_Audit"},
		{Options{Include: []string{"dbo.*"}, Exclude: []string{"*.usp_*", "*all*", "v*", "Attach?ents"}}, "[dbo].[fn_FormatPhone] [dbo].[Users] dbo.trUsers_Audit"},
	} {
		if got := objects(tc.o); got != tc.want {
			t.Errorf("include %q exclude %q:\n got %s\nwant %s", tc.o.Include, tc.o.Exclude, got, tc.want)
		}
	}
	// A foreign key to an excluded table is left out and reported.
	out, rep := scriptFor(t, version.SQL2019, func(x *Options) { x.Include = []string{"dbo.Attachments"} })
	if strings.Contains(out, "FK_Attachments_Users") {
		t.Error("foreign key to an excluded table scripted")
	}
	found := false
	for _, n := range rep.Notes {
		found = found || strings.Contains(n.Object, "FK_Attachments_Users")
	}
	if !found {
		t.Errorf("foreign key omission not reported: %v", rep.Notes)
	}
}

func TestSchemaOnlyDataOnly(t *testing.T) {
	schema, _ := scriptFor(t, version.SQL2014, func(o *Options) { o.SchemaOnly = true })
	data, rep := scriptFor(t, version.SQL2014, func(o *Options) { o.DataOnly = true; o.CreateDatabase = false })
	if strings.Contains(schema, "INSERT INTO [") || !strings.Contains(schema, "CREATE TABLE") {
		t.Error("--schema-only: wrong content")
	}
	if strings.Contains(data, "CREATE ") || strings.Count(data, "INSERT INTO") == 0 {
		t.Error("--data-only: wrong content")
	}
	var rows int64
	for _, tr := range rep.Tables {
		rows += tr.Rows
	}
	if rows != 16 {
		t.Errorf("--data-only: %d rows, want 16", rows)
	}
}

// TestSplitDir: the files of --split-dir, read in the master's order, are
// the single-file script.
func TestSplitDir(t *testing.T) {
	whole, _ := scriptFor(t, version.SQL2014, nil)
	dir := t.TempDir()
	opts := Options{Target: version.SQL2014, CreateDatabase: true, Principals: true, RowsPerInsert: 2, BatchRows: 3}
	rep := scriptDirChecked(t, dir, loadSnapshot(t, "xphone.in"), opts)
	master, err := os.ReadFile(filepath.Join(dir, MasterFile))
	if err != nil {
		t.Fatal(err)
	}
	var joined strings.Builder
	n := 0
	for _, line := range strings.Split(string(master), "\r\n") {
		name, ok := strings.CutPrefix(line, ":r ")
		if !ok {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, strings.Trim(name, `"`)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(b, []byte("GO\r\n")) {
			t.Errorf("%s does not end with GO", name)
		}
		joined.Write(b)
		n++
	}
	if n != len(rep.Files)-1 || n < 20 {
		t.Errorf("master includes %d files, report lists %d", n, len(rep.Files))
	}
	if joined.String() != whole {
		t.Errorf("split files differ from the single script at byte %d", firstDiff(joined.String(), whole))
	}
	// sqlcmd and sql/batch resolve :r against the working directory.
	t.Chdir(dir)
	items := splitScript(t, MasterFile, string(master))
	if len(items) < 40 {
		t.Errorf("master.sql read as %d items", len(items))
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := scriptFails(t, ctx, genSnapshot(), Options{Rows: genRows{10}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

func TestDependencyOrder(t *testing.T) {
	out, rep := scriptFor(t, version.SQL2019, nil)
	pos := func(s string) int {
		i := strings.Index(out, s)
		if i < 0 {
			t.Fatalf("%s not in script", s)
		}
		return i
	}
	// Each pair: the first must come before the second.
	for _, pair := range [][2]string{
		{"CREATE FUNCTION [dbo].[fn_FormatPhone]", "CREATE TABLE [dbo].[Users]"}, // a computed column uses it
		{"CREATE TABLE [journal].[EntriesHistory]", "INSERT INTO [dbo].[Users]"}, // tables, then data
		{"INSERT INTO [journal].[EntriesHistory]", "ADD CONSTRAINT [UQ_Users_Login]"},
		{"ADD CONSTRAINT [UQ_Users_Login]", "ADD CONSTRAINT [FK_Attachments_Users]"}, // every key before any foreign key
		{"ADD CONSTRAINT [FK_Entries_Users]", "CREATE TRIGGER dbo.trUsers_Audit"},
		{"INSERT INTO [journal].[Entries]", "CREATE TRIGGER dbo.trUsers_Audit"}, // loading fires no trigger
		{"CREATE VIEW dbo.vUserCount", "CREATE VIEW dbo.vUserNames"},
		{"CREATE VIEW dbo.vUserNames", "PROCEDURE dbo.usp_Report"},
		{"PROCEDURE dbo.usp_Report", "sp_addextendedproperty"},
	} {
		if pos(pair[0]) > pos(pair[1]) {
			t.Errorf("%s comes after %s", pair[0], pair[1])
		}
	}
	if len(rep.Cycles) != 1 || strings.Join(rep.Cycles[0], " ") != "[dbo].[usp_A] [dbo].[usp_B]" {
		t.Errorf("cycles %v", rep.Cycles)
	}
}

func TestProgress(t *testing.T) {
	var last Progress
	calls := 0
	snap := genSnapshot()
	snap.Tables[0].RowCount = 25
	scriptChecked(t, snap, Options{Rows: genRows{25}, RowsPerInsert: 10, Progress: func(p Progress) {
		if p.Rows < last.Rows || p.Objects < last.Objects {
			t.Errorf("progress went back: %+v after %+v", p, last)
		}
		last = p
		calls++
	}})
	if last.Rows != 25 || last.RowsTotal != 25 || last.Objects != 1 || last.ObjectsTotal != 1 || calls < 4 {
		t.Errorf("last progress %+v after %d calls", last, calls)
	}
}
