package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestHelpExamplesHaveWindowsForms: "XDM_X=... xdm" is a POSIX shell's
// form; cmd and PowerShell need their own, and a command's help gives
// them beside it. So do examples that pipe into jq.
func TestHelpExamplesHaveWindowsForms(t *testing.T) {
	posixEnv := regexp.MustCompile(`(?m)^\s*XDM_[A-Z_]+=\S*\s+xdm\b`)
	var all []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		all = append(all, c)
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(NewRootCmd(NewApp(&IOStreams{})))
	withEnv := 0
	for _, c := range all {
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
