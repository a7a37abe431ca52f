package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/xphone"
)

func newCmdXPhone(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "xphone",
		Short: "Turn an XPhone V4 export into an XPhone Connect 9 import folder",
		Long: `XPhone UC 2011 (V4) cannot be updated in place to XPhone Connect 9. Its
migration manager exports users (users.csv), personal greetings, recorded names
and Auto Attendant prompts. "xdm xphone convert" turns that export into a
users.csv for the V9 Text connector and G.711 A-law 8 kHz prompts;
"xdm xphone check" validates an export without writing anything.`,
		Example: `  xdm xphone check "D:\export"
  xdm xphone convert "D:\export" -o "D:\v9import" --country 49 --area 89`,
	}
	cmd.AddCommand(newCmdXPhoneConvert(app, nil), newCmdXPhoneCheck(app, nil), newCmdXPhoneAtlas(app))
	return cmd
}

// xphoneFlags are the settings convert and check share.
type xphoneFlags struct {
	mapping   string
	country   string
	area      string
	encoding  string
	separator string
	json      bool
	workers   int
}

func (f *xphoneFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.mapping, "mapping", "", "YAML file mapping V4 columns to V9 attributes (default: the built-in mapping)")
	fl.StringVar(&f.country, "country", "", "country code for phone numbers in international form, e.g. 49")
	fl.StringVar(&f.area, "area", "", "area code for local phone numbers, e.g. 89 (needs --country)")
	fl.StringVar(&f.encoding, "encoding", "utf-8", "encoding of the output users.csv: utf-8 (with BOM) or windows-1252")
	fl.StringVar(&f.separator, "separator", "tab", "separator of the output users.csv: tab, comma, semicolon or space")
	fl.BoolVar(&f.json, "json", false, "print the report as JSON on stdout")
	addWorkersFlag(cmd, &f.workers, "prompts converted in parallel")
}

// options turns the flags into library options.
func (f *xphoneFlags) options() (xphone.Options, error) {
	var opts xphone.Options
	if f.mapping != "" {
		file, err := os.Open(f.mapping)
		if err != nil {
			return opts, usageErrorf("--mapping: %v", err)
		}
		defer file.Close()
		m, err := xphone.LoadMapping(file)
		var pe *position.Error
		switch {
		case errors.As(err, &pe):
			return opts, usageError{position.In(f.mapping, err)}
		case err != nil:
			return opts, usageErrorf("%s: %v", f.mapping, err)
		}
		opts.Mapping = &m
	}
	phone, err := xphone.NewPhoneFormat(f.country, f.area)
	if err != nil {
		return opts, usageErrorf("--country/--area: %v", err)
	}
	opts.Users.Phone = phone
	switch strings.ToLower(f.encoding) {
	case "utf-8", "utf8":
		opts.Users.Encoding = xphone.EncodingUTF8
	case "windows-1252", "cp1252":
		opts.Users.Encoding = xphone.EncodingWindows1252
	default:
		return opts, usageErrorf("--encoding %q: utf-8 or windows-1252 expected", f.encoding)
	}
	switch strings.ToLower(f.separator) {
	case "tab", "\t":
		opts.Users.Separator = '\t'
	case "comma", ",":
		opts.Users.Separator = ','
	case "semicolon", ";":
		opts.Users.Separator = ';'
	case "space", " ":
		opts.Users.Separator = ' '
	default:
		return opts, usageErrorf("--separator %q: tab, comma, semicolon or space expected", f.separator)
	}
	opts.Workers = f.workers
	return opts, nil
}

// xphoneProgress shows one bar for the users and one for the prompts.
func xphoneProgress(app *App) (func(xphone.Progress), func()) {
	var bar *Progress
	stage := ""
	update := func(p xphone.Progress) {
		if p.Stage != stage {
			if bar != nil {
				bar.Done()
			}
			stage = p.Stage
			total := int64(p.Total)
			if total == 0 {
				total = -1
			}
			bar = app.newCountProgress(p.Stage, total)
		}
		bar.Set(int64(p.Done))
	}
	done := func() {
		if bar != nil {
			bar.Done()
		}
	}
	return update, done
}

// run converts the flags, runs call with a progress display and prints the
// report as JSON with --json. It returns the report and the error mapped to
// an exit code.
func (f *xphoneFlags) run(app *App, set func(*xphone.Options), call func(xphone.Options) (xphone.Report, error)) (xphone.Report, error) {
	lib, err := f.options()
	if err != nil {
		return xphone.Report{}, err
	}
	if set != nil {
		set(&lib)
	}
	progress, done := xphoneProgress(app)
	defer useCPUs(lib.Workers)()
	lib.Progress = progress
	rep, err := call(lib)
	done()
	if err != nil {
		return rep, xphoneError(err)
	}
	if f.json {
		return rep, writeJSON(app.IO.Out, rep)
	}
	return rep, nil
}

// xphoneError maps a library error to an exit code.
func xphoneError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, xphone.ErrInvalid):
		return exitWith(ExitInvalid, err)
	}
	return err
}

// summary is the first lines of the report: the counts.
func summary(rep *xphone.Report) string {
	lines := strings.SplitN(rep.Text(), "\r\n", 5)
	return fmt.Sprintf("%s\n%s\n", lines[2], lines[3])
}
