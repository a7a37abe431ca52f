package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/plural"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/backup"
	"github.com/xdm-migrate/xdm/position"
)

func newCmdBackup(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Read, check and fix an XPR Smart Backup (the TAR file of the TOV7 option)",
		Long: `The XPR Smart Backup with the TOV7 option writes one TAR file, the only thing
that crosses from the old server to the new one: fullexp.exp (INFOSTOR),
dump.sql (UCC), regexp_serverconf.reg (REGISTRY), one <satellite>.reg per
satellite (SATELLITE), the NCO files, the UCC application_host XML files,
.keystore, settings.ini and, with FOLDERS/USERDATA/ISC, the message store.

"xdm backup inspect" says what is in it and what the upgrade still needs,
"xdm backup verify" also checks every part against its format, and
"xdm backup fix" writes the fixed archive in one pass.`,
		Example: `  xdm backup inspect "D:\SmartBackup\BACKUP.tar"
  xdm backup verify "D:\SmartBackup\BACKUP.tar"
  xdm backup fix "D:\SmartBackup\BACKUP.tar" --ucc --journal`,
	}
	cmd.AddCommand(newCmdBackupInspect(app, nil), newCmdBackupVerify(app, nil), newCmdBackupFix(app, nil))
	return cmd
}

// backupFlags are the settings every backup command shares.
type backupFlags struct {
	JSON    bool
	Workers int
}

func (f *backupFlags) register(cmd *cobra.Command, what string) {
	cmd.Flags().BoolVar(&f.JSON, "json", false, "print the report as JSON on stdout")
	addWorkersFlag(cmd, &f.Workers, what)
}

// openArchive opens the archive and returns its size for the progress bar.
// An archive that is a pipe waiting for a writer still ends with the context.
func openArchive(ctx context.Context, path string) (*os.File, int64, error) {
	f, err := atomicfile.Open(ctx, path)
	if err != nil {
		return nil, 0, exitWith(ExitFailure, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, exitWith(ExitFailure, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, 0, usageErrorf("%s is a folder; give the Smart Backup's TAR file", path)
	}
	return f, st.Size(), nil
}

// readArchive runs a pass that reads the archive (backup.Inspect, Verify)
// with a progress bar, the archive's name and a CPU budget of o.Workers.
func readArchive(ctx context.Context, app *App, path, verb string, o backup.Options,
	pass func(context.Context, io.Reader, backup.Options) (*backup.Report, error)) (*backup.Report, error) {
	defer useCPUs(o.Workers)()
	f, size, err := openArchive(ctx, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	bar := app.newByteProgress(verb+" "+path, size)
	defer bar.Done()
	o.Name, o.Progress = path, bar.Set
	return pass(ctx, f, o)
}

// backupError maps a backup error to an exit code. A *position.Error is
// printed as it is.
func backupError(err error, archive string) error {
	var pe *position.Error
	var ee *ExitError
	var ue usageError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled), errors.As(err, &ee), errors.As(err, &ue):
		return err // interrupted, or mapped already by openArchive
	case errors.Is(err, fs.ErrExist):
		return exitWith(ExitUsage, err)
	case errors.As(err, &pe), errors.Is(err, backup.ErrNotBackup), errors.Is(err, backup.ErrDuplicate),
		errors.Is(err, backup.ErrCollisions), errors.Is(err, backup.ErrSparse):
		return exitWith(ExitInvalid, err)
	default:
		return exitWith(ExitFailure, fmt.Errorf("%s: %w", archive, err))
	}
}

// printBackupReport writes the human-readable report of inspect and verify.
func printBackupReport(w io.Writer, rep *backup.Report) {
	fmt.Fprintf(w, "%s: %s, %s\n", rep.Archive, plural.Count(rep.Members, "member"), plural.Count(rep.Bytes, "byte"))
	for _, p := range rep.Parts {
		enc := ""
		if p.Encoding != "" {
			enc = ", " + p.Encoding
		}
		fmt.Fprintf(w, "  %-21s %s (%s%s)\n", p.Category, p.Name, plural.Count(p.Size, "byte"), enc)
	}
	if rep.Other > 0 {
		fmt.Fprintf(w, "  %-21s %s (message store, greetings, ...), %s\n", backup.Other, plural.Count(rep.Other, "other member"), plural.Count(rep.OtherBytes, "byte"))
	}
	printNeeds(w, rep)
	for _, s := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", s)
	}
}

// printNeeds says what the upgrade still needs, with the fix for each.
func printNeeds(w io.Writer, rep *backup.Report) {
	fmt.Fprintln(w, "what the upgrade needs:")
	if rep.UCC != nil {
		fmt.Fprintf(w, "  dump.sql: %d UCC invitation addresses with upper case (fix: --ucc)\n", rep.UCC.Changed)
		for _, c := range rep.UCC.Collisions {
			fmt.Fprintf(w, "    collision: %s\n", c)
		}
		for _, t := range rep.UCC.Missing {
			fmt.Fprintf(w, "    no COPY data for %s\n", t)
		}
	}
	if rep.Journal != nil {
		fmt.Fprintf(w, "  fullexp.exp: %d JOURNAL CONTENTTYPE values need the voice-code fix (fix: --journal)", rep.Journal.Fixes())
		for i, v := range rep.Journal.OldValues() {
			sep := ", "
			if i == 0 {
				sep = ": "
			}
			fmt.Fprintf(w, "%s%d×%d", sep, rep.Journal.Changed[v], v)
		}
		fmt.Fprintln(w)
	}
	for _, s := range rep.Satellites {
		need := ""
		if s.NeedsWow64() {
			need = " (fix: --satellites wow64)"
		}
		fmt.Fprintf(w, "  satellite %s: %s path (%s under SOFTWARE\\PP-COM, %d under SOFTWARE\\Wow6432Node\\PP-COM)%s\n",
			s.Satellite, s.Path, plural.Count(s.Native, "key"), s.Wow64, need)
	}
	if !rep.Needs().Any() {
		fmt.Fprintln(w, "  nothing: no fix needed")
	}
}
