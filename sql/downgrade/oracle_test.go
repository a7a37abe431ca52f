package downgrade

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/tsqltest"
	sqlbatch "github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/version"
)

// The version oracle: Microsoft's own T-SQL parser for each SQL Server
// version (internal/tsqltest). Test inputs must parse at the level of the
// release they were written for, and every script the downgrade writes must
// parse at its target's level, except where xdm itself refuses a statement:
// a parse error is expected only on a line that holds a refusal. The oracle
// checks grammar only (not function names or option values), so xdm's own
// rules stay the judge of those.

// oracleScript is a script the downgrade wrote for a target, with the
// options it was written with.
type oracleScript struct {
	name string
	data []byte
	opts Options
}

// requireOracleClean checks scripts written for one target with the oracle
// at the target's level. It returns the number of parse errors that were
// expected because xdm refuses the statement on that line.
func requireOracleClean(t *testing.T, target version.Version, scripts ...oracleScript) int {
	t.Helper()
	refused := map[string]bool{} // "file:line" of each refusal in the written scripts
	var ts []tsqltest.Script
	dynamic := map[string]dynamicScript{}
	for _, s := range scripts {
		for _, d := range dynamicScripts(t, s.name, s.data) {
			name := fmt.Sprintf("%s:%d (dynamic SQL)", d.file, d.line)
			dynamic[name] = d
			ts = append(ts, tsqltest.Script{Name: name, Data: d.data})
		}
		opts := s.opts
		opts.Target, opts.File = target, s.name
		rep, err := Downgrade(context.Background(), bytes.NewReader(s.data), io.Discard, opts)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		for _, f := range rep.Findings {
			if f.Action == Refuse {
				refused[fmt.Sprintf("%s:%d", f.File, f.Line)] = true
			}
		}
		ts = append(ts, tsqltest.Script{Name: s.name, Data: s.data})
	}
	expected := 0
	for _, p := range tsqltest.Check(t, tsqltest.Level(target), ts...) {
		file, line := p.File, p.Line
		if d, ok := dynamic[p.File]; ok {
			file, line = d.file, int64(d.line)+p.Line-1
		}
		if refused[fmt.Sprintf("%s:%d", file, line)] {
			expected++
			continue
		}
		t.Errorf("%s: %s (no refusal of xdm on this line)\n--- batch ---\n%s", target, p, p.Batch)
	}
	return expected
}

// TestOracleGoldenInputs: every golden input is valid T-SQL for the release
// it was written for (its "-- test: source=" line, else 2022).
func TestOracleGoldenInputs(t *testing.T) {
	bySource := map[version.Version][]tsqltest.Script{}
	for _, c := range goldenCases(t) {
		bySource[c.source] = append(bySource[c.source], tsqltest.Script{Name: c.in, Data: c.src})
	}
	for v, scripts := range bySource {
		tsqltest.RequireClean(t, tsqltest.Level(v), scripts...)
	}
}

// TestOracleGoldenOutputs: every golden output parses at its target's level
// but on the lines xdm refuses.
func TestOracleGoldenOutputs(t *testing.T) {
	byTarget := map[version.Version][]oracleScript{}
	for _, c := range goldenCases(t) {
		out, err := os.ReadFile("testdata/" + c.name + ".golden.sql")
		if err != nil {
			t.Fatal(err)
		}
		v := c.opts.target()
		byTarget[v] = append(byTarget[v], oracleScript{name: c.name + ".golden.sql", data: out, opts: c.opts})
	}
	expected := 0
	for v, scripts := range byTarget {
		expected += requireOracleClean(t, v, scripts...)
	}
	t.Logf("%d parse errors on lines xdm refuses", expected)
}

// ssmsTargets are the releases older than the SSMS script's 2019.
var ssmsTargets = []version.Version{version.SQL2008, version.SQL2008R2, version.SQL2012, version.SQL2014, version.SQL2016, version.SQL2017}

// TestOracleSSMSScript: the SSMS-style 2019 script parses at 2019, and its
// downgrade to every older release parses at that release's level.
func TestOracleSSMSScript(t *testing.T) {
	src, err := os.ReadFile(ssmsScript)
	if err != nil {
		t.Fatal(err)
	}
	tsqltest.RequireClean(t, tsqltest.Level(version.SQL2019), tsqltest.Script{Name: ssmsScript, Data: src})
	for _, v := range ssmsTargets {
		var out bytes.Buffer
		if _, err := Downgrade(context.Background(), bytes.NewReader(src), &out, Options{Target: v}); err != nil {
			t.Fatal(err)
		}
		n := requireOracleClean(t, v, oracleScript{name: "xphone-" + v.String() + ".sql", data: out.Bytes()})
		t.Logf("%s: %d parse errors on lines xdm refuses", v, n)
	}
}

// goldenCase is one testdata/<name>.in.sql with its options.
type goldenCase struct {
	name, in string
	src      []byte
	opts     Options
	source   version.Version
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	ins, _ := filepath.Glob("testdata/*.in.sql")
	if len(ins) < 40 {
		t.Fatalf("found %d golden cases in testdata, want at least 40", len(ins))
	}
	sort.Strings(ins)
	var cs []goldenCase
	for _, in := range ins {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(in), ".in.sql")
		opts, source := goldenOptions(t, name, src)
		cs = append(cs, goldenCase{name: name, in: in, src: src, opts: opts, source: source})
	}
	return cs
}

// TestOracleGoldenEveryTarget: every golden input downgraded to every
// release older than its source parses at that release's level, but on the
// lines xdm refuses.
func TestOracleGoldenEveryTarget(t *testing.T) {
	cases := goldenCases(t)
	for _, v := range version.All() {
		var scripts []oracleScript
		for _, c := range cases {
			if v >= c.source {
				continue
			}
			opts := c.opts
			opts.Target = v
			var out bytes.Buffer
			if _, err := Downgrade(context.Background(), bytes.NewReader(c.src), &out, opts); err != nil {
				t.Fatal(err)
			}
			scripts = append(scripts, oracleScript{name: c.name + "-" + v.String() + ".sql", data: out.Bytes(), opts: opts})
		}
		if len(scripts) > 0 {
			requireOracleClean(t, v, scripts...)
		}
	}
}

// dynamicScript is the statement literal of an EXEC or sp_executesql,
// unquoted, and the line of the script it starts on (its lines are the
// script's lines from there: unquoting keeps line breaks).
type dynamicScript struct {
	file string
	line int
	data []byte
}

// dynamicScripts returns the statement literals in a script, and those in
// them, for the oracle, which sees only the string otherwise.
func dynamicScripts(t *testing.T, name string, data []byte) []dynamicScript {
	t.Helper()
	r := sqlbatch.NewReader(bytes.NewReader(data), sqlbatch.Options{Raw: true})
	var out []dynamicScript
	var walk func(src []byte, line int)
	walk = func(src []byte, line int) {
		b := newBatch(src, &Options{}, Position{Line: line})
		for _, i := range b.at("EXEC", "EXECUTE") {
			lit := b.dynamicLiteral(i)
			if lit < 0 {
				continue
			}
			_, text, _, ok := unquoteLiteral(b.src, b.toks[lit])
			if !ok {
				continue
			}
			at := b.toks[lit].Line + line - 1
			out = append(out, dynamicScript{name, at, text})
			walk(text, at)
		}
	}
	for {
		it, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if it.Kind == sqlbatch.Batch {
			walk(bytes.Clone(it.SQL), int(it.Line))
		}
	}
}

// TestOracleSeesDynamicSQL: the oracle checks the statement inside
// sp_executesql, which it would otherwise take for a string.
func TestOracleSeesDynamicSQL(t *testing.T) {
	script := "SELECT 1\nGO\nIF 1 = 1\n\tEXEC dbo.sp_executesql @statement = N'SELECT 1\nDROP TABLE IF EXISTS dbo.[it''s]'\nGO\n"
	ds := dynamicScripts(t, "s.sql", []byte(script))
	if len(ds) != 1 || ds[0].line != 4 || string(ds[0].data) != "SELECT 1\nDROP TABLE IF EXISTS dbo.[it's]" {
		t.Fatalf("dynamic SQL %+v", ds)
	}
	p := tsqltest.Check(t, tsqltest.Level(version.SQL2014), tsqltest.Script{Name: "d.sql", Data: ds[0].data})
	if len(p) != 1 || p[0].Line != 2 {
		t.Errorf("the oracle at 2014 must reject line 2 of the dynamic SQL: %v", p)
	}
}
