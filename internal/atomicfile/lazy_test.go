package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lazyRun copies the input to a LazyOutput in pieces of size bytes,
// replacing "b" by "B" and announcing each change at its input offset.
func lazyRun(t *testing.T, r *Rewrite, size int) *LazyOutput {
	t.Helper()
	data, err := io.ReadAll(r.Input())
	if err != nil {
		t.Fatal(err)
	}
	if i := strings.IndexByte(string(data), 'b'); i >= 0 {
		lw := r.LazyOutput()
		lw.ChangeAt(int64(i))
		return lazyWrite(t, lw, strings.ReplaceAll(string(data), "b", "B"), size)
	}
	return lazyWrite(t, r.LazyOutput(), string(data), size)
}

func lazyWrite(t *testing.T, lw *LazyOutput, s string, size int) *LazyOutput {
	t.Helper()
	for len(s) > 0 {
		n := min(size, len(s))
		if _, err := lw.Write([]byte(s[:n])); err != nil {
			t.Fatal(err)
		}
		s = s[n:]
	}
	return lw
}

// The output holds the unchanged start, copied from the input, and what
// was written from the piece with the first change on.
func TestLazyOutputCopiesTheStart(t *testing.T) {
	for _, size := range []int{1, 3, 4, 100} {
		dir := t.TempDir()
		in, out := filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.txt")
		writeFile(t, in, "aaaa\nbbbb\ncccc\n", 0o644)
		r, err := Begin(RewriteOptions{Input: in, Output: out})
		if err != nil {
			t.Fatal(err)
		}
		lw := lazyRun(t, r, size)
		if !lw.Changed() || lw.File() == nil {
			t.Fatalf("size %d: changed %v, file %v", size, lw.Changed(), lw.File())
		}
		if err := r.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, out); got != "aaaa\nBBBB\ncccc\n" {
			t.Fatalf("size %d: %q", size, got)
		}
	}
}

// Without a change nothing is created, not even a temporary file, and an
// existing NAME.orig does not stop the run.
func TestLazyOutputWithoutChangeCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	writeFile(t, in, "aaaa\ncccc\n", 0o644)
	writeFile(t, in+BackupSuffix, "older", 0o644)
	r, err := Begin(RewriteOptions{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	lw := lazyRun(t, r, 3)
	if lw.Changed() || lw.File() != nil {
		t.Fatalf("changed %v, file %v", lw.Changed(), lw.File())
	}
	r.Close()
	assertNoLeftovers(t, dir, "in.txt", "in.txt.orig")
	if got := readFile(t, in); got != "aaaa\ncccc\n" {
		t.Fatalf("input changed: %q", got)
	}
}

// The zero LazyOutput, a dry run's, discards everything.
func TestLazyOutputZeroDiscards(t *testing.T) {
	var lw LazyOutput
	lw.Change()
	if n, err := lw.Write([]byte("abc")); n != 3 || err != nil || lw.File() != nil || !lw.Changed() {
		t.Fatalf("%d %v %v %v", n, err, lw.File(), lw.Changed())
	}
}

// The input is read again from the start only through the Rewrite's own
// handle, which Commit closes before the rename.
func TestLazyOutputInPlace(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	writeFile(t, in, "aaaa\nbbbb\n", 0o600)
	r, err := Begin(RewriteOptions{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	lazyRun(t, r, 5)
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, orig := readFile(t, in), readFile(t, in+BackupSuffix); got != "aaaa\nBBBB\n" || orig != "aaaa\nbbbb\n" {
		t.Fatalf("%q, original %q", got, orig)
	}
	if st, err := os.Stat(in); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode: %v %v", st, err)
	}
}
