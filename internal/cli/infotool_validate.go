package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/parsers/mask"
	"github.com/xdm-migrate/xdm/position"
)

type infotoolValidateOptions struct {
	App       *App
	Files     []string
	Kind      string
	MaxErrors int
	Workers   int
}

func newCmdInfotoolValidate(app *App, runF func(*infotoolValidateOptions) error) *cobra.Command {
	opts := &infotoolValidateOptions{App: app}
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check full, journal and mask exports against the format",
		Long: `Check that each FILE is a well-formed infotool export. The kind of file is
detected from its content (a mask export starts with MASK; a data export whose
records are all [JOURNAL] is a journal export) or given with --kind. With
--kind journal, records of any other type are errors.

Errors go to stderr as FILE:LINE:COL: what was found, expected what; after
--max-errors errors in one file the check of that file stops. Each file's
verdict goes to stdout.

Exit status: 0 when every file is valid, 3 when one is not, 4 when a file
cannot be read.`,
		Example: `  xdm infotool validate journal.txt
  xdm infotool validate --kind journal journal.txt
  xdm infotool validate fullexport.txt maskexport.mdl`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if err := checkKind(opts.Kind); err != nil {
				return err
			}
			if opts.MaxErrors < 1 {
				return usageErrorf("--max-errors must be at least 1")
			}
			if runF != nil {
				return runF(opts)
			}
			return runInfotoolValidate(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Kind, "kind", "", "file kind: full, journal or mask (default: detected)")
	cmd.Flags().IntVar(&opts.MaxErrors, "max-errors", 10, "errors reported per file before its check stops")
	addWorkersFlag(cmd, &opts.Workers, "records parsed in parallel")
	return cmd
}

var errTooManyErrors = errors.New("too many errors")

func runInfotoolValidate(ctx context.Context, opts *infotoolValidateOptions) error {
	defer useCPUs(opts.Workers)()
	defer collectLess()()
	invalid, unread := 0, 0
	for _, path := range opts.Files {
		ok, err := validateFile(ctx, opts, path)
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			// A file that cannot be read does not keep the others from
			// being checked; the run still fails.
			fmt.Fprintf(opts.App.IO.ErrOut, "xdm: %v\n", err)
			fmt.Fprintf(opts.App.IO.Out, "%s: not checked, it cannot be read\n", path)
			unread++
			continue
		}
		if err != nil {
			return err
		}
		if !ok {
			invalid++
		}
	}
	switch {
	case unread > 0:
		return exitWith(ExitFailure, nil)
	case invalid > 0:
		return exitWith(ExitInvalid, nil)
	}
	return nil
}

// validateFile checks one file and prints its errors and verdict.
func validateFile(ctx context.Context, opts *infotoolValidateOptions, path string) (bool, error) {
	app := opts.App
	f, err := openInfotoolFile(ctx, path, opts.Kind)
	if err != nil {
		return false, err
	}
	defer f.Close()

	if f.kind == infotool.KindMask {
		mf, err := mask.Parse(f.r, path)
		var pe *position.Error
		if errors.As(err, &pe) {
			fmt.Fprintln(app.IO.ErrOut, pe)
			fmt.Fprintf(app.IO.Out, "%s: invalid mask export\n", path)
			return false, nil
		}
		if err != nil {
			return false, err
		}
		fields := 0
		for _, m := range mf.Masks {
			fields += len(m.Fields)
		}
		fmt.Fprintf(app.IO.Out, "%s: valid mask export, %s, %s\n", path, plural.Count(len(mf.Masks), "mask"), plural.Count(fields, "field"))
		return true, nil
	}

	progress := app.newByteProgress("validate "+path, f.size)
	defer progress.Done()
	errs, records, allJournal := 0, 0, true
	report := func(pe *position.Error) error {
		errs++
		fmt.Fprintln(app.IO.ErrOut, pe)
		if errs >= opts.MaxErrors {
			return errTooManyErrors
		}
		return nil
	}
	r := infotool.NewReader(f.r, path)
	// Checking needs no decoded fields: the walk parses as journal fix
	// --validate does, without a parse tree.
	err = r.Walk(ctx, infotool.WalkOptions{Workers: opts.Workers, Progress: progress.Set, OnError: report, SkipFields: true},
		func(rec *infotool.Record) error {
			records++
			if !strings.EqualFold(rec.Type, "JOURNAL") {
				allJournal = false
				if f.kind == infotool.KindJournal {
					return report(notJournalError(path, rec))
				}
			}
			return nil
		})
	progress.Done()
	stopped := errors.Is(err, errTooManyErrors)
	if err != nil && !stopped {
		return false, err
	}
	kind := f.kind
	if opts.Kind == "" && allJournal && records > 0 {
		kind = infotool.KindJournal
	}
	switch {
	case stopped:
		fmt.Fprintf(app.IO.Out, "%s: invalid, stopped after %s\n", path, plural.Count(errs, "error"))
	case errs > 0:
		fmt.Fprintf(app.IO.Out, "%s: invalid, %s\n", path, plural.Count(errs, "error"))
	default:
		fmt.Fprintf(app.IO.Out, "%s: valid %s, %s, %s\n", path, kindName(kind), plural.Count(records, "record"), r.Encoding())
	}
	return errs == 0, nil
}
