package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/parsers/reg"
	"github.com/xdm-migrate/xdm/registry"
)

type regSetOptions struct {
	App      *App
	Settings []string // SETTING or SETTING=VALUE
	Output   string
	Force    bool
	V4       bool
	List     bool
	JSON     bool
	// One value of any key.
	Key, Name, Type, Data string
}

func newCmdRegSet(app *App, runF func(context.Context, *regSetOptions) error) *cobra.Command {
	opts := &regSetOptions{App: app}
	cmd := &cobra.Command{
		Use:   "set [SETTING[=VALUE]...] -o FILE",
		Short: "Write a .reg file for single settings the manuals name, to review and import",
		Long: `The upgrade manuals have the administrator type single settings into regedit:
DisableUserTOSSetting = 0 under ...\Services\Tcpip\Parameters, the BindAddress
of XPR's TCP/IP APL in a cluster. xdm reg set writes them into a .reg file
instead, which the administrator reviews and imports (regedit /s FILE, or
reg import FILE): typing errors in the key path are no longer possible.

The catalog (--list shows it with what each setting is for):
  disable-user-tos[=N]     HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters
                           DisableUserTOSSetting, REG_DWORD, default 0
  bind-address=IP          HKLM\SOFTWARE\Wow6432Node\PP-COM\MRS\TcpApl\NwPlugTcp
                           BindAddress, REG_SZ, an IPv4 or IPv6 address
Any other value: --key, --name (empty: the default value), --type (sz,
expand_sz, multi_sz with elements separated by \0 and none empty, dword,
qword, binary) and --data (numbers decimal or 0x hex, binary as hex bytes).

The file is a version 5.00 file (UTF-16LE, as regedit exports), or REGEDIT4
(ANSI) with --v4. It is written atomically: -o FILE must not exist unless
--force; -o - writes to stdout. The settings are shown on stderr for review.

Exit codes: 0 written; 2 usage (an unknown setting, a bad value, an existing
FILE without --force); 4 other errors.`,
		Example: `  xdm reg set --list
  xdm reg set disable-user-tos -o tos.reg
  xdm reg set bind-address=10.1.2.3 disable-user-tos -o cluster-settings.reg
  regedit /s cluster-settings.reg

  # any value (cmd or PowerShell)
  xdm reg set --key "HKLM\SOFTWARE\Wow6432Node\PP-COM\MRS" --name LogLevel --type dword --data 3 -o loglevel.reg`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Settings = args
			custom := opts.Key != "" || opts.Name != "" || opts.Type != "" || opts.Data != ""
			switch {
			case opts.List && (len(args) > 0 || custom):
				return usageErrorf("--list takes no settings")
			case opts.List:
			case len(args) == 0 && !custom:
				return usageErrorf("name a setting (see --list) or give --key, --type and --data")
			case custom && (opts.Key == "" || opts.Type == ""):
				return usageErrorf("--key and --type are required for a value of your own")
			case opts.Output == "":
				return usageErrorf("-o FILE is required (-o - writes to stdout)")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRegSet(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "write the .reg to `FILE` (- for stdout)")
	markOutputDash(cmd, dashHandled)
	f.BoolVar(&opts.Force, "force", false, "replace an existing FILE")
	f.BoolVar(&opts.V4, "v4", false, "write REGEDIT4 (ANSI) instead of version 5.00 (UTF-16LE)")
	f.BoolVar(&opts.List, "list", false, "list the settings of the catalog")
	f.BoolVar(&opts.JSON, "json", false, "print the settings written (or the catalog) as JSON on stdout")
	f.StringVar(&opts.Key, "key", "", "the key of a value of your own (HKLM allowed)")
	f.StringVar(&opts.Name, "name", "", "its name (empty: the key's default value)")
	f.StringVar(&opts.Type, "type", "", "its type: sz, expand_sz, multi_sz, dword, qword or binary")
	f.StringVar(&opts.Data, "data", "", "its data")
	return cmd
}

// regTypes are the names --type takes.
var regTypes = map[string]reg.Type{
	"sz": reg.RegSZ, "expand_sz": reg.RegExpandSZ, "multi_sz": reg.RegMultiSZ, "dword": reg.RegDword,
	"qword": reg.RegQword, "binary": reg.RegBinary, "none": reg.RegNone,
}

// regSetEntry is a value written, as the review and --json show it.
type regSetEntry struct {
	Setting string `json:"setting,omitempty"`
	Key     string `json:"key"`
	Name    string `json:"name"`
	registry.Data
}

func runRegSet(ctx context.Context, opts *regSetOptions) error {
	app := opts.App
	if opts.List {
		return listRegSettings(app, opts.JSON)
	}
	assigns, entries, err := regSetAssignments(opts)
	if err != nil {
		return err
	}
	comment := "written by xdm reg set; import with: regedit /s FILE (or reg import FILE)"
	so := registry.SettingsOptions{Version4: opts.V4, Comment: comment}
	if opts.Output == "-" {
		if err := registry.WriteSettings(app.IO.Out, assigns, so); err != nil {
			return regError(err, true)
		}
	} else if err := writeRegSettings(ctx, opts, assigns, so); err != nil {
		return regError(err, true)
	}
	if opts.JSON && opts.Output != "-" {
		return writeJSON(app.IO.Out, map[string]any{"output": opts.Output, "values": entries})
	}
	if !app.Quiet() {
		if opts.Output == "-" {
			fmt.Fprintln(app.IO.ErrOut, "wrote the .reg to stdout; save it as a file, review it, then import it with: regedit /s FILE  (or: reg import FILE)")
		} else {
			fmt.Fprintf(app.IO.ErrOut, "wrote %s; review it, then import it with: regedit /s %s  (or: reg import %s)\n", opts.Output, opts.Output, opts.Output)
		}
		tw := tabwriter.NewWriter(app.IO.ErrOut, 0, 4, 2, ' ', 0)
		for _, e := range entries {
			fmt.Fprintf(tw, "  [%s]\t%s\t%s %s\n", e.Key, valueName(e.Name), e.Type, e.Data)
		}
		tw.Flush()
	}
	return nil
}

// regSetAssignments turns the arguments and flags into the values to write.
func regSetAssignments(opts *regSetOptions) ([]registry.Assignment, []regSetEntry, error) {
	var assigns []registry.Assignment
	var entries []regSetEntry
	add := func(setting string, a registry.Assignment) error {
		key, err := registry.FullKeyPath(a.Key)
		if err != nil {
			return regError(err, true)
		}
		assigns = append(assigns, a)
		entries = append(entries, regSetEntry{Setting: setting, Key: key, Name: a.Value.Name, Data: registry.Decode(a.Value)})
		return nil
	}
	for _, arg := range opts.Settings {
		name, value, _ := strings.Cut(arg, "=")
		s, ok := registry.LookupSetting(name)
		if !ok {
			return nil, nil, usageErrorf("unknown setting %q; xdm reg set --list shows the catalog", name)
		}
		a, err := s.Assign(value)
		if err == nil {
			err = add(s.Name, a)
		}
		if err != nil {
			return nil, nil, regError(err, true)
		}
	}
	if opts.Key != "" {
		t, ok := regTypes[strings.ToLower(strings.TrimPrefix(strings.ToUpper(opts.Type), "REG_"))]
		if !ok {
			return nil, nil, usageErrorf("--type %q: expected sz, expand_sz, multi_sz, dword, qword or binary", opts.Type)
		}
		v, err := registry.NewValue(opts.Name, t, opts.Data)
		if err == nil {
			err = add("", registry.Assignment{Key: opts.Key, Value: v})
		}
		if err != nil {
			return nil, nil, regError(err, true)
		}
	}
	return assigns, entries, nil
}

// writeRegSettings writes the file through beginOutput: a temporary file in
// the target's folder, renamed into place when complete.
func writeRegSettings(ctx context.Context, opts *regSetOptions, assigns []registry.Assignment, so registry.SettingsOptions) error {
	// The whole file first: nothing is created for a value that fails.
	var buf bytes.Buffer
	if err := registry.WriteSettings(&buf, assigns, so); err != nil {
		return err
	}
	rw, err := beginOutput(ctx, "", opts.Output, opts.Force)
	if err != nil {
		return err
	}
	defer rw.Close()
	out, err := rw.Output()
	if err != nil {
		return err
	}
	if _, err := out.Write(buf.Bytes()); err != nil {
		return err
	}
	return rw.Commit()
}

func listRegSettings(app *App, asJSON bool) error {
	if asJSON {
		type item struct {
			registry.Setting
			TypeName string `json:"type"`
		}
		list := make([]item, len(registry.Settings))
		for i, s := range registry.Settings {
			list[i] = item{s, s.Type.String()}
		}
		return writeJSON(app.IO.Out, list)
	}
	for _, s := range registry.Settings {
		def := "required"
		if s.Default != "" {
			def = "default " + s.Default
		}
		fmt.Fprintf(app.IO.Out, "%s\n  [%s]\n  %s, %s, %s\n  %s\n\n", s.Name, s.Key, valueName(s.Value), s.Type, def, s.Doc)
	}
	return nil
}
