//go:build unix

package atomicfile

import (
	"bufio"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// newFileMode is the mode of a new output: 0666 less the umask, as the
// shell's > would give it.
func newFileMode() fs.FileMode { return 0o666 &^ fs.FileMode(umask()) }

// newDirMode is the mode of a new output folder: 0777 less the umask, as
// mkdir would give it.
func newDirMode() fs.FileMode { return 0o777 &^ fs.FileMode(umask()) }

var umask = sync.OnceValue(func() int {
	// Linux shows the umask in /proc (since 4.7); reading it there leaves
	// it alone, while setting it to read it would change it for a moment
	// for every thread of the process.
	if f, err := os.Open("/proc/self/status"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "Umask:"); ok {
				if m, err := strconv.ParseInt(strings.TrimSpace(v), 8, 32); err == nil {
					return int(m)
				}
			}
		}
	}
	m := syscall.Umask(0o022)
	syscall.Umask(m)
	return m
})

// owner is the owner and group an in-place rewrite gives the new file.
type owner struct{ uid, gid int }

func ownerOf(fi fs.FileInfo) *owner {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	return &owner{uid: int(st.Uid), gid: int(st.Gid)}
}

// apply gives f the owner and group, as far as the process may: a user may
// set a group they belong to, only root another owner. What is refused
// stays as created.
func (o *owner) apply(f *os.File) {
	if o == nil {
		return
	}
	if f.Chown(o.uid, o.gid) != nil {
		_ = f.Chown(-1, o.gid)
	}
}
