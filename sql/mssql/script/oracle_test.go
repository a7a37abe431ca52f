package script

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/xdm-migrate/xdm/internal/tsqltest"
	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/downgrade"
	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

// Every script a test of this package writes goes through checkScript:
// Microsoft's parser for the target's version (internal/tsqltest) must
// accept every batch, and the text of every batch run as dynamic SQL, except
// where the report says that xdm refused a statement (a module body calling
// a function the target lacks). TestEveryScriptIsChecked keeps it so.

// scriptChecked scripts snap with opts into memory, checks the script at
// the target's level and returns its text (decoded from opts.Encoding).
func scriptChecked(t testing.TB, snap *catalog.Snapshot, opts Options) (string, *Report) {
	t.Helper()
	var buf bytes.Buffer
	rep, err := Script(context.Background(), &buf, snap, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkScript(t, rep.Target, tsqltest.Script{Name: "script.sql", Data: buf.Bytes()}, rep)
	return buf.String(), rep
}

// scriptDirChecked writes the split form into dir and checks it through
// master.sql, whose :r lines the oracle follows.
func scriptDirChecked(t testing.TB, dir string, snap *catalog.Snapshot, opts Options) *Report {
	t.Helper()
	rep, err := ScriptDir(context.Background(), dir, snap, opts)
	if err != nil {
		t.Fatal(err)
	}
	master := filepath.Join(dir, MasterFile)
	data, err := os.ReadFile(master)
	if err != nil {
		t.Fatal(err)
	}
	checkScript(t, rep.Target, tsqltest.Script{Name: master, Data: data}, rep)
	return rep
}

// scriptFails runs Script where the test expects an error and returns what
// was written before it: the script is not meant to run, so it is not
// checked; a script that is written anyway fails the test.
func scriptFails(t testing.TB, ctx context.Context, snap *catalog.Snapshot, opts Options) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	_, err := Script(ctx, &buf, snap, opts)
	if err == nil {
		t.Fatalf("Script succeeded, want an error (options %+v)", opts)
	}
	return buf.Bytes(), err
}

// scriptDirFails is scriptFails for ScriptDir.
func scriptDirFails(t testing.TB, dir string, snap *catalog.Snapshot, opts Options) error {
	t.Helper()
	_, err := ScriptDir(context.Background(), dir, snap, opts)
	if err == nil {
		t.Fatalf("ScriptDir succeeded, want an error (options %+v)", opts)
	}
	return err
}

// checked remembers scripts already checked at a level, so that tests
// writing the same script (in another encoding, again) run the oracle once.
var checked sync.Map

// reDynamic matches the batch dynamicSQL writes.
var reDynamic = regexp.MustCompile(`^DECLARE @sql nvarchar\(max\) = ([\s\S]*);\r\nEXEC \(@sql\);\r?\n?$`)

// checkScript checks script s, written for target, with the oracle. rep is
// the scripter's report (nil when the script's report is not at hand): a
// batch may fail to parse only if downgrade finds a statement in it that
// the target refuses, and the report lists that refusal.
func checkScript(t testing.TB, target version.Version, s tsqltest.Script, rep *Report) {
	t.Helper()
	level := tsqltest.Level(target)
	batches := tsqltest.Split(t, s)
	for _, b := range batches {
		if m := reDynamic.FindStringSubmatch(b.SQL); m != nil {
			inner, err := parseStringExpr(m[1])
			if err != nil {
				t.Fatalf("%s:%d: dynamic SQL that is not a string expression: %v\n%s", b.File, b.Line, err, b.SQL)
			}
			batches = append(batches, tsqltest.Batch{File: b.File + " (dynamic SQL of the batch at line " + fmt.Sprint(b.Line) + ")", Line: 1, SQL: inner})
		}
	}
	if len(batches) == 0 {
		t.Fatalf("%s: no batch to check", s.Name)
	}
	h := sha256.New()
	for _, b := range batches {
		fmt.Fprintf(h, "%d\x00%s\x00", len(b.SQL), b.SQL)
	}
	key := fmt.Sprintf("%d:%x", level, h.Sum(nil))
	if _, done := checked.Load(key); done {
		return
	}
	refused := map[string]bool{}
	if rep != nil {
		for _, n := range rep.Notes {
			if n.Refused() {
				refused[n.Rule] = true
			}
		}
	}
	failed := false
	for _, p := range tsqltest.CheckBatches(t, level, batches...) {
		if rule, ok := refusedIn(p.Batch, target); ok && (rep == nil || refused[rule]) {
			continue
		}
		failed = true
		t.Errorf("%s does not parse on %s (level %d): %s\n--- batch ---\n%s", s.Name, target, level, p, p.Batch)
	}
	// Only a check against a report is remembered: one without (rep nil)
	// exempted refusals without seeing them listed.
	if !failed && rep != nil {
		checked.Store(key, true)
	}
}

// refusedIn returns the rule of a statement in batch that the target
// refuses, as xdm's version rules find it.
func refusedIn(batch string, target version.Version) (string, bool) {
	for _, f := range downgrade.Check([]byte(batch), downgrade.Options{Target: target}, downgrade.Position{}) {
		if f.Action == downgrade.Refuse {
			return f.Rule, true
		}
	}
	return "", false
}

// uncheckedCallers may call Script or ScriptDir without checkScript, each
// for the reason given; another test covers what they write.
var uncheckedCallers = map[string]string{
	"FuzzScriptSnapshot": "random snapshots hold random module bodies; it checks that the script splits safely",
	"benchRows":          "100,000 rows per op for the benchmarks; TestBenchmarkScriptParses checks the same script at a small size",
	"ExampleScript":      "an example for the docs; TestExampleScriptParses checks its Output",
	"scriptFails":        "the call must fail; a script written anyway fails the test",
	"scriptDirFails":     "the call must fail; a script written anyway fails the test",
}

// TestEveryScriptIsChecked reads this package's tests: a function that
// calls Script or ScriptDir must also call checkScript, or be listed in
// uncheckedCallers. So no test writes a script the oracle does not see.
func TestEveryScriptIsChecked(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	callers := 0
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			calls := map[string]bool{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					switch x := c.Fun.(type) {
					case *ast.Ident:
						calls[x.Name] = true
					case *ast.SelectorExpr:
						calls[x.Sel.Name] = true
					}
				}
				return true
			})
			if !calls["Script"] && !calls["ScriptDir"] {
				continue
			}
			callers++
			if _, ok := uncheckedCallers[fn.Name.Name]; ok || calls["checkScript"] {
				continue
			}
			t.Errorf("%s: %s writes a script without checkScript (use scriptChecked, scriptDirChecked or scriptFails)", fset.Position(fn.Pos()), fn.Name.Name)
		}
	}
	if callers < 5 {
		t.Fatalf("found %d functions calling Script or ScriptDir: the test reads the wrong files", callers)
	}
}

// TestExampleScriptParses checks the script ExampleScript prints.
func TestExampleScriptParses(t *testing.T) {
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src)
	start := strings.Index(body, "func ExampleScript()")
	if start < 0 {
		t.Fatal("example_test.go has no ExampleScript")
	}
	out := body[start:]
	out = out[strings.Index(out, "// Output:\n")+len("// Output:\n"):]
	var script strings.Builder
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		text, ok := strings.CutPrefix(line, "// ")
		if !ok || strings.HasPrefix(text, "rows:") {
			break
		}
		script.WriteString(text + "\r\n")
	}
	if !strings.Contains(script.String(), "INSERT INTO") {
		t.Fatalf("no script in ExampleScript's output:\n%s", script.String())
	}
	checkScript(t, version.SQL2014, tsqltest.Script{Name: "ExampleScript", Data: []byte(script.String())}, nil)
}

// testSnapshots are the snapshots in testdata, each a database as a real
// server would hold it.
func testSnapshots(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "*.in"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 2 {
		t.Fatalf("testdata holds %d snapshots", len(names))
	}
	sort.Strings(names)
	return names
}

// TestSnapshotsAreValidTSQL: test input must be real. Every module body of
// every test snapshot, and every expression the snapshot keeps (computed
// columns, defaults, checks, filters), parses at the source's own level.
func TestSnapshotsAreValidTSQL(t *testing.T) {
	for _, name := range testSnapshots(t) {
		snap := loadSnapshot(t, filepath.Base(name))
		var batches []tsqltest.Batch
		add := func(what, sql string) {
			batches = append(batches, tsqltest.Batch{File: name + ": " + what, Line: 1, SQL: sql})
		}
		for _, m := range snap.Modules {
			add(m.Kind+" "+qn(m.Schema, m.Name), m.Definition)
		}
		for _, tb := range snap.Tables {
			from := " FROM " + qn(tb.Schema, tb.Name)
			for _, c := range tb.Columns {
				if c.Computed != nil {
					add("computed column "+c.Name, "SELECT "+c.Computed.Definition+" AS x"+from)
				}
				if c.Default != nil {
					add("default of "+c.Name, "SELECT "+c.Default.Definition+" AS x")
				}
			}
			for _, c := range tb.Checks {
				add("check "+c.Name, "SELECT 1"+from+" WHERE "+c.Definition)
			}
			for _, ix := range tb.Indexes {
				if ix.Filter != "" {
					add("filter of "+ix.Name, "SELECT 1"+from+" WHERE "+ix.Filter)
				}
			}
		}
		if len(snap.Modules) == 0 {
			t.Errorf("%s has no module to check", name)
		}
		for _, p := range tsqltest.CheckBatches(t, tsqltest.Level(snap.Source.Version), batches...) {
			t.Errorf("%s does not parse on its source, %s: %s\n%s", p.File, snap.Source.Version, p, p.Batch)
		}
	}
}

// TestBenchmarkScriptParses checks the script the benchmarks write, with
// fewer rows.
func TestBenchmarkScriptParses(t *testing.T) {
	for _, enc := range []batch.Encoding{batch.UTF8, batch.UTF16LE} {
		scriptChecked(t, genSnapshot(), Options{DataOnly: true, Rows: genRows{2500}, Encoding: enc})
	}
}

// TestGoldenFilesParse parses every golden script as it is stored, at the
// level of the target in its name (xphone-2014.golden: 120). TestGolden
// proves the files equal what the scripter writes; this proves the files.
func TestGoldenFilesParse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(goldenSnapshots)*len(goldenTargets) {
		t.Fatalf("%d golden files, want %d", len(files), len(goldenSnapshots)*len(goldenTargets))
	}
	for _, name := range files {
		base := strings.TrimSuffix(filepath.Base(name), ".golden")
		target, err := version.Parse(base[strings.LastIndexByte(base, '-')+1:])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		checkScript(t, target, tsqltest.Script{Name: name, Data: data}, nil)
	}
}
