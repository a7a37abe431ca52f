package journal

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fullWriter accepts limit bytes, then fails like a full disk.
type fullWriter struct {
	limit int
	buf   bytes.Buffer
}

func (w *fullWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.limit {
		n := w.limit - w.buf.Len()
		w.buf.Write(p[:n])
		return n, syscall.ENOSPC
	}
	return w.buf.Write(p)
}

func TestFixDestinationFull(t *testing.T) {
	data := bytes.Repeat([]byte("[JOURNAL]\r\nCONTENTTYPE=4352\r\n"), 10000)
	for _, limit := range []int{0, 1, 1000, len(data) - 1} {
		w := &fullWriter{limit: limit}
		_, err := Fix(context.Background(), bytes.NewReader(data), w, Options{ChunkSize: 4096})
		if !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("limit %d: err %v, want ENOSPC", limit, err)
		}
	}
}

func listDir(t *testing.T, dir string) string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

func TestFixFile(t *testing.T) {
	const needs = "[JOURNAL]\r\nMSGID=1\r\nCONTENTTYPE=4352\r\n"
	const clean = "[JOURNAL]\r\nMSGID=1\r\nCONTENTTYPE=1092\r\n"
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "journal.txt")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Nothing to fix: nothing created, not even a temporary file.
	write(clean)
	rep, err := FixFile(ctx, path, FileOptions{})
	if err != nil || rep.Fixes() != 0 || listDir(t, dir) != "journal.txt" {
		t.Fatalf("clean journal: err %v, %d fixes, folder %q", err, rep.Fixes(), listDir(t, dir))
	}

	// In place, original kept; a second run refuses to replace the backup
	// only when there is something to write.
	write(needs)
	rep, err = FixFile(ctx, path, FileOptions{})
	if err != nil || rep.Fixes() != 1 {
		t.Fatalf("in place: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != clean {
		t.Errorf("fixed: %q", b)
	}
	if b, _ := os.ReadFile(path + ".orig"); string(b) != needs {
		t.Errorf(".orig: %q", b)
	}
	write(needs)
	if _, err := FixFile(ctx, path, FileOptions{}); !errors.Is(err, fs.ErrExist) {
		t.Errorf("existing .orig: %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != needs || listDir(t, dir) != "journal.txt journal.txt.orig" {
		t.Errorf("refused run changed something: %q, folder %q", b, listDir(t, dir))
	}

	// -o naming the journal itself is an in-place fix; with Force it
	// rewrites the journal and keeps the existing .orig, the only copy of
	// the first original.
	os.WriteFile(path+".orig", []byte("first original"), 0o644)
	rep, err = FixFile(ctx, path, FileOptions{Output: filepath.Join(dir, ".", "journal.txt"), Force: true})
	if err != nil || rep.Backup != path+".orig" {
		t.Errorf("output = journal: %v, backup %q", err, rep.Backup)
	}
	if b, _ := os.ReadFile(path + ".orig"); string(b) != "first original" {
		t.Errorf("an existing .orig was replaced: %q", b)
	}
	if b, _ := os.ReadFile(path); string(b) != clean {
		t.Errorf("output = journal, fixed: %q", b)
	}
	write(needs)
	out := filepath.Join(dir, "out.txt")
	if _, err := FixFile(ctx, path, FileOptions{Output: out}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != clean {
		t.Errorf("-o: %q", b)
	}

	// Invalid input and cancellation: nothing written, no temporary file.
	os.Remove(out)
	write(needs + "CONTENTTYPE=x\r\n")
	if _, err := FixFile(ctx, path, FileOptions{Output: out}); err == nil {
		t.Error("invalid journal: no error")
	}
	write(strings.Repeat(needs, 50000))
	cctx, cancel := context.WithCancel(ctx)
	n := 0
	_, err = FixFile(cctx, path, FileOptions{Output: out, Options: Options{ChunkSize: 4096, Progress: func(int64) {
		if n++; n == 10 {
			cancel()
		}
	}}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if listDir(t, dir) != "journal.txt journal.txt.orig" {
		t.Errorf("left after errors: %q", listDir(t, dir))
	}

	// DryRun reads everything and writes nothing.
	rep, err = FixFile(ctx, path, FileOptions{Output: out, DryRun: true})
	if err != nil || rep.Fixes() != 50000 || listDir(t, dir) != "journal.txt journal.txt.orig" {
		t.Errorf("dry run: %v, %d fixes, folder %q", err, rep.Fixes(), listDir(t, dir))
	}
}

// A journal named without a folder, as a user in its folder types it: the
// run's own temporary file ("./.j.txt.xdm-tmp-…" to os.CreateTemp) is not
// reported as left over from an interrupted run; a real leftover is.
func TestFixFileWarnsOnlyAboutOthersTempFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("j.txt", []byte("[JOURNAL]\r\nCONTENTTYPE=4352\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := FixFile(context.Background(), "j.txt", FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings about the run's own files: %q", rep.Warnings)
	}
	os.WriteFile("j.txt", []byte("[JOURNAL]\r\nCONTENTTYPE=500\r\n"), 0o644)
	os.WriteFile(".j.txt.xdm-tmp-123", []byte("half"), 0o644)
	rep, err = FixFile(context.Background(), "j.txt", FileOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], ".j.txt.xdm-tmp-123") {
		t.Errorf("warnings %q, want one about .j.txt.xdm-tmp-123", rep.Warnings)
	}
}
