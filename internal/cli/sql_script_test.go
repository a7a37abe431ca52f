package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const xphoneSnapshot = "../../sql/mssql/script/testdata/xphone.in"

func TestSQLScriptFromSnapshot(t *testing.T) {
	out := filepath.Join(t.TempDir(), "xpdata-2019.sql")
	code, stdout, stderr := runCLI(t, "sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2019", "-o", out, "--rows-per-insert", "2", "--batch-rows", "3", "--create-database", "--principals")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %q", stdout)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The command writes what the library writes for the same options.
	want, err := os.ReadFile("../../sql/mssql/script/testdata/xphone-2019.golden")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("script differs from the library's golden script for 2019")
	}
	for _, s := range []string{"Scripted [XPDATA] from SQL Server 2019 for SQL Server 2019", "Rows: 16 in 6 tables", "[dbo].[AllTypes]", "Rules applied"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("report lacks %q:\n%s", s, stderr)
		}
	}
	// An existing output is not replaced without --force.
	code, _, stderr = runCLI(t, "sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2019", "-o", out)
	if code != ExitUsage || !strings.Contains(stderr, "exists") {
		t.Errorf("existing output: exit %d, %s", code, stderr)
	}
}

func TestSQLScriptRefusedExitsOne(t *testing.T) {
	code, stdout, stderr := runCLI(t, "sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "--schema-only")
	if code != ExitDifferent {
		t.Fatalf("exit %d, want %d: %s", code, ExitDifferent, stderr)
	}
	if !strings.Contains(stdout, "CREATE TABLE [dbo].[Users]") || strings.Contains(stdout, "INSERT INTO [") {
		t.Error("schema-only script to stdout expected")
	}
	for _, s := range []string{"refuse: function-string-agg", "[dbo].[usp_Report]", "will fail on SQL Server 2014"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("report lacks %q:\n%s", s, stderr)
		}
	}
}

func TestSQLScriptSplitDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "split")
	code, _, stderr := runCLI(t, "sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2019", "--split-dir", dir, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	master, err := os.ReadFile(filepath.Join(dir, "master.sql"))
	if err != nil || !strings.Contains(string(master), `:r "0001-schema-cfg.sql"`) {
		t.Errorf("master.sql: %v\n%s", err, master)
	}
}

func TestSQLScriptUsage(t *testing.T) {
	for _, args := range [][]string{
		{"sql", "script", "--from-snapshot", xphoneSnapshot},
		{"sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2001"},
		{"sql", "script", "--target", "2014"},
		{"sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "--rows-per-insert", "1001"},
		{"sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "--schema-only", "--data-only"},
		{"sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "-o", "a.sql", "--split-dir", "d"},
		{"sql", "catalog", "-S", "srv", "-d", "db"},
		{"sql", "catalog", "-o", "x.json"},
	} {
		if code, _, stderr := runCLI(t, args...); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d (%s)", args, code, ExitUsage, stderr)
		}
	}
}

func TestSQLScriptInvalidSnapshot(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"format": 1, "database": {"name": ""}}`), 0o644)
	code, _, stderr := runCLI(t, "sql", "script", "--from-snapshot", bad, "--target", "2014")
	if code != ExitInvalid || !strings.Contains(stderr, "bad.json") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

func TestSQLScriptFlags(t *testing.T) {
	var got *sqlScriptOptions
	app := NewApp(&IOStreams{In: strings.NewReader(""), Out: &strings.Builder{}, ErrOut: &strings.Builder{}})
	cmd := newCmdSQLScript(app, func(o *sqlScriptOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"-S", `srv\inst`, "-d", "XPDATA", "-E", "--target", "2014", "--include", "dbo.*", "--include", "cfg.*", "--exclude", "*.Journal*", "--batch-rows", "500"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Conn.Server != `srv\inst` || got.Conn.Database != "XPDATA" || !got.Conn.Trusted || len(got.Include) != 2 || got.Exclude[0] != "*.Journal*" || got.BatchRows != 500 || got.RowsPerInsert != 1000 {
		t.Errorf("options %+v", got)
	}
}

// TestSQLScriptGoldenDryRun: every golden script passes "xdm sql run
// --dry-run" (splits cleanly, no undefined variable, no unsupported command).
func TestSQLScriptGoldenDryRun(t *testing.T) {
	for _, target := range []string{"2008", "2012", "2014", "2019"} {
		golden := "../../sql/mssql/script/testdata/xphone-" + target + ".golden"
		code, stdout, stderr := runCLI(t, "sql", "run", "--dry-run", "--json", "-i", golden)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", golden, code, stderr)
		}
		if n := strings.Count(stdout, "\n"); n < 40 {
			t.Errorf("%s: %d batches in the dry run", golden, n)
		}
	}
}

func TestSQLScriptJSONReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s.sql")
	code, stdout, stderr := runCLI(t, "sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "-o", out, "--json")
	if code != ExitDifferent {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Target  int            `json:"target"`
		Objects map[string]int `json:"objects"`
		Tables  []struct {
			Name string `json:"name"`
			Rows int64  `json:"rows"`
		} `json:"tables"`
		Notes []struct{ Object, Rule, Action string } `json:"notes"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if rep.Target != 120 || rep.Objects["TABLE"] != 6 || len(rep.Tables) != 6 || rep.Tables[5].Name != "AllTypes" || rep.Tables[5].Rows != 5 {
		t.Errorf("report %+v", rep)
	}
	refused := 0
	for _, n := range rep.Notes {
		if n.Action == "refuse" {
			refused++
		}
	}
	if refused != 3 {
		t.Errorf("%d refusals in %+v", refused, rep.Notes)
	}
	if code, _, _ := runCLI(t, "sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "--json"); code != ExitUsage {
		t.Errorf("--json without -o: exit %d", code)
	}
}
