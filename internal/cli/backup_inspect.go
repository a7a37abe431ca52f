package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/backup"
)

type backupInspectOptions struct {
	App     *App
	Archive string
	backupFlags
}

func newCmdBackupInspect(app *App, runF func(context.Context, *backupInspectOptions) error) *cobra.Command {
	opts := &backupInspectOptions{App: app}
	cmd := &cobra.Command{
		Use:   "inspect BACKUP.tar",
		Short: "Say what a Smart Backup holds and what the upgrade still needs",
		Long: `Read the Smart Backup and list its parts by member name, wherever they sit in
the archive: fullexp.exp (INFOSTOR), dump.sql (UCC), regexp_serverconf.reg
(REGISTRY), the satellites' .reg files (SATELLITE), NcoMainTree.xml and
VariableProposals.xml (NCO), the UCC application_host XML files, .keystore,
settings.ini, with their sizes and encodings, and the other members (message
store, greetings) as a count.

Then what the upgrade still needs: the UCC invitation addresses with upper
case in dump.sql, the JOURNAL records of fullexp.exp whose CONTENTTYPE needs
the voice-code fix (by old value), and for each satellite whether its .reg
uses the 32-bit path (HKLM\SOFTWARE\PP-COM) or Wow6432Node. Members of no
Smart Backup category are skipped, not read.

The report goes to stdout (JSON with --json).

Exit codes: 0 nothing to fix; 1 a fix is needed (like --check); 3 the file is
not a readable TAR archive, holds no Smart Backup member, or holds dump.sql,
fullexp.exp or regexp_serverconf.reg twice; 4 other errors; 130 interrupted.`,
		Example: `  xdm backup inspect "D:\SmartBackup\BACKUP.tar"

  # in a script: does the backup need a fix? (exit 1 if so)
  xdm backup inspect BACKUP.tar --json > report.json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Archive = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runBackupInspect(cmd.Context(), opts)
		},
	}
	opts.register(cmd, "the engines read fullexp.exp and dump.sql in parallel chunks")
	return cmd
}

func runBackupInspect(ctx context.Context, opts *backupInspectOptions) error {
	app := opts.App
	rep, err := readArchive(ctx, app, opts.Archive, "inspecting", backup.Options{Workers: opts.Workers}, backup.Inspect)
	if err != nil {
		return backupError(err, opts.Archive)
	}
	if opts.JSON {
		if err := writeJSON(app.IO.Out, struct {
			*backup.Report
			Needs backup.Needs `json:"needs"`
		}{rep, rep.Needs()}); err != nil {
			return err
		}
	} else {
		printBackupReport(app.IO.Out, rep)
	}
	if rep.Needs().Any() {
		return exitWith(ExitDifferent, nil)
	}
	return nil
}
