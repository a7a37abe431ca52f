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
