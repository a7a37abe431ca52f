package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/pgdump"
)

// runUCCLowercaseDump rewrites a plain pg_dump file through
// atomicfile.Rewrite: the output replaces the target only when the whole
// dump was read and no collision was found; in place, only when something
// changed. --check and --dry-run write nothing.
func runUCCLowercaseDump(ctx context.Context, opts *uccLowercaseOptions) error {
	defer useCPUs(opts.Workers)()
	app := opts.App
	writes := !opts.Check && !opts.DryRun
	in, rw, err := openDump(ctx, opts, writes)
	if err != nil {
		return err
	}
	defer closeInput(in, rw)
	var size int64 = -1
	if st, err := in.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}

	// In place with a dump.sql.orig and no --force, nothing may be written:
	// read anyway, to say whether anything needed it.
	var out io.Writer = io.Discard
	var refused error
	if rw != nil {
		f, err := rw.Output()
		switch {
		case errors.Is(err, atomicfile.ErrExists):
			refused = err
		case err != nil:
			return err
		default:
			out = f
		}
	}

	bar := app.newByteProgress("lowercasing "+opts.Dump, size)
	rep, err := pgdump.Rewrite(ctx, in, out, pgdump.Options{
		Name:     opts.Dump,
		ASCII:    opts.ASCII,
		Workers:  opts.Workers,
		Progress: bar.Set,
	})
	bar.Done()
	hasReport := rep != nil && (err == nil || errors.Is(err, pgdump.ErrCollisions))
	if hasReport && opts.JSON {
		// The report follows the outcome (after the commit), so that a
		// failure's JSON carries it; Run prints that one.
		ferr := finishDump(ctx, app, opts, rw, rep, refused, err)
		if exitCode(ferr) > ExitDifferent {
			return withJSONReport(ferr, dumpJSON(opts, rep), nil)
		}
		if perr := writeJSON(app.IO.Out, dumpJSON(opts, rep)); perr != nil {
			return perr
		}
		return ferr
	}
	if hasReport {
		if perr := printDumpReport(app, opts, rep); perr != nil {
			return perr
		}
	}
	return finishDump(ctx, app, opts, rw, rep, refused, err)
}

// dumpJSON is the --json report of a dump.
func dumpJSON(opts *uccLowercaseOptions, rep *pgdump.Report) map[string]any {
	return map[string]any{"mode": "dump", "file": opts.Dump, "report": rep}
}

// finishDump maps Rewrite's outcome to the exit code and, when the dump
// may be replaced, commits it.
func finishDump(ctx context.Context, app *App, opts *uccLowercaseOptions, rw *atomicfile.Rewrite, rep *pgdump.Report, refused, err error) error {
	switch {
	case errors.Is(err, pgdump.ErrCollisions):
		return exitWith(ExitInvalid, fmt.Errorf("%s: %s: %w; nothing was written", opts.Dump, plural.Count(len(rep.Collisions), "collision"), err))
	case err != nil && ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		var pe *position.Error
		if errors.As(err, &pe) {
			return exitWith(ExitInvalid, dumpInputError(err))
		}
		return exitWith(ExitFailure, fmt.Errorf("%s: %w", opts.Dump, err))
	case len(rep.Tables) == 0 && !opts.AllowMissing:
		return exitWith(ExitInvalid, fmt.Errorf("%s holds COPY data for neither of the UCC tables (%s); is it the Smart Backup's dump of mrsdb? Nothing was written; --allow-missing accepts a dump without them",
			opts.Dump, missingList(rep.Missing)))
	case opts.RequireAll && len(rep.Missing) > 0:
		return exitWith(ExitInvalid, fmt.Errorf("%s: no COPY data for %s; nothing was written", opts.Dump, missingList(rep.Missing)))
	case opts.Check && rep.Changed > 0:
		return exitWith(ExitDifferent, nil)
	case rw == nil:
		return nil
	case rw.InPlace() && rep.Changed == 0:
		if !app.Quiet() && !opts.JSON {
			fmt.Fprintf(app.IO.ErrOut, "xdm: nothing to lowercase; %s is unchanged\n", opts.Dump)
		}
		return nil
	case refused != nil:
		return refused
	}
	if err := rw.Commit(); err != nil {
		return err
	}
	if !app.Quiet() && !opts.JSON {
		fmt.Fprintln(app.IO.ErrOut, "xdm: "+wroteLine("rewrote", rw.Target(), rw.Backup()))
	}
	return nil
}

// dumpInputError words what the user can do about a dump that does not fit.
func dumpInputError(err error) error {
	switch {
	case errors.Is(err, pgdump.ErrEncoding):
		return fmt.Errorf("%w\nuse --ascii to lowercase A-Z only; nothing was written", err)
	case errors.Is(err, pgdump.ErrTruncated):
		return fmt.Errorf("%w\nthe dump is incomplete: take it again; nothing was written", err)
	}
	return fmt.Errorf("%w\nnothing was written", err)
}

// localeNote words how the database's own lower() would differ, or "".
func localeNote(rep *pgdump.Report, ascii bool) string {
	switch rep.LocaleMismatch(ascii) {
	case pgdump.LocaleICU:
		return "the database uses ICU: its lower() maps a word-final Σ to ς and İ to i̇, where this rewrite writes σ and i"
	case pgdump.LocaleASCIIOnly:
		return "the database's LC_CTYPE is " + rep.CType + ": its lower() changes only A-Z (use --ascii to match)"
	case pgdump.LocaleBeyondASCII:
		return "the database's LC_CTYPE is " + rep.CType + ": its lower() changes more than A-Z (drop --ascii to match)"
	}
	return ""
}

// openDump opens the dump: through a Rewrite when the run writes (which
// refuses an existing -o OUT before anything is read), else for reading.
func openDump(ctx context.Context, opts *uccLowercaseOptions, writes bool) (*os.File, *atomicfile.Rewrite, error) {
	if st, err := os.Stat(opts.Dump); err == nil && st.IsDir() {
		return nil, nil, usageErrorf("%s is a folder; give the dump file", opts.Dump)
	}
	if !writes {
		in, err := atomicfile.Open(ctx, opts.Dump)
		return in, nil, err
	}
	rw, err := atomicfile.BeginContext(ctx, atomicfile.RewriteOptions{Input: opts.Dump, Output: opts.Output, Force: opts.Force})
	if err != nil {
		return nil, nil, err
	}
	if err := rw.Check(); err != nil && !rw.InPlace() {
		rw.Close()
		return nil, nil, err
	}
	return rw.Input(), rw, nil
}

func missingList(ts []pgdump.Target) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return strings.Join(s, ", ")
}

func printDumpReport(app *App, opts *uccLowercaseOptions, rep *pgdump.Report) error {
	if note := localeNote(rep, opts.ASCII); note != "" && !app.Quiet() {
		fmt.Fprintf(app.IO.ErrOut, "xdm: note: %s\n", note)
	}
	if app.Quiet() && len(rep.Collisions) == 0 {
		return nil
	}
	w := app.IO.ErrOut
	for _, t := range rep.Tables {
		fmt.Fprintf(w, "found %s.%s column %s at %s:%d (for %s): %s, %d to lowercase\n",
			t.Schema, t.Table, t.Column, opts.Dump, t.Line, t.Target, plural.Count(t.Rows, "row"), t.Changed)
	}
	for _, t := range rep.Missing {
		fmt.Fprintf(w, "not found: %s (no COPY data in the dump)\n", t)
	}
	for _, c := range rep.Collisions {
		fmt.Fprintf(w, "collision: %s\n", c)
	}
	if opts.DryRun || opts.Check {
		for _, s := range rep.Sample {
			fmt.Fprintf(w, "  %s:%d: %q -> %q\n", opts.Dump, s.Line, s.Old, s.New)
		}
	}
	return nil
}
