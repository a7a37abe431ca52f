package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/xphone"
)

type xphoneConvertOptions struct {
	app    *App
	export string
	out    string
	force  bool
	dryRun bool
	strict bool
	xphoneFlags
}

func newCmdXPhoneConvert(app *App, runF func(context.Context, *xphoneConvertOptions) error) *cobra.Command {
	opts := &xphoneConvertOptions{app: app}
	cmd := &cobra.Command{
		Use:   "convert EXPORT_DIR -o OUT_DIR",
		Short: "Convert a V4 export folder to users.csv and A-law prompts for V9",
		Long: `Convert reads the XPhone V4 export in EXPORT_DIR (users.csv, voicemail/<UserKey>/
greeting1-9.wav and name.wav, autoattendant/<AAName>/<Prompt>.wav) and writes
OUT_DIR:

  users.csv                              for the V9 Text connector
  prompts/users/<ID>/greeting<N>.wav     personal greetings
  prompts/users/<ID>/recorded_name.wav   recorded names
  prompts/autoattendant/<AAName>/<Prompt>.wav
  prompts/manifest.csv                   one row per prompt (TAB separated)
  report.txt                             what was converted, skipped and why

users.csv is read with CSV quoting; its separator (; , or TAB) is detected from
the header and its encoding from the BOM (UTF-8, UTF-16LE; none: Windows-1252).
Columns are mapped to V9 attributes by the built-in mapping or --mapping. Rows
missing ID, firstname, name or account, repeating an ID or account, or with a
value containing the output separator are not written; report.txt names their
line. With --country (and --area) phone numbers are written as +4989123456.

Audio (PCM 8/16 bit, A-law, µ-law; 8-48 kHz; mono or stereo) is mixed down,
low-pass filtered and resampled to 8 kHz, and written as G.711 A-law WAV.
Unreadable files are skipped and reported.

OUT_DIR may also be given as the second argument instead of -o.
OUT_DIR is written under a temporary name and renamed when complete; a
non-empty OUT_DIR is refused unless --force, and an OUT_DIR that is
EXPORT_DIR, or holds it or the working folder, always (--force would delete
it). A second xdm writing the same OUT_DIR at the same time is refused. Rows and files that cannot be
converted never stop the run: they are skipped and listed in report.txt.
Exit status: 0 output written (with --strict: and nothing skipped), 1 with
--strict: output written but rows or files skipped, 2 usage, 3 the export is
unusable (no users.csv, mandatory column missing), 4 I/O.`,
		Example: `  xdm xphone convert "D:\export" -o "D:\v9import"
  xdm xphone convert export -o out --country 49 --area 89 --mapping mapping.yaml
  xdm xphone convert export -o out --encoding windows-1252 --separator semicolon
  xdm xphone convert export --dry-run --json`,
		Args: rangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.export = args[0]
			if len(args) == 2 {
				if opts.out != "" {
					return usageErrorf("give the output folder once: -o %s or %s", opts.out, args[1])
				}
				opts.out = args[1]
			}
			if opts.out == "" && !opts.dryRun {
				return usageErrorf("-o OUT_DIR is required (or --dry-run)")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runXPhoneConvert(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.out, "output", "o", "", "output folder (must not exist or be empty unless --force)")
	cmd.Flags().BoolVar(&opts.force, "force", false, "replace a non-empty output folder")
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "convert everything but write nothing")
	cmd.Flags().BoolVar(&opts.strict, "strict", false, "exit with status 1 when rows or files were skipped")
	opts.register(cmd)
	return cmd
}

func runXPhoneConvert(ctx context.Context, opts *xphoneConvertOptions) error {
	app := opts.app
	rep, err := opts.run(app, func(lib *xphone.Options) {
		lib.Force = opts.force
		lib.DryRun = opts.dryRun
	}, func(lib xphone.Options) (xphone.Report, error) {
		return xphone.Convert(ctx, opts.export, opts.out, lib)
	})
	if err != nil {
		return err
	}
	switch {
	case opts.json:
	case opts.dryRun:
		fmt.Fprint(app.IO.Out, rep.Text())
	case !app.Quiet():
		fmt.Fprint(app.IO.ErrOut, summary(&rep))
		fmt.Fprintf(app.IO.ErrOut, "wrote %s (details in %s)\n", opts.out, filepath.Join(opts.out, xphone.ReportFile))
	}
	if opts.strict && rep.Problems() > 0 {
		return exitWith(ExitDifferent, nil)
	}
	return nil
}
