package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"
	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/internal/secret"
	"github.com/xdm-migrate/xdm/sql/pg"
)

func newCmdUCC(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ucc",
		Short: "Prepare the XPR UCC PostgreSQL database (mrsdb) for an upgrade",
		Long: `Steps of the XPR upgrade manual on the UCC PostgreSQL database mrsdb, done
safely: live through a connection, or offline on the Smart Backup's dump.sql.
See "xdm ucc lowercase --help".`,
		Example: `  xdm ucc lowercase --dsn postgres://postgres@xprdb/mrsdb --dry-run
  xdm ucc lowercase --dump dump.sql --check`,
	}
	cmd.AddCommand(newCmdUCCLowercase(app, nil))
	return cmd
}

// uccLowercaseOptions are the settings of "xdm ucc lowercase".
type uccLowercaseOptions struct {
	App *App

	DSN          string // live mode
	Dump         string // offline mode: the pg_dump plain file
	Output       string
	Force        bool
	Check        bool
	DryRun       bool
	JSON         bool
	ASCII        bool
	RequireAll   bool
	AllowMissing bool
	Workers      int
}

func newCmdUCCLowercase(app *App, runF func(context.Context, *uccLowercaseOptions) error) *cobra.Command {
	opts := &uccLowercaseOptions{App: app}
	cmd := &cobra.Command{
		Use:   "lowercase (--dsn URL | --dump FILE)",
		Short: "Lowercase the UCC invitation addresses, live or in the backup's dump.sql",
		Long: `Lowercase the InvitationAddress columns of symVCC.symConferenceUserTempl and
symConferencing.Invitees, as the XPR upgrade manual does with two UPDATE
statements, but safely.

Live (--dsn, or the setting pg.dsn / XDM_PG_DSN): the tables are looked up in
the catalog whatever the case of their names (unquoted symvcc.symconferenceusertempl
or quoted "symVCC"."symConferenceUserTempl") and the names found are printed.
Before anything changes, every unique index or constraint that involves the
column is evaluated on the lowercased values; values that would collide are
listed (table, index, key, the current values) and nothing is changed. Then both
tables are updated in one transaction, only rows whose value changes
(WHERE InvitationAddress <> lower(InvitationAddress)), with PostgreSQL's own
lower(). --dry-run does all of it, prints the counts and a sample, and rolls
back. Running it again changes nothing. A table that is not there is reported,
and is an error only with --require-all; a database with neither table is an
error (exit 3, naming the database: the DSN names the wrong one), unless
--allow-missing says that is expected.

The DSN is a URL (postgres://user:password@host:port/mrsdb, the password's
@ / : ? # % and spaces percent-encoded) or key=value pairs (host=db user=xpr
password='p@ss word' dbname=mrsdb). One that xdm cannot read unambiguously is
refused before it connects; the password never appears in any output.

Offline (--dump): the plain-format pg_dump file (the Smart Backup's dump.sql)
is streamed; only the InvitationAddress field of the rows in the COPY blocks
of the two tables changes, every other byte stays as it was. Lowercasing
follows PostgreSQL's lower() in a UTF-8 database (Unicode simple case mapping,
per character); --ascii lowercases A-Z only, as lower() does in a database with
the C locale. The dump's SET client_encoding (UTF8, LATIN1, WIN1252) is
honoured. Unique constraints and indexes declared in the dump are checked over
the COPY data; with collisions nothing is written. The result goes to -o OUT,
or replaces the dump in place keeping the original as dump.sql.orig (only
when something changes; an existing dump.sql.orig is never replaced, and
without --force it stops a run that would write); -o naming the dump, a link
to it or a hard link is in place too. A dump with COPY data for neither table
is an error (exit 3) unless --allow-missing. --check only says whether
changes are needed.

The report (tables found, rows, collisions, a sample with --check and
--dry-run) goes to stderr; --json prints it as JSON on stdout instead.

Exit codes: 0 done (or nothing to do), 1 --check found rows to change,
2 wrong command line, an existing OUT or dump.sql.orig without --force, or a
DSN xdm cannot read, 3 values would collide (nothing changed), the dump is
malformed (FILE:LINE:COL) or in an unsupported client_encoding, neither table
was found (without --allow-missing) or one is missing with --require-all,
4 connection, SQL or I/O error (also: another xdm is rewriting the same
dump), 130 interrupted (nothing changed).`,
		Example: `  # live, first look, then do it
  xdm ucc lowercase --dsn postgres://postgres@xprdb/mrsdb --dry-run
  XDM_PG_DSN=postgres://postgres@xprdb/mrsdb xdm ucc lowercase

  # the same with the DSN in the environment, Windows cmd:
  set "XDM_PG_DSN=postgres://postgres@xprdb/mrsdb"
  xdm ucc lowercase
  # Windows PowerShell:
  $env:XDM_PG_DSN = 'postgres://postgres@xprdb/mrsdb'
  xdm ucc lowercase

  # offline, on the Smart Backup's dump
  xdm ucc lowercase --dump dump.sql --check
  xdm ucc lowercase --dump dump.sql -o dump-lower.sql
  xdm ucc lowercase --dump dump.sql            # in place, keeps dump.sql.orig
  xdm ucc lowercase --dump "D:\Smart Backup\dump.sql"   # a path with spaces: double quotes, any shell`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if opts.Dump != "" {
				return runUCCLowercaseDump(cmd.Context(), opts)
			}
			return runUCCLowercaseLive(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.DSN, "dsn", "", "PostgreSQL connection URL or key=value string of mrsdb (live mode)")
	setConfigKey(cmd, "dsn", "pg.dsn")
	f.StringVar(&opts.Dump, "dump", "", "plain pg_dump file to rewrite (offline mode)")
	f.StringVarP(&opts.Output, "output", "o", "", "offline: write the result here (default: replace the dump in place, keeping FILE.orig)")
	f.BoolVar(&opts.Force, "force", false, "offline: replace an existing output; in place, rewrite the dump even though dump.sql.orig exists (it is kept)")
	f.BoolVar(&opts.Check, "check", false, "offline: write nothing, exit 1 when rows need lowercasing")
	f.BoolVar(&opts.DryRun, "dry-run", false, "report what would change (with a sample) and change nothing")
	f.BoolVar(&opts.JSON, "json", false, "print the final report as JSON on stdout")
	f.BoolVar(&opts.ASCII, "ascii", false, "offline: lowercase A-Z only (databases with the C locale)")
	f.BoolVar(&opts.RequireAll, "require-all", false, "fail (exit 3) when one of the tables is missing")
	f.BoolVar(&opts.AllowMissing, "allow-missing", false, "do not fail when neither table is there (a database or dump without UCC data)")
	addWorkersFlag(cmd, &opts.Workers, "offline, chunks rewritten in parallel")
	return cmd
}

func (o *uccLowercaseOptions) validate(cmd *cobra.Command) error {
	fl := cmd.Flags()
	if o.RequireAll && o.AllowMissing {
		return usageErrorf("--require-all and --allow-missing exclude each other")
	}
	if o.Dump != "" {
		if fl.Changed("dsn") {
			return usageErrorf("give either --dsn (live) or --dump (offline), not both")
		}
		if o.Check && o.DryRun {
			return usageErrorf("--check and --dry-run exclude each other")
		}
		if (o.Check || o.DryRun) && o.Output != "" {
			return usageErrorf("--%s writes nothing; drop -o", map[bool]string{true: "check", false: "dry-run"}[o.Check])
		}
		return nil
	}
	if o.DSN == "" {
		return usageErrorf("give --dsn URL (or set pg.dsn / XDM_PG_DSN) for the live database, or --dump FILE for a dump")
	}
	for _, name := range []string{"output", "force", "check", "ascii", "workers"} {
		if fl.Changed(name) {
			return usageErrorf("--%s applies to --dump only", name)
		}
	}
	return nil
}

func runUCCLowercaseLive(ctx context.Context, opts *uccLowercaseOptions) error {
	app := opts.App
	// The DSN was checked when the settings were read (checkDSNSettings):
	// pgx reads it and so does internal/secret. pgx's own parse errors may
	// quote it, so they are never shown.
	cfg, err := pgx.ParseConfig(opts.DSN)
	if err != nil {
		return usageErrorf("--dsn: not a PostgreSQL connection string pgx can read (it is not shown; see docs/ucc.md for the forms)")
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return liveError(ctx, opts.DSN, "connecting to "+secret.Postgres.RedactDSN(opts.DSN), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rep, err := pg.Lowercase(ctx, conn, pg.Options{DryRun: opts.DryRun, RequireAll: opts.RequireAll})
	if rep != nil && (err == nil || errors.Is(err, pg.ErrCollisions) || errors.Is(err, pg.ErrMissing)) {
		if perr := printLiveReport(app, opts, rep); perr != nil {
			return perr
		}
	}
	switch {
	case err == nil && noneFound(rep) && !opts.AllowMissing:
		return exitWith(ExitInvalid, fmt.Errorf("%s has neither of the UCC tables (%s); is it XPR's UCC database (mrsdb)? Nothing was changed; --allow-missing accepts a database without them",
			describeConn(ctx, conn), targetList(rep)))
	case err == nil:
		return nil
	case errors.Is(err, pg.ErrCollisions):
		return exitWith(ExitInvalid, fmt.Errorf("%s: %w", plural.Count(len(rep.Collisions), "collision"), err))
	case errors.Is(err, pg.ErrMissing):
		return exitWith(ExitInvalid, fmt.Errorf("%s: %w", describeConn(ctx, conn), err))
	default:
		return liveError(ctx, opts.DSN, "", err)
	}
}

// noneFound reports whether the database holds none of the target tables.
func noneFound(rep *pg.Report) bool {
	for _, t := range rep.Tables {
		if t.Found {
			return false
		}
	}
	return true
}

func targetList(rep *pg.Report) string {
	seen := map[string]bool{}
	var names []string
	for _, t := range rep.Tables {
		if n := t.Target.String(); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// describeConn names the database the connection reached, as the server
// says (what the DSN said may be garbled by an unescaped password).
func describeConn(ctx context.Context, conn *pgx.Conn) string {
	var db string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil {
		return "the database"
	}
	return fmt.Sprintf("database %s on %s", pgx.Identifier{db}.Sanitize(), conn.PgConn().Conn().RemoteAddr())
}

// liveError keeps passwords out of a driver error and maps cancellation.
func liveError(ctx context.Context, dsn, what string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	msg := secret.Postgres.RedactMessage(err.Error(), dsn)
	if what != "" {
		msg = what + ": " + msg
	}
	return exitWith(ExitFailure, errors.New(msg))
}

func printLiveReport(app *App, opts *uccLowercaseOptions, rep *pg.Report) error {
	if opts.JSON {
		return writeJSON(app.IO.Out, map[string]any{"mode": "live", "report": rep})
	}
	if app.Quiet() && len(rep.Collisions) == 0 {
		return nil
	}
	w := app.IO.ErrOut
	verb := "changed"
	if rep.DryRun {
		verb = "would change"
	}
	for _, t := range rep.Tables {
		if !t.Found {
			fmt.Fprintf(w, "not found: %s (%s)\n", t.Target, t.Note)
			continue
		}
		fmt.Fprintf(w, "found %s column %s (for %s)\n", t.Name(), pgx.Identifier{t.Column}.Sanitize(), t.Target)
	}
	for _, c := range rep.Collisions {
		fmt.Fprintf(w, "collision: %s\n", c)
	}
	if len(rep.Collisions) > 0 {
		return nil
	}
	for _, t := range rep.Tables {
		if !t.Found {
			continue
		}
		fmt.Fprintf(w, "%s: %s %s\n", t.Name(), plural.Count(t.Rows, "row"), verb)
		for _, s := range t.Sample {
			fmt.Fprintf(w, "  %q -> %q\n", s.Old, s.New)
		}
	}
	switch {
	case noneFound(rep):
	case rep.DryRun:
		fmt.Fprintln(w, "dry run: rolled back, nothing changed")
	case rep.Committed:
		fmt.Fprintf(w, "committed: %s lowercased\n", plural.Count(rep.Changed(), "row"))
	}
	return nil
}
