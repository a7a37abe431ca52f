package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/xphone"
)

type xphoneCheckOptions struct {
	app    *App
	export string
	xphoneFlags
}

func newCmdXPhoneCheck(app *App, runF func(context.Context, *xphoneCheckOptions) error) *cobra.Command {
	opts := &xphoneCheckOptions{app: app}
	cmd := &cobra.Command{
		Use:   "check EXPORT_DIR",
		Short: "Validate a V4 export folder without writing anything",
		Long: `Check reads the XPhone V4 export in EXPORT_DIR the way "xdm xphone convert"
does and reports, without writing anything: the detected encoding and separator
of users.csv, rows that would not be written (missing ID, firstname, name or
account, duplicate IDs or accounts, values containing the output separator or
not representable in the output encoding) with their line, phone numbers that
cannot be normalised (with --country), and audio files that cannot be read.

The output settings (--separator, --encoding, --mapping) matter: a value is
only a problem if it contains the separator that convert would write.

Exit status: 0 the export converts completely, 3 it has errors (listed on
stdout), 2 usage, 4 I/O.`,
		Example: `  xdm xphone check "D:\export"
  xdm xphone check export --mapping mapping.yaml --separator semicolon --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.export = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runXPhoneCheck(cmd.Context(), opts)
		},
	}
	opts.register(cmd)
	return cmd
}

func runXPhoneCheck(ctx context.Context, opts *xphoneCheckOptions) error {
	app := opts.app
	rep, err := opts.run(app, nil, func(lib xphone.Options) (xphone.Report, error) {
		return xphone.Check(ctx, opts.export, lib)
	})
	if err != nil {
		return err
	}
	if !opts.json {
		fmt.Fprint(app.IO.Out, rep.Text())
	}
	if n := rep.Problems(); n > 0 {
		return exitWith(ExitInvalid, fmt.Errorf("%s: %s", opts.export, plural.Count(n, "problem")))
	}
	return nil
}
