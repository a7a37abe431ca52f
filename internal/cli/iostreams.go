package cli

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the standard streams a command uses. Data goes to Out, status
// and progress to ErrOut; tests pass buffers, which are never terminals.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// ErrTTY is true when ErrOut is a terminal: only then is progress drawn.
	ErrTTY bool
	// InTTY is true when In is a terminal (password prompts).
	InTTY bool
}

// SystemStreams returns the process's streams.
func SystemStreams() *IOStreams {
	return &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
	}
}

// checkedWriter passes writes to standard output through and keeps the
// first error: Run turns it into exit 4, so that a command whose output was
// lost (a full disk, "> /dev/full") never ends with 0, whether or not the
// command itself checked the write. After an error it writes nothing more.
type checkedWriter struct {
	w   io.Writer
	err error
	n   int64 // bytes written: whether the command has printed anything
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		c.err = err
	}
	return n, err
}
