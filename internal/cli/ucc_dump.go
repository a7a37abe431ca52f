package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/pgdump"
)

// runUCCLowercaseDump rewrites a plain pg_dump file. The output goes to a
// temporary file that replaces the target only when the whole dump was read
// and no collision was found; --check and --dry-run write nothing.
func runUCCLowercaseDump(ctx context.Context, opts *uccLowercaseOptions) error {
	defer useCPUs(opts.Workers)()
	app := opts.App
	in, err := os.Open(opts.Dump)
	if err != nil {
		return exitWith(ExitFailure, err)
	}
	defer in.Close()
	var size int64 = -1
	if st, err := in.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}

	var out io.Writer = io.Discard
	var af *atomicfile.File
	if !opts.Check && !opts.DryRun {
		if opts.Output != "" {
			af, err = atomicfile.Create(opts.Output, opts.Force)
		} else {
			af, err = atomicfile.CreateInPlace(opts.Dump, opts.Force)
		}
		if err != nil {
			return exitWith(ExitFailure, err)
		}
		defer af.Abort()
		out = af
	}

	bar := app.newByteProgress("lowercasing "+opts.Dump, size)
	rep, err := pgdump.Rewrite(ctx, in, out, pgdump.Options{
		Name:     opts.Dump,
		ASCII:    opts.ASCII,
		Workers:  opts.Workers,
		Progress: bar.Set,
	})
	bar.Done()
	if rep != nil && (err == nil || errors.Is(err, pgdump.ErrCollisions)) {
		if perr := printDumpReport(app, opts, rep); perr != nil {
			return perr
		}
	}
	switch {
	case errors.Is(err, pgdump.ErrCollisions):
		return exitWith(ExitInvalid, fmt.Errorf("%s: %d collision(s): %w; nothing was written", opts.Dump, len(rep.Collisions), err))
	case err != nil && ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		var pe *position.Error
		if errors.As(err, &pe) {
			return exitWith(ExitInvalid, dumpInputError(err))
		}
		return exitWith(ExitFailure, fmt.Errorf("%s: %w", opts.Dump, err))
	}
	if opts.RequireAll && len(rep.Missing) > 0 {
		return exitWith(ExitInvalid, fmt.Errorf("%s: no COPY data for %s; nothing was written", opts.Dump, missingList(rep.Missing)))
	}
	switch {
	case opts.Check && rep.Changed > 0:
		return exitWith(ExitDifferent, nil)
	case af == nil:
		return nil
	}
	if err := af.Commit(); err != nil {
		return exitWith(ExitFailure, err)
	}
	if !app.Quiet() && !opts.JSON {
		if opts.Output == "" {
			fmt.Fprintf(app.IO.ErrOut, "xdm: rewrote %s in place; the original is %s%s\n", opts.Dump, opts.Dump, atomicfile.BackupSuffix)
		} else {
			fmt.Fprintf(app.IO.ErrOut, "xdm: wrote %s\n", opts.Output)
		}
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

func missingList(ts []pgdump.Target) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return strings.Join(s, ", ")
}

func printDumpReport(app *App, opts *uccLowercaseOptions, rep *pgdump.Report) error {
	if opts.JSON {
		return uccJSON(app.IO.Out, map[string]any{"mode": "dump", "file": opts.Dump, "report": rep})
	}
	if note := localeNote(rep, opts.ASCII); note != "" && !app.Quiet() {
		fmt.Fprintf(app.IO.ErrOut, "xdm: note: %s\n", note)
	}
	w := app.IO.Out
	for _, t := range rep.Tables {
		fmt.Fprintf(w, "found %s.%s column %s at %s:%d (for %s): %d row(s), %d to lowercase\n",
			t.Schema, t.Table, t.Column, opts.Dump, t.Line, t.Target, t.Rows, t.Changed)
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
