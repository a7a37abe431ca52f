// Package cli is xdm's command-line shell: cobra commands that parse flags,
// call the library packages and map their outcome to exit codes. A command is
// newCmdX(app, runF) + xOptions + runX(ctx, opts): tests pass runF to check flag
// parsing alone, or call runX with buffer streams to check behaviour.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/plural"
)

// Main runs xdm with the process's arguments and streams and returns the exit code.
func Main() int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go stopOnSignal(sigs, cancel)
	return Run(ctx, SystemStreams(), os.Args[1:])
}

// interruptGrace is how long a cancelled run may take to clean up (remove
// its temporary files, roll back) before xdm exits anyway.
const interruptGrace = 5 * time.Second

// stopOnSignal cancels the run at the first Ctrl-C or SIGTERM. A run that
// does not end within interruptGrace, or a second signal, ends the process
// with exit 130: a read that waits on a pipe or a terminal sits in a system
// call that no context reaches, and the user must not need SIGKILL. Files
// are safe either way: the final names are only ever replaced by a rename.
func stopOnSignal(sigs <-chan os.Signal, cancel context.CancelFunc) {
	<-sigs
	cancel()
	select {
	case <-sigs:
	case <-time.After(interruptGrace):
	}
	fmt.Fprintln(os.Stderr, "xdm: interrupted; exiting without waiting for the run to clean up: nothing was replaced, temporary files (.NAME.xdm-tmp-*) may be left")
	os.Exit(ExitInterrupted)
}

// Run executes one command line; it is what Main and the CLI tests call.
// Every write to standard output is checked: output that was lost fails
// the run (exit 4) even when the command did not look at the error.
func Run(ctx context.Context, io *IOStreams, args []string) int {
	stdout := &checkedWriter{w: io.Out}
	streams := *io
	streams.Out = stdout
	app := NewApp(&streams)
	root := NewRootCmd(app)
	root.SetArgs(sqlcmdArgs(root, args))
	cmd, err := root.ExecuteContextC(ctx)
	if code := exitCode(err); stdout.err != nil && code != ExitUsage && code != ExitInterrupted && code != ExitFailure {
		// The output was lost: whatever the run found, it failed.
		if err != nil {
			reportError(app, cmd, err)
		}
		err = exitWith(ExitFailure, fmt.Errorf("writing to standard output: %w", stdout.err))
	}
	if err != nil {
		writeFailureJSON(cmd, stdout, err)
		reportError(app, cmd, err)
	}
	return exitCode(err)
}

// reportError prints err once, unless a command already reported and asked to
// exit silently with a code. Libraries return sentinel errors; the advice
// that names a flag is added here, and only for a command that has the flag.
func reportError(app *App, cmd *cobra.Command, err error) {
	var ee *ExitError
	if errors.As(err, &ee) && ee.Err == nil {
		return
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(app.IO.ErrOut, "xdm: interrupted; nothing was replaced")
		return
	}
	fmt.Fprintf(app.IO.ErrOut, "xdm: %s%s\n", redactError(cmd, err.Error()), advice(cmd, err))
	var cle commandLineError
	switch {
	case !errors.As(err, &cle) || cmd == nil:
	case cmd.HasSubCommands():
		fmt.Fprintf(app.IO.ErrOut, "see \"%s --help\" for its commands\n", cmd.CommandPath())
	default:
		fmt.Fprintf(app.IO.ErrOut, "usage: %s\nsee \"%s --help\" for the flags and examples\n", cmd.UseLine(), cmd.CommandPath())
	}
}

// advice is what the user can do about err, in the words of cmd's flags.
func advice(cmd *cobra.Command, err error) string {
	hasForce := cmd != nil && cmd.Flags().Lookup("force") != nil
	switch {
	case errors.Is(err, atomicfile.ErrBackupExists) && hasForce:
		return " (it is the only copy of the original: move it away first, or give --force to rewrite the file again and keep it as it is)"
	case errors.Is(err, atomicfile.ErrBackupExists):
		return " (it is the only copy of the original: move it away first)"
	case errors.Is(err, fs.ErrExist) && hasForce:
		return " (use --force to replace it)"
	case errors.Is(err, atomicfile.ErrBusy):
		return " (wait for it to end, then run again)"
	}
	return ""
}

// NewRootCmd builds the whole command tree.
func NewRootCmd(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:   "xdm",
		Short: "Move the data of Xpressions and XPhone servers across upgrades",
		Long: `xdm moves the data of unified-messaging servers across upgrades:
OpenScape Xpressions (XPR) infotool exports and journals, the UCC PostgreSQL
database, XPhone V4 exports, and SQL Server databases for older versions.

Every command that rewrites a file writes a temporary file next to the target,
syncs it and renames it into place; a file fixed in place keeps its original
as FILE.orig, which is never replaced. A second xdm on the same file at the
same time is refused. An interrupted run leaves the original untouched.

Data and --json reports go to stdout, messages and progress to stderr; exit
codes are listed in docs/exit-codes.md. On Windows, see docs/install.md for
cmd and PowerShell forms of the examples.

Settings come from flags, then XDM_* environment variables, then the config
file (--config, default ./xdm.yaml or <user config dir>/xdm/xdm.yaml).
"xdm config show" prints the effective settings.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := app.loadConfig(cmd); err != nil {
				return err
			}
			if err := checkOutputDash(cmd); err != nil {
				return err
			}
			return checkDSNSettings(cmd)
		},
	}
	root.SetIn(app.IO.In)
	root.SetOut(app.IO.Out)
	root.SetErr(app.IO.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return commandLineError{usageError{err}}
	})
	root.PersistentFlags().StringVar(&app.configFile, "config", "", "config file (default ./xdm.yaml, then <user config dir>/xdm/xdm.yaml)")
	root.PersistentFlags().BoolVarP(&app.quiet, "quiet", "q", false, "no progress bar and no status messages on stderr")

	root.AddCommand(
		newCmdVersion(app),
		newCmdConfig(app),
		newCmdJournal(app),
		newCmdUCC(app),
		newCmdSQL(app),
		newCmdXPhone(app),
		newCmdInfotool(app),
		newCmdMask(app),
		newCmdReg(app),
		newCmdBackup(app),
	)
	rejectUnknownSubcommands(root)
	return root
}

// rejectUnknownSubcommands makes every command that only groups others (xdm,
// xdm sql, ...) print its help when called alone and fail with a usage error
// when called with a word that is none of its commands, suggesting the
// nearest; cobra would print the help and exit 0 for "xdm sql rnu".
func rejectUnknownSubcommands(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		rejectUnknownSubcommands(sub)
	}
	if !cmd.HasSubCommands() || cmd.Runnable() {
		return
	}
	cmd.Args = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		hint := ""
		c.SuggestionsMinimumDistance = 2
		if s := c.SuggestionsFor(args[0]); len(s) > 0 {
			hint = fmt.Sprintf("; did you mean %q?", s[0])
		}
		return commandLineError{usageError{fmt.Errorf("unknown command %q for %q%s", args[0], c.CommandPath(), hint)}}
	}
	cmd.RunE = func(c *cobra.Command, args []string) error {
		return c.Help()
	}
}

// exactArgs accepts exactly n arguments, saying which when the count is wrong.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		return argsError(cmd, args, n, n)
	}
}

// minArgs accepts n or more arguments.
func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= n {
			return nil
		}
		return argsError(cmd, args, n, -1)
	}
}

// rangeArgs accepts from min to max arguments.
func rangeArgs(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= min && len(args) <= max {
			return nil
		}
		return argsError(cmd, args, min, max)
	}
}

// argsError words a wrong number of arguments (max -1: no limit); the report
// adds the usage line.
func argsError(cmd *cobra.Command, args []string, min, max int) error {
	name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	got := "none"
	if len(args) > 0 {
		q := make([]string, len(args))
		for i, a := range args {
			q[i] = strconv.Quote(a)
		}
		got = strings.Join(q, " ")
	}
	var want string
	switch {
	case max == 0:
		want = "no arguments"
	case min == max:
		want = plural.Count(min, "argument")
	case max < 0:
		want = "at least " + plural.Count(min, "argument")
	default:
		want = fmt.Sprintf("%d to %d arguments", min, max)
	}
	return commandLineError{usageError{fmt.Errorf("%s takes %s, got %s", name, want, got)}}
}
