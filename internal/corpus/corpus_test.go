package corpus

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the repository's top folder (the one with go.mod), from the test's
// working folder internal/corpus.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod in %s: %v", dir, err)
	}
	return dir
}

// samples returns the files under any testdata folder of the repository
// (fuzz corpora left out) for which keep returns true, as paths relative to
// the repository. It fails the test when there are fewer than min: a check
// over an empty corpus proves nothing.
func samples(t *testing.T, min int, keep func(rel string) bool) []string {
	t.Helper()
	top := root(t)
	var out []string
	err := filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(top, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "fuzz" && strings.Contains(rel, "testdata/") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(rel, "testdata/") || strings.Contains(rel, "/testdata/") {
			if keep(rel) {
				out = append(out, rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < min {
		t.Fatalf("found %d samples, want at least %d: %v", len(out), min, out)
	}
	return out
}

func abs(t *testing.T, rel string) string { return filepath.Join(root(t), filepath.FromSlash(rel)) }

func hasExt(exts ...string) func(string) bool {
	return func(rel string) bool {
		for _, e := range exts {
			if strings.EqualFold(filepath.Ext(rel), e) {
				return true
			}
		}
		return false
	}
}

// deviationName is a file name in back quotes, as the README lists them.
var deviationName = regexp.MustCompile("`([^` /\\\\]+\\.[A-Za-z0-9]+)`")

// deviations returns the files that the README.md beside rel names in its
// section "## Deliberate deviations": samples that break their format on
// purpose, for error tests.
func deviations(t *testing.T, rel string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	f, err := os.Open(filepath.Join(filepath.Dir(abs(t, rel)), "README.md"))
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line) == "## Deliberate deviations"
			continue
		}
		if in {
			for _, m := range deviationName.FindAllStringSubmatch(line, -1) {
				out[m[1]] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// deliberate reports whether the sample rel is a deliberate deviation.
func deliberate(t *testing.T, rel string) bool {
	return deviations(t, rel)[filepath.Base(rel)]
}

// checkAll runs check on every sample: one that is not a deliberate
// deviation must pass it, one that is must fail it (else the README says
// something that is no longer true).
func checkAll(t *testing.T, files []string, check func(t *testing.T, rel string) error) {
	t.Helper()
	for _, rel := range files {
		t.Run(rel, func(t *testing.T) {
			err := check(t, rel)
			switch {
			case deliberate(t, rel) && err == nil:
				t.Errorf("%s is listed under \"Deliberate deviations\" in its README.md, but it passes the check", rel)
			case !deliberate(t, rel) && err != nil:
				t.Errorf("%s: %v", rel, err)
			case err != nil:
				t.Logf("%s: deliberate: %v", rel, err)
			}
		})
	}
}

// TestDeviationsNameSamples: every file a README lists as a deliberate
// deviation is there, so that a renamed sample cannot hide behind a stale
// list.
func TestDeviationsNameSamples(t *testing.T) {
	readmes := samples(t, 2, func(rel string) bool { return filepath.Base(rel) == "README.md" })
	listed := 0
	for _, rel := range readmes {
		for name := range deviations(t, rel) {
			listed++
			if _, err := os.Stat(filepath.Join(filepath.Dir(abs(t, rel)), name)); err != nil {
				t.Errorf("%s lists %s as a deliberate deviation: %v", rel, name, err)
			}
		}
	}
	if listed == 0 {
		t.Error("no README lists a deliberate deviation, yet the error tests need such samples")
	}
}
