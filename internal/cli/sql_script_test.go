package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xdm-migrate/xdm/internal/tsqltest"
	"github.com/xdm-migrate/xdm/sql/downgrade"
	sqlversion "github.com/xdm-migrate/xdm/sql/version"
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
	if decodeUTF16LE(t, got) != string(want) {
		t.Error("script differs from the library's golden script for 2019")
	}
	for _, s := range []string{"Scripted [XPDATA] from SQL Server 2019 for SQL Server 2019", "(UTF-16LE with BOM: sqlcmd reads it without -f)", "Rows: 16 in 6 tables", "[dbo].[AllTypes]", "Rules applied"} {
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
	// Standard output gets the bytes a file gets.
	if text := decodeUTF16LE(t, []byte(stdout)); !strings.Contains(text, "CREATE TABLE [dbo].[Users]") || strings.Contains(text, "INSERT INTO [") {
		t.Error("schema-only script to stdout expected")
	}
	requireParses(t, sqlversion.SQL2014, tsqltest.Script{Name: "stdout", Data: []byte(stdout)})
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
	if err != nil {
		t.Fatal(err)
	}
	requireParses(t, sqlversion.SQL2019, tsqltest.Script{Name: filepath.Join(dir, "master.sql"), Data: master})
	if text := decodeUTF16LE(t, master); !strings.Contains(text, `:r "0001-schema-cfg.sql"`) || strings.Contains(text, "sqlcmd -b -f") {
		t.Errorf("master.sql:\n%s", text)
	}
	found, err := filepath.Glob(filepath.Join(dir, "*-data-dbo.Users.sql"))
	if err != nil || len(found) != 1 {
		t.Fatalf("the data file of dbo.Users: %v %v", found, err)
	}
	usersFile := filepath.Base(found[0])
	users, err := os.ReadFile(found[0])
	if err != nil {
		t.Fatal(err)
	}
	if text := decodeUTF16LE(t, users); !strings.Contains(text, "N'Jürgen Müller $'") {
		t.Errorf("%s lacks the user with umlauts:\n%s", usersFile, text)
	}
	// --encoding utf-8 applies to every file too.
	dir8 := filepath.Join(t.TempDir(), "split8")
	if code, _, stderr := runCLI(t, "sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2019", "--split-dir", dir8, "--encoding", "utf-8", "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, fn := range []string{"master.sql", usersFile} {
		b, err := os.ReadFile(filepath.Join(dir8, fn))
		if err != nil || !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
			t.Errorf("%s: %v, starts with %q", fn, err, b[:min(3, len(b))])
		}
	}
}

// requireParses checks a script the command wrote with Microsoft's parser
// for target (internal/tsqltest): every batch parses, except one holding a
// statement that xdm's version rules refuse on the target (the report
// lists those, and the command exits 1).
func requireParses(t *testing.T, target sqlversion.Version, s tsqltest.Script) {
	t.Helper()
	for _, p := range tsqltest.Check(t, tsqltest.Level(target), s) {
		refused := false
		for _, f := range downgrade.Check([]byte(p.Batch), downgrade.Options{Target: target}, downgrade.Position{}) {
			refused = refused || f.Action == downgrade.Refuse
		}
		if !refused {
			t.Errorf("%s does not parse on %s: %s\n%s", s.Name, target, p, p.Batch)
		}
	}
}

// decodeUTF16LE returns b's text after checking that it is UTF-16LE with
// BOM, decoded without the package that wrote it.
func decodeUTF16LE(t *testing.T, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || len(b)%2 != 0 {
		t.Fatalf("not UTF-16LE with BOM: %d bytes starting with % X", len(b), b[:min(4, len(b))])
	}
	units := make([]uint16, 0, len(b)/2-1)
	for i := 2; i < len(b); i += 2 {
		units = append(units, binary.LittleEndian.Uint16(b[i:]))
	}
	return string(utf16.Decode(units))
}

// dryRunBatches returns the batches "xdm sql run --dry-run --json" reads
// from file, without the file name.
func dryRunBatches(t *testing.T, file string) []map[string]any {
	t.Helper()
	// -f 65001: a file without byte order mark is UTF-8 here (sql run reads
	// it in code page 1252 otherwise, as sqlcmd does).
	code, stdout, stderr := runCLI(t, "sql", "run", "--dry-run", "--json", "-f", "65001", "-i", file)
	if code != 0 {
		t.Fatalf("dry run of %s: exit %d: %s", file, code, stderr)
	}
	var batches []map[string]any
	dec := json.NewDecoder(strings.NewReader(stdout))
	for dec.More() {
		var b map[string]any
		if err := dec.Decode(&b); err != nil {
			t.Fatal(err)
		}
		delete(b, "file")
		batches = append(batches, b)
	}
	return batches
}

// TestSQLScriptEncoding: the default script is UTF-16LE with BOM, which
// sqlcmd reads without -f, holding exactly the text of the UTF-8 golden
// script; "xdm sql run" reads the same batches from both; --encoding utf-8
// writes the golden bytes after a UTF-8 BOM.
func TestSQLScriptEncoding(t *testing.T) {
	const golden = "../../sql/mssql/script/testdata/xphone-2014.golden"
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	goldenOpts := []string{"--rows-per-insert", "2", "--batch-rows", "3", "--create-database", "--principals"}
	script := func(name string, extra ...string) []byte {
		out := filepath.Join(t.TempDir(), name)
		args := append([]string{"sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "-o", out, "-q"}, goldenOpts...)
		code, _, stderr := runCLI(t, append(args, extra...)...)
		if code != ExitDifferent { // the 2014 script holds refused statements
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	got := script("out.sql")
	if !bytes.HasPrefix(got, []byte{0xFF, 0xFE}) {
		t.Fatalf("starts with % X, want FF FE", got[:4])
	}
	if text := decodeUTF16LE(t, got); text != string(want) {
		t.Errorf("UTF-16 script differs from %s (%d and %d characters)", golden, len(text), len(want))
	}
	if !strings.Contains(string(want), "N'Jürgen Müller $'") {
		t.Fatal("golden script lacks the umlauts this test is about")
	}
	out := filepath.Join(t.TempDir(), "out.sql")
	os.WriteFile(out, got, 0o644)
	if utf16Batches, utf8Batches := dryRunBatches(t, out), dryRunBatches(t, golden); !reflect.DeepEqual(utf16Batches, utf8Batches) || len(utf8Batches) < 40 {
		t.Errorf("sql run reads %d batches from the UTF-16 script, %d from the UTF-8 one, or they differ", len(utf16Batches), len(utf8Batches))
	}

	got8 := script("out8.sql", "--encoding", "utf-8")
	if !bytes.Equal(got8, append([]byte{0xEF, 0xBB, 0xBF}, want...)) {
		t.Errorf("--encoding utf-8: want the golden bytes after EF BB BF, got %d bytes starting with % X", len(got8), got8[:4])
	}
	if code, _, stderr := runCLI(t, "sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "--encoding", "latin1"); code != ExitUsage || !strings.Contains(stderr, "utf-16") {
		t.Errorf("--encoding latin1: exit %d: %s", code, stderr)
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
	// A JSON error is reported at file:line:col, once.
	os.WriteFile(bad, []byte("{\n  \"format\": 1,\n  \"database\": {\"name\": x}\n}"), 0o644)
	code, _, stderr = runCLI(t, "sql", "script", "--from-snapshot", bad, "--target", "2014")
	if code != ExitInvalid || !strings.Contains(stderr, bad+":3:24: reading catalog snapshot: invalid character 'x'") || strings.Count(stderr, bad) != 1 {
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
	goldens, err := filepath.Glob("../../sql/mssql/script/testdata/*.golden")
	if err != nil || len(goldens) != 12 {
		t.Fatalf("%d golden scripts (%v), want 6 targets of xphone and xpdata", len(goldens), err)
	}
	for _, golden := range goldens {
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
	allTypes := int64(-1)
	for _, tb := range rep.Tables {
		if tb.Name == "AllTypes" {
			allTypes = tb.Rows
		}
	}
	if rep.Target != 120 || rep.Objects["TABLE"] != 6 || len(rep.Tables) != 6 || allTypes != 5 {
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

// TestSQLScriptUnsafeFileName: the library's sentinel is worded with the
// flag that caused it.
func TestSQLScriptUnsafeFileName(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "snap.json")
	os.WriteFile(snap, []byte(`{"format": 1, "source": {"version": 150}, "database": {"name": "D",
	  "filegroups": [{"name": "PRIMARY", "type": "ROWS", "files": [{"name": "D", "physicalName": "D:\\Data$(x)\\D.mdf"}]}]}}`), 0o644)
	code, _, stderr := runCLI(t, "sql", "script", "--from-snapshot", snap, "--target", "2014", "--create-database", "-o", filepath.Join(t.TempDir(), "out.sql"))
	if code != ExitFailure || !strings.Contains(stderr, "--create-database: a database file name or folder holds") || !strings.Contains(stderr, "script without --create-database") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestSQLScriptQuietKeepsRefusalsOnly: -q drops the report but not the
// refusals, as --help and docs/sql-script.md say (and as sql downgrade -q
// does): only the refused notes and the line saying to edit them.
func TestSQLScriptQuietKeepsRefusalsOnly(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.sql")
	code, _, stderr := runCLI(t, "sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "-o", out, "-q")
	if code != ExitDifferent {
		t.Fatalf("code %d, want %d (the 2014 script has refusals)\n%s", code, ExitDifferent, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	refusals := 0
	for _, l := range lines {
		switch {
		case strings.Contains(l, ": refuse: "):
			refusals++
		case strings.HasPrefix(l, "xdm: ") && strings.Contains(l, "will fail on SQL Server 2014"):
		default:
			t.Errorf("-q printed %q", l)
		}
	}
	if refusals == 0 {
		t.Errorf("-q printed no refusal:\n%s", stderr)
	}
}
