//go:build unix

package registry

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestWow64FileFromPipe: a named pipe (as /dev/stdin from a pipe) cannot be
// read again from its start; with -o the result is written through, and
// nothing when nothing moves. An xdm waiting for a writer ends with the
// context.
func TestWow64FileFromPipe(t *testing.T) {
	data := readSample(t, "xpr-v5.reg")
	var want bytes.Buffer
	if _, err := Wow64(context.Background(), bytes.NewReader(data), &want, Wow64Options{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "sat.reg")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	feed := func(b []byte) {
		go func() {
			f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err == nil {
				f.Write(b)
				f.Close()
			}
		}()
	}
	out := filepath.Join(dir, "out.reg")
	feed(data)
	rep, w, err := Wow64File(context.Background(), fifo, Wow64Options{}, FileOptions{Output: out})
	if got, _ := os.ReadFile(out); err != nil || rep.Moved != 5 || w.Output != out || !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("%+v %+v %v", rep, w, err)
	}
	none := filepath.Join(dir, "none.reg")
	feed(want.Bytes())
	if _, w, err := Wow64File(context.Background(), fifo, Wow64Options{}, FileOptions{Output: none}); err != nil || w.Output != "" {
		t.Fatalf("nothing to move: %+v %v", w, err)
	}
	if names, _ := os.ReadDir(dir); len(names) != 2 {
		t.Fatalf("left in the folder: %v", names)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, _, err := Wow64File(ctx, fifo, Wow64Options{}, FileOptions{Output: none}); err == nil {
		t.Fatal("no error without a writer")
	}
}
