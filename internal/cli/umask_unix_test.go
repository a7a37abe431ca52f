//go:build unix

package cli

import (
	"io/fs"
	"syscall"
)

// currentUmask reads the process's umask (and leaves it as it was).
func currentUmask() fs.FileMode {
	m := syscall.Umask(0o022)
	syscall.Umask(m)
	return fs.FileMode(m)
}
