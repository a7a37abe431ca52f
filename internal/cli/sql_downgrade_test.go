package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if code != ExitOK || stdout != "" {
		t.Fatalf("code %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	got, _ := os.ReadFile(out)
	want := "IF OBJECT_ID(N'dbo.v') IS NULL EXEC sp_executesql N'CREATE VIEW dbo.v AS SELECT 1 AS stub;';\r\nGO\r\n" +
		"ALTER VIEW dbo.v AS SELECT TRIM(Name) AS Name FROM dbo.Users\r\nGO\r\n" +
		"INSERT dbo.Users (Name) VALUES (N'TRIM(x) and CREATE OR ALTER')\r\nGO\r\n" +
		"CREATE INDEX IX ON dbo.Users (Name) \r\nGO\r\n"
	if string(got) != want {
		t.Errorf("output\n%q\nwant\n%q", got, want)
	}
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
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != ExitOK {
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
