package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/sql/mssql"
	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
)

type sqlCatalogOptions struct {
	Conn   mssql.ConnOptions
	Output string
	Force  bool
}

func newCmdSQLCatalog(app *App, runF func(*sqlCatalogOptions) error) *cobra.Command {
	opts := &sqlCatalogOptions{}
	cmd := &cobra.Command{
		Use:   "catalog -S server -d DATABASE -o snapshot.json",
		Short: "Save a database's catalog (schema, no data) as a JSON snapshot",
		Long: `Read the catalog of a SQL Server database into a JSON snapshot: schemas, user
types and table types, sequences, synonyms, tables (columns with types,
collations, identity with its last value, computed, defaults, sparse,
ROWGUIDCOL, FILESTREAM), keys, indexes (with the settings of XML, spatial and
columnstore indexes), foreign keys, checks, views, procedures, functions and
triggers with their bodies and SET options, extended properties, users and
roles, the database scoped configurations that differ from their defaults,
and the dependencies between objects.

The queries select only what the server's version has (a SQL Server 2008
source is never asked for a 2016 column). "xdm sql script --from-snapshot"
scripts the schema from the snapshot without a server. The format is
described in docs/sql-script.md.

An existing snapshot file is refused (unless --force) before the server is
asked anything.

Exit codes: 0 written, 2 bad command line or an existing output without
--force, 4 connection or database error, 130 interrupted (nothing written).`,
		Example: `  xdm sql catalog -S "SQLSERVER\XPHONE" -d XPDATA -o xpdata-catalog.json
  xdm sql catalog --dsn "sqlserver://sa@db1?database=XPDATA" -o xpdata.json --force`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Output == "" {
				return usageErrorf("-o FILE is required: where to write the snapshot")
			}
			if opts.Conn.DSN == "" && opts.Conn.Server == "" {
				return usageErrorf("no server: give -S server[\\instance] -d DATABASE, or --dsn")
			}
			if err := askPassword(app, &opts.Conn); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runSQLCatalog(cmd.Context(), app, opts)
		},
	}
	addConnFlags(cmd, &opts.Conn)
	cmd.Flags().Lookup("database").Usage = "database whose catalog to read"
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "snapshot file to write (JSON)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing output file")
	return cmd
}

func runSQLCatalog(ctx context.Context, app *App, opts *sqlCatalogOptions) error {
	// An existing snapshot is refused before the server is asked anything.
	rw, err := beginOutput(ctx, "", opts.Output, opts.Force)
	if err != nil {
		return err
	}
	defer rw.Close()
	db, err := mssql.OpenDB(ctx, opts.Conn)
	if err != nil {
		return err
	}
	defer db.Close()
	snap, err := readCatalog(ctx, app, db)
	if err != nil {
		return err
	}
	f, err := rw.Output()
	if err != nil {
		return err
	}
	if err := snap.Write(f); err != nil {
		return err
	}
	if err := rw.Commit(); err != nil {
		return err
	}
	if !app.Quiet() {
		fmt.Fprintf(app.IO.ErrOut, "%s: %s from %s: %s, %s, %s\n", opts.Output,
			snap.Database.Name, snap.Source.Version, plural.Count(len(snap.Tables), "table"), plural.Count(len(snap.Modules), "module"), plural.Count(len(snap.Types), "type"))
	}
	return nil
}

// readCatalog reads the catalog of db with a progress bar over the queries.
func readCatalog(ctx context.Context, app *App, db catalog.Queryer) (*catalog.Snapshot, error) {
	var bar *Progress
	snap, err := catalog.Read(ctx, db, catalog.ReadOptions{Progress: func(done, total int) {
		if bar == nil {
			bar = app.newCountProgress("reading the catalog", int64(total))
		}
		bar.Set(int64(done))
	}})
	if bar != nil {
		bar.Done()
	}
	return snap, err
}
