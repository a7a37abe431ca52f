package cli

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/internal/tdsfake"
)

func TestSQLRunFlags(t *testing.T) {
	var got *sqlRunOptions
	app := NewApp(&IOStreams{})
	cmd := newCmdSQLRun(app, func(o *sqlRunOptions) error { got = o; return nil })
	cmd.SetArgs([]string{`-S`, `SQLSERVER\SQL2016`, "-d", "XPDATA", "-U", "sa", "-P", "pw", "-i", "a.sql", "-i", "b.sql",
		"-v", "A=1", "-v", "B=x y", "-b", "-x", "-I", "-f", "1252", "-l", "15", "-t", "60"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	c := got.Conn
	if c.Server != `SQLSERVER\SQL2016` || c.Database != "XPDATA" || c.User != "sa" || c.Password != "pw" || !c.QuotedIdentifier ||
		c.ConnectTimeout != 15*time.Second || got.QueryTimeout != time.Minute {
		t.Errorf("connection flags: %+v", c)
	}
	if strings.Join(got.Inputs, ",") != "a.sql,b.sql" || strings.Join(got.Vars, ",") != "A=1,B=x y" || !got.ExitOnError || !got.NoSubstitution || got.CodePage != "1252" {
		t.Errorf("flags: %+v", got)
	}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSQLRunDryRunJSON(t *testing.T) {
	dir := t.TempDir()
	// UTF-16LE with BOM and CRLF, as SSMS saves scripts.
	text := ":setvar T Users\r\nINSERT $(T) VALUES (N'ä')\r\nGO 2\r\nSELECT '$(Missing)'\r\nGO\r\n"
	u := []byte{0xFF, 0xFE}
	for _, r := range text {
		u = append(u, byte(r), byte(r>>8))
	}
	script := writeFile(t, dir, "x.sql", string(u))
	code, out, errOut := runCLI(t, "sql", "run", "--dry-run", "--json", "-i", script)
	if code != ExitInvalid {
		t.Fatalf("exit code %d (stderr %q), want %d for the undefined variable", code, errOut, ExitInvalid)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	var lines []map[string]any
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not JSON: %q", sc.Text())
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 {
		t.Fatalf("want 3 JSON lines, got %q", out)
	}
	if lines[0]["sql"] != "INSERT Users VALUES (N'ä')\r\n" || lines[0]["repeat"] != 2.0 || lines[0]["line"] != 2.0 || lines[0]["batch"] != 1.0 || lines[0]["file"] != script {
		t.Errorf("first batch %v", lines[0])
	}
	if lines[1]["line"] != 4.0 || !strings.Contains(lines[1]["error"].(string), "Missing") {
		t.Errorf("error line %v", lines[1])
	}
}

func TestSQLRunAgainstTDSDouble(t *testing.T) {
	failing := true
	srv, err := tdsfake.Start(func(sql string) []tdsfake.Token {
		switch {
		case strings.Contains(sql, "RAISERROR") && failing:
			return []tdsfake.Token{tdsfake.Error(50000, 16, 1, "duplicate key", 2)}
		case strings.HasPrefix(sql, "PRINT"):
			return []tdsfake.Token{tdsfake.Print(strings.Trim(strings.TrimSpace(strings.TrimPrefix(sql, "PRINT")), "'"))}
		}
		return []tdsfake.Token{tdsfake.Done(1)}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	script := writeFile(t, dir, "import.sql", "PRINT 'one'\nGO\nPRINT 'two'\nGO\nINSERT t VALUES (1)\nRAISERROR('x', 16, 1)\nGO\nPRINT 'four'\n")
	t.Setenv("XDM_MSSQL_DSN", strings.Replace(srv.DSN(), "sa:secret@", "sa@", 1))
	t.Setenv("XDM_MSSQL_PASSWORD", "Secr3t-pw")
	code, out, errOut := runCLI(t, "sql", "run", "-b", "-i", script)
	if code != ExitDifferent {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", code, errOut)
	}
	if out != "one\ntwo\n" || !strings.Contains(errOut, "duplicate key") || !strings.Contains(errOut, "import.sql:6") || !strings.Contains(errOut, "--resume") {
		t.Errorf("stdout %q\nstderr %q", out, errOut)
	}
	if strings.Contains(errOut+out, "Secr3t-pw") {
		t.Error("the password appears in the output")
	}
	cp := script + checkpointSuffix
	if data, err := os.ReadFile(cp); err != nil || !regexp.MustCompile(`"batch": 2`).Match(data) {
		t.Fatalf("checkpoint %s: %v %s", cp, err, data)
	}
	// Without --resume a new run refuses to start over.
	if code, _, errOut := runCLI(t, "sql", "run", "-b", "-i", script); code != ExitUsage || !strings.Contains(errOut, "--resume") {
		t.Errorf("second run without --resume: code %d, %q", code, errOut)
	}
	failing = false
	code, out, errOut = runCLI(t, "sql", "run", "-b", "-i", script, "--resume")
	if code != 0 || out != "(1 row affected)\nfour\n" {
		t.Fatalf("resume: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(cp); !os.IsNotExist(err) {
		t.Errorf("checkpoint not removed after the completed run: %v", err)
	}
}

func TestSQLRunUnsupportedCommand(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, dir, "s.sql", "SELECT 1\nGO\n!! del *.*\n")
	code, _, errOut := runCLI(t, "sql", "run", "-S", "127.0.0.1,1", "-i", script)
	if code != ExitInvalid || !strings.Contains(errOut, "s.sql:3") || !strings.Contains(errOut, "!!") {
		t.Errorf("code %d, stderr %q", code, errOut)
	}
}

func TestSQLRunNoPasswordWithoutTTY(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, dir, "s.sql", "SELECT 1\n")
	t.Setenv("XDM_MSSQL_PASSWORD", "")
	os.Unsetenv("XDM_MSSQL_PASSWORD")
	code, _, errOut := runCLI(t, "sql", "run", "-S", "db", "-U", "sa", "-i", script)
	if code != ExitUsage || !strings.Contains(errOut, "XDM_MSSQL_PASSWORD") {
		t.Errorf("code %d, stderr %q", code, errOut)
	}
}

func TestSQLRunDryRunCodePage(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, dir, "ansi.sql", "SELECT 'Gr\xfc\xdfe \x80'\r\nGO")
	code, out, errOut := runCLI(t, "sql", "run", "--dry-run", "-f", "1252", "-i", script)
	if code != 0 || out != "-- batch 1, "+script+":1, 1 time(s)\nSELECT 'Grüße €'\r\n" {
		t.Errorf("code %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "sql", "run", "--dry-run", "-f", "4711", "-i", script); code != ExitUsage {
		t.Errorf("-f 4711: code %d, want %d", code, ExitUsage)
	}
}

func TestSQLRunConnectionErrorHidesPassword(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, dir, "s.sql", "SELECT 1\n")
	code, out, errOut := runCLI(t, "sql", "run", "-S", "127.0.0.1,1", "-U", "sa", "-P", "Secr3t-pw", "-l", "2", "-i", script)
	if code != ExitFailure || !strings.Contains(errOut, "127.0.0.1") {
		t.Errorf("code %d, stderr %q", code, errOut)
	}
	if strings.Contains(out+errOut, "Secr3t-pw") {
		t.Errorf("password in the output: %q", errOut)
	}
}

func TestSQLRunOutputFile(t *testing.T) {
	srv, err := tdsfake.Start(func(sql string) []tdsfake.Token {
		if strings.Contains(sql, "RAISERROR") {
			return []tdsfake.Token{tdsfake.Error(50000, 16, 1, "logged error", 1)}
		}
		return []tdsfake.Token{tdsfake.Print("logged print")}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	script := writeFile(t, dir, "s.sql", "PRINT 'x'\nGO\nRAISERROR('y', 16, 1)\nGO\n")
	log := filepath.Join(dir, "run.log")
	code, out, errOut := runCLI(t, "sql", "run", "--dsn", srv.DSN(), "-i", script, "-o", log)
	if code != 0 || out != "" {
		t.Fatalf("code %d, stdout %q, stderr %q", code, out, errOut)
	}
	data, err := os.ReadFile(log)
	if err != nil || !strings.Contains(string(data), "logged print") || !strings.Contains(string(data), "logged error") {
		t.Errorf("-o file: %v %q", err, data)
	}
}
