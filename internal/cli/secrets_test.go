package cli

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/pgtest"
	"github.com/xdm-migrate/xdm/internal/secret/secrettest"
	"github.com/xdm-migrate/xdm/internal/tdsfake"
)

// secretRun is one command line that carries a password: as a flag, in a
// DSN, in the environment or in a config file.
type secretRun struct {
	args []string
	env  map[string]string
	file string // config file content ("" for none)
}

// secretRuns returns every command line of the test for password pw, whose
// servers are at pgAddr and msAddr (host:port; closed ports for the error
// paths).
func secretRuns(pw, pgAddr, msAddr, script, out string) []secretRun {
	pgHost, pgPort, _ := strings.Cut(pgAddr, ":")
	msHost, msPort, _ := strings.Cut(msAddr, ":")
	userinfo := strings.TrimPrefix(url.UserPassword("", pw).String(), ":")
	pgURL := "postgres://xpr:" + userinfo + "@" + pgAddr + "/mrsdb?connect_timeout=5"
	pgURLRaw := "postgres://xpr:" + pw + "@" + pgAddr + "/mrsdb"
	pgKeyword := fmt.Sprintf("host=%s port=%s user=xpr dbname=mrsdb connect_timeout=5 password='%s'", pgHost, pgPort,
		strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(pw))
	pgKeywordRaw := fmt.Sprintf("host=%s port=%s user=xpr password=%s dbname=mrsdb", pgHost, pgPort, pw)
	msURL := "sqlserver://sa:" + userinfo + "@" + msAddr + "?database=XPDATA&encrypt=disable&connection+timeout=5"
	msURLRaw := "sqlserver://sa:" + pw + "@" + msAddr + "?database=XPDATA&encrypt=disable"
	msADO := fmt.Sprintf(`server=%s;port=%s;user id=sa;password="%s";database=XPDATA;encrypt=disable`, msHost, msPort, strings.ReplaceAll(pw, `"`, `""`))
	msADORaw := fmt.Sprintf(`server=%s;port=%s;user id=sa;password=%s;database=XPDATA;encrypt=disable`, msHost, msPort, pw)
	msODBC := fmt.Sprintf("odbc:server=%s;port=%s;user id=sa;pwd={%s};database=XPDATA;encrypt=disable", msHost, msPort, strings.ReplaceAll(pw, "}", "}}"))
	server := msHost + "," + msPort
	runs := []secretRun{
		{args: []string{"config", "show"}, env: map[string]string{"XDM_PG_DSN": pgURLRaw, "XDM_MSSQL_DSN": msADORaw, "XDM_MSSQL_PASSWORD": pw}},
		{args: []string{"config", "show", "--json"}, env: map[string]string{"XDM_PG_DSN": pgKeyword, "XDM_MSSQL_DSN": msODBC}},
		{args: []string{"config", "show"}, file: fmt.Sprintf("pg:\n  dsn: %q\nmssql:\n  password: %q\n", pgKeywordRaw, pw)},
		{args: []string{"sql", "run", "-S", server, "-U", "sa", "-P", pw, "-i", script}},
		{args: []string{"sql", "run", "--json", "-S", server, "-U", "sa", "-i", script}, env: map[string]string{"XDM_MSSQL_PASSWORD": pw}},
		{args: []string{"sql", "run", "--dsn", msURLRaw, "-i", script}},
		{args: []string{"sql", "run", "--dsn", msADO, "-i", script, "--json"}},
		{args: []string{"sql", "catalog", "-S", server, "-U", "sa", "-d", "XPDATA", "-o", out}, env: map[string]string{"XDM_MSSQL_PASSWORD": pw}},
		{args: []string{"sql", "catalog", "--dsn", msODBC, "-o", out}},
		{args: []string{"sql", "script", "--dsn", msURL, "--target", "2014", "-o", out}},
		{args: []string{"sql", "script", "--dsn", msADORaw, "--target", "2014", "--json", "-o", out}},
		{args: []string{"sql", "script", "-S", server, "-d", "XPDATA", "-U", "sa", "--target", "2014", "-o", out}, file: fmt.Sprintf("mssql:\n  password: %q\n", pw)},
	}
	for _, dsn := range []string{pgURL, pgURLRaw, pgKeyword, pgKeywordRaw} {
		runs = append(runs,
			secretRun{args: []string{"ucc", "lowercase", "--dsn", dsn, "--dry-run"}},
			secretRun{args: []string{"ucc", "lowercase", "--json"}, env: map[string]string{"XDM_PG_DSN": dsn}},
		)
	}
	return runs
}

// TestPasswordsNeverPrinted runs every command that takes a password with a
// thousand generated passwords, through every way of giving one, against
// closed ports (connection errors), a real PostgreSQL and the TDS double,
// and looks for the password, and any piece of four characters or more of
// it that the rest of the command line does not hold, in stdout, stderr and
// every file written.
func TestPasswordsNeverPrinted(t *testing.T) {
	if testing.Short() {
		t.Skip("a thousand passwords; skipped with -short")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "script.sql")
	writeMode(t, script, "SELECT 1\nGO\n", 0o644)
	out := filepath.Join(dir, "out", "written")
	os.Mkdir(filepath.Dir(out), 0o755)
	cfg := filepath.Join(dir, "xdm.yaml")

	type target struct {
		name         string
		pgAddr, msAd string
		passwords    []string
	}
	targets := []target{{"closed ports", "127.0.0.1:1", "127.0.0.1:1", secrettest.Passwords(1000, 42)}}
	pg := pgtest.Shared(t)
	pgDB := pg.CreateDB(t, "secrets")
	_ = pgDB
	fake, err := tdsfake.Start(func(sql string) []tdsfake.Token {
		return []tdsfake.Token{tdsfake.Error(208, 16, 1, "Invalid object name 'sys.objects'.", 1)}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	targets = append(targets, target{"live servers", pgAddrOf(t, pg.DSN(pgDB)), fake.Addr(), secrettest.Passwords(20, 7)})

	// run runs r and returns what it printed and wrote, and the command
	// line's own text without the password.
	run := func(r secretRun, pw string) (all, other string, code int) {
		for k, v := range r.env {
			t.Setenv(k, v)
		}
		defer func() {
			for k := range r.env {
				os.Unsetenv(k)
			}
		}()
		args := r.args
		if r.file != "" {
			writeMode(t, cfg, r.file, 0o600)
			args = append([]string{"--config", cfg}, args...)
		}
		code, stdout, stderr := runCLI(t, args...)
		all = stdout + stderr
		if b, err := os.ReadFile(out); err == nil {
			all += string(b)
			os.Remove(out)
		}
		other = strings.ReplaceAll(strings.Join(args, " "), pw, "") + " " + strings.ReplaceAll(r.file, pw, "")
		for _, v := range r.env {
			other += " " + strings.ReplaceAll(v, pw, "")
		}
		return all, other, code
	}
	const neutral = "Neutral0Pw"
	runs := 0
	for _, tg := range targets {
		// What each command prints whatever the password (its settings'
		// names, its messages) is no leak: run each once with a neutral one.
		var baseline []string
		for _, r := range secretRuns(neutral, tg.pgAddr, tg.msAd, script, out) {
			all, _, _ := run(r, neutral)
			baseline = append(baseline, strings.ReplaceAll(all, neutral, ""))
		}
		for _, pw := range tg.passwords {
			for i, r := range secretRuns(pw, tg.pgAddr, tg.msAd, script, out) {
				runs++
				all, other, code := run(r, pw)
				if leaks := secrettest.Leaks(all, pw, other+" "+baseline[i]); len(leaks) > 0 {
					t.Fatalf("%s: password %q: xdm %s (env %v, config %q): exit %d, output shows %q:\n%s",
						tg.name, pw, strings.Join(r.args, " "), r.env, r.file, code, leaks, all)
				}
			}
		}
	}
	if runs < 1000*16 {
		t.Fatalf("only %d runs", runs)
	}
	if names := dirNames(t, filepath.Dir(out)); len(names) != 0 {
		t.Errorf("left in the output folder: %v", names)
	}
}

// pgAddrOf returns host:port of a pgtest DSN.
func pgAddrOf(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err == nil && u.Host != "" {
		return u.Host
	}
	var host, port string
	for _, f := range strings.Fields(dsn) {
		if v, ok := strings.CutPrefix(f, "host="); ok {
			host = v
		}
		if v, ok := strings.CutPrefix(f, "port="); ok {
			port = v
		}
	}
	if host == "" || port == "" {
		t.Fatalf("no host and port in %q", dsn)
	}
	return host + ":" + port
}

// TestShortPasswordLeavesOtherWordsAlone: "-P sql" must not turn
// "sqlserver://" into "xxxxxserver://" (which would also show where the
// password is): the connection string is masked by its structure.
func TestShortPasswordLeavesOtherWordsAlone(t *testing.T) {
	script := filepath.Join(t.TempDir(), "s.sql")
	writeMode(t, script, "SELECT 1\n", 0o644)
	code, stdout, stderr := runCLI(t, "sql", "run", "-S", "127.0.0.1,1", "-U", "sa", "-P", "sql", "-i", script)
	if code != ExitFailure || !strings.Contains(stderr, "127.0.0.1,1 (login sa)") || strings.Contains(stdout+stderr, "xxxxx") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
