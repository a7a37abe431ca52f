package sqlcmdcompat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/microsoft/go-sqlcmd/pkg/sqlcmd"

	"github.com/xdm-migrate/xdm/internal/tdsfake"
	"github.com/xdm-migrate/xdm/internal/testgen/sqlinserts"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/mssql"
)

// The differential test: a script goes through xdm's reader as "xdm sql run
// --dry-run" reads it (mssql.Plan) and through Microsoft's sqlcmd engine
// (go-sqlcmd's Sqlcmd, unchanged, connected to the TDS test double, which
// records every batch it is sent). The batches (text, GO counts, variable
// substitution, :r, :setvar) and whether errors are reported must be the
// same, or the difference is one of those listed in docs/sqlcmd-compat.md,
// each with its D-number below.

// event is a batch sent or an error reported, in the order it happened.
type event struct {
	sql  string // a batch as the server gets it
	exit bool   // xdm: the batch of :exit(query)
	err  string // an error message
}

// log collects the events of a go-sqlcmd run: the fake server appends the
// batches it gets, go-sqlcmd's output the errors it prints. go-sqlcmd waits
// for each answer, so the order is the order of events.
type log struct {
	mu     sync.Mutex
	events []event
}

func (l *log) add(e event) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

func (l *log) take() []event {
	l.mu.Lock()
	defer l.mu.Unlock()
	ev := l.events
	l.events = nil
	return ev
}

// outputWriter turns go-sqlcmd's output into error events: everything it
// prints for these scripts is an error or a warning, except :listvar.
type outputWriter struct{ l *log }

var listvarLine = regexp.MustCompile(`^[A-Za-z_][\w-]* = ".*"$`)

func (w outputWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\r\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" && !listvarLine.MatchString(line) {
			w.l.add(event{err: line})
		}
	}
	return len(p), nil
}

func (outputWriter) Close() error { return nil }

// oracle is go-sqlcmd with its server.
type oracle struct {
	srv      *tdsfake.Server
	log      *log
	compared int // batches found equal
}

func newOracle(t testing.TB) *oracle {
	o := &oracle{log: &log{}}
	srv, err := tdsfake.Start(func(sql string) []tdsfake.Token {
		o.log.add(event{sql: sql})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	o.srv = srv
	return o
}

// run runs path through go-sqlcmd as "sqlcmd -i path" does and returns the
// events, and the variables it started with.
func (o *oracle) run(t testing.TB, path string) []event {
	vars := sqlcmd.InitializeVariables(false)
	vars.Set("PRESET", "from -v")
	s := sqlcmd.New(nil, ".", vars)
	s.Connect = &sqlcmd.ConnectSettings{ServerName: "127.0.0.1," + strconv.Itoa(o.srv.Port()), UserName: "sa",
		Password: "x", Encrypt: "disable", DisableEnvironmentVariables: true}
	s.Format = sqlcmd.NewSQLCmdDefaultFormatter(false, sqlcmd.ControlIgnore)
	// No command of a test script may reach outside: !! and ED only warn,
	// :connect is not a command (the scripts are screened for it).
	s.Cmd.DisableSysCommands(false)
	delete(s.Cmd, "CONNECT")
	w := outputWriter{o.log}
	s.SetOutput(w)
	s.SetError(w)
	if err := s.ConnectDb(nil, true); err != nil {
		t.Fatalf("go-sqlcmd cannot connect to the test double: %v", err)
	}
	// go-sqlcmd has no way to close its connection: the server does.
	defer o.srv.CloseConns()
	defer s.SetOutput(nil)
	o.log.take() // SET statements of the login, if any
	done := make(chan error, 1)
	go func() {
		// go-sqlcmd panics on some scripts (a non-numeric SQLCMDSTATTIMEOUT);
		// that is an error it reports, in its way.
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("go-sqlcmd panicked: %v", p)
			}
		}()
		done <- s.IncludeFile(path, true)
	}()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, sqlcmd.ErrExitRequested) {
			o.log.add(event{err: err.Error()})
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("go-sqlcmd did not finish %s within 30 s", path)
	}
	return o.log.take()
}

// startVars are the variables both start with: go-sqlcmd's own after its
// login to the test double, and PRESET.
func startVars(o *oracle) map[string]string {
	vars := sqlcmd.InitializeVariables(false)
	vars.Set("PRESET", "from -v")
	vars.Set("SQLCMDSERVER", "127.0.0.1,"+strconv.Itoa(o.srv.Port()))
	vars.Set("SQLCMDDBNAME", "")
	vars.Set("SQLCMDUSER", "sa")
	return vars.All()
}

// defaults are the values :setvar NAME resets sqlcmd's own variables to.
var defaults = map[string]string{"SQLCMDCOLSEP": " ", "SQLCMDCOLWIDTH": "0", "SQLCMDERRORLEVEL": "0", "SQLCMDHEADERS": "0",
	"SQLCMDLOGINTIMEOUT": "30", "SQLCMDMAXFIXEDTYPEWIDTH": "0", "SQLCMDMAXVARTYPEWIDTH": "256", "SQLCMDSTATTIMEOUT": "0"}

// xdm reads path as "xdm sql run -f 65001 --dry-run" does (UTF-8, as
// go-sqlcmd reads a file without byte order mark) and returns its events
// and errors.
func xdm(t testing.TB, o *oracle, path string) ([]event, []error) {
	return xdmIn(t, o, path, 65001)
}

// xdmIn reads path as "xdm sql run -f codePage --dry-run" does.
func xdmIn(t testing.TB, o *oracle, path string, codePage int) ([]event, []error) {
	vars := startVars(o)
	defaults["SQLCMDEDITOR"] = vars["SQLCMDEDITOR"]
	open := func(name string) (io.ReadCloser, error) {
		return batch.OpenScript(name, batch.ScriptOptions{CodePage: codePage})
	}
	var events []event
	var errs []error
	err := mssql.Plan(context.Background(), mssql.RunOptions{Files: []string{path}, Open: open, Vars: vars, Defaults: defaults},
		func(b mssql.PlannedBatch) error {
			for i := 0; i < b.Repeat; i++ {
				events = append(events, event{sql: string(b.SQL), exit: b.Exit})
			}
			return nil
		}, func(err error) error {
			events = append(events, event{err: err.Error()})
			errs = append(errs, err)
			return nil
		})
	if err != nil {
		events = append(events, event{err: err.Error()})
		errs = append(errs, err)
	}
	return events, errs
}

// normal is a batch as go-sqlcmd sends it: its lines without their
// terminators, joined by "\n" (D1). The batch of :exit(query) loses the
// line feed go-sqlcmd puts before or after it (D9).
func normal(e event) string {
	s := strings.TrimSuffix(e.sql, "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if i < len(lines)-1 || strings.HasSuffix(e.sql, "\n") {
			lines[i] = strings.TrimSuffix(l, "\r")
		}
	}
	s = strings.Join(lines, "\n")
	if e.exit {
		s = strings.Trim(s, "\n")
	}
	return s
}

// outcome is what a run did, for comparing.
type outcome struct {
	batches []string // sent, normalised, blank ones left out (D2)
	first   int      // batches sent before the first error
	errors  int
}

func summarize(events []event, xdmSide bool) outcome {
	var o outcome
	o.first = -1
	for _, e := range events {
		if e.err != "" {
			if o.first < 0 {
				o.first = len(o.batches)
			}
			o.errors++
			continue
		}
		s := e.sql
		if xdmSide {
			s = normal(e)
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		o.batches = append(o.batches, s)
	}
	if o.first < 0 {
		o.first = len(o.batches)
	}
	return o
}

// strictOnly reports the errors xdm reports where go-sqlcmd goes on
// without one (D6); changesBatches those of them after which the batches
// differ too: go-sqlcmd sends the line as SQL, or runs a GO count it reads
// leniently, where xdm takes a command or refuses the count.
func strictOnly(err error) bool {
	return errors.Is(err, batch.ErrUnknownCommand) || errors.Is(err, batch.ErrUnclosed) ||
		errors.Is(err, batch.ErrIncludeCycle) || errors.Is(err, mssql.ErrUnsupported) ||
		errors.Is(err, batch.ErrEncoding) || lenientCount(err) || strings.Contains(err.Error(), "holds a whole number")
}

func changesBatches(err error) bool {
	if errors.Is(err, mssql.ErrUnsupported) {
		for _, c := range []string{":connect", ":help", ":serverlist", ":perftrace"} {
			if strings.Contains(err.Error(), "command "+c+" ") {
				return true
			}
		}
	}
	return lenientCount(err)
}

// lenientCount reports a GO count xdm refuses that go-sqlcmd reads a
// number from ("GO 2 3", "GO +2", "GO 2x").
var goCount = regexp.MustCompile(`found "([^"]*)"`)

func lenientCount(err error) bool {
	var pe *position.Error
	if !errors.As(err, &pe) || !errors.Is(err, batch.ErrSyntax) || errors.Is(err, batch.ErrUnknownCommand) || !strings.Contains(err.Error(), "GO") {
		return false
	}
	m := goCount.FindStringSubmatch(err.Error())
	var n int
	if m == nil {
		return false
	}
	_, serr := fmt.Sscanf(m[1], "%d", &n)
	return serr == nil && n >= 1
}

// documented returns the D-number of a documented difference the script
// holds that makes its batches differ, or "".
func documented(script []byte) string {
	s := string(script)
	switch {
	case nestedComment(s):
		return "D3"
	case goTabOrComment.MatchString(s):
		return "D4"
	case hasControl(s):
		return "D5"
	case quotedR.MatchString(s):
		return "D7"
	case paddedR.MatchString(s):
		return "D8"
	}
	return ""
}

var (
	goTabOrComment = regexp.MustCompile(`(?im)^[ \t]*go(\t|--)`)
	quotedR        = regexp.MustCompile(`(?im)^[ \t]*:r[ \t]+"`)
	paddedR        = regexp.MustCompile(`(?im)^[ \t]*:r[ \t]+(.*[ \t]\r?$|.*[ \t]--)`)
)

// hasControl reports a control character other than tab and the line
// feed of a line end, which go-sqlcmd treats as the end of a command (D5).
func hasControl(s string) bool {
	for i, r := range s {
		switch {
		case r == '\t' || r == '\n':
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
		case unicode.IsControl(r) || r == utf8.RuneError:
			return true
		}
	}
	return false
}

// nestedComment reports a /* inside a /* */ comment, outside strings: SQL
// Server nests them, go-sqlcmd does not (D3).
func nestedComment(s string) bool {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case depth > 0 && c == '*' && next == '/':
			depth--
			i++
		case c == '/' && next == '*':
			if depth > 0 {
				return true
			}
			depth++
			i++
		case depth > 0:
		case c == '-' && next == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '[':
			quote = ']'
		}
	}
	return false
}

// unsafe reports a script that could reach outside the test when
// go-sqlcmd runs it: a command that writes or reads files, connects or
// runs programs, or a GO count that would send a batch too often.
var (
	fileCommand = regexp.MustCompile(`(?im)^[ \t]*:(out|error|perftrace)[ \t]+(.*)$`)
	readCommand = regexp.MustCompile(`(?im)^[ \t]*:r[ \t]+(.*)$`)
	bigCount    = regexp.MustCompile(`(?im)^[ \t]*go[ \t]+\+?0*[1-9][0-9]{2,}`)
)

func unsafe(script []byte) bool {
	s := string(script)
	for _, m := range fileCommand.FindAllStringSubmatch(s, -1) {
		if arg := strings.ToLower(strings.TrimSpace(m[2])); arg != "stdout" && arg != "stderr" {
			return true
		}
	}
	for _, m := range readCommand.FindAllStringSubmatch(s, -1) {
		if name := strings.TrimSpace(m[1]); name != "testdata/inc/part.sql" && name != "testdata/inc/noeol.sql" {
			return true
		}
	}
	return bigCount.MatchString(s)
}

// compare runs script (written to dir/name, read from dir) through both
// and reports a difference that is not documented. It returns the D-number
// that spared a comparison, or "".
func compare(t *testing.T, o *oracle, dir, name string, script []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, script, 0o644); err != nil {
		t.Fatal(err)
	}
	return compareFile(t, o, dir, path, script)
}

func compareFile(t *testing.T, o *oracle, dir, path string, script []byte) string {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	xe, xerrs := xdm(t, o, path)
	for _, err := range xerrs {
		if errors.Is(err, batch.ErrIncludeCycle) {
			return "D6" // go-sqlcmd would include the file until it runs out of files
		}
	}
	se := o.run(t, path)
	xo, so := summarize(xe, true), summarize(se, false)
	// The batch of :exit(query) is the last one sent; go-sqlcmd puts a
	// line feed between the statements before it and the query, also when
	// there are none (D9).
	if last := lastBatch(xe); last != nil && last.exit && len(so.batches) > 0 {
		so.batches[len(so.batches)-1] = strings.Trim(so.batches[len(so.batches)-1], "\n")
	}
	if d := documented(script); d != "" {
		return d
	}
	batchesDiffer := false
	for _, err := range xerrs {
		batchesDiffer = batchesDiffer || changesBatches(err)
	}
	switch {
	case so.errors > 0 && xo.errors == 0:
		// xdm never accepts silently what go-sqlcmd reports.
		t.Errorf("%s: go-sqlcmd reports %q, xdm nothing\nscript %q", path, firstErr(se), script)
		return ""
	case xo.errors > 0 && so.errors == 0:
		for _, err := range xerrs {
			if !strictOnly(err) {
				t.Errorf("%s: xdm reports %v, go-sqlcmd nothing, and it is not a documented strictness\nscript %q", path, err, script)
				return ""
			}
		}
	}
	if batchesDiffer {
		return "D6"
	}
	// The batches are the same: all of them (sqlcmd goes on after an
	// error, and so does xdm's dry run), or those before the first error
	// when :on error exit makes go-sqlcmd stop there.
	n := max(len(xo.batches), len(so.batches))
	stopped := strings.Contains(firstErr(se), "go-sqlcmd panicked") || strings.Contains(fmt.Sprint(se), "go-sqlcmd panicked")
	if (onErrorExit.Match(script) || stopped) && (xo.errors > 0 || so.errors > 0) {
		n = min(xo.first, so.first)
	}
	for i := 0; i < n; i++ {
		var x, s string
		if i < len(xo.batches) {
			x = xo.batches[i]
		}
		if i < len(so.batches) {
			s = so.batches[i]
		}
		if x != s && strings.TrimLeft(x, "\n") == strings.TrimLeft(s, "\n") && emptyLineBatch.Match(script) {
			continue // D2: go-sqlcmd carries a batch of one empty line into the next
		}
		if x != s {
			t.Errorf("%s: batch %d differs\nxdm    %q\nsqlcmd %q\nscript %q", path, i+1, x, s, script)
			return ""
		}
		o.compared++
	}
	return ""
}

func lastBatch(ev []event) *event {
	for i := len(ev) - 1; i >= 0; i-- {
		if ev[i].err == "" {
			return &ev[i]
		}
	}
	return nil
}

// emptyLineBatch is a batch of one empty line: after GO (or at the start),
// an empty line, then GO.
var emptyLineBatch = regexp.MustCompile(`(?i)(^|\n)[ \t]*go[^\n]*\n\r?\n[ \t]*go|^\r?\n[ \t]*go`)

var onErrorExit = regexp.MustCompile(`(?im)^[ \t]*:?on error[ \t]+exit`)

func firstErr(ev []event) string {
	for _, e := range ev {
		if e.err != "" {
			return e.err
		}
	}
	return ""
}

// corpus lists every SQL script of the repository's tests: the batch
// reader's cases, the downgrade rules' inputs and results, the scripter's
// golden scripts.
func corpus(t *testing.T) map[string][]string {
	t.Helper()
	root := filepath.Join("..", "..", "..")
	sets := map[string][]string{}
	for dir, pattern := range map[string]string{
		"sql/batch":         "testdata/*.sql",
		"sql/downgrade":     "testdata/*.sql",
		"sql/mssql/script":  "testdata/*.golden",
		"sql/mssql/catalog": "testdata/*.sql",
	} {
		files, err := filepath.Glob(filepath.Join(root, dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		sets[filepath.Join(root, dir)] = files
	}
	n := 0
	for _, f := range sets {
		n += len(f)
	}
	if len(sets[filepath.Join(root, "sql/batch")]) < 9 || len(sets[filepath.Join(root, "sql/downgrade")]) < 40 ||
		len(sets[filepath.Join(root, "sql/mssql/script")]) < 4 {
		t.Fatalf("the corpus is incomplete: %d scripts (%v)", n, sets)
	}
	return sets
}

// TestCorpus compares every test script of the repository.
func TestCorpus(t *testing.T) {
	o := newOracle(t)
	spared := map[string][]string{}
	compared := 0
	for dir, files := range corpus(t) {
		abs, _ := filepath.Abs(dir)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if bytesHasUTF16BOM(data) {
				continue // go-sqlcmd reads UTF-16 as xdm does; the golden scripts are UTF-8
			}
			absFile, err := filepath.Abs(f)
			if err != nil {
				t.Fatal(err)
			}
			rel, err := filepath.Rel(abs, absFile)
			if err != nil {
				t.Fatal(err)
			}
			if d := compareFile(t, o, abs, rel, data); d != "" {
				spared[d] = append(spared[d], filepath.Base(f))
			} else {
				compared++
			}
		}
	}
	// And the generated INSERT script of the benchmarks: CRLF, multi-line
	// strings holding GO, quotes and umlauts.
	var gen bytes.Buffer
	if _, _, err := sqlinserts.Write(&gen, 2<<20, sqlinserts.Options{Seed: 1, BatchRows: 20}); err != nil {
		t.Fatal(err)
	}
	if d := compare(t, o, t.TempDir(), "inserts.sql", gen.Bytes()); d != "" {
		spared[d] = append(spared[d], "inserts.sql")
	} else {
		compared++
	}
	t.Logf("%d scripts, %d batches compared; documented differences: %v", compared, o.compared, spared)
	if compared < 80 || o.compared < 1000 {
		t.Errorf("only %d corpus scripts, %d batches were compared", compared, o.compared)
	}
}

func bytesHasUTF16BOM(b []byte) bool {
	return len(b) >= 2 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF)
}

// pieces are what the structured scripts are made of: the lines and parts
// of lines where sqlcmd's rules lie.
var pieces = []string{
	"SELECT 1", "PRINT 'a'", "INSERT t VALUES ($(T))", "GO", "GO 2", "go", "  Go  ", "GO -- done", "GO $(N)", "GO x",
	"GO 0", "GO 2 3", ":setvar N 3", ":setvar T t1", `:setvar T "a ""b"""`, ":setvar T", ":setvar Q x -- c", ":setvar 1x y",
	"$(T)", "$(Undefined)", "$(", "$(a b)", "'", `"`, "[", "]", "]]", "''", "/*", "*/", "--", "-- $(Undefined)",
	":r testdata/inc/part.sql", ":r testdata/inc/noeol.sql", ":on error ignore", ":On Error exit", "on error ignore",
	":exit", ":exit()", ":exit(SELECT $(N))", "exit", "exit(SELECT 2)", "exit 5", "quit", ":quit", "reset", ":reset",
	":listvar", ":foo", "::fn_x()", "ed", ":ED", "!! dir", ":xml on", ":list", "GOTO x", "GO;", ":setvar SQLCMDSERVER x",
	":setvar SQLCMDHEADERS 2", ":setvar SQLCMDHEADERS", ":setvar SQLCMDSTATTIMEOUT x", "SELECT '$(T)' -- x", " ", "\t",
}

// structured builds a script from seed: lines of one to three pieces,
// with LF or CRLF ends.
func structured(seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	var b strings.Builder
	for range 3 + r.IntN(12) {
		for range 1 + r.IntN(3) {
			p := pieces[r.IntN(len(pieces))]
			b.WriteString(p)
			if strings.HasPrefix(p, ":r ") {
				break // a file name runs to the end of its line
			}
			if r.IntN(3) == 0 {
				b.WriteByte(' ')
			}
		}
		if r.IntN(4) == 0 {
			b.WriteString("\r\n")
		} else {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

// TestStructured compares scripts built from the pieces, 3000 of them,
// the same ones every run.
func TestStructured(t *testing.T) {
	o := newOracle(t)
	dir := batchDir(t)
	tmp := t.TempDir()
	spared := map[string]int{}
	compared := 0
	for seed := uint64(0); seed < 3000; seed++ {
		script := structured(seed)
		if unsafe(script) {
			spared["unsafe"]++
			continue
		}
		path := filepath.Join(tmp, "s.sql")
		os.WriteFile(path, script, 0o644)
		if d := compareFile(t, o, dir, path, script); d != "" {
			spared[d]++
		} else {
			compared++
		}
		if t.Failed() {
			t.Fatalf("seed %d", seed)
		}
	}
	t.Logf("%d scripts, %d batches compared; documented differences: %v", compared, o.compared, spared)
	if compared < 1000 || o.compared < 1500 {
		t.Errorf("only %d of 3000 scripts were compared batch by batch", compared)
	}
}

// batchDir is sql/batch, where the :r names of the scripts resolve.
func batchDir(t testing.TB) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "batch"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// FuzzDifferential compares any input with go-sqlcmd; seeded from the
// corpus and the structured scripts.
func FuzzDifferential(f *testing.F) {
	for seed := uint64(0); seed < 50; seed++ {
		f.Add(structured(seed))
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "*.sql"))
	for _, file := range files {
		data, _ := os.ReadFile(file)
		f.Add(data)
	}
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, script []byte) {
		if unsafe(script) || !utf8.Valid(script) || len(script) > 64<<10 {
			t.Skip("input that go-sqlcmd must not run here, or not UTF-8")
		}
		path := filepath.Join(t.TempDir(), "f.sql")
		os.WriteFile(path, script, 0o644)
		compareFile(t, o, batchDir(t), path, script)
	})
}

// TestDocumentedDifferences: each difference docs/sqlcmd-compat.md lists
// is there, shown on a script: xdm does what the page says, go-sqlcmd what
// it says go-sqlcmd does.
func TestDocumentedDifferences(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "sqlcmd-compat.md"))
	if err != nil {
		t.Fatal(err)
	}
	o := newOracle(t)
	dir := t.TempDir()
	cases := []struct {
		id, script  string
		xdm, sqlcmd []string // batches, normalised for D1 only where it is not the point
		xdmErr      bool
	}{
		{"D1", "SELECT 'a\r\nb'\r\nGO\r\n", []string{"SELECT 'a\r\nb'\r\n"}, []string{"SELECT 'a\nb'"}, false},
		{"D2", "  \n\nGO\nSELECT 1\n", []string{"SELECT 1\n"}, []string{"  \n", "SELECT 1"}, false},
		{"D3", "/* a /* b */\nGO\n*/ SELECT 1\n", []string{"/* a /* b */\nGO\n*/ SELECT 1\n"}, []string{"/* a /* b */", "*/ SELECT 1"}, false},
		{"D4", "SELECT 1\nGO\t2\n", []string{"SELECT 1\n", "SELECT 1\n"}, []string{"SELECT 1\nGO\t2"}, false},
		{"D5", "SELECT 1\nGO\x0c\nSELECT 2\n", []string{"SELECT 1\nGO\x0c\nSELECT 2\n"}, []string{"SELECT 1", "SELECT 2"}, false},
		{"D6", "SELECT 1\nGO 2 3\n", []string{"SELECT 1\n"}, []string{"SELECT 1", "SELECT 1"}, true},
		{"D7", ":r \"testdata/inc/noeol.sql\"\nGO\n", []string{"SELECT 2\n"}, nil, false},
		{"D8", ":r testdata/inc/noeol.sql  \nGO\n", []string{"SELECT 2\n"}, nil, false},
		{"D9", ":exit(SELECT 1)\n", []string{"SELECT 1"}, []string{"\nSELECT 1"}, false},
	}
	for _, c := range cases {
		if !strings.Contains(string(doc), "("+c.id+")") {
			t.Errorf("docs/sqlcmd-compat.md does not list %s", c.id)
		}
		path := filepath.Join(dir, c.id+".sql")
		os.WriteFile(path, []byte(c.script), 0o644)
		wd, _ := os.Getwd()
		os.Chdir(batchDir(t))
		xe, xerrs := xdm(t, o, path)
		se := o.run(t, path)
		os.Chdir(wd)
		var xb, sb []string
		for _, e := range xe {
			if e.err == "" {
				xb = append(xb, e.sql)
			}
		}
		for _, e := range se {
			if e.err == "" {
				sb = append(sb, e.sql)
			}
		}
		if strings.Join(xb, "|") != strings.Join(c.xdm, "|") || strings.Join(sb, "|") != strings.Join(c.sqlcmd, "|") || (len(xerrs) > 0) != c.xdmErr {
			t.Errorf("%s: xdm %q (errors %v), go-sqlcmd %q (%q); the page says xdm %q, go-sqlcmd %q",
				c.id, xb, xerrs, sb, firstErr(se), c.xdm, c.sqlcmd)
		}
	}
	// D10: a script without byte order mark in code page 1252: xdm reads
	// "ä" (0xE4) as sqlcmd does, go-sqlcmd as UTF-8, U+FFFD.
	path := filepath.Join(dir, "D10.sql")
	os.WriteFile(path, []byte("SELECT 'K\xe4se'\n"), 0o644)
	rc, err := batch.OpenScript(path, batch.ScriptOptions{CodePage: 1252, Guess: true})
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(rc)
	rc.Close()
	se := o.run(t, path)
	if err != nil || string(text) != "SELECT 'Käse'\n" || len(se) != 1 || se[0].sql != "SELECT 'K\uFFFDse'" {
		t.Errorf("D10: xdm %q (%v), go-sqlcmd %+v", text, err, se)
	}
	if !strings.Contains(string(doc), "(D10)") {
		t.Error("docs/sqlcmd-compat.md does not list D10")
	}
	ids := regexp.MustCompile(`\(D(\d+)\)`).FindAllStringSubmatch(string(doc), -1)
	seen := map[string]bool{}
	for _, m := range ids {
		seen["D"+m[1]] = true
	}
	var listed []string
	for id := range seen {
		listed = append(listed, id)
	}
	sort.Strings(listed)
	t.Logf("differences listed in the docs: %v", listed)
}
