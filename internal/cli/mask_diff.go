package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/atomicfile"

	"github.com/xdm-migrate/xdm/parsers/mask"
)

type maskDiffOptions struct {
	App      *App
	Old, New string
	JSON     bool
}

func newCmdMaskDiff(app *App, runF func(*maskDiffOptions) error) *cobra.Command {
	opts := &maskDiffOptions{App: app}
	cmd := &cobra.Command{
		Use:   "diff OLD.mdl NEW.mdl",
		Short: "List masks and fields added, removed and changed between two mask exports",
		Long: `Compare the mask export of the old server (OLD.mdl) with the one of the new
server (NEW.mdl): masks added and removed or with another VERSION, fields added
and removed, and fields whose type, length, flags or default changed. Fields
flagged CUSTOM in either file are listed first: they are what the
administrator must re-apply after the upgrade. The fields of an added or
removed mask are listed as added or removed. Names are compared
case-insensitively.

Exit status: 0 when the files define the same masks, 1 when they differ,
3 when a file is not a valid mask export.`,
		Example: `  xdm mask diff maskexport-v5.mdl maskexport-v7.mdl
  xdm mask diff --json old.mdl new.mdl | jq '.fields[] | select(.custom)'
  # Windows PowerShell, without jq:
  (xdm mask diff --json old.mdl new.mdl | ConvertFrom-Json).fields | Where-Object custom`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return runMaskDiff(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the differences as JSON")
	return cmd
}

func runMaskDiff(ctx context.Context, opts *maskDiffOptions) error {
	old, err := parseMaskFile(ctx, opts.Old)
	if err != nil {
		return err
	}
	new, err := parseMaskFile(ctx, opts.New)
	if err != nil {
		return err
	}
	d := mask.Diff(old, new)
	out := opts.App.IO.Out
	if opts.JSON {
		if d.Masks == nil {
			d.Masks = []mask.MaskDiff{}
		}
		if d.Fields == nil {
			d.Fields = []mask.FieldDiff{}
		}
		if err := writeJSON(out, map[string]any{"old": opts.Old, "new": opts.New, "equal": d.Equal(), "masks": d.Masks, "fields": d.Fields}); err != nil {
			return err
		}
	} else {
		printMaskDiff(out, opts, d)
	}
	if !d.Equal() {
		return exitWith(ExitDifferent, nil)
	}
	return nil
}

func parseMaskFile(ctx context.Context, path string) (*mask.File, error) {
	f, err := atomicfile.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, usageErrorf("%s is a folder; give the mask export file", path)
	}
	return mask.Parse(f, path)
}

func printMaskDiff(out io.Writer, opts *maskDiffOptions, d mask.Differences) {
	if d.Equal() {
		fmt.Fprintf(out, "%s and %s define the same masks\n", opts.Old, opts.New)
		return
	}
	fmt.Fprintf(out, "--- %s\n+++ %s\n", opts.Old, opts.New)
	custom, other := d.Custom(), len(d.Fields)-len(d.Custom())
	if len(custom) > 0 {
		fmt.Fprintf(out, "\nCUSTOM fields (re-apply after the upgrade):\n")
		for _, f := range custom {
			printFieldDiff(out, f)
		}
	}
	if len(d.Masks) > 0 {
		fmt.Fprintf(out, "\nmasks:\n")
		for _, m := range d.Masks {
			switch m.Change {
			case mask.Changed:
				fmt.Fprintf(out, "  ~ %s: VERSION %d -> %d\n", m.Mask, m.OldVersion, m.NewVersion)
			case mask.Added:
				fmt.Fprintf(out, "  + %s (VERSION %d)\n", m.Mask, m.NewVersion)
			default:
				fmt.Fprintf(out, "  - %s (VERSION %d)\n", m.Mask, m.OldVersion)
			}
		}
	}
	if other > 0 {
		fmt.Fprintf(out, "\nfields:\n")
		for _, f := range d.Fields[len(custom):] {
			printFieldDiff(out, f)
		}
	}
}

func printFieldDiff(out io.Writer, f mask.FieldDiff) {
	switch f.Change {
	case mask.Changed:
		fmt.Fprintf(out, "  ~ %s.%s: %s -> %s (%s)\n", f.Mask, f.Field,
			strings.TrimPrefix(f.Old, f.Field+" "), strings.TrimPrefix(f.New, f.Field+" "), strings.Join(f.What, ", "))
	case mask.Added:
		fmt.Fprintf(out, "  + %s.%s\n", f.Mask, f.New)
	default:
		fmt.Fprintf(out, "  - %s.%s\n", f.Mask, f.Old)
	}
}
