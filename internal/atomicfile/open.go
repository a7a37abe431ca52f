package atomicfile

import (
	"context"
	"os"
)

// Open opens name for reading, like os.Open, except that an open that
// waits ends when ctx is done, with ctx's error. Opening a named pipe (FIFO)
// waits until a program opens it for writing, inside the system call, where
// no signal handler of the Go runtime can stop it: without this, xdm would
// ignore Ctrl-C and SIGTERM while it waits.
func Open(ctx context.Context, name string) (*os.File, error) {
	if ctx.Done() == nil || !mayBlock(name) {
		return os.Open(name)
	}
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(name)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
	}
	// The open goes on waiting; when a writer comes, what it opened is
	// closed. Opening the pipe for writing here would end the wait, but
	// also hand an empty input to every other program waiting on it.
	go func() {
		if o := <-ch; o.f != nil {
			o.f.Close()
		}
	}()
	return nil, ctx.Err()
}

// mayBlock reports whether opening name for reading may wait: it is a named
// pipe (or cannot be looked at, then os.Open says why).
func mayBlock(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.Mode()&os.ModeNamedPipe != 0
}
