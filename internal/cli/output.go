package cli

import (
	"context"
	"fmt"
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

// wroteLine says where a command wrote its output, in the same words for
// every command: "VERB OUTPUT in place; the original is kept as BACKUP" for
// an in-place rewrite (backup is its .orig), else "wrote OUTPUT".
func wroteLine(verb, output, backup string) string {
	if backup != "" {
		return fmt.Sprintf("%s %s in place; the original is kept as %s", verb, output, backup)
	}
	return "wrote " + output
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
