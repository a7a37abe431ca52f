package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/mssql"
)

type sqlRunOptions struct {
	Conn           mssql.ConnOptions
	Inputs         []string // -i
	Query          string   // -Q
	InitialQuery   string   // -q: refused, there is no interactive mode
	Vars           []string // -v NAME=value
	ExitOnError    bool     // -b
	NoSubstitution bool     // -x
	NoEnv          string   // -X [1]
	QuotedIdent    bool     // -I
	CodePage       string   // -f
	QueryTimeout   int      // -t seconds
	Headers        int      // -h
	ColSep         string   // -s
	ScreenWidth    int      // -w
	TrimSpaces     bool     // -W
	VarWidth       int      // -y
	FixedWidth     int      // -Y
	ControlChars   string   // -k
	Echo           bool     // -e
	Unicode        bool     // -u
	ErrorsToStderr string   // -r
	ErrorLevel     int      // -m
	Severity       int      // -V
	Output         string   // -o
	NoResults      bool
	Checkpoint     string
	CheckpointWait time.Duration
	Resume         bool
	DryRun         bool
	JSON           bool

	// set records which flags were given (sqlcmd checks some only then).
	set func(name string) bool
	// redact takes the command's passwords out of a message (redactError);
	// failure words a failed run's JSON (newJSONFailure).
	redact  func(msg string) string
	failure func(err error) jsonFailure
}

// unsupportedFlags are sqlcmd's flags that xdm sql run does not carry out:
// giving one is an error that says so, never a silent difference.
var unsupportedFlags = []struct {
	short, long, why string
	takesValue       bool
}{
	{"c", "batch-terminator", "GO is the only batch terminator", true},
	{"L", "list-servers", "xdm does not list servers", true},
	{"p", "print-statistics", "performance statistics are not printed", true},
	{"R", "client-regional-settings", "values are shown in sqlcmd's default (non-regional) form", false},
	{"G", "use-aad", "Microsoft Entra ID authentication is not supported: use -U/-P or -E", false},
	{"g", "enable-column-encryption", "Always Encrypted is not supported", false},
	{"j", "raw-errors", "error messages are shown in sqlcmd's usual form", false},
	{"z", "change-password", "passwords are not changed by xdm", true},
	{"Z", "change-password-exit", "passwords are not changed by xdm", true},
	{"D", "odbc-dsn", "-S names a server, not an ODBC data source", false},
}

func newCmdSQLRun(app *App, runF func(*sqlRunOptions) error) *cobra.Command {
	opts := &sqlRunOptions{}
	cmd := &cobra.Command{
		Use:   "run -S server (-i FILE[,FILE...] | -Q query) [flags]",
		Short: "Run sqlcmd scripts on SQL Server, resumable after a failure",
		Long: `Run SQL scripts the way sqlcmd runs them: the flags mean what they mean in
sqlcmd, so "sqlcmd -S SQLSERVER\SQL2016 -i xpdata.sql" becomes
"xdm sql run -S SQLSERVER\SQL2016 -i xpdata.sql". -h N is sqlcmd's header
count (-h alone is an error); help is --help or -?.

The script is split into batches at lines holding only GO [count]; GO inside
strings, quoted identifiers and comments does not count. Scripting variables
($(NAME)) come from :setvar, -v and the environment (not with -X); -x turns
substitution off. Supported commands: :setvar, :r, :on error exit|ignore,
:exit, :exit(), :exit(query), :quit, :reset, :listvar, :out, :error. A script
with an unsupported command (:connect, :ed, !!, :serverlist, :xml, :list), a
malformed GO or $( ), or an undefined variable is refused with FILE:LINE
before anything is sent: xdm reads the whole script once before it connects.

A message of severity 11 or more (-V) fails its batch. With -b or ":on error
exit" the run stops there and xdm exits with 1; a RAISERROR with state 127
always stops. Without them the run goes on, as in sqlcmd. Results, messages
and errors go to stdout as in sqlcmd (-r 0: errors to stderr, -r 1: errors
and PRINT output to stderr; -o FILE: all to FILE, replaced on every run).

Input files without a byte order mark are read in code page 1252 (the
Windows ANSI code page; -f changes it, -f 65001 is UTF-8), as sqlcmd reads
them; a file that is not valid there but valid UTF-8 is read as UTF-8 and
xdm says so. Bytes that are valid in neither stop the run before anything
is sent, with FILE:LINE.

xdm streams: memory follows the largest batch, not the file. On a terminal
a progress bar shows the bytes checked, then the batches run. After each
completed batch (at most once per --checkpoint-interval, and when the run
stops) it records the batch number and a SHA-256 of the script up to it in
the checkpoint file (default FILE.xdm-checkpoint next to the first script).
After a failure, fix the cause and run the same command with --resume: xdm
checks that the script up to the checkpoint is unchanged and goes on with the
next batch. A successful run deletes the checkpoint.

--dry-run does not connect: it prints each batch that would be sent; with
--json one JSON object per line: {"type":"batch","file","line","batch",
"repeat","sql"}, {"type":"error","error","file","line"} for each script
error (exit code 3) and {"type":"summary",...} at the end. In a real run
--json prints the summary as JSON on stdout and the server's output on
stderr (or -o FILE).

Exit codes: 0 done (errors ignored without -b, as sqlcmd), 1 stopped at a
failed batch (-b, :on error exit, state 127) or :exit(query) returned a
non-zero value, 2 bad command line (no server, unknown flag), 3 script error,
4 connection or other failure (output that cannot be written included),
130 interrupted (resume with --resume).`,
		Example: `  # the migration guide's command, with xdm
  xdm sql run -S "SQLSERVER\SQL2016" -i "C:\XPDATA-Export\xpdata.sql"

  # SQL login, stop at the first error, two variables, a log replaced every night
  XDM_MSSQL_PASSWORD=... xdm sql run -S db01,1433 -U sa -d XPDATA -b -v Target=XPDATA Mode=full -i import.sql -o import.log
  # the same, Windows cmd:
  set "XDM_MSSQL_PASSWORD=..."
  xdm sql run -S db01,1433 -U sa -d XPDATA -b -v Target=XPDATA Mode=full -i import.sql -o import.log
  # Windows PowerShell:
  $env:XDM_MSSQL_PASSWORD = '...'
  xdm sql run -S db01,1433 -U sa -d XPDATA -b -v Target=XPDATA Mode=full -i import.sql -o import.log

  # after it stopped at a failed batch: fix the cause, then
  xdm sql run -S db01,1433 -U sa -d XPDATA -b -v Target=XPDATA Mode=full -i import.sql -o import.log --resume

  # a query as CSV: no headers, no padding, comma-separated
  xdm sql run -S ".\SQLEXPRESS" -E -Q "SELECT name, state_desc FROM sys.databases" -h -1 -W -s ","

  # what would be sent, as JSON lines, without connecting
  xdm sql run --dry-run --json -i import.sql -v Target=XPDATA`,
		Annotations: map[string]string{sqlcmdArgsAnnotation: "true", jsonLinesAnnotation: "true"},
		Args:        exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.set = func(name string) bool { return cmd.Flags().Changed(name) }
			opts.redact = func(msg string) string { return redactError(cmd, msg) }
			opts.failure = func(err error) jsonFailure { return newJSONFailure(cmd, err) }
			for _, u := range unsupportedFlags {
				if cmd.Flags().Changed(u.long) {
					return usageErrorf("-%s (--%s) is not supported by xdm sql run: %s", u.short, u.long, u.why)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return runSQLRun(cmd.Context(), app, opts)
		},
	}
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return headersFlagError(err) })
	addConnFlags(cmd, &opts.Conn)
	f := cmd.Flags()
	f.BoolP("help", "?", false, "help for run")
	// xdm's global -q/--quiet: here -q is sqlcmd's, --quiet stays xdm's.
	f.BoolVar(&app.quiet, "quiet", false, "no progress bar and no status messages on stderr")
	setConfigKey(cmd, "quiet", "quiet")
	f.StringSliceVarP(&opts.Inputs, "input", "i", nil, "scripts to run, in order: -i a.sql,b.sql or -i a.sql b.sql (repeatable)")
	f.StringVarP(&opts.Query, "query", "Q", "", `run this query and exit (instead of -i); "GO" lines split it as in a script`)
	f.StringVarP(&opts.InitialQuery, "initial-query", "q", "", "sqlcmd's query-then-interactive mode: not supported (use -Q)")
	f.StringArrayVarP(&opts.Vars, "var", "v", nil, `scripting variables: -v A=1 B="x y" (repeatable)`)
	f.BoolVarP(&opts.ExitOnError, "exit-on-error", "b", false, "stop at the first batch with an error and exit with 1 (as :on error exit)")
	f.BoolVarP(&opts.NoSubstitution, "no-substitution", "x", false, "leave $(NAME) as written")
	f.StringVarP(&opts.NoEnv, "no-env-vars", "X", "", "no scripting variables (nor SQLCMDPASSWORD, ...) from the environment; -X 1 as well")
	f.BoolVarP(&opts.Conn.QuotedIdentifier, "quoted-identifier", "I", false, "SET QUOTED_IDENTIFIER ON (sqlcmd's default is OFF)")
	f.StringVarP(&opts.CodePage, "codepage", "f", "", "code page of input files without byte order mark: 1252 (the default), 1250, 1251, 850, 437, 932, 936, 949, 950, 65001 (UTF-8); i:1252 and i:1252,o:65001 work too")
	f.IntVarP(&opts.QueryTimeout, "query-timeout", "t", 0, "seconds a batch may run, 1 to 65534 (0: no limit); a timeout fails the batch")
	f.IntVarP(&opts.Headers, "headers", "h", 0, "rows between column headings; -1 prints none (0: once per result set)")
	f.StringVarP(&opts.ColSep, "column-separator", "s", "", "character between columns (default: a space)")
	f.IntVarP(&opts.ScreenWidth, "screen-width", "w", 0, "wrap output lines at this width, 9 to 65535")
	f.BoolVarP(&opts.TrimSpaces, "trim-spaces", "W", false, "no padding after column values (with -s for data to export)")
	f.IntVarP(&opts.VarWidth, "variable-type-width", "y", 256, "display width of (max) types, xml, text, ntext and image, 0 to 8000 (0: unlimited)")
	f.IntVarP(&opts.FixedWidth, "fixed-type-width", "Y", 0, "display width of char(n), nchar(n), varchar(n), nvarchar(n), varbinary(n), 0 to 8000 (0: unlimited)")
	f.StringVarP(&opts.ControlChars, "remove-control-characters", "k", "", "replace control characters in results: -k or -k 1 each by a space, -k 2 each run by one space")
	f.BoolVarP(&opts.Echo, "echo-input", "e", false, "print each batch before it runs")
	f.BoolVarP(&opts.Unicode, "unicode-output", "u", false, "write -o and :out files in Unicode (UTF-16LE with byte order mark)")
	f.StringVarP(&opts.ErrorsToStderr, "errors-to-stderr", "r", "", "-r or -r 0: error messages (severity 11 or more) to stderr; -r 1: all messages, PRINT included")
	f.IntVarP(&opts.ErrorLevel, "error-level", "m", 0, "print error messages of this severity or more only; -1 also prints the Msg line of informational messages")
	f.IntVarP(&opts.Severity, "error-severity-level", "V", 0, "messages of this severity or more fail their batch (default 11)")
	for _, u := range unsupportedFlags {
		if u.takesValue {
			f.StringP(u.long, u.short, "", "not supported: "+u.why)
		} else {
			f.BoolP(u.long, u.short, false, "not supported: "+u.why)
		}
		f.Lookup(u.long).Hidden = true
	}
	f.BoolVar(&opts.NoResults, "no-results", false, "do not print result sets")
	f.StringVarP(&opts.Output, "output", "o", "", "write results and messages (errors too) to FILE, replacing it as sqlcmd does; it takes its name when the run ends")
	markOutputDash(cmd, dashHandled) // a file, as sqlcmd's -o
	f.StringVar(&opts.Checkpoint, "checkpoint", "", "checkpoint file (default: FIRST-SCRIPT.xdm-checkpoint)")
	f.DurationVar(&opts.CheckpointWait, "checkpoint-interval", time.Second, "write the checkpoint at most this often (0: after every batch)")
	f.BoolVar(&opts.Resume, "resume", false, "continue after the batch the checkpoint names")
	f.BoolVar(&opts.DryRun, "dry-run", false, "do not connect; print the batches that would be sent")
	f.BoolVar(&opts.JSON, "json", false, "JSON lines on stdout: with --dry-run the batches, else the summary")
	return cmd
}

// checkpointSuffix names the default checkpoint file next to the first script.
const checkpointSuffix = ".xdm-checkpoint"

// headersFlagError words the error of a flag cobra could not take. -h
// without a number reaches the flag as an empty value (sqlcmdArgs): sqlcmd
// users may expect -h to ask for help, as it does in many tools, so the
// error names the flag and where help is.
func headersFlagError(err error) error {
	var ive *pflag.InvalidValueError
	if errors.As(err, &ive) && ive.GetFlag() != nil && ive.GetFlag().Name == "headers" && ive.GetValue() == "" {
		err = errors.New("-h needs a number: it is sqlcmd's header count (-h -1: no headings, -h N: headings every N rows); for help use --help or -?")
	}
	return commandLineError{usageError{err}}
}

// checkFlags refuses what sqlcmd refuses, with the flag's name.
func (o *sqlRunOptions) checkFlags() error {
	switch {
	case o.InitialQuery != "":
		return usageErrorf("-q runs a query and then waits for more input (sqlcmd's interactive mode), which xdm does not have: use -Q to run the query and exit")
	case len(o.Inputs) > 0 && o.Query != "":
		return usageErrorf("-i and -Q cannot be used together")
	case len(o.Inputs) == 0 && o.Query == "":
		return usageErrorf("no script: give -i FILE or -Q query (xdm has no interactive mode)")
	case o.Headers < -1:
		return usageErrorf("-h %d: the header count must be -1 or from 1 to 2147483647", o.Headers)
	case o.set("screen-width") && (o.ScreenWidth < 9 || o.ScreenWidth > 65535):
		return usageErrorf("-w %d: the screen width must be from 9 to 65535", o.ScreenWidth)
	case o.VarWidth < 0 || o.VarWidth > 8000:
		return usageErrorf("-y %d: the width must be from 0 to 8000", o.VarWidth)
	case o.FixedWidth < 0 || o.FixedWidth > 8000:
		return usageErrorf("-Y %d: the width must be from 0 to 8000", o.FixedWidth)
	case o.TrimSpaces && (o.set("variable-type-width") || o.set("fixed-type-width")):
		return usageErrorf("-W cannot be used with -y or -Y")
	case o.QueryTimeout < 0 || o.QueryTimeout > 65534:
		return usageErrorf("-t %d: the query timeout must be from 0 to 65534 seconds", o.QueryTimeout)
	case o.Severity < 0 || o.Severity > 255:
		return usageErrorf("-V %d: the severity level must be from 0 to 255", o.Severity)
	case o.ErrorLevel < -1:
		return usageErrorf("-m %d: the error level must be -1 or more", o.ErrorLevel)
	case utf8Len(o.ColSep) > 1:
		return usageErrorf("-s %q: the column separator is one character", o.ColSep)
	}
	if err := oneOf("-r", o.ErrorsToStderr, "", "0", "1"); err != nil {
		return err
	}
	if err := oneOf("-k", o.ControlChars, "", "1", "2"); err != nil {
		return err
	}
	return oneOf("-X", o.NoEnv, "", "0", "1")
}

func utf8Len(s string) int { return len([]rune(s)) }

func oneOf(flag, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return usageErrorf("%s %s: expected %s", flag, v, strings.Join(allowed[1:], " or "))
}

func runSQLRun(ctx context.Context, app *App, opts *sqlRunOptions) error {
	if err := opts.checkFlags(); err != nil {
		return err
	}
	codePage, note, err := parseCodePage(opts.CodePage)
	if err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintf(app.IO.ErrOut, "xdm: note: %s\n", note)
	}
	useEnv := opts.NoEnv == ""
	if err := sqlcmdConn(&opts.Conn, useEnv); err != nil {
		return err
	}
	vars, err := sqlcmdVars(opts, useEnv)
	if err != nil {
		return err
	}
	errOut := app.tidy(app.IO.ErrOut)
	told := map[string]bool{} // a run reads its files twice: tell once
	sopt := batch.ScriptOptions{CodePage: codePage, Guess: opts.CodePage == "", Chosen: func(r batch.Reading) {
		if !told[r.File] {
			told[r.File] = true
			reportReading(errOut, r)
		}
	}}
	open := func(name string) (io.ReadCloser, error) { return batch.OpenScript(name, sopt) }
	ropt := mssql.RunOptions{Files: opts.Inputs, Query: opts.Query, Open: open, Vars: vars, Defaults: sqlcmdDefaults,
		NoSubstitution: opts.NoSubstitution, Format: opts.format()}
	if opts.DryRun {
		return dryRun(ctx, app, opts, ropt)
	}
	if _, err := opts.Conn.Address(); err != nil {
		return connectExit(err)
	}
	if err := askPassword(app, &opts.Conn); err != nil {
		return err
	}
	return run(ctx, app, opts, ropt)
}

// reportReading tells how a file without byte order mark was read, when it
// could have been read another way.
func reportReading(w io.Writer, r batch.Reading) {
	if r.Invalid != "" {
		fmt.Fprintf(w, "xdm: %s: read as %s: it has no byte order mark and is not valid in %s (%s), but it is valid %s\n",
			r.File, r.Encoding.Name, r.Other.Name, r.Invalid, r.Encoding.Name)
		return
	}
	fmt.Fprintf(w, "xdm: %s: read in %s as sqlcmd reads a file without byte order mark; it is also valid UTF-8, which reads differently from line %d on: give -f 65001 if it is UTF-8\n",
		r.File, r.Encoding.Name, r.Line)
}

// format is the output format the flags ask for.
func (o *sqlRunOptions) format() mssql.Format {
	f := mssql.Format{Headers: o.Headers, Separator: o.ColSep, Width: o.ScreenWidth, TrimSpaces: o.TrimSpaces,
		MaxVarWidth: o.VarWidth, MaxFixedWidth: o.FixedWidth, ErrorLevel: o.ErrorLevel}
	switch o.ControlChars {
	case "1":
		f.ControlChars = 1
	case "2":
		f.ControlChars = 2
	}
	return f
}

func run(ctx context.Context, app *App, opts *sqlRunOptions, ropt mssql.RunOptions) error {
	cpPath := opts.Checkpoint
	if cpPath == "" {
		cpPath = mssql.QueryName + checkpointSuffix
		if len(opts.Inputs) > 0 {
			cpPath = opts.Inputs[0] + checkpointSuffix
		}
	}
	useCheckpoint := len(opts.Inputs) > 0
	if useCheckpoint {
		if err := loadCheckpoint(cpPath, opts.Resume, &ropt); err != nil {
			return err
		}
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
	ropt.ErrorSeverity = opts.Severity
	ropt.QueryTimeout = time.Duration(opts.QueryTimeout) * time.Second
	ropt.NoResults, ropt.Echo = opts.NoResults, opts.Echo
	out, commitOut, err := runOutputs(app, opts, &ropt)
	if err != nil {
		return err
	}
	ropt.OpenOutput = func(name string) (io.WriteCloser, error) { return openOutputFile(name, opts.Unicode) }
	if useCheckpoint {
		ropt.CheckpointEvery = opts.CheckpointWait
		ropt.Checkpoint = func(c mssql.Checkpoint) error { return saveCheckpoint(cpPath, c) }
	}
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
	// -o is the run's log: it takes its name also after a failure.
	if cerr := commitOut(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil && useCheckpoint {
		if rerr := os.Remove(cpPath); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = fmt.Errorf("removing the checkpoint of the completed run: %w", rerr)
		}
	}
	return reportRun(app, opts, out, cpPath, sum, err)
}

// runOutputs sets where a run's output goes, as sqlcmd sends it: all to
// stdout, errors (-r 0) or errors and messages (-r 1) to stderr, or all to
// the -o file, which is replaced. With --json stdout carries JSON only:
// the server's output goes to stderr. It returns where the output went, for
// messages, and the function that puts the -o file in place.
func runOutputs(app *App, opts *sqlRunOptions, ropt *mssql.RunOptions) (string, func() error, error) {
	stdout, stderr := app.tidy(app.IO.Out), app.tidy(app.IO.ErrOut)
	if opts.Output != "" {
		w, err := openOutputFile(opts.Output, opts.Unicode)
		if err != nil {
			return "", nil, exitWith(ExitFailure, fmt.Errorf("-o %s: %w", opts.Output, err))
		}
		ropt.Out = w
		return opts.Output, w.Close, nil
	}
	ropt.Out = stdout
	if opts.JSON {
		ropt.Out = stderr
	}
	switch opts.ErrorsToStderr {
	case "0":
		ropt.ErrOut = stderr
	case "1":
		ropt.ErrOut, ropt.Messages = stderr, stderr
	}
	return "", func() error { return nil }, nil
}

// reportRun prints the outcome once and maps it to an exit code. out names
// the -o file, if the server's messages went there.
func reportRun(app *App, opts *sqlRunOptions, out, cpPath string, sum mssql.Summary, err error) error {
	ferr := reportRunOutcome(app, opts, out, cpPath, sum, err)
	if !opts.JSON {
		return ferr
	}
	js := newJSONLineWriter(app.IO.Out)
	js.write(withFailure(runSummaryJSON(sum, err, opts.redact), opts, ferr))
	if js.err != nil && exitCode(ferr) <= ExitDifferent {
		return exitWith(ExitFailure, js.err)
	}
	return ferr
}

// withFailure adds the members of a failed run's JSON (jsonFailure) to
// the summary line, the last one: with --json a script reads the outcome
// of sql run where it reads every command's.
func withFailure(summary map[string]any, opts *sqlRunOptions, err error) map[string]any {
	if exitCode(err) <= ExitDifferent {
		return summary
	}
	f := newJSONFailure(nil, err)
	if opts.failure != nil {
		f = opts.failure(err)
	}
	summary["status"], summary["error"], summary["exit_code"] = f.Status, f.Error, f.ExitCode
	if f.File != "" {
		summary["file"], summary["line"], summary["column"] = f.File, f.Line, f.Column
	}
	if f.Offset != nil {
		summary["offset"] = *f.Offset
	}
	return summary
}

// reportRunOutcome prints the outcome on stderr and maps it to an exit code.
func reportRunOutcome(app *App, opts *sqlRunOptions, out, cpPath string, sum mssql.Summary, err error) error {
	stderr := app.IO.ErrOut
	if !app.Quiet() && (err == nil || sum.Executed > 0) {
		line := fmt.Sprintf("xdm: %d of %s run, %d failed", sum.Executed, plural.Count(sum.Batches, "batch"), sum.Failed)
		if sum.Skipped > 0 {
			line += fmt.Sprintf(", %d skipped (resumed after batch %d)", sum.Skipped, sum.Skipped)
		}
		fmt.Fprintln(stderr, line)
	}
	var be *mssql.BatchError
	var pe *position.Error
	switch {
	case err == nil && sum.ExitValue != nil && *sum.ExitValue != 0:
		return exitWith(ExitDifferent, fmt.Errorf(":exit returned %d", *sum.ExitValue))
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		if sum.Executed > 0 && len(opts.Inputs) > 0 {
			fmt.Fprintf(stderr, "xdm: interrupted; the checkpoint %s names the last completed batch: run the same command with --resume to go on\n", cpPath)
		} else {
			fmt.Fprintln(stderr, "xdm: interrupted")
		}
		return exitWith(ExitInterrupted, nil)
	case errors.As(err, &be) && errors.As(err, &pe):
		where := "its message is above"
		if out != "" {
			where = "its message is in " + out
		}
		next := "fix the cause and run the same command again"
		if _, serr := os.Stat(cpPath); serr == nil {
			next = fmt.Sprintf("fix the cause and run the same command with --resume to go on after the last completed batch (checkpoint %s)", cpPath)
		}
		fmt.Fprintf(stderr, "xdm: stopped at batch %d, which failed at %s with Msg %d, Level %d (%s); %s\n",
			be.Ordinal, pe.Place(), be.Msg.Number, be.Msg.Class, where, next)
		return exitWith(ExitDifferent, nil)
	case errors.As(err, &pe):
		// Script errors, found before anything was sent: each on its line.
		for _, e := range splitErrors(err) {
			fmt.Fprintf(stderr, "xdm: %v%s\n", e, scriptAdvice(e))
		}
		return exitWith(ExitInvalid, nil)
	case errors.Is(err, mssql.ErrNoServer):
		return connectExit(err)
	}
	return exitWith(ExitFailure, err)
}

// scriptAdvice adds what to do about a script error that has a flag for it.
func scriptAdvice(err error) string {
	switch {
	case errors.Is(err, batch.ErrUndefinedVariable):
		return " (a variable is defined with :setvar in the script or with -v NAME=VALUE)"
	case errors.Is(err, mssql.ErrConnectCommand):
		return " (give the server with -S; a script for another server needs its own xdm sql run)"
	}
	if errors.Is(err, batch.ErrBadReference) {
		return " (to send $( as written, e.g. SQL Server Agent tokens such as $(ESCAPE_SQUOTE(JOBID)), give -x)"
	}
	return ""
}

// splitErrors lists the errors joined in err (errors.Join), or err.
func splitErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// runSummaryJSON is the last line of a run's --json output; redact (nil:
// none) takes the passwords out of error messages, as on stderr.
func runSummaryJSON(sum mssql.Summary, err error, redact func(string) string) map[string]any {
	out := map[string]any{"type": "summary", "batches": sum.Batches, "executed": sum.Executed, "skipped": sum.Skipped, "failed": sum.Failed}
	if sum.ExitValue != nil {
		out["exit_value"] = *sum.ExitValue
	}
	var be *mssql.BatchError
	var pe *position.Error
	switch {
	case err == nil:
	case errors.As(err, &be) && errors.As(err, &pe):
		out["stopped_at"] = map[string]any{"batch": be.Ordinal, "file": pe.File, "line": pe.Line,
			"number": be.Msg.Number, "level": be.Msg.Class, "state": be.Msg.State, "message": be.Msg.Text}
	default:
		var errs []string
		for _, e := range splitErrors(err) {
			msg := e.Error()
			if redact != nil {
				msg = redact(msg)
			}
			errs = append(errs, msg)
		}
		out["errors"] = errs
	}
	return out
}

// jsonLines writes one JSON object per line (json.go's rules) and keeps
// the first error: all JSON of sql run goes through it, the summary of a
// real run too, so that stdout is JSON lines only.
type jsonLines struct {
	w   io.Writer
	enc *json.Encoder
	err error
}

func newJSONLineWriter(w io.Writer) *jsonLines {
	return &jsonLines{w: w, enc: newJSONLines(w)}
}

func (j *jsonLines) write(v any) {
	if j.err == nil {
		if err := j.enc.Encode(v); err != nil {
			j.err = fmt.Errorf("writing the output: %w", err)
		}
	}
}

// writeBatch writes {"type":"batch","file","line","batch","repeat","sql"}
// with the SQL escaped straight from the batch's bytes: encoding/json would
// first copy a batch of 30 MB twice (string, then its buffer).
func (j *jsonLines) writeBatch(b mssql.PlannedBatch) {
	if j.err != nil {
		return
	}
	head, err := marshalJSON(struct {
		Type   string `json:"type"`
		File   string `json:"file"`
		Line   int64  `json:"line"`
		Batch  int    `json:"batch"`
		Repeat int    `json:"repeat"`
		Exit   bool   `json:"exit,omitempty"`
	}{"batch", b.File, b.Line, b.Ordinal, b.Repeat, b.Exit}, "", "")
	if err != nil {
		j.err = err
		return
	}
	head[len(head)-1] = ','
	var buf []byte
	buf = append(buf, head...)
	buf = append(buf, `"sql":`...)
	if _, err := j.w.Write(buf); err != nil {
		j.err = fmt.Errorf("writing the output: %w", err)
		return
	}
	if err := writeJSONString(j.w, b.SQL); err != nil {
		j.err = fmt.Errorf("writing the output: %w", err)
		return
	}
	if _, err := io.WriteString(j.w, "}\n"); err != nil {
		j.err = fmt.Errorf("writing the output: %w", err)
	}
}

// writeJSONString writes s as a JSON string, escaped as encoding/json
// escapes it without HTML escaping, in pieces of at most 32 KiB of copied
// bytes: long runs that need no escape are written as they are.
func writeJSONString(w io.Writer, s []byte) error {
	const hexDigits = "0123456789abcdef"
	out := make([]byte, 0, 40<<10)
	var err error
	emit := func(b []byte) {
		if err != nil {
			return
		}
		if len(out)+len(b) > 32<<10 {
			if _, err = w.Write(out); err != nil {
				return
			}
			out = out[:0]
			if len(b) > 32<<10 {
				_, err = w.Write(b)
				return
			}
		}
		out = append(out, b...)
	}
	emit([]byte{'"'})
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc []byte
		n := 1
		switch {
		case c >= utf8.RuneSelf:
			var r rune
			r, n = utf8.DecodeRune(s[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				esc = []byte(`\ufffd`)
			case r == '\u2028' || r == '\u2029':
				esc = []byte{'\\', 'u', '2', '0', '2', hexDigits[r&0xF]}
			}
		case c == '"' || c == '\\':
			esc = []byte{'\\', c}
		case c == '\n':
			esc = []byte(`\n`)
		case c == '\r':
			esc = []byte(`\r`)
		case c == '\t':
			esc = []byte(`\t`)
		case c < 0x20:
			esc = []byte{'\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF]}
		}
		if esc != nil {
			emit(s[start:i])
			emit(esc)
			start = i + n
		}
		i += n
	}
	emit(s[start:])
	emit([]byte{'"'})
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
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

// openOutputFile opens -o, :out or :error FILE: written to a temporary file
// that replaces FILE when it is closed, as sqlcmd replaces the file (a job
// that runs every night writes the same log). With unicode (-u) the text is
// written as UTF-16LE with a byte order mark.
func openOutputFile(name string, unicode bool) (io.WriteCloser, error) {
	f, err := atomicfile.Create(name, true)
	if err != nil {
		return nil, err
	}
	if !unicode {
		return committer{w: f, f: f}, nil
	}
	return committer{w: batch.UTF16LE.NewWriter(f), f: f}, nil
}

// committer writes through w (which may convert the text) to the atomic
// file f, and commits f on Close; a conversion or write error aborts it.
type committer struct {
	w io.Writer
	f *atomicfile.File
}

func (c committer) Write(p []byte) (int, error) { return c.w.Write(p) }

func (c committer) Close() error {
	if wc, ok := c.w.(io.Closer); ok && c.w != io.Writer(c.f) {
		if err := wc.Close(); err != nil {
			c.f.Abort()
			return err
		}
	}
	return c.f.Commit()
}

// ansiCodePage is the code page sqlcmd reads files without byte order mark
// in: the system's ANSI code page acp, or 1252 when xdm cannot decode that
// one (no Windows ANSI page is such today, single- or double-byte, but a
// system may report another), with a note saying so, never silently.
func ansiCodePage(acp int) (cp int, note string) {
	if _, _, err := batch.Decode(strings.NewReader(""), acp); err == nil {
		return acp, ""
	}
	return 1252, fmt.Sprintf("this system's ANSI code page %d (which sqlcmd reads files without byte order mark in) is not supported; such files are read in code page 1252: save the script as UTF-16 or UTF-8 with byte order mark, or give -f", acp)
}

// parseCodePage reads -f: "1252", "i:1252", "i:1252,o:65001" (the output
// code page is ignored: output is UTF-8). No -f is the ANSI code page, with
// a note when that one cannot be read.
func parseCodePage(s string) (cp int, note string, err error) {
	if s == "" {
		cp, note = ansiCodePage(systemCodePage())
		return cp, note, nil
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if strings.HasPrefix(strings.ToLower(part), "o:") {
			continue
		}
		part = strings.TrimPrefix(strings.ToLower(part), "i:")
		n, err := strconv.Atoi(part)
		if err != nil || n <= 0 {
			return 0, "", usageErrorf("-f %s: expected a code page number such as 1252 or 65001", s)
		}
		if _, _, err := batch.Decode(strings.NewReader(""), n); err != nil {
			return 0, "", usageErrorf("-f %s: %v", s, err)
		}
		return n, "", nil
	}
	cp, note = ansiCodePage(systemCodePage())
	return cp, note, nil
}

// sqlcmdDefaults are sqlcmd's own variables that :setvar NAME resets to
// these values, as the sqlcmd documentation lists them.
var sqlcmdDefaults = map[string]string{
	"SQLCMDLOGINTIMEOUT": "8", "SQLCMDSTATTIMEOUT": "0", "SQLCMDHEADERS": "0", "SQLCMDCOLSEP": " ",
	"SQLCMDCOLWIDTH": "0", "SQLCMDERRORLEVEL": "0", "SQLCMDMAXVARTYPEWIDTH": "256",
	"SQLCMDMAXFIXEDTYPEWIDTH": "0", "SQLCMDEDITOR": "edit.com",
}

// sqlcmdVars are the scripting variables before the script: the
// environment (unless -X), sqlcmd's own (SQLCMDSERVER, ...), then -v.
func sqlcmdVars(opts *sqlRunOptions, useEnv bool) (map[string]string, error) {
	vars := map[string]string{}
	if useEnv {
		for _, kv := range os.Environ() {
			if k, v, ok := strings.Cut(kv, "="); ok && batch.ValidName(k) {
				vars[k] = v
			}
		}
	}
	for k, v := range sqlcmdDefaults {
		vars[k] = v
	}
	host, _ := os.Hostname()
	if opts.Conn.Workstation != "" {
		host = opts.Conn.Workstation
	}
	packet := "4096"
	if opts.Conn.PacketSize > 0 {
		packet = strconv.Itoa(opts.Conn.PacketSize)
	}
	login := "8"
	switch {
	case opts.Conn.LoginTimeout < 0:
		login = "0"
	case opts.Conn.LoginTimeout > 0:
		login = strconv.Itoa(int(opts.Conn.LoginTimeout / time.Second))
	}
	for k, v := range map[string]string{
		"SQLCMDSERVER": opts.Conn.Server, "SQLCMDDBNAME": opts.Conn.Database, "SQLCMDUSER": opts.Conn.User,
		"SQLCMDWORKSTATION": host, "SQLCMDPACKETSIZE": packet, "SQLCMDLOGINTIMEOUT": login,
		"SQLCMDSTATTIMEOUT": strconv.Itoa(opts.QueryTimeout), "SQLCMDHEADERS": strconv.Itoa(opts.Headers),
		"SQLCMDCOLWIDTH": strconv.Itoa(opts.ScreenWidth), "SQLCMDERRORLEVEL": strconv.Itoa(opts.ErrorLevel),
		"SQLCMDMAXVARTYPEWIDTH": strconv.Itoa(opts.VarWidth), "SQLCMDMAXFIXEDTYPEWIDTH": strconv.Itoa(opts.FixedWidth),
		"SQLCMDINI": "", "SQLCMDUSEAAD": "",
	} {
		vars[k] = v
	}
	if opts.ColSep != "" {
		vars["SQLCMDCOLSEP"] = opts.ColSep
	}
	for _, kv := range opts.Vars {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !batch.ValidName(k) {
			return nil, usageErrorf("-v %s: expected NAME=value, NAME of letters, digits, '_' and '-' starting with a letter or '_'", kv)
		}
		vars[k] = v
	}
	return vars, nil
}

// dryRun prints the batches that would be sent, without connecting, to
// stdout or the -o file; every write is checked.
func dryRun(ctx context.Context, app *App, opts *sqlRunOptions, ropt mssql.RunOptions) (err error) {
	var w io.Writer = app.IO.Out
	if opts.Output != "" {
		f, ferr := openOutputFile(opts.Output, opts.Unicode)
		if ferr != nil {
			return exitWith(ExitFailure, fmt.Errorf("-o %s: %w", opts.Output, ferr))
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = exitWith(ExitFailure, cerr)
			}
		}()
		w = f
	}
	ew := &errWriter{w: w}
	batches, nerr := 0, 0
	ropt.OpenOutput = func(string) (io.WriteCloser, error) { return nil, errors.New("not in a dry run") }
	bw := bufio.NewWriterSize(ew, 64<<10)
	js := newJSONLineWriter(bw)
	perr := mssql.Plan(ctx, ropt, func(b mssql.PlannedBatch) error {
		batches++
		if opts.JSON {
			js.writeBatch(b)
			return js.err
		}
		exit := ""
		if b.Exit {
			exit = ", then :exit"
		}
		fmt.Fprintf(bw, "-- batch %d, %s:%d, %s%s\n%s", b.Ordinal, b.File, b.Line, plural.Count(b.Repeat, "time"), exit, b.SQL)
		if len(b.SQL) > 0 && b.SQL[len(b.SQL)-1] != '\n' {
			fmt.Fprintln(bw)
		}
		return ew.err
	}, func(err error) error {
		nerr++
		var pe *position.Error
		if opts.JSON && errors.As(err, &pe) {
			js.write(map[string]any{"type": "error", "error": err.Error() + scriptAdvice(err), "file": pe.File, "line": pe.Line})
			return js.err
		}
		fmt.Fprintf(app.IO.ErrOut, "xdm: %v%s\n", err, scriptAdvice(err))
		return nil
	})
	// Bytes not valid in the script's encoding end the plan: a script
	// error like the others, on its JSON line and in the count.
	var pe *position.Error
	encodingErr := errors.As(perr, &pe)
	if encodingErr {
		nerr++
		if opts.JSON {
			js.write(map[string]any{"type": "error", "error": perr.Error(), "file": pe.File, "line": pe.Line})
		}
	}
	if opts.JSON {
		var failed error
		switch {
		case encodingErr:
			failed = exitWith(ExitInvalid, perr)
		case perr != nil:
			failed = exitWith(ExitFailure, perr)
		case nerr > 0:
			failed = exitWith(ExitInvalid, fmt.Errorf("%s in the script, each on its line above", plural.Count(nerr, "error")))
		}
		js.write(withFailure(map[string]any{"type": "summary", "batches": batches, "errors": nerr}, opts, failed))
	}
	if err := bw.Flush(); err != nil && ew.err == nil {
		ew.err = err
	}
	switch {
	case ew.err != nil:
		return exitWith(ExitFailure, fmt.Errorf("writing the output: %w", ew.err))
	case js.err != nil:
		return exitWith(ExitFailure, js.err)
	case encodingErr && opts.JSON:
		return exitWith(ExitInvalid, nil)
	case encodingErr:
		return exitWith(ExitInvalid, perr)
	case perr != nil:
		return exitWith(ExitFailure, perr)
	case nerr > 0:
		return exitWith(ExitInvalid, nil)
	}
	return nil
}

// errWriter keeps the first write error and writes nothing after it.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
