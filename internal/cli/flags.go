package cli

import (
	"errors"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// addWorkersFlag binds --workers to n for every command that has it, so that
// a value that is no whole number of CPUs is refused when it is read, from
// the command line, the environment or the config file alike. what says
// what the workers do ("chunks fixed in parallel").
func addWorkersFlag(cmd *cobra.Command, n *int, what string) {
	cmd.Flags().Var(workersValue{n}, "workers", "use `N` CPUs: "+what+" (0: every CPU)")
}

// workersValue is the value of --workers: a whole number, 0 for every CPU.
type workersValue struct{ n *int }

var errWorkers = errors.New("want a whole number of CPUs, 0 for every CPU")

func (w workersValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return errWorkers
	}
	*w.n = n
	return nil
}

func (w workersValue) String() string {
	if w.n == nil {
		return "0"
	}
	return strconv.Itoa(*w.n)
}

func (w workersValue) Type() string { return "int" }

// outputDash is the annotation of a command's -o flag that says what "-o -"
// means there; a command without it writes files only.
const outputDash = "xdm-output-dash"

// Values of outputDash.
const (
	dashStdout  = "stdout"  // without -o the command writes to stdout: "-o -" is the same
	dashHandled = "handled" // the command reads "-" itself
)

// markOutputDash says what "-o -" means in cmd (dashStdout or dashHandled).
func markOutputDash(cmd *cobra.Command, meaning string) {
	_ = cmd.Flags().SetAnnotation("output", outputDash, []string{meaning})
}

// checkOutputDash gives "-o -" one meaning in every command: standard output
// where the command can write there, a usage error where -o names a file
// only (it used to write a file called "-" where stdout was meant).
func checkOutputDash(cmd *cobra.Command) error {
	f := cmd.Flags().Lookup("output")
	if f == nil || f.Value.String() != "-" {
		return nil
	}
	switch meaning := f.Annotations[outputDash]; {
	case len(meaning) == 0:
		return usageErrorf("-o -: %s writes a file, not standard output; give a file name (./- for a file called \"-\")", cmd.CommandPath())
	case meaning[0] == dashStdout:
		return f.Value.Set("")
	}
	return nil
}
