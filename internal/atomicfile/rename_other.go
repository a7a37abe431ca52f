//go:build !windows

package atomicfile

import (
	"errors"
	"syscall"
)

// isTransientRename: elsewhere a rename is not refused for an open file;
// EBUSY (a file system that behaves like Windows, or the test double) is
// the one refusal that may pass.
func isTransientRename(err error) bool {
	return errors.Is(err, syscall.EBUSY)
}
