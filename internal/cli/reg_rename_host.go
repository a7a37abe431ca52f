package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/registry"
)

type regRenameHostOptions struct {
	App        *App
	File       string
	Output     string
	From, To   string
	Under      []string
	DropLineOf []string
	Forbid     []string
	Force      bool
	DryRun     bool
	JSON       bool
}

func newCmdRegRenameHost(app *App, runF func(context.Context, *regRenameHostOptions) error) *cobra.Command {
	opts := &regRenameHostOptions{App: app}
	cmd := &cobra.Command{
		Use:   "rename-host FILE --from NODE --to NETNAME",
		Short: "Replace a cluster node's host name by the cluster's network name, in the XPR keys only",
		Long: `The XPR cluster setup replaces the local computer name by the cluster's
network name, but only under HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\SIEMENS
and ...\Wow6432Node\PP-COM: "in all other registry folders the local computer
name must definitely be maintained, since otherwise the Windows operating
system may not work any more". In a multi-line value such as
MRS Globals\Monitor Directory (\\XPR\MrsMonitor and \\NODE1\MrsMonitor) the
node's line is removed, not replaced, and the application name must never be
put in.

xdm reg rename-host does this on an export of those keys: --from is replaced
by --to as a whole word, without regard to case, in key paths, value names,
and the data of string, expandable-string and multi-string values (which the
file holds as hex bytes, where a text search finds nothing). A word is a run
of letters, digits, '-' and '_': NODE1 is found in \\NODE1\MrsMonitor and
node1.corp.local, not in NODE10 or NODE1-B. Only keys at and below --under
change (default the two above; repeatable; HKLM allowed). --drop-line-of
removes the elements of multi-string values that name that host instead of
renaming them. --forbid refuses a --to equal to that name (the application
name). Changed values are written again as regedit exports them; every other
byte stays as it is.

Every change is listed on stdout (file:line, key, value, old and new); with
--dry-run only that. Without -o the file is rewritten in place and the
original kept as FILE.orig; nothing is written when nothing changes. Then
import the file on the node: regedit /s FILE.

Exit codes: 0 renamed, or nothing to rename; 2 usage (also a forbidden --to,
an existing OUT or FILE.orig without --force); 3 the file does not fit the
.reg format; 4 other errors; 130 interrupted.`,
		Example: `  # what would change (cmd or PowerShell)
  xdm reg rename-host node1.reg --from NODE1 --to XPRCLUSTER --drop-line-of NODE1 --forbid XPR --dry-run

  # do it, keeping node1.reg.orig
  xdm reg rename-host node1.reg --from NODE1 --to XPRCLUSTER --drop-line-of NODE1 --forbid XPR

  # other subtrees
  xdm reg rename-host node1.reg --from NODE1 --to XPRCLUSTER --under "HKLM\SOFTWARE\Wow6432Node\PP-COM\MRS" -o cluster.reg`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if opts.From == "" || opts.To == "" {
				return usageErrorf("--from and --to are required")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRegRenameHost(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.From, "from", "", "the host name to replace (the cluster node's)")
	f.StringVar(&opts.To, "to", "", "the name to put in (the cluster's network name)")
	f.StringArrayVar(&opts.Under, "under", nil, "change only the keys at and below `KEY` (repeatable; default HKLM\\SOFTWARE\\Wow6432Node\\SIEMENS and ...\\PP-COM)")
	f.StringArrayVar(&opts.DropLineOf, "drop-line-of", nil, "remove multi-string elements naming `HOST` instead of renaming them (repeatable)")
	f.StringArrayVar(&opts.Forbid, "forbid", nil, "refuse a --to equal to `NAME` (the application name; repeatable)")
	f.StringVarP(&opts.Output, "output", "o", "", "write the result to `OUT` instead of rewriting FILE in place")
	f.BoolVar(&opts.Force, "force", false, "replace an existing OUT; in place, rewrite even when FILE.orig exists (it is kept)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "list the changes, write nothing")
	f.BoolVar(&opts.JSON, "json", false, "print the report and the changes as JSON on stdout")
	return cmd
}

// regRenameHostResult is the JSON report of xdm reg rename-host.
type regRenameHostResult struct {
	Status string `json:"status"` // renamed, nothing_to_rename, would_rename
	File   string `json:"file"`
	registry.Written
	Report  registry.RenameReport `json:"report"`
	Changes []registry.Change     `json:"changes"`
}

func runRegRenameHost(ctx context.Context, opts *regRenameHostOptions) error {
	app := opts.App
	size, err := regInput(opts.File)
	if err != nil {
		return err
	}
	res := regRenameHostResult{File: opts.File, Changes: []registry.Change{}}
	bar := app.newByteProgress("renaming "+opts.From+" in "+opts.File, size)
	ro := registry.RenameOptions{From: opts.From, To: opts.To, Under: opts.Under, DropLineOf: opts.DropLineOf,
		Forbid: opts.Forbid, Progress: bar.Set,
		OnChange: func(c registry.Change) { res.Changes = append(res.Changes, c) }}
	rep, written, err := registry.RenameHostFile(ctx, opts.File, ro, registry.FileOptions{
		Output: opts.Output, Force: opts.Force, DryRun: opts.DryRun})
	bar.Done()
	if err != nil {
		return regError(renameFlagError(err), true)
	}
	res.Report, res.Written = rep, written
	switch {
	case rep.Changes == 0:
		res.Status = "nothing_to_rename"
	case opts.DryRun:
		res.Status = "would_rename"
	default:
		res.Status = "renamed"
	}
	if opts.JSON {
		if err := writeJSON(app.IO.Out, res); err != nil {
			return err
		}
		return nil
	}
	for _, c := range res.Changes {
		fmt.Fprintln(app.IO.Out, changeLine(opts.File, c))
	}
	if !app.Quiet() {
		printRegRenameHost(app.IO.ErrOut, opts, &res)
	}
	return nil
}

// renameFlagError names the flags an option the library refused came from.
func renameFlagError(err error) error {
	switch {
	case errors.Is(err, registry.ErrForbiddenName):
		return fmt.Errorf("--to: %w (--forbid)", err)
	case errors.Is(err, registry.ErrHostName):
		return fmt.Errorf("--from, --to, --drop-line-of: %w", err)
	case errors.Is(err, registry.ErrKeyPath):
		return fmt.Errorf("--under: %w", err)
	}
	return err
}

// changeLine shows one change: where, which value, old and new.
func changeLine(file string, c registry.Change) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: [%s]", file, c.Line, c.Key)
	switch c.Kind {
	case registry.KeyPathChange:
		fmt.Fprintf(&b, " key path -> [%s]", c.New)
		return b.String()
	case registry.ValueNameChange:
		fmt.Fprintf(&b, " value name %s -> %s", registry.Quote(c.Old), registry.Quote(c.New))
		return b.String()
	}
	name := valueName(c.Value)
	if c.Kind == registry.ElementDropped {
		fmt.Fprintf(&b, " %s element dropped: %s", name, registry.Quote(c.Old))
		return b.String()
	}
	fmt.Fprintf(&b, " %s %s -> %s", name, registry.Quote(c.Old), registry.Quote(c.New))
	return b.String()
}

func printRegRenameHost(w io.Writer, opts *regRenameHostOptions, res *regRenameHostResult) {
	rep := res.Report
	fmt.Fprintf(w, "%s: %d of %s and %d of %s below the subtrees; %s (%d multi-string elements dropped)\n",
		res.File, rep.KeysInScope, count(rep.Keys, "key"), rep.ValuesInScope, count(rep.Values, "value"), count(rep.Changes, "change"), rep.Dropped)
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "  not read as text, left as it is: %s\n", s)
	}
	switch res.Status {
	case "nothing_to_rename":
		fmt.Fprintf(w, "%s does not occur as a word below the subtrees: nothing was written\n", opts.From)
	case "would_rename":
		fmt.Fprintln(w, "dry run: nothing was written")
	default:
		fmt.Fprintln(w, wroteLine("rewrote", res.Output, res.Backup))
		fmt.Fprintf(w, "next: on the node, regedit /s %s  (or: reg import %s)\n", res.Output, res.Output)
	}
}
