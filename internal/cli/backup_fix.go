package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/backup"
	"github.com/xdm-migrate/xdm/internal/plural"
)

type backupFixOptions struct {
	App        *App
	Archive    string
	Output     string
	Force      bool
	UCC        bool
	Journal    bool
	Satellites string
	ASCII      bool
	backupFlags
}

func newCmdBackupFix(app *App, runF func(context.Context, *backupFixOptions) error) *cobra.Command {
	opts := &backupFixOptions{App: app}
	cmd := &cobra.Command{
		Use:   "fix BACKUP.tar [-o OUT.tar] [--ucc] [--journal] [--satellites wow64]",
		Short: "Write the Smart Backup with the upgrade's fixes applied, in one pass",
		Long: `Write a new TAR in one pass with the chosen fixes applied to the members they
concern; every other member is copied byte for byte, its header blocks
included. A changed member's header differs from the original only in its
size and checksum (and a PAX size record where the size needs one).

  --ucc       lowercases the conference invitation addresses in dump.sql, as
              "xdm ucc lowercase --dump" does. If lowercasing would make two
              addresses collide under a unique index of the dump, the run
              stops (exit 3) and nothing is written.
  --journal   applies the CONTENTTYPE fix of "xdm journal fix" to the JOURNAL
              records inside fullexp.exp. The upgrade manual applies it AFTER
              the restore (export the journal, delete journal.dat and the
              indexes, import); fixing it inside the backup is xdm's
              inference that the restore imports the same records. Opt-in:
              the report lists exactly what changed, by old value.
  --satellites wow64
              moves each satellite's keys under HKLM\SOFTWARE\PP-COM to
              HKLM\SOFTWARE\Wow6432Node\PP-COM, as "xdm reg wow64" does.

Without -o the archive is fixed in place and the original kept as
BACKUP.tar.orig; with -o the fixed archive goes to OUT.tar. The output is a
temporary file next to the destination, synced and renamed into place only
when the whole archive was written: after an error, a collision or an
interrupt the destination is untouched. When no member changes, nothing is
written: a fix run again finds nothing left to change and exits 0, even
while BACKUP.tar.orig exists.

Archives written by GNU tar, bsdtar, Go's archive/tar and Windows' tar.exe
(ustar, GNU long names, PAX) are read; folders, links and empty files pass
through.

Exit codes: 0 fixed or nothing to fix; 2 usage (also an existing OUT or
BACKUP.tar.orig without --force); 3 the archive or a member does not fit
its format, UCC addresses would collide, no Smart Backup member, a unique
member twice; 4 other errors (I/O, disk full); 130 interrupted.`,
		Example: `  # everything the upgrade needs, in place (keeps BACKUP.tar.orig)
  xdm backup fix "D:\SmartBackup\BACKUP.tar" --ucc --journal --satellites wow64

  # the UCC addresses only, to a new file
  xdm backup fix BACKUP.tar -o BACKUP-fixed.tar --ucc`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Archive = args[0]
			if opts.Satellites != "" && opts.Satellites != "wow64" {
				return usageErrorf("--satellites takes wow64, not %q", opts.Satellites)
			}
			if !opts.UCC && !opts.Journal && opts.Satellites == "" {
				return usageErrorf("choose what to fix: --ucc, --journal and/or --satellites wow64 (see \"xdm backup inspect\")")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runBackupFix(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "write the fixed archive to `OUT.tar` instead of fixing in place")
	f.BoolVar(&opts.Force, "force", false, "replace an existing OUT.tar, or rewrite in place although BACKUP.tar.orig exists (it is kept)")
	f.BoolVar(&opts.UCC, "ucc", false, "lowercase the UCC invitation addresses in dump.sql")
	f.BoolVar(&opts.Journal, "journal", false, "apply the CONTENTTYPE fix to the JOURNAL records in fullexp.exp (see above)")
	f.StringVar(&opts.Satellites, "satellites", "", "wow64: move the satellites' PP-COM keys under Wow6432Node")
	f.BoolVar(&opts.ASCII, "ascii", false, "with --ucc: lowercase A-Z only (a database with the C locale)")
	opts.register(cmd, "chunks fixed in parallel")
	return cmd
}

func runBackupFix(ctx context.Context, opts *backupFixOptions) error {
	defer useCPUs(opts.Workers)()
	app := opts.App
	f, size, err := openArchive(ctx, opts.Archive)
	if err != nil {
		return err
	}
	f.Close()
	bar := app.newByteProgress("fixing "+opts.Archive, size)
	rep, err := backup.FixFile(ctx, opts.Archive, backup.FileOptions{
		Options: backup.Options{
			Name:     opts.Archive,
			Fixes:    backup.Fixes{UCC: opts.UCC, Journal: opts.Journal, Wow64: opts.Satellites == "wow64"},
			ASCII:    opts.ASCII,
			Workers:  opts.Workers,
			Progress: bar.Set,
		},
		Output: opts.Output,
		Force:  opts.Force,
	})
	bar.Done()
	if opts.JSON && rep != nil {
		status := "fixed"
		if len(rep.Changed) == 0 {
			status = "nothing_to_fix"
		}
		res := struct {
			Status string `json:"status"`
			*backup.Report
		}{status, rep}
		if err != nil {
			// Run prints the failure, with this report, as JSON.
			return withJSONReport(backupError(err, opts.Archive), res, nil)
		}
		if jerr := writeJSON(app.IO.Out, res); jerr != nil {
			return jerr
		}
	}
	if err != nil {
		if rep != nil && rep.UCC != nil && !opts.JSON {
			for _, c := range rep.UCC.Collisions {
				fmt.Fprintf(app.IO.ErrOut, "xdm: collision: %s\n", c)
			}
		}
		return backupError(err, opts.Archive)
	}
	if !opts.JSON && !app.Quiet() {
		printFixReport(app.IO.ErrOut, opts, rep)
	}
	return nil
}

func printFixReport(w io.Writer, opts *backupFixOptions, rep *backup.Report) {
	if opts.UCC && rep.UCC != nil {
		fmt.Fprintf(w, "dump.sql: %d UCC invitation addresses lowercased\n", rep.UCC.Changed)
	}
	if opts.Journal && rep.Journal != nil {
		fmt.Fprintf(w, "fullexp.exp: %d JOURNAL CONTENTTYPE values set to 1092", rep.Journal.Fixes())
		for i, v := range rep.Journal.OldValues() {
			sep := ", "
			if i == 0 {
				sep = " (by old value: "
			}
			fmt.Fprintf(w, "%s%d×%d", sep, rep.Journal.Changed[v], v)
		}
		if len(rep.Journal.Changed) > 0 {
			fmt.Fprint(w, ")")
		}
		fmt.Fprintln(w)
	}
	for _, s := range rep.Satellites {
		fmt.Fprintf(w, "satellite %s: %s moved under Wow6432Node\n", s.Satellite, plural.Count(s.Moved, "key"))
	}
	for _, s := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
	switch {
	case len(rep.Changed) == 0:
		fmt.Fprintf(w, "nothing to fix: %s is unchanged\n", opts.Archive)
	default:
		fmt.Fprintf(w, "%s changed; %s\n", count(len(rep.Changed), "member"), wroteLine("fixed", rep.Output, rep.Backup))
	}
}
