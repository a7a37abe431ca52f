// Package tsqltest checks T-SQL with Microsoft's own parser for a SQL Server
// version: the tsqlparse tool (ScriptDom, run with mono) kept beside this
// repository in ../shared/tools/tsqlparse. It is xdm's version oracle in
// tests: what it rejects at a level, that version's server rejects too. It
// checks grammar only, not names of functions, types or option values (its
// README lists the gaps), which stay the job of xdm's own version rules.
//
// A script is split into batches with sql/batch first (tsqlparse knows no
// sqlcmd commands). Each batch goes to the tool as a file of its own, because
// ScriptDom does not always recover at the next GO after an error and would
// miss the errors of later batches; one run of the tool parses them all, and
// every error is mapped back to the script's own file and line.
package tsqltest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testtool"
	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/version"
)

// ToolEnv names the environment variable that points at tsqlparse.exe when
// it is not in ../shared/tools/tsqlparse of the repository or a folder above.
const ToolEnv = "XDM_TSQLPARSE"

// Script is one sqlcmd script to check.
type Script struct {
	// Name is the script's name in problems; when it is a path, :r names
	// are opened relative to its folder.
	Name string
	// Data is the script in any encoding sql/batch.Decode recognises.
	Data []byte
	// Vars are the scripting variables defined before it starts (-v).
	Vars map[string]string
}

// Problem is a parse error, at a line of the script that holds it.
type Problem struct {
	File    string
	Line    int64
	Column  int
	Number  int    // ScriptDom's error number (46010: incorrect syntax)
	Message string // ScriptDom's message
	Batch   string // the whole batch the error is in, as parsed
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s (ScriptDom %d)", p.File, p.Line, p.Column, p.Message, p.Number)
}

// Level returns the compatibility level whose parser checks scripts for v.
func Level(v version.Version) int { return v.MaxCompatibilityLevel() }

// Check parses every batch of every script at level (100 = 2008 ... 160 =
// 2022) in one run of the tool and returns the problems in script order. A
// script that sql/batch cannot split fails the test. When mono or the tool is
// missing the test fails in CI and is skipped elsewhere.
func Check(t testing.TB, level int, scripts ...Script) []Problem {
	t.Helper()
	var all []Batch
	for _, s := range scripts {
		all = append(all, Split(t, s)...)
	}
	return CheckBatches(t, level, all...)
}

// Batch is one batch as the server receives it, and where it starts.
type Batch struct {
	File string // the script (or :r file) that holds it
	Line int64  // 1-based line of the batch's first byte in File
	SQL  string
}

// Split returns the non-empty batches of s as sqlcmd sends them (commands
// carried out, variables substituted, :r followed), so that a caller can
// add batches of its own (the text of dynamic SQL, a module body) before
// CheckBatches. A script that sql/batch cannot split fails the test.
func Split(t testing.TB, s Script) []Batch {
	t.Helper()
	batches, err := split(s)
	if err != nil {
		t.Fatalf("tsqltest: splitting %s: %v", s.Name, err)
	}
	return batches
}

// CheckBatches parses each batch on its own at level, in one run of the
// tool, and returns the problems in batch order with lines counted from
// each batch's Line.
func CheckBatches(t testing.TB, level int, batches ...Batch) []Problem {
	t.Helper()
	tool := find(t)
	dir := t.TempDir()
	var files []string
	where := map[string]Batch{}
	for _, b := range batches {
		f := filepath.Join(dir, fmt.Sprintf("b%06d.sql", len(files)))
		if err := os.WriteFile(f, []byte(b.SQL), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		where[f] = b
	}
	if len(files) == 0 {
		t.Fatal("tsqltest: the scripts hold no batch to check")
	}
	return run(t, tool, level, files, where)
}

// RequireClean fails the test for every problem Check finds.
func RequireClean(t testing.TB, level int, scripts ...Script) {
	t.Helper()
	for _, p := range Check(t, level, scripts...) {
		t.Errorf("level %d: %s\n--- batch ---\n%s", level, p, p.Batch)
	}
}

// split returns the non-empty batches of s (sqlcmd commands removed,
// variables substituted, :r followed).
func split(s Script) ([]Batch, error) {
	decoded, _, err := batch.Decode(bytes.NewReader(s.Data), 0)
	if err != nil {
		return nil, err
	}
	base := filepath.Dir(s.Name)
	r := batch.NewReader(decoded, batch.Options{
		Name: s.Name,
		Vars: s.Vars,
		Open: func(name string) (io.ReadCloser, error) {
			if !filepath.IsAbs(name) {
				name = filepath.Join(base, name)
			}
			rc, _, err := batch.OpenFile(name, 0)
			return rc, err
		},
	})
	defer r.Close()
	var out []Batch
	for {
		it, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if it.Kind != batch.Batch || len(bytes.TrimSpace(it.SQL)) == 0 {
			continue
		}
		out = append(out, Batch{File: it.File, Line: it.Line, SQL: string(it.SQL)})
	}
}

type toolError struct {
	File    string `json:"file"`
	Line    int64  `json:"line"`
	Column  int    `json:"column"`
	Number  int    `json:"number"`
	Message string `json:"message"`
	Summary bool   `json:"summary"`
}

func run(t testing.TB, tool string, level int, files []string, where map[string]Batch) []Problem {
	t.Helper()
	cmd := exec.Command("mono", append([]string{tool, fmt.Sprint(level)}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("tsqltest: mono %s %d: %v\n%s", tool, level, err, stderr.Bytes())
	}
	var problems []Problem
	summary := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e toolError
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("tsqltest: unreadable tool output %q: %v", sc.Text(), err)
		}
		if e.Summary {
			summary = true
			continue
		}
		b, ok := where[e.File]
		if !ok {
			t.Fatalf("tsqltest: the tool reported a file it was not given: %q", e.File)
		}
		problems = append(problems, Problem{File: b.File, Line: max(b.Line, 1) + e.Line - 1, Column: e.Column, Number: e.Number, Message: e.Message, Batch: b.SQL})
	}
	if !summary {
		t.Fatalf("tsqltest: the tool printed no summary line:\n%s\n%s", out, stderr.Bytes())
	}
	return problems
}

// find locates mono and tsqlparse.exe, or stops the test (testtool.Missing).
func find(t testing.TB) string {
	t.Helper()
	testtool.LookPath(t, "mono", "apt-get install mono-runtime libmono-system-core4.0-cil libmono-system-xml4.0-cil libmono-system-runtime-serialization4.0-cil; scripts/setup.sh does it")
	if p := os.Getenv(ToolEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("tsqltest: %s=%s: %v", ToolEnv, p, err)
		}
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "tools", "tsqlparse", "tsqlparse.exe")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	testtool.Missing(t, "tsqlparse.exe was not found in shared/tools/tsqlparse of any folder above the tests, and "+ToolEnv+" is not set")
	return ""
}
