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

// goldenSnapshots are the test snapshots with the options their golden
// scripts use: xphone.in (small, every scripter path) and xpdata.in (what a
// real XPhone XPDATA on SQL Server 2019 holds).
var goldenSnapshots = []struct {
	name string
	opts Options
}{
	{"xphone", Options{CreateDatabase: true, Principals: true, RowsPerInsert: 2, BatchRows: 3}},
	{"xpdata", Options{CreateDatabase: true, Principals: true, RowsPerInsert: 3, BatchRows: 5}},
}

// scriptFor scripts the xphone snapshot for target with the options the
// golden files use.
func scriptFor(t testing.TB, target version.Version, mod func(*Options)) (string, *Report) {
	t.Helper()
	return scriptGolden(t, 0, target, mod)
}

// scriptGolden scripts goldenSnapshots[i] for target with its options,
// changed by mod when set, through the oracle.
func scriptGolden(t testing.TB, i int, target version.Version, mod func(*Options)) (string, *Report) {
	t.Helper()
	opts := goldenSnapshots[i].opts
	opts.Target = target
	if mod != nil {
		mod(&opts)
	}
	return scriptChecked(t, loadSnapshot(t, goldenSnapshots[i].name+".in"), opts)
}

// TestGolden compares the script of every golden snapshot for every target
// with its golden file; scriptChecked has Microsoft's parser for the target
// check it first.
func TestGolden(t *testing.T) {
	for i, g := range goldenSnapshots {
		for _, target := range goldenTargets {
			t.Run(g.name+"-"+targetName(target), func(t *testing.T) {
				got, _ := scriptGolden(t, i, target, nil)
				golden := filepath.Join("testdata", g.name+"-"+targetName(target)+".golden")
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
}

func firstDiff(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
