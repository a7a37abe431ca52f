package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/xphone/atlas"
)

func newCmdXPhoneAtlas(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "atlas",
		Short: "Show and edit the database connections in XPhone Connect's atlas.xml",
		Long: `The XPhone guide has the administrator edit atlas.xml by hand twice: when the
databases move to an external SQL Server (the <databases> section must point
to it, with useLogin="Windows"), and after the SQL Server Express update,
where every Data Source=(local)\XPCONNECT becomes (local)\XPCONNECT2019.
"xdm xphone atlas show" lists the connections; "xdm xphone atlas set" makes
those edits and changes no other byte of the file.`,
		Example: `  xdm xphone atlas show "C:\Program Files\C4B\XPhone Connect Server\atlas.xml"
  xdm xphone atlas set atlas.xml --instance "(local)\XPCONNECT=(local)\XPCONNECT2019"`,
	}
	cmd.AddCommand(newCmdXPhoneAtlasShow(app, nil), newCmdXPhoneAtlasSet(app, nil))
	return cmd
}

type xphoneAtlasShowOptions struct {
	App  *App
	File string
	JSON bool
}

func newCmdXPhoneAtlasShow(app *App, runF func(context.Context, *xphoneAtlasShowOptions) error) *cobra.Command {
	opts := &xphoneAtlasShowOptions{App: app}
	cmd := &cobra.Command{
		Use:   "show ATLAS.XML",
		Short: "List the databases of atlas.xml with their parsed connection strings",
		Long: `List every database of the <databases> section of atlas.xml: its name, the
server and instance (Data Source), the database (Initial Catalog), how it logs
in (Windows login with Integrated Security, or a SQL login) and useLogin, and
the connection string with any password masked. A password is never printed.

Exit codes: 0 listed; 3 the file is not well-formed XML (line and column are
named) or has no <databases> section with connection strings; 4 the file
cannot be read.`,
		Example: `  xdm xphone atlas show atlas.xml
  xdm xphone atlas show atlas.xml --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runXPhoneAtlasShow(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the databases as JSON on stdout")
	return cmd
}

// atlasDatabase is a database as show prints it (no password).
type atlasDatabase struct {
	Name               string `json:"name"`
	Line               int    `json:"line"`
	DataSource         string `json:"data_source"`
	InitialCatalog     string `json:"initial_catalog"`
	IntegratedSecurity bool   `json:"integrated_security"`
	UserID             string `json:"user_id,omitempty"`
	PasswordSet        bool   `json:"password_set"`
	UseLogin           string `json:"use_login,omitempty"`
	ConnectionString   string `json:"connection_string"` // masked
	Error              string `json:"error,omitempty"`
}

func runXPhoneAtlasShow(ctx context.Context, opts *xphoneAtlasShowOptions) error {
	f, err := atlas.ReadFile(ctx, opts.File)
	if err != nil {
		return atlasError(err)
	}
	dbs := f.Databases()
	if len(dbs) == 0 {
		return exitWith(ExitInvalid, fmt.Errorf("%s: %w", opts.File, atlas.ErrNoDatabases))
	}
	out := make([]atlasDatabase, len(dbs))
	for i, d := range dbs {
		cs := d.ConnectionString
		out[i] = atlasDatabase{Name: d.Name, Line: d.Line, DataSource: cs.DataSource(), InitialCatalog: cs.InitialCatalog(),
			IntegratedSecurity: cs.IntegratedSecurity(), UserID: cs.UserID(), PasswordSet: cs.HasPassword(),
			UseLogin: d.UseLogin, ConnectionString: cs.Masked()}
		if d.Err != nil {
			out[i].Error = d.Err.Error()
		}
	}
	w := opts.App.IO.Out
	if opts.JSON {
		return writeJSON(w, map[string]any{"file": opts.File, "encoding": f.Encoding(), "databases": out})
	}
	fmt.Fprintf(w, "%s (%s): %s\n", opts.File, f.Encoding(), plural.Count(len(out), "database"))
	for i, d := range out {
		fmt.Fprintf(w, "%s (line %d)\n", d.Name, d.Line)
		if d.Error != "" {
			fmt.Fprintf(w, "  error:           %s\n", d.Error)
			continue
		}
		fmt.Fprintf(w, "  server:          %s\n  database:        %s\n  login:           %s\n", d.DataSource, d.InitialCatalog, dbs[i].ConnectionString.Security())
		if d.UseLogin != "" {
			fmt.Fprintf(w, "  useLogin:        %s\n", d.UseLogin)
		}
		fmt.Fprintf(w, "  connection:      %s\n", d.ConnectionString)
	}
	return nil
}

// atlasError maps an atlas error to an exit code (a *position.Error is 3,
// see exitCode, and printed as it is).
func atlasError(err error) error {
	switch {
	case errors.Is(err, fs.ErrExist), errors.Is(err, atlas.ErrCharacter):
		return exitWith(ExitUsage, err)
	case errors.Is(err, atlas.ErrNoDatabases), errors.Is(err, atlas.ErrNoMatch):
		return exitWith(ExitInvalid, err)
	}
	return err
}
