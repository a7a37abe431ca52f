//go:build unix

package atomicfile

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// An open of a named pipe that no program writes to waits in the system
// call; Open must end it when the context is cancelled.
func TestOpenFIFOEndsWithContext(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := BeginContext(ctx, RewriteOptions{Input: fifo, Output: filepath.Join(dir, "out")})
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("the open did not wait for a writer: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the open still waits after the context was cancelled")
	}
	assertNoLeftovers(t, dir, "fifo")

	// A writer that comes lets the open through, as os.Open would. It keeps
	// the pipe open until Open returned: a writer that came and went before
	// Open reached the system call would leave it waiting for the next one.
	opened := make(chan struct{})
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			w.Write([]byte("data"))
			<-opened
			w.Close()
		}
	}()
	f, err := Open(context.Background(), fifo)
	close(opened)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "data" {
		t.Fatalf("read %q", b)
	}
}

// A LazyOutput of a pipe cannot read the input again: it writes through
// from the first byte, and without a change the output is not committed.
func TestLazyOutputOfAPipe(t *testing.T) {
	for _, change := range []bool{true, false} {
		dir := t.TempDir()
		fifo, out := filepath.Join(dir, "fifo"), filepath.Join(dir, "out")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
		go func() {
			if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				w.Write([]byte("aaaa\nbbbb\n"))
				w.Close()
			}
		}()
		r, err := Begin(RewriteOptions{Input: fifo, Output: out})
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r.Input())
		if err != nil {
			t.Fatal(err)
		}
		lw := r.LazyOutput()
		lw.Write(data[:5])
		if change {
			lw.Change()
		}
		if _, err := lw.Write(data[5:]); err != nil {
			t.Fatal(err)
		}
		if lw.Changed() {
			if err := r.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		r.Close()
		got, err := os.ReadFile(out)
		switch {
		case change && string(got) != "aaaa\nbbbb\n":
			t.Fatalf("output %q, %v", got, err)
		case !change && err == nil:
			t.Fatal("an output was committed without a change")
		}
		if change {
			assertNoLeftovers(t, dir, "fifo", "out")
		} else {
			assertNoLeftovers(t, dir, "fifo")
		}
	}
}
