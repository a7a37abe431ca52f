package script

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

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
// before running it: sql/batch splits it with no undefined variable, and
// sql/downgrade's check finds nothing newer than the target that the report
// did not list as refused. (Microsoft's parser checks each batch at the
// target's level in scriptFor; it replaced a check with sqlfluff, which
// knows no versions and accepts T-SQL that no server does.)
func TestGoldenScriptsVerify(t *testing.T) {
	for i, g := range goldenSnapshots {
		for _, target := range goldenTargets {
			t.Run(g.name+"-"+targetName(target), func(t *testing.T) {
				script, rep := scriptGolden(t, i, target, nil)
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
			})
		}
	}
}
