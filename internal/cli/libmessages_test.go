package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
	root := filepath.Join("..", "..")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch rel {
			case ".git", "internal/cli", "cmd", "bench", "internal/testgen", "internal/pgtest", "internal/tsqltest", "journal":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		for i, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") || !flagInMessage.MatchString(line) {
				continue
			}
			if rel == "sql/mssql/script/script.go" && strings.Contains(line, `"-- Run with: `) {
				continue
			}
			t.Errorf("%s:%d: a library message names a flag; return a sentinel error and let internal/cli add the flag: %s", rel, i+1, strings.TrimSpace(line))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("only %d Go files read", checked)
	}
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
