package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/secret"
	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/mssql"
)

type sqlRunOptions struct {
	Conn           mssql.ConnOptions
	Inputs         []string // -i
	Vars           []string // -v NAME=value
	ExitOnError    bool     // -b
	NoSubstitution bool     // -x
	NoEnvVars      bool     // -X
	CodePage       string   // -f
	QueryTimeout   time.Duration
	NoResults      bool
	Output         string // -o
	Checkpoint     string
	CheckpointWait time.Duration
	Resume         bool
	DryRun         bool
	JSON           bool
}

func newCmdSQLRun(app *App, runF func(*sqlRunOptions) error) *cobra.Command {
	opts := &sqlRunOptions{}
	cmd := &cobra.Command{
		Use:   "run -S server -i FILE [-i FILE...] [flags]",
		Short: "Run sqlcmd scripts on SQL Server, resumable after a failure",
		Long: `Run SQL scripts the way sqlcmd runs them: the flags mean what they mean in
sqlcmd, so "sqlcmd -S SQLSERVER\SQL2016 -i xpdata.sql" becomes
"xdm sql run -S SQLSERVER\SQL2016 -i xpdata.sql".

The script is split into batches at lines holding only GO [count]; GO inside
strings, quoted identifiers and comments does not count. Scripting variables
($(NAME)) come from :setvar, -v and the environment (not with -X); -x turns
substitution off. Supported commands: :setvar, :r, :on error exit|ignore,
:exit, :exit(), :exit(query), :quit, :reset, :listvar, :out, :error. A script
with an unsupported command (:connect, :ed, !!, :serverlist, :xml), a
malformed GO or an undefined variable is refused with FILE:LINE before
anything is sent: xdm reads the whole script once before it connects.

A message of severity 11 or more fails its batch. With -b or ":on error exit"
the run stops there and xdm exits with 1; a RAISERROR with state 127 always
stops. Without them the run goes on, as in sqlcmd. PRINT output, messages and
result sets go to stdout, error messages to stderr.

xdm streams: memory follows the largest batch, not the file. On a terminal
a progress bar shows the bytes checked, then the batches run. After each
completed batch (at most once per --checkpoint-interval, and when the run
stops) it records the batch number and a SHA-256 of the script up to it in
the checkpoint file (default FILE.xdm-checkpoint next to the first script).
After a failure, fix the cause and run the same command with --resume: xdm
checks that the script up to the checkpoint is unchanged and goes on with the
next batch. A successful run deletes the checkpoint.

Input files may be UTF-8 (with or without BOM) or UTF-16 with BOM; -f 1252
reads files without BOM as Windows-1252.

--dry-run does not connect: it prints each batch that would be sent; with
--json one JSON object per line {"file","line","batch","repeat","sql"}, and
{"error","file","line"} for each script error (exit code 3).

Exit codes: 0 done (errors ignored without -b, as sqlcmd), 1 stopped at a
failed batch (-b, :on error exit, state 127) or :exit(query) returned a
non-zero value, 2 bad command line, 3 script error, 4 connection or other
failure, 130 interrupted (resume with --resume).`,
		Example: `  # the migration guide's command, with xdm
  xdm sql run -S SQLSERVER\SQL2016 -i C:\XPDATA-Export\xpdata.sql

  # SQL login, stop at the first error, a variable
  XDM_MSSQL_PASSWORD=... xdm sql run -S db01,1433 -U sa -d XPDATA -b -v Target=XPDATA -i import.sql
  # the same, Windows cmd:
  set "XDM_MSSQL_PASSWORD=..."
  xdm sql run -S db01,1433 -U sa -d XPDATA -b -v Target=XPDATA -i import.sql
  # Windows PowerShell:
  $env:XDM_MSSQL_PASSWORD = '...'
  xdm sql run -S db01,1433 -U sa -d XPDATA -b -v Target=XPDATA -i import.sql

  # after it stopped at a failed batch: fix the cause, then
  xdm sql run -S db01,1433 -U sa -d XPDATA -b -v Target=XPDATA -i import.sql --resume

  # what would be sent, as JSON lines, without connecting
  xdm sql run --dry-run --json -i import.sql -v Target=XPDATA`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runSQLRun(cmd.Context(), app, opts)
		},
	}
	addConnFlags(cmd, &opts.Conn)
	f := cmd.Flags()
	f.StringArrayVarP(&opts.Inputs, "input", "i", nil, "script to run (repeatable: run in order)")
	f.StringArrayVarP(&opts.Vars, "var", "v", nil, "scripting variable NAME=value (repeatable)")
	f.BoolVarP(&opts.ExitOnError, "exit-on-error", "b", false, "stop at the first batch with an error and exit with 1 (as :on error exit)")
	f.BoolVarP(&opts.NoSubstitution, "no-substitution", "x", false, "leave $(NAME) as written")
	f.BoolVarP(&opts.NoEnvVars, "no-env-vars", "X", false, "do not take scripting variables from the environment")
	f.BoolVarP(&opts.Conn.QuotedIdentifier, "quoted-identifier", "I", false, "SET QUOTED_IDENTIFIER ON (sqlcmd's default is OFF)")
	f.StringVarP(&opts.CodePage, "codepage", "f", "", "code page of input files without BOM: 1252, 1250, 850, 65001 (UTF-8, the default); i:1252 works too")
	f.VarP(secondsValue{&opts.QueryTimeout}, "query-timeout", "t", "seconds a batch may run (0: no limit); a timeout fails the batch")
	f.BoolVar(&opts.NoResults, "no-results", false, "do not print result sets")
	f.StringVarP(&opts.Output, "output", "o", "", "write results and server messages (errors too) to FILE instead of stdout/stderr; an existing FILE is kept as FILE.orig")
	f.StringVar(&opts.Checkpoint, "checkpoint", "", "checkpoint file (default: FIRST-SCRIPT.xdm-checkpoint)")
	f.DurationVar(&opts.CheckpointWait, "checkpoint-interval", time.Second, "write the checkpoint at most this often (0: after every batch)")
	f.BoolVar(&opts.Resume, "resume", false, "continue after the batch the checkpoint names")
	f.BoolVar(&opts.DryRun, "dry-run", false, "do not connect; print the batches that would be sent")
	f.BoolVar(&opts.JSON, "json", false, "with --dry-run: one JSON object per batch; else a JSON summary at the end")
	return cmd
}

// checkpointSuffix names the default checkpoint file next to the first script.
const checkpointSuffix = ".xdm-checkpoint"

func runSQLRun(ctx context.Context, app *App, opts *sqlRunOptions) error {
	if len(opts.Inputs) == 0 {
		return usageErrorf("no script: give -i FILE")
	}
	codePage, err := parseCodePage(opts.CodePage)
	if err != nil {
		return err
	}
	vars, err := sqlcmdVars(opts)
	if err != nil {
		return err
	}
	open := func(name string) (io.ReadCloser, error) {
		rc, _, err := batch.OpenFile(name, codePage)
		return rc, err
	}
	ropt := mssql.RunOptions{Files: opts.Inputs, Open: open, Vars: vars, NoSubstitution: opts.NoSubstitution}
	if opts.DryRun {
		return dryRun(ctx, app, opts, ropt)
	}
	if err := askPassword(app, &opts.Conn); err != nil {
		return err
	}
	cpPath := opts.Checkpoint
	if cpPath == "" {
		cpPath = opts.Inputs[0] + checkpointSuffix
	}
	if err := loadCheckpoint(cpPath, opts.Resume, &ropt); err != nil {
		return err
	}
	var total int64
	for _, in := range opts.Inputs {
		if st, err := os.Stat(in); err == nil {
			total += st.Size()
		}
	}
	// Two bars: bytes while the script is checked, then batches.
	checkBar := app.newByteProgress("checking", total)
	defer checkBar.Done()
	var runBar *Progress
	defer func() {
		if runBar != nil {
			runBar.Done()
		}
	}()
	var db *mssql.DB
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	ropt.Connect = func(ctx context.Context) (mssql.Executor, error) {
		var err error
		db, err = mssql.Connect(ctx, opts.Conn)
		return db, err
	}
	ropt.ExitOnError = opts.ExitOnError
	ropt.QueryTimeout = opts.QueryTimeout
	ropt.Out, ropt.ErrOut = app.IO.Out, app.IO.ErrOut
	if opts.Output != "" {
		w, err := openOutputFile(opts.Output)
		if err != nil {
			return exitWith(ExitFailure, fmt.Errorf("-o %s: %w", opts.Output, err))
		}
		defer w.Close() // kept also after a failure: it is the run's log
		ropt.Out, ropt.ErrOut = w, w
	}
	ropt.NoResults = opts.NoResults
	ropt.OpenOutput = openOutputFile
	ropt.CheckpointEvery = opts.CheckpointWait
	ropt.Checkpoint = func(c mssql.Checkpoint) error { return saveCheckpoint(cpPath, c) }
	ropt.Progress = func(p mssql.Progress) {
		if p.Checking {
			checkBar.Set(p.Bytes)
			return
		}
		if runBar == nil {
			checkBar.Done()
			runBar = app.newCountProgress("batches", int64(p.Batches))
		}
		runBar.Set(int64(p.Batch))
	}

	sum, err := mssql.Run(ctx, ropt)
	checkBar.Done()
	if runBar != nil {
		runBar.Done()
	}
	if err == nil {
		if rerr := os.Remove(cpPath); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = fmt.Errorf("removing the checkpoint of the completed run: %w", rerr)
		}
	}
	return reportRun(app, opts, cpPath, sum, err)
}

// reportRun prints the outcome and maps it to an exit code.
func reportRun(app *App, opts *sqlRunOptions, cpPath string, sum mssql.Summary, err error) error {
	if opts.JSON {
		out := map[string]any{"batches": sum.Batches, "executed": sum.Executed, "skipped": sum.Skipped, "failed": sum.Failed}
		if sum.ExitValue != nil {
			out["exit_value"] = *sum.ExitValue
		}
		if err != nil {
			out["error"] = secret.Redact(err.Error(), opts.Conn.Password)
		}
		if jerr := writeJSON(app.IO.Out, out); jerr != nil && err == nil {
			return jerr
		}
	}
	if !app.Quiet() && (err == nil || sum.Executed > 0) {
		fmt.Fprintf(app.IO.ErrOut, "xdm: %d of %d batches run, %d failed, %d skipped (resumed)\n", sum.Executed, sum.Batches, sum.Failed, sum.Skipped)
	}
	var be *mssql.BatchError
	var se *batch.Error
	switch {
	case err == nil && sum.ExitValue != nil && *sum.ExitValue != 0:
		return exitWith(ExitDifferent, fmt.Errorf(":exit returned %d", *sum.ExitValue))
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(app.IO.ErrOut, "xdm: interrupted; the checkpoint %s names the last completed batch: run again with --resume\n", cpPath)
		return exitWith(ExitInterrupted, nil)
	case errors.As(err, &be):
		if _, serr := os.Stat(cpPath); serr != nil {
			return exitWith(ExitDifferent, fmt.Errorf("%w\nxdm: no batch had completed: fix the cause and run the same command again", err))
		}
		return exitWith(ExitDifferent, fmt.Errorf("%w\nxdm: fix the cause and run the same command with --resume to continue after the last completed batch (checkpoint %s)", err, cpPath))
	case errors.As(err, &se):
		return exitWith(ExitInvalid, err)
	}
	return exitWith(ExitFailure, errors.New(secret.Redact(err.Error(), opts.Conn.Password)))
}

// loadCheckpoint sets ropt.Resume from path with --resume, and refuses to
// start over when a checkpoint of an unfinished run exists without it.
func loadCheckpoint(path string, resume bool, ropt *mssql.RunOptions) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		if resume {
			return exitWith(ExitFailure, fmt.Errorf("cannot resume: no checkpoint %s", path))
		}
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	cp, err := mssql.ReadCheckpoint(f)
	if err != nil {
		return exitWith(ExitFailure, fmt.Errorf("%s: %w", path, err))
	}
	if !resume {
		return usageErrorf("checkpoint %s exists: a run stopped after batch %d (%s:%d) on %s; give --resume to continue it, or delete the file to start over",
			path, cp.Batch, cp.File, cp.Line, cp.Time.Format(time.RFC3339))
	}
	ropt.Resume = &cp
	return nil
}

func saveCheckpoint(path string, c mssql.Checkpoint) error {
	f, err := atomicfile.Create(path, true)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := c.WriteTo(f); err != nil {
		return err
	}
	return f.Commit()
}

// openOutputFile opens the file of :out or :error; an existing file is kept as FILE.orig.
func openOutputFile(name string) (io.WriteCloser, error) {
	var f *atomicfile.File
	var err error
	if _, serr := os.Stat(name); serr == nil {
		f, err = atomicfile.CreateInPlace(name, false)
	} else {
		f, err = atomicfile.Create(name, false)
	}
	if err != nil {
		return nil, err
	}
	return committer{f}, nil
}

// committer commits an atomic file on Close.
type committer struct{ *atomicfile.File }

func (c committer) Close() error { return c.Commit() }

// parseCodePage reads -f: "1252", "i:1252", "i:1252,o:65001" (the output
// code page is ignored: output is UTF-8).
func parseCodePage(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if strings.HasPrefix(strings.ToLower(part), "o:") {
			continue
		}
		part = strings.TrimPrefix(strings.ToLower(part), "i:")
		n, err := strconv.Atoi(part)
		if err != nil || n <= 0 {
			return 0, usageErrorf("-f %s: expected a code page number such as 1252 or 65001", s)
		}
		if _, _, err := batch.Decode(strings.NewReader(""), n); err != nil {
			return 0, usageErrorf("-f %s: %v", s, err)
		}
		return n, nil
	}
	return 0, nil
}

// sqlcmdVars are the scripting variables before the script: the
// environment (unless -X), sqlcmd's own (SQLCMDSERVER, ...), then -v.
func sqlcmdVars(opts *sqlRunOptions) (map[string]string, error) {
	vars := map[string]string{}
	if !opts.NoEnvVars {
		for _, kv := range os.Environ() {
			if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
				vars[k] = v
			}
		}
	}
	set := func(k, v string) {
		if v != "" {
			vars[k] = v
		}
	}
	set("SQLCMDSERVER", opts.Conn.Server)
	set("SQLCMDDBNAME", opts.Conn.Database)
	set("SQLCMDUSER", opts.Conn.User)
	set("SQLCMDLOGINTIMEOUT", strconv.Itoa(int(opts.Conn.ConnectTimeout/time.Second)))
	set("SQLCMDSTATTIMEOUT", strconv.Itoa(int(opts.QueryTimeout/time.Second)))
	for _, kv := range opts.Vars {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \t\"'$()") {
			return nil, usageErrorf("-v %s: expected NAME=value", kv)
		}
		vars[k] = v
	}
	return vars, nil
}

// dryRun prints the batches that would be sent, without connecting.
func dryRun(ctx context.Context, app *App, opts *sqlRunOptions, ropt mssql.RunOptions) error {
	enc := newJSONLines(app.IO.Out)
	nerr := 0
	err := mssql.Plan(ctx, ropt, func(b mssql.PlannedBatch) error {
		if opts.JSON {
			return enc.Encode(struct {
				File   string `json:"file"`
				Line   int64  `json:"line"`
				Batch  int    `json:"batch"`
				Repeat int    `json:"repeat"`
				SQL    string `json:"sql"`
			}{b.File, b.Line, b.Ordinal, b.Repeat, string(b.SQL)})
		}
		fmt.Fprintf(app.IO.Out, "-- batch %d, %s:%d, %d time(s)\n%s", b.Ordinal, b.File, b.Line, b.Repeat, b.SQL)
		if len(b.SQL) > 0 && b.SQL[len(b.SQL)-1] != '\n' {
			fmt.Fprintln(app.IO.Out)
		}
		return nil
	}, func(err error) error {
		nerr++
		var se *batch.Error
		if opts.JSON && errors.As(err, &se) {
			return enc.Encode(map[string]any{"error": err.Error(), "file": se.File, "line": se.Line})
		}
		fmt.Fprintf(app.IO.ErrOut, "xdm: %v\n", err)
		return nil
	})
	if err != nil {
		return err
	}
	if nerr > 0 {
		return exitWith(ExitInvalid, nil)
	}
	return nil
}
