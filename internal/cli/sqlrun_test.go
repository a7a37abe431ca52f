package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/internal/tdsfake"
)

// parseSQLRun parses a sql run command line as xdm does (sqlcmd's rules
// included) and returns the options, without running anything.
func parseSQLRun(t *testing.T, args ...string) (*sqlRunOptions, int, string) {
	t.Helper()
	var got *sqlRunOptions
	var errOut bytes.Buffer
	app := NewApp(&IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut})
	root := NewRootCmd(app)
	for _, c := range root.Commands() {
		if c.Name() == "sql" {
			for _, sub := range c.Commands() {
				if sub.Name() == "run" {
					c.RemoveCommand(sub)
				}
			}
			c.AddCommand(newCmdSQLRun(app, func(o *sqlRunOptions) error { got = o; return nil }))
		}
	}
	root.SetArgs(sqlcmdArgs(root, append([]string{"sql", "run"}, args...)))
	_, err := root.ExecuteC()
	if err != nil {
		reportError(app, nil, err)
	}
	return got, exitCode(err), errOut.String()
}

// TestSQLRunFlags: the command line admins paste from sqlcmd parses as
// sqlcmd parses it.
func TestSQLRunFlags(t *testing.T) {
	o, code, errOut := parseSQLRun(t, `-S`, `SQLSERVER\SQL2016`, "-d", "XPDATA", "-U", "sa", "-P", "pw",
		"-i", "a.sql,b.sql", "-i", "c.sql", "d.sql", "-v", "A=1", "B=x y", "-v", "C=3",
		"-b", "-x", "-I", "-f", "1252", "-l", "15", "-t", "60", "-h", "-1", "-s", ",", "-W", "-r", "-k", "2",
		"-N", "strict", "-C", "-m-1", "-V", "16", "-e", "-u", "-o", "out.txt", "-w", "120", "-X")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	c := o.Conn
	if c.Server != `SQLSERVER\SQL2016` || c.Database != "XPDATA" || c.User != "sa" || c.Password != "pw" || !c.QuotedIdentifier ||
		c.LoginTimeout != 15*time.Second || c.Encrypt != "strict" || !c.TrustServerCertificate {
		t.Errorf("connection flags: %+v", c)
	}
	if strings.Join(o.Inputs, "|") != "a.sql|b.sql|c.sql|d.sql" || strings.Join(o.Vars, "|") != "A=1|B=x y|C=3" {
		t.Errorf("-i %q -v %q", o.Inputs, o.Vars)
	}
	if !o.ExitOnError || !o.NoSubstitution || o.CodePage != "1252" || o.QueryTimeout != 60 || o.Headers != -1 || o.ColSep != "," ||
		!o.TrimSpaces || o.ErrorsToStderr != "0" || o.ControlChars != "2" || o.ErrorLevel != -1 || o.Severity != 16 ||
		!o.Echo || !o.Unicode || o.Output != "out.txt" || o.ScreenWidth != 120 || o.NoEnv != "0" {
		t.Errorf("flags: %+v", o)
	}
	// -N alone is true; -r 1; -k alone is 1; -l 0 waits as long as it takes.
	o, code, _ = parseSQLRun(t, "-S", "s", "-Q", "SELECT 1", "-N", "-r", "1", "-k", "-l", "0")
	if code != 0 || o.Conn.Encrypt != "true" || o.ErrorsToStderr != "1" || o.ControlChars != "1" || o.Conn.LoginTimeout >= 0 || o.Query != "SELECT 1" {
		t.Errorf("code %d, %+v", code, o)
	}
	// The login timeout is sqlcmd's 8 seconds by default (the library's
	// zero value).
	o, _, _ = parseSQLRun(t, "-S", "s", "-Q", "x")
	if o.Conn.LoginTimeout != 0 || !strings.Contains(helpText(t, "sql", "run", "--help"), "(default 8)") {
		t.Errorf("default login timeout %v", o.Conn.LoginTimeout)
	}
}

// TestSQLRunFlagErrors: what sqlcmd refuses is refused with the flag's name;
// what xdm does not support is refused, never ignored.
func TestSQLRunFlagErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-S", "s", "-q", "SELECT 1"}, "-q runs a query and then waits"},
		{[]string{"-S", "s", "-i", "a.sql", "-c", "RUN"}, "-c (--batch-terminator) is not supported"},
		{[]string{"-S", "s", "-i", "a.sql", "-G"}, "-G (--use-aad) is not supported"},
		{[]string{"-S", "s", "-i", "a.sql", "-R"}, "-R (--client-regional-settings)"},
		{[]string{"-S", "s", "-i", "a.sql", "-p"}, "-p (--print-statistics)"},
		{[]string{"-S", "s", "-i", "a.sql", "-Z", "new"}, "-Z (--change-password-exit)"},
		{[]string{"-S", "s", "-i", "a.sql", "-w", "5"}, "-w 5"},
		{[]string{"-S", "s", "-i", "a.sql", "-y", "9000"}, "-y 9000"},
		{[]string{"-S", "s", "-i", "a.sql", "-W", "-y", "10"}, "-W cannot be used with -y"},
		{[]string{"-S", "s", "-i", "a.sql", "-h", "-2"}, "-h -2"},
		{[]string{"-S", "s", "-i", "a.sql", "-s", ";;"}, "one character"},
		{[]string{"-S", "s", "-i", "a.sql", "-N", "maybe"}, "m[andatory]"},
		{[]string{"-S", "s", "-i", "a.sql", "-l", "70000"}, "0 to 65534"},
		{[]string{"-S", "s", "-i", "a.sql", "-a", "100"}, "512 to 32767"},
		{[]string{"-S", "s", "-i", "a.sql", "-K", "ReadWrite"}, "ReadOnly"},
		{[]string{"-S", "s", "-i", "a.sql", "-v", "1A=x"}, "-v 1A=x"},
		{[]string{"-S", "s", "-i", "a.sql", "-Q", "x"}, "-i and -Q"},
		{[]string{"-S", "s", "-i", "a.sql", "-E", "-U", "sa"}, "-E and -U/-P"},
		{[]string{"-S", "s", "-i", "a.sql", "-T"}, "unknown shorthand flag: 'T'"},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(t, append([]string{"sql", "run"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

// TestSQLRunHelp: -h is sqlcmd's header count, help is --help and -?; -h
// without a number is a usage error that names the flag and says where
// help is (issue 14), and -h with a word that is no number is refused.
func TestSQLRunHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-?"}} {
		code, out, _ := runCLI(t, append([]string{"sql", "run"}, args...)...)
		if code != 0 || !strings.Contains(out, "sqlcmd's header") {
			t.Errorf("%q: exit %d, help %d bytes", args, code, len(out))
		}
	}
	for _, args := range [][]string{{"-h"}, {"-S", "s", "-h"}, {"-h", "-S", "s", "-Q", "SELECT 1"}, {"-S", "s", "-Q", "x", "-h", "--", "y"}} {
		code, out, errOut := runCLI(t, append([]string{"sql", "run"}, args...)...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, "-h needs a number") ||
			!strings.Contains(errOut, "--help or -?") || !strings.Contains(errOut, "usage: xdm sql run") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and the -h error", args, code, out, errOut)
		}
	}
	code, _, errOut := runCLI(t, "sql", "run", "-S", "s", "-Q", "x", "-h", "many")
	if code != ExitUsage || !strings.Contains(errOut, `invalid argument "many" for "-h, --headers"`) {
		t.Errorf("-h many: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(helpText(t, "sql", "run", "--help"), "-h, --headers") {
		t.Error("--help does not list -h as the header count")
	}
}

func helpText(t *testing.T, args ...string) string {
	_, out, _ := runCLI(t, args...)
	return out
}

// TestSQLRunQuietStaysGlobal: xdm's -q before the command is --quiet.
func TestSQLRunQuietStaysGlobal(t *testing.T) {
	root := NewRootCmd(NewApp(&IOStreams{}))
	got := sqlcmdArgs(root, []string{"-q", "sql", "run", "-q", "SELECT 1"})
	if strings.Join(got, " ") != "--quiet sql run -q SELECT 1" {
		t.Errorf("rewritten %q", got)
	}
	if got := sqlcmdArgs(root, []string{"journal", "fix", "-h"}); strings.Join(got, " ") != "journal fix -h" {
		t.Errorf("another command's line was changed: %q", got)
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

// jsonLines parses out as JSON lines and fails on anything else.
func jsonLinesOf(t *testing.T, out string) []map[string]any {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	var lines []map[string]any
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("stdout is not JSON lines: %q", sc.Text())
		}
		lines = append(lines, m)
	}
	return lines
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
	lines := jsonLinesOf(t, out)
	if len(lines) != 4 {
		t.Fatalf("want 4 JSON lines, got %q", out)
	}
	if lines[0]["type"] != "batch" || lines[0]["sql"] != "INSERT Users VALUES (N'ä')\r\n" || lines[0]["repeat"] != 2.0 || lines[0]["line"] != 2.0 || lines[0]["batch"] != 1.0 || lines[0]["file"] != script {
		t.Errorf("first batch %v", lines[0])
	}
	if lines[1]["type"] != "error" || lines[1]["line"] != 4.0 || !strings.Contains(lines[1]["error"].(string), "Missing") {
		t.Errorf("error line %v", lines[1])
	}
	if lines[3]["type"] != "summary" || lines[3]["batches"] != 2.0 || lines[3]["errors"] != 1.0 {
		t.Errorf("summary %v", lines[3])
	}
}

// TestSQLRunDryRunJSONEncodingError: bytes that are valid in neither the
// code page nor UTF-8 stop the run like any script error: with --json an
// error line on stdout with its place, counted in the summary, which
// never says "errors":0 next to exit code 3.
func TestSQLRunDryRunJSONEncodingError(t *testing.T) {
	script := writeFile(t, t.TempDir(), "bad.sql", "SELECT 1\r\nGO\r\nSELECT 'a\x81\xfcb'\r\nGO\r\n")
	code, out, errOut := runCLI(t, "sql", "run", "--dry-run", "--json", "-i", script)
	lines := jsonLinesOf(t, out)
	if code != ExitInvalid || len(lines) == 0 {
		t.Fatalf("exit code %d, stdout %q, stderr %q; want %d and JSON lines", code, out, errOut, ExitInvalid)
	}
	var errLine map[string]any
	for _, l := range lines {
		if l["type"] == "error" {
			errLine = l
		}
	}
	if errLine == nil || errLine["line"] != 3.0 || !strings.Contains(errLine["error"].(string), "bad.sql:3:10: byte 0x81") {
		t.Errorf("error line %v, want one at bad.sql:3:10", errLine)
	}
	if sum := lines[len(lines)-1]; sum["type"] != "summary" || sum["errors"] != 1.0 {
		t.Errorf("summary %v, want errors 1", sum)
	}
}

// TestSQLRunDryRunOutput: --dry-run writes to -o (replacing it), and output
// that cannot be written is a failure, not exit 0.
func TestSQLRunDryRunOutput(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, dir, "s.sql", "SELECT 1\nGO\n")
	out := writeFile(t, dir, "plan.txt", "yesterday's plan\n")
	code, stdout, errOut := runCLI(t, "sql", "run", "--dry-run", "-i", script, "-o", out)
	data, _ := os.ReadFile(out)
	if code != 0 || stdout != "" || !strings.Contains(string(data), "SELECT 1") || strings.Contains(string(data), "yesterday") {
		t.Errorf("exit %d, stdout %q, stderr %q, -o %q", code, stdout, errOut, data)
	}
	if _, err := os.Stat(out + ".orig"); err == nil {
		t.Error("-o kept a .orig: sqlcmd replaces the file")
	}
	if runtime.GOOS != "linux" {
		return
	}
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer full.Close()
	for _, json := range []bool{false, true} {
		args := []string{"sql", "run", "--dry-run", "-i", script}
		if json {
			args = append(args, "--json")
		}
		var errBuf bytes.Buffer
		code := Run(context.Background(), &IOStreams{In: strings.NewReader(""), Out: full, ErrOut: &errBuf}, args)
		if code != ExitFailure || !strings.Contains(errBuf.String(), "no space left") {
			t.Errorf("json=%v > /dev/full: exit %d, stderr %q", json, code, errBuf.String())
		}
	}
}

func TestSQLRunMissingServer(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, dir, "s.sql", "SELECT 1\n")
	t.Setenv("SQLCMDSERVER", "")
	code, _, errOut := runCLI(t, "sql", "run", "-i", script)
	if code != ExitUsage || !strings.Contains(errOut, "-S") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "sql", "run", "-S", "srv,notaport", "-i", script)
	if code != ExitUsage || !strings.Contains(errOut, "port") {
		t.Errorf("bad port: exit %d, stderr %q", code, errOut)
	}
}

// fakeServer answers PRINT 'x' with x, RAISERROR('t', 16, 1) with an
// error, and everything else with one row affected.
func fakeServer(t *testing.T, failing *bool) *tdsfake.Server {
	t.Helper()
	srv, err := tdsfake.Start(func(sql string) []tdsfake.Token {
		var out []tdsfake.Token
		for _, line := range strings.Split(strings.TrimSpace(sql), "\n") {
			line = strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(line, "RAISERROR"):
				if failing == nil || *failing {
					out = append(out, tdsfake.Error(50000, 16, 1, "duplicate key", 2))
				}
			case strings.HasPrefix(line, "PRINT"):
				out = append(out, tdsfake.Print(strings.Trim(strings.TrimSpace(strings.TrimPrefix(line, "PRINT")), "'")))
			case line != "":
				out = append(out, tdsfake.DoneMore(1))
			}
		}
		return out
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func TestSQLRunAgainstTDSDouble(t *testing.T) {
	failing := true
	srv := fakeServer(t, &failing)
	dir := t.TempDir()
	script := writeFile(t, dir, "import.sql", "PRINT 'one'\nGO\nPRINT 'two'\nGO\nINSERT t VALUES (1)\nRAISERROR('x', 16, 1)\nGO\nPRINT 'four'\n")
	t.Setenv("XDM_MSSQL_DSN", strings.Replace(srv.DSN(), "sa:secret@", "sa@", 1))
	t.Setenv("XDM_MSSQL_PASSWORD", "Secr3t-pw")
	code, out, errOut := runCLI(t, "sql", "run", "-b", "-i", script)
	if code != ExitDifferent {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", code, errOut)
	}
	// As sqlcmd: results and errors on stdout; xdm's own words on stderr.
	if !strings.HasPrefix(out, "one\ntwo\n(1 row affected)\nMsg 50000, Level 16, State 1, Server TDSFAKE, Line 2\nduplicate key\n(at "+script+":6)\n") {
		t.Errorf("stdout %q", out)
	}
	if n := strings.Count(out+errOut, "duplicate key"); n != 1 {
		t.Errorf("the error is printed %d times:\n%s%s", n, out, errOut)
	}
	if !strings.Contains(errOut, "stopped at batch 3, which failed at "+script+":6 with Msg 50000") || !strings.Contains(errOut, "--resume") || strings.Contains(errOut, "resumed") {
		t.Errorf("stderr %q", errOut)
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
	if code != 0 || out != "(1 row affected)\nfour\n" || !strings.Contains(errOut, "2 of 4 batches run, 0 failed, 2 skipped (resumed after batch 2)") {
		t.Fatalf("resume: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(cp); !os.IsNotExist(err) {
		t.Errorf("checkpoint not removed after the completed run: %v", err)
	}
}

// TestSQLRunErrorsToStderr: -r 0 sends errors to stderr, -r 1 PRINT too.
func TestSQLRunErrorsToStderr(t *testing.T) {
	srv := fakeServer(t, nil)
	script := writeFile(t, t.TempDir(), "s.sql", "PRINT 'hello'\nRAISERROR('x', 16, 1)\nSELECT 1\n")
	for r, want := range map[string][2]string{
		"0": {"hello\n(1 row affected)\n", "duplicate key"},
		"1": {"(1 row affected)\n", "hello"},
	} {
		code, out, errOut := runCLI(t, "sql", "run", "--dsn", srv.DSN(), "-i", script, "-r", r)
		if code != 0 || out != want[0] || !strings.Contains(errOut, want[1]) || strings.Contains(out, "duplicate") {
			t.Errorf("-r %s: exit %d, stdout %q, stderr %q", r, code, out, errOut)
		}
	}
}

// TestSQLRunJSONIsOnlyJSON: with --json a real run prints JSON lines only
// on stdout, the summary included; the server's output goes to stderr.
func TestSQLRunJSONIsOnlyJSON(t *testing.T) {
	srv := fakeServer(t, nil)
	script := writeFile(t, t.TempDir(), "s.sql", "PRINT 'hello'\nGO\nRAISERROR('x', 16, 1)\nGO\n")
	code, out, errOut := runCLI(t, "sql", "run", "--json", "--dsn", srv.DSN(), "-i", script)
	lines := jsonLinesOf(t, out)
	if code != 0 || len(lines) != 1 || lines[0]["type"] != "summary" || lines[0]["failed"] != 1.0 || lines[0]["executed"] != 2.0 {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errOut, "hello") || !strings.Contains(errOut, "duplicate key") {
		t.Errorf("stderr %q", errOut)
	}
	code, out, _ = runCLI(t, "sql", "run", "--json", "-b", "--dsn", srv.DSN(), "-i", script)
	lines = jsonLinesOf(t, out)
	if code != ExitDifferent || len(lines) != 1 || lines[0]["stopped_at"] == nil {
		t.Errorf("-b: exit %d, stdout %q", code, out)
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

func TestSQLRunBadReferenceAdvice(t *testing.T) {
	script := writeFile(t, t.TempDir(), "job.sql", "EXEC msdb.dbo.sp_add_jobstep @command = N'$(ESCAPE_SQUOTE(SRVR))'\nGO\n")
	code, _, errOut := runCLI(t, "sql", "run", "--dry-run", "-i", script)
	if code != ExitInvalid || !strings.Contains(errOut, "job.sql:1:43") || !strings.Contains(errOut, "give -x") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "sql", "run", "--dry-run", "-x", "-i", script); code != 0 {
		t.Errorf("-x: exit %d", code)
	}
}

func TestSQLRunNoPasswordWithoutTTY(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, dir, "s.sql", "SELECT 1\n")
	t.Setenv("XDM_MSSQL_PASSWORD", "")
	t.Setenv("SQLCMDPASSWORD", "")
	code, _, errOut := runCLI(t, "sql", "run", "-S", "db", "-U", "sa", "-i", script)
	if code != ExitUsage || !strings.Contains(errOut, "XDM_MSSQL_PASSWORD") {
		t.Errorf("code %d, stderr %q", code, errOut)
	}
}

// TestSQLRunSQLCMDVariables: sqlcmd's environment (SQLCMDSERVER,
// SQLCMDUSER, SQLCMDPASSWORD) connects when no flag says otherwise.
func TestSQLRunSQLCMDVariables(t *testing.T) {
	srv := fakeServer(t, nil)
	script := writeFile(t, t.TempDir(), "s.sql", "PRINT 'in'\n")
	t.Setenv("SQLCMDSERVER", "127.0.0.1,"+strconv.Itoa(srv.Port()))
	t.Setenv("SQLCMDUSER", "sa")
	t.Setenv("SQLCMDPASSWORD", "from-env")
	code, out, errOut := runCLI(t, "sql", "run", "-N", "disable", "-i", script)
	if code != 0 || out != "in\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "sql", "run", "-N", "disable", "-X", "-i", script); code != ExitUsage {
		t.Errorf("-X must ignore SQLCMDSERVER: exit %d", code)
	}
}

func TestSQLRunCodePages(t *testing.T) {
	dir := t.TempDir()
	ansi := writeFile(t, dir, "ansi.sql", "SELECT 'Gr\xfc\xdfe \x80'\r\nGO")
	code, out, errOut := runCLI(t, "sql", "run", "--dry-run", "-i", ansi)
	if code != 0 || out != "-- batch 1, "+ansi+":1, 1 time\nSELECT 'Grüße €'\r\n" || errOut != "" {
		t.Errorf("1252 without -f: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "sql", "run", "--dry-run", "-f", "4711", "-i", ansi); code != ExitUsage {
		t.Errorf("-f 4711: code %d, want %d", code, ExitUsage)
	}
	// UTF-8 that is also valid 1252: read as 1252, as sqlcmd does, and said.
	utf8 := writeFile(t, dir, "utf8.sql", "SELECT 1\nGO\nSELECT 'Grüße'\n")
	code, out, errOut = runCLI(t, "sql", "run", "--dry-run", "-i", utf8)
	if code != 0 || !strings.Contains(out, "GrÃ¼ÃŸe") || !strings.Contains(errOut, "line 3") || !strings.Contains(errOut, "-f 65001") {
		t.Errorf("UTF-8 as 1252: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "sql", "run", "--dry-run", "-f", "65001", "-i", utf8)
	if code != 0 || !strings.Contains(out, "Grüße") || errOut != "" {
		t.Errorf("-f 65001: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	// UTF-8 that is not valid 1252 (Ł is C5 81; 0x81 is undefined there).
	polish := writeFile(t, dir, "pl.sql", "SELECT 'Łódź'\n")
	code, out, errOut = runCLI(t, "sql", "run", "--dry-run", "-i", polish)
	if code != 0 || !strings.Contains(out, "Łódź") || !strings.Contains(errOut, "read as UTF-8") || !strings.Contains(errOut, "0x81") {
		t.Errorf("UTF-8 not 1252: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A real run reads the file twice (check, run) and tells once.
	srv := fakeServer(t, nil)
	code, _, errOut = runCLI(t, "sql", "run", "--dsn", srv.DSN(), "-i", polish)
	if code != 0 || strings.Count(errOut, "read as UTF-8") != 1 {
		t.Errorf("real run: code %d, stderr %q", code, errOut)
	}
	// Neither: an error with file:line:column, nothing replaced by U+FFFD.
	bad := writeFile(t, dir, "bad.sql", "SELECT 1\nGO\nSELECT '\x81\xff'\nGO\n")
	code, out, errOut = runCLI(t, "sql", "run", "--dry-run", "-i", bad)
	if code != ExitInvalid || !strings.Contains(errOut, "bad.sql:3:9") || strings.Contains(out, "\uFFFD") {
		t.Errorf("invalid input: code %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestSQLRunDoubleByteCodePages: -f 932 (and 936, 949, 950) reads a script
// saved in that page; the trail byte 0x5C of "表" is no backslash and ends
// no line; an invalid sequence is an error at its file:line:col.
func TestSQLRunDoubleByteCodePages(t *testing.T) {
	dir := t.TempDir()
	sjis := writeFile(t, dir, "ja.sql", "INSERT INTO \x83\x65\x81\x5B\x83\x75\x83\x8B VALUES (N'\x95\x5C')\r\nGO\r\nSELECT 2\r\n")
	code, out, errOut := runCLI(t, "sql", "run", "--dry-run", "-f", "932", "-i", sjis)
	want := "-- batch 1, " + sjis + ":1, 1 time\nINSERT INTO テーブル VALUES (N'表')\r\n-- batch 2, " + sjis + ":3, 1 time\nSELECT 2\r\n"
	if code != 0 || out != want || errOut != "" {
		t.Errorf("-f 932: code %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
	}
	big5 := writeFile(t, dir, "zh.sql", "SELECT N'\xB8\xEA\xAE\xC6\xAE\x77'\r\nGO\r\nSELECT N'\xB3\x5C\xB3")
	code, out, errOut = runCLI(t, "sql", "run", "--dry-run", "-f", "i:950", "-i", big5)
	if code != ExitInvalid || !strings.Contains(errOut, "zh.sql:3:12") || !strings.Contains(errOut, "lead byte 0xB3") || strings.Contains(out, "\uFFFD") {
		t.Errorf("-f 950, cut character: code %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestSQLRunConnectionErrorHidesPassword: no part of the password shows,
// not even as a mask over other text ("sql" in "sqlserver").
func TestSQLRunConnectionErrorHidesPassword(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, dir, "s.sql", "SELECT 1\n")
	for _, pw := range []string{"Secr3t-pw", "sql", "127"} {
		code, out, errOut := runCLI(t, "sql", "run", "-S", "127.0.0.1,1", "-U", "sa", "-P", pw, "-l", "2", "-i", script)
		// A password that is a word of the message ("127" of 127.0.0.1)
		// withholds the message; otherwise it names the server.
		if code != ExitFailure || !strings.Contains(errOut, "127.0.0.1") && !strings.Contains(errOut, "message not shown") {
			t.Errorf("-P %s: code %d, stderr %q", pw, code, errOut)
		}
		if strings.Contains(out+errOut, "xxxxx") || (len(pw) > 3 && strings.Contains(out+errOut, pw)) {
			t.Errorf("-P %s: the password or a mask over it shows: %q", pw, errOut)
		}
	}
}

// TestSQLRunLoginTimeout: a server that never answers costs the login
// timeout, and Ctrl-C while connecting ends the run at once with 130.
func TestSQLRunLoginTimeout(t *testing.T) {
	srv, err := tdsfake.StartConfig(tdsfake.Config{Silent: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	script := writeFile(t, t.TempDir(), "s.sql", "SELECT 1\n")
	server := "127.0.0.1," + strconv.Itoa(srv.Port())
	start := time.Now()
	code, _, errOut := runCLI(t, "sql", "run", "-S", server, "-U", "sa", "-P", "pw", "-l", "1", "-i", script)
	if d := time.Since(start); code != ExitFailure || !strings.Contains(errOut, "login timeout expired after 1s") || d > 3*time.Second {
		t.Errorf("exit %d after %s, stderr %q", code, d, errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	var errBuf bytes.Buffer
	start = time.Now()
	code = Run(ctx, &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errBuf},
		[]string{"sql", "run", "-S", server, "-U", "sa", "-P", "pw", "-l", "0", "-i", script})
	if d := time.Since(start); code != ExitInterrupted || d > 1500*time.Millisecond {
		t.Errorf("Ctrl-C while connecting: exit %d after %s, stderr %q", code, d, errBuf.String())
	}
}

// TestSQLRunNamedPipesOutsideWindows: -S forms that need named pipes say
// that this build cannot use them and how to use TCP/IP.
func TestSQLRunNamedPipesOutsideWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("named pipes work on Windows")
	}
	script := writeFile(t, t.TempDir(), "s.sql", "SELECT 1\n")
	code, _, errOut := runCLI(t, "sql", "run", "-S", `np:SRV\XPHONE`, "-E", "-i", script)
	if code != ExitFailure || !strings.Contains(errOut, "named pipes") || !strings.Contains(errOut, "Enabled") || strings.Contains(errOut, "invalid URL") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestSQLRunOutputFile: -o gets everything, replaces the file of the last
// run (a scheduled job), and -u writes it as UTF-16LE.
func TestSQLRunOutputFile(t *testing.T) {
	srv := fakeServer(t, nil)
	dir := t.TempDir()
	script := writeFile(t, dir, "s.sql", "PRINT 'logged print'\nGO\nRAISERROR('y', 16, 1)\nGO\n")
	log := writeFile(t, dir, "run.log", "the log of last night\n")
	code, out, errOut := runCLI(t, "sql", "run", "--dsn", srv.DSN(), "-i", script, "-o", log)
	if code != 0 || out != "" {
		t.Fatalf("code %d, stdout %q, stderr %q", code, out, errOut)
	}
	data, err := os.ReadFile(log)
	if err != nil || !strings.Contains(string(data), "logged print") || !strings.Contains(string(data), "duplicate key") || strings.Contains(string(data), "last night") {
		t.Errorf("-o file: %v %q", err, data)
	}
	if _, err := os.Stat(log + ".orig"); err == nil {
		t.Error("-o kept the last log as .orig: sqlcmd replaces it")
	}
	code, _, _ = runCLI(t, "sql", "run", "--dsn", srv.DSN(), "-i", script, "-o", log, "-u")
	data, _ = os.ReadFile(log)
	if code != 0 || !bytes.HasPrefix(data, []byte{0xFF, 0xFE, 'l', 0, 'o', 0}) {
		t.Errorf("-u: code %d, file starts % X", code, data[:min(6, len(data))])
	}
}

// TestWriteJSONString: the batch text is escaped as encoding/json escapes
// it (without HTML escaping), for any text and lengths past the pieces.
func TestWriteJSONString(t *testing.T) {
	alphabet := []string{"a", "\"", "\\", "\n", "\r\n", "\t", "\x01", "\x1f", "ä", "€", "😀", "\u2028", "\u2029", "<&>", "\xff", strings.Repeat("x", 40<<10)}
	for seed := range 300 {
		var b strings.Builder
		for i := 0; i < seed%50; i++ {
			b.WriteString(alphabet[(seed*7+i*13)%len(alphabet)])
		}
		var got bytes.Buffer
		if err := writeJSONString(&got, []byte(b.String())); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(b.String())
		if got.String()+"\n" != want.String() {
			t.Fatalf("seed %d: %q\nwant %q", seed, got.String(), want.String())
		}
	}
}

// TestSQLRunRealServer runs the sqlcmd command lines admins use against the
// SQL Server XDM_TEST_MSSQL_DSN names (none can run on the build machines).
func TestSQLRunRealServer(t *testing.T) {
	dsn := os.Getenv("XDM_TEST_MSSQL_DSN")
	if dsn == "" {
		t.Skip("XDM_TEST_MSSQL_DSN not set: no SQL Server to test against")
	}
	code, out, errOut := runCLI(t, "sql", "run", "--dsn", dsn, "-Q", "SELECT 42 AS answer, N'x' AS s", "-h", "-1", "-W", "-s", ",")
	if code != 0 || out != "42,x\n\n(1 row affected)\n" {
		t.Errorf("-Q -h -1 -W -s ,: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	script := writeFile(t, t.TempDir(), "s.sql", ":setvar N 2\nPRINT 'twice'\nGO $(N)\nRAISERROR('stop here', 16, 1)\nGO\nPRINT 'never'\n")
	code, out, _ = runCLI(t, "sql", "run", "--dsn", dsn, "-b", "-i", script)
	if code != ExitDifferent || !strings.HasPrefix(out, "twice\ntwice\nMsg 50000, Level 16, State 1") || strings.Contains(out, "never") {
		t.Errorf("-b: exit %d, stdout %q", code, out)
	}
}
