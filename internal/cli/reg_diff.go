package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/registry"
)

type regDiffOptions struct {
	App       *App
	Old, New  string
	FoldWow64 bool
	Keys      []string
	JSON      bool
}

func newCmdRegDiff(app *App, runF func(context.Context, *regDiffOptions) error) *cobra.Command {
	opts := &regDiffOptions{App: app}
	cmd := &cobra.Command{
		Use:   "diff OLD.reg NEW.reg",
		Short: "List the keys and values added, removed and changed between two .reg files",
		Long: `Compare two registry files as regedit would import them: keys added and
removed (or deleted [-KEY] in one file and not in the other), values added,
removed and changed, with their data decoded. Key paths and value names are
compared without regard to case, as Windows compares them; data as the
registry would store it, so a REGEDIT4 export compares with a version 5.00
one. Order, comments, blank lines and line breaks do not count.

--fold-wow64 compares HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\X as
HKEY_LOCAL_MACHINE\SOFTWARE\X, so that an export of the 32-bit view (XPR V7
on 64-bit Windows) compares with one of the 64-bit view (an older server).
--key limits the comparison to some keys (see "xdm reg show --help").

Exit codes: 0 the files hold the same keys and values; 1 they differ (like
diff); 2 usage; 3 a file does not fit the .reg format; 4 other errors.`,
		Example: `  # the manual's before/after check of HKLM\Software\Wow6432Node\PP-COM
  xdm reg diff xpr-before.reg xpr-after.reg

  # an export of the old 32-bit server against the new 64-bit one
  xdm reg diff "old\xpr.reg" "new\xpr.reg" --fold-wow64

  # one key only, as JSON
  xdm reg diff old.reg new.reg --key "HKLM\SOFTWARE\Wow6432Node\PP-COM\MRS" --json`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRegDiff(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.FoldWow64, "fold-wow64", false, `compare HKLM\SOFTWARE\Wow6432Node\X as HKLM\SOFTWARE\X`)
	f.StringArrayVar(&opts.Keys, "key", nil, "compare only the keys at and below `PATTERN` (repeatable)")
	f.BoolVar(&opts.JSON, "json", false, "print the differences as JSON")
	return cmd
}

func runRegDiff(ctx context.Context, opts *regDiffOptions) error {
	files := make([]*os.File, 2)
	for i, p := range []string{opts.Old, opts.New} {
		if _, err := regInput(p); err != nil {
			return err
		}
		f, err := atomicfile.Open(ctx, p)
		if err != nil {
			return exitWith(ExitFailure, err)
		}
		defer f.Close()
		files[i] = f
	}
	d, err := registry.Diff(ctx, files[0], files[1], registry.DiffOptions{
		OldName: opts.Old, NewName: opts.New, FoldWow64: opts.FoldWow64, Keys: opts.Keys})
	if err != nil {
		return regError(err, false)
	}
	out := opts.App.IO.Out
	if opts.JSON {
		if d.Keys == nil {
			d.Keys = []registry.KeyDiff{}
		}
		if d.Values == nil {
			d.Values = []registry.ValueDiff{}
		}
		res := struct {
			Old       string `json:"old"`
			New       string `json:"new"`
			FoldWow64 bool   `json:"fold_wow64"`
			Equal     bool   `json:"equal"`
			registry.Differences
		}{opts.Old, opts.New, opts.FoldWow64, d.Equal(), d}
		if err := writeJSON(out, res); err != nil {
			return err
		}
	} else {
		printRegDiff(out, opts, d)
	}
	if !d.Equal() {
		return exitWith(ExitDifferent, nil)
	}
	return nil
}

func printRegDiff(out io.Writer, opts *regDiffOptions, d registry.Differences) {
	if d.Equal() {
		fmt.Fprintf(out, "%s and %s hold the same keys and values\n", opts.Old, opts.New)
		return
	}
	fmt.Fprintf(out, "--- %s\n+++ %s\n", opts.Old, opts.New)
	if len(d.Keys) > 0 {
		fmt.Fprintf(out, "\nkeys:\n")
		for _, k := range d.Keys {
			switch k.Change {
			case registry.Added:
				fmt.Fprintf(out, "  + %s\n", keyLine(k.Key, k.NewDelete))
			case registry.Removed:
				fmt.Fprintf(out, "  - %s\n", keyLine(k.Key, k.OldDelete))
			default:
				fmt.Fprintf(out, "  ~ %s -> %s\n", keyLine(k.Key, k.OldDelete), keyLine(k.Key, k.NewDelete))
			}
		}
	}
	if len(d.Values) > 0 {
		fmt.Fprintf(out, "\nvalues:\n")
		last := ""
		for _, v := range d.Values {
			if k := registry.CanonicalKey(v.Key, opts.FoldWow64); k != last {
				fmt.Fprintf(out, "  [%s]\n", v.Key)
				last = k
			}
			name := valueName(v.Name)
			switch v.Change {
			case registry.Added:
				fmt.Fprintf(out, "    + %s %s\n", name, dataText(v.New))
			case registry.Removed:
				fmt.Fprintf(out, "    - %s %s\n", name, dataText(v.Old))
			default:
				fmt.Fprintf(out, "    ~ %s %s -> %s\n", name, dataText(v.Old), dataText(v.New))
			}
		}
	}
}

func keyLine(key string, del bool) string {
	if del {
		return "[-" + key + "]"
	}
	return "[" + key + "]"
}

// dataText shows data with its type.
func dataText(d *registry.Data) string {
	if d.Deleted {
		return "(deletes the value)"
	}
	return d.Type + " " + d.String()
}
