package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/tsqltest"
	sqlversion "github.com/xdm-migrate/xdm/sql/version"
)

const script2019 = "CREATE OR ALTER VIEW dbo.v AS SELECT TRIM(Name) AS Name FROM dbo.Users\r\nGO\r\n" +
	"INSERT dbo.Users (Name) VALUES (N'TRIM(x) and CREATE OR ALTER')\r\nGO\r\n" +
	"CREATE INDEX IX ON dbo.Users (Name) WITH (OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF)\r\nGO\r\n"

func writeScript(t *testing.T, content string) (dir, path string) {
	dir = t.TempDir()
	path = filepath.Join(dir, "in.sql")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

func TestSQLDowngradeToFile(t *testing.T) {
	dir, in := writeScript(t, script2019)
	out := filepath.Join(dir, "out.sql")
	code, stdout, stderr := runCLI(t, "sql", "downgrade", in, "--target", "2014", "-o", out)
	// Written, but the target will refuse the view's TRIM: exit 1, as xdm
	// sql script does.
	if code != ExitDifferent || stdout != "" || !strings.Contains(stderr, "SQL Server 2014 will refuse 1 statement of the script") {
		t.Fatalf("code %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	got, _ := os.ReadFile(out)
	want := "IF OBJECT_ID(N'dbo.v') IS NULL EXEC sp_executesql N'CREATE VIEW dbo.v AS SELECT CAST(N''xdm: VIEW dbo.v could not be created on SQL Server 2014: it uses TRIM() (SQL Server 2017); rewrite it by hand'' AS int) AS stub;';\r\nGO\r\n" +
		"ALTER VIEW dbo.v AS SELECT TRIM(Name) AS Name FROM dbo.Users\r\nGO\r\n" +
		"INSERT dbo.Users (Name) VALUES (N'TRIM(x) and CREATE OR ALTER')\r\nGO\r\n" +
		"CREATE INDEX IX ON dbo.Users (Name) \r\nGO\r\n"
	if string(got) != want {
		t.Errorf("output\n%q\nwant\n%q", got, want)
	}
	requireOracle(t, sqlversion.SQL2014, out, got, 3) // line 3: ALTER VIEW with TRIM, refused
	for _, s := range []string{in + ":1:1: rewrite [create-or-alter]", in + ":1:38: refuse [function-trim]", "in VIEW dbo.v",
		in + ":5:43: omit [optimize-for-sequential-key]", "3 batches (2 lexed, 2 changed)", "1 refused"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("report lacks %q:\n%s", s, stderr)
		}
	}

	// An existing OUT is refused without --force and kept as it is.
	code, _, stderr = runCLI(t, "sql", "downgrade", in, "-o", out)
	if code != ExitUsage || !strings.Contains(stderr, "--force") {
		t.Errorf("existing OUT: code %d, stderr %s", code, stderr)
	}
	if code, _, stderr = runCLI(t, "sql", "downgrade", in, "-o", out, "--force", "--strict"); code != ExitDifferent {
		t.Errorf("--strict with a refusal: code %d, stderr %s", code, stderr)
	}
}

// TestSQLDowngradeExitCodes: 1 when the target will refuse statements (the
// script is still written), 0 when it runs there; --strict adds warnings.
func TestSQLDowngradeExitCodes(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		script        string
		plain, strict int
	}{
		{"DROP VIEW IF EXISTS dbo.v\nGO\n", ExitOK, ExitOK},
		{"CREATE INDEX IX ON dbo.T (a) WITH (DATA_COMPRESSION = PAGE)\nGO\n", ExitOK, ExitDifferent},
		{"SELECT TRIM(a) FROM dbo.T\nGO\n", ExitDifferent, ExitDifferent},
	} {
		in := filepath.Join(dir, "in.sql")
		os.WriteFile(in, []byte(c.script), 0o644)
		out := filepath.Join(dir, "out.sql")
		if code, _, stderr := runCLI(t, "sql", "downgrade", in, "-o", out, "--force"); code != c.plain {
			t.Errorf("%q: code %d, want %d (%s)", c.script, code, c.plain, stderr)
		}
		if _, err := os.Stat(out); err != nil {
			t.Errorf("%q: no output written: %v", c.script, err)
		}
		if code, _, stderr := runCLI(t, "sql", "downgrade", in, "-o", out, "--force", "--strict"); code != c.strict {
			t.Errorf("%q --strict: code %d, want %d (%s)", c.script, code, c.strict, stderr)
		}
	}
}

// TestSQLScriptsReadAlike: sql check, sql downgrade and sql run --dry-run
// read a script the same way: a string or comment left open at the end is
// invalid input (exit 3), named file:line:col, and downgrade writes no OUT.
func TestSQLScriptsReadAlike(t *testing.T) {
	for script, where := range map[string]string{
		"SELECT 1\nGO\nSELECT N'it''s\nGO\n":       "in.sql:3:8: the script ends inside a '...' string",
		"DROP VIEW IF EXISTS v\nGO\n/* open\nGO\n": "in.sql:3:1: the script ends inside a /* */ comment",
	} {
		dir, in := writeScript(t, script)
		out := filepath.Join(dir, "out.sql")
		for _, args := range [][]string{
			{"sql", "check", in},
			{"sql", "downgrade", in, "-o", out},
			{"sql", "downgrade", in},
			{"sql", "run", "--dry-run", "-i", in},
		} {
			code, _, stderr := runCLI(t, args...)
			if code != ExitInvalid || !strings.Contains(stderr, where) {
				t.Errorf("%s on %q: code %d, want %d with %q; stderr:\n%s", strings.Join(args[:2], " "), script, code, ExitInvalid, where, stderr)
			}
			if strings.Contains(stderr, "runs on") {
				t.Errorf("%s on %q says the script runs: %s", strings.Join(args[:2], " "), script, stderr)
			}
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%q: downgrade wrote OUT for an invalid script", script)
		}
		code, stdout, _ := runCLI(t, "sql", "check", in, "--json")
		var rep struct {
			Status   string
			Problems []struct {
				File    string
				Line    int
				Column  int
				Message string
			}
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != ExitInvalid || rep.Status != "error" || len(rep.Problems) != 1 || rep.Problems[0].Column == 0 {
			t.Errorf("check --json on %q: code %d, %v, %+v", script, code, err, rep)
		}
	}
}

// requireOracle parses a script xdm wrote with Microsoft's parser for the
// target; a parse error is allowed only on the lines where xdm refuses a
// statement.
func requireOracle(t *testing.T, target sqlversion.Version, name string, data []byte, refusedLines ...int64) {
	t.Helper()
	allowed := map[int64]bool{}
	for _, l := range refusedLines {
		allowed[l] = true
	}
	for _, p := range tsqltest.Check(t, tsqltest.Level(target), tsqltest.Script{Name: name, Data: data}) {
		if !allowed[p.Line] {
			t.Errorf("%s: %s", target, p)
		}
	}
}

func TestSQLDowngradeStdoutAndInPlace(t *testing.T) {
	_, in := writeScript(t, "DROP TABLE IF EXISTS a, b;\n")
	code, stdout, _ := runCLI(t, "sql", "downgrade", in)
	want := "IF OBJECT_ID(N'a', N'U') IS NOT NULL DROP TABLE a; IF OBJECT_ID(N'b', N'U') IS NOT NULL DROP TABLE b;\n"
	if code != ExitOK || stdout != want {
		t.Fatalf("code %d, stdout %q", code, stdout)
	}
	code, _, stderr := runCLI(t, "sql", "downgrade", in, "-o", in)
	orig, _ := os.ReadFile(in + ".orig")
	got, _ := os.ReadFile(in)
	if code != ExitOK || string(orig) != "DROP TABLE IF EXISTS a, b;\n" || string(got) != want {
		t.Errorf("in place: code %d (%s), file %q, backup %q", code, stderr, got, orig)
	}
	requireOracle(t, sqlversion.SQL2014, in, got)
}

func TestSQLDowngradeJSON(t *testing.T) {
	dir, in := writeScript(t, script2019)
	code, stdout, _ := runCLI(t, "sql", "downgrade", in, "-o", filepath.Join(dir, "o.sql"), "--json")
	var rep struct {
		Status   string
		Refused  int
		Findings []struct {
			Rule   string
			Action string
			Line   int
			Object string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != ExitDifferent {
		t.Fatalf("code %d, %v: %s", code, err, stdout)
	}
	if rep.Status != "refused" || rep.Refused != 1 || len(rep.Findings) != 3 ||
		rep.Findings[1].Rule != "function-trim" || rep.Findings[1].Action != "refuse" || rep.Findings[1].Object != "VIEW dbo.v" {
		t.Errorf("report %+v", rep)
	}
}

func TestSQLCheck(t *testing.T) {
	_, in := writeScript(t, script2019)
	code, stdout, stderr := runCLI(t, "sql", "check", in, "--target", "2014")
	if code != ExitDifferent || strings.Count(stdout, "\n") != 3 || !strings.Contains(stderr, "does not run on SQL Server 2014") {
		t.Errorf("2014: code %d, stdout %s, stderr %s", code, stdout, stderr)
	}
	if code, stdout, _ = runCLI(t, "sql", "check", in, "--target", "2022"); code != ExitOK || stdout != "" {
		t.Errorf("2022: code %d, stdout %s", code, stdout)
	}
	// An input that cannot be opened is an I/O error, as in every command.
	if code, _, _ = runCLI(t, "sql", "check", filepath.Join(t.TempDir(), "missing.sql")); code != ExitFailure {
		t.Errorf("missing input: code %d, want %d", code, ExitFailure)
	}
	if code, _, _ = runCLI(t, "sql", "check", in, "--target", "2015"); code != ExitUsage {
		t.Errorf("bad target: code %d", code)
	}
	if code, _, _ = runCLI(t, "sql", "downgrade", in, "--collation-map", "nonsense"); code != ExitUsage {
		t.Errorf("bad --collation-map: code %d", code)
	}
}

// TestSQLDowngradeInterrupted: a cancelled run leaves no OUT behind.
func TestSQLDowngradeInterrupted(t *testing.T) {
	dir, in := writeScript(t, script2019)
	out := filepath.Join(dir, "out.sql")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := Run(ctx, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}, []string{"sql", "downgrade", in, "-o", out})
	if code != ExitInterrupted {
		t.Errorf("code %d, want %d (%s)", code, ExitInterrupted, stderr.String())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left in %s: %v", dir, ents)
	}
}

// TestSQLCheckFollowsIncludes: the master.sql of sql script --split-dir is
// only :r lines. sql check, run from that folder as sqlcmd would run the
// master, reads the files it includes: a split script for 2019 does not run
// on 2014, and the findings name the included files. sql downgrade copies
// the :r lines and says that the files they name are not rewritten.
func TestSQLCheckFollowsIncludes(t *testing.T) {
	snap, err := filepath.Abs(xphoneSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "split")
	if code, _, stderr := runCLI(t, "sql", "script", "--from-snapshot", snap, "--target", "2019", "--split-dir", dir, "-q"); code != 0 {
		t.Fatalf("sql script --split-dir: code %d\n%s", code, stderr)
	}
	t.Chdir(dir)
	code, stdout, stderr := runCLI(t, "sql", "check", "master.sql", "--target", "2014")
	if code != ExitDifferent || strings.Contains(stderr, "runs on") || !strings.Contains(stdout, "-procedure-dbo.usp_Report.sql:4:1: rewrite [create-or-alter]") {
		t.Errorf("sql check master.sql: code %d, want %d with the findings of the included files\nstdout:\n%s\nstderr:\n%s", code, ExitDifferent, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "sql", "check", "master.sql", "--target", "2019", "--json")
	var res struct {
		Status   string
		Includes []struct{ Checked bool }
	}
	if err := json.Unmarshal([]byte(stdout), &res); code != 0 || err != nil || res.Status != "runs" || len(res.Includes) < 10 || !res.Includes[0].Checked {
		t.Errorf("sql check master.sql --target 2019 --json: code %d, %v, %+v", code, err, res)
	}

	if err := os.WriteFile("broken.sql", []byte(":r 0000-header-header.sql\r\n:r missing.sql\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "sql", "check", "broken.sql", "--target", "2019"); code != ExitInvalid || !strings.Contains(stderr, "broken.sql:2: :r missing.sql: ") {
		t.Errorf("sql check with a missing :r file: code %d, want %d naming broken.sql:2\n%s", code, ExitInvalid, stderr)
	}
	code, _, stderr = runCLI(t, "sql", "downgrade", "master.sql", "--target", "2014", "-o", "master-2014.sql")
	if code != 0 || !strings.Contains(stderr, "master.sql:3: :r 0000-header-header.sql is copied as it is: the file it names is not rewritten") {
		t.Errorf("sql downgrade master.sql: code %d, want 0 and a note per :r line\n%s", code, stderr)
	}
}
