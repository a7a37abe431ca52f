package downgrade

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/sql/version"
)

var update = flag.Bool("update", false, "rewrite the .golden.sql and .report files")

// goldenOptions reads the options of a case from its first line:
// "-- test: target=2012 source=2025 collation-map=FROM=TO". source is the
// release the input is written for (default 2022), at whose level the
// oracle parses it.
func goldenOptions(t *testing.T, name string, src []byte) (opts Options, source version.Version) {
	opts, source = Options{File: name + ".in.sql"}, version.SQL2022
	first, _, _ := bytes.Cut(src, []byte("\n"))
	rest, ok := bytes.CutPrefix(bytes.TrimSpace(first), []byte("-- test:"))
	if !ok {
		return opts, source
	}
	for _, f := range strings.Fields(string(rest)) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "target":
			tv, err := version.Parse(v)
			if err != nil {
				t.Fatal(err)
			}
			opts.Target = tv
		case "source":
			sv, err := version.Parse(v)
			if err != nil {
				t.Fatal(err)
			}
			source = sv
		case "collation-map":
			from, to, _ := strings.Cut(v, "=")
			opts.CollationMap = map[string]string{from: to}
		default:
			t.Fatalf("%s: unknown test option %q", name, k)
		}
	}
	return opts, source
}

// TestGolden runs every testdata/<case>.in.sql through Downgrade and compares
// the script with <case>.golden.sql and the findings with <case>.report.
func TestGolden(t *testing.T) {
	ins, _ := filepath.Glob("testdata/*.in.sql")
	if len(ins) == 0 {
		t.Fatal("no golden cases")
	}
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in.sql")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			opts, _ := goldenOptions(t, name, src)
			var out bytes.Buffer
			rep, err := Downgrade(context.Background(), bytes.NewReader(src), &out, opts)
			if err != nil {
				t.Fatal(err)
			}
			var report strings.Builder
			for _, f := range rep.Findings {
				report.WriteString(f.String() + "\n")
			}
			compareGolden(t, "testdata/"+name+".golden.sql", out.Bytes())
			compareGolden(t, "testdata/"+name+".report", []byte(report.String()))

			// The output must not need a second pass: nothing left to
			// rewrite or omit (refusals stay, by definition).
			rep2, err := Downgrade(context.Background(), bytes.NewReader(out.Bytes()), &bytes.Buffer{}, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range rep2.Findings {
				if f.Action == Rewrite || f.Action == Omit {
					t.Errorf("output still has %s", f)
				}
			}
		})
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestEveryRuleHasAGoldenCase checks that each rule of the table shows up in
// some .report file, so no rule goes untested, and that every rule but the
// body functions (grouped by release in functions-*.in.sql and
// module-bodies.in.sql) has a case of its own, testdata/<rule>.in.sql.
func TestEveryRuleHasAGoldenCase(t *testing.T) {
	reports, _ := filepath.Glob("testdata/*.report")
	var all strings.Builder
	for _, r := range reports {
		b, _ := os.ReadFile(r)
		all.Write(b)
	}
	byFeature := map[string]bool{}
	for _, r := range Rules() {
		byFeature[r.ID] = strings.Contains(all.String(), " ["+r.ID+"]: ")
	}
	var missing []string
	for _, r := range Rules() {
		if !byFeature[r.ID] {
			missing = append(missing, r.ID)
		}
		if strings.HasPrefix(r.ID, "function-") {
			continue
		}
		own, err := os.ReadFile("testdata/" + r.ID + ".report")
		if err != nil || !strings.Contains(string(own), " ["+r.ID+"]: ") {
			missing = append(missing, r.ID+" (own case)")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("rules without a golden case: %s", strings.Join(missing, ", "))
	}
}
