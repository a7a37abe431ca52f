// Package srctest reads xdm's own Go sources for tests that check a rule
// over the whole code base (no flag names in library messages, no "1
// problems"), so that such a test cannot pass by reading nothing.
package srctest

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// EachLine calls fn for every line of every Go file of the module that is
// not a test and not generated, with the file's path relative to the
// module root (slash-separated) and the line's number. Folders in skip
// (relative paths, such as "internal/cli") are left out, as are .git and
// testdata folders. The test fails if fewer than 100 files were read.
func EachLine(t *testing.T, skip []string, fn func(rel string, line int, text string)) {
	t.Helper()
	root := moduleRoot(t)
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "testdata" || slices.Contains(skip, rel) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasPrefix(string(src), "// Code generated") {
			return nil
		}
		files++
		for i, line := range strings.Split(string(src), "\n") {
			fn(rel, i+1, line)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("only %d Go files read under %s", files, root)
	}
}

// moduleRoot is the folder of the nearest go.mod above the test's folder.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}
