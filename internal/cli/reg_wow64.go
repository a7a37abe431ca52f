package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/registry"
)

type regWow64Options struct {
	App     *App
	File    string
	Output  string
	Vendors []string
	Force   bool
	DryRun  bool
	Check   bool
	JSON    bool
}

func newCmdRegWow64(app *App, runF func(context.Context, *regWow64Options) error) *cobra.Command {
	opts := &regWow64Options{App: app}
	cmd := &cobra.Command{
		Use:   "wow64 FILE",
		Short: `Move HKLM\SOFTWARE\PP-COM keys to HKLM\SOFTWARE\Wow6432Node\PP-COM`,
		Long: `The XPR V7 upgrade manual, for satellites: "Extract the <hostname>.reg from the
backup file. Replace all registry paths named HKLM\Software\PP-COM with
HKLM\Software\Wow6432Node\PP-COM. Execute the REG file on each satellite
computer." xdm reg wow64 does the replacement: every key line (and key
deletion [-KEY]) below HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM, however its case,
gets "Wow6432Node\" inserted before PP-COM. Keys below Wow6432Node already,
values and every other byte stay as they are; the encoding (UTF-16LE or ANSI),
its byte-order mark and the line ends are kept, so regedit imports the result
as it would have imported the original.

--vendor moves another key of HKEY_LOCAL_MACHINE\SOFTWARE instead of PP-COM
(repeatable, e.g. --vendor PP-COM --vendor SIEMENS).

Without -o the file is rewritten in place and the original kept as FILE.orig;
with -o the result goes to OUT. Either way it is written to a temporary file
in the target's folder, synced and renamed into place only when the whole
file was read: after an error or an interrupt the original is untouched.
When no key needs moving nothing is written (not even OUT): import FILE as it
is. The moved keys are listed on stdout (--json: the report and every move).

Exit codes: 0 moved, or nothing to move; 1 with --check when keys need
moving; 2 usage (also an existing OUT or FILE.orig without --force); 3 the
file does not fit the .reg format; 4 other errors; 130 interrupted.`,
		Example: `  # in place, keeping SATELLITE1.reg.orig
  xdm reg wow64 SATELLITE1.reg

  # to another file, then on the satellite (cmd or PowerShell):
  xdm reg wow64 SATELLITE1.reg -o SATELLITE1-wow64.reg
  regedit /s SATELLITE1-wow64.reg

  # in a script: does it still use the 32-bit path? (exit 1 if so)
  xdm reg wow64 --check SATELLITE1.reg`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if opts.Check && opts.DryRun {
				return usageErrorf("--check and --dry-run exclude each other")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRegWow64(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "write the result to `OUT` instead of rewriting FILE in place")
	f.StringArrayVar(&opts.Vendors, "vendor", nil, "move HKLM\\SOFTWARE\\`NAME` (repeatable; default PP-COM)")
	f.BoolVar(&opts.Force, "force", false, "replace an existing OUT; in place, rewrite even when FILE.orig exists (it is kept)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "list what would move, write nothing")
	f.BoolVar(&opts.Check, "check", false, "change nothing; exit 1 when keys need moving, 0 when none do")
	f.BoolVar(&opts.JSON, "json", false, "print the report and the moves as JSON on stdout")
	return cmd
}

// regWow64Result is the JSON report of xdm reg wow64.
type regWow64Result struct {
	Status string `json:"status"` // moved, nothing_to_move, needs_move, would_move
	File   string `json:"file"`
	registry.Written
	Report registry.Wow64Report `json:"report"`
	Moves  []registry.Move      `json:"moves"`
}

func runRegWow64(ctx context.Context, opts *regWow64Options) error {
	app := opts.App
	size, err := regInput(opts.File)
	if err != nil {
		return err
	}
	res := regWow64Result{File: opts.File, Moves: []registry.Move{}}
	bar := app.newByteProgress("moving keys of "+opts.File, size)
	wo := registry.Wow64Options{Vendors: opts.Vendors, Progress: bar.Set,
		OnMove: func(m registry.Move) { res.Moves = append(res.Moves, m) }}
	rep, written, err := registry.Wow64File(ctx, opts.File, wo, registry.FileOptions{
		Output: opts.Output, Force: opts.Force, DryRun: opts.Check || opts.DryRun})
	bar.Done()
	if err != nil {
		return regError(err, true)
	}
	res.Report, res.Written = rep, written
	code := 0
	switch {
	case rep.Moved == 0:
		res.Status = "nothing_to_move"
	case opts.Check:
		res.Status, code = "needs_move", ExitDifferent
	case opts.DryRun:
		res.Status = "would_move"
	default:
		res.Status = "moved"
	}
	if opts.JSON {
		if err := writeJSON(app.IO.Out, res); err != nil {
			return err
		}
	} else {
		for _, m := range res.Moves {
			fmt.Fprintf(app.IO.Out, "%s:%d: [%s] -> [%s]\n", opts.File, m.Line, m.From, m.To)
		}
		if !app.Quiet() {
			printRegWow64(app.IO.ErrOut, &res)
		}
	}
	if code != 0 {
		return exitWith(code, nil)
	}
	return nil
}

func printRegWow64(w io.Writer, res *regWow64Result) {
	rep := res.Report
	fmt.Fprintf(w, "%s: %s, %s; %s, %d below Wow6432Node already\n", res.File, rep.Version.Header(), rep.Encoding, count(rep.Keys, "key"), rep.AlreadyMoved)
	switch res.Status {
	case "nothing_to_move":
		fmt.Fprintf(w, "nothing to move: nothing was written; import %s as it is\n", res.File)
	case "needs_move":
		fmt.Fprintf(w, "%s to move to Wow6432Node\n", count(rep.Moved, "key"))
	case "would_move":
		fmt.Fprintf(w, "%s would move to Wow6432Node; dry run: nothing was written\n", count(rep.Moved, "key"))
	default:
		fmt.Fprintf(w, "%s moved to Wow6432Node; %s\n", count(rep.Moved, "key"), wroteLine("rewrote", res.Output, res.Backup))
		fmt.Fprintf(w, "next: on the satellite, regedit /s %s  (or: reg import %s)\n", res.Output, res.Output)
	}
}
