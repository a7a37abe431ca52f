package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCreateRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	write(t, p, "old")
	if _, err := Create(p, false); !errors.Is(err, ErrExists) {
		t.Fatalf("Create over existing file: err = %v, want ErrExists", err)
	}
	f, err := Create(p, true)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new")
	if got := read(t, p); got != "old" {
		t.Fatalf("before Commit the target holds %q, want the old content", got)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, p); got != "new" {
		t.Fatalf("after Commit: %q", got)
	}
	assertNoTemp(t, dir)
}

func TestInPlaceKeepsOriginal(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "journal.txt")
	write(t, p, "original")
	f, err := CreateInPlace(p, false)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("fixed")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, p); got != "fixed" {
		t.Errorf("file = %q", got)
	}
	if got := read(t, p+BackupSuffix); got != "original" {
		t.Errorf("backup = %q", got)
	}
	if _, err := CreateInPlace(p, false); !errors.Is(err, ErrExists) {
		t.Errorf("second in-place rewrite with a backup present: err = %v, want ErrExists", err)
	}
	assertNoTemp(t, dir)
}

func TestAbortLeavesOriginal(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "journal.txt")
	write(t, p, "original")
	f, err := CreateInPlace(p, false)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half")
	f.Abort()
	f.Abort()
	if got := read(t, p); got != "original" {
		t.Errorf("file = %q", got)
	}
	if _, err := os.Stat(p + BackupSuffix); !os.IsNotExist(err) {
		t.Errorf("aborted run left a backup: %v", err)
	}
	assertNoTemp(t, dir)
}

func TestDir(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	os.Mkdir(out, 0o755)
	write(t, filepath.Join(out, "stale"), "x")
	if _, err := CreateDir(out, false); !errors.Is(err, ErrExists) {
		t.Fatalf("non-empty folder: err = %v", err)
	}
	d, err := CreateDir(out, true)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(d.Temp, "users.csv"), "ID\n")
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(out, "users.csv")); got != "ID\n" {
		t.Errorf("users.csv = %q", got)
	}
	// a new folder gets 0777 less the umask, as mkdir gives it, not the
	// 0700 of its private temporary folder
	if st, _ := os.Stat(out); st.Mode().Perm() != newDirMode() {
		t.Errorf("folder mode %v, want %v", st.Mode().Perm(), newDirMode())
	}
	if _, err := os.Stat(filepath.Join(out, "stale")); !os.IsNotExist(err) {
		t.Errorf("old content survived: %v", err)
	}
	assertNoTemp(t, parent)
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, ".*xdm-tmp*"))
	if len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

// TestLargeOutputThroughWriteAndReadFrom writes more than writebackStep
// through both ways in (Write, and io.Copy from a file, which uses ReadFrom)
// and checks the committed file holds exactly what was written.
func TestLargeOutputThroughWriteAndReadFrom(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	part := bytes.Repeat([]byte("0123456789abcdef"), (writebackStep+12345)/16)
	if err := os.WriteFile(src, part, 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "dst")
	f, err := Create(dst, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	for i := 0; i < 3; i++ {
		if _, err := f.Write(part[:len(part)/3]); err != nil {
			t.Fatal(err)
		}
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if _, err := io.Copy(f, in); err != nil {
		t.Fatal(err)
	}
	if want := int64(3*(len(part)/3) + len(part)); f.written != want {
		t.Errorf("counted %d bytes written, want %d", f.written, want)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	want := append(bytes.Repeat(part[:len(part)/3], 3), part...)
	if !bytes.Equal(got, want) {
		t.Errorf("committed file has %d bytes, differs from the %d written", len(got), len(want))
	}
}

// TestBackgroundSyncErrorFailsCommit: a write-back error is reported to one
// sync only; when the background sync gets it, Commit must fail and leave
// nothing under the final name.
func TestBackgroundSyncErrorFailsCommit(t *testing.T) {
	if !backgroundSyncs {
		t.Skip("no background sync on this system")
	}
	ioErr := errors.New("input/output error")
	defer func(orig func(*os.File) error) { backgroundSyncFile = orig }(backgroundSyncFile)
	backgroundSyncFile = func(*os.File) error { return ioErr }

	dst := filepath.Join(t.TempDir(), "out")
	f, err := Create(dst, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	if _, err := f.Write(make([]byte, writebackStep+1)); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); !errors.Is(err, ioErr) {
		t.Fatalf("Commit = %v, want the background sync's error", err)
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists after a failed commit (%v)", dst, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dst), ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestWriteErrorFailsCommit: a writer that ignores a failed Write (a full
// disk) must not get a short file committed.
func TestWriteErrorFailsCommit(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "out")
	f, err := Create(dst, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	if _, err := f.WriteString("first part\n"); err != nil {
		t.Fatal(err)
	}
	// Make one write fail: swap in a read-only descriptor of the same file.
	writable := f.File
	readOnly, err := os.Open(writable.Name())
	if err != nil {
		t.Fatal(err)
	}
	f.File = readOnly
	if _, err := f.Write([]byte("lost part\n")); err == nil {
		t.Fatal("a write to a read-only descriptor succeeded")
	}
	readOnly.Close()
	f.File = writable
	if _, err := f.WriteString("last part\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err == nil {
		t.Fatal("Commit succeeded after a failed Write")
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists after a failed commit (%v)", dst, err)
	}
}

// A folder output is locked like a file, and never replaces the folder it
// reads or the working folder, even with force.
func TestDirRules(t *testing.T) {
	parent := t.TempDir()
	export := filepath.Join(parent, "export")
	os.MkdirAll(filepath.Join(export, "voicemail"), 0o755)
	write(t, filepath.Join(export, "users.csv"), "ID\n")

	for _, out := range []string{export, parent, filepath.Join(export, "..")} {
		if _, err := BeginDir(DirOptions{Input: export, Output: out, Force: true}); !errors.Is(err, ErrHoldsInput) {
			t.Errorf("output %s holds the input %s: err = %v", out, export, err)
		}
	}
	if _, err := BeginDir(DirOptions{Input: filepath.Join(export, "users.csv"), Output: export, Force: true}); !errors.Is(err, ErrHoldsInput) {
		t.Errorf("output folder holding the input file: err = %v", err)
	}
	wd, _ := os.Getwd()
	t.Chdir(export)
	if _, err := BeginDir(DirOptions{Output: ".", Force: true}); !errors.Is(err, ErrHoldsInput) {
		t.Errorf("output is the working folder: err = %v", err)
	}
	t.Chdir(wd)
	if read(t, filepath.Join(export, "users.csv")) != "ID\n" {
		t.Fatal("the export changed")
	}

	out := filepath.Join(parent, "v9")
	d, err := BeginDir(DirOptions{Input: export, Output: out})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := BeginDir(DirOptions{Input: export, Output: out, Force: true}); !errors.Is(err, ErrBusy) {
		t.Fatalf("a second run on the same folder: %v, want ErrBusy", err)
	}
	write(t, filepath.Join(d.Temp, "users.csv"), "x")
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d, err = BeginDir(DirOptions{Input: export, Output: out, Force: true})
	if err != nil {
		t.Fatalf("after the first run: %v", err)
	}
	d.Abort()
	entries, _ := os.ReadDir(parent)
	if len(entries) != 2 {
		t.Errorf("left in %s: %v", parent, entries)
	}
}
