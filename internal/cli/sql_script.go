package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/mssql"
	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/mssql/script"
	sqlversion "github.com/xdm-migrate/xdm/sql/version"
)

type sqlScriptOptions struct {
	Conn           mssql.ConnOptions
	Target         string
	Output         string
	SchemaOnly     bool
	DataOnly       bool
	Include        []string
	Exclude        []string
	RowsPerInsert  int
	BatchRows      int
	CreateDatabase bool
	DatabaseName   string
	Principals     bool
	SplitDir       string
	FromSnapshot   string
	Force          bool
	JSON           bool
	Encoding       string
	enc            batch.Encoding
}

func newCmdSQLScript(app *App, runF func(*sqlScriptOptions) error) *cobra.Command {
	opts := &sqlScriptOptions{}
	cmd := &cobra.Command{
		Use:   "script -S server -d DATABASE --target VERSION [-o OUT.sql] [flags]",
		Short: "Script a database, schema and data, for an older SQL Server",
		Long: `Write a T-SQL script that recreates a database, schema and data, on the
SQL Server version given with --target (2008, 2008R2, 2012, 2014, 2016, 2017,
2019, 2022). It replaces SSMS's "Generate Scripts" wizard for a lower server
version and runs with "xdm sql run" or sqlcmd.

Order: schemas, types and sequences; the tables with their clustered keys
(and before them the functions they use in computed columns, defaults or
checks); the data, with each identity reseeded to where the source left it;
then every nonclustered key and index, then the foreign keys, then checks
and system versioning; then views, functions, procedures, triggers and
synonyms, all ordered by one dependency graph (objects that depend on each
other are reported); extended properties last. Every constraint and index
is a batch of its own, so one the target refuses fails alone.

The version rules of "xdm sql downgrade" are applied to every statement and
module body; features the target lacks are rewritten or left out (a
columnstore index where the target would make the table read-only or
refuse it, a scoped configuration, an index option), and each is listed in
the final report. A body that calls a function the target does not have
(STRING_AGG on 2014) is kept and reported as refused, with what fails with
it: fix it by hand before running the script; xdm then exits with 1.

Data is streamed table by table with bounded memory as multi-row INSERTs
(--rows-per-insert, at most 1000) with GO every --batch-rows rows and
SET IDENTITY_INSERT around tables with an identity column. Every type gets an
exact literal (see docs/sql-script.md); computed and rowversion columns are
skipped. No value reaches the script unescaped: identifiers are bracketed,
and text holding "$(" or a line sqlcmd would read as a command (GO, :r) is
split so that sqlcmd leaves it alone, without -x.

--from-snapshot scripts from a file written by "xdm sql catalog" instead of
reading the catalog; data then comes from the server if -S/--dsn is given,
else from rows embedded in the snapshot (tests and examples), else
--schema-only is implied.

--json prints the report (objects by kind, rows per table, notes with object,
rule, action, message and the objects each affects) as JSON on stdout; the script then needs -o or
--split-dir.

--split-dir writes one file per object and a master.sql that includes them
with :r; run it from inside that folder: cd DIR && sqlcmd -b -i master.sql.
An existing output file or non-empty folder is refused (unless --force)
before the server is asked anything; -o naming the --from-snapshot file
rewrites it in place, keeping its .orig.

--encoding utf-16 (the default) writes the script, every file of --split-dir
too, as UTF-16LE with byte order mark (FF FE), as SSMS saves "Unicode text":
sqlcmd recognises it and reads it as it is. A UTF-8 file without -f 65001
would be read in the ANSI code page, and every non-ASCII character in the
N'...' literals (umlauts in user names) would be stored corrupted, silently.
--encoding utf-8 writes UTF-8 with byte order mark (EF BB BF): give sqlcmd
-f 65001. "xdm sql run" reads both. Standard output gets the same bytes:
use -o for a file, --encoding utf-8 for a pipe or a terminal.

Exit codes: 0 written, 1 written but with statements the target will refuse
(listed), 2 bad command line or an existing output without --force,
3 invalid snapshot, 4 connection, database or I/O error, 130 interrupted
(nothing written).`,
		Example: `  xdm sql script -S "SQLSERVER\XPHONE" -d XPDATA --target 2014 -o xpdata-2014.sql
  xdm sql script -S . -d XPDATA --target 2012 --create-database --split-dir "C:\export\xpdata"
  xdm sql script -S . -d XPDATA --target 2014 --schema-only --include "dbo.*" --exclude "*.Journal*" -o schema.sql
  xdm sql script --from-snapshot xpdata.json --target 2014 --schema-only -o schema.sql
  # UTF-8 (with BOM) instead of UTF-16: sqlcmd then needs -f 65001
  xdm sql script -S . -d XPDATA --target 2014 --encoding utf-8 -o xpdata-2014.sql`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Target == "" {
				return usageErrorf("--target is required: the SQL Server version the script must run on (e.g. 2014)")
			}
			if _, err := sqlversion.Parse(opts.Target); err != nil {
				return usageErrorf("--target: %v", err)
			}
			if opts.SchemaOnly && opts.DataOnly {
				return usageErrorf("--schema-only and --data-only exclude each other")
			}
			if opts.RowsPerInsert < 1 || opts.RowsPerInsert > script.MaxRowsPerInsert {
				return usageErrorf("--rows-per-insert %d: give 1 to %d", opts.RowsPerInsert, script.MaxRowsPerInsert)
			}
			enc, err := parseScriptEncoding(opts.Encoding)
			if err != nil {
				return err
			}
			opts.enc = enc
			if opts.BatchRows < 1 {
				return usageErrorf("--batch-rows %d: give a positive number of rows", opts.BatchRows)
			}
			if opts.Output != "" && opts.SplitDir != "" {
				return usageErrorf("-o and --split-dir exclude each other")
			}
			if opts.JSON && (opts.Output == "" || opts.Output == "-") && opts.SplitDir == "" {
				return usageErrorf("--json writes the report to standard output: give the script -o FILE or --split-dir DIR")
			}
			live := opts.Conn.DSN != "" || opts.Conn.Server != ""
			if opts.FromSnapshot == "" && !live {
				return usageErrorf("no source: give -S server -d DATABASE (or --dsn), or --from-snapshot FILE")
			}
			if live {
				if err := askPassword(app, &opts.Conn); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return runSQLScript(cmd.Context(), app, opts)
		},
	}
	addConnFlags(cmd, &opts.Conn)
	cmd.Flags().Lookup("database").Usage = "database to script"
	f := cmd.Flags()
	f.StringVar(&opts.Target, "target", "", "SQL Server version the script must run on: 2008, 2008R2, 2012, 2014, 2016, 2017, 2019, 2022")
	f.StringVarP(&opts.Output, "output", "o", "", "script file to write (default: standard output)")
	markOutputDash(cmd, dashHandled)
	f.BoolVar(&opts.SchemaOnly, "schema-only", false, "script the schema only, no rows")
	f.BoolVar(&opts.DataOnly, "data-only", false, "script the rows only (INSERTs into existing tables)")
	f.StringArrayVar(&opts.Include, "include", nil, `script only objects matching this schema.name pattern with * and ? ("dbo.*"); repeatable`)
	f.StringArrayVar(&opts.Exclude, "exclude", nil, `leave out objects matching this pattern ("*.Journal*"); repeatable`)
	f.IntVar(&opts.RowsPerInsert, "rows-per-insert", script.DefaultRowsPerInsert, "rows per INSERT statement (1 to 1000)")
	f.IntVar(&opts.BatchRows, "batch-rows", script.DefaultBatchRows, "rows per batch: GO after this many rows")
	f.BoolVar(&opts.CreateDatabase, "create-database", false, "add CREATE DATABASE with its file groups (FILESTREAM too) and COMPATIBILITY_LEVEL clamped to the target, then USE it")
	f.StringVar(&opts.DatabaseName, "database-name", "", "name of the database in CREATE DATABASE and USE (default: the source's)")
	f.BoolVar(&opts.Principals, "principals", false, "also script database users, roles and role memberships")
	f.StringVar(&opts.SplitDir, "split-dir", "", "write one file per object into this new folder, plus master.sql that includes them with :r")
	f.StringVar(&opts.FromSnapshot, "from-snapshot", "", `read the catalog from this JSON snapshot ("xdm sql catalog") instead of the server`)
	f.BoolVar(&opts.Force, "force", false, "replace an existing output file or folder")
	f.BoolVar(&opts.JSON, "json", false, "print the final report as JSON on standard output (needs -o or --split-dir)")
	f.StringVar(&opts.Encoding, "encoding", "utf-16", "encoding of the script: utf-16 (UTF-16LE with BOM, sqlcmd reads it without -f) or utf-8 (with BOM; sqlcmd needs -f 65001)")
	return cmd
}

// parseScriptEncoding reads --encoding.
func parseScriptEncoding(s string) (batch.Encoding, error) {
	switch strings.ToLower(s) {
	case "utf-16", "utf16", "utf-16le":
		return batch.UTF16LE, nil
	case "utf-8", "utf8":
		return batch.UTF8BOM, nil
	}
	return batch.Encoding{}, usageErrorf("--encoding %q: give utf-16 (UTF-16LE with BOM, the default) or utf-8 (with BOM, for sqlcmd -f 65001)", s)
}

func runSQLScript(ctx context.Context, app *App, opts *sqlScriptOptions) error {
	target, _ := sqlversion.Parse(opts.Target)
	live := opts.Conn.DSN != "" || opts.Conn.Server != ""
	// An existing output is refused before the server is asked anything.
	out, err := beginScriptOutput(ctx, opts)
	if err != nil {
		return err
	}
	defer out.close()
	var db *sql.DB
	if live {
		var err error
		if db, err = mssql.OpenDB(ctx, opts.Conn); err != nil {
			return err
		}
		defer db.Close()
	}
	var snap *catalog.Snapshot
	if opts.FromSnapshot != "" {
		f, err := out.openSnapshot(ctx, opts.FromSnapshot)
		if err != nil {
			return err
		}
		snap, err = catalog.ReadSnapshot(f)
		f.Close()
		if err != nil {
			var pe *position.Error
			if errors.As(err, &pe) {
				return exitWith(ExitInvalid, position.In(opts.FromSnapshot, err))
			}
			return exitWith(ExitInvalid, fmt.Errorf("%s: %w", opts.FromSnapshot, err))
		}
	} else {
		var err error
		if snap, err = readCatalog(ctx, app, db); err != nil {
			return err
		}
	}
	so := script.Options{
		Target: target, SchemaOnly: opts.SchemaOnly, DataOnly: opts.DataOnly,
		Include: opts.Include, Exclude: opts.Exclude,
		RowsPerInsert: opts.RowsPerInsert, BatchRows: opts.BatchRows,
		CreateDatabase: opts.CreateDatabase, DatabaseName: opts.DatabaseName, Principals: opts.Principals,
		Encoding: opts.enc,
	}
	if live {
		so.Rows = catalog.DBRows{DB: db}
	} else if !opts.SchemaOnly && !hasEmbeddedRows(snap) {
		so.SchemaOnly = true
		if opts.DataOnly {
			return usageErrorf("--data-only needs a server (-S or --dsn): %s holds no rows", opts.FromSnapshot)
		}
	}
	var bar *Progress
	so.Progress = func(p script.Progress) {
		if bar == nil {
			bar = app.newCountProgress("scripting (objects + rows)", int64(p.ObjectsTotal)+p.RowsTotal)
		}
		bar.Set(int64(p.Objects) + p.Rows)
	}
	rep, err := out.write(ctx, app.IO.Out, snap, so)
	if bar != nil {
		bar.Done()
	}
	if errors.Is(err, script.ErrUnsafeFileName) {
		return fmt.Errorf("--create-database: %w; create the database by hand and script without --create-database, or rename the file first", err)
	}
	if err != nil {
		return err
	}
	var refused int
	if opts.JSON {
		for _, n := range rep.Notes {
			if n.Refused() {
				refused++
			}
		}
		if err := writeJSON(app.IO.Out, rep); err != nil {
			return err
		}
	} else {
		refused = printScriptReport(app, rep, opts, snap.Database.Name)
	}
	if refused > 0 {
		return exitWith(ExitDifferent, nil)
	}
	return nil
}

func hasEmbeddedRows(s *catalog.Snapshot) bool {
	for _, t := range s.Tables {
		if len(t.Rows) > 0 {
			return true
		}
	}
	return false
}

// scriptOutput is where the script goes: a file (-o), a folder
// (--split-dir) or standard output. The file and the folder follow
// atomicfile's rules: written under a temporary name, replacing the target
// only when the whole script is written; -o naming the snapshot read with
// --from-snapshot rewrites it in place, keeping SNAPSHOT.orig.
type scriptOutput struct {
	rw  *atomicfile.Rewrite
	dir *atomicfile.Dir
}

func beginScriptOutput(ctx context.Context, opts *sqlScriptOptions) (*scriptOutput, error) {
	var o scriptOutput
	var err error
	switch {
	case opts.SplitDir != "":
		o.dir, err = atomicfile.BeginDir(atomicfile.DirOptions{Input: opts.FromSnapshot, Output: opts.SplitDir, Force: opts.Force})
	case opts.Output != "" && opts.Output != "-":
		o.rw, err = beginOutput(ctx, opts.FromSnapshot, opts.Output, opts.Force)
	}
	return &o, err
}

func (o *scriptOutput) close() {
	if o.rw != nil {
		o.rw.Close()
	}
	if o.dir != nil {
		o.dir.Abort()
	}
}

// openSnapshot opens the --from-snapshot file: through the Rewrite when
// there is one, which then closes it before its rename.
func (o *scriptOutput) openSnapshot(ctx context.Context, path string) (io.ReadCloser, error) {
	if o.rw != nil && o.rw.Input() != nil {
		return io.NopCloser(o.rw.Input()), nil
	}
	return atomicfile.Open(ctx, path)
}

// write writes the script and commits the file or folder.
func (o *scriptOutput) write(ctx context.Context, stdout io.Writer, snap *catalog.Snapshot, so script.Options) (*script.Report, error) {
	switch {
	case o.dir != nil:
		rep, err := script.ScriptDir(ctx, o.dir.Temp, snap, so)
		if err != nil {
			return rep, err
		}
		return rep, o.dir.Commit()
	case o.rw != nil:
		f, err := o.rw.Output()
		if err != nil {
			return nil, err
		}
		rep, err := script.Script(ctx, f, snap, so)
		if err != nil {
			return rep, err
		}
		return rep, o.rw.Commit()
	default:
		return script.Script(ctx, stdout, snap, so)
	}
}

// encodingHint names enc for the report, with what sqlcmd needs for it.
func encodingHint(enc batch.Encoding) string {
	if enc.Name == batch.UTF16LE.Name {
		return "UTF-16LE with BOM: sqlcmd reads it without -f"
	}
	return enc.Name + ": give sqlcmd -f 65001"
}

// printScriptReport writes the final report to stderr and returns the
// number of refused statements.
func printScriptReport(app *App, rep *script.Report, opts *sqlScriptOptions, dbName string) int {
	refused := 0
	for _, n := range rep.Notes {
		if n.Refused() {
			refused++
		}
	}
	w := app.IO.ErrOut
	if app.Quiet() {
		// -q: no report, but what will fail on the target.
		for _, n := range rep.Notes {
			if n.Refused() {
				fmt.Fprintf(w, "  %s\n", n)
			}
		}
		printRefusedLine(w, refused, rep)
		return refused
	}
	var kinds []string
	total := 0
	for k, n := range rep.Objects {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, strings.ToLower(k)))
		total += n
	}
	sort.Strings(kinds)
	where := opts.Output
	if opts.SplitDir != "" {
		where = fmt.Sprintf("%s (%s, run master.sql from there)", opts.SplitDir, plural.Count(len(rep.Files), "file"))
	}
	if where == "" || where == "-" {
		where = "standard output"
	}
	fmt.Fprintf(w, "Scripted %s from %s for %s to %s (%s)\n", catalog.QuoteName(dbName), rep.Source, rep.Target, where, encodingHint(opts.enc))
	fmt.Fprintf(w, "Objects: %d (%s)\n", total, strings.Join(kinds, ", "))
	if len(rep.Tables) > 0 {
		var rows int64
		for _, t := range rep.Tables {
			rows += t.Rows
		}
		fmt.Fprintf(w, "Rows: %d in %s\n", rows, plural.Count(len(rep.Tables), "table"))
		for _, t := range rep.Tables {
			fmt.Fprintf(w, "  %12d  %s\n", t.Rows, catalog.QualifiedName(t.Schema, t.Name))
		}
	}
	if len(rep.Notes) > 0 {
		fmt.Fprintf(w, "Rules applied for %s: %d\n", rep.Target, len(rep.Notes))
		for _, n := range rep.Notes {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	printRefusedLine(w, refused, rep)
	return refused
}

// printRefusedLine says how many statements the target will refuse, if any.
func printRefusedLine(w io.Writer, refused int, rep *script.Report) {
	if refused > 0 {
		fmt.Fprintf(w, "xdm: %s will fail on %s (\"refuse\" above): edit them before running the script\n", plural.Count(refused, "statement"), rep.Target)
	}
}
