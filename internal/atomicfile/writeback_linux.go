package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// backgroundSyncs: File syncs in the background while it is written.
const backgroundSyncs = true

// startWriteback asks Linux to start writing [off, off+n) of f to disk
// without waiting for it. It is only a hint: an error changes nothing, the
// sync in Commit still decides.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
