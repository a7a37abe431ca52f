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
	"sort"
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
	Object  string `json:"object,omitempty"` // [schema].[name] or "database"
	Rule    string `json:"rule"`             // the downgrade rule ID ("create-or-alter") or a short name
	Action  string `json:"action"`           // rewrite, omit, warn or refuse (as downgrade.Action names them)
	Message string `json:"message"`
}

func (n Note) String() string {
	s := n.Action + ": " + n.Rule + ": " + n.Message
	if n.Object != "" {
		s = n.Object + ": " + s
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

func (s *scripter) script() error {
	src, tgt := s.snap.Source.Version, s.opts.Target
	s.prog.ObjectsTotal = s.countObjects()
	for _, t := range s.snap.Tables {
		if s.selected(t.Schema, t.Name) && !s.opts.SchemaOnly {
			s.prog.RowsTotal += t.RowCount
		}
	}
	if err := s.begin("header", "header"); err != nil {
		return err
	}
	name := s.dbName()
	s.write("-- Database " + catalog.QuoteName(name) + " scripted by xdm from " + src.String() + " for " + tgt.String() + "." + nl)
	s.write(runHint("<this file>"))
	// sqlcmd starts with QUOTED_IDENTIFIER OFF; filtered indexes, indexed
	// views and computed-column indexes (and INSERTs into their tables) need
	// these settings.
	s.write("SET NOCOUNT ON;" + nl + sessionSettings + "GO" + nl)
	if s.opts.CreateDatabase {
		if err := s.createDatabase(); err != nil {
			return err
		}
	}
	if !s.opts.DataOnly {
		if err := s.schemaObjects(); err != nil {
			return err
		}
	}
	tables := s.selectedTables()
	early, late, err := s.moduleOrder()
	if err != nil {
		return err
	}
	if !s.opts.DataOnly {
		if err := s.modules(early); err != nil {
			return err
		}
		for _, t := range tables {
			if err := s.createTable(t); err != nil {
				return err
			}
		}
	}
	if !s.opts.SchemaOnly {
		for _, t := range tables {
			if err := s.data(t); err != nil {
				return err
			}
		}
	}
	if !s.opts.DataOnly {
		for _, t := range tables {
			if err := s.afterData(t); err != nil {
				return err
			}
		}
		if err := s.triggers(tables); err != nil {
			return err
		}
		if err := s.modules(late); err != nil {
			return err
		}
		if err := s.properties(); err != nil {
			return err
		}
	}
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
	n := len(s.snap.Schemas) + len(s.snap.Types) + len(s.snap.Sequences) + len(s.snap.Synonyms)
	for _, m := range s.snap.Modules {
		if s.moduleSelected(m) {
			n++
		}
	}
	for _, t := range s.snap.Tables {
		if s.selected(t.Schema, t.Name) {
			n++
		}
	}
	return n
}

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

func (s *scripter) moduleSelected(m catalog.Module) bool {
	if m.Kind == catalog.Trigger && m.ParentTable != "" {
		return s.selected(m.ParentSchema, m.ParentTable)
	}
	return s.selected(m.Schema, m.Name)
}

// moduleOrder puts the selected views, functions and procedures in
// dependency order. Early modules are those a table needs (a function in a
// computed column, default or check) and what they depend on; they are
// scripted before the tables. Modules left in a cycle are reported and come
// last, in name order.
func (s *scripter) moduleOrder() (early, late []*catalog.Module, err error) {
	key := func(schema, name string) string { return strings.ToLower(schema + "." + name) }
	mods := map[string]*catalog.Module{}
	var names []string
	for i := range s.snap.Modules {
		m := &s.snap.Modules[i]
		if m.Kind == catalog.Trigger || !s.moduleSelected(*m) {
			continue
		}
		k := key(m.Schema, m.Name)
		mods[k] = m
		names = append(names, k)
	}
	sort.Strings(names)
	deps := map[string][]string{}
	tableNeeds := map[string]bool{}
	for _, d := range s.snap.Dependencies {
		from, to := key(d.Schema, d.Name), key(d.RefSchema, d.RefName)
		if mods[to] == nil {
			continue
		}
		if mods[from] != nil {
			deps[from] = append(deps[from], to)
		} else if s.snap.Table(d.Schema, d.Name) != nil {
			tableNeeds[to] = true
		}
	}
	// Close the early set over dependencies.
	var mark func(k string)
	mark = func(k string) {
		for _, d := range deps[k] {
			if !tableNeeds[d] {
				tableNeeds[d] = true
				mark(d)
			}
		}
	}
	for _, k := range names {
		if tableNeeds[k] {
			mark(k)
		}
	}
	order, cycle := topoSort(names, deps)
	if len(cycle) > 0 {
		var c []string
		for _, k := range cycle {
			c = append(c, catalog.QualifiedName(mods[k].Schema, mods[k].Name))
		}
		s.rep.Cycles = append(s.rep.Cycles, c)
		s.rep.Notes = append(s.rep.Notes, Note{Rule: "dependency cycle", Action: downgrade.Warn.String(),
			Message: fmt.Sprintf("%s reference each other (or what does); scripted in name order: a view or function among them may fail to create", strings.Join(c, ", "))})
		order = append(order, cycle...)
	}
	for _, k := range order {
		if tableNeeds[k] {
			early = append(early, mods[k])
		} else {
			late = append(late, mods[k])
		}
	}
	return early, late, nil
}

// topoSort orders names so that every name comes after its dependencies,
// keeping name order among independent ones (Kahn's algorithm). What cannot
// be ordered (cycles and what depends on them) is returned separately.
func topoSort(names []string, deps map[string][]string) (order, rest []string) {
	done := map[string]bool{}
	for {
		progress := false
		for _, n := range names {
			if done[n] {
				continue
			}
			ready := true
			for _, d := range deps[n] {
				if !done[d] && d != n {
					ready = false
					break
				}
			}
			if ready {
				done[n] = true
				order = append(order, n)
				progress = true
				break // restart so that the lowest ready name always goes first
			}
		}
		if !progress {
			break
		}
	}
	for _, n := range names {
		if !done[n] {
			rest = append(rest, n)
		}
	}
	return order, rest
}
