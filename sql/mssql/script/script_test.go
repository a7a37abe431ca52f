package script

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

func loadSnapshot(t testing.TB, name string) *catalog.Snapshot {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := catalog.ReadSnapshot(f)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// goldenTargets are the versions every golden script is written for.
var goldenTargets = []version.Version{version.SQL2008, version.SQL2012, version.SQL2014, version.SQL2016, version.SQL2019, version.SQL2022}

func targetName(v version.Version) string { return strings.TrimPrefix(v.String(), "SQL Server ") }

// scriptFor scripts the xphone snapshot for target with the options the
// golden files use.
func scriptFor(t testing.TB, target version.Version, mod func(*Options)) (string, *Report) {
	t.Helper()
	opts := Options{Target: target, CreateDatabase: true, Principals: true, RowsPerInsert: 2, BatchRows: 3}
	if mod != nil {
		mod(&opts)
	}
	return scriptChecked(t, loadSnapshot(t, "xphone.in"), opts)
}

func TestGolden(t *testing.T) {
	for _, target := range goldenTargets {
		t.Run(targetName(target), func(t *testing.T) {
			got, _ := scriptFor(t, target, nil)
			golden := filepath.Join("testdata", "xphone-"+targetName(target)+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("script for %s differs from %s (go test -update rewrites it); first difference at byte %d", target, golden, firstDiff(got, string(want)))
			}
		})
	}
}

func firstDiff(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
