package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/srctest"
)

// flagInMessage finds a command-line flag in an error or message built by
// a library: "-S", "--force", "use -o".
var flagInMessage = regexp.MustCompile(`"[^"]*(\b(use|give|with|add|or|pass|without|needs?)\s+-{1,2}[A-Za-z]|\s--[a-z][a-z-]+)[^"]*"`)

// TestLibraryMessagesNameNoFlags: a library is also used without xdm's
// command line, so its messages say what is wrong in neutral words and
// return sentinel errors; the CLI adds the flag that helps (advice,
// scriptAdvice). The script header that sql/mssql/script writes into its
// output tells the reader how to run the file and is not a message.
func TestLibraryMessagesNameNoFlags(t *testing.T) {
	skip := []string{"internal/cli", "cmd", "bench", "internal/testgen", "internal/pgtest", "internal/tsqltest"}
	srctest.EachLine(t, skip, func(rel string, n int, line string) {
		if strings.HasPrefix(strings.TrimSpace(line), "//") || !flagInMessage.MatchString(line) {
			return
		}
		if rel == "sql/mssql/script/script.go" && strings.Contains(line, `"-- Run with: `) {
			return
		}
		t.Errorf("%s:%d: a library message names a flag; return a sentinel error and let internal/cli add the flag: %s", rel, n, strings.TrimSpace(line))
	})
}

// TestScriptErrorsGetTheFlagFromTheCLI: the library says what is wrong,
// xdm sql run adds the flag that helps.
func TestScriptErrorsGetTheFlagFromTheCLI(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ script, want string }{
		{"SELECT '$(Nope)'\r\nGO\r\n", `is not defined (a variable is defined with :setvar in the script or with -v NAME=VALUE)`},
		{":connect OTHER\r\nSELECT 1\r\nGO\r\n", "(give the server with -S;"},
	} {
		in := filepath.Join(dir, "x.sql")
		writeMode(t, in, c.script, 0o644)
		for _, json := range []bool{false, true} {
			args := []string{"sql", "run", "--dry-run", "-i", in}
			if json {
				args = append(args, "--json")
			}
			code, stdout, stderr := runCLI(t, args...)
			if code != ExitInvalid || !strings.Contains(stdout+stderr, c.want) {
				t.Errorf("xdm %s: exit %d, want 3 and %q in\n%s%s", strings.Join(args, " "), code, c.want, stdout, stderr)
			}
		}
	}
}
