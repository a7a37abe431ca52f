package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// allCommands returns every command of xdm, the root first, parents before
// their subcommands.
func allCommands() []*cobra.Command {
	all := []*cobra.Command{NewRootCmd(NewApp(&IOStreams{}))}
	for i := 0; i < len(all); i++ {
		all = append(all, all[i].Commands()...)
	}
	return all
}

// TestHelpExamplesHaveWindowsForms: "XDM_X=... xdm" is a POSIX shell's
// form; cmd and PowerShell need their own, and a command's help gives
// them beside it. So do examples that pipe into jq.
func TestHelpExamplesHaveWindowsForms(t *testing.T) {
	posixEnv := regexp.MustCompile(`(?m)^\s*XDM_[A-Z_]+=\S*\s+xdm\b`)
	withEnv := 0
	for _, c := range allCommands() {
		ex := c.Example
		if posixEnv.MatchString(ex) {
			withEnv++
			if !strings.Contains(ex, `set "XDM_`) || !strings.Contains(ex, `$env:XDM_`) {
				t.Errorf("%s: an example sets XDM_* the POSIX way without the cmd (set \"XDM_...=...\") and PowerShell ($env:XDM_...) forms:\n%s", c.CommandPath(), ex)
			}
		}
		if strings.Contains(ex, "| jq") && !strings.Contains(ex, "ConvertFrom-Json") {
			t.Errorf("%s: a jq example without a PowerShell form:\n%s", c.CommandPath(), ex)
		}
	}
	if withEnv < 3 {
		t.Fatalf("only %d commands show environment variables in their examples", withEnv)
	}
}

// TestHelpExamplesKeepBackslashes: the examples are written for a POSIX
// shell (docs/install.md), where an unquoted backslash is dropped:
// -S SQLSERVER\SQL2016 reaches xdm as SQLSERVERSQL2016, a name that fails
// late or, worse, names another server. A server\instance or a Windows path
// in an example is therefore in double quotes, which keep it as written in
// sh, cmd.exe and PowerShell alike.
func TestHelpExamplesKeepBackslashes(t *testing.T) {
	var checked int
	for _, c := range allCommands() {
		for _, line := range strings.Split(c.Example, "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "xdm ") {
				continue // comments, cmd's set and PowerShell's $env: lines
			}
			checked++
			if w := unquotedBackslash(line); w != "" {
				t.Errorf("%s: example %q: %s loses its backslash in a POSIX shell; put it in double quotes", c.CommandPath(), line, w)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d example lines checked", checked)
	}
}

// unquotedBackslash returns the first word of a POSIX command line that
// holds a backslash outside quotes, or "".
func unquotedBackslash(line string) string {
	var quote rune
	start, bad := 0, false
	for i, c := range line + " " {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '\\':
			bad = true
		case c == ' ':
			if bad {
				return line[start:i]
			}
			start = i + 1
		}
	}
	return ""
}

// TestExamplesWorkInCmd: cmd.exe does not treat single quotes as quotes, so
// `--instance '(local)\X'` reaches xdm with the quotes in the value there.
// The xdm part of every example line (before a pipe into jq, which is a
// POSIX example with its PowerShell form beside it) in the commands' help
// and in the README therefore quotes with double quotes only.
func TestExamplesWorkInCmd(t *testing.T) {
	var lines []string
	for _, c := range allCommands() {
		lines = append(lines, strings.Split(c.Example, "\n")...)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines = append(lines, strings.Split(string(readme), "\n")...)
	checked := 0
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "xdm ") {
			continue
		}
		checked++
		cmdPart, _, _ := strings.Cut(line, " | ")
		if strings.Contains(cmdPart, "'") {
			t.Errorf("example %q: a single-quoted argument keeps its quotes in cmd.exe; use double quotes", line)
		}
	}
	if checked < 30 {
		t.Fatalf("only %d example lines checked", checked)
	}
}
