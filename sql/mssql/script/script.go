// Package script writes a T-SQL script that recreates a database, schema and
// data, on an older SQL Server: "xdm sql script". The schema comes from a
// catalog.Snapshot, the rows from a catalog.RowSource; the output is one
// stream of GO-separated batches, or one file per object plus a master
// script that :r-includes them.
package script

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"

	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/downgrade"
	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

// Limits of the INSERT statements.
const (
	DefaultRowsPerInsert = 1000
	MaxRowsPerInsert     = 1000 // SQL Server's limit for a VALUES list
	DefaultBatchRows     = 10000
	// maxStatementBytes ends an INSERT early when its text grows past this,
	// so that tables with large values stay within reasonable batches.
	maxStatementBytes = 4 << 20
)

// nl ends every line xdm writes; module bodies keep their own line ends.
const nl = "\r\n"

// runHint is the comment line that tells how to run the script file name.
// It is the same in every encoding, so that the text never depends on it.
func runHint(name string) string {
	return "-- Run with: xdm sql run, or sqlcmd -b -i " + name + " (add -f 65001 if this file is UTF-8)" + nl
}

// sessionSettings are the SET options the script runs under (those that
// indexed views and filtered indexes require).
const sessionSettings = "SET ANSI_NULLS ON;" + nl + "SET QUOTED_IDENTIFIER ON;" + nl +
	"SET ANSI_PADDING ON;" + nl + "SET ANSI_WARNINGS ON;" + nl + // implies ARITH_ABORT ON (compatibility level 90+)
	"SET CONCAT_NULL_YIELDS_NULL ON;" + nl + "SET NUMERIC_ROUNDABORT OFF;" + nl

// Options tune Script. The zero value scripts schema and embedded data for
// the source's own version.
type Options struct {
	// Target is the version the script must run on; zero means the source's.
	Target version.Version
	// SchemaOnly and DataOnly restrict the script; both false means both.
	SchemaOnly, DataOnly bool
	// Include and Exclude are schema.name patterns with * and ?, matched
	// case-insensitively ("dbo.*", "*.Journal*"); a pattern without a dot
	// matches the name in any schema. Empty Include means everything.
	Include, Exclude []string
	// RowsPerInsert is the number of rows per INSERT (default and maximum 1000).
	RowsPerInsert int
	// BatchRows ends a batch with GO after this many rows (default 10000).
	BatchRows int
	// CreateDatabase adds CREATE DATABASE with the file groups, the
	// FILESTREAM file group and COMPATIBILITY_LEVEL clamped to Target, and USE.
	CreateDatabase bool
	// DatabaseName replaces the source database's name in CREATE DATABASE and USE.
	DatabaseName string
	// Principals adds the database users, roles and role memberships.
	Principals bool
	// Rows gives the table data; nil uses rows embedded in the snapshot.
	Rows catalog.RowSource
	// Progress, when set, is called after every object and every INSERT.
	Progress func(Progress)
	// Encoding of the script, and with ScriptDir of every file. The zero
	// value is UTF-8 without byte order mark (batch.UTF8), which sqlcmd
	// reads only with -f 65001; batch.UTF16LE is what sqlcmd reads as it
	// is (and what "xdm sql script" writes by default); batch.UTF8BOM also
	// needs -f 65001. The text is the same in every encoding.
	Encoding batch.Encoding
}

// Progress is a snapshot of a running Script.
type Progress struct {
	Objects, ObjectsTotal int
	Table                 string // schema.name of the table whose rows are being written
	Rows                  int64  // rows written so far, all tables
	RowsTotal             int64  // the tables' row counts from the catalog (estimate)
}

// Note is one change or omission the scripter made so that the script runs
// on the target: a version rule of package downgrade applied to a batch, or
// a structural change (a feature the target lacks, left out or replaced).
type Note struct {
	Object  string `json:"object,omitempty"` // [schema].[name], [schema].[table].[index] or "database"
	Rule    string `json:"rule"`             // the downgrade rule ID ("create-or-alter") or a short name
	Action  string `json:"action"`           // rewrite, omit, warn or refuse (as downgrade.Action names them)
	Message string `json:"message"`
	// Affects lists, for an object that is left out or refused, the
	// objects that depend on it and fail with it (a table whose computed
	// column calls a refused function, the views on that table...).
	Affects []string `json:"affects,omitempty"`
}

func (n Note) String() string {
	s := n.Action + ": " + n.Rule + ": " + n.Message
	if n.Object != "" {
		s = n.Object + ": " + s
	}
	if len(n.Affects) > 0 {
		s += " (affects " + strings.Join(n.Affects, ", ") + ")"
	}
	return s
}

// Refused reports whether the note is a refusal: the statement was kept and
// will fail on the target.
func (n Note) Refused() bool { return n.Action == downgrade.Refuse.String() }

// TableRows is one table's row count in the script.
type TableRows struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	Rows   int64  `json:"rows"`
}

// Report says what Script wrote.
type Report struct {
	Source  version.Version `json:"source"` // 150 for SQL Server 2019
	Target  version.Version `json:"target"`
	Objects map[string]int  `json:"objects"` // objects scripted by kind (TABLE, VIEW, PROCEDURE, ...)
	Tables  []TableRows     `json:"tables"`
	Notes   []Note          `json:"notes"`
	Cycles  [][]string      `json:"cycles,omitempty"` // modules left in a dependency cycle, scripted in name order
	Files   []string        `json:"files,omitempty"`  // with ScriptDir: the files written, master first
}

// Script writes the script for snap to w, in opts.Encoding.
func Script(ctx context.Context, w io.Writer, snap *catalog.Snapshot, opts Options) (*Report, error) {
	ew := opts.Encoding.NewWriter(w)
	bw := bufio.NewWriterSize(ew, 256<<10)
	out := &streamOutput{w: bw}
	rep, err := run(ctx, out, snap, opts)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = ew.Close()
	}
	return rep, encodingError(err, opts.Encoding)
}

// encodingError explains the encoder's refusal of invalid UTF-8.
func encodingError(err error, enc batch.Encoding) error {
	if errors.Is(err, encoding.ErrInvalidUTF8) {
		return fmt.Errorf("cannot write the script as %s: a name, definition or value holds bytes that are not UTF-8 text: %w", enc.Name, err)
	}
	return err
}

// output receives the script one object at a time; a split output opens a
// file per object.
type output interface {
	object(kind, name string) (io.Writer, error)
	finish() error
}

type streamOutput struct{ w *bufio.Writer }

func (o *streamOutput) object(string, string) (io.Writer, error) { return o.w, nil }
func (o *streamOutput) finish() error                            { return nil }

type scripter struct {
	ctx   context.Context
	snap  *catalog.Snapshot
	opts  Options
	out   output
	w     io.Writer
	rep   *Report
	types map[string]catalog.Type // alias types by lower-case schema.name
	graph *graph
	prog  Progress
	buf   []byte
	errw  error
}

func run(ctx context.Context, out output, snap *catalog.Snapshot, opts Options) (*Report, error) {
	if err := snap.Validate(); err != nil {
		return nil, err
	}
	if opts.Target == 0 {
		opts.Target = snap.Source.Version
	}
	if !opts.Target.Known() {
		return nil, fmt.Errorf("target version %d is not a known SQL Server version", int(opts.Target))
	}
	if opts.SchemaOnly && opts.DataOnly {
		return nil, errors.New("schema-only and data-only exclude each other")
	}
	if opts.RowsPerInsert <= 0 {
		opts.RowsPerInsert = DefaultRowsPerInsert
	}
	if opts.RowsPerInsert > MaxRowsPerInsert {
		return nil, fmt.Errorf("rows per insert %d: SQL Server accepts at most %d rows in one VALUES list", opts.RowsPerInsert, MaxRowsPerInsert)
	}
	if opts.BatchRows <= 0 {
		opts.BatchRows = DefaultBatchRows
	}
	for _, p := range append(append([]string{}, opts.Include...), opts.Exclude...) {
		if strings.TrimSpace(p) == "" {
			return nil, errors.New("empty include/exclude pattern")
		}
	}
	if opts.Rows == nil {
		opts.Rows = catalog.EmbeddedRows{}
	}
	s := &scripter{ctx: ctx, snap: snap, opts: opts, out: out,
		rep:   &Report{Source: snap.Source.Version, Target: opts.Target, Objects: map[string]int{}},
		types: map[string]catalog.Type{}}
	for _, u := range snap.Types {
		if u.Table == nil {
			s.types[strings.ToLower(u.Schema+"."+u.Name)] = u.Base
		}
	}
	err := s.script()
	if err == nil {
		err = out.finish()
	}
	return s.rep, err
}

// selected reports whether schema.name passes Include and Exclude.
func (s *scripter) selected(schema, name string) bool {
	full := strings.ToLower(schema + "." + name)
	match := func(p string) bool {
		p = strings.ToLower(p)
		if !strings.Contains(p, ".") {
			return glob(p, strings.ToLower(name))
		}
		return glob(p, full)
	}
	if len(s.opts.Include) > 0 {
		in := false
		for _, p := range s.opts.Include {
			if match(p) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	for _, p := range s.opts.Exclude {
		if match(p) {
			return false
		}
	}
	return true
}

// glob matches * (any run) and ? (one character) against s, rune-wise.
func glob(p, s string) bool {
	pr, sr := []rune(p), []rune(s)
	px, sx, starP, starS := 0, 0, -1, 0
	for sx < len(sr) {
		switch {
		case px < len(pr) && (pr[px] == '?' || pr[px] == sr[sx]):
			px++
			sx++
		case px < len(pr) && pr[px] == '*':
			starP, starS = px, sx
			px++
		case starP >= 0:
			px = starP + 1
			starS++
			sx = starS
		default:
			return false
		}
	}
	for px < len(pr) && pr[px] == '*' {
		px++
	}
	return px == len(pr)
}

// note records a structural omission.
func (s *scripter) note(object, rule, format string, args ...any) {
	s.rep.Notes = append(s.rep.Notes, Note{Object: object, Rule: rule, Action: downgrade.Omit.String(), Message: fmt.Sprintf(format, args...)})
}

// unit is one object of the script: the statements that create it, each
// a batch of its own so that one the target refuses fails alone, written
// to one file with ScriptDir.
type unit struct {
	file  string // the kind in ScriptDir's file names: "table", "keys", ...
	name  string // schema.name, for the file name
	count string // the Report.Objects kind it counts as ("TABLE"); "" counts nothing
	stmts []stmt
}

// stmt is one batch and the object it creates, which notes name. A raw
// statement (a session SET) is written as it is, without the version rules.
type stmt struct {
	object string
	sql    string
	raw    bool
}

// add appends a statement creating object to u.
func (u *unit) add(object, sql string) { u.stmts = append(u.stmts, stmt{object: object, sql: sql}) }

// emit writes u: its output (a file of its own with ScriptDir), every
// statement as a batch, and its count in the report. A unit without
// statements writes nothing.
func (s *scripter) emit(u unit) error {
	if len(u.stmts) == 0 {
		return nil
	}
	if err := s.begin(u.file, u.name); err != nil {
		return err
	}
	for _, st := range u.stmts {
		if st.raw {
			s.write(st.sql + nl + "GO" + nl)
		} else if err := s.batch(st.object, st.sql); err != nil {
			return err
		}
	}
	if u.count != "" {
		s.done(u.count)
	}
	return s.errw
}

// begin starts the output of one object.
func (s *scripter) begin(kind, name string) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	w, err := s.out.object(kind, name)
	if err != nil {
		return err
	}
	s.w = w
	return nil
}

// done counts one scripted object of kind.
func (s *scripter) done(kind string) {
	s.rep.Objects[kind]++
	s.prog.Objects++
	if s.opts.Progress != nil {
		s.opts.Progress(s.prog)
	}
}

func (s *scripter) write(text string) {
	if s.errw != nil {
		return
	}
	_, s.errw = io.WriteString(s.w, text)
}

// batch writes DDL text (without GO) as one batch: the version rules are
// applied, and text that sqlcmd would alter is run through dynamic SQL.
func (s *scripter) batch(object, text string) error {
	out, findings := downgrade.RewriteBatch([]byte(text), downgrade.Options{Target: s.opts.Target}, downgrade.Position{})
	for _, f := range findings {
		s.rep.Notes = append(s.rep.Notes, Note{Object: object, Rule: f.Rule, Action: f.Action.String(),
			Message: fmt.Sprintf("%s (%s) at line %d of the object's text: %s", f.Feature, f.Introduced, f.Line, f.Message)})
	}
	if string(out) == text || hasGoLine(text) {
		s.rawBatch(string(out))
		return s.errw
	}
	// A rewrite may split the batch with GO lines (CREATE OR ALTER becomes
	// a stub CREATE batch and an ALTER batch): guard each part on its own.
	for _, part := range splitGoLines(string(out)) {
		s.rawBatch(part)
	}
	return s.errw
}

// hasGoLine reports whether text has a line that is GO alone.
func hasGoLine(text string) bool { return len(splitGoLines(text)) > 1 }

// splitGoLines cuts text at lines holding only GO (blanks around it allowed).
func splitGoLines(text string) []string {
	var parts []string
	start := 0
	for i := 0; i <= len(text); {
		j := strings.IndexByte(text[i:], '\n')
		end := len(text)
		if j >= 0 {
			end = i + j + 1
		}
		line := strings.TrimSpace(text[i:end])
		if strings.EqualFold(line, "GO") {
			parts = append(parts, text[start:i])
			start = end
		}
		if j < 0 {
			break
		}
		i = end
	}
	return append(parts, text[start:])
}

// rawBatch writes a batch as it is, or as dynamic SQL when the text holds
// "$(" or a line that sqlcmd would take as a command: the text becomes a
// string expression (split so that sqlcmd cannot see "$(" or a command
// line) assigned to a variable, which EXEC runs. EXEC itself takes only
// literals and variables, never an expression such as CAST or NCHAR.
func (s *scripter) rawBatch(text string) {
	if needsGuard(text) {
		text = dynamicSQL(text)
	}
	s.write(text)
	if !strings.HasSuffix(text, "\n") {
		s.write(nl)
	}
	s.write("GO" + nl)
}

// dynamicSQL is the batch that runs text through EXEC: the variable is
// nvarchar(max) and the expression starts with a max-typed piece, so
// nothing is cut at 4000 characters.
func dynamicSQL(text string) string {
	lit, _ := appendString(nil, text, true, true)
	return "DECLARE @sql nvarchar(max) = " + string(lit) + ";" + nl + "EXEC (@sql);"
}

// needsGuard reports whether sqlcmd would change or cut text: a variable
// reference "$(" or a line (other than the first) that reads as a command.
func needsGuard(text string) bool {
	if strings.Contains(text, "$(") || strings.IndexByte(text, 0) >= 0 {
		return true
	}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' && dangerousLine(text[i+1:]) {
			return true
		}
	}
	return dangerousLine(text)
}

// script writes the whole script, in phases: the header and database;
// principals, schemas, types and sequences; the tables with what they need
// (functions in computed columns, defaults and checks), in dependency order;
// the data; keys and indexes, then foreign keys, then checks and system
// versioning, each statement a batch of its own and every key in place
// before a foreign key can reference it; the other views, functions,
// procedures, triggers and synonyms in dependency order; extended
// properties.
func (s *scripter) script() error {
	s.graph = s.buildGraph()
	s.prog.ObjectsTotal = s.countObjects()
	for _, t := range s.tables() {
		if !s.opts.SchemaOnly {
			s.prog.RowsTotal += t.RowCount
		}
	}
	if err := s.header(); err != nil {
		return err
	}
	if s.opts.CreateDatabase {
		if err := s.createDatabase(); err != nil {
			return err
		}
	}
	schema := !s.opts.DataOnly
	phases := []struct {
		run  bool
		step func() error
	}{
		{schema, s.schemaObjects},
		{schema, s.reportCycles},
		{schema, s.createTables},
		{!s.opts.SchemaOnly, s.allData},
		{schema, s.keysAndIndexes},
		{schema, s.foreignKeys},
		{schema, s.checksAndVersioning},
		{schema, s.lateObjects},
		{schema, s.properties},
	}
	for _, p := range phases {
		if !p.run {
			continue
		}
		if err := p.step(); err != nil {
			return err
		}
	}
	return s.errw
}

// header writes the comment and session settings every script starts with.
func (s *scripter) header() error {
	if err := s.begin("header", "header"); err != nil {
		return err
	}
	s.write("-- Database " + catalog.QuoteName(s.dbName()) + " scripted by xdm from " + s.snap.Source.Version.String() + " for " + s.opts.Target.String() + "." + nl)
	s.write(runHint("<this file>"))
	// sqlcmd starts with QUOTED_IDENTIFIER OFF; filtered indexes, indexed
	// views and computed-column indexes (and INSERTs into their tables) need
	// these settings.
	s.write("SET NOCOUNT ON;" + nl + sessionSettings + "GO" + nl)
	return s.errw
}

func (s *scripter) dbName() string {
	if s.opts.DatabaseName != "" {
		return s.opts.DatabaseName
	}
	return s.snap.Database.Name
}

// countObjects estimates the objects Script counts with done, for progress.
func (s *scripter) countObjects() int {
	if s.opts.DataOnly {
		return 0
	}
	return len(s.snap.Schemas) + len(s.snap.Types) + len(s.graph.nodes)
}

// selectedTables returns the tables Include and Exclude select, in the
// snapshot's order.
func (s *scripter) selectedTables() []*catalog.Table {
	var out []*catalog.Table
	for i := range s.snap.Tables {
		t := &s.snap.Tables[i]
		if s.selected(t.Schema, t.Name) {
			out = append(out, t)
		}
	}
	return out
}

// tables returns the selected tables in the graph's order.
func (s *scripter) tables() []*catalog.Table {
	var out []*catalog.Table
	for _, n := range s.graph.order {
		if n.kind == tableNode {
			out = append(out, n.table)
		}
	}
	return out
}

func (s *scripter) moduleSelected(m catalog.Module) bool {
	if m.Kind == catalog.Trigger && m.ParentTable != "" {
		return s.selected(m.ParentSchema, m.ParentTable)
	}
	return s.selected(m.Schema, m.Name)
}

// reportCycles notes the objects that depend on each other: they are
// scripted in name order, and a view or function among them may fail.
func (s *scripter) reportCycles() error {
	for _, grp := range s.graph.cycles {
		var names []string
		for _, n := range grp {
			names = append(names, n.name)
		}
		s.rep.Cycles = append(s.rep.Cycles, names)
		s.rep.Notes = append(s.rep.Notes, Note{Rule: "dependency cycle", Action: downgrade.Warn.String(),
			Message: fmt.Sprintf("%s reference each other (or what does); scripted in name order: a view or function among them may fail to create", strings.Join(names, ", "))})
	}
	return nil
}

// createTables creates the tables, and before each what it needs (early
// modules and synonyms), in the graph's order.
func (s *scripter) createTables() error {
	for _, n := range s.graph.order {
		var err error
		switch {
		case n.kind == tableNode:
			err = s.createTable(n.table)
		case n.early:
			err = s.object(n)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// allData writes the rows of every table.
func (s *scripter) allData() error {
	for _, t := range s.tables() {
		if err := s.data(t); err != nil {
			return err
		}
	}
	return nil
}

// lateObjects creates the views, functions, procedures, triggers and
// synonyms that no table needs, in the graph's order: after the data, so
// that loading fires no trigger.
func (s *scripter) lateObjects() error {
	for _, n := range s.graph.order {
		if n.kind != tableNode && !n.early {
			if err := s.object(n); err != nil {
				return err
			}
		}
	}
	return nil
}

// object creates a module or synonym.
func (s *scripter) object(n *node) error {
	switch n.kind {
	case moduleNode:
		return s.module(n)
	case synonymNode:
		return s.synonym(n.synonym)
	}
	return nil // sequences are created with the schema objects
}
