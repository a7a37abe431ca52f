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
	"syscall"

	"github.com/spf13/cobra"
)

// Main runs xdm with the process's arguments and streams and returns the exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, SystemStreams(), os.Args[1:])
}

// Run executes one command line; it is what Main and the CLI tests call.
func Run(ctx context.Context, io *IOStreams, args []string) int {
	app := NewApp(io)
	root := NewRootCmd(app)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
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
	advice := ""
	if errors.Is(err, fs.ErrExist) && cmd != nil && cmd.Flags().Lookup("force") != nil {
		advice = " (use --force to replace it)"
	}
	fmt.Fprintf(app.IO.ErrOut, "xdm: %v%s\n", err, advice)
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
as FILE.orig. An interrupted run leaves the original untouched.

Settings come from flags, then XDM_* environment variables, then the config
file (--config, default ./xdm.yaml or <user config dir>/xdm/xdm.yaml).
"xdm config show" prints the effective settings.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return app.loadConfig(cmd)
		},
	}
	root.SetIn(app.IO.In)
	root.SetOut(app.IO.Out)
	root.SetErr(app.IO.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageError{err}
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
// when called with a word that is none of its commands; cobra would print the
// help and exit 0 for "xdm sql rnu".
func rejectUnknownSubcommands(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		rejectUnknownSubcommands(sub)
	}
	if !cmd.HasSubCommands() || cmd.Runnable() {
		return
	}
	cmd.Args = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageErrorf("unknown command %q for %q; see %q", args[0], c.CommandPath(), c.CommandPath()+" --help")
		}
		return nil
	}
	cmd.RunE = func(c *cobra.Command, args []string) error {
		return c.Help()
	}
}

// exactArgs is cobra.ExactArgs with a usage-error exit code.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// minArgs is cobra.MinimumNArgs with a usage-error exit code.
func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.MinimumNArgs(n)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}
