package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

// EmulateWindowsRename makes renames in this package behave as on Windows
// for the rest of the test: a rename onto or from a file that this process
// still holds open fails. It finds open files in /proc/self/fd, so it sees
// every handle, whoever opened it; the test is skipped where there is no
// /proc (only Linux is needed: CI runs there).
func EmulateWindowsRename(t testing.TB) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the Windows rename double reads /proc/self/fd (Linux)")
	}
	old := rename
	rename = func(from, to string) error {
		for _, p := range []string{from, to} {
			if isOpen(p) {
				return &os.LinkError{Op: "rename", Old: from, New: to,
					Err: fmt.Errorf("%w (Windows: the file is open in this process)", syscall.ETXTBSY)}
			}
		}
		return old(from, to)
	}
	t.Cleanup(func() { rename = old })
}

// isOpen reports whether this process has path open.
func isOpen(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return false
	}
	for _, fd := range fds {
		if dest, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && dest == abs {
			return true
		}
	}
	return false
}
