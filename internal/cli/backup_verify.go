package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/backup"
	"github.com/xdm-migrate/xdm/internal/plural"
)

type backupVerifyOptions struct {
	App         *App
	Archive     string
	MaxProblems int
	backupFlags
}

func newCmdBackupVerify(app *App, runF func(context.Context, *backupVerifyOptions) error) *cobra.Command {
	opts := &backupVerifyOptions{App: app}
	cmd := &cobra.Command{
		Use:   "verify BACKUP.tar",
		Short: "Check every part of a Smart Backup against its format",
		Long: `Everything "xdm backup inspect" does, and also: every record of fullexp.exp
parsed with the infotool grammar, the COPY blocks of dump.sql checked (each
row has the fields its COPY header names, each block ends with "\."), every
.reg member against the registry grammar (as "xdm reg" reads it), and the
XML members (NCO, application_host) checked for well-formedness. Every
problem is listed on stdout as MEMBER:LINE:COL: what is wrong. TAR structure
errors (a truncated archive, a bad header checksum, a member cut short) stop
the check and are named with their byte offset.

Exit codes: 0 every part fits its format; 3 problems were found, or the
archive is not a readable TAR, holds no Smart Backup member, or holds a
unique part twice; 4 other errors; 130 interrupted. (Whether a fix is needed
is "xdm backup inspect"'s exit code.)`,
		Example: `  xdm backup verify "D:\SmartBackup\BACKUP.tar"
  xdm backup verify BACKUP.tar --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Archive = args[0]
			if opts.MaxProblems < 1 {
				return usageErrorf("--max-problems must be at least 1")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runBackupVerify(cmd.Context(), opts)
		},
	}
	opts.register(cmd, "records parsed in parallel")
	cmd.Flags().IntVar(&opts.MaxProblems, "max-problems", 1000, "problems listed (all are counted)")
	return cmd
}

func runBackupVerify(ctx context.Context, opts *backupVerifyOptions) error {
	app := opts.App
	rep, err := readArchive(ctx, app, opts.Archive, "verifying",
		backup.Options{Workers: opts.Workers, MaxProblems: opts.MaxProblems}, backup.Verify)
	invalid := errors.Is(err, backup.ErrInvalid)
	if err != nil && !invalid {
		return backupError(err, opts.Archive)
	}
	if opts.JSON {
		if err := writeJSON(app.IO.Out, rep); err != nil {
			return err
		}
	} else {
		for _, p := range rep.Problems {
			fmt.Fprintln(app.IO.Out, p)
		}
		if n := rep.ProblemCount - int64(len(rep.Problems)); n > 0 {
			fmt.Fprintf(app.IO.Out, "... and %d more %s\n", n, plural.Noun(n, "problem"))
		}
		printBackupReport(app.IO.Out, rep)
		fmt.Fprintln(app.IO.Out, plural.Count(rep.ProblemCount, "problem"))
	}
	if invalid {
		return exitWith(ExitInvalid, nil)
	}
	return nil
}
