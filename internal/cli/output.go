package cli

import (
	"context"
	"os"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
)

// beginOutput starts writing the file output (made from input, which may be
// empty) through atomicfile.Rewrite, the one way a command writes a file:
// temporary file, lock, .orig kept in place, input closed before the
// rename. An output that exists without force (or NAME.orig in place) is
// refused here, before any work; read the input through rw.Input() only.
// Defer rw.Close().
func beginOutput(ctx context.Context, input, output string, force bool) (*atomicfile.Rewrite, error) {
	rw, err := atomicfile.BeginContext(ctx, atomicfile.RewriteOptions{Input: input, Output: output, Force: force})
	if err != nil {
		return nil, err
	}
	if err := rw.Check(); err != nil {
		rw.Close()
		return nil, err
	}
	return rw, nil
}

// closeInput closes a command's input: through the Rewrite that opened it,
// when there is one (which also removes an output not committed), else on
// its own.
func closeInput(in *os.File, rw *atomicfile.Rewrite) {
	if rw != nil {
		rw.Close()
		return
	}
	in.Close()
}
