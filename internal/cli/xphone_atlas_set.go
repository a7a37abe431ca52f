package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/xphone/atlas"
)

type xphoneAtlasSetOptions struct {
	App          *App
	File         string
	Output       string
	Force        bool
	DryRun       bool
	JSON         bool
	Instances    []string
	Server       string
	WindowsLogin bool
	Databases    []string
}

func newCmdXPhoneAtlasSet(app *App, runF func(context.Context, *xphoneAtlasSetOptions) error) *cobra.Command {
	opts := &xphoneAtlasSetOptions{App: app}
	cmd := &cobra.Command{
		Use:   "set ATLAS.XML (--instance OLD=NEW | --server SERVER\\INSTANCE [--windows-login])",
		Short: "Point atlas.xml's databases to another SQL Server instance",
		Long: `Rewrite the connection strings of atlas.xml's <databases> section:

  --instance OLD=NEW   every database whose Data Source is OLD (compared
                       without regard to case) gets NEW: after the SQL Server
                       Express update, (local)\XPCONNECT=(local)\XPCONNECT2019.
                       Repeat the flag for several instances.
  --server S\I         every database (or those named with --database) gets
                       Data Source S\I: the move to an external SQL Server.
  --windows-login      log in with the service's Windows account:
                       useLogin="Windows" (added when missing), Integrated
                       Security=True, and no User ID or Password.

Only the attribute values that change are rewritten; the encoding, a byte
order mark, indentation, line ends and comments stay as they are. A file
that is not well-formed XML is refused with its line and column. Without -o
the file is edited in place and the original kept as atlas.xml.orig,
atomically. Each change is listed (database, attribute, old and new value,
passwords masked); --dry-run lists them and writes nothing. Stop the XPhone
Connect Server service before, and start it after.

Exit codes: 0 changed or nothing to change; 2 usage (also an existing OUT or
atlas.xml.orig without --force); 3 not well-formed, no <databases> section,
no database matches --instance or --database, or a connection string to
change cannot be read; 4 other errors.`,
		Example: `  # after the SQL Server Express update (cmd.exe and PowerShell alike)
  xdm xphone atlas set atlas.xml --instance "(local)\XPCONNECT=(local)\XPCONNECT2019"

  # external SQL Server with Windows login; see the changes first
  xdm xphone atlas set atlas.xml --server "SQL01\XPHONE" --windows-login --dry-run
  xdm xphone atlas set atlas.xml --server "SQL01\XPHONE" --windows-login`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if len(opts.Instances) == 0 && opts.Server == "" && !opts.WindowsLogin {
				return usageErrorf("say what to change: --instance OLD=NEW, --server SERVER\\INSTANCE and/or --windows-login")
			}
			if len(opts.Instances) > 0 && opts.Server != "" {
				return usageErrorf("--instance and --server exclude each other")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runXPhoneAtlasSet(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.Instances, "instance", nil, "rename Data Source `OLD=NEW` (repeatable)")
	f.StringVar(&opts.Server, "server", "", "set every database's Data Source to `SERVER\\INSTANCE`")
	f.BoolVar(&opts.WindowsLogin, "windows-login", false, "log in with Windows authentication (useLogin=\"Windows\", Integrated Security=True)")
	f.StringArrayVar(&opts.Databases, "database", nil, "change only the database `NAME` (repeatable; default: all)")
	f.StringVarP(&opts.Output, "output", "o", "", "write to `OUT` instead of editing in place")
	f.BoolVar(&opts.Force, "force", false, "replace an existing OUT, or edit in place although atlas.xml.orig exists (it is kept)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "list the changes, write nothing")
	f.BoolVar(&opts.JSON, "json", false, "print the changes as JSON on stdout")
	return cmd
}

func runXPhoneAtlasSet(ctx context.Context, opts *xphoneAtlasSetOptions) error {
	edit := atlas.Edit{Server: opts.Server, WindowsLogin: opts.WindowsLogin, Databases: opts.Databases}
	for _, s := range opts.Instances {
		from, to, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(from) == "" || strings.TrimSpace(to) == "" {
			return usageErrorf("--instance %q: write OLD=NEW, e.g. (local)\\XPCONNECT=(local)\\XPCONNECT2019", s)
		}
		edit.Instances = append(edit.Instances, atlas.Rename{From: strings.TrimSpace(from), To: strings.TrimSpace(to)})
	}
	rep, err := atlas.SetFile(ctx, opts.File, edit, atlas.FileOptions{Output: opts.Output, Force: opts.Force, DryRun: opts.DryRun})
	if err != nil {
		return atlasError(err)
	}
	app := opts.App
	if opts.JSON {
		return writeJSON(app.IO.Out, rep)
	}
	for _, c := range rep.Changes {
		fmt.Fprintf(app.IO.Out, "%s:%d: %s %s: \"%s\" -> \"%s\"\n", opts.File, c.Line, c.Database, c.Attribute, c.Old, c.New)
	}
	if app.Quiet() {
		return nil
	}
	switch {
	case len(rep.Changes) == 0:
		fmt.Fprintf(app.IO.ErrOut, "xdm: nothing to change in %s\n", opts.File)
	case opts.DryRun:
		fmt.Fprintf(app.IO.ErrOut, "xdm: dry run: %s, nothing was written\n", plural.Count(len(rep.Changes), "change"))
	case rep.Backup != "":
		fmt.Fprintf(app.IO.ErrOut, "xdm: %s; restart the XPhone Connect Server service\n", wroteLine("edited", rep.Output, rep.Backup))
	default:
		fmt.Fprintln(app.IO.ErrOut, "xdm: "+wroteLine("edited", rep.Output, rep.Backup))
	}
	return nil
}
