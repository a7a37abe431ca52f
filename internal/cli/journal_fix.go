package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/spf13/cobra"
	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/journal"
	"github.com/xdm-migrate/xdm/position"
)

type journalFixOptions struct {
	App *App

	Journal  string
	Output   string
	Force    bool
	Check    bool
	DryRun   bool
	Lenient  bool
	JSON     bool
	Validate bool
	Workers  int
}

func newCmdJournalFix(app *App, runF func(context.Context, *journalFixOptions) error) *cobra.Command {
	opts := &journalFixOptions{App: app}
	cmd := &cobra.Command{
		Use:   "fix JOURNAL",
		Short: "Set the CONTENTTYPE of old voice messages to 1092 (XPR V5 / MRS 8.03 to V7)",
		Long: `After restoring an XPR V5 or MRS 8.03 backup on XPR V7, old voice messages are
not recognised until every JOURNAL record whose CONTENTTYPE is 4352, or from 500
to 599, carries 1092. "xdm journal fix" makes that change in a journal export
and nothing else: spaces and tabs around the number, leading zeros, line
endings (CRLF, LF or mixed), a missing final newline, a final 0x1A byte, the
encoding (single-byte, UTF-8 or UTF-16LE with their byte order mark) and
lines of any length all stay as they are. CONTENTTYPE fields of other record
types, and the text CONTENTTYPE inside other values or comments, are not
touched.

Without -o the journal is fixed in place and the original kept as
JOURNAL.orig; with -o the fixed journal goes to OUT (-o naming the journal
itself, a hard link or a symbolic link to it fixes it in place). Either way the
output is written to a temporary file in the destination folder, synced and
renamed into place only when the whole journal was fixed: after an error or an
interrupt (Ctrl-C, SIGTERM) the original is untouched and no partial file is
left under the final name. When no record needs the fix nothing is written and
no journal import is needed. An existing JOURNAL.orig is the only copy of an
earlier original: it is never replaced, and without --force a run that would
fix the journal again stops. A second xdm on the same file at the same time is
refused. A symbolic link is followed: the file it points to is fixed, the
link stays. JOURNAL may be a pipe (/dev/stdin) with -o.

Every line is checked against the infotool export format; the first line that
does not fit stops the run (exit 3) with file:line:column and what was
expected, before anything is replaced. --lenient passes such lines through
unchanged and lists them instead. --validate also parses every record with the
full infotool grammar.

The report (stderr, or JSON on stdout with --json) gives the records read, the
JOURNAL records, the CONTENTTYPE values changed by old value, the encoding and
line endings, warnings, and the next steps of the upgrade manual.

Exit codes: 0 fixed or nothing to fix; 1 with --check when records need the
fix; 2 usage (also an existing OUT or JOURNAL.orig without --force); 3 the
journal does not fit the format; 4 other errors (I/O, disk full, the journal
cannot be opened, another xdm is writing it); 130 interrupted.`,
		Example: `  # fix in place, keeping journal.txt.orig
  xdm journal fix journal.txt

  # write the fixed journal elsewhere
  xdm journal fix "D:\export\journal.txt" -o "D:\import\journal.txt"

  # in a script: does the journal need the fix? (exit 1 if so)
  xdm journal fix --check journal.txt

  # what would change, as JSON
  xdm journal fix --dry-run --json journal.txt`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Journal = args[0]
			if opts.Check && opts.DryRun {
				return usageErrorf("--check and --dry-run exclude each other")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runJournalFix(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "write the fixed journal to `OUT` instead of fixing in place")
	f.BoolVar(&opts.Force, "force", false, "replace an existing OUT; in place, fix the journal even though JOURNAL.orig exists (it is kept)")
	f.BoolVar(&opts.Check, "check", false, "change nothing; exit 1 when records need the fix, 0 when none do")
	f.BoolVar(&opts.DryRun, "dry-run", false, "report what would change, write nothing")
	f.BoolVar(&opts.Lenient, "lenient", false, "pass lines that do not fit the format through unchanged and report them")
	f.BoolVar(&opts.JSON, "json", false, "print the final report as JSON on stdout")
	f.BoolVar(&opts.Validate, "validate", false, "also parse every record with the full infotool grammar")
	addWorkersFlag(cmd, &opts.Workers, "chunks fixed in parallel")
	return cmd
}

// journalFixResult is the JSON report of xdm journal fix.
type journalFixResult struct {
	Status    string          `json:"status"` // fixed, nothing_to_fix, needs_fix, would_fix; a failure's is "error" (jsonFailure)
	Output    string          `json:"output,omitempty"`
	Backup    string          `json:"backup,omitempty"`
	Report    *journal.Report `json:"report"`
	NextSteps []string        `json:"next_steps,omitempty"`
}

func runJournalFix(ctx context.Context, opts *journalFixOptions) error {
	defer useCPUs(opts.Workers)()
	app := opts.App
	st, err := os.Stat(opts.Journal)
	if err != nil {
		return exitWith(ExitFailure, err)
	}
	if st.IsDir() {
		return usageErrorf("%s is a folder; give the journal export file", opts.Journal)
	}
	bar := app.newByteProgress("fixing "+opts.Journal, st.Size())
	fo := journal.FileOptions{
		Options: journal.Options{
			Lenient:  opts.Lenient,
			Validate: opts.Validate,
			Workers:  opts.Workers,
			Progress: bar.Set,
		},
		Output: opts.Output,
		Force:  opts.Force,
		DryRun: opts.Check || opts.DryRun,
	}
	rep, err := journal.FixFile(ctx, opts.Journal, fo)
	bar.Done()

	res := journalFixResult{Report: &rep}
	dest := opts.Output
	if dest == "" {
		dest = opts.Journal
	}
	var code int
	switch {
	case err != nil:
		// Run prints the failure, with this report, as JSON.
		return withJSONReport(journalFixError(err, opts.Journal), res, nil)
	case rep.Fixes() == 0:
		res.Status = "nothing_to_fix"
	case opts.Check:
		res.Status, code = "needs_fix", ExitDifferent
	case opts.DryRun:
		res.Status = "would_fix"
	default:
		res.Status, res.Output, res.Backup = "fixed", rep.Output, rep.Backup
	}
	if res.Status == "fixed" || res.Status == "would_fix" {
		res.NextSteps = nextSteps(dest)
	}

	if opts.JSON {
		if err := writeJSON(app.IO.Out, res); err != nil {
			return err
		}
	} else if !app.Quiet() {
		printJournalReport(app.IO.ErrOut, opts, &res)
	}
	if code != 0 {
		return exitWith(code, nil)
	}
	return nil
}

// journalFixError maps FixFile's error to an exit code.
func journalFixError(err error, path string) error {
	var pe *position.Error
	switch {
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &pe):
		return exitWith(ExitInvalid, fmt.Errorf("%w\nnothing was written; --lenient passes such lines through unchanged", err))
	case errors.Is(err, fs.ErrExist):
		return exitWith(ExitUsage, err)
	default:
		return exitWith(ExitFailure, fmt.Errorf("%w\n%s is untouched", err, path))
	}
}

// encodingText describes a journal's encoding for the report.
func encodingText(e journal.Encoding) string {
	switch e {
	case journal.UTF8:
		return "UTF-8 (BOM kept)"
	case journal.UTF16LE:
		return "UTF-16LE (BOM kept)"
	default:
		return "single-byte (Windows-1252, no BOM)"
	}
}

// nextSteps are the upgrade manual's steps after a fix.
func nextSteps(file string) []string {
	return []string{
		"stop the XPR server",
		`delete InfoStor\*.idx and InfoStor\journal.dat`,
		"start the XPR server",
		"infotool import rec=JOURNAL file=" + file,
	}
}

func printJournalReport(w io.Writer, opts *journalFixOptions, res *journalFixResult) {
	rep := res.Report
	for _, is := range rep.Issues {
		fmt.Fprintf(w, "%s: skipped: %v\n", is.Place(), is.Err)
	}
	if n := rep.Skipped - int64(len(rep.Issues)); n > 0 {
		fmt.Fprintf(w, "... and %d more skipped %s\n", n, plural.Noun(n, "line"))
	}
	fmt.Fprintf(w, "%s: %s read, %s, %s in them\n",
		rep.Name, plural.Count(rep.Records, "record"), plural.Count(rep.JournalRecords, "JOURNAL record"), plural.Count(rep.ContentTypes, "CONTENTTYPE field"))
	final := "yes"
	if !rep.FinalNewline {
		final = "no"
	}
	fmt.Fprintf(w, "  encoding %s, line endings %s (%d CRLF, %d LF), final newline %s", encodingText(rep.Encoding), rep.LineEndings, rep.CRLFLines, rep.LFLines, final)
	if rep.EOFMark {
		fmt.Fprint(w, ", ends with 0x1A")
	}
	fmt.Fprintln(w)
	if opts.Validate {
		fmt.Fprintf(w, "  %s validated with the infotool grammar\n", plural.Count(rep.Validated, "record"))
	}
	if len(rep.Warnings) > 0 {
		fmt.Fprintln(w, "warnings:")
		for _, s := range rep.Warnings {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	if rep.Fixes() == 0 {
		fmt.Fprintln(w, "nothing to fix: no journal import needed")
		return
	}
	what := map[string]string{
		"fixed":     "CONTENTTYPE values set to 1092",
		"needs_fix": "CONTENTTYPE values that need the fix (to 1092)",
		"would_fix": "CONTENTTYPE values that would be set to 1092",
	}[res.Status]
	fmt.Fprintf(w, "%s, by old value:\n", what)
	for _, v := range rep.OldValues() {
		fmt.Fprintf(w, "  %6d  %d\n", v, rep.Changed[v])
	}
	fmt.Fprintf(w, "   total  %d\n", rep.Fixes())
	switch res.Status {
	case "fixed":
		fmt.Fprintln(w, wroteLine("fixed", res.Output, res.Backup))
	case "would_fix":
		fmt.Fprintln(w, "dry run: nothing was written")
	case "needs_fix":
		return
	}
	fmt.Fprintln(w, "next steps (upgrade manual):")
	for i, s := range res.NextSteps {
		fmt.Fprintf(w, "  %d. %s\n", i+1, s)
	}
}
