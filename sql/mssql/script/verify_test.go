package script

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testtool"

	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/downgrade"
)

// splitScript splits a script with sql/batch as "xdm sql run" does and fails
// on any error (an undefined variable, a malformed command).
func splitScript(t *testing.T, name, script string) []batch.Item {
	t.Helper()
	r := batch.NewReader(strings.NewReader(script), batch.Options{Name: name})
	var items []batch.Item
	for {
		it, err := r.Read()
		if errors.Is(err, io.EOF) {
			return items
		}
		if err != nil {
			t.Fatalf("sql/batch: %v", err)
		}
		items = append(items, it.Clone())
	}
}

// TestGoldenScriptsVerify checks every golden script the way a user would
// before running it: sql/batch splits it with no undefined variable,
// sql/downgrade's check finds nothing newer than the target that the report
// did not list as refused, and sqlfluff parses each batch.
func TestGoldenScriptsVerify(t *testing.T) {
	seen := map[string]bool{}
	var unique []string
	for _, target := range goldenTargets {
		t.Run(targetName(target), func(t *testing.T) {
			script, rep := scriptFor(t, target, nil)
			items := splitScript(t, "xphone.sql", script)
			var batches []string
			for _, it := range items {
				if it.Kind == batch.Batch && len(bytes.TrimSpace(it.SQL)) > 0 {
					batches = append(batches, string(it.SQL))
				}
			}
			if len(batches) < 40 {
				t.Fatalf("only %d batches", len(batches))
			}
			refused := map[string]bool{}
			for _, n := range rep.Notes {
				if n.Refused() {
					refused[n.Rule] = true
				}
			}
			for i, b := range batches {
				for _, f := range downgrade.Check([]byte(b), downgrade.Options{Target: target}, downgrade.Position{File: "xphone.sql"}) {
					if f.Blocking() && !refused[f.Rule] {
						t.Errorf("batch %d: %s is newer than %s and was not reported:\n%s", i+1, f, target, b)
					}
				}
				if strings.Contains(b, "$(") {
					t.Errorf("batch %d still holds $( after substitution:\n%s", i+1, b)
				}
			}
			for _, b := range batches {
				if !seen[b] {
					seen[b] = true
					unique = append(unique, b)
				}
			}
		})
	}
	sqlfluffParse(t, unique)
}

// sqlfluffClauses are clauses valid in T-SQL that the tsql dialect of
// sqlfluff 1.4.5 (Debian bookworm) cannot parse. They are replaced by
// something it reads before the batch is parsed, so the rest of the batch is
// still checked.
var sqlfluffClauses = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\b0x[0-9A-Fa-f]*`), "0"},                                                // binary literals
	{regexp.MustCompile(`(?m)^(\s+\[[^\]]+\]) AS \(.*\)( PERSISTED)?(,?\r?)$`), "$1 int NULL$3"}, // computed columns
	{regexp.MustCompile(`(?m)^WITH \(DATA_COMPRESSION = \w+\)`), ""},                             // table options after CREATE TABLE (...)
	{regexp.MustCompile(`(?m)^ALTER TABLE \S+ SET \(LOCK_ESCALATION = \w+\);\r?$`), ""},          // ALTER TABLE SET (LOCK_ESCALATION)
	{regexp.MustCompile(` SPARSE\b`), ""},                                                        // sparse columns
	{regexp.MustCompile(` COLUMN_SET FOR ALL_SPARSE_COLUMNS`), ""},                               // column sets
	{regexp.MustCompile(`WITH NOCHECK ADD`), "WITH CHECK ADD"},                                   // WITH NOCHECK
}

// sqlfluffGaps are whole statements sqlfluff 1.4.5 cannot parse; batches
// made of them are logged, not failed. Everything else must parse.
var sqlfluffGaps = []*regexp.Regexp{
	regexp.MustCompile(`^CREATE (TYPE|SEQUENCE|DATABASE) `),            // CREATE TYPE / SEQUENCE / DATABASE
	regexp.MustCompile(`^ALTER DATABASE `),                             // ALTER DATABASE ... SET
	regexp.MustCompile(`(?m)PERIOD FOR SYSTEM_TIME|SYSTEM_VERSIONING`), // temporal DDL
	regexp.MustCompile(`^EXEC \(`),                                     // EXEC (expression)
	regexp.MustCompile(`MEMORY_OPTIMIZED = ON`),                        // In-Memory OLTP table options
	regexp.MustCompile(`^CREATE USER .* WITHOUT LOGIN`),                // CREATE USER ... WITHOUT LOGIN
	regexp.MustCompile(`^ALTER ROLE .* ADD MEMBER`),                    // ALTER ROLE ... ADD MEMBER
}

func sqlfluffParse(t *testing.T, batches []string) {
	t.Helper()
	testtool.LookPath(t, "sqlfluff", "apt-get install sqlfluff")
	dir := t.TempDir()
	// Raw templater (no Jinja in T-SQL strings) and no size limit (the
	// default skips files over 20 KB, such as big INSERT batches).
	cfg := "[sqlfluff]\ndialect = tsql\ntemplater = raw\nlarge_file_skip_byte_limit = 0\n"
	if err := os.WriteFile(filepath.Join(dir, ".sqlfluff"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, b := range batches {
		for _, c := range sqlfluffClauses {
			b = c.re.ReplaceAllString(b, c.with)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.sql", i)), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("sqlfluff", "parse", "--format", "json", "--nofail", ".")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sqlfluff: %v", err)
	}
	var files []struct {
		Path     string          `json:"filepath"`
		Segments json.RawMessage `json:"segments"`
	}
	if err := json.Unmarshal(out, &files); err != nil {
		t.Fatalf("sqlfluff output: %v", err)
	}
	if len(files) != len(batches) {
		t.Fatalf("sqlfluff parsed %d files of %d", len(files), len(batches))
	}
	gaps := 0
	for _, f := range files {
		if !bytes.Contains(f.Segments, []byte(`"unparsable"`)) {
			continue
		}
		var i int
		fmt.Sscanf(filepath.Base(f.Path), "%04d.sql", &i)
		known := false
		for _, g := range sqlfluffGaps {
			if g.MatchString(batches[i]) {
				known = true
			}
		}
		if known {
			gaps++
			continue
		}
		t.Errorf("sqlfluff cannot parse batch %d:\n%s", i+1, batches[i])
	}
	t.Logf("sqlfluff: %d batches parsed, %d skipped as known gaps of sqlfluff 1.4.5's tsql dialect", len(batches)-gaps, gaps)
}
