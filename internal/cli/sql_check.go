package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

type sqlCheckOptions struct {
	App *App

	Input string
	JSON  bool
	targetFlags
}

func newCmdSQLCheck(app *App, runF func(context.Context, *sqlCheckOptions) error) *cobra.Command {
	opts := &sqlCheckOptions{App: app}
	cmd := &cobra.Command{
		Use:   "check SCRIPT",
		Short: "Report what in a SQL Server script does not run on an older version",
		Long: `Check a T-SQL script against the version rules of docs/downgrade-rules.md
for an older SQL Server (--target, default 2014) and list every feature the
target lacks, one line each: file:line:col: action: feature (version) in
object: message. The action says what "xdm sql downgrade" would do about it
(rewrite, omit, warn, refuse). Nothing is written.

Rules match T-SQL tokens only, never text inside comments or [bracketed]
names, and of strings only the statement that EXEC (N'...') and
sp_executesql run. The script is streamed; data batches are not lexed. It
is read the way sqlcmd and xdm sql run read it: a malformed GO or sqlcmd
command line, or a string or comment still open at the end, is invalid
input (exit 3, file:line:col). The files it includes with :r are checked
too, their names relative to the working folder as in sqlcmd (a master.sql
of "xdm sql script --split-dir": run the check from that folder); one that
cannot be read, or includes itself, is invalid input as well.

Exit codes: 0 the script runs on the target as it is (at most warnings);
1 it does not (anything to rewrite, omit or refuse); 2 usage; 3 the script
cannot be read as sqlcmd reads it (FILE:LINE:COL); 4 the file cannot be
opened, or other errors; 130 interrupted.`,
		Example: `  xdm sql check xpdata.sql --target 2014
  xdm sql check module.sql --target 2016 --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Input = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSQLCheck(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	opts.add(cmd, "`FROM=TO` counts the UTF-8 collation FROM as mapped to TO, as downgrade would (repeatable)")
	return cmd
}

func runSQLCheck(ctx context.Context, opts *sqlCheckOptions) error {
	app := opts.App
	script, err := opts.open(ctx, app, opts.Input, nil)
	if err != nil {
		return err
	}
	defer script.in.Close()
	// As sqlcmd does, :r names are opened relative to the working folder;
	// a master script is checked with the files it includes.
	script.opts.Open = func(name string) (io.ReadCloser, error) { return os.Open(name) }
	rep, err := script.run(ctx, io.Discard, "checking")
	if err == nil {
		err = invalidScript(rep)
	}

	res := newSQLDowngradeReport(opts.Input, rep)
	switch {
	case errors.Is(err, context.Canceled):
		return err
	case err != nil && opts.JSON:
		// Run prints the failure, with the findings so far, as JSON.
		return withJSONReport(downgradeError(err, false), res, nil)
	case rep.Blocking():
		res.Status = "blocked"
	default:
		res.Status = "runs"
	}
	if opts.JSON {
		if jerr := writeJSON(app.IO.Out, res); jerr != nil {
			return jerr
		}
	} else {
		for _, f := range rep.Findings {
			fmt.Fprintln(app.IO.Out, f)
		}
		printProblems(app, rep)
		printIncludes(app, rep, false)
		if !app.Quiet() && err == nil {
			verdict := "runs on"
			if rep.Blocking() {
				verdict = "does not run on"
			}
			fmt.Fprintf(app.IO.ErrOut, "xdm: %s %s as it is; %s\n", opts.Input, verdict+" "+res.Target.String(), res.summary("to change"))
		}
	}
	switch {
	case err != nil:
		return downgradeError(err, false)
	case rep.Blocking():
		return exitWith(ExitDifferent, nil)
	}
	return nil
}
