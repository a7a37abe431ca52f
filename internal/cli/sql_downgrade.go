package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/downgrade"
	sqlversion "github.com/xdm-migrate/xdm/sql/version"
)

type sqlDowngradeOptions struct {
	App *App

	Input  string
	Output string
	Force  bool
	Strict bool
	JSON   bool
	targetFlags
}

// targetFlags are the version-rule flags shared by sql downgrade and sql check.
type targetFlags struct {
	Target       string
	CollationMap []string
}

func (t *targetFlags) add(cmd *cobra.Command, mapUsage string) {
	cmd.Flags().StringVar(&t.Target, "target", "2014", "oldest SQL Server `VERSION` the script must run on (2008R2, 2012, 2014, 2016, 2017, 2019, 2022, 2025)")
	cmd.Flags().StringArrayVar(&t.CollationMap, "collation-map", nil, mapUsage)
}

func newCmdSQLDowngrade(app *App, runF func(context.Context, *sqlDowngradeOptions) error) *cobra.Command {
	opts := &sqlDowngradeOptions{App: app}
	cmd := &cobra.Command{
		Use:   "downgrade SCRIPT",
		Short: "Rewrite a SQL Server script so that it runs on an older version",
		Long: `Rewrite a T-SQL script (SSMS "Generate Scripts", sqlcmd) written for a newer
SQL Server so that it runs on an older one (--target, default 2014), by the
version rules listed in docs/downgrade-rules.md:

  rewrite  CREATE OR ALTER becomes a stub CREATE (when the object is missing)
           plus ALTER, and the stub raises an error naming the object if the
           ALTER fails; DROP ... IF EXISTS and ALTER TABLE ... DROP ... IF
           EXISTS become IF OBJECT_ID(...) / catalog checks; ALTER ROLE ...
           ADD MEMBER becomes sp_addrolemember (2008); COMPATIBILITY_LEVEL is
           clamped; UTF-8 and other newer collations get the older name
           (--collation-map chooses another).
  omit     options and clauses the target lacks (OPTIMIZE_FOR_SEQUENTIAL_KEY,
           RESUMABLE, XML_COMPRESSION, system versioning, masks, Query Store,
           ALTER DATABASE SCOPED CONFIGURATION, ...) are removed, with a warning
           that names each option and its value.
  warn     kept, but edition-dependent (DATA_COMPRESSION before 2016 SP1), or
           data may change (varchar columns losing their UTF-8 collation).
  refuse   kept and reported with file:line:col, the object and what is lost:
           module bodies using newer functions (STRING_AGG, TRIM, OPENJSON,
           GREATEST, ...) or features without an older equivalent; fix those
           by hand.

Rules match T-SQL tokens only: nothing inside comments or [bracketed] names
is changed, and of strings only the statement that EXEC (N'...') and
sp_executesql run (SSMS's "check for object existence" form), whose rewrite
is written back with its quotes doubled. Everything the rules do not touch, GO lines,
sqlcmd commands, $(variables), line endings and encoding, is copied byte for
byte (a :r line too: the file it names is not rewritten, and the
report says so); removed text keeps its line breaks, so line numbers
stay valid. Data
batches (INSERT ... VALUES) pass through without lexing. The script is
streamed: memory is bounded by its largest batch.

Output: without -o the script goes to stdout and the report to stderr. With
-o OUT it is written to a temporary file next to OUT, synced and renamed into
place when complete; an existing OUT is refused unless --force; -o naming
the input itself (or a link to it) rewrites it in place and keeps the
original as SCRIPT.orig, which is never replaced.
An interrupted run leaves no partial OUT. The report lists every change and
refusal as file:line:col: action: feature (version) in object: message;
--json prints it as JSON (on stdout with -o, else on stderr).

The script is read the way sqlcmd and xdm sql run read it: a malformed GO or
sqlcmd command line, or a string or comment still open at the end, is
invalid input (exit 3, file:line:col, nothing written to OUT).

Exit codes: 0 written, and it runs on the target; 1 written, but the target
will refuse statements (listed; with --strict also when there are warnings);
2 usage (also an existing OUT, or SCRIPT.orig in place, without --force);
3 the script cannot be read as sqlcmd reads it (FILE:LINE:COL); 4 the file
cannot be opened, or other errors (disk full); 130 interrupted.`,
		Example: `  # SSMS script of a SQL Server 2019 database, for a 2014 server
  xdm sql downgrade xpdata.sql --target 2014 -o xpdata-2014.sql

  # exit 1 also for warnings (edition-dependent features, data that changes)
  xdm sql downgrade xpdata.sql --target 2016 --strict -o out.sql

  # UTF-8 collations do not exist before 2019: choose the replacement yourself
  xdm sql downgrade db.sql --collation-map Latin1_General_100_CI_AS_SC_UTF8=Latin1_General_100_CI_AS_SC -o db-2014.sql`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Input = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSQLDowngrade(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "write the script to `OUT` (default stdout)")
	markOutputDash(cmd, dashStdout)
	f.BoolVar(&opts.Force, "force", false, "replace an existing OUT; in place, rewrite the script even though SCRIPT.orig exists (it is kept)")
	f.BoolVar(&opts.Strict, "strict", false, "exit 1 also when there are warnings, not only refusals")
	f.BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	opts.add(cmd, "`FROM=TO` replaces the UTF-8 collation FROM by TO instead of its older name (repeatable; FROM * maps every other UTF-8 collation)")
	return cmd
}

// options turns the flags into library options.
func (t *targetFlags) options(file string) (downgrade.Options, error) {
	v, err := sqlversion.Parse(t.Target)
	if err != nil {
		return downgrade.Options{}, usageErrorf("--target: %v", err)
	}
	o := downgrade.Options{Target: v, File: file}
	for _, m := range t.CollationMap {
		from, to, ok := strings.Cut(m, "=")
		if !ok || strings.TrimSpace(from) == "" || strings.TrimSpace(to) == "" {
			return o, usageErrorf("--collation-map %q: want FROM=TO", m)
		}
		if o.CollationMap == nil {
			o.CollationMap = map[string]string{}
		}
		o.CollationMap[strings.TrimSpace(from)] = strings.TrimSpace(to)
	}
	return o, nil
}

// openScript opens the input script ("-" is stdin) and returns its size
// (-1 when unknown) for the progress bar. A script that cannot be opened is
// an I/O error (exit 4), as an unreadable input is in every command.
func openScript(ctx context.Context, app *App, path string) (io.ReadCloser, int64, error) {
	if path == "-" {
		return io.NopCloser(app.IO.In), -1, nil
	}
	f, err := atomicfile.Open(ctx, path)
	if err != nil {
		return nil, 0, exitWith(ExitFailure, fmt.Errorf("cannot read the script: %w", err))
	}
	size, err := scriptSize(f)
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, size, nil
}

// scriptSize returns the size of an open script (-1 for a pipe); a folder
// is a usage error.
func scriptSize(f *os.File) (int64, error) {
	st, err := f.Stat()
	switch {
	case err != nil:
		return 0, exitWith(ExitFailure, fmt.Errorf("cannot read the script: %w", err))
	case st.IsDir():
		return 0, usageErrorf("%s is a folder; give the script file", f.Name())
	case !st.Mode().IsRegular():
		return -1, nil
	}
	return st.Size(), nil
}

// progressReader reports the bytes read from the file itself, so that the
// bar ends at the file's size whatever its encoding.
type progressReader struct {
	r    io.Reader
	n    int64
	show func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	p.show(p.n)
	return n, err
}

// sqlDowngradeReport is the JSON report of xdm sql downgrade and xdm sql check.
type sqlDowngradeReport struct {
	Status string `json:"status"` // written, runs, blocked, refused; a failure's is "error" (jsonFailure)
	Input  string `json:"input"`
	Output string `json:"output,omitempty"`
	Backup string `json:"backup,omitempty"`
	downgrade.Report
	Rewritten int `json:"rewritten"`
	Omitted   int `json:"omitted"`
	Warnings  int `json:"warnings"`
	Refused   int `json:"refused"`
}

func newSQLDowngradeReport(input string, rep downgrade.Report) *sqlDowngradeReport {
	if rep.Findings == nil {
		rep.Findings = []downgrade.Finding{}
	}
	return &sqlDowngradeReport{Input: input, Report: rep, Rewritten: rep.Count(downgrade.Rewrite),
		Omitted: rep.Count(downgrade.Omit), Warnings: rep.Count(downgrade.Warn), Refused: rep.Count(downgrade.Refuse)}
}

// summary is the report's last line; changed says how batches were changed
// ("changed", or "to change" for a check).
func (r *sqlDowngradeReport) summary(changed string) string {
	return fmt.Sprintf("%s (%d lexed, %d %s) for %s: %d rewritten, %d omitted, %s, %d refused",
		plural.Count(r.Batches, "batch"), r.Lexed, r.Changed, changed, r.Target, r.Rewritten, r.Omitted, plural.Count(r.Warnings, "warning"), r.Refused)
}

// scriptRun is a script opened for the version rules.
type scriptRun struct {
	app  *App
	in   io.ReadCloser
	size int64
	opts downgrade.Options
}

// open checks the flags and opens the script; a Rewrite that already
// opened it (rw, or nil) lends its input.
func (t *targetFlags) open(ctx context.Context, app *App, input string, rw *atomicfile.Rewrite) (*scriptRun, error) {
	o, err := t.options(input)
	if err != nil {
		return nil, err
	}
	if rw != nil && rw.Input() != nil {
		size, err := scriptSize(rw.Input())
		if err != nil {
			return nil, err
		}
		return &scriptRun{app: app, in: io.NopCloser(rw.Input()), size: size, opts: o}, nil
	}
	in, size, err := openScript(ctx, app, input)
	if err != nil {
		return nil, err
	}
	return &scriptRun{app: app, in: in, size: size, opts: o}, nil
}

// run applies the rules, writing the script to w, with a progress bar.
func (s *scriptRun) run(ctx context.Context, w io.Writer, verb string) (downgrade.Report, error) {
	bar := s.app.newByteProgress(verb+" "+filepath.Base(s.opts.File), s.size)
	defer bar.Done()
	return downgrade.Downgrade(ctx, &progressReader{r: s.in, show: bar.Set}, w, s.opts)
}

func runSQLDowngrade(ctx context.Context, opts *sqlDowngradeOptions) error {
	app := opts.App
	// -o OUT goes through atomicfile.Rewrite: an existing OUT is refused
	// before anything is read (exit 2); -o naming the script itself (or a
	// link to it) rewrites it in place, keeping SCRIPT.orig.
	var rw *atomicfile.Rewrite
	if opts.Output != "" {
		input := opts.Input
		if input == "-" {
			input = ""
		}
		var err error
		if rw, err = beginOutput(ctx, input, opts.Output, opts.Force); err != nil {
			return err
		}
		defer rw.Close()
	}
	script, err := opts.open(ctx, app, opts.Input, rw)
	if err != nil {
		return err
	}
	defer script.in.Close()

	var out io.Writer = app.IO.Out
	if rw != nil {
		f, err := rw.Output()
		if err != nil {
			return err
		}
		out = f
	}
	rep, err := script.run(ctx, out, "downgrading")
	if err == nil {
		err = invalidScript(rep)
	}
	if err == nil && rw != nil {
		err = rw.Commit()
	}

	backup := ""
	if rw != nil {
		backup = rw.Backup()
	}
	res := newSQLDowngradeReport(opts.Input, rep)
	report := app.IO.ErrOut
	if opts.Output != "" && opts.JSON {
		report = app.IO.Out
	}
	switch {
	case errors.Is(err, context.Canceled) && opts.JSON:
		return withJSONReport(err, res, report)
	case err != nil && opts.JSON:
		// Run prints the failure, with the findings so far, as JSON.
		return withJSONReport(downgradeError(err, opts.Output != ""), res, report)
	case err == nil:
		res.Status, res.Output, res.Backup = "written", opts.Output, backup
		if res.Refused > 0 {
			res.Status = "refused"
		}
	}
	if opts.JSON {
		if jerr := writeJSON(report, res); jerr != nil {
			return jerr
		}
	} else if !app.Quiet() || res.Refused > 0 {
		for _, f := range rep.Findings {
			if !app.Quiet() || f.Action == downgrade.Refuse {
				fmt.Fprintln(report, f)
			}
		}
		if !app.Quiet() && err == nil {
			fmt.Fprintln(report, "xdm: "+res.summary("changed"))
		}
	}
	if !opts.JSON {
		printProblems(app, rep)
		if !app.Quiet() {
			printIncludes(app, rep, true)
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return err
	case err != nil:
		return downgradeError(err, opts.Output != "")
	case res.Refused > 0:
		return exitWith(ExitDifferent, fmt.Errorf("%s will refuse %s of the script (listed as refuse); fix them by hand", res.Target, plural.Count(res.Refused, "statement")))
	case opts.Strict && res.Warnings > 0:
		return exitWith(ExitDifferent, fmt.Errorf("%s (--strict)", plural.Count(res.Warnings, "warning")))
	}
	return nil
}

// errInvalidScript marks a script that sqlcmd would not read as written.
var errInvalidScript = errors.New("the script cannot be read as sqlcmd reads it")

// invalidScript returns errInvalidScript, with the number of places, when
// the report has problems.
func invalidScript(rep downgrade.Report) error {
	if len(rep.Problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s, listed above", errInvalidScript, plural.Count(len(rep.Problems), "place"))
}

// printProblems lists the places where the script cannot be read, each
// as its *position.Error says it.
func printProblems(app *App, rep downgrade.Report) {
	for _, p := range rep.Problems {
		fmt.Fprintln(app.IO.ErrOut, "xdm: "+p.Error())
	}
}

// printIncludes says which :r files the rules did not read: every one for
// a downgrade, which copies the :r lines and rewrites only the script
// itself; for a check those whose names hold scripting variables.
func printIncludes(app *App, rep downgrade.Report, rewrite bool) {
	for _, in := range rep.Includes {
		at := (&position.Error{File: in.File, Line: int64(in.Line)}).Place()
		switch {
		case rewrite:
			fmt.Fprintf(app.IO.ErrOut, "xdm: %s: :r %s is copied as it is: the file it names is not rewritten; downgrade it on its own (xdm sql check follows :r)\n", at, in.Name)
		case !in.Checked && strings.Contains(in.Name, "$("):
			fmt.Fprintf(app.IO.ErrOut, "xdm: %s: :r %s was not checked: its name holds a scripting variable; check that file on its own\n", at, in.Name)
		}
	}
}

// downgradeError maps a failed run to an exit code: the script could not be
// read (3) or anything else (4).
func downgradeError(err error, toFile bool) error {
	if toFile {
		err = fmt.Errorf("%w; nothing was written", err)
	}
	var be *position.Error
	if errors.As(err, &be) || errors.Is(err, errInvalidScript) {
		return exitWith(ExitInvalid, err)
	}
	return exitWith(ExitFailure, err)
}
