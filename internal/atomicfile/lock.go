package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// lock keeps a second xdm from rewriting the same file at the same time. It
// is an operating-system lock on a small file beside the target
// (.NAME.xdm-lock), so it ends with the process, however the process ends:
// a killed run leaves no lock that blocks the next one.
type lock struct {
	path string
	f    *os.File
}

// lockName returns the lock file of target.
func lockName(target string) string {
	dir, base := filepath.Split(target)
	return filepath.Join(dir, "."+shortName(base)+".xdm-lock")
}

// acquire takes the lock of target without waiting: ErrBusy when another
// process holds it.
func acquire(target string) (*lock, error) {
	path := lockName(target)
	for tries := 0; tries < 10; tries++ {
		f, err := openLockFile(path)
		if err != nil {
			return nil, fmt.Errorf("locking %s: %w", target, err)
		}
		if err := tryLock(f); err != nil {
			f.Close()
			if errors.Is(err, errWouldBlock) {
				return nil, fmt.Errorf("%s: %w", target, ErrBusy)
			}
			return nil, fmt.Errorf("locking %s: %w", target, err)
		}
		// The holder before us removes the file before it lets go: if the
		// name no longer leads to the file we locked, lock the new one.
		if current(f, path) {
			return &lock{path: path, f: f}, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("%s: %w", target, ErrBusy)
}

// current reports whether path still names the open file f.
func current(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// release removes the lock file while it is still locked, then unlocks it.
func (l *lock) release() {
	_ = os.Remove(l.path)
	_ = l.f.Close() // closing the last handle releases the lock
}
